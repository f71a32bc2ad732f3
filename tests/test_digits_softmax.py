"""The softmax chapter's digits claim, checked by the package: a softmax output trained with
the fused cross-entropy reaches 97% test accuracy, and learns faster than ten sigmoids with
the quadratic cost at the same step size (book/part1/softmax.ipynb runs the same setup)."""
import numpy as np
import pytest

import bplab as bp
from bplab.layers import Linear, MSELoss, Sigmoid, SoftmaxCrossEntropyLoss, Tanh

pytest.importorskip("sklearn")

EPOCHS, LR, BATCH = 20, 0.2, 16


def _model(output):
    body = [Linear(64, 64, seed=0), Tanh(), Linear(64, 10, seed=1)]
    if output == "softmax":
        return bp.Sequential(*body, loss=SoftmaxCrossEntropyLoss())
    return bp.Sequential(*body, Sigmoid(), loss=MSELoss())


def _fit(model, d, targets, lr):
    X_train, X_test = d.X_train.T, d.X_test.T
    accuracy = []
    for epoch in range(EPOCHS):
        bp.train(model, X_train, targets, lr=lr, epochs=1, batch_size=BATCH, seed=epoch)
        accuracy.append(np.mean(model.predict(X_test).argmax(axis=1) == d.labels_test))
    return np.array(accuracy)


@pytest.fixture(scope="module")
def runs():
    d = bp.datasets.digits()
    soft = _fit(_model("softmax"), d, d.labels_train, LR)
    # MSELoss averages over 10 N entries with a factor 2: 5 x LR is the same step as the
    # per-sample quadratic cost (a - y)^2 / 2.
    sigm = _fit(_model("sigmoids"), d, d.Y_train.T, 5 * LR)
    return soft, sigm


def test_softmax_digits_reaches_97_percent(runs):
    soft, _ = runs
    assert soft[-1] >= 0.97, f"test accuracy after {EPOCHS} epochs: {soft[-1]:.3f}"


def test_softmax_learns_faster_than_ten_sigmoids(runs):
    soft, sigm = runs
    first = [int(np.argmax(acc >= 0.9)) if (acc >= 0.9).any() else EPOCHS
             for acc in (soft, sigm)]
    assert first[0] < first[1], f"epochs to 90%: softmax {first[0]}, sigmoids {first[1]}"
    assert soft[:5].mean() > sigm[:5].mean() + 0.1
    assert soft[-1] > sigm[-1]
