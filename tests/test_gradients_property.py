"""Gradients of random networks: finite differences always, PyTorch when installed."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

import bplab as bp
from bplab.activations import ACTIVATIONS
from tests.conftest import require

HIDDEN = sorted(ACTIVATIONS)
OUTPUT_FOR_LOSS = {"mse": ["identity", "sigmoid", "tanh", "relu"],
                   "half_sse": ["identity", "sigmoid", "tanh"],
                   "cross_entropy": ["sigmoid"]}


@st.composite
def problems(draw):
    """A random architecture (1-4 hidden layers), activations, loss, data and seed."""
    n_hidden = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 4))] + [draw(st.integers(1, 5)) for _ in range(n_hidden)] \
        + [draw(st.integers(1, 3))]
    hidden = [draw(st.sampled_from(HIDDEN)) for _ in range(n_hidden)]
    loss = draw(st.sampled_from(sorted(OUTPUT_FOR_LOSS)))
    output = draw(st.sampled_from(OUTPUT_FOR_LOSS[loss]))
    m = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    net = bp.MLP(sizes, hidden=hidden, output=output, loss=loss, seed=seed)
    for b in net.biases:                       # non-zero biases, so db is really tested
        b[:] = rng.normal(0, 0.5, b.shape)
    X = rng.normal(size=(sizes[0], m))
    Y = rng.random((sizes[-1], m)) if loss == "cross_entropy" else rng.normal(size=(sizes[-1], m))
    return net, X, Y


def _nudge_off_kinks(net, X, margin=0.05):
    """relu and step have kinks at z = 0, where no finite difference means anything. Move
    any pre-activation within ``margin`` of a kink away from it by shifting its unit's bias
    (layer by layer, front to back, since a bias changes every later layer's z)."""
    for l, f in enumerate(net.activations):
        if f.name not in ("relu", "step"):
            continue
        for _ in range(50):
            z = net._forward(X)[1].z[l]
            near = np.abs(z) < margin
            if not near.any():
                break
            net.biases[l] += 0.3 * margin * near.any(axis=1, keepdims=True)


@given(problems())
def test_gradients_agree_with_central_differences(problem):
    net, X, Y = problem
    _nudge_off_kinks(net, X)
    report = bp.gradcheck(net, X, Y, tol=1e-7)
    assert report.ok, f"{net}\n{report}"


@given(problems())
def test_gradients_agree_with_torch_autograd(problem):
    torch = require("torch", "the comparison with torch.autograd")
    net, X, Y = problem
    loss, dW, db = net.gradients(X, Y)

    act = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
           "identity": lambda z: z,
           # torch's heaviside has zero gradient too; multiply by 0 keeps the graph connected
           "step": lambda z: (z > 0).to(z.dtype) + 0 * z}
    Ws = [torch.tensor(W, requires_grad=True) for W in net.weights]
    bs = [torch.tensor(b, requires_grad=True) for b in net.biases]
    a = torch.tensor(X)
    for W, b, f in zip(Ws, bs, net.activations):
        a = act[f.name](W @ a + b)
    T = torch.tensor(Y)
    C = {"mse": lambda: torch.nn.functional.mse_loss(a, T),
         "half_sse": lambda: 0.5 * ((a - T) ** 2).sum(),
         "cross_entropy": lambda: torch.nn.functional.binary_cross_entropy(a, T)}[net.loss_name]()
    C.backward()
    assert loss == pytest.approx(C.item(), rel=1e-10, abs=1e-12)
    for ours, theirs in zip(dW + db, [W.grad for W in Ws] + [b.grad for b in bs]):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-12)


def test_gradcheck_catches_a_wrong_gradient():
    """The property above can fail: a gradient that is off is reported, with a diagnosis."""
    net = bp.MLP([3, 4, 2], seed=0)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(3, 5)), rng.normal(size=(2, 5))
    _, dW, db = net.gradients(X, Y)
    dW[1] = -dW[1]
    report = bp.gradcheck(net, X, Y, grads=(dW, db))
    assert not report.ok and report.failing == ["W[1]"]
    assert report["W[1]"].diagnosis == "sign flipped"
    assert "1 array(s) disagree: W[1]" in str(report)
