"""Checks of the recurrence exercises (book/exercises/11_recurrence.ipynb): the backward of
one tanh RNN step, and backpropagation through time over a few steps, with truncation.

Shapes are batch-first as in Part III: ``x: (N, d)`` for one step, ``(N, T, d)`` for a
sequence; ``W_ih: (H, d)``, ``W_hh: (H, H)``, ``b: (H,)``; one bias (the sum of PyTorch's
two). Sizes are drawn all different, so that a transposed matrix cannot fit by luck.
"""
from __future__ import annotations

import numpy as np

from bplab.grading._checking import (CheckFailed, as_array, call, compare, describe, fresh_rng,
                                     passed)
from bplab.grading._references_rnn import (bptt_variant, forward_states, step_backward,
                                           step_forward)

__all__ = ["check_rnn_step_backward", "check_bptt"]


def _sizes(rng):
    N, d, H = (int(v) for v in rng.choice(np.arange(2, 8), size=3, replace=False))
    return N, d, H


def _params(rng, d, H):
    return (rng.normal(0, 0.7, (H, d)), rng.normal(0, 0.5, (H, H)), rng.normal(0, 0.3, H))


def _tuple(out, name, n, names):
    if not isinstance(out, tuple) or len(out) != n:
        raise CheckFailed(f"{name} should return a tuple of {n} arrays ({names}); got "
                          f"{describe(out)}")
    return out


# -- one step ----------------------------------------------------------------------------
_STEP_NAMES = ("dx", "dh_prev", "dW_ih", "dW_hh", "db")


def check_rnn_step_backward(rnn_step_backward, *, seed=None):
    """``dx, dh_prev, dW_ih, dW_hh, db = rnn_step_backward(dh, cache)`` for
    ``h = tanh(x W_ihᵀ + h_prev W_hhᵀ + b)``, ``cache = (x, h_prev, h, W_ih, W_hh)``."""
    rng, seed = fresh_rng(seed)
    for _ in range(3):
        N, d, H = _sizes(rng)
        W_ih, W_hh, b = _params(rng, d, H)
        x, h_prev = rng.normal(size=(N, d)), np.tanh(rng.normal(size=(N, H)))
        h, cache = step_forward(x, h_prev, W_ih, W_hh, b)
        dh = rng.normal(size=(N, H))
        got = _tuple(call(rnn_step_backward, dh, tuple(a.copy() for a in cache),
                          name="rnn_step_backward", arg_names=["dh", "cache"], seed=seed),
                     "rnn_step_backward", 5, ", ".join(_STEP_NAMES))
        want = step_backward(dh, cache)
        wrong = {k: step_backward(dh, cache, **kw) for k, kw in (
            ("none", {"prime": "none"}), ("h_prev", {"prime": "h_prev"}),
            ("W.T", {"carry": "W.T"}))}
        what = f"(N = {N}, d = {d}, H = {H})"
        if isinstance(got[4], np.ndarray) and got[4].shape == (N, H):
            raise CheckFailed(f"db {what} has shape {got[4].shape}, one row per sample: sum "
                              f"it over the batch, dz.sum(axis=0), shape ({H},) (random seed "
                              f"{seed})")
        for i, name in enumerate(_STEP_NAMES):
            suspects = [
                ("tanh'(z) = 1 - h² is missing: dz = dh ⊙ (1 - h²) comes first",
                 wrong["none"][i]),
                ("tanh' is taken at h_prev; it belongs to this step's output: 1 - h²",
                 wrong["h_prev"][i])]
            if name == "dh_prev":
                suspects.insert(0, ("dh_prev goes back through W_hhᵀ; h_prev enters as "
                                    "h_prev W_hhᵀ, so its gradient is dz W_hh (no transpose)",
                                    wrong["W.T"][i]))
            if name == "dW_hh":
                suspects.append(("dW_hh is transposed: h_prev W_hhᵀ gives dW_hh = dzᵀ h_prev "
                                 "of shape (H, H), receiving unit first", want[i].T))
            if name == "db":
                suspects.append(("db is averaged over the batch: sum it (no 1/N here; it "
                                 "lives in the loss)", want[i] / N))
            compare(got[i], want[i], f"{name} {what}", tol=1e-9, seed=seed, gradient=True,
                    suspects=suspects)
    passed("rnn-step-backward", 3)


# -- BPTT ----------------------------------------------------------------------------------
_BPTT_NAMES = ("dx", "dW_ih", "dW_hh", "db")


def _bptt_case(bptt, rng, seed, T, truncate):
    N, d, H = _sizes(rng)
    W_ih, W_hh, b = _params(rng, d, H)
    x = rng.normal(size=(N, T, d))
    h = forward_states(x, W_ih, W_hh, b)
    dout = rng.normal(size=(N, T, H))
    kwargs = {} if truncate is None else {"truncate": truncate}
    got = _tuple(call(bptt, dout, x.copy(), h.copy(), W_ih.copy(), W_hh.copy(),
                      kwargs=kwargs, name="bptt",
                      arg_names=["dout", "x", "h", "W_ih", "W_hh"], seed=seed),
                 "bptt", 4, ", ".join(_BPTT_NAMES))
    for g, want, name in zip(got, (x, W_ih, W_hh, np.zeros(H)), _BPTT_NAMES):
        as_array(g, name, want.shape, seed=seed)
    args = (dout, x, h, W_ih, W_hh, truncate)
    want = bptt_variant(*args)
    trunc = f", truncate={truncate}" if truncate is not None else ""
    what = f"(N = {N}, T = {T}, d = {d}, H = {H}{trunc})"
    wrong = [
        ("the carry is forgotten: h_t also feeds z_{t+1}, so dh_t = dout_t + dz_{t+1} W_hh "
         "(dx is right only at the last step)", bptt_variant(*args, carry="none")),
        ("the carry goes back through W_hhᵀ: h_{t-1} enters as h_{t-1} W_hhᵀ, so its "
         "gradient is dz_t W_hh (no transpose)", bptt_variant(*args, carry="W.T")),
        ("dW_hh keeps only one step's term (= where += belongs): the weights are shared by "
         "every step, so their gradient is a sum over time", bptt_variant(*args,
                                                                         accumulate=False)),
        ("dW_hh pairs dz_t with h_t; in z_t, W_hh multiplies the previous state, so "
         "dW_hh = Σ_t dz_tᵀ h_(t-1)", bptt_variant(*args, lag=0))]
    if truncate is not None:
        wrong += [
            ("the truncation is one step off: the carry into h_t is dropped where t + 1 "
             "(the step it comes from) is a multiple of truncate, not t",
             bptt_variant(*args, cut=0)),
            ("truncate is ignored: with truncate=k the carry is dropped every k steps",
             bptt_variant(dout, x, h, W_ih, W_hh, None))]
    for i, name in enumerate(_BPTT_NAMES):
        suspects = [(desc, w[i]) for desc, w in wrong
                    if not np.allclose(w[i], want[i], rtol=1e-9, atol=1e-12)]
        try:
            compare(got[i], want[i], f"{name} {what}", tol=1e-9, seed=seed, gradient=True,
                    suspects=suspects)
        except CheckFailed as exc:
            if name == "dx" and "is wrong:" not in str(exc):
                _fingerprint_in_time(got[0], want[0], what, seed)
            raise


def _fingerprint_in_time(dx, want, what, seed):
    """Name the first wrong step when dx is right at the end and wrong before it."""
    T = want.shape[1]
    ok = [np.allclose(dx[:, t], want[:, t], rtol=1e-9, atol=1e-12) for t in range(T)]
    if T > 1 and ok[-1] and not all(ok):
        bad = max(t for t in range(T) if not ok[t])
        raise CheckFailed(f"dx {what} is right at the last step(s) and wrong from step {bad} "
                          f"back: the error is in what is carried back along time, "
                          f"dh_t = dout_t + dz_(t+1) W_hh (random seed {seed})")


def check_bptt(bptt, *, seed=None):
    """``dx, dW_ih, dW_hh, db = bptt(dout, x, h, W_ih, W_hh, truncate=None)``: the gradients
    of the tanh RNN whose states are ``h`` (``dout``: the loss's gradient with respect to
    every ``h_t``), with the carry dropped every ``truncate`` steps when it is given."""
    rng, seed = fresh_rng(seed)
    n = 0
    for T, truncate in ((int(rng.integers(4, 7)), None), (1, None), (7, 3),
                        (int(rng.integers(5, 9)), 2)):
        _bptt_case(bptt, rng, seed, T, truncate)
        n += 1
    passed("bptt", n)
