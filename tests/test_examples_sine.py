"""Source 000 (sine fit): every ledger entry fails on the original and passes when fixed."""
import json

import numpy as np
import pytest

import bplab as bp
from bplab.examples import sine
from bplab.examples import _ledger

DEEP = [1, 25, 10, 1]


def test_forward_feeds_previous_activation():
    def trains(r):
        return r["error"] is None and r["result"]["final_loss"] < 10.0

    original, fixed = sine.run("original", sizes=DEEP), sine.run("fixed", sizes=DEEP)
    assert not trains(original)
    assert original["error"]["type"] == "ValueError"
    assert "not aligned" in original["error"]["message"]
    assert trains(fixed)
    # the fixed forward pass is bp.MLP's, layer by layer
    weights, biases = sine.init_parameters("fixed", DEEP, seed=3)
    X, _ = bp.datasets.sine()
    net = bp.MLP(DEEP).set_weights(weights, biases)
    A, _ = sine.forward("fixed", weights, biases, X)
    np.testing.assert_allclose(A, net.predict(X), rtol=0, atol=1e-12)


def test_forward_bug_is_invisible_with_one_hidden_layer():
    X, _ = bp.datasets.sine()
    weights, biases = sine.init_parameters("original", [1, 25, 1])
    A_orig, _ = sine.forward("original", weights, biases, X)
    A_fixed, _ = sine.forward("fixed", weights, biases, X)
    np.testing.assert_array_equal(A_orig, A_fixed)


def _second_layer_slope(weights, biases):
    X, _ = bp.datasets.sine()
    _, a = sine.forward("fixed", weights, biases, X)
    return float(np.mean(a[2] * (1 - a[2])))     # sigma'(z) of the second hidden layer


def test_init_does_not_saturate_deeper_layers():
    def unsaturated(variant):
        return all(_second_layer_slope(*sine.init_parameters(variant, DEEP, seed)) > 0.05
                   for seed in range(3))

    assert not unsaturated("original")
    assert unsaturated("fixed")


def test_all_positive_init_stalls_training_of_the_deep_net():
    # the original's init with the corrected forward pass: stuck at a constant prediction
    X, Y = bp.datasets.sine()
    weights, biases = sine.init_parameters("original", DEEP, seed=0)
    net = bp.MLP(DEEP).set_weights(weights, biases)
    history = bp.train(net, X, Y, lr=0.15, epochs=2000)       # lr/2 on MSE = lr on MSE/2
    assert history.final_loss > 0.95 * float(np.mean(Y ** 2))


def test_gradient_matches_the_stated_objective():
    X, Y = bp.datasets.sine()
    X, Y = X[:, ::5], Y[:, ::5]

    def consistent(variant):
        weights, biases = sine.init_parameters("fixed", [1, 6, 1], seed=1)
        dW, db = sine.gradients(variant, weights, biases, X, Y)

        def f():
            return sine.objective(variant, sine.forward(variant, weights, biases, X)[0], Y)

        errors = [bp.relative_error(g, bp.numerical_gradient(f, p))
                  for g, p in zip(dW + db, weights + biases)]
        return max(errors) < 1e-7

    assert not consistent("original")
    assert consistent("fixed")


def test_fixed_gradients_agree_with_mlp_and_autodiff():
    from bplab import autodiff

    X, Y = bp.datasets.sine()
    weights, biases = sine.init_parameters("fixed", DEEP, seed=2)
    dW, db = sine.gradients("fixed", weights, biases, X, Y)
    net = bp.MLP(DEEP, loss="mse").set_weights(weights, biases)
    _, dW_mlp, db_mlp = net.gradients(X, Y)
    _, dW_ad, db_ad = autodiff.mlp_gradients(net, X, Y)
    for mine, ref, ad in zip(dW + db, dW_mlp + db_mlp, dW_ad + db_ad):
        np.testing.assert_allclose(mine, ref / 2, rtol=1e-12, atol=1e-14)   # C = MSE / 2
        np.testing.assert_allclose(mine, ad / 2, rtol=1e-10, atol=1e-12)


def test_original_run_as_documented():
    r = sine.run("original")
    assert r["error"] is None and r["recorded_every"] == 100
    assert len(r["losses"]) == 40                     # i = 0, 100, ..., 3900
    X, Y = bp.datasets.sine()
    weights, biases = sine.init_parameters("original", [1, 25, 1])
    A, _ = sine.forward("original", weights, biases, X)
    assert r["losses"][0] == pytest.approx(float(np.mean((A - Y) ** 2)), rel=1e-12)
    assert r["result"]["final_loss"] < 0.01 * r["losses"][0]
    json.dumps(r)


def test_bad_variant_and_options():
    with pytest.raises(ValueError, match="variant must be 'original' or 'fixed'"):
        sine.run("repaired")
    with pytest.raises(ValueError, match="unknown option"):
        sine.run("fixed", epochs=3)
    with pytest.raises(ValueError, match="sizes must"):
        sine.run("fixed", sizes=[2, 3, 1])
    with pytest.raises(ValueError, match="lr must"):
        sine.run("fixed", lr=-1)


def test_ledger_is_complete():
    _ledger.check(sine.LEDGER, sine.REMARKS)
    for entry in sine.LEDGER:
        if entry["test"] is None:           # its evidence is the quoted text itself
            assert entry["kind"] in ("text", "report"), entry["id"]
            continue
        assert entry["test"].startswith("tests/test_examples_sine.py::")
        assert callable(globals()[entry["test"].split("::")[1]])

@pytest.mark.parametrize("change, match", [
    (dict(kind="bug"), "kind must be one of"),
    (dict(translation=None, quote="# 偏执项"), "give its 'translation'"),
    (dict(extra="x"), "expected keys"),
])
def test_ledger_schema_is_enforced(change, match):
    entry = {**sine.LEDGER[0], **change}
    entry = {k: v for k, v in entry.items() if v is not None or k == "test"}
    with pytest.raises(ValueError, match=match):
        _ledger.check([entry], [])


def test_ledger_table_keeps_code_out_of_its_cells():
    text = _ledger.markdown(sine.LEDGER)
    table, notes = text.split("\n\nQuoted lines and tests:\n\n")
    assert "`" not in table                                # every quote and test is below
    assert len(table.splitlines()) == len(sine.LEDGER) + 2
    unescaped = notes.replace("\\", "")                     # quoted prose is escaped
    assert all(e["quote"].splitlines()[0].strip() in unescaped for e in sine.LEDGER)
    assert "test_forward_feeds_previous_activation" in notes
