"""Activations and losses: values, derivatives (vs finite differences), stability."""
import warnings

import numpy as np
import pytest

import bplab as bp
from bplab.activations import ACTIVATIONS
from bplab.losses import LOSSES

Z = np.linspace(-6, 6, 49).reshape(7, 7) + 0.0137   # avoids the kinks of relu and step at 0


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_central_difference(name):
    f = ACTIVATIONS[name]
    h = 1e-6
    numeric = (f.fn(Z + h) - f.fn(Z - h)) / (2 * h)
    np.testing.assert_allclose(f.prime(Z), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_from_activation_equals_derivative_from_z(name):
    f = ACTIVATIONS[name]
    np.testing.assert_allclose(f.prime_from_a(f.fn(Z)), f.prime(Z), rtol=1e-12, atol=1e-15)


def test_sigmoid_is_stable_at_extremes():
    z = np.array([-1000.0, -745.0, -40.0, 0.0, 40.0, 745.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # any overflow warning fails the test
        s = bp.sigmoid(z)
        ds = bp.sigmoid_prime(z)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(ds))
    assert np.all(np.diff(s) >= 0)


def test_sigmoid_matches_textbook_formula_where_that_is_safe():
    z = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(bp.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)


def test_step_has_zero_derivative_everywhere():
    assert not np.any(bp.step_prime(Z))
    np.testing.assert_array_equal(bp.step(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])


def test_losses_are_defined_exactly_as_documented():
    rng = np.random.default_rng(1)
    A, Y = rng.random((3, 5)), rng.random((3, 5))
    assert bp.mse(A, Y) == pytest.approx(np.mean((A - Y) ** 2), rel=1e-15)
    assert bp.half_sse(A, Y) == pytest.approx(0.5 * np.sum((A - Y) ** 2), rel=1e-15)
    bce = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    assert bp.cross_entropy(A, Y) == pytest.approx(bce, rel=1e-15)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradient_matches_central_difference(name):
    loss = LOSSES[name]
    rng = np.random.default_rng(2)
    A, Y = rng.uniform(0.1, 0.9, (2, 4)), rng.random((2, 4))
    numeric = bp.numerical_gradient(lambda: loss.fn(A, Y), A, h=1e-6)
    np.testing.assert_allclose(loss.grad(A, Y), numeric, rtol=1e-7, atol=1e-10)


def test_cross_entropy_clamps_like_pytorch_at_saturated_outputs():
    A = np.array([[0.0, 1.0]])
    Y = np.array([[1.0, 0.0]])
    assert bp.cross_entropy(A, Y) == 100.0        # each log clamped at -100
    assert np.all(np.isfinite(bp.losses.cross_entropy_grad(A, Y)))


@pytest.mark.parametrize("kind,getter,bad", [
    ("activation", bp.activations.get_activation, "sigmod"),
    ("loss", bp.losses.get_loss, "mean_squared"),
])
def test_unknown_names_list_the_choices(kind, getter, bad):
    with pytest.raises(ValueError, match=rf"Unknown {kind} '{bad}'\. Expected one of .*"):
        getter(bad)


def test_unknown_name_suggests_the_close_one():
    with pytest.raises(ValueError, match="Did you mean 'sigmoid'"):
        bp.activations.get_activation("sigmod")


def test_sigmoid_is_bit_for_bit_the_two_branch_stable_form():
    """The one-division form used for speed gives exactly the textbook stable sigmoid:
    1/(1 + e^-z) for z >= 0 and e^z/(1 + e^z) for z < 0."""
    z = np.random.default_rng(5).normal(0, 40, size=20_000)
    z[:4] = [0.0, -0.0, 800.0, -800.0]
    e = np.exp(-np.abs(z))
    np.testing.assert_array_equal(bp.sigmoid(z), np.where(z >= 0, 1 / (1 + e), e / (1 + e)))


def test_mse_is_bit_for_bit_numpy_mean():
    rng = np.random.default_rng(6)
    A, Y = rng.normal(size=(10, 333)), rng.normal(size=(10, 333))
    assert bp.mse(A, Y) == float(np.mean((A - Y) ** 2))
