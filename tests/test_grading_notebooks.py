"""End to end: the solved exercise notebooks score full marks, the released student versions
score zero without crashing the grader, and the students' CI workflow runs `bplab grade`.

Everything goes through the command line (`bplab release`, `bplab grade`), as CI runs it.
"""
from __future__ import annotations

import json
import shlex
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest
import yaml

from bplab import cli
from bplab.grading import notebook as nbtools

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "book" / "exercises").glob("*.ipynb"))


def test_at_least_ten_exercises_with_markers_and_tags():
    ids = []
    for path in SOURCES:
        nb = nbformat.read(path, as_version=4)
        for ex in nbtools.exercises(nb):
            ids.append(ex["id"])
            cells = [c for c in nb.cells if nbtools.exercise_of(c) == ex["id"]]
            roles = [nbtools.role(c) for c in cells]
            assert {"solution", "check", "hidden"} <= set(roles), (path.name, ex["id"])
            for c in cells:
                if nbtools.role(c) == "solution":
                    assert nbtools.BEGIN_SOLUTION in c.source and "hide-input" in c.metadata.tags
                if nbtools.role(c) == "hidden":
                    assert nbtools.BEGIN_HIDDEN in c.source and "remove-cell" in c.metadata.tags
    assert len(ids) >= 10 and len(set(ids)) == len(ids)


@pytest.mark.slow
def test_solved_notebooks_score_full_marks(tmp_path, monkeypatch):
    """Graded as a student who hands in the solutions, with the hidden tests merged back."""
    for path in SOURCES:
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.chdir(tmp_path)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code = cli.main(["grade", *[p.name for p in SOURCES], "--source", *map(str, SOURCES),
                     "--json", "grade.json", "--junit", "grade.xml", "--timeout", "60"])
    data = json.loads((tmp_path / "grade.json").read_text())
    failing = [(n["path"], e["id"], e["status"], e["message"]) for n in data["notebooks"]
               for e in n["exercises"] if e["status"] != "passed"]
    assert not failing
    assert code == 0
    assert data["passed"] == data["total"] >= 10
    assert ET.parse(tmp_path / "grade.xml").getroot().find("testsuite").get("failures") == "0"
    assert f"{data['total']}/{data['total']} exercises passed" in summary.read_text()


@pytest.mark.slow
def test_released_versions_score_zero_and_the_workflow_runs(tmp_path, monkeypatch, capsys):
    out = tmp_path / "student"
    assert cli.main(["release", *map(str, SOURCES), "--out", str(out)]) == 0
    for path in SOURCES:
        text = (out / path.name).read_text()
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
        nb = nbformat.read(out / path.name, as_version=4)
        assert all(c.get("outputs", []) == [] for c in nb.cells if c.cell_type == "code")
    workflow = yaml.safe_load((out / ".github" / "workflows" / "grade.yml").read_text())
    steps = workflow["jobs"]["grade"]["steps"]
    assert "push" in workflow[True]            # YAML reads the key `on` as True
    install = next(s["run"] for s in steps if "pip install" in s.get("run", ""))
    assert all(p in install for p in ("bplab", "nbclient", "nbformat", "ipykernel"))
    command = shlex.split(next(s["run"] for s in steps if "bplab grade" in s.get("run", "")))
    assert command[:2] == ["bplab", "grade"]
    # run the very command the workflow runs, in the students' repository
    monkeypatch.chdir(out)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    code = cli.main(command[1:])
    assert code == 1
    data = json.loads((out / "grade.json").read_text())
    assert data["passed"] == 0 and data["total"] >= 10
    statuses = {e["status"] for n in data["notebooks"] for e in n["exercises"]}
    assert statuses == {"not attempted"}
    assert all(not n["error"] for n in data["notebooks"])
    assert "not attempted" in capsys.readouterr().out
    assert ET.parse(out / "grade.xml").getroot().find("testsuite") is not None


def test_grade_and_release_refuse_bad_arguments(tmp_path, capsys):
    assert cli.main(["grade", str(SOURCES[0]), "--source", str(tmp_path / "nope.ipynb")]) == 2
    assert "no such instructor notebook" in capsys.readouterr().err
    plain = tmp_path / "plain.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), plain)
    assert cli.main(["release", str(plain), "--out", str(tmp_path / "o")]) == 2
    assert "has no exercises" in capsys.readouterr().err
    # a notebook without exercises, or an unreadable file, is reported, never a crash
    (tmp_path / "broken.ipynb").write_text("{not json")
    assert cli.main(["grade", str(plain), str(tmp_path / "broken.ipynb")]) == 1
    out = capsys.readouterr().out
    assert "no exercises found" in out and "could not read the notebook" in out


@pytest.mark.slow
def test_input_and_a_dying_kernel_are_graded_not_crashed(tmp_path):
    from bplab.grading.grade import grade_notebook

    def cell(source, ex, role):
        return nbformat.v4.new_code_cell(source, metadata={"bplab": {"exercise": ex,
                                                                     "role": role}})
    check = "checks.check_sigmoid(sigmoid, sigmoid_prime)"
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import bplab as bp\nfrom bplab.grading import checks"),
        cell("sigmoid, sigmoid_prime = bp.sigmoid, bp.sigmoid_prime", "ok", "solution"),
        cell(check, "ok", "check"),
        cell("name = input('your name?')", "asks", "solution"),
        cell(check, "asks", "check"),
        cell("import os\nos._exit(3)", "exits", "solution"),
        cell(check, "exits", "check"),
        cell("pass", "after", "solution"),
        cell(check, "after", "check")])
    nbformat.write(nb, tmp_path / "dies.ipynb")
    result = grade_notebook(tmp_path / "dies.ipynb", timeout=20)
    status = {e.id: (e.status, e.message) for e in result.exercises}
    assert status["ok"] == ("passed", "")
    assert status["asks"][0] == "failed" and "StdinNotImplementedError" in status["asks"][1]
    assert "while running cell 5" in result.error and "DeadKernelError" in result.error
    assert status["exits"][0] == status["after"][0] == "error"
