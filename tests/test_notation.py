"""The equation numbers that code comments cite are the numbers the reader sees.

A comment such as ``# (3.2)`` next to a line of code names equation 2 of Chapter 3 (see the
notation page). Jupyter Book numbers the *labelled* display equations of each numbered
chapter in order, ``(chapter.k)``. This test computes those numbers from the notebooks and
``_toc.yml``; when the site has been built (``_build/html``, or ``BPLAB_SITE_DIR``) it also
reads the numbers as rendered and requires both to agree, so the computation is checked
against the real thing. Then:

* the four equations of backpropagation, labelled ``eq-bp1`` ... ``eq-bp4``, render as
  (3.1) ... (3.4), so that a label and its number cannot drift apart;
* every ``(N.k)`` cited in a code comment of Part I, of the explorers or of ``bplab`` exists;
* a code comment never cites a bare label (``# eq-bp1``): the reader sees numbers, not labels;
* bplab's own backward pass cites (3.1)-(3.4).
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("BPLAB_SITE_DIR", ROOT / "_build" / "html"))

_LABEL = re.compile(r"\$\$\s*\((eq-[\w-]+)\)"
                    r"|```\{math\}[^\n]*\n(?::\w+:[^\n]*\n)*?:label:\s*(\S+)")
_TAG = re.compile(r"\((\d+)\.(\d+)\)")
_EQNO = re.compile(r'<span class="eqno">\((\d+\.\d+)\)<a class="headerlink" '
                   r'href="#equation-(eq-[\w-]+)"')


def numbered_chapters() -> dict[str, int]:
    """``{"book/part1/03_backward": 3, ...}`` for the chapters of the numbered parts."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    out = {}
    k = 0
    for part in toc["parts"]:
        if part.get("numbered"):                 # numbering continues across parts
            for ch in part["chapters"]:
                k += 1
                out[ch["file"]] = k
    return out


def labels_in(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for m in _LABEL.finditer("".join(cell["source"])):
                found.append((m.group(1) or m.group(2)).lower())   # Sphinx lowercases ids
    return found


def equation_numbers() -> dict[str, str]:
    """``{label: "3.2"}`` for every labelled display equation of the numbered chapters."""
    out = {}
    for page, chapter in numbered_chapters().items():
        for k, label in enumerate(labels_in(ROOT / f"{page}.ipynb"), start=1):
            out[label] = f"{chapter}.{k}"
    return out


def rendered_numbers() -> dict[str, str] | None:
    """``{label: "3.2"}`` as the built site shows them, or None when it is not built."""
    pages = [SITE / f"{page}.html" for page in numbered_chapters()]
    if not all(p.exists() for p in pages):
        return None
    out = {}
    for p in pages:
        for number, label in _EQNO.findall(p.read_text(encoding="utf-8")):
            out[label.lower()] = number
    return out


def code_comments():
    """``(where, comment)`` for every comment in Part I's and the explorers' code cells and
    in bplab's modules."""
    for nb_path in sorted((ROOT / "book" / "part1").glob("*.ipynb")) + \
            sorted((ROOT / "book" / "explorers").glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "code":
                for line in "".join(cell["source"]).splitlines():
                    if "#" in line or '"""' in line:
                        yield f"{nb_path.name} cell {i}", line
    for py in sorted((ROOT / "bplab").rglob("*.py")):
        for n, line in enumerate(py.read_text(encoding="utf-8").splitlines(), start=1):
            if "#" in line:
                yield f"{py.relative_to(ROOT)}:{n}", line


def test_numbering_is_computed_as_the_site_renders_it():
    computed = equation_numbers()
    assert computed["eq-forward-layer"].startswith("2.") and len(computed) >= 25
    rendered = rendered_numbers()
    if rendered is None:
        pytest.skip("the site is not built (_build/html): compared with the computed numbers "
                    "only; build it to check them against the rendered pages")
    assert {k: v for k, v in rendered.items() if k in computed} == computed


def test_the_four_equations_are_numbered_as_they_are_named():
    numbers = equation_numbers()
    assert [numbers[f"eq-bp{k}"] for k in range(1, 5)] == ["3.1", "3.2", "3.3", "3.4"]


def test_code_cites_equations_that_exist_by_number():
    numbers = set(equation_numbers().values())
    cited, bare = [], []
    for where, line in code_comments():
        comment = line[line.index("#"):] if "#" in line else line
        for m in _TAG.finditer(comment):
            cited.append((where, f"{m.group(1)}.{m.group(2)}"))
        if re.search(r"\beq-[a-z]+[\w-]*", comment):
            bare.append((where, line.strip()))
    assert not bare, f"code comments that cite a label instead of a number: {bare}"
    missing = [(w, n) for w, n in cited if n not in numbers]
    assert not missing, f"code cites equations that do not exist: {missing}"
    assert len(cited) >= 10


def test_bplab_backward_pass_cites_the_four_equations():
    lines = (ROOT / "bplab" / "network.py").read_text(encoding="utf-8").splitlines()
    tags = {f"{a}.{b}" for line in lines if "#" in line
            for a, b in _TAG.findall(line[line.index("#"):])}
    assert {"3.1", "3.2", "3.3", "3.4"} <= tags, tags


def test_the_checker_finds_labels_and_tags():
    text = "$$\na\n$$ (eq-x)\n\n```{math}\n:label: eq-y\nb\n```\n$$\nc\n$$\n"
    assert [m.group(1) or m.group(2) for m in _LABEL.finditer(text)] == ["eq-x", "eq-y"]
    assert _TAG.findall("dW = delta @ a.T   # (3.4)") == [("3", "4")]
    html = ('<span class="eqno">(3.2)<a class="headerlink" href="#equation-eq-bp2" '
            'title="Permalink to this equation">')
    assert _EQNO.findall(html) == [("3.2", "eq-bp2")]
