"""Grader-only references for the recurrence exercises: one tanh step's backward, and BPTT
done right or wrong in one known way.

Private to the grader (answers to exercises; not re-exported anywhere).
"""
from __future__ import annotations

import numpy as np


def step_forward(x, h_prev, W_ih, W_hh, b):
    """``h = tanh(x W_ihᵀ + h_prev W_hhᵀ + b)`` and the cache the exercise defines."""
    h = np.tanh(x @ W_ih.T + h_prev @ W_hh.T + b)
    return h, (x, h_prev, h, W_ih, W_hh)


def step_backward(dh, cache, *, prime="h", carry="W"):
    """``(dx, dh_prev, dW_ih, dW_hh, db)``; ``prime="none"`` forgets tanh', ``"h_prev"``
    takes it at the previous state; ``carry="W.T"`` sends dh_prev back through W_hhᵀ."""
    x, h_prev, h, W_ih, W_hh = cache
    dz = {"h": dh * (1 - h ** 2), "none": dh, "h_prev": dh * (1 - h_prev ** 2)}[prime]
    back = W_hh.T if carry == "W.T" else W_hh
    return dz @ W_ih, dz @ back, dz.T @ x, dz.T @ h_prev, dz.sum(axis=0)


def forward_states(x, W_ih, W_hh, b):
    """Every hidden state ``(N, T, H)`` of ``h_t = tanh(x_t W_ihᵀ + h_{t-1} W_hhᵀ + b)``."""
    N, T, _ = x.shape
    h = np.zeros((N, T, W_hh.shape[0]))
    prev = np.zeros((N, W_hh.shape[0]))
    for t in range(T):
        prev = h[:, t] = np.tanh(x[:, t] @ W_ih.T + prev @ W_hh.T + b)
    return h


def bptt_variant(dout, x, h, W_ih, W_hh, truncate=None, *, carry="W", cut=1,
                 accumulate=True, lag=1):
    """``(dx, dW_ih, dW_hh, db)`` of BPTT. Right with the defaults; wrong in one way with
    ``carry="none"`` (the carry forgotten), ``carry="W.T"`` (through W_hhᵀ), ``cut=0`` (the
    truncation one step off: cut where t, not t + 1, is a multiple of k) or
    ``accumulate=False`` (dW_hh assigned, not summed: only the step t = 1 is left) or
    ``lag=0`` (dW_hh pairs dz_t with h_t instead of h_{t-1})."""
    N, T, H = h.shape
    dx = np.zeros_like(x)
    dW_ih, dW_hh, db = np.zeros_like(W_ih), np.zeros_like(W_hh), np.zeros(H)
    c = np.zeros((N, H))
    for t in reversed(range(T)):
        if truncate is not None and (t + cut) % truncate == 0:
            c = np.zeros((N, H))
        dz = (dout[:, t] + (0 if carry == "none" else c)) * (1 - h[:, t] ** 2)
        dx[:, t] = dz @ W_ih
        dW_ih += dz.T @ x[:, t]
        if t > 0:
            term = dz.T @ h[:, t - lag]
            dW_hh = dW_hh + term if accumulate else term
        db += dz.sum(axis=0)
        c = dz @ (W_hh.T if carry == "W.T" else W_hh)
    return dx, dW_ih, dW_hh, db
