r"""Gradient checking by central finite differences.

.. math::

    \frac{\partial C}{\partial \theta_i} \approx
    \frac{C(\theta + h e_i) - C(\theta - h e_i)}{2h}

with error :math:`O(h^2)`. Each parameter array is compared as a whole by the relative error
:math:`\lVert g - \hat g\rVert / (\lVert g\rVert + \lVert \hat g\rVert)`, and an array that
disagrees gets a diagnosis of what is wrong with it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["numerical_gradient", "relative_error", "diagnose", "gradcheck",
           "ArrayCheck", "GradcheckReport"]


def numerical_gradient(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of the scalar function ``f()`` with respect to the array
    ``x``, which ``f`` reads and which is perturbed in place (and restored) entry by entry."""
    grad = np.zeros(x.shape, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f()
        x[i] = old - h
        minus = f()
        x[i] = old
        grad[i] = (plus - minus) / (2.0 * h)
    return grad


def relative_error(a, b) -> float:
    r""":math:`\lVert a - b\rVert / (\lVert a\rVert + \lVert b\rVert)`, and 0 when both are 0."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def _factor_hint(c: float) -> str:
    for value, text in ((2.0, "a missing 1/2 or an extra 2"), (0.5, "a missing factor 2 "
                        "(e.g. the 2 of d/dA (A - Y)^2)")):
        if abs(c - value) < 1e-3 * value:
            return f" — {text}"
    if c > 1 and abs(c - round(c)) < 1e-6:
        return f" — a missing 1/m or 1/N (is {round(c)} your batch or output size?)"
    if 0 < c < 1 and abs(1 / c - round(1 / c)) < 1e-6:
        return f" — an extra 1/m or 1/N (is {round(1 / c)} your batch or output size?)"
    return ""


def diagnose(analytic, numeric, tol: float = 1e-5) -> str:
    """Name what is wrong with ``analytic`` given the trusted ``numeric`` gradient.

    Recognises: a wrong shape (transposed, or broadcast to another shape), a flipped sign,
    a constant factor (a missing 1/m or 2), a transposed square matrix, an all-zero gradient.
    Returns ``"agrees"`` when the two agree to ``tol``.
    """
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        if a.shape == n.shape[::-1]:
            if relative_error(a.T, n) < tol:
                return f"transposed: shape {a.shape} where {n.shape} is expected"
            return f"wrong shape {a.shape}, expected {n.shape} (transposed, and wrong values)"
        return (f"shape broadcast gone wrong: got shape {a.shape}, expected {n.shape} "
                f"(check the keepdims of a sum, or a (n,) vector meeting an (n, 1) one)")
    if relative_error(a, n) < tol:
        return "agrees"
    if not np.any(a) and np.any(n):
        return "analytic gradient is all zeros"
    if relative_error(-a, n) < tol:
        return "sign flipped"
    nn = float(np.sum(n * n))
    if nn > 0:
        c = float(np.sum(a * n) / nn)
        if c != 0 and relative_error(a, c * n) < tol:
            return f"off by a constant factor {c:.6g}{_factor_hint(c)}"
    if a.ndim == 2 and a.shape[0] == a.shape[1] and relative_error(a.T, n) < tol:
        return "transposed (a square matrix, so the shapes still match)"
    return "disagrees (no single simple pattern: check each term of this layer)"


@dataclass
class ArrayCheck:
    """The comparison of one parameter array's gradient."""

    name: str
    analytic: np.ndarray
    numeric: np.ndarray
    rel_error: float
    ok: bool
    diagnosis: str


@dataclass
class GradcheckReport:
    """Per-array results of :func:`gradcheck`; ``str(report)`` is a readable table."""

    checks: list = field(default_factory=list)
    tol: float = 1e-7

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def max_rel_error(self) -> float:
        return max(c.rel_error for c in self.checks)

    @property
    def failing(self) -> list:
        """Names of the arrays whose gradients disagree."""
        return [c.name for c in self.checks if not c.ok]

    def __getitem__(self, name) -> ArrayCheck:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"no parameter array named {name!r}; have "
                       f"{[c.name for c in self.checks]}")

    def __str__(self):
        lines = [f"{'array':<8} {'shape':<10} {'rel. error':>11}  verdict"]
        for c in self.checks:
            verdict = "ok" if c.ok else f"DISAGREES: {c.diagnosis}"
            shape = "x".join(map(str, c.numeric.shape))
            lines.append(f"{c.name:<8} {shape:<10} {c.rel_error:>11.2e}  {verdict}")
        summary = "all gradients agree" if self.ok else \
            f"{len(self.failing)} array(s) disagree: {', '.join(self.failing)}"
        lines.append(f"{summary} (tolerance {self.tol:.0e})")
        return "\n".join(lines)

    __repr__ = __str__


def gradcheck(net, X, Y, *, grads=None, h: float = 1e-5, tol: float = 1e-7) -> GradcheckReport:
    """Compare a network's gradients with central finite differences of its loss.

    Parameters
    ----------
    net : MLP
        The network; its parameters are perturbed in place and restored.
    X, Y : array-like of shape (n_in, m), (n_out, m)
    grads : tuple (dW, db), optional
        Gradients to check (e.g. from your own backward pass). Default: ``net.gradients``.
    h : float
        Finite-difference step.
    tol : float
        Largest relative error that counts as agreement.
    """
    X = net._check_X(X)
    Y = net._check_Y(Y, X.shape[1])
    if grads is None:
        _, dW, db = net.gradients(X, Y)
    else:
        dW, db = grads

    def loss():
        return net.loss_fn.fn(net._forward(X)[0], Y)

    report = GradcheckReport(tol=tol)
    analytic = [g for pair in zip(dW, db) for g in pair]
    for (name, param), g in zip(net.parameters(), analytic):
        numeric = numerical_gradient(loss, param, h)
        g = np.asarray(g)
        err = relative_error(g, numeric) if g.shape == numeric.shape else float("inf")
        ok = err < tol
        verdict = "agrees" if ok else diagnose(g, numeric)
        if verdict == "agrees" and not ok:
            verdict = (f"close ({err:.1e}) but above the tolerance: finite-difference noise "
                       f"(try another h, or float64) or a tiny real error")
        report.checks.append(ArrayCheck(name, g, numeric, err, ok, verdict))
    return report
