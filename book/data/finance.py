"""Money decisions: lending (chapter 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from book.data._common import check_size, draw_logistic


REGIONS = ("north", "east", "south", "west")


def make_lending(n=10000, seed=0, recording_bias=0.3):
    """Loan applicants, whether they repaid, and what the lender's records say.

    Story: whether an applicant repays depends only on income, debt ratio and
    credit history, through the same formula for both groups ``A`` and
    ``B``. But the lender's historical records are biased: a share
    ``recording_bias`` of group B's repaid loans were recorded as defaults
    (think of loans sold on or restructured, and booked as losses). A model
    trained on the records learns that group B is riskier than it is.
    ``region`` is a proxy: each applicant lives in one of their group's two
    home regions (south or west for B, north or east for A) with probability
    0.8, and otherwise in any of the four regions, home ones included; so
    0.8 + 0.2 / 2 = 90% of each group live in its home regions. Dropping the
    group column leaves the bias a way back in.

    The true outcome ``repaid`` is what an audit observes; chapter 2 trains on
    ``recorded_repaid`` and evaluates on ``repaid``.

    Parameters
    ----------
    n : int
        Number of applicants.
    seed : int
        Seed of the random generator.
    recording_bias : float
        Share of group B's repaid loans recorded as defaults, in [0, 1).

    Returns
    -------
    pandas.DataFrame
        ``income_k_usd``, ``debt_ratio`` (0 to 1), ``credit_history_years``,
        ``region`` (one of ``REGIONS``), ``group`` (A or B, about 30% B),
        ``repaid`` (true outcome, 0 or 1) and ``recorded_repaid`` (0 or 1).

    Examples
    --------
    Group B repays as often as group A, but its records say otherwise:

    >>> loans = make_lending(n=5000, seed=0)
    >>> loans.groupby("group")[["repaid", "recorded_repaid"]].mean().round(2)
           repaid  recorded_repaid
    group
    A        0.68             0.68
    B        0.69             0.47
    """
    check_size("make_lending", n)
    if not 0.0 <= recording_bias < 1.0:
        raise ValueError(
            f"make_lending: recording_bias must be in [0, 1), got {recording_bias!r}."
        )
    rng = np.random.default_rng(seed)
    group = rng.choice(["A", "B"], size=n, p=[0.7, 0.3])
    home = np.where(
        group == "A",
        rng.choice(["north", "east"], size=n),
        rng.choice(["south", "west"], size=n),
    )
    away = rng.choice(REGIONS, size=n)
    region = np.where(rng.uniform(size=n) < 0.8, home, away)
    income = np.round(rng.lognormal(mean=np.log(55), sigma=0.4, size=n), 1)
    debt = np.round(rng.beta(2.0, 4.0, size=n), 3)
    history = rng.integers(0, 30, size=n)
    logit = 0.6 + 0.035 * (income - 55) - 4.0 * (debt - 0.33) + 0.07 * (history - 10)
    repaid = draw_logistic(rng, logit)
    misrecorded = (
        (group == "B") & (repaid == 1) & (rng.uniform(size=n) < recording_bias)
    )
    return pd.DataFrame(
        {
            "income_k_usd": income,
            "debt_ratio": debt,
            "credit_history_years": history,
            "region": region,
            "group": group,
            "repaid": repaid,
            "recorded_repaid": np.where(misrecorded, 0, repaid),
        }
    )


MERCHANTS = ("grocery", "fuel", "restaurant", "online", "electronics", "travel")


def make_fraud(n=60000, seed=0):
    """Card payments and whether each one was fraud.

    Story: a card issuer sees each payment's amount, merchant type, hour,
    distance from the cardholder's home, whether the device is new to the
    card, how many payments on the card were declined in the last 24 hours,
    and the card's age. Fraud is rare (about 1% of payments). Its log-odds
    rise with the log of the amount, at online and electronics merchants
    (and less at travel ones), at night (0 to 5 h), the more so at night
    online, with distance, on a new device, with every recent decline, and
    on cards younger than 60 days. The label is a Bernoulli draw from that
    probability, so even a perfect model misses some fraud and flags some
    honest payments: what a mistake costs then decides where to draw the line.

    What this builds in: the log-odds are nearly additive in the log of the
    amount and distance, so a linear model on those features is almost as
    good as boosted trees; chapter 3 relies only on the scores being
    informative and rare positives, not on which model wins.

    Parameters
    ----------
    n : int
        Number of payments.
    seed : int
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        ``amount_usd`` (log-normal, median about $35), ``merchant`` (one of
        ``MERCHANTS``), ``hour`` (0 to 23), ``km_from_home`` (log-normal,
        median about 6 km), ``new_device`` (0 or 1, about 5% are 1),
        ``declines_24h`` (a count), ``card_age_days`` (1 to 3,649) and
        ``is_fraud`` (0 or 1, about 1% are 1).

    Examples
    --------
    >>> payments = make_fraud(n=20000, seed=0)
    >>> payments.shape, round(float(payments.is_fraud.mean()), 3)
    ((20000, 8), 0.011)
    >>> rates = payments.groupby("new_device").is_fraud.mean()
    >>> bool(rates[1] > 5 * rates[0])  # a new device is a strong signal
    True
    """
    check_size("make_fraud", n)
    rng = np.random.default_rng(seed)
    merchant = rng.choice(MERCHANTS, size=n, p=[0.3, 0.15, 0.2, 0.2, 0.08, 0.07])
    amount = np.round(rng.lognormal(np.log(35.0), 1.0, size=n), 2) + 0.5
    hour = rng.integers(0, 24, size=n)
    km = np.round(rng.lognormal(np.log(6.0), 1.2, size=n), 1)
    new_device = (rng.uniform(size=n) < 0.05).astype(int)
    declines = rng.poisson(0.15, size=n)
    card_age = rng.integers(1, 3650, size=n)
    night = hour < 6
    risky = np.isin(merchant, ["online", "electronics"])
    logit = (
        -8.6
        + 0.9 * np.log(amount / 35.0)
        + 1.4 * risky
        + 0.8 * (merchant == "travel")
        + 1.2 * night
        + 1.5 * (night & risky)
        + 1.0 * np.log1p(km / 6.0)
        + 3.0 * new_device
        + 1.6 * declines
        + 1.2 * (card_age < 60)
    )
    fraud = draw_logistic(rng, logit)
    return pd.DataFrame(
        {
            "amount_usd": amount,
            "merchant": merchant,
            "hour": hour,
            "km_from_home": km,
            "new_device": new_device,
            "declines_24h": declines,
            "card_age_days": card_age,
            "is_fraud": fraud,
        }
    )
