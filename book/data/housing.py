"""Homes, what they are worth, and what their sellers will take (chapter 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from book.data._common import check_size

#: Neighbourhoods and their typical price per square foot, in dollars.
NEIGHBOURHOODS = {
    "harbour": 420,
    "old town": 360,
    "riverside": 300,
    "university": 280,
    "midtown": 240,
    "suburbs": 190,
    "outskirts": 150,
    "industrial": 120,
}


def make_housing(n=6000, seed=0, condition_sd=0.10, max_discount=0.12):
    """Homes for sale: what a buyer can see, what each is worth, and the
    least its seller will take.

    Story: a home's market value is a smooth function of what a listing
    shows (neighbourhood, floor area, bedrooms, age, lot), times the effect
    of its condition, which no listing shows: a log-normal factor whose
    spread grows with the home's age, from 3% for a new home to
    ``0.03 + condition_sd`` for a 90-year-old one (old homes differ most in
    how well they were kept). So a price model that sees only the listing is
    wrong on every home by the condition's effect, and more wrong on old
    homes. ``value_usd`` is what the home sells for on the open market.

    Each seller knows their home's value and would take up to
    ``max_discount`` less (uniformly drawn) for a quick, certain sale:
    ``reservation_usd`` is the least they accept.

    What this builds in, and chapter 3 relies on: the seller knows what the
    model can't see, so a seller accepts an offer more often when the model
    overvalued their home. That is the winner's curse, and it happens with
    any model that sees less than the seller.

    Parameters
    ----------
    n : int
        Number of homes.
    seed : int
        Seed of the random generator.
    condition_sd : float
        How much more the condition's log-effect spreads for a 90-year-old
        home than for a new one (>= 0).
    max_discount : float
        The most a seller takes off the value for a quick sale, in [0, 1).

    Returns
    -------
    pandas.DataFrame
        ``neighbourhood`` (one of ``NEIGHBOURHOODS``), ``sqft`` (floor
        area, square feet), ``bedrooms`` (1 to 6), ``age_years`` (0 to 89),
        ``lot_sqft``, ``value_usd`` (market value, dollars) and
        ``reservation_usd`` (the least the seller takes, dollars).

    Examples
    --------
    >>> homes = make_housing(n=4000, seed=0)
    >>> homes.shape, bool((homes.reservation_usd <= homes.value_usd).all())
    ((4000, 7), True)
    >>> round(float(homes.value_usd.median()), -4)
    350000.0
    """
    check_size("make_housing", n)
    if not (np.isfinite(condition_sd) and condition_sd >= 0):
        raise ValueError(
            f"make_housing: condition_sd must be a number >= 0, got {condition_sd!r}."
        )
    if not 0.0 <= max_discount < 1.0:
        raise ValueError(
            f"make_housing: max_discount must be in [0, 1), got {max_discount!r}."
        )
    rng = np.random.default_rng(seed)
    neighbourhood = rng.choice(list(NEIGHBOURHOODS), size=n)
    sqft = np.round(rng.lognormal(np.log(1700.0), 0.35, size=n), -1)
    bedrooms = np.clip(np.round(sqft / 550 + rng.normal(0, 0.6, size=n)), 1, 6)
    age = rng.integers(0, 90, size=n)
    lot = np.round(sqft * rng.lognormal(np.log(2.5), 0.4, size=n), -1)
    per_sqft = np.array([NEIGHBOURHOODS[name] for name in neighbourhood])
    listed = (
        per_sqft
        * sqft
        * (1 - 0.004 * np.minimum(age, 60) + 0.002 * np.maximum(age - 60, 0))
        * (1 + 0.03 * (bedrooms - 3))
        * (lot / (2.5 * sqft)) ** 0.08
    )
    condition = rng.normal(0.0, 1.0, size=n) * (0.03 + condition_sd * age / 90)
    value = np.round(listed * np.exp(condition), -2)
    discount = rng.uniform(0.0, max_discount, size=n)
    return pd.DataFrame(
        {
            "neighbourhood": neighbourhood,
            "sqft": sqft,
            "bedrooms": bedrooms.astype(int),
            "age_years": age,
            "lot_sqft": lot,
            "value_usd": value,
            "reservation_usd": np.round(value * (1 - discount), -2),
        }
    )
