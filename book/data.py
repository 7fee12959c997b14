"""Seeded synthetic datasets.

Every function is deterministic for a given ``seed`` and returns pandas
objects. Each docstring tells the dataset's generative story: what the columns
mean, what signal and noise were put in, and which drift exists. Nothing is
downloaded; the chapters also use scikit-learn's bundled ``load_digits``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from book.rules import ZONE_FACTORS, shipping_fee


def _check_size(name, n, minimum=1):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        raise ValueError(f"{name}: n must be an integer >= {minimum}, got {n!r}.")


def make_shipping(n=2000, seed=0):
    """Parcels and the fees the tariff charges for them.

    Story: a courier prices parcels with a published tariff
    (:func:`book.rules.shipping_fee`): a fee per weight band, times a factor
    per delivery zone. There is no noise at all: the fee is a fixed function
    of the two inputs, which a hand-written rule reproduces exactly.

    Parameters
    ----------
    n : int
        Number of parcels.
    seed : int
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        ``weight_kg`` (uniform between 0.05 and 30 kg), ``zone`` (1 to 4,
        uniform) and ``fee_usd`` (the tariff's fee, in dollars).

    Examples
    --------
    >>> parcels = make_shipping(n=100, seed=0)
    >>> parcels.head(3)
       weight_kg  zone  fee_usd
    0     19.127     1    19.90
    1      8.130     2    14.88
    2      1.277     2     9.48
    >>> bool((parcels.fee_usd == shipping_fee(parcels.weight_kg, parcels.zone)).all())
    True
    """
    _check_size("make_shipping", n)
    rng = np.random.default_rng(seed)
    weight = np.round(rng.uniform(0.05, 30.0, size=n), 3)
    zone = rng.choice(sorted(ZONE_FACTORS), size=n)
    return pd.DataFrame(
        {"weight_kg": weight, "zone": zone, "fee_usd": shipping_fee(weight, zone)}
    )


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
    _check_size("make_churn", n)
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
    churned = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-logit))).astype(int)
    return pd.DataFrame(
        {
            "tenure_months": tenure,
            "monthly_charges_usd": charges,
            "support_calls": calls,
            "contract_months": contract,
            "churned": churned,
        }
    )


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
    _check_size("make_spam_stream", n_months)
    _check_size("make_spam_stream", n_per_month)
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


AD_CATEGORIES = ("fashion", "tech", "travel", "food", "finance")
DEVICES = ("mobile", "desktop", "tablet")


def make_ad_clicks(n=20000, seed=0, with_probability=False):
    """Ad impressions, what the advertiser bids per click, and whether the user clicked.

    Story: an ad platform shows one ad per impression. Whether a user clicks
    depends on the ad's quality and its slot on the page (lower slots are seen
    less), on how active the user is, and on five interactions with sharp
    edges that a straight line can't draw: tech ads appeal to users under 30
    and finance ads to users of 50 and over, food ads at lunch and dinner
    (12-13 h and 19-20 h), fashion ads on phones, travel ads of high quality
    (above 0.7). Clicks are Bernoulli draws (about 16% of impressions),
    so no model is perfect.

    What this builds in, and chapter 2 relies on: the interactions are steps
    on single features, which is what boosted trees draw best. So a
    gradient-boosting model ranks clicks best, a tiny neural network with a
    few units catches part of the interactions, and a logistic regression on
    the raw columns catches none. The bid, what the advertiser pays per click,
    is independent of everything else: ranking by expected revenue
    (probability times bid) and ranking by probability alone pick different
    impressions, whatever the model.

    Parameters
    ----------
    n : int
        Number of impressions.
    seed : int
        Seed of the random generator.
    with_probability : bool
        Also return ``click_probability``, the true probability each click was
        drawn with. A real platform never sees it; the chapter uses it to
        measure expected revenue without the noise of the draws.

    Returns
    -------
    pandas.DataFrame
        ``user_age`` (18 to 69), ``user_sessions_per_week`` (a count, 0 or
        more; about 6% of users have none), ``hour`` (0 to 23), ``device``
        (one of ``DEVICES``), ``ad_category`` (one of ``AD_CATEGORIES``),
        ``ad_quality`` (0 to 1), ``slot`` (1 to 5), ``bid_usd`` (> 0) and
        ``clicked`` (0 or 1); then
        ``click_probability`` if asked for.

    Examples
    --------
    >>> ads = make_ad_clicks(n=2000, seed=0, with_probability=True)
    >>> ads.shape, round(float(ads.clicked.mean()), 2)
    ((2000, 10), 0.16)
    >>> ads[["ad_category", "device", "bid_usd", "clicked"]].head(3)
      ad_category   device  bid_usd  clicked
    0     fashion  desktop     0.37        0
    1        tech   mobile     1.21        0
    2     finance   mobile     0.56        0
    """
    _check_size("make_ad_clicks", n)
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 70, size=n)
    sessions = rng.poisson(rng.gamma(2.0, 3.0, size=n))  # a count: many users have none
    hour = rng.integers(0, 24, size=n)
    device = rng.choice(DEVICES, size=n, p=[0.6, 0.3, 0.1])
    category = rng.choice(AD_CATEGORIES, size=n)
    quality = rng.uniform(0.0, 1.0, size=n)
    slot = rng.integers(1, 6, size=n)
    bid = np.round(rng.lognormal(mean=-0.5, sigma=0.6, size=n), 2) + 0.05
    meal_time = np.isin(hour, [12, 13, 19, 20])
    logit = (
        -3.1
        + 1.6 * quality
        - 0.35 * (slot - 1)
        + 0.24 * np.log1p(sessions)
        + np.where(category == "tech", np.where(age < 30, 2.2, -0.8), 0.0)
        + np.where(category == "finance", np.where(age >= 50, 2.0, -0.6), 0.0)
        + np.where(category == "food", np.where(meal_time, 2.2, -0.6), 0.0)
        + np.where(category == "fashion", np.where(device == "mobile", 1.6, -0.4), 0.0)
        + np.where((category == "travel") & (quality > 0.7), 1.8, 0.0)
    )
    probability = 1.0 / (1.0 + np.exp(-logit))
    clicked = (rng.uniform(size=n) < probability).astype(int)
    frame = pd.DataFrame(
        {
            "user_age": age,
            "user_sessions_per_week": sessions,
            "hour": hour,
            "device": device,
            "ad_category": category,
            "ad_quality": np.round(quality, 3),
            "slot": slot,
            "bid_usd": bid,
            "clicked": clicked,
        }
    )
    if with_probability:
        frame["click_probability"] = probability
    return frame


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
    _check_size("make_lending", n)
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
    repaid = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-logit))).astype(int)
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
