r"""Loss functions, each next to its gradient with respect to the output ``A``.

``A`` and ``Y`` have shape ``(n_out, m)``: one column per sample.

========================  =============================================  =========================
name                      loss :math:`C`                                 gradient :math:`\partial C/\partial A`
========================  =============================================  =========================
``"mse"``                 ``np.mean((A - Y)**2)`` (PyTorch's MSELoss)    ``2 (A - Y) / A.size``
``"half_sse"``            ``0.5 * np.sum((A - Y)**2)`` (the 2-2-2 net)   ``A - Y``
``"cross_entropy"``       binary cross-entropy, mean over all entries    ``(A - Y) / (A (1 - A)) / A.size``
                          (PyTorch's BCELoss)
========================  =============================================  =========================
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from bplab import _validation as v
from bplab._validation import check_choice

__all__ = ["Loss", "LOSSES", "get_loss", "mse", "mse_grad", "half_sse", "half_sse_grad",
           "cross_entropy", "cross_entropy_grad"]


def _checked(A, Y, unit=False):
    """The public functions' boundary: ``A`` and ``Y`` real arrays of the same shape (lists
    and integer arrays are converted), in [0, 1] for the cross-entropy."""
    A, Y = v.as_float_array("A", A), v.as_float_array("Y", Y)
    v.same_shape("A", A, "Y", Y)
    if A.size == 0:
        raise ValueError(f"A and Y are empty (shape {A.shape}); a loss needs at least one "
                         f"output.")
    if unit:
        for name, arr in (("A", A), ("Y", Y)):
            if not (np.all(arr >= 0) and np.all(arr <= 1)):
                raise ValueError(f"the cross-entropy needs {name} in [0, 1] (probabilities, "
                                 f"e.g. a sigmoid output); got values from {np.nanmin(arr):g} "
                                 f"to {np.nanmax(arr):g}. Use mse for other values.")
    return A, Y


def _mse(A, Y):
    d = A - Y
    return float((d * d).sum() / d.size)      # = np.mean((A - Y)**2), with less overhead


def _mse_grad(A, Y):
    return 2.0 * (A - Y) / A.size


def mse(A, Y):
    r"""Mean squared error :math:`C = \frac{1}{N}\sum_{ij}(A_{ij} - Y_{ij})^2`, N = ``A.size``."""
    return _mse(*_checked(A, Y))


def mse_grad(A, Y):
    r""":math:`\partial C/\partial A = 2(A - Y)/N`."""
    return _mse_grad(*_checked(A, Y))


def _half_sse(A, Y):
    return float(0.5 * np.sum((A - Y) ** 2))


def _half_sse_grad(A, Y):
    return A - Y


def half_sse(A, Y):
    r"""Half the sum of squared errors :math:`C = \frac12\sum_{ij}(A_{ij} - Y_{ij})^2`."""
    return _half_sse(*_checked(A, Y))


def half_sse_grad(A, Y):
    r""":math:`\partial C/\partial A = A - Y`."""
    return _half_sse_grad(*_checked(A, Y))


# PyTorch's BCELoss clamps each log at -100 and each denominator at 1e-12; so do we, so
# that the two agree even at saturated outputs.
_LOG_FLOOR = -100.0
_EPS = 1e-12


def _cross_entropy(A, Y):
    with np.errstate(divide="ignore"):
        log_a = np.maximum(np.log(A), _LOG_FLOOR)
        log_1a = np.maximum(np.log(1.0 - A), _LOG_FLOOR)
    return float(-np.mean(Y * log_a + (1.0 - Y) * log_1a))


def _cross_entropy_grad(A, Y):
    return (A - Y) / np.maximum(A * (1.0 - A), _EPS) / A.size


def cross_entropy(A, Y):
    r"""Binary cross-entropy :math:`C = -\frac1N\sum_{ij}\big[Y\log A + (1-Y)\log(1-A)\big]`.

    Needs ``0 <= A <= 1`` (a sigmoid output). Logs are clamped at -100, as in PyTorch.
    """
    return _cross_entropy(*_checked(A, Y, unit=True))


def cross_entropy_grad(A, Y):
    r""":math:`\partial C/\partial A = \frac{A - Y}{A(1 - A)} / N`."""
    return _cross_entropy_grad(*_checked(A, Y, unit=True))


@dataclass(frozen=True)
class Loss:
    """A loss with its gradient with respect to the network output."""

    name: str
    fn: Callable
    grad: Callable
    reduction: str = "mean"     # "mean" over the entries, or "sum" (half_sse)

    def __call__(self, A, Y):
        return self.fn(A, Y)


LOSSES = {
    # the unchecked forms: the network has checked A and Y once, at its public boundary
    "mse": Loss("mse", _mse, _mse_grad),
    "half_sse": Loss("half_sse", _half_sse, _half_sse_grad, reduction="sum"),
    "cross_entropy": Loss("cross_entropy", _cross_entropy, _cross_entropy_grad),
}


def get_loss(name) -> Loss:
    """Look up a loss by name (``"mse"``, ``"half_sse"``, ``"cross_entropy"``)."""
    if isinstance(name, Loss):
        return name
    return LOSSES[check_choice("loss", name, LOSSES)]
