"""The ``bplab`` command line.

Each subcommand lives in its own module, which provides ``configure(parser)`` and
``main(args) -> int``; ``COMMANDS`` maps the subcommand's name to that module.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

COMMANDS = {
    "info": ("bplab._info_cmd", "show the version and what optional parts are installed"),
    "run": ("bplab.examples._cli", "run a source document's example, original or fixed"),
    "release": ("bplab.grading._cli_release", "write student versions of exercise notebooks "
                "and their CI workflow"),
    "grade": ("bplab.grading._cli_grade", "grade exercise notebooks (table, JSON, JUnit XML); "
              "exit 0 only if all passed"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bplab", description="The bplab course's tools.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module)
        importlib.import_module(module).configure(p)
    return parser


def main(argv=None) -> int:
    """Run one subcommand; return its exit code. Never ends in a traceback: a closed pipe
    (``bplab run ... | head``) ends quietly, Ctrl-C with exit code 130."""
    try:
        code = _main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # the reader of our output has gone (e.g. head): stop quietly, and make sure that
        # the interpreter's final flush of stdout does not complain either
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 0
    except KeyboardInterrupt:
        print("bplab: interrupted", file=sys.stderr)
        return 130


def _main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    return int(importlib.import_module(args._module).main(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
