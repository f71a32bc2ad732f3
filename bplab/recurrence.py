r"""Gradients along time in a tanh RNN, and the recurrent capstone's task and model.

The chapter "Recurrent networks and backpropagation through time" derives, for
:math:`h_t = \tanh(z_t)`, :math:`z_t = x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh}`,

.. math:: \bar h_{t-1} \mathrel{+}= \bar z_t W_{hh}, \qquad
          \bar z_t = \bar h_t \odot (1 - h_t^2),

so that the gradient reaching :math:`h_{t-k}` from :math:`h_t` is :math:`\bar h_t` times a
product of :math:`k` Jacobians :math:`J_s = \operatorname{diag}(1 - h_s^2)\, W_{hh}`. Its norm
is at most the product of their spectral norms, and shrinks (or grows) roughly like
:math:`(\rho(W_{hh})\,\bar\gamma)^k`, with :math:`\rho` the spectral radius and
:math:`\bar\gamma` the geometric mean of :math:`\tanh'`.

* :func:`hidden_gradients` — every :math:`\bar h_t` of a loss that reads the last state only;
* :func:`decay_prediction` — the rigorous bound and the rate estimate above;
* :func:`recall_batch`, :func:`recall_model`, :func:`torch_twin` — the capstone: recall the
  first of :math:`T` tokens; the same network in bplab and in PyTorch.
"""
from __future__ import annotations

import numpy as np

from bplab.layers import Linear, Sequential, SoftmaxCrossEntropyLoss
from bplab.layers.sequence import RNN, Embedding, LastStep

__all__ = ["hidden_gradients", "decay_prediction", "recall_batch", "recall_model",
           "torch_twin", "plot_unrolled", "plot_decay"]


def hidden_gradients(rnn: RNN, h: np.ndarray, dh_last: np.ndarray) -> np.ndarray:
    r"""Every :math:`\bar h_t = \partial C/\partial h_t`, ``(N, T, H)``, for a loss ``C`` that
    depends on the last hidden state only (``dh_last``: ``(N, H)``, its gradient).

    ``h``: the tanh ``rnn``'s hidden states ``(N, T, H)`` (the output of its forward). This
    is the loop of :meth:`RNN._backward` with :math:`\bar y_t = 0` for :math:`t < T-1`,
    keeping the :math:`\bar h_t` that the layer itself never stores.
    """
    if rnn.nonlinearity != "tanh":
        raise ValueError(f"hidden_gradients: {rnn!r} must use tanh; got "
                         f"{rnn.nonlinearity!r}.")
    W_hh = rnn.params["weight_hh"]
    dh = np.zeros_like(h)
    dh[:, -1] = dh_last
    for t in range(h.shape[1] - 1, 0, -1):
        dz = dh[:, t] * (1.0 - h[:, t] ** 2)        # through the tanh
        dh[:, t - 1] = np.dot(dz, W_hh)              # back one step through W_hh
    return dh


def decay_prediction(rnn: RNN, h: np.ndarray):
    r"""What the chapter predicts for :math:`\lVert\bar h_{T-1-k}\rVert /
    \lVert\bar h_{T-1}\rVert`, from the weights and the hidden states ``h: (N, T, H)``.

    Returns ``(bound, rate)``:

    * ``bound: (N, T)``, indexed by the distance :math:`k`: the product of the spectral norms
      :math:`\prod_{s} \lVert \operatorname{diag}(1-h_s^2) W_{hh} \rVert_2` over the
      :math:`k` steps :math:`s = T-1, \dots, T-k` (a rigorous upper bound, by
      sub-multiplicativity of the norm);
    * ``rate``: :math:`\rho(W_{hh})\,\bar\gamma`, with :math:`\bar\gamma` the geometric mean of
      :math:`1 - h^2` over every entry of ``h`` — the estimate of the per-step factor
      (exact for a linear recurrence with :math:`W_{hh}` a multiple of an orthogonal matrix).
    """
    W_hh = rnn.params["weight_hh"]
    N, T, _ = h.shape
    gamma = 1.0 - h ** 2
    step = np.array([[np.linalg.norm(gamma[n, s][:, None] * W_hh, 2) for s in range(T)]
                     for n in range(N)])                          # (N, T): ‖J_s‖₂
    bound = np.ones((N, T))
    bound[:, 1:] = np.cumprod(step[:, :0:-1], axis=1)             # s = T-1, T-2, ..., 1
    rho = float(np.max(np.abs(np.linalg.eigvals(W_hh))))
    return bound, rho * float(np.exp(np.mean(np.log(gamma))))


# -- the capstone: recall the first token ----------------------------------------------
def recall_batch(rng: np.random.Generator, n: int, T: int, V: int):
    """``(x, y)``: ``n`` sequences of ``T`` random tokens in ``[0, V)`` (``x: (n, T)``,
    integers) and their first tokens (``y: (n,)``), the label to recall at the end."""
    x = rng.integers(0, V, size=(n, T))
    return x, x[:, 0].copy()


def recall_model(V: int, d: int, H: int, *, seed: int = 0, dtype=np.float64) -> Sequential:
    """``Embedding(V, d) → RNN(d, H) → LastStep() → Linear(H, V)`` with the fused
    softmax-cross-entropy loss: reads the sequence, classifies from the last hidden state.
    Each layer has its own seed derived from ``seed``."""
    return Sequential(Embedding(V, d, seed=seed, dtype=dtype),
                      RNN(d, H, seed=seed + 1, dtype=dtype), LastStep(),
                      Linear(H, V, seed=seed + 2, dtype=dtype),
                      loss=SoftmaxCrossEntropyLoss())


def torch_twin(model: Sequential):
    """The network of :func:`recall_model` in PyTorch (``nn.Embedding``, ``nn.RNN(
    batch_first=True)``, ``nn.Linear``) with copies of ``model``'s parameters, in its dtype;
    its ``parameters()`` come in the order of ``model.parameters()``. Needs ``torch``."""
    import torch

    emb, rnn, _, lin = model.layers

    class TorchRecall(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = torch.nn.Embedding(emb.num_embeddings, emb.embedding_dim)
            self.rnn = torch.nn.RNN(rnn.input_size, rnn.hidden_size, batch_first=True)
            self.lin = torch.nn.Linear(lin.n_in, lin.n_out)

        def forward(self, x):
            out, _ = self.rnn(self.emb(x))
            return self.lin(out[:, -1])

    net = TorchRecall().to(torch.float64 if model.dtype == np.float64 else torch.float32)
    with torch.no_grad():
        for t, (_, p) in zip(net.parameters(), model.parameters()):
            t.copy_(torch.from_numpy(p))
    return net


# -- figures (matplotlib, imported when drawn) --------------------------------------------
def plot_unrolled(T: int = 4):
    """The recurrence unrolled over ``T`` steps: inputs :math:`x_t` below, states
    :math:`h_t` in a row joined by :math:`W_{hh}`, a loss term :math:`C_t` above each; the
    gradient's paths run right to left."""
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.4, 3.0))
    box = dict(boxstyle="round,pad=0.35", fc="#e8f0fb", ec="#1f4e8c")
    for t in range(T):
        ax.text(t, 0, f"$x_{t}$", ha="center", va="center", fontsize=13)
        ax.text(t, 1, f"$h_{t}$", ha="center", va="center", fontsize=13, bbox=box)
        ax.text(t, 2, f"$C_{t}$", ha="center", va="center", fontsize=13)
        ax.annotate("", (t, 0.78), (t, 0.2), arrowprops=dict(arrowstyle="->"))
        ax.annotate("", (t, 1.8), (t, 1.22), arrowprops=dict(arrowstyle="->"))
        ax.text(t + 0.08, 0.5, r"$W_{ih}$", fontsize=9, va="center")
        if t + 1 < T:
            ax.annotate("", (t + 0.72, 1), (t + 0.28, 1), arrowprops=dict(arrowstyle="->"))
            ax.text(t + 0.5, 1.12, r"$W_{hh}$", fontsize=9, ha="center")
            ax.annotate("", (t + 0.28, 0.72), (t + 0.72, 0.72), arrowprops=dict(
                arrowstyle="->", color="#c0392b", ls="--"))
    ax.text((T - 1) / 2, -0.45, r"dashed: the gradient along time, "
            r"$\bar h_t$ receives $\bar z_{t+1} W_{hh}$", color="#c0392b", fontsize=10,
            ha="center", va="center")
    ax.text(-0.6, 1, r"$h_{-1}=0$", fontsize=10, ha="right", va="center")
    ax.set(xlim=(-1.4, T - 0.5), ylim=(-0.7, 2.4))
    ax.axis("off")
    fig.tight_layout()
    return fig


def plot_decay(curves, *, xlabel="distance k = T - 1 - t",
               ylabel=r"$||\bar h_{T-1-k}||\ /\ ||\bar h_{T-1}||$", title=""):
    """Gradient norms against the distance along time, log scale. ``curves``: a list of
    ``(label, values, style)`` with ``style`` a matplotlib format (``"o"`` measured,
    ``"-"`` predicted)."""
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    colors = {}
    for label, values, style in curves:
        values = np.asarray(values, dtype=np.float64)
        key = label.split(":")[0]
        kw = {"color": colors[key]} if key in colors else {}
        line, = ax.semilogy(np.arange(values.size), values, style, ms=4, label=label, **kw)
        colors.setdefault(key, line.get_color())
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
