r"""What a small transformer needs besides attention: ``PositionalEmbedding``, and
``transformer``, which assembles a decoder-only (GPT-style) model from bplab's layers.

Attention alone cannot tell the steps apart: permuting the input's time steps permutes its
output the same way. A *learned positional embedding* adds a vector :math:`P_t` per position
to the token's embedding, so that the same digit at step 2 and at step 5 enters the block as
two different vectors; its backward is a sum of :math:`\bar y` over the batch.

The model (pre-LN, as GPT-2), for token ids ``x: (N, T)``:

.. math::

    h^{(0)} &= E[x] + P_{0:T}, \\
    h^{(l)} &= u + \operatorname{MLP}(\operatorname{LN}(u)), \quad
    u = h^{(l-1)} + \operatorname{MHSA}(\operatorname{LN}(h^{(l-1)})), \\
    z &= \operatorname{LN}(h^{(L)})\, W^\top + b \qquad (N, T, C)\ \text{logits},

each sub-layer inside a :class:`~bplab.layers.Residual`, the MLP ``Linear(D, d_ff)``, ``ReLU``,
``Linear(d_ff, D)`` at every step (:class:`~bplab.layers.TimeDistributed`), and the loss
:class:`~bplab.layers.SoftmaxCrossEntropyLoss` per token.
"""
from __future__ import annotations

import numpy as np

from bplab.layers._base import Layer, float_dtype

__all__ = ["PositionalEmbedding", "transformer"]


def _positive(who, name, n):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{who}: {name} must be a positive integer; got {n!r}.")
    return int(n)


class PositionalEmbedding(Layer):
    r"""A learned positional embedding added to its input: for ``x: (N, T, D)``,
    :math:`y_{n,t,:} = x_{n,t,:} + P_{t,:}` with a table ``P: (max_len, D)`` (GPT-2's
    ``wpe``; in PyTorch ``x + pos.weight[:T]`` with an ``nn.Embedding(max_len, D)``).

    Parameters
    ----------
    max_len, d_model : int
        The longest sequence, and the width D of each vector.
    seed : int
        Seed of the ``np.random.default_rng`` drawing ``P`` from :math:`\mathcal N(0, 1)`
        (``nn.Embedding``'s initialisation).
    dtype : ``np.float64`` (default) or ``np.float32``.

    Attributes
    ----------
    params : dict
        ``"weight"``: ``P`` of shape ``(max_len, d_model)``.
    """

    def __init__(self, max_len, d_model, *, seed=0, dtype=np.float64):
        super().__init__()
        self.max_len = _positive("PositionalEmbedding", "max_len", max_len)
        self.d_model = _positive("PositionalEmbedding", "d_model", d_model)
        self.dtype = float_dtype(dtype)
        P = np.random.default_rng(seed).normal(size=(self.max_len, self.d_model))
        self.params = {"weight": P.astype(self.dtype)}

    def __repr__(self):
        return f"PositionalEmbedding({self.max_len}, {self.d_model})"

    def _check_input(self, x, where=""):
        if x.ndim != 3 or x.shape[2] != self.d_model:
            hint = " For one sequence use x[None]." if x.ndim == 2 else ""
            raise ValueError(f"{self!r}{where} expects x of shape (N, T, {self.d_model}) "
                             f"(batch, time, d_model); got shape {x.shape}.{hint}")
        if x.shape[1] > self.max_len:
            raise ValueError(f"{self!r}{where}: the sequences have T = {x.shape[1]} steps, "
                             f"more than max_len = {self.max_len} positions. Shorten them, "
                             f"or build the layer with max_len >= {x.shape[1]}.")

    def _forward(self, x):
        """``x: (N, T, D)`` → ``x + P[:T]``; the cache is ``T``."""
        T = x.shape[1]
        return x + self.params["weight"][:T], T

    def _backward(self, dout, T):
        r"""``dout: (N, T, D)`` → ``dx = dout`` and ``dweight: (max_len, D)``:

        .. math:: \bar x = \bar y, \qquad \bar P_{t,:} = \textstyle\sum_n \bar y_{n,t,:}
                  \ (t < T), \qquad \bar P_{t,:} = 0 \ (t \ge T),

        the sum because every sequence of the batch adds the same :math:`P_t`.
        """
        dP = np.zeros_like(self.params["weight"])
        dP[:T] = dout.sum(axis=0)
        return dout, {"weight": dP}


def transformer(vocab_size, num_classes, max_len, *, d_model=32, num_heads=2, num_blocks=1,
                d_ff=None, seed=0, dtype=np.float64):
    r"""A decoder-only transformer as a :class:`~bplab.layers.Sequential` (the model of this
    module's docstring), with the loss ``SoftmaxCrossEntropyLoss()`` per token.

    Parameters
    ----------
    vocab_size : int
        Token ids lie in ``[0, vocab_size)``.
    num_classes : int
        C, the logits per step (often ``vocab_size``).
    max_len : int
        The longest sequence T.
    d_model, num_heads, num_blocks : int
        Width D, heads per attention layer, number of blocks.
    d_ff : int, optional
        Width of the MLP (default ``4 * d_model``).
    seed : int
        Each layer gets its own seed, ``seed + i`` for the i-th layer built.
    dtype : ``np.float64`` (default) or ``np.float32``.

    Returns
    -------
    Sequential
        ``Embedding, PositionalEmbedding, Residual([LayerNorm, MultiHeadSelfAttention]),
        Residual([LayerNorm, TimeDistributed(Linear), ReLU, TimeDistributed(Linear)]), ...,
        LayerNorm, TimeDistributed(Linear)``: input ``(N, T)`` ids, output ``(N, T, C)``.
    """
    from bplab.layers import (Embedding, LayerNorm, Linear, MultiHeadSelfAttention, ReLU,
                              Residual, Sequential, SoftmaxCrossEntropyLoss, TimeDistributed)
    D = _positive("transformer", "d_model", d_model)
    d_ff = 4 * D if d_ff is None else _positive("transformer", "d_ff", d_ff)
    nb = _positive("transformer", "num_blocks", num_blocks)
    seeds = iter(range(seed, seed + 4 + 4 * nb))
    layers = [Embedding(vocab_size, D, seed=next(seeds), dtype=dtype),
              PositionalEmbedding(max_len, D, seed=next(seeds), dtype=dtype)]
    for _ in range(nb):
        layers.append(Residual([LayerNorm(D, dtype=dtype),
                                MultiHeadSelfAttention(D, num_heads, seed=next(seeds),
                                                       dtype=dtype)]))
        layers.append(Residual([LayerNorm(D, dtype=dtype),
                                TimeDistributed(Linear(D, d_ff, seed=next(seeds), gain=2.0,
                                                       dtype=dtype)),
                                ReLU(),
                                TimeDistributed(Linear(d_ff, D, seed=next(seeds),
                                                       dtype=dtype))]))
    layers += [LayerNorm(D, dtype=dtype),
               TimeDistributed(Linear(D, num_classes, seed=next(seeds), dtype=dtype))]
    return Sequential(*layers, loss=SoftmaxCrossEntropyLoss())
