"""The convolution capstone (bplab.capstone_cnn): the page's two claims, on every run.

* the CNN trained for the full run (``EPOCHS`` epochs of Adam) classifies at least 98% of the
  held-out digits correctly;
* its PyTorch twin, from the same initial weights over the same batches, has the same batch
  losses to 1e-8 over the first 100 steps, in float64 (and the same weights after them).
"""
from __future__ import annotations

import numpy as np
import pytest

import bplab.capstone_cnn as cc
from tests.conftest import require


@pytest.fixture(scope="module")
def digits():
    return cc.digit_images()


@pytest.mark.slow
def test_the_cnn_reaches_98_percent_on_held_out_digits(digits):
    model = cc.build_cnn(seed=0)
    steps = cc.batch_order(len(digits.labels_train), epochs=cc.EPOCHS,
                           batch_size=cc.BATCH_SIZE, seed=0)
    losses = cc.train(model, digits.X_train, digits.labels_train, steps)
    assert losses.shape == (len(steps),) and np.isfinite(losses).all()
    assert losses[-50:].mean() < 0.1 * losses[:10].mean()       # it trained
    acc = cc.accuracy(model, digits.X_test, digits.labels_test)
    assert acc >= 0.98, f"test accuracy {acc:.4f} < 0.98"


def test_the_torch_twin_has_the_same_losses_over_100_steps(digits):
    torch = require("torch", "the capstone's PyTorch twin")
    torch.set_num_threads(1)
    model = cc.build_cnn(seed=0)
    net = cc.torch_twin(model)
    steps = cc.batch_order(len(digits.labels_train), epochs=cc.EPOCHS,
                           batch_size=cc.BATCH_SIZE, seed=0)[:100]
    ours = cc.train(model, digits.X_train, digits.labels_train, steps)
    theirs = cc.train_torch(net, digits.X_train, digits.labels_train, steps)
    assert len(ours) == len(theirs) == 100
    assert ours[-1] < 0.5 * ours[0]                              # the steps moved the weights
    assert np.abs(ours - theirs).max() < 1e-8
    for (name, p), q in zip(model.parameters(), net.parameters()):
        assert p.shape == tuple(q.shape), name
        assert np.abs(p - q.detach().numpy()).max() < 1e-8, name


def test_the_twin_computes_the_same_scores_and_refuses_what_it_does_not_know(digits):
    torch = require("torch", "the capstone's PyTorch twin")
    model = cc.build_cnn(seed=3, channels=(2, 3))
    net = cc.torch_twin(model)
    x = digits.X_test[:5]
    with torch.no_grad():
        np.testing.assert_allclose(net(torch.from_numpy(x)).numpy(), model.predict(x),
                                   rtol=0, atol=1e-13)
    from bplab.layers import Sequential, Tanh
    with pytest.raises(TypeError, match="no PyTorch twin for Tanh"):
        cc.torch_twin(Sequential(Tanh()))


def test_batch_order_covers_every_image_once_per_epoch():
    steps = cc.batch_order(10, epochs=2, batch_size=4, seed=1)
    assert [len(s) for s in steps] == [4, 4, 2, 4, 4, 2]
    for epoch in (steps[:3], steps[3:]):
        assert sorted(np.concatenate(epoch)) == list(range(10))
    assert not np.array_equal(np.concatenate(steps[:3]), np.concatenate(steps[3:]))
