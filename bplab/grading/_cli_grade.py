"""``bplab grade NOTEBOOK...``: grade exercise notebooks; exit 0 only if all passed."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from bplab.grading import report
from bplab.grading.grade import grade_notebook


def configure(parser):
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="notebooks to grade")
    parser.add_argument("--source", nargs="+", default=None, metavar="INSTRUCTOR_NB",
                        help="the instructor's notebooks, matched by file name: their checks, "
                             "hidden tests included, replace the submission's")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    parser.add_argument("--junit", metavar="PATH", help="write the results as JUnit XML")
    parser.add_argument("--timeout", type=float, default=60, metavar="SECONDS",
                        help="time limit per cell (default: 60)")
    parser.add_argument("--output-limit", type=int, default=10_000, metavar="CHARS",
                        help="characters of printed output kept per cell (default: 10000)")
    return parser


def main(args) -> int:
    missing = [m for m in ("nbclient", "nbformat", "ipykernel")
               if importlib.util.find_spec(m) is None]
    if missing:
        print(f"bplab grade needs {', '.join(missing)}: python -m pip install nbclient nbformat "
              f"ipykernel", file=sys.stderr)
        return 2
    sources = {}
    for s in args.source or []:
        if not Path(s).is_file():
            print(f"bplab grade: no such instructor notebook: {s}", file=sys.stderr)
            return 2
        sources[Path(s).name] = s
    results = []
    for name in args.notebooks:
        if args.source and Path(name).name not in sources:
            print(f"bplab grade: no instructor notebook named {Path(name).name} among "
                  f"--source {' '.join(sources)}", file=sys.stderr)
            return 2
        results.append(grade_notebook(name, source=sources.get(Path(name).name),
                                      timeout=args.timeout, output_limit=args.output_limit))
    print(report.table(results))
    if args.json:
        report.to_json(results, args.json)
    if args.junit:
        report.to_junit(results, args.junit)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(report.to_markdown(results))
    return 0 if results and all(r.passed for r in results) else 1
