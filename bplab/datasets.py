"""The source documents' data, and one real data set. Samples are columns throughout.

Every function returns fresh arrays (float64), so a caller may modify them freely.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["sine", "xor", "perceptron_points", "net222", "Net222", "digits", "Digits"]


def sine():
    """Source 000's data: x = 0, 0.01, ..., 0.99 and y = 20 sin(2πx).

    Returns ``(X, Y)``, each of shape ``(1, 100)``.
    """
    x = np.arange(0.0, 1.0, 0.01)
    return x.reshape(1, -1), (20 * np.sin(2 * np.pi * x)).reshape(1, -1)


def xor():
    """The four XOR points (source 004). Returns ``X`` of shape (2, 4), ``Y`` of shape (1, 4)."""
    X = np.array([[0, 0, 1, 1],
                  [0, 1, 0, 1]], dtype=np.float64)
    return X, np.array([[0, 1, 1, 0]], dtype=np.float64)


def perceptron_points():
    """Source 002's four points and labels. Returns ``X`` (2, 4) and ``t`` (1, 4) in {0, 1}."""
    X = np.array([[1, -1, -1, -1],
                  [1, 1, -0.5, 1.5]], dtype=np.float64)
    return X, np.array([[0, 1, 0, 1]], dtype=np.float64)


@dataclass(frozen=True)
class Net222:
    """Source 001's 2-2-2 example: input, target and the eight initial weights.

    ``W1 = [[w1, w3], [w2, w4]]`` and ``W2 = [[w5, w7], [w6, w8]]`` (rows are the receiving
    units), because the document computes ``in_h1 = w1*x1 + w3*x2``,
    ``in_h2 = w2*x1 + w4*x2``, ``in_o1 = w5*h1 + w7*h2`` and ``in_o2 = w6*h1 + w8*h2``.
    """

    x: np.ndarray
    y: np.ndarray
    w: dict
    lr: float = 1.0
    steps: int = 10

    @property
    def W1(self):
        w = self.w
        return np.array([[w["w1"], w["w3"]], [w["w2"], w["w4"]]])

    @property
    def W2(self):
        w = self.w
        return np.array([[w["w5"], w["w7"]], [w["w6"], w["w8"]]])


def net222() -> Net222:
    """Source 001's example: x = (0.5, 0.3), y = (0.23, -0.07), weights w1..w8, no biases."""
    w = dict(w1=0.2, w2=-0.4, w3=0.5, w4=0.6, w5=0.1, w6=-0.5, w7=-0.3, w8=0.8)
    return Net222(x=np.array([[0.5], [0.3]]), y=np.array([[0.23], [-0.07]]), w=w)


@dataclass(frozen=True)
class Digits:
    """scikit-learn's bundled 8x8 digits, split into train and test.

    ``X_*`` has shape (64, m) with pixels scaled to [0, 1]; ``Y_*`` is one-hot, shape
    (10, m); ``labels_*`` holds the digits 0-9, shape (m,).
    """

    X_train: np.ndarray
    Y_train: np.ndarray
    labels_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    labels_test: np.ndarray


def digits(test_fraction: float = 0.25, seed: int = 0) -> Digits:
    """scikit-learn's digits (1797 images, shipped with scikit-learn: no download)."""
    import numbers

    from bplab import _validation as v

    if isinstance(test_fraction, bool) or not isinstance(test_fraction, numbers.Real) \
            or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, e.g. 0.25; got "
                         f"{test_fraction!r}.")
    seed = v.check_seed("seed", seed, allow_none=False)
    from sklearn.datasets import load_digits

    data = load_digits()
    X = data.data.T / 16.0
    labels = data.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(labels.size)
    n_test = int(round(test_fraction * labels.size))
    test, train = order[:n_test], order[n_test:]
    onehot = np.eye(10)[labels].T
    return Digits(X[:, train], onehot[:, train], labels[train],
                  X[:, test], onehot[:, test], labels[test])
