"""The figures of Part I (bplab.plots) show what their captions say, legibly."""
import numpy as np
import pytest

import bplab as bp
from bplab import autodiff as ad
from bplab.autodiff import Tensor

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bplab import plots  # noqa: E402

MIN_FONT = 10          # points, in figures at most ~11 inches wide


def _texts(fig):
    return [t for ax in fig.axes for t in ax.texts] + [ax.title for ax in fig.axes]


def _legible(fig):
    small = [t.get_text() for t in _texts(fig) if t.get_text() and t.get_fontsize() < MIN_FONT]
    assert not small, f"text below {MIN_FONT} pt: {small}"
    assert fig.get_size_inches()[0] <= 11


def _net222():
    d = bp.datasets.net222()
    W1, W2, x, y = Tensor(d.W1), Tensor(d.W2), Tensor(d.x), Tensor(d.y)
    h = ad.sigmoid(W1 @ x)
    o = ad.sigmoid(W2 @ h)
    C = 0.5 * ad.square(o - y).sum()
    C.backward()
    return d, W1, W2, x, y, h, o, C


def test_chain_graph_shows_every_weight_gradient():
    d, W1, W2, x, y, h, o, C = _net222()
    net = bp.MLP([2, 2, 2], hidden="sigmoid", output="sigmoid", loss="half_sse")
    net.set_weights([d.W1, d.W2], [np.zeros((2, 1)), np.zeros((2, 1))])
    _, dW, _ = net.gradients(d.x, d.y)
    where = {"w1": (0, 0, 0), "w2": (0, 1, 0), "w3": (0, 0, 1), "w4": (0, 1, 1),
             "w5": (1, 0, 0), "w6": (1, 1, 0), "w7": (1, 0, 1), "w8": (1, 1, 1)}
    wgrad = {k: dW[l][i, j] for k, (l, i, j) in where.items()}
    names = ["x1", "x2", "zh1", "zh2", "h1", "h2", "zo1", "zo2", "o1", "o2", "C"]
    fig = plots.chain_graph({n: 0.5 for n in names}, {n: 0.25 for n in names}, d.w, wgrad)
    shown = {t.get_text() for t in _texts(fig)}
    for k, g in wgrad.items():
        assert f"{g:.4f}" in shown, k                       # dC/dw in the weight's box
        assert any(s.startswith(f"$w_{k[1]}$ = ") for s in shown), k
    _legible(fig)
    plt.close(fig)


def test_tape_arrows_are_not_hidden_behind_boxes():
    d, W1, W2, x, y, h, o, C = _net222()
    tape = ad.topological_order(C)
    names = {id(W1): "W1", id(W2): "W2", id(x): "x", id(y): "y", id(h): "h", id(o): "o",
             id(C): "C"}
    fig = plots.tape_graph(tape, names)
    fig.canvas.draw()
    ax = fig.axes[0]
    arrows = [c for c in ax.texts if isinstance(c, mpl.text.Annotation)]
    boxes = [t.get_bbox_patch().get_window_extent() for t in ax.texts
             if not isinstance(t, mpl.text.Annotation)]
    assert len(boxes) == len(tape) == 13
    assert len(arrows) == sum(len(t.parents) for t in tape) == 12
    for a in arrows:
        patch = a.arrow_patch
        pts = patch.get_transform().transform(patch.get_path().vertices)
        for point in pts:                   # no part of an arrow lies under a box
            assert not any(b.shrunk(0.9, 0.9).contains(*point) for b in boxes)
        assert np.hypot(*(pts.max(axis=0) - pts.min(axis=0))) > 15, "arrow under 15 px"
    _legible(fig)
    plt.close(fig)


def test_backward_figures_name_the_equations_and_shapes():
    fig = plots.delta_flow(n=(3, 4, 2), k=1)
    text = " ".join(t.get_text() for t in _texts(fig))
    assert "(3.2)" in text and "(3.4)" in text and "W^{(l+1)}_{12}" in text
    _legible(fig)
    plt.close(fig)
    fig = plots.shape_boxes(n_prev=3, n=4, n_next=2, m=5)
    shapes = [t.get_text() for t in _texts(fig) if t.get_text().startswith("(")]
    # dC/dW (4,3) = Delta (4,5) A^T (5,3);  Delta (4,5) = W^T (4,2) Delta' (2,5) * f' (4,5)
    assert shapes == ["(4, 3)", "(4, 5)", "(5, 3)", "(4, 5)", "(4, 2)", "(2, 5)", "(4, 5)"]
    _legible(fig)
    plt.close(fig)


def test_every_part1_figure_has_a_caption_and_alt_text():
    """Each cell of Part I that shows a picture gives MyST-NB a caption, a name and alt text
    that describes the picture (the site would otherwise show a hashed file name)."""
    import json
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    seen = 0
    for path in sorted((root / "book" / "part1").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] != "code" or not any(
                    "image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
                continue
            seen += 1
            meta = cell["metadata"].get("mystnb", {})
            alt = meta.get("image", {}).get("alt", "")
            fig = meta.get("figure", {})
            where = f"{path.name} cell {i}"
            assert len(alt) >= 60 and not alt.endswith(".png"), f"{where}: alt text {alt!r}"
            assert len(fig.get("caption", "")) >= 40, f"{where}: caption"
            assert fig.get("name", "").startswith("fig-"), f"{where}: figure name"
    assert seen >= 15
