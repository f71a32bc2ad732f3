"""Checks for exercises 7 (shapes, fan-out, log-sum-exp, softmax) and, from
:mod:`bplab.grading.checks_ex1_health`, 8 (initialisation, clipping, Adam).

Each check states in its docstring the function it calls; the tasks in
``book/exercises/07_shapes_softmax.ipynb`` and ``08_health_optim.ipynb`` state every
requirement checked here, the hidden ones (``extra=True``) included.
"""
from __future__ import annotations

import numpy as np

from bplab.grading import _references_ex1 as ref
from bplab.grading._checking import CheckFailed, call, compare, describe, fresh_rng, passed
from bplab.grading.checks_ex1_health import (check_adam_step, check_clip_grad_norm,
                                             check_init_std)

__all__ = ["check_broadcast_add_backward", "check_fanout_backward", "check_logsumexp",
           "check_softmax_ce_backward", "check_init_std", "check_clip_grad_norm",
           "check_adam_step"]


def _pair(out, name, what):
    if not isinstance(out, tuple) or len(out) != 2:
        raise CheckFailed(f"{name} should return a pair {what}; got {describe(out)}")
    return out


def _axes(axis, ndim):
    return tuple(sorted(a % ndim for a in (axis if isinstance(axis, tuple) else (axis,))))


def _kept(shape, axes):
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def _shape_of(value):
    return value.shape if isinstance(value, np.ndarray) else None


def _reduction_hint(got, shape, axes, what, seed, why=""):
    """A message for a reduction of an array of ``shape`` that came back in the wrong shape:
    the summed axes dropped (no keepdims), nothing summed, or the wrong axis summed."""
    if got is None or got == _kept(shape, axes):
        return
    where = f" (random seed {seed})"
    dropped = tuple(s for i, s in enumerate(shape) if i not in axes)
    if got == dropped:
        raise CheckFailed(f"{what} has shape {got}, expected {_kept(shape, axes)}: the sum "
                          f"dropped the axis it ran over; keep it with keepdims=True{why}"
                          f"{where}")
    if got == tuple(shape):
        raise CheckFailed(f"{what} has the shape {got} of the incoming array: nothing was "
                          f"summed; the backward of a broadcast sums over the broadcast "
                          f"axis{where}")
    for other in range(len(shape)):
        if (other,) != axes and got == _kept(shape, (other,)):
            raise CheckFailed(f"{what} has shape {got}: it runs over axis {other}, but the "
                              f"axis asked for is {axes[0] if len(axes) == 1 else axes} "
                              f"(use the argument `axis`, not a fixed number){where}")


# -- 7a: the backward of a broadcast add ---------------------------------------------------
def check_broadcast_add_backward(broadcast_add_backward, *, extra=False, seed=None):
    """``dX, db = broadcast_add_backward(dY, axis)`` for ``Y = X + b``, ``b`` broadcast
    along ``axis`` (an int; with ``extra``, also negative ints and tuples of ints)."""
    rng, seed = fresh_rng(seed)
    n, m, k = (int(v) for v in rng.choice(np.arange(2, 8), 3, replace=False))
    cases = [((n, m), 1), ((m, n), 0), ((n, m, k), 1), ((k, n, m), 2)]
    if extra:
        cases += [((n, m, k), -1), ((m, k), -2), ((k, m, n), (0, 1)), ((n,), 0)]
    for shape, axis in cases:
        dY = rng.normal(0, 1, shape)
        what = f"for dY of shape {shape}, axis={axis}"
        out = _pair(call(broadcast_add_backward, dY, axis, name="broadcast_add_backward",
                         arg_names=["dY", "axis"], seed=seed), "broadcast_add_backward",
                    "(dX, db)")
        dX, db = out
        axes = _axes(axis, dY.ndim)
        compare(dX, dY, f"dX {what} (Y = X + b passes dY to X unchanged)", tol=0, seed=seed)
        _reduction_hint(_shape_of(db), shape, axes, f"db {what}", seed,
                        " (without it, an update such as b - lr * db broadcasts into the "
                        "wrong shape)")
        count = int(np.prod([shape[a] for a in axes]))
        want = dY.sum(axis=axes, keepdims=True)
        compare(db, want, f"db {what}", tol=1e-12, seed=seed, gradient=True, suspects=[
            (f"it is the mean over the broadcast axis, the sum divided by {count}: b was "
             f"used {count} times in the forward pass, and its gradients add (a sum, not a "
             f"mean)", want / count)])
    passed("broadcast-add-backward", len(cases))


# -- 7b: a value used twice ----------------------------------------------------------------
def check_fanout_backward(residual_backward, *, extra=False, seed=None):
    """``dx, dW = residual_backward(dY, x, W)`` for ``y = W tanh(W x) + x``."""
    rng, seed = fresh_rng(seed)
    n_cases = 6 if extra else 3
    for _ in range(n_cases):
        n, m = int(rng.integers(2, 7)), int(rng.integers(1, 6))
        x, W = rng.normal(0, 1, (n, m)), rng.normal(0, 1.2 / np.sqrt(n), (n, n))
        dY = rng.normal(0, 1, (n, m))
        p = ref.tied_residual_paths(dY, x, W)
        what = f"(n = {n}, m = {m})"
        dx, dW = _pair(call(residual_backward, dY, x, W, name="residual_backward",
                            arg_names=["dY", "x", "W"], seed=seed), "residual_backward",
                       "(dx, dW)")
        plus = "add the paths' gradients (`+=`, not `=`)"
        compare(dx, p["skip"] + p["inner"], f"dx {what}", seed=seed, gradient=True, suspects=[
            (f"dx is only dY, the skip connection's path: x is used twice (in W x and in the "
             f"skip), so {plus}; the path through W x is missing", p["skip"]),
            (f"dx misses the skip connection's dY: x is used twice (in W x and in the skip), "
             f"so {plus}", p["inner"]),
            ("tanh'(W x) = 1 - tanh(W x)² is missing from the path through W x",
             p["skip"] + p["no_tanh_prime"][0])])
        compare(dW, p["outer"] + p["inner_W"], f"dW {what}", seed=seed, gradient=True,
                suspects=[
                    (f"dW has only the outer use's term dY h^T (h = tanh(W x)): W is used "
                     f"twice (tied), so {plus}; the inner use's term is missing",
                     p["outer"]),
                    (f"dW has only the inner use's term: W is used twice (tied), so {plus}; "
                     f"the outer use's term dY h^T (h = tanh(W x)) is missing", p["inner_W"]),
                    ("tanh'(W x) = 1 - tanh(W x)² is missing from the inner use's term",
                     p["outer"] + p["no_tanh_prime"][1])])
    passed("fan-out-backward", n_cases)


# -- 7c: a stable log-sum-exp --------------------------------------------------------------
def _lse(logsumexp, z, axis, what, seed, *, stage=""):
    try:
        got = call(logsumexp, z, axis, name="logsumexp", arg_names=["z", "axis"], seed=seed,
                   warnings_as_errors=True)
    except CheckFailed as exc:
        raise CheckFailed(f"{stage}{exc}") from None
    want = ref.logsumexp(z, axis)
    _reduction_hint(_shape_of(got), z.shape, _axes(axis, z.ndim), f"logsumexp(z, {axis}) "
                    f"{what}", seed, " (so that z - logsumexp(z, axis) broadcasts along the "
                    "right axis)")
    if isinstance(got, np.ndarray) and got.shape == want.shape and not np.all(np.isfinite(got)):
        raise CheckFailed(f"{stage}logsumexp(z, {axis}) {what} contains inf or -inf (random "
                          f"seed {seed})")
    M = np.max(z, axis=axis, keepdims=True)
    compare(got, want, f"logsumexp(z, {axis}) {what}", tol=1e-12, seed=seed, suspects=[
        ("the shift M = max(z) was subtracted but not added back: log Σ exp(z) = M + "
         "log Σ exp(z - M)", want - M)])


def check_logsumexp(logsumexp, *, extra=False, seed=None):
    """``logsumexp(z, axis)``: log Σ exp(z) along ``axis``, with keepdims, no warning and a
    finite result for any finite z (tested from -1000 to 1000)."""
    rng, seed = fresh_rng(seed)
    N, C = (int(v) for v in rng.choice(np.arange(2, 8), 2, replace=False))
    n = 0
    for shape, axis in [((N, C), 1), ((N, C), 0), ((C,), 0), ((2, N, C), -1)]:
        _lse(logsumexp, rng.normal(0, 3, shape), axis, f"for z of shape {shape}", seed)
        n += 1
    big = rng.uniform(500, 1000, (N, C))
    _lse(logsumexp, big, 1, "for z between 500 and 1000", seed,
         stage="logsumexp overflows for large z: exp(z) is inf above about 710, so subtract "
               "the largest z along the axis before exp (log-sum-exp): ")
    small = rng.uniform(-1000, -500, (N, C))
    _lse(logsumexp, small, 1, "for z between -1000 and -500", seed,
         stage="logsumexp fails for very negative z: every exp(z) underflows to 0 and log 0 "
               "is -inf, so subtract the largest z along the axis before exp: ")
    n += 2
    if extra:
        mixed = np.concatenate([rng.uniform(800, 1000, (1, C)), rng.uniform(-1000, -800, (1, C)),
                                rng.normal(0, 3, (N, C))])
        _lse(logsumexp, mixed, 1, "for rows near 1000, near -1000 and near 0", seed,
             stage="logsumexp fails when the rows have very different scales: take the max "
                   "along the axis, one per row (keepdims=True), not of the whole array: ")
        _lse(logsumexp, mixed.T.copy(), 0, "for columns near 1000, near -1000 and near 0",
             seed, stage="logsumexp fails along axis 0 when the columns have very different "
                         "scales: take the max along the axis asked for: ")
        n += 2
    passed("stable-logsumexp", n)


# -- 7d: the fused softmax + cross-entropy backward ----------------------------------------
def check_softmax_ce_backward(softmax_ce_backward, *, extra=False, seed=None):
    """``dZ = softmax_ce_backward(Z, labels)``: ``(softmax(Z) - Y) / N`` for logits ``Z``
    of shape (N, C) and integer labels of shape (N,), for any finite logits."""
    rng, seed = fresh_rng(seed)
    N, C = (int(v) for v in rng.choice(np.arange(2, 8), 2, replace=False))
    cases = [(N, C, 2.0), (C, N, 2.0), (1, C, 2.0), (N, C, 300.0)]
    if extra:
        cases += [(N, C, 1000.0), (int(rng.integers(20, 40)), C, 5.0)]
    for rows, cols, scale in cases:
        Z = rng.normal(0, scale, (rows, cols))
        labels = rng.integers(0, cols, rows)
        what = f"for Z of shape {(rows, cols)}" + (f", logits up to ±{scale * 3:.0f}"
                                                   if scale > 10 else "")
        try:
            dZ = call(softmax_ce_backward, Z, labels, name="softmax_ce_backward",
                      arg_names=["Z", "labels"], seed=seed, warnings_as_errors=True)
        except CheckFailed as exc:
            if scale <= 10:
                raise
            raise CheckFailed(f"the softmax overflows for large logits: subtract each row's "
                              f"max before exp (softmax(z) = softmax(z - max z)): {exc}") \
                from None
        P, Y = ref.softmax_rows(Z), np.eye(cols)[labels]
        P0 = np.exp(Z - ref.logsumexp(Z, 0))
        want = (P - Y) / rows
        compare(dZ, want, f"dZ {what}", seed=seed, gradient=True, suspects=[
            (f"the factor 1/N is missing: the loss is the mean over the N = {rows} samples, "
             f"so dZ = (P - Y)/N", P - Y),
            (f"it is divided by N·C = {rows * cols}, the number of entries: the cross-entropy "
             f"is a mean over the N = {rows} samples only (a sum over the classes)",
             want / cols),
            ("the sign is flipped: dZ = (P - Y)/N, not (Y - P)/N", -want),
            ("the - Y is missing: the gradient is the softmax minus the one-hot target",
             P / rows),
            ("the softmax was taken over the batch (axis 0); each sample's probabilities are "
             "a row: softmax along axis 1", (P0 - Y) / rows),
            ("only the diagonal of the softmax Jacobian, p(1 - p), was used: the full "
             "Jacobian diag(p) - p p^T turns -y/p into p - y", -Y * (1 - P) / rows)])
    passed("softmax-ce-backward", len(cases))
