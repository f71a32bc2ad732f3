"""A reader's page shows the course, not how it is built.

No nbval marker comments in the notebooks' code (nbval reads the same instruction from cell
tags, which the page does not show: ``python -m tests.nbval_tags`` converts them), and no
nbval marker, issue number of the project or absolute machine path on a built page. The last
test checks that the installed nbval honours those tags, so the conversion changes nothing
that nbval checks.
"""
from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from tests import nbval_tags
from tests import site_helpers as sh


def test_no_notebook_has_nbval_marker_comments():
    left = [line for path in nbval_tags.notebooks() for line in nbval_tags.leftover_markers(path)]
    assert not left, ("nbval marker comments show on the website; turn them into cell tags "
                      "with `python -m tests.nbval_tags`:\n" + "\n".join(left))


def test_converting_markers_to_tags():
    source = "# NBVAL_IGNORE_OUTPUT\n\nx = 1\nprint(x)  # not a marker\n"
    assert nbval_tags.convert_source(source) == ("x = 1\nprint(x)  # not a marker\n",
                                                 ["nbval-ignore-output"])
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("#NBVAL_SKIP\nimport os", metadata={"tags": ["hide-input"]}),
        nbformat.v4.new_code_cell("  # NBVAL_RAISES_EXCEPTION\n1 / 0"),
        nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(2)"),
        nbformat.v4.new_markdown_cell("# NBVAL_SKIP (markdown is left alone)"),
        nbformat.v4.new_code_cell("y = 2"),
    ])
    assert nbval_tags.convert(nb) == 3
    assert [c.metadata.get("tags") for c in nb.cells] == [
        ["hide-input", "nbval-skip"], ["nbval-raises-exception"], ["nbval-check-output"],
        None, None]
    assert [c.source for c in nb.cells] == ["import os", "1 / 0", "print(2)",
                                            "# NBVAL_SKIP (markdown is left alone)", "y = 2"]
    assert nbval_tags.convert(nb) == 0          # a second run finds nothing


def test_check_mode_names_the_offending_cell(tmp_path, capsys):
    path = tmp_path / "x.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("a = 1"),
        nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\nprint(a)")]), path)
    assert nbval_tags.main(["--check", str(path)]) == 1
    assert f"{path}, cell 1: # NBVAL_IGNORE_OUTPUT" in capsys.readouterr().out
    assert nbval_tags.main([str(path)]) == 0
    assert nbval_tags.main(["--check", str(path)]) == 0
    assert nbformat.read(path, as_version=4).cells[1].metadata["tags"] == ["nbval-ignore-output"]


def test_built_pages_show_no_build_internals():
    site = sh.SITE_DIR
    if not (site / "index.html").exists():
        pytest.fail(f"No built website at {site}: build it first (`make book`).", pytrace=False)
    found = sh.build_internals(site)
    assert not found, "built pages show build details:\n" + "\n".join(found)


def test_build_internals_patterns_catch_what_they_should():
    hits = {what for what, pattern in sh.BUILD_INTERNALS.items()
            for text in ("# NBVAL_IGNORE_OUTPUT", "the targets (issue 7 of the project)",
                         "301 0.004 /work/main/bplab/activations.py:28(sigmoid)",
                         "/home/ann/x.py", "see /root/y")
            if pattern.search(text)}
    assert hits == set(sh.BUILD_INTERNALS)
    clean = ("https://github.com/bplab-course/bplab/blob/main/book", "bplab/network.py",
             "issue a warning", "a/home/b", "~/work/x")
    assert not [t for t in clean for p in sh.BUILD_INTERNALS.values() if p.search(t)]


@pytest.mark.parametrize("tag, passes", [("nbval-ignore-output", True), (None, False),
                                         ("nbval-skip", True)])
def test_installed_nbval_honours_the_cell_tags(tmp_path, tag, passes):
    """A cell whose stored output differs from its new one: nbval fails it, unless tagged."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "print('now')", metadata={"tags": [tag]} if tag else {},
        outputs=[nbformat.v4.new_output("stream", name="stdout", text="then\n")],
        execution_count=1)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = tmp_path / "tagged.ipynb"
    nbformat.write(nb, path)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "--nbval", "--nbval-current-env", str(path)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert (run.returncode == 0) == passes, run.stdout[-2000:] + run.stderr[-2000:]


def test_profile_names_are_package_relative(tmp_path):
    """bench/report.py names a profiled function by its package path, never the machine's."""
    import bplab.network
    from bench import report

    assert report.function_name((bplab.network.__file__, 222, "_forward")) == \
        "bplab/network.py:_forward"
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    for init in (tmp_path / "pkg" / "__init__.py", tmp_path / "pkg" / "sub" / "__init__.py"):
        init.write_text("")
    assert report.function_name((str(tmp_path / "pkg" / "sub" / "m.py"), 1, "f")) == \
        "pkg/sub/m.py:f"
    assert report.function_name((str(tmp_path / "script.py"), 1, "g")) == "script.py:g"
    assert report.function_name(("~", 0, "<built-in method numpy.dot>")) == "numpy.dot"
