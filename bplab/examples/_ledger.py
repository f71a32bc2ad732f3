"""The case studies' bug ledgers: one schema, one classification, one table renderer.

Every example module has ``LEDGER`` (the defects) and ``REMARKS`` (what is worth knowing
but is not a defect). Each entry has a ``kind``, one of :data:`KINDS`:

``gradient``
    the backward pass is not the derivative of the loss it differentiates (judged by
    finite differences of *that* loss, whatever the page prints);
``report``
    a number the page prints, plots or describes is not the one computed (for example the
    printed loss is not the differentiated one, and the text says it is);
``run``
    the program fails at what it is for: it crashes, computes on the wrong input, never
    stops, cannot be repeated, or cannot reach its target;
``text``
    the prose or a comment says something false or garbled, or promises what the page
    does not deliver (quoted in Chinese, with a translation).

A ledger entry has ``id, kind, where, quote, symptom, cause, fix, test`` (``test`` is
``None`` for an entry whose evidence is the quoted text itself) and, for Chinese quotes,
``translation``. A remark has ``id, kind, where, quote, remark`` (and maybe
``translation``).
"""
from __future__ import annotations

import re

KINDS = ("gradient", "report", "run", "text")
ENTRY_KEYS = {"id", "kind", "where", "quote", "symptom", "cause", "fix", "test"}
REMARK_KEYS = {"id", "kind", "where", "quote", "remark"}
OPTIONAL_KEYS = {"translation"}


def check(ledger, remarks) -> None:
    """Raise ValueError naming the entry if ``ledger`` or ``remarks`` breaks the schema."""
    for entries, keys in ((ledger, ENTRY_KEYS), (remarks, REMARK_KEYS)):
        for e in entries:
            have = set(e)
            if not keys <= have or have - keys - OPTIONAL_KEYS:
                raise ValueError(f"entry {e.get('id')!r}: expected keys {sorted(keys)} "
                                 f"(optionally 'translation'); got {sorted(have)}.")
            if e["kind"] not in KINDS:
                raise ValueError(f"entry {e['id']!r}: kind must be one of {KINDS}; "
                                 f"got {e['kind']!r}.")
            if _has_chinese(e["quote"]) and not e.get("translation"):
                raise ValueError(f"entry {e['id']!r} quotes Chinese: give its "
                                 f"'translation'.")


_CODE_STARTS = ("#", "def ", "print(", "for ", "while ", "return ", "import ", "from ")


def _is_code(line) -> bool:
    """A quoted line is shown as code (backticks) if it looks like a statement and has no
    Chinese in it; a line with Chinese, comment or not, is shown in quotation marks, so
    that it can wrap on a narrow screen (a code span does not break between characters)."""
    if _has_chinese(line):
        return False
    return line.startswith(_CODE_STARTS) or "=" in line or "(" in line


def _escape(text) -> str:
    """Backslash-escape what Markdown would read as markup in a quoted line."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def _has_chinese(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


def _cell(text) -> str:
    """Markdown-table-safe text: escaped pipes and stars, line breaks as <br>."""
    return str(text).replace("|", "\\|").replace("*", "\\*").replace("\n", "<br>")


def _quote(e) -> str:
    lines = [line.strip() for line in e["quote"].splitlines() if line.strip()]
    # Chinese prose in quotation marks, code (and comments in code) in backticks
    q = " … ".join(f"`{line}`" if _is_code(line) else f"“{_escape(line)}”" for line in lines)
    if e.get("translation"):
        q += f" — *{e['translation']}*"
    return q


def markdown(ledger, *, ids=False) -> str:
    """The ledger as a Markdown table with short, wrappable cells, then the quoted lines
    and the regression tests as a list under it (long code stays out of cells). Rows are
    numbered 1, 2, ..., or labelled by the entries' ids (``ids=True``, e.g. N1 ... T4)."""
    rows = ["| # | kind | where | what goes wrong | why | fix |",
            "|---|---|---|---|---|---|"]
    notes = []
    for i, e in enumerate(ledger, 1):
        label = e["id"] if ids else i
        rows.append(f"| {label} | {e['kind']} | {_cell(e['where'])} | {_cell(e['symptom'])} "
                    f"| {_cell(e['cause'])} | {_cell(e['fix'])} |")
        test = e["test"]
        tail = (f" Test: `{test.split('::')[1]}`." if test
                else " Evidence: the quoted text.")
        q = _quote(e)
        end = "" if q.rstrip("*”").endswith((".", "。")) else "."
        notes.append(f"- {label}: {q}{end}{tail}")
    return "\n".join(rows) + "\n\nQuoted lines and tests:\n\n" + "\n".join(notes)


def remarks_markdown(remarks) -> str:
    """The remarks as a Markdown table (kind, where, remark), quotes listed under it."""
    rows = ["| # | kind | where | remark |", "|---|---|---|---|"]
    notes = []
    for i, e in enumerate(remarks, 1):
        rows.append(f"| R{i} | {e['kind']} | {_cell(e['where'])} | {_cell(e['remark'])} |")
        notes.append(f"- R{i}: {_quote(e)}")
    return "\n".join(rows) + "\n\nQuoted lines:\n\n" + "\n".join(notes)


def counts(ledger) -> dict:
    """How many ledger entries of each kind: ``{"gradient": n, ...}``."""
    return {k: sum(e["kind"] == k for e in ledger) for k in KINDS}
