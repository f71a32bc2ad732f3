"""Shared test configuration.

Optional parts (PyTorch, chromium) are imported through :func:`require`, which skips with a
stated reason when the part is missing. CI sets ``BPLAB_REQUIRE_ALL=1``: then such a skip is
reported as a failure, so that CI provably runs every test.
"""
from __future__ import annotations

import os
import shutil
import sys

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("bplab", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
# Inside Pyodide (tests/test_pyodide.py runs some of these files in the browser's Python,
# several times slower) fewer examples: there the question is whether bplab works in that
# Python at all; CPython runs the full search.
settings.register_profile("pyodide", parent=settings.get_profile("bplab"), max_examples=15)
settings.load_profile("pyodide" if sys.platform == "emscripten" else "bplab")

OPTIONAL = "optional part missing"
REQUIRE_ALL = os.environ.get("BPLAB_REQUIRE_ALL") == "1"


def require(module: str, why: str = ""):
    """Import an optional module, or skip the test saying which part is missing and why."""
    return pytest.importorskip(module, reason=f"{OPTIONAL}: {module} is not installed"
                               + (f" ({why})" if why else ""))


def require_chromium() -> str:
    """The path of Debian's chromium, or skip the test saying it is missing."""
    path = shutil.which("chromium") or ("/usr/bin/chromium"
                                        if os.path.exists("/usr/bin/chromium") else None)
    if path is None:
        pytest.skip(f"{OPTIONAL}: chromium is not installed (apt-get install chromium)")
    return path


def require_bwrap() -> str:
    """The path of bubblewrap, or skip the test saying it is missing or cannot sandbox here."""
    import subprocess
    path = shutil.which("bwrap")
    if path is None:
        pytest.skip(f"{OPTIONAL}: bubblewrap is not installed (apt-get install bubblewrap)")
    probe = subprocess.run([path, "--ro-bind", "/", "/", "--unshare-all", "--unshare-user",
                            "--die-with-parent", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"{OPTIONAL}: bwrap cannot create namespaces here ({probe.stderr.strip()})")
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and OPTIONAL in str(report.longrepr):
        report.outcome = "failed"
        report.longrepr = (f"BPLAB_REQUIRE_ALL=1 but this test was skipped: "
                           f"{report.longrepr}")
