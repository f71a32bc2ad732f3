r"""Grader-only references for exercises 7 and 8 (shapes, softmax, gradient health, Adam).

Private to the grader, like :mod:`bplab.grading._references`: these are the answers, and the
values that known mistakes compute (the ``suspects`` a check names).

Exercise 7 (``07_shapes_softmax``): the backward of a broadcast add, the backward of a tied
residual block :math:`y = W\tanh(Wx) + x` (a value used twice), a stable log-sum-exp and the
fused softmax + cross-entropy backward. Exercise 8 (``08_health_optim``): the std of Xavier
and He initialisation, clipping by the global norm and one Adam step.
"""
from __future__ import annotations

import numpy as np

from bplab.layers import Linear, MSELoss, ReLU, Sequential, Tanh


# -- exercise 7 ----------------------------------------------------------------------------
def broadcast_add_backward(dY, axis):
    """``(dX, db)`` for ``Y = X + b`` with ``b`` broadcast along ``axis`` (size 1 there)."""
    return dY.copy(), dY.sum(axis=axis, keepdims=True)


def tied_residual_forward(x, W):
    """``y = W tanh(W x) + x``: ``x`` of shape (n, m), ``W`` of shape (n, n)."""
    return W @ np.tanh(W @ x) + x


def tied_residual_paths(dY, x, W):
    r"""The four path terms of the tied residual block's backward, by name.

    ``dx = skip + inner`` (the skip connection, and through :math:`Wx`) and
    ``dW = outer + inner_W`` (the outer use of :math:`W`, and the inner one).
    """
    h = np.tanh(W @ x)
    dh = W.T @ dY
    dz = dh * (1 - h * h)
    return {"skip": dY.copy(), "inner": W.T @ dz, "outer": dY @ h.T, "inner_W": dz @ x.T,
            "no_tanh_prime": (W.T @ dh, dh @ x.T)}


def tied_residual_backward(dY, x, W):
    """``(dx, dW)`` of the tied residual block for ``dY = dC/dy``."""
    p = tied_residual_paths(dY, x, W)
    return p["skip"] + p["inner"], p["outer"] + p["inner_W"]


def logsumexp(z, axis):
    r""":math:`\log\sum_k e^{z_k}` along ``axis``, keepdims, by the max shift."""
    M = np.max(z, axis=axis, keepdims=True)
    return M + np.log(np.sum(np.exp(z - M), axis=axis, keepdims=True))


def softmax_rows(Z):
    """The softmax of every row of ``Z`` (shape (N, C)), stable."""
    return np.exp(Z - logsumexp(Z, 1))


def softmax_ce_backward(Z, labels):
    """``dC/dZ = (softmax(Z) - Y) / N`` for the mean cross-entropy of integer ``labels``."""
    N, C = Z.shape
    return (softmax_rows(Z) - np.eye(C)[labels]) / N


# -- exercise 8 ----------------------------------------------------------------------------
INIT_ACTIVATIONS = ("identity", "tanh", "relu")


def init_std(fan_in, fan_out, activation):
    r"""Xavier, :math:`\sqrt{2/(n_{in} + n_{out})}`, for ``"identity"`` and ``"tanh"``; He,
    :math:`\sqrt{2/n_{in}}`, for ``"relu"``."""
    if activation == "relu":
        return float(np.sqrt(2.0 / fan_in))
    return float(np.sqrt(2.0 / (fan_in + fan_out)))


def deep_net(std_of, activation, depth, width, seed):
    """``depth`` square ``Linear`` layers of ``width`` units, weights from
    :math:`\\mathcal N(0, s^2)` with ``s = std_of(width, width)``, zero biases, ``activation``
    after every layer but the last; ``MSELoss``."""
    std = float(std_of(width, width))
    act = {"tanh": Tanh, "relu": ReLU}.get(activation)
    layers = []
    for l in range(depth):
        layers.append(Linear(width, width, seed=seed + l, gain=std * std * width))
        if l < depth - 1 and act is not None:
            layers.append(act())
    return Sequential(*layers, loss=MSELoss())


def delta_norms(model, X, seed):
    r""":math:`\lVert\delta^{(l)}\rVert` at every ``Linear``, from a random
    :math:`\delta^{(L)}` (independent of the weights), ``l = 1, ..., L``."""
    x, caches, linear = X, [], []
    for layer in model.layers:
        x, cache = layer._forward(x)
        caches.append(cache)
    dout = np.random.default_rng(seed).normal(size=x.shape)
    norms = []
    for layer, cache in zip(model.layers[::-1], caches[::-1]):
        if isinstance(layer, Linear):
            norms.append(float(np.linalg.norm(dout)))
        dout, _ = layer._backward(dout, cache)
    return np.array(norms[::-1])


def clip_grad_norm(grads, max_norm, *, per_tensor=False):
    r"""Clipped copies of ``grads`` and the global norm before clipping:
    :math:`g \leftarrow g \min(1, c/\lVert g\rVert)` (``per_tensor``: each array by its own
    norm, the known mistake)."""
    norms = [float(np.sqrt(np.sum(g * g))) for g in grads]
    total = float(np.sqrt(sum(n * n for n in norms)))
    if per_tensor:
        return [g * min(1.0, max_norm / n) if n > 0 else g.copy()
                for g, n in zip(grads, norms)], total
    scale = min(1.0, max_norm / total) if total > 0 else 1.0
    return [g * scale for g in grads], total


def adam_step(theta, g, m, v, t, *, lr, betas, eps, bias_correction=True, eps_inside=False):
    r"""One Adam step at step number ``t`` (1-based), as ``torch.optim.Adam``; returns
    ``(theta, m, v)``, new arrays. ``bias_correction=False`` and ``eps_inside=True`` are two
    known mistakes (no :math:`1/(1 - \beta^t)`; :math:`\sqrt{\hat v + \epsilon}`)."""
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = (m / (1 - b1 ** t), v / (1 - b2 ** t)) if bias_correction else (m, v)
    step = mh / (np.sqrt(vh + eps) if eps_inside else np.sqrt(vh) + eps)
    return theta - lr * step, m, v
