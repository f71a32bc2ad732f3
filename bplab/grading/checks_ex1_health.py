"""Checks for exercise 8 (``08_health_optim.ipynb``): the std of Xavier and He
initialisation, clipping by the global norm, one Adam step. Re-exported by
:mod:`bplab.grading.checks_ex1`; the task states every requirement checked here."""
from __future__ import annotations

import numpy as np

import bplab as bp
import bplab.health as health
from bplab.grading import _references_ex1 as ref
from bplab.grading._checking import CheckFailed, as_array, call, compare, describe, fresh_rng, \
    passed

__all__ = ["check_init_std", "check_clip_grad_norm", "check_adam_step"]


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
    """``(measured, predicted)``: the ratio ‖δ(1)‖ / ‖δ(L)‖ of a deep square net whose
    weights have the std ``std``."""
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
        try:
            out = call(clip_grad_norm, grads, max_norm, name="clip_grad_norm",
                       arg_names=["grads", "max_norm"], seed=seed, check_inputs=False,
                       warnings_as_errors=True)
        except CheckFailed as exc:
            if norm:
                raise
            raise CheckFailed(f"with all gradients zero (global norm 0) clip_grad_norm must "
                              f"leave them as they are, without dividing by zero (clip only "
                              f"when the norm exceeds max_norm, or divide by norm + 1e-6 as "
                              f"PyTorch does): {exc}") from None
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
