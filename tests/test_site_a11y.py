"""Accessibility of the website: alt texts, named controls, and axe-core's audit.

Every page is audited with axe-core (pinned in package.json, injected from node_modules) in
tests/test_site.py's page test, which fails on its serious and critical violations. Here:
the alt text of every image of the built site (static, no browser needed), the names of the
explorers' controls, and a check that the audit itself fails on a page with known faults.
"""
from __future__ import annotations

import pytest

from tests import site_helpers as sh
from tests.test_site import EXPLORERS, browser, desktop, server, site  # noqa: F401 (fixtures)

# axe-core rules about a control's accessible name (any impact fails the explorers)
NAME_RULES = ["button-name", "aria-input-field-name", "aria-toggle-field-name", "label",
              "input-button-name", "select-name", "link-name", "aria-command-name"]


def test_alt_text_rule():
    for alt in (None, "", "  ", "../../_images/f695da1480a567cda2af6d6faab1b820487ccd6bfa"
                "7908a104bdb38fb43e92a3.png", "loss.png", "figure_3.svg", "_images/x"):
        assert sh.looks_like_file_name(alt), alt
    for alt in ("Loss against steps for three learning rates", "Colab logo",
                "δ flows back through Wᵀ, layer by layer"):
        assert not sh.looks_like_file_name(alt), alt


def test_every_image_has_a_meaningful_alt_text(site):  # noqa: F811
    bad = sh.bad_alt_texts(site)
    assert not bad, (f"{len(bad)} images whose alt text is empty or a file name (give the cell "
                     f"MyST-NB metadata: mystnb: image: alt: ..., or a figure caption):\n"
                     + "\n".join(bad))


@pytest.mark.browser
@pytest.mark.parametrize("docname", EXPLORERS)
def test_explorer_controls_have_accessible_names(docname, server, desktop):  # noqa: F811
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
def test_the_audit_fails_on_a_faulty_page(browser):  # noqa: F811
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
