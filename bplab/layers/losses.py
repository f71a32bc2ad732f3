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
* ``CategoricalCrossEntropyLoss`` (probabilities): :math:`C = -\frac1M\sum_r\sum_c
  y_{rc}\log p_{rc}`, M = rows of class scores (samples, or tokens for ``(N, T, C)``, those
  whose label is ``ignore_index`` left out); :math:`\bar p = -\frac{y}{p}\frac1M`.
* ``SoftmaxCrossEntropyLoss`` (fused): the same with :math:`p = \operatorname{softmax}(z)`;
  :math:`\bar z = (p - y)/M`.

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


def _as_int(n):
    return not isinstance(n, bool) and isinstance(n, (int, np.integer))


class CategoricalCrossEntropyLoss(Loss):
    r"""Cross-entropy of probabilities ``p`` (after a ``Softmax``): one row of :math:`C` class
    probabilities per sample, ``p: (N, C)``, or per token, ``p: (N, T, C)``, mean over the
    rows that count: :math:`C = -\frac1M\sum_r \sum_c y_{rc}\log p_{rc}`. Logs are clamped
    at -100, the division at 1e-12 (as ``BCELoss``).

    ``target``: integer class labels of shape ``(N,)`` / ``(N, T)`` (the output's shape without
    its last axis), or one-hot (or probability) rows of the output's shape. With labels, a
    position whose label is ``ignore_index`` (-100 by default, as PyTorch) is left out: it adds
    nothing to the loss and gets a zero gradient, and :math:`M` counts only the other
    positions (PyTorch's ``ignore_index``); with rows, :math:`M` is the number of rows.
    ``reduction="sum"``: :math:`M = 1`. PyTorch's ``cross_entropy`` takes a sequence as
    ``(N, C, T)``; here the classes are the last axis, as ``logits.reshape(-1, C)``.
    """

    def __init__(self, reduction="mean", *, ignore_index=-100):
        super().__init__(reduction)
        if ignore_index is not None and not _as_int(ignore_index):
            raise ValueError(f"{type(self).__name__}: ignore_index must be an integer (the "
                             f"label of the positions to leave out; PyTorch's default is "
                             f"-100) or None; got {ignore_index!r}.")
        self.ignore_index = None if ignore_index is None else int(ignore_index)

    def __repr__(self):
        extra = [] if self.reduction == "mean" else [f"reduction={self.reduction!r}"]
        if self.ignore_index != -100:
            extra.append(f"ignore_index={self.ignore_index!r}")
        return f"{type(self).__name__}({', '.join(extra)})"

    def check_target(self, out, target, where=""):
        """Integer labels (``intp``, of ``out.shape[:-1]``) or float rows (of ``out.shape``),
        checked; raises a ValueError saying what was expected, what arrived and the fix."""
        who = f"{self!r}{where}"
        if out.ndim not in (2, 3):
            raise ValueError(f"{who}: the output must have shape (N, C), one row of class "
                             f"scores per sample, or (N, T, C), one per token; got "
                             f"{out.shape}. Reshape it, e.g. out.reshape(N, -1, C).")
        lead, C = out.shape[:-1], out.shape[-1]
        try:
            arr = np.asarray(target)
        except (ValueError, TypeError):
            arr = None                              # ragged: check_array reports it
        if arr is not None and arr.ndim == len(lead) and (
                np.issubdtype(arr.dtype, np.integer) or (
                np.issubdtype(arr.dtype, np.floating) and np.all(arr == np.round(arr)))):
            return self._check_labels(who, arr.astype(np.intp), lead, C)
        y = check_array(who, "target", target, out.dtype)
        if y.shape != out.shape:
            n = "x".join(map(str, lead))
            raise ValueError(f"{who}: target must be {n} integer class labels (shape {lead}) "
                             f"or one-hot rows of shape {out.shape}; got shape {y.shape}"
                             + (" holding non-integers" if y.shape == lead else "") + ".")
        if y.min() < 0:
            raise ValueError(f"{who}: one-hot or probability targets must be >= 0; got a "
                             f"minimum of {y.min():g}.")
        return y

    def _check_labels(self, who, labels, lead, C):
        n = "x".join(map(str, lead))
        used = labels != self.ignore_index if self.ignore_index is not None else \
            np.ones(labels.shape, bool)
        bad = used & ((labels < 0) | (labels >= C))
        if labels.shape != lead or bad.any():
            values = (f" with values from {labels.min()} to {labels.max()}" if labels.size
                      else "")
            first = (f"; the first out of range is {labels[tuple(np.argwhere(bad)[0])]} at "
                     f"{tuple(int(i) for i in np.argwhere(bad)[0])}" if bad.any() else "")
            ignore = ("" if self.ignore_index is None else
                      f", or {self.ignore_index} (ignore_index) for a position to leave out")
            raise ValueError(f"{who}: class labels must be {n} integers in [0, {C}){ignore}; "
                             f"got shape {labels.shape}{values}{first}. Pass one label per "
                             f"row of the output (its shape without the last axis {C}).")
        if self.reduction == "mean" and labels.size and not used.any():
            raise ValueError(f"{who}: every label equals ignore_index ({self.ignore_index}), "
                             f"so the mean is over no position. Keep at least one position, "
                             f"or use reduction='sum'.")
        return labels

    def _rows(self, out, y):
        """``(rows, labels, M)``: the counted rows of ``out.reshape(-1, C)``, their labels,
        and :math:`M` of the mean; ``rows`` is None for one-hot or probability targets."""
        if not np.issubdtype(y.dtype, np.integer):
            return None, None, (y.size // y.shape[-1] if self.reduction == "mean" else 1)
        lab = y.ravel()
        rows = (np.arange(lab.size) if self.ignore_index is None
                else np.flatnonzero(lab != self.ignore_index))
        return rows, lab[rows], (rows.size if self.reduction == "mean" else 1)

    def _forward(self, p, y):
        rows, lab, M = self._rows(p, y)
        with np.errstate(divide="ignore"):
            if rows is None:
                log_p = np.maximum(np.log(p), _LOG_FLOOR)
                return float(-(y * log_p).sum() / M), (p, y, rows, lab, M)
            picked = p.reshape(-1, p.shape[-1])[rows, lab]
            value = -np.maximum(np.log(picked), _LOG_FLOOR).sum() / M
        return float(value), (p, picked, rows, lab, M)

    def _backward(self, cache):
        r""":math:`\bar p = -\frac{y}{p}\frac1M`: divides by a probability."""
        p, y, rows, lab, M = cache
        if rows is None:
            return -y / np.maximum(p, _EPS) / M
        dp = np.zeros_like(p)
        dp.reshape(-1, p.shape[-1])[rows, lab] = -1.0 / np.maximum(y, _EPS) / M
        return dp


class SoftmaxCrossEntropyLoss(CategoricalCrossEntropyLoss):
    r"""Softmax and cross-entropy in one, on logits ``z: (N, C)`` or, per token,
    ``z: (N, T, C)`` (PyTorch's ``CrossEntropyLoss``, ``ignore_index`` included; targets as
    :class:`CategoricalCrossEntropyLoss`). With the log-sum-exp written around the row
    maximum :math:`m_r`,

    .. math:: \log p_{rc} = z_{rc} - m_r - \log\textstyle\sum_k e^{z_{rk} - m_r},

    no exponent is positive, so nothing overflows and no log of 0 is taken.
    """

    def _forward(self, z, y):
        rows, lab, M = self._rows(z, y)
        shifted = z - z.max(axis=-1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        if rows is None:
            return float(-(y * log_p).sum() / M), (np.exp(log_p), y, rows, lab, M)
        value = -log_p.reshape(-1, z.shape[-1])[rows, lab].sum() / M
        return float(value), (np.exp(log_p), y, rows, lab, M)

    def _backward(self, cache):
        r""":math:`\bar z = (p - y)/M` for rows :math:`y` (one-hot or probabilities; for
        these, :math:`p\sum_c y_c - y`); for labels, :math:`p` with 1 subtracted at each
        label, and 0 on the rows left out (``ignore_index``)."""
        p, y, rows, lab, M = cache
        if rows is None:
            return (p * y.sum(axis=-1, keepdims=True) - y) / M
        dz = p.reshape(-1, p.shape[-1]).copy()
        dz[rows, lab] -= 1.0
        if rows.size != dz.shape[0]:
            dz[y.ravel() == self.ignore_index] = 0.0
        dz /= M
        return dz.reshape(p.shape)
