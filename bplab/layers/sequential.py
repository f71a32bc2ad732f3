r"""``Sequential``: layers chained, forward in order and backward in reverse.

For :math:`y = f_L(\cdots f_2(f_1(x)))` the chain rule runs the vector-Jacobian products in
reverse, :math:`\bar x_{l-1} = J_l^\top \bar x_l`, starting from the loss's
:math:`\bar y = \partial C/\partial y`; each layer adds the gradients of its own parameters
on the way. Nothing else is needed: this loop is the whole of backpropagation.
"""
from __future__ import annotations

import numpy as np

from bplab.layers._base import Layer, LayerCache, check_array
from bplab.layers.losses import Loss

__all__ = ["Sequential"]


class Sequential:
    """Layers applied in order (PyTorch's ``nn.Sequential``), with an optional loss.

    Parameters
    ----------
    *layers : Layer
    loss : Loss, optional
        The loss that :meth:`gradients`, :meth:`loss_value`, :func:`bplab.train` and
        :func:`bplab.gradcheck` use, e.g. ``SoftmaxCrossEntropyLoss()``.

    Gradients are *returned* by :meth:`backward` (a dict), never stored on the model, so
    there is nothing to accumulate and no ``zero_grad`` to call.

    >>> import bplab as bp
    >>> from bplab.layers import Linear, Sigmoid, MSELoss
    >>> model = bp.Sequential(Linear(1, 25), Sigmoid(), Linear(25, 1), loss=MSELoss())
    >>> [name for name, _ in model.parameters()]
    ['0.W', '0.b', '2.W', '2.b']
    """

    def __init__(self, *layers, loss=None):
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"Sequential: layer {i} must be a bplab.layers layer (Linear, "
                                f"Sigmoid, ...); got {type(layer).__name__}"
                                + (": pass layers one by one, Sequential(*layers)."
                                   if isinstance(layer, (list, tuple)) else "."))
        if loss is not None and not isinstance(loss, Loss):
            raise TypeError(f"Sequential: loss must be a bplab.layers loss (MSELoss(), "
                            f"SoftmaxCrossEntropyLoss(), ...); got {type(loss).__name__}.")
        self.layers = list(layers)
        self.loss = loss
        self.training = True
        self._checked = None      # (signature, output shape per sample, dtype): check_data
        dtypes = {layer.dtype for layer in self.layers if layer.dtype is not None}
        if len(dtypes) > 1:
            raise ValueError(f"Sequential: all layers need one dtype; got "
                             f"{sorted(d.name for d in dtypes)}.")
        self.dtype = dtypes.pop() if dtypes else None

    def __repr__(self):
        inner = "".join(f"\n  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        loss = f"\n  loss: {self.loss!r}" if self.loss is not None else ""
        return f"Sequential({inner}{loss}\n)"

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]

    # -- parameters and modes ----------------------------------------------------------
    def parameters(self):
        """``[("0.W", W), ("0.b", b), ...]``: layer index, dot, name (PyTorch's
        ``named_parameters``); the arrays themselves, which optimisers update in place."""
        return [(f"{i}.{name}", p) for i, layer in enumerate(self.layers)
                for name, p in layer.params.items()]

    def train(self, mode: bool = True):
        """Training mode for every layer (dropout drops); returns the model."""
        self.training = bool(mode)
        for layer in self.layers:
            layer.train(mode)
        return self

    def eval(self):
        """Evaluation mode for every layer (dropout passes its input through)."""
        return self.train(False)

    # -- forward and backward ----------------------------------------------------------
    def check_input(self, x):
        """``x`` as a finite float array of the model's dtype (raises otherwise)."""
        return check_array("Sequential", "x", x, self.dtype)

    def _forward(self, x, checked=False):
        caches = []
        for i, layer in enumerate(self.layers):
            if checked:
                layer._check_input(x, f" (layer {i} of the Sequential)")
            x, cache = layer._forward(x)
            caches.append(cache)
        return x, caches

    def forward(self, x):
        """``(out, cache)``: the output for ``x`` (batch first) and every layer's cache."""
        out, caches = self._forward(self.check_input(x), checked=True)
        return out, LayerCache(self, out.shape, caches)

    def _backward(self, dout, caches):
        grads = {}
        for i in range(len(self.layers) - 1, -1, -1):
            dout, g = self.layers[i]._backward(dout, caches[i])
            for name, value in g.items():
                grads[f"{i}.{name}"] = value
        return dout, grads

    def backward(self, dout, cache):
        """``(dx, grads)``: dC/dx and ``{"0.W": dC/dW, ...}`` (keys as :meth:`parameters`)
        from ``dout`` = dC/d(out) and the cache of :meth:`forward`."""
        if not isinstance(cache, LayerCache) or cache.layer is not self:
            got = "None" if cache is None else type(cache).__name__
            raise ValueError(f"Sequential: backward needs the cache returned by this model's "
                             f"own forward; got {got}. Call out, cache = model.forward(x) "
                             f"first.")
        dout = check_array("Sequential", "dout", dout, self.dtype)
        if dout.shape != cache.out_shape:
            raise ValueError(f"Sequential: dout must have the shape of the model's output "
                             f"{cache.out_shape}; got {dout.shape}.")
        return self._backward(dout, cache.data)

    def predict(self, x):
        """The output for ``x`` (no cache kept)."""
        return self.forward(x)[0]

    # -- with the loss -----------------------------------------------------------------
    def _loss(self):
        if self.loss is None:
            raise ValueError("Sequential: this model has no loss. Build it with one, e.g. "
                             "Sequential(..., loss=bp.layers.MSELoss()), or set model.loss.")
        return self.loss

    def check_data(self, X, Y):
        """``(X, Y)`` checked and converted: ``X`` through every layer's shape check (one
        sample, in eval mode, so that no dropout mask is drawn), ``Y`` by the loss. Float
        data are converted to the model's dtype, as ``MLP`` does (``forward`` itself
        refuses a float dtype other than its parameters')."""
        loss = self._loss()
        X, Y = (_as_dtype(A, self.dtype) for A in (X, Y))
        X = self.check_input(X)
        if X.ndim == 0 or X.shape[0] == 0:
            raise ValueError(f"Sequential: X needs at least one sample (row); got shape "
                             f"{X.shape}.")
        if self.layers:                     # the whole X, so that a transposed X is named
            self.layers[0]._check_input(X, " (layer 0 of the Sequential)")
        # The layers' shape checks depend on a sample's shape and dtype, on the layers (their
        # configuration, as their repr shows it) and on their parameters' shapes, not on the
        # values: run them once per such signature (they were up to a fifth of a small
        # model's training step; bench/README.md).
        signature = (X.shape[1:], X.dtype.str, tuple(self.layers),
                     tuple(map(repr, self.layers)),
                     tuple((name, p.shape, p.dtype.str) for name, p in self.parameters()))
        if self._checked is None or self._checked[0] != signature:
            modes = [self.training] + [layer.training for layer in self.layers]
            try:
                self.eval()
                out, _ = self._forward(X[:1], checked=True)
            finally:
                for obj, mode in zip([self] + self.layers, modes):
                    obj.training = mode
            self._checked = (signature, out.shape[1:], out.dtype)
        _, shape, dtype = self._checked
        out = np.empty((X.shape[0],) + shape, dtype)
        return X, loss.check_target(out, Y, " (the loss of the Sequential)")

    def gradients(self, X, Y):
        """``(loss, grads)`` for inputs ``X`` and targets ``Y``: one forward, one backward."""
        X, Y = self.check_data(X, Y)
        out, caches = self._forward(X)
        value, lcache = self.loss._forward(out, Y)
        return value, self._backward(self.loss._backward(lcache), caches)[1]

    def loss_value(self, X, Y) -> float:
        """The loss of the model's output on ``X`` against ``Y``."""
        X, Y = self.check_data(X, Y)
        return self.loss._forward(self._forward(X)[0], Y)[0]

    @classmethod
    def from_mlp(cls, net) -> "Sequential":
        """The ``Sequential`` that computes what the :class:`bplab.MLP` ``net`` computes, with
        copies of its weights: ``Linear`` and an activation per layer, ``MSELoss`` for
        ``loss="mse"``, ``BCELoss`` for ``loss="cross_entropy"``. Feed it ``X.T``."""
        from bplab.layers import ACTIVATION_LAYERS, BCELoss, Linear, MSELoss
        losses = {"mse": MSELoss, "cross_entropy": BCELoss}
        if net.loss_name not in losses:
            raise ValueError(f"Sequential.from_mlp knows the losses {sorted(losses)}; this "
                             f"MLP uses {net.loss_name!r}.")
        layers = []
        for W, b, f in zip(net.weights, net.biases, net.activations):
            if f.name not in ACTIVATION_LAYERS:
                raise ValueError(f"Sequential.from_mlp knows the activations "
                                 f"{sorted(ACTIVATION_LAYERS)}; this MLP uses {f.name!r}.")
            layers.append(Linear.from_weights(W, b))
            if f.name != "identity":
                layers.append(ACTIVATION_LAYERS[f.name]())
        return cls(*layers, loss=losses[net.loss_name]())


def _as_dtype(A, dtype):
    """A float array converted to ``dtype`` (data sets, not activations); else unchanged."""
    try:
        arr = np.asarray(A)
    except (ValueError, TypeError):          # ragged: check_array reports it
        return A
    if dtype is not None and np.issubdtype(arr.dtype, np.floating):
        return arr.astype(dtype, copy=False)
    return A
