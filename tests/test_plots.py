"""book.plots: the style and the finishing touches every figure gets."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from book import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _renderer(fig):
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def test_use_style_sets_the_book_style():
    plots.use_style()
    assert matplotlib.rcParams["axes.grid"] is True
    assert matplotlib.rcParams["axes.spines.top"] is False


def test_figures_fit_the_column_and_their_text_survives_a_phone():
    # At 100 dpi a figure shows at its width in inches times 100 px on a laptop (the column
    # is about 760 px), and shrinks to the phone's column of about 358 px: tick labels of
    # 12 pt (about 17 px) must still be 11 px there, so the figure is at most 5.4 in wide.
    plots.use_style()
    width, _ = matplotlib.rcParams["figure.figsize"]
    assert matplotlib.rcParams["figure.dpi"] == 100
    tick_px_on_phone = matplotlib.rcParams["xtick.labelsize"] * 100 / 72 * 358 / (100 * width)
    assert 4.5 <= width <= 7.6 and tick_px_on_phone >= 11, (width, tick_px_on_phone)
    for key in ["xtick.labelsize", "ytick.labelsize", "legend.fontsize", "font.size"]:
        assert matplotlib.rcParams[key] >= 12, key
    assert matplotlib.rcParams["axes.labelsize"] >= 13
    assert matplotlib.rcParams["savefig.dpi"] >= 2 * matplotlib.rcParams["figure.dpi"]


def test_in_a_notebook_figures_are_sent_as_retina_png(tmp_path, monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib.figure import Figure
    from traitlets.config import Config

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path))
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    try:
        plots.use_style()
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1])
        data, metadata = shell.display_formatter.format(fig)
        shown = metadata["image/png"]["width"]  # the width it is displayed at, in px
        # no height: a narrower page scales the image down without squeezing it
        assert "height" not in metadata["image/png"]
        plots.use_style()  # a second call changes nothing
        assert shell.display_formatter.format(fig)[1] == metadata
        png = data["image/png"]
        assert shell.display_formatter.formatters["image/png"].lookup_by_type(Figure)
    finally:
        InteractiveShell.clear_instance()
    import base64
    import struct

    raw = base64.b64decode(png)
    pixels = struct.unpack(">I", raw[16:20])[0]  # the PNG header's width
    assert pixels >= 2 * shown


def test_use_style_outside_a_notebook_sets_only_the_style():
    plots.use_style()  # no IPython shell: nothing to configure, nothing raised


def test_finish_labels_and_adds_a_legend_only_for_several_series():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="one")
    plots.finish(ax, "Title", "x (units)", "y (units)")
    labels = (ax.get_title(), ax.get_xlabel(), ax.get_ylabel())
    assert labels == ("Title", "x (units)", "y (units)")
    assert ax.get_legend() is None
    ax.plot([0, 1], [1, 0], label="two")
    plots.finish(ax, "Title", "x (units)", "y (units)")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["one", "two"]


def test_finish_refuses_a_figure_without_labels():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="title and both axis labels"):
        plots.finish(ax, "Title", "", "y")
    with pytest.raises(ValueError, match="legend is True, False or 'below'"):
        plots.finish(ax, "Title", "x", "y", legend="above")


def test_finish_breaks_a_title_too_long_for_its_panel():
    plots.use_style()
    fig, (left, right) = plt.subplots(1, 2)
    long = "Handwritten digits: a rule is not enough, however we tune it"
    plots.finish(left, long, "method", "share correct")
    plots.finish(right, "Short", "method", "share correct")
    assert "\n" in left.get_title() and left.get_title().replace("\n", " ") == long
    assert right.get_title() == "Short"
    renderer = _renderer(fig)
    assert left.title.get_window_extent(renderer).width <= fig.bbox.width / 2


def test_a_two_line_title_breaks_where_it_pauses():
    plots.use_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    plots.finish(ax, "Shipping fees: a rule is exact to the cent", "method", "share")
    assert ax.get_title() == "Shipping fees:\na rule is exact to the cent"


def test_finish_breaks_a_y_label_taller_than_its_panel():
    plots.use_style()
    fig, ax = plt.subplots(figsize=(6.4, 2.5))
    plots.finish(ax, "Title", "x",
                 "throughput of the whole system (predictions per second, log)")
    assert "\n" in ax.get_ylabel()


def test_legend_below_sits_under_the_axis_label():
    plots.use_style()
    fig, ax = plt.subplots()
    for name in ["one", "two", "three"]:
        ax.plot([0, 1], [0, 1], label=name)
    plots.finish(ax, "Title", "x (units)", "y (units)", legend="below")
    renderer = _renderer(fig)
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.y1 <= ax.xaxis.label.get_window_extent(renderer).y0
    assert legend.y1 <= ax.bbox.y0


def test_numbers_on_log_axes_read_plainly():
    assert [plots.plain_number(v) for v in (0.05, 0.2, 1.0, 5.0, 1000.0, 1e6)] == [
        "0.05", "0.2", "1", "5", "1,000", "1,000,000"]
    assert [plots.compact_number(v) for v in (0.5, 20.0, 1e3, 2.5e6, 3e9)] == [
        "0.5", "20", "1k", "2.5M", "3B"]


def test_log_axis_ticks_are_plain_numbers():
    plots.use_style()
    fig, ax = plt.subplots()
    ax.plot([5, 8], [1e3, 1e6])
    plots.log_axis(ax, "x", subs=(1.0, 2.0, 5.0))
    plots.log_axis(ax, "y", compact=True)
    _renderer(fig)
    x_labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    y_labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "5" in x_labels and not any("10" in t and "^" in t for t in x_labels)
    assert {"1k", "10k", "100k", "1M"} <= set(y_labels)
    assert ax.get_xscale() == ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="'x' or 'y'"):
        plots.log_axis(ax, "z")


def test_colors_are_distinct():
    assert len(set(plots.COLORS.values())) == len(plots.COLORS)
