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
    assert "bplab" in install and "pip install" in install
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
def test_input_an_exit_and_library_use_are_graded_not_crashed(tmp_path):
    """input() gets no answer; a cell that ends the runner costs its exercise only (the runner
    is rebuilt for the next one); a solution that is bplab's own answer is flagged, and
    failed when the instructor asks."""
    from bplab.grading.grade import grade_notebook

    def cell(source, ex, role):
        return nbformat.v4.new_code_cell(source, metadata={"bplab": {"exercise": ex,
                                                                     "role": role}})
    check = "checks.check_sigmoid(sigmoid, sigmoid_prime)"
    mine = ("def sigmoid(z):\n    z = np.asarray(z, dtype=float)\n    e = np.exp(-np.abs(z))\n"
            "    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))\n"
            "def sigmoid_prime(z):\n    return sigmoid(z) * (1 - sigmoid(z))")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\nimport bplab as bp\n"
                                  "from bplab.grading import checks"),
        cell("sigmoid, sigmoid_prime = bp.sigmoid, bp.sigmoid_prime", "library", "solution"),
        cell(check, "library", "check"),
        cell("name = input('your name?')", "asks", "solution"),
        cell(check, "asks", "check"),
        cell("import os\nos._exit(3)", "exits", "solution"),
        cell(check, "exits", "check"),
        cell(mine, "after", "solution"),
        cell(check, "after", "check")])
    nbformat.write(nb, tmp_path / "dies.ipynb")
    result = grade_notebook(tmp_path / "dies.ipynb", timeout=20)
    status = {e.id: (e.status, e.message) for e in result.exercises}
    assert status["library"][0] == "passed" and "flagged" in status["library"][1]
    assert "bp.sigmoid (bplab.sigmoid)" in status["library"][1]
    assert status["asks"][0] == "failed" and "EOFError" in status["asks"][1]
    assert status["exits"][0] == "failed" and "ended the process" in status["exits"][1]
    assert status["after"] == ("passed", "")
    assert not result.error
    strict = grade_notebook(tmp_path / "dies.ipynb", timeout=20, library_use="fail")
    assert strict.exercises[0].status == "failed"
    assert "bplab's own answer" in strict.exercises[0].message


def _notebook(tmp_path):
    path = tmp_path / "01_sigmoid.ipynb"
    shutil.copy(SOURCES[0], path)
    return path


@pytest.mark.parametrize("argv, message", [
    (["--timeout", "nan"], "--timeout must be a positive number"),
    (["--timeout", "-1"], "--timeout must be a positive number"),
    (["--timeout", "0"], "--timeout must be a positive number"),
    (["--timeout", "inf"], "--timeout must be a positive number"),
    (["--output-limit", "-5"], "--output-limit must be 0 or more"),
    (["--json", "no/such/folder/g.json"], "does not exist"),
    (["--junit", "no/such/folder/g.xml"], "does not exist"),
])
def test_grade_refuses_bad_arguments_before_running_anything(argv, message, tmp_path, capsys,
                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["grade", str(_notebook(tmp_path)), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.glob("*.json")) + list(tmp_path.glob("*.xml"))


def test_release_refuses_to_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / "student"
    assert cli.main(["release", str(SOURCES[0]), "--out", str(out)]) == 0
    (out / SOURCES[0].name).write_text("my work")
    assert cli.main(["release", str(SOURCES[0]), "--out", str(out)]) == 2
    assert "exist already" in capsys.readouterr().err
    assert (out / SOURCES[0].name).read_text() == "my work"
    assert cli.main(["release", str(SOURCES[0]), "--out", str(out), "--force"]) == 0
    assert "my work" not in (out / SOURCES[0].name).read_text()


@pytest.mark.parametrize("timeout", ["nan", "-1", "0"])
def test_release_refuses_a_bad_timeout(timeout, tmp_path, capsys):
    assert cli.main(["release", str(SOURCES[0]), "--out", str(tmp_path / "o"),
                     "--timeout", timeout]) == 2
    assert "timeout must be a positive number" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_release_validates_every_source_before_writing(tmp_path, capsys):
    broken = tmp_path / "zz_broken.ipynb"
    broken.write_text("{not json")
    out = tmp_path / "o"
    assert cli.main(["release", str(SOURCES[0]), str(broken), "--out", str(out)]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert not out.exists()


def test_release_quotes_a_yaml_breaking_install(tmp_path):
    install = 'bplab @ git+https://x/y"; rm -rf ~ #\n: {oops: [1'
    out = tmp_path / "o"
    assert cli.main(["release", str(SOURCES[0]), "--out", str(out), "--install", install]) == 0
    workflow = yaml.safe_load((out / ".github" / "workflows" / "grade.yml").read_text())
    run = next(s["run"] for s in workflow["jobs"]["grade"]["steps"] if "pip" in s.get("run", ""))
    assert shlex.split(run)[4] == install


def test_malformed_notebooks_are_reported_and_the_batch_goes_on(tmp_path, capsys):
    """A cell without cell_type, an exercise list of strings, a list entry without an id:
    reported for that notebook; a good notebook in the same batch is still graded."""
    raw = json.loads(SOURCES[4].read_text())          # 05_gradient_check, solved
    raw["cells"].insert(0, {"source": "x = 1", "metadata": {}})
    raw["metadata"]["bplab"]["exercises"] = ["central-difference", {"title": "no id"}]
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps(raw))
    good = tmp_path / "good.ipynb"
    shutil.copy(SOURCES[0], good)
    report_path = tmp_path / "g.json"
    assert cli.main(["grade", str(bad), str(good), "--json", str(report_path)]) == 0
    data = json.loads(report_path.read_text())
    bad_nb, good_nb = data["notebooks"]
    assert any("no valid cell_type" in n for n in bad_nb["notes"])
    assert any("has no id" in n for n in bad_nb["notes"])
    assert bad_nb["score"] == bad_nb["max_score"] == 1
    assert good_nb["score"] == good_nb["max_score"] == 1


def test_without_bwrap_the_fallback_grades_and_says_it_is_weaker(tmp_path, monkeypatch, capsys):
    """BPLAB_SANDBOX=process forces the fallback (a machine without bubblewrap): the verdicts
    are the same, and the table, the JSON report and stderr say which isolation it was."""
    monkeypatch.setenv("BPLAB_SANDBOX", "process")
    solved = _notebook(tmp_path)
    report_path = tmp_path / "g.json"
    assert cli.main(["grade", str(solved), "--source", str(SOURCES[0]),
                     "--json", str(report_path)]) == 0
    captured = capsys.readouterr()
    assert "bubblewrap (bwrap) is not available" in captured.err
    assert "isolation: process" in captured.out
    [nb] = json.loads(report_path.read_text())["notebooks"]
    assert nb["isolation"] == "process" and nb["score"] == 1
