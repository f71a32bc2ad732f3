r"""A layered network, samples as columns, in the book's notation.

For layers :math:`l = 1, \dots, L` (code index ``l - 1``):

.. math::

    z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}, \qquad a^{(l)} = f_l(z^{(l)}), \qquad a^{(0)} = X

and the backward pass (the four equations of the chapter "The backward pass"):

.. math::

    \delta^{(L)} = \frac{\partial C}{\partial a^{(L)}} \odot f_L'(z^{(L)}), \qquad
    \delta^{(l)} = \big(W^{(l+1)\top} \delta^{(l+1)}\big) \odot f_l'(z^{(l)}),

    \frac{\partial C}{\partial W^{(l)}} = \delta^{(l)} a^{(l-1)\top}, \qquad
    \frac{\partial C}{\partial b^{(l)}} = \textstyle\sum_{\text{samples}} \delta^{(l)} .

The :math:`1/m` of a mean loss lives in :math:`\partial C/\partial a^{(L)}` (see ``losses``).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from bplab import _validation as v
from bplab.activations import ACTIVATIONS, get_activation
from bplab.losses import get_loss

__all__ = ["MLP", "Cache"]

_INITS = ("scaled", "uniform01")
_IDENTITY = ACTIVATIONS["identity"]
_IDS = itertools.count(1)      # every network (and every copy) gets its own id


@dataclass
class Cache:
    """What the forward pass keeps for the backward pass.

    ``a[0]`` is the input ``X``; ``a[l]`` and ``z[l - 1]`` belong to layer ``l``
    (``a`` has one more entry than ``z``), each of shape ``(n_l, m)``. A cache made by
    :meth:`MLP.forward` also records which network and which parameter values produced it.
    """

    a: list
    z: list
    # Which network, and which parameter values, produced this cache (set by forward):
    # backward refuses a cache whose parameters are not the network's current ones.
    net_id: int = field(default=None, repr=False, compare=False)
    origin: tuple = field(default=None, repr=False, compare=False)


class MLP:
    """A fully connected network trained by backpropagation.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, input first: ``[1, 25, 1]`` is one input, 25 hidden units, one output.
    hidden : str or sequence of str
        Activation of the hidden layers (one name for all, or one per hidden layer).
    output : str
        Activation of the output layer.
    loss : str
        ``"mse"``, ``"half_sse"`` or ``"cross_entropy"`` (see :mod:`bplab.losses`).
    seed : int
        Seed of the ``np.random.default_rng`` that draws the initial weights.
    init : str
        ``"scaled"`` (default): weights drawn from :math:`\\mathcal N(0, 1/n_{in})`
        (``2/n_in`` before a ReLU), biases zero. ``"uniform01"``: weights from ``rng.random``
        in [0, 1), all positive, as several source documents do.
    dtype : numpy dtype
        ``np.float64`` (default) or ``np.float32``.

    Attributes
    ----------
    weights : list of ndarray
        ``weights[l]`` has shape ``(sizes[l + 1], sizes[l])`` — ``(n_out, n_in)``.
    biases : list of ndarray
        ``biases[l]`` has shape ``(sizes[l + 1], 1)``.
    """

    def __init__(self, sizes, *, hidden="sigmoid", output="identity", loss="mse", seed=0,
                 init="scaled", dtype=np.float64):
        self.sizes = v.check_sizes(sizes)
        n_hidden = len(self.sizes) - 2
        hidden = v.check_hidden(hidden, n_hidden)
        self.activations = [get_activation(h) for h in hidden] + [get_activation(output)]
        self.loss_fn = get_loss(loss)
        if self.loss_fn.name == "cross_entropy" and self.activations[-1].name != "sigmoid":
            raise ValueError(
                f"loss='cross_entropy' needs outputs in (0, 1), i.e. output='sigmoid'; got "
                f"output={self.activations[-1].name!r}. Use output='sigmoid' or loss='mse'.")
        self.dtype = v.float_dtype("dtype", dtype)
        v.check_choice("init", init, _INITS)
        seed = v.check_seed("seed", seed)
        n_params = sum(i * o + o for i, o in zip(self.sizes[:-1], self.sizes[1:]))
        v.check_memory(f"MLP({self.sizes})'s {n_params:,} parameters",
                       3 * n_params * self.dtype.itemsize,
                       "Use smaller layer sizes.")
        rng = np.random.default_rng(seed)
        self.weights, self.biases = [], []
        for l, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:])):
            if init == "uniform01":
                W = rng.random((n_out, n_in))
            else:
                gain = 2.0 if self.activations[l].name == "relu" else 1.0
                W = rng.normal(0.0, np.sqrt(gain / n_in), size=(n_out, n_in))
            self.weights.append(W.astype(self.dtype))
            self.biases.append(np.zeros((n_out, 1), dtype=self.dtype))
        self._id = next(_IDS)

    # -- description -------------------------------------------------------------------
    @property
    def hidden(self):
        return [f.name for f in self.activations[:-1]]

    @property
    def output(self):
        return self.activations[-1].name

    @property
    def loss_name(self):
        return self.loss_fn.name

    @property
    def n_layers(self):
        """Number of weight layers :math:`L` (hidden layers + output)."""
        return len(self.weights)

    def __repr__(self):
        hidden = self.hidden[0] if len(set(self.hidden)) == 1 else self.hidden
        return (f"MLP(sizes={self.sizes}, hidden={hidden!r}, output={self.output!r}, "
                f"loss={self.loss_name!r})")

    def parameters(self):
        """``[("W[0]", weights[0]), ("b[0]", biases[0]), ...]``: the arrays themselves."""
        out = []
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            out += [(f"W[{l}]", W), (f"b[{l}]", b)]
        return out

    def copy(self) -> "MLP":
        """An independent network with the same architecture and parameters."""
        new = object.__new__(MLP)
        new.__dict__.update(self.__dict__)
        new.sizes = list(self.sizes)
        new.activations = list(self.activations)
        new.weights = [W.copy() for W in self.weights]
        new.biases = [b.copy() for b in self.biases]
        new._id = next(_IDS)
        return new

    def __deepcopy__(self, memo):
        return self.copy()

    def set_weights(self, weights, biases=None) -> "MLP":
        """Set every weight matrix (and, optionally, every bias) explicitly.

        ``weights[l]`` must have shape ``(sizes[l + 1], sizes[l])``; ``biases[l]`` shape
        ``(sizes[l + 1], 1)`` (a 1-D bias of the right length is accepted). Returns ``self``.
        """
        weights = v.as_list("weights", weights, self.n_layers, "weight matrices")
        if len(weights) != self.n_layers:
            raise ValueError(f"expected {self.n_layers} weight matrices (one per layer of "
                             f"{self.sizes}); got {len(weights)}.")
        new_W = [self._checked(f"weights[{l}]", W, (self.sizes[l + 1], self.sizes[l]), l)
                 for l, W in enumerate(weights)]
        new_b = self.biases
        if biases is not None:
            biases = v.as_list("biases", biases, self.n_layers, "bias vectors")
            if len(biases) != self.n_layers:
                raise ValueError(f"expected {self.n_layers} bias vectors; got {len(biases)}.")
            new_b = []
            for l, b in enumerate(biases):
                b = np.asarray(b)
                if b.ndim == 1:
                    b = b.reshape(-1, 1)
                new_b.append(self._checked(f"biases[{l}]", b, (self.sizes[l + 1], 1), l))
        self.weights, self.biases = new_W, [b.copy() for b in new_b]
        return self

    def _checked(self, name, value, shape, l):
        arr = v.as_matrix(name, value, self.dtype).copy()
        if arr.shape != shape:
            hint = " It looks transposed: pass its .T." if arr.shape == shape[::-1] else ""
            raise ValueError(
                f"{name} must have shape {shape} (n_out, n_in) for layer {l} "
                f"({self.sizes[l]} -> {self.sizes[l + 1]} units); got {arr.shape}.{hint}")
        return arr

    # -- validation of parameters and data ----------------------------------------------
    def _check_parameters(self):
        """Every parameter array: of the layer's shape, of the network's dtype, finite."""
        L = len(self.activations)
        for kind, arrays in (("weights", self.weights), ("biases", self.biases)):
            if not isinstance(arrays, list) or len(arrays) != L:
                got = f"{len(arrays)} entries" if hasattr(arrays, "__len__") else \
                    type(arrays).__name__
                raise ValueError(f"net.{kind} must be a list of {L} arrays (one per layer of "
                                 f"{self.sizes}); got {got}. Use net.set_weights(...).")
        for l in range(L):
            n_in, n_out = self.sizes[l], self.sizes[l + 1]
            v.check_parameter(f"weights[{l}]", self.weights[l], (n_out, n_in), self.dtype)
            v.check_parameter(f"biases[{l}]", self.biases[l], (n_out, 1), self.dtype)

    def _origin(self):
        """What a cache remembers of the parameters that made it: their exact bytes (a
        snapshot is cheaper than a hash here)."""
        return tuple(p.tobytes() for p in self.weights + self.biases)

    def _check_cache(self, cache):
        if not isinstance(cache, Cache):
            raise TypeError(f"backward needs the Cache returned by forward; got "
                            f"{type(cache).__name__}.")
        L = self.n_layers
        if not isinstance(cache.a, list) or not isinstance(cache.z, list) \
                or len(cache.a) != L + 1 or len(cache.z) != L:
            raise ValueError(f"cache does not belong to this network: it must hold {L + 1} "
                             f"activations a and {L} pre-activations z (one per layer of "
                             f"{self.sizes}). Call A, cache = net.forward(X) on this network.")
        m = np.shape(cache.a[0])[-1] if np.ndim(cache.a[0]) == 2 else None
        for name, arrs, sizes in (("a", cache.a, self.sizes), ("z", cache.z, self.sizes[1:])):
            for l, (arr, n) in enumerate(zip(arrs, sizes)):
                if not isinstance(arr, np.ndarray) or arr.shape != (n, m):
                    raise ValueError(f"cache.{name}[{l}] must be an array of shape {(n, m)}; "
                                     f"got {getattr(arr, 'shape', type(arr).__name__)}. Call "
                                     f"A, cache = net.forward(X) on this network.")
        if cache.origin is None:
            return      # built by hand: its provenance is unknown, its shapes are right
        now = self._origin()
        if cache.origin == now:
            return
        # backward reads the weights above the first layer: a cache from another network
        # that shares them gives exactly that network's gradients, so it passes.
        if cache.net_id != self._id and cache.origin[1:self.n_layers] == now[1:self.n_layers]:
            return
        if cache.net_id != self._id:
            raise ValueError(
                "cache was made by another network, whose weights "
                "differ from this one's: its gradients would be wrong. Call "
                "A, cache = net.forward(X) on this network, then net.backward(cache, Y).")
        raise ValueError(
            "cache is stale: this network's parameters changed after forward made it "
            "(an update, set_weights or train in between), so the gradients would mix "
            "old activations with new weights. Call forward again after every update.")

    def _check_X(self, X):
        X = v.as_matrix("X", X, self.dtype)
        v.check_rows("X", X, self.sizes[0],
                     f"layer 0 (weights[0] of shape {self.weights[0].shape})")
        return X

    def _check_Y(self, Y, m):
        Y = v.as_matrix("Y", Y, self.dtype)
        v.check_rows("Y", Y, self.sizes[-1],
                     f"the output layer (weights[{self.n_layers - 1}] of shape "
                     f"{self.weights[-1].shape})")
        if Y.shape[1] != m:
            raise ValueError(
                f"X and Y must have the same number of samples (columns); got X with {m} "
                f"and Y with {Y.shape[1]} (shape {Y.shape}).")
        if self.loss_name == "cross_entropy" and (Y.min() < 0 or Y.max() > 1):
            raise ValueError(f"loss='cross_entropy' needs targets in [0, 1]; got values from "
                             f"{Y.min():g} to {Y.max():g}. Rescale Y or use loss='mse'.")
        return Y

    # -- the algorithm -----------------------------------------------------------------
    def forward(self, X):
        """Run the network on ``X`` of shape ``(sizes[0], m)``.

        Returns ``(A, cache)``: the output of shape ``(sizes[-1], m)`` and the
        :class:`Cache` of every ``z`` and ``a`` that :meth:`backward` needs.
        """
        self._check_parameters()
        X = self._check_X(X)
        with np.errstate(over="ignore", invalid="ignore"):
            A, cache = self._forward(X)
        v.check_finite_result("output", A, X)
        cache.net_id, cache.origin = self._id, self._origin()
        return A, cache

    def _forward(self, X):
        # Speed notes (chapter "Performance"): np.dot(W, a) is the same BLAS product as
        # W @ a, bit for bit, but skips a microsecond or two of dispatch per call, which is
        # much of the cost on the course's tiny networks; b is added in place.
        a, zs = [X], []
        for W, b, f in zip(self.weights, self.biases, self.activations):
            z = np.dot(W, a[-1])
            z += b                                  # z = W a + b
            zs.append(z)
            a.append(f.fn(z))
        return a[-1], Cache(a=a, z=zs)

    def backward(self, cache: Cache, Y):
        """Gradients of the loss from a forward pass's ``cache`` and targets ``Y``.

        Returns ``(dW, db)``, lists shaped like ``weights`` and ``biases``. A cache from
        another network, or made before the parameters changed, is refused.
        """
        self._check_parameters()
        self._check_cache(cache)
        Y = self._check_Y(Y, cache.a[0].shape[1])
        return self._backward(cache, Y)

    def _backward(self, cache, Y):
        L = self.n_layers
        A = cache.a[-1]
        delta = self.loss_fn.grad(A, Y)                # (3.1): grad_A C ...
        if self.activations[-1] is not _IDENTITY:
            # A linear output has f'(z) = 1: multiplying by an array of ones would change
            # no bit of delta, so it is skipped (one of the few shortcuts; see "Performance").
            delta = delta * self.activations[-1].prime_from_a(A)   # (3.1): ... times f'(z)
        dW, db = [None] * L, [None] * L
        for l in range(L - 1, -1, -1):
            dW[l] = np.dot(delta, cache.a[l].T)      # (3.4) delta a^T (np.dot: see _forward)
            db[l] = delta.sum(axis=1, keepdims=True)  # (3.3), summed over the samples
            if l > 0:
                # (3.2) delta = (W^T delta) * f'(z), multiplying in place into the fresh product.
                delta = np.dot(self.weights[l].T, delta)
                delta *= self.activations[l - 1].prime_from_a(cache.a[l])
        return dW, db

    def gradients(self, X, Y):
        """``(loss, dW, db)`` for inputs ``X`` and targets ``Y``: one forward, one backward."""
        self._check_parameters()
        X = self._check_X(X)
        Y = self._check_Y(Y, X.shape[1])
        with np.errstate(over="ignore", invalid="ignore"):
            A, cache = self._forward(X)
            loss = self.loss_fn.fn(A, Y)
            v.check_finite_result("loss", loss, X)
            dW, db = self._backward(cache, Y)
        for name, g in zip(("dW", "db"), (dW, db)):
            v.check_finite_result(name, g, X)
        return loss, dW, db

    def predict(self, X):
        """The network's output for ``X`` (no cache)."""
        return self.forward(X)[0]

    def loss(self, X, Y) -> float:
        """The loss of the network's output on ``X`` against ``Y``."""
        self._check_parameters()
        X = self._check_X(X)
        Y = self._check_Y(Y, X.shape[1])
        with np.errstate(over="ignore", invalid="ignore"):
            loss = self.loss_fn.fn(self._forward(X)[0], Y)
        v.check_finite_result("loss", loss, X)
        return loss
