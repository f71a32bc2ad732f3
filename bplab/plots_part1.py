r"""Figures of the Part I chapters on Jacobians, softmax and gradient health.

Each function draws one figure from numbers the chapter has computed and returns the
``matplotlib`` figure; nothing is computed here that the page does not print. The figures are
sized for a phone screen first (about 6.4 inches wide, large fonts) and read at desktop width.

>>> import numpy as np, bplab.plots_part1 as plots
>>> fig = plots.matrix_grid(np.diag([1.0, 2.0, 3.0]), title="a diagonal Jacobian")
"""
from __future__ import annotations

import numpy as np

__all__ = ["matrix_grid", "accuracy_curves", "gradient_norms_grid", "variance_check"]

_WIDTH = 6.4


def _plt():
    import matplotlib.pyplot as plt
    return plt


def _matrix(name, M):
    M = np.asarray(M, dtype=np.float64)
    if M.ndim != 2 or 0 in M.shape:
        raise ValueError(f"{name} must be a non-empty 2-D array (a matrix); got shape "
                         f"{M.shape}. Pass e.g. J.reshape(n_out, n_in).")
    if not np.isfinite(M).all():
        raise ValueError(f"{name} contains NaN or inf; a Jacobian to draw must be finite.")
    return M


def matrix_grid(M, *, title="", xlabel="input index j", ylabel="output index i",
                annotate=None, ax=None):
    r"""Draw a matrix (a Jacobian :math:`J_{ij} = \partial y_i/\partial x_j`) as a grid.

    Exact zeros are white, every other entry is coloured by its value (blue negative, red
    positive), so a diagonal Jacobian shows as one coloured line in a white square.

    Parameters
    ----------
    M : array of shape (n_out, n_in)
    annotate : bool, optional
        Write each value in its cell; default: only when the matrix has at most 8 columns.
    ax : matplotlib Axes, optional
        Draw into it (several grids side by side); default: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    M = _matrix("M", M)
    plt = _plt()
    if ax is None:
        size = min(_WIDTH, 1.2 + 0.45 * max(M.shape))
        fig, ax = plt.subplots(figsize=(size, size))
    fig = ax.figure
    lim = np.abs(M).max() or 1.0
    shown = np.ma.masked_where(M == 0, M)
    cmap = plt.get_cmap("coolwarm").with_extremes(bad="white")
    ax.imshow(shown, cmap=cmap, vmin=-lim, vmax=lim)
    n_out, n_in = M.shape
    ax.set_xticks(np.arange(-0.5, n_in, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_out, 1), minor=True)
    ax.grid(which="minor", color="0.8", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    step_x, step_y = max(1, n_in // 8), max(1, n_out // 8)
    ax.set_xticks(np.arange(0, n_in, step_x))
    ax.set_yticks(np.arange(0, n_out, step_y))
    if annotate if annotate is not None else n_in <= 8:
        for (i, j), value in np.ndenumerate(M):
            ax.text(j, i, "0" if value == 0 else f"{value:.2f}", ha="center", va="center",
                    fontsize=9, color="0.55" if value == 0 else "black")
    zeros = int((M == 0).sum())
    ax.set_title(f"{title}\n{zeros} of {M.size} entries are 0" if title else
                 f"{zeros} of {M.size} entries are 0", fontsize=11)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    fig.tight_layout()
    return fig


def accuracy_curves(curves, *, ylabel="test accuracy", target=None, title=""):
    """One line per run: ``curves`` maps a label to the values after epochs 1, 2, ....

    ``target``, if given, draws a dashed horizontal line (e.g. 0.97).
    """
    if not curves:
        raise ValueError("curves must map at least one label to a sequence of values; got "
                         "an empty dict.")
    plt = _plt()
    fig, ax = plt.subplots(figsize=(_WIDTH, 3.8))
    for (label, values), style in zip(curves.items(), ("o-", "s--", "^-.", "d:")):
        values = np.asarray(values, dtype=np.float64).ravel()
        ax.plot(np.arange(1, values.size + 1), values, style, ms=4, label=label)
    if target is not None:
        ax.axhline(target, color="0.5", ls=":", label=f"{target:g}")
    ax.set(xlabel="epoch", ylabel=ylabel, title=title)
    from matplotlib.ticker import MaxNLocator
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


def gradient_norms_grid(norms, *, title=""):
    r"""Per-layer gradient norms :math:`\lVert\delta^{(l)}\rVert`, one panel per activation.

    Parameters
    ----------
    norms : dict
        ``{(activation, init): array of shape (L,)}``, the norm of :math:`\delta^{(l)}` for
        :math:`l = 1, \dots, L` (as :func:`bplab.health.layer_gradient_norms` returns them).
        Panels follow the order in which activations first appear; lines the inits.
    """
    if not norms:
        raise ValueError("norms must map (activation, init) pairs to per-layer norms; got "
                         "an empty dict.")
    acts = list(dict.fromkeys(act for act, _ in norms))
    plt = _plt()
    fig, axes = plt.subplots(len(acts), 1, figsize=(_WIDTH, 2.6 * len(acts)), sharex=True,
                             squeeze=False)
    styles = ("o-", "s--", "^-.", "d:", "v-")
    for ax, act in zip(axes[:, 0], acts):
        runs = [(init, n) for (a, init), n in norms.items() if a == act]
        for (init, n), style in zip(runs, styles):
            n = np.asarray(n, dtype=np.float64)
            ax.semilogy(np.arange(1, n.size + 1), np.maximum(n, 1e-300), style, ms=3,
                        label=init)
        ax.set_title(act, fontsize=11)
        ax.set_ylabel(r"$\Vert\delta^{(l)}\Vert$")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8, loc="best", ncol=2)
    axes[-1, 0].set_xlabel("layer l (1 = next to the input)")
    from matplotlib.ticker import MaxNLocator
    axes[-1, 0].xaxis.set_major_locator(MaxNLocator(integer=True))
    if title:
        fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    return fig


def variance_check(layers, measured, predicted, *, labels=("measured", "predicted"),
                   ylabel="variance", title=""):
    """Measured values against a prediction, layer by layer (log scale)."""
    measured = np.asarray(measured, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.float64)
    if measured.shape != predicted.shape:
        raise ValueError(f"measured and predicted must have the same shape; got "
                         f"{measured.shape} and {predicted.shape}.")
    plt = _plt()
    fig, ax = plt.subplots(figsize=(_WIDTH, 3.6))
    for row_m, row_p, name in zip(np.atleast_2d(measured), np.atleast_2d(predicted),
                                  np.atleast_1d(layers) if measured.ndim > 1 else [None]):
        x = np.arange(1, row_m.size + 1)
        line, = ax.semilogy(x, row_m, "o", ms=4,
                            label=f"{labels[0]}" + (f", {name}" if name is not None else ""))
        ax.semilogy(x, row_p, "-", color=line.get_color(),
                    label=f"{labels[1]}" + (f", {name}" if name is not None else ""))
    ax.set(xlabel="layer l", ylabel=ylabel, title=title)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
