"""``bplab release SRC... --out DIR``: write the student versions and their CI workflow."""
from __future__ import annotations

import sys

from bplab.grading.release import DEFAULT_INSTALL, release


def configure(parser):
    parser.add_argument("sources", nargs="+", metavar="SRC",
                        help="instructor notebooks (with solutions and hidden tests)")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="folder for the student versions (e.g. the students' repository)")
    parser.add_argument("--install", default=DEFAULT_INSTALL, metavar="SPEC",
                        help=f"what the students' CI pip-installs (default: {DEFAULT_INSTALL!r})")
    parser.add_argument("--timeout", type=float, default=120, metavar="SECONDS",
                        help="per-cell time limit in the students' CI (default: 120)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite student versions or a workflow that exist already")
    return parser


def main(args) -> int:
    try:
        written = release(args.sources, args.out, install=args.install, timeout=args.timeout,
                          force=args.force)
    except (OSError, ValueError) as exc:
        print(f"bplab release: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0
