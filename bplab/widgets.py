r"""Explorers: ipywidgets that step through backprop, learning rates and decision boundaries.

Each explorer shows pre-computed frames (inline SVG) in a ``Stack`` whose ``selected_index``
is tied to a slider (and, where there are several runs, to a row of buttons) by ``jslink``.
The links run in the browser, so the same widget moves on the static website, where there is
no kernel (the page holds the saved widget state), and in JupyterLab. With ``live=True`` the
explorer also gets controls that recompute the frames in Python (they need a running kernel,
e.g. ``make lab``, Binder or Colab).

>>> import bplab.widgets
>>> bplab.widgets.net222_explorer()          # doctest: +SKIP
"""
from __future__ import annotations

import html

import numpy as np

from bplab import datasets
from bplab._svg import ACCENT, INK, MUTED, _Axes, _frame, _png
from bplab.activations import sigmoid
from bplab.network import MLP
from bplab.train import train

__all__ = ["net222_steps", "net222_explorer", "sine_lr_frames", "sine_lr_explorer",
           "boundary_frames", "boundary_explorer", "SINE_LRS", "SINE_EPOCHS", "XOR_EPOCHS",
           "PERCEPTRON_LR"]

SINE_LRS = (0.01, 0.03, 0.1, 0.3, 1.0)
SINE_EPOCHS = (0, 10, 30, 100, 300, 1000, 2000, 4000)
PERCEPTRON_LR = 0.9            # source 002's learning rate
XOR_EPOCHS = (0, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000)


# -- explorer 1: the 2-2-2 network, node by node -----------------------------------------
def net222_steps(x=None, y=None, w=None):
    r"""The forward and backward pass of source 001's 2-2-2 network, one node per step.

    Sigmoid units, no biases, loss :math:`C = \tfrac12\sum_k (a_{o_k} - y_k)^2`. Each step is a
    dict with ``node``, ``phase`` and ``rows``: (quantity, formula, value) triples holding the
    node's value, its local derivative and the chain-rule product. Returns ``(steps, grads)``
    with ``grads`` the eight :math:`\partial C/\partial w_i` by name.
    """
    d = datasets.net222()
    x1, x2 = np.ravel(d.x if x is None else x)
    y1, y2 = np.ravel(d.y if y is None else y)
    w = dict(d.w if w is None else w)
    z, a = {}, {}
    z["h1"], z["h2"] = w["w1"] * x1 + w["w3"] * x2, w["w2"] * x1 + w["w4"] * x2
    a["h1"], a["h2"] = sigmoid(z["h1"]), sigmoid(z["h2"])
    z["o1"] = w["w5"] * a["h1"] + w["w7"] * a["h2"]
    z["o2"] = w["w6"] * a["h1"] + w["w8"] * a["h2"]
    a["o1"], a["o2"] = sigmoid(z["o1"]), sigmoid(z["o2"])
    C = 0.5 * (a["o1"] - y1) ** 2 + 0.5 * (a["o2"] - y2) ** 2
    sp = {k: a[k] * (1 - a[k]) for k in a}           # sigma'(z) = a (1 - a)
    steps = [dict(node=None, phase="inputs", rows=[("x₁", "input", x1), ("x₂", "input", x2)])]
    ins = {"h1": ("w₁x₁ + w₃x₂", "h1"), "h2": ("w₂x₁ + w₄x₂", "h2"),
           "o1": ("w₅a_h1 + w₇a_h2", "o1"), "o2": ("w₆a_h1 + w₈a_h2", "o2")}
    for k, (formula, _) in ins.items():
        steps.append(dict(node=k, phase="forward", rows=[
            (f"z_{k}", formula, z[k]), (f"a_{k} = σ(z_{k})", "value", a[k]),
            (f"∂a_{k}/∂z_{k}", "local derivative σ'(z) = a(1 − a)", sp[k])]))
    steps.append(dict(node="C", phase="forward", rows=[
        ("C", "½(a_o1 − y₁)² + ½(a_o2 − y₂)²", C)]))
    delta = {"o1": (a["o1"] - y1) * sp["o1"], "o2": (a["o2"] - y2) * sp["o2"]}
    for k, yk in (("o1", y1), ("o2", y2)):
        steps.append(dict(node=k, phase="backward", rows=[
            (f"∂C/∂a_{k}", f"a_{k} − y (local)", a[k] - yk),
            (f"∂a_{k}/∂z_{k}", "a(1 − a) (local)", sp[k]),
            (f"δ_{k} = ∂C/∂z_{k}", "product of the two", delta[k])]))
    delta["h1"] = (w["w5"] * delta["o1"] + w["w6"] * delta["o2"]) * sp["h1"]
    delta["h2"] = (w["w7"] * delta["o1"] + w["w8"] * delta["o2"]) * sp["h2"]
    for k, (wa, wb) in (("h1", ("w₅", "w₆")), ("h2", ("w₇", "w₈"))):
        steps.append(dict(node=k, phase="backward", rows=[
            (f"∂C/∂a_{k}", f"{wa}δ_o1 + {wb}δ_o2 (sum over paths)", delta[k] / sp[k]),
            (f"∂a_{k}/∂z_{k}", "a(1 − a) (local)", sp[k]),
            (f"δ_{k} = ∂C/∂z_{k}", "product of the two", delta[k])]))
    grads = {"w1": delta["h1"] * x1, "w3": delta["h1"] * x2, "w2": delta["h2"] * x1,
             "w4": delta["h2"] * x2, "w5": delta["o1"] * a["h1"], "w7": delta["o1"] * a["h2"],
             "w6": delta["o2"] * a["h1"], "w8": delta["o2"] * a["h2"]}
    steps.append(dict(node="w", phase="gradients", rows=[
        (f"∂C/∂{k}", "δ(receiving unit) × a(sending unit)", grads[k])
        for k in sorted(grads)]))
    return steps, grads


_POS = {"x1": (40, 50), "x2": (40, 150), "h1": (160, 50), "h2": (160, 150),
        "o1": (280, 50), "o2": (280, 150), "C": (370, 100)}
_EDGES = [("x1", "h1", "w₁"), ("x2", "h1", "w₃"), ("x1", "h2", "w₂"), ("x2", "h2", "w₄"),
          ("h1", "o1", "w₅"), ("h2", "o1", "w₇"), ("h1", "o2", "w₆"), ("h2", "o2", "w₈"),
          ("o1", "C", ""), ("o2", "C", "")]


def _net_svg(node, phase):
    color = ACCENT if phase != "backward" else "#1c7ed6"
    parts = []
    for a, b, label in _EDGES:
        (x0, y0), (x1, y1) = _POS[a], _POS[b]
        hot = node in (b,) and phase == "forward" or node == a and phase == "backward" \
            or phase == "gradients" and label
        parts.append(f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="'
                     f'{color if hot else MUTED}" stroke-width="{3 if hot else 1.5}"/>')
        if label:
            parts.append(f'<text x="{x0 + (x1 - x0) * 0.3:.0f}" y="{y0 + (y1 - y0) * 0.3 - 4:.0f}"'
                         f' font-size="11">{label}</text>')
    for k, (x, y) in _POS.items():
        on = k == node or phase == "inputs" and k.startswith("x")
        parts.append(f'<circle cx="{x}" cy="{y}" r="20" fill="{color if on else "white"}" '
                     f'stroke="{INK}"/><text x="{x}" y="{y + 4}" text-anchor="middle" '
                     f'fill="{"white" if on else INK}">{k}</text>')
    return (f'<svg viewBox="0 0 400 200" style="width:100%;max-width:520px;height:auto" '
            f'font-family="sans-serif" font-size="13" role="img" '
            f'aria-label="the 2-2-2 network; {phase} pass{f", node {node}" if node else ""}">'
            f'{"".join(parts)}</svg>')


def _net222_frames(x=None, y=None, w=None):
    steps, _ = net222_steps(x, y, w)
    frames = []
    for i, s in enumerate(steps):
        rows = "".join(f"<tr><td>{q}</td><td>{html.escape(f)}</td><td>{v:.6f}</td></tr>"
                       for q, f, v in s["rows"])
        table = (f'<table class="bplab-table"><thead><tr><th>quantity</th><th>how</th>'
                 f'<th>value</th></tr></thead><tbody>{rows}</tbody></table>')
        where = s["node"] if s["node"] not in (None, "w") else ""
        cap = f"Step {i} of {len(steps) - 1}: {s['phase']} {where}".rstrip()
        frames.append(_frame(_net_svg(s["node"], s["phase"]), cap, table))
    return {"2-2-2 network": frames}


# -- explorer 2: the learning rate on the sine fit ---------------------------------------
def sine_lr_frames(lrs=SINE_LRS, epochs=SINE_EPOCHS, *, hidden=25, seed=0):
    """For each learning rate, snapshots of the [1, hidden, 1] sine fit at ``epochs``.

    Returns ``{lr: [(epoch, prediction (1, 100), loss history so far), ...]}``.
    """
    X, Y = datasets.sine()
    runs = {}
    for lr in lrs:
        net, done, losses, snaps = MLP([1, hidden, 1], seed=seed), 0, [], []
        for e in epochs:
            with np.errstate(all="ignore"):        # a diverging run overflows on purpose
                if e > done:
                    losses.extend(train(net, X, Y, lr=lr, epochs=e - done).loss)
                    done = e
                snaps.append((e, net.predict(X), np.array(losses + [net.loss(X, Y)])))
        runs[lr] = snaps
    return runs


def _sine_frames(lrs=SINE_LRS, epochs=SINE_EPOCHS, hidden=25, seed=0):
    X, Y = datasets.sine()
    out = {}
    for lr, snaps in sine_lr_frames(lrs, epochs, hidden=hidden, seed=seed).items():
        frames = []
        for e, P, losses in snaps:
            fit = _Axes((0, 1), (-30, 30))
            fit.dots(X[0], Y[0], MUTED, r=2)
            fit.line(X[0], P[0])
            loss = _Axes((1, max(epochs) + 1), (1e-2, 1e8), logx=True, logy=True)
            idx = np.unique(np.geomspace(1, len(losses), 120).astype(int)) - 1   # ~120 points
            loss.line(idx + 1, np.where(np.isfinite(losses[idx]), losses[idx], 1e8))
            loss.dots([len(losses)], [min(losses[-1], 1e8)], ACCENT, r=4)
            cap = (f"lr = {lr:g}, epoch {e}: loss (mse) = {losses[-1]:.4g}"
                   + (" (diverging)" if e and not losses[-1] < losses[0] else ""))
            fit_alt = (f"the network's curve over the 100 sine data points after {e} epochs "
                       f"at learning rate {lr:g}")
            loss_alt = (f"the training loss over the first {e} epochs at learning rate {lr:g}, "
                        f"log scales; now {losses[-1]:.4g}")
            panels = (f'<div style="display:flex;flex-wrap:wrap;gap:4px">'
                      f'<div style="flex:1 1 260px">{fit.svg("fit", "x", "y", fit_alt)}</div>'
                      f'<div style="flex:1 1 260px">{loss.svg("loss", "epoch", "mse", loss_alt)}'
                      f'</div></div>')
            frames.append(_frame(panels, cap))
        out[f"lr = {lr:g}"] = frames
    return out


# -- explorer 3: decision boundaries, epoch by epoch ------------------------------------
def _perceptron_run(epochs):
    """Source 002's batch perceptron rule: w <- w + lr (t - y) X^T / m, from w = (1, 1), b = 0."""
    X, t = datasets.perceptron_points()
    w, b, lr, snaps = np.array([1.0, 1.0]), 0.0, PERCEPTRON_LR, []
    for e in range(epochs + 1):
        snaps.append((e, w.copy(), b))
        y = (w @ X + b > 0).astype(float)
        w = w + lr * ((t - y) @ X.T).ravel() / X.shape[1]
        b = b + lr * float((t - y).sum()) / X.shape[1]
    return X, t, snaps


def boundary_frames(*, xor_epochs=XOR_EPOCHS, hidden=4, lr=1.0, seed=0, grid=48):
    """Decision-boundary frames for the perceptron points and for XOR (2-hidden-1 sigmoid).

    Returns ``{name: [(epoch, X, labels, probability grid (grid, grid), extent), ...]}``.
    """
    out = {}
    X, t, snaps = _perceptron_run(len(xor_epochs) - 1)
    ext = (-2.0, 2.0, -1.5, 2.5)
    gx, gy = np.meshgrid(np.linspace(ext[0], ext[1], grid), np.linspace(ext[3], ext[2], grid))
    P = np.stack([gx.ravel(), gy.ravel()])
    out["perceptron (source 002)"] = [
        (e, X, t, (w @ P + b > 0).astype(float).reshape(grid, grid), ext) for e, w, b in snaps]
    X, Y = datasets.xor()
    net, done, frames = MLP([2, hidden, 1], output="sigmoid", loss="cross_entropy",
                            seed=seed), 0, []
    ext = (-0.5, 1.5, -0.5, 1.5)
    gx, gy = np.meshgrid(np.linspace(ext[0], ext[1], grid), np.linspace(ext[3], ext[2], grid))
    P = np.stack([gx.ravel(), gy.ravel()])
    for e in xor_epochs:
        if e > done:
            train(net, X, Y, lr=lr, epochs=e - done)
            done = e
        frames.append((e, X, Y, net.predict(P).reshape(grid, grid), ext))
    out[f"XOR, 2-{hidden}-1 sigmoid"] = frames
    return out


def _boundary_frames(hidden=4, lr=1.0, seed=0):
    lo, hi = np.array([219, 234, 254]), np.array([255, 224, 204])   # class 0 blue, 1 orange
    out = {}
    for name, snaps in boundary_frames(hidden=hidden, lr=lr, seed=seed).items():
        frames = []
        for e, X, T, prob, (x0, x1, y0, y1) in snaps:
            ax = _Axes((x0, x1), (y0, y1), w=300, h=280)
            rgb = (lo + (hi - lo) * np.clip(prob, 0, 1)[..., None]).astype(np.uint8)
            ax.image(_png(rgb), (x0, x1), (y0, y1))
            ax.dots(X[0], X[1], np.where(T[0] > 0.5, ACCENT, "#1c7ed6"), r=6)
            wrong = int(np.sum((_lookup(prob, X, (x0, x1, y0, y1)) > 0.5) != (T[0] > 0.5)))
            cap = f"{name}, epoch {e}: {wrong} of {X.shape[1]} points misclassified"
            alt = (f"decision regions of the {name} at epoch {e}: orange is class 1, blue "
                   f"class 0; {wrong} of {X.shape[1]} training points on the wrong side")
            frames.append(_frame(ax.svg(f"epoch {e}", "x₁", "x₂", alt), cap))
        out[name] = frames
    return out


def _lookup(grid_values, X, ext):
    x0, x1, y0, y1 = ext
    n = grid_values.shape[0]
    i = np.clip(np.round((y1 - X[1]) / (y1 - y0) * (n - 1)).astype(int), 0, n - 1)
    j = np.clip(np.round((X[0] - x0) / (x1 - x0) * (n - 1)).astype(int), 0, n - 1)
    return grid_values[i, j]


# -- the widget ---------------------------------------------------------------------------
def _explorer(title, groups, make_groups, live_controls, *, step_name):
    """A VBox: [buttons over groups], slider (+ play), a Stack of Stacks of HTML frames."""
    import ipywidgets as W

    names = list(groups)
    n = len(groups[names[0]])
    lay = W.Layout(width="100%")
    slider = W.IntSlider(0, min=0, max=n - 1, description=step_name, layout=lay,
                         continuous_update=True, style={"description_width": "initial"})
    # The Play widget's three buttons are icons; ipywidgets gives them no text of their own,
    # so the widget carries a tooltip naming what it does (the site adds aria-labels from it).
    play = W.Play(0, min=0, max=n - 1, interval=900, description="play",
                  tooltip=f"play the {step_name}s in order", show_repeat=False)
    links = [W.jslink((play, "value"), (slider, "value"))]
    inner = [W.Stack([W.HTML(f, layout=lay) for f in groups[k]], selected_index=0, layout=lay)
             for k in names]
    links += [W.jslink((slider, "value"), (s, "selected_index")) for s in inner]
    outer = W.Stack(inner, selected_index=0, layout=lay)
    rows = [W.HTML(f"<b>{html.escape(title)}</b>")]
    if len(names) > 1:
        pick = W.ToggleButtons(options=names, index=0, layout=lay,
                               tooltips=[f"show the frames of {k}" for k in names],
                               style={"button_width": "auto"})
        links.append(W.jslink((pick, "index"), (outer, "selected_index")))
        rows.append(pick)
    rows += [W.HBox([play, slider], layout=lay), outer]
    if live_controls:
        status = W.HTML("")
        button = W.Button(description="recompute", button_style="primary",
                          tooltip="recompute the frames with the settings on the left")

        def recompute(_):
            status.value = "computing…"
            new = make_groups(**{k: c.value for k, c in live_controls.items()})
            for stack, frames in zip(inner, new.values()):
                for child, f in zip(stack.children, frames):
                    child.value = f
            if len(names) > 1:
                pick.options = list(new)
            status.value = "done: move the slider"
        button.on_click(recompute)
        rows.append(W.HBox(list(live_controls.values()) + [button, status],
                           layout=W.Layout(flex_flow="row wrap")))
    box = _explorer_class()(rows, layout=W.Layout(width="100%", max_width="900px"))
    box.add_class("bplab-explorer")
    box._title = f"{title} ({len(names)} x {n} frames)"
    box.links = links          # the browser-side links that move the frames
    return box


_EXPLORER = []


def _explorer_class():
    """``Explorer``: a VBox whose text form is one short line (the frames stay in the widget
    state, not in the notebook's text/plain output). Defined on first use: ipywidgets is an
    optional dependency."""
    if not _EXPLORER:
        import ipywidgets as W

        class Explorer(W.VBox):
            def __repr__(self):
                return f"Explorer: {getattr(self, '_title', '')}"
        _EXPLORER.append(Explorer)
    return _EXPLORER[0]


def net222_explorer(*, live=False):
    """Step through the 2-2-2 network's forward and backward pass, node by node.

    ``live=True`` adds sliders for the inputs and targets (needs a kernel).
    """
    import ipywidgets as W
    d = datasets.net222()
    controls = {}
    if live:
        controls = {k: W.FloatSlider(v, min=-1, max=1, step=0.01, description=k)
                    for k, v in (("x1", d.x[0, 0]), ("x2", d.x[1, 0]), ("y1", d.y[0, 0]),
                                 ("y2", d.y[1, 0]))}

    def make(x1=None, x2=None, y1=None, y2=None):
        if x1 is None:
            return _net222_frames()
        return _net222_frames(x=[x1, x2], y=[y1, y2])
    return _explorer("Backprop on the 2-2-2 network, one node at a time", make(), make,
                     controls, step_name="step")


def sine_lr_explorer(*, live=False):
    """The sine fit of a [1, 25, 1] network for five learning rates, epoch by epoch.

    ``live=True`` adds a hidden-layer width and a seed to retrain with (needs a kernel).
    """
    import ipywidgets as W
    controls = {}
    if live:
        controls = {"hidden": W.IntSlider(25, min=2, max=50, description="hidden units"),
                    "seed": W.IntText(0, description="seed")}
    return _explorer("The learning rate on the sine fit", _sine_frames(), _sine_frames,
                     controls, step_name="snapshot")


def boundary_explorer(*, live=False):
    """Decision boundaries, epoch by epoch: source 002's perceptron and an XOR network.

    ``live=True`` adds the XOR network's hidden width, learning rate and seed (needs a kernel).
    """
    import ipywidgets as W
    controls = {}
    if live:
        controls = {"hidden": W.IntSlider(4, min=2, max=8, description="hidden units"),
                    "lr": W.FloatLogSlider(1.0, base=10, min=-2, max=1, description="lr"),
                    "seed": W.IntText(0, description="seed")}
    return _explorer("Decision boundaries, epoch by epoch", _boundary_frames(),
                     _boundary_frames, controls, step_name="snapshot")
