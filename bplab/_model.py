"""One face for the two kinds of model that :func:`bplab.train` and :func:`bplab.gradcheck`
take: an :class:`~bplab.MLP` (samples as columns, the loss built in) and a
:class:`~bplab.layers.Sequential` (samples as rows, with a ``loss``).

Each adapter offers the same few operations: check the data, count and select samples,
list the parameters, compute the loss, the gradients (aligned with the parameters), and one
in-place gradient-descent step. The MLP's are the exact operations ``train`` and
``gradcheck`` ran before this module existed, so every MLP result is unchanged to the bit.
"""
from __future__ import annotations

import numpy as np

__all__ = ["as_model"]


class MLPModel:
    """An :class:`~bplab.MLP`: samples are columns."""

    def __init__(self, net):
        self.net = net
        self.reduction = getattr(net.loss_fn, "reduction", "mean")   # half_sse: "sum"

    def check(self, X, Y):
        X = self.net._check_X(X)
        return X, self.net._check_Y(Y, X.shape[1])

    @staticmethod
    def n_samples(X):
        return X.shape[1]

    @staticmethod
    def take(X, idx):
        return X[:, idx]

    def parameters(self):
        return self.net.parameters()

    def loss(self, X, Y):
        return self.net.loss_fn.fn(self.net._forward(X)[0], Y)

    def gradients(self, X, Y):
        """The gradients, one per entry of :meth:`parameters` (W[0], b[0], W[1], ...)."""
        dW, db = self.net._backward(self.net._forward(X)[1], Y)
        return [g for pair in zip(dW, db) for g in pair]

    def step(self, X, Y, lr):
        """One step of gradient descent on the batch; returns the batch's loss before it."""
        net = self.net
        A, cache = net._forward(X)
        loss = net.loss_fn.fn(A, Y)
        if not np.isfinite(loss):               # diverged: train stops, nothing is updated
            return loss
        dW, db = net._backward(cache, Y)
        # theta <- theta - lr * grad, in place. The gradients are fresh arrays that only
        # this step uses, so lr * grad is computed into them: the same numbers as
        # `W -= lr * gW`, without a temporary array per parameter per step.
        for W, b, gW, gb in zip(net.weights, net.biases, dW, db):
            gW *= lr
            W -= gW
            gb *= lr
            b -= gb
        return loss


class SequentialModel:
    """A :class:`~bplab.layers.Sequential` with a loss: samples are rows."""

    def __init__(self, model):
        self.model = model
        self.layers = model.layers
        self.reduction = getattr(model.loss, "reduction", "mean")

    def check(self, X, Y):
        return self.model.check_data(X, Y)

    @staticmethod
    def n_samples(X):
        return X.shape[0]

    @staticmethod
    def take(X, idx):
        return X[idx]

    def parameters(self):
        return self.model.parameters()

    def loss(self, X, Y):
        return self.model.loss._forward(self.model._forward(X)[0], Y)[0]

    def gradients(self, X, Y):
        out, caches = self.model._forward(X)
        loss = self.model.loss
        grads = self.model._backward(loss._backward(loss._forward(out, Y)[1]), caches)[1]
        return [grads[name] for name, _ in self.model.parameters()]

    def step(self, X, Y, lr):
        """One step of gradient descent; each layer's parameters are updated as soon as its
        backward has returned (it has used them by then), without collecting the gradients."""
        layers, loss = self.layers, self.model.loss
        out, caches = self.model._forward(X)
        value, lcache = loss._forward(out, Y)
        if not np.isfinite(value):              # diverged: train stops, nothing is updated
            return value
        dout = loss._backward(lcache)
        for i in range(len(layers) - 1, -1, -1):
            if i:
                dout, grads = layers[i]._backward(dout, caches[i])
            else:                                # the input X needs no gradient
                grads = layers[0]._param_grads(dout, caches[0])
            params = layers[i].params
            for name, g in grads.items():        # fresh arrays: lr * g is computed into them
                g *= lr
                params[name] -= g
        return value


def as_model(net):
    """The adapter for ``net`` (an MLP or a Sequential); a TypeError for anything else."""
    from bplab.layers import Sequential
    from bplab.network import MLP
    if isinstance(net, MLP):
        return MLPModel(net)
    if isinstance(net, Sequential):
        if net.loss is None:
            raise ValueError("This Sequential has no loss to train or check against. Build it "
                             "with one, e.g. Sequential(..., loss=bp.layers.MSELoss()).")
        return SequentialModel(net)
    raise TypeError(f"Expected a bplab.MLP or a bplab.Sequential; got "
                    f"{type(net).__name__}.")


def deterministic(net):
    """Raise if the loss of ``net`` changes from one evaluation to the next (dropout in
    training mode), which no finite difference can check."""
    for i, layer in enumerate(getattr(net, "layers", ())):
        if layer.training and getattr(layer, "p", 0) > 0 and hasattr(layer, "rng"):
            raise ValueError(f"gradcheck: layer {i} ({layer!r}) draws a new random mask at "
                             f"every forward pass, so the loss is not a fixed function of the "
                             f"parameters. Call model.eval() first (or use p=0).")
    return net


def named_grads(grads, params):
    """A Sequential's user-supplied gradients (a dict by parameter name), in parameter order."""
    if not isinstance(grads, dict):
        raise ValueError(f"grads for a Sequential must be a dict keyed by parameter name "
                         f"({', '.join(n for n, _ in params)}), as model.backward returns it; "
                         f"got {type(grads).__name__}.")
    unknown = sorted(set(grads) - {n for n, _ in params})
    if unknown:
        raise ValueError(f"grads has entries for no parameter of this model: {unknown}; "
                         f"the parameters are {[n for n, _ in params]}.")
    return [grads.get(name) for name, _ in params]
