"""Input validation at the public boundary: one place, clear messages.

Every message says what was expected, what arrived, and how to fix it.
"""
from __future__ import annotations

import difflib
import math
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


def non_negative_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer; got {value!r}.")
    return int(value)


def check_seed(name: str, value, *, allow_none: bool = True):
    """A seed for ``np.random.default_rng``: a non-negative integer (or None: unseeded)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        extra = " (or None for an unseeded run)" if allow_none else ""
        raise ValueError(f"{name} must be a non-negative integer{extra}; got {value!r} of "
                         f"type {type(value).__name__}. Use e.g. {name}=0.")
    return int(value)


def float_dtype(name: str, value) -> np.dtype:
    """``np.float64`` or ``np.float32`` (given as a dtype, a type or a name), else a ValueError."""
    try:
        dtype = np.dtype(value)
    except (TypeError, ValueError):
        dtype = None
    if dtype is None or dtype not in (np.float32, np.float64):
        got = dtype if dtype is not None else repr(value)
        raise ValueError(f"{name} must be np.float64 or np.float32; got {got}. "
                         f"Use {name}=np.float64 (the default).")
    return dtype


def as_float_array(name: str, value) -> np.ndarray:
    """``value`` as a real floating-point array of any shape (lists, scalars and integer or
    boolean arrays are converted to float64; float16/32/64 arrays pass unchanged)."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:   # ragged nested lists
        raise ValueError(f"{name} could not be read as a numeric array ({exc}).") from None
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind == "c":
        raise ValueError(f"{name} must be real; got complex dtype {arr.dtype}.")
    if arr.dtype.kind != "f":
        raise TypeError(f"{name} must be an array of numbers; got {type(value).__name__} "
                        f"(dtype {arr.dtype}). Pass e.g. np.asarray({name}, dtype=float).")
    return arr


def same_shape(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape; got {a.shape} and "
                         f"{b.shape}. numpy would broadcast them silently into a wrong "
                         f"result: reshape one of them (samples are columns).")


def check_model(net, caller: str):
    """Refuse what is not a model: a :class:`~bplab.MLP`, or a :class:`~bplab.Sequential`
    (layers under the layer contract, with a loss). Both offer ``parameters()`` (a list of
    ``(name, array)`` pairs) and ``gradients(X, Y)`` (the loss and the gradients)."""
    from bplab.layers import Sequential
    from bplab.network import MLP

    if isinstance(net, (MLP, Sequential)):
        return net
    raise TypeError(
        f"{caller} needs a model; got {type(net).__name__} ({_short_repr(net)}). A model is a "
        f"bp.MLP or a bp.Sequential with a loss: it offers parameters() (a list of (name, "
        f"array) pairs, updated in place) and gradients(X, Y) (the loss and the parameters' "
        f"gradients). Build one with e.g. net = bp.MLP([1, 25, 1]), or chain layers with "
        f"bp.Sequential(..., loss=bp.layers.MSELoss()).")


def check_model_and_parameters(net, caller: str):
    """:func:`check_model`, then every parameter (shape, float dtype, finite), named."""
    net = check_model(net, caller)
    if hasattr(net, "_check_parameters"):
        net._check_parameters()
    else:
        for name, p in net.parameters():
            check_parameter(name, p)
    return net


def check_parameter(name: str, arr, shape=None, dtype=None) -> None:
    """One parameter array: an ndarray of ``shape``, of a float ``dtype``, all finite."""
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"parameter {name} must be a numpy array; got {type(arr).__name__}. "
                        f"Assign arrays (e.g. np.asarray(value, dtype=float)), or use "
                        f"net.set_weights(weights, biases), which converts and checks them.")
    if shape is not None and arr.shape != tuple(shape):
        hint = " It looks transposed: assign its .T." if arr.shape == tuple(shape)[::-1] else ""
        raise ValueError(f"parameter {name} must have shape {tuple(shape)}; got {arr.shape}."
                         f"{hint} Use net.set_weights(weights, biases), which checks shapes.")
    if arr.dtype.kind != "f" or (dtype is not None and arr.dtype != dtype):
        want = dtype if dtype is not None else "a float dtype"
        raise ValueError(f"parameter {name} must have dtype {want}; got {arr.dtype}. Assign "
                         f"{name}.astype({np.dtype(dtype).name if dtype is not None else 'float'}),"
                         f" or use net.set_weights(...), which converts.")
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))
        first = tuple(int(i) for i in bad[0])
        raise ValueError(f"parameter {name} contains {len(bad)} non-finite value(s) (NaN or "
                         f"inf), the first at index {first}: {arr[first]}. A diverged training "
                         f"run leaves such weights: re-initialise the network (a new bp.MLP) "
                         f"and train with a smaller lr.")


def _short_repr(value, limit=60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def available_memory() -> int:
    """Bytes of physical memory available now (a generous guess where it cannot be read)."""
    import os

    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def check_memory(what: str, nbytes: float, fix: str) -> None:
    """Refuse at once what cannot fit in memory, before numpy tries to allocate it."""
    free = available_memory()
    if nbytes > free:
        raise ValueError(f"{what} would need about {_bytes(nbytes)} of memory, more than the "
                         f"{_bytes(free)} available. {fix}")


def _bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if n < 1024 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024


def check_sizes(sizes):
    example = "e.g. [1, 25, 1] (one input, 25 hidden units, one output)"
    if isinstance(sizes, (str, bytes, dict, set)) or not hasattr(sizes, "__iter__") \
            or (isinstance(sizes, np.ndarray) and sizes.ndim != 1):
        raise ValueError(f"sizes must list at least two positive integers (inputs, ..., "
                         f"outputs), {example}; got {_short_repr(sizes)} of type "
                         f"{type(sizes).__name__}. For one layer, pass a list: "
                         f"MLP([n_in, n_out]).")
    sizes = list(sizes)
    if len(sizes) < 2 or not all(
            isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_)) and n >= 1
            for n in sizes):
        raise ValueError(
            f"sizes must list at least two positive integers (inputs, ..., outputs), "
            f"{example}; got {_short_repr(sizes)}.")
    return [int(n) for n in sizes]


def check_hidden(hidden, n_hidden):
    """``hidden`` as one activation name per hidden layer; every name is checked, even when
    there is no hidden layer."""
    from bplab.activations import get_activation

    if isinstance(hidden, str):
        get_activation(hidden)          # an unknown name is an error even without hidden layers
        return [hidden] * n_hidden
    if not hasattr(hidden, "__iter__") or isinstance(hidden, (bytes, dict)):
        raise ValueError(f"hidden must be an activation name (e.g. 'sigmoid') or one name per "
                         f"hidden layer; got {_short_repr(hidden)}.")
    hidden = list(hidden)
    for h in hidden:
        get_activation(h)
    if len(hidden) != n_hidden:
        raise ValueError(f"hidden names one activation per hidden layer: expected "
                         f"{n_hidden}, got {len(hidden)} ({hidden!r}).")
    return hidden




def as_list(name, value, n, what):
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        raise ValueError(f"{name} must be a list of {n} {what} (one per layer); got "
                         f"{_short_repr(value)} of type {type(value).__name__}.")
    if isinstance(value, np.ndarray) and value.dtype != object and n == 1 and value.ndim == 2:
        return [value]
    return list(value)


def check_finite_result(what, value, X):
    """No silent inf or NaN: finite parameters and inputs so large that they overflow."""
    if all(np.isfinite(v).all() for v in (value if isinstance(value, list) else [value])):
        return
    raise ValueError(f"the network's {what} overflowed to inf or NaN: X has values as large as "
                     f"{np.abs(X).max():g}. Scale the inputs (e.g. standardise each feature), "
                     f"or re-initialise weights that training made very large.")


def check_numerical_args(f, x, h, order):
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments that returns the loss (and "
                        f"reads x); got {type(f).__name__}. Use e.g. "
                        f"lambda: net.loss(X, Y).")
    if not isinstance(x, np.ndarray):
        raise TypeError(f"x must be the numpy array that f reads (it is perturbed in place); "
                        f"got {type(x).__name__}. Pass the array itself, e.g. net.weights[0].")
    if x.dtype.kind != "f":
        raise ValueError(f"x must be a float array; got dtype {x.dtype}, which cannot hold "
                         f"x + h (the perturbation would be truncated and the result "
                         f"garbage). Convert it first, x = x.astype(float), and let f read "
                         f"the converted array.")
    if not x.flags.writeable:
        raise ValueError("x is read-only, but it is perturbed in place: pass a writeable array "
                         "(x.copy(), read by f).")
    check_step(h, order)


def check_step(h, order):
    """``h`` a positive finite step, ``order`` 2 or 4."""
    if isinstance(h, bool) or not isinstance(h, numbers.Real) or not math.isfinite(h) \
            or h <= 0:
        raise ValueError(f"h must be a positive finite step; got {h!r}. Typical steps are "
                         f"1e-5 (order=2) and 1e-3 (order=4).")
    if isinstance(order, bool) or order not in (2, 4):
        raise ValueError(f"order must be 2 or 4; got {order!r}.")


def loss_value(f, where) -> float:
    value = f()
    if np.ndim(value) != 0 or isinstance(value, (str, bytes)):
        raise TypeError(f"f must return one number (the loss); got {type(value).__name__} "
                        f"{_short_repr(value)}.")
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"f must return a real number (the loss); got "
                        f"{type(value).__name__} {_short_repr(value)}.") from None
    if not math.isfinite(value):
        raise ValueError(f"f returned {value} {where}: finite differences need a finite loss "
                         f"near x (check the parameters, or use a smaller h).")
    return value




def check_tol(tol):
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not 0 < tol < 1:
        raise ValueError(f"tol must be a relative error strictly between 0 and 1; got "
                         f"{tol!r}. The usual threshold is 1e-7 (float64).")
    return float(tol)
