"""Online evaluation: the statistics of an A/B test on a click-through rate.

Chapter 6 ends its recommender where production evaluates one: two rankers, each
shown to a random half of the users, compared on the share of sessions with a click.

- :func:`lift_interval` estimates the difference in click-through rate between the
  arms, with a normal-approximation confidence interval;
- :func:`sample_size_per_arm` says how many users each arm needs to detect a given
  minimum effect with a given power;
- :func:`sample_ratio_mismatch` tests whether the arms' sizes are as the split
  intended (a chi-squared test): a mismatch means the assignment or the logging is
  broken, and no other result of the test can be trusted;
- :func:`peeking_false_positive_rate` simulates A/A tests (no true difference) checked
  every day, stopping at the first p-value below alpha: how often a team that peeks
  declares a winner that does not exist.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats


def _check_counts(clicks, n, name):
    if not (isinstance(n, (int, np.integer)) and n > 0):
        raise ValueError(
            f"{name}: the number of users must be a positive int, not {n!r}"
        )
    if not (isinstance(clicks, (int, np.integer)) and 0 <= clicks <= n):
        raise ValueError(
            f"{name}: clicks must be an int between 0 and the {n} users, not {clicks!r}"
        )


def lift_interval(clicks_a, n_a, clicks_b, n_b, confidence=0.95):
    """The difference in click-through rate, B minus A, with its confidence interval.

    The normal approximation to two independent proportions (a Wald interval),
    adequate for the thousands of users per arm of a web experiment.

    Returns
    -------
    dict
        ``rate_a``, ``rate_b``, ``lift`` (rate_b - rate_a), ``low`` and ``high`` (the
        interval's ends), ``relative_lift`` (lift / rate_a, NaN if rate_a is 0) and
        ``p_value`` (two-sided, from the pooled z-test of equal rates).

    Examples
    --------
    >>> result = lift_interval(1_000, 10_000, 1_100, 10_000)
    >>> round(result["lift"], 3), round(result["low"], 4), round(result["high"], 4)
    (0.01, 0.0015, 0.0185)
    >>> round(result["p_value"], 4)
    0.0211
    """
    _check_counts(clicks_a, n_a, "arm A")
    _check_counts(clicks_b, n_b, "arm B")
    if not 0 < confidence < 1:
        raise ValueError(
            f"confidence must lie strictly between 0 and 1, not {confidence!r}"
        )
    rate_a, rate_b = clicks_a / n_a, clicks_b / n_b
    lift = rate_b - rate_a
    se = math.sqrt(rate_a * (1 - rate_a) / n_a + rate_b * (1 - rate_b) / n_b)
    z = stats.norm.ppf(0.5 + confidence / 2)
    pooled = (clicks_a + clicks_b) / (n_a + n_b)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    p_value = 2 * stats.norm.sf(abs(lift) / se_pooled) if se_pooled > 0 else 1.0
    return {
        "rate_a": rate_a,
        "rate_b": rate_b,
        "lift": lift,
        "low": float(lift - z * se),
        "high": float(lift + z * se),
        "relative_lift": lift / rate_a if rate_a > 0 else float("nan"),
        "p_value": float(p_value),
    }


def sample_size_per_arm(baseline_rate, minimum_lift, alpha=0.05, power=0.8):
    """Users per arm to detect an absolute lift in a rate, two-sided, equal arms.

    The usual formula for two proportions,
    n = (z_{1-alpha/2} + z_{power})^2 (p1 (1 - p1) + p2 (1 - p2)) / lift^2,
    rounded up, with p2 = p1 + lift.

    Examples
    --------
    >>> sample_size_per_arm(0.10, 0.01)
    14749
    >>> sample_size_per_arm(0.10, 0.02) < sample_size_per_arm(0.10, 0.01) / 3
    True
    """
    if not 0 < baseline_rate < 1:
        raise ValueError(
            f"baseline_rate must lie strictly between 0 and 1, not {baseline_rate!r}"
        )
    if minimum_lift == 0 or not 0 < baseline_rate + minimum_lift < 1:
        raise ValueError(
            "minimum_lift must be non-zero and keep the rate between 0 and 1, "
            f"not {minimum_lift!r}"
        )
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError(
            f"alpha and power must lie in (0, 1), not {alpha!r}, {power!r}"
        )
    p1, p2 = baseline_rate, baseline_rate + minimum_lift
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return math.ceil(z**2 * (p1 * (1 - p1) + p2 * (1 - p2)) / minimum_lift**2)


def sample_ratio_mismatch(n_a, n_b, expected_share_a=0.5):
    """The p-value of a chi-squared test that the arms' sizes follow the intended split.

    A tiny p-value (a common alarm is below 0.001) says the split is not what was
    intended: users were lost or added unevenly, so the arms are no longer
    comparable.

    Examples
    --------
    >>> round(sample_ratio_mismatch(50_000, 50_200), 3)
    0.528
    >>> sample_ratio_mismatch(50_000, 51_500) < 0.001
    True
    """
    for n, name in ((n_a, "n_a"), (n_b, "n_b")):
        if not (isinstance(n, (int, np.integer)) and n >= 0):
            raise ValueError(f"{name} must be a non-negative int, not {n!r}")
    if not 0 < expected_share_a < 1:
        raise ValueError(
            f"expected_share_a must lie in (0, 1), not {expected_share_a!r}"
        )
    total = n_a + n_b
    if total == 0:
        raise ValueError("there are no users in either arm")
    expected = [total * expected_share_a, total * (1 - expected_share_a)]
    return float(stats.chisquare([n_a, n_b], expected).pvalue)


def peeking_false_positive_rate(
    rate=0.1, users_per_day=2_000, days=14, experiments=2_000, alpha=0.05, seed=0
):
    """How often A/A tests are declared significant when checked every day.

    Each simulated experiment has two arms with the same true rate. Every day
    each arm gains ``users_per_day`` users; the team runs the pooled z-test on
    the totals so far and stops at the first p-value below ``alpha``.

    Returns
    -------
    dict
        ``peeking``: the share of experiments declared significant on some day;
        ``once``: the share significant when tested once, on the last day (near
        ``alpha``, as it should be).

    Examples
    --------
    >>> result = peeking_false_positive_rate(experiments=500, seed=1)
    >>> result["peeking"] > 2 * result["once"]
    True
    """
    if days < 1 or users_per_day < 1 or experiments < 1:
        raise ValueError("days, users_per_day and experiments must be at least 1")
    rng = np.random.default_rng(seed)
    daily = rng.binomial(users_per_day, rate, size=(2, experiments, days))
    clicks = daily.cumsum(axis=2)
    n = users_per_day * np.arange(1, days + 1)
    pooled = clicks.sum(axis=0) / (2 * n)
    se = np.sqrt(pooled * (1 - pooled) * (2 / n))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (clicks[1] - clicks[0]) / n / se, 0.0)
    significant = 2 * stats.norm.sf(np.abs(z)) < alpha
    return {
        "peeking": float(significant.any(axis=1).mean()),
        "once": float(significant[:, -1].mean()),
    }


def mean_lift_interval(values_a, values_b, confidence=0.95):
    """The difference in a per-user mean, B minus A, with a Welch confidence interval.

    Use it when the unit that was randomised (a user) has a number, not a yes
    or no: a user's click-through rate over all their sessions. Treating every
    impression as an independent draw would understate the noise, since one
    user's impressions are alike.

    Returns
    -------
    dict
        ``mean_a``, ``mean_b``, ``lift`` (B - A), ``low`` and ``high`` (the
        interval), ``relative_lift`` (lift / mean_a), ``p_value`` (two-sided),
        ``sd`` (the pooled standard deviation of one user's value).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(0.30, 0.1, 2000), rng.normal(0.32, 0.1, 2000)
    >>> result = mean_lift_interval(a, b)
    >>> result["low"] > 0, round(result["lift"], 2)
    (True, 0.02)
    """
    a = np.asarray(values_a, dtype=float)
    b = np.asarray(values_b, dtype=float)
    if a.size < 2 or b.size < 2 or not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("each arm needs at least two finite values")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    lift = float(b.mean() - a.mean())
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    z = stats.norm.ppf(0.5 + confidence / 2)
    p_value = float(2 * stats.norm.sf(abs(lift) / se)) if se > 0 else float(lift == 0)
    return {
        "mean_a": float(a.mean()),
        "mean_b": float(b.mean()),
        "lift": lift,
        "low": float(lift - z * se),
        "high": float(lift + z * se),
        "relative_lift": lift / float(a.mean()) if a.mean() else float("nan"),
        "p_value": p_value,
        "sd": math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2),
    }


def sample_size_for_means(sd, minimum_lift, alpha=0.05, power=0.8):
    """Users per arm to detect a lift in a per-user mean, two-sided, equal arms.

    ``n = 2 (z_{1-alpha/2} + z_{power})^2 sd^2 / minimum_lift^2``, rounded up.

    Examples
    --------
    >>> sample_size_for_means(0.1, 0.01)  # a lift of a tenth of an SD
    1570
    """
    if not (sd > 0 and minimum_lift > 0):
        raise ValueError("sd and minimum_lift must be positive")
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError("alpha and power must be between 0 and 1")
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return math.ceil(2 * (z * sd / minimum_lift) ** 2)


def simulate_sessions(
    world,
    lists,
    arm,
    first_day,
    days,
    seed=0,
    visit_rate=0.5,
    novelty=0.0,
    novelty_days=3.0,
):
    """Users of two arms visit, see their list, and click, day after day.

    Every day each user visits with chance ``visit_rate`` and sees their
    list of the day; they look at slot ``k`` with chance
    :func:`book.data.marketplace.examination` and click with the world's
    :meth:`~book.data.marketplace.World.click_probability` on that day (tastes
    keep drifting). Arm 1's clicks get a *novelty* boost: ``novelty`` is added
    to the click logit on the first day, fading by ``exp(-t / novelty_days)``
    after ``t`` days, the curiosity a new design draws.

    Parameters
    ----------
    world : book.data.marketplace.World
    lists : array of int, shape (n_users, k) or (days, n_users, k)
        What each user sees: the same every day, or one list per day.
    arm : array of int, shape (n_users,)
        0 (A) or 1 (B) per user; -1 for users outside the test.
    first_day, days : int
        The calendar day the test starts (after the logged history), and how
        many days it runs.

    Returns
    -------
    pandas.DataFrame
        One row per visit: ``day`` (0 = the test's first day), ``user_id``,
        ``arm``, ``impressions`` (k), ``clicks``.

    Examples
    --------
    >>> from book.data.marketplace import make_marketplace
    >>> market = make_marketplace(n_users=200, n_items=60, seed=0)
    >>> lists = np.tile(np.arange(10), (200, 1))
    >>> arm = np.arange(200) % 2
    >>> visits = simulate_sessions(market.world, lists, arm, 42, days=3)
    >>> sorted(visits.columns), bool(visits.clicks.le(10).all())
    (['arm', 'clicks', 'day', 'impressions', 'user_id'], True)
    """
    from book.data.marketplace import examination

    lists = np.asarray(lists)
    if lists.ndim == 2:
        lists = np.broadcast_to(lists, (days,) + lists.shape)
    if lists.shape[0] != days:
        raise ValueError(f"lists has {lists.shape[0]} days, the test {days}")
    arm = np.asarray(arm)
    rng = np.random.default_rng(seed)
    k = lists.shape[2]
    look = examination(np.arange(k))
    frames = []
    for day in range(days):
        users = np.nonzero((rng.uniform(size=arm.size) < visit_rate) & (arm >= 0))[0]
        shown = lists[day][users]
        p = world.click_probability(users, shown, np.full(users.size, first_day + day))
        if novelty:
            boost = novelty * math.exp(-day / novelty_days) * (arm[users] == 1)
            logit = np.log(p / (1 - p)) + boost[:, None]
            p = 1 / (1 + np.exp(-logit))
        clicks = (rng.uniform(size=p.shape) < p * look).sum(axis=1)
        frames.append(
            pd.DataFrame(
                {
                    "day": day,
                    "user_id": users,
                    "arm": arm[users],
                    "impressions": k,
                    "clicks": clicks,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
