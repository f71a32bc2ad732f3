"""bplab.layers against PyTorch's autograd: the same forward values and the same gradients,
float64, on random shapes (hypothesis). Two independent implementations: nothing of bplab's
backward is used on the PyTorch side."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bplab.layers import (BCELoss, BCEWithLogitsLoss, CategoricalCrossEntropyLoss, Dropout,
                          Flatten, Identity, Linear, MSELoss, ReLU, Sigmoid, Softmax,
                          SoftmaxCrossEntropyLoss, Tanh)
from tests.conftest import require

torch = require("torch", "the comparison with PyTorch's autograd")
F = torch.nn.functional
RTOL = 1e-12
dims = st.integers(1, 6)
seeds = st.integers(0, 2**16)


def close(ours, theirs, what, scale=None):
    """max |ours - theirs| <= RTOL * scale, the scale being ``theirs``' largest entry, or a
    given one (for a gradient that is zero up to rounding, the scale of the others)."""
    theirs = theirs.detach().numpy()
    assert ours.shape == theirs.shape, what
    scale = scale or max(np.abs(theirs).max(), 1e-300)
    err = np.abs(ours - theirs).max() / scale
    assert err <= RTOL, f"{what}: {err:.2e}"


def leaf(a):
    return torch.tensor(a, dtype=torch.float64, requires_grad=True)


def compare_layer(layer, torch_fn, x, rng, zero=()):
    """forward values, dx and every parameter's gradient, against torch autograd of
    sum(dout * torch_fn(x, params)); ``zero``: name endings of the parameters whose exact
    gradient is 0, measured against the largest gradient."""
    out, cache = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx, grads = layer.backward(dout, cache)
    xt = leaf(x)
    pt = {k: leaf(v) for k, v in layer.params.items()}
    yt = torch_fn(xt, pt)
    close(out, yt, "forward")
    (yt * torch.from_numpy(dout)).sum().backward()
    close(dx, xt.grad, "dx")
    scale = max((np.abs(g.grad.numpy()).max() for g in pt.values()), default=None)
    for k in pt:
        close(grads[k], pt[k].grad, k, scale if zero and k.endswith(zero) else None)


@given(dims, dims, dims, seeds)
@settings(max_examples=12)
def test_linear_equals_torch(N, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    layer = Linear(n_in, n_out, seed=seed)
    layer.params["b"][...] = rng.normal(size=n_out)
    compare_layer(layer, lambda x, p: F.linear(x, p["W"], p["b"]),
                  rng.normal(size=(N, n_in)), rng)


FUNCTIONS = {"Sigmoid": (Sigmoid, torch.sigmoid), "Tanh": (Tanh, torch.tanh),
             "ReLU": (ReLU, torch.relu), "Identity": (Identity, lambda x: x),
             "Softmax": (Softmax, lambda x: torch.softmax(x, dim=-1)),
             "Flatten": (Flatten, lambda x: torch.flatten(x, 1) if x.ndim > 1 else x)}


@pytest.mark.parametrize("name", FUNCTIONS)
@given(shape=st.lists(dims, min_size=1, max_size=4), seed=seeds)
@settings(max_examples=8)
def test_function_layers_equal_torch(name, shape, seed):
    make, fn = FUNCTIONS[name]
    rng = np.random.default_rng(seed)
    x = rng.normal(scale=3.0, size=shape)
    if name == "Flatten" and len(shape) == 1:
        x = x[:, None]                    # Flatten keeps the batch axis: x is (N, ...)
    compare_layer(make(), lambda x, p: fn(x), x, rng)


def test_dropout_vjp_equals_torch_with_its_mask():
    # PyTorch's generator cannot reproduce bplab's mask, so the comparison fixes the mask
    # bplab drew and checks the scaling and the VJP y = x * M, dx = dout * M.
    rng = np.random.default_rng(3)
    layer = Dropout(0.4, seed=3)
    x = rng.normal(size=(7, 5))
    out, cache = layer.forward(x)
    M = np.where(out != 0, 1 / 0.6, 0.0)
    layer.rng = np.random.default_rng(3)          # the same mask again
    compare_layer(layer, lambda xt, p: xt * torch.from_numpy(M), x, rng)


def labels_or_rows(kind, N, C, rng):
    if kind == "labels":
        return rng.integers(0, C, size=N)
    if kind == "onehot":
        return np.eye(C)[rng.integers(0, C, size=N)]
    p = rng.random((N, C)) + 0.1
    return p / p.sum(axis=1, keepdims=True)


def torch_loss(name, reduction):
    def cce(p, y):                        # cross-entropy of probabilities, by definition
        logp = torch.log(p)
        if y.ndim == 1:
            return F.nll_loss(logp, y, reduction=reduction)
        total = -(y * logp).sum()
        return total / p.shape[0] if reduction == "mean" else total
    return {"MSELoss": lambda a, y: F.mse_loss(a, y, reduction=reduction),
            "BCELoss": lambda a, y: F.binary_cross_entropy(a, y, reduction=reduction),
            "BCEWithLogitsLoss": lambda z, y: F.binary_cross_entropy_with_logits(
                z, y, reduction=reduction),
            "SoftmaxCrossEntropyLoss": lambda z, y: F.cross_entropy(z, y,
                                                                    reduction=reduction),
            "CategoricalCrossEntropyLoss": cce}[name]


CASES = [(MSELoss, "real"), (BCELoss, "unit"), (BCEWithLogitsLoss, "unit"),
         (SoftmaxCrossEntropyLoss, "labels"), (SoftmaxCrossEntropyLoss, "onehot"),
         (SoftmaxCrossEntropyLoss, "probs"), (CategoricalCrossEntropyLoss, "labels"),
         (CategoricalCrossEntropyLoss, "onehot")]


@pytest.mark.parametrize("make, ykind", CASES, ids=[f"{m.__name__}-{k}" for m, k in CASES])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@given(dims, st.integers(2, 6), seeds)
@settings(max_examples=5)
def test_losses_equal_torch(make, ykind, reduction, N, C, seed):
    rng = np.random.default_rng(seed)
    loss = make(reduction=reduction)
    name = type(loss).__name__
    if name == "BCELoss":
        out = rng.uniform(0.01, 0.99, size=(N, C))
    elif name == "CategoricalCrossEntropyLoss":
        out = rng.random((N, C)) + 0.01
        out /= out.sum(axis=1, keepdims=True)
    else:
        out = rng.normal(scale=3.0, size=(N, C))
    if ykind == "real":
        y = rng.normal(size=(N, C))
    elif ykind == "unit":
        y = rng.random((N, C))
    else:
        y = labels_or_rows(ykind, N, C, rng)
    value, cache = loss.forward(out, y)
    dout = loss.backward(cache)
    ot = leaf(out)
    yt = torch.from_numpy(y)
    vt = torch_loss(name, reduction)(ot, yt)
    vt.backward()
    assert abs(value - vt.item()) <= RTOL * max(abs(vt.item()), 1e-300)
    close(dout, ot.grad, "dout")


def test_fused_losses_equal_torch_at_extreme_logits():
    z = np.array([[800.0, -800.0, 0.0, 30.0], [-40.0, 700.0, 1e-3, -700.0]])
    y = np.array([[1.0, 0.0, 0.5, 0.0], [1.0, 1.0, 0.0, 0.0]])
    for loss, tfn, target in ((BCEWithLogitsLoss(), F.binary_cross_entropy_with_logits, y),
                              (SoftmaxCrossEntropyLoss(), F.cross_entropy, np.array([2, 0]))):
        value, cache = loss.forward(z, target)
        zt = leaf(z)
        vt = tfn(zt, torch.from_numpy(target))
        vt.backward()
        assert abs(value - vt.item()) <= RTOL * abs(vt.item())
        close(loss.backward(cache), zt.grad, type(loss).__name__)
