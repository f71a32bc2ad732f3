"""The data sets: shapes, values as the documents define them, fresh copies."""
import numpy as np

import bplab as bp


def test_sine_is_source_000s_data():
    X, Y = bp.datasets.sine()
    assert X.shape == Y.shape == (1, 100)
    np.testing.assert_allclose(X[0], np.arange(100) / 100, atol=1e-12)
    np.testing.assert_allclose(Y, 20 * np.sin(2 * np.pi * X))
    assert X[0, -1] < 1.0


def test_xor_truth_table():
    X, Y = bp.datasets.xor()
    assert X.shape == (2, 4) and Y.shape == (1, 4)
    np.testing.assert_array_equal(Y[0], np.logical_xor(X[0], X[1]).astype(float))


def test_perceptron_points():
    X, t = bp.datasets.perceptron_points()
    np.testing.assert_array_equal(X.T, [[1, 1], [-1, 1], [-1, -0.5], [-1, 1.5]])
    np.testing.assert_array_equal(t, [[0, 1, 0, 1]])


def test_net222_weights_follow_the_document_wiring():
    ex = bp.datasets.net222()
    np.testing.assert_array_equal(ex.W1, [[0.2, 0.5], [-0.4, 0.6]])   # in_h1 = w1 x1 + w3 x2
    np.testing.assert_array_equal(ex.W2, [[0.1, -0.3], [-0.5, 0.8]])  # in_o1 = w5 h1 + w7 h2
    np.testing.assert_array_equal(ex.x, [[0.5], [0.3]])
    np.testing.assert_array_equal(ex.y, [[0.23], [-0.07]])
    assert (ex.lr, ex.steps) == (1.0, 10)


def test_digits_split_is_disjoint_one_hot_and_scaled():
    d = bp.datasets.digits()
    assert d.X_train.shape[0] == 64 and d.Y_train.shape[0] == 10
    assert d.X_train.shape[1] + d.X_test.shape[1] == 1797
    assert d.X_test.shape[1] == 449
    assert 0 <= d.X_train.min() and d.X_train.max() <= 1
    np.testing.assert_array_equal(d.Y_train.argmax(axis=0), d.labels_train)
    np.testing.assert_array_equal(d.Y_train.sum(axis=0), 1)
    train_cols = {tuple(c) for c in d.X_train.T}
    assert sum(tuple(c) in train_cols for c in d.X_test.T) < 5   # only true duplicates
    again = bp.datasets.digits()
    np.testing.assert_array_equal(again.labels_test, d.labels_test)


def test_datasets_return_fresh_arrays():
    X, _ = bp.datasets.sine()
    X[0, 0] = 42
    assert bp.datasets.sine()[0][0, 0] == 0
