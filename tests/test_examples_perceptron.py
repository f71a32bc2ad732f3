"""Source 002 (perceptron): ledger regressions, and why a step unit cannot be backpropagated."""
import json

import numpy as np
import pytest

import bplab as bp
from bplab.examples import perceptron as p
from bplab.examples import _ledger

ON_THE_BOUNDARY = {"w_init": [0, 1], "b_init": -1}    # (-1, 1), t = 1, sits at v = 0


def test_stops_only_when_all_points_correct():
    def honest_stop(r):
        return r["result"]["misclassified"] == 0

    X, t = p.dataset()
    y_pre, val = p.forward(X, np.array([0.0, 1.0]), -1.0)
    assert val[1] == 0 and y_pre[1] != t[1] and np.sum(y_pre != t) == 1
    original = p.run("original", **ON_THE_BOUNDARY)
    assert original["losses"] == [0.0] and original["result"]["stopped_by"] == "loss == 0"
    assert not honest_stop(original)
    assert honest_stop(p.run("fixed", **ON_THE_BOUNDARY))


def test_terminates_on_xor():
    def stops_by_itself(r):
        return not r["result"]["stopped_by_guard"] and not r["result"]["converged"]

    original, fixed = p.run("original", data="xor"), p.run("fixed", data="xor")
    assert not stops_by_itself(original)
    assert original["result"]["epochs"] == p.OPTIONS["steps"]
    assert stops_by_itself(fixed)
    assert fixed["result"]["stopped_by"].startswith("cycle")
    # the cycle is real: iterate the rule from the final state until it comes back
    X, t = p.dataset("xor")
    w, b = np.array(fixed["result"]["w"]), fixed["result"]["b"]
    start, period = (tuple(w), b), None
    for k in range(1, 50):
        y_pre, _ = p.forward(X, w, b)
        assert np.any(y_pre != t)
        w, b = p.update("fixed", y_pre, w, b, p.OPTIONS["lr"], X, t)
        if (tuple(w), b) == start:
            period = k
            break
    assert period is not None


def test_loss_uses_the_data_it_is_given():
    X, t = p.dataset("xor")
    w, b = np.array([1.0, 1.0]), 0.0
    y_pre, val = p.forward(X, w, b)
    expected = -float((t - y_pre) @ val) / len(t)

    def honest(variant):
        same_loss = p.loss(variant, y_pre, w, b, X, t) == pytest.approx(expected, abs=1e-15)
        w_new, _ = p.update(variant, y_pre, w, b, 0.9, X, t)
        same_step = np.allclose(w_new, w + 0.9 * ((t - y_pre) @ X) / len(t))
        return same_loss and same_step

    assert not honest("original")
    assert honest("fixed")


def test_step_has_zero_chain_rule_gradient():
    X, t = p.dataset()
    rng = np.random.default_rng(0)
    for _ in range(5):
        w, b = rng.normal(size=2), float(rng.normal())
        dw, db = p.chain_rule_gradient(X, t, w, b)
        assert np.all(dw == 0) and db == 0
        # finite differences agree: the MSE of the step output is flat almost everywhere
        net = bp.MLP([2, 1], output="step", loss="mse").set_weights([w.reshape(1, 2)], [[b]])
        report = bp.gradcheck(net, X.T, t.reshape(1, -1).astype(float), h=1e-6)
        assert report.ok and not np.any(report["W[0]"].numeric)
    # while the perceptron rule moves the weights whenever a point is misclassified
    y_pre, _ = p.forward(X, p.DOC_W, p.DOC_B)
    w_new, _ = p.update("fixed", y_pre, p.DOC_W, p.DOC_B, 0.9, X, t)
    assert np.any(w_new != p.DOC_W)


def test_document_run_is_unchanged_by_the_fixes():
    original, fixed = p.run("original"), p.run("fixed")
    assert original["losses"] == fixed["losses"]
    assert original["result"]["w"] == fixed["result"]["w"]
    assert original["result"]["converged"] and fixed["result"]["converged"]
    assert original["result"]["epochs"] == len(original["losses"]) - 1


def test_run_interface():
    r = p.run("original", data="xor", steps=20)
    json.dumps(r)
    assert r["example"] == "perceptron" and r["error"] is None
    assert r["result"]["stopped_by_guard"] and len(r["losses"]) == 21
    with pytest.raises(ValueError, match="variant must"):
        p.run("backprop")
    with pytest.raises(ValueError, match="unknown option"):
        p.run("fixed", sizes=[2, 1])
    with pytest.raises(ValueError, match="steps must"):
        p.run("fixed", steps=0)


def test_ledger_is_complete():
    _ledger.check(p.LEDGER, p.REMARKS)
    for entry in p.LEDGER:
        if entry["test"] is None:           # its evidence is the quoted text itself
            assert entry["kind"] in ("text", "report"), entry["id"]
            continue
        assert entry["test"].startswith("tests/test_examples_perceptron.py::")
        assert callable(globals()[entry["test"].split("::")[1]])

def test_update_is_the_gradient_of_the_criterion():
    """Away from the boundary the update is exactly minus the gradient of loss_fuc's mean
    criterion (the step's zero derivative drops out); the text's sum is m times it."""
    X, t = p.dataset()
    w, b = np.array([0.5, 0.2]), -0.3                 # no point on the boundary
    theta = np.array([*w, b])

    def criterion(th, scale=1.0):
        y_pre, _ = p.forward(X, th[:2], th[2])
        return scale * p.loss("fixed", y_pre, th[:2], th[2], X, t)

    h = 1e-6
    numeric = np.array([(criterion(theta + h * e) - criterion(theta - h * e)) / (2 * h)
                        for e in np.eye(3)])
    y_pre, _ = p.forward(X, w, b)
    w1, b1 = p.update("fixed", y_pre, w, b, 1.0, X, t)
    step = theta - np.array([*w1, b1])
    np.testing.assert_allclose(step, numeric, rtol=1e-9, atol=1e-12)
    assert np.any(step)
    # the text's total loss (the sum) has m = 4 times this gradient
    numeric_sum = np.array([(criterion(theta + h * e, 4.0) - criterion(theta - h * e, 4.0))
                            / (2 * h) for e in np.eye(3)])
    np.testing.assert_allclose(numeric_sum, len(t) * step, rtol=1e-9)
