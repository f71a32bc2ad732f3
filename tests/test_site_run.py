"""The Run buttons, in the real browser: every cell of one page per part runs in Pyodide and
prints what the stored notebook printed; a reader who edits a learning rate sees a new plot.

Chromium (Debian's, through Playwright) reads the built site from a local server with the
network cut off (host resolution fails for every host but 127.0.0.1, and any request to
another host is aborted and fails the test). The time from the first click to the first
output and the bytes the server sent are measured and written to
``artifacts/site_run.json`` (measured, not asserted: this is no timing test).
"""
from __future__ import annotations

import base64
import configparser
import functools
import json
import os
import re
import time
from urllib.parse import urlsplit

import pytest

from tests import site_helpers as sh
from tests.conftest import OPTIONAL

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# One page per part of the course (chapters, case studies, explorers, exercises), each among
# the lighter pages of its part: Pyodide runs numpy several times slower than CPython, and
# what these tests check (every cell runs and prints what the notebook stored) does not grow
# with a page's training loops.
PAGES = ["book/part1/jacobians", "book/cases/002_perceptron", "book/explorers/learning_rate",
         "book/exercises/01_sigmoid"]
LR_PAGE = "book/part1/05_gradient_descent"
ARTIFACT = sh.ROOT / "artifacts" / "site_run.json"
# the network is cut off: no host resolves except the local server
CUT_OFF = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
RUN_TIMEOUT_MS = 300_000
# A cell that builds ipywidgets controls needs a Jupyter kernel: in the page it says so.
NEEDS_KERNEL = re.compile(r"_explorer\(")


# -- the built site, served with a byte count -----------------------------------------------
@pytest.fixture(scope="module")
def site():
    if not (sh.SITE_DIR / "index.html").exists():
        pytest.fail(f"No built website at {sh.SITE_DIR}: build it first (`make book`).",
                    pytrace=False)
    if not (sh.SITE_DIR / "_static" / "pyodide" / "pyodide-lock.json").exists():
        pytest.skip(f"{OPTIONAL}: the site was built without the Pyodide assets (`make book` "
                    f"fetches them; or run `python tools/pyodide_assets.py`, then rebuild)")
    return sh.SITE_DIR


class _Counting(sh._Quiet):
    """The site's quiet handler, counting what it sends, per path."""

    def copyfile(self, source, outputfile):
        self.server.sent.append((self.path, os.fstat(source.fileno()).st_size))
        super().copyfile(source, outputfile)


@pytest.fixture(scope="module")
def server(site):
    import threading
    srv = sh._Server(("127.0.0.1", 0), functools.partial(_Counting, directory=str(site)))
    srv.sent = []
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv, f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sh.chromium(CUT_OFF) as b:
        yield b


@pytest.fixture(scope="module")
def measured():
    results = {}
    yield results
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    old = json.loads(ARTIFACT.read_text()) if ARTIFACT.exists() else {}
    old.update(results)
    ARTIFACT.write_text(json.dumps(old, indent=2, sort_keys=True) + "\n")


class Visit:
    """A fresh browser context on one page: every request recorded, non-local ones aborted."""

    def __init__(self, browser, server, docname):
        self.srv, base = server
        self.requests, self.blocked, self.errors = [], [], []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.start = len(self.srv.sent)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("console", lambda m: m.type == "error" and "favicon" not in m.text
                     and self.errors.append(f"console: {m.text}"))
        self.page.goto(sh.url_for(base, docname), wait_until="load")

    def _route(self, route):
        if sh.is_remote(route.request.url):
            self.blocked.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def sent(self):
        return self.srv.sent[self.start:]

    def close(self):
        self.context.close()


# -- what the notebook stored ----------------------------------------------------------------
def _sanitizers():
    cfg = configparser.ConfigParser()
    cfg.read(sh.ROOT / "tests" / "sanitize.cfg")
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


def sanitize(text: str) -> str:
    for regex, replace in _sanitizers():
        text = regex.sub(replace, text)
    return text.strip()


NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
# Numbers printed after thousands of training steps differ in their last digits between the
# native build of numpy/OpenBLAS that stored the outputs and the WebAssembly one (a different
# summation order): e.g. a final loss of 0.02441 for the stored 0.02454. Text must match
# exactly; numbers within this relative tolerance (the artifact counts the cells that needed it).
RTOL = 0.02


def same_output(have: str, want: str) -> str:
    """'exact', 'close' (every number within RTOL, the rest identical) or 'different'."""
    have, want = sanitize(have), sanitize(want)
    if have == want:
        return "exact"
    if NUMBER.split(have) != NUMBER.split(want):
        return "different"
    pairs = zip(map(float, NUMBER.findall(have)), map(float, NUMBER.findall(want)))
    ok = all(abs(a - b) <= RTOL * max(abs(a), abs(b)) for a, b in pairs)
    return "close" if ok else "different"


def stored_cells(docname):
    """The page's code cells as the notebook stores them (cells removed from the page left
    out): source, stdout, figures, whether nbval compares its output."""
    nb = json.loads((sh.ROOT / f"{docname}.ipynb").read_text())
    cells = []
    for c in nb["cells"]:
        tags = c.get("metadata", {}).get("tags", [])
        if c["cell_type"] != "code" or "remove-cell" in tags:
            continue
        source = "".join(c["source"])
        outs = c.get("outputs", [])
        cells.append({
            "source": source,
            "stdout": "".join("".join(o["text"]) for o in outs
                              if o["output_type"] == "stream" and o["name"] == "stdout"),
            "figures": sum("image/png" in o.get("data", {}) for o in outs),
            # bplab-native-output: the cell shows what only a native build can (WebAssembly
            # numpy cannot detect a floating-point overflow, so it does not warn); the
            # browser runs it without error, and nbval still compares it natively
            "compare": "nbval-ignore-output" not in tags and "NBVAL_IGNORE_OUTPUT" not in source
                       and "bplab-native-output" not in tags,
        })
    return cells


CELL_STATE = """() => window.bplabRun.cells.map(c => ({
  state: c.root.dataset.bplabRun || null,
  stdout: [...c.out.querySelectorAll('.bplab-run-stdout')].map(e => e.textContent).join(''),
  errors: [...c.out.querySelectorAll('.bplab-run-error')].map(e => e.textContent).join('\\n'),
  notes: [...c.out.querySelectorAll('.bplab-run-warning')].map(e => e.textContent).join('\\n'),
  figures: [...c.out.querySelectorAll('img.bplab-run-figure')].map(e => e.src),
}))"""


def _wait_all_done(page, n):
    page.wait_for_function(f"() => document.querySelectorAll('[data-bplab-run]').length >= {n}",
                           timeout=RUN_TIMEOUT_MS)


# -- the tests -------------------------------------------------------------------------------
@pytest.mark.parametrize("docname", PAGES)
def test_every_cell_runs_in_the_page_like_the_notebook(docname, browser, server, measured):
    visit = Visit(browser, server, docname)
    try:
        page = visit.page
        page.wait_for_timeout(500)
        before = [u for u in visit.requests if "/_static/pyodide/" in u or "worker" in u]
        assert before == [], f"{docname}: a plain page view loaded the runtime: {before}"
        assert page.evaluate("() => !!window.bplabRun") and page.evaluate(
            "() => window.bplabRun.worker === null"), f"{docname}: Python started before a click"
        loaded_bytes = sum(size for _, size in visit.sent())
        loaded_requests = len(visit.sent())

        stored = stored_cells(docname)
        buttons = page.get_by_role("button", name=re.compile(r"^Run cell \d+$"))
        assert buttons.count() == len(stored), \
            f"{docname}: {buttons.count()} Run buttons for {len(stored)} code cells on the page"
        t0 = time.perf_counter()
        for i in range(buttons.count()):   # a reader clicking Run on each cell, in order
            buttons.nth(i).click()
        page.wait_for_selector(".bplab-run-output pre, .bplab-run-output img", timeout=RUN_TIMEOUT_MS)
        first_output = time.perf_counter() - t0
        _wait_all_done(page, len(stored))
        all_done = time.perf_counter() - t0
        got = page.evaluate(CELL_STATE)
        timings = page.evaluate("() => window.bplabRun.timings")

        problems, close = [], []
        for i, (want, have) in enumerate(zip(stored, got), 1):
            if NEEDS_KERNEL.search(want["source"]):
                if "Jupyter kernel" not in have["notes"]:
                    problems.append(f"cell {i}: a widget cell without the 'needs a kernel' note: "
                                    f"{have}")
                continue
            if have["state"] != "ok":
                problems.append(f"cell {i} failed in the browser:\n{have['errors']}{have['notes']}")
                continue
            verdict = same_output(have["stdout"], want["stdout"]) if want["compare"] else "exact"
            if verdict == "different":
                problems.append(f"cell {i}: printed\n{have['stdout']}\nstored\n{want['stdout']}")
            elif verdict == "close":
                close.append(i)
            if len(have["figures"]) < want["figures"]:
                problems.append(f"cell {i}: {len(have['figures'])} figures, stored {want['figures']}")
        assert problems == [], f"{docname}:\n" + "\n".join(problems)
        assert visit.blocked == [], f"requests to other hosts: {visit.blocked}"
        assert all(urlsplit(u).hostname in sh.LOCAL_HOSTS for u in visit.requests
                   if u.startswith("http")), visit.requests
        assert visit.errors == [], "\n".join(visit.errors)
        measured[docname] = {
            "cells": len(stored),
            "cells_compared": sum(c["compare"] and not NEEDS_KERNEL.search(c["source"])
                                  for c in stored),
            "cells_numbers_only_within_2_percent": close,
            "cells_needing_a_kernel": sum(bool(NEEDS_KERNEL.search(c["source"])) for c in stored),
            "first_click_to_first_output_s": round(first_output, 2),
            "first_click_to_python_ready_s": round((timings["ready"] - timings["firstClick"]) / 1e3, 2),
            "first_click_to_all_cells_done_s": round(all_done, 2),
            "python_load_phases_ms": timings.get("phases"),
            "bytes_page_view": loaded_bytes,
            "bytes_after_first_click": sum(size for _, size in visit.sent()) - loaded_bytes,
            "requests_after_first_click": len(visit.sent()) - loaded_requests,
        }
        print(docname, measured[docname])
    finally:
        visit.close()


def test_edit_a_learning_rate_and_see_a_new_plot(browser, server, measured):
    """The issue's done-criterion: network off, Run, change a learning rate, a new plot."""
    visit = Visit(browser, server, LR_PAGE)
    try:
        page = visit.page
        stored = stored_cells(LR_PAGE)
        target = next(i for i, c in enumerate(stored) if '"too small": 0.01' in c["source"]
                      and c["figures"])
        stored_png = page.locator("div.cell").nth(target).locator(".cell_output img").first
        stored_src = stored_png.get_attribute("src")
        stored_bytes = (sh.SITE_DIR / LR_PAGE).parent.joinpath(stored_src).read_bytes()

        page.get_by_role("button", name="Run cell 1", exact=True).click()   # imports, data
        page.get_by_role("button", name=f"Edit the code of cell {target + 1}").click()
        editor = page.get_by_role("textbox", name=f"Code of cell {target + 1} (editable)")
        code = editor.input_value()
        editor.fill(code.replace('"too small": 0.01', '"too small": 0.02'))
        page.get_by_role("button", name=f"Run cell {target + 1}", exact=True).click()
        _wait_all_done(page, 2)
        cell = page.evaluate(CELL_STATE)[target]
        assert cell["state"] == "ok", cell["errors"]
        assert cell["figures"], "the edited cell drew no figure"
        png = base64.b64decode(cell["figures"][0].split(",", 1)[1])
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert png != stored_bytes, "the new plot is the stored one"
        # the stored outputs of the edited cell are hidden, the new ones shown
        assert not page.locator("div.cell").nth(target).locator(".cell_output").first.is_visible()
        assert visit.blocked == [] and visit.errors == [], visit.blocked + visit.errors
        measured[f"{LR_PAGE} (edited lr)"] = {"new_png_bytes": len(png),
                                              "stored_png_bytes": len(stored_bytes)}
    finally:
        visit.close()


def test_stop_restarts_python_and_says_so(browser, server):
    """A long loop: Stop ends it, and the page says that the variables are gone."""
    visit = Visit(browser, server, PAGES[3])
    try:
        page = visit.page
        page.get_by_role("button", name="Run cell 1", exact=True).click()
        _wait_all_done(page, 1)
        page.get_by_role("button", name="Edit the code of cell 3").click()
        page.get_by_role("textbox", name="Code of cell 3 (editable)").fill(
            "print('looping')\nwhile True:\n    pass")
        page.get_by_role("button", name="Run cell 3", exact=True).click()
        page.wait_for_selector("text=looping", timeout=RUN_TIMEOUT_MS)
        page.get_by_role("button", name="Stop cell 3 (restarts Python)").click()
        note = page.locator(".bplab-run-note").nth(2)
        assert "Python was restarted" in note.text_content()
        assert page.evaluate("() => window.bplabRun.worker === null")
        # and the next run starts a fresh Python: the first cell's variables are gone
        page.get_by_role("button", name="Edit the code of cell 4").click()
        page.get_by_role("textbox", name="Code of cell 4 (editable)").fill("print('np' in dir())")
        page.get_by_role("button", name="Run cell 4", exact=True).click()
        page.wait_for_function("() => window.bplabRun.cells[3].root.dataset.bplabRun",
                               timeout=RUN_TIMEOUT_MS)
        assert page.evaluate(CELL_STATE)[3]["stdout"].strip() == "False"
    finally:
        visit.close()
