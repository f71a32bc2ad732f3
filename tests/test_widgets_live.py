"""The live (kernel-backed) explorers: changing a control and pressing "recompute" redraws
the frames from the new settings. The static site uses the same widgets without a kernel."""
import pytest

from tests.conftest import require

W = require("ipywidgets", "the explorers are ipywidgets")
import bplab.widgets as w   # noqa: E402


def _frames(box):
    return [f.value for stack in box.children[-2].children for f in stack.children]


def _controls(box):
    row = box.children[-1].children
    button = next(c for c in row if isinstance(c, W.Button))
    status = row[-1]
    return [c for c in row if c is not button and c is not status], button, status


@pytest.mark.parametrize("make,change", [
    (w.net222_explorer, {"x1": 0.9}),
    (w.sine_lr_explorer, {"hidden": 5}),
    (w.boundary_explorer, {"hidden": 3, "seed": 1}),
])
def test_recompute_redraws_the_frames_from_the_controls(make, change):
    box = make(live=True)
    before = _frames(box)
    controls, button, status = _controls(box)
    by_name = {c.description.split()[0]: c for c in controls}
    for name, value in change.items():
        by_name[name].value = value
    button.click()
    after = _frames(box)
    assert status.value == "done: move the slider"
    assert len(after) == len(before) and after != before
    # the frames are deterministic: a fresh explorer starts from the very same ones
    assert _frames(make(live=True)) == before
