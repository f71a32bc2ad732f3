r"""Layers over sequences, batch first ``(N, T, d)``: ``Embedding``, ``RNN``, ``TimeDistributed``,
``LastStep``.

``Embedding`` looks rows up in a table; its backward *scatters* the output's gradient back
into the rows it read (a row read twice gets the sum of both gradients). ``RNN`` runs a
recurrence over the whole sequence; its backward is backpropagation through time, one loop
over :math:`t` in reverse, the parameters' gradients summed over the time steps.
``TimeDistributed`` applies a per-sample layer (``Linear``, an activation) at every step;
``LastStep`` keeps only the last step, for a sequence classifier (``h[:, -1]`` in PyTorch).
"""
from __future__ import annotations

import numpy as np

from bplab.layers._base import Layer, LayerCache, check_array, float_dtype, rows_times

__all__ = ["Embedding", "RNN", "TimeDistributed", "LastStep"]


def _positive(who, name, n):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{who}: {name} must be a positive integer; got {n!r}.")
    return int(n)


class Embedding(Layer):
    r"""A lookup table (PyTorch's ``nn.Embedding``): integer indices ``(N, T)`` → rows of
    ``weight`` ``(N, T, embedding_dim)``, :math:`y_{n,t,:} = W_{i_{n,t},:}`.

    Parameters
    ----------
    num_embeddings, embedding_dim : int
        Rows of the table (the vocabulary size) and the length of each row.
    seed : int
        Seed of the ``np.random.default_rng`` drawing ``weight`` from :math:`\mathcal N(0, 1)`
        (PyTorch's initialisation).
    dtype : ``np.float64`` (default) or ``np.float32``.

    **The input gradient.** The indices are integers: no small change of them exists, so
    :math:`\partial C/\partial i` is not defined and ``backward`` returns ``dx = None``.
    An ``Embedding`` is therefore the *first* layer of a model. Inside a
    :class:`~bplab.layers.Sequential`, whose ``forward`` converts its input to floats, the
    indices arrive as floats holding whole numbers; they are accepted and checked the same way.
    """

    def __init__(self, num_embeddings, embedding_dim, *, seed=0, dtype=np.float64):
        super().__init__()
        self.num_embeddings = _positive("Embedding", "num_embeddings", num_embeddings)
        self.embedding_dim = _positive("Embedding", "embedding_dim", embedding_dim)
        self.dtype = float_dtype(dtype)
        W = np.random.default_rng(seed).normal(size=(self.num_embeddings, self.embedding_dim))
        self.params = {"weight": W.astype(self.dtype)}

    def __repr__(self):
        return f"Embedding({self.num_embeddings}, {self.embedding_dim})"

    def _check_input(self, x, where=""):
        if x.ndim != 2:
            raise ValueError(f"{self!r}{where} expects integer indices of shape (N, T), one "
                             f"row per sequence; got shape {x.shape}. Use x[None, :] for a "
                             f"single sequence.")
        if np.issubdtype(x.dtype, np.floating) and x.size and not np.all(x == np.round(x)):
            bad = tuple(int(i) for i in np.argwhere(x != np.round(x))[0])
            raise ValueError(f"{self!r}{where}: indices must be whole numbers; got {x[bad]} "
                             f"at {bad}. Pass integer token ids, e.g. x.astype(int).")
        if x.size and (x.min() < 0 or x.max() >= self.num_embeddings):
            bad = tuple(int(i) for i in np.argwhere((x < 0) | (x >= self.num_embeddings))[0])
            raise ValueError(f"{self!r}{where}: indices must lie in [0, "
                             f"{self.num_embeddings}); got {x[bad]} at {bad}. Build the "
                             f"layer with a larger num_embeddings, or map the ids into range.")

    def forward(self, x):
        """``(out, cache)`` for integer indices ``x: (N, T)`` (checked: integers, shape,
        range; floats holding whole numbers are accepted, as ``Sequential`` passes them)."""
        arr = np.asarray(x) if not isinstance(x, np.ndarray) else x
        if not np.issubdtype(arr.dtype, np.integer):
            if not np.issubdtype(arr.dtype, np.floating):
                raise ValueError(f"{self!r}: x must hold integer indices; got dtype "
                                 f"{arr.dtype}. Convert it with np.asarray(x, dtype=int).")
            arr = check_array(repr(self), "x", arr)          # finite
        self._check_input(arr)
        out, cache = self._forward(arr)
        return out, LayerCache(self, out.shape, cache)

    def _forward(self, x):
        """``x: (N, T)`` → ``weight[x]: (N, T, d)``; the cache is the indices."""
        idx = x.astype(np.intp, copy=False)
        return self.params["weight"][idx], idx

    def _backward(self, dout, idx):
        r"""``dout: (N, T, d)`` → ``dx = None`` (indices have no gradient) and
        ``dweight: (num_embeddings, d)``, the scatter-add

        .. math:: \bar W_{r,:} = \sum_{(n,t):\, i_{n,t} = r} \bar y_{n,t,:},

        done by ``np.add.at``, which — unlike ``dW[idx] += dout`` — adds every repeated
        index rather than keeping only the last write. Rows never read get zero.
        """
        dW = np.zeros_like(self.params["weight"])
        np.add.at(dW, idx, dout)
        return None, {"weight": dW}


_NONLINEARITIES = ("tanh", "relu")


class RNN(Layer):
    r"""An Elman recurrence over whole sequences (PyTorch's ``nn.RNN(batch_first=True)``,
    one layer):

    .. math:: h_t = f\big(x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh}\big),
              \qquad h_{-1} = 0,

    ``x: (N, T, input_size)`` → every hidden state ``h: (N, T, hidden_size)``, with
    :math:`f` = tanh or ReLU.

    Parameters
    ----------
    input_size, hidden_size : int
    nonlinearity : ``"tanh"`` (default) or ``"relu"``.
    truncate : int, optional
        Truncated backpropagation through time: the gradient is not passed from
        :math:`h_t` back to :math:`h_{t-1}` when :math:`t` is a multiple of ``truncate``, so
        it flows only within the chunks ``[0, k), [k, 2k), ...`` — what PyTorch computes when
        the hidden state is detached every ``k`` steps. ``None`` (default): the exact gradient.
    seed : int
        Seed of the ``np.random.default_rng`` drawing every parameter from
        :math:`\mathcal U(-1/\sqrt{h}, 1/\sqrt{h})` (PyTorch's initialisation).
    dtype : ``np.float64`` (default) or ``np.float32``.

    Attributes
    ----------
    params : dict
        PyTorch's names without the ``_l0`` suffix: ``weight_ih (h, input_size)``,
        ``weight_hh (h, h)``, ``bias_ih (h,)``, ``bias_hh (h,)``.
    """

    def __init__(self, input_size, hidden_size, nonlinearity="tanh", *, truncate=None,
                 seed=0, dtype=np.float64):
        super().__init__()
        self.input_size = _positive("RNN", "input_size", input_size)
        self.hidden_size = h = _positive("RNN", "hidden_size", hidden_size)
        if nonlinearity not in _NONLINEARITIES:
            raise ValueError(f"RNN: nonlinearity must be one of {_NONLINEARITIES}; got "
                             f"{nonlinearity!r}.")
        self.nonlinearity = nonlinearity
        if truncate is not None:
            truncate = _positive("RNN", "truncate", truncate)
        self.truncate = truncate
        self.dtype = float_dtype(dtype)
        rng, k = np.random.default_rng(seed), 1.0 / np.sqrt(h)
        shapes = {"weight_ih": (h, self.input_size), "weight_hh": (h, h),
                  "bias_ih": (h,), "bias_hh": (h,)}
        self.params = {name: rng.uniform(-k, k, size=s).astype(self.dtype)
                       for name, s in shapes.items()}

    def __repr__(self):
        extra = "" if self.nonlinearity == "tanh" else f", nonlinearity={self.nonlinearity!r}"
        extra += "" if self.truncate is None else f", truncate={self.truncate}"
        return f"RNN({self.input_size}, {self.hidden_size}{extra})"

    def _check_input(self, x, where=""):
        if x.ndim != 3 or x.shape[2] != self.input_size:
            hint = (" For one sequence use x[None]; for one feature per step, "
                    "x[..., None]." if x.ndim != 3 else "")
            raise ValueError(f"{self!r}{where} expects x of shape (N, T, {self.input_size}) "
                             f"(batch, time, features); got shape {x.shape}.{hint}")
        if x.shape[1] == 0:
            raise ValueError(f"{self!r}{where} needs at least one time step; got x of shape "
                             f"{x.shape} (T = 0).")

    def _forward(self, x):
        """``x: (N, T, d)`` → ``h: (N, T, h)``; the cache is ``(x, h)``.

        The loop runs time-major, over contiguous ``(N, h)`` slices of a ``(T, N, h)``
        buffer; ``h`` is returned as its ``(N, T, h)`` view (no copy)."""
        p = self.params
        N, T, _ = x.shape
        # The input's contribution for every step at once; only h_{t-1} W_hhᵀ is sequential.
        a = rows_times(np.ascontiguousarray(x.transpose(1, 0, 2)), p["weight_ih"].T)  # (T, N, h)
        a += p["bias_ih"] + p["bias_hh"]
        W_hhT = np.ascontiguousarray(p["weight_hh"].T)
        tanh = self.nonlinearity == "tanh"
        for t in range(T):
            z = a[t]
            if t:
                z += np.dot(a[t - 1], W_hhT)                  # a[t - 1] now holds h_{t-1}
            if tanh:
                np.tanh(z, out=z)
            else:
                np.maximum(z, 0, out=z)
        return a.transpose(1, 0, 2), (x, a.transpose(1, 0, 2))

    def _backward(self, dout, cache):
        r"""Backpropagation through time. ``dout: (N, T, h)`` (the loss's gradient with
        respect to every :math:`h_t`) → ``dx: (N, T, d)`` and the four parameters' gradients.

        :math:`h_t` reaches the loss directly and through :math:`h_{t+1}`, so its gradient
        is the sum :math:`\bar h_t = \bar y_t + \bar z_{t+1} W_{hh}`; through the nonlinearity,
        :math:`\bar z_t = \bar h_t \odot f'(z_t)` (for tanh :math:`1 - h_t^2`, for ReLU
        :math:`[h_t > 0]`). One loop over :math:`t = T-1, \dots, 0` computes every
        :math:`\bar z_t`; then, with the parameters shared by all steps, their gradients are
        sums over time (and batch):

        .. math:: \bar x_t = \bar z_t W_{ih}, \quad
                  \bar W_{ih} = \textstyle\sum_t \bar z_t^\top x_t, \quad
                  \bar W_{hh} = \sum_{t \ge 1} \bar z_t^\top h_{t-1}, \quad
                  \bar b_{ih} = \bar b_{hh} = \sum_{t,n} \bar z_{t,n}.

        With ``truncate = k``, :math:`\bar z_{t+1} W_{hh}` is dropped when :math:`t+1` is a
        multiple of :math:`k`.
        """
        x, h = cache
        p = self.params
        N, T, H = h.shape
        hT = h.transpose(1, 0, 2)                            # (T, N, H), as the forward made it
        dz = np.array(dout.transpose(1, 0, 2), dtype=h.dtype, order="C")  # (T, N, H), a copy
        W_hh = p["weight_hh"]
        for t in range(T - 1, -1, -1):
            dh = dz[t]                                       # ȳ_t, then + dz_{t+1} W_hh
            if t + 1 < T and not (self.truncate is not None and (t + 1) % self.truncate == 0):
                dh += np.dot(dz[t + 1], W_hh)
            if self.nonlinearity == "tanh":
                dh *= 1.0 - hT[t] ** 2
            else:
                dh *= hT[t] > 0
        dz2 = dz.reshape(T * N, H)
        db = dz2.sum(axis=0)
        xT = x.transpose(1, 0, 2).reshape(T * N, -1)
        grads = {"weight_ih": np.dot(dz2.T, xT),
                 "weight_hh": np.dot(dz[1:].reshape(-1, H).T, hT[:-1].reshape(-1, H)),
                 "bias_ih": db, "bias_hh": db.copy()}
        return rows_times(dz, p["weight_ih"]).transpose(1, 0, 2), grads


class TimeDistributed(Layer):
    r"""A layer for ``(N, features)`` applied to every time step of ``x: (N, T, ...)``, as
    PyTorch's ``nn.Linear`` does on a 3-D input: the batch and time axes are merged,
    ``(N·T, ...)``, the inner layer runs once, and the output is split back, ``(N, T, ...)``.

    The time steps share the inner layer's parameters, so their gradients are sums over
    time as well as batch: :math:`\bar W = \sum_{n,t} \bar y_{n,t}^\top x_{n,t}` for a
    ``Linear``, which is the inner backward on the merged axis. ``params`` are the inner
    layer's (the same arrays, the same names).
    """

    def __init__(self, inner):
        super().__init__()
        if not isinstance(inner, Layer):
            raise TypeError(f"TimeDistributed: inner must be a bplab.layers layer, e.g. "
                            f"Linear(d, C); got {type(inner).__name__}.")
        self.inner, self.dtype, self.params = inner, inner.dtype, inner.params

    def __repr__(self):
        return f"TimeDistributed({self.inner!r})"

    def train(self, mode: bool = True):
        self.inner.train(mode)
        return super().train(mode)

    def _check_input(self, x, where=""):
        if x.ndim < 3:
            raise ValueError(f"{self!r}{where} expects x of shape (N, T, ...) (batch, time, "
                             f"features); got shape {x.shape}. Use {self.inner!r} directly "
                             f"on (N, features).")
        self.inner._check_input(x.reshape((-1,) + x.shape[2:]), f"{where} (in {self!r})")

    def _forward(self, x):
        """``x: (N, T, ...)`` → ``(N, T, ...)`` of the inner layer's output."""
        N, T = x.shape[:2]
        out, cache = self.inner._forward(x.reshape((N * T,) + x.shape[2:]))
        return out.reshape((N, T) + out.shape[1:]), (x.shape, cache)

    def _backward(self, dout, cache):
        r"""The inner backward on ``dout`` merged to ``(N·T, ...)``; ``dx`` split back."""
        shape, inner_cache = cache
        dx, grads = self.inner._backward(dout.reshape((-1,) + dout.shape[2:]), inner_cache)
        return dx.reshape(shape), grads


class LastStep(Layer):
    r"""The last time step of a sequence, ``x: (N, T, ...)`` → ``x[:, -1]: (N, ...)``: what a
    classifier reads after an ``RNN`` (PyTorch: ``out[:, -1]``).

    Its backward puts :math:`\bar y` at step :math:`T-1` and zeros everywhere else: the loss
    reaches the earlier hidden states only through the recurrence, which is where the
    gradient's decay along time comes from.
    """

    def _check_input(self, x, where=""):
        if x.ndim < 3 or x.shape[1] == 0:
            raise ValueError(f"{self!r}{where} expects x of shape (N, T, ...) with T >= 1 "
                             f"(batch, time, features); got shape {x.shape}.")

    def _forward(self, x):
        """``x: (N, T, ...)`` → ``x[:, -1]``; the cache is ``x``'s shape."""
        return x[:, -1].copy(), x.shape

    def _backward(self, dout, shape):
        """``dout: (N, ...)`` → ``dx: (N, T, ...)``, zero except at the last step."""
        dx = np.zeros(shape, dtype=dout.dtype)
        dx[:, -1] = dout
        return dx, {}
