"""The five source documents' examples, reproduced (``"original"``) and fixed (``"fixed"``).

Every example module has ``NAME``, ``TITLE`` (the document's title), ``SOURCE``
(attribution), ``OPTIONS`` (the command-line options it takes, with defaults),
``LEDGER`` (its defects: id, kind, where, quote, symptom, cause, fix, test; the schema and
the kinds are in :mod:`bplab.examples._ledger`), ``REMARKS`` (what is not a defect) and
``run(variant="fixed", *, seed=0, **options) -> dict``.

>>> from bplab import examples
>>> sorted(examples.EXAMPLES)
['net222', 'nielsen', 'perceptron', 'sine', 'xor']
>>> out = examples.run("xor", steps=2000)          # doctest: +SKIP
"""
from __future__ import annotations

import importlib

__all__ = ["EXAMPLES", "get", "run"]

EXAMPLES = {
    "sine": "bplab.examples.sine",              # source 000
    "net222": "bplab.examples.net222",          # source 001
    "perceptron": "bplab.examples.perceptron",  # source 002
    "nielsen": "bplab.examples.nielsen",        # source 003
    "xor": "bplab.examples.xor",                # source 004
}


def get(name):
    """The example module called ``name`` (imported on first use).

    Raises a ValueError listing the known names when ``name`` is not one of them.
    """
    if not isinstance(name, str) or name not in EXAMPLES:
        raise ValueError(f"Unknown example {name!r}. Expected one of "
                         f"{', '.join(sorted(EXAMPLES))}.")
    return importlib.import_module(EXAMPLES[name])


def run(name, variant="fixed", **options) -> dict:
    """Run example ``name``: ``variant`` is ``"original"`` or ``"fixed"``; ``options`` are
    ``seed`` and whichever of the example's ``OPTIONS`` (sizes, lr, steps) it takes."""
    return get(name).run(variant, **options)
