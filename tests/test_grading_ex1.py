"""The grader-only references of exercises 7 and 8 are right (against finite differences,
bplab's own layers and optimisers, and PyTorch), and the library-use reader follows torch
and scipy imports. The checks themselves are exercised by the solved notebooks and the
mutants (tests/test_grading_notebooks.py, tests/test_grading_mutants.py)."""
from __future__ import annotations

import numpy as np
import pytest

import bplab as bp
import bplab.health as health
from bplab.grading import _references_ex1 as ref
from bplab.grading import checks
from bplab.grading._specs import library_use
from tests.conftest import require


def test_broadcast_and_fanout_references_match_finite_differences():
    rng = np.random.default_rng(0)
    X, b, dY = rng.normal(size=(2, 3, 4)), rng.normal(size=(1, 3, 1)), rng.normal(size=(2, 3, 4))
    dX, db = ref.broadcast_add_backward(dY, (0, 2))
    numeric = bp.numerical_gradient(lambda: float(np.sum(dY * (X + b))), b)
    assert db.shape == b.shape and bp.relative_error(db, numeric) < 1e-9
    assert np.array_equal(dX, dY) and dX is not dY
    x, W, dY = rng.normal(size=(4, 3)), rng.normal(size=(4, 4)) / 2, rng.normal(size=(4, 3))
    C = lambda: float(np.sum(dY * ref.tied_residual_forward(x, W)))     # noqa: E731
    dx, dW = ref.tied_residual_backward(dY, x, W)
    assert bp.relative_error(dx, bp.numerical_gradient(C, x)) < 1e-8
    assert bp.relative_error(dW, bp.numerical_gradient(C, W)) < 1e-8


def test_logsumexp_and_softmax_ce_references():
    rng = np.random.default_rng(1)
    z = rng.normal(0, 3, (4, 5))
    for axis in (0, 1, -1):
        naive = np.log(np.exp(z).sum(axis=axis, keepdims=True))
        assert bp.relative_error(ref.logsumexp(z, axis), naive) < 1e-14
    with np.errstate(all="raise"):
        extreme = ref.logsumexp(np.array([[1000.0, 999.0], [-1000.0, -1001.0]]), 1)
    assert np.allclose(extreme.ravel(), [1000 + np.log1p(np.exp(-1)),
                                         -1000 + np.log1p(np.exp(-1))], rtol=1e-15)
    Z, labels = rng.normal(0, 2, (6, 4)), rng.integers(0, 4, 6)
    loss = bp.layers.SoftmaxCrossEntropyLoss()
    _, cache = loss.forward(Z, labels)
    assert bp.relative_error(ref.softmax_ce_backward(Z, labels), loss.backward(cache)) < 1e-12


def test_init_std_matches_bplab_health_and_keeps_gradients_level():
    for n_in, n_out in [(30, 70), (500, 8)]:
        assert np.isclose(ref.init_std(n_in, n_out, "relu") ** 2,
                          health.weight_variance("he", n_in, n_out), rtol=1e-14)
        assert np.isclose(ref.init_std(n_in, n_out, "tanh") ** 2,
                          health.weight_variance("xavier", n_in, n_out), rtol=1e-14)
    from bplab.grading.checks_ex1_health import _BAND, _level
    measured, predicted = _level("relu", ref.init_std(64, 64, "relu"), 0)
    assert _BAND[0] < measured < _BAND[1] and predicted == pytest.approx(1.0, rel=1e-6)
    measured, _ = _level("relu", ref.init_std(64, 64, "tanh"), 0)     # Xavier for a ReLU
    assert measured < _BAND[0]


def test_clip_and_adam_references_match_bplab():
    rng = np.random.default_rng(2)
    grads = [rng.normal(size=(3, 2)) * 5, rng.normal(size=4) * 5]
    clipped, norm = ref.clip_grad_norm(grads, 1.0)
    mine, their_norm = health.clip_by_global_norm(dict(enumerate(grads)), 1.0)
    assert norm == pytest.approx(their_norm, rel=1e-14)
    assert all(np.allclose(c, mine[i], rtol=1e-14) for i, c in enumerate(clipped))
    theta = rng.normal(size=(2, 3))
    lib, m, v = theta.copy(), np.zeros_like(theta), np.zeros_like(theta)
    opt = bp.optim.Adam([lib], lr=0.05, betas=(0.8, 0.99), eps=1e-3)
    for t in range(1, 5):
        g = rng.normal(size=theta.shape)
        theta, m, v = ref.adam_step(theta, g, m, v, t, lr=0.05, betas=(0.8, 0.99), eps=1e-3)
        opt.step([g])
        assert bp.relative_error(theta, lib) < 1e-13


def test_clip_and_adam_references_match_torch():
    torch = require("torch", "the references of exercise 8 against PyTorch")
    rng = np.random.default_rng(3)
    grads = [rng.normal(size=(3, 2)) * 5, rng.normal(size=4) * 5]
    params = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, g in zip(params, grads):
        p.grad = torch.tensor(g)
    total = torch.nn.utils.clip_grad_norm_(params, 2.0)
    clipped, norm = ref.clip_grad_norm(grads, 2.0)
    assert norm == pytest.approx(float(total), rel=1e-12)
    for p, c in zip(params, clipped):
        assert bp.relative_error(p.grad.numpy(), c) < 1e-6      # torch adds 1e-6 to the norm
    theta = rng.normal(size=5)
    p = torch.tensor(theta.copy(), requires_grad=True)
    opt = torch.optim.Adam([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    m = v = np.zeros(5)
    for t in range(1, 4):
        g = rng.normal(size=5)
        p.grad = torch.tensor(g)
        opt.step()
        theta, m, v = ref.adam_step(theta, g, m, v, t, lr=0.01, betas=(0.9, 0.999), eps=1e-8)
        assert bp.relative_error(p.detach().numpy(), theta) < 1e-12


def test_the_new_checks_are_registered_and_torch_or_scipy_answers_are_flagged():
    new = ["check_broadcast_add_backward", "check_fanout_backward", "check_logsumexp",
           "check_softmax_ce_backward", "check_init_std", "check_clip_grad_norm",
           "check_adam_step"]
    assert set(new) <= set(checks.__all__)
    clip = "def clip_grad_norm(g, c):\n    return t.nn.utils.clip_grad_norm_(g, c)"
    assert library_use([clip], ["check_clip_grad_norm"], context=["import torch as t"]) == [
        "t.nn.utils.clip_grad_norm_ (torch.nn.utils.clip_grad_norm_)"]
    assert library_use(["def f(g, c):\n    return bp.optim.clip_grad_norm(g, c)"],
                       ["check_clip_grad_norm"], context=["import bplab as bp"]) == [
        "bp.optim.clip_grad_norm (bplab.optim.clip_grad_norm)"]
    lse = "from scipy.special import logsumexp as lse\ndef logsumexp(z, axis):\n    return lse(z)"
    assert "import of scipy.special.logsumexp" in library_use([lse], ["check_logsumexp"])
    assert library_use(["def adam_step(*a):\n    return bp.optim.Adam"], ["check_adam_step"],
                       context=["import bplab as bp"]) == ["bp.optim.Adam (bplab.optim.Adam)"]
    # torch is no answer to the other exercises, and getattr on it is not bplab's
    assert library_use(["def sigmoid(z):\n    return getattr(torch, 'sigmoid')(z)"],
                       ["check_sigmoid"], context=["import torch"]) == []
