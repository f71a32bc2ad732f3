r"""Checks of the attention exercises: a masked row-wise softmax's backward, and one causal
attention head's backward (see the chapter "Attention").

Both compare with the grader's reference and name the classic defects when a submission
matches one (only the diagonal of the softmax Jacobian, the mask forgotten, a missing
:math:`1/\sqrt d`, an untransposed :math:`\bar S` or :math:`P`); the head's gradients are also
compared with central differences of the forward pass.
"""
from __future__ import annotations

import numpy as np

from bplab.grading._checking import CheckFailed, call, compare, describe, fresh_rng, passed
from bplab.grading._references_attn import (causal_mask, head_backward, head_forward,
                                             softmax_rows_backward)

__all__ = ["check_masked_softmax_backward", "check_attention_head_backward"]

_SOFTMAX_BUGS = {
    "diagonal": "it uses only the diagonal of the softmax Jacobian, p_i(1 - p_i) g_i; every "
                "p_i depends on every score of its row, so dS = p ⊙ (g - Σ_j p_j g_j)",
    "no-mask": "the mask is ignored: masked entries (mask False) must take no part in the "
               "softmax (P = 0 there) and get dS = 0",
    "sign": "the row sum has the wrong sign: dS = p ⊙ (g - Σ_j p_j g_j), a minus",
    "axis": "the sum Σ_j p_j g_j runs over the wrong axis (the columns): the softmax "
            "normalises each row, so sum over the last axis, with keepdims=True",
    "keepdims": "the row sums lost their axis (no keepdims=True), so they are subtracted along "
                "each row instead of down it: Σ_j p_j g_j must have shape (..., T, 1)",
}


def _softmax_case(rng, shape, mask_kind):
    S = rng.normal(0, 2, shape)
    T = shape[-1]
    if mask_kind == "causal":
        mask = np.broadcast_to(causal_mask(T), shape).copy()
    elif mask_kind == "random":
        mask = rng.random(shape) < 0.6
        mask[..., 0] |= ~mask.any(axis=-1)           # every row keeps at least one entry
    else:
        mask = None
    if mask is not None:                              # garbage where masked: must not matter
        S = np.where(mask, S, rng.uniform(-50, 50, shape))
    return S, rng.normal(0, 1, shape), mask


def _check_softmax_case(softmax_backward, S, G, mask, what, seed):
    try:
        dS = call(softmax_backward, S, G, mask, name="softmax_backward",
                  arg_names=["S", "G", "mask"], seed=seed, warnings_as_errors=True)
    except CheckFailed as exc:
        if "Warning" in str(exc):
            raise CheckFailed(f"softmax_backward is not stable for {what}: {exc}. Subtract "
                              f"each row's largest (unmasked) score before exp, as the "
                              f"softmax chapter's log-sum-exp does; masked entries need "
                              f"exp(-inf) = 0, not 0 · exp(score)") from None
        raise
    want = softmax_rows_backward(S, G, mask)
    suspects = [(text, softmax_rows_backward(S, G, mask, bug=bug))
                for bug, text in _SOFTMAX_BUGS.items() if mask is not None or bug != "no-mask"]
    dS = compare(dS, want, f"dS for {what}", seed=seed, gradient=True,
                 suspects=[(text, value) for text, value in suspects if value is not None])
    if mask is not None and np.any(dS[~mask] != 0):
        raise CheckFailed(f"dS for {what} is not exactly 0 at the masked entries (largest "
                          f"{np.abs(dS[~mask]).max():.1e}): a masked score changes nothing, "
                          f"so its gradient is 0; make P exactly 0 there (random seed {seed})")


def check_masked_softmax_backward(softmax_backward, *, extra=False, seed=None):
    r"""``dS = softmax_backward(S, G, mask)``: the gradient of the scores ``S`` given
    ``G`` = ∂C/∂P, for :math:`P` the softmax of each row (last axis) of ``S`` over the
    entries where the boolean ``mask`` is True (``mask=None``: all of them).

    Checked: values to 1e-7 on a causal mask, a random mask with garbage scores where masked,
    no mask and batched shapes; masked entries of ``dS`` exactly 0; no warning for scores
    near 1000. ``extra=True`` adds more shapes and a one-entry row.
    """
    rng, seed = fresh_rng(seed)
    cases = [((5, 5), "causal", "a causal mask, S of shape (5, 5)"),
             ((3, 4, 6), "random", "a random mask, S of shape (3, 4, 6)"),
             ((4, 7), None, "no mask (mask=None), S of shape (4, 7)")]
    if extra:
        cases += [((2, 3, 8, 8), "causal", "a causal mask, S of shape (2, 3, 8, 8)"),
                  ((6, 1), "causal", "rows of one entry, S of shape (6, 1)"),
                  ((9, 3), "random", "a random mask, S of shape (9, 3)")]
    for shape, kind, what in cases:
        _check_softmax_case(softmax_backward, *_softmax_case(rng, shape, kind), what, seed)
    S, G, mask = _softmax_case(rng, (4, 4), "causal")
    _check_softmax_case(softmax_backward, S + 1000.0, G, mask,
                        "large scores (near 1000), causal mask", seed)
    passed("masked-softmax-backward", len(cases) + 1)


_HEAD_BUGS = {
    "no-mask": "the causal mask is missing: the backward must use the same P as the forward, "
               "with the entries j > i masked (P = 0 there)",
    "no-scale": "the factor 1/√d is missing: S = QKᵀ/√d, so dQ = dS K/√d and dK = dSᵀ Q/√d",
    "diagonal": "it uses only the diagonal of the softmax Jacobian, p(1 - p) ⊙ dP; the "
                "softmax's backward is dS = P ⊙ (dP - rowsum(P ⊙ dP))",
    "dK": "dK = dS Q is not transposed: score S_ij = q_i·k_j/√d, so k_j collects column j of "
          "dS, dK = dSᵀ Q/√d",
    "dQ": "dQ = dSᵀ K takes the columns of dS: q_i collects row i, dQ = dS K/√d",
    "dV": "dV = P dOut is not transposed: Out = P V, so dV = Pᵀ dOut",
}


def _numeric_head(Q, K, V, dOut, h=1e-6):
    """Central differences of C = Σ dOut ⊙ head_forward(Q, K, V), for Q, K and V."""
    args, out = [Q, K, V], []
    for k in range(3):
        g = np.zeros_like(args[k])
        for i in np.ndindex(g.shape):
            moved = [a.copy() for a in args]
            moved[k][i] += h
            up = np.sum(dOut * head_forward(*moved))
            moved[k][i] -= 2 * h
            g[i] = (up - np.sum(dOut * head_forward(*moved))) / (2 * h)
        out.append(g)
    return out


def check_attention_head_backward(attention_head_backward, *, extra=False, seed=None):
    r"""``dQ, dK, dV = attention_head_backward(Q, K, V, dOut)`` for one causal head,
    :math:`\text{Out} = \operatorname{softmax}(QK^\top/\sqrt d + M)\,V`, with ``Q, K`` of
    shape ``(T, d)``, ``V`` and ``dOut`` of shape ``(T, d_v)``, three different sizes.

    Checked: a triple of float64 arrays of the inputs' shapes, each to 1e-7 against the
    reference and to 1e-6 against central differences of the forward pass.
    ``extra=True`` adds a longer sequence and a sequence of one step.
    """
    rng, seed = fresh_rng(seed)
    sizes = [tuple(int(n) for n in rng.choice(np.arange(2, 9), 3, replace=False))
             for _ in range(3)]
    if extra:
        sizes += [(12, 5, 3), (1, 4, 2)]
    for T, d, d_v in sizes:
        Q, K = rng.normal(0, 1, (T, d)), rng.normal(0, 1, (T, d))
        V, dOut = rng.normal(0, 1, (T, d_v)), rng.normal(0, 1, (T, d_v))
        out = call(attention_head_backward, Q, K, V, dOut, name="attention_head_backward",
                   arg_names=["Q", "K", "V", "dOut"], seed=seed)
        if not isinstance(out, tuple) or len(out) != 3:
            raise CheckFailed(f"attention_head_backward should return a triple (dQ, dK, dV); "
                              f"got {describe(out)}")
        want = head_backward(Q, K, V, dOut)
        bugs = {bug: head_backward(Q, K, V, dOut, bug=bug) for bug in _HEAD_BUGS}
        shapes = f"T = {T}, d = {d}, d_v = {d_v}"
        got = []
        for k, name in ((2, "dV"), (0, "dQ"), (1, "dK")):
            got.append(compare(out[k], want[k], f"{name} ({shapes})", seed=seed, gradient=True,
                               suspects=[(text, bugs[bug][k]) for bug, text in
                                         _HEAD_BUGS.items()]))
        numeric = _numeric_head(Q, K, V, dOut)
        for g, n, name in zip((got[1], got[2], got[0]), numeric, ("dQ", "dK", "dV")):
            compare(g, n, f"{name} against central differences of the forward ({shapes})",
                    tol=1e-6, seed=seed, gradient=True)
    passed("attention-head-backward", len(sizes))
