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


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


@pytest.mark.parametrize("make", [w.net222_explorer, w.sine_lr_explorer, w.boundary_explorer])
@pytest.mark.parametrize("live", [False, True])
def test_every_control_says_what_it_does(make, live):
    """Screen readers name a button by its text or its title (the tooltip): every button,
    every toggle and the play control must have one that names its action."""
    kinds = {"Button": 0, "ToggleButtons": 0, "Play": 0}
    for widget in _walk(make(live=live)):
        if isinstance(widget, W.Button):
            kinds["Button"] += 1
            assert widget.description.strip() and widget.tooltip, widget
        elif isinstance(widget, W.ToggleButtons):
            kinds["ToggleButtons"] += 1
            assert len(widget.tooltips) == len(widget.options)
            assert all(t.startswith("show ") for t in widget.tooltips), widget.tooltips
        elif isinstance(widget, W.Play):
            kinds["Play"] += 1
            assert widget.tooltip.startswith("play the ") and not widget.show_repeat
        elif isinstance(widget, (W.IntSlider, W.FloatSlider, W.FloatLogSlider, W.IntText)):
            assert widget.description.strip(), widget
    assert kinds["Play"] == 1 and kinds["Button"] == (1 if live else 0)
    assert kinds["ToggleButtons"] == (0 if make is w.net222_explorer else 1)


@pytest.mark.parametrize("frames", [w._net222_frames, w._boundary_frames,
                                    lambda: w._sine_frames(epochs=(0, 10))])
def test_every_frame_picture_says_what_it_shows(frames):
    """Each inline SVG carries an aria-label that describes the picture, not just a title
    such as "fit" or "epoch 3"."""
    import re
    labels = [lab for group in frames().values() for f in group
              for lab in re.findall(r'<svg[^>]*aria-label="([^"]*)"', f)]
    assert labels and all(len(lab) >= 25 for lab in labels), min(labels, key=len)
