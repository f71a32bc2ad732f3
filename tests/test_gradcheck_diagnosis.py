"""gradcheck names the typical backward-pass bugs (chapter "Gradient checking").

Each test builds a deliberately buggy gradient by hand (an independent backward pass written
here, not bplab's), asserts that ``bp.gradcheck(net, X, Y, grads=...)`` names the bug in
``.diagnosis``, and asserts that the correct hand-written gradient is reported as agreeing.
"""
from __future__ import annotations

import numpy as np
import pytest

import bplab as bp
from bplab.gradcheck import diagnose


def _problem(loss="mse", hidden="sigmoid", output="sigmoid", m=5, seed=3):
    rng = np.random.default_rng(seed)
    net = bp.MLP([3, 4, 2], hidden=hidden, output=output, loss=loss, seed=seed)
    for b in net.biases:
        b[:] = rng.normal(size=b.shape)
    X = rng.normal(size=(3, m))
    Y = rng.random((2, m))
    return net, X, Y


def _backward(net, X, Y, *, sign=1.0, mean=True, two=True, keepdims=True, transpose=False,
              drop_prime=(), prime_at_a=()):
    """A hand-written backward pass of a 2-layer sigmoid network with switchable bugs.
    Layers are numbered 0 (hidden) and 1 (output), as in ``net.weights``."""
    W0, W1 = net.weights
    b0, b1 = net.biases
    a1 = bp.sigmoid(W0 @ X + b0)
    a2 = bp.sigmoid(W1 @ a1 + b1)

    def prime(l, a):
        if l in drop_prime:
            return 1.0
        return bp.sigmoid_prime(a) if l in prime_at_a else a * (1 - a)

    dA = (2.0 if two else 1.0) * (a2 - Y) / (a2.size if mean else 1)
    delta2 = dA * prime(1, a2)
    dW1, db1 = delta2 @ a1.T, delta2.sum(axis=1, keepdims=keepdims)
    delta1 = (W1.T @ delta2) * prime(0, a1)
    dW0, db0 = delta1 @ X.T, delta1.sum(axis=1, keepdims=keepdims)
    if transpose:
        dW1 = dW1.T
    return [sign * dW0, sign * dW1], [sign * db0, sign * db1]


def _check(bug_kwargs, *, expect, arrays, **problem):
    net, X, Y = _problem(**problem)
    good = bp.gradcheck(net, X, Y, grads=_backward(net, X, Y))
    assert good.ok, str(good)
    assert all(c.diagnosis == "agrees" for c in good.checks)
    report = bp.gradcheck(net, X, Y, grads=_backward(net, X, Y, **bug_kwargs))
    assert report.failing == arrays, str(report)
    for name in arrays:
        assert expect in report[name].diagnosis, str(report)
    return report


def test_flipped_sign():
    _check(dict(sign=-1.0), expect="sign flipped", arrays=["W[0]", "b[0]", "W[1]", "b[1]"])


def test_missing_one_over_m():
    report = _check(dict(mean=False), expect="off by a constant factor 10",
                    arrays=["W[0]", "b[0]", "W[1]", "b[1]"])
    assert "missing 1/m" in report["W[0]"].diagnosis   # 10 = 2 outputs x 5 samples


def test_missing_factor_two():
    report = _check(dict(two=False), expect="off by a constant factor 0.5",
                    arrays=["W[0]", "b[0]", "W[1]", "b[1]"])
    assert "missing factor 2" in report["b[1]"].diagnosis


def test_transposed_matrix():
    report = _check(dict(transpose=True), expect="transposed", arrays=["W[1]"])
    assert "(4, 2)" in report["W[1]"].diagnosis


def test_transposed_square_matrix():
    net = bp.MLP([2, 2, 2], hidden="sigmoid", output="sigmoid", loss="half_sse", seed=0)
    d = bp.datasets.net222()
    net.set_weights([d.W1, d.W2])
    _, dW, db = net.gradients(d.x, d.y)
    report = bp.gradcheck(net, d.x, d.y, grads=([dW[0], dW[1].T], db))
    assert report.failing == ["W[1]"]
    assert "transposed (a square matrix" in report["W[1]"].diagnosis


@pytest.mark.parametrize("layer, arrays", [(1, ["W[0]", "b[0]", "W[1]", "b[1]"]),
                                           (0, ["W[0]", "b[0]"])])
def test_missing_activation_derivative(layer, arrays):
    report = _check(dict(drop_prime=(layer,)), expect="missing activation derivative",
                    arrays=arrays)
    for name in arrays:
        assert f"layer {layer + 1} " in report[name].diagnosis
        assert f"W[{layer}]" in report[name].diagnosis


def test_missing_every_activation_derivative():
    report = _check(dict(drop_prime=(0, 1)), expect="missing activation derivative",
                    arrays=["W[0]", "b[0]", "W[1]", "b[1]"])
    assert "every layer" in report["W[0]"].diagnosis


def test_derivative_evaluated_at_activation():
    report = _check(dict(prime_at_a=(0,)), expect="evaluated at a instead of z",
                    arrays=["W[0]", "b[0]"])
    assert "layer 1 " in report["b[0]"].diagnosis


def test_missing_derivative_of_a_tanh_layer():
    net, X, Y = _problem(hidden="tanh", output="identity")
    _, cache = net.forward(X)
    delta2 = bp.losses.mse_grad(cache.a[2], Y)    # identity output: f' = 1
    W1 = net.weights[1]
    delta1_bug = W1.T @ delta2                    # the factor 1 - a**2 is missing
    delta1_ok = delta1_bug * (1 - cache.a[1] ** 2)
    good = ([delta1_ok @ X.T, delta2 @ cache.a[1].T],
            [delta1_ok.sum(1, keepdims=True), delta2.sum(1, keepdims=True)])
    bad = ([delta1_bug @ X.T, good[0][1]], [delta1_bug.sum(1, keepdims=True), good[1][1]])
    assert bp.gradcheck(net, X, Y, grads=good).ok
    report = bp.gradcheck(net, X, Y, grads=bad)
    assert report.failing == ["W[0]", "b[0]"]
    assert "missing activation derivative" in report["W[0]"].diagnosis
    assert "tanh" in report["W[0]"].diagnosis


def test_bias_not_kept_2d_is_a_broadcast():
    report = _check(dict(keepdims=False), expect="shape broadcast gone wrong",
                    arrays=["b[0]", "b[1]"])
    assert "keepdims" in report["b[1]"].diagnosis


def test_bias_not_summed_over_samples_is_a_broadcast():
    net, X, Y = _problem()
    dW, db = _backward(net, X, Y)
    a1 = bp.sigmoid(net.weights[0] @ X + net.biases[0])
    a2 = bp.sigmoid(net.weights[1] @ a1 + net.biases[1])
    delta2 = 2 * (a2 - Y) / a2.size * a2 * (1 - a2)     # shape (2, 5): not summed
    report = bp.gradcheck(net, X, Y, grads=(dW, [db[0], delta2]))
    assert report.failing == ["b[1]"]
    assert "not summed over the 5 samples" in report["b[1]"].diagnosis


def test_broadcast_to_a_matrix():
    net, X, Y = _problem()
    dW, db = _backward(net, X, Y)
    wrong = db[1] + db[1].ravel()          # (2, 1) + (2,) -> (2, 2)
    report = bp.gradcheck(net, X, Y, grads=(dW, [db[0], wrong]))
    assert report.failing == ["b[1]"]
    assert "shape broadcast gone wrong: got shape (2, 2), expected (2, 1)" in \
        report["b[1]"].diagnosis


def test_unreadable_entries_are_reported_not_raised():
    net, X, Y = _problem()
    dW, db = _backward(net, X, Y)
    bad = np.full_like(db[1], np.nan)
    report = bp.gradcheck(net, X, Y, grads=([None, "oops"], [[[1.0, 2.0], [3.0]], bad]))
    assert report.failing == ["W[0]", "b[0]", "W[1]", "b[1]"]
    assert "None" in report["W[0]"].diagnosis
    assert "could not be read" in report["b[0]"].diagnosis
    assert "not a numeric array" in report["W[1]"].diagnosis
    assert "NaN or inf" in report["b[1]"].diagnosis
    assert "DISAGREES" in str(report)


def test_parameters_are_restored():
    net, X, Y = _problem()
    before = [p.copy() for _, p in net.parameters()]
    bp.gradcheck(net, X, Y, grads=_backward(net, X, Y, sign=-1.0))
    for (_, p), q in zip(net.parameters(), before):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("grads, match", [
    ((1, 2, 3), "drop the loss"),
    ({"dW": 1}, "pair"),
    (([np.zeros((4, 3))], [np.zeros((4, 1)), np.zeros((2, 1))]), "expected 2"),
])
def test_malformed_grads_raise_clear_errors(grads, match):
    net, X, Y = _problem()
    with pytest.raises(ValueError, match=match):
        bp.gradcheck(net, X, Y, grads=grads)


def test_diagnose_without_context():
    rng = np.random.default_rng(0)
    n = rng.normal(size=(3, 4))
    assert diagnose(n, n) == "agrees"
    assert diagnose(-n, n) == "sign flipped"
    assert "constant factor 7" in diagnose(7 * n, n)
    assert diagnose(n.T, n).startswith("transposed")
    assert diagnose(np.zeros_like(n), n) == "analytic gradient is all zeros"
    assert diagnose(n + rng.normal(size=n.shape), n).startswith("disagrees")
    assert diagnose(np.ones((5, 5)), n).startswith("wrong shape")
    ref = rng.normal(size=n.shape)
    assert diagnose(ref, n, references={"my bug": ref}) == "my bug"
    assert diagnose(n, n, references={"my bug": n}) == "agrees"


def test_one_entry_array_is_not_called_a_constant_factor():
    n = np.array([[0.3]])
    assert diagnose(n * 1.37, n) == diagnose(np.array([[0.17]]), n)
    assert diagnose(n * 1.37, n).startswith("disagrees")
    assert "constant factor 2" in diagnose(n * 2, n)      # a meaningful factor is named


def test_float32_network_gets_a_precision_hint():
    net, X, Y = _problem()
    net32 = bp.MLP([3, 4, 2], hidden="sigmoid", output="sigmoid", loss="mse", seed=3,
                   dtype=np.float32)
    net32.set_weights(net.weights, net.biases)
    report = bp.gradcheck(net32, X, Y, h=1e-5, order=2)     # correct gradients, float32
    assert not report.ok
    assert all("float32" in c.diagnosis for c in report.checks), str(report)
    assert bp.gradcheck(net, X, Y).ok                        # the float64 twin agrees


def _smooth_net(rng, scale):
    """A random smooth network (sigmoid/tanh) and data at input scale ``scale``."""
    L = int(rng.integers(1, 4))
    sizes = [int(n) for n in rng.integers(1, 7, size=L + 1)]
    loss = str(rng.choice(["mse", "half_sse", "cross_entropy"]))
    output = "sigmoid" if loss == "cross_entropy" else str(rng.choice(["identity", "tanh"]))
    net = bp.MLP(sizes, hidden=[str(rng.choice(["sigmoid", "tanh"])) for _ in range(L - 1)],
                 output=output, loss=loss, seed=int(rng.integers(1000)))
    m = int(rng.integers(1, 8))
    return net, scale * rng.normal(size=(sizes[0], m)), rng.random((sizes[-1], m))


@pytest.mark.parametrize("scale", [1e-6, 1e-4, 1.0, 10.0])
def test_correct_gradients_are_not_accused_at_any_input_scale(scale):
    rng = np.random.default_rng(11)
    for _ in range(25):
        net, X, Y = _smooth_net(rng, scale)
        report = bp.gradcheck(net, X, Y)
        assert report.ok, f"{net}\n{report}"


def test_below_the_noise_floor_is_reported_as_resolution_not_as_a_bug():
    rng = np.random.default_rng(0)
    net = bp.MLP([3, 4, 2], hidden="sigmoid", output="sigmoid", seed=0)
    X, Y = 1e-6 * rng.normal(size=(3, 5)), rng.random((2, 5))
    report = bp.gradcheck(net, X, Y)
    assert report.ok and report["W[0]"].rel_error > report.tol     # relative error: noise
    assert "below the resolution of finite differences" in report["W[0]"].diagnosis
    assert report["W[0]"].resolution > 0
    assert "W[0] only to within the resolution of finite differences" in str(report)


def test_the_noise_floor_does_not_hide_a_real_bug_at_small_inputs():
    net, X, Y = _problem()
    X = 1e-4 * X
    report = bp.gradcheck(net, X, Y, grads=_backward(net, X, Y, sign=-1.0))
    assert report.failing == ["W[0]", "b[0]", "W[1]", "b[1]"]
    assert "sign flipped" in report["W[0]"].diagnosis
    report = bp.gradcheck(net, X, Y, grads=_backward(net, X, Y, drop_prime=(0,)))
    assert report.failing == ["W[0]", "b[0]"]


def test_truncation_error_of_a_large_step_is_not_a_bug():
    rng = np.random.default_rng(5)
    net = bp.MLP([5, 5, 2], hidden="sigmoid", output="tanh", loss="half_sse", seed=3)
    X, Y = 100 * rng.normal(size=(5, 4)), rng.random((2, 4))
    report = bp.gradcheck(net, X, Y, h=1e-2)      # a step too large for inputs of size 100
    assert report.ok, str(report)
    retried = [c for c in report.checks if c.diagnosis.startswith("agrees at h = 0.001")]
    assert retried and all(c.rel_error < 1e-7 for c in retried), str(report)


def test_saturated_cross_entropy_is_the_clamp_not_a_bug():
    # a sigmoid output beyond A(1 - A) < 1e-12 (z = 29): bplab's (and PyTorch's) clamped
    # gradient differs from the loss's derivative there on purpose; gradcheck says so, and
    # still catches a real bug on the same network
    net = bp.MLP([1, 1], output="sigmoid", loss="cross_entropy").set_weights([[[1.0]]], [[0.0]])
    X, Y = np.array([[29.0, 1.0, -2.0]]), np.array([[0.3, 0.6, 0.1]])
    report = bp.gradcheck(net, X, Y)
    assert report.ok, str(report)
    assert "clamped as PyTorch's BCELoss" in report["W[0]"].diagnosis
    _, dW, db = net.gradients(X, Y)
    bad = bp.gradcheck(net, X, Y, grads=([-g for g in dW], [-g for g in db]))
    assert not bad.ok and bad.failing == ["W[0]"]


def test_many_random_smooth_networks_at_extreme_scales():
    rng = np.random.default_rng(2024)
    for scale in (1e-8, 1e-3, 30.0):
        for _ in range(15):
            net, X, Y = _smooth_net(rng, scale)
            assert bp.gradcheck(net, X, Y).ok, f"scale {scale}: {net}"
