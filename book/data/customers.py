"""Customers and what they do: churn (chapter 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from book.data._common import check_size, draw_logistic


def make_churn(n=3000, seed=0):
    """Telecom customers and whether they left in the following month.

    Story: churn is a noisy outcome. Each customer's probability of leaving
    follows a logistic model: it falls with tenure and with a longer contract,
    and rises with the monthly bill and with every support call. The label is
    then a coin flip with that probability, so even a perfect model is wrong
    on a good share of customers. A model that memorises the training
    customers learns this noise; it is the reason the chapter separates
    training accuracy from accuracy on unseen customers.

    Parameters
    ----------
    n : int
        Number of customers.
    seed : int
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        ``tenure_months`` (1 to 72), ``monthly_charges_usd`` (20 to 120),
        ``support_calls`` (Poisson, mean 1.5), ``contract_months``
        (1, 12 or 24), ``churned`` (0 or 1, about 30% are 1).

    Examples
    --------
    >>> customers = make_churn(n=3000, seed=0)
    >>> customers.shape, round(float(customers.churned.mean()), 2)
    ((3000, 5), 0.3)
    """
    check_size("make_churn", n)
    rng = np.random.default_rng(seed)
    tenure = rng.integers(1, 73, size=n)
    charges = np.round(rng.uniform(20.0, 120.0, size=n), 2)
    calls = rng.poisson(1.5, size=n)
    contract = rng.choice([1, 12, 24], size=n, p=[0.5, 0.3, 0.2])
    logit = (
        0.3
        - 0.045 * tenure
        + 0.025 * (charges - 70.0)
        + 0.55 * calls
        - 1.4 * (contract > 1)
    )
    churned = draw_logistic(rng, logit)
    return pd.DataFrame(
        {
            "tenure_months": tenure,
            "monthly_charges_usd": charges,
            "support_calls": calls,
            "contract_months": contract,
            "churned": churned,
        }
    )


def make_feed(n=40000, seed=0):
    """Recommendations a music app showed, and whether the listener played them.

    Story: each row is one title that the app's home screen recommended to a
    listener. Whether the listener plays it follows a logistic model: it
    rises with how well the title's genre matches what the listener played
    before (``genre_match``), with the title's popularity, and a little with
    how active the listener is; it falls with the title's slot on the screen
    and with its age. About one recommendation in ten is played. A wrong
    recommendation costs the app almost nothing (the listener scrolls past);
    a missed good one costs a little engagement.

    What this builds in: the log-odds are linear in the features, so a
    logistic regression is the right model family here (chapter 3 says so).

    Parameters
    ----------
    n : int
        Number of recommendations.
    seed : int
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        ``listener_plays_per_week`` (a count), ``genre_match`` (0 to 1),
        ``popularity`` (0 to 1, a percentile), ``title_age_days`` (0 to
        3,649), ``slot`` (1 to 10) and ``played`` (0 or 1, about 10% are 1).

    Examples
    --------
    >>> feed = make_feed(n=20000, seed=0)
    >>> feed.shape, round(float(feed.played.mean()), 2)
    ((20000, 6), 0.09)
    """
    check_size("make_feed", n)
    rng = np.random.default_rng(seed)
    plays = rng.poisson(rng.gamma(2.0, 10.0, size=n))
    genre_match = np.round(rng.beta(2.0, 3.0, size=n), 3)
    popularity = np.round(rng.uniform(0.0, 1.0, size=n), 3)
    age = rng.integers(0, 3650, size=n)
    slot = rng.integers(1, 11, size=n)
    logit = (
        -4.45
        + 4.0 * genre_match
        + 1.2 * popularity
        + 0.25 * np.log1p(plays)
        - 0.12 * (slot - 1)
        - 0.15 * np.log1p(age / 30.0)
    )
    played = draw_logistic(rng, logit)
    return pd.DataFrame(
        {
            "listener_plays_per_week": plays,
            "genre_match": genre_match,
            "popularity": popularity,
            "title_age_days": age,
            "slot": slot,
            "played": played,
        }
    )
