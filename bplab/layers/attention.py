r"""Multi-head (causal) self-attention and the residual connection, batch first ``(N, T, D)``.

Attention mixes the time steps with weights that are themselves computed from the input; its
backward goes through a softmax over each row of scores, whose vector-Jacobian product
:math:`\bar S = P \odot (\bar P - \operatorname{rowsum}(\bar P \odot P))` is used directly,
never the :math:`T \times T` Jacobian of each row. ``Residual`` adds a block's input to its
output; the input is used twice, so it receives the sum of both gradients.

Both are derived, and checked against finite differences, the autodiff engine and PyTorch,
in the chapter "Attention" (Part III), which also measures the residual connection's
"gradient highway" with :func:`bplab.health.block_gradient_norms`.
"""
from __future__ import annotations

import numpy as np

from bplab.layers._base import Layer, float_dtype, rows_times

__all__ = ["MultiHeadSelfAttention", "Residual"]

_PROJECTIONS = ("q", "k", "v", "o")


class MultiHeadSelfAttention(Layer):
    r"""Multi-head scaled dot-product self-attention, with a causal mask by default.

    For ``x: (N, T, D)``, with :math:`H` heads of size :math:`d = D/H`:

    .. math::

        Q = x W_q^\top + b_q,\quad K = x W_k^\top + b_k,\quad V = x W_v^\top + b_v
        \qquad (N, T, D) \to (N, H, T, d) \text{ by splitting } D,

        S = Q K^\top / \sqrt d + M, \qquad P = \operatorname{softmax}_\text{rows}(S),
        \qquad O = P V, \qquad y = O_\text{merged} W_o^\top + b_o,

    where the mask :math:`M_{ij} = -\infty` for :math:`j > i` (causal: step :math:`i` sees
    only steps :math:`\le i`) and 0 otherwise. This is PyTorch's
    ``F.scaled_dot_product_attention(q, k, v, is_causal=True)`` between four ``F.linear``
    projections; ``nn.MultiheadAttention`` holds the same numbers as
    ``in_proj_weight = concat(W_q, W_k, W_v)`` and ``out_proj``.

    Parameters
    ----------
    d_model, num_heads : int
        ``d_model`` must be a multiple of ``num_heads``.
    causal : bool
        Mask the future (default ``True``); ``False``: every step sees every step.
    seed : int
        Seed of the ``np.random.default_rng`` drawing each :math:`W` from
        :math:`\mathcal N(0, 1/D)`; the biases start at zero.
    dtype : ``np.float64`` (default) or ``np.float32``.

    Attributes
    ----------
    params : dict
        ``W_q, W_k, W_v, W_o`` of shape ``(D, D)`` and ``b_q, b_k, b_v, b_o`` of shape
        ``(D,)``, each projection as :class:`~bplab.layers.Linear` (:math:`y = xW^\top + b`).
    """

    def __init__(self, d_model, num_heads, causal=True, *, seed=0, dtype=np.float64):
        super().__init__()
        for name, n in (("d_model", d_model), ("num_heads", num_heads)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"MultiHeadSelfAttention: {name} must be a positive "
                                 f"integer; got {n!r}.")
        if d_model % num_heads:
            raise ValueError(f"MultiHeadSelfAttention: d_model ({d_model}) must be a multiple "
                             f"of num_heads ({num_heads}), each head taking d_model/num_heads "
                             f"features. Change one of them.")
        self.d_model, self.num_heads = int(d_model), int(num_heads)
        self.head_dim = self.d_model // self.num_heads
        self.causal = bool(causal)
        self.dtype = float_dtype(dtype)
        rng, D = np.random.default_rng(seed), self.d_model
        self.params = {}
        for n in _PROJECTIONS:
            self.params[f"W_{n}"] = rng.normal(0.0, np.sqrt(1.0 / D), (D, D)).astype(self.dtype)
            self.params[f"b_{n}"] = np.zeros(D, self.dtype)

    def __repr__(self):
        return (f"MultiHeadSelfAttention({self.d_model}, {self.num_heads}"
                f"{'' if self.causal else ', causal=False'})")

    def _check_input(self, x, where=""):
        if x.ndim != 3 or x.shape[2] != self.d_model:
            hint = " For one sequence use x[None]." if x.ndim == 2 else ""
            raise ValueError(f"{self!r}{where} expects x of shape (N, T, {self.d_model}) "
                             f"(batch, time, d_model); got shape {x.shape}.{hint}")
        if x.shape[1] == 0:
            raise ValueError(f"{self!r}{where} needs at least one time step; got x of shape "
                             f"{x.shape} (T = 0).")

    # (N, T, D) <-> (N, H, T, d)
    def _split(self, a):
        N, T, _ = a.shape
        return a.reshape(N, T, self.num_heads, self.head_dim).transpose(0, 2, 1, 3)

    @staticmethod
    def _merge(a):
        N, H, T, d = a.shape
        return a.transpose(0, 2, 1, 3).reshape(N, T, H * d)

    def _forward(self, x):
        """``x: (N, T, D)`` → ``y: (N, T, D)``; the cache is ``(x, Q, K, V, P, O_merged)``."""
        p = self.params
        q, k, v = (self._split(rows_times(x, p[f"W_{n}"].T) + p[f"b_{n}"]) for n in "qkv")
        S = np.matmul(q, k.swapaxes(-1, -2))
        S *= 1.0 / np.sqrt(self.head_dim)
        if self.causal:
            T = x.shape[1]
            S[..., np.triu(np.ones((T, T), dtype=bool), k=1)] = -np.inf
        S -= S.max(axis=-1, keepdims=True)          # the diagonal is never masked: finite
        P = np.exp(S, out=S)
        P /= P.sum(axis=-1, keepdims=True)
        O = self._merge(np.matmul(P, v))
        y = rows_times(O, p["W_o"].T) + p["b_o"]
        return y, (x, q, k, v, P, O)

    def _backward(self, dout, cache):
        r"""``dout: (N, T, D)`` → ``dx: (N, T, D)`` and the eight parameters' gradients.

        Each step below is the VJP of one line of the forward, in reverse
        (shapes per head: :math:`Q, K, V, O: (T, d)`, :math:`S, P: (T, T)`):

        .. math::

            \bar O = \bar y W_o, \quad \bar W_o = \textstyle\sum \bar y^\top O,
            \quad \bar b_o = \sum \bar y;
            \qquad \bar P = \bar O V^\top, \quad \bar V = P^\top \bar O;

            \bar S = P \odot \big(\bar P - \operatorname{rowsum}(\bar P \odot P)\big)
            \quad\text{(the softmax's VJP, row by row; masked entries have } P = 0
            \text{, so } \bar S = 0 \text{ there)};

            \bar Q = \bar S K / \sqrt d, \quad \bar K = \bar S^\top Q / \sqrt d;
            \qquad \bar W_n = \textstyle\sum \bar n^\top x, \quad \bar b_n = \sum \bar n
            \ (n = q, k, v), \quad \bar x = \bar Q W_q + \bar K W_k + \bar V W_v,

        the last a sum because :math:`x` feeds all three projections. Sums run over batch
        and time, after merging the heads back to ``(N, T, D)``. One consequence:
        :math:`\bar b_k = \sum \bar K` is zero (up to rounding), since :math:`b_k` adds
        :math:`q_t \cdot b_k` to every score of row :math:`t`, a constant the softmax
        removes; the rows of :math:`\bar S` sum to zero.
        """
        x, q, k, v, P, O = cache
        p, D = self.params, self.d_model
        dO = self._split(rows_times(dout, p["W_o"]))
        dP = np.matmul(dO, v.swapaxes(-1, -2))
        dv = np.matmul(P.swapaxes(-1, -2), dO)
        dS = P * (dP - (dP * P).sum(axis=-1, keepdims=True))
        dS *= 1.0 / np.sqrt(self.head_dim)
        dq = np.matmul(dS, k)
        dk = np.matmul(dS.swapaxes(-1, -2), q)
        x2 = x.reshape(-1, D)
        grads = {"W_o": np.dot(dout.reshape(-1, D).T, O.reshape(-1, D)),
                 "b_o": dout.reshape(-1, D).sum(axis=0)}
        dx = np.zeros_like(x)
        for n, g in (("q", dq), ("k", dk), ("v", dv)):
            g = self._merge(g)
            grads[f"W_{n}"] = np.dot(g.reshape(-1, D).T, x2)
            grads[f"b_{n}"] = g.reshape(-1, D).sum(axis=0)
            dx += rows_times(g, p[f"W_{n}"])
        return dx, {name: grads[name] for name in self.params}


class Residual(Layer):
    r"""A residual connection :math:`y = x + F(x)`, where :math:`F` is a layer or a list of
    layers applied in order (for a transformer block, e.g.
    ``Residual([LayerNorm(D), MultiHeadSelfAttention(D, H)])``).

    :math:`x` is used twice — as the skip and as :math:`F`'s input — so its gradient is the
    sum of the two: :math:`\bar x = \bar y + J_F^\top \bar y`. The identity term passes
    :math:`\bar y` through unchanged, whatever :math:`F` does: the "gradient highway".

    ``params`` holds the inner layers' arrays (the same arrays, so optimisers update them)
    as ``"i.name"``, ``i`` the position in the list, as :class:`~bplab.layers.Sequential`.
    ``F`` must keep the shape of its input.
    """

    def __init__(self, inner):
        super().__init__()
        layers = list(inner) if isinstance(inner, (list, tuple)) else [inner]
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"Residual: inner must be a bplab.layers layer or a list of "
                                f"them; item {i} is {type(layer).__name__}.")
        if not layers:
            raise ValueError("Residual: inner needs at least one layer; for y = 2x use "
                             "Residual(Identity()).")
        self.layers = layers
        dtypes = {layer.dtype for layer in layers if layer.dtype is not None}
        if len(dtypes) > 1:
            raise ValueError(f"Residual: all inner layers need one dtype; got "
                             f"{sorted(d.name for d in dtypes)}.")
        self.dtype = dtypes.pop() if dtypes else None
        self.params = {f"{i}.{name}": arr for i, layer in enumerate(layers)
                       for name, arr in layer.params.items()}

    def __repr__(self):
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Residual([{inner}])"

    def train(self, mode: bool = True):
        for layer in self.layers:
            layer.train(mode)
        return super().train(mode)

    def _check_input(self, x, where=""):
        self.layers[0]._check_input(x, f"{where} (inside {self!r})")

    def _forward(self, x):
        """``x`` → ``x + F(x)``, same shape; the cache is every inner layer's cache."""
        h, caches = x, []
        for i, layer in enumerate(self.layers):
            if i:
                layer._check_input(h, f" (inner layer {i} of {self!r})")
            h, cache = layer._forward(h)
            caches.append(cache)
        if h.shape != x.shape:
            raise ValueError(f"{self!r}: the inner layers turn x of shape {x.shape} into "
                             f"shape {h.shape}; x + F(x) needs F to keep the shape. Make the "
                             f"inner layers' output size equal their input size.")
        return x + h, caches

    def _backward(self, dout, caches):
        r""":math:`\bar x = \bar y + J_F^\top \bar y`: the inner layers' backward in reverse,
        from :math:`\bar y`, plus :math:`\bar y` itself (the skip)."""
        g, grads = dout, {}
        for i in range(len(self.layers) - 1, -1, -1):
            g, lg = self.layers[i]._backward(g, caches[i])
            grads.update({f"{i}.{name}": value for name, value in lg.items()})
        return dout + g, {name: grads[name] for name in self.params}
