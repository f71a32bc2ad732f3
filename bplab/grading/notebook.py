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
import json
import re
from dataclasses import dataclass, field

__all__ = ["BEGIN_SOLUTION", "END_SOLUTION", "BEGIN_HIDDEN", "END_HIDDEN", "STUB", "role",
           "exercise_of", "exercises", "strip_solutions", "strip_hidden", "student_version",
           "merge_checks", "Cell", "load", "exercise_list"]

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


# -- reading a notebook that may be malformed (the grader's reader) ----------------------
@dataclass
class Cell:
    index: int
    cell_type: str
    source: str
    metadata: dict = field(default_factory=dict)

    @property
    def role(self):
        return role(self)

    @property
    def exercise(self):
        return exercise_of(self)

    def get(self, key, default=None):     # so that role() and exercise_of() read it too
        return getattr(self, key, default)


def _text(value) -> str:
    if isinstance(value, list):
        return "".join(v for v in value if isinstance(v, str))
    return value if isinstance(value, str) else ""


def load(path):
    """``(cells, metadata, problems)`` of the notebook at ``path``, tolerating malformed
    cells and metadata: a cell that cannot be read is left out and named in ``problems``.
    Raises OSError or ValueError only when the file is not a notebook at all."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ValueError("not a Jupyter notebook (no list of cells)")
    cells, problems = [], []
    for i, raw in enumerate(data["cells"]):
        if not isinstance(raw, dict) or raw.get("cell_type") not in ("code", "markdown", "raw"):
            problems.append(f"cell {i} has no valid cell_type; it was skipped")
            continue
        meta = raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
        bp_meta = meta.get("bplab")
        if bp_meta is not None and not (isinstance(bp_meta, dict) and all(
                isinstance(bp_meta.get(k, ""), str) for k in ("exercise", "role"))):
            problems.append(f"cell {i} has malformed bplab metadata; it was ignored")
            meta = {k: v for k, v in meta.items() if k != "bplab"}
        cells.append(Cell(i, raw["cell_type"], _text(raw.get("source", "")), meta))
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    return cells, metadata, problems


def exercise_list(cells, metadata):
    """``(exercises, problems)``: the notebook's list of ``{"id", "title"}``, tolerating
    entries that are plain strings; without a list, the exercises named by its cells."""
    listed = metadata.get("bplab", {}).get("exercises") if isinstance(
        metadata.get("bplab"), dict) else None
    out, problems = [], []
    if isinstance(listed, list) and listed:
        for i, e in enumerate(listed):
            if isinstance(e, str) and e:
                out.append({"id": e, "title": e})
            elif isinstance(e, dict) and isinstance(e.get("id"), str) and e["id"]:
                out.append({"id": e["id"], "title": str(e.get("title") or e["id"])})
            else:
                problems.append(f"entry {i} of the exercise list has no id; it was ignored")
    elif listed is not None and not isinstance(listed, list):
        problems.append("the notebook's exercise list is not a list; it was ignored")
    if not out:
        for c in cells:
            if c.exercise and c.exercise not in [e["id"] for e in out]:
                out.append({"id": c.exercise, "title": c.exercise})
    ids = [e["id"] for e in out]
    out = [e for i, e in enumerate(out) if e["id"] not in ids[:i]]
    return out, problems


def public_version(nb):
    """A copy of ``nb`` for the website's readers: hidden tests (cells and blocks) removed,
    solutions and their outputs kept (self-study), cell tags kept (solutions stay collapsed)."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        if role(cell) == "hidden":
            continue
        if cell.cell_type == "code" and BEGIN_HIDDEN in cell.source:
            cell.source = strip_hidden(cell.source)
            cell.outputs, cell.execution_count = [], None
            if _only_comments(cell.source):
                continue
        cells.append(cell)
    nb.cells = cells
    return nb
