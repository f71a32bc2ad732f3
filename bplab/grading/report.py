"""Grading reports: a plain-text table, JSON, JUnit XML and a Markdown summary."""
from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

__all__ = ["table", "to_json", "to_junit", "to_markdown", "totals"]

_ICON = {"passed": "✅", "failed": "❌", "not attempted": "⬜", "timed out": "⏱️",
         "error": "💥"}


def totals(results) -> tuple:
    """``(passed, total)`` over all notebooks."""
    return (sum(r.score for r in results), sum(len(r.exercises) for r in results))


def table(results, *, width=100) -> str:
    """One line per exercise, the reason wrapped under it; a total at the end."""
    lines = []
    for r in results:
        where = f", isolation: {r.isolation}" if getattr(r, "isolation", "") else ""
        lines.append(f"{r.path}  ({r.score}/{len(r.exercises)} passed, {r.seconds:.1f} s{where})")
        if r.error:
            lines.append(f"  ! {r.error}")
        for note in getattr(r, "notes", []):
            lines.append(f"  note: {note}")
        for e in r.exercises:
            lines.append(f"  {e.status:<14} {e.id}")
            if e.message:
                lines += textwrap.wrap(e.message, width, initial_indent=" " * 17,
                                       subsequent_indent=" " * 17)
    passed, total = totals(results)
    lines.append(f"total: {passed}/{total} exercises passed")
    return "\n".join(lines)


def to_json(results, path) -> None:
    passed, total = totals(results)
    data = {"passed": passed, "total": total, "notebooks": [r.to_dict() for r in results]}
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def to_junit(results, path) -> None:
    """One ``testsuite`` per notebook, one ``testcase`` per exercise. Anything but a pass is
    a ``failure`` whose ``type`` is the status (so "not attempted" counts against the run)."""
    suites = ET.Element("testsuites", name="bplab grade")
    for r in results:
        bad = [e for e in r.exercises if not e.passed]
        suite = ET.SubElement(suites, "testsuite", name=r.path, tests=str(len(r.exercises)),
                              failures=str(len(bad)), errors="1" if r.error else "0",
                              time=f"{r.seconds:.3f}")
        if r.error:
            ET.SubElement(suite, "system-err").text = r.error
        for e in r.exercises:
            case = ET.SubElement(suite, "testcase", classname=Path(r.path).stem, name=e.id,
                                 time=f"{e.seconds:.3f}")
            if not e.passed:
                fail = ET.SubElement(case, "failure", type=e.status,
                                     message=f"{e.status}: {e.message}"[:1000])
                fail.text = e.message
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(results) -> str:
    """The summary a CI run shows (GitHub's ``$GITHUB_STEP_SUMMARY``)."""
    passed, total = totals(results)
    lines = [f"## bplab grade: {passed}/{total} exercises passed", "",
             "| notebook | exercise | result | details |", "|---|---|---|---|"]
    for r in results:
        if r.error:
            lines.append(f"| `{r.path}` | | 💥 error | {_md(r.error)} |")
        for note in getattr(r, "notes", []):
            lines.append(f"| `{Path(r.path).name}` | | note | {_md(note)} |")
        for e in r.exercises:
            lines.append(f"| `{Path(r.path).name}` | {_md(e.title)} | "
                         f"{_ICON.get(e.status, '')} {e.status} | {_md(e.message)} |")
    return "\n".join(lines) + "\n"
