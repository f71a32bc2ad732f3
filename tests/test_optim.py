"""bplab.optim against torch.optim: the same trajectories, float64, 100 steps, 1e-12."""
from __future__ import annotations

import numpy as np
import pytest

import bplab as bp
from bplab.layers import Linear, MSELoss, SoftmaxCrossEntropyLoss, Tanh
from tests.conftest import require

CONFIGS = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.02, weight_decay=0.1, betas=(0.85, 0.95))),
]


def model_and_data():
    rng = np.random.default_rng(0)
    model = bp.Sequential(Linear(4, 6, seed=1), Tanh(), Linear(6, 3, seed=2),
                          loss=SoftmaxCrossEntropyLoss())
    return model, rng.normal(size=(20, 4)), rng.integers(0, 3, size=20)


@pytest.mark.parametrize("name, kw", CONFIGS, ids=[f"{n}-{i}" for i, (n, _) in
                                                   enumerate(CONFIGS)])
def test_trajectory_equals_torch_optim_over_100_steps(name, kw):
    torch = require("torch", "the comparison with torch.optim")
    model, X, y = model_and_data()
    tmodel = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(),
                                 torch.nn.Linear(6, 3)).double()
    with torch.no_grad():
        for t, (_, p) in zip(tmodel.parameters(), model.parameters()):
            t.copy_(torch.from_numpy(p))
    opt = getattr(bp.optim, name)(model.parameters(), **kw)
    topt = getattr(torch.optim, name)(tmodel.parameters(), **kw)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    for _ in range(100):
        loss, grads = model.gradients(X, y)
        opt.step(grads)
        topt.zero_grad()
        tloss = torch.nn.functional.cross_entropy(tmodel(Xt), yt)
        tloss.backward()
        topt.step()
        assert abs(loss - tloss.item()) <= 1e-12 * abs(tloss.item())
    for t, (pname, p) in zip(tmodel.parameters(), model.parameters()):
        ref = t.detach().numpy()
        assert np.abs(p - ref).max() <= 1e-12 * np.abs(ref).max(), pname
    assert np.abs(model[0].params["W"] - model_and_data()[0][0].params["W"]).max() > 0.05


def test_sgd_without_momentum_is_the_step_of_bp_train():
    X, Y = bp.datasets.sine()
    a, b = (bp.Sequential.from_mlp(bp.MLP([1, 5, 1], seed=1)) for _ in range(2))
    opt = bp.optim.SGD(a.parameters(), lr=0.1)
    for _ in range(20):
        opt.step(a.gradients(X.T, Y.T)[1])
    bp.train(b, X.T, Y.T, lr=0.1, epochs=20)
    for (n, p), (_, q) in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p, q, err_msg=n)


def test_works_on_an_mlp_with_a_list_of_gradients():
    X, Y = bp.datasets.xor()
    net = bp.MLP([2, 4, 1], output="sigmoid", seed=0)
    opt = bp.optim.Adam(net.parameters(), lr=0.05)
    first = net.loss(X, Y)
    for _ in range(200):
        _, dW, db = net.gradients(X, Y)
        opt.step([g for pair in zip(dW, db) for g in pair])
    assert net.loss(X, Y) < 0.2 * first


def test_optimiser_errors():
    model = bp.Sequential(Linear(2, 1), loss=MSELoss())
    with pytest.raises(ValueError, match="SGD: lr must be a positive number; got 0"):
        bp.optim.SGD(model.parameters(), lr=0)
    with pytest.raises(ValueError, match=r"Adam: betas\[1\] must be a number in \[0, 1\.0\)"):
        bp.optim.Adam(model.parameters(), betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="nesterov=True needs a momentum > 0"):
        bp.optim.SGD(model.parameters(), lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="got no parameters"):
        bp.optim.SGD([], lr=0.1)
    opt = bp.optim.SGD(model.parameters(), lr=0.1, momentum=0.5)
    with pytest.raises(ValueError, match=r"SGD.step: no gradient for \['0.b'\]"):
        opt.step({"0.W": np.zeros((1, 2))})
    with pytest.raises(ValueError, match=r"gradient of '0.W' must have the parameter's shape "
                                         r"\(1, 2\); got \(2, 1\)"):
        opt.step({"0.W": np.zeros((2, 1)), "0.b": np.zeros(1)})
    with pytest.raises(TypeError, match="must be a float numpy array"):
        bp.optim.SGD([("w", [1.0, 2.0])], lr=0.1)
