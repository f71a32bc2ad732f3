"""Input validation at the public boundary: one place, clear messages.

Every message says what was expected, what arrived, and how to fix it.
"""
from __future__ import annotations

import difflib
import numbers

import numpy as np


def check_choice(kind: str, name, choices) -> str:
    """Return ``name`` if it is one of ``choices``, else raise a ValueError that lists them."""
    if isinstance(name, str) and name in choices:
        return name
    options = ", ".join(repr(c) for c in sorted(choices))
    hint = ""
    if isinstance(name, str):
        close = difflib.get_close_matches(name, list(choices), n=1)
        if close:
            hint = f" Did you mean {close[0]!r}?"
    raise ValueError(f"Unknown {kind} {name!r}. Expected one of {options}.{hint}")


def as_matrix(name: str, value, dtype=np.float64, *, layout_hint: str = "") -> np.ndarray:
    """Convert ``value`` to a finite 2-D float array of ``dtype``.

    Integer and boolean arrays (and nested lists) are accepted and converted. Raises a
    ValueError for other dimensions, empty arrays, non-numbers, NaN and inf.
    """
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:   # ragged nested lists
        raise ValueError(f"{name} could not be read as a numeric array ({exc}).") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(
            f"{name} must hold numbers; got an array of dtype {arr.dtype}. "
            f"Convert it with np.asarray({name}, dtype=float).")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise ValueError(f"{name} must be real; got complex dtype {arr.dtype}.")
    if arr.ndim != 2:
        fix = layout_hint or (f"reshape it, e.g. {name}.reshape(1, -1) for one feature "
                              f"with samples as columns")
        raise ValueError(
            f"{name} must be a 2-D array of shape (features, samples); got {arr.ndim}-D "
            f"shape {arr.shape}. Samples are columns: {fix}.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); it needs at least one "
                         f"feature and one sample.")
    arr = arr.astype(dtype, copy=False)
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))
        first = tuple(int(i) for i in bad[0])
        raise ValueError(
            f"{name} contains {len(bad)} non-finite value(s) (NaN or inf), the first at "
            f"index {first}: {arr[first]}. Remove or impute them before training.")
    return arr


def check_rows(name: str, arr: np.ndarray, rows: int, what: str) -> None:
    """Raise if ``arr`` does not have ``rows`` rows; ``what`` names the layer that expects them."""
    if arr.shape[0] != rows:
        transposed = " If your samples are rows, pass the transpose (.T)." \
            if arr.shape[1] == rows else ""
        raise ValueError(
            f"{name} has {arr.shape[0]} rows (shape {arr.shape}), but {what} expects "
            f"{rows}: one row per feature, one column per sample.{transposed}")


def positive_number(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) \
            or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value!r}. "
                         f"Typical values are between 1e-3 and 1.")
    return float(value)


def positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}.")
    return int(value)
