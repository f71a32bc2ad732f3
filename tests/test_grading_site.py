"""The website's download button serves the exercise notebooks without their hidden tests.

Reads the built site (``_build/html``, or ``BPLAB_SITE_DIR``): for every exercise page, the
notebook its download link points at. A missing site is a failure, as in test_site.py.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from bplab.grading import notebook as nbtools
from tests import site_helpers as sh

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = sorted((ROOT / "book" / "exercises").glob("*.ipynb"))


@pytest.fixture(scope="module")
def site():
    if not (sh.SITE_DIR / "index.html").is_file():
        pytest.fail(f"No built website at {sh.SITE_DIR}. Build it first with `make book`, or "
                    f"point BPLAB_SITE_DIR at a build's html folder.", pytrace=False)
    return sh.SITE_DIR


def download_link(page: Path) -> Path:
    """The notebook file the page's download button links to."""
    html = page.read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"]*_sources/[^"]*\.ipynb)"', html))
    assert len(links) == 1, (page, links)
    return (page.parent / links.pop()).resolve()


@pytest.mark.parametrize("source", EXERCISES, ids=lambda p: p.stem)
def test_the_download_is_the_student_version(source, site):
    instructor = nbformat.read(source, as_version=4)
    assert any(nbtools.role(c) == "hidden" for c in instructor.cells)   # there is a secret
    page = site / "book" / "exercises" / f"{source.stem}.html"
    served = download_link(page)
    text = served.read_text(encoding="utf-8")
    assert nbtools.BEGIN_HIDDEN not in text and "HIDDEN TESTS" not in text
    nb = nbformat.read(served, as_version=4)
    assert not [c for c in nb.cells if nbtools.role(c) == "hidden"]
    # self-study keeps the solutions, collapsed as on the page
    solutions = [c for c in nb.cells if nbtools.role(c) == "solution"]
    assert solutions and all("hide-input" in c.metadata.get("tags", []) for c in solutions)
    assert [c.source for c in solutions] == [c.source for c in instructor.cells
                                             if nbtools.role(c) == "solution"]
    assert json.loads(text)["nbformat"] == 4


def test_public_version_drops_hidden_blocks_in_any_cell():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("check(f)\n### BEGIN HIDDEN TESTS\nsecret(f)\n"
                                  "### END HIDDEN TESTS",
                                  metadata={"bplab": {"exercise": "e", "role": "check"}}),
        nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\nsecret(f)\n### END HIDDEN TESTS")])
    public = nbtools.public_version(nb)
    assert [c.source for c in public.cells] == ["check(f)"]
