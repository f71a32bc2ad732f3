"""Grade exercise notebooks: run each in a fresh kernel and read off every exercise's result.

Each code cell runs with a time limit (``timeout``); a cell that overruns is interrupted and
the notebook goes on. Before the notebook's own cells the kernel gets a small preamble that
caps what a cell may print (``output_limit`` characters), so a flood of prints cannot swamp
the grader. An exercise's result comes from the outputs of its cells:

==================  ==================================================================
``passed``          its cells ran and its checks raised nothing
``not attempted``   a cell raised NotImplementedError (the released stub)
``timed out``       a cell overran the time limit, or a check stopped a call that did
``failed``          a check failed (the reason is the check's message) or the code raised
``error``           the notebook could not be run at all (the message says why)
==================  ==================================================================
"""
from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bplab.grading import notebook as nbtools

__all__ = ["ExerciseResult", "NotebookResult", "grade_notebook", "PASSED", "FAILED",
           "NOT_ATTEMPTED", "TIMED_OUT", "ERROR"]

PASSED, FAILED, NOT_ATTEMPTED, TIMED_OUT, ERROR = (
    "passed", "failed", "not attempted", "timed out", "error")
_TIMEOUT_MARK = "bplab-grade: cell timed out"
_FLOOD_MARK = "[bplab grade: this cell printed"

PREAMBLE = r'''
import sys as _bplab_sys, os as _bplab_os
_bplab_os.environ["BPLAB_NO_PROGRESS"] = "1"
_bplab_os.environ["BPLAB_CHECK_TIME_LIMIT"] = "@CHECK_SECONDS@"
class _BplabCappedStream:
    """Keeps the first @OUTPUT_CHARS@ characters a cell prints and counts the rest."""
    def __init__(self, stream, limit):
        self._stream, self._limit, self.count = stream, limit, 0
    def write(self, text):
        text = str(text)
        room = self._limit - self.count
        self.count += len(text)
        if room > 0:
            return self._stream.write(text[:room])
        return len(text)
    def __getattr__(self, name):
        return getattr(self._stream, name)
def _bplab_reset(*args):
    for s in (_bplab_sys.stdout, _bplab_sys.stderr):
        if isinstance(s, _BplabCappedStream):
            s.count = 0
def _bplab_report(*args):
    for s in (_bplab_sys.stdout, _bplab_sys.stderr):
        if isinstance(s, _BplabCappedStream) and s.count > s._limit:
            s._stream.write("\n[bplab grade: this cell printed %d characters; only the "
                            "first %d are kept]\n" % (s.count, s._limit))
_bplab_sys.stdout = _BplabCappedStream(_bplab_sys.stdout, @OUTPUT_CHARS@)
_bplab_sys.stderr = _BplabCappedStream(_bplab_sys.stderr, @OUTPUT_CHARS@)
get_ipython().events.register("pre_run_cell", _bplab_reset)
get_ipython().events.register("post_run_cell", _bplab_report)
'''


@dataclass
class ExerciseResult:
    id: str
    title: str
    status: str
    message: str = ""
    cell: int | None = None
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status == PASSED


@dataclass
class NotebookResult:
    path: str
    exercises: list = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""

    @property
    def score(self) -> int:
        return sum(e.passed for e in self.exercises)

    @property
    def passed(self) -> bool:
        return not self.error and bool(self.exercises) and all(e.passed for e in self.exercises)

    def to_dict(self) -> dict:
        return {"path": self.path, "score": self.score, "max_score": len(self.exercises),
                "seconds": round(self.seconds, 3), "error": self.error,
                "exercises": [asdict(e) for e in self.exercises]}


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _error_of(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename", ""), _ANSI.sub("", str(out.get("evalue", "")))
    return None


def _printed(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream")


def _cell_verdict(cell, index, timeout):
    """``(status, message)`` of one executed cell, or None when it ran cleanly."""
    where = f"cell {index}"
    if cell.metadata.get(_TIMEOUT_MARK):
        return TIMED_OUT, (f"{where} was stopped after the time limit of {timeout:g} s: an "
                           f"endless loop, or far too much work?")
    err = _error_of(cell)
    if err is None:
        return None
    ename, evalue = err
    evalue = evalue if len(evalue) <= 600 else evalue[:600] + " ..."
    if ename == "NotImplementedError":
        return NOT_ATTEMPTED, f"{where}: not attempted yet (the stub raises NotImplementedError)"
    if ename == "CheckTimedOut":
        return TIMED_OUT, f"{where}: {evalue}"
    if ename == "CheckFailed":
        return FAILED, evalue
    if ename == "KeyboardInterrupt":
        return TIMED_OUT, f"{where} was interrupted (time limit {timeout:g} s)"
    return FAILED, f"{where} raised {ename}: {evalue}"


def _results(nb, timeout, seconds) -> list:
    results = []
    for ex in nbtools.exercises(nb):
        cells = [(i, c) for i, c in enumerate(nb.cells) if nbtools.exercise_of(c) == ex["id"]
                 and c.cell_type == "code"]
        res = ExerciseResult(ex["id"], ex.get("title", ex["id"]), PASSED,
                             seconds=round(sum(seconds.get(i, 0.0) for i, _ in cells), 3))
        if not any(nbtools.role(c) in nbtools.CHECK_ROLES for _, c in cells):
            res.status, res.message = FAILED, ("no check cell for this exercise was found (was "
                                               "it deleted? grade with --source)")
        for i, c in cells:
            verdict = _cell_verdict(c, i, timeout)
            if verdict is not None:
                res.status, res.message, res.cell = verdict[0], verdict[1], i
                break
        floods = [i for i, c in cells if _FLOOD_MARK in _printed(c)]
        if floods:
            note = _printed(nb.cells[floods[0]]).split(_FLOOD_MARK, 1)[1].split("]")[0]
            res.message = (res.message + " " if res.message else "") + \
                f"(note: cell {floods[0]} printed{note}; print less)"
        results.append(res)
    return results


def grade_notebook(path, *, source=None, timeout=60.0, output_limit=10_000,
                   kernel_name="python3", keep=None) -> NotebookResult:
    """Grade one notebook; never raises for anything the notebook does.

    Parameters
    ----------
    path : path-like
        The notebook to grade (a student's submission, or an instructor's solved copy).
    source : path-like, optional
        The instructor's notebook: its check cells (hidden tests included) replace the
        submission's before grading.
    timeout : float
        Time limit per cell in seconds.
    output_limit : int
        Characters of printed output kept per cell.
    keep : path-like, optional
        Write the executed notebook here (for inspection).
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    result = NotebookResult(str(path))
    start = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
        if source is not None:
            nb = nbtools.merge_checks(nb, nbformat.read(Path(source), as_version=4))
    except Exception as exc:  # unreadable notebook: report, do not crash
        result.error = f"could not read the notebook: {type(exc).__name__}: {exc}"
        return result
    if not nbtools.exercises(nb):
        result.error = "no exercises found (cells carry no bplab exercise metadata)"
        return result
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    seconds, running = {}, None
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, allow_errors=True,
                            interrupt_on_timeout=True, record_timing=False,
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    # nbclient addresses cells by index: the preamble runs as a temporary cell 0
    preamble = PREAMBLE.replace("@CHECK_SECONDS@", f"{0.8 * timeout:g}").replace(
        "@OUTPUT_CHARS@", str(int(output_limit)))
    nb.cells.insert(0, nbformat.v4.new_code_cell(preamble))
    try:
        with client.setup_kernel():
            settled = set()     # exercises already failed: their later checks are skipped
            for i, cell in enumerate(nb.cells):
                ex = nbtools.exercise_of(cell)
                if cell.cell_type != "code" or (ex in settled and
                                                nbtools.role(cell) in nbtools.CHECK_ROLES):
                    continue
                t0, running = time.perf_counter(), i - 1
                client.execute_cell(cell, i)
                seconds[i - 1] = time.perf_counter() - t0
                if seconds[i - 1] >= timeout and any(
                        o.get("ename") == "KeyboardInterrupt" for o in cell.outputs):
                    cell.metadata[_TIMEOUT_MARK] = True
                if ex and (cell.metadata.get(_TIMEOUT_MARK) or _error_of(cell)):
                    settled.add(ex)
    except Exception as exc:  # a dead kernel, a kernel that ignores interrupts, ...
        where = "" if running is None or running < 0 else f" (while running cell {running})"
        result.error = (f"the notebook could not be run to the end{where}: "
                        f"{type(exc).__name__}: {exc}")
    preamble = nb.cells.pop(0)
    seconds.pop(-1, None)
    if _error_of(preamble):
        result.error = f"the grader's preamble failed: {_error_of(preamble)}"
    result.exercises = _results(nb, timeout, seconds)
    if result.error:
        for ex in result.exercises:
            if ex.passed and any(i not in seconds for i, c in enumerate(nb.cells)
                                 if nbtools.exercise_of(c) == ex.id and c.cell_type == "code"):
                ex.status, ex.message = ERROR, result.error
    result.seconds = time.perf_counter() - start
    if keep is not None:
        for cell in nb.cells:
            cell.metadata.pop(_TIMEOUT_MARK, None)
        nbformat.write(nb, keep)
    return result
