"""bplab in the browser's Python: its unit tests run inside Pyodide (under Node.js), on the
versions the website's Run buttons use; and the Pyodide files the site serves are checked
against the official lock (a changed wheel is refused, never served)."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import OPTIONAL
from tests.site_helpers import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
sys.path.insert(0, str(ROOT / "tools"))
import bplab_run  # noqa: E402
import pyodide_assets  # noqa: E402

OFFICIAL_LOCK = ROOT / "node_modules" / "pyodide" / "pyodide-lock.json"
# The fast unit tests of the package (a few minutes in Pyodide, on two cores).
NODE_TESTS = ["tests/test_activations_losses.py", "tests/test_network.py",
              "tests/test_gradients_property.py", "tests/test_validation.py",
              "tests/test_gradcheck_diagnosis.py", "tests/test_autodiff.py",
              "tests/test_train.py"]
VERSIONS = ("Python 3.12", "numpy 2.0.2", "matplotlib 3.8.4", "scikit-learn 1.6.1")


def _need_official_lock():
    if not OFFICIAL_LOCK.exists():
        pytest.skip(f"{OPTIONAL}: node_modules/pyodide is not installed (run `npm ci`)")
    return json.loads(OFFICIAL_LOCK.read_text())


@pytest.mark.slow
def test_unit_tests_pass_inside_pyodide():
    node = shutil.which("node")
    if node is None:
        pytest.skip(f"{OPTIONAL}: Node.js is not installed (apt-get install nodejs)")
    _need_official_lock()
    if not (pyodide_assets.SITE / "pyodide-lock.json").exists() or not all(
            p.exists() for p in (pyodide_assets.TEST_WHEELS / f
                                 for f in pyodide_assets.TEST_WHEEL_PINS)):
        pytest.skip(f"{OPTIONAL}: no Pyodide assets (run `python tools/pyodide_assets.py "
                    f"--tests`; `make book` does)")
    done = subprocess.run([node, str(ROOT / "tools" / "pyodide_pytest.mjs"), *NODE_TESTS],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200)
    out = done.stdout + done.stderr
    assert done.returncode == 0, f"pytest inside Pyodide failed:\n{out[-6000:]}"
    for version in VERSIONS:
        assert version in out, f"not run on {version}:\n{out[:2000]}"
    passed = re.search(r"(\d+) passed", out)
    assert passed and int(passed.group(1)) > 50 and " failed" not in out, out[-3000:]


def _fake_site(tmp_path, official, names, tamper=None):
    """A served folder holding the runtime's names and the lock entries ``names``."""
    folder = tmp_path / "site"
    folder.mkdir(parents=True)
    for name in bplab_run.RUNTIME:
        (folder / name).write_bytes(b"runtime")
    packages = {}
    for name in names:
        entry = dict(official["packages"][name])
        body = f"wheel {name}".encode()
        (folder / entry["file_name"]).write_bytes(body)
        if name != tamper:   # the lock says what the official lock says
            entry["sha256"] = hashlib.sha256(body).hexdigest()
        packages[name] = entry
    (folder / "pyodide-lock.json").write_text(json.dumps({"info": official["info"],
                                                          "packages": packages}))
    return folder


def test_the_site_serves_only_wheels_matching_the_official_lock(tmp_path):
    official = _need_official_lock()
    # a served lock whose entry was edited to match a changed wheel: refused
    folder = _fake_site(tmp_path, official, ["six"])
    files, problem = bplab_run.check_assets(folder, OFFICIAL_LOCK)
    assert files is None and "six" in problem and "not the official" in problem
    # the served lock is the official one, but the wheel is not the one it names: refused
    folder2 = _fake_site(tmp_path / "b", official, ["six"], tamper="six")
    files, problem = bplab_run.check_assets(folder2, OFFICIAL_LOCK)
    assert files is None and "six-" in problem and "sha256 differs" in problem
    # tqdm comes from PyPI, pinned in tools/pyodide-pypi-pins.json: another hash is refused
    folder3 = _fake_site(tmp_path / "c", official, ["tqdm"])
    files, problem = bplab_run.check_assets(folder3, OFFICIAL_LOCK)
    assert files is None and "tqdm" in problem and "not the pinned one" in problem


def test_the_site_without_assets_builds_and_says_so(tmp_path):
    _need_official_lock()
    files, problem = bplab_run.check_assets(tmp_path / "nothing", OFFICIAL_LOCK)
    assert files is None and "no Pyodide assets" in problem and "pyodide_assets.py" in problem


def test_a_changed_wheel_is_refused_naming_it(tmp_path):
    wheel = tmp_path / "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
    wheel.write_bytes(b"not the official numpy")
    with pytest.raises(pyodide_assets.AssetError, match="refusing numpy-2.0.2.*differs"):
        pyodide_assets.verified_copy(wheel, tmp_path / "out" / wheel.name, "0" * 64, wheel.name)
    assert not (tmp_path / "out" / wheel.name).exists()


def test_the_served_lock_needs_only_files_it_serves():
    lock = _need_official_lock()
    names = pyodide_assets.closure(lock, pyodide_assets.WANTED)
    assert {"numpy", "matplotlib", "scikit-learn", "scipy", "openblas", "pillow"} <= set(names)
    for name in names:   # every dependency is served too
        assert set(lock["packages"][name]["depends"]) <= set(names), name
