r"""Layers that move numbers without a nonlinearity: ``Linear``, ``Identity``, ``Flatten``.

**Batch first, and the relation to** :class:`bplab.MLP`. Layers take an input of shape
``(N, n_in)`` — one *row* per sample, as PyTorch does — where ``MLP`` takes ``(n_in, m)``, one
*column* per sample. ``Linear`` keeps ``MLP``'s weight layout ``W: (n_out, n_in)``, so the two
compute the same numbers, transposed:

.. math::

    \underbrace{y = x W^\top + b}_{\text{Linear, } x:(N, n_{in})}
    \quad\Longleftrightarrow\quad
    \underbrace{z = W a + b}_{\text{MLP, } a = x^\top:(n_{in}, N)}, \qquad y = z^\top ,

and the gradients agree the same way: ``Linear``'s ``dW`` is ``MLP``'s ``dW`` (both
``(n_out, n_in)``), its ``db`` of shape ``(n_out,)`` is ``MLP``'s ``(n_out, 1)`` raveled, and its
``dx`` is ``MLP``'s :math:`W^\top\delta` transposed. ``tests/test_sequential.py`` checks this
to 1e-14 on ``Sequential(Linear, Sigmoid, Linear)`` against the matching ``MLP``.
"""
from __future__ import annotations

import numpy as np

from bplab.layers._base import Layer, check_array, float_dtype

__all__ = ["Linear", "Identity", "Flatten"]


class Linear(Layer):
    r"""A fully connected layer :math:`y = x W^\top + b` (PyTorch's ``nn.Linear``).

    Parameters
    ----------
    n_in, n_out : int
        Input and output features.
    seed : int
        Seed of the ``np.random.default_rng`` that draws ``W`` from
        :math:`\mathcal N(0, \text{gain}/n_{in})` (``MLP``'s ``"scaled"`` initialisation);
        ``b`` starts at zero.
    gain : float
        1 before a sigmoid or tanh (default), 2 before a ReLU.
    dtype : numpy dtype
        ``np.float64`` (default) or ``np.float32``.

    Attributes
    ----------
    params : dict
        ``"W"`` of shape ``(n_out, n_in)``, ``"b"`` of shape ``(n_out,)``.
    """

    def __init__(self, n_in, n_out, *, seed=0, gain=1.0, dtype=np.float64):
        super().__init__()
        for name, n in (("n_in", n_in), ("n_out", n_out)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"Linear: {name} must be a positive integer; got {n!r}.")
        self.n_in, self.n_out = int(n_in), int(n_out)
        self.dtype = float_dtype(dtype)
        W = np.random.default_rng(seed).normal(0.0, np.sqrt(gain / self.n_in),
                                               size=(self.n_out, self.n_in))
        self.params = {"W": W.astype(self.dtype), "b": np.zeros(self.n_out, self.dtype)}

    @classmethod
    def from_weights(cls, W, b=None) -> "Linear":
        """A layer with the given ``W: (n_out, n_in)`` and ``b: (n_out,)`` (or ``(n_out, 1)``,
        ``MLP``'s layout), copied; the dtype is ``W``'s."""
        W = check_array("Linear.from_weights", "W", W)
        if W.ndim != 2:
            raise ValueError(f"Linear.from_weights: W must have shape (n_out, n_in); got "
                             f"shape {W.shape}.")
        layer = cls(W.shape[1], W.shape[0], dtype=W.dtype)
        layer.params["W"][...] = W
        if b is not None:
            b = check_array("Linear.from_weights", "b", b, W.dtype)
            if b.size != W.shape[0] or b.ndim > 2:
                raise ValueError(f"Linear.from_weights: b must have shape ({W.shape[0]},); "
                                 f"got shape {b.shape}.")
            layer.params["b"][...] = b.ravel()
        return layer

    def __repr__(self):
        return f"Linear({self.n_in}, {self.n_out})"

    def _check_input(self, x, where=""):
        if x.ndim != 2 or x.shape[1] != self.n_in:
            hint = (" Samples are rows here (batch first): pass x.T if your samples are "
                    "columns." if x.ndim == 2 and x.shape[0] == self.n_in else
                    " Reshape it, e.g. x.reshape(-1, 1) for one feature, or put a Flatten() "
                    "before this layer." if x.ndim != 2 else "")
            raise ValueError(f"{self!r}{where} expects x of shape (N, {self.n_in}), one row "
                             f"per sample; got shape {x.shape}.{hint}")

    def _forward(self, x):
        """``x: (N, n_in)`` → ``y = x Wᵀ + b: (N, n_out)``; the cache is ``x``."""
        # np.dot rather than @: the same product, with less dispatch (see "Performance").
        y = np.dot(x, self.params["W"].T)
        y += self.params["b"]
        return y, x

    def _backward(self, dout, x):
        r"""``dout: (N, n_out)`` → ``dx: (N, n_in)``, ``dW: (n_out, n_in)``, ``db: (n_out,)``.

        .. math:: \bar x = \bar y\, W, \qquad \bar W = \bar y^\top x, \qquad
                  \bar b = \textstyle\sum_{n} \bar y_{n,:}
        """
        return np.dot(dout, self.params["W"]), self._param_grads(dout, x)

    def _param_grads(self, dout, x):
        return {"W": np.dot(dout.T, x), "b": dout.sum(axis=0)}


class Identity(Layer):
    r""":math:`y = x`, so :math:`\bar x = \bar y` (a linear output, PyTorch's ``nn.Identity``)."""

    def _forward(self, x):
        return x, None

    def _backward(self, dout, cache):
        return dout, {}


class Flatten(Layer):
    r"""``(N, d1, d2, ...)`` → ``(N, d1·d2·...)`` (PyTorch's ``nn.Flatten``): a reshape, whose
    backward reshapes :math:`\bar y` back to ``x``'s shape."""

    def _check_input(self, x, where=""):
        if x.ndim < 1:
            raise ValueError(f"{self!r}{where} expects x of shape (N, ...); got a scalar. "
                             f"Pass an array whose first axis is the batch.")

    def _forward(self, x):
        return x.reshape(x.shape[0], -1), x.shape

    def _backward(self, dout, shape):
        return dout.reshape(shape), {}
