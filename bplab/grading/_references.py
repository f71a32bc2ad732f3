"""Grader-only references: what a known mistake computes, and the perceptron's reference.

Private to the grader (not part of bplab's public API, not re-exported anywhere): these are
answers, or near-answers, to exercises.
"""
from __future__ import annotations

import numpy as np

import bplab as bp


def buggy_hidden_222(x, y, W1, W2):
    """Source 001's hidden gradients: output-layer *gradients* where the weights belong."""
    h = bp.sigmoid(W1 @ x)
    o = bp.sigmoid(W2 @ h)
    dW2 = ((o - y) * o * (1 - o)) @ h.T
    back = np.array([[dW2[0, 0] + dW2[1, 0]], [dW2[0, 1] + dW2[1, 1]]])
    return (back * h * (1 - h)) @ x.T, dW2


def rows_222(x, y, W1, W2):
    """The gradients a student gets who reads w1..w8 row by row (w1, w2 in the first row):
    expressed back in the task's layout, that is the transposes of the row-wise gradients."""
    net = bp.MLP([2, 2, 2], hidden="sigmoid", output="sigmoid", loss="half_sse")
    net.set_weights([W1.T.copy(), W2.T.copy()])
    _, (g1, g2), _ = net.gradients(x, y)
    return g1.T, g2.T


def gd_variant(net, X, Y, *, lr, epochs, batch_size, seed, shuffle="every epoch",
               accumulate=False):
    """Weight changes of mini-batch descent done wrong in one known way: batches never
    shuffled (``shuffle="never"``), shuffled once (``"once"``), or gradients summed across
    batches and never reset (``accumulate=True``)."""
    net, m = net.copy(), X.shape[1]
    rng = np.random.default_rng(seed)
    once = rng.permutation(m) if shuffle == "once" else None
    start = [W.copy() for W in net.weights]
    total = None
    for _ in range(epochs):
        if shuffle == "never" or batch_size >= m:
            order = np.arange(m)
        elif shuffle == "once":
            order = once
        else:
            order = rng.permutation(m)
        for i in range(0, m, batch_size):
            idx = order[i:i + batch_size]
            _, dW, db = net.gradients(X[:, idx], Y[:, idx])
            if accumulate:
                total = [g.copy() for g in dW + db] if total is None else \
                    [t + g for t, g in zip(total, dW + db)]
                dW, db = total[:len(dW)], total[len(dW):]
            for W, b, gW, gb in zip(net.weights, net.biases, dW, db):
                W -= lr * gW
                b -= lr * gb
    return np.concatenate([(W - W0).ravel() for W, W0 in zip(net.weights, start)])


def perceptron_reference(X, t, *, w0, b0, lr, max_epochs):
    """The perceptron rule with source 002's batch update, stopped when every point is right
    or after ``max_epochs`` updates. Returns ``(w, b, epochs, converged)``."""
    w, b = np.array(w0, dtype=float).reshape(1, -1), float(b0)
    m = X.shape[1]
    for epoch in range(max_epochs + 1):
        y = (w @ X + b > 0).astype(float)
        if np.array_equal(y, t):
            return w, b, epoch, True
        if epoch == max_epochs:
            break
        w = w + lr * (t - y) @ X.T / m
        b = b + lr * float(np.sum(t - y)) / m
    return w, b, max_epochs, False
