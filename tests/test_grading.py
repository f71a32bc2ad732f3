"""Unit tests of bplab.grading without a kernel: checks in-process, markers, reports."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import nbformat
import numpy as np
import pytest

import bplab as bp
from bplab.grading import checks, notebook as nbtools, report
from bplab.grading._checking import CheckFailed, CheckTimedOut, call
from bplab.grading.grade import ExerciseResult, NotebookResult


# -- the checks, called directly ----------------------------------------------------------
def test_reference_solutions_pass(capsys):
    checks.check_sigmoid(bp.sigmoid, bp.sigmoid_prime, extra=True)
    checks.check_numerical_gradient(bp.numerical_gradient, extra=True)

    def dense_forward(a_prev, W, b):
        z = W @ a_prev + b
        return bp.sigmoid(z), (a_prev, z)

    checks.check_dense_forward(dense_forward)
    assert capsys.readouterr().out.count("✓") == 3


def test_fresh_seed_every_run_so_a_hard_coded_answer_fails():
    """A function that replays the answers of one run fails the next run."""
    answers = {}

    def recorder(z):
        answers[np.asarray(z).shape] = bp.sigmoid(z)
        return bp.sigmoid(z)

    checks.check_sigmoid(recorder, bp.sigmoid_prime)

    def replay(z):
        return answers.get(np.asarray(z).shape, bp.sigmoid(z)) if np.ndim(z) else bp.sigmoid(z)

    with pytest.raises(CheckFailed, match=r"random seed \d+"):
        checks.check_sigmoid(replay, bp.sigmoid_prime)


def test_sign_flip_and_missing_factor_are_named():
    with pytest.raises(CheckFailed, match="sign of the exponent is flipped"):
        checks.check_sigmoid(lambda z: bp.sigmoid(-np.asarray(z)), bp.sigmoid_prime)
    with pytest.raises(CheckFailed, match="in terms of a = σ"):
        checks.check_sigmoid(bp.sigmoid, lambda z: z * (1 - z))


def test_mlp_backward_failure_names_the_diagnosis():
    def halved(weights, cache, Y):
        net = bp.MLP([n.shape[1] for n in weights] + [weights[-1].shape[0]], output="identity")
        net.set_weights(weights)
        dW, db = net.backward(cache, Y)
        return [0.5 * g for g in dW], [0.5 * g for g in db]

    with pytest.raises(CheckFailed, match="factor 0.5"):
        checks.check_mlp_backward(halved)


def test_call_reports_exceptions_mutation_and_time():
    with pytest.raises(CheckFailed, match="f\\(...\\) raised ZeroDivisionError"):
        call(lambda x: 1 / 0, 1.0, name="f")
    x = np.ones(3)
    with pytest.raises(CheckFailed, match="changed its input `x` in place"):
        call(lambda x: x.__imul__(2), x, name="g", arg_names=["x"])
    with pytest.raises(NotImplementedError):
        call(lambda: (_ for _ in ()).throw(NotImplementedError()), name="h")

    def forever():
        while True:
            pass

    with pytest.raises(CheckTimedOut, match="did not return within 0.2 s"):
        call(forever, time_limit=0.2)


# -- markers, release and merge ------------------------------------------------------------
SOLVED = '''def f(x):
    """Doc."""
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION'''


def _nb():
    sol = nbformat.v4.new_code_cell(SOLVED, metadata={
        "bplab": {"exercise": "e", "role": "solution"}, "tags": ["hide-input"]})
    sol.outputs = [nbformat.v4.new_output("stream", text="hi\n")]
    chk = nbformat.v4.new_code_cell("check(f)", metadata={"bplab": {"exercise": "e",
                                                                    "role": "check"}})
    hid = nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\nsecret(f)\n### END HIDDEN TESTS",
                                    metadata={"bplab": {"exercise": "e", "role": "hidden"}})
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), sol, chk, hid],
                                    metadata={"bplab": {"exercises": [{"id": "e",
                                                                       "title": "E"}]}})


def test_strip_solutions_keeps_the_signature():
    out = nbtools.strip_solutions(SOLVED)
    assert out.startswith('def f(x):\n    """Doc."""\n    # YOUR CODE HERE\n'
                          '    raise NotImplementedError(')
    assert "2 * x" not in out and "BEGIN" not in out
    compile(out, "<stub>", "exec")
    with pytest.raises(ValueError, match="without a matching"):
        nbtools.strip_solutions("### BEGIN SOLUTION\nx = 1")


def test_student_version_and_merge():
    source = _nb()
    student = nbtools.student_version(source)
    assert [nbtools.role(c) for c in student.cells] == [None, "solution", "check"]
    assert student.cells[1].outputs == [] and "tags" not in student.cells[1].metadata
    assert "secret" not in json.dumps(student)
    student.cells[2].source = "pass  # the student disabled the check"
    merged = nbtools.merge_checks(student, source)
    assert [c.source for c in merged.cells[2:]] == ["check(f)", source.cells[3].source]
    assert "NotImplementedError" in merged.cells[1].source


# -- reports ------------------------------------------------------------------------------
def _results():
    r = NotebookResult("a/ex.ipynb", seconds=1.5)
    r.exercises = [ExerciseResult("one", "One", "passed"),
                   ExerciseResult("two", "Two | pipes", "failed", "dW is wrong: sign flipped"),
                   ExerciseResult("three", "Three", "not attempted", "stub")]
    return [r]


def test_reports(tmp_path):
    results = _results()
    text = report.table(results)
    assert "total: 1/3 exercises passed" in text and "sign flipped" in text
    report.to_json(results, tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text())
    assert (data["passed"], data["total"]) == (1, 3)
    assert data["notebooks"][0]["exercises"][1]["message"] == "dW is wrong: sign flipped"
    report.to_junit(results, tmp_path / "g.xml")
    suite = ET.parse(tmp_path / "g.xml").getroot().find("testsuite")
    assert suite.get("tests") == "3" and suite.get("failures") == "2"
    assert [f.get("type") for f in suite.iter("failure")] == ["failed", "not attempted"]
    md = report.to_markdown(results)
    assert "1/3 exercises passed" in md and "Two \\| pipes" in md
    results[0].notes = ["cell 4 was stopped after the time limit of 3 s"]
    assert "| note | cell 4 was stopped" in report.to_markdown(results)
    assert "note: cell 4 was stopped" in report.table(results)


# -- the wire, the specifications, the suspects --------------------------------------------
def test_values_cross_as_plain_data_never_as_pickles():
    from bplab.grading import _wire
    value = (np.arange(6.0).reshape(2, 3).T, [np.float32(1.5), 2, None], {"w1": 0.25},
             bp.Cache(a=[np.ones((2, 1))], z=[]))
    back = _wire.decode(_wire.encode(value))
    assert back[0].shape == (3, 2) and np.array_equal(back[0], value[0])
    assert back[1][0].dtype == np.float32 and back[1][1:] == [2, None]
    assert back[2] == {"w1": 0.25} and back[3].a[0].shape == (2, 1)
    assert _wire.decode(_wire.encode(np.array([object()]))) == _wire.Opaque(
        "ndarray of dtype object")
    assert _wire.decode(_wire.encode(lambda: 1)) == _wire.Opaque("function")
    with pytest.raises(ValueError, match="refused dtype"):
        _wire.decode({"__nd__": "", "dtype": "|O", "shape": [0]})
    deep = []
    for _ in range(50):
        deep = [deep]
    assert isinstance(_wire.decode(_wire.encode(deep)), list)   # cut, not a crash


def test_check_cells_are_read_never_run():
    from bplab.grading import _specs
    from bplab.grading.grade import CHECKS
    [spec] = _specs.parse_check_cell("### BEGIN HIDDEN TESTS\nchecks.check_sigmoid(sigmoid, "
                                     "sigmoid_prime, extra=True)\n### END HIDDEN TESTS", CHECKS)
    assert (spec.check, spec.functions, spec.kwargs) == (
        "check_sigmoid", ["sigmoid", "sigmoid_prime"], {"extra": True})
    for bad, match in (("import os", "not a call"), ("os.system('x')", "not one of"),
                       ("checks.check_sigmoid(lambda z: z, s)", "names of your functions"),
                       ("checks.check_sigmoid(s, t, extra=open('x'))", "literals")):
        with pytest.raises(_specs.SpecError, match=match):
            _specs.parse_check_cell(bad, CHECKS)


def test_library_use_is_read_from_the_syntax_tree():
    from bplab.grading._specs import library_use
    imports = ["import bplab as bp\nfrom bplab import activations as act"]
    found = library_use(["s = bp.sigmoid\ndef sigmoid_prime(z):\n    return act.sigmoid_prime(z)"],
                        ["check_sigmoid"], context=imports)
    assert found == ["act.sigmoid_prime (bplab.activations.sigmoid_prime)",
                     "bp.sigmoid (bplab.sigmoid)"]
    assert library_use(["def f(a, W, b):\n    return bp.sigmoid(W @ a + b)"],
                       ["check_dense_forward"], context=imports) == []
    assert any("dynamic" in f for f in library_use(["f = getattr(bp, 'sig' + 'moid')"],
                                                   ["check_sigmoid"], context=imports))
    assert library_use(["from bplab.grading._references import perceptron_reference"],
                       ["check_perceptron"]) == [
        "import of bplab.grading._references.perceptron_reference"]
    assert library_use(["from bplab.grading import checks_training as ct\nct.gd_variant"],
                       ["check_minibatch_gd"]) == [
        "ct.gd_variant (bplab.grading.checks_training.gd_variant)"]
    # the notebooks' own import of the checks, and calling a check, are no answer
    assert library_use(["from bplab.grading import checks\nchecks.check_sigmoid(f, g)"],
                       ["check_sigmoid"]) == []


def test_float32_results_are_refused_with_the_stated_contract():
    def dense_backward(dA, cache, W):
        a_prev, z = cache
        Delta = dA * bp.sigmoid_prime(z)
        return ((Delta @ a_prev.T).astype(np.float32), Delta.sum(axis=1, keepdims=True), W.T @ Delta)

    with pytest.raises(CheckFailed, match="dtype float32; every task asks for float64"):
        checks.check_dense_backward(dense_backward)


def test_a_numerically_better_sigmoid_passes_what_the_task_states():
    """0.5 (1 + tanh(z/2)) is exact in value but loses the left tail's relative accuracy,
    which the task states: the message says so, and names the cancellation."""
    def tanh_sigmoid(z):
        return 0.5 * (1 + np.tanh(np.asarray(z, dtype=float) / 2))

    with pytest.raises(CheckFailed, match="which the task asks for.*tanh"):
        checks.check_sigmoid(tanh_sigmoid, bp.sigmoid_prime)


@pytest.mark.parametrize("mistake, match", [
    ("unsquared", "denominator must be squared"),
    ("rows", "read row by row"),
    ("copy", "perturb x in place"),
    ("accumulate", "summed across batches"),
])
def test_honest_mistakes_get_a_named_message(mistake, match):
    if mistake == "unsquared":
        with pytest.raises(CheckFailed, match=match):
            checks.check_sigmoid(bp.sigmoid, lambda z: np.exp(-z) / (1 + np.exp(-z)))
    elif mistake == "rows":
        def rows(x, y, w):
            W1 = np.array([[w["w1"], w["w2"]], [w["w3"], w["w4"]]])
            W2 = np.array([[w["w5"], w["w6"]], [w["w7"], w["w8"]]])
            net = bp.MLP([2, 2, 2], hidden="sigmoid", output="sigmoid", loss="half_sse")
            _, (g1, g2), _ = net.set_weights([W1, W2]).gradients(x, y)
            return {"w1": g1[0, 0], "w2": g1[0, 1], "w3": g1[1, 0], "w4": g1[1, 1],
                    "w5": g2[0, 0], "w6": g2[0, 1], "w7": g2[1, 0], "w8": g2[1, 1]}
        with pytest.raises(CheckFailed, match=match):
            checks.check_net222(rows)
    elif mistake == "copy":
        def on_a_copy(f, x, h=1e-5):
            g = np.zeros(x.shape)
            for i in np.ndindex(x.shape):
                xp = x.copy()
                xp[i] += h
                g[i] = (f() - f()) / (2 * h)
            return g
        with pytest.raises(CheckFailed, match=match):
            checks.check_numerical_gradient(on_a_copy)
    else:
        def accumulating(net, X, Y, *, lr, epochs, batch_size, seed):
            rng, m, losses, total = np.random.default_rng(seed), X.shape[1], [], None
            for _ in range(epochs):
                order = rng.permutation(m) if batch_size < m else np.arange(m)
                for i in range(0, m, batch_size):
                    idx = order[i:i + batch_size]
                    loss, dW, db = net.gradients(X[:, idx], Y[:, idx])
                    losses.append(loss)
                    total = dW + db if total is None else [t + g for t, g in zip(total, dW + db)]
                    for k, (W, b) in enumerate(zip(net.weights, net.biases)):
                        W -= lr * total[k]
                        b -= lr * total[len(dW) + k]
            return losses
        with pytest.raises(CheckFailed, match=match):
            checks.check_minibatch_gd(accumulating)
