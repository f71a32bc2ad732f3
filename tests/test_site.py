"""The website: self-contained, interactive without a kernel, checked in a real browser.

The tests read the built site in ``_build/html`` (``make test`` builds it first), or the folder
named by ``BPLAB_SITE_DIR``. A missing site is a failure, not a skip. The browser tests drive
Debian's chromium through Playwright, and skip (with the reason) where chromium is absent.
Screenshots of a page whose checks fail, at desktop and phone widths, are written to
``artifacts/screenshots/``.

Every page is read at 1280 px and at 390 px: nothing may be cut off or drawn past the column
(tables, equations and their numbers, text: tests/site_layout.js), every image needs an alt
text that says something, axe-core (from node_modules) must find no serious or critical
violation, and no request may fail (a 404, the favicon included).
"""
from __future__ import annotations

import json
import re
import sys
from urllib.parse import urlsplit

import numpy as np
import pytest

import bplab as bp
from tests import site_helpers as sh
from tests.site_helpers import looks_like_file_name
from tests.conftest import require

SHOTS = sh.ROOT / "artifacts" / "screenshots"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
EXPLORERS = ["book/explorers/net222", "book/explorers/learning_rate",
             "book/explorers/boundaries", "book/explorers/gradient_health"]

# Console errors that are not the site's fault. Keep this short, and say why for each entry.
# (None at present: the site has its own favicon, so a 404 for one is a failure too.)
CONSOLE_ALLOW: list[re.Pattern] = []


def _allowed(text: str) -> bool:
    return any(p.search(text) for p in CONSOLE_ALLOW)


# -- the built site -----------------------------------------------------------------------
@pytest.fixture(scope="session")
def site():
    index = sh.SITE_DIR / "index.html"
    if not index.exists():
        pytest.fail(f"No built website at {sh.SITE_DIR} (index.html is missing). Build it first "
                    f"with `make book`, or point BPLAB_SITE_DIR at a build's html folder.",
                    pytrace=False)
    return sh.SITE_DIR


def test_every_toc_page_was_built(site):
    missing = [d for d in sh.toc_docnames() if not (site / f"{d}.html").exists()]
    assert not missing, f"pages in _toc.yml that the build did not write: {missing}"


def test_pages_fetch_nothing_from_other_hosts(site):
    vendor = site / "_static" / "vendor"
    assert vendor.is_dir(), (
        f"{vendor} is missing: the site was built without node_modules, so its pages load "
        f"MathJax and the widget manager from public CDNs. Run `npm ci` (make book does), "
        f"then build again.")
    remote = sh.remote_fetches(site)
    assert not remote, "pages that fetch from another host:\n" + "\n".join(remote)


def test_vendored_assets_are_the_pinned_versions(site):
    pins = json.loads((sh.ROOT / "package.json").read_text())["dependencies"]
    assert {"mathjax", "requirejs", "@jupyter-widgets/html-manager", "axe-core"} <= set(pins)
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in pins.values()), f"unpinned: {pins}"
    lock = json.loads((sh.ROOT / "package-lock.json").read_text())
    for name, version in pins.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    vendor = site / "_static" / "vendor"
    mathjax = (vendor / "mathjax" / "tex-mml-chtml.js").read_text(errors="replace")
    assert f"'{pins['mathjax']}'" in mathjax[:200_000] or pins["mathjax"] in mathjax[:200_000]
    assert f"RequireJS {pins['requirejs']}" in (vendor / "requirejs" / "require.js").read_text()
    assert (vendor / "html-manager" / "embed-amd.js").stat().st_size > 100_000
    page = (site / "book" / "explorers" / "net222.html").read_text()
    for asset in ("vendor/mathjax/tex-mml-chtml.js", "vendor/requirejs/require.js",
                  "vendor/html-manager/embed-amd.js", "bplab-widgets-config.js"):
        assert asset in page, f"the explorer page does not load {asset}"


def test_internal_links_and_anchors_resolve(site):
    broken = sh.broken_internal_links(site)
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:40])


def test_reader_features_are_on_the_explorer_pages(site):
    html = (site / "book" / "explorers" / "net222.html").read_text()
    links = sh.parse_page(site / "book" / "explorers" / "net222.html").links
    repo = "https://github.com/bplab-course/bplab"
    expected = {
        "Binder": "https://mybinder.org/v2/gh/bplab-course/bplab/main?urlpath=",
        "Colab": "https://colab.research.google.com/github/bplab-course/bplab/blob/main/"
                 "book/explorers/net222.ipynb",
        "download .ipynb": "../../_sources/book/explorers/net222.ipynb",
        "edit": f"{repo}/edit/main/book/explorers/net222.ipynb",
        "issue": f"{repo}/issues/new?",
    }
    for what, prefix in expected.items():
        assert any(h.startswith(prefix) for h in links), f"no {what} link ({prefix}...)"
    assert (site / "_sources" / "book" / "explorers" / "net222.ipynb").exists()
    # numbered equations, referenced by number
    assert re.search(r'<span class="eqno">\(\d+\)', html)
    assert re.search(r'href="#equation-eq-ex222-delta"[^>]*>\s*\(\d+\)', html)
    assert (sh.ROOT / "binder" / "requirements.txt").exists()
    bib = (site / "book" / "bibliography.html").read_text()
    assert "Rumelhart" in bib and bib.count('class="citation"') + bib.count("<dt") >= 5


# -- the explorers in Python ---------------------------------------------------------------
def test_net222_steps_agree_with_the_package():
    import bplab.widgets as w

    d = bp.datasets.net222()
    steps, grads = w.net222_steps()
    net = bp.MLP([2, 2, 2], hidden="sigmoid", output="sigmoid", loss="half_sse")
    net.set_weights([d.W1, d.W2], [np.zeros((2, 1)), np.zeros((2, 1))])
    loss, dW, _ = net.gradients(d.x, d.y)
    mine = [np.array([[grads["w1"], grads["w3"]], [grads["w2"], grads["w4"]]]),
            np.array([[grads["w5"], grads["w7"]], [grads["w6"], grads["w8"]]])]
    for a, b in zip(mine, dW):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0)
    C = [v for s in steps for q, _, v in s["rows"] if q == "C"]
    assert C == [pytest.approx(loss, rel=1e-12)]
    # every backward node shows value, local derivative and their product
    for s in steps:
        if s["phase"] == "backward":
            (_, _, upstream), (_, _, local), (_, _, product) = s["rows"]
            assert product == pytest.approx(upstream * local, rel=1e-12)


def test_explorers_work_without_a_kernel():
    """Every frame stack is driven by jslink (browser-side), never by a Python callback."""
    W = require("ipywidgets", "the explorers are ipywidgets")
    import bplab.widgets as w

    for make, groups, frames in ((w.net222_explorer, 1, 11), (w.sine_lr_explorer, 5, 8),
                                 (w.boundary_explorer, 2, 11)):
        box = make()
        assert repr(box).startswith("Explorer: ") and len(repr(box)) < 120
        outer = box.children[-1]
        assert isinstance(outer, W.Stack) and len(outer.children) == groups
        assert all(len(s.children) == frames for s in outer.children)
        stacks = {s.model_id for s in outer.children}
        if groups > 1:                  # one run needs no switch between runs
            stacks.add(outer.model_id)
        linked = {link.target[0].model_id for link in box.links
                  if type(link).__name__ == "Link" and link.target[1] == "selected_index"}
        assert stacks <= linked, "a frame stack is not linked to a control in the browser"
        assert not any(isinstance(c, W.Button) for c in box.children[:-1])
        live = make(live=True)
        assert any(isinstance(c, W.Button) for c in live.children[-1].children)


def test_sine_frames_show_the_learning_rate_story():
    import bplab.widgets as w

    runs = w.sine_lr_frames(lrs=(0.01, 0.1, 1.0), epochs=(0, 1000))
    final = {lr: snaps[-1][2][-1] for lr, snaps in runs.items()}
    first = {lr: snaps[0][2][-1] for lr, snaps in runs.items()}
    assert len(set(first.values())) == 1              # same start, seed 0
    assert final[0.1] < final[0.01] < first[0.1] < final[1.0]


def test_site_extension_falls_back_and_says_why(tmp_path):
    sys.path.insert(0, str(sh.ROOT / "book" / "_ext"))
    try:
        import bplab_site
    finally:
        sys.path.pop(0)
    assert bplab_site.find_assets(tmp_path) == (None, "package.json lists no dependencies")
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {
        "mathjax": "3.2.2", "requirejs": "2.3.7", "@jupyter-widgets/html-manager": "1.0.15"}}))
    found, why = bplab_site.find_assets(tmp_path)
    assert found is None and "npm ci" in why
    for name, version in (("mathjax", "3.2.2"), ("requirejs", "2.3.6"),
                          ("@jupyter-widgets/html-manager", "1.0.15")):
        (tmp_path / "node_modules" / name).mkdir(parents=True)
        (tmp_path / "node_modules" / name / "package.json").write_text(
            json.dumps({"version": version}))
    found, why = bplab_site.find_assets(tmp_path)
    assert found is None and "requirejs 2.3.6" in why and "pins 2.3.7" in why


# -- in the browser ------------------------------------------------------------------------
@pytest.fixture(scope="session")
def server(site):
    srv, base = sh.serve(site)
    yield base
    srv.shutdown()


@pytest.fixture(scope="session")
def browser():
    with sh.chromium() as b:
        yield b


class Recorder:
    """One browser context: records every request and console error; aborts non-local ones."""

    def __init__(self, browser, viewport):
        self.requests, self.blocked, self.errors = [], [], []
        self.context = browser.new_context(viewport=viewport)
        self.context.route("**/*", self._route)
        self.context.on("request", lambda r: self.requests.append(r.url))

    def _route(self, route):
        url = route.request.url
        if sh.is_remote(url):
            self.blocked.append(url)      # never let it leave the machine
            route.abort()
        else:
            route.continue_()

    def open(self, url):
        page = self.context.new_page()
        page.on("console", lambda m: m.type == "error" and not _allowed(
            f"{m.text} {m.location.get('url', '')}") and self.errors.append(
            f"console: {m.text} ({m.location.get('url', '')})"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("response", lambda r: r.status >= 400 and not _allowed(r.url)
                and self.errors.append(f"HTTP {r.status}: {r.url}"))
        page.goto(url, wait_until="load")
        return page


@pytest.fixture(scope="session")
def desktop(browser):
    rec = Recorder(browser, DESKTOP)
    yield rec
    rec.context.close()


@pytest.fixture(scope="session")
def seen_pages():
    return []


MATH_STATE = """() => {
  const maths = [...document.querySelectorAll('article .math')];
  const article = document.querySelector('article').cloneNode(true);
  article.querySelectorAll('pre, code, script, style, .highlight, mjx-container')
         .forEach(e => e.remove());
  const raw = /\\$\\$|\\\\begin\\{|\\\\frac\\{/.test(article.textContent);
  return {n: maths.length, typeset: maths.filter(m => m.querySelector('mjx-container')).length,
          raw: raw};
}"""


def _typeset(page):
    if page.locator("article .math").count() == 0:
        return {"n": 0, "typeset": 0, "raw": page.evaluate(MATH_STATE)["raw"]}
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise")
    return page.evaluate(MATH_STATE)


def _fitted(page):
    """Wait until bplab-site.js has fitted the equations to the window's current width."""
    page.wait_for_function(
        "() => document.documentElement.getAttribute('data-bplab-fit') == String(innerWidth)",
        timeout=15_000)


def _layout(page):
    """Every place the page cuts something off or draws it past the column (site_layout.js)."""
    return page.evaluate(sh.LAYOUT_JS, sh.MIN_EQUATION_SCALE)


IMAGES = """() => [...document.querySelectorAll('article img')]
    .filter(i => i.getBoundingClientRect().width > 0)
    .map(i => ({src: i.getAttribute('src'), alt: i.getAttribute('alt')}))"""


# axe-core's colour-contrast rule is the slowest of its rules (about 2 s a page); colours
# come from the theme and the site's CSS, the same on every page, so it runs on one page of
# each kind (and every other rule on every page). A page with a new kind of element belongs
# here.
CONTRAST_PAGES = {"book/intro", "book/notation", "book/quickstart", "book/part1/03_backward",
                  "book/part1/softmax", "book/part1/05_gradient_descent",
                  "book/cases/000_sine", "book/part3/attention", "book/part3/capstone_cnn",
                  "book/exercises/03_dense_layer", "book/exercises/13_bug_zoo",
                  "book/explorers/learning_rate", "book/glossary", "book/performance"}


@pytest.mark.browser
@pytest.mark.parametrize("docname", sh.toc_docnames())
def test_page_loads_typesets_and_stays_local(docname, site, server, desktop, seen_pages):
    assert (site / f"{docname}.html").exists(), f"{docname} is in _toc.yml but was not built"
    before = len(desktop.errors)
    page = desktop.open(sh.url_for(server, docname))
    try:
        assert page.title(), f"{docname}: empty title"
        assert page.locator("article h1").count() >= 1, f"{docname}: no heading"
        math = _typeset(page)
        assert math["typeset"] == math["n"], f"{docname}: {math['n'] - math['typeset']} of " \
                                             f"{math['n']} math elements not typeset"
        assert not math["raw"], f"{docname}: raw TeX left in the page text"
        # what a reader meets, collected so that one run lists every fault of the page
        faults = []
        _fitted(page)
        wide = page.evaluate("""() => [...document.querySelectorAll('article mjx-container')]
            .filter(e => parseFloat(e.getAttribute('data-bplab-scale') || '1') < 1)
            .map(e => e.textContent.slice(0, 50))""")
        if wide:
            faults.append(f"equations wider than the desktop column (split them with "
                          f"aligned): {wide}")
        faults += [f"at {DESKTOP['width']} px: {p}" for p in _layout(page)]
        if docname in EXPLORERS:
            page.locator(".bplab-explorer").first.wait_for(timeout=15_000)
        faults += [f"image without a meaningful alt text: <img src={i['src']!r} "
                   f"alt={i['alt']!r}>" for i in page.evaluate(IMAGES)
                   if looks_like_file_name(i["alt"])]
        skip = () if docname in CONTRAST_PAGES else ("color-contrast",)
        faults += [f"accessibility (axe-core): {v}" for v in sh.axe_violations(page, skip=skip)]
        name = docname.replace("/", "_")
        SHOTS.mkdir(parents=True, exist_ok=True)
        if faults:                      # a picture of what failed, for the reader of the log
            page.evaluate("() => document.fonts.ready.then(() => true)")
            page.screenshot(path=str(SHOTS / f"{name}-desktop.png"),
                            full_page=docname in EXPLORERS)
        page.set_viewport_size(PHONE)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(true)))")
        # the theme slides its sidebars off-screen with a CSS transition: let it finish, or
        # the layout check (and a screenshot) catches them half-way across the page
        page.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')")
        _fitted(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        if overflow > 1:
            faults.append(f"{overflow}px wider than a {PHONE['width']}px phone")
        faults += [f"at {PHONE['width']} px: {p}" for p in _layout(page)]
        if faults:
            page.screenshot(path=str(SHOTS / f"{name}-phone.png"),
                            full_page=docname in EXPLORERS)
    finally:
        page.close()
    faults += desktop.errors[before:]
    assert not faults, f"{docname}:\n" + "\n".join(faults)
    assert desktop.blocked == [], f"requests to other hosts: {desktop.blocked}"
    seen_pages.append(docname)


def _visible_caption(page):
    cap = page.locator(".bplab-explorer .bplab-caption >> visible=true")
    cap.first.wait_for(timeout=15_000)
    assert cap.count() == 1, "exactly one frame should be visible"
    return cap.first.inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("docname", EXPLORERS)
def test_explorer_renders_and_responds(docname, server, desktop):
    before = len(desktop.errors)
    page = desktop.open(sh.url_for(server, docname))
    try:
        page.locator(".bplab-explorer").first.wait_for(timeout=15_000)
        first = _visible_caption(page)
        handle = page.locator(".bplab-explorer .noUi-handle").first
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(200)
        moved = _visible_caption(page)
        assert moved != first, f"{docname}: the slider did not change the frame ({first!r})"
        readout = page.locator(".bplab-explorer .widget-readout").first.inner_text()
        assert readout.strip() == "2", f"{docname}: slider readout {readout!r}, expected 2"
        buttons = page.locator(".bplab-explorer .widget-toggle-button")
        if buttons.count() > 1:
            buttons.nth(1).click()
            page.wait_for_timeout(200)
            other, label = _visible_caption(page), buttons.nth(1).inner_text().strip()
            assert other != moved and other.startswith(label), \
                f"{docname}: the button {label!r} did not switch the run ({moved!r} -> {other!r})"
    finally:
        page.close()
    assert desktop.errors[before:] == [], "\n".join(desktop.errors[before:])
    assert desktop.blocked == []


# axe-core rules about a control's accessible name (any impact fails the explorers)
NAME_RULES = ["button-name", "aria-input-field-name", "aria-toggle-field-name", "label",
              "input-button-name", "select-name", "link-name", "aria-command-name"]


@pytest.mark.browser
@pytest.mark.parametrize("docname", EXPLORERS)
def test_explorer_controls_have_accessible_names(docname, server, desktop):
    page = desktop.open(sh.url_for(server, docname))
    try:
        page.locator(".bplab-explorer").first.wait_for(timeout=15_000)
        controls = page.locator(".bplab-explorer button, .bplab-explorer [role=slider], "
                                ".bplab-explorer input, .bplab-explorer select")
        assert controls.count() >= 2, f"{docname}: the explorer has no controls"
        unnamed = sh.axe_violations(page, impacts=("minor", "moderate", "serious", "critical"),
                                    context=".bplab-explorer", only=NAME_RULES)
    finally:
        page.close()
    assert not unnamed, f"{docname}: controls without an accessible name:\n" + "\n".join(unnamed)


@pytest.mark.browser
def test_the_audit_fails_on_a_faulty_page(browser):
    """axe-core, as the page test runs it, reports what it should (the check can fail)."""
    page = browser.new_page()
    try:
        page.set_content('<html lang="en"><head><title>t</title></head><body><main>'
                         '<h1>t</h1><button></button><img src="data:,">'
                         '<p style="color:#bbb;background:#fff">low contrast</p>'
                         '</main></body></html>')
        found = "\n".join(sh.axe_violations(page))
    finally:
        page.close()
    for rule in ("button-name", "image-alt", "color-contrast"):
        assert rule in found, f"axe-core did not report {rule}:\n{found}"


FAULTY_LAYOUT = """<html lang="en"><head><title>t</title></head><body style="margin:0">
<article style="width:390px">
  <div id="cut" style="width:200px; overflow:hidden"><p style="width:600px">a clipped line</p></div>
  <div class="pst-scrollable-table-container" style="overflow-x:auto">
    <table><tr><td style="white-space:nowrap">a ledger row far wider than a phone's screen,
      cut off mid-word at the edge of the column</td></tr></table></div>
  <p style="white-space:nowrap">a line of prose that does not wrap and so runs on past the right
    edge of the column, where the reader never sees its end</p>
  <div class="math" style="position:relative; width:380px">
    <span class="eqno" style="position:absolute; left:10px; top:0">(3.1)</span>
    <mjx-container display="true" style="display:block"><mjx-math
      style="display:inline-block; width:300px; height:20px"></mjx-math></mjx-container></div>
  <div class="math"><mjx-container display="true" data-bplab-scale="1"
      style="display:block; overflow-x:auto; width:300px"><mjx-math
      style="display:inline-block; width:500px; height:20px"></mjx-math></mjx-container></div>
</article></body></html>"""


@pytest.mark.browser
def test_layout_check_finds_what_a_reader_cannot_see(browser):
    """tests/site_layout.js, as the page test runs it, names each kind of fault (it can fail)."""
    page = browser.new_page(viewport=PHONE)
    try:
        page.set_content(FAULTY_LAYOUT)
        problems = "\n".join(_layout(page))
    finally:
        page.close()
    for fault in ("cut off", "table wider than its column", "text past the column",
                  "overlaps it", "scrolls sideways at scale 1"):
        assert fault in problems, f"the layout check missed '{fault}':\n{problems}"


@pytest.mark.browser
def test_search_finds_a_chapter(server, desktop):
    page = desktop.open(server + "search.html?q=notation")
    try:
        hits = page.locator("#search-results ul.search li a")
        hits.first.wait_for(timeout=15_000)
        hrefs = [hits.nth(i).get_attribute("href") for i in range(hits.count())]
        assert any(urlsplit(h).path.endswith("book/notation.html") for h in hrefs), hrefs
    finally:
        page.close()
    assert desktop.blocked == []


@pytest.mark.browser
def test_search_summaries_show_maths_as_text(site, server, desktop):
    """A search summary is cut from a page's HTML, where inline maths is TeX, \\( ... \\)."""
    term = "sigmoid"
    # the test means something only if a page has the term and inline TeX near each other
    near = re.compile(r"sigmoid.{0,120}?\\\(|\\\(.{0,120}?sigmoid", re.I | re.S)
    assert any(near.search(p.read_text(errors="replace")) for p in sh.html_pages(site)), \
        "no built page has inline maths next to 'sigmoid': pick another search term"
    page = desktop.open(server + f"search.html?q={term}")
    try:
        hits = page.locator("#search-results ul.search li")
        hits.first.wait_for(timeout=15_000)
        # summaries are fetched one by one; wait for all (a term hit has a description instead)
        page.wait_for_function("""() => {
            const items = document.querySelectorAll('#search-results ul.search li');
            return items.length && [...items].every(li => li.querySelector('p.context, span'));
        }""", timeout=30_000)
        summaries = page.locator("#search-results ul.search li p.context").all_inner_texts()
        text = page.locator("#search-results").inner_text()
    finally:
        page.close()
    assert len(summaries) >= 3, summaries
    raw = [t for t in summaries
           if re.search(r"\\[()\[\]]|\$\$|\\(?:frac|sigma|partial|delta|mathbf|top)\b", t)]
    assert not raw, "search summaries show TeX:\n" + "\n".join(raw)
    assert "\\(" not in text
    assert any("σ" in t for t in summaries), "no summary shows the sigmoid's σ as text"
    assert desktop.blocked == []


@pytest.mark.browser
def test_no_request_left_localhost(server, desktop, seen_pages):
    """Run last in this file: every request of every page above went to the local server."""
    if not seen_pages:                  # run on its own: load the front page at least
        desktop.open(server).close()
        seen_pages.append("index")
    hosts = {urlsplit(u).hostname for u in desktop.requests if urlsplit(u).scheme != "data"}
    assert hosts <= sh.LOCAL_HOSTS, f"requests to {hosts - sh.LOCAL_HOSTS}"
    assert desktop.blocked == [], f"aborted requests to other hosts: {desktop.blocked}"
    assert len(desktop.requests) > 3 * len(seen_pages)


def test_the_colour_contrast_pages_are_pages_of_the_book():
    assert CONTRAST_PAGES <= set(sh.toc_docnames()), CONTRAST_PAGES - set(sh.toc_docnames())
