r"""Convolution and pooling on images ``x: (N, C, H, W)``: ``Conv2d`` and ``MaxPool2d``.

``Conv2d`` is a cross-correlation, as in PyTorch (no kernel flip in the forward):

.. math::

    y_{n,f,i,j} = b_f + \sum_{c,p,q} W_{f,c,p,q}\; x^{\text{pad}}_{n,c,\,s i+p,\,s j+q},
    \qquad H_o = \Big\lfloor\frac{H + 2P - k_H}{s}\Big\rfloor + 1 \text{ (same for } W_o).

**im2col.** Copy every receptive field into one row of a column buffer
``cols: (N·H_o·W_o, C·k_H·k_W)``; then the forward is one matrix product,
``y = cols · W_mᵀ + b`` with ``W_m = W.reshape(F, C·k_H·k_W)``, and the backward is two:
``dW_m = doutᵀ · cols`` and ``dcols = dout · W_m``, whose rows :func:`col2im` adds back onto
the pixels they were copied from (a pixel in :math:`k_H k_W/s^2` fields gets that many
contributions). The cost is memory: ``cols`` holds each pixel about :math:`k_H k_W/s^2`
times. One column buffer is allocated per call (forward: ``cols``, kept in the cache for
``dW``; backward: ``dcols``); the rest is image- or output-sized (a padded copy of ``x`` when
``padding > 0``, ``y``, ``dout`` as a matrix, the padded ``dx``).
``tests/test_layers_norm_conv.py`` measures it with ``tracemalloc``.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from bplab.layers._base import Layer, float_dtype

__all__ = ["Conv2d", "MaxPool2d", "im2col", "col2im", "conv_output_size"]


def _pair(who, name, v, minimum=1):
    vals = (v, v) if isinstance(v, (int, np.integer)) and not isinstance(v, bool) else v
    if not (isinstance(vals, (tuple, list)) and len(vals) == 2 and all(
            isinstance(a, (int, np.integer)) and not isinstance(a, bool) and a >= minimum
            for a in vals)):
        raise ValueError(f"{who}: {name} must be an integer >= {minimum} or a pair of them "
                         f"(height, width); got {v!r}.")
    return int(vals[0]), int(vals[1])


def conv_output_size(size, kernel, stride, padding):
    r""":math:`\lfloor (size + 2P - k)/s\rfloor + 1` (0 or less: the kernel does not fit)."""
    return (size + 2 * padding - kernel) // stride + 1


def _windows(xp, kernel, stride):
    """A read-only view ``(N, C, H_o, W_o, k_H, k_W)`` of the receptive fields of the
    (padded) ``xp``: no copy."""
    N, C, H, W = xp.shape
    (kh, kw), (sh, sw) = kernel, stride
    Ho, Wo = (H - kh) // sh + 1, (W - kw) // sw + 1
    s = xp.strides
    return as_strided(xp, (N, C, Ho, Wo, kh, kw),
                      (s[0], s[1], s[2] * sh, s[3] * sw, s[2], s[3]), writeable=False)


def im2col(xp, kernel, stride):
    """``xp: (N, C, H, W)`` (already padded) → ``cols: (N·H_o·W_o, C·k_H·k_W)``, row
    ``(n, i, j)`` holding the field of output pixel ``(i, j)`` of image ``n`` in the order
    ``(c, p, q)`` of ``W.reshape(F, -1)``. One copy, the only buffer allocated; it is stored
    column by column (``cols.T`` is C-contiguous), so that the copy reads and writes image
    rows contiguously (about 25% faster than row by row, measured in ``bench/conv.py``);
    the matrix products take either layout."""
    win = _windows(xp, kernel, stride)                       # (N, C, Ho, Wo, kh, kw)
    N, C, Ho, Wo, kh, kw = win.shape
    colsT = np.ascontiguousarray(win.transpose(1, 4, 5, 0, 2, 3))   # (C, kh, kw, N, Ho, Wo)
    return colsT.reshape(C * kh * kw, N * Ho * Wo).T


def col2im(cols, xp_shape, kernel, stride):
    """The adjoint of :func:`im2col`: ``cols: (N·H_o·W_o, C·k_H·k_W)`` → ``(N, C, H, W)``,
    each row's entries *added* onto the pixels of its field (overlapping fields sum).
    Vectorised over images, channels and output pixels; a loop over the
    :math:`k_H k_W` kernel offsets only."""
    N, C, H, W = xp_shape
    (kh, kw), (sh, sw) = kernel, stride
    Ho, Wo = (H - kh) // sh + 1, (W - kw) // sw + 1
    c6 = cols.reshape(N, Ho, Wo, C, kh, kw).transpose(0, 3, 4, 5, 1, 2)  # (N,C,kh,kw,Ho,Wo)
    dxp = np.zeros(xp_shape, cols.dtype)
    for p in range(kh):
        for q in range(kw):
            dxp[:, :, p:p + sh * (Ho - 1) + 1:sh, q:q + sw * (Wo - 1) + 1:sw] += c6[:, :, p, q]
    return dxp


def _check_image(layer, x, where, channels=None):
    if x.ndim != 4:
        fix = (" For one image, pass x[None]." if x.ndim == 3 else
               " Reshape it, e.g. x.reshape(N, C, H, W)." if x.ndim == 2 else "")
        raise ValueError(f"{layer!r}{where} expects x of shape (N, C, H, W), batch first; "
                         f"got shape {x.shape} ({x.ndim}-D).{fix}")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"{layer!r}{where} expects x with {channels} channels on axis 1, "
                         f"(N, {channels}, H, W); got {x.shape[1]} channels (shape "
                         f"{x.shape}). Build the layer with in_channels={x.shape[1]}, or "
                         f"check the previous layer's out_channels.")
    (kh, kw), (ph, pw) = layer.kernel_size, getattr(layer, "padding", (0, 0))
    H, W = x.shape[2] + 2 * ph, x.shape[3] + 2 * pw
    if kh > H or kw > W:
        raise ValueError(f"{layer!r}{where}: the kernel {kh}x{kw} is larger than the padded "
                         f"input {H}x{W} (x has shape {x.shape}, padding ({ph}, {pw})). "
                         f"Use a smaller kernel_size, more padding, or a larger input.")


class Conv2d(Layer):
    r"""2-D convolution (cross-correlation) of ``x: (N, C_in, H, W)`` into
    ``(N, C_out, H_o, W_o)`` (PyTorch's ``nn.Conv2d``, without dilation and groups).

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size, stride, padding : int or (int, int)
        ``padding`` zeros are added on every side of ``H`` and ``W``.
    bias : bool
        With a bias ``b: (C_out,)`` (default) or without.
    seed, gain, dtype
        As :class:`~bplab.layers.Linear`: ``W`` drawn from
        :math:`\mathcal N(0, \text{gain}/(C_{in}k_Hk_W))` (the fan-in of one output) by
        ``np.random.default_rng(seed)``, ``b`` zero, ``np.float64`` or ``np.float32``.

    Attributes
    ----------
    params : dict
        ``"W"`` of shape ``(C_out, C_in, k_H, k_W)`` (PyTorch's ``weight``) and, with
        ``bias=True``, ``"b"`` of shape ``(C_out,)``, named as ``Linear``'s.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 bias=True, *, seed=0, gain=1.0, dtype=np.float64):
        super().__init__()
        for name, n in (("in_channels", in_channels), ("out_channels", out_channels)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"Conv2d: {name} must be a positive integer; got {n!r}.")
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size = _pair("Conv2d", "kernel_size", kernel_size)
        self.stride = _pair("Conv2d", "stride", stride)
        self.padding = _pair("Conv2d", "padding", padding, minimum=0)
        self.dtype = float_dtype(dtype)
        kh, kw = self.kernel_size
        fan_in = self.in_channels * kh * kw
        W = np.random.default_rng(seed).normal(0.0, np.sqrt(gain / fan_in),
                                               size=(self.out_channels, self.in_channels,
                                                     kh, kw))
        self.params = {"W": W.astype(self.dtype)}
        if bias:
            self.params["b"] = np.zeros(self.out_channels, self.dtype)

    def __repr__(self):
        return (f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size="
                f"{self.kernel_size}, stride={self.stride}, padding={self.padding}"
                + (", bias=False" if "b" not in self.params else "") + ")")

    def _check_input(self, x, where=""):
        _check_image(self, x, where, self.in_channels)

    def _pad(self, x):
        """``x`` with ``padding`` zeros on every side of ``H`` and ``W`` (a new array; ``x``
        itself without padding). What ``np.pad`` computes, without its argument handling,
        which cost 10% of a training step of the digits CNN (``bench/conv.py``)."""
        ph, pw = self.padding
        if not (ph or pw):
            return x
        N, C, H, W = x.shape
        xp = np.zeros((N, C, H + 2 * ph, W + 2 * pw), x.dtype)
        xp[:, :, ph:ph + H, pw:pw + W] = x
        return xp

    def _forward(self, x):
        """``x: (N, C_in, H, W)`` → ``y: (N, C_out, H_o, W_o)`` = ``cols · W_mᵀ + b``; the
        cache is ``(cols, padded shape, x's shape)``."""
        xp = self._pad(x)
        cols = im2col(xp, self.kernel_size, self.stride)        # the one column buffer
        N = x.shape[0]
        Ho = (xp.shape[2] - self.kernel_size[0]) // self.stride[0] + 1
        Wo = (xp.shape[3] - self.kernel_size[1]) // self.stride[1] + 1
        y = np.dot(cols, self.params["W"].reshape(self.out_channels, -1).T)  # (N·Ho·Wo, F)
        if "b" in self.params:
            y += self.params["b"]
        return y.reshape(N, Ho, Wo, self.out_channels).transpose(0, 3, 1, 2), \
            (cols, xp.shape, x.shape)

    def _backward(self, dout, cache):
        r"""``dout: (N, C_out, H_o, W_o)`` → ``dx: (N, C_in, H, W)``, ``dW``, ``db: (C_out,)``.

        .. math::

            \bar W_{f,c,p,q} = \sum_{n,i,j} \bar y_{n,f,i,j}\, x^{\text{pad}}_{n,c,si+p,sj+q}
            \;(\text{i.e. } \bar W_m = \bar Y^\top \text{cols}), \qquad
            \bar b_f = \sum_{n,i,j}\bar y_{n,f,i,j},

            \bar x^{\text{pad}} = \operatorname{col2im}(\bar Y\, W_m), \qquad
            \bar x = \bar x^{\text{pad}} \text{ without its padding},

        with :math:`\bar Y` = ``dout`` as a ``(N·H_o·W_o, C_out)`` matrix. The col2im of
        :math:`\bar Y W_m` equals a *full* convolution of ``dout`` (dilated by the stride:
        :math:`s-1` zeros between entries) with the kernel flipped in both spatial axes and
        its channel axes swapped, :math:`W^{\text{flip}}_{c,f,p,q} = W_{f,c,k_H-1-p,k_W-1-q}`;
        ``tests/test_layers_norm_conv.py`` checks that identity.
        """
        _, xp_shape, x_shape = cache
        dY = dout.transpose(0, 2, 3, 1).reshape(-1, self.out_channels)   # (N·Ho·Wo, F)
        grads = self._param_grads(dout, cache, dY)
        # dcols = dY · W_m, computed as (W_mᵀ dYᵀ)ᵀ: the same numbers, stored column by
        # column like cols, so that col2im's adds read image rows contiguously (2x faster)
        dcols = np.dot(self.params["W"].reshape(self.out_channels, -1).T, dY.T).T
        dxp = col2im(dcols, xp_shape, self.kernel_size, self.stride)
        ph, pw = self.padding
        return dxp[:, :, ph:ph + x_shape[2], pw:pw + x_shape[3]], grads

    def _param_grads(self, dout, cache, dY=None):
        """``dW`` and ``db`` alone (a first layer needs no ``dx``: no ``dcols``, no col2im)."""
        if dY is None:
            dY = dout.transpose(0, 2, 3, 1).reshape(-1, self.out_channels)
        grads = {"W": np.dot(dY.T, cache[0]).reshape(self.params["W"].shape)}
        if "b" in self.params:
            grads["b"] = dout.sum(axis=(0, 2, 3))
        return grads


class MaxPool2d(Layer):
    r"""Max pooling of ``x: (N, C, H, W)`` (PyTorch's ``nn.MaxPool2d``, without padding,
    dilation and ``ceil_mode``): :math:`y_{n,c,i,j} = \max_{p,q} x_{n,c,si+p,sj+q}`.

    The backward routes each :math:`\bar y_{n,c,i,j}` to the one input that was the maximum
    of its window, :math:`\bar x_{n,c,si+p^*,sj+q^*} \mathrel{+}= \bar y_{n,c,i,j}` (a sum
    where windows overlap, ``stride < kernel_size``); every other input gets 0.
    **Ties**: the first maximum of the window in row-major order ``(p, q)`` wins, as in
    PyTorch's CPU kernel (which keeps the running maximum unless a later value is strictly
    larger); ``tests/test_layers_norm_conv_torch.py`` checks this on constant windows.

    Parameters
    ----------
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Default: ``kernel_size`` (non-overlapping windows).
    """

    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self.kernel_size = _pair("MaxPool2d", "kernel_size", kernel_size)
        self.stride = (self.kernel_size if stride is None
                       else _pair("MaxPool2d", "stride", stride))

    def __repr__(self):
        return f"MaxPool2d(kernel_size={self.kernel_size}, stride={self.stride})"

    def _check_input(self, x, where=""):
        _check_image(self, x, where)

    def _forward(self, x):
        """``y`` and, as the cache, the flat index into ``x`` of each window's first
        maximum (``(N, C, H_o, W_o)`` integers) and ``x``'s shape."""
        win = _windows(x, self.kernel_size, self.stride)          # (N, C, Ho, Wo, kh, kw)
        N, C, Ho, Wo, kh, kw = win.shape
        flat = win.reshape(N, C, Ho, Wo, kh * kw)                 # one copy
        k = flat.argmax(axis=-1)                                  # first maximum
        y = np.take_along_axis(flat, k[..., None], axis=-1)[..., 0]
        p, q = np.divmod(k, kw)
        rows = np.arange(Ho)[:, None] * self.stride[0] + p
        cols = np.arange(Wo)[None, :] * self.stride[1] + q
        H, W = x.shape[2], x.shape[3]
        base = (np.arange(N * C).reshape(N, C, 1, 1)) * (H * W)
        return y, (base + rows * W + cols, x.shape)

    def _backward(self, dout, cache):
        r"""``dout: (N, C, H_o, W_o)`` → ``dx: (N, C, H, W)``:
        :math:`\bar x = \sum_{i,j} \bar y_{i,j}\, e_{\operatorname{argmax}(i,j)}`, one
        ``np.bincount`` (which sums the entries routed to the same input)."""
        index, shape = cache
        dx = np.bincount(index.ravel(), weights=dout.ravel(), minlength=int(np.prod(shape)))
        return dx.reshape(shape).astype(dout.dtype, copy=False), {}
