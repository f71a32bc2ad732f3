"""Grade exercise notebooks: the submission's code runs isolated; the verdict is the grader's.

For one submission (and, in the instructor's run, its source notebook):

1. the exercise list comes from the source (else from the submission: feedback only);
2. the submission's code cells (never its check cells) run in order in a fresh sandboxed
   runner (:mod:`bplab.grading.sandbox`), each under the time limit ``timeout``;
3. each exercise's check cells, taken from the source, are *read* (never run) as calls of
   :mod:`bplab.grading.checks`; right after the submission's last cell of that exercise the
   grader runs those checks in its own process, on proxies of the submission's functions, with
   inputs it draws itself: a pass is a check that returned, recorded here;
4. a solution's syntax tree is read for calls of bplab's own answers to the exercise.

==================  ==================================================================
``passed``          every check of the exercise ran to the end in the grader
``not attempted``   the function still raises NotImplementedError (the released stub)
``timed out``       a cell or a check's calls overran their limit (and were killed)
``failed``          a check failed (the reason is the check's message) or the code raised
``error``           the notebook could not be graded (missing, unreadable; the message says)
==================  ==================================================================
"""
from __future__ import annotations

import contextlib
import io
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bplab.grading import _specs, checks as _checks, notebook as nbtools
from bplab.grading._checking import CheckFailed, CheckTimedOut, RemoteError
from bplab.grading._remote import Session
from bplab.grading.sandbox import RunnerDied

__all__ = ["ExerciseResult", "NotebookResult", "grade_notebook", "missing_result", "PASSED",
           "FAILED", "NOT_ATTEMPTED", "TIMED_OUT", "ERROR"]

PASSED, FAILED, NOT_ATTEMPTED, TIMED_OUT, ERROR = (
    "passed", "failed", "not attempted", "timed out", "error")
CHECKS = {name: getattr(_checks, name) for name in _checks.__all__ if name.startswith("check_")}


@dataclass
class ExerciseResult:
    id: str
    title: str
    status: str
    message: str = ""
    cell: int | None = None
    seconds: float = 0.0
    library: list = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.status == PASSED


@dataclass
class NotebookResult:
    path: str
    exercises: list = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""
    isolation: str = ""
    notes: list = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(e.passed for e in self.exercises)

    @property
    def passed(self) -> bool:
        return not self.error and bool(self.exercises) and all(e.passed for e in self.exercises)

    def to_dict(self) -> dict:
        return {"path": self.path, "score": self.score, "max_score": len(self.exercises),
                "seconds": round(self.seconds, 3), "error": self.error,
                "isolation": self.isolation, "notes": list(self.notes),
                "exercises": [asdict(e) for e in self.exercises]}


def missing_result(path, source, reason) -> NotebookResult:
    """Every exercise of ``source`` scored 0 with ``reason`` (a missing submission)."""
    result = NotebookResult(str(path), error=reason)
    try:
        cells, meta, _ = nbtools.load(source)
        exercises, _ = nbtools.exercise_list(cells, meta)
    except (OSError, ValueError) as exc:
        exercises, result.error = [], f"{reason}; the source could not be read either ({exc})"
    result.exercises = [ExerciseResult(e["id"], e["title"], ERROR, reason) for e in exercises]
    return result


def _cell_verdict(outcome, index, timeout):
    where = f"cell {index}"
    status = outcome["status"]
    if status == "timed out":
        return TIMED_OUT, (f"{where} was stopped after the time limit of {timeout:g} s: an "
                           f"endless loop, or far too much work?")
    if status == "died":
        return FAILED, f"{where} ended the process running your code ({outcome['evalue']})"
    ename, evalue = outcome["ename"], outcome["evalue"]
    evalue = evalue if len(evalue) <= 600 else evalue[:600] + " ..."
    if ename == "NotImplementedError":
        return NOT_ATTEMPTED, f"{where}: not attempted yet (the stub raises NotImplementedError)"
    return FAILED, f"{where} raised {ename}: {evalue}"


def _run_check(session, spec, timeout):
    """``(status, message)`` of one check, run here on proxies of the submission's functions."""
    proxies = [session.function(name) for name in spec.functions]
    try:
        session.begin_check(timeout)
        with contextlib.redirect_stdout(io.StringIO()):
            CHECKS[spec.check](*proxies, **spec.kwargs)
    except NotImplementedError:
        return NOT_ATTEMPTED, (f"not attempted yet ({', '.join(spec.functions)} still raises "
                               f"NotImplementedError)")
    except CheckTimedOut as exc:
        return TIMED_OUT, str(exc)
    except CheckFailed as exc:
        return FAILED, str(exc)
    except RemoteError as exc:
        return FAILED, str(exc)
    except RunnerDied as exc:
        return FAILED, f"the process running your code ended ({exc})"
    except Exception as exc:  # a value the check could not use: the submission's fault
        return FAILED, (f"the check could not use what your functions returned: "
                        f"{type(exc).__name__}: {str(exc)[:300]}")
    return PASSED, ""


def _plan(cells, source_cells, exercises):
    """The steps, in order: ``("exec", cell)`` for the submission's code cells, and
    ``("check", exercise_id, specs)`` after the submission's last cell of each exercise."""
    code = [c for c in cells if c.cell_type == "code" and c.role not in nbtools.CHECK_ROLES]
    steps = [("exec", c) for c in code]
    for ex in exercises:
        specs, bad = [], []
        for c in source_cells:
            if c.cell_type == "code" and c.exercise == ex["id"] and c.role in nbtools.CHECK_ROLES:
                try:
                    specs += _specs.parse_check_cell(c.source, CHECKS)
                except _specs.SpecError as exc:
                    bad.append(f"cell {c.index}: {exc}")
        where = [i for i, s in enumerate(steps) if s[0] == "exec" and s[1].exercise == ex["id"]]
        at = where[-1] + 1 if where else len(steps)
        steps.insert(at, ("check", ex["id"], specs, bad))
    return steps


def grade_notebook(path, *, source=None, timeout=60.0, output_limit=10_000,
                   library_use="flag", notebook_timeout=None, memory_mb=4096) -> NotebookResult:
    """Grade one notebook; never raises for anything the notebook does.

    Parameters
    ----------
    path : path-like
        The notebook to grade (a student's submission, or an instructor's solved copy).
    source : path-like, optional
        The instructor's notebook: its exercise list and check cells (hidden tests included)
        are the ones that count; the submission's own check cells are ignored.
    timeout : float
        Time limit in seconds for each cell, and for all the calls of each check.
    output_limit : int
        Characters a submission may print while graded before the result notes it.
    library_use : "flag" or "fail"
        What a call of bplab's own answer to an exercise does: noted, or the exercise fails.
    notebook_timeout : float, optional
        Bound on the whole notebook (default ``max(120, 10 * timeout)`` seconds).
    """
    path = Path(path)
    start = time.monotonic()
    result = NotebookResult(str(path))
    try:
        cells, meta, problems = nbtools.load(path)
        source_cells, source_meta, _ = (cells, meta, []) if source is None else nbtools.load(
            source)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        if source is not None:
            return missing_result(path, source, f"could not read the notebook: "
                                                f"{type(exc).__name__}: {exc}")
        result.error = f"could not read the notebook: {type(exc).__name__}: {exc}"
        return result
    exercises, more = nbtools.exercise_list(source_cells, source_meta)
    result.notes = problems + (more if source is None else [])
    if not exercises:
        result.error = "no exercises found (cells carry no bplab exercise metadata)"
        return result
    results = {e["id"]: ExerciseResult(e["id"], e["title"], "") for e in exercises}
    printed = dict.fromkeys(results, 0)
    steps = _plan(cells, source_cells, exercises)
    budget = notebook_timeout or max(120.0, 10 * timeout)
    session = Session(timeout=timeout, output_limit=output_limit, memory_mb=memory_mb,
                      notebook_deadline=start + budget)
    try:
        session.start()
        result.isolation = session.isolation
    except (RunnerDied, OSError) as exc:
        result.error = f"the grader could not start a runner for this notebook: {exc}"
    try:
        for step in ([] if result.error else steps):
            if time.monotonic() - start > budget:
                result.error = f"the notebook's time budget of {budget:g} s ran out"
                break
            before, t0 = session.printed, time.monotonic()
            if step[0] == "exec":
                cell = step[1]
                try:
                    outcome = session.exec(cell.index, cell.source)
                except (RunnerDied, OSError) as exc:
                    result.error = f"the grader could not restart the runner: {exc}"
                    break
                res = results.get(cell.exercise)
                if res is None and outcome["status"] in ("timed out", "died"):
                    result.notes.append(_cell_verdict(outcome, cell.index, timeout)[1])
                if res is not None:
                    res.seconds += time.monotonic() - t0
                    printed[res.id] += session.printed - before
                    if outcome["status"] != "ok" and cell.role == "solution" and not res.status:
                        res.status, res.message = _cell_verdict(outcome, cell.index, timeout)
                        res.cell = cell.index
                continue
            _, ex_id, specs, bad = step
            res = results[ex_id]
            if res.status:
                continue
            if bad or not specs:
                res.status = FAILED
                res.message = ("; ".join(bad) if bad else "no check cell for this exercise was "
                               "found (was it deleted? grade with --source)")
                continue
            for spec in specs:
                status, message = _run_check(session, spec, timeout)
                if status != PASSED:
                    res.status, res.message = status, message
                    break
            res.status = res.status or PASSED
            res.seconds += time.monotonic() - t0
            printed[ex_id] += session.printed - before
    finally:
        session.close()
        result.notes += sorted(set(session.warnings))
        result.isolation = session.isolation or ""
    _finish(result, results, printed, cells, source_cells, steps, library_use, output_limit,
            source is not None)
    result.seconds = time.monotonic() - start
    return result


def _finish(result, results, printed, cells, source_cells, steps, library_use, output_limit,
            with_source):
    known = {c.source.strip() for c in source_cells if c.cell_type == "code"}
    added = [c.source for c in cells if c.cell_type == "code" and not c.role
             and with_source and c.source.strip() not in known]
    context = [c.source for c in cells if c.cell_type == "code"]
    for res in results.values():
        if not res.status:
            out_of_time = result.error.startswith("the notebook's time budget")
            res.status = TIMED_OUT if out_of_time else ERROR
            res.message = result.error or "this exercise was never graded"
        specs = [s for step in steps if step[0] == "check" and step[1] == res.id
                 for s in step[2]]
        solutions = [c.source for c in cells if c.exercise == res.id and c.role == "solution"]
        res.library = _specs.library_use(solutions + added, [s.check for s in specs],
                                         context=context)
        if res.library:
            what = "; ".join(res.library)
            if library_use == "fail" and res.passed:
                res.status, res.message = FAILED, (f"your solution uses bplab's own answer to "
                                                   f"this exercise: {what}")
            else:
                res.message = _note(res.message, f"flagged: uses bplab's own answer to this "
                                                 f"exercise: {what}")
        if printed.get(res.id, 0) > output_limit:
            res.message = _note(res.message, f"note: your code printed {printed[res.id]} "
                                             f"characters while graded; print less")
        res.seconds = round(res.seconds, 3)
    result.exercises = list(results.values())


def _note(message, note):
    return f"{message} ({note})" if message else f"({note})"
