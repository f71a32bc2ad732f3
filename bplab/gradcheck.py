r"""Gradient checking by central finite differences, and a diagnosis of what is wrong.

.. math::

    \frac{\partial C}{\partial \theta_i} \approx
    \frac{C(\theta + h e_i) - C(\theta - h e_i)}{2h}

with error :math:`O(h^2)`. Each parameter array is compared as a whole by the relative error
:math:`\lVert g - \hat g\rVert / (\lVert g\rVert + \lVert \hat g\rVert)`. Below the
resolution of finite differences — the loss's rounding error over :math:`h`, which matters
when a gradient is tiny (small inputs, saturated units) — a relative error means nothing,
so a difference smaller than that absolute floor counts as agreement. An array that
disagrees gets a diagnosis naming the bug: a wrong or broadcast shape, a transposed matrix,
a flipped sign, a constant factor (a missing 1/m or 2), a missing activation derivative, or
an activation derivative evaluated at :math:`a` instead of :math:`z` (see the chapter
"Gradient checking").
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from bplab import _validation as v
from bplab._gradcheck_support import (RESOLUTION, as_gradient, bug_references, clamped_only,
                                      loss_rounding, split_grads, within_resolution)
from bplab._model import MLPModel, as_model, deterministic, named_grads

__all__ = ["numerical_gradient", "relative_error", "diagnose", "gradcheck",
           "ArrayCheck", "GradcheckReport"]

_NO_PATTERN = "disagrees (no single simple pattern: check each term of this layer)"
_RESOLUTION = RESOLUTION
_UNRESOLVED = "cannot be checked"


def numerical_gradient(f, x: np.ndarray, h: float = 1e-5, *, order: int = 2) -> np.ndarray:
    r"""Central-difference gradient of the scalar function ``f()`` with respect to the array
    ``x``, which ``f`` reads and which is perturbed in place (and restored) entry by entry.

    ``order=2``: the central difference :math:`D(h) = (f(x+h) - f(x-h)) / 2h`, error
    :math:`O(h^2)`. ``order=4``: Richardson's extrapolation :math:`(4D(h/2) - D(h)) / 3`,
    which cancels the :math:`h^2` term (error :math:`O(h^4)`), so a larger ``h`` can be used
    and the rounding error, about :math:`\epsilon |f| / h`, shrinks with it.

    ``x`` must be a float array (an integer one cannot hold ``x + h``: convert it with
    ``x.astype(float)`` and let ``f`` read the converted array), and ``f`` must return a
    finite number near ``x``.
    """
    v.check_numerical_args(f, x, h, order)
    v.loss_value(f, "at x")
    grad = np.zeros(x.shape, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]

        def central(step):
            try:
                x[i] = old + step
                plus = v.loss_value(f, f"with x[{i}] + {step:g}")
                x[i] = old - step
                minus = v.loss_value(f, f"with x[{i}] - {step:g}")
            finally:
                x[i] = old
            return (plus - minus) / (2.0 * step)

        grad[i] = central(h) if order == 2 else (4.0 * central(h / 2) - central(h)) / 3.0
    return grad


def relative_error(a, b) -> float:
    r""":math:`\lVert a - b\rVert / (\lVert a\rVert + \lVert b\rVert)`, and 0 when both are 0.

    ``a`` and ``b`` must have the same shape (numpy would broadcast them into a wrong number).
    """
    a, b = v.as_float_array("a", a), v.as_float_array("b", b)
    v.same_shape("a", a, "b", b)
    a, b = a.astype(np.float64, copy=False), b.astype(np.float64, copy=False)
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


def _shape_diagnosis(a: np.ndarray, n: np.ndarray, tol: float) -> str:
    if a.shape == n.shape[::-1] and a.ndim == 2:
        if relative_error(a.T, n) < tol:
            return f"transposed: shape {a.shape} where {n.shape} is expected"
        return f"wrong shape {a.shape}, expected {n.shape} (transposed, and wrong values)"
    if a.size == n.size and relative_error(a.reshape(n.shape), n) < tol:
        matrix = (f": an array of shape {a.shape} meeting one of shape {n.shape} broadcasts "
                  f"to shape {np.broadcast_shapes(a.shape, n.shape)}"
                  if a.ndim == 1 and n.ndim == 2 and n.shape[1] == 1 and a.size > 1 else "")
        return (f"shape broadcast gone wrong: right values in shape {a.shape}, expected "
                f"{n.shape} (use keepdims=True in the sum, or reshape(-1, 1){matrix})")
    if (a.ndim == 2 and n.ndim == 2 and a.shape[0] == n.shape[0] and n.shape[1] == 1
            and a.shape[1] > 1
            and relative_error(a.sum(axis=1, keepdims=True), n) < tol):
        return (f"shape broadcast gone wrong: shape {a.shape} is not summed over the "
                f"{a.shape[1]} samples (use delta.sum(axis=1, keepdims=True))")
    try:
        np.broadcast_shapes(a.shape, n.shape)
    except ValueError:
        return f"wrong shape {a.shape}, expected {n.shape}"
    return (f"shape broadcast gone wrong: got shape {a.shape}, expected {n.shape} "
            f"(check the keepdims of a sum, or a (n,) vector meeting an (n, 1) one)")


def diagnose(analytic, numeric, tol: float = 1e-5, *, references=None) -> str:
    """Name what is wrong with ``analytic`` given the trusted ``numeric`` gradient.

    Recognises, without context: a wrong shape (transposed, flattened, not summed over the
    samples, or broadcast to another shape), a flipped sign, a constant factor (a missing
    1/m or 2), a transposed square matrix, an all-zero gradient, NaN or inf entries.

    Parameters
    ----------
    analytic, numeric : array-like
        The gradient to judge and the trusted (finite-difference) one.
    tol : float
        Largest relative error that counts as a match.
    references : dict of str to ndarray, optional
        Named gradients of known bugs (e.g. the gradient with one activation derivative left
        out, as :func:`gradcheck` computes them). If ``analytic`` matches one, its name is
        the diagnosis.

    Returns
    -------
    str
        ``"agrees"`` when the two agree to ``tol``; otherwise a short description.
    """
    v.check_tol(tol)
    if references is not None and not isinstance(references, dict):
        raise TypeError(f"references must be a dict mapping a bug's name to its gradient; got "
                        f"{type(references).__name__}.")
    n = v.as_float_array("numeric", numeric).astype(np.float64, copy=False)
    if not np.all(np.isfinite(n)):
        raise ValueError("numeric (the trusted finite-difference gradient) contains NaN or "
                         "inf: compute it where the loss is finite.")
    a, problem = as_gradient(analytic, "analytic")
    if problem is not None:
        return problem
    if not np.all(np.isfinite(a)):
        bad = int(np.sum(~np.isfinite(a)))
        return (f"contains NaN or inf ({bad} of {a.size} entries): an overflow (exp of a "
                f"large number?) or a division by zero upstream")
    if a.shape != n.shape:
        return _shape_diagnosis(a, n, tol)
    if relative_error(a, n) < tol:
        return "agrees"
    for name, ref in (references or {}).items():
        ref = np.asarray(ref, dtype=np.float64)
        if ref.shape == a.shape and relative_error(ref, n) >= tol \
                and relative_error(a, ref) < tol:
            return name
    if not np.any(a) and np.any(n):
        return "analytic gradient is all zeros"
    if relative_error(-a, n) < tol:
        return "sign flipped"
    nn = float(np.sum(n * n))
    if nn > 0:
        c = float(np.sum(a * n) / nn)
        hint = _factor_hint(c)
        # A one-entry array is always "a constant times" the truth, and a factor within
        # 1e-3 of 1 is noise or a tiny error, not a factor bug: name only meaningful factors.
        if c != 0 and relative_error(a, c * n) < tol and abs(c - 1) > 1e-3 \
                and (a.size > 1 or hint):
            return f"off by a constant factor {c:.6g}{hint}"
    if a.ndim == 2 and a.shape[0] == a.shape[1] and relative_error(a.T, n) < tol:
        return "transposed (a square matrix, so the shapes still match)"
    return _NO_PATTERN


@dataclass
class ArrayCheck:
    """The comparison of one parameter array's gradient. ``resolution`` is the smallest
    difference (in norm) that the finite differences could resolve: the loss's rounding
    error over ``h``."""

    name: str
    analytic: np.ndarray
    numeric: np.ndarray
    rel_error: float
    ok: bool
    diagnosis: str
    resolution: float = 0.0


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
            if not c.ok and c.diagnosis.startswith(_UNRESOLVED):
                verdict = f"UNRESOLVED: {c.diagnosis}"
            shape = "x".join(map(str, c.numeric.shape))
            lines.append(f"{c.name:<8} {shape:<10} {c.rel_error:>11.2e}  {verdict}")
        summary = "all gradients agree" if self.ok else \
            f"{len(self.failing)} array(s) disagree: {', '.join(self.failing)}"
        coarse = [c.name for c in self.checks if c.ok and _RESOLUTION in c.diagnosis]
        extra = f"; {', '.join(coarse)} only to within {_RESOLUTION}" if coarse else ""
        lines.append(f"{summary} (tolerance {self.tol:.0e}{extra})")
        return "\n".join(lines)

    __repr__ = __str__


def gradcheck(net, X, Y, *, grads=None, h: float = 1e-3, order: int = 4,
              tol: float = 1e-7) -> GradcheckReport:
    """Compare a network's gradients with central finite differences of its loss.

    Parameters
    ----------
    net : MLP or Sequential
        The network; its parameters are perturbed in place and restored. A ``Sequential``
        needs a ``loss``, and no dropout in training mode (call ``eval()``).
    X, Y : array-like of shape (n_in, m), (n_out, m)
        For a ``Sequential``, batch first, as :func:`bplab.train` takes them.
    grads : tuple (dW, db), optional
        Gradients to check (e.g. from your own backward pass): ``dW[l]`` shaped like
        ``net.weights[l]``, ``db[l]`` like ``net.biases[l]``. Default: ``net.gradients``.
        For a ``Sequential``, a dict keyed as ``net.parameters()`` (``"0.W"``, ...).
        A missing (``None``), non-numeric or misshapen array is reported, not raised.
    h, order : float, int
        Finite-difference step and order (see :func:`numerical_gradient`). The default,
        fourth-order central differences with ``h = 1e-3``, resolves gradients to about
        ``1e-9`` relative error in float64 even where they are tiny; ``order=2`` with
        ``h = 1e-5`` is the plain textbook check. Keep every pre-activation further than
        ``h`` from a kink of relu or step, where no finite difference is meaningful.
    tol : float
        Largest relative error that counts as agreement.

    Returns
    -------
    GradcheckReport
        One :class:`ArrayCheck` per parameter array, each with a ``diagnosis``.
    """
    net = _check_model(net)
    v.check_step(h, order)
    tol = v.check_tol(tol)
    model = as_model(deterministic(net))
    X, Y = model.check(X, Y)
    with np.errstate(over="ignore", invalid="ignore"):     # overflow is detected, not warned
        return _compare(net, model, X, Y, grads, h, order, tol)


def _compare(net, model, X, Y, grads, h, order, tol) -> GradcheckReport:
    v.check_finite_result("loss", model.loss(X, Y), X)
    if grads is None:
        analytic = model.gradients(X, Y)                  # X and Y are checked above
    elif isinstance(model, MLPModel):
        analytic = [g for pair in zip(*split_grads(grads, net.n_layers)) for g in pair]
    else:
        analytic = named_grads(grads, model.parameters())

    def loss():
        return model.loss(X, Y)

    report = GradcheckReport(tol=tol)
    # a finite difference is uncertain by about (rounding error of the loss) / h per entry:
    # 1x for order 2, 3x for order 4 (4/3 of D(h/2) plus 1/3 of D(h)); twice that, as margin
    per_entry = 2.0 * (1 if order == 2 else 3) * loss_rounding(net, X, Y) / h
    rows, coarse, unresolved = [], {}, {}
    for (name, param), g in zip(model.parameters(), analytic):
        numeric = numerical_gradient(loss, param, h, order=order)
        arr, problem = as_gradient(g, name)
        resolution = per_entry * math.sqrt(numeric.size)
        if problem is None and arr.shape == numeric.shape and np.all(np.isfinite(arr)):
            err = relative_error(arr, numeric)
            if not err < tol:
                verdict = within_resolution(net, arr, numeric, resolution)
                if verdict is None:     # too far apart: is it the truncation error of h?
                    finer = numerical_gradient(loss, param, h / 10, order=order)
                    if relative_error(arr, finer) < tol:
                        coarse[name] = (f"agrees at h = {h / 10:g} (at h = {h:g} the "
                                        f"finite differences' truncation error was above "
                                        f"the tolerance)")
                        numeric, err = finer, relative_error(arr, finer)
                elif verdict[0]:
                    coarse[name] = verdict[1]
                else:
                    unresolved[name] = verdict[1]
        else:
            err = float("inf")
        rows.append((name, arr, numeric, err, problem, resolution))

    failing = [i for i, r in enumerate(rows) if not r[3] < tol and r[4] is None
               and r[0] not in coarse]
    for i in clamped_only(net, X, Y, [r[1] for r in rows], [r[2] for r in rows], failing,
                          tol, [r[5] for r in rows]):
        coarse[rows[i][0]] = (f"agrees, but for the saturated outputs (A(1 - A) < 1e-12), "
                              f"where the cross-entropy's gradient is clamped as PyTorch's "
                              f"BCELoss clamps it (see bplab.losses)")
    failing = [i for i in failing if rows[i][0] not in coarse]
    refs = []
    if grads is not None and failing and isinstance(model, MLPModel):
        # A bug explains an array if the array equals that bug's gradient (and the bug's
        # gradient differs from the true one). Prefer the bug that explains the most arrays.
        try:
            refs = bug_references(net, X, Y)
        except Exception:   # the diagnosis is best effort: never let it break the check
            refs = []
        score = [sum(rows[i][1].shape == r[i].shape and relative_error(rows[i][1], r[i])
                     < 1e-6 for i in failing) for _, r in refs]
        refs = [refs[j] for j in sorted(range(len(refs)), key=lambda j: -score[j])]
    for i, (name, arr, numeric, err, problem, resolution) in enumerate(rows):
        ok = err < tol or (problem is None and name in coarse)
        if problem is not None:
            verdict = problem
        elif name in coarse:
            verdict = coarse[name]
        elif name in unresolved:
            verdict = unresolved[name]
        elif ok:
            verdict = "agrees"
        else:
            verdict = diagnose(arr, numeric, references={n: r[i] for n, r in refs})
            if verdict == "agrees":
                verdict = (f"close ({err:.1e}) but above the tolerance: finite-difference "
                           f"noise (try another h or order, or float64) or a tiny real error")
            elif getattr(net, "dtype", None) == np.float32 and (
                    verdict == _NO_PATTERN or (verdict.startswith("off by a constant factor")
                                               and " — " not in verdict)):
                verdict = (f"disagrees by {err:.1e}, but this network is float32, whose "
                           f"rounding swamps finite differences: check a float64 copy of it")
        report.checks.append(ArrayCheck(name, arr if arr is not None else np.asarray(np.nan),
                                        numeric, err, ok, verdict, resolution))
    return report


def _check_model(net):
    """The model check at gradcheck's boundary (see :func:`bplab._validation.check_model`)."""
    return v.check_model_and_parameters(net, "gradcheck")
