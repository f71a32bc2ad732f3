"""Checks for exercises 7 (shapes, fan-out, log-sum-exp, softmax) and 8 (initialisation,
clipping, Adam).

Each check states in its docstring the function it calls; the tasks in
``book/exercises/07_shapes_softmax.ipynb`` and ``08_health_optim.ipynb`` state every
requirement checked here, the hidden ones (``extra=True``) included.
"""
from __future__ import annotations

import numpy as np

import bplab as bp
import bplab.health as health
from bplab.grading import _references_ex1 as ref
from bplab.grading._checking import CheckFailed, as_array, call, compare, describe, fresh_rng, \
    passed

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


# -- 8a: an initialisation that keeps the gradients level ----------------------------------
_DEPTH, _WIDTH, _BAND = 20, 64, (0.05, 20.0)


def _init_suspects(fan_in, fan_out, activation):
    xavier, he = np.sqrt(2 / (fan_in + fan_out)), np.sqrt(2 / fan_in)
    right = he if activation == "relu" else xavier
    out = [(f"it returns the variance ({right ** 2:.3g}), not the std: take the square "
            f"root", right ** 2)]
    if activation == "relu":
        return out + [
            ("Xavier's std used for ReLU: a ReLU zeroes half of z, which halves the variance "
             "at every layer; He's sqrt(2 / fan_in) makes up for it", xavier),
            ("sqrt(1 / fan_in) (LeCun) lacks He's factor 2 for the ReLU, which zeroes half "
             "of z", np.sqrt(1 / fan_in)),
            ("He's std with fan_out: the task asks for the forward form sqrt(2 / fan_in)",
             np.sqrt(2 / fan_out))]
    return out + [
        (f"He's std used for {activation}: He's factor 2 makes up for a ReLU's zeroed half; "
         f"{activation} needs Xavier's sqrt(2 / (fan_in + fan_out))", he),
        ("sqrt(1 / (fan_in + fan_out)) lacks Xavier's factor 2: the harmonic mean of "
         "1/fan_in and 1/fan_out is 2 / (fan_in + fan_out)", np.sqrt(1 / (fan_in + fan_out))),
        ("sqrt(6 / (fan_in + fan_out)) is the bound of Xavier's *uniform* distribution, "
         "not its std", np.sqrt(6 / (fan_in + fan_out))),
        ("sqrt(1 / fan_in) (LeCun) keeps only the forward signal: the task asks for "
         "Xavier's compromise sqrt(2 / (fan_in + fan_out))", np.sqrt(1 / fan_in))]


def _level(activation, std, seed):
    """``(measured, predicted)`` ratio ‖δ(1)‖ / ‖δ(L)‖ of a deep square net of std ``std``."""
    X = np.random.default_rng(seed).normal(size=(32, _WIDTH))
    model = ref.deep_net(lambda a, b: std, activation, _DEPTH, _WIDTH, seed)
    with np.errstate(all="ignore"):
        norms = ref.delta_norms(model, X, seed)
    g = std * std * _WIDTH
    if activation == "identity":
        predicted = g ** ((_DEPTH - 1) / 2)
    else:
        predicted = float(np.sqrt(health.predicted_variances(activation, g, _DEPTH, 1.0)[1][0]))
    return norms[0] / norms[-1], predicted


def check_init_std(init_std, *, extra=False, seed=None):
    """``s = init_std(fan_in, fan_out, activation)``: He for ``"relu"``, Xavier for
    ``"tanh"`` and ``"identity"``; then a 20-layer net with that std keeps its gradients
    level (measured, and by the mean-field prediction)."""
    rng, seed = fresh_rng(seed)
    acts = ref.INIT_ACTIVATIONS
    results, n = [], 0
    for _ in range(4 if extra else 2):
        for activation in acts:
            fan_in, fan_out = (int(v) for v in rng.choice(np.arange(8, 600), 2, replace=False))
            s = call(init_std, fan_in, fan_out, activation, name="init_std",
                     arg_names=["fan_in", "fan_out", "activation"], seed=seed)
            what = f"init_std({fan_in}, {fan_out}, {activation!r})"
            s = as_array(s, what, (), seed=seed)
            want = ref.init_std(fan_in, fan_out, activation)
            results.append((s, want, what))
            if abs(float(s) - want) > 1e-12 * want:
                for description, value in _init_suspects(fan_in, fan_out, activation):
                    if abs(float(s) - value) <= 1e-9 * value:
                        raise CheckFailed(f"{what} = {float(s):.4g} is wrong: {description} "
                                          f"(random seed {seed})")
            n += 1
    for activation in acts:                       # the physics: gradients stay level
        s = as_array(call(init_std, _WIDTH, _WIDTH, activation, name="init_std", seed=seed),
                     f"init_std({_WIDTH}, {_WIDTH}, {activation!r})", (), seed=seed)
        measured, predicted = _level(activation, float(s), seed % 1000)
        if not (_BAND[0] <= measured <= _BAND[1]):
            trend = "vanish" if measured < 1 else "explode"
            raise CheckFailed(
                f"with init_std({_WIDTH}, {_WIDTH}, {activation!r}) = {float(s):.4g}, the "
                f"gradients {trend} through {_DEPTH} {activation} layers of {_WIDTH} units: "
                f"‖δ(1)‖ / ‖δ({_DEPTH})‖ = {measured:.1e} measured ({predicted:.1e} "
                f"predicted by the variance recursion), where a level start keeps it within "
                f"{_BAND[0]:g} to {_BAND[1]:g} (random seed {seed})")
        n += 1
    for s, want, what in results:
        compare(s, np.float64(want), what, tol=1e-12, seed=seed)
    passed("init-std", n)


# -- 8b: clipping by the global norm -------------------------------------------------------
def _grads(rng, norm):
    shapes = [(int(rng.integers(2, 6)), int(rng.integers(2, 6))), (int(rng.integers(2, 6)),),
              (int(rng.integers(1, 4)), int(rng.integers(2, 5)))]
    grads = [rng.normal(0, 1, s) * rng.uniform(0.1, 3) for s in shapes]
    total = np.sqrt(sum(float(np.sum(g * g)) for g in grads))
    return [g * (norm / total) for g in grads]


def check_clip_grad_norm(clip_grad_norm, *, extra=False, seed=None):
    """``total = clip_grad_norm(grads, max_norm)``: scale the arrays of the list ``grads``
    in place by min(1, max_norm / ‖g‖), ‖g‖ the norm of all of them together; return ‖g‖
    before clipping (``torch.nn.utils.clip_grad_norm_``)."""
    rng, seed = fresh_rng(seed)
    cases = [(8.0, 1.0), (3.0, 5.0), (50.0, 2.5)]       # (norm of the gradients, max_norm)
    if extra:
        cases += [(0.0, 1.0), (1e3, 1e-2)]
    for norm, max_norm in cases:
        grads = _grads(rng, norm)
        before = [g.copy() for g in grads]
        want, total = ref.clip_grad_norm(before, max_norm)
        what = f"(global norm {norm:g}, max_norm {max_norm:g})"
        out = call(clip_grad_norm, grads, max_norm, name="clip_grad_norm",
                   arg_names=["grads", "max_norm"], seed=seed, check_inputs=False,
                   warnings_as_errors=True)
        if out is None:
            raise CheckFailed("clip_grad_norm returned None: return the total norm of the "
                              "gradients before clipping, as a float")
        out = as_array(out, f"the returned norm {what}", (), seed=seed)
        norms = [float(np.linalg.norm(g)) for g in before]
        compare(out, np.float64(total), f"the returned norm {what}", tol=1e-9, seed=seed,
                suspects=[("it is the norm after clipping; return the total norm before "
                           "clipping (as PyTorch does), to see how large the gradients were",
                           np.float64(min(total, max_norm))),
                          ("it is the sum of the arrays' norms; the global norm is the square "
                           "root of the sum of all the squares", np.float64(sum(norms))),
                          ("it is the squared norm: take the square root",
                           np.float64(total ** 2))])
        if not isinstance(grads, list) or len(grads) != len(before):
            raise CheckFailed("clip_grad_norm must scale the arrays in the list it gets, not "
                              "replace or remove them")
        if total > max_norm and all(np.array_equal(g, b) for g, b in zip(grads, before)):
            raise CheckFailed(f"the gradients were not clipped in place {what}: the caller's "
                              f"arrays are unchanged; scale each one in place (g *= scale), "
                              f"not a copy (g = g * scale only rebinds a name)")
        got = np.concatenate([np.ravel(as_array(g, f"grads[{i}] after clipping", b.shape,
                                                seed=seed)) for i, (g, b) in
                              enumerate(zip(grads, before))])
        flat = lambda arrays: np.concatenate([a.ravel() for a in arrays])  # noqa: E731
        compare(got, flat(want), f"the list of clipped gradients {what}", tol=1e-6, seed=seed,
                gradient=True, suspects=[
                    ("each array was clipped by its own norm: clipping by the global norm "
                     "scales all of them by one factor, min(1, max_norm / ‖g‖), which keeps "
                     "the direction of the step", flat(ref.clip_grad_norm(before, max_norm,
                                                                          per_tensor=True)[0])),
                    ("each entry was clipped to [-max_norm, max_norm] (clipping by value), "
                     "which changes the step's direction: scale by min(1, max_norm / ‖g‖)",
                     flat([np.clip(b, -max_norm, max_norm) for b in before])),
                    ("gradients whose norm is below max_norm were scaled up: the factor is "
                     "min(1, max_norm / ‖g‖), never above 1",
                     flat([b * (max_norm / total) for b in before]) if total else flat(before))])
    passed("clip-grad-norm", len(cases))


# -- 8c: one Adam step ---------------------------------------------------------------------
def _adam_call(adam_step, theta, g, m, v, t, hyper, what, seed):
    out = call(adam_step, theta, g, m, v, t, kwargs=hyper, name="adam_step",
               arg_names=["theta", "g", "m", "v", "t"], seed=seed)
    if not isinstance(out, tuple) or len(out) != 3:
        raise CheckFailed(f"adam_step should return a triple (theta, m, v) of new arrays; got "
                          f"{describe(out)}")
    return tuple(as_array(a, f"{name} {what}", theta.shape, seed=seed)
                 for a, name in zip(out, ("theta", "m", "v")))


def _adam_compare(got, theta, g, m, v, t, hyper, what, seed):
    new_theta, new_m, new_v = got
    want = ref.adam_step(theta, g, m, v, t, **hyper)
    b1, b2 = hyper["betas"]
    compare(new_m, want[1], f"m {what}", tol=1e-12, seed=seed, suspects=[
        ("m = β1 g + (1 - β1) m: the betas are swapped; m = β1 m + (1 - β1) g",
         b1 * g + (1 - b1) * m),
        ("m was not updated: m = β1 m + (1 - β1) g", m)])
    compare(new_v, want[2], f"v {what}", tol=1e-12, seed=seed, suspects=[
        ("v = β2 g² + (1 - β2) v: the betas are swapped; v = β2 v + (1 - β2) g²",
         b2 * g * g + (1 - b2) * v),
        ("v was not updated: v = β2 v + (1 - β2) g²", v)])
    step = theta - want[0]
    compare(new_theta, want[0], f"theta {what}", tol=1e-10, seed=seed, suspects=[
        ("there is no bias correction: divide m by 1 - β1^t and v by 1 - β2^t (the moments "
         "start at 0, so without it the first steps are too short)",
         ref.adam_step(theta, g, m, v, t, bias_correction=False, **hyper)[0]),
        ("ε is inside the square root: the step is m̂ / (sqrt(v̂) + ε)",
         ref.adam_step(theta, g, m, v, t, eps_inside=True, **hyper)[0]),
        ("the step goes uphill: theta - lr · m̂ / (sqrt(v̂) + ε)", theta + step),
        ("the bias correction uses t + 1: t is already the number of this step (1 for "
         "the first)", ref.adam_step(theta, g, m, v, t + 1, **hyper)[0])])


def check_adam_step(adam_step, *, extra=False, seed=None):
    """``theta, m, v = adam_step(theta, g, m, v, t, lr=, betas=, eps=)``: one step of
    ``torch.optim.Adam`` (step number ``t`` from 1), inputs unchanged; several steps in a row
    must follow ``bp.optim.Adam``."""
    rng, seed = fresh_rng(seed)
    n = 0
    for shape, steps in [((3, 4), 3), ((5,), 5)] + ([((2, 3, 2), 8)] if extra else []):
        hyper = dict(lr=float(rng.uniform(1e-3, 0.1)),
                     betas=(float(rng.uniform(0.8, 0.95)), float(rng.uniform(0.9, 0.999))),
                     eps=float(rng.choice([1e-8, 1e-3])))
        theta = rng.normal(0, 1, shape)
        lib = theta.copy()
        opt = bp.optim.Adam([lib], **hyper)
        m, v = np.zeros(shape), np.zeros(shape)
        for t in range(1, steps + 1):
            g = rng.normal(0, 1, shape) * rng.uniform(0.01, 3)
            what = f"at step t = {t} of a run from m = v = 0 (shape {shape})"
            got = _adam_call(adam_step, theta, g, m, v, t, hyper, what, seed)
            _adam_compare(got, theta, g, m, v, t, hyper, what, seed)
            opt.step([g])
            compare(got[0], lib, f"theta {what}, against bp.optim.Adam", tol=1e-10, seed=seed)
            theta, m, v = got
        n += 1
    for _ in range(3 if extra else 2):       # one step from a state in the middle of a run
        shape = (int(rng.integers(2, 5)), int(rng.integers(2, 5)))
        hyper = dict(lr=float(rng.uniform(1e-3, 0.1)), betas=(0.9, 0.999),
                     eps=float(rng.choice([1e-8, 1e-2])))
        theta, g, m = (rng.normal(0, 1, shape) for _ in range(3))
        v, t = rng.uniform(1e-4, 2, shape), int(rng.integers(2, 60))
        what = f"at step t = {t} from a given m and v"
        got = _adam_call(adam_step, theta, g, m, v, t, hyper, what, seed)
        _adam_compare(got, theta, g, m, v, t, hyper, what, seed)
        n += 1
    passed("adam-step", n)
