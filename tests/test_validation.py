"""Bad input gets a clear error: what was expected, what arrived, how to fix it."""
import numpy as np
import pytest

import bplab as bp


@pytest.fixture
def net():
    return bp.MLP([2, 3, 1], seed=0)


GOOD_X = np.ones((2, 4))
GOOD_Y = np.zeros((1, 4))


def test_wrong_number_of_input_rows_names_the_layer(net):
    with pytest.raises(ValueError, match=r"X has 3 rows \(shape \(3, 4\)\), but layer 0 "
                                         r"\(weights\[0\] of shape \(3, 2\)\) expects 2"):
        net.forward(np.ones((3, 4)))


def test_samples_as_rows_suggests_the_transpose(net):
    with pytest.raises(ValueError, match=r"If your samples are rows, pass the transpose"):
        net.forward(np.ones((4, 2)))


def test_wrong_number_of_target_rows_names_the_output_layer(net):
    with pytest.raises(ValueError, match=r"Y has 2 rows .* the output layer \(weights\[1\]"):
        net.gradients(GOOD_X, np.zeros((2, 4)))


def test_different_sample_counts(net):
    with pytest.raises(ValueError, match=r"same number of samples .* X with 4 and Y with 5"):
        net.gradients(GOOD_X, np.zeros((1, 5)))


def test_one_dimensional_input_explains_the_layout(net):
    with pytest.raises(ValueError, match=r"X must be a 2-D array of shape \(features, samples\); "
                                         r"got 1-D shape \(4,\)\. Samples are columns"):
        net.forward(np.ones(4))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_are_located(net, bad):
    X = GOOD_X.copy()
    X[1, 2] = bad
    with pytest.raises(ValueError, match=r"X contains 1 non-finite value\(s\) \(NaN or inf\), "
                                         r"the first at index \(1, 2\)"):
        net.forward(X)


def test_non_finite_targets(net):
    Y = GOOD_Y.copy()
    Y[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"Y contains 1 non-finite"):
        net.gradients(GOOD_X, Y)


def test_integer_arrays_are_accepted_by_converting(net):
    A_int = net.predict(np.ones((2, 4), dtype=np.int64))
    np.testing.assert_array_equal(A_int, net.predict(GOOD_X))
    loss, dW, _ = net.gradients([[1, 0], [0, 1]], [[1, 0]])
    assert dW[0].dtype == np.float64 and np.isfinite(loss)


def test_empty_arrays(net):
    with pytest.raises(ValueError, match=r"X is empty \(shape \(2, 0\)\)"):
        net.forward(np.ones((2, 0)))


def test_non_numeric_input(net):
    with pytest.raises(ValueError, match=r"X must hold numbers; got an array of dtype <U1"):
        net.forward([["a", "b"], ["c", "d"]])


@pytest.mark.parametrize("kwargs,message", [
    (dict(hidden="sigmod"), r"Unknown activation 'sigmod'.*Did you mean 'sigmoid'"),
    (dict(output="softmax"), r"Unknown activation 'softmax'\. Expected one of 'identity'"),
    (dict(loss="l2"), r"Unknown loss 'l2'\. Expected one of 'cross_entropy', 'half_sse', 'mse'"),
    (dict(init="zeros"), r"Unknown init 'zeros'"),
    (dict(loss="cross_entropy"), r"loss='cross_entropy' needs outputs in \(0, 1\), i\.e\. "
                                 r"output='sigmoid'; got output='identity'"),
    (dict(hidden=["relu", "tanh"]), r"one activation per hidden layer: expected 1, got 2"),
    (dict(dtype=np.int32), r"dtype must be np.float64 or np.float32"),
])
def test_bad_constructor_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bp.MLP([2, 3, 1], **kwargs)


@pytest.mark.parametrize("sizes", [[3], [], [2, 0, 1], [2, 2.5, 1], "231"])
def test_bad_sizes(sizes):
    with pytest.raises(ValueError, match=r"sizes must list at least two positive integers"):
        bp.MLP(sizes)


def test_cross_entropy_targets_outside_unit_interval():
    net = bp.MLP([2, 1], output="sigmoid", loss="cross_entropy")
    with pytest.raises(ValueError, match=r"needs targets in \[0, 1\]; got values from -0\.07"):
        net.gradients(np.ones((2, 1)), [[-0.07]])


def test_set_weights_names_the_layer_and_spots_a_transpose(net):
    with pytest.raises(ValueError, match=r"weights\[1\] must have shape \(1, 3\) \(n_out, n_in\) "
                                         r"for layer 1 \(3 -> 1 units\); got \(3, 1\)\. "
                                         r"It looks transposed"):
        net.set_weights([np.ones((3, 2)), np.ones((3, 1))])


def test_set_weights_wrong_count(net):
    with pytest.raises(ValueError, match=r"expected 2 weight matrices .* got 1"):
        net.set_weights([np.ones((3, 2))])


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), "0.1", True])
def test_non_positive_learning_rate(net, lr):
    with pytest.raises(ValueError, match=r"lr must be a positive finite number; got"):
        bp.train(net, GOOD_X, GOOD_Y, lr=lr, epochs=1)


@pytest.mark.parametrize("epochs", [0, -3, 2.5])
def test_non_positive_epochs(net, epochs):
    with pytest.raises(ValueError, match=r"epochs must be a positive integer; got"):
        bp.train(net, GOOD_X, GOOD_Y, lr=0.1, epochs=epochs)


def test_bad_batch_size(net):
    with pytest.raises(ValueError, match=r"batch_size must be a positive integer; got 0"):
        bp.train(net, GOOD_X, GOOD_Y, lr=0.1, epochs=1, batch_size=0)


def test_training_data_is_validated_before_any_step(net):
    before = [W.copy() for W in net.weights]
    with pytest.raises(ValueError, match=r"same number of samples"):
        bp.train(net, GOOD_X, np.zeros((1, 3)), lr=0.1, epochs=5)
    for W, W0 in zip(net.weights, before):
        np.testing.assert_array_equal(W, W0)


def test_backward_needs_a_cache(net):
    with pytest.raises(TypeError, match=r"backward needs the Cache returned by forward; got tuple"):
        net.backward((1, 2), GOOD_Y)
