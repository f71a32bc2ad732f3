r"""Explorer: per-layer gradient norms against depth, activation and initialisation.

The frames are computed in Python with :func:`bplab.health.layer_gradient_norms` and moved in
the browser by ``jslink`` (see :mod:`bplab.widgets`), so the explorer works on the static
website without a kernel. Buttons pick an activation and an initialisation, the slider the
depth :math:`L`; each frame plots :math:`\lVert\delta^{(l)}\rVert` for :math:`l = 1, \dots, L`
(log scale), with the other three initialisations of the same activation in grey.

>>> import bplab.widgets_health as wh
>>> wh.gradient_health_explorer()          # doctest: +SKIP
"""
from __future__ import annotations

import numpy as np

from bplab import health
from bplab._svg import ACCENT, MUTED, _Axes, _frame

__all__ = ["DEPTHS", "ACTIVATIONS", "YLIM", "gradient_norm_runs", "gradient_health_explorer"]

DEPTHS = (2, 4, 6, 8, 10, 12, 14, 16, 18, 20)
ACTIVATIONS = ("sigmoid", "tanh", "relu")
YLIM = (1e-40, 1e40)


def gradient_norm_runs(depths=DEPTHS, *, width=64, batch=32, seed=0) -> dict:
    r"""``{(activation, init): [(L, norms of shape (L,)), ...]}`` for every depth.

    Each network is :func:`bplab.health.deep_mlp` ``(L, width, activation, init,
    seed=seed)`` with ``MSELoss`` against standard-normal targets; inputs ``X`` of shape
    ``(batch, width)``, standard normal. Inputs and targets are drawn from
    ``np.random.default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(batch, width)), rng.normal(size=(batch, width))
    runs = {}
    for activation in ACTIVATIONS:
        for init in health.INITS:
            runs[activation, init] = [
                (L, health.layer_gradient_norms(
                    health.deep_mlp(L, width, activation, init, seed=seed), X, Y))
                for L in depths]
    return runs


def _frames(width=64, seed=0):
    runs = gradient_norm_runs(width=width, seed=seed)
    out = {}
    for (activation, init), snaps in runs.items():
        frames = []
        for k, (L, norms) in enumerate(snaps):
            ax = _Axes((1, max(DEPTHS)), YLIM, w=340, h=250, logy=True)
            for other in health.INITS:
                if other != init:
                    ax.line(np.arange(1, L + 1), np.clip(runs[activation, other][k][1],
                                                         *YLIM), MUTED, width=1)
            shown = np.clip(norms, *YLIM)
            ax.line(np.arange(1, L + 1), shown, ACCENT)
            ax.dots(np.arange(1, L + 1), shown, ACCENT, r=2.5)
            ratio = norms[0] / norms[-1]
            cap = (f"{activation}, {init} initialisation, {L} layers of {width} units: "
                   f"‖δ(1)‖ / ‖δ({L})‖ = {ratio:.1e}")
            frames.append(_frame(ax.svg(f"{activation}, {init}", "layer l", "‖δ(l)‖"), cap))
        out[f"{activation}, {init}"] = frames
    return out


def gradient_health_explorer(*, live=False):
    """Per-layer gradient norms for 3 activations x 4 initialisations, depth 2 to 20.

    ``live=True`` adds the width and a seed to recompute with (needs a kernel).
    """
    import ipywidgets as W

    from bplab.widgets import _explorer
    controls = {}
    if live:
        controls = {"width": W.IntSlider(64, min=16, max=256, step=16, description="width"),
                    "seed": W.IntText(0, description="seed")}
    return _explorer("Gradient norms, layer by layer", _frames(), _frames, controls,
                     step_name="depth index")
