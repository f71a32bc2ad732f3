"""Grader-only references for the attention exercises: the right answers and what the known
mistakes compute.

Private to the grader (not part of bplab's public API, not re-exported anywhere): these are
answers, or near-answers, to exercises 12a and 12b.
"""
from __future__ import annotations

import numpy as np


def masked_softmax(S, mask=None):
    """The softmax of each row (last axis) of ``S`` over the entries where ``mask`` is True;
    masked entries get probability exactly 0."""
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    P = np.exp(S - S.max(axis=-1, keepdims=True))
    return P / P.sum(axis=-1, keepdims=True)


def softmax_rows_backward(S, G, mask=None, *, bug=None):
    r""":math:`\bar S = P \odot (G - \operatorname{rowsum}(P \odot G))` for
    :math:`P` = :func:`masked_softmax`\ ``(S, mask)``, or what a named ``bug`` computes:
    ``"diagonal"`` (only :math:`p_i(1 - p_i)`), ``"no-mask"``, ``"sign"``, ``"axis"`` (the sum
    over the columns), ``"keepdims"`` (the row sums broadcast along the rows; square rows
    only, else None)."""
    P = masked_softmax(S, None if bug == "no-mask" else mask)
    if bug == "diagonal":
        return P * (1 - P) * G
    if bug == "sign":
        return P * (G + (P * G).sum(axis=-1, keepdims=True))
    if bug == "keepdims":
        sums = (P * G).sum(axis=-1)
        return P * (G - sums[..., None, :]) if S.shape[-1] == S.shape[-2] else None
    if bug == "axis":
        return P * (G - (P * G).sum(axis=-2, keepdims=True))
    return P * (G - (P * G).sum(axis=-1, keepdims=True))


def causal_mask(T):
    """``(T, T)`` booleans, True where step ``i`` may see step ``j`` (``j <= i``)."""
    return np.tril(np.ones((T, T), dtype=bool))


def head_forward(Q, K, V, *, causal=True):
    """One head: ``softmax(Q Kᵀ/√d + mask) V``, shape ``(T, d_v)``."""
    S = Q @ K.T / np.sqrt(Q.shape[1])
    return masked_softmax(S, causal_mask(len(Q)) if causal else None) @ V


def head_backward(Q, K, V, dOut, *, bug=None):
    """``(dQ, dK, dV)`` of one causal head, or what a named ``bug`` computes: ``"no-mask"``
    (P recomputed without the mask), ``"no-scale"`` (no 1/√d in dQ and dK), ``"diagonal"``,
    ``"dK"`` (dS Q), ``"dQ"`` (dSᵀ K), ``"dV"`` (P dOut)."""
    T, d = Q.shape
    S = Q @ K.T / np.sqrt(d)
    P = masked_softmax(S, None if bug == "no-mask" else causal_mask(T))
    dV = (P if bug == "dV" else P.T) @ dOut
    dP = dOut @ V.T
    dS = softmax_rows_backward(S, dP, None if bug == "no-mask" else causal_mask(T),
                               bug="diagonal" if bug == "diagonal" else None)
    scale = 1.0 if bug == "no-scale" else 1.0 / np.sqrt(d)
    dQ = (dS.T if bug == "dQ" else dS) @ K * scale
    dK = (dS if bug == "dK" else dS.T) @ Q * scale
    return dQ, dK, dV
