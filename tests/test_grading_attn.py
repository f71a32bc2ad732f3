"""The attention exercises' checks: their references are right, the reference solutions pass,
and every mutant of tests/mutants/attn_*.py fails with the message it expects.

In process and fast; tests/test_grading_mutants.py grades the same mutants in the sandbox.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pytest

from bplab.grading import checks
from bplab.grading._checking import CheckFailed
from bplab.grading._references_attn import head_backward, softmax_rows_backward
from bplab.layers import MultiHeadSelfAttention
from tests.test_grading_mutants import load_mutant, mutant_solution

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = nbformat.read(ROOT / "book" / "exercises" / "12_attention.ipynb", as_version=4)
MUTANTS = [load_mutant(p) for p in sorted((ROOT / "tests" / "mutants").glob("attn_*.py"))]
CHECK = {"masked-softmax-backward": ("softmax_backward", checks.check_masked_softmax_backward),
         "attention-head-backward": ("attention_head_backward",
                                     checks.check_attention_head_backward)}


def solution(code: str, name: str):
    namespace = {"np": np}
    exec(compile(code, "<solution>", "exec"), namespace)    # a trusted reference or mutant
    return namespace[name]


def test_the_head_reference_is_bplab_attention_with_identity_projections():
    T, d = 5, 3
    layer = MultiHeadSelfAttention(d, 1, seed=0)
    for n in "qkvo":
        layer.params[f"W_{n}"][...] = np.eye(d)
    x, dy = np.random.default_rng(0).normal(size=(2, 1, T, d))
    _, cache = layer.forward(x)
    dx, _ = layer.backward(dy, cache)
    dQ, dK, dV = head_backward(x[0], x[0], x[0], dy[0])   # Q = K = V = x: dx sums all three
    np.testing.assert_allclose(dx[0], dQ + dK + dV, rtol=0, atol=1e-13)


def test_the_bugs_differ_from_the_answer():
    rng = np.random.default_rng(1)
    S, G = rng.normal(size=(2, 4, 4))
    mask = np.tril(np.ones((4, 4), dtype=bool))
    right = softmax_rows_backward(S, G, mask)
    for bug in ("diagonal", "no-mask", "sign", "axis", "keepdims"):
        assert np.abs(softmax_rows_backward(S, G, mask, bug=bug) - right).max() > 1e-3, bug
    Q, K, V, dO = rng.normal(size=(4, 5, 3))
    for bug in ("no-mask", "no-scale", "diagonal", "dK", "dQ", "dV"):
        assert max(np.abs(a - b).max() for a, b in
                   zip(head_backward(Q, K, V, dO, bug=bug), head_backward(Q, K, V, dO))) > 1e-3


@pytest.mark.parametrize("exercise", sorted(CHECK))
def test_the_reference_solution_passes_the_hidden_checks(exercise, capsys):
    name, check = CHECK[exercise]
    code = next(c.source for c in NOTEBOOK.cells if c.get("metadata", {}).get("bplab", {})
                .get("exercise") == exercise and c.metadata["bplab"]["role"] == "solution")
    check(solution(code, name), extra=True, seed=3)
    assert capsys.readouterr().out.startswith(f"✓ {exercise}: all ")


def test_there_are_enough_mutants_and_most_name_the_defect():
    per_exercise = {ex: [m for m in MUTANTS if m["EXERCISE"] == ex] for ex in CHECK}
    assert all(len(ms) >= 3 for ms in per_exercise.values()), per_exercise
    named = [m for m in MUTANTS if m.get("EXPECT_MESSAGE")]
    assert len(named) >= 0.8 * len(MUTANTS)


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m["name"] for m in MUTANTS])
def test_every_mutant_fails_with_its_message(mutant):
    name, check = CHECK[mutant["EXERCISE"]]
    with pytest.raises(CheckFailed) as info:
        check(solution(mutant_solution(mutant, NOTEBOOK), name), seed=5)
    assert mutant.get("EXPECT_MESSAGE", "") in str(info.value)


def test_the_library_answers_are_refused():
    from bplab.grading._specs import library_use
    src = ("import bplab as bp\nfrom bplab.grading._references_attn import head_backward\n"
           "def softmax_backward(S, G, mask=None):\n    P = bp.layers.softmax(S)\n")
    found = library_use([src], ["check_masked_softmax_backward"])
    assert any("bplab.layers.softmax" in f for f in found), found
    assert any("_references_attn" in f for f in found), found
    assert library_use([src.replace("bp.layers.softmax", "np.exp")],
                       ["check_attention_head_backward"]) == \
        ["import of bplab.grading._references_attn.head_backward"]
