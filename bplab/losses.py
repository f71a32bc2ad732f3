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

from bplab._validation import check_choice

__all__ = ["Loss", "LOSSES", "get_loss", "mse", "mse_grad", "half_sse", "half_sse_grad",
           "cross_entropy", "cross_entropy_grad"]


def mse(A, Y):
    r"""Mean squared error :math:`C = \frac{1}{N}\sum_{ij}(A_{ij} - Y_{ij})^2`, N = ``A.size``."""
    d = A - Y
    return float((d * d).sum() / d.size)      # = np.mean((A - Y)**2), with less overhead


def mse_grad(A, Y):
    r""":math:`\partial C/\partial A = 2(A - Y)/N`."""
    return 2.0 * (A - Y) / A.size


def half_sse(A, Y):
    r"""Half the sum of squared errors :math:`C = \frac12\sum_{ij}(A_{ij} - Y_{ij})^2`."""
    return float(0.5 * np.sum((A - Y) ** 2))


def half_sse_grad(A, Y):
    r""":math:`\partial C/\partial A = A - Y`."""
    return A - Y


# PyTorch's BCELoss clamps each log at -100 and each denominator at 1e-12; so do we, so
# that the two agree even at saturated outputs.
_LOG_FLOOR = -100.0
_EPS = 1e-12


def cross_entropy(A, Y):
    r"""Binary cross-entropy :math:`C = -\frac1N\sum_{ij}\big[Y\log A + (1-Y)\log(1-A)\big]`.

    Needs ``0 <= A <= 1`` (a sigmoid output). Logs are clamped at -100, as in PyTorch.
    """
    with np.errstate(divide="ignore"):
        log_a = np.maximum(np.log(A), _LOG_FLOOR)
        log_1a = np.maximum(np.log(1.0 - A), _LOG_FLOOR)
    return float(-np.mean(Y * log_a + (1.0 - Y) * log_1a))


def cross_entropy_grad(A, Y):
    r""":math:`\partial C/\partial A = \frac{A - Y}{A(1 - A)} / N`."""
    return (A - Y) / np.maximum(A * (1.0 - A), _EPS) / A.size


@dataclass(frozen=True)
class Loss:
    """A loss with its gradient with respect to the network output."""

    name: str
    fn: Callable
    grad: Callable

    def __call__(self, A, Y):
        return self.fn(A, Y)


LOSSES = {
    "mse": Loss("mse", mse, mse_grad),
    "half_sse": Loss("half_sse", half_sse, half_sse_grad),
    "cross_entropy": Loss("cross_entropy", cross_entropy, cross_entropy_grad),
}


def get_loss(name) -> Loss:
    """Look up a loss by name (``"mse"``, ``"half_sse"``, ``"cross_entropy"``)."""
    if isinstance(name, Loss):
        return name
    return LOSSES[check_choice("loss", name, LOSSES)]
