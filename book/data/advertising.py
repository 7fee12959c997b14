"""Ad impressions and clicks (chapter 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from book.data._common import bernoulli, check_size


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
    check_size("make_ad_clicks", n)
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
    clicked = bernoulli(rng, probability)
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
