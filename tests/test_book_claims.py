"""Every number the prose quotes comes from an executed cell on the same page.

For each notebook under ``book/``, the markdown prose is scanned for *number claims*:

* decimals (``0.9151``, ``1.4483``), scientific notation (``3e-4``, ``3 \\times 10^{-4}``),
  percentages (``12 %``), and integers with at least three significant digits (``671``,
  ``1 153``, ``2,701``; not ``200``, ``2 000`` or the ``004`` of a source's name).

Ignored, because they are not results: years (1900–2099), chapter, equation and list numbers
(no decimals, under three significant digits), citations, cross-references, links and URLs,
inline code that is code (``lr=0.15``, ``[784, 30, 10]``: quoted from a program, not
measured), software versions ("NumPy 1.24"), and the short allow-list ``ALLOWED`` below
(each entry with its reason). A number in backticks on its own (```0.0324```) is a claim.

A claim is *supported* when some number in the notebook's code or stored outputs (including
the saved widget state of the explorers) rounds to it at the precision the prose quotes:
"0.03" is supported by an output ``0.0324``, "1 153" by ``1153``. A number that appears in
neither is a result with no executed source, and the test names it with its cell.

The parametrisation is per notebook, so that a failing page does not hide the others.
"""
from __future__ import annotations

import decimal
import json
import math
import re
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "book").rglob("*.ipynb")
                   if "_build" not in p.parts and ".ipynb_checkpoints" not in p.parts)

# (notebook name or "*", number as written in the prose): reason. Keep this short.
ALLOWED = {
    ("*", "1.2"): "float32 machine epsilon, 1.2e-7, a constant of the number format",
    ("*", "1.5"): "sqrt of the float64 epsilon, 1.5e-8, a constant of the number format",
    ("05_gradient_descent", "2.5"): "a question's premise (Check yourself: eta*lambda = 2.5)",
    ("004_xor", "0.25"): "arithmetic in the sentence: outputs near 0.5 against 0/1 targets "
                         "give (1/2)^2 = 0.25; the plotted median shows the plateau",
    ("performance", "1e-12"): "a tolerance that a named test file asserts, not a result",
}

# -- what prose is ---------------------------------------------------------------------
_STRIP = [
    re.compile(r"\{(?:cite|doc|eq|ref|numref|term|download)(?::\w+)?\}`[^`]*`"),  # roles
    re.compile(r"\]\([^)]*\)"),                          # link targets
    re.compile(r"https?://\S+"),                         # bare URLs
    re.compile(r"<[^>]+>"),                              # HTML tags
    re.compile(r"^\s*(?::{3,}|`{3,}).*$", re.M),          # directive fences and options
    re.compile(r"^\s*:\w+:.*$", re.M),                   # directive options (:class: ...)
    re.compile(r"`[^`\n]*[A-Za-z_\[\](=*@][^`\n]*`"),     # inline code that is code, not a number
    re.compile(r"\b(?:NumPy|Python|PyTorch|SciPy|version)\s+\d+(?:\.\d+)+"),   # versions
    re.compile(r"\(\d+\.\d+\)"),                           # equation numbers: (3.2)
    re.compile(r"\(\s*eq-[\w-]+\s*\)="),                 # label syntax
    re.compile(r"\$\$\s*\((eq-[\w-]+)\)"),               # $$ (label)
]
_LATEX_SCI = re.compile(r"(\d+(?:\.\d+)?)\s*\\times\s*10\^\{?\s*(-?\d+)\s*\}?")
_NUMBER = re.compile(
    r"(?<![\w.])"                                        # not inside a word or a number
    r"(-?\d{1,3}(?:[ \u2009\u202f,]\d{3})+(?![\d.])"      # 1 153, 20,000
    r"|-?\d+\.\d+(?:[eE][+-]?\d+)?"                      # 0.9151, 1.5e-8
    r"|-?\d+[eE][+-]?\d+"                                # 3e-4
    r"|-?\d+)"                                           # 671
    r"(\s*(?:%|\\%))?"                                   # a percentage
    r"(?![\w])")


def _significant(digits: str) -> int:
    d = digits.lstrip("-").replace(".", "").lstrip("0")
    if "." not in digits:
        d = d.rstrip("0")
    return len(d)


def claims_in(text: str) -> list[tuple[str, Decimal, int | None]]:
    """``(as written, value, decimals or None)`` for each number claim in markdown ``text``.

    ``decimals`` is the number of digits after the point (the precision of the claim), or
    ``None`` for scientific notation, compared by significant digits instead.
    """
    for pattern in _STRIP:
        text = pattern.sub(" ", text)
    out = []
    for m in _LATEX_SCI.finditer(text):
        mant, exp = m.group(1), int(m.group(2))
        out.append((m.group(0), Decimal(mant) * Decimal(10) ** exp, None))
    text = _LATEX_SCI.sub(" ", text)
    text = re.sub(r"10\^\{?-?\d+\}?", " ", text)          # a bare power of ten: a scale
    text = re.sub(r"[_^]\{[^}]*\}|[_^]\w", " ", text)     # sub- and superscripts: indices
    for m in _NUMBER.finditer(text):
        raw, pct = m.group(1), m.group(2)
        plain = re.sub(r"[ \u2009\u202f,]", "", raw)
        if re.search(r"[eE]", plain):
            out.append((raw, Decimal(plain), None))
            continue
        if "." in plain:
            out.append((raw + (pct or ""), Decimal(plain), len(plain.split(".")[1])))
            continue
        value = int(plain)
        if pct:
            out.append((raw + pct, Decimal(value), 0))
        elif _significant(plain) >= 3 and not (1900 <= value <= 2099 and len(plain) == 4):
            out.append((raw, Decimal(value), 0))
    return out


def evidence_numbers(nb: dict) -> list[Decimal]:
    """Every number in the code, the stored outputs and the saved widget state."""
    texts = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        texts.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            if "text" in out:
                texts.append("".join(out["text"]))
            for mime, data in out.get("data", {}).items():
                if mime.startswith("text/") or mime.endswith("json"):
                    texts.append(data if isinstance(data, str) else
                                 "".join(data) if isinstance(data, list) else json.dumps(data))
    texts.append(json.dumps(nb.get("metadata", {}).get("widgets", {})))
    found = []
    for t in texts:
        for m in re.finditer(r"-?\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?", t):
            s = m.group(0).replace(",", "")
            try:
                value = Decimal(s)
            except ArithmeticError:
                continue
            # plain digit strings of 12 digits or more are ids and hashes, not results; a
            # number written in scientific notation (3.40e+38) is a result at any scale
            if value.is_finite() and (-30 < value.adjusted() < 12
                                      or ("e" in s.lower() and -330 < value.adjusted() < 330)):
                found.append(value)
    return found


def supported(value: Decimal, decimals: int | None, evidence: list[Decimal]) -> bool:
    with decimal.localcontext() as ctx:      # room to round 3.4e38 to a claim's decimals
        ctx.prec = 800
        return _supported(value, decimals, evidence)


def _supported(value: Decimal, decimals: int | None, evidence: list[Decimal]) -> bool:
    """Does some evidence number, rounded to the claim's precision, equal the claim?

    A short claim (under three significant digits, such as "0.03") must appear exactly:
    rounding would let almost any output support it.
    """
    short = _significant(format(abs(value).normalize(), "f")) < 3
    for e in evidence:
        if short:
            if abs(e) == abs(value) or e * 100 == value:
                return True
            continue
        for cand in (e, e * 100):                          # 0.12 supports "12 %"
            for sign in (1, -1):                            # "a loss of 200" vs "-200"
                c = sign * cand
                if decimals is not None:
                    q = Decimal(1).scaleb(-decimals)
                    if c.quantize(q) == value.quantize(q):
                        return True
                elif value != 0 and c != 0:
                    exp = math.floor(math.log10(abs(float(value))))
                    digits = _significant(format(abs(value).normalize(), "f"))
                    scale = Decimal(1).scaleb(exp - max(digits, 1) + 1)
                    if (c / scale).quantize(Decimal(1)) == (value / scale).quantize(Decimal(1)):
                        return True
    return False


def unsupported_claims(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    evidence = evidence_numbers(nb)
    problems = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for raw, value, decimals in claims_in("".join(cell["source"])):
            if (path.stem, raw) in ALLOWED or ("*", raw.split("\\")[0].strip()) in ALLOWED:
                continue
            if not supported(value, decimals, evidence):
                problems.append(f"markdown cell {i}: {raw!r}")
    return problems


# -- the checker itself is tested first, so that a pass means something ------------------
def test_claims_are_found_and_judged():
    text = ("The loss jumps from 200 to 671 at step 10; measured 0.03 for $B = 1$, "
            "a relative error of $3 \\times 10^{-4}$, 12 % of the units, 1 153 parameters, "
            "in 2015, chapter 3, source 004, {eq}`eq-bp1`, $w_{12}$, (3.2), `lr=0.15`, "
            "a `[784, 30, 10]` network, NumPy 1.24, a loss of `0.0324`.")
    found = {raw: (v, d) for raw, v, d in claims_in(text)}
    assert set(found) == {"671", "0.03", "3 \\times 10^{-4}", "12 %", "1 153", "0.0324"}, found
    ev = [Decimal("671"), Decimal("0.0324"), Decimal("0.0003"), Decimal("0.12"),
          Decimal("1153")]
    for raw in ("671", "0.03", "3 \\times 10^{-4}", "12 %", "1 153"):
        assert supported(*found[raw], ev), raw
    assert not supported(Decimal("0.9151"), 4, [Decimal("0.9152"), Decimal("9151")])
    assert not supported(Decimal("3e-4"), None, [Decimal("4e-4")])
    assert not supported(Decimal("672"), 0, ev)


def test_every_book_notebook_is_checked():
    names = {p.relative_to(ROOT).as_posix() for p in NOTEBOOKS}
    assert "book/part1/05_gradient_descent.ipynb" in names and len(names) >= 15


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT / "book").as_posix())
def test_every_quoted_number_has_an_executed_source(path):
    problems = unsupported_claims(path)
    assert not problems, (
        f"{path.relative_to(ROOT)}: numbers in the prose that appear in none of the page's "
        f"code or stored outputs (compute them in a cell, or add them to ALLOWED with a "
        f"reason):\n  " + "\n  ".join(problems))
