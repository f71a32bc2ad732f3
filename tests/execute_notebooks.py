"""Re-execute notebooks in place so their stored outputs are fresh (``make execute``).

Usage: python -m tests.execute_notebooks book/a.ipynb book/b.ipynb ...

Each notebook runs in a fresh kernel from this environment, with its own folder as the
working directory, exactly as nbval will re-run it.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

TIMEOUT = 600


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    env_before = os.environ.get("BPLAB_NO_PROGRESS")
    os.environ["BPLAB_NO_PROGRESS"] = "1"
    try:
        NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        if env_before is None:
            os.environ.pop("BPLAB_NO_PROGRESS", None)
    nbformat.write(nb, path)


def main(argv) -> int:
    if not argv:
        print(__doc__)
        return 2
    for name in argv:
        print(f"executing {name}", flush=True)
        execute(Path(name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
