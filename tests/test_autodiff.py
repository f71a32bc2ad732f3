"""bplab.autodiff: each operation against finite differences, broadcasting, and the whole
MLP against the hand-written backward (net.gradients) and, when installed, PyTorch."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bplab as bp
from bplab import autodiff as ad
from bplab.autodiff import Tensor
from tests.conftest import require

RNG_SEED = 1234


def _fd_check(build, *shapes, positive=False, h=1e-6, tol=1e-8, seed=0):
    """Build ``build(*tensors)`` on random inputs, reduce it with random weights R (so every
    entry of the output matters differently) and compare each input's ``.grad`` with central
    differences of the same function."""
    rng = np.random.default_rng(seed)
    arrays = [rng.uniform(0.5, 2.0, s) if positive else rng.normal(size=s) for s in shapes]
    out_shape = build(*[Tensor(a) for a in arrays]).shape
    R = rng.normal(size=out_shape)

    def value():
        return float((build(*[Tensor(a) for a in arrays]).data * R).sum())

    tensors = [Tensor(a) for a in arrays]
    (build(*tensors) * R).sum().backward()
    for t, a in zip(tensors, arrays):
        numeric = bp.numerical_gradient(value, a, h)
        assert t.grad.shape == a.shape
        err = bp.relative_error(t.grad, numeric)
        assert err < tol, f"relative error {err:.2e} for input of shape {a.shape}"


OPS = {
    "add": (lambda a, b: a + b, [(3, 4), (3, 4)], False),
    "sub": (lambda a, b: a - b, [(3, 4), (3, 4)], False),
    "mul": (lambda a, b: a * b, [(3, 4), (3, 4)], False),
    "div": (lambda a, b: a / b, [(3, 4), (3, 4)], True),
    "neg": (lambda a: -a, [(2, 5)], False),
    "matmul": (lambda a, b: a @ b, [(3, 4), (4, 2)], False),
    "transpose": (lambda a: a.T, [(3, 4)], False),
    "sum_all": (lambda a: a.sum(), [(3, 4)], False),
    "sum_axis0": (lambda a: a.sum(axis=0), [(3, 4)], False),
    "sum_axis1_keepdims": (lambda a: a.sum(axis=1, keepdims=True), [(3, 4)], False),
    "mean_all": (lambda a: a.mean(), [(3, 4)], False),
    "mean_axis1": (lambda a: a.mean(axis=1), [(3, 4)], False),
    "sigmoid": (ad.sigmoid, [(3, 4)], False),
    "tanh": (ad.tanh, [(3, 4)], False),
    "relu": (ad.relu, [(3, 4)], False),
    "exp": (ad.exp, [(3, 4)], False),
    "log": (ad.log, [(3, 4)], True),
    "square": (ad.square, [(3, 4)], False),
    "scalar_left": (lambda a: 2.0 - 3.0 * a + 1.0 / a, [(2, 3)], True),
    "reused_input": (lambda a: a * a + a, [(3, 3)], False),
    "composite": (lambda W, x, b: ad.tanh(W @ x + b).T @ ad.sigmoid(x),
                  [(3, 3), (3, 2), (3, 1)], False),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_each_op_matches_finite_differences(name):
    build, shapes, positive = OPS[name]
    _fd_check(build, *shapes, positive=positive)


@pytest.mark.parametrize("shape_a, shape_b", [
    ((3, 4), (4,)), ((3, 4), (3, 1)), ((3, 4), (1, 4)), ((3, 4), ()), ((3, 1), (1, 4)),
    ((2, 3, 4), (3, 1)),
])
@pytest.mark.parametrize("op", ["add", "sub", "mul"])
def test_broadcast_gradients_are_summed_back(shape_a, shape_b, op):
    build = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b,
             "mul": lambda a, b: a * b}[op]
    _fd_check(build, shape_a, shape_b)


def test_bias_gradient_is_the_sum_over_samples():
    rng = np.random.default_rng(RNG_SEED)
    Z, b = Tensor(rng.normal(size=(3, 5))), Tensor(np.zeros((3, 1)))
    (Z + b).sum().backward()
    np.testing.assert_array_equal(b.grad, np.full((3, 1), 5.0))


def test_matmul_gradient_worked_by_hand():
    # C = sum(W x): dC/dW = 1 x^T, dC/dx = W^T 1.
    W = Tensor(np.array([[0.2, 0.5], [-0.4, 0.6]]))
    x = Tensor(np.array([[0.5], [0.3]]))
    (W @ x).sum().backward()
    np.testing.assert_array_equal(W.grad, [[0.5, 0.3], [0.5, 0.3]])
    np.testing.assert_allclose(x.grad, [[-0.2], [1.1]], rtol=0, atol=1e-15)


def test_sigmoid_derivative_at_zero_is_a_quarter():
    x = Tensor(np.zeros((1, 1)))
    ad.sigmoid(x).backward()
    assert x.grad[0, 0] == 0.25


def test_shared_node_gradients_add_up():
    # y = x * x uses x twice: dy/dx = 2x, the sum of both paths.
    x = Tensor(np.array([3.0]))
    (x * x).sum().backward()
    assert x.grad[0] == 6.0


def test_topological_order_puts_parents_first_and_visits_once():
    x = Tensor(np.ones((2, 2)))
    h = ad.tanh(x)
    y = (h * h + h).sum()
    order = ad.topological_order(y)
    assert order[-1] is y and order[0] is x
    assert len(order) == len({id(n) for n in order}) == 5     # x, h, h*h, h*h+h, sum
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for parent, _ in node.parents:
            assert position[id(parent)] < position[id(node)]


def test_deep_graph_needs_no_recursion():
    x = Tensor(np.array([1.0]))
    y = x
    for _ in range(5000):
        y = y * 1.0 + 0.0
    y.sum().backward()
    assert x.grad[0] == 1.0


def test_leaf_gradients_accumulate_and_intermediates_do_not():
    x = Tensor(np.array([2.0]))
    h = x * 3.0
    y = h.sum()
    y.backward()
    y.backward()
    assert x.grad[0] == 6.0        # 3 + 3, as in PyTorch without zero_grad
    assert h.grad[0] == 1.0        # recomputed, not doubled


def test_float32_stays_float32():
    x = Tensor(np.ones((2, 2), dtype=np.float32))
    y = (0.5 * ad.square(x - 1.0)).mean() + ad.sigmoid(x).sum()
    y.backward()
    assert y.data.dtype == np.float32 and x.grad.dtype == np.float32


def test_errors_say_what_to_do():
    with pytest.raises(ValueError, match=r"single number.*\.sum\(\)"):
        Tensor(np.ones((2, 2))).backward()
    with pytest.raises(ValueError, match="seed gradient must have"):
        Tensor(np.ones((2, 2))).backward(np.ones(3))
    with pytest.raises(ValueError, match="2-D tensors only.*reshape"):
        Tensor(np.ones(3)) @ Tensor(np.ones(3))


def test_binary_cross_entropy_matches_bplab_losses_including_clamps():
    A = np.array([[0.0, 1e-50, 0.3, 1.0 - 1e-17, 1.0]])
    Y = np.array([[1.0, 0.0, 0.6, 1.0, 0.0]])
    t = Tensor(A)
    loss = ad.binary_cross_entropy(t, Y)
    loss.backward()
    assert float(loss.data) == bp.cross_entropy(A, Y)
    np.testing.assert_array_equal(t.grad, bp.losses.cross_entropy_grad(A, Y))


# -- the whole network ------------------------------------------------------------------
LAYOUTS = [("identity", "mse"), ("sigmoid", "cross_entropy"), ("tanh", "half_sse"),
           ("relu", "mse"), ("step", "half_sse"), ("sigmoid", "mse")]


@st.composite
def networks(draw):
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=5))
    hidden = draw(st.lists(st.sampled_from(list(bp.activations.ACTIVATIONS)),
                           min_size=len(sizes) - 2, max_size=len(sizes) - 2))
    output, loss = draw(st.sampled_from(LAYOUTS))
    init = draw(st.sampled_from(["scaled", "uniform01"]))
    seed = draw(st.integers(0, 2**16))
    m = draw(st.integers(1, 6))
    net = bp.MLP(sizes, hidden=hidden, output=output, loss=loss, seed=seed, init=init)
    rng = np.random.default_rng(seed + 1)
    for b in net.biases:
        b += rng.normal(size=b.shape)
    X = rng.normal(size=(sizes[0], m))
    Y = rng.random((sizes[-1], m)) if loss == "cross_entropy" else rng.normal(size=(sizes[-1], m))
    return net, X, Y


def _assert_close(got, want, tol=1e-12):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape
    scale = max(1.0, float(np.abs(want).max(initial=0.0)))
    err = float(np.abs(got - want).max(initial=0.0))
    assert err <= tol * scale, f"max abs difference {err:.3e} (scale {scale:.3g})"


@settings(max_examples=40)
@given(networks())
def test_mlp_gradients_match_hand_written_backward(case):
    net, X, Y = case
    loss, dW, db = net.gradients(X, Y)
    loss_ad, dW_ad, db_ad = ad.mlp_gradients(net, X, Y)
    _assert_close(loss_ad, loss)
    assert len(dW_ad) == len(db_ad) == net.n_layers
    for l in range(net.n_layers):
        assert dW_ad[l].shape == net.weights[l].shape and db_ad[l].shape == net.biases[l].shape
        _assert_close(dW_ad[l], dW[l])
        _assert_close(db_ad[l], db[l])


def test_mlp_gradients_do_not_use_the_hand_written_backward(monkeypatch):
    net = bp.MLP([2, 3, 1], seed=0)
    X, Y = bp.datasets.xor()
    want = net.gradients(X, Y)

    def broken(*args, **kwargs):
        raise AssertionError("mlp_gradients must not call the network's backward pass")
    monkeypatch.setattr(net, "_backward", broken)
    monkeypatch.setattr(net, "backward", broken)
    got = ad.mlp_gradients(net, X, Y)
    for g, w in zip(got[1] + got[2], want[1] + want[2]):
        _assert_close(g, w)


def test_mlp_gradients_catch_a_wrong_backward():
    """The check has teeth: a backward with sigma' dropped in the hidden layer disagrees."""
    net = bp.MLP([2, 3, 1], seed=0)
    X, Y = bp.datasets.xor()
    _, dW_ad, _ = ad.mlp_gradients(net, X, Y)
    broken = net.copy()
    broken.activations = [bp.activations.ACTIVATIONS["identity"], broken.activations[-1]]
    A, cache = net.forward(X)
    dW_bad, _ = broken.backward(cache, Y)      # same forward values, derivative missing
    assert bp.relative_error(dW_bad[0], dW_ad[0]) > 1e-2


def test_mlp_gradients_on_the_222_network_by_hand():
    d = bp.datasets.net222()
    net = bp.MLP([2, 2, 2], hidden="sigmoid", output="sigmoid", loss="half_sse")
    net.set_weights([d.W1, d.W2])
    loss, dW, db = ad.mlp_gradients(net, d.x, d.y)
    # By hand: h = sigma(W1 x), o = sigma(W2 h), delta2 = (o - y) o (1 - o),
    # delta1 = W2^T delta2 * h (1 - h).
    h = 1 / (1 + np.exp(-d.W1 @ d.x))
    o = 1 / (1 + np.exp(-d.W2 @ h))
    delta2 = (o - d.y) * o * (1 - o)
    delta1 = (d.W2.T @ delta2) * h * (1 - h)
    _assert_close(loss, 0.5 * np.sum((o - d.y) ** 2))
    _assert_close(dW[1], delta2 @ h.T)
    _assert_close(dW[0], delta1 @ d.x.T)


# -- PyTorch ----------------------------------------------------------------------------
def _torch():
    torch = require("torch", "the second independent check of the engine")
    torch.set_num_threads(1)
    return torch


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "exp", "log", "square"])
def test_unary_functions_match_pytorch(name):
    torch = _torch()
    rng = np.random.default_rng(RNG_SEED)
    a = rng.uniform(0.1, 2.0, (3, 4)) if name == "log" else rng.normal(size=(3, 4))
    R = rng.normal(size=(3, 4))
    x = Tensor(a)
    (getattr(ad, name)(x) * R).sum().backward()
    xt = torch.tensor(a, requires_grad=True)
    fn = {"square": torch.square, "relu": torch.relu}.get(name, getattr(torch, name))
    (fn(xt) * torch.tensor(R)).sum().backward()
    _assert_close(x.grad, xt.grad.numpy())


def _torch_mlp_gradients(torch, net, X, Y):
    F = torch.nn.functional
    acts = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
            "identity": lambda z: z,
            # a step passes no gradient; "+ 0 * z" keeps the layer in the graph
            "step": lambda z: (z > 0).to(z.dtype) + 0 * z}
    Ws = [torch.tensor(W, requires_grad=True) for W in net.weights]
    bs = [torch.tensor(b, requires_grad=True) for b in net.biases]
    a, Yt = torch.tensor(X), torch.tensor(Y)
    for W, b, f in zip(Ws, bs, net.activations):
        a = acts[f.name](W @ a + b)
    if net.loss_name == "mse":
        loss = F.mse_loss(a, Yt)
    elif net.loss_name == "half_sse":
        loss = 0.5 * ((a - Yt) ** 2).sum()
    else:
        loss = F.binary_cross_entropy(a, Yt)
    loss.backward()
    return float(loss.detach()), [W.grad.numpy() for W in Ws], [b.grad.numpy() for b in bs]


@settings(max_examples=25)
@given(networks())
def test_mlp_gradients_match_pytorch(case):
    torch = _torch()
    net, X, Y = case
    loss_t, dW_t, db_t = _torch_mlp_gradients(torch, net, X, Y)
    loss, dW, db = ad.mlp_gradients(net, X, Y)
    _assert_close(loss, loss_t)
    for g, w in zip(dW + db, dW_t + db_t):
        _assert_close(g, w)
