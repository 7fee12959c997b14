"""Production data is not benchmark data: corrupt it the way production does, and guard
against it.

:func:`corrupt` makes the faults that chapter 2 feeds to two pipelines;
:class:`Schema` is the input check of the robust one: it remembers the training
columns, their types, categories and ranges, and either repairs what it safely
can or stops with a message that says what is wrong.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

#: The faults :func:`corrupt` can inject, in the order chapter 2 shows them.
CORRUPTIONS = (
    "clean",
    "missing values",
    "unseen category",
    "extra column",
    "renamed column",
    "unit change",
)


class SchemaError(ValueError):
    """Production input that the model must not be asked about."""


def corrupt(frame, kind, column, seed=0, share=0.2, factor=100.0):
    """A copy of ``frame`` with one production fault in ``column``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Clean inputs.
    kind : str
        One of :data:`CORRUPTIONS`: "missing values" blanks a share of the
        column; "unseen category" replaces a share of a text column by a
        category never seen before; "extra column" adds a column the model
        does not know; "renamed column" renames the column (an upstream
        schema change); "unit change" multiplies a share of a numeric column
        by ``factor`` (100: cents instead of dollars; 1/7: per day instead of
        per week).
    column : str
        The column to corrupt.
    seed : int
        Seed of the random choice of rows.
    share : float
        Share of rows affected, in (0, 1].
    factor : float
        What "unit change" multiplies by.

    Examples
    --------
    >>> clean = pd.DataFrame({"ad_quality": [0.1, 0.5, 0.9, 0.3], "slot": [1, 2, 3, 4]})
    >>> in_percent = corrupt(clean, "unit change", "ad_quality", factor=100, share=1.0)
    >>> in_percent.ad_quality.tolist()
    [10.0, 50.0, 90.0, 30.0]
    >>> corrupt(clean, "renamed column", "slot").columns.tolist()
    ['ad_quality', 'slot_v2']
    """
    if kind not in CORRUPTIONS:
        raise ValueError(
            f"corrupt: unknown kind {kind!r}; choose one of {CORRUPTIONS}."
        )
    if column not in frame.columns:
        raise ValueError(f"corrupt: no column {column!r} in the frame.")
    out = frame.copy()
    rows = np.random.default_rng(seed).uniform(size=len(out)) < share
    numeric = pd.api.types.is_numeric_dtype(out[column]) and not (
        pd.api.types.is_bool_dtype(out[column])
    )
    if kind == "missing values":
        if numeric:  # NaN needs floats; a text column takes it as it is
            out[column] = out[column].astype(float)
        out.loc[rows, column] = np.nan
    elif kind == "unseen category":
        if numeric:
            raise ValueError(
                f"corrupt: an unseen category goes into a text column; {column!r} "
                "holds numbers (try 'unit change' or 'missing values')."
            )
        out.loc[rows, column] = "never-seen-before"
    elif kind == "extra column":
        out["campaign_id"] = np.arange(len(out))
    elif kind == "renamed column":
        out = out.rename(columns={column: f"{column}_v2"})
    elif kind == "unit change":
        out[column] = out[column].astype(float)
        out.loc[rows, column] = out.loc[rows, column] * factor
    return out


class Schema(TransformerMixin, BaseEstimator):
    """The input check of a pipeline: what the training data looked like, enforced on
    new data.

    ``fit`` remembers the training columns and the range of each numeric
    column. ``transform`` repairs what it can do safely and raises
    :class:`SchemaError` for what it cannot:

    - unknown extra columns are dropped;
    - a missing column, or text in a numeric column, stops the pipeline;
    - numbers outside the training range are clipped to it while they are
      rare (a new sample always reaches a little beyond the old one's
      extremes), but if more than ``max_out_of_range`` of a column's values
      in one batch lie outside it, the batch stops: that is a unit change
      or a broken feed, not an outlier.

    Missing values and unseen categories pass through: the pipeline's imputer
    and encoder deal with them. A change that stays inside the training range
    (a column sent per day instead of per week) passes unseen: catching it
    takes comparing distributions, not ranges.

    Parameters
    ----------
    max_out_of_range : float
        Largest share of a numeric column's values, in one batch, that may
        lie outside the training range and be clipped.

    Examples
    --------
    An unknown column is dropped and a value beyond the training range clipped;
    a missing column stops the batch:

    >>> train = pd.DataFrame({"quality": [0.1, 0.5, 0.9], "device": ["mobile"] * 3})
    >>> schema = Schema(max_out_of_range=0.5).fit(train)
    >>> schema.transform(train.assign(quality=[0.2, 0.3, 95.0], campaign_id=7))
       quality  device
    0      0.2  mobile
    1      0.3  mobile
    2      0.9  mobile
    >>> schema.transform(train.drop(columns="device"))
    Traceback (most recent call last):
        ...
    book.production.SchemaError: missing column(s) ['device'].
    """

    def __init__(self, max_out_of_range=0.01):
        self.max_out_of_range = max_out_of_range

    def fit(self, X, y=None):
        if not isinstance(X, pd.DataFrame):
            raise SchemaError(
                f"Schema.fit needs a pandas DataFrame, got {type(X).__name__}."
            )
        self.columns_ = list(X.columns)
        self.ranges_ = {
            c: (float(X[c].min()), float(X[c].max()))
            for c in X.columns
            if pd.api.types.is_numeric_dtype(X[c])
        }
        return self

    def transform(self, X):
        check_is_fitted(self, "columns_")
        if not isinstance(X, pd.DataFrame):
            raise SchemaError(f"expected a pandas DataFrame, got {type(X).__name__}.")
        missing = [c for c in self.columns_ if c not in X.columns]
        if missing:
            unknown = [c for c in X.columns if c not in self.columns_]
            hint = (
                f" Unknown column(s) {unknown} arrived instead: renamed upstream?"
                if unknown
                else ""
            )
            raise SchemaError(f"missing column(s) {missing}.{hint}")
        out = X[self.columns_].copy()  # unknown extra columns are dropped
        for column, (low, high) in self.ranges_.items():
            values = pd.to_numeric(out[column], errors="coerce")
            bad = values.isna() & out[column].notna()
            if bad.any():
                raise SchemaError(
                    f"column {column!r} should be numeric; {int(bad.sum())} value(s) "
                    "are not."
                )
            outside = float(((values < low) | (values > high)).sum()) / max(
                int(values.notna().sum()), 1
            )
            if outside > self.max_out_of_range:
                raise SchemaError(
                    f"column {column!r}: {outside:.0%} of the values lie outside the "
                    "training range "
                    f"[{low:g}, {high:g}] (largest {values.max():g}, smallest "
                    f"{values.min():g}): "
                    "a unit change upstream?"
                )
            out[column] = values.clip(low, high)
        return out


def median_shift(reference, batch):
    """How far the median of each numeric column moved, in interquartile ranges of the
    reference.

    A simple distribution check: a range check can't see a change that stays
    inside the training range (a count per day instead of per week), but the
    middle of the distribution moves. Columns whose interquartile range is zero
    in the reference are measured in units of their absolute median, or 1.

    Parameters
    ----------
    reference : pandas.DataFrame
        What the model was trained on.
    batch : pandas.DataFrame
        New inputs with the same columns.

    Returns
    -------
    pandas.Series
        One value per numeric column of ``reference``: (median in the batch -
        median in the reference) / reference's interquartile range.

    Examples
    --------
    Sessions per day instead of per week stay inside the training range, but the
    median moves:

    >>> reference = pd.DataFrame({"sessions": [0.0, 2.0, 4.0, 6.0, 8.0]})
    >>> median_shift(reference, reference / 7).round(2)
    sessions   -0.86
    Name: median shift (interquartile ranges), dtype: float64
    """
    numeric = [
        c for c in reference.columns if pd.api.types.is_numeric_dtype(reference[c])
    ]
    missing = [c for c in numeric if c not in batch.columns]
    if missing:
        raise SchemaError(f"median_shift: the batch lacks the column(s) {missing}.")
    shifts = {}
    for column in numeric:
        quartiles = reference[column].quantile([0.25, 0.5, 0.75])
        spread = quartiles[0.75] - quartiles[0.25] or abs(quartiles[0.5]) or 1.0
        shifts[column] = float(
            (pd.to_numeric(batch[column], errors="coerce").median() - quartiles[0.5])
            / spread
        )
    return pd.Series(shifts, name="median shift (interquartile ranges)")
