r"""Figures of Part I, drawn with matplotlib: the chapters call these from a hidden cell.

* :func:`chain_graph` — Chapter 1: the 2-2-2 network's computational graph, weights as
  nodes, every node with its value and :math:`\partial C/\partial(\cdot)`.
* :func:`delta_flow` — Chapter 3: :math:`\delta^{(l+1)}` flowing back through
  :math:`W^{(l+1)\top}` to :math:`\delta^{(l)}`, equation (3.2), and the weight gradient (3.4).
* :func:`shape_boxes` — Chapter 3: the matrices of (3.2) and (3.4) for a batch, drawn as
  boxes of their shapes, one cell per entry.
* :func:`tape_graph` — Chapter 6: the tape of ``bplab.autodiff``, one box per tensor, top
  to bottom in the order of the forward pass.

Each function returns the ``Figure`` and draws nothing on screen by itself.
"""
from __future__ import annotations

import numpy as np

INK, RED, BLUE, GRAY = "#1f2937", "#b42318", "#1c5d99", "#8a8f98"
FILL, LEAF = "#e8f0fb", "#fff4d6"

__all__ = ["chain_graph", "delta_flow", "shape_boxes", "tape_graph"]


def _plt():
    import matplotlib.pyplot as plt
    return plt


def _node(ax, xy, text, *, r=0.26, fc=FILL, ec=BLUE, fs=13):
    ax.add_patch(_plt().Circle(xy, r, facecolor=fc, edgecolor=ec, lw=1.5, zorder=3))
    ax.text(*xy, text, ha="center", va="center", fontsize=fs, zorder=4)


def _arrow(ax, a, b, *, color=GRAY, lw=1.4, shrink=(0.28, 0.28), style="-|>", ms=12, z=2):
    (xa, ya), (xb, yb) = a, b
    d = np.hypot(xb - xa, yb - ya)
    ux, uy = (xb - xa) / d, (yb - ya) / d
    start = (xa + ux * shrink[0], ya + uy * shrink[0])
    end = (xb - ux * shrink[1], yb - uy * shrink[1])
    ax.annotate("", xy=end, xytext=start, zorder=z,
                arrowprops=dict(arrowstyle=style, color=color, lw=lw, mutation_scale=ms,
                                shrinkA=0, shrinkB=0))


def _clean(ax):
    ax.set_aspect("equal")
    ax.axis("off")


# -- Chapter 1 ------------------------------------------------------------------------------
def chain_graph(value, grad, weights, wgrad):
    r"""The 2-2-2 network as a computational graph in which the weights are nodes too.

    ``value`` and ``grad`` map the node names ``x1, x2, zh1, zh2, h1, h2, zo1, zo2, o1, o2, C``
    to their forward values and :math:`\partial C/\partial(\text{node})`; ``weights`` and
    ``wgrad`` map ``w1`` ... ``w8`` to their values and :math:`\partial C/\partial w`. Each
    edge carries its local derivative; a weight's gradient is the gradient at the
    :math:`z` it feeds times the edge's label (the input it multiplies).
    """
    plt = _plt()
    fig, ax = plt.subplots(figsize=(11, 7.6))
    col = {"x": 0.0, "zh": 2.4, "h": 4.2, "zo": 6.6, "o": 8.4, "C": 10.0}
    pos = {"x1": (col["x"], 1.5), "x2": (col["x"], -1.5), "zh1": (col["zh"], 1.5),
           "zh2": (col["zh"], -1.5), "h1": (col["h"], 1.5), "h2": (col["h"], -1.5),
           "zo1": (col["zo"], 1.5), "zo2": (col["zo"], -1.5), "o1": (col["o"], 1.5),
           "o2": (col["o"], -1.5), "C": (col["C"], 0.0)}
    label = {"x1": "$x_1$", "x2": "$x_2$", "zh1": "$z_{h_1}$", "zh2": "$z_{h_2}$",
             "h1": "$h_1$", "h2": "$h_2$", "zo1": "$z_{o_1}$", "zo2": "$z_{o_2}$",
             "o1": "$o_1$", "o2": "$o_2$", "C": "$C$"}
    # weight nodes: above the upper z, below the lower z, one per incoming edge
    feeds = {"w1": ("zh1", "x1"), "w3": ("zh1", "x2"), "w2": ("zh2", "x1"), "w4": ("zh2", "x2"),
             "w5": ("zo1", "h1"), "w7": ("zo1", "h2"), "w6": ("zo2", "h1"), "w8": ("zo2", "h2")}
    wpos = {}
    for w, (z, _) in feeds.items():
        zx, zy = pos[z]
        first = w in ("w1", "w2", "w5", "w6")
        wpos[w] = (zx - 0.75 + (0 if first else 1.5), zy + (1.55 if zy > 0 else -1.55))
    r = 0.34
    for a, b in [("x1", "zh1"), ("x2", "zh1"), ("x1", "zh2"), ("x2", "zh2"), ("h1", "zo1"),
                 ("h2", "zo1"), ("h1", "zo2"), ("h2", "zo2")]:
        _arrow(ax, pos[a], pos[b], shrink=(r, r))
    for a, b in [("zh1", "h1"), ("zh2", "h2"), ("zo1", "o1"), ("zo2", "o2"), ("o1", "C"),
                 ("o2", "C")]:
        _arrow(ax, pos[a], pos[b], shrink=(r, r))
    for w, (z, inp) in feeds.items():
        _arrow(ax, wpos[w], pos[z], color=RED, shrink=(0.3, r), lw=1.6)
        mx, my = (wpos[w][0] + pos[z][0]) / 2, (wpos[w][1] + pos[z][1]) / 2
        ax.text(mx + (0.12 if wpos[w][0] > pos[z][0] else -0.12), my,
                f"${inp[0]}_{inp[1]}$", color=RED, fontsize=12.5,
                ha="left" if wpos[w][0] > pos[z][0] else "right", va="center")
    # local derivatives on the non-weight edges
    local = {("zh1", "h1"): "$h_1(1-h_1)$", ("zh2", "h2"): "$h_2(1-h_2)$",
             ("zo1", "o1"): "$o_1(1-o_1)$", ("zo2", "o2"): "$o_2(1-o_2)$",
             ("o1", "C"): "$o_1-y_1$", ("o2", "C"): "$o_2-y_2$"}
    for (a, b), t in local.items():
        (xa, ya), (xb, yb) = pos[a], pos[b]
        ax.text((xa + xb) / 2, (ya + yb) / 2 + 0.18, t, ha="center", fontsize=12, color=INK)
    wlab = {("x1", "zh1"): "$w_1$", ("x2", "zh1"): "$w_3$", ("x1", "zh2"): "$w_2$",
            ("x2", "zh2"): "$w_4$", ("h1", "zo1"): "$w_5$", ("h2", "zo1"): "$w_7$",
            ("h1", "zo2"): "$w_6$", ("h2", "zo2"): "$w_8$"}
    for (a, b), t in wlab.items():
        (xa, ya), (xb, yb) = pos[a], pos[b]
        f = 0.22 if ya == yb else 0.2
        ax.text(xa + f * (xb - xa), ya + f * (yb - ya) + (0.17 if ya == yb else 0),
                t, ha="center", va="bottom" if ya == yb else "center", fontsize=12,
                color=GRAY, bbox=dict(fc="white", ec="none", pad=0.5))
    for n, xy in pos.items():
        _node(ax, xy, label[n], r=r, fs=15)
        box = dict(fc="white", ec="none", pad=0.3, alpha=0.85)
        if xy[1] < 0:                      # lower row: weights come from below, text above
            ax.text(xy[0], xy[1] + r + 0.45, f"{value[n]:.4f}", ha="center", va="bottom",
                    fontsize=12, bbox=box, zorder=4)
            ax.text(xy[0], xy[1] + r + 0.12, f"{grad[n]:.4f}", ha="center", va="bottom",
                    fontsize=12, color=RED, bbox=box, zorder=4)
        else:
            ax.text(xy[0], xy[1] - r - 0.12, f"{value[n]:.4f}", ha="center", va="top",
                    fontsize=12, bbox=box, zorder=4)
            ax.text(xy[0], xy[1] - r - 0.45, f"{grad[n]:.4f}", ha="center", va="top",
                    fontsize=12, color=RED, bbox=box, zorder=4)
    for w, xy in wpos.items():
        ax.add_patch(plt.Rectangle((xy[0] - 0.7, xy[1] - 0.33), 1.4, 0.66, fc=LEAF, ec=RED,
                                   lw=1.3, zorder=3))
        ax.text(xy[0], xy[1] + 0.12, f"$w_{w[1]}$ = {weights[w]:g}", ha="center",
                va="center", fontsize=12, zorder=4)
        ax.text(xy[0], xy[1] - 0.14, f"{wgrad[w]:.4f}", ha="center", va="center",
                fontsize=12, color=RED, zorder=4)
    ax.set(xlim=(-0.9, 10.8), ylim=(-3.75, 3.75))
    _clean(ax)
    ax.set_title("The 2-2-2 network as a computational graph\n"
                 "black: value from the forward pass;  red: $\\partial C/\\partial$(node), "
                 "computed right to left", fontsize=12)
    fig.tight_layout()
    return fig


# -- Chapter 3 ------------------------------------------------------------------------------
def delta_flow(n=(3, 4, 2), k=1):
    r"""Error signals flowing back: :math:`\delta^{(l)}_k = \big(\sum_j W^{(l+1)}_{jk}
    \delta^{(l+1)}_j\big) f_l'(z^{(l)}_k)`, equation (3.2), for layers of ``n`` units.

    Unit ``k`` of layer :math:`l` is highlighted: it collects from every unit :math:`j` it
    feeds, along column :math:`k` of :math:`W^{(l+1)}` (a row of its transpose). The weights
    into layer :math:`l` get :math:`\delta^{(l)}_j a^{(l-1)}_i`, equation (3.4).
    """
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 6.2))
    xs = (0.0, 3.4, 6.8)
    ys = [np.linspace((c - 1) / 2, -(c - 1) / 2, c) * 1.3 for c in n]
    r = 0.34
    for (x0, y0s), (x1, y1s) in zip(zip(xs[:-1], ys[:-1]), zip(xs[1:], ys[1:])):
        for ya in y0s:
            for yb in y1s:
                _arrow(ax, (x0, ya), (x1, yb), color="#c9ccd1", lw=1.0, shrink=(r, r), ms=8)
    # backward: delta^(l+1)_j -> unit k of layer l, through W^(l+1)_{jk}
    yk = ys[1][k]
    for j, yj in enumerate(ys[2]):
        _arrow(ax, (xs[2], yj), (xs[1], yk), color=RED, lw=2.4, shrink=(r, r), ms=16, z=3)
        t = 0.42
        ax.text(xs[2] + t * (xs[1] - xs[2]), yj + t * (yk - yj) + (0.2 if j == 0 else -0.2),
                f"$W^{{(l+1)}}_{{{j + 1}{k + 1}}}$", color=RED, fontsize=15, ha="center",
                va="bottom" if j == 0 else "top")
    # forward gradient of one weight into unit k: delta_k a_i
    _arrow(ax, (xs[0], ys[0][0]), (xs[1], yk), color=BLUE, lw=2.4, shrink=(r, r), ms=16, z=3)
    ax.text(xs[0] + 0.33 * (xs[1] - xs[0]), ys[0][0] + 0.45,
            f"$\\partial C/\\partial W^{{(l)}}_{{{k + 1}1}} = \\delta^{{(l)}}_{k + 1}\\,"
            f"a^{{(l-1)}}_1$", color=BLUE, fontsize=14, ha="center", va="bottom",
            bbox=dict(fc="white", ec="none", pad=1))
    names = ("a^{(l-1)}", "\\delta^{(l)}", "\\delta^{(l+1)}")
    for c, (x, yy) in enumerate(zip(xs, ys)):
        for i, y in enumerate(yy):
            hot = (c == 1 and i == k) or c == 2
            _node(ax, (x, y), f"${names[c].split('^')[0]}_{i + 1}$", r=r,
                  fc="#fde2e1" if hot else (LEAF if c == 0 else FILL),
                  ec=RED if hot else (GRAY if c == 0 else BLUE), fs=15)
    heads = ["layer $l-1$\n(activations,\nfrom the cache)", "layer $l$",
             "layer $l+1$\n($\\delta$ known)"]
    for x, h in zip(xs, heads):
        ax.text(x, 2.45, h, ha="center", va="bottom", fontsize=14)
    ax.text(xs[1], -2.5,
            "$\\delta^{(l)}_{%d} = (\\sum_j W^{(l+1)}_{j%d}\\,\\delta^{(l+1)}_j)\\,"
            "f_l'(z^{(l)}_{%d})$" % (k + 1, k + 1, k + 1),
            ha="center", va="top", fontsize=16, color=RED)
    ax.text(xs[1], -3.35, "all units at once: $\\delta^{(l)} = (W^{(l+1)\\top}\\delta^{(l+1)})"
            "\\odot f_l'(z^{(l)})$, eq. (3.2)", ha="center", va="top", fontsize=14,
            color=INK)
    ax.text(xs[1], -3.85, "blue: the gradient of one weight into the unit, eq. (3.4)",
            ha="center", va="top", fontsize=14, color=BLUE)
    ax.set(xlim=(-0.9, 7.7), ylim=(-4.45, 3.75))
    _clean(ax)
    ax.set_title("The backward pass: red arrows carry $\\delta$ back through $W^\\top$",
                 fontsize=15)
    fig.tight_layout()
    return fig


def _matrix(ax, x, y, rows, cols, name, *, fc=FILL, ec=BLUE, cell=0.32, hot_row=None,
            hot_col=None):
    """A box of ``rows`` x ``cols`` cells with its top-left corner at (x, y); returns its
    right edge. The name goes above, the shape below."""
    plt = _plt()
    for i in range(rows):
        for j in range(cols):
            hot = (hot_row == i) or (hot_col == j)
            ax.add_patch(plt.Rectangle((x + j * cell, y - (i + 1) * cell), cell, cell,
                                       fc="#fde2e1" if hot else fc, ec=ec, lw=0.8))
    ax.add_patch(plt.Rectangle((x, y - rows * cell), cols * cell, rows * cell, fc="none",
                               ec=INK, lw=1.6))
    ax.text(x + cols * cell / 2, y + 0.12, name, ha="center", va="bottom", fontsize=14)
    ax.text(x + cols * cell / 2, y - rows * cell - 0.12, f"({rows}, {cols})", ha="center",
            va="top", fontsize=12, color=GRAY)
    return x + cols * cell


def shape_boxes(n_prev=3, n=4, n_next=2, m=5):
    r"""The shapes of the two products of the backward pass for a batch of ``m`` samples.

    Top: :math:`\partial C/\partial W^{(l)} = \Delta^{(l)} A^{(l-1)\top}`, (3.4) summed over
    the samples: :math:`(n_l, m)(m, n_{l-1}) \to (n_l, n_{l-1})`, the shape of
    :math:`W^{(l)}`. Bottom: :math:`\Delta^{(l)} = (W^{(l+1)\top}\Delta^{(l+1)}) \odot
    f_l'(Z^{(l)})`, (3.2): :math:`(n_l, n_{l+1})(n_{l+1}, m) \to (n_l, m)`. One highlighted
    row and column show which entries meet in one entry of the result.
    """
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 6.2))
    c = 0.32
    y1 = 3.9
    x = _matrix(ax, 0, y1, n, n_prev, "$\\partial C/\\partial W^{(l)}$", fc=LEAF, ec=RED)
    ax.add_patch(plt.Rectangle((0, y1 - c), c, c, fc=RED, ec=INK, lw=0.8))
    ax.text(x + 0.25, y1 - n * c / 2, "=", fontsize=18, va="center")
    x = _matrix(ax, x + 0.65, y1, n, m, "$\\Delta^{(l)}$", hot_row=0)
    x = _matrix(ax, x + 0.35, y1, m, n_prev, "$A^{(l-1)\\top}$", fc=LEAF, ec=GRAY, hot_col=0)
    ax.text(x + 0.3, y1 - 0.3, f"$(n_l, m)\\,(m, n_{{l-1}})$\n$\\to (n_l, n_{{l-1}})$,\n"
            f"the shape of $W^{{(l)}}$:\none entry sums\nover the {m} samples",
            fontsize=12, va="top")
    y2 = 0.35
    x = _matrix(ax, 0, y2, n, m, "$\\Delta^{(l)}$")
    ax.add_patch(plt.Rectangle((0, y2 - c), c, c, fc=RED, ec=INK, lw=0.8))
    ax.text(x + 0.25, y2 - n * c / 2, "=", fontsize=18, va="center")
    x = _matrix(ax, x + 0.65, y2, n, n_next, "$W^{(l+1)\\top}$", fc="#eef2f6", ec=GRAY,
                hot_row=0)
    x = _matrix(ax, x + 0.35, y2, n_next, m, "$\\Delta^{(l+1)}$", hot_col=0)
    ax.text(x + 0.2, y2 - n * c / 2, "$\\odot$", fontsize=18, va="center")
    x = _matrix(ax, x + 0.65, y2, n, m, "$f_l'(Z^{(l)})$", fc="#eef2f6", ec=GRAY)
    ax.add_patch(plt.Rectangle((x - m * c, y2 - c), c, c, fc="#fde2e1", ec=INK, lw=0.8))
    ax.text(0, y2 - n * c - 0.6, f"$(n_l, n_{{l+1}})\\,(n_{{l+1}}, m) \\to (n_l, m)$: the "
            f"transpose maps {n_next} error signals\nper sample back to {n}; "
            f"$\\odot$ is entry by entry, same shapes", fontsize=12, va="top")
    ax.text(-0.1, y1 + 0.75, f"eq. (3.4), a batch: $n_{{l-1}} = {n_prev}$, $n_l = {n}$, "
            f"$m = {m}$", fontsize=12.5, fontweight="bold", va="bottom")
    ax.text(-0.1, y2 + 0.75, f"eq. (3.2), a batch: $n_{{l+1}} = {n_next}$", fontsize=12.5,
            fontweight="bold", va="bottom")
    ax.set(xlim=(-0.2, 9.2), ylim=(y2 - n * c - 1.5, y1 + 1.3))
    _clean(ax)
    fig.tight_layout()
    return fig


# -- Chapter 6 ------------------------------------------------------------------------------
def tape_graph(tape, names):
    r"""The tape of ``bplab.autodiff``, top to bottom: operations in the right column in
    forward order, each input (a leaf) to its left, next to the operation that uses it.

    ``tape`` is ``autodiff.topological_order(C)``; ``names`` maps ``id(tensor)`` to a short
    name. Each box shows the tensor's number on the tape, its operation, its value and its
    gradient. Grey arrows point along the forward pass; the backward pass visits the boxes
    in the reverse order of their numbers.
    """
    plt = _plt()
    ops = [t for t in tape if t.parents]
    leaves = [t for t in tape if not t.parents]
    index = {id(t): i for i, t in enumerate(tape)}
    pos = {id(t): (1.2, -1.0 * k) for k, t in enumerate(ops)}
    for leaf in leaves:
        user = next(t for t in ops if any(p is leaf for p, _ in t.parents))
        taken = sum(1 for q in pos.values() if q[0] < 1.0 and q[1] == pos[id(user)][1])
        pos[id(leaf)] = (-1.0 - 2.1 * taken, pos[id(user)][1])
    fig, ax = plt.subplots(figsize=(8.5, 1.0 + 1.15 * len(ops)))

    def fmt(a, d):
        return np.array2string(np.round(np.ravel(a), d), separator=" ", suppress_small=True)

    boxes = {}
    for t in tape:
        x, y = pos[id(t)]
        name = names.get(id(t), "") or ("0.5" if not t.parents else "")
        head = f"{index[id(t)]}: {t.op or 'input'} {name}".strip()
        txt = f"{head}\nvalue {fmt(t.data, 3)}\ngrad  {fmt(t.grad, 3)}"
        boxes[id(t)] = ax.text(x, y, txt, ha="center", va="center", fontsize=10.5,
                               family="monospace", zorder=3,
                               bbox=dict(boxstyle="round,pad=0.35", lw=1.2,
                                         fc=FILL if t.parents else LEAF,
                                         ec=BLUE if t.parents else GRAY))
    fig.canvas.draw()                      # the boxes' sizes are known after one draw

    def curve(p, t):                       # a leaf further out arcs over its neighbour
        (xp, yp), (xt, yt) = pos[id(p)], pos[id(t)]
        return -0.22 if yp == yt and xt - xp > 3 else 0.0

    for t in ops:
        for p, _ in t.parents:
            ax.annotate("", xy=(0.5, 0.5), xycoords=boxes[id(t)],
                        xytext=(0.5, 0.5), textcoords=boxes[id(p)],
                        arrowprops=dict(arrowstyle="-|>", color=GRAY, lw=1.5,
                                        mutation_scale=14,
                                        patchA=boxes[id(p)].get_bbox_patch(),
                                        patchB=boxes[id(t)].get_bbox_patch(),
                                        connectionstyle=f"arc3,rad={curve(p, t)}",
                                        shrinkA=2, shrinkB=2), zorder=2)
    ax.set(xlim=(-4.25, 2.3), ylim=(-len(ops) + 0.45, 1.0))
    ax.axis("off")
    ax.set_title("The tape: forward pass top to bottom; backward pass bottom to top",
                 fontsize=12)
    fig.tight_layout()
    return fig
