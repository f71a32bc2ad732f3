"""Source 001 (2-2-2 net): ledger regressions, and agreement with PyTorch."""
import json

import numpy as np
import pytest

import bplab as bp
from bplab.examples import net222
from bplab.examples import _ledger
from tests.conftest import require

W0 = bp.datasets.net222().w
FLOOR = 0.5 * 0.07 ** 2          # the least loss a sigmoid output can have for y2 = -0.07

# Generated once with net222.pytorch_run(output=..., dtype="float64") (PyTorch 2.13, CPU):
# the document's PyTorch program in float64, 10 steps, lr 1.
REFERENCE = {
    "identity": {
        "losses": [0.06902917486174445, 0.01268406599205689, 0.0023523640109587313,
                   0.0004347404499580064, 8.018537811443351e-05, 1.4789251719035513e-05,
                   2.730549708902342e-06, 5.049200993892452e-07, 9.353062225591032e-08,
                   1.735699874161727e-08],
        "final": {"w1": 0.2350983632855463, "w2": -0.44490620247125084,
                  "w3": 0.5210590179713276, "w4": 0.5730562785172496,
                  "w5": 0.4213372652940231, "w6": -0.6769159537263499,
                  "w7": -0.019316057050678206, "w8": 0.6453847438654551}},
    "sigmoid": {
        "losses": [0.2097097937078311, 0.19503259609013654, 0.18135090716878854,
                   0.16865133428176904, 0.15690487454780833, 0.1460708255072467,
                   0.1361003894198215, 0.12693979294852148, 0.11853284875342358,
                   0.11082295999287124],
        "final": {"w1": 0.3273427958035899, "w2": -0.45470940188349374,
                  "w3": 0.5764056774821539, "w4": 0.5671743588699037,
                  "w5": -0.1984565432703084, "w6": -1.2126801285631321,
                  "w7": -0.5561032295332673, "w8": 0.18828737224361927}},
}


def _numeric(w, output="sigmoid"):
    arr = np.array([w[k] for k in net222.NAMES])

    def f():
        return net222.loss(dict(zip(net222.NAMES, arr)), output=output)

    return dict(zip(net222.NAMES, bp.numerical_gradient(f, arr)))


def test_hidden_gradients_match_finite_differences():
    numeric = _numeric(W0)

    def correct(variant):
        grads = net222.run(variant, output="sigmoid")["result"]["gradients"][0]
        return all(abs(grads[k] - numeric[k]) < 1e-9 for k in net222.NAMES)

    assert not correct("original")
    assert correct("fixed")
    # the output layer's four were right all along; w1 and w3 even have the wrong sign
    _, orig = net222.original_gradients(W0)
    assert all(abs(orig[k] - numeric[k]) < 1e-9 for k in ("w5", "w6", "w7", "w8"))
    assert all(np.sign(orig[k]) != np.sign(numeric[k]) for k in ("w1", "w3"))


def test_fixed_gradients_by_hand_and_autodiff():
    from bplab import autodiff

    d = bp.datasets.net222()
    W1, W2 = net222.to_matrices(W0)
    h = bp.sigmoid(W1 @ d.x)
    o = bp.sigmoid(W2 @ h)
    delta_o = (o - d.y) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    by_hand = net222.from_matrices(delta_h @ d.x.T, delta_o @ h.T)
    _, fixed = net222.fixed_gradients(W0)
    net = bp.MLP([2, 2, 2], output="sigmoid", loss="half_sse").set_weights([W1, W2])
    _, dW, _ = autodiff.mlp_gradients(net, d.x, d.y)
    ad = net222.from_matrices(*dW)
    for k in net222.NAMES:
        assert fixed[k] == pytest.approx(by_hand[k], abs=1e-15)
        assert fixed[k] == pytest.approx(ad[k], abs=1e-14)


def test_target_is_reachable():
    def fits(r):
        return r["result"]["final_loss"] < FLOOR

    assert not fits(net222.run("original"))
    assert fits(net222.run("fixed"))
    # with a sigmoid output no number of steps gets below the floor
    assert net222.run("fixed", output="sigmoid", steps=3000)["result"]["final_loss"] > FLOOR


@pytest.mark.parametrize("output", ["identity", "sigmoid"])
def test_fixed_matches_stored_pytorch_reference(output):
    r = net222.run("fixed", output=output)
    ref = REFERENCE[output]
    np.testing.assert_allclose(r["losses"], ref["losses"], rtol=1e-12, atol=1e-15)
    for k in net222.NAMES:
        assert r["result"]["weights"][k] == pytest.approx(ref["final"][k], abs=1e-12)


def test_original_misses_the_stored_pytorch_reference():
    r = net222.run("original")
    gap = max(abs(r["result"]["weights"][k] - REFERENCE["sigmoid"]["final"][k])
              for k in net222.NAMES)
    assert gap > 1e-2


@pytest.mark.parametrize("output", ["identity", "sigmoid"])
def test_fixed_matches_pytorch(output):
    require("torch", "the document's PyTorch comparison")
    torch_run = net222.pytorch_run(output=output, dtype="float64")
    mine = net222.run("fixed", output=output)
    for a, b in zip(torch_run["trajectory"], mine["result"]["trajectory"]):
        for k in net222.NAMES:
            assert abs(a[k] - b[k]) < 1e-12
    np.testing.assert_allclose(mine["losses"], torch_run["losses"], rtol=1e-12, atol=0)
    original = net222.run("original")["result"]["gradients"][0]
    assert max(abs(original[k] - torch_run["gradients"][0][k]) for k in ("w1", "w3")) > 1e-2


def test_float32_costs_eight_digits():
    require("torch", "the document's PyTorch program runs in float32")
    f64 = net222.pytorch_run(dtype="float64")["trajectory"][-1]
    f32 = net222.pytorch_run(dtype="float32")["trajectory"][-1]
    gap = max(abs(f64[k] - f32[k]) for k in net222.NAMES)
    assert 1e-10 < gap < 1e-5


def test_mseloss_equals_half_sum_for_two_outputs():
    torch = require("torch", "nn.MSELoss")
    o = torch.tensor([0.3, 0.6], dtype=torch.float64)
    y = torch.tensor([0.23, -0.07], dtype=torch.float64)
    half_sum = 0.5 * torch.sum((o - y) ** 2)
    assert torch.nn.MSELoss()(o, y).item() == pytest.approx(half_sum.item(), rel=1e-15)
    o3, y3 = torch.cat([o, o[:1]]), torch.cat([y, y[:1]])
    assert torch.nn.MSELoss()(o3, y3).item() != pytest.approx(
        0.5 * torch.sum((o3 - y3) ** 2).item(), rel=1e-3)


def test_run_interface():
    r = net222.run("original")
    json.dumps(r)
    assert r["example"] == "net222" and r["variant"] == "original" and r["error"] is None
    assert len(r["losses"]) == 10 and r["recorded_every"] == 1
    with pytest.raises(ValueError, match="variant must"):
        net222.run("buggy")
    with pytest.raises(ValueError, match="unknown option"):
        net222.run("fixed", sizes=[2, 2, 2])
    with pytest.raises(ValueError, match="identity' applies to 'fixed' only"):
        net222.run("original", output="identity")


def test_ledger_is_complete():
    _ledger.check(net222.LEDGER, net222.REMARKS)
    for entry in net222.LEDGER:
        if entry["test"] is None:           # its evidence is the quoted text itself
            assert entry["kind"] in ("text", "report"), entry["id"]
            continue
        assert entry["test"].startswith("tests/test_examples_net222.py::")
        assert callable(globals()[entry["test"].split("::")[1]])

def test_original_and_pytorch_printouts_part_at_step_9():
    """The document prints both programs' losses: the original's part from PyTorch's in
    the 4th decimal after one update, and in the 2nd decimal first at step 9."""
    ref = REFERENCE["sigmoid"]["losses"]

    def first_difference(losses, decimals):
        return next((i for i, (a, b) in enumerate(zip(losses, ref))
                     if round(a, decimals) != round(b, decimals)), None)

    original = net222.run("original")["losses"]
    assert first_difference(original, 4) == 1
    assert first_difference(original, 2) == 9
    assert first_difference(net222.run("fixed", output="sigmoid")["losses"], 12) is None


def test_positive_target_does_not_converge_in_ten_steps():
    """The comment says a positive target converges exactly: not in the program's 10 steps."""
    w = dict(W0)
    for _ in range(10):
        loss, g = net222.original_gradients(w, y=[0.23, 0.07])
        w = {k: w[k] - g[k] for k in net222.NAMES}
    assert net222.original_gradients(w, y=[0.23, 0.07])[0] > 0.05
