"""The mutant library (tests/mutants/) is graded, and every wrong solution must fail.

All the mutants of one exercise notebook are graded in one grading run: the solved notebook,
followed, for each mutant, by a fresh copy of the notebook's solution cells (a clean state),
the mutant's solution cell and a copy of that exercise's checks (visible and hidden), under an
exercise id of its own (``<exercise>~<mutant>``). The grader runs each exercise's checks right
after its last solution cell, so each mutant is checked against its own definitions; a mutant
that times out is killed and the runner rebuilt with the cells before it.
"""
from __future__ import annotations

import ast
import copy
from pathlib import Path

import nbformat
import pytest

from bplab.grading import notebook as nbtools
from bplab.grading.grade import PASSED, grade_notebook

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "book" / "exercises"
MUTANTS = Path(__file__).resolve().parent / "mutants"
TIMEOUT = 5.0     # per cell: the endless-loop mutants cost this much each


def load_mutant(path: Path) -> dict:
    """The constants of a mutant file, read as data (its code is never run here)."""
    tree = ast.parse(path.read_text())
    data = {"name": path.stem, "doc": ast.get_docstring(tree)}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            data[node.targets[0].id] = ast.literal_eval(node.value)
    return data


def mutant_solution(m: dict, source: nbformat.NotebookNode) -> str:
    """The mutant's solution cell: its ``SOLUTION`` whole, or the exercise's reference
    solution (markers removed) with its ``EDITS`` applied, each of whose texts must occur
    exactly once, so that a mutant is one deliberate change that tracks the reference."""
    if "SOLUTION" in m:
        return m["SOLUTION"]
    [cell] = [c for c in source.cells if nbtools.role(c) == "solution"
              and nbtools.exercise_of(c) == m["EXERCISE"]]
    code = "".join(line for line in cell.source.splitlines(keepends=True)
                   if line.strip() not in (nbtools.BEGIN_SOLUTION, nbtools.END_SOLUTION))
    for old, new in m["EDITS"]:
        assert code.count(old) == 1, \
            f"{m['name']}: {old!r} occurs {code.count(old)} times in the reference solution"
        code = code.replace(old, new)
    return code


ALL = [load_mutant(p) for p in sorted(MUTANTS.glob("*.py"))]
NOTEBOOKS = sorted({m["NOTEBOOK"] for m in ALL})


def composite(source: nbformat.NotebookNode, mutants) -> nbformat.NotebookNode:
    nb = copy.deepcopy(source)
    solutions = [c for c in source.cells if nbtools.role(c) == "solution"]
    listed = nb.metadata["bplab"]["exercises"]
    for m in mutants:
        ex_id = f"{m['EXERCISE']}~{m['name']}"
        checks = [c for c in source.cells if nbtools.exercise_of(c) == m["EXERCISE"]
                  and nbtools.role(c) in nbtools.CHECK_ROLES]
        assert checks, f"{m['name']}: no checks for exercise {m['EXERCISE']!r}"
        nb.cells += [nbformat.v4.new_code_cell(c.source) for c in solutions]
        cell = nbformat.v4.new_code_cell(mutant_solution(m, source))
        cell.metadata["bplab"] = {"exercise": ex_id, "role": "solution"}
        nb.cells.append(cell)
        for c in checks:
            nb.cells.append(nbformat.v4.new_code_cell(
                c.source, metadata={"bplab": {"exercise": ex_id, "role": nbtools.role(c)}}))
        listed.append({"id": ex_id, "title": m["doc"]})
    return nb


def test_library_is_big_enough_and_well_formed():
    mutants = [m for m in ALL if m["KIND"] == "mutant"]
    assert len(mutants) >= 20
    assert {m["KIND"] for m in ALL} == {"mutant", "misbehaviour"}
    for m in ALL:
        nb = nbformat.read(EXERCISES / m["NOTEBOOK"], as_version=4)
        ids = [e["id"] for e in nbtools.exercises(nb)]
        assert m["EXERCISE"] in ids, m["name"]
        assert ("SOLUTION" in m) != ("EDITS" in m), f"{m['name']}: SOLUTION or EDITS, not both"
        assert all(old != new for old, new in m.get("EDITS", ())), f"{m['name']}: a no-op edit"
        assert mutant_solution(m, nb).strip() and m["doc"], m["name"]


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_mutant_is_caught(notebook, tmp_path):
    mutants = [m for m in ALL if m["NOTEBOOK"] == notebook]
    source = nbformat.read(EXERCISES / notebook, as_version=4)
    path = tmp_path / notebook
    nbformat.write(composite(source, mutants), path)
    result = grade_notebook(path, timeout=TIMEOUT)
    assert not result.error, result.error
    by_id = {e.id: e for e in result.exercises}
    # the solved notebook itself still passes at the top of the composite
    for ex in nbtools.exercises(source):
        assert by_id[ex["id"]].status == PASSED, (ex["id"], by_id[ex["id"]].message)
    problems = []
    for m in mutants:
        got = by_id[f"{m['EXERCISE']}~{m['name']}"]
        want = m.get("EXPECT_STATUS")
        if m["KIND"] == "mutant" and got.status == PASSED:
            problems.append(f"{m['name']}: PASSED every check (a mutant must fail)")
        if want and got.status != want:
            problems.append(f"{m['name']}: status {got.status!r}, expected {want!r} "
                            f"({got.message})")
        if m.get("EXPECT_MESSAGE") and m["EXPECT_MESSAGE"] not in got.message:
            problems.append(f"{m['name']}: message {got.message!r} lacks "
                            f"{m['EXPECT_MESSAGE']!r}")
        if got.status != PASSED and not got.message:
            problems.append(f"{m['name']}: {got.status} without a message")
    assert not problems, "\n".join(problems)
