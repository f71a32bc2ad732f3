"""Turn nbval's comment markers (``# NBVAL_IGNORE_OUTPUT`` ...) into the equivalent cell tags.

A marker comment is code: the website prints it on the reader's page. nbval reads the same
instruction from the cell's tags (nbval 0.11: ``nbval-ignore-output``, ``nbval-skip``,
``nbval-check-output``, ``nbval-raises-exception``), which the page does not show. This
script removes every marker line from the code cells of the notebooks it is given and adds
the tag instead; the notebook is otherwise unchanged (outputs included).

Usage:
    python -m tests.nbval_tags [--check] [NOTEBOOK ...]

Without notebooks it treats every notebook under book/. With ``--check`` it changes nothing
and exits with status 1 when a notebook still holds a marker comment (listing them).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
# comment marker -> cell tag (the tags nbval.plugin.metadata_tags accepts)
TAGS = {
    "NBVAL_IGNORE_OUTPUT": "nbval-ignore-output",
    "PYTEST_VALIDATE_IGNORE_OUTPUT": "nbval-ignore-output",   # nbval's older spelling
    "NBVAL_SKIP": "nbval-skip",
    "NBVAL_CHECK_OUTPUT": "nbval-check-output",
    "NBVAL_RAISES_EXCEPTION": "nbval-raises-exception",
}
# a line that is only a marker comment, as nbval reads it: '#'s, then the marker
MARKER = re.compile(r"^\s*#+\s*(" + "|".join(TAGS) + r")\s*$")
# any mention of a marker in a comment (a marker nbval would miss is still a build detail)
MENTION = re.compile(r"#.*\b(NBVAL_[A-Z_]+|PYTEST_VALIDATE_[A-Z_]+)")


def notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook of the book (not checkpoints or build output)."""
    return sorted(p for p in (root / "book").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts and "_build" not in p.parts)


def convert_source(source: str) -> tuple[str, list[str]]:
    """Return ``(source without marker lines, tags they stand for)``."""
    kept, tags = [], []
    for line in source.split("\n"):
        match = MARKER.match(line)
        if match:
            tags.append(TAGS[match.group(1)])
        else:
            kept.append(line)
    while tags and kept and not kept[0].strip():   # a blank line the marker left on top
        kept.pop(0)
    return "\n".join(kept), tags


def convert(nb) -> int:
    """Convert the markers of every code cell of a notebook node in place; return how many."""
    done = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source, tags = convert_source(cell.source)
        if not tags:
            continue
        cell.source = source
        cell_tags = cell.metadata.setdefault("tags", [])
        cell_tags.extend(t for t in dict.fromkeys(tags) if t not in cell_tags)
        done += len(tags)
    return done


def leftover_markers(path: Path) -> list[str]:
    """``'file, cell N: line'`` for every comment of a code cell that names an nbval marker."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            if MENTION.search(line):
                found.append(f"{path}, cell {i}: {line.strip()}")
    return found


def main(argv: list[str]) -> int:
    check = "--check" in argv
    names = [a for a in argv if a != "--check"]
    paths = [Path(n) for n in names] or notebooks()
    if check:
        left = [line for p in paths for line in leftover_markers(p)]
        print("\n".join(left) if left else f"no nbval marker comments in {len(paths)} notebooks")
        return 1 if left else 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        n = convert(nb)
        if n:
            nbformat.write(nb, path)
            print(f"{path}: {n} marker comment(s) -> cell tags")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
