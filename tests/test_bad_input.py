"""Issue 11, the package: every bad input gets a clear error (expected / got / fix, naming the
argument), never a raw numpy error, a silent wrong answer or a hang.

One test per case (the CLI's are in test_cli_bad_input.py, the random garbage in
test_bad_input_property.py). Each asserts the exception type and the message.
"""
from __future__ import annotations

import copy

import numpy as np
import pytest

import bplab as bp
from bplab.gradcheck import diagnose, numerical_gradient, relative_error

X = np.random.default_rng(0).normal(size=(2, 5))
Y = np.random.default_rng(1).normal(size=(1, 5))


@pytest.fixture
def net():
    return bp.MLP([2, 3, 1], seed=0)


# -- constructor arguments ---------------------------------------------------------------
@pytest.mark.parametrize("sizes", [3, 3.0, None, {"a": 1}, np.ones((2, 2), dtype=int)])
def test_sizes_that_are_not_a_sequence(sizes):
    with pytest.raises(ValueError, match=r"(?s)sizes must list at least two positive "
                                         r"integers .*got .* of type"):
        bp.MLP(sizes)


@pytest.mark.parametrize("sizes", [[2, True, 1], [2, -1, 1], [2, "3", 1]])
def test_sizes_with_bad_entries(sizes):
    with pytest.raises(ValueError, match=r"sizes must list at least two positive integers"):
        bp.MLP(sizes)


@pytest.mark.parametrize("seed", [-1, "0", True, 1.5, [1]])
def test_bad_seeds_are_refused_by_name(seed):
    with pytest.raises(ValueError, match=r"seed must be a non-negative integer .*got "):
        bp.MLP([2, 1], seed=seed)


def test_seed_none_is_an_unseeded_network():
    assert bp.MLP([2, 1], seed=None).weights[0].shape == (1, 2)


@pytest.mark.parametrize("dtype", ["banana", np.int32, np.float16, complex, "f8x"])
def test_bad_dtypes(dtype):
    with pytest.raises(ValueError, match=r"dtype must be np.float64 or np.float32; got"):
        bp.MLP([2, 1], dtype=dtype)


def test_float32_given_by_name_is_accepted():
    assert bp.MLP([2, 1], dtype="float32").weights[0].dtype == np.float32


@pytest.mark.parametrize("hidden", ["sigmod", ["tanhh"], 5])
def test_unknown_hidden_names_even_without_a_hidden_layer(hidden):
    with pytest.raises(ValueError, match=r"Unknown activation|hidden must be an activation"):
        bp.MLP([2, 1], hidden=hidden)


def test_hidden_names_for_no_hidden_layer_must_be_none():
    with pytest.raises(ValueError, match=r"one activation per hidden layer: expected 0, got 1"):
        bp.MLP([2, 1], hidden=["relu"])


def test_impossible_sizes_are_refused_before_allocating():
    with pytest.raises(ValueError, match=r"would need about .* of memory, more than the"):
        bp.MLP([1, 2_000_000_000_000, 1])


# -- parameters trusted blindly ------------------------------------------------------------
def test_weight_of_a_wrong_shape_is_named(net):
    net.weights[1] = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"parameter weights\[1\] must have shape \(1, 3\); "
                                         r"got \(2, 3\)"):
        net.forward(X)


def test_transposed_weight_is_spotted(net):
    net.weights[0] = net.weights[0].T.copy()
    with pytest.raises(ValueError, match=r"weights\[0\] .* It looks transposed"):
        net.gradients(X, Y)


def test_one_dimensional_bias_cannot_broadcast_silently():
    net = bp.MLP([2, 3, 3], seed=0)      # m = 3 = the layer width: it would broadcast
    net.biases[0] = np.ones(3)
    with pytest.raises(ValueError, match=r"parameter biases\[0\] must have shape \(3, 1\); "
                                         r"got \(3,\)"):
        net.predict(np.ones((2, 3)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_weights_are_refused_everywhere(net, bad):
    net.weights[0][1, 0] = bad
    for call in (lambda: net.forward(X), lambda: net.gradients(X, Y), lambda: net.loss(X, Y),
                 lambda: bp.train(net, X, Y, lr=0.1, epochs=1), lambda: bp.gradcheck(net, X, Y)):
        with pytest.raises(ValueError, match=r"parameter weights\[0\] contains 1 non-finite "
                                             r"value\(s\) .* at index \(1, 0\)"):
            call()


def test_integer_weights_are_refused_with_the_fix(net):
    net.weights[1] = np.ones((1, 3), dtype=np.int64)
    with pytest.raises(ValueError, match=r"weights\[1\] must have dtype float64; got int64\. "
                                         r"Assign weights\[1\]\.astype\(float64\)"):
        bp.train(net, X, Y, lr=0.1, epochs=1)


def test_weights_of_the_wrong_float_dtype(net):
    net32 = bp.MLP([2, 3, 1], dtype=np.float32)
    net32.weights[0] = net.weights[0]          # float64 into a float32 network
    with pytest.raises(ValueError, match=r"weights\[0\] must have dtype float32; got float64"):
        net32.forward(X)


def test_a_list_where_a_weight_array_belongs(net):
    net.weights[0] = net.weights[0].tolist()
    with pytest.raises(TypeError, match=r"parameter weights\[0\] must be a numpy array; got "
                                        r"list"):
        net.forward(X)


def test_a_missing_layer(net):
    net.weights.pop()
    with pytest.raises(ValueError, match=r"net.weights must be a list of 2 arrays .* got 1"):
        net.forward(X)


@pytest.mark.parametrize("weights", [5, "W", None])
def test_set_weights_needs_a_list(net, weights):
    with pytest.raises(ValueError, match=r"weights must be a list of 2 weight matrices"):
        net.set_weights(weights)


# -- caches know where they come from ---------------------------------------------------------
def test_cache_from_another_network_of_the_same_architecture(net):
    other = bp.MLP([2, 3, 1], seed=1)
    _, cache = other.forward(X)
    with pytest.raises(ValueError, match=r"cache was made by another network"):
        net.backward(cache, Y)


def test_stale_cache_after_training(net):
    _, cache = net.forward(X)
    bp.train(net, X, Y, lr=0.1, epochs=1)
    with pytest.raises(ValueError, match=r"cache is stale: this network's parameters changed"):
        net.backward(cache, Y)


def test_stale_cache_after_an_update_in_place(net):
    _, cache = net.forward(X)
    net.biases[0] += 1e-3
    with pytest.raises(ValueError, match=r"cache is stale"):
        net.backward(cache, Y)


def test_cache_of_a_copy_is_foreign_once_the_copy_trains(net):
    twin = copy.deepcopy(net)
    _, cache = twin.forward(X)
    net.backward(cache, Y)                       # same parameters: the same gradients
    bp.train(twin, X, Y, lr=0.1, epochs=1)
    _, cache = twin.forward(X)
    with pytest.raises(ValueError, match=r"another network"):
        net.backward(cache, Y)


def test_cache_of_the_wrong_shape(net):
    _, cache = bp.MLP([2, 4, 1]).forward(X)
    with pytest.raises(ValueError, match=r"cache.a\[1\] must be an array of shape \(3, 5\)"):
        net.backward(cache, Y)


def test_cache_with_too_few_layers(net):
    with pytest.raises(ValueError, match=r"it must hold 3 activations a and 2 pre-activations"):
        net.backward(bp.Cache(a=[X], z=[]), Y)


# -- train -------------------------------------------------------------------------------------
@pytest.mark.parametrize("model", [None, "net", object(), [np.ones((2, 2))]])
def test_train_refuses_what_is_not_a_model(model):
    with pytest.raises(TypeError, match=r"(?s)train needs a model; got .* offers parameters\(\) .*"
                                        r"and gradients\(X, Y\)"):
        bp.train(model, X, Y, lr=0.1, epochs=1)


@pytest.mark.parametrize("seed", [-3, "1", False])
def test_train_seed(net, seed):
    with pytest.raises(ValueError, match=r"seed must be a non-negative integer"):
        bp.train(net, X, Y, lr=0.1, epochs=1, batch_size=2, seed=seed)


def test_train_progress_must_be_a_bool(net):
    with pytest.raises(ValueError, match=r"progress must be True, False or None"):
        bp.train(net, X, Y, lr=0.1, epochs=1, progress="yes")


def test_train_with_an_impossible_number_of_epochs_refuses_at_once(net):
    with pytest.raises(ValueError, match=r"a history of 1,000,000,000,000,000 epochs .* would "
                                         r"need about"):
        bp.train(net, X, Y, lr=0.1, epochs=10 ** 15)


# -- gradcheck and numerical_gradient ------------------------------------------------------------
@pytest.mark.parametrize("kwargs, match", [
    (dict(h=0), r"h must be a positive finite step; got 0"),
    (dict(h=-1e-3), r"h must be a positive finite step"),
    (dict(h=float("nan")), r"h must be a positive finite step"),
    (dict(h="1e-3"), r"h must be a positive finite step"),
    (dict(tol=-1e-7), r"tol must be a relative error strictly between 0 and 1; got -1e-07"),
    (dict(tol=0), r"tol must be a relative error strictly between 0 and 1"),
    (dict(tol=2.0), r"tol must be a relative error strictly between 0 and 1"),
    (dict(order=3), r"order must be 2 or 4; got 3"),
    (dict(order=True), r"order must be 2 or 4; got True"),
])
def test_gradcheck_arguments(net, kwargs, match):
    with pytest.raises(ValueError, match=match):
        bp.gradcheck(net, X, Y, **kwargs)


@pytest.mark.parametrize("model", [None, 3.5, {"W": 1}])
def test_gradcheck_refuses_what_is_not_a_model(model):
    with pytest.raises(TypeError, match=r"gradcheck needs a model; got .*bp.MLP"):
        bp.gradcheck(model, X, Y)


def test_gradcheck_with_an_infinite_weight_does_not_report_agreement(net):
    net.weights[1][0, 0] = np.inf
    with pytest.raises(ValueError, match=r"weights\[1\] contains 1 non-finite"):
        bp.gradcheck(net, X, Y)


def test_numerical_gradient_refuses_an_integer_array():
    x = np.array([1, 2, 3])
    with pytest.raises(ValueError, match=r"x must be a float array; got dtype int64, which "
                                         r"cannot hold x \+ h .* x = x.astype\(float\)"):
        numerical_gradient(lambda: float(np.sum(x ** 2)), x)


def test_numerical_gradient_refuses_a_list():
    with pytest.raises(TypeError, match=r"x must be the numpy array that f reads .* got list"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])


@pytest.mark.parametrize("f, match", [
    (None, r"f must be a function of no arguments"),
    (lambda: np.ones(3), r"f must return one number \(the loss\); got ndarray"),
    (lambda: "1.0", r"f must return one number"),
    (lambda: float("nan"), r"f returned nan at x: finite differences need a finite loss"),
])
def test_numerical_gradient_needs_a_finite_scalar_function(f, match):
    with pytest.raises((TypeError, ValueError), match=match):
        numerical_gradient(f, np.ones(2))


def test_numerical_gradient_step_zero():
    with pytest.raises(ValueError, match=r"h must be a positive finite step; got 0"):
        numerical_gradient(lambda: 1.0, np.ones(2), h=0)


def test_numerical_gradient_read_only_array():
    x = np.ones(2)
    x.flags.writeable = False
    with pytest.raises(ValueError, match=r"x is read-only"):
        numerical_gradient(lambda: float(x.sum()), x)


def test_relative_error_refuses_to_broadcast():
    with pytest.raises(ValueError, match=r"a and b must have the same shape; got \(3,\) and "
                                         r"\(3, 1\)"):
        relative_error(np.ones(3), np.ones((3, 1)))


@pytest.mark.parametrize("call, match", [
    (lambda: diagnose(np.ones(2), ["x", "y"]), r"numeric must be an array of numbers"),
    (lambda: diagnose(np.ones(2), [np.nan, 1.0]), r"numeric .* contains NaN or inf"),
    (lambda: diagnose(np.ones(2), np.ones(2), tol=0), r"tol must be a relative error"),
    (lambda: diagnose(np.ones(2), np.ones(2), references=[1]), r"references must be a dict"),
])
def test_diagnose_arguments(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()


def test_diagnose_reports_an_unreadable_analytic_gradient():
    assert "not a numeric array" in diagnose(["a", "b"], np.ones(2))


# -- activations and losses: array-likes are converted, non-numbers refused -------------------------
@pytest.mark.parametrize("fn", [bp.sigmoid, bp.sigmoid_prime, bp.tanh, bp.tanh_prime, bp.relu,
                                bp.relu_prime, bp.identity, bp.identity_prime, bp.step,
                                bp.step_prime])
def test_activation_functions_accept_lists(fn):
    np.testing.assert_array_equal(fn([[0.5, -2.0]]), fn(np.array([[0.5, -2.0]])))
    assert fn([1, -2]).dtype == np.float64         # integers are converted to float


@pytest.mark.parametrize("z", [["a", "b"], None, {"z": 1}])
def test_activation_functions_refuse_non_numbers(z):
    with pytest.raises(TypeError, match=r"z must be an array of numbers; got"):
        bp.relu_prime(z)


def test_activation_functions_refuse_complex():
    with pytest.raises(ValueError, match=r"z must be real; got complex"):
        bp.sigmoid(np.array([1j]))


@pytest.mark.parametrize("loss", [bp.mse, bp.half_sse, bp.cross_entropy, bp.losses.mse_grad])
def test_losses_refuse_shapes_that_would_broadcast(loss):
    with pytest.raises(ValueError, match=r"A and Y must have the same shape; got \(1, 4\) and "
                                         r"\(4, 1\)"):
        loss(np.full((1, 4), 0.5), np.full((4, 1), 0.5))


def test_losses_accept_lists():
    assert bp.mse([[1, 2]], [[1, 0]]) == 2.0


def test_cross_entropy_needs_probabilities():
    with pytest.raises(ValueError, match=r"the cross-entropy needs A in \[0, 1\]"):
        bp.cross_entropy([[1.5]], [[1.0]])


def test_losses_refuse_strings():
    with pytest.raises(TypeError, match=r"Y must be an array of numbers"):
        bp.half_sse([[1.0]], [["x"]])


# -- datasets --------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, match", [
    (dict(test_fraction="a"), r"test_fraction must lie strictly between 0 and 1"),
    (dict(test_fraction=1.0), r"test_fraction must lie strictly between 0 and 1"),
    (dict(seed=-1), r"seed must be a non-negative integer"),
    (dict(seed="0"), r"seed must be a non-negative integer"),
])
def test_digits_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        bp.datasets.digits(**kwargs)


# -- overflow is an error, not a silent inf ---------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda net, X: net.loss(X, np.ones((1, 3))),
    lambda net, X: net.gradients(X, np.ones((1, 3))),
    lambda net, X: bp.gradcheck(net, X, np.ones((1, 3))),
])
def test_inputs_so_large_that_the_network_overflows(call):
    net = bp.MLP([2, 3, 1], hidden="relu", seed=0)
    with pytest.raises(ValueError, match=r"overflowed to inf or NaN: X has values as large as "
                                         r"1e\+300\. Scale the inputs"):
        call(net, np.full((2, 3), 1e300))


def test_an_output_that_overflows():
    net = bp.MLP([2, 3, 1], hidden="relu", seed=0)
    net.weights[1][:] = 1e300
    with pytest.raises(ValueError, match=r"the network's output overflowed to inf or NaN"):
        net.forward(np.full((2, 3), 1e300))
