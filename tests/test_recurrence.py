"""bplab.recurrence's helpers and the LastStep layer: what the recurrence chapter and the
capstone build on (the capstone's own claims are in test_capstone_rnn.py)."""
from __future__ import annotations

import numpy as np
import pytest

import bplab as bp
from bplab.layers.sequence import RNN, LastStep
from bplab.recurrence import decay_prediction, hidden_gradients, recall_batch
from tests.test_layers import fd


def test_last_step_backward_matches_finite_differences_and_is_zero_before_the_end():
    rng = np.random.default_rng(0)
    layer = LastStep()
    x = rng.normal(size=(3, 4, 2))
    out, cache = layer.forward(x)
    np.testing.assert_array_equal(out, x[:, -1])
    dout = rng.normal(size=out.shape)
    dx, grads = layer.backward(dout, cache)
    assert grads == {} and not dx[:, :-1].any()
    numeric = fd(lambda: float(np.sum(dout * layer.forward(x)[0])), x)
    assert bp.relative_error(dx, numeric) < 1e-9


def test_last_step_names_a_wrong_shape():
    with pytest.raises(ValueError, match=r"LastStep\(\) expects x of shape \(N, T, \.\.\.\).*"
                                         r"got shape \(3, 4\)"):
        LastStep().forward(np.zeros((3, 4)))


def test_hidden_gradients_are_the_layers_bptt_and_refuse_relu():
    rng = np.random.default_rng(1)
    rnn = RNN(3, 4, seed=2)
    x = rng.normal(size=(2, 5, 3))
    h, cache = rnn._forward(x)
    dh_last = rng.normal(size=(2, 4))
    dh = hidden_gradients(rnn, h, dh_last)
    dout = np.zeros_like(h)
    dout[:, -1] = dh_last
    dx = rnn._backward(dout, cache)[0]
    np.testing.assert_allclose(dx, (dh * (1 - h ** 2)) @ rnn.params["weight_ih"], rtol=1e-12,
                               atol=1e-15)
    with pytest.raises(ValueError, match="must use tanh"):
        hidden_gradients(RNN(3, 4, "relu"), h, dh_last)


def test_decay_prediction_is_exact_for_a_scaled_orthogonal_linear_regime():
    """W_hh = ρQ and states near 0: every Jacobian has norm ρ, so bound = ρ^k, rate = ρ."""
    rng = np.random.default_rng(3)
    q, _ = np.linalg.qr(rng.normal(size=(6, 6)))
    rnn = RNN(2, 6, seed=0)
    rnn.params["weight_hh"][...] = 0.8 * q
    h = np.zeros((2, 7, 6))
    bound, rate = decay_prediction(rnn, h)
    np.testing.assert_allclose(bound, np.tile(0.8 ** np.arange(7), (2, 1)), rtol=1e-12)
    assert rate == pytest.approx(0.8, rel=1e-12)


def test_recall_batch_labels_the_first_token():
    x, y = recall_batch(np.random.default_rng(0), 5, 7, 3)
    assert x.shape == (5, 7) and x.min() >= 0 and x.max() < 3
    np.testing.assert_array_equal(y, x[:, 0])
