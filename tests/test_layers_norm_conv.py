"""bplab.layers.norm and bplab.layers.conv: every backward against central finite differences
(fourth order, float64, 1e-9), the convolution's input gradient as a full convolution with
the flipped kernel, im2col's memory, running statistics, float32, and the errors.

The comparison with PyTorch's autograd is in test_layers_norm_conv_torch.py.
"""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bplab as bp
from bplab.layers.conv import Conv2d, MaxPool2d, col2im, im2col
from bplab.layers.norm import BatchNorm1d, BatchNorm2d, LayerNorm
from tests.test_layers import TOL, check_layer

seeds = st.integers(0, 2**16)


@st.composite
def conv_geometry(draw, max_side=6):
    """(N, C_in, C_out, H, W, kernel, stride, padding) with the kernel fitting the padded
    input: the shapes a Conv2d or MaxPool2d accepts."""
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    H = draw(st.integers(max(1, kernel[0] - 2 * padding[0]), max_side))
    W = draw(st.integers(max(1, kernel[1] - 2 * padding[1]), max_side))
    return (draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3)),
            H, W, kernel, stride, padding)


def conv_layer(C_in, C_out, kernel, stride, padding, bias, seed, dtype=np.float64):
    layer = Conv2d(C_in, C_out, kernel, stride, padding, bias=bias, seed=seed, dtype=dtype)
    if bias:
        layer.params["b"][...] = np.random.default_rng(seed + 1).normal(size=C_out)
    return layer


def distinct(shape, rng, gap=0.1):
    """Values at least ``gap`` apart (no tie or near-tie within a pooling window)."""
    return (rng.permutation(int(np.prod(shape))) * gap - 1.0).reshape(shape)


# -- finite differences ----------------------------------------------------------------------
@given(conv_geometry(max_side=5), st.booleans(), seeds)
@settings(max_examples=10, deadline=None)
def test_conv2d_backward_matches_finite_differences(geometry, bias, seed):
    N, C_in, C_out, H, W, kernel, stride, padding = geometry
    rng = np.random.default_rng(seed)
    layer = conv_layer(C_in, C_out, kernel, stride, padding, bias, seed)
    check_layer(layer, rng.normal(size=(N, C_in, H, W)), rng)


@given(conv_geometry(), seeds)
@settings(max_examples=12, deadline=None)
def test_maxpool2d_backward_matches_finite_differences(geometry, seed):
    N, C, _, H, W, kernel, stride, _ = geometry
    rng = np.random.default_rng(seed)
    H, W = max(H, kernel[0]), max(W, kernel[1])
    check_layer(MaxPool2d(kernel, stride), distinct((N, C, H, W), rng), rng)


@pytest.mark.parametrize("make, tail", [(BatchNorm1d, ()), (BatchNorm1d, (3,)),
                                        (BatchNorm2d, (3, 2))], ids=["1d", "1d-L", "2d"])
@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@given(st.integers(3, 5), st.integers(1, 4), seeds)
@settings(max_examples=8, deadline=None)
def test_batchnorm_backward_matches_finite_differences(make, tail, training, N, C, seed):
    # N >= 3: with M = 2 entries per channel x̂ = ±1 whatever x, and dx is only ~eps/σ²
    rng = np.random.default_rng(seed)
    layer = make(C)
    layer.params["weight"][...] = rng.normal(size=C)
    layer.params["bias"][...] = rng.normal(size=C)
    layer.running_mean[...] = rng.normal(size=C)
    layer.running_var[...] = rng.uniform(0.5, 2.0, size=C)
    layer.train(training)
    x = rng.normal(scale=2.0, size=(N, C) + tail) + 1.0
    check_layer(layer, x, rng)


@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.integers(1, 2), seeds)
@settings(max_examples=12, deadline=None)
def test_layernorm_backward_matches_finite_differences(shape, k, seed):
    rng = np.random.default_rng(seed)
    k = min(k, len(shape))
    normalized = tuple(shape[len(shape) - k:])
    if np.prod(normalized) < 3:                  # as for batch norm: M >= 3
        normalized, shape = (3,), shape + [3]
    layer = LayerNorm(normalized)
    layer.params["weight"][...] = rng.normal(size=normalized)
    layer.params["bias"][...] = rng.normal(size=normalized)
    check_layer(layer, rng.normal(scale=2.0, size=shape) + 1.0, rng)


# -- the convolution's structure ---------------------------------------------------------
def full_convolution_with_flipped_kernel(dout, W, x_shape, stride, padding):
    """dx computed the other way: dout dilated by the stride (s - 1 zeros between entries),
    convolved in full (padding k - 1) with W flipped in H and W and its channel axes
    swapped, cropped to x. Uses only Conv2d's forward."""
    N, F, Ho, Wo = dout.shape
    C, (kh, kw), (sh, sw), (ph, pw) = x_shape[1], W.shape[2:], stride, padding
    dil = np.zeros((N, F, (Ho - 1) * sh + 1, (Wo - 1) * sw + 1))
    dil[:, :, ::sh, ::sw] = dout
    flipped = Conv2d(F, C, (kh, kw), padding=(kh - 1, kw - 1), bias=False)
    flipped.params["W"][...] = W.transpose(1, 0, 2, 3)[:, :, ::-1, ::-1]
    full, _ = flipped.forward(dil)                      # (N, C, (Ho-1)s + k, ...)
    Hp, Wp = x_shape[2] + 2 * ph, x_shape[3] + 2 * pw   # rows no window reached get 0
    dxp = np.zeros((N, C, Hp, Wp))
    dxp[:, :, :full.shape[2], :full.shape[3]] = full
    return dxp[:, :, ph:ph + x_shape[2], pw:pw + x_shape[3]]


@given(conv_geometry(max_side=8), seeds)
@settings(max_examples=25, deadline=None)
def test_input_gradient_is_a_full_convolution_with_the_flipped_kernel(geometry, seed):
    N, C_in, C_out, H, W, kernel, stride, padding = geometry
    rng = np.random.default_rng(seed)
    layer = conv_layer(C_in, C_out, kernel, stride, padding, True, seed)
    x = rng.normal(size=(N, C_in, H, W))
    out, cache = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx, _ = layer.backward(dout, cache)
    other = full_convolution_with_flipped_kernel(dout, layer.params["W"], x.shape, stride,
                                                 padding)
    np.testing.assert_allclose(dx, other, rtol=0, atol=1e-12)


@given(conv_geometry(), seeds)
@settings(max_examples=15, deadline=None)
def test_col2im_is_the_adjoint_of_im2col(geometry, seed):
    N, C, _, H, W, kernel, stride, _ = geometry
    rng = np.random.default_rng(seed)
    H, W = max(H, kernel[0]), max(W, kernel[1])
    x = rng.normal(size=(N, C, H, W))
    cols = im2col(x, kernel, stride)
    c = rng.normal(size=cols.shape)
    # <im2col(x), c> = <x, col2im(c)>: col2im is im2col's transpose, hence the backward
    assert np.sum(cols * c) == pytest.approx(np.sum(x * col2im(c, x.shape, kernel, stride)),
                                             rel=1e-12, abs=1e-12)


def test_conv2d_and_maxpool2d_by_hand():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    layer = Conv2d(1, 1, 2, stride=2, bias=False)
    layer.params["W"][...] = [[[[1.0, 0.0], [0.0, -1.0]]]]   # x[i, j] - x[i+1, j+1]
    out, cache = layer.forward(x)
    np.testing.assert_array_equal(out, np.full((1, 1, 2, 2), -5.0))
    dx, grads = layer.backward(np.ones_like(out), cache)
    np.testing.assert_array_equal(dx[0, 0], np.tile([[1.0, 0.0], [0.0, -1.0]], (2, 2)))
    np.testing.assert_array_equal(grads["W"][0, 0], [[0 + 2 + 8 + 10, 1 + 3 + 9 + 11],
                                                     [4 + 6 + 12 + 14, 5 + 7 + 13 + 15]])
    pool = MaxPool2d(2)
    out, cache = pool.forward(x)
    np.testing.assert_array_equal(out[0, 0], [[5.0, 7.0], [13.0, 15.0]])
    dx, _ = pool.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), cache)
    expected = np.zeros((4, 4))
    expected[1, 1], expected[1, 3], expected[3, 1], expected[3, 3] = 1, 2, 3, 4
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_maxpool2d_routes_ties_to_the_first_maximum_and_sums_overlaps():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 1.0                       # the centre is every 2x2 window's maximum
    pool = MaxPool2d(2, stride=1)
    out, cache = pool.forward(x)
    dx, _ = pool.backward(np.ones((1, 1, 2, 2)), cache)
    assert dx[0, 0, 1, 1] == 4.0 and dx.sum() == 4.0
    pool = MaxPool2d(2)
    out, cache = pool.forward(np.zeros((1, 1, 2, 2)))                # a tie everywhere
    dx, _ = pool.backward(np.ones((1, 1, 1, 1)), cache)
    np.testing.assert_array_equal(dx[0, 0], [[1.0, 0.0], [0.0, 0.0]])


def test_im2col_allocates_one_column_buffer_per_call():
    rng = np.random.default_rng(0)
    layer = Conv2d(8, 16, 3, padding=1, seed=0)
    x = rng.normal(size=(8, 8, 16, 16))
    layer.forward(x)                          # warm-up (first-call allocations)
    tracemalloc.start()
    out, cache = layer.forward(x)
    fwd = tracemalloc.get_traced_memory()[1]
    dout = np.ones_like(out)
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    dx, grads = layer.backward(dout, cache)
    bwd = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    cols = cache.data[0]
    padded = 8 * 8 * 18 * 18 * 8
    assert cols.shape == (8 * 16 * 16, 8 * 9)
    # forward: the padded copy, the column buffer and the output, plus small temporaries
    # (a quarter of a column buffer is allowed for them): never a second column buffer
    slack = cols.nbytes // 4
    assert cols.nbytes < fwd < padded + cols.nbytes + out.nbytes + slack
    # backward: dout as a (N·H_o·W_o, C_out) matrix (a copy), dcols, the padded dx and dW,
    # and the same slack
    assert cols.nbytes < bwd < out.nbytes + cols.nbytes + padded + grads["W"].nbytes + slack


# -- batch norm's two modes and its running statistics ------------------------------------
def test_batchnorm_running_statistics_by_hand_and_eval_mode():
    x = np.array([[1.0, 10.0], [2.0, 20.0], [6.0, 60.0]])
    layer = BatchNorm1d(2, momentum=0.1)
    out, _ = layer.forward(x)
    mu, var_biased, var_unbiased = x.mean(0), x.var(0), x.var(0, ddof=1)
    np.testing.assert_allclose(out, (x - mu) / np.sqrt(var_biased + 1e-5), rtol=1e-14)
    np.testing.assert_allclose(layer.running_mean, 0.1 * mu, rtol=1e-15)
    np.testing.assert_allclose(layer.running_var, 0.9 + 0.1 * var_unbiased, rtol=1e-15)
    layer.eval()
    before = (layer.running_mean.copy(), layer.running_var.copy())
    out, cache = layer.forward(x)
    np.testing.assert_allclose(out, (x - before[0]) / np.sqrt(before[1] + 1e-5), rtol=1e-14)
    np.testing.assert_array_equal(layer.running_mean, before[0])   # eval does not update
    dx, _ = layer.backward(np.ones_like(x), cache)
    np.testing.assert_allclose(dx, np.ones_like(x) / np.sqrt(before[1] + 1e-5), rtol=1e-14)
    # training: the gradient of a sum of outputs through batch statistics is zero
    layer.train()
    layer.params["weight"][...] = [2.0, -3.0]
    dx, _ = layer.backward(np.ones_like(x), layer.forward(x)[1])
    np.testing.assert_allclose(dx, 0.0, atol=1e-15)


def test_layernorm_normalises_each_sample():
    rng = np.random.default_rng(0)
    x = rng.normal(scale=3.0, size=(4, 5, 6)) + 2.0
    out, _ = LayerNorm((5, 6)).forward(x)
    np.testing.assert_allclose(out.mean(axis=(1, 2)), 0.0, atol=1e-14)
    np.testing.assert_allclose(out.var(axis=(1, 2)), x.var(axis=(1, 2))
                               / (x.var(axis=(1, 2)) + 1e-5), rtol=1e-14)


# -- float32 -------------------------------------------------------------------------------
F32_CASES = {
    "Conv2d": (lambda dt: Conv2d(2, 3, 3, stride=2, padding=1, dtype=dt), (3, 2, 7, 6)),
    "MaxPool2d": (lambda dt: MaxPool2d(2), (3, 2, 6, 6)),
    "BatchNorm1d": (lambda dt: BatchNorm1d(4, dtype=dt), (5, 4)),
    "BatchNorm2d": (lambda dt: BatchNorm2d(2, dtype=dt), (3, 2, 4, 4)),
    "LayerNorm": (lambda dt: LayerNorm(6, dtype=dt), (3, 4, 6)),
}


@pytest.mark.parametrize("name", F32_CASES)
def test_float32_runs_stays_float32_and_agrees_with_float64(name):
    make, shape = F32_CASES[name]
    rng = np.random.default_rng(1)
    x = rng.normal(size=shape).astype(np.float32)
    layer, ref = make(np.float32), make(np.float64)
    for k, p in layer.params.items():
        ref.params[k][...] = p
    out, cache = layer.forward(x)
    dout = rng.normal(size=out.shape).astype(np.float32)
    dx, grads = layer.backward(dout, cache)
    assert out.dtype == dx.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())
    for arr in (getattr(layer, "running_mean", out), getattr(layer, "running_var", out)):
        assert arr.dtype == np.float32
    ref_out, ref_cache = ref.forward(x.astype(np.float64))
    ref_dx, ref_grads = ref.backward(dout.astype(np.float64), ref_cache)
    np.testing.assert_allclose(out, ref_out, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(dx, ref_dx, rtol=1e-4, atol=1e-5)
    for k in grads:
        np.testing.assert_allclose(grads[k], ref_grads[k], rtol=1e-4, atol=1e-4)


# -- errors: expected / got / fix, naming the layer -----------------------------------------
def test_image_layers_refuse_wrong_shapes():
    with pytest.raises(ValueError, match=r"Conv2d\(3, 4, .*\) expects x of shape \(N, C, H, "
                                         r"W\).*got shape \(3, 5, 5\) \(3-D\)\. For one image, "
                                         r"pass x\[None\]"):
        Conv2d(3, 4, 3).forward(np.ones((3, 5, 5)))
    with pytest.raises(ValueError, match=r"expects x with 3 channels on axis 1.*got 5 "
                                         r"channels.*in_channels=5"):
        Conv2d(3, 4, 3).forward(np.ones((2, 5, 6, 6)))
    with pytest.raises(ValueError, match=r"the kernel 5x5 is larger than the padded input "
                                         r"4x6.*padding \(1, 1\).*smaller kernel_size"):
        Conv2d(1, 1, 5, padding=1).forward(np.ones((1, 1, 2, 4)))
    with pytest.raises(ValueError, match=r"MaxPool2d\(kernel_size=\(2, 2\), stride=\(2, 2\)\) "
                                         r"expects x of shape \(N, C, H, W\).*got shape \(4, 4\)"):
        MaxPool2d(2).forward(np.ones((4, 4)))
    with pytest.raises(ValueError, match=r"MaxPool2d.*the kernel 3x3 is larger than the "
                                         r"padded input 2x2"):
        MaxPool2d(3).forward(np.ones((1, 1, 2, 2)))


def test_norm_layers_refuse_wrong_shapes_and_single_values():
    with pytest.raises(ValueError, match=r"BatchNorm1d\(4, .*\) expects x of shape \(N, C\) "
                                         r"or \(N, C, L\) with C = 4.*got 3 channels.*"
                                         r"num_features = x.shape\[1\]"):
        BatchNorm1d(4).forward(np.ones((5, 3)))
    with pytest.raises(ValueError, match=r"BatchNorm2d\(2, .*\(N, C, H, W\).*got shape "
                                         r"\(5, 2\)"):
        BatchNorm2d(2).forward(np.ones((5, 2)))
    with pytest.raises(ValueError, match=r"BatchNorm1d\(3, .*more than one value.*batch of "
                                         r"at least 2.*\.eval\(\)"):
        BatchNorm1d(3).forward(np.ones((1, 3)))
    assert BatchNorm1d(3).eval().forward(np.ones((1, 3)))[0].shape == (1, 3)
    with pytest.raises(ValueError, match=r"LayerNorm\(\(4, 5\), .*expects x of shape "
                                         r"\(\.\.\., 4, 5\).*got shape \(2, 5, 4\).*"
                                         r"normalized_shape = x.shape\[-2:\]"):
        LayerNorm((4, 5)).forward(np.ones((2, 5, 4)))


def test_dtypes_and_non_finite_values_are_refused():
    with pytest.raises(ValueError, match=r"Conv2d\(1, 1, .*x has dtype float32, but the "
                                         r"layer's parameters are float64.*astype"):
        Conv2d(1, 1, 1).forward(np.ones((1, 1, 2, 2), np.float32))
    with pytest.raises(ValueError, match=r"BatchNorm2d\(1, .*x contains 1 non-finite "
                                         r"value.*index \(0, 0, 1, 0\)"):
        BatchNorm2d(1).forward(np.array([[[[0.0], [np.nan]]]]))
    layer = LayerNorm(2)
    _, cache = layer.forward(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"LayerNorm\(\(2,\), .*dout contains 1 non-finite"):
        layer.backward(np.array([[np.inf, 0.0], [0.0, 0.0]]), cache)
    with pytest.raises(ValueError, match=r"MaxPool2d.*must hold real numbers; got dtype "
                                         r"complex128"):
        MaxPool2d(1).forward(np.ones((1, 1, 1, 1)) * 1j)


def test_constructor_errors():
    with pytest.raises(ValueError, match="Conv2d: in_channels must be a positive integer"):
        Conv2d(0, 2, 3)
    with pytest.raises(ValueError, match=r"Conv2d: kernel_size must be an integer >= 1 or a "
                                         r"pair of them \(height, width\); got \(3, 0\)"):
        Conv2d(1, 2, (3, 0))
    with pytest.raises(ValueError, match=r"Conv2d: padding must be an integer >= 0"):
        Conv2d(1, 2, 3, padding=-1)
    with pytest.raises(ValueError, match=r"MaxPool2d: stride must be an integer >= 1"):
        MaxPool2d(2, stride=0)
    with pytest.raises(ValueError, match=r"BatchNorm1d: momentum must be a number in \[0, 1\]"):
        BatchNorm1d(3, momentum=1.5)
    with pytest.raises(ValueError, match=r"BatchNorm2d: num_features must be a positive "
                                         r"integer; got 2.5"):
        BatchNorm2d(2.5)
    with pytest.raises(ValueError, match="LayerNorm: eps must be a positive number"):
        LayerNorm(3, eps=0)
    with pytest.raises(ValueError, match="LayerNorm: normalized_shape must be a positive"):
        LayerNorm((3, 0))
    with pytest.raises(ValueError, match="dtype must be np.float64 or np.float32"):
        Conv2d(1, 1, 1, dtype=np.int64)


def test_conv2d_follows_linears_initialisation():
    a, b = Conv2d(3, 5, 2, seed=7, gain=2.0), Conv2d(3, 5, 2, seed=7, gain=2.0)
    np.testing.assert_array_equal(a.params["W"], b.params["W"])
    assert not np.array_equal(a.params["W"], Conv2d(3, 5, 2, seed=8).params["W"])
    big = Conv2d(16, 64, 3, seed=0, gain=2.0).params["W"]
    assert big.std() == pytest.approx(np.sqrt(2.0 / (16 * 9)), rel=0.03)   # 9216 draws
    assert not np.any(a.params["b"]) and "b" not in Conv2d(1, 1, 1, bias=False).params
    assert bp.relative_error(a.params["W"].ravel(),
                             np.random.default_rng(7).normal(0, np.sqrt(2 / 12), 60)) == 0


def test_conv2d_param_grads_alone_equal_the_backwards_and_train_uses_them():
    # bp.train asks a first layer for its parameters' gradients only (no dx, no col2im)
    rng = np.random.default_rng(3)
    layer = conv_layer(2, 3, (2, 3), (1, 2), (1, 0), True, 3)
    out, cache = layer.forward(rng.normal(size=(4, 2, 5, 7)))
    dout = rng.normal(size=out.shape)
    full = layer.backward(dout, cache)[1]
    alone = layer._param_grads(dout, cache.data)
    assert set(alone) == {"W", "b"}
    for k in full:
        np.testing.assert_array_equal(alone[k], full[k])
    model = bp.Sequential(Conv2d(1, 2, 3, seed=1), MaxPool2d(2), bp.layers.Flatten(),
                          bp.layers.Linear(2, 2, seed=2),
                          loss=bp.layers.SoftmaxCrossEntropyLoss())
    X, y = rng.normal(size=(16, 1, 4, 4)), rng.integers(0, 2, size=16)
    before = model.loss_value(X, y)
    bp.train(model, X, y, lr=0.5, epochs=30, batch_size=16)
    assert model.loss_value(X, y) < 0.8 * before
