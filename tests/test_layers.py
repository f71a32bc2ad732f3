"""bplab.layers, one layer at a time: every backward against central finite differences
(fourth order, float64, 1e-9), hand-worked cases, float32, stability, and the errors.

The comparison with PyTorch's autograd is in test_layers_torch.py; Sequential, train,
gradcheck and autodiff are in test_sequential.py.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bplab as bp
from bplab.layers import (BCELoss, BCEWithLogitsLoss, CategoricalCrossEntropyLoss, Dropout,
                          Flatten, Identity, Linear, MSELoss, ReLU, Sigmoid, Softmax,
                          SoftmaxCrossEntropyLoss, Tanh)

TOL = 1e-9
dims = st.integers(1, 5)
seeds = st.integers(0, 2**16)


def fd(f, x):
    """Fourth-order central differences of the scalar f() with respect to x (in place)."""
    return bp.numerical_gradient(f, x, 1e-3, order=4)


def check_layer(layer, x, rng, reset=None):
    """The backward of ``layer`` at ``x`` against finite differences of sum(dout * out),
    for the input and for every parameter. ``reset()`` runs before each forward (to redraw
    the same dropout mask)."""
    (reset or (lambda: None))()
    out, cache = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx, grads = layer.backward(dout, cache)
    assert dx.shape == x.shape and set(grads) == set(layer.params)

    def f():
        (reset or (lambda: None))()
        return float(np.sum(dout * layer.forward(x)[0]))

    assert bp.relative_error(dx, fd(f, x)) < TOL
    for name, p in layer.params.items():
        assert grads[name].shape == p.shape
        assert bp.relative_error(grads[name], fd(f, p)) < TOL, name


def away_from_zero(x, margin=0.05):
    return np.where(x >= 0, x + margin, x - margin)


@given(dims, dims, dims, seeds)
@settings(max_examples=20)
def test_linear_backward_matches_finite_differences(N, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    layer = Linear(n_in, n_out, seed=seed)
    layer.params["b"][...] = rng.normal(size=n_out)
    check_layer(layer, rng.normal(size=(N, n_in)), rng)


@pytest.mark.parametrize("make", [Sigmoid, Tanh, ReLU, Identity, Softmax, Flatten],
                         ids=lambda m: m.__name__)
@given(shape=st.lists(dims, min_size=1, max_size=3), seed=seeds)
@settings(max_examples=10)
def test_function_layers_match_finite_differences(make, shape, seed):
    rng = np.random.default_rng(seed)
    x = away_from_zero(rng.normal(scale=2.0, size=shape))     # no relu kink within h
    check_layer(make(), x, rng)


@given(dims, dims, st.sampled_from([0.0, 0.3, 0.5, 0.9]), seeds)
@settings(max_examples=10)
def test_dropout_backward_matches_finite_differences_with_its_mask(N, d, p, seed):
    rng = np.random.default_rng(seed)
    layer = Dropout(p, seed=seed)

    def reset():                          # the same mask at every evaluation
        layer.rng = np.random.default_rng(seed)
    check_layer(layer, rng.normal(size=(N, d)), rng, reset)


def test_dropout_is_seeded_scaled_and_off_in_eval():
    x = np.ones((200, 50))
    a, _ = Dropout(0.3, seed=4).forward(x)
    b, _ = Dropout(0.3, seed=4).forward(x)
    c, _ = Dropout(0.3, seed=5).forward(x)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert set(np.unique(a)) == {0.0, 1 / 0.7}
    assert abs((a == 0).mean() - 0.3) < 0.01          # 10 000 draws: sd 0.005
    layer = Dropout(0.3, seed=4)
    first, _ = layer.forward(x)
    second, _ = layer.forward(x)
    assert not np.array_equal(first, second)          # a new mask per forward
    out, cache = layer.eval().forward(x)
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(layer.backward(2 * x, cache)[0], 2 * x)
    assert not np.any(Dropout(1.0).forward(x)[0])


# -- losses ------------------------------------------------------------------------------
def targets(kind, shape, rng):
    N, C = shape
    if kind == "labels":
        return rng.integers(0, C, size=N)
    if kind == "onehot":
        return np.eye(C)[rng.integers(0, C, size=N)]
    if kind == "probs":
        p = rng.random(shape) + 0.1
        return p / p.sum(axis=1, keepdims=True)
    if kind == "unit":
        return rng.random(shape)
    return rng.normal(size=shape)


LOSS_CASES = [
    (MSELoss, "real", "real"), (BCELoss, "prob", "unit"), (BCEWithLogitsLoss, "real", "unit"),
    (CategoricalCrossEntropyLoss, "rowprob", "labels"),
    (CategoricalCrossEntropyLoss, "rowprob", "onehot"),
    (SoftmaxCrossEntropyLoss, "real", "labels"), (SoftmaxCrossEntropyLoss, "real", "onehot"),
    (SoftmaxCrossEntropyLoss, "real", "probs"),
]


def loss_input(kind, shape, rng):
    if kind == "prob":
        return rng.uniform(0.2, 0.8, size=shape)
    if kind == "rowprob":
        p = rng.random(shape) + 0.5
        return p / p.sum(axis=1, keepdims=True)
    return rng.normal(scale=2.0, size=shape)


@pytest.mark.parametrize("make, xkind, ykind", LOSS_CASES,
                         ids=[f"{m.__name__}-{y}" for m, _, y in LOSS_CASES])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@given(dims, st.integers(2, 5), seeds)
@settings(max_examples=6)
def test_losses_match_finite_differences(make, xkind, ykind, reduction, N, C, seed):
    rng = np.random.default_rng(seed)
    loss = make(reduction=reduction)
    out, y = loss_input(xkind, (N, C), rng), targets(ykind, (N, C), rng)
    value, cache = loss.forward(out, y)
    dout = loss.backward(cache)
    assert dout.shape == out.shape
    num = fd(lambda: loss.forward(out, y)[0], out)
    assert bp.relative_error(dout, num) < TOL


def test_losses_by_hand():
    # MSE: mean over all four entries, as MLP's mse
    a, y = np.array([[1.0, 2.0], [3.0, 5.0]]), np.array([[0.0, 2.0], [3.0, 3.0]])
    loss = MSELoss()
    value, cache = loss.forward(a, y)
    assert value == pytest.approx((1 + 0 + 0 + 4) / 4, abs=1e-15)
    np.testing.assert_allclose(loss.backward(cache), 2 * (a - y) / 4, rtol=0, atol=1e-15)
    assert value == bp.mse(a.T, y.T)
    # softmax cross-entropy of equal logits over 4 classes: log 4, gradient (1/4 - y)/N
    loss = SoftmaxCrossEntropyLoss()
    value, cache = loss.forward(np.zeros((2, 4)), np.array([1, 3]))
    assert value == pytest.approx(np.log(4), rel=1e-15)
    np.testing.assert_allclose(loss.backward(cache),
                               (0.25 - np.eye(4)[[1, 3]]) / 2, rtol=0, atol=1e-16)
    # BCE with logits at z = 0: log 2 whatever the target; gradient (1/2 - y)/N
    loss = BCEWithLogitsLoss()
    value, cache = loss.forward(np.zeros((1, 2)), np.array([[1.0, 0.0]]))
    assert value == pytest.approx(np.log(2), rel=1e-15)
    np.testing.assert_allclose(loss.backward(cache), [[-0.25, 0.25]], atol=1e-16)


def test_linear_by_hand():
    layer = Linear.from_weights([[1.0, 2.0], [0.0, -1.0]], [0.5, 0.0])
    out, cache = layer.forward([[3.0, 4.0]])
    np.testing.assert_array_equal(out, [[11.5, -4.0]])           # x W^T + b
    dx, grads = layer.backward(np.array([[1.0, 2.0]]), cache)
    np.testing.assert_array_equal(dx, [[1.0, 0.0]])               # dout W
    np.testing.assert_array_equal(grads["W"], [[3.0, 4.0], [6.0, 8.0]])   # dout^T x
    np.testing.assert_array_equal(grads["b"], [1.0, 2.0])


def test_fused_losses_are_stable_where_the_unfused_ones_are_not():
    z = np.array([[1000.0, -1000.0, 0.0]])
    y = np.array([[0.0, 1.0, 1.0]])
    loss = BCEWithLogitsLoss()
    value, cache = loss.forward(z, y)
    assert value == pytest.approx((1000 + 1000 + np.log(2)) / 3, rel=1e-15)
    np.testing.assert_allclose(loss.backward(cache), [[1 / 3, -1 / 3, -1 / 6]], atol=1e-16)
    # the unfused pair saturates: sigmoid(1000) is exactly 1, the log is clamped at -100
    a, _ = Sigmoid().forward(z)
    assert BCELoss().forward(a, y)[0] == pytest.approx((100 + 100 + np.log(2)) / 3)
    logits = np.array([[1000.0, 0.0, -1000.0]])
    loss = SoftmaxCrossEntropyLoss()
    value, cache = loss.forward(logits, np.array([2]))
    assert value == pytest.approx(2000.0, rel=1e-15)
    np.testing.assert_allclose(loss.backward(cache), [[1.0, 0.0, -1.0]], atol=1e-300)
    p, _ = Softmax().forward(logits)
    assert p[0, 2] == 0.0                                         # underflow: log p = -inf
    assert CategoricalCrossEntropyLoss().forward(p, np.array([2]))[0] == 100.0  # clamped


def test_softmax_backward_equals_the_jacobian_it_never_builds():
    rng = np.random.default_rng(0)
    x, dout = rng.normal(size=(1, 5)), rng.normal(size=(1, 5))
    layer = Softmax()
    s, cache = layer.forward(x)
    J = np.diag(s[0]) - np.outer(s[0], s[0])
    np.testing.assert_allclose(layer.backward(dout, cache)[0],
                               (J.T @ dout[0])[None], rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-15)


@pytest.mark.parametrize("make", [lambda: Linear(3, 2, dtype=np.float32), Sigmoid, Tanh, ReLU,
                                  Softmax, lambda: Dropout(0.5, seed=1)],
                         ids=["Linear", "Sigmoid", "Tanh", "ReLU", "Softmax", "Dropout"])
def test_float32_runs_and_stays_float32(make):
    rng = np.random.default_rng(1)
    x64 = rng.normal(size=(4, 3))
    layer = make()
    out, cache = layer.forward(x64.astype(np.float32))
    dx, grads = layer.backward(np.ones_like(out), cache)
    assert out.dtype == dx.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())
    ref = make()
    if isinstance(ref, Dropout):           # float32 draws its own mask: check against it
        kept = out != 0
        np.testing.assert_allclose(out[kept], x64.astype(np.float32)[kept] * 2, rtol=1e-7)
        np.testing.assert_array_equal(dx, kept * np.float32(2.0))
        return
    if isinstance(ref, Linear):
        ref = Linear.from_weights(layer.params["W"].astype(np.float64))
    ref_out, ref_cache = ref.forward(x64.astype(np.float32).astype(np.float64))
    np.testing.assert_allclose(out, ref_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dx, ref.backward(np.ones_like(ref_out), ref_cache)[0],
                               rtol=1e-5, atol=1e-6)


def test_float32_losses():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(6, 4)).astype(np.float32)
    for loss, y in ((SoftmaxCrossEntropyLoss(), rng.integers(0, 4, 6)),
                    (BCEWithLogitsLoss(), rng.random((6, 4)).astype(np.float32)),
                    (MSELoss(), rng.random((6, 4)).astype(np.float32))):
        value, cache = loss.forward(z, y)
        g = loss.backward(cache)
        assert g.dtype == np.float32 and np.isfinite(value)
        g64 = loss.backward(loss.forward(z.astype(np.float64), np.asarray(y, np.float64)
                                         if y.dtype != np.int64 else y)[1])
        np.testing.assert_allclose(g, g64, rtol=1e-5, atol=1e-7)


# -- errors: expected / got / fix, naming the layer -----------------------------------------
def test_wrong_input_shape_names_the_layer_and_the_fix():
    with pytest.raises(ValueError, match=r"Linear\(3, 2\) expects x of shape \(N, 3\).*"
                                         r"got shape \(5, 4\)"):
        Linear(3, 2).forward(np.ones((5, 4)))
    with pytest.raises(ValueError, match=r"got shape \(3, 5\).*pass x\.T"):
        Linear(3, 2).forward(np.ones((3, 5)))
    with pytest.raises(ValueError, match=r"got shape \(5,\).*reshape\(-1, 1\)"):
        Linear(1, 2).forward(np.ones(5))


def test_wrong_dtype_and_non_numbers():
    with pytest.raises(ValueError, match=r"Linear\(3, 2\): x has dtype float32, but the "
                                         r"layer's parameters are float64.*astype"):
        Linear(3, 2).forward(np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match=r"Sigmoid\(\): x must hold real numbers; got "
                                         r"dtype <U1"):
        Sigmoid().forward(np.array([["a"]]))
    with pytest.raises(ValueError, match="real numbers; got dtype complex128"):
        Tanh().forward(np.ones(2) * 1j)
    out, _ = Linear(2, 1).forward([[1, 2]])                    # integers are converted
    assert out.dtype == np.float64


def test_non_finite_values_are_refused():
    with pytest.raises(ValueError, match=r"ReLU\(\): x contains 1 non-finite value.*index "
                                         r"\(0, 1\)"):
        ReLU().forward(np.array([[1.0, np.nan]]))
    layer = Tanh()
    out, cache = layer.forward(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"Tanh\(\): dout contains 2 non-finite"):
        layer.backward(np.array([[np.inf, 0.0], [0.0, -np.inf]]), cache)
    with pytest.raises(ValueError, match=r"MSELoss\(\): target contains 1 non-finite"):
        MSELoss().forward(np.ones((1, 2)), np.array([[0.0, np.nan]]))


def test_backward_without_forward_or_with_another_layers_cache():
    layer, other = Linear(2, 2), Linear(2, 2)
    with pytest.raises(ValueError, match=r"Linear\(2, 2\): backward needs the cache returned "
                                         r"by this layer's own forward; got None.*forward"):
        layer.backward(np.ones((1, 2)), None)
    _, cache = other.forward(np.ones((1, 2)))
    with pytest.raises(ValueError, match="got the cache of Linear"):
        layer.backward(np.ones((1, 2)), cache)
    with pytest.raises(ValueError, match=r"SoftmaxCrossEntropyLoss\(\): backward needs the "
                                         r"cache"):
        SoftmaxCrossEntropyLoss().backward(None)


def test_backward_fed_the_wrong_gradient_shape():
    layer = Linear(3, 2)
    _, cache = layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"Linear\(3, 2\): dout must have the shape of this "
                                         r"layer's output \(4, 2\).*got \(4, 3\)"):
        layer.backward(np.ones((4, 3)), cache)


def test_loss_target_errors():
    with pytest.raises(ValueError, match=r"MSELoss\(\): target must have the output's shape "
                                         r"\(3, 1\).*got \(1, 3\).*target\.T"):
        MSELoss().forward(np.ones((3, 1)), np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"class labels must be 2 integers in \[0, 3\)"):
        SoftmaxCrossEntropyLoss().forward(np.ones((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match=r"integer class labels \(shape \(2,\)\) or one-hot"):
        SoftmaxCrossEntropyLoss().forward(np.ones((2, 3)), np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"BCEWithLogitsLoss\(\): targets must lie in "
                                         r"\[0, 1\]"):
        BCEWithLogitsLoss().forward(np.ones((2, 1)), np.full((2, 1), 2.0))
    with pytest.raises(ValueError, match="reduction must be 'mean' or 'sum'"):
        MSELoss(reduction="none")


def test_constructor_errors():
    with pytest.raises(ValueError, match="n_in must be a positive integer; got 0"):
        Linear(0, 3)
    with pytest.raises(ValueError, match=r"p must be a probability in \[0, 1\]; got 1.5"):
        Dropout(1.5)
    with pytest.raises(ValueError, match="dtype must be np.float64 or np.float32"):
        Linear(2, 2, dtype=np.int32)
    with pytest.raises(ValueError, match=r"b must have shape \(2,\)"):
        Linear.from_weights(np.ones((2, 3)), np.ones(3))
