"""Messages whose spam pattern drifts (chapter 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from book.data._common import check_size


def make_spam_stream(
    n_months=12,
    n_per_month=500,
    drift_deg=8.0,
    start_deg=30.0,
    label_noise=0.03,
    seed=0,
):
    """A monthly stream of messages whose spam pattern drifts.

    Story: a platform scores each message by two standardised signals,
    ``x1`` and ``x2`` (think: how link-heavy and how templated it is). In any
    one month spam is separated from legitimate mail by a straight line
    through the origin, but spammers adapt: the direction of that line turns
    by ``drift_deg`` degrees every month, starting at ``start_deg``. A share
    ``label_noise`` of the labels is flipped at random (moderators disagree).

    So a model fitted to one month is nearly right in that month and a little
    less right in each month after it: the drift is real and steady, which
    is what chapter 1 relies on.

    Parameters
    ----------
    n_months : int
        Number of months; months are numbered from 0.
    n_per_month : int
        Messages per month.
    drift_deg : float
        How many degrees the separating direction turns each month.
    start_deg : float
        Direction of the separating line in month 0, in degrees.
    label_noise : float
        Share of labels flipped at random, in [0, 0.5).
    seed : int
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        ``month``, ``x1``, ``x2`` and ``is_spam`` (0 or 1, about half are 1),
        sorted by month.

    Examples
    --------
    >>> stream = make_spam_stream(n_months=3, n_per_month=200, drift_deg=8.0, seed=0)
    >>> stream.shape
    (600, 4)
    >>> stream.groupby("month").is_spam.mean().round(2).tolist()
    [0.48, 0.5, 0.44]
    """
    check_size("make_spam_stream", n_months)
    check_size("make_spam_stream", n_per_month)
    if not 0.0 <= label_noise < 0.5:
        raise ValueError(
            f"make_spam_stream: label_noise must be in [0, 0.5), got {label_noise!r}."
        )
    rng = np.random.default_rng(seed)
    month = np.repeat(np.arange(n_months), n_per_month)
    x = rng.standard_normal(size=(month.size, 2))
    angle = np.deg2rad(start_deg + drift_deg * month)
    score = x[:, 0] * np.cos(angle) + x[:, 1] * np.sin(angle)
    is_spam = (score > 0).astype(int)
    flip = rng.uniform(size=month.size) < label_noise
    is_spam = np.where(flip, 1 - is_spam, is_spam)
    return pd.DataFrame(
        {"month": month, "x1": x[:, 0], "x2": x[:, 1], "is_spam": is_spam}
    )
