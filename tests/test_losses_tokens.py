"""Per-token cross-entropy: logits (N, T, C), integer labels, ignore_index.

Checked against PyTorch's ``F.cross_entropy`` (1e-12, float64) and finite differences.
"""
import numpy as np
import pytest

import bplab as bp
from bplab.layers import CategoricalCrossEntropyLoss, Softmax, SoftmaxCrossEntropyLoss
from tests.conftest import require


def fd(f, x):
    """Central differences with h = 1e-6 (the fourth-order rule with h = 1e-3 of
    tests/test_layers.py misses the unfused loss's -log p here by a relative 3e-4)."""
    return bp.numerical_gradient(f, x, 1e-6)


def token_case(seed, N=3, T=4, C=5, ignored=3):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=2.0, size=(N, T, C))
    labels = rng.integers(0, C, (N, T))
    labels.flat[rng.choice(N * T, ignored, replace=False)] = -100
    return z, labels


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("kind", ["labels", "labels_ignored", "probs", "rows2d"])
def test_token_loss_matches_torch_and_finite_differences(kind, reduction):
    torch = require("torch")
    F = torch.nn.functional
    z, labels = token_case(1, ignored=0 if kind == "labels" else 3)
    if kind == "probs":
        y = np.random.default_rng(2).random(z.shape)
        y /= y.sum(axis=-1, keepdims=True)
        target, ref_target = y, torch.from_numpy(y.reshape(-1, z.shape[-1]))
    elif kind == "rows2d":                      # (N, C) with integer labels, as before
        z, target = z[:, 0], labels[:, 0].clip(0)
        ref_target = torch.from_numpy(target)
    else:
        target, ref_target = labels, torch.from_numpy(labels.ravel())
    loss = SoftmaxCrossEntropyLoss(reduction=reduction)
    value, cache = loss.forward(z, target)
    dz = loss.backward(cache)
    zt = torch.from_numpy(z.reshape(-1, z.shape[-1]).copy()).requires_grad_()
    ref = F.cross_entropy(zt, ref_target, reduction=reduction, ignore_index=-100)
    ref.backward()
    assert abs(value - ref.item()) <= 1e-12 * abs(ref.item())
    assert np.abs(dz - zt.grad.numpy().reshape(z.shape)).max() < 1e-12
    assert bp.relative_error(dz, fd(lambda: loss.forward(z, target)[0], z)) < 1e-7
    if kind == "labels_ignored":
        assert np.all(dz[labels == -100] == 0.0)


def test_unfused_token_loss_agrees_with_the_fused_one():
    z, labels = token_case(3)
    softmax = Softmax()
    p, scache = softmax.forward(z)
    fused, unfused = SoftmaxCrossEntropyLoss(), CategoricalCrossEntropyLoss()
    v1, c1 = fused.forward(z, labels)
    v2, c2 = unfused.forward(p, labels)
    assert abs(v1 - v2) < 1e-13
    dz = softmax.backward(unfused.backward(c2), scache)[0]
    np.testing.assert_allclose(dz, fused.backward(c1), rtol=0, atol=1e-13)
    num = fd(lambda: unfused.forward(p, labels)[0], p)
    assert bp.relative_error(unfused.backward(c2), num) < 1e-7


def test_ignore_index_by_hand_and_other_values():
    # equal logits over 4 classes: each counted token costs log 4; two of six are ignored
    labels = np.array([[1, -100, 3], [0, 2, -100]])
    loss = SoftmaxCrossEntropyLoss()
    value, cache = loss.forward(np.zeros((2, 3, 4)), labels)
    assert value == pytest.approx(np.log(4), rel=1e-15)
    dz = loss.backward(cache)
    np.testing.assert_allclose(dz[0, 0], (0.25 - np.eye(4)[1]) / 4, atol=1e-17)
    assert np.all(dz[labels == -100] == 0)
    # another ignore_index; None ignores nothing (and -100 is then out of range)
    v, _ = SoftmaxCrossEntropyLoss(ignore_index=3).forward(np.zeros((2, 3, 4)), labels.clip(0))
    assert v == pytest.approx(np.log(4), rel=1e-15)
    with pytest.raises(ValueError, match=r"class labels must be 2x3 integers in \[0, 4\); "
                                         r"got .*first out of range is -100 at \(0, 1\)"):
        SoftmaxCrossEntropyLoss(ignore_index=None).forward(np.zeros((2, 3, 4)), labels)


def test_token_loss_errors_say_expected_got_fix():
    z = np.zeros((2, 3, 4))
    with pytest.raises(ValueError, match=r"2x3 integers in \[0, 4\), or -100 \(ignore_index\)"
                                         r".*first out of range is 4 at \(1, 2\)"):
        SoftmaxCrossEntropyLoss().forward(z, np.array([[0, 1, 2], [3, 0, 4]]))
    with pytest.raises(ValueError, match=r"2x3 integer class labels \(shape \(2, 3\)\) or "
                                         r"one-hot rows of shape \(2, 3, 4\); got shape "
                                         r"\(2, 3, 5\)"):
        SoftmaxCrossEntropyLoss().forward(z, np.full((2, 3, 5), 0.2))
    with pytest.raises(ValueError, match=r"got shape \(2, 3\) holding non-integers"):
        SoftmaxCrossEntropyLoss().forward(z, np.full((2, 3), 0.5))
    with pytest.raises(ValueError, match=r"every label equals ignore_index \(-100\).*"
                                         r"reduction='sum'"):
        SoftmaxCrossEntropyLoss().forward(z, np.full((2, 3), -100))
    assert SoftmaxCrossEntropyLoss(reduction="sum").forward(z, np.full((2, 3), -100))[0] == 0
    with pytest.raises(ValueError, match=r"shape \(N, C\).*or \(N, T, C\).*got \(2, 3, 4, 1\)"):
        SoftmaxCrossEntropyLoss().forward(np.zeros((2, 3, 4, 1)), np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match=r"ignore_index must be an integer.*-100.*got 0\.5"):
        SoftmaxCrossEntropyLoss(ignore_index=0.5)
    assert repr(SoftmaxCrossEntropyLoss(ignore_index=0)) == \
        "SoftmaxCrossEntropyLoss(ignore_index=0)"
