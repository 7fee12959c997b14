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
        (1, 12 or 24), ``churned`` (0 or 1, about a third are 1).
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


def make_spam_stream(n_months=12, n_per_month=500, drift_deg=8.0, start_deg=30.0,
                     label_noise=0.03, seed=0):
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
    """
    _check_size("make_spam_stream", n_months)
    _check_size("make_spam_stream", n_per_month)
    if not 0.0 <= label_noise < 0.5:
        raise ValueError(f"make_spam_stream: label_noise must be in [0, 0.5), got {label_noise!r}.")
    rng = np.random.default_rng(seed)
    month = np.repeat(np.arange(n_months), n_per_month)
    x = rng.standard_normal(size=(month.size, 2))
    angle = np.deg2rad(start_deg + drift_deg * month)
    score = x[:, 0] * np.cos(angle) + x[:, 1] * np.sin(angle)
    is_spam = (score > 0).astype(int)
    flip = rng.uniform(size=month.size) < label_noise
    is_spam = np.where(flip, 1 - is_spam, is_spam)
    return pd.DataFrame({"month": month, "x1": x[:, 0], "x2": x[:, 1], "is_spam": is_spam})
