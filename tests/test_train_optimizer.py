"""bp.train(..., optimizer=...): the same trajectory as an explicit bp.optim loop."""
from __future__ import annotations

from functools import partial

import numpy as np
import pytest

import bplab as bp
from bplab.layers import Linear, MSELoss, Tanh


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 12))
    return X, np.sin(X[:1] + X[1:])


def _sequential():
    return bp.Sequential(Linear(2, 5, seed=0), Tanh(), Linear(5, 1, seed=1), loss=MSELoss())


def _params(net):
    return [p.copy() for _, p in net.parameters()]


def test_sgd_class_is_plain_gradient_descent_bit_for_bit():
    X, Y = _data()
    a = bp.MLP([2, 5, 1], hidden="tanh", seed=0)
    b = a.copy()
    ha = bp.train(a, X, Y, lr=0.1, epochs=7, batch_size=5, seed=3)
    hb = bp.train(b, X, Y, lr=0.1, epochs=7, batch_size=5, seed=3, optimizer=bp.optim.SGD)
    assert all(np.array_equal(p, q) for p, q in zip(_params(a), _params(b)))
    assert np.array_equal(ha.batch_loss, hb.batch_loss) and ha.final_loss == hb.final_loss


@pytest.mark.parametrize("make", [partial(bp.optim.SGD, momentum=0.9),
                                  partial(bp.optim.Adam, betas=(0.8, 0.99)),
                                  partial(bp.optim.AdamW, weight_decay=0.1)])
@pytest.mark.parametrize("kind", ["mlp", "sequential"])
def test_train_equals_an_explicit_optimiser_loop(make, kind):
    X, Y = _data()
    if kind == "mlp":
        net = bp.MLP([2, 5, 1], hidden="tanh", seed=0)
        ref, Xm, Ym = net.copy(), X, Y
    else:
        net, ref, Xm, Ym = _sequential(), _sequential(), X.T, Y.T
    opt = make(ref.parameters(), lr=0.05)
    losses = []
    for _ in range(15):
        if kind == "mlp":
            loss, dW, db = ref.gradients(Xm, Ym)
            grads = [g for pair in zip(dW, db) for g in pair]
        else:
            loss, grads = ref.gradients(Xm, Ym)
        losses.append(loss)
        opt.step(grads)
    h = bp.train(net, Xm, Ym, lr=0.05, epochs=15, optimizer=make)
    for p, q in zip(_params(net), _params(ref)):
        assert np.allclose(p, q, rtol=1e-13, atol=1e-15)
    assert np.allclose(h.loss, losses, rtol=1e-13)
    # and it is not plain gradient descent
    plain = bp.MLP([2, 5, 1], hidden="tanh", seed=0) if kind == "mlp" else _sequential()
    bp.train(plain, Xm, Ym, lr=0.05, epochs=15)
    assert not np.allclose(_params(plain)[0], _params(net)[0])


def test_divergence_with_an_optimiser_stops_and_keeps_the_parameters():
    X, Y = _data()
    net = bp.MLP([2, 5, 1], hidden="tanh", seed=0)
    with np.errstate(over="ignore", invalid="ignore"):
        h = bp.train(net, X, 1e200 * Y, lr=0.1, epochs=5, optimizer=bp.optim.Adam)
    assert h.diverged and "lr=0.1" in h.message and h.steps == 1
    assert all(np.array_equal(p, q) for p, q in
               zip(_params(net), _params(bp.MLP([2, 5, 1], hidden="tanh", seed=0))))


def test_bad_optimizer_is_named():
    X, Y = _data()
    net = bp.MLP([2, 5, 1], seed=0)
    with pytest.raises(TypeError, match="got an instance of Adam.*Pass an optimiser class"):
        bp.train(net, X, Y, lr=0.1, epochs=1, optimizer=bp.optim.Adam(net.parameters()))
    with pytest.raises(TypeError, match="optimizer must be None .* got 'adam'"):
        bp.train(net, X, Y, lr=0.1, epochs=1, optimizer="adam")
    with pytest.raises(TypeError, match="must return a bplab.optim optimiser; it returned list"):
        bp.train(net, X, Y, lr=0.1, epochs=1, optimizer=lambda params, lr: list(params))
    with pytest.raises(ValueError, match="momentum must be a number"):
        bp.train(net, X, Y, lr=0.1, epochs=1, optimizer=partial(bp.optim.SGD, momentum=-1))
