r"""The layer contract, and the checks every layer shares.

A layer is a function :math:`y = f(x; \theta)` with two methods side by side:

* ``out, cache = layer.forward(x)`` — the output and what the backward pass needs;
* ``dx, grads = layer.backward(dout, cache)`` — given :math:`\bar y = \partial C/\partial y`
  (shape of ``out``), the input's gradient :math:`\bar x = \partial C/\partial x` (shape of
  ``x``) and ``grads[name]`` :math:`= \partial C/\partial \theta_{name}` for every array of
  ``layer.params`` (same shapes). This is a vector-Jacobian product,
  :math:`\bar x = J^\top \bar y`: every backward computes it directly, and no Jacobian is built.

The public ``forward``/``backward`` check their arguments and name the layer in every error;
they call ``_forward``/``_backward``, which hold the mathematics and which
:class:`~bplab.layers.Sequential` calls directly once its input has been checked. A new layer
(normalisation, convolution, attention, ...) subclasses :class:`Layer`, sets ``self.params``,
and writes ``_forward``, ``_backward`` and, if it constrains its input's shape, ``_check_input``.
"""
from __future__ import annotations

import numpy as np

__all__ = ["Layer", "LayerCache", "check_array", "float_dtype"]


def float_dtype(dtype) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be np.float64 or np.float32; got {dtype}.")
    return dtype


def check_array(who: str, name: str, value, dtype=None) -> np.ndarray:
    """``value`` as a finite float array; integers and booleans become ``dtype`` (or float64).

    Raises a ValueError naming ``who`` (the layer) and ``name`` (the argument) for
    non-numeric or complex data, a float dtype other than ``dtype``, NaN and inf.
    """
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:       # ragged nested lists
        raise ValueError(f"{who}: {name} could not be read as a numeric array ({exc}).") \
            from None
    if arr.dtype == object or np.issubdtype(arr.dtype, np.complexfloating) or not (
            np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{who}: {name} must hold real numbers; got dtype {arr.dtype}. "
                         f"Convert it with np.asarray({name}, dtype=np.float64).")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(dtype or np.float64)
    elif dtype is not None and arr.dtype != dtype:
        raise ValueError(
            f"{who}: {name} has dtype {arr.dtype}, but the layer's parameters are {dtype}. "
            f"Convert it with {name}.astype(np.{np.dtype(dtype).name}), or build the layer "
            f"with dtype=np.{arr.dtype.name}.")
    if arr.size and not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))
        first = tuple(int(i) for i in bad[0])
        raise ValueError(f"{who}: {name} contains {len(bad)} non-finite value(s) (NaN or "
                         f"inf), the first at index {first}: {arr[first]}. A NaN in a "
                         f"gradient usually comes from an overflow upstream; in data, remove "
                         f"or impute it.")
    return arr


class LayerCache:
    """What a public ``forward`` returns as its cache: the layer's own cache, tagged with the
    layer that made it and the shape of its output, so that ``backward`` can check both."""

    __slots__ = ("layer", "out_shape", "data")

    def __init__(self, layer, out_shape, data):
        self.layer, self.out_shape, self.data = layer, out_shape, data

    def __repr__(self):
        return f"LayerCache(of {self.layer!r}, out shape {self.out_shape})"


class Layer:
    """Base class: parameters by name, train/eval mode, the checked public methods.

    Attributes
    ----------
    params : dict of str to ndarray
        The layer's parameter arrays by name (``"W"``, ``"b"``); empty for a function layer.
        Optimisers update these arrays in place.
    training : bool
        ``True`` after :meth:`train` (the default), ``False`` after :meth:`eval`; only layers
        that behave differently in training (dropout, batch normalisation) read it.
    """

    dtype = None            # a parameter-free layer accepts float32 and float64

    def __init__(self):
        self.params = {}
        self.training = True

    def __repr__(self):
        return f"{type(self).__name__}()"

    def train(self, mode: bool = True):
        self.training = bool(mode)
        return self

    def eval(self):
        return self.train(False)

    # -- the contract: subclasses write these ------------------------------------------
    def _forward(self, x):
        raise NotImplementedError

    def _backward(self, dout, cache):
        raise NotImplementedError

    def _param_grads(self, dout, cache):
        """The parameters' gradients alone: what a first layer, whose input needs no
        gradient, is asked for (the default runs ``_backward``; ``Linear`` skips its
        :math:`\bar x`, one matrix product)."""
        return self._backward(dout, cache)[1]

    def _check_input(self, x, where=""):
        """Raise if ``x`` has a shape this layer cannot take (default: any shape)."""

    # -- the public, checked methods ---------------------------------------------------
    def forward(self, x):
        """``(out, cache)`` for the input ``x`` (checked: numbers, dtype, finite, shape)."""
        x = check_array(repr(self), "x", x, self.dtype)
        self._check_input(x)
        out, cache = self._forward(x)
        return out, LayerCache(self, out.shape, cache)

    def backward(self, dout, cache):
        """``(dx, grads)`` from ``dout`` = dC/d(out) and the cache of this layer's forward."""
        if not isinstance(cache, LayerCache) or cache.layer is not self:
            got = ("None" if cache is None else f"the cache of {cache.layer!r}"
                   if isinstance(cache, LayerCache) else type(cache).__name__)
            raise ValueError(
                f"{self!r}: backward needs the cache returned by this layer's own forward; "
                f"got {got}. Call out, cache = layer.forward(x) first, then "
                f"layer.backward(dout, cache).")
        dout = check_array(repr(self), "dout", dout, self.dtype)
        if dout.shape != cache.out_shape:
            raise ValueError(
                f"{self!r}: dout must have the shape of this layer's output "
                f"{cache.out_shape} (dC/d(out), one entry per output entry); got "
                f"{dout.shape}. Pass the gradient of the loss with respect to this layer's "
                f"output.")
        return self._backward(dout, cache.data)


def rows_times(a, W):
    """``a @ W`` for ``a`` of shape ``(..., D)``, computed on the 2-D view ``(-1, D)``: one
    BLAS matrix product. ``np.dot`` on an array of more than two dimensions does not call
    BLAS's matrix product, and that was most of a transformer training step's time
    (bench/README.md, the attention section)."""
    a2 = a.reshape(-1, a.shape[-1])
    return (a2 @ W).reshape(*a.shape[:-1], W.shape[1])
