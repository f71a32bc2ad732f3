"""Test functions the grader hands to a submission: ``f()`` reading an array ``x``.

A :class:`Probe` is an ordinary callable where a check runs in the student's own kernel;
when the grader calls a submission in its sandbox, only the probe's recipe (its kind and
matrix ``A``) crosses, and the runner rebuilds it around the sandbox's copy of ``x``.
"""
from __future__ import annotations

import numpy as np

__all__ = ["Probe", "KINDS"]


def _cubic(x, A):
    return float(np.sum(x ** 3) + np.sum(A * x))


def _sine(x, A):
    return float(np.sum(np.sin(x) * A))


def _exp_squared(x, A):
    return float(np.sum(np.exp(0.5 * x)) ** 2)


KINDS = {  # kind: (f(x, A), its gradient with respect to x)
    "cubic": (_cubic, lambda x, A: 3 * x ** 2 + A),
    "sine": (_sine, lambda x, A: np.cos(x) * A),
    "exp_squared": (_exp_squared, lambda x, A: np.sum(np.exp(0.5 * x)) * np.exp(0.5 * x)),
}


class Probe:
    """``f()`` = KINDS[kind](x, A) for the array ``x`` (read each call); counts its calls."""

    def __init__(self, kind: str, A, x):
        if kind not in KINDS:
            raise ValueError(f"unknown probe kind {kind!r}; expected one of {sorted(KINDS)}")
        self.kind, self.A, self.x, self.calls = kind, np.asarray(A, dtype=float), x, 0

    def __call__(self):
        self.calls += 1
        return KINDS[self.kind][0](self.x, self.A)

    def value(self, x) -> float:
        return KINDS[self.kind][0](x, self.A)

    def gradient(self, x):
        return KINDS[self.kind][1](x, self.A)

    @property
    def __probe__(self) -> dict:
        from bplab.grading._wire import encode
        return {"kind": self.kind, "A": encode(self.A)}
