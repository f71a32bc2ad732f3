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
