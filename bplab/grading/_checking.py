"""The machinery the exercise checks share: calling a submission safely, and comparing.

A check calls the student's function through :func:`call`, which

* lets ``NotImplementedError`` through (the grader reports the exercise "not attempted");
* turns any other exception into :class:`CheckFailed` naming the call that raised;
* stops a call that runs longer than ``time_limit`` seconds (:class:`CheckTimedOut`;
  default ``$BPLAB_CHECK_TIME_LIMIT``, else 10);
* fails if the function changed one of its array arguments in place.

When ``bplab grade`` runs a check, the function is a proxy of the submission's function
(:class:`bplab.grading._remote.RemoteFunction`): the call runs in the submission's sandboxed
runner under the grader's deadline, and only plain values come back (:class:`RemoteError`
carries the submission's exception). The comparison and the verdict stay in the grader.

The dtype contract, stated in every task: results are float64 arrays (numpy's default);
:func:`as_array` refuses any other dtype with a message that says so.

Inputs are random with a fresh seed per run (:func:`fresh_rng`), so a hard-coded answer
cannot pass; every failure message quotes the seed, so the failure can be reproduced.
"""
from __future__ import annotations

import copy
import numbers
import os
import secrets
import signal
import threading
import warnings
from contextlib import contextmanager

import numpy as np

from bplab.gradcheck import diagnose, relative_error

__all__ = ["CheckFailed", "CheckTimedOut", "RemoteError", "fresh_rng", "call", "call_many",
           "as_array", "compare", "describe", "diagnose", "passed"]


class CheckFailed(AssertionError):
    """A submission gave a wrong answer; the message says what is wrong and how to look."""


class CheckTimedOut(CheckFailed):
    """A submission's function did not return in time (an endless loop?)."""


class RemoteError(Exception):
    """The submission's function raised ``ename: evalue`` in its runner."""

    def __init__(self, name, ename, evalue):
        super().__init__(f"{name}(...) raised {ename}: {evalue}")
        self.name, self.ename, self.evalue = name, ename, evalue


def describe(value) -> str:
    """What arrived, in a few words: ``"ndarray of shape (3, 4)"``, ``"list of length 2"``."""
    if isinstance(value, np.ndarray):
        return f"ndarray of shape {value.shape}"
    if isinstance(value, (list, tuple, dict)):
        return f"{type(value).__name__} of length {len(value)}"
    if hasattr(value, "type_name"):     # a value that could not cross from the sandbox
        return str(value.type_name)
    return type(value).__name__


def fresh_rng(seed=None):
    """``(rng, seed)``: a generator with a new random seed each run (or the given one)."""
    seed = secrets.randbits(32) if seed is None else int(seed)
    return np.random.default_rng(seed), seed


def _snapshot(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple, dict)):
        return copy.deepcopy(value)
    return None


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and bool(
            np.array_equal(a, b, equal_nan=True))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(
            _same(x, y) for x, y in zip(a, b))
    return True


@contextmanager
def _time_limit(seconds, what):
    usable = (seconds and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def _stop(signum, frame):
        raise CheckTimedOut(f"{what} did not return within {seconds:g} s: an endless loop? "
                            f"(e.g. a stopping rule that is never met)")

    old = signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def call(fn, *args, kwargs=None, name=None, arg_names=None, time_limit=None, seed=None,
         check_inputs=True, warnings_as_errors=False):
    """Call ``fn(*args, **kwargs)`` as a check should (see the module docstring); ``seed``
    is the check's random seed, quoted in failure messages; ``warnings_as_errors`` turns
    numpy's warnings (overflow, ...) into exceptions during the call."""
    kwargs = kwargs or {}
    if time_limit is None:  # `bplab grade` sets it below its own per-cell limit
        time_limit = float(os.environ.get("BPLAB_CHECK_TIME_LIMIT", "10"))
    name = name or getattr(fn, "__name__", "your function")
    if not callable(fn):
        raise CheckFailed(f"{name} should be a function; got {type(fn).__name__}. "
                          f"Did a later cell overwrite the name?")
    arg_names = list(arg_names or [f"argument {i + 1}" for i in range(len(args))])
    arg_names += [f"argument {i + 1}" for i in range(len(arg_names), len(args))]
    where = f" (random seed {seed})" if seed is not None else ""
    before = [_snapshot(a) if check_inputs else None for a in args]
    try:
        if getattr(fn, "_bplab_remote", False):    # the grader's proxy: deadline in the runner
            result = fn.call(args, kwargs, warnings_as_errors=warnings_as_errors)
        else:
            with _time_limit(time_limit, f"{name}(...)"), warnings.catch_warnings():
                if warnings_as_errors:
                    warnings.simplefilter("error")
                result = fn(*args, **kwargs)
    except (NotImplementedError, CheckFailed):
        raise
    except RemoteError as exc:
        raise CheckFailed(f"{name}(...) raised {exc.ename}: {exc.evalue}{where}") from None
    except Exception as exc:  # the submission's own error: report it, never crash
        raise CheckFailed(f"{name}(...) raised {type(exc).__name__}: {exc}{where}") from None
    for arg, old, label in zip(args, before, arg_names):
        if old is not None and not _same(arg, old):
            raise CheckFailed(
                f"{name} changed its input `{label}` in place; it must leave its inputs as they "
                f"were (work on a copy, or write `x = x + ...` rather than `x += ...`){where}")
    return result


def call_many(fn, arg_lists, *, name=None, seed=None) -> list:
    """``[fn(*args) for args in arg_lists]``; the grader's proxy makes it one request."""
    name = name or getattr(fn, "__name__", "your function")
    where = f" (random seed {seed})" if seed is not None else ""
    if not getattr(fn, "_bplab_remote", False):
        return [call(fn, *args, name=name, seed=seed, check_inputs=False) for args in arg_lists]
    try:
        return fn.map(arg_lists)
    except RemoteError as exc:
        raise CheckFailed(f"{name}(...) raised {exc.ename}: {exc.evalue}{where}") from None


def as_array(value, what, shape, *, seed=None) -> np.ndarray:
    """``value`` as a float64 array of ``shape``, or :class:`CheckFailed` saying what arrived.

    A Python number stands for a 0-d float64 array; any array or numpy scalar must already be
    float64 (the dtype contract every task states)."""
    where = f" (random seed {seed})" if seed is not None else ""
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.generic)) \
            and shape == ():
        value = np.asarray(value, dtype=np.float64)
    if isinstance(value, np.generic) and shape == ():
        value = np.asarray(value)
    if not isinstance(value, np.ndarray):
        raise CheckFailed(f"{what} should be a numpy array of shape {shape}; got "
                          f"{describe(value)}{where}")
    if not (np.issubdtype(value.dtype, np.number) or value.dtype == bool):
        raise CheckFailed(f"{what} should hold numbers; got an array of dtype {value.dtype}{where}")
    if value.shape != tuple(shape):
        hint = " — transposed?" if value.shape == tuple(shape)[::-1] else ""
        if value.size == int(np.prod(shape)) and not hint:
            hint = " — the right number of entries: a missing keepdims=True or reshape?"
        raise CheckFailed(f"{what} has shape {value.shape}, expected {tuple(shape)}{hint}{where}")
    if value.dtype != np.float64:
        hint = (" (float32 keeps about 7 digits; the checks compare to about 1e-7 and the "
                "task asks for float64)" if value.dtype == np.float32 else
                " (an integer or boolean array: start from floats, e.g. np.zeros(shape))")
        raise CheckFailed(f"{what} has dtype {value.dtype}; every task asks for float64 "
                          f"arrays, numpy's default{hint}{where}")
    if not np.all(np.isfinite(value)):
        raise CheckFailed(f"{what} contains NaN or inf (an overflow?){where}")
    return value


def compare(got, want, what, *, tol=1e-7, seed=None, suspects=(), gradient=False):
    """Fail unless ``got`` agrees with ``want`` to relative error ``tol``.

    ``suspects`` is a sequence of ``(description, array)``: the values a known mistake would
    give; if ``got`` matches one, the message names that mistake. For gradients the diagnosis
    of :func:`bplab.gradcheck.diagnose` (sign, factor, transpose, ...) is added.
    """
    got = as_array(got, what, np.shape(want), seed=seed)
    err = relative_error(got, want)
    if err <= tol:
        return got
    where = f" (random seed {seed})" if seed is not None else ""
    for description, value in suspects:
        if np.shape(value) == got.shape and relative_error(got, value) < 1e-6:
            raise CheckFailed(f"{what} is wrong: {description}{where}")
    reason = ""
    if gradient:
        reason = diagnose(got, want)
        reason = "" if reason in ("agrees", "") else f": {reason}"
    raise CheckFailed(f"{what} is wrong{reason} (relative error {err:.2e} against the "
                      f"reference){where}")


def passed(exercise: str, n: int) -> None:
    """Print the one line a passing check prints (no random numbers in it)."""
    print(f"✓ {exercise}: all {n} checks passed")
