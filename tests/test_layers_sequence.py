"""bplab.layers.sequence and .attention: every backward against central finite differences
(fourth order, float64, 1e-9), the scatter of repeated indices, truncated BPTT, the causal
mask, the residual's two gradients, float32, and the errors.

The comparison with PyTorch's autograd is in test_layers_sequence_torch.py.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bplab as bp
from bplab.layers import Linear, MSELoss, Sequential, Tanh
from bplab.layers.attention import MultiHeadSelfAttention, Residual
from bplab.layers.sequence import RNN, Embedding, TimeDistributed
from tests.test_layers import TOL, check_layer, fd

small = st.integers(1, 4)
seeds = st.integers(0, 2**16)


def randomise_biases(layer, rng):
    for name, p in layer.params.items():
        if "b" in name.split(".")[-1][:2]:
            p[...] = rng.normal(scale=0.5, size=p.shape)


# -- Embedding ---------------------------------------------------------------------------
@given(small, small, st.integers(1, 6), small, seeds)
@settings(max_examples=15, deadline=None)
def test_embedding_backward_matches_finite_differences(N, T, V, d, seed):
    rng = np.random.default_rng(seed)
    layer = Embedding(V, d, seed=seed)
    idx = rng.integers(0, V, size=(N, T))
    out, cache = layer.forward(idx)
    np.testing.assert_array_equal(out, layer.params["weight"][idx])
    dout = rng.normal(size=out.shape)
    dx, grads = layer.backward(dout, cache)
    assert dx is None
    f = lambda: float(np.sum(dout * layer.forward(idx)[0]))      # noqa: E731
    assert bp.relative_error(grads["weight"], fd(f, layer.params["weight"])) < TOL


def test_embedding_sums_the_gradients_of_a_repeated_index():
    layer = Embedding(4, 2)
    idx = np.array([[1, 1, 3], [1, 0, 3]])
    dout = np.arange(12, dtype=float).reshape(2, 3, 2)
    _, cache = layer.forward(idx)
    dW = layer.backward(dout, cache)[1]["weight"]
    np.testing.assert_array_equal(dW[1], dout[0, 0] + dout[0, 1] + dout[1, 0])   # 3 reads
    np.testing.assert_array_equal(dW[3], dout[0, 2] + dout[1, 2])
    np.testing.assert_array_equal(dW[2], 0.0)                                    # never read
    naive = np.zeros_like(dW)
    naive[idx] += dout                       # keeps one write per index: what add.at avoids
    assert not np.array_equal(naive, dW)


def test_embedding_inside_sequential_takes_the_indices_as_floats():
    rng = np.random.default_rng(0)
    model = Sequential(Embedding(5, 3), RNN(3, 4), loss=None)
    idx = rng.integers(0, 5, size=(2, 6))
    out, cache = model.forward(idx)
    np.testing.assert_allclose(out, model[1].forward(model[0].forward(idx)[0])[0], rtol=0,
                               atol=0)
    _, grads = model.backward(rng.normal(size=out.shape), cache)
    assert set(grads) == {"0.weight", "1.weight_ih", "1.weight_hh", "1.bias_ih", "1.bias_hh"}


# -- RNN ---------------------------------------------------------------------------------
@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@given(small, st.integers(1, 6), small, small, seeds)
@settings(max_examples=12, deadline=None)
def test_rnn_backward_matches_finite_differences(nonlinearity, N, T, d_in, h, seed):
    rng = np.random.default_rng(seed)
    layer = RNN(d_in, h, nonlinearity, seed=seed)
    x = rng.normal(size=(N, T, d_in))
    if nonlinearity == "relu":          # no pre-activation within h of the kink
        out, (_, hs) = layer._forward(x)
        pre = np.dot(x, layer.params["weight_ih"].T) + layer.params["bias_ih"] \
            + layer.params["bias_hh"]
        pre[:, 1:] += np.dot(hs[:, :-1], layer.params["weight_hh"].T)
        if np.abs(pre).min() < 0.01:
            return
    check_layer(layer, x, rng)


def test_rnn_gradient_is_summed_over_time():
    # h_t = tanh(x_t w + h_{t-1} u) with T = 1 has dW_hh = 0 (h_{-1} = 0); with T = 2 the
    # loss on h_1 reaches W_hh once, through h_0: dW_hh = dz_1 h_0.
    layer = RNN(1, 1)
    layer.params.update(weight_ih=np.array([[0.5]]), weight_hh=np.array([[0.8]]),
                        bias_ih=np.zeros(1), bias_hh=np.zeros(1))
    x = np.array([[[1.0], [2.0]]])
    out, cache = layer.forward(x)
    h0, h1 = np.tanh(0.5), np.tanh(1.0 + 0.8 * np.tanh(0.5))
    np.testing.assert_allclose(out.ravel(), [h0, h1], rtol=1e-15)
    _, g = layer.backward(np.array([[[0.0], [1.0]]]), cache)
    dz1 = 1 - h1 ** 2
    np.testing.assert_allclose(g["weight_hh"], [[dz1 * h0]], rtol=1e-14)
    np.testing.assert_allclose(g["weight_ih"], [[dz1 * 2.0 + dz1 * 0.8 * (1 - h0 ** 2)]],
                               rtol=1e-14)


@given(small, st.integers(2, 8), st.integers(1, 4), seeds)
@settings(max_examples=10, deadline=None)
def test_truncated_bptt_is_the_exact_gradient_of_each_chunk(N, T, k, seed):
    """With truncate=k, the gradient equals the exact one of a model whose hidden state is
    restarted-as-a-constant every k steps: checked here by finite differences of the chunked
    forward in which the state entering each chunk is frozen."""
    rng = np.random.default_rng(seed)
    layer = RNN(2, 3, truncate=k, seed=seed)
    x = rng.normal(size=(N, T, 2))
    out, cache = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx, grads = layer.backward(dout, cache)
    frozen = out.copy()                        # the states at the chunk boundaries

    def chunked():
        p, prev, hs = layer.params, np.zeros((N, 3)), []
        for t in range(T):
            if t % k == 0 and t:
                prev = frozen[:, t - 1]         # a constant: no gradient flows through it
            prev = np.tanh(x[:, t] @ p["weight_ih"].T + p["bias_ih"] + prev @ p["weight_hh"].T
                           + p["bias_hh"])
            hs.append(prev)
        return float(np.sum(dout * np.stack(hs, axis=1)))

    assert bp.relative_error(dx, fd(chunked, x)) < TOL
    for name, p in layer.params.items():
        assert bp.relative_error(grads[name], fd(chunked, p)) < TOL, name
    if k < T:                                   # and it differs from the exact gradient
        exact = RNN(2, 3, seed=seed)
        _, c = exact.forward(x)
        assert not np.allclose(exact.backward(dout, c)[0], dx)


# -- attention ---------------------------------------------------------------------------
def check_attention(layer, x, rng):
    """check_layer, except for b_k, whose gradient is exactly zero (below)."""
    out, cache = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx, grads = layer.backward(dout, cache)
    f = lambda: float(np.sum(dout * layer.forward(x)[0]))      # noqa: E731
    assert bp.relative_error(dx, fd(f, x)) < TOL
    for name, p in layer.params.items():
        if name.endswith("b_k"):
            # x_i W_k + b_k adds q_t . b_k to every score of row t: a constant per row,
            # which the softmax removes. Its true gradient is 0, ours is 0 up to rounding.
            scale = max(np.abs(g).max() for g in grads.values())
            assert np.abs(grads[name]).max() <= 1e-13 * scale
            assert np.abs(fd(f, p)).max() <= 1e-9 * scale
        else:
            assert bp.relative_error(grads[name], fd(f, p)) < TOL, name


@pytest.mark.parametrize("causal", [True, False])
@given(small, st.integers(1, 5), st.integers(1, 2), st.integers(1, 2), seeds)
@settings(max_examples=8, deadline=None)
def test_attention_backward_matches_finite_differences(causal, N, T, H, d, seed):
    rng = np.random.default_rng(seed)
    layer = MultiHeadSelfAttention(H * d, H, causal, seed=seed)
    randomise_biases(layer, rng)
    check_attention(layer, rng.normal(size=(N, T, H * d)), rng)


@given(st.integers(2, 7), st.integers(1, 3), seeds)
@settings(max_examples=15, deadline=None)
def test_causal_mask_blocks_the_future(T, H, seed):
    rng = np.random.default_rng(seed)
    layer = MultiHeadSelfAttention(2 * H, H, seed=seed)
    x = rng.normal(size=(2, T, 2 * H))
    t = int(rng.integers(0, T - 1))
    changed = x.copy()
    changed[:, t + 1:] = rng.normal(scale=5.0, size=changed[:, t + 1:].shape)
    y, y2 = layer.forward(x)[0], layer.forward(changed)[0]
    np.testing.assert_array_equal(y[:, :t + 1], y2[:, :t + 1])
    assert not np.allclose(y[:, t + 1:], y2[:, t + 1:])
    # and the backward agrees: a loss on steps <= t gives no gradient to later inputs
    out, cache = layer.forward(x)
    dout = np.zeros_like(out)
    dout[:, :t + 1] = 1.0
    dx = layer.backward(dout, cache)[0]
    np.testing.assert_array_equal(dx[:, t + 1:], 0.0)
    # without the mask the future does reach the past
    full = MultiHeadSelfAttention(2 * H, H, causal=False, seed=seed)
    assert not np.allclose(full.forward(x)[0][:, :t + 1], full.forward(changed)[0][:, :t + 1])


@given(small, st.integers(1, 4), small, seeds)
@settings(max_examples=8, deadline=None)
def test_residual_backward_matches_finite_differences(N, T, D, seed):
    rng = np.random.default_rng(seed)
    inner = [Linear(D, D, seed=seed), Tanh(), Linear(D, D, seed=seed + 1)]
    layer = Residual(inner)
    randomise_biases(layer, rng)
    check_layer(layer, rng.normal(size=(N, D)), rng)
    H = 1 + seed % 2
    attn = Residual(MultiHeadSelfAttention(2 * H, H, seed=seed))
    randomise_biases(attn, rng)
    check_attention(attn, rng.normal(size=(N, T, 2 * H)), rng)


def test_residual_gives_its_input_the_sum_of_both_gradients():
    inner = Linear.from_weights(np.array([[2.0, 0.0], [1.0, -1.0]]))
    layer = Residual(inner)
    assert layer.params["0.W"] is inner.params["W"]           # the same array
    out, cache = layer.forward(np.array([[1.0, 3.0]]))
    np.testing.assert_array_equal(out, [[1.0 + 2.0, 3.0 - 2.0]])
    dout = np.array([[1.0, 1.0]])
    dx, grads = layer.backward(dout, cache)
    np.testing.assert_array_equal(dx, dout + dout @ inner.params["W"])   # skip + inner
    np.testing.assert_array_equal(grads["0.W"], dout.T @ np.array([[1.0, 3.0]]))


def test_a_small_transformer_block_trains_in_a_sequential():
    """Embedding → Residual(attention) → RNN → a loss on the last step: the whole model's
    gradients by finite differences (the layers compose)."""
    rng = np.random.default_rng(3)
    emb, att, rnn = Embedding(5, 4, seed=1), Residual(MultiHeadSelfAttention(4, 2, seed=2)), \
        RNN(4, 3, seed=3)
    randomise_biases(att, rng)
    model = Sequential(emb, att, rnn)
    idx = rng.integers(0, 5, size=(2, 5))
    target = rng.normal(size=(2, 3))
    loss = MSELoss()

    def value():
        return loss.forward(model.forward(idx)[0][:, -1], target)[0]

    out, cache = model.forward(idx)
    v, lcache = loss.forward(out[:, -1], target)
    dout = np.zeros_like(out)
    dout[:, -1] = loss.backward(lcache)
    _, grads = model.backward(dout, cache)
    for name, p in model.parameters():
        if name.endswith("b_k"):                 # exactly zero: see check_attention
            assert np.abs(grads[name]).max() < 1e-15 and np.abs(fd(value, p)).max() < 1e-10
        else:
            assert bp.relative_error(grads[name], fd(value, p)) < TOL, name


# -- float32 -----------------------------------------------------------------------------
@pytest.mark.parametrize("make, shape", [
    (lambda dt: RNN(3, 4, dtype=dt), (2, 5, 3)),
    (lambda dt: MultiHeadSelfAttention(4, 2, dtype=dt), (2, 5, 4)),
    (lambda dt: Residual(MultiHeadSelfAttention(4, 2, dtype=dt)), (2, 5, 4)),
], ids=["RNN", "attention", "Residual"])
def test_float32_runs_and_agrees_with_float64(make, shape):
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape)
    l64, l32 = make(np.float64), make(np.float32)
    y64, c64 = l64.forward(x)
    y32, c32 = l32.forward(x.astype(np.float32))
    dout = rng.normal(size=y64.shape)
    dx64, g64 = l64.backward(dout, c64)
    dx32, g32 = l32.backward(dout.astype(np.float32), c32)
    assert y32.dtype == dx32.dtype == np.float32
    assert all(g.dtype == np.float32 for g in g32.values())
    assert bp.relative_error(y32, y64) < 1e-5 and bp.relative_error(dx32, dx64) < 1e-4
    scale = max(np.abs(g).max() for g in g64.values())
    for name in g64:
        if name.endswith("b_k"):                 # exactly zero: see check_attention
            assert np.abs(g32[name]).max() < 1e-5 * scale
        else:
            assert bp.relative_error(g32[name], g64[name]) < 1e-4, name


def test_embedding_float32():
    layer = Embedding(6, 3, dtype=np.float32)
    out, cache = layer.forward(np.array([[0, 5, 5]]))
    assert out.dtype == np.float32
    assert layer.backward(np.ones((1, 3, 3), np.float32), cache)[1]["weight"].dtype == \
        np.float32


# -- errors ------------------------------------------------------------------------------
ERRORS = [
    (lambda: Embedding(5, 2).forward(np.array([[0, 5]])), r"Embedding\(5, 2\).*\[0, 5\).*got 5"),
    (lambda: Embedding(5, 2).forward(np.array([[0, -1]])), r"\[0, 5\).*got -1"),
    (lambda: Embedding(5, 2).forward(np.array([1, 2])), r"Embedding.*\(N, T\).*got shape \(2,\)"),
    (lambda: Embedding(5, 2).forward(np.array([[0.5, 1.0]])), r"whole numbers.*0\.5"),
    (lambda: Embedding(5, 2).forward(np.array([[np.nan, 1.0]])), r"Embedding.*non-finite"),
    (lambda: Embedding(5, 2).forward(np.array([["a"]])), r"Embedding.*integer indices"),
    (lambda: Embedding(0, 2), r"Embedding: num_embeddings must be a positive integer"),
    (lambda: RNN(3, 4).forward(np.zeros((2, 3))), r"RNN\(3, 4\).*\(N, T, 3\).*got shape \(2, 3\)"
                                                  r".*x\[None\]"),
    (lambda: RNN(3, 4).forward(np.zeros((2, 5, 2))), r"RNN\(3, 4\).*\(N, T, 3\).*\(2, 5, 2\)"),
    (lambda: RNN(3, 4).forward(np.full((1, 2, 3), np.inf)), r"RNN\(3, 4\).*non-finite"),
    (lambda: RNN(3, 4).forward(np.zeros((1, 2, 3), np.float32)),
     r"RNN\(3, 4\).*float32.*float64"),
    (lambda: RNN(3, 4).forward(np.zeros((2, 0, 3))), r"RNN\(3, 4\) needs at least one time"),
    (lambda: MultiHeadSelfAttention(4, 2).forward(np.zeros((2, 0, 4))), r"at least one time"),
    (lambda: RNN(3, 4, "sigmoid"), r"RNN: nonlinearity must be one of"),
    (lambda: RNN(3, 4, truncate=0), r"RNN: truncate must be a positive integer"),
    (lambda: MultiHeadSelfAttention(6, 4), r"d_model \(6\) must be a multiple of num_heads \(4\)"),
    (lambda: MultiHeadSelfAttention(4, 2).forward(np.zeros((3, 4))),
     r"MultiHeadSelfAttention\(4, 2\).*\(N, T, 4\).*got shape \(3, 4\).*x\[None\]"),
    (lambda: MultiHeadSelfAttention(4, 2).forward(np.full((1, 2, 4), np.nan)), r"non-finite"),
    (lambda: Residual(Linear(2, 3)).forward(np.zeros((1, 2))),
     r"Residual.*shape \(1, 2\) into shape \(1, 3\).*keep the shape"),
    (lambda: Residual([Linear(2, 2), "relu"]), r"Residual: inner must be.*item 1 is str"),
    (lambda: Residual(Linear(2, 2)).forward(np.zeros((1, 3))),
     r"Linear\(2, 2\) \(inside Residual.*\(N, 2\).*\(1, 3\)"),
]


@pytest.mark.parametrize("call, match", ERRORS, ids=[m[:30] for _, m in ERRORS])
def test_clear_errors(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_backward_checks_dout_and_cache():
    layer, other = RNN(2, 3), RNN(2, 3)
    out, cache = layer.forward(np.zeros((1, 4, 2)))
    with pytest.raises(ValueError, match=r"RNN\(2, 3\): dout must have the shape.*\(1, 4, 3\)"):
        layer.backward(np.zeros((1, 3, 3)), cache)
    with pytest.raises(ValueError, match=r"cache returned by this layer's own forward"):
        other.backward(np.zeros(out.shape), cache)


# -- TimeDistributed ---------------------------------------------------------------------
@given(small, small, small, small, seeds)
@settings(max_examples=10, deadline=None)
def test_time_distributed_linear_matches_finite_differences(N, T, d, C, seed):
    rng = np.random.default_rng(seed)
    inner = Linear(d, C, seed=seed)
    randomise_biases(inner, rng)
    layer = TimeDistributed(inner)
    assert layer.params["W"] is inner.params["W"]
    x = rng.normal(size=(N, T, d))
    np.testing.assert_array_equal(layer.forward(x)[0][:, -1], inner.forward(x[:, -1])[0])
    check_layer(layer, x, rng)


def test_time_distributed_errors():
    with pytest.raises(ValueError, match=r"TimeDistributed\(Linear\(3, 2\)\).*\(N, T, \.\.\.\)"
                                         r".*got shape \(4, 3\)"):
        TimeDistributed(Linear(3, 2)).forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"Linear\(3, 2\) \(in TimeDistributed.*\(N, 3\)"):
        TimeDistributed(Linear(3, 2)).forward(np.zeros((4, 5, 2)))
    with pytest.raises(TypeError, match=r"TimeDistributed: inner must be"):
        TimeDistributed("linear")


# -- the built-in autodiff engine, a third way ---------------------------------------------
@given(small, st.integers(1, 5), small, small, seeds)
@settings(max_examples=8, deadline=None)
def test_rnn_equals_bplab_autodiff_unrolled(N, T, d_in, h, seed):
    """The recurrence unrolled step by step with bplab.autodiff tensors (2-D only): the
    engine's reverse sweep over the unrolled graph is BPTT, found without being written."""
    from bplab import autodiff as ad
    rng = np.random.default_rng(seed)
    layer = RNN(d_in, h, seed=seed)
    x = rng.normal(size=(N, T, d_in))
    out, cache = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx, grads = layer.backward(dout, cache)
    P = {k: ad.Tensor(v.copy()) for k, v in layer.params.items()}
    xs = [ad.Tensor(x[:, t].copy()) for t in range(T)]
    prev, loss = ad.Tensor(np.zeros((N, h))), 0.0
    for t in range(T):
        prev = ad.tanh(xs[t] @ P["weight_ih"].T + P["bias_ih"] + prev @ P["weight_hh"].T
                       + P["bias_hh"])
        np.testing.assert_allclose(prev.data, out[:, t], rtol=1e-13, atol=1e-15)
        loss = (prev * dout[:, t]).sum() + loss
    loss.backward()
    assert bp.relative_error(dx, np.stack([xt.grad for xt in xs], axis=1)) < 1e-12
    for name in layer.params:
        assert bp.relative_error(grads[name], P[name].grad) < 1e-12, name


@given(st.integers(1, 2), st.integers(1, 5), st.integers(1, 2), st.integers(1, 2), seeds)
@settings(max_examples=8, deadline=None)
def test_attention_equals_bplab_autodiff(N, T, H, d, seed):
    """Causal attention from 2-D tensor operations: a head is q @ E_h with E_h the (D, d)
    matrix selecting its columns, the mask multiplies exp(S) by a constant 0/1 matrix."""
    from bplab import autodiff as ad
    rng = np.random.default_rng(seed)
    D = H * d
    layer = MultiHeadSelfAttention(D, H, seed=seed)
    randomise_biases(layer, rng)
    x = rng.normal(size=(N, T, D))
    out, cache = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx, grads = layer.backward(dout, cache)
    P = {k: ad.Tensor(v.copy()) for k, v in layer.params.items()}
    E = [np.eye(D)[:, i * d:(i + 1) * d] for i in range(H)]
    mask = np.tril(np.ones((T, T)))
    xs, loss = [ad.Tensor(x[n].copy()) for n in range(N)], 0.0
    for n in range(N):
        q, k, v = (xs[n] @ P[f"W_{m}"].T + P[f"b_{m}"] for m in "qkv")
        O = 0.0
        for i in range(H):
            e = ad.exp((q @ E[i]) @ (k @ E[i]).T * (1 / np.sqrt(d))) * mask
            O = (e / e.sum(axis=1, keepdims=True)) @ (v @ E[i]) @ E[i].T + O
        y = O @ P["W_o"].T + P["b_o"]
        np.testing.assert_allclose(y.data, out[n], rtol=1e-12, atol=1e-14)
        loss = (y * dout[n]).sum() + loss
    loss.backward()
    assert bp.relative_error(dx, np.stack([xn.grad for xn in xs])) < 1e-12
    scale = max(np.abs(g).max() for g in grads.values())
    for name in layer.params:              # b_k, and with T = 1 q's, have zero gradients
        err = np.abs(grads[name] - P[name].grad).max()
        assert err <= 1e-12 * max(np.abs(P[name].grad).max(), 1e-3 * scale), name
