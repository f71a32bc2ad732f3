"""The Part I figures: each draws what it is given, and refuses what it cannot draw."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bplab.plots_part1 as plots  # noqa: E402


def teardown_function():
    plt.close("all")


def test_matrix_grid_counts_and_blanks_the_zeros():
    fig = plots.matrix_grid(np.diag([1.0, -2.0, 3.0]), title="diag")
    ax = fig.axes[0]
    assert "6 of 9 entries are 0" in ax.get_title()
    image = ax.images[0].get_array()
    assert image.mask.sum() == 6 and not image.mask[np.diag_indices(3)].any()
    assert len(ax.texts) == 9                     # annotated: at most 8 columns


def test_matrix_grid_draws_into_a_given_axes_without_annotations():
    fig, (left, right) = plt.subplots(1, 2)
    assert plots.matrix_grid(np.ones((10, 10)), ax=right) is fig
    assert len(right.texts) == 0 and len(right.images) == 1 and len(left.images) == 0


@pytest.mark.parametrize("bad, match", [(np.ones(3), "2-D"),
                                        (np.full((2, 2), np.nan), "NaN")])
def test_matrix_grid_rejects_what_it_cannot_draw(bad, match):
    with pytest.raises(ValueError, match=match):
        plots.matrix_grid(bad)


def test_accuracy_curves_one_line_per_run_and_the_target():
    fig = plots.accuracy_curves({"a": [0.1, 0.5], "b": [0.2, 0.3, 0.9]}, target=0.97)
    lines = fig.axes[0].get_lines()
    assert [len(line.get_xdata()) for line in lines] == [2, 3, 2]
    assert list(lines[1].get_xdata()) == [1, 2, 3]
    with pytest.raises(ValueError, match="at least one"):
        plots.accuracy_curves({})


def test_gradient_norms_grid_one_panel_per_activation():
    norms = {("sigmoid", "N(0,1)"): np.ones(4), ("sigmoid", "Xavier"): np.ones(4) * 2,
             ("relu", "He"): np.array([1.0, 0.0, 3.0, 4.0])}
    fig = plots.gradient_norms_grid(norms)
    assert [ax.get_title() for ax in fig.axes] == ["sigmoid", "relu"]
    assert len(fig.axes[0].get_lines()) == 2 and len(fig.axes[1].get_lines()) == 1
    assert np.all(fig.axes[1].get_lines()[0].get_ydata() > 0)   # a 0 stays on a log axis
    with pytest.raises(ValueError, match="empty"):
        plots.gradient_norms_grid({})


def test_variance_check_pairs_points_and_lines():
    fig = plots.variance_check(["tanh", "relu"], np.ones((2, 5)), np.ones((2, 5)))
    assert len(fig.axes[0].get_lines()) == 4
    with pytest.raises(ValueError, match="same shape"):
        plots.variance_check(["a"], np.ones(3), np.ones(4))
