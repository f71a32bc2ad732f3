r"""Dropout (inverted, as PyTorch's ``nn.Dropout``), seeded."""
from __future__ import annotations

import numbers

import numpy as np

from bplab.layers._base import Layer

__all__ = ["Dropout"]


class Dropout(Layer):
    r"""In training, zero each entry with probability ``p`` and scale the rest by
    :math:`1/(1-p)`, so that the expected output is the input: :math:`y = x \odot M`,
    :math:`M_{i} = [u_i \ge p]/(1-p)`, :math:`u_i \sim U[0, 1)`. In eval mode, :math:`y = x`.

    Parameters
    ----------
    p : float in [0, 1]
        Probability of dropping an entry.
    seed : int
        Seed of the layer's own ``np.random.default_rng``: each forward in training mode draws
        a new mask from it, so a run is reproducible and no global random state is touched.
    """

    def __init__(self, p=0.5, *, seed=0):
        super().__init__()
        if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 <= p <= 1:
            raise ValueError(f"Dropout: p must be a probability in [0, 1]; got {p!r}. "
                             f"Typical values are 0.1 to 0.5.")
        self.p = float(p)
        self.rng = np.random.default_rng(seed)

    def __repr__(self):
        return f"Dropout(p={self.p})"

    def _forward(self, x):
        if not self.training or self.p == 0.0:
            return x, None
        keep = self.rng.random(x.shape, dtype=x.dtype) >= self.p
        mask = keep / x.dtype.type(1.0 - self.p) if self.p < 1 else np.zeros_like(x)
        mask = mask.astype(x.dtype, copy=False)
        return x * mask, mask

    def _backward(self, dout, mask):
        r""":math:`\bar x = \bar y \odot M` (the same mask; :math:`\bar x = \bar y` in eval)."""
        return (dout if mask is None else dout * mask), {}
