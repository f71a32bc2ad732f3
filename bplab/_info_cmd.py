"""``bplab info``: the version, and which optional parts (PyTorch, chromium) are present."""
from __future__ import annotations

import importlib.util
import platform
import shutil

import numpy as np


def configure(parser):
    return parser


def main(args) -> int:
    import bplab

    torch = "installed" if importlib.util.find_spec("torch") else "not installed (optional)"
    print(f"bplab {bplab.__version__} (numpy {np.__version__}, Python {platform.python_version()})")
    print(f"PyTorch: {torch}")
    print(f"chromium: {shutil.which('chromium') or 'not found (only the browser tests need it)'}")
    return 0
