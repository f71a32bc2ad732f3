"""The bug zoo's checks (bplab.grading.checks_zoo), in process: each specimen as the page gives
it fails its fix check with a message naming its defect, each solution passes, and naming is
checked as a string from a fixed list, nothing else.

The graded runs (sandbox, released and solved notebooks, mutants) are in
test_grading_notebooks.py and test_grading_mutants.py, which pick up the zoo's notebooks.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import bplab as bp
from bplab.grading import _references_zoo as ref
from bplab.grading import _specs, checks
from bplab.grading import notebook as nbtools
from bplab.grading.checks_zoo import DEFECTS

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "book" / "exercises" / n for n in ("13_bug_zoo.ipynb", "14_bug_zoo_2.ipynb")]
CELLS = [c for p in PAGES for c in nbformat.read(p, as_version=4).cells]
# what a failing fix check must say for the specimen as given (its defect, in words)
NAMED = {1: "the 1/m is still missing", 2: "only the last sample counts",
         3: "σ'(a) is still used", 4: "broadcast to a matrix", 5: "without keepdims=True",
         6: "still used untransposed", 7: "stale gradients", 8: "only the diagonal"}


def _namespace(k):
    """The page's code for specimen k run here: its buggy backward, then its solution."""
    space = {"np": np, "bp": bp}
    given = [c.source for c in CELLS if f"def backward_{k}_buggy(" in c.source]
    solution = [c.source for c in CELLS if nbtools.role(c) == "solution"
                and nbtools.exercise_of(c) in (f"zoo-{k}-fix", f"zoo-{k}-name")]
    assert len(given) == 1 and len(solution) == 2, k
    for source in given + solution:
        exec(compile(source, f"specimen {k}", "exec"), space)   # the book's own code
    return space


@pytest.mark.parametrize("k", range(1, 9))
def test_the_specimen_as_given_fails_naming_its_defect_and_the_solution_passes(k, capsys):
    space = _namespace(k)
    with pytest.raises(checks.CheckFailed, match=re.escape(NAMED[k])):
        checks.check_zoo_fix(space[f"backward_{k}_buggy"], specimen=k, seed=k)
    checks.check_zoo_fix(space[f"backward_{k}"], specimen=k)
    checks.check_defect(space[f"defect_{k}"], specimen=k)
    assert capsys.readouterr().out.count("✓") == 2


def test_naming_takes_one_id_of_the_list_and_nothing_else():
    assert set(ref.ANSWER_KEY) == set(range(1, 9))
    assert set(ref.ANSWER_KEY.values()) < set(DEFECTS)     # the list has decoys too
    with pytest.raises(checks.CheckFailed, match="names 'sign_flipped'.*every array exactly -1"):
        checks.check_defect(lambda: "sign_flipped", specimen=1)
    with pytest.raises(checks.CheckFailed, match="not a defect id; the ids are: missing_mean"):
        checks.check_defect(lambda: "the 1/m", specimen=1)
    with pytest.raises(checks.CheckFailed, match="a string .* got list of length 1"):
        checks.check_defect(lambda: ["missing_mean"], specimen=1)
    with pytest.raises(checks.CheckFailed, match="raised ZeroDivisionError"):
        checks.check_defect(lambda: 1 / 0, specimen=1)
    with pytest.raises(NotImplementedError):
        checks.check_defect(lambda: (_ for _ in ()).throw(NotImplementedError()), specimen=1)
    checks.check_defect(lambda: " missing_mean\n", specimen=1)      # surrounding blanks
    # an instructor's own specimen: the answer in a (hidden) check cell, as a literal
    checks.check_defect(lambda: "sign_flipped", expect="sign_flipped")
    checks.check_defect(lambda: "sign_flipped")                   # its visible check: the format
    with pytest.raises(checks.CheckFailed, match="not a defect id"):
        checks.check_defect(lambda: "sign flipped")
    with pytest.raises(ValueError, match="specimen must be one of"):
        checks.check_defect(lambda: "missing_mean", specimen=9)
    with pytest.raises(ValueError, match="expect must be one of"):
        checks.check_defect(lambda: "missing_mean", expect="typo")


def test_a_malformed_fix_is_reported_not_crashed():
    with pytest.raises(checks.CheckFailed, match="should return a pair"):
        checks.check_zoo_fix(lambda W, b, X, Y: W[0], specimen=1)
    with pytest.raises(checks.CheckFailed, match="dW should be a list of 2 arrays"):
        checks.check_zoo_fix(lambda W, b, X, Y: ([W[0]], b), specimen=1)
    with pytest.raises(checks.CheckFailed, match=r"dW\[0\] .*wrong shape"):
        checks.check_zoo_fix(lambda W, b, X, Y: ([w[:, 0] for w in W], b), specimen=1)
    with pytest.raises(ValueError, match="specimen must be one of"):
        checks.check_zoo_fix(lambda W, b, X, Y: (W, b), specimen=0)


def test_the_page_prints_the_list_and_the_solutions_use_no_answer():
    printed = "".join(o.get("text", "") for c in CELLS if c.cell_type == "code"
                      for o in c.get("outputs", []))
    assert all(printed.count(key) >= 2 for key in DEFECTS)        # on both pages
    solutions = [c.source for c in CELLS if nbtools.role(c) == "solution"]
    assert _specs.library_use(solutions, ["check_defect", "check_zoo_fix"]) == []
    cheat = "from bplab.grading._references_zoo import ANSWER_KEY\ndef defect_1():\n" \
            "    return ANSWER_KEY[1]"
    assert _specs.library_use([cheat], ["check_defect"]) != []


def test_the_zoo_mutants_are_enough_and_most_messages_name_the_defect():
    """At least 3 mutants per specimen; test_grading_mutants checks each EXPECT_MESSAGE is in
    the grade's message, and here at least 80% of those name a defect, not just "wrong"."""
    from tests.test_grading_mutants import ALL
    zoo = [m for m in ALL if m["name"].startswith("zoo_")]
    per = {k: sum(m["EXERCISE"].startswith(f"zoo-{k}-") for m in zoo) for k in range(1, 9)}
    assert min(per.values()) >= 3 and len(zoo) >= 24, per
    generic = ("disagrees", "is wrong", "shape broadcast gone wrong")
    named = [m for m in zoo if m.get("EXPECT_MESSAGE") and m["EXPECT_MESSAGE"] not in generic]
    assert len(named) >= 0.8 * len(zoo), [m["name"] for m in zoo if m not in named]
