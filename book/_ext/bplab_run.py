"""Run buttons on the code cells, with Python running in the page (a Sphinx extension).

Pyodide (CPython compiled to WebAssembly) and the Pyodide builds of numpy, matplotlib and
scikit-learn, plus bplab's own wheel, are served by the site itself from ``_static/pyodide/``:
``tools/pyodide_assets.py`` (run by ``make book``) fetches them into ``.cache/pyodide/site/``
and checks every file against the official ``pyodide-lock.json``. This extension checks them
once more (each file's sha256 against the lock it will serve, and that lock's entries against
the npm package's official lock), copies them into the build, and adds ``bplab-run.js`` to
the pages that have code cells. That script adds the buttons; Python itself loads on the
first click only, in a Web Worker (``bplab-run-worker.js``), so a page view costs nothing.

Without the assets (or if one file fails the check) the book still builds, without Run
buttons, and the build log says why.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

TARGET = "pyodide"   # under _static/
# Pure-Python wheels from PyPI, pinned by sha256 (Pyodide's lock names rebuilt copies)
PINS_FILE = Path(__file__).resolve().parents[2] / "tools" / "pyodide-pypi-pins.json"
RUNTIME = ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_assets(folder: Path, official_lock: Path):
    """Return ``(files, problem)``: the files to serve, or None and why they cannot be.

    Every wheel must match its sha256 in the folder's ``pyodide-lock.json``, and every entry
    of that lock must be the official lock's entry; bplab's own wheel aside, and the few
    pure-Python wheels pinned in ``tools/pyodide-pypi-pins.json`` (their pin instead).
    """
    pins = json.loads(PINS_FILE.read_text())["site"] if PINS_FILE.exists() else {}
    lock_path = folder / "pyodide-lock.json"
    if not lock_path.exists():
        return None, (f"no Pyodide assets in {folder} (`make book` fetches them; or run "
                      f"`python tools/pyodide_assets.py`)")
    if not official_lock.exists():
        return None, f"{official_lock} is missing (run `npm ci`), so the wheels cannot be checked"
    lock = json.loads(lock_path.read_text())
    official = json.loads(official_lock.read_text())
    if lock["info"] != official["info"]:
        return None, (f"{lock_path} is for Pyodide {lock['info'].get('version')}, node_modules "
                      f"has {official['info'].get('version')} (re-run tools/pyodide_assets.py)")
    files = [folder / "pyodide-lock.json"]
    for name in RUNTIME:
        if not (folder / name).exists():
            return None, f"{folder / name} is missing (re-run tools/pyodide_assets.py)"
        files.append(folder / name)
    for name, entry in lock["packages"].items():
        path = folder / entry["file_name"]
        if name == "bplab":
            pass
        elif entry["file_name"] in pins:
            if pins[entry["file_name"]] != entry["sha256"]:
                return None, f"{name}: its lock entry is not the pinned one; not served"
        elif official["packages"].get(name, {}).get("sha256") != entry["sha256"]:
            return None, f"{name}: its lock entry is not the official one; not served"
        if not path.exists():
            return None, f"{path} is missing (re-run tools/pyodide_assets.py)"
        if _sha256(path) != entry["sha256"]:
            return None, f"{path}: sha256 differs from pyodide-lock.json; not served"
        files.append(path)
    return files, None


def _config_inited(app, config):
    root = Path(app.confdir)
    static = str(Path(__file__).resolve().parent.parent / "_static")   # book/_static
    if static not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, static]
    folder = Path(config.bplab_run_assets or root / ".cache" / "pyodide" / "site")
    files, problem = check_assets(folder, root / "node_modules" / "pyodide" / "pyodide-lock.json")
    app.bplab_run_files = files
    if files is None:
        logger.info(f"bplab_run: {problem}. The pages get no Run buttons.")
    else:
        size = sum(f.stat().st_size for f in files) / 1e6
        logger.info(f"bplab_run: Run buttons on the code cells; Pyodide and {len(files) - 5} "
                    f"verified wheels ({size:.0f} MB) served from _static/{TARGET}/.")


def _add_script(app, pagename, templatename, context, doctree):
    if getattr(app, "bplab_run_files", None) is None or doctree is None:
        return
    # only pages with code cells (myst-nb's container nodes of type "cell")
    from docutils import nodes
    cells = [n for n in doctree.findall(nodes.container) if n.get("nb_element") == "cell_code"]
    if cells:
        app.add_css_file("bplab-run.css")
        app.add_js_file("bplab-run.js", priority=600, defer="defer")


def _copy_assets(app, exception):
    files = getattr(app, "bplab_run_files", None)
    if exception is not None or files is None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / TARGET
    if target.exists():
        shutil.rmtree(target)     # only the files checked in this build are served
    target.mkdir(parents=True)
    for path in files:
        shutil.copyfile(path, target / path.name)


def setup(app):
    app.add_config_value("bplab_run_assets", "", "env")
    app.connect("config-inited", _config_inited, priority=900)   # after bplab_site
    app.connect("html-page-context", _add_script)
    app.connect("build-finished", _copy_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
