r"""Figures of the chapter "Convolution and pooling" (``book/part3/convolution.ipynb``).

Each function draws one figure from arrays the page has computed and printed, and returns the
``matplotlib`` figure. Grids of numbers, sized for a phone first (about 6.4 inches wide).

>>> import numpy as np, bplab.plots_conv as plots
>>> fig = plots.pool_routing(np.arange(16.0).reshape(4, 4), np.ones((2, 2)),
...                          np.eye(4), kernel=2)
"""
from __future__ import annotations

import numpy as np

__all__ = ["cross_correlation", "pool_routing", "training_curve", "kernels"]

_WIDTH = 6.4


def _grid(ax, M, title, highlight=(), fmt="{:.0f}", shade=None, dim=None):
    """Draw ``M`` as a grid of numbered cells; ``highlight``: (row, col) cells framed in
    orange; ``dim``: a boolean mask of cells drawn in grey (padding)."""
    M = np.asarray(M, dtype=np.float64)
    rows, cols = M.shape
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    for i in range(rows):
        for j in range(cols):
            grey = dim is not None and dim[i, j]
            face = "#eeeeee" if grey else ("#fde0c5" if shade is not None and shade[i, j]
                                            else "white")
            ax.add_patch(_rect(j, i, 1, 1, face, "#999999", 0.8))
            ax.text(j + 0.5, i + 0.5, fmt.format(M[i, j]), ha="center", va="center",
                    fontsize=10, color="#777777" if grey else "black")
    for (i, j) in highlight:
        ax.add_patch(_rect(j, i, 1, 1, "none", "#d95f02", 2.5))
    ax.set_title(title, fontsize=11)


def _rect(x, y, w, h, face, edge, lw):
    from matplotlib.patches import Rectangle
    return Rectangle((x, y), w, h, facecolor=face, edgecolor=edge, linewidth=lw)


def cross_correlation(x, W, y, *, stride=1, padding=0, at=(0, 0)):
    r"""Three panels: the padded input with the receptive field of output pixel ``at``
    shaded, the kernel ``W`` (``k x k``), and the output ``y`` with that pixel framed:
    :math:`y_{ij} = \sum_{p,q} W_{pq}\, x^{\text{pad}}_{si+p,\,sj+q}` (one channel)."""
    import matplotlib.pyplot as plt
    x, W, y = (np.asarray(a, dtype=np.float64) for a in (x, W, y))
    P, (kh, kw) = padding, W.shape
    xp = np.pad(x, P)
    dim = np.ones(xp.shape, bool)
    dim[P:P + x.shape[0], P:P + x.shape[1]] = False
    i, j = at
    shade = np.zeros(xp.shape, bool)
    shade[stride * i:stride * i + kh, stride * j:stride * j + kw] = True
    widths = [xp.shape[1], W.shape[1], y.shape[1]]
    fig, axes = plt.subplots(1, 3, figsize=(_WIDTH, 2.9),
                             gridspec_kw={"width_ratios": widths})
    _grid(axes[0], xp, f"input, padding {P}" if P else "input", shade=shade, dim=dim)
    _grid(axes[1], W, "kernel W")
    _grid(axes[2], y, f"output, stride {stride}", highlight=[(i, j)])
    fig.tight_layout()
    return fig


def pool_routing(x, dout, dx, *, kernel=2):
    r"""Max pooling's backward as routing: ``x`` with each window's maximum framed, the
    incoming :math:`\bar y`, and :math:`\bar x`, which is :math:`\bar y` at the maxima and 0
    everywhere else (one channel, non-overlapping ``kernel x kernel`` windows)."""
    import matplotlib.pyplot as plt
    x, dout, dx = (np.asarray(a, dtype=np.float64) for a in (x, dout, dx))
    k = kernel
    maxima = []
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            win = x[k * i:k * i + k, k * j:k * j + k]
            p, q = np.unravel_index(np.argmax(win), win.shape)
            maxima.append((k * i + p, k * j + q))
    shade = (np.add.outer(np.arange(x.shape[0]) // k, np.arange(x.shape[1]) // k) % 2) == 0
    fig, axes = plt.subplots(1, 3, figsize=(_WIDTH, 2.6),
                             gridspec_kw={"width_ratios": [x.shape[1], dout.shape[1],
                                                           dx.shape[1]]})
    _grid(axes[0], x, "x (windows shaded)", highlight=maxima, shade=shade, fmt="{:.1f}")
    _grid(axes[1], dout, "incoming ȳ", fmt="{:.1f}")
    _grid(axes[2], dx, "x̄: ȳ routed to the maxima", highlight=maxima, shade=shade,
          fmt="{:.1f}")
    fig.tight_layout()
    return fig


def training_curve(batch_loss, accuracy, *, steps_per_epoch, target=None, title=""):
    """Two panels: every batch's loss (log scale) with its mean per epoch, and the test
    accuracy after each epoch, with a dotted ``target`` line."""
    import matplotlib.pyplot as plt
    batch_loss = np.asarray(batch_loss, dtype=np.float64)
    epochs = len(batch_loss) // steps_per_epoch
    mean = batch_loss[:epochs * steps_per_epoch].reshape(epochs, -1).mean(axis=1)
    fig, (a, b) = plt.subplots(1, 2, figsize=(_WIDTH, 2.9))
    a.semilogy(np.arange(len(batch_loss)) / steps_per_epoch, batch_loss, color="#bbbbbb",
               linewidth=0.7, label="batch")
    a.semilogy(np.arange(1, epochs + 1), mean, "o-", color="#1b9e77", markersize=3,
               label="epoch mean")
    a.set_xlabel("epoch")
    a.set_ylabel("training loss")
    a.legend(fontsize=9)
    acc = np.asarray(accuracy, dtype=np.float64)
    b.plot(np.arange(1, len(acc) + 1), acc, "o-", color="#d95f02", markersize=3)
    if target is not None:
        b.axhline(target, linestyle=":", color="black", linewidth=1)
    b.set_xlabel("epoch")
    b.set_ylabel("test accuracy")
    for ax in (a, b):
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def kernels(W, *, title=""):
    """The first layer's kernels ``W: (C_out, 1, k, k)`` as small grey images, one per
    output channel (dark = negative, light = positive, each on its own scale)."""
    import matplotlib.pyplot as plt
    W = np.asarray(W, dtype=np.float64)
    n = W.shape[0]
    cols = min(n, 8)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(_WIDTH, 0.9 * rows + 0.5), squeeze=False)
    for f, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        if f < n:
            lim = np.abs(W[f, 0]).max() or 1.0
            ax.imshow(W[f, 0], cmap="gray", vmin=-lim, vmax=lim)
            ax.set_title(str(f), fontsize=8)
        else:
            ax.set_visible(False)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig
