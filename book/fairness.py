"""Error rates by group: the audit that an overall accuracy hides."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

#: The numeric columns of ``book.data.make_lending`` that describe an applicant's
#: finances.
LENDING_NUMERIC = ["income_k_usd", "debt_ratio", "credit_history_years"]


def lending_pipeline(categorical):
    """Chapter 2's lending model: one-hot ``categorical`` columns, standardised
    finances, a logistic regression.

    Fit it on ``LENDING_NUMERIC + categorical`` columns of ``book.data.make_lending``.
    """
    encode = ColumnTransformer(
        [
            ("categories", OneHotEncoder(), list(categorical)),
            ("numbers", StandardScaler(), LENDING_NUMERIC),
        ]
    )
    return make_pipeline(encode, LogisticRegression(max_iter=1000))


def false_negative_rates(y_true, y_pred, groups):
    """The false-negative rate of each group: among true positives, the share predicted
    negative.

    Parameters
    ----------
    y_true, y_pred : array-like of {0, 1}
        What was the case, and what the model said (1 = positive, e.g. "repays").
    groups : array-like
        The group of each case.

    Returns
    -------
    pandas.Series
        One rate per group, indexed by group, sorted by group name. A group
        with no true positive gets NaN.

    Examples
    --------
    >>> y_true = [1, 1, 1, 1, 0, 1]  # 1 = repaid
    >>> y_pred = [1, 0, 1, 0, 0, 0]  # 1 = approved
    >>> false_negative_rates(y_true, y_pred, ["A", "A", "B", "B", "B", "B"]).round(2)
    A    0.50
    B    0.67
    Name: false-negative rate, dtype: float64
    """
    y_true, y_pred, groups = (np.asarray(a) for a in (y_true, y_pred, groups))
    if not (y_true.shape == y_pred.shape == groups.shape) or y_true.ndim != 1:
        raise ValueError(
            "false_negative_rates: y_true, y_pred and groups must be 1-D and of the "
            "same length."
        )
    positives = y_true == 1
    rates = {
        g: float(np.mean(y_pred[positives & (groups == g)] == 0))
        if np.any(positives & (groups == g))
        else float("nan")
        for g in sorted(set(groups.tolist()))
    }
    return pd.Series(rates, name="false-negative rate")
