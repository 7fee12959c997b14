"""The book's one figure style.

Call :func:`use_style` once at the top of a notebook. Series that mean the
same thing in several figures (a rule, a model, a person) keep the same
colour through :data:`COLORS`.

The style is made for the page's column, about 760 px wide on a laptop, and
for a phone, which shrinks a figure to about 360 px: figures are at most
:data:`FIGURE_WIDTH_IN` inches wide at 100 dpi, fonts are large enough to stay
legible at half size, and in a notebook figures are sent as retina PNGs
(twice the pixels of their displayed size), which stay sharp on dense screens.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib as mpl
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

#: One colour per role, so that "the rule" looks the same in every figure.
COLORS = {
    "rule": "#7f7f7f",
    "model": "#1f77b4",
    "person": "#ff7f0e",
    "retrained": "#2ca02c",
    "memorizer": "#d62728",
    "highlight": "#9467bd",
}

#: A one-panel figure's width, in inches at 100 dpi: 640 px, inside a 760 px column.
FIGURE_WIDTH_IN = 5.4

_STYLE = {
    "figure.figsize": (FIGURE_WIDTH_IN, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "figure.autolayout": True,
    "figure.facecolor": "white",
    "axes.grid": True,
    "axes.axisbelow": True,  # grid lines behind bars and lines, not over them
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    # At half size on a phone, 12 pt at 100 dpi is still about 8 px tall.
    "font.size": 12,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "legend.frameon": False,
    "lines.linewidth": 2.2,
    "lines.markersize": 7,
}


def use_style():
    """Apply the book's matplotlib style to every figure drawn after this call.

    In a notebook (an IPython kernel) it also makes the inline backend send
    figures as retina PNGs: twice the pixels in each direction, shown at the
    figure's size. Outside IPython only the style is set.
    """
    mpl.rcParams.update(_STYLE)
    _inline_retina()


def _inline_retina():
    """Send inline figures as retina PNGs, if we run in an IPython kernel.

    The PNG's metadata keeps its display width and drops its height: a page
    that narrows the image (a phone) then keeps its proportions, where a fixed
    height would squeeze it sideways.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with every notebook setup
        return
    shell = get_ipython()
    if shell is None:
        return
    import matplotlib.pyplot  # noqa: F401  (loads the inline backend and its formats)
    from matplotlib.figure import Figure
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("retina")
    png = shell.display_formatter.formatters["image/png"]
    png.for_type(Figure, _width_only(png.lookup_by_type(Figure)))


def _width_only(render):
    """A PNG formatter like ``render``, whose metadata gives the width alone."""

    def retina_png(fig):
        rendered = render(fig)
        if rendered is None:  # an empty figure
            return None
        data, metadata = rendered
        return data, {"width": metadata["width"]}

    return retina_png


def plain_number(value):
    """A tick value as a reader writes it: ``0.05``, ``2``, ``1,000``, not ``5×10⁻²``.

    Examples
    --------
    >>> [plain_number(v) for v in (0.05, 2.0, 1000.0, 250000.0)]
    ['0.05', '2', '1,000', '250,000']
    """
    if value >= 1 and float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:g}"


def compact_number(value):
    """A large tick value in few characters: ``500``, ``10k``, ``2.5M``, ``1B``.

    Examples
    --------
    >>> [compact_number(v) for v in (500.0, 10_000.0, 2_500_000.0, 1e9)]
    ['500', '10k', '2.5M', '1B']
    """
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return plain_number(value)


def log_axis(ax, which="x", subs=(1.0,), compact=False):
    """Put one axis on a log scale whose ticks read as plain numbers.

    Matplotlib labels a log axis ``10³`` or, on a short range, ``5×10⁰``. Here
    the ticks sit at ``subs`` times each power of ten and read ``0.5``,
    ``1,000`` (or ``1k`` with ``compact``); minor ticks carry no label.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    which : {"x", "y"}
    subs : tuple of float
        Where the labelled ticks sit within each decade: ``(1.0,)`` for 1, 10,
        100...; ``(1.0, 2.0, 5.0)`` for 1, 2, 5, 10, 20... on a short range.
    compact : bool
        Write thousands and millions as ``k`` and ``M``.

    Returns
    -------
    matplotlib.axis.Axis
        The axis, for further settings.
    """
    if which not in ("x", "y"):
        raise ValueError(f"log_axis: which is 'x' or 'y', got {which!r}.")
    (ax.set_xscale if which == "x" else ax.set_yscale)("log")
    axis = ax.xaxis if which == "x" else ax.yaxis
    label = compact_number if compact else plain_number
    axis.set_major_locator(LogLocator(base=10, subs=subs))
    axis.set_major_formatter(FuncFormatter(lambda value, _: label(value)))
    axis.set_minor_formatter(NullFormatter())
    return axis


def _renderer(fig):
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get else fig._get_renderer()


def _break(text, lines):
    """The text on ``lines`` lines of similar length, broken at spaces.

    On two lines, a break after a colon, semicolon or comma near the middle is
    preferred, so that a claim title breaks where it pauses.
    """
    if lines == 2:
        spaces = [i for i, char in enumerate(text) if char == " "]
        pauses = [
            i
            for i in spaces
            if text[i - 1] in ":;," and len(text) / 3 <= i <= 2 * len(text) / 3
        ]
        if pauses:
            cut = min(pauses, key=lambda i: abs(i - len(text) / 2))
            return f"{text[:cut]}\n{text[cut + 1 :]}"
    width = math.ceil(len(text) / lines)
    while len(wrapped := textwrap.wrap(text, width)) > lines:
        width += 1
    return "\n".join(wrapped)


def _fit(artist, limit_px, vertical=False):
    """Break a title or label onto two or three lines if longer than ``limit_px``."""
    text = artist.get_text()
    if "\n" in text:
        return

    def length():
        extent = artist.get_window_extent(renderer=_renderer(artist.figure))
        return extent.height if vertical else extent.width

    for lines in (2, 3):
        if length() <= limit_px:
            return
        artist.set_text(_break(text, lines))


def _panel_size_px(ax):
    """The width and height of the grid cell the axis sits in, in pixels."""
    fig = ax.figure
    spec = ax.get_subplotspec() if hasattr(ax, "get_subplotspec") else None
    if spec is None:
        return fig.bbox.width, fig.bbox.height
    grid = spec.get_gridspec()
    return (
        fig.bbox.width * len(spec.colspan) / grid.ncols,
        fig.bbox.height * len(spec.rowspan) / grid.nrows,
    )


def finish(ax, title, xlabel, ylabel, legend=True):
    """Give an axis its title, its axis labels (with units) and, if needed, a legend.

    A title or label too long for its panel is broken onto two or three lines, so
    that the figure keeps its width (and its text size) on a narrow screen.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    title, xlabel, ylabel : str
        Every figure of the book has all three; labels carry their units.
    legend : bool or "below"
        Draw a legend when the axis has more than one labelled series: inside
        the axis where it covers least (True), under the axis, clear of every
        line ("below"), or not at all (False).

    Returns
    -------
    matplotlib.axes.Axes
        The same axis, for chaining.
    """
    if not (title and xlabel and ylabel):
        raise ValueError("finish: every figure needs a title and both axis labels.")
    if legend not in (True, False, "below"):
        raise ValueError(f"finish: legend is True, False or 'below', got {legend!r}.")
    width_px, height_px = _panel_size_px(ax)
    _fit(ax.set_xlabel(xlabel), 0.85 * width_px)
    _fit(ax.set_ylabel(ylabel), 0.85 * height_px, vertical=True)
    # The title is centred over the plotting area, which the tick labels and the y-axis
    # label push aside: it has the panel's width less theirs.
    ax.set_title("")
    drawn = ax.get_tightbbox(_renderer(ax.figure))
    aside = max(0, ax.bbox.x0 - drawn.x0) + max(0, drawn.x1 - ax.bbox.x1)
    _fit(ax.set_title(title), 0.97 * width_px - aside)
    handles, _ = ax.get_legend_handles_labels()
    if legend == "below" and len(handles) > 1:
        legend_below(ax)
    elif legend and len(handles) > 1:
        ax.legend()
    return ax


def legend_below(ax, ncol=2):
    """Put the axis's legend under its x-axis label, where it covers no line or label.

    The legend is centred on the axis's panel of the figure (the tick labels on the
    left may push the axis itself aside), in ``ncol`` columns, or in one if that is
    too wide for the panel. The gap is measured in points from the axis's lower edge,
    so the legend stays under the tick labels and the x-axis label however the layout
    resizes the axis.
    """
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    fig = ax.figure
    renderer = _renderer(fig)
    below_px = ax.bbox.y0 - ax.get_tightbbox(renderer).y0  # tick labels, x-axis label
    gap = ScaledTranslation(0, -(below_px / fig.dpi + 0.08), fig.dpi_scale_trans)
    spec = ax.get_subplotspec()
    columns = spec.get_gridspec().ncols if spec else 1
    middle = ((spec.colspan.start + spec.colspan.stop) / 2 / columns) if spec else 0.5
    anchor = blended_transform_factory(fig.transFigure, ax.transAxes) + gap
    width_px, _ = _panel_size_px(ax)
    for columns_wanted in (ncol, 1):
        legend = ax.legend(
            loc="upper center",
            bbox_to_anchor=(middle, 0.0),
            bbox_transform=anchor,
            ncol=columns_wanted,
            borderaxespad=0.0,
            handlelength=1.8,
            columnspacing=1.2,
        )
        if legend.get_window_extent(renderer).width <= 0.95 * width_px:
            break
    return legend
