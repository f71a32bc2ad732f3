"""The structure of an exercise notebook, and the edits ``release`` and ``grade`` make to it.

A cell belongs to an exercise through its metadata, ``cell.metadata["bplab"] =
{"exercise": "<id>", "role": "solution" | "check" | "hidden"}``, and the notebook lists its
exercises in ``nb.metadata["bplab"]["exercises"]`` (``[{"id": ..., "title": ...}, ...]``).
In a solution cell, the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` are the
solution; the lines between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` (in any
cell) are checks only the instructor's copy has.
"""
from __future__ import annotations

import copy
import re

__all__ = ["BEGIN_SOLUTION", "END_SOLUTION", "BEGIN_HIDDEN", "END_HIDDEN", "STUB", "role",
           "exercise_of", "exercises", "strip_solutions", "strip_hidden", "student_version",
           "merge_checks"]

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
STUB = 'raise NotImplementedError("replace this line with your solution")'
CHECK_ROLES = ("check", "hidden")


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("bplab", {}) or {}


def role(cell):
    """``"solution"``, ``"check"``, ``"hidden"`` or ``None``."""
    return _meta(cell).get("role")


def exercise_of(cell):
    return _meta(cell).get("exercise")


def exercises(nb) -> list:
    """``[{"id": ..., "title": ...}]`` in order: from the notebook's metadata, else from the
    cells' metadata in the order they first appear."""
    listed = nb.get("metadata", {}).get("bplab", {}).get("exercises")
    if listed:
        return [dict(e) for e in listed]
    seen = []
    for cell in nb.cells:
        ex = exercise_of(cell)
        if ex and ex not in seen:
            seen.append(ex)
    return [{"id": ex, "title": ex} for ex in seen]


def _replace_blocks(source: str, begin: str, end: str, stub) -> str:
    """Replace each ``begin ... end`` block; ``stub(indent)`` gives the replacement lines."""
    out, inside = [], False
    for line in source.splitlines():
        marker = line.strip()
        if marker == begin and not inside:
            inside = True
            out.extend(stub(line[:len(line) - len(line.lstrip())]))
        elif marker == end and inside:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{begin!r} without a matching {end!r}")
    return "\n".join(out)


def strip_solutions(source: str) -> str:
    """The student's version of a solution cell: each solution block becomes a stub that
    raises NotImplementedError (the ``def`` line above it, and so the signature, stays)."""
    return _replace_blocks(source, BEGIN_SOLUTION, END_SOLUTION,
                           lambda indent: [f"{indent}# YOUR CODE HERE", f"{indent}{STUB}"])


def strip_hidden(source: str) -> str:
    return _replace_blocks(source, BEGIN_HIDDEN, END_HIDDEN, lambda indent: [])


def _only_comments(source: str) -> bool:
    return all(not line.strip() or line.strip().startswith("#") for line in source.splitlines())


def student_version(nb):
    """A copy of ``nb`` with solutions stubbed, hidden tests removed and outputs cleared."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            had_hidden = BEGIN_HIDDEN in cell.source
            cell.source = strip_hidden(strip_solutions(cell.source))
            if role(cell) == "hidden" or (had_hidden and _only_comments(cell.source)):
                continue
            cell.outputs, cell.execution_count = [], None
            tags = [t for t in cell.metadata.get("tags", []) if t not in
                    ("hide-input", "hide-cell", "remove-input", "remove-cell", "hide-output")]
            if tags:
                cell.metadata["tags"] = tags
            else:
                cell.metadata.pop("tags", None)
        cells.append(cell)
    nb.cells = cells
    return nb


def merge_checks(student, source):
    """The notebook to grade: the student's cells, with every check cell (visible and hidden)
    taken from the instructor's ``source``. Each exercise's checks go right after the
    student's last solution cell for it (at the end if the student deleted it)."""
    nb = copy.deepcopy(student)
    kept = [c for c in nb.cells if role(c) not in CHECK_ROLES]
    for ex in exercises(source):
        checks = [copy.deepcopy(c) for c in source.cells
                  if exercise_of(c) == ex["id"] and role(c) in CHECK_ROLES]
        for c in checks:
            c.outputs, c.execution_count = [], None
        where = [i for i, c in enumerate(kept) if exercise_of(c) == ex["id"]]
        at = where[-1] + 1 if where else len(kept)
        kept[at:at] = checks
    nb.cells = kept
    nb.metadata.setdefault("bplab", {})["exercises"] = exercises(source)
    return nb


_MARKER = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$", re.M)


def has_markers(source: str) -> bool:
    return bool(_MARKER.search(source))
