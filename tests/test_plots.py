"""book.plots: the style and the finishing touches every figure gets."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from book import plots  # noqa: E402


def test_use_style_sets_the_book_style():
    plots.use_style()
    assert matplotlib.rcParams["axes.grid"] is True
    assert matplotlib.rcParams["axes.spines.top"] is False


def test_finish_labels_and_adds_a_legend_only_for_several_series():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="one")
    plots.finish(ax, "Title", "x (units)", "y (units)")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Title", "x (units)", "y (units)")
    assert ax.get_legend() is None
    ax.plot([0, 1], [1, 0], label="two")
    plots.finish(ax, "Title", "x (units)", "y (units)")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["one", "two"]
    plt.close(fig)


def test_finish_refuses_a_figure_without_labels():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="title and both axis labels"):
        plots.finish(ax, "Title", "", "y")
    plt.close(fig)


def test_colors_are_distinct():
    assert len(set(plots.COLORS.values())) == len(plots.COLORS)
