"""The transformer capstone (book/part3/capstone_transformer.ipynb) and its new layer.

``PositionalEmbedding`` against finite differences and PyTorch; the capstone's model against
PyTorch from the same initial weights and batches (losses to 1e-8 over the first 100 Adam
steps, float64); and the accuracy claim: at least 99% of held-out digit strings reversed
exactly, the notebook's task, model and training, repeated here.
"""
import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import bplab as bp
from bplab.layers import PositionalEmbedding, transformer
from tests.conftest import require
from tests.test_layers import fd

# The notebook's task and training (keep the two in step).
L, SEP, STEPS, BATCH, LR = 6, 10, 100, 64, 1e-2


def reversal_data(digits):
    """Inputs (N, 2L): the digits, SEP, the reversed digits but the last; targets (N, 2L):
    -100 (ignored) on the L prompt positions, then the reversed digits."""
    N, r = len(digits), digits[:, ::-1]
    X = np.concatenate([digits, np.full((N, 1), SEP), r[:, :-1]], axis=1)
    Y = np.concatenate([np.full((N, L), -100), r], axis=1)
    return X, Y


def split(seed=0, n=20_000, n_test=2_000):
    numbers = np.random.default_rng(seed).choice(10 ** L, n, replace=False)
    digits = numbers[:, None] // 10 ** np.arange(L - 1, -1, -1) % 10
    return digits[n_test:], digits[:n_test]




def test_positional_embedding_matches_finite_differences_and_torch():
    torch = require("torch")
    rng = np.random.default_rng(0)
    layer = PositionalEmbedding(5, 3, seed=1)
    x, dout = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 3))
    out, cache = layer.forward(x)
    dx, grads = layer.backward(dout, cache)
    P = layer.params["weight"]
    num_P = fd(lambda: float((layer.forward(x)[0] * dout).sum()), P)
    num_x = fd(lambda: float((layer.forward(x)[0] * dout).sum()), x)
    assert bp.relative_error(grads["weight"], num_P) < 1e-9
    assert bp.relative_error(dx, num_x) < 1e-9
    assert np.all(grads["weight"][4] == 0)                     # position 4 was not used
    pos = torch.nn.Embedding(5, 3, dtype=torch.float64)
    pos.weight.data[...] = torch.from_numpy(P)
    xt = torch.from_numpy(x).requires_grad_()
    yt = xt + pos(torch.arange(4))
    yt.backward(torch.from_numpy(dout))
    assert np.abs(out - yt.detach().numpy()).max() < 1e-15
    assert np.abs(grads["weight"] - pos.weight.grad.numpy()).max() < 1e-14
    assert np.abs(dx - xt.grad.numpy()).max() == 0


def test_positional_embedding_errors():
    layer = PositionalEmbedding(4, 3)
    with pytest.raises(ValueError, match=r"PositionalEmbedding\(4, 3\) expects x of shape "
                                         r"\(N, T, 3\).*got shape \(4, 3\). For one sequence"):
        layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"T = 5 steps, more than max_len = 4.*max_len >= 5"):
        layer.forward(np.ones((1, 5, 3)))
    with pytest.raises(ValueError, match="max_len must be a positive integer; got 0"):
        PositionalEmbedding(0, 3)
    with pytest.raises(ValueError, match="num_blocks must be a positive integer; got 0"):
        transformer(11, 10, 12, num_blocks=0)


def test_whole_transformer_matches_finite_differences():
    model = transformer(5, 4, 4, d_model=4, num_heads=2, d_ff=6, seed=1)
    rng = np.random.default_rng(0)
    X, Y = rng.integers(0, 5, (2, 4)), rng.integers(0, 4, (2, 4))
    Y[:, :1] = -100                                  # a position left out of the loss
    report = bp.gradcheck(model, X, Y)
    assert report.ok, report
    assert len(report.checks) == len(model.parameters())


def test_transformer_gradients_match_torch_two_blocks():
    torch = require("torch")
    from bench.transformer_torch import TorchTransformer
    rng = np.random.default_rng(3)
    model = transformer(7, 5, 6, d_model=8, num_heads=2, num_blocks=2, d_ff=12, seed=4)
    X, Y = rng.integers(0, 7, (3, 6)), rng.integers(0, 5, (3, 6))
    Y[:, :2] = -100
    loss, grads = model.gradients(X, Y)
    ref = TorchTransformer(model)
    ref_loss = ref.loss(torch.from_numpy(X), torch.from_numpy(Y))
    ref_loss.backward()
    assert abs(loss - ref_loss.item()) < 1e-13
    for name, p in ref.named.items():
        assert np.abs(grads[name] - p.grad.numpy()).max() < 1e-12, name


@pytest.mark.slow
def test_capstone_agrees_with_torch_and_reverses_99_percent():
    torch = require("torch")
    from bench.transformer_torch import TorchTransformer
    train, test = split()
    batches = np.random.default_rng(1).integers(0, len(train), (STEPS, BATCH))
    model = transformer(11, 10, 2 * L, d_model=32, num_heads=2, num_blocks=1, seed=0)
    ref = TorchTransformer(model)                 # the same initial weights
    opt = bp.optim.Adam(model.parameters(), lr=LR)
    ref_opt = torch.optim.Adam(ref.parameters(), lr=LR)
    torch.set_num_threads(1)
    losses, ref_losses = [], []
    with threadpool_limits(1):
        for step, idx in enumerate(batches):
            X, Y = reversal_data(train[idx])
            loss, grads = model.gradients(X, Y)
            opt.step(grads)
            losses.append(loss)
            if step < 100:
                ref_opt.zero_grad()
                ref_loss = ref.loss(torch.from_numpy(X), torch.from_numpy(Y))
                ref_loss.backward()
                ref_opt.step()
                ref_losses.append(ref_loss.item())
    assert np.abs(np.array(losses[:100]) - ref_losses).max() < 1e-8
    assert losses[-1] < 0.1 * losses[0]
    X, Y = reversal_data(test)
    pred = model.predict(X)[:, L:].argmax(axis=-1)
    exact = np.all(pred == Y[:, L:], axis=1).mean()
    assert exact >= 0.99, exact
