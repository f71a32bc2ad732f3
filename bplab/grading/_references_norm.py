r"""Grader-only references for the normalisation and convolution exercises: the right
answers, computed with :mod:`bplab.layers`, and what each known mistake computes.

Private to the grader (not part of bplab's public API, not re-exported anywhere): these are
answers, or near-answers, to exercises. Batch norm and layer norm share one compact backward,
over the axis ``axis`` of the normalised set (chapter "Normalisation", (11.6)):

.. math::

    \bar x = \frac{s}{M}\Big(M\bar{\hat x} - \sum\bar{\hat x}
             - \hat x \sum \bar{\hat x}\hat x\Big), \qquad \bar{\hat x} = \gamma\bar y .
"""
from __future__ import annotations

import numpy as np

from bplab.layers import BatchNorm1d, Conv2d, LayerNorm, MaxPool2d


def norm_reference(kind, dy, x, gamma, eps):
    """``(dx, dgamma, dbeta)`` of batch norm in training mode (``kind="batch"``) or of layer
    norm over the last axis (``kind="layer"``), from bplab's layers."""
    D = x.shape[1]
    layer = BatchNorm1d(D, eps=eps) if kind == "batch" else LayerNorm(D, eps=eps)
    layer.params["weight"][:] = gamma
    _, cache = layer.forward(x)
    dx, grads = layer.backward(dy, cache)
    return dx, grads["weight"], grads["bias"]


def norm_variants(kind, dy, x, gamma, eps):
    """``{defect: dx}``: the ``dx`` each classic mistake gives (same shapes as ``x``)."""
    axis = 0 if kind == "batch" else 1
    M = x.shape[axis]

    def stats(ddof=0):
        mu = x.mean(axis=axis, keepdims=True)
        s = 1.0 / np.sqrt(x.var(axis=axis, ddof=ddof, keepdims=True) + eps)
        return (x - mu) * s, s

    def compact(xhat, s, g, *, mean_path=True, var_path=True, m=M):
        dxhat = g * dy
        out = m * dxhat
        if mean_path:
            out = out - dxhat.sum(axis=axis, keepdims=True)
        if var_path:
            out = out - xhat * (dxhat * xhat).sum(axis=axis, keepdims=True)
        return s / m * out

    xhat, s = stats()
    other = 1 - axis
    xo = x.mean(axis=other, keepdims=True)
    so = 1.0 / np.sqrt(x.var(axis=other, keepdims=True) + eps)
    dxo = gamma * dy
    wrong_axis = so / x.shape[other] * (x.shape[other] * dxo - dxo.sum(axis=other, keepdims=True)
                                        - (x - xo) * so * (dxo * (x - xo) * so).sum(
                                            axis=other, keepdims=True))
    return {
        "constants": gamma * dy * s,
        "no_mean_path": compact(xhat, s, gamma, mean_path=False),
        "no_var_path": compact(xhat, s, gamma, var_path=False),
        "no_gamma": compact(xhat, s, 1.0),
        "no_1_over_M": M * compact(xhat, s, gamma),
        "unbiased": compact(*stats(ddof=1), gamma),
        "eps_ignored": compact(*stats_eps(x, axis, 1e-5), gamma),
        "wrong_axis": wrong_axis,
    }


def stats_eps(x, axis, eps):
    """``(x̂, s)`` with a given ``eps`` (what a solution that ignores its ``eps`` uses)."""
    s = 1.0 / np.sqrt(x.var(axis=axis, keepdims=True) + eps)
    return (x - x.mean(axis=axis, keepdims=True)) * s, s


def conv_reference(dy, x, W, b, stride, padding):
    """``(dx, dW, db)`` of a 2-D convolution (cross-correlation), from ``bplab.layers``."""
    F, C, kh, kw = W.shape
    layer = Conv2d(C, F, (kh, kw), stride=stride, padding=padding)
    layer.params["W"][...] = W
    layer.params["b"][...] = b
    _, cache = layer.forward(x)
    dx, grads = layer.backward(dy, cache)
    return dx, grads["W"], grads["b"]


def maxpool_reference(dy, x):
    """``dx`` of 2x2 max pooling with stride 2 (ties: the first maximum in row-major order)."""
    layer = MaxPool2d(2)
    _, cache = layer.forward(x)
    return layer.backward(dy, cache)[0]


def maxpool_variants(dy, x):
    """``{defect: dx}`` for the classic mistakes of 2x2 max-pool routing."""
    N, C, H, W = x.shape
    win = x.reshape(N, C, H // 2, 2, W // 2, 2)
    mx = win.max(axis=(3, 5), keepdims=True)
    up = dy.reshape(N, C, H // 2, 1, W // 2, 1)
    every_max = ((win == mx) * up).reshape(x.shape)
    # the last maximum in row-major order: the first one of the window read backwards
    flat = win.transpose(0, 1, 2, 4, 3, 5).reshape(N, C, H // 2, W // 2, 4)
    last = 3 - flat[..., ::-1].argmax(axis=-1)
    onehot = (np.arange(4) == last[..., None]).reshape(N, C, H // 2, W // 2, 2, 2)
    last_max = (onehot.transpose(0, 1, 2, 4, 3, 5) * up).reshape(x.shape)
    return {
        "every_max": every_max,
        "last_max": last_max,
        "average": np.broadcast_to(up / 4, win.shape).reshape(x.shape),
        "everywhere": np.broadcast_to(up, win.shape).reshape(x.shape),
    }


def conv_variants(dy, x, W, b, stride, padding):
    """``{defect: array}`` for the classic mistakes of the convolution backward."""
    dx, dW, db = conv_reference(dy, x, W, b, stride, padding)
    return {
        "dx_not_flipped": conv_reference(dy, x, W[:, :, ::-1, ::-1].copy(), b, stride,
                                         padding)[0],
        "dW_flipped": dW[:, :, ::-1, ::-1],
        "db_mean": db / (dy.shape[0] * dy.shape[2] * dy.shape[3]),
    }
