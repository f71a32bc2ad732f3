"""Invariants of bplab's fast path (issue 7). Nothing here is timed.

The training loop is optimised (np.dot, in-place updates, no multiplication by ones for a
linear output; see the chapter "Performance" and bench/). These tests pin down what those
optimisations must never change:

* the numbers: training and gradients equal a plain, textbook implementation (written here
  with ``W @ a + b`` and ``W -= lr * dW``) to 1e-12 relative — in practice bit for bit;
* memory: training never copies the data set per step (tracemalloc), and the memory a step
  allocates does not grow with the number of steps;
* ownership: inputs are never modified, caches and gradients are fresh arrays, and the
  weight arrays are updated in place (a reference to ``net.weights[0]`` sees the training).
"""
from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest

import bplab as bp
from bplab.activations import get_activation
from bplab.losses import get_loss

RTOL = 1e-12


# -- a plain reference: the four equations, written the obvious way ---------------------
def ref_forward(weights, biases, acts, X):
    a = [X]
    for W, b, f in zip(weights, biases, acts):
        a.append(f.fn(W @ a[-1] + b))
    return a


def ref_backward(weights, acts, loss, a, Y):
    L = len(weights)
    delta = loss.grad(a[-1], Y) * acts[-1].prime_from_a(a[-1])
    dW, db = [None] * L, [None] * L
    for l in range(L - 1, -1, -1):
        dW[l] = delta @ a[l].T
        db[l] = delta.sum(axis=1, keepdims=True)
        if l > 0:
            delta = (weights[l].T @ delta) * acts[l - 1].prime_from_a(a[l])
    return dW, db


def ref_train(net, X, Y, *, lr, epochs, batch_size=None, seed=0):
    """Gradient descent as bp.train documents it, on copies of the network's parameters."""
    weights = [W.copy() for W in net.weights]
    biases = [b.copy() for b in net.biases]
    acts = [get_activation(name) for name in net.hidden + [net.output]]
    loss = get_loss(net.loss_name)
    m = X.shape[1]
    batch_size = m if batch_size is None else min(batch_size, m)
    rng = np.random.default_rng(seed)
    batch_losses = []
    for _ in range(epochs):
        if batch_size == m:
            batches = [np.arange(m)]
        else:
            order = rng.permutation(m)
            batches = [order[i:i + batch_size] for i in range(0, m, batch_size)]
        for idx in batches:
            Xb, Yb = (X, Y) if batch_size == m else (X[:, idx], Y[:, idx])
            a = ref_forward(weights, biases, acts, Xb)
            batch_losses.append(loss.fn(a[-1], Yb))
            dW, db = ref_backward(weights, acts, loss, a, Yb)
            for l in range(len(weights)):
                weights[l] = weights[l] - lr * dW[l]
                biases[l] = biases[l] - lr * db[l]
    final = loss.fn(ref_forward(weights, biases, acts, X)[-1], Y)
    return weights, biases, np.array(batch_losses), final


def assert_close(actual, expected, what):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, what
    assert actual.dtype == expected.dtype, what
    scale = max(float(np.abs(expected).max()), np.finfo(expected.dtype).tiny)
    err = float(np.abs(actual - expected).max()) / scale
    assert err <= RTOL, f"{what}: relative difference {err:.3e} > {RTOL:g}"


def data(sizes, m, loss, seed=1, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(sizes[0], m)).astype(dtype)
    Y = rng.random((sizes[-1], m)).astype(dtype)
    if loss != "cross_entropy":
        Y = (4 * Y - 2).astype(dtype)
    return X, Y


CASES = [
    # sizes, hidden, output, loss, batch_size
    ([1, 25, 1], "sigmoid", "identity", "mse", None),          # the sine net
    ([2, 4, 1], "sigmoid", "sigmoid", "mse", None),            # the XOR net
    ([5, 8, 3], "tanh", "sigmoid", "cross_entropy", 7),        # mini-batches, last one short
    ([4, 6, 5, 2], "relu", "identity", "half_sse", 1),         # stochastic, deeper
    ([3, 4, 2], ["tanh"], "sigmoid", "mse", 16),             # one name per hidden layer
]


@pytest.mark.parametrize("sizes, hidden, output, loss, batch_size", CASES)
def test_train_matches_the_plain_reference(sizes, hidden, output, loss, batch_size):
    X, Y = data(sizes, 30, loss)
    net = bp.MLP(sizes, hidden=hidden, output=output, loss=loss, seed=3)
    weights, biases, batch_losses, final = ref_train(net, X, Y, lr=0.2, epochs=40,
                                                     batch_size=batch_size, seed=5)
    history = bp.train(net, X, Y, lr=0.2, epochs=40, batch_size=batch_size, seed=5)
    assert_close(history.batch_loss, batch_losses, "batch losses")
    assert_close(history.final_loss, final, "final loss")
    for l in range(net.n_layers):
        assert_close(net.weights[l], weights[l], f"weights[{l}]")
        assert_close(net.biases[l], biases[l], f"biases[{l}]")


def test_train_matches_the_plain_reference_in_float32():
    X, Y = data([3, 5, 2], 20, "mse", dtype=np.float32)
    net = bp.MLP([3, 5, 2], output="identity", seed=2, dtype=np.float32)
    weights, biases, batch_losses, _ = ref_train(net, X, Y, lr=0.1, epochs=25)
    history = bp.train(net, X, Y, lr=0.1, epochs=25)
    assert net.weights[0].dtype == np.float32
    np.testing.assert_array_equal(net.weights[0], weights[0])
    np.testing.assert_array_equal(net.biases[1], biases[1])
    np.testing.assert_allclose(history.batch_loss, batch_losses, rtol=1e-6)


@pytest.mark.parametrize("output, loss", [("identity", "mse"), ("sigmoid", "cross_entropy"),
                                          ("tanh", "half_sse")])
def test_gradients_match_the_plain_reference(output, loss):
    sizes = [4, 7, 5, 3]
    X, Y = data(sizes, 11, loss, seed=4)
    net = bp.MLP(sizes, hidden=["sigmoid", "relu"], output=output, loss=loss, seed=1)
    acts = [get_activation(n) for n in net.hidden + [net.output]]
    a = ref_forward(net.weights, net.biases, acts, X)
    dW_ref, db_ref = ref_backward(net.weights, acts, get_loss(loss), a, Y)
    value, dW, db = net.gradients(X, Y)
    assert_close(value, get_loss(loss).fn(a[-1], Y), "loss")
    for l in range(net.n_layers):
        assert_close(dW[l], dW_ref[l], f"dW[{l}]")
        assert_close(db[l], db_ref[l], f"db[{l}]")
    A, cache = net.forward(X)
    for l in range(net.n_layers + 1):
        assert_close(cache.a[l], a[l], f"cache.a[{l}]")


# -- memory ------------------------------------------------------------------------------
def peak_extra_bytes(fn):
    """Peak bytes allocated through Python while ``fn`` runs, above what was there before."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        result = fn()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return peak, result


@pytest.mark.parametrize("batch_size", [None, 50])
def test_training_does_not_copy_the_data_set(batch_size):
    # X is 8 MB; the network is narrow, so a step's own arrays are small. A copy of X (or a
    # shuffled copy of it per epoch) anywhere in the loop would push the peak above X's size.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5000))
    Y = rng.normal(size=(1, 5000))
    net = bp.MLP([200, 3, 1], seed=0)
    peak, history = peak_extra_bytes(
        lambda: bp.train(net, X, Y, lr=0.01, epochs=3, batch_size=batch_size))
    assert history.steps >= 3
    assert peak < X.nbytes / 4, (
        f"peak extra memory {peak / 1e6:.2f} MB during training is not far below the "
        f"{X.nbytes / 1e6:.1f} MB of X: is the data set copied?")


def test_memory_of_a_step_does_not_grow_with_the_steps():
    X, Y = data([6, 10, 2], 64, "mse")
    net = bp.MLP([6, 10, 2], seed=0)

    def extra(epochs):
        peak, history = peak_extra_bytes(
            lambda: bp.train(net.copy(), X, Y, lr=0.1, epochs=epochs, batch_size=16))
        # the history's two arrays grow with the steps by design: 8 bytes per step and epoch
        return peak - history.loss.nbytes - history.batch_loss.nbytes

    short, long = extra(10), extra(200)          # 40 steps against 800 steps
    assert long - short < 16_384, (
        f"the peak grew by {long - short} bytes from 40 to 800 steps: something "
        f"accumulates per step")


# -- ownership -----------------------------------------------------------------------------
def test_train_leaves_inputs_alone_and_updates_weights_in_place():
    X, Y = data([3, 5, 2], 24, "mse")
    X0, Y0 = X.copy(), Y.copy()
    net = bp.MLP([3, 5, 2], seed=0)
    W0, b1 = net.weights[0], net.biases[1]
    before = W0.copy()
    bp.train(net, X, Y, lr=0.1, epochs=5, batch_size=8)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)
    assert net.weights[0] is W0 and net.biases[1] is b1
    assert not np.array_equal(W0, before)


def test_caches_and_gradients_are_fresh_arrays():
    X, Y = data([2, 4, 1], 6, "mse")
    net = bp.MLP([2, 4, 1], seed=0)
    A1, cache1 = net.forward(X)
    kept = [a.copy() for a in cache1.a]
    A2, cache2 = net.forward(2 * X)
    for l, a in enumerate(cache1.a):
        np.testing.assert_array_equal(a, kept[l])
        assert l == 0 or not np.shares_memory(a, cache2.a[l])
    dW, db = net.backward(cache1, Y)
    arrays = net.weights + net.biases + cache1.a + cache1.z + [X, Y]
    for g in dW + db:
        assert not any(np.shares_memory(g, p) for p in arrays)
    weights_before = [W.copy() for W in net.weights]
    dW[0] *= 0.0                       # a caller may scale its gradients in place
    np.testing.assert_array_equal(net.weights[0], weights_before[0])
    assert not np.array_equal(net.backward(cache1, Y)[0][0], dW[0])
