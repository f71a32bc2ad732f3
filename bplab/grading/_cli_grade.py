"""``bplab grade NOTEBOOK...``: grade exercise notebooks; exit 0 only if all passed.

With ``--source`` (the instructor's run) every exercise of every source notebook is graded:
a submission is matched to its source by file name, and a source without a submission scores
0 for its exercises, with the reason. Bad arguments are refused before anything runs (exit 2).
"""
from __future__ import annotations

import math
import os
import sys
from pathlib import Path

from bplab.grading import notebook as nbtools, report
from bplab.grading.grade import NotebookResult, grade_notebook, missing_result
from bplab.grading.sandbox import isolation_available


def configure(parser):
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="notebooks to grade")
    parser.add_argument("--source", nargs="+", default=None, metavar="INSTRUCTOR_NB",
                        help="the instructor's notebooks: their exercises and checks (hidden "
                             "tests included) are the ones graded; submissions are matched by "
                             "file name, and a missing one scores 0")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    parser.add_argument("--junit", metavar="PATH", help="write the results as JUnit XML")
    parser.add_argument("--timeout", type=float, default=60, metavar="SECONDS",
                        help="time limit per cell and per exercise's checks (default: 60)")
    parser.add_argument("--output-limit", type=int, default=10_000, metavar="CHARS",
                        help="characters a submission may print before its result notes it "
                             "(default: 10000)")
    parser.add_argument("--library-use", choices=("flag", "fail"), default="flag",
                        help="a solution that calls bplab's own answer to its exercise is "
                             "flagged in the result (default) or failed")
    return parser


def _refuse(message) -> int:
    print(f"bplab grade: {message}", file=sys.stderr)
    return 2


def _check_arguments(args):
    if not (math.isfinite(args.timeout) and args.timeout > 0):
        return f"--timeout must be a positive number of seconds; got {args.timeout}"
    if args.output_limit < 0:
        return f"--output-limit must be 0 or more characters; got {args.output_limit}"
    for option in ("json", "junit"):
        target = getattr(args, option)
        if target is not None:
            parent = Path(target).resolve().parent
            if not parent.is_dir():
                return (f"--{option} {target}: the folder {parent} does not exist; create it "
                        f"first or write the report elsewhere")
            if Path(target).is_dir():
                return f"--{option} {target} is a folder; give a file name"
    return None


def _sources(paths):
    sources = {}
    for s in paths:
        path = Path(s)
        if not path.is_file():
            return None, f"no such instructor notebook: {s}"
        try:
            cells, meta, _ = nbtools.load(path)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            return None, f"cannot read the instructor notebook {s}: {exc}"
        if not nbtools.exercise_list(cells, meta)[0]:
            return None, f"the instructor notebook {s} has no exercises"
        if path.name in sources:
            return None, f"two instructor notebooks are named {path.name}"
        sources[path.name] = path
    return sources, None


def main(args) -> int:
    problem = _check_arguments(args)
    if problem:
        return _refuse(problem)
    sources = None
    if args.source:
        sources, problem = _sources(args.source)
        if problem:
            return _refuse(problem)
    if isolation_available() != "bwrap":
        print("bplab grade: bubblewrap (bwrap) is not available: each submission runs in a "
              "separate process with its own HOME, folder and limits, but can read and write "
              "what your user can. Grade official results where bwrap works (Linux).",
              file=sys.stderr)
    options = dict(timeout=args.timeout, output_limit=args.output_limit,
                   library_use=args.library_use)
    results = []
    if sources is None:
        results = [grade_notebook(n, **options) for n in args.notebooks]
    else:
        submitted = {}
        for n in args.notebooks:
            name = Path(n).name
            if name not in sources:
                results.append(NotebookResult(str(n), error=f"no instructor notebook is named "
                                              f"{name}: not graded (renamed?)"))
            elif name in submitted:
                results.append(NotebookResult(str(n), error=f"a second submission named {name}; "
                                              f"only {submitted[name]} is graded"))
            else:
                submitted[name] = n
        for name, source in sources.items():
            if name in submitted:
                results.append(grade_notebook(submitted[name], source=source, **options))
            else:
                results.append(missing_result(name, source, f"missing: no submission named "
                                                            f"{name}"))
    print(report.table(results))
    try:
        if args.json:
            report.to_json(results, args.json)
        if args.junit:
            report.to_junit(results, args.junit)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(report.to_markdown(results))
    except OSError as exc:
        return _refuse(f"could not write the report: {exc}")
    return 0 if results and all(r.passed for r in results) else 1
