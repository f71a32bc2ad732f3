"""Source 003 (Nielsen's backprop, as copied): every ledger entry fails on the original
and passes on the fixed code; the fixed code agrees with finite differences, the autodiff
engine and bplab.MLP; the failures come in the order the copied code meets them."""
import json

import numpy as np
import pytest

import bplab as bp
from bplab.examples import nielsen as N
from bplab.examples import _ledger

ORIGINAL, FIXED = N.BUGS, frozenset()
# the copy's sigmoid, sigma(-z), and its true derivative -sigma'(z), for bplab.MLP
NEG_SIGMOID = bp.activations.Activation("sigmoid(-z)", N.sigmoid_copied,
                                        lambda z: -bp.sigmoid_prime(z),
                                        lambda a: -a * (1 - a))


def sample(sizes, seed=1):
    rng = np.random.default_rng(seed)
    return rng.random((sizes[0], 1)), rng.random((sizes[-1], 1))


def output_delta_ok(bugs, sizes):
    """The output delta has shape (n_out, 1) and equals (a - y) * f'(z_L) of the forward."""
    net = N.Network(sizes, seed=0, bugs=bugs)
    x, y = sample(sizes)
    activations, zs = net.forward(x)
    try:
        delta = net.output_delta(activations, zs, y)
    except (ValueError, TypeError):
        return False
    a = activations[-1]
    return delta.shape == (sizes[-1], 1) and np.allclose(delta, (a - y) * a * (1 - a))


@pytest.mark.parametrize("sizes", [[64, 30, 10], [64, 30, 20, 10], [2, 3, 1], [2, 3, 3]])
def test_N1_output_delta_has_the_shape_of_the_output(sizes):
    assert not output_delta_ok(ORIGINAL, sizes)
    assert output_delta_ok(FIXED, sizes)


def test_N1_each_face_of_the_slice():
    x, y = sample([64, 30, 10])
    net = N.Network([64, 30, 10], bugs=ORIGINAL)
    with pytest.raises(ValueError, match=r"broadcast.*\(10,1\) \(1,30,1\)"):
        net.backprop(x, y)
    x, y = sample([64, 30, 20, 10])
    with pytest.raises(ValueError, match="inhomogeneous"):
        N.Network([64, 30, 20, 10], bugs=ORIGINAL).backprop(x, y)
    x, y = sample([2, 3, 1])
    net = N.Network([2, 3, 1], bugs=ORIGINAL)
    assert net.output_delta(*net.forward(x), y).shape == (1, 3, 1)     # silently wrong
    # [2, 3, 3] with xrange and self.weight repaired: backprop "succeeds", wrong shapes
    net = N.Network([2, 3, 3], bugs={"N1", "N4"})
    nabla_b, nabla_w = net.backprop(*sample([2, 3, 3]))
    assert [w.shape for w in nabla_w] != [w.shape for w in net.weights]


def passes_layer_loop(bugs):
    try:   # [2, 3, 1]: the slice is silent here, so the loop is reached
        N.Network([2, 3, 1], bugs=bugs).backprop(*sample([2, 3, 1]))
    except NameError:
        return False
    except (ValueError, AttributeError):
        pass
    return True


def test_N2_runs_under_python3():
    assert not passes_layer_loop(ORIGINAL)
    assert passes_layer_loop(FIXED)
    with pytest.raises(NameError, match="xrange"):
        N.Network([2, 3, 1], bugs={"N2"}).backprop(*sample([2, 3, 1]))


def reaches_hidden_weights(bugs):
    try:
        N.Network([64, 30, 10], bugs=bugs).backprop(*sample([64, 30, 10]))
    except AttributeError as exc:
        assert "weight" in str(exc)
        return False
    return True


def test_N3_hidden_layers_use_self_weights():
    # the original once N1 and N2, met earlier, are repaired
    assert not reaches_hidden_weights(ORIGINAL - {"N1", "N2"})
    assert reaches_hidden_weights(FIXED)


def gradcheck_of(bugs, sizes, seed=2):
    net = N.Network(sizes, seed=seed, bugs=bugs)
    f = NEG_SIGMOID if "N4" in bugs else "sigmoid"
    mlp = bp.MLP(sizes, hidden=[f] * (len(sizes) - 2), output=f, loss="half_sse")
    mlp.set_weights(net.weights, net.biases)
    x, y = sample(sizes, seed)
    nabla_b, nabla_w = net.backprop(x, y)
    return bp.gradcheck(mlp, x, y, grads=(nabla_w, nabla_b))


@pytest.mark.parametrize("sizes", [[2, 3, 2], [3, 4, 4, 2]])
def test_N4_gradients_match_finite_differences(sizes):
    report = gradcheck_of(ORIGINAL - {"N1", "N2", "N3"}, sizes)
    assert not report.ok
    L = len(sizes) - 1
    for l in range(L):           # the sign flips once per layer, from the output down
        flipped = (L - 1 - l) % 2 == 0
        for name in (f"W[{l}]", f"b[{l}]"):
            assert (report[name].diagnosis == "sign flipped") == flipped, str(report)
            assert report[name].ok == (not flipped)
    assert gradcheck_of(FIXED, sizes).ok


def test_N4_training_goes_the_wrong_way():
    data = bp.datasets.digits()
    results = {}
    for name, bugs in (("sign bug", {"N4"}), ("fixed", FIXED)):
        net = N.Network([64, 30, 10], seed=0, bugs=bugs)
        start = net.cost(data.X_train, data.Y_train)
        out = N.sgd(net, data, epochs=1, eta=3.0)
        results[name] = (start, out["losses"][-1], out["test_accuracy"][-1])
    start, end, acc = results["sign bug"]
    assert end > start and acc < 0.3          # cost goes up, accuracy at chance
    start, end, acc = results["fixed"]
    assert end < start / 2 and acc > 0.6


def test_fixed_backprop_agrees_with_mlp_and_autodiff():
    sizes = [5, 4, 3]
    net = N.Network(sizes, seed=3)
    x, y = sample(sizes, 3)
    nabla_b, nabla_w = net.backprop(x, y)
    mlp = bp.MLP(sizes, hidden="sigmoid", output="sigmoid", loss="half_sse")
    mlp.set_weights(net.weights, net.biases)
    _, dW, db = mlp.gradients(x, y)
    for a, b in zip(nabla_w + nabla_b, dW + db):
        assert bp.relative_error(a, b) < 1e-12
    autodiff = pytest.importorskip("bplab.autodiff")
    _, dW, db = autodiff.mlp_gradients(mlp, x, y)
    for a, b in zip(nabla_w + nabla_b, dW + db):
        assert bp.relative_error(a, b) < 1e-12


def test_failures_come_in_the_order_the_copy_meets_them():
    data = bp.datasets.digits()
    seen, bugs = [], set(N.BUGS)
    for _ in range(4):
        out = N.sgd(N.Network([64, 30, 10], bugs=bugs), data, epochs=1, eta=3.0)
        if out["error"] is None:
            break
        seen.append((out["error"]["ledger"], out["error"]["type"]))
        bugs.discard(out["error"]["ledger"])
    assert seen == [("N1", "ValueError"), ("N2", "NameError"), ("N3", "AttributeError")]
    assert bugs == {"N4"}   # the last bug raises nothing


def test_run_original_reports_the_first_failure_and_fixed_learns():
    out = N.run("original", steps=1)
    assert out["error"]["type"] == "ValueError" and out["error"]["ledger"] == "N1"
    assert out["losses"] == [] and out["result"]["epochs"] == 0
    out = N.run("fixed", steps=3)
    json.dumps(out, allow_nan=False)
    assert out["error"] is None and len(out["losses"]) == 3
    assert out["losses"][-1] < out["losses"][0]
    assert out["result"]["test_accuracy"] > 0.9


def test_ledger_is_complete():
    _ledger.check(N.LEDGER, N.REMARKS)
    for entry in N.LEDGER:
        if entry["test"] is None:           # its evidence is the quoted text itself
            assert entry["kind"] in ("text", "report"), entry["id"]
            continue
        assert entry["test"].startswith("tests/test_examples_nielsen.py::")
        assert callable(globals()[entry["test"].split("::")[1]])


@pytest.mark.parametrize("kwargs, match", [
    (dict(variant="buggy"), "Unknown variant"),
    (dict(seed="one"), "seed must be"),
    (dict(sizes=[2, 3, 1]), "start with 64"),
    (dict(lr=-1.0), "lr must be"),
    (dict(steps=0), "steps"),
    (dict(batch=3), "do not apply"),
])
def test_bad_options_are_clear_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        N.run(**kwargs)
