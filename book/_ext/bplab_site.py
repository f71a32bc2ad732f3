"""Serve the site's JavaScript from the site itself (a Sphinx extension of the bplab book).

MathJax, require.js and the Jupyter widgets embed manager (``@jupyter-widgets/html-manager``)
come from their npm packages, pinned in ``package.json`` / ``package-lock.json`` and installed
with ``npm ci`` into ``node_modules/`` (``make book`` does this). At the end of an HTML build
the files a page needs are copied into ``_static/vendor/`` and the pages point there, so a page
view asks no host but the site's own. Nothing under ``_static/vendor/`` is committed.

Without ``node_modules/`` (no npm on the machine) the build still succeeds: the pages then
load MathJax and the widget manager from the public CDNs (Sphinx's and myst-nb's defaults),
and the build log says so.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

VENDOR = "vendor"   # under _static/
# package -> files and folders to copy (relative to the package), and where they go
ASSETS = {
    "mathjax": {
        "LICENSE": "mathjax/LICENSE",
        "es5/tex-mml-chtml.js": "mathjax/tex-mml-chtml.js",
        "es5/input": "mathjax/input",          # TeX extensions loaded on demand (autoload)
        "es5/output/chtml": "mathjax/output/chtml",   # the CHTML fonts (woff-v2)
        "es5/ui": "mathjax/ui",                # the right-click menu's lazy parts
        "es5/a11y": "mathjax/a11y",            # accessibility options of the menu
        "es5/sre": "mathjax/sre",              # speech rule engine (menu: speech)
        "es5/adaptors": "mathjax/adaptors",
    },
    "requirejs": {
        "require.js": "requirejs/require.js",
    },
    "@jupyter-widgets/html-manager": {
        # embed-amd.js (it bundles the core widgets) and the icon fonts its CSS names;
        # embed.js.LICENSE.txt lists the licenses of the bundled code
        "dist": "html-manager",
    },
}
MATHJAX = f"{VENDOR}/mathjax/tex-mml-chtml.js"
REQUIREJS = f"{VENDOR}/requirejs/require.js"
EMBED_AMD = f"{VENDOR}/html-manager/embed-amd.js"


def _pinned(root: Path) -> dict:
    try:
        return json.loads((root / "package.json").read_text())["dependencies"]
    except (OSError, ValueError, KeyError):
        return {}


def find_assets(root: Path):
    """Return ``(node_modules, problem)``: the folder to copy from, or None and why not."""
    node_modules = root / "node_modules"
    pinned = _pinned(root)
    if not pinned:
        return None, "package.json lists no dependencies"
    for package in ASSETS:
        meta = node_modules / package / "package.json"
        if not meta.exists():
            return None, f"{package} is not installed in node_modules (run `npm ci`)"
        version = json.loads(meta.read_text()).get("version")
        if version != pinned.get(package):
            return None, (f"node_modules has {package} {version}, package.json pins "
                          f"{pinned.get(package)} (run `npm ci`)")
    return node_modules, None


CDN = "https://cdn.jsdelivr.net/npm/"


def _config_inited(app, config):
    root = Path(app.confdir)
    static = Path(__file__).resolve().parent.parent / "_static"   # book/_static
    config.html_static_path = [*config.html_static_path, str(static)]
    node_modules, problem = find_assets(root)
    app.bplab_node_modules = node_modules   # read by _copy_assets
    pins = _pinned(root)
    if node_modules is not None:
        config.mathjax_path = MATHJAX
        requirejs, embed, widgets_base = REQUIREJS, EMBED_AMD, ""
        logger.info("bplab_site: serving MathJax, require.js and the widget manager from "
                    "_static/vendor (copied from node_modules).")
    elif set(ASSETS) <= set(pins):
        # the same pinned versions, from a public CDN
        config.mathjax_path = f"{CDN}mathjax@{pins['mathjax']}/es5/tex-mml-chtml.js"
        requirejs = f"{CDN}requirejs@{pins['requirejs']}/require.js"
        widgets_base = f"{CDN}@jupyter-widgets/html-manager@" \
                       f"{pins['@jupyter-widgets/html-manager']}/dist/"
        embed = widgets_base + "embed-amd.js"
        logger.info(f"bplab_site: {problem}; the pages will load MathJax and the widget "
                    f"manager from {CDN} instead of the site itself.")
    else:
        logger.info(f"bplab_site: {problem}; the pages will load MathJax and the widget "
                    f"manager from the Sphinx and myst-nb default CDNs.")
        return
    # myst-nb adds these (local paths relative to _static/) on pages holding widget state.
    # bplab-widgets-config.js (book/_static) tells the manager where its fonts are.
    # data-jupyter-widgets-cdn: where the manager would fetch widget packages it does not
    # bundle. The explorers use only the bundled core widgets; served locally, a stray fetch
    # stays on the site (and fails visibly in the browser tests) rather than reach a CDN.
    config.nb_ipywidgets_js = {
        requirejs: {},
        "bplab-widgets-config.js": {"data-base": widgets_base} if widgets_base else {},
        embed: {"data-jupyter-widgets-cdn": CDN if widgets_base else "_static/vendor/"},
    }


def _copy_assets(app, exception):
    node_modules = getattr(app, "bplab_node_modules", None)
    if exception is not None or node_modules is None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for package, files in ASSETS.items():
        for src, dst in files.items():
            source, target = node_modules / package / src, static / VENDOR / dst
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
                    "*.map", "embed.js", "libembed-amd.js"))   # unused builds of the manager
            else:
                shutil.copy2(source, target)


def _icon_on_redirect(app, exception):
    """Give Jupyter Book's root redirect page (index.html, one <meta> line) the site's icon,
    so that a browser opening it does not ask for a /favicon.ico the site does not have."""
    if exception is not None or app.builder.format != "html" or not app.config.html_favicon:
        return
    index = Path(app.outdir) / "index.html"
    if not index.exists():
        return
    html = index.read_text(encoding="utf-8")
    if 'http-equiv="Refresh"' in html and 'rel="icon"' not in html:
        icon = Path(app.config.html_favicon).name
        index.write_text(f'<link rel="icon" href="_static/{icon}" />\n' + html,
                         encoding="utf-8")


def _tidy_scripts(app, pagename, templatename, context, doctree):
    """Drop repeated inline scripts, and sphinx-thebe's, which this site never uses.

    sphinx-thebe (pulled in by Jupyter Book) registers its inline configuration in a way that
    Sphinx 7 emits twice, so every page threw "Identifier 'THEBE_JS_URL' has already been
    declared"; that configuration also names a CDN. Thebe is off (launch_buttons.thebe:
    false), so neither it nor its loader is needed.
    """
    files = context.get("script_files")
    if not files:
        return
    kept, seen = [], set()
    for js in files:
        name = str(getattr(js, "filename", js) or "")
        body = getattr(js, "attributes", {}).get("body", "")
        if "THEBE_JS_URL" in body or name.endswith("sphinx-thebe.js"):
            continue
        key = (name, body)
        if key in seen:
            continue
        seen.add(key)
        kept.append(js)
    files[:] = kept


# An alt text that is a file name or a hash says nothing about the picture.
FILE_LIKE = re.compile(r"(\.(png|jpe?g|gif|svg|webp)$)|(^|/)_images/|[0-9a-f]{16,}", re.I)


def looks_like_file_name(alt) -> bool:
    """True for an empty alt text, or one that is a file name, path or hash."""
    text = (alt or "").strip()
    return not text or bool(FILE_LIKE.search(text))


def _alt_from_captions(app, doctree, docname):
    """Give a figure's image its caption as alt text when it has none of its own.

    A notebook's image output without MyST-NB metadata (``mystnb: image: alt:``) gets its
    hashed file name as alt text. When the image sits in a captioned figure, the caption
    says what it shows; otherwise the image is left alone, and the site's tests name it.
    """
    for image in doctree.findall(nodes.image):
        if not looks_like_file_name(image.get("alt")):
            continue
        figure = image.parent
        while figure is not None and not isinstance(figure, nodes.figure):
            figure = figure.parent
        caption = next(iter(figure.findall(nodes.caption)), None) if figure else None
        if caption is not None and caption.astext().strip():
            image["alt"] = " ".join(caption.astext().split())
        else:
            logger.info(f"bplab_site: {docname}: an image has no alt text "
                        f"({image.get('uri')}); give its cell MyST-NB metadata "
                        f"(mystnb: image: alt: ...).")


def setup(app):
    app.add_js_file("bplab-site.js", priority=200)    # before the widget manager (500)
    app.add_css_file("bplab-site.css")
    app.connect("html-page-context", _tidy_scripts, priority=900)
    # priority 899: after myst-nb and jupyter-book have registered their defaults
    app.connect("config-inited", _config_inited, priority=899)
    app.connect("build-finished", _copy_assets)
    app.connect("build-finished", _icon_on_redirect, priority=900)   # after Jupyter Book's
    app.connect("doctree-resolved", _alt_from_captions)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
