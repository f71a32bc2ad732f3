r"""Normalisation layers: ``BatchNorm1d``, ``BatchNorm2d`` and ``LayerNorm`` (as PyTorch's).

Both normalise, then scale and shift, over a set :math:`S` of :math:`M` entries:

.. math::

    \mu = \frac1M \sum_{i\in S} x_i, \quad \sigma^2 = \frac1M \sum_{i\in S} (x_i - \mu)^2,
    \quad \hat x_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}}, \quad
    y_i = \gamma\,\hat x_i + \beta .

Batch norm takes :math:`S` along the batch (and spatial) axes, one statistic per channel;
layer norm takes it along each sample's last axes. Because :math:`\mu` and :math:`\sigma`
depend on every :math:`x_i` of :math:`S`, each :math:`\bar x_i` depends on every
:math:`\bar y_j`: the backward, derived once and written compactly (CS231n's ``layers.py``,
llm.c's ``doc/layernorm``), is, with :math:`\bar{\hat x} = \gamma \bar y`,

.. math::

    \bar x_i = \frac{1}{M\sqrt{\sigma^2+\epsilon}}\Big(M\,\bar{\hat x}_i
               - \sum_{j\in S}\bar{\hat x}_j - \hat x_i \sum_{j\in S}\bar{\hat x}_j\,\hat x_j\Big),
    \qquad \bar\gamma = \sum \bar y \odot \hat x, \qquad \bar\beta = \sum \bar y ,

three reductions and no :math:`M\times M` Jacobian (chapter "Normalisation", equations
(11.1)-(11.7)). Parameters are named as PyTorch's:
``"weight"`` (:math:`\gamma`, ones) and ``"bias"`` (:math:`\beta`, zeros).
"""
from __future__ import annotations

import numbers

import numpy as np

from bplab.layers._base import Layer, float_dtype

__all__ = ["BatchNorm1d", "BatchNorm2d", "LayerNorm"]


def _positive_int(who, name, n):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{who}: {name} must be a positive integer; got {n!r}.")
    return int(n)


def _eps(who, eps):
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real) or not eps > 0:
        raise ValueError(f"{who}: eps must be a positive number (1e-5 is usual); got {eps!r}.")
    return float(eps)


def _normalised_backward(dxhat, xhat, inv_std, axes, M):
    r""":math:`\bar x = \frac{\sigma^{-1}}{M}(M\bar{\hat x} - \sum\bar{\hat x}
    - \hat x\sum\bar{\hat x}\hat x)`, the sums over ``axes`` (kept for broadcasting)."""
    s1 = dxhat.sum(axis=axes, keepdims=True)                 # the path through mu
    s2 = (dxhat * xhat).sum(axis=axes, keepdims=True)        # the path through sigma^2
    return (inv_std / M) * (M * dxhat - s1 - xhat * s2)      # (11.6)


class _BatchNorm(Layer):
    """Shared by BatchNorm1d and BatchNorm2d: statistics per channel (axis 1) over the
    others."""

    shapes = ()             # the accepted numbers of dimensions, set by the subclasses
    layout = ""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, *, dtype=np.float64):
        super().__init__()
        who = type(self).__name__
        self.num_features = _positive_int(who, "num_features", num_features)
        self.eps = _eps(who, eps)
        if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real) \
                or not 0 <= momentum <= 1:
            raise ValueError(f"{who}: momentum must be a number in [0, 1] (0.1 is PyTorch's "
                             f"default); got {momentum!r}.")
        self.momentum = float(momentum)
        self.dtype = float_dtype(dtype)
        C = self.num_features
        self.params = {"weight": np.ones(C, self.dtype), "bias": np.zeros(C, self.dtype)}
        self.running_mean = np.zeros(C, self.dtype)   # buffers, not parameters: no gradient
        self.running_var = np.ones(C, self.dtype)

    def __repr__(self):
        return (f"{type(self).__name__}({self.num_features}, eps={self.eps:g}, "
                f"momentum={self.momentum:g})")

    def _check_input(self, x, where=""):
        if x.ndim not in self.shapes or x.shape[1] != self.num_features:
            got = (f"{x.shape[1]} channels" if x.ndim in self.shapes else f"shape {x.shape}")
            raise ValueError(f"{self!r}{where} expects x of shape {self.layout} with "
                             f"C = {self.num_features} (the channels on axis 1, batch "
                             f"first); got {got} (x has shape {x.shape}). Build the layer "
                             f"with num_features = x.shape[1], or move the channel axis "
                             f"to axis 1.")

    def _forward(self, x):
        """Training: batch statistics, and the running ones updated; eval: the running ones.
        The cache is ``(x̂, 1/sqrt(σ²+ε), axes, M)``."""
        axes = (0,) + tuple(range(2, x.ndim))
        bshape = (1, -1) + (1,) * (x.ndim - 2)
        M = x.size // self.num_features
        if self.training:
            if M < 2:
                raise ValueError(f"{self!r}: in training mode each channel needs more than "
                                 f"one value to estimate its variance; got x of shape "
                                 f"{x.shape}. Use a batch of at least 2 samples, or call "
                                 f".eval() to use the running statistics.")
            mu = x.mean(axis=axes)                     # (11.1)
            var = x.var(axis=axes)                     # biased: 1/M, used to normalise
            m = self.momentum
            self.running_mean *= 1 - m
            self.running_mean += m * mu
            self.running_var *= 1 - m
            self.running_var += (m * M / (M - 1)) * var  # unbiased, as PyTorch: (11.3)
        else:
            mu, var = self.running_mean, self.running_var
        inv_std = (1.0 / np.sqrt(var + self.eps)).astype(x.dtype).reshape(bshape)
        xhat = (x - mu.reshape(bshape)) * inv_std      # (11.2)
        y = xhat * self.params["weight"].reshape(bshape) + self.params["bias"].reshape(bshape)
        return y, (xhat, inv_std, axes, M if self.training else None)

    def _backward(self, dout, cache):
        r"""``dout`` of ``x``'s shape → ``dx`` (same), ``dweight``, ``dbias`` (both ``(C,)``).

        Training (batch statistics, :math:`M` = entries per channel, sums over all axes but
        the channel):
        :math:`\bar x = \frac{\gamma}{M\sigma}(M\bar y - \sum\bar y - \hat x\sum\bar y\hat x)`.
        Eval (the running statistics are constants): :math:`\bar x = \gamma\bar y/\sigma`.
        Both: :math:`\bar\gamma = \sum \bar y\odot\hat x`, :math:`\bar\beta = \sum\bar y`.
        """
        xhat, inv_std, axes, M = cache
        bshape = (1, -1) + (1,) * (dout.ndim - 2)
        dxhat = dout * self.params["weight"].reshape(bshape)      # (11.4)
        dx = dxhat * inv_std if M is None else _normalised_backward(dxhat, xhat, inv_std,
                                                                     axes, M)
        return dx, {"weight": (dout * xhat).sum(axis=axes), "bias": dout.sum(axis=axes)}


class BatchNorm1d(_BatchNorm):
    r"""Batch normalisation of ``x: (N, C)`` or ``(N, C, L)`` (PyTorch's ``nn.BatchNorm1d``),
    one :math:`\mu, \sigma^2` per channel over the batch (and length) axes.

    Parameters
    ----------
    num_features : int
        :math:`C`.
    eps : float
        Added to the variance before the square root.
    momentum : float
        In training, ``running = (1 - momentum) * running + momentum * batch``, with the
        batch mean and the *unbiased* batch variance (divided by :math:`M - 1`), while the
        normalisation itself uses the *biased* one (divided by :math:`M`), exactly as
        PyTorch. In eval mode the layer normalises with ``running_mean``/``running_var``.
    dtype : numpy dtype
        ``np.float64`` (default) or ``np.float32``.

    Attributes
    ----------
    params : dict
        ``"weight"`` (:math:`\gamma`) and ``"bias"`` (:math:`\beta`), each ``(C,)``.
    running_mean, running_var : ndarray of shape (C,)
        Start at 0 and 1; updated in place by every forward in training mode.
    """

    shapes, layout = (2, 3), "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    r"""Batch normalisation of images ``x: (N, C, H, W)`` (PyTorch's ``nn.BatchNorm2d``): one
    :math:`\mu, \sigma^2` per channel over :math:`M = N H W` entries. Otherwise as
    :class:`BatchNorm1d`."""

    shapes, layout = (4,), "(N, C, H, W)"


class LayerNorm(Layer):
    r"""Layer normalisation over each sample's last axes (PyTorch's ``nn.LayerNorm``):
    ``x: (..., *normalized_shape)``, one :math:`\mu, \sigma^2` per leading index over the
    :math:`M = \prod` ``normalized_shape`` trailing entries; the same in training and eval.

    Parameters
    ----------
    normalized_shape : int or tuple of int
        The trailing shape normalised over, e.g. ``d_model``.
    eps : float
    dtype : numpy dtype

    Attributes
    ----------
    params : dict
        ``"weight"`` (:math:`\gamma`, ones) and ``"bias"`` (:math:`\beta`, zeros), each of
        shape ``normalized_shape``.
    """

    def __init__(self, normalized_shape, eps=1e-5, *, dtype=np.float64):
        super().__init__()
        shape = ((normalized_shape,) if isinstance(normalized_shape, (int, np.integer))
                 else tuple(normalized_shape) if isinstance(normalized_shape, (tuple, list))
                 else None)
        if not shape or any(isinstance(n, bool) or not isinstance(n, (int, np.integer))
                            or n < 1 for n in shape):
            raise ValueError(f"LayerNorm: normalized_shape must be a positive integer or a "
                             f"tuple of them (the trailing shape of x); got "
                             f"{normalized_shape!r}.")
        self.normalized_shape = tuple(int(n) for n in shape)
        self.eps = _eps("LayerNorm", eps)
        self.dtype = float_dtype(dtype)
        self.params = {"weight": np.ones(self.normalized_shape, self.dtype),
                       "bias": np.zeros(self.normalized_shape, self.dtype)}

    def __repr__(self):
        return f"LayerNorm({self.normalized_shape}, eps={self.eps:g})"

    def _check_input(self, x, where=""):
        k = len(self.normalized_shape)
        if x.ndim < k or x.shape[x.ndim - k:] != self.normalized_shape:
            raise ValueError(f"{self!r}{where} expects x of shape (..., "
                             f"{', '.join(map(str, self.normalized_shape))}), normalised over "
                             f"its last {k} axis/axes; got shape {x.shape}. Build the layer "
                             f"with normalized_shape = x.shape[-{k}:].")

    def _forward(self, x):
        """``x̂`` over the last axes, then ``γ x̂ + β``; the cache is ``(x̂, 1/σ)``."""
        axes = tuple(range(x.ndim - len(self.normalized_shape), x.ndim))
        mu = x.mean(axis=axes, keepdims=True)
        var = x.var(axis=axes, keepdims=True)
        inv_std = 1.0 / np.sqrt(var + x.dtype.type(self.eps))
        xhat = (x - mu) * inv_std
        return xhat * self.params["weight"] + self.params["bias"], (xhat, inv_std)

    def _backward(self, dout, cache):
        r"""``dout`` of ``x``'s shape → ``dx`` (same), ``dweight``, ``dbias``
        (``normalized_shape``). With :math:`\bar{\hat x} = \gamma\odot\bar y` and the sums
        over the :math:`M` normalised entries of each sample,
        :math:`\bar x = \frac{1}{M\sigma}(M\bar{\hat x} - \sum\bar{\hat x} - \hat x\sum
        \bar{\hat x}\hat x)`; :math:`\bar\gamma = \sum_{\text{leading}}\bar y\odot\hat x`,
        :math:`\bar\beta = \sum_{\text{leading}}\bar y`."""
        xhat, inv_std = cache
        k = len(self.normalized_shape)
        axes = tuple(range(dout.ndim - k, dout.ndim))
        lead = tuple(range(dout.ndim - k))
        M = int(np.prod(self.normalized_shape))
        dx = _normalised_backward(dout * self.params["weight"], xhat, inv_std, axes, M)
        return dx, {"weight": (dout * xhat).sum(axis=lead), "bias": dout.sum(axis=lead)}
