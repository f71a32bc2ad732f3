"""Peer (c): the matrix products alone, the floor no implementation of the algorithm can beat.

Per step, the same sequence of products with the same shapes and the same transposes as
``MLP._forward`` / ``MLP._backward``: ``W @ a`` for every layer, then from the top layer down
``delta @ a.T`` and (except at the first layer) ``W.T @ delta``. Nothing else: no bias, no
activation, no loss, no update. The operands are fixed random arrays of the right shapes.
"""
from __future__ import annotations

import numpy as np


def operands(sizes, batch_sizes, seed=0):
    """Random operands for each distinct batch size: weights, activations and deltas."""
    rng = np.random.default_rng(seed)
    W = [rng.normal(size=(n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    by_m = {}
    for m in set(batch_sizes):
        a = [rng.random((n, m)) for n in sizes]
        delta = [rng.random((n, m)) for n in sizes[1:]]
        by_m[m] = (a, delta)
    return W, by_m


def run(W, by_m, batch_sizes):
    """The matrix products of one training run, one step per entry of ``batch_sizes``."""
    L = len(W)
    for m in batch_sizes:
        a, delta = by_m[m]
        for l in range(L):
            W[l] @ a[l]
        for l in range(L - 1, -1, -1):
            delta[l] @ a[l].T
            if l > 0:
                W[l].T @ delta[l]
