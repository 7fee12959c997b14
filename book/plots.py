"""The book's one figure style.

Call :func:`use_style` once at the top of a notebook. Series that mean the
same thing in several figures (a rule, a model, a person) keep the same
colour through :data:`COLORS`.
"""

from __future__ import annotations

import matplotlib as mpl

#: One colour per role, so that "the rule" looks the same in every figure.
COLORS = {
    "rule": "#7f7f7f",
    "model": "#1f77b4",
    "person": "#ff7f0e",
    "retrained": "#2ca02c",
    "memorizer": "#d62728",
    "highlight": "#9467bd",
}

_STYLE = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "figure.autolayout": True,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "legend.frameon": False,
    "font.size": 10,
    "lines.linewidth": 2.0,
}


def use_style():
    """Apply the book's matplotlib style to every figure drawn after this call."""
    mpl.rcParams.update(_STYLE)


def finish(ax, title, xlabel, ylabel, legend=True):
    """Give an axis its title, axis labels (with units) and, if it has several series, a legend.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    title, xlabel, ylabel : str
        Every figure of the book has all three; labels carry their units.
    legend : bool
        Draw a legend when the axis has more than one labelled series.

    Returns
    -------
    matplotlib.axes.Axes
        The same axis, for chaining.
    """
    if not (title and xlabel and ylabel):
        raise ValueError("finish: every figure needs a title and both axis labels.")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    handles, _ = ax.get_legend_handles_labels()
    if legend and len(handles) > 1:
        ax.legend()
    return ax
