"""Tables for people: pandas outputs that read the way the prose writes numbers.

A raw DataFrame shows ``150000``, ``0.4809`` and ``True``, and an extra header
row for the name of its index. :func:`table` returns the same data as a
pandas ``Styler`` that shows ``150,000``, ``48.1%`` and ✓, with no stray
header row, and whose HTML is the same on every run (the tests execute each
notebook twice and compare the outputs). The data itself is left as it is:
compute with the DataFrame, show with :func:`table`.
"""

from __future__ import annotations

import hashlib
import numbers

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

YES, NO = "✓", "✗"


def cell_text(value):
    """How a cell reads when no format is given for its column.

    Booleans read ✓ or ✗, integers get thousands separators, other numbers
    two decimals and thousands separators; anything else reads as it prints.

    Examples
    --------
    >>> [cell_text(v) for v in (True, 150000, 480915.4712, "note")]
    ['✓', '150,000', '480,915.47', 'note']
    """
    if isinstance(value, (bool, np.bool_)):
        return YES if value else NO
    if isinstance(value, numbers.Integral):
        return f"{value:,}"
    if isinstance(value, numbers.Real):
        return f"{value:,.2f}"
    return str(value)


def usd_text(amount, decimals=0):
    """An amount of money as a sentence reads it: ``$1,250``, and ``−$36,667``
    for a loss (the minus sign before the dollar sign).

    ``decimals`` below zero rounds to tens, hundreds, thousands...: a figure
    measured on a sample reads no more precise than it is.

    Examples
    --------
    >>> usd_text(1250), usd_text(-36666.7), usd_text(8.87, decimals=1)
    ('$1,250', '−$36,667', '$8.9')
    >>> usd_text(919667, decimals=-3)
    '$920,000'
    """
    amount = round(float(amount), decimals)
    text = f"${abs(amount):,.{max(decimals, 0)}f}"
    return "−" + text if amount < 0 else text


def pct_text(share, decimals=1, sign=False):
    """A share as a sentence reads it, in percent, with a true minus sign:
    ``6.5%``, or with ``sign=True`` ``+6.5%`` and ``−0.1%``.

    Examples
    --------
    >>> pct_text(0.0652), pct_text(0.0652, sign=True), pct_text(-0.0013, sign=True)
    ('6.5%', '+6.5%', '−0.1%')
    """
    return format(float(share), f"{'+' if sign else ''}.{decimals}%").replace("-", "−")


def _formatter(spec):
    """A callable from a format: ``"{:,.0f}"``, ``",.0f"``, or a callable already."""
    if callable(spec):
        return spec
    if not isinstance(spec, str):
        raise ValueError(
            "table: a format is a string such as '{:,.0f}' or a callable, "
            f"got {spec!r}."
        )
    template = spec if "{" in spec else f"{{:{spec}}}"

    def apply(value):
        if isinstance(value, (bool, np.bool_)):
            return cell_text(value)
        try:
            return template.format(value)
        except (TypeError, ValueError):  # text in a numeric column: "fails: ValueError"
            return cell_text(value)

    return apply


def table(data, formats=None, *, index=None, name=None):
    """A DataFrame or Series for a reader: formatted numbers, ✓/✗, no index-name row.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        What to show. A Series becomes one column, headed by its name.
    formats : dict, optional
        ``{column: format}``, a format being a format string (``"{:,.0f}"``,
        ``"{:.1%}"``, or just ``".1%"``) or a callable from a value to its
        text. A column without a format reads as :func:`cell_text` says.
    index : str or False, optional
        Show the index as the first column, under this header (with units),
        for example ``"training images"``; ``False`` hides an index that means
        nothing to a reader (0, 1, 2...). Without it, the index shows as row
        labels and its name, if any, is not shown.
    name : str, optional
        The table's HTML id. By default it is derived from the table's
        contents, so that the same table gets the same id on every run.

    Returns
    -------
    pandas.io.formats.style.Styler
        Notebooks and the book show it as an HTML table; numbers are
        right-aligned.

    Examples
    --------
    >>> costs = pd.DataFrame({"fee_usd": [4.5, 150000.0], "exact": [True, False]},
    ...                      index=["rule", "model"])
    >>> shown = table(costs, {"fee_usd": "{:,.2f}"}, index="option")
    >>> print(shown.to_string())  # as text; a notebook shows the HTML table
    option fee_usd exact
    rule 4.50 ✓
    model 150,000.00 ✗
    """
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(
            f"table: expects a DataFrame or a Series, got {type(data).__name__}."
        )
    formats = dict(formats or {})
    if index is not None and index is not False:
        if index in frame.columns:
            raise ValueError(f"table: the index header {index!r} is already a column.")
        frame = frame.rename_axis(index).reset_index()
    unknown = [column for column in formats if column not in frame.columns]
    if unknown:
        raise ValueError(
            "table: formats name columns the table doesn't have: "
            f"{unknown}; "
            f"its columns are {list(frame.columns)}."
        )
    if name is None:
        content = frame.to_csv() + repr(sorted(map(str, formats)))
        name = "table-" + hashlib.sha1(content.encode("utf-8")).hexdigest()[:10]
    styler = Styler(frame, uuid=name, cell_ids=False)
    styler.format(
        {column: _formatter(formats.get(column, cell_text)) for column in frame.columns}
    )
    styler.format_index(cell_text, axis=0)
    styler.hide(axis="index", names=True)
    styler.hide(axis="columns", names=True)
    if index is not None:  # a column now, or hidden
        styler.hide(axis="index")
    numeric = [
        position
        for position, column in enumerate(frame.columns)
        if pd.api.types.is_numeric_dtype(frame[column])
        and not pd.api.types.is_bool_dtype(frame[column])
    ]
    ticks = [
        position
        for position, column in enumerate(frame.columns)
        if pd.api.types.is_bool_dtype(frame[column])
    ]
    styler.set_table_styles(
        [
            {
                "selector": f"td.col{position}, th.col_heading.col{position}",
                "props": "text-align: right;",
            }
            for position in numeric
        ]
        + [
            {
                "selector": f"td.col{position}, th.col_heading.col{position}",
                "props": "text-align: center;",
            }
            for position in ticks
        ]
        + [{"selector": "th.col_heading", "props": "vertical-align: bottom;"}]
    )
    styler.set_table_attributes('class="dataframe"')
    return styler


class Preview:
    """The first rows of a dataset and what each column means: two tables, shown as one
    output (see :func:`preview`)."""

    def __init__(self, rows, meanings):
        self.rows, self.meanings = rows, meanings

    def _repr_html_(self):
        return (
            '<div class="book-preview">'
            + self.rows.to_html()
            + self.meanings.to_html()
            + "</div>"
        )

    def __repr__(self):
        about = self.meanings.data.to_string(index=False)
        return f"{self.rows.data.to_string()}\n\n{about}"


def preview(frame, meanings, rows=5, formats=None):
    """Show a dataset as a chapter first meets it: its first rows, and what each column
    means.

    Parameters
    ----------
    frame : pandas.DataFrame
        The dataset, as made or loaded.
    meanings : dict
        ``{column: what it means}``, in words and with units, for every column.
    rows : int
        How many rows to show.
    formats : dict, optional
        Formats of the rows' columns, as for :func:`table`.

    Returns
    -------
    Preview
        Shown as two tables: the rows, then the columns with their meanings.

    Raises
    ------
    ValueError
        If a column has no meaning, or a meaning names no column.

    Examples
    --------
    >>> frame = pd.DataFrame({"weight_kg": [1.5, 20.0], "express": [True, False]})
    >>> shown = preview(frame, {"weight_kg": "weight of the parcel, in kg",
    ...                         "express": "paid for next-day delivery"})
    >>> print(repr(shown))
       weight_kg  express
    0        1.5     True
    1       20.0    False
    <BLANKLINE>
       column               what it means
    weight_kg weight of the parcel, in kg
      express  paid for next-day delivery
    """
    missing = [column for column in frame.columns if column not in meanings]
    unknown = [column for column in meanings if column not in frame.columns]
    if missing or unknown:
        raise ValueError(
            "preview: give every column a meaning, and no other: "
            + (f"missing {missing}" if missing else "")
            + ("; " if missing and unknown else "")
            + (f"not columns {unknown}" if unknown else "")
        )
    head = table(frame.head(rows), formats)
    about = pd.Series(
        [meanings[column] for column in frame.columns],
        index=pd.Index(frame.columns, name="column"),
        name="what it means",
    ).to_frame()
    return Preview(head, table(about, index="column"))
