"""Helpers for tests/test_site.py: where the built site is, its pages, a local server, and a
static reading of its HTML (links, anchors, remote references, alt texts, build details),
and the JavaScript the browser tests run in a page (tests/site_layout.js, axe-core)."""
from __future__ import annotations

import atexit
import contextlib
import functools
import http.server
import os
import re
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE_DIR = Path(os.environ.get("BPLAB_SITE_DIR", ROOT / "_build" / "html")).resolve()
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Attributes through which a page makes the browser fetch something at page view
# (<a href> is a link the reader may follow, not a request).
FETCHING = {"script": ("src",), "img": ("src", "srcset"), "iframe": ("src",),
            "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",),
            "embed": ("src",), "object": ("data",), "image": ("href", "xlink:href")}
FETCHING_LINK_RELS = {"stylesheet", "icon", "shortcut", "preload", "prefetch", "modulepreload",
                      "manifest", "apple-touch-icon", "preconnect", "dns-prefetch"}


def toc_docnames(toc=ROOT / "_toc.yml") -> list[str]:
    """Every document in the table of contents, the root first (e.g. 'book/intro')."""
    data = yaml.safe_load(Path(toc).read_text())
    names = [data["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(str(Path(entry["file"]).with_suffix("")))
            walk(entry.get("sections"))
            walk(entry.get("chapters"))
    for part in data.get("parts", []):
        walk(part.get("chapters"))
    walk(data.get("chapters"))
    return names


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):   # keep pytest's output clean
        pass

    def end_headers(self):
        # let the browser cache MathJax & co. across pages, as a real web server would
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a page closed before its last response was written: not the site's fault
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 (a free port) from a daemon thread.

    Returns ``(server, base_url)``; call ``server.shutdown()`` when done.
    """
    handler = functools.partial(_Quiet, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class PageParser(HTMLParser):
    """Collect a page's ids, its links, and what it makes the browser fetch."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.fetches = set(), [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for attr in FETCHING.get(tag, ()):
            if a.get(attr):
                self.fetches.extend(u.split()[0] for u in a[attr].split(","))
        if tag == "link" and a.get("href"):
            rels = set((a.get("rel") or "").lower().split())
            if rels & FETCHING_LINK_RELS:
                self.fetches.append(a["href"])


@functools.lru_cache(maxsize=None)
def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def html_pages(site: Path = SITE_DIR) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts
                  and "_sources" not in p.parts)


def is_remote(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript", "mailto"):
        return False
    if url.startswith("//"):
        return True
    return parts.scheme in ("http", "https") and parts.hostname not in LOCAL_HOSTS


def broken_internal_links(site: Path = SITE_DIR) -> list[str]:
    """Every internal link (``<a href>``) whose file or ``#anchor`` does not exist."""
    problems = []
    for page in html_pages(site):
        rel = page.relative_to(site).as_posix()
        for href in parse_page(page).links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue   # external links are the reader's to follow, not ours to fetch
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{rel}: {href} -> no file {target}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in parse_page(target).ids:
                problems.append(f"{rel}: {href} -> no id '{fragment}' in "
                                f"{target.relative_to(site).as_posix()}")
    return problems


def remote_fetches(site: Path = SITE_DIR) -> list[str]:
    """Every script/stylesheet/image/... a built page would fetch from another host."""
    found = []
    for page in html_pages(site):
        for url in parse_page(page).fetches:
            if is_remote(url):
                found.append(f"{page.relative_to(site).as_posix()}: {url}")
    return found


def url_for(base_url: str, docname: str) -> str:
    return urljoin(base_url, f"{docname}.html")


# -- reading the pages as a reader sees them ----------------------------------------------
# tests/site_layout.js: every place a page cuts something off or draws it past the column
LAYOUT_JS = (ROOT / "tests" / "site_layout.js").read_text()
MIN_EQUATION_SCALE = 0.7          # MIN_SCALE in book/_static/bplab-site.js
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"   # pinned in package.json
# axe-core rules not run, each with the reason (keep this short):
AXE_DISABLED: dict[str, str] = {}


def _site_extension():
    """The site's Sphinx extension (book/_ext/bplab_site.py), imported from its folder."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    try:
        import bplab_site
    finally:
        sys.path.pop(0)
    return bplab_site


# the site's own rule (the build gives a captioned figure its caption as alt text)
looks_like_file_name = _site_extension().looks_like_file_name


def axe_violations(page, impacts=("serious", "critical"), context="document",
                   only=None, skip=()) -> list[str]:
    """Run axe-core (served from node_modules, never a CDN) on a page: its violations of the
    given impacts, one line per rule with the first few offending elements. ``context``: a CSS
    selector to check instead of the whole document (which is checked without MathJax's
    aria-hidden glyphs); ``only``: run just these rules; ``skip``: rules not to run."""
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `npm ci` (axe-core is pinned in "
                                f"package.json)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    options = {"resultTypes": ["violations"]}
    if only:
        options["runOnly"] = {"type": "rule", "values": list(only)}
    else:
        options["rules"] = {rule: {"enabled": False} for rule in [*AXE_DISABLED, *skip]}
    if context == "document":
        # MathJax draws each formula twice: glyphs marked aria-hidden, and MathML for
        # assistive technology, which stays in scope. The hidden glyphs, thousands of nodes
        # on a page of equations, took 17% to 36% of the audit's time on the pages measured,
        # and have no colour of their own (they inherit the paragraph's).
        context = {"exclude": [['mjx-math[aria-hidden="true"]']]}
    result = page.evaluate("""([context, options]) => axe.run(
        context === 'document' ? document : context, options)
      .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' +
                                        (n.failureSummary || '').split('\\n').slice(1, 3).join(' '))})))""",
                           [context, options])
    return [f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
            for v in result if v["impact"] in impacts]


class ImageParser(HTMLParser):
    """Collect every <img> of a page as a dict of its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def bad_alt_texts(site: Path = SITE_DIR) -> list[str]:
    """Every <img> whose alt text is missing, empty, or a file name, path or hash."""
    found = []
    for page in html_pages(site):
        parser = ImageParser()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for img in parser.images:
            if looks_like_file_name(img.get("alt")):
                found.append(f"{page.relative_to(site).as_posix()}: <img src="
                             f"{img.get('src')!r} alt={img.get('alt')!r}>")
    return found


# What a reader's page must not show: nbval's markers, the project's issue numbers, the
# absolute paths of the machine that built or profiled it.
BUILD_INTERNALS = {
    "an nbval marker": re.compile(r"NBVAL_|PYTEST_VALIDATE_"),
    "an issue number of the project": re.compile(
        r"\bissue\s+#?\d+\s+of\s+the\s+project|\(issue\s+#?\d+\)", re.I),
    "an absolute path of the machine": re.compile(r"(?<![\w.:/~-])/(?:work|home|root)/"),
}


class TextParser(HTMLParser):
    """The text a reader sees on a page (no scripts, styles or the search index)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def build_internals(site: Path = SITE_DIR) -> list[str]:
    """Every place a built page shows one of BUILD_INTERNALS, with a little context."""
    found = []
    for page in html_pages(site):
        parser = TextParser()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        text = " ".join(" ".join(parser.parts).split())
        for what, pattern in BUILD_INTERNALS.items():
            for m in pattern.finditer(text):
                context = text[max(m.start() - 40, 0):m.end() + 40]
                found.append(f"{page.relative_to(site).as_posix()}: {what}: ...{context}...")
    return found


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


_PLAYWRIGHT = []


def _playwright():
    """One Playwright per process: the sync API refuses a second one while the first runs,
    and the browser tests of several files may share a worker."""
    from tests.conftest import require
    if not _PLAYWRIGHT:
        sync_api = require("playwright.sync_api", "the browser tests drive chromium with it")
        _PLAYWRIGHT.append(sync_api.sync_playwright().start())
        atexit.register(_PLAYWRIGHT[0].stop)
    return _PLAYWRIGHT[0]


@contextlib.contextmanager
def chromium(extra_args=()):
    """Debian's chromium driven by Playwright (skips, saying what is missing, without them)."""
    from tests.conftest import require_chromium
    path = require_chromium()
    b = _playwright().chromium.launch(executable_path=path,
                                      args=CHROMIUM_ARGS + list(extra_args))
    try:
        yield b
    finally:
        b.close()
