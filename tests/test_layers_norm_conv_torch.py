"""bplab.layers.norm and bplab.layers.conv against PyTorch's autograd, float64, on random
shapes (hypothesis): forward values, input and parameter gradients, batch norm's running
statistics over several steps in both modes, max-pooling's ties, and a small CNN
(Conv2d, ReLU, MaxPool2d, Flatten, Linear) through bp.gradcheck and against its PyTorch twin.
Nothing of bplab's backward is used on the PyTorch side."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bplab as bp
from bplab.layers import Flatten, Linear, ReLU, SoftmaxCrossEntropyLoss
from bplab.layers.conv import Conv2d, MaxPool2d
from bplab.layers.norm import BatchNorm1d, BatchNorm2d, LayerNorm
from tests.conftest import require
from tests.test_layers_norm_conv import conv_geometry, conv_layer
from tests.test_layers_torch import compare_layer, leaf

torch = require("torch", "the comparison with PyTorch's autograd")
F = torch.nn.functional
RTOL = 1e-12
seeds = st.integers(0, 2**16)


def close(ours, theirs, what, rtol=RTOL):
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else np.asarray(theirs)
    assert ours.shape == theirs.shape, what
    scale = max(np.abs(theirs).max(initial=0.0), 1e-300)
    assert np.abs(ours - theirs).max(initial=0.0) <= rtol * scale, what


@given(conv_geometry(max_side=8), st.booleans(), seeds)
@settings(max_examples=15, deadline=None)
def test_conv2d_equals_torch(geometry, bias, seed):
    N, C_in, C_out, H, W, kernel, stride, padding = geometry
    rng = np.random.default_rng(seed)
    layer = conv_layer(C_in, C_out, kernel, stride, padding, bias, seed)
    compare_layer(layer, lambda x, p: F.conv2d(x, p["W"], p.get("b"), stride=stride,
                                               padding=padding),
                  rng.normal(size=(N, C_in, H, W)), rng)


@given(conv_geometry(max_side=8), st.booleans(), seeds)
@settings(max_examples=15, deadline=None)
def test_maxpool2d_equals_torch_with_and_without_ties(geometry, ties, seed):
    N, C, _, H, W, kernel, stride, _ = geometry
    rng = np.random.default_rng(seed)
    H, W = max(H, kernel[0]), max(W, kernel[1])
    # ties: small integers, so most windows hold their maximum more than once; the
    # gradient must go where PyTorch sends it (the first maximum in row-major order)
    x = (rng.integers(0, 3, size=(N, C, H, W)).astype(np.float64) if ties
         else rng.normal(size=(N, C, H, W)))
    compare_layer(MaxPool2d(kernel, stride), lambda x, p: F.max_pool2d(x, kernel, stride),
                  x, rng)


def test_maxpool2d_sends_a_tie_to_the_first_maximum_as_torch_does():
    x = np.zeros((1, 1, 4, 4))
    pool = MaxPool2d(3, stride=1)
    out, cache = pool.forward(x)
    dx, _ = pool.backward(np.arange(1.0, 5.0).reshape(1, 1, 2, 2), cache)
    xt = leaf(x)
    (F.max_pool2d(xt, 3, 1) * torch.arange(1.0, 5.0, dtype=torch.float64)
     .reshape(1, 1, 2, 2)).sum().backward()
    np.testing.assert_array_equal(dx, xt.grad.numpy())
    expected = np.zeros((4, 4))
    expected[0, 0], expected[0, 1], expected[1, 0], expected[1, 1] = 1, 2, 3, 4
    np.testing.assert_array_equal(dx[0, 0], expected)   # each window's top-left entry


@pytest.mark.parametrize("ours, theirs, tail", [
    (BatchNorm1d, torch.nn.BatchNorm1d, ()), (BatchNorm1d, torch.nn.BatchNorm1d, (4,)),
    (BatchNorm2d, torch.nn.BatchNorm2d, (3, 5))], ids=["1d", "1d-L", "2d"])
@given(st.integers(3, 6), st.integers(1, 4), st.sampled_from([0.1, 0.5, 1.0]), seeds)
@settings(max_examples=8, deadline=None)
def test_batchnorm_equals_torch_over_several_steps_and_in_eval(ours, theirs, tail, N, C,
                                                                momentum, seed):
    # N >= 3: with two values per channel x̂ = ±1 whatever x, so dx is a cancellation
    # of order eps, where neither side has twelve digits left to compare
    rng = np.random.default_rng(seed)
    layer = ours(C, momentum=momentum)
    ref = theirs(C, momentum=momentum, dtype=torch.float64)
    with torch.no_grad():
        for name in ("weight", "bias"):
            value = rng.normal(size=C)
            layer.params[name][...] = value
            getattr(ref, name).copy_(torch.from_numpy(value))
    for mode in ["train"] * 4 + ["eval"] * 2:
        layer.train(mode == "train")
        ref.train(mode == "train")
        x = rng.normal(scale=3.0, size=(N, C) + tail) + rng.normal(size=C).reshape(
            (1, C) + (1,) * len(tail))
        out, cache = layer.forward(x)
        dout = rng.normal(size=out.shape)
        dx, grads = layer.backward(dout, cache)
        xt = leaf(x)
        ref.zero_grad()
        yt = ref(xt)
        (yt * torch.from_numpy(dout)).sum().backward()
        close(out, yt, f"forward ({mode})")
        close(dx, xt.grad, f"dx ({mode})")
        close(grads["weight"], ref.weight.grad, f"dweight ({mode})")
        close(grads["bias"], ref.bias.grad, f"dbias ({mode})")
        close(layer.running_mean, ref.running_mean, "running_mean")
        close(layer.running_var, ref.running_var, "running_var")


@given(st.lists(st.integers(1, 5), min_size=1, max_size=4), st.integers(1, 3), seeds)
@settings(max_examples=12, deadline=None)
def test_layernorm_equals_torch(shape, k, seed):
    rng = np.random.default_rng(seed)
    normalized = tuple(shape[len(shape) - min(k, len(shape)):])
    if np.prod(normalized) < 3:     # M >= 3 (M = 1: x̂ = 0 here and ~1e-15 in torch)
        normalized, shape = (3,), shape + [3]
    layer = LayerNorm(normalized)
    layer.params["weight"][...] = rng.normal(size=normalized)
    layer.params["bias"][...] = rng.normal(size=normalized)
    compare_layer(layer, lambda x, p: F.layer_norm(x, normalized, p["weight"], p["bias"]),
                  rng.normal(scale=2.0, size=shape) + 1.0, rng)


# -- a small CNN, whole --------------------------------------------------------------------
def small_cnn(seed=0, batchnorm=False, bias=True):
    layers = [Conv2d(2, 4, 3, padding=1, bias=bias, seed=seed, gain=2.0)]
    layers += [BatchNorm2d(4)] if batchnorm else []
    layers += [ReLU(), MaxPool2d(2), Flatten(), Linear(4 * 3 * 3, 5, seed=seed + 1)]
    model = bp.Sequential(*layers, loss=SoftmaxCrossEntropyLoss())
    rng = np.random.default_rng(seed + 2)
    for name, p in model.parameters():
        if name.endswith(".b") or name.endswith(".bias"):
            p[...] = rng.normal(scale=0.1, size=p.shape)
    return model


def torch_twin(model):
    mods = []
    for layer in model.layers:
        if isinstance(layer, Conv2d):
            m = torch.nn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size,
                                layer.stride, layer.padding, bias="b" in layer.params,
                                dtype=torch.float64)
            with torch.no_grad():
                m.weight.copy_(torch.from_numpy(layer.params["W"]))
                if "b" in layer.params:
                    m.bias.copy_(torch.from_numpy(layer.params["b"]))
        elif isinstance(layer, BatchNorm2d):
            m = torch.nn.BatchNorm2d(layer.num_features, dtype=torch.float64)
            with torch.no_grad():
                m.weight.copy_(torch.from_numpy(layer.params["weight"]))
                m.bias.copy_(torch.from_numpy(layer.params["bias"]))
        elif isinstance(layer, Linear):
            m = torch.nn.Linear(layer.n_in, layer.n_out, dtype=torch.float64)
            with torch.no_grad():
                m.weight.copy_(torch.from_numpy(layer.params["W"]))
                m.bias.copy_(torch.from_numpy(layer.params["b"]))
        elif isinstance(layer, MaxPool2d):
            m = torch.nn.MaxPool2d(layer.kernel_size, layer.stride)
        else:
            m = {"ReLU": torch.nn.ReLU, "Flatten": torch.nn.Flatten}[type(layer).__name__]()
        mods.append(m)
    return torch.nn.Sequential(*mods)


@pytest.mark.parametrize("batchnorm", [False, True], ids=["cnn", "cnn-batchnorm"])
def test_small_cnn_passes_gradcheck_and_equals_its_torch_twin(batchnorm):
    # before a batch norm the convolution has no bias (the norm would subtract it)
    model = small_cnn(batchnorm=batchnorm, bias=not batchnorm)
    rng = np.random.default_rng(5)
    X, labels = rng.normal(size=(6, 2, 6, 6)), rng.integers(0, 5, size=6)
    report = bp.gradcheck(model, X, labels)
    assert report.ok and report.max_rel_error < 1e-8, report
    assert len(report.checks) == len(model.parameters())
    loss, grads = model.gradients(X, labels)
    twin = torch_twin(model)
    value = F.cross_entropy(twin(torch.from_numpy(X)), torch.from_numpy(labels))
    value.backward()
    assert abs(loss - value.item()) <= RTOL * abs(value.item())
    for (name, _), p in zip(model.parameters(), twin.parameters()):
        close(grads[name], p.grad, name)


def test_a_bias_before_batch_norm_gets_zero_gradient():
    # batch norm subtracts each channel's batch mean, so a per-channel bias added just
    # before it changes nothing: its exact gradient is 0 (finite differences see only
    # noise there, which is why the CNN above has bias=False)
    model = small_cnn(batchnorm=True, bias=True)
    rng = np.random.default_rng(5)
    X, labels = rng.normal(size=(6, 2, 6, 6)), rng.integers(0, 5, size=6)
    loss, grads = model.gradients(X, labels)
    twin = torch_twin(model)
    F.cross_entropy(twin(torch.from_numpy(X)), torch.from_numpy(labels)).backward()
    scale = np.abs(grads["0.W"]).max()
    assert np.abs(grads["0.b"]).max() < 1e-14 * scale
    assert twin[0].bias.grad.abs().max().item() < 1e-14 * scale
