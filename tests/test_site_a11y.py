"""Accessibility of the website: alt texts, named controls, and axe-core's audit.

Every page is audited with axe-core (pinned in package.json, injected from node_modules) in
tests/test_site.py's page test, which fails on its serious and critical violations; the names
of the explorers' controls and a check that the audit itself can fail are there too (they
share its browser). Here: the alt text of every image of the built site, read from the HTML
(no browser needed).
"""
from __future__ import annotations

import pytest

from tests import site_helpers as sh


def test_alt_text_rule():
    for alt in (None, "", "  ", "../../_images/f695da1480a567cda2af6d6faab1b820487ccd6bfa"
                "7908a104bdb38fb43e92a3.png", "loss.png", "figure_3.svg", "_images/x"):
        assert sh.looks_like_file_name(alt), alt
    for alt in ("Loss against steps for three learning rates", "Colab logo",
                "δ flows back through Wᵀ, layer by layer"):
        assert not sh.looks_like_file_name(alt), alt


def test_every_image_has_a_meaningful_alt_text():
    site = sh.SITE_DIR
    if not (site / "index.html").exists():
        pytest.fail(f"No built website at {site}: build it first (`make book`).", pytrace=False)
    bad = sh.bad_alt_texts(site)
    assert not bad, (f"{len(bad)} images whose alt text is empty or a file name (give the cell "
                     f"MyST-NB metadata: mystnb: image: alt: ..., or a figure caption):\n"
                     + "\n".join(bad))
