"""Submissions that try to get marks without the work, or to reach the grader, all score 0.

Every case (tests/adversarial/cases.py) is one cell added to the released, unsolved
01_sigmoid.ipynb and graded, as the instructor grades, with the source notebook: the
verdict must stay 0 and the grader's files (sources, reports, HOME, site-packages) untouched.
The sandbox needs bubblewrap; without it these tests skip, saying so (the fallback is
weaker, and some cases, such as killing every process, must not be run outside a sandbox).
"""
from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from bplab import cli
from bplab.grading import notebook as nbtools
from bplab.grading.grade import grade_notebook
from bplab.grading.sandbox import Runner
from tests.adversarial.cases import CASES
from tests.conftest import require_bwrap

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "book" / "exercises"
SIGMOID = "01_sigmoid.ipynb"


@pytest.fixture(scope="module", autouse=True)
def sandboxed():
    """Skip unless the grader really gets bwrap here (checked with a live runner)."""
    require_bwrap()
    runner = Runner().start()
    isolation = runner.isolation
    runner.kill()
    if isolation != "bwrap":
        pytest.fail(f"bwrap is installed, but the grader fell back to {isolation!r}")


@pytest.fixture
def place(tmp_path, monkeypatch):
    """A private copy of the sources, a HOME for the grader, and a folder per submission."""
    sources = tmp_path / "instructor"
    sources.mkdir()
    for path in EXERCISES.glob("*.ipynb"):
        shutil.copy(path, sources / path.name)
    home = tmp_path / "grader-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return tmp_path


def fill(code, place, report):
    site = sysconfig.get_paths()["purelib"]
    for key, value in (("@SOURCE_DIR@", place / "instructor"),
                       ("@SOURCE@", place / "instructor" / SIGMOID), ("@REPORT@", report),
                       ("@HOME@", place / "grader-home"), ("@SITE@", site),
                       ("@OTHERS@", place / "students")):
        code = code.replace(key, str(value))
    return code


def submission(place, student, code=None, *, solved=False) -> Path:
    """``student``'s 01_sigmoid.ipynb: the released stub (or the solved source) plus ``code``,
    in a cell of its own after the imports, or, if it defines ``sigmoid``, at the end of the
    solution cell (replacing the stub)."""
    nb = nbformat.read(place / "instructor" / SIGMOID, as_version=4)
    if not solved:
        nb = nbtools.student_version(nb)
    if code is not None and "def sigmoid" in code:    # a replacement: into the solution cell
        [cell] = [c for c in nb.cells if nbtools.role(c) == "solution"]
        cell.source += "\n\n" + textwrap.dedent(code)
    elif code is not None:
        nb.cells.insert(3, nbformat.v4.new_code_cell(textwrap.dedent(code)))
    folder = place / "students" / student
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / SIGMOID)
    return folder / SIGMOID


def snapshot(folder: Path) -> dict:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# what the grader says about the cases that replace the stub
EXPECTED = {"return_objects_that_lie": "should be a numpy array"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_trick_scores_zero_and_touches_nothing(case, place):
    report = place / "grade.json"
    sub = submission(place, case, fill(CASES[case], place, report))
    sources_before = snapshot(place / "instructor")
    site = Path(sysconfig.get_paths()["purelib"])
    start = time.monotonic()
    code = cli.main(["grade", str(sub), "--source", str(place / "instructor" / SIGMOID),
                     "--json", str(report), "--timeout", "5"])
    assert code == 1
    assert time.monotonic() - start < 60
    data = json.loads(report.read_text())
    [nb] = data["notebooks"]
    assert (data["passed"], data["total"]) == (0, 1), nb
    assert nb["isolation"] == "bwrap"
    assert nb["exercises"][0]["status"] in ("not attempted", "failed", "timed out"), \
        nb["exercises"][0]
    if case in EXPECTED:
        assert EXPECTED[case] in nb["exercises"][0]["message"], nb["exercises"][0]
    assert snapshot(place / "instructor") == sources_before
    assert not list((place / "grader-home").rglob("*"))
    planted = site / "zz_bplab_win.pth"
    if planted.exists():          # never leave it behind, and fail
        planted.unlink()
        pytest.fail("a submission wrote into the grader's site-packages")
    if case == "rewrite_report_after_exit":
        time.sleep(5)             # the planted writer would strike after 4 s
        assert json.loads(report.read_text()) == data


def test_at_least_sixteen_cases():
    assert len(CASES) >= 16


def test_an_answer_past_the_cap_is_refused_unread():
    from bplab.grading._wire import encode
    from bplab.grading.sandbox import RunnerProtocolError
    runner = Runner(max_message=10_000).start()
    try:
        assert runner.request({"op": "exec", "code": "import numpy as np\n"
                               "def big(n):\n    return np.zeros(n)", "cell": 0}, 30) == {"ok": True}
        small = runner.request({"op": "call", "name": "big", "args": [encode(10)]}, 30)
        assert small["ok"] is True
        with pytest.raises(RunnerProtocolError, match="at most 10000"):
            runner.request({"op": "call", "name": "big", "args": [encode(100_000)]}, 30)
        assert not runner.alive
    finally:
        runner.kill()


def test_a_planted_startup_file_does_not_reach_the_next_submission(place):
    planter = submission(place, "mallory", fill(CASES["planted_startup_file"], place, "-"))
    victim = submission(place, "alice")          # untouched stubs
    source = place / "instructor" / SIGMOID
    first = grade_notebook(planter, source=source, timeout=5)
    second = grade_notebook(victim, source=source, timeout=5)
    assert (first.score, second.score) == (0, 0)
    assert second.exercises[0].status == "not attempted"
    assert not list((place / "grader-home").rglob("*"))


def test_a_stalled_notebook_does_not_stall_the_batch(place):
    stalled = submission(place, "stall", CASES["ignore_sigint_and_stall"])
    solved = submission(place, "bob", solved=True)
    source = place / "instructor" / SIGMOID
    start = time.monotonic()
    results = [grade_notebook(p, source=source, timeout=3) for p in (stalled, solved)]
    assert time.monotonic() - start < 60
    assert [r.score for r in results] == [0, 1]
    assert results[0].exercises[0].status == "not attempted"
    assert any("stopped after the time limit of 3 s" in n for n in results[0].notes)


def test_submitting_one_notebook_is_graded_out_of_every_source(place):
    report = place / "grade.json"
    solved = submission(place, "carol", solved=True)
    sources = sorted((place / "instructor").glob("*.ipynb"))
    assert cli.main(["grade", str(solved), "--source", *map(str, sources),
                     "--json", str(report)]) == 1
    data = json.loads(report.read_text())
    assert data["passed"] == 1 and data["total"] >= 11
    missing = [n for n in data["notebooks"] if n["path"] != str(solved)]
    assert len(missing) == len(sources) - 1
    for n in missing:
        assert "missing" in n["error"] and n["score"] == 0
        assert all(e["status"] == "error" and "no submission" in e["message"]
                   for e in n["exercises"])


FLOOD = '''
import os
_chunk = b"x" * (1 << 20)
for _ in range(200):
    os.write(1, _chunk)
'''


def _grader_peak_kb(place, sub) -> int:
    """The grader's own peak memory (KB) grading ``sub``, in a fresh process."""
    script = textwrap.dedent(f"""
        import resource
        from bplab.grading.grade import grade_notebook
        r = grade_notebook({str(sub)!r}, source={str(place / "instructor" / SIGMOID)!r},
                           timeout=30)
        assert r.exercises[0].status == "not attempted", r.exercises[0]
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    return int(out.stdout.split()[-1])


def test_the_graders_memory_stays_bounded_under_a_flood(place):
    quiet = _grader_peak_kb(place, submission(place, "quiet"))
    flood = _grader_peak_kb(place, submission(place, "flood", FLOOD))
    assert flood < quiet + 30_000, (quiet, flood)     # 200 MB written; < 30 MB more held
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0
