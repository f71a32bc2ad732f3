r"""Elementwise activations and softmax, each forward next to its backward.

An elementwise :math:`y = f(x)` has a diagonal Jacobian, so its vector-Jacobian product is a
product entry by entry, :math:`\bar x = \bar y \odot f'(x)`; each layer caches what
:math:`f'` is cheapest to compute from (for the sigmoid its output, :math:`\sigma' = y(1-y)`).
"""
from __future__ import annotations

import numpy as np

from bplab.activations import sigmoid as _sigmoid
from bplab.layers._base import Layer

__all__ = ["Sigmoid", "Tanh", "ReLU", "Softmax", "softmax"]


class Sigmoid(Layer):
    r""":math:`y = \sigma(x) = 1/(1 + e^{-x})`, overflow-safe (:func:`bplab.sigmoid`)."""

    def _forward(self, x):
        y = _sigmoid(x)
        return y, y

    def _backward(self, dout, y):
        r""":math:`\bar x = \bar y \odot y(1 - y)`, any shape."""
        return dout * (y * (1.0 - y)), {}


class Tanh(Layer):
    r""":math:`y = \tanh x`."""

    def _forward(self, x):
        y = np.tanh(x)
        return y, y

    def _backward(self, dout, y):
        r""":math:`\bar x = \bar y \odot (1 - y^2)`, any shape."""
        return dout * (1.0 - y * y), {}


class ReLU(Layer):
    r""":math:`y = \max(0, x)`."""

    def _forward(self, x):
        return np.maximum(x, 0.0), x > 0

    def _backward(self, dout, positive):
        r""":math:`\bar x = \bar y \odot [x > 0]` (0 at the kink, as PyTorch), any shape."""
        return dout * positive, {}


def softmax(x, axis=-1):
    r""":math:`s_i = e^{x_i - \max_j x_j} / \sum_k e^{x_k - \max_j x_j}` along ``axis``:
    subtracting the maximum changes nothing mathematically and keeps every exponent
    :math:`\le 0`, so nothing overflows."""
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


class Softmax(Layer):
    r"""Softmax over the last axis (PyTorch's ``nn.Softmax(dim=-1)``), ``x: (..., C)``.

    Its Jacobian is not diagonal: :math:`\partial s_i/\partial x_j = s_i(\delta_{ij} - s_j)`,
    i.e. :math:`J = \operatorname{diag}(s) - s s^\top`, a :math:`C \times C` matrix per sample.
    The backward never builds it: :math:`J^\top \bar s = s \odot \bar s - s\,(s^\top \bar s)`
    is one product, one sum and one subtraction per sample, :math:`O(C)` instead of
    :math:`O(C^2)`. For training, :class:`~bplab.layers.SoftmaxCrossEntropyLoss` fuses the
    softmax into the loss, where the whole backward collapses to :math:`s - y`.
    """

    def _check_input(self, x, where=""):
        if x.ndim < 1:
            raise ValueError(f"{self!r}{where} expects x of shape (..., C); got a scalar.")

    def _forward(self, x):
        s = softmax(x)
        return s, s

    def _backward(self, dout, s):
        r""":math:`\bar x = s \odot \big(\bar s - \langle \bar s, s\rangle\big)`, the inner
        product over the last axis; shapes ``(..., C)``."""
        return s * (dout - (dout * s).sum(axis=-1, keepdims=True)), {}
