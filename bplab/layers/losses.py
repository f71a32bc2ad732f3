r"""Losses with the layer contract: ``value, cache = loss.forward(out, target)`` and
``dout = loss.backward(cache)``, :math:`\partial C/\partial\,\text{out}` (shape of ``out``).

Batch first, PyTorch's names and reductions (``reduction="mean"`` by default, or ``"sum"``).
Each loss, then its backward :math:`\bar a = \partial C/\partial a`:

* ``MSELoss``: :math:`C = \frac1N\sum_i (a_i - y_i)^2`, N = every entry;
  :math:`\bar a = 2(a - y)/N`.
* ``BCELoss`` (probabilities): :math:`C = -\frac1N\sum_i y_i\log a_i + (1-y_i)\log(1-a_i)`;
  :math:`\bar a = \frac{a - y}{a(1-a)}\frac1N`.
* ``BCEWithLogitsLoss`` (fused): the same with :math:`a = \sigma(z)`;
  :math:`\bar z = (\sigma(z) - y)/N`.
* ``CategoricalCrossEntropyLoss`` (probabilities): :math:`C = -\frac1N\sum_n\sum_c
  y_{nc}\log p_{nc}`, N = samples; :math:`\bar p = -\frac{y}{p}\frac1N`.
* ``SoftmaxCrossEntropyLoss`` (fused): the same with :math:`p = \operatorname{softmax}(z)`;
  :math:`\bar z = (p - y)/N`.

``MSELoss`` is :func:`bplab.losses.mse` (``MLP``'s ``loss="mse"``), transposed: both are the
mean over *all* entries, samples times outputs, as PyTorch's ``MSELoss``; ``BCELoss`` is
``MLP``'s ``loss="cross_entropy"`` (with its clamps). The fused losses take logits: their
backward is the short one above, with no division by a probability that may
underflow to 0, which is why they are the ones to train with; the unfused pairs (``Sigmoid``
then ``BCELoss``, ``Softmax`` then ``CategoricalCrossEntropyLoss``) exist for the chapters
that compare them.
"""
from __future__ import annotations

import numpy as np

from bplab.activations import sigmoid as _sigmoid
from bplab.layers._base import LayerCache, check_array
from bplab.losses import _EPS, _LOG_FLOOR

__all__ = ["Loss", "MSELoss", "BCELoss", "BCEWithLogitsLoss", "CategoricalCrossEntropyLoss",
           "SoftmaxCrossEntropyLoss"]

_REDUCTIONS = ("mean", "sum")


class Loss:
    """Base class: the checked public ``forward``/``backward`` around ``_forward``/``_backward``."""

    def __init__(self, reduction="mean"):
        if reduction not in _REDUCTIONS:
            raise ValueError(f"{type(self).__name__}: reduction must be 'mean' or 'sum'; got "
                             f"{reduction!r}.")
        self.reduction = reduction

    def __repr__(self):
        extra = "" if self.reduction == "mean" else f"reduction={self.reduction!r}"
        return f"{type(self).__name__}({extra})"

    def _count(self, out):
        """The N of the mean: every entry (the default), or the samples (cross-entropy)."""
        return out.size if self.reduction == "mean" else 1

    def check_target(self, out, target, where=""):
        """``target`` checked against an ``out`` of this shape and converted; raises otherwise."""
        y = check_array(f"{self!r}{where}", "target", target, out.dtype)
        if y.shape != out.shape:
            raise ValueError(f"{self!r}{where}: target must have the output's shape "
                             f"{out.shape} (samples as rows); got {y.shape}."
                             + (" It looks transposed: pass target.T." if y.shape[::-1]
                                == out.shape else ""))
        return y

    def forward(self, out, target):
        """``(value, cache)``: the loss (a float) of ``out`` against ``target``."""
        out = check_array(repr(self), "out", out)
        y = self.check_target(out, target)
        value, cache = self._forward(out, y)
        return value, LayerCache(self, out.shape, cache)

    def backward(self, cache):
        """``dout`` = dC/d(out), of the shape of ``out``, from this loss's forward cache."""
        if not isinstance(cache, LayerCache) or cache.layer is not self:
            got = ("None" if cache is None else f"the cache of {cache.layer!r}"
                   if isinstance(cache, LayerCache) else type(cache).__name__)
            raise ValueError(f"{self!r}: backward needs the cache returned by this loss's "
                             f"own forward; got {got}. Call value, cache = "
                             f"loss.forward(out, target) first.")
        return self._backward(cache.data)


class MSELoss(Loss):
    r""":math:`C = \frac1N\sum_i (a_i - y_i)^2`, N = every entry (``out.size``), as
    :func:`bplab.losses.mse` and PyTorch's ``MSELoss``; ``reduction="sum"`` drops the 1/N."""

    def _forward(self, a, y):
        d = a - y
        return float((d * d).sum() / self._count(d)), d

    def _backward(self, d):
        r""":math:`\bar a = 2(a - y)/N`."""
        return 2.0 * d / self._count(d)


class BCELoss(Loss):
    r"""Binary cross-entropy of probabilities ``a`` in [0, 1] (after a ``Sigmoid``), mean over
    all entries; logs clamped at -100 and :math:`a(1-a)` at 1e-12, as PyTorch's ``BCELoss``
    and :func:`bplab.losses.cross_entropy`."""

    def check_target(self, out, target, where=""):
        y = super().check_target(out, target, where)
        if y.size and (y.min() < 0 or y.max() > 1):
            raise ValueError(f"{self!r}{where}: targets must lie in [0, 1]; got values from "
                             f"{y.min():g} to {y.max():g}. Rescale them, or use MSELoss.")
        return y

    def _forward(self, a, y):
        with np.errstate(divide="ignore"):
            log_a = np.maximum(np.log(a), _LOG_FLOOR)
            log_1a = np.maximum(np.log(1.0 - a), _LOG_FLOOR)
        return float(-(y * log_a + (1.0 - y) * log_1a).sum() / self._count(a)), (a, y)

    def _backward(self, cache):
        r""":math:`\bar a = \frac{a - y}{a(1-a)}\frac1N`: divides by a probability."""
        a, y = cache
        return (a - y) / np.maximum(a * (1.0 - a), _EPS) / self._count(a)


class BCEWithLogitsLoss(BCELoss):
    r"""Sigmoid and binary cross-entropy in one, on logits ``z`` (PyTorch's
    ``BCEWithLogitsLoss``), stable for every finite ``z``:

    .. math:: C = \frac1N\sum_i \max(z_i, 0) - z_i y_i + \log\big(1 + e^{-|z_i|}\big)
    """

    def _forward(self, z, y):
        terms = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
        return float(terms.sum() / self._count(z)), (z, y)

    def _backward(self, cache):
        r""":math:`\bar z = (\sigma(z) - y)/N`: the sigmoid's derivative has cancelled."""
        z, y = cache
        return (_sigmoid(z) - y) / self._count(z)


def _one_hot(labels, C, dtype):
    Y = np.zeros((labels.shape[0], C), dtype)
    Y[np.arange(labels.shape[0]), labels] = 1.0
    return Y


class CategoricalCrossEntropyLoss(Loss):
    r"""Cross-entropy of probabilities ``p: (N, C)`` (after a ``Softmax``), mean over the N
    samples: :math:`C = -\frac1N\sum_n \sum_c y_{nc}\log p_{nc}`. ``target``: integer class
    labels of shape ``(N,)`` or one-hot (or probability) rows of shape ``(N, C)``. Logs are
    clamped at -100, the division at 1e-12 (as ``BCELoss``)."""

    def _count(self, out):
        return out.shape[0] if self.reduction == "mean" else 1

    def check_target(self, out, target, where=""):
        who = f"{self!r}{where}"
        if out.ndim != 2:
            raise ValueError(f"{who}: the output must have shape (N, C), one row of class "
                             f"scores per sample; got {out.shape}.")
        N, C = out.shape
        arr = np.asarray(target)
        if arr.ndim == 1 and (np.issubdtype(arr.dtype, np.integer) or (
                np.issubdtype(arr.dtype, np.floating) and np.all(arr == np.round(arr)))):
            if arr.shape[0] != N or arr.size and (arr.min() < 0 or arr.max() >= C):
                raise ValueError(f"{who}: class labels must be {N} integers in [0, {C}); got "
                                 f"shape {arr.shape} with values from {arr.min()} to "
                                 f"{arr.max()}.")
            return _one_hot(arr.astype(np.intp), C, out.dtype)
        y = check_array(who, "target", target, out.dtype)
        if y.shape != (N, C):
            raise ValueError(f"{who}: target must be {N} integer class labels (shape ({N},)) "
                             f"or one-hot rows of shape ({N}, {C}); got shape {y.shape}.")
        if y.min() < 0:
            raise ValueError(f"{who}: one-hot or probability targets must be >= 0; got a "
                             f"minimum of {y.min():g}.")
        return y

    def _forward(self, p, y):
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(p), _LOG_FLOOR)
        return float(-(y * log_p).sum() / self._count(p)), (p, y)

    def _backward(self, cache):
        r""":math:`\bar p = -\frac{y}{p}\frac1N`: divides by a probability."""
        p, y = cache
        return -y / np.maximum(p, _EPS) / self._count(p)


class SoftmaxCrossEntropyLoss(CategoricalCrossEntropyLoss):
    r"""Softmax and cross-entropy in one, on logits ``z: (N, C)`` (PyTorch's
    ``CrossEntropyLoss``). With the log-sum-exp written around the row maximum :math:`m_n`,

    .. math:: \log p_{nc} = z_{nc} - m_n - \log\textstyle\sum_k e^{z_{nk} - m_n},

    no exponent is positive, so nothing overflows and no log of 0 is taken.
    """

    def _forward(self, z, y):
        shifted = z - z.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-(y * log_p).sum() / self._count(z)), (np.exp(log_p), y)

    def _backward(self, cache):
        r""":math:`\bar z = (p - y)/N` (for one-hot or probability rows :math:`y`)."""
        p, y = cache
        return (p * y.sum(axis=1, keepdims=True) - y) / self._count(p)
