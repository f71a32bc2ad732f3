"""The gradient-health explorer: its frames are the package's measurements, and every frame
stack is moved in the browser (jslink), so the explorer works on the static site."""
import numpy as np

import bplab.health as health
import bplab.widgets_health as wh
from tests.conftest import require


def test_runs_are_the_package_measurements():
    runs = wh.gradient_norm_runs(depths=(3, 5), width=16, batch=8, seed=2)
    assert set(runs) == {(a, i) for a in wh.ACTIVATIONS for i in health.INITS}
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(8, 16)), rng.normal(size=(8, 16))
    for (activation, init), snaps in runs.items():
        assert [L for L, _ in snaps] == [3, 5]
        for L, norms in snaps:
            model = health.deep_mlp(L, 16, activation, init, seed=2)
            np.testing.assert_array_equal(norms, health.layer_gradient_norms(model, X, Y))


def test_frames_caption_the_ratio_they_plot():
    frames = wh._frames(width=16)
    assert len(frames) == 12 and all(len(f) == len(wh.DEPTHS) for f in frames.values())
    runs = wh.gradient_norm_runs(depths=(20,), width=16)
    norms = runs["relu", "he"][0][1]
    assert f"= {norms[0] / norms[-1]:.1e}" in frames["relu, he"][-1]
    assert "20 layers of 16 units" in frames["relu, he"][-1]


def test_explorer_works_without_a_kernel():
    W = require("ipywidgets", "the explorers are ipywidgets")
    box = wh.gradient_health_explorer()
    assert repr(box).startswith("Explorer: ") and len(repr(box)) < 120
    outer = box.children[-1]
    assert isinstance(outer, W.Stack) and len(outer.children) == 12
    assert all(len(s.children) == len(wh.DEPTHS) for s in outer.children)
    linked = {link.target[0].model_id for link in box.links
              if type(link).__name__ == "Link" and link.target[1] == "selected_index"}
    assert {s.model_id for s in outer.children} | {outer.model_id} <= linked
    assert not any(isinstance(c, W.Button) for c in box.children[:-1])
    live = wh.gradient_health_explorer(live=True)
    assert any(isinstance(c, W.Button) for c in live.children[-1].children)
