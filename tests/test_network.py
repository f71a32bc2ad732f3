"""The MLP: shapes, the explicit cache, explicit weights, and a case worked by hand."""
import math

import numpy as np
import pytest

import bplab as bp


def net222():
    """The 2-2-2 network of source 001 with its exact initial weights and no biases."""
    ex = bp.datasets.net222()
    net = bp.MLP([2, 2, 2], hidden="sigmoid", output="sigmoid", loss="half_sse")
    net.set_weights([ex.W1, ex.W2], [np.zeros(2), np.zeros(2)])
    return net, ex


def hand_gradients(w, x1, x2, y1, y2):
    """The first-step gradients of the 2-2-2 example, written out scalar by scalar."""
    s = lambda t: 1 / (1 + math.exp(-t))
    h1 = s(w["w1"] * x1 + w["w3"] * x2)
    h2 = s(w["w2"] * x1 + w["w4"] * x2)
    o1 = s(w["w5"] * h1 + w["w7"] * h2)
    o2 = s(w["w6"] * h1 + w["w8"] * h2)
    # dC/d(in_o) for C = 1/2 (o1 - y1)^2 + 1/2 (o2 - y2)^2
    d_o1 = (o1 - y1) * o1 * (1 - o1)
    d_o2 = (o2 - y2) * o2 * (1 - o2)
    # dC/d(in_h): each hidden unit reaches both outputs, through w5/w6 (h1) and w7/w8 (h2)
    d_h1 = (d_o1 * w["w5"] + d_o2 * w["w6"]) * h1 * (1 - h1)
    d_h2 = (d_o1 * w["w7"] + d_o2 * w["w8"]) * h2 * (1 - h2)
    loss = 0.5 * (o1 - y1) ** 2 + 0.5 * (o2 - y2) ** 2
    grads = dict(w1=d_h1 * x1, w3=d_h1 * x2, w2=d_h2 * x1, w4=d_h2 * x2,
                 w5=d_o1 * h1, w7=d_o1 * h2, w6=d_o2 * h1, w8=d_o2 * h2)
    return loss, grads


def test_first_step_gradients_of_the_222_example_match_the_hand_computation():
    net, ex = net222()
    loss, dW, db = net.gradients(ex.x, ex.y)
    hand_loss, g = hand_gradients(ex.w, 0.5, 0.3, 0.23, -0.07)
    assert loss == pytest.approx(hand_loss, rel=1e-14)
    np.testing.assert_allclose(dW[0], [[g["w1"], g["w3"]], [g["w2"], g["w4"]]], rtol=1e-13)
    np.testing.assert_allclose(dW[1], [[g["w5"], g["w7"]], [g["w6"], g["w8"]]], rtol=1e-13)
    # both outputs start above their targets (o1 = 0.477 > 0.23, o2 = 0.529 > -0.07), so
    # raising w5 or w6 (which multiply h1 > 0) raises the loss
    assert g["w5"] > 0 and g["w6"] > 0


def test_forward_returns_output_and_an_explicit_cache():
    net = bp.MLP([3, 4, 5, 2], seed=1)
    X = np.random.default_rng(0).normal(size=(3, 6))
    A, cache = net.forward(X)
    assert A.shape == (2, 6)
    assert [a.shape for a in cache.a] == [(3, 6), (4, 6), (5, 6), (2, 6)]
    assert [z.shape for z in cache.z] == [(4, 6), (5, 6), (2, 6)]
    np.testing.assert_array_equal(cache.a[0], X)
    np.testing.assert_allclose(cache.a[1], bp.sigmoid(net.weights[0] @ X + net.biases[0]))
    np.testing.assert_array_equal(A, cache.a[-1])


def test_backward_uses_the_cache_it_is_given():
    net = bp.MLP([2, 3, 1], seed=2)
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(2, 5)), rng.normal(size=(1, 5))
    _, cache = net.forward(X)
    dW, db = net.backward(cache, Y)
    loss, dW2, db2 = net.gradients(X, Y)
    for a, b in zip(dW + db, dW2 + db2):
        np.testing.assert_array_equal(a, b)
    # a cache of other inputs gives other gradients: backward really reads the cache
    _, other = net.forward(X + 1.0)
    assert not np.allclose(net.backward(other, Y)[0][0], dW[0])


@pytest.mark.parametrize("sizes", [[1, 1], [2, 3, 1], [4, 5, 6, 7, 3]])
def test_parameter_and_gradient_shapes(sizes):
    net = bp.MLP(sizes, seed=0)
    assert [W.shape for W in net.weights] == [(o, i) for i, o in zip(sizes, sizes[1:])]
    assert [b.shape for b in net.biases] == [(o, 1) for o in sizes[1:]]
    X = np.ones((sizes[0], 3))
    Y = np.zeros((sizes[-1], 3))
    _, dW, db = net.gradients(X, Y)
    assert [g.shape for g in dW] == [W.shape for W in net.weights]
    assert [g.shape for g in db] == [b.shape for b in net.biases]


def test_seed_makes_initial_weights_reproducible_and_centred():
    a, b, c = bp.MLP([50, 40, 1], seed=7), bp.MLP([50, 40, 1], seed=7), bp.MLP([50, 40, 1], seed=8)
    np.testing.assert_array_equal(a.weights[0], b.weights[0])
    assert not np.array_equal(a.weights[0], c.weights[0])
    W = a.weights[0]
    assert abs(W.mean()) < 0.02 and W.std() == pytest.approx(1 / np.sqrt(50), rel=0.1)
    positive = bp.MLP([50, 40, 1], seed=7, init="uniform01").weights[0]
    assert positive.min() >= 0 and positive.max() < 1


def test_set_weights_copies_and_accepts_flat_biases():
    net = bp.MLP([2, 2, 1])
    W = [np.eye(2), np.array([[1, -1]])]          # integers are converted
    net.set_weights(W, [[1, 2], [3]])
    assert net.weights[1].dtype == np.float64
    np.testing.assert_array_equal(net.biases[0], [[1.0], [2.0]])
    W[0][0, 0] = 99
    assert net.weights[0][0, 0] == 1.0


def test_copy_is_independent():
    net = bp.MLP([2, 3, 1], seed=0)
    twin = net.copy()
    twin.weights[0] += 1
    assert not np.allclose(twin.weights[0], net.weights[0])


def test_float32_networks_stay_float32():
    net = bp.MLP([2, 3, 1], dtype=np.float32)
    A, cache = net.forward(np.ones((2, 4)))
    _, dW, db = net.gradients(np.ones((2, 4)), np.zeros((1, 4)))
    assert A.dtype == np.float32 and dW[0].dtype == np.float32


def test_repr_names_the_architecture():
    assert repr(bp.MLP([1, 25, 1])) == \
        "MLP(sizes=[1, 25, 1], hidden='sigmoid', output='identity', loss='mse')"
