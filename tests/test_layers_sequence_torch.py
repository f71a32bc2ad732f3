"""bplab.layers.sequence and .attention against PyTorch's autograd: the same forward values
and gradients in float64 on random shapes (hypothesis), with the same parameters copied into
``nn.Embedding``, ``nn.RNN(batch_first=True)``, ``F.scaled_dot_product_attention(...,
is_causal=True)`` between ``F.linear`` projections, and ``nn.MultiheadAttention``."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bplab.layers.attention import MultiHeadSelfAttention, Residual
from bplab.layers import Linear
from bplab.layers.sequence import RNN, Embedding, TimeDistributed
from tests.conftest import require
from tests.test_layers_torch import close, leaf
from tests.test_layers_torch import compare_layer as compare

torch = require("torch", "the comparison with PyTorch's autograd")
F = torch.nn.functional
RTOL = 1e-12
small = st.integers(1, 5)
seeds = st.integers(0, 2**16)


@given(small, small, st.integers(1, 8), small, seeds)
@settings(max_examples=15, deadline=None)
def test_embedding_equals_torch(N, T, V, d, seed):
    rng = np.random.default_rng(seed)
    layer = Embedding(V, d, seed=seed)
    idx = rng.integers(0, V, size=(N, T))
    out, cache = layer.forward(idx)
    dout = rng.normal(size=out.shape)
    dW = layer.backward(dout, cache)[1]["weight"]
    emb = torch.nn.Embedding(V, d).double()
    with torch.no_grad():
        emb.weight.copy_(torch.from_numpy(layer.params["weight"]))
    yt = emb(torch.from_numpy(idx))
    close(out, yt, "forward")
    (yt * torch.from_numpy(dout)).sum().backward()
    close(dW, emb.weight.grad, "weight")


def torch_rnn(layer):
    rnn = torch.nn.RNN(layer.input_size, layer.hidden_size, nonlinearity=layer.nonlinearity,
                       batch_first=True).double()
    with torch.no_grad():
        for name, p in layer.params.items():
            getattr(rnn, f"{name}_l0").copy_(torch.from_numpy(p))
    return rnn


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@given(small, st.integers(1, 7), small, small, seeds)
@settings(max_examples=12, deadline=None)
def test_rnn_equals_torch(nonlinearity, N, T, d_in, h, seed):
    rng = np.random.default_rng(seed)
    layer = RNN(d_in, h, nonlinearity, seed=seed)
    x = rng.normal(size=(N, T, d_in))
    out, cache = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx, grads = layer.backward(dout, cache)
    rnn, xt = torch_rnn(layer), leaf(x)
    yt, _ = rnn(xt)                                     # h0 = 0, as bplab's
    close(out, yt, "forward")
    (yt * torch.from_numpy(dout)).sum().backward()
    close(dx, xt.grad, "dx")
    for name in layer.params:
        close(grads[name], getattr(rnn, f"{name}_l0").grad, name)


@given(small, st.integers(2, 9), st.integers(1, 4), seeds)
@settings(max_examples=10, deadline=None)
def test_truncated_rnn_equals_torch_detaching_every_k_steps(N, T, k, seed):
    rng = np.random.default_rng(seed)
    layer = RNN(3, 4, truncate=k, seed=seed)
    x = rng.normal(size=(N, T, 3))
    out, cache = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx, grads = layer.backward(dout, cache)
    rnn, xt = torch_rnn(layer), leaf(x)
    hidden, chunks = None, []
    for start in range(0, T, k):                        # the usual truncated-BPTT loop
        y, hidden = rnn(xt[:, start:start + k], hidden)
        hidden = hidden.detach()
        chunks.append(y)
    yt = torch.cat(chunks, dim=1)
    close(out, yt, "forward")
    (yt * torch.from_numpy(dout)).sum().backward()
    close(dx, xt.grad, "dx")
    for name in layer.params:
        close(grads[name], getattr(rnn, f"{name}_l0").grad, name)


def torch_attention(layer):
    H, causal = layer.num_heads, layer.causal

    def fn(x, p):
        N, T, D = x.shape
        q, k, v = (F.linear(x, p[f"W_{n}"], p[f"b_{n}"]).reshape(N, T, H, D // H)
                   .transpose(1, 2) for n in "qkv")
        o = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
        return F.linear(o.transpose(1, 2).reshape(N, T, D), p["W_o"], p["b_o"])
    return fn


def random_biases(layer, rng):
    for name, p in layer.params.items():
        if name.split(".")[-1].startswith("b_"):
            p[...] = rng.normal(scale=0.5, size=p.shape)


@pytest.mark.parametrize("causal", [True, False])
@given(small, st.integers(1, 7), st.integers(1, 3), st.integers(1, 4), seeds)
@settings(max_examples=12, deadline=None)
def test_attention_equals_torch_sdpa(causal, N, T, H, d, seed):
    rng = np.random.default_rng(seed)
    layer = MultiHeadSelfAttention(H * d, H, causal, seed=seed)
    random_biases(layer, rng)
    compare(layer, torch_attention(layer), rng.normal(size=(N, T, H * d)), rng, zero="b_k")


@given(small, st.integers(1, 6), st.integers(1, 3), st.integers(1, 3), seeds)
@settings(max_examples=8, deadline=None)
def test_attention_equals_nn_multihead_attention(N, T, H, d, seed):
    """The same numbers in PyTorch's module: in_proj = [W_q; W_k; W_v], out_proj = W_o, and
    the causal mask as attn_mask (True = not allowed)."""
    rng = np.random.default_rng(seed)
    D = H * d
    layer = MultiHeadSelfAttention(D, H, seed=seed)
    random_biases(layer, rng)
    p = layer.params
    mha = torch.nn.MultiheadAttention(D, H, batch_first=True).double()
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.from_numpy(np.concatenate([p["W_q"], p["W_k"],
                                                                  p["W_v"]])))
        mha.in_proj_bias.copy_(torch.from_numpy(np.concatenate([p["b_q"], p["b_k"],
                                                                p["b_v"]])))
        mha.out_proj.weight.copy_(torch.from_numpy(p["W_o"]))
        mha.out_proj.bias.copy_(torch.from_numpy(p["b_o"]))
    x = rng.normal(size=(N, T, D))
    out, cache = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx, grads = layer.backward(dout, cache)
    xt = leaf(x)
    mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    yt, _ = mha(xt, xt, xt, attn_mask=mask, need_weights=False)
    close(out, yt, "forward")
    (yt * torch.from_numpy(dout)).sum().backward()
    close(dx, xt.grad, "dx")
    close(np.concatenate([grads["W_q"], grads["W_k"], grads["W_v"]]), mha.in_proj_weight.grad,
          "in_proj_weight")
    close(np.concatenate([grads["b_q"], grads["b_k"], grads["b_v"]]), mha.in_proj_bias.grad,
          "in_proj_bias", np.abs(mha.in_proj_bias.grad.numpy()).max())
    close(grads["W_o"], mha.out_proj.weight.grad, "out_proj.weight")
    close(grads["b_o"], mha.out_proj.bias.grad, "out_proj.bias")


@given(small, st.integers(1, 6), st.integers(1, 3), st.integers(1, 3), seeds)
@settings(max_examples=8, deadline=None)
def test_residual_attention_equals_torch(N, T, H, d, seed):
    rng = np.random.default_rng(seed)
    inner = MultiHeadSelfAttention(H * d, H, seed=seed)
    layer = Residual(inner)
    random_biases(layer, rng)
    fn = torch_attention(inner)

    def residual(x, p):
        return x + fn(x, {name[2:]: value for name, value in p.items()})    # "0.W_q" -> "W_q"
    compare(layer, residual, rng.normal(size=(N, T, H * d)), rng, zero="b_k")


@given(small, small, small, small, seeds)
@settings(max_examples=10, deadline=None)
def test_time_distributed_linear_equals_torch_linear_on_3d(N, T, d, C, seed):
    rng = np.random.default_rng(seed)
    inner = Linear(d, C, seed=seed)
    inner.params["b"][...] = rng.normal(size=C)
    compare(TimeDistributed(inner), lambda x, p: F.linear(x, p["W"], p["b"]),
            rng.normal(size=(N, T, d)), rng)
