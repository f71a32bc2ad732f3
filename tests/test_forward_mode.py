"""Forward mode (bplab.forward_mode) against finite differences and reverse mode."""
from __future__ import annotations

import numpy as np
import pytest

import bplab as bp
from bplab import autodiff as ad
from bplab import forward_mode as fm
from bplab.forward_mode import Dual, jvp


def _fd_directional(f, x, v, h=1e-6):
    return (f(x + h * v) - f(x - h * v)) / (2 * h)


def test_dual_rules_against_finite_differences():
    def f_dual(u):
        return fm.exp(u) * u / (1.0 + u ** 2) - fm.log(u) + 3.0 * fm.sigmoid(u) - 2.0 / u

    def f_np(u):
        return np.exp(u) * u / (1 + u ** 2) - np.log(u) + 3 * bp.sigmoid(u) - 2 / u

    x = np.array([0.3, 1.1, 2.5])
    v = np.array([1.0, -0.5, 2.0])
    value, tangent = jvp(f_dual, x, v)
    assert np.allclose(value, f_np(x), rtol=1e-15, atol=0)
    assert np.allclose(tangent, _fd_directional(f_np, x, v), rtol=1e-8, atol=0)


def test_jvp_of_a_layer_is_J_v_and_matches_reverse_mode():
    rng = np.random.default_rng(0)
    W, b = rng.normal(size=(4, 3)), rng.normal(size=(4, 1))
    x, v, u = rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), rng.normal(size=(4, 2))
    _, Jv = jvp(lambda a: fm.tanh(W @ a + b), x, v)
    # the Jacobian, formed explicitly: diag(tanh'(z)) W, column by column
    z = W @ x + b
    assert np.allclose(Jv, (1 - np.tanh(z) ** 2) * (W @ v), rtol=1e-14, atol=1e-15)
    # reverse mode gives J^T u; the two agree through <u, J v> = <J^T u, v>
    xt = ad.Tensor(x)
    (ad.tanh(ad.Tensor(W) @ xt + ad.Tensor(b)) * ad.Tensor(u)).sum().backward()
    assert np.isclose(np.sum(u * Jv), np.sum(xt.grad * v), rtol=1e-13, atol=0)


@pytest.mark.parametrize("hidden, output, loss", [("tanh", "identity", "mse"),
                                                  ("sigmoid", "tanh", "half_sse"),
                                                  ("relu", "sigmoid", "cross_entropy")])
def test_forward_mode_gradients_equal_reverse_mode(hidden, output, loss):
    net = bp.MLP([3, 4, 2], hidden=hidden, output=output, loss=loss, seed=1)
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(3, 5)), rng.random((2, 5))
    loss_f, dW_f, db_f, passes = fm.mlp_gradients(net, X, Y)
    loss_r, dW_r, db_r = ad.mlp_gradients(net, X, Y)
    assert passes == sum(p.size for _, p in net.parameters()) == 26
    assert np.isclose(loss_f, loss_r, rtol=1e-15)
    for f, r in zip(dW_f + db_f, dW_r + db_r):
        assert f.shape == r.shape
        assert np.allclose(f, r, rtol=1e-11, atol=1e-14)


def test_mlp_jvp_is_the_directional_derivative():
    net = bp.MLP([2, 3, 1], hidden="tanh", seed=0)
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(2, 4)), rng.normal(size=(1, 4))
    dW = [rng.normal(size=W.shape) for W in net.weights]
    db = [rng.normal(size=b.shape) for b in net.biases]
    loss, dC = fm.mlp_jvp(net, X, Y, dW, db)

    def loss_at(t):
        moved = net.copy()
        moved.set_weights([W + t * d for W, d in zip(net.weights, dW)],
                          [b + t * d for b, d in zip(net.biases, db)])
        return moved.loss(X, Y)

    assert np.isclose(loss, net.loss(X, Y), rtol=1e-15)
    assert np.isclose(dC, (loss_at(1e-6) - loss_at(-1e-6)) / 2e-6, rtol=1e-7)
    _, gW, gb = net.gradients(X, Y)
    by_reverse = sum(np.sum(g * d) for g, d in zip(gW + gb, dW + db))
    assert np.isclose(dC, by_reverse, rtol=1e-12)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="tangent must have the value's shape"):
        Dual(np.zeros(3), np.zeros(2))
    with pytest.raises(TypeError, match="Dual: val must be a number"):
        Dual("abc")
    with pytest.raises(ValueError, match=r"direction v must have the shape of x \(3,\)"):
        jvp(fm.tanh, np.zeros(3), np.zeros(4))
    with pytest.raises(TypeError, match="f must return a Dual"):
        jvp(lambda u: 1.0, np.zeros(2), np.ones(2))
    with pytest.raises(TypeError, match="f must be a function"):
        jvp(3, np.zeros(2), np.ones(2))
    with pytest.raises(TypeError, match="constant exponent"):
        Dual(1.0) ** Dual(2.0)
    with pytest.raises(ValueError, match="2-D arrays only"):
        Dual(np.ones(3)) @ Dual(np.ones(3))
    net = bp.MLP([2, 3, 1], seed=0)
    X, Y = np.zeros((2, 4)), np.zeros((1, 4))
    with pytest.raises(ValueError, match=r"dW must be one array per layer .*\(3, 2\)"):
        fm.mlp_jvp(net, X, Y, [np.zeros((2, 3)), np.zeros((1, 3))],
                   [np.zeros((3, 1)), np.zeros((1, 1))])
    with pytest.raises(TypeError, match="net must be a bplab.MLP"):
        fm.mlp_gradients(bp.Sequential.from_mlp(net), X.T, Y.T)
    with pytest.raises(ValueError, match="rows"):
        fm.mlp_gradients(net, np.zeros((3, 4)), Y)
