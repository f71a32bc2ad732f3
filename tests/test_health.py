"""bplab.health: the measurements against a backward pass written by hand, the variance
predictions against cases solved by hand and against measured networks, and the errors."""
import numpy as np
import pytest

import bplab as bp
import bplab.health as health
from bplab.layers import Linear, ReLU, Sigmoid, MSELoss


# -- the predictions, in cases solved by hand ------------------------------------------------
@pytest.mark.parametrize("g", [1.0, 2.0, 3.0])
def test_relu_predictions_are_powers_of_g_over_2(g):
    q, r = health.predicted_variances("relu", g, 6, x_second_moment=1.5)
    # q_1 = g E[x^2], q_l = g q_{l-1} / 2 ;  chi = g / 2 per layer, r_l = (g/2)^(L-l)
    np.testing.assert_allclose(q, 1.5 * g * (g / 2) ** np.arange(6), rtol=1e-10)
    np.testing.assert_allclose(r, (g / 2) ** np.arange(5, -1, -1), rtol=1e-12)


def test_he_is_the_fixed_point_for_relu_and_xavier_halves_it():
    _, r_he = health.predicted_variances("relu", 2.0, 20, 1.0)
    _, r_xavier = health.predicted_variances("relu", 1.0, 20, 1.0)
    np.testing.assert_allclose(r_he, 1.0, rtol=1e-12)
    assert r_xavier[0] == pytest.approx(0.5 ** 19, rel=1e-12)


def test_tanh_with_tiny_weights_is_linear():
    # f(z) ~ z and f'(z) ~ 1 when q is tiny: q_l = g^l E[x^2] and chi = g
    q, r = health.predicted_variances("tanh", 0.5, 4, 1e-6)
    np.testing.assert_allclose(q, 1e-6 * 0.5 ** np.arange(1, 5), rtol=1e-5)
    np.testing.assert_allclose(r, 0.5 ** np.arange(3, -1, -1), rtol=1e-5)


def test_sigmoid_backward_factor_is_at_most_g_over_16():
    for g in (1.0, 2.0, 16.0):
        _, r = health.predicted_variances("sigmoid", g, 3, 1.0)
        assert r[1] / r[2] <= g / 16 + 1e-12


# -- the predictions, against measured networks ----------------------------------------------
@pytest.mark.parametrize("activation, init", [("relu", "he"), ("tanh", "xavier"),
                                              ("tanh", "standard"), ("sigmoid", "standard")])
def test_measured_variances_follow_the_prediction(activation, init):
    width, depth, seeds = 512, 4, range(4)      # "standard": saturated, far from linear
    X = np.random.default_rng(0).normal(size=(16, width))
    g = health.weight_variance(init, width, width) * width
    q, r = health.predicted_variances(activation, g, depth, float(np.mean(X * X)))
    log_z, log_d = [], []
    for seed in seeds:
        stats = health.layer_statistics(
            health.deep_mlp(depth, width, activation, init, seed=100 * seed), X, seed=seed)
        d2 = stats["delta_second_moment"]
        log_z.append(np.log(stats["z_second_moment"] / q))
        log_d.append(np.log(d2 / d2[-1] / r))
    # averaged over seeds, every layer within 25% of the prediction (forward and backward)
    assert np.abs(np.mean(log_z, axis=0)).max() < np.log(1.25)
    assert np.abs(np.mean(log_d, axis=0)).max() < np.log(1.25)


def test_a_wrong_gain_is_caught_by_the_measurement():
    """The check above can fail: a prediction for He compared with Xavier networks."""
    width, depth = 512, 4
    X = np.random.default_rng(0).normal(size=(16, width))
    _, r_he = health.predicted_variances("relu", 2.0, depth, float(np.mean(X * X)))
    d2 = health.layer_statistics(health.deep_mlp(depth, width, "relu", "xavier"), X)[
        "delta_second_moment"]
    assert np.abs(np.log(d2 / d2[-1] / r_he)).max() > np.log(4)     # predicted 1/8


# -- the measurements against a hand-written backward pass -----------------------------------
def test_layer_statistics_match_a_backward_pass_by_hand():
    rng = np.random.default_rng(1)
    model = health.deep_mlp(3, 5, "sigmoid", "xavier", n_in=4, n_out=2, seed=3)
    X, Y = rng.normal(size=(7, 4)), rng.normal(size=(7, 2))
    W = [model[i].params["W"] for i in (0, 2, 4)]
    z1 = X @ W[0].T
    a1 = bp.sigmoid(z1)
    z2 = a1 @ W[1].T
    a2 = bp.sigmoid(z2)
    z3 = a2 @ W[2].T
    d3 = 2 * (z3 - Y) / z3.size
    d2 = (d3 @ W[2]) * a2 * (1 - a2)
    d1 = (d2 @ W[1]) * a1 * (1 - a1)
    stats = health.layer_statistics(model, X, Y)
    np.testing.assert_allclose(stats["delta_norm"], [np.linalg.norm(d) for d in (d1, d2, d3)],
                               rtol=1e-12)
    np.testing.assert_allclose(stats["z_second_moment"],
                               [np.mean(z * z) for z in (z1, z2, z3)], rtol=1e-12)
    loss, grads = model.gradients(X, Y)
    np.testing.assert_allclose(stats["dW_norm"],
                               [np.linalg.norm(grads[k]) for k in ("0.W", "2.W", "4.W")],
                               rtol=1e-12)
    assert stats["loss"] == pytest.approx(loss, rel=1e-14)
    np.testing.assert_array_equal(health.layer_gradient_norms(model, X, Y),
                                  stats["delta_norm"])


def test_random_start_is_seeded_and_has_no_loss():
    model = health.deep_mlp(2, 3, "tanh", "he")
    X = np.ones((4, 3))
    a, b = health.layer_statistics(model, X), health.layer_statistics(model, X)
    c = health.layer_statistics(model, X, seed=1)
    np.testing.assert_array_equal(a["delta_norm"], b["delta_norm"])
    assert not np.allclose(a["delta_norm"], c["delta_norm"])
    assert np.isnan(a["loss"])


def test_deep_mlp_draws_the_named_variance():
    model = health.deep_mlp(3, 400, "relu", "he", seed=0)
    assert [type(layer).__name__ for layer in model.layers] == [
        "Linear", "ReLU", "Linear", "ReLU", "Linear"]
    for layer in model.layers[::2]:
        assert layer.params["W"].var() == pytest.approx(2 / 400, rel=0.02)
    assert health.weight_variance("xavier", 100, 300) == pytest.approx(2 / 400)
    assert health.weight_variance("small", 5, 5) == pytest.approx(1e-4)


def test_dead_relu_fraction_counts_units_dead_on_every_sample():
    first = Linear.from_weights(np.eye(4), np.array([0.0, -10.0, 0.0, -10.0]))
    model = bp.Sequential(first, ReLU(), Linear(4, 1), loss=MSELoss())
    X = np.random.default_rng(0).uniform(-1, 1, size=(50, 4))
    assert health.dead_relu_fraction(model, X).tolist() == [0.5]
    sig = bp.Sequential(Linear(4, 2), Sigmoid(), loss=MSELoss())
    assert health.dead_relu_fraction(sig, X).size == 0


def test_clip_by_global_norm_keeps_direction_and_caps_length():
    g = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    clipped, norm = health.clip_by_global_norm(g, 1.0)
    assert norm == pytest.approx(5.0)
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0])
    np.testing.assert_allclose(clipped["b"], [[0.8]])
    same, _ = health.clip_by_global_norm(g, 10.0)
    np.testing.assert_array_equal(same["a"], g["a"])
    assert g["a"][0] == 3.0                       # the input is not modified


@pytest.mark.parametrize("call, match", [
    (lambda: health.weight_variance("glorot", 2, 2), "init must be one of"),
    (lambda: health.deep_mlp(0, 3, "relu", "he"), "depth must be a positive integer"),
    (lambda: health.deep_mlp(2, 3, "gelu", "he"), "activation must be one of"),
    (lambda: health.predicted_variances("gelu", 1.0, 2, 1.0), "activation must be one of"),
    (lambda: health.clip_by_global_norm({}, 0.0), "max_norm must be a positive number"),
    (lambda: health.layer_statistics(bp.MLP([2, 2]), np.ones((1, 2)), None),
     "model must be a bplab Sequential.*got MLP"),
    (lambda: health.layer_statistics(bp.Sequential(Linear(2, 2)), np.ones((1, 2))),
     "got a Sequential without a loss"),
])
def test_errors_name_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()
