"""book.abtest: the A/B test's statistics, against brute force and known values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from book import abtest


def test_the_interval_covers_the_true_lift_about_as_often_as_it_says():
    rng = np.random.default_rng(0)
    covered = 0
    for _ in range(2_000):
        a, b = rng.binomial(5_000, 0.10), rng.binomial(5_000, 0.11)
        result = abtest.lift_interval(int(a), 5_000, int(b), 5_000)
        covered += result["low"] <= 0.01 <= result["high"]
    assert 0.93 < covered / 2_000 < 0.97


def test_the_p_value_is_the_pooled_z_test():
    result = abtest.lift_interval(120, 1_000, 150, 1_000)
    pooled = 270 / 2_000
    z = 0.03 / math.sqrt(pooled * (1 - pooled) * 2 / 1_000)
    assert result["p_value"] == pytest.approx(2 * stats.norm.sf(z))
    assert result["relative_lift"] == pytest.approx(0.25)


def test_the_sample_size_gives_the_power_it_promises():
    n = abtest.sample_size_per_arm(0.10, 0.02, alpha=0.05, power=0.8)
    rng = np.random.default_rng(1)
    a, b = rng.binomial(n, 0.10, 4_000), rng.binomial(n, 0.12, 4_000)
    detected = np.mean([abtest.lift_interval(int(x), n, int(y), n)["p_value"] < 0.05
                        for x, y in zip(a, b)])
    assert 0.77 < detected < 0.83
    assert abtest.sample_size_per_arm(0.10, 0.01) > 3.5 * n  # a quarter of the effect


def test_a_sample_ratio_mismatch_is_caught_and_a_fair_split_is_not():
    assert abtest.sample_ratio_mismatch(50_000, 50_200) > 0.05
    assert abtest.sample_ratio_mismatch(50_000, 51_500) < 0.001
    assert abtest.sample_ratio_mismatch(20_000, 80_000, expected_share_a=0.2) == pytest.approx(1.0)


def test_peeking_inflates_false_positives_and_a_single_look_does_not():
    result = abtest.peeking_false_positive_rate(experiments=2_000, seed=0)
    assert 0.03 < result["once"] < 0.07
    assert result["peeking"] > 2.5 * result["once"]


@pytest.mark.parametrize("call, message", [
    (lambda: abtest.lift_interval(5, 4, 1, 10), "clicks"),
    (lambda: abtest.lift_interval(1, 0, 1, 10), "positive int"),
    (lambda: abtest.sample_size_per_arm(0.1, 0.0), "minimum_lift"),
    (lambda: abtest.sample_size_per_arm(1.2, 0.1), "baseline_rate"),
    (lambda: abtest.sample_ratio_mismatch(0, 0), "no users"),
    (lambda: abtest.sample_ratio_mismatch(10, 10, expected_share_a=1.0), "expected_share_a"),
])
def test_bad_input_gets_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# mean_lift_interval, sample_size_for_means, simulate_sessions


def test_the_mean_lift_interval_covers_the_true_difference_about_95_percent_of_the_time():
    rng = np.random.default_rng(2)
    covered = 0
    for _ in range(400):
        a, b = rng.exponential(0.30, 300), rng.exponential(0.33, 400)  # skewed, unequal arms and spreads
        result = abtest.mean_lift_interval(a, b)
        covered += result["low"] <= 0.03 <= result["high"]
    assert 0.92 <= covered / 400 <= 0.98, covered / 400


def test_the_mean_lift_interval_is_welchs_with_the_sign_of_b_minus_a():
    a, b = np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 4.0, 6.0])
    result = abtest.mean_lift_interval(a, b, confidence=0.90)
    se = math.sqrt(np.var(a, ddof=1) / 4 + np.var(b, ddof=1) / 3)
    assert result["mean_a"] == pytest.approx(2.5) and result["mean_b"] == pytest.approx(4.0)
    assert result["lift"] == pytest.approx(1.5)
    assert result["relative_lift"] == pytest.approx(0.6)
    z = stats.norm.ppf(0.95)
    assert (result["low"], result["high"]) == pytest.approx((1.5 - z * se, 1.5 + z * se))
    assert result["p_value"] == pytest.approx(2 * stats.norm.sf(1.5 / se))
    assert result["sd"] == pytest.approx(math.sqrt((np.var(a, ddof=1) + np.var(b, ddof=1)) / 2))
    swapped = abtest.mean_lift_interval(b, a, confidence=0.90)
    assert swapped["lift"] == pytest.approx(-1.5)
    assert (swapped["low"], swapped["high"]) == pytest.approx((-result["high"], -result["low"]))
    assert swapped["p_value"] == pytest.approx(result["p_value"])


def test_a_clear_mean_lift_has_an_interval_on_its_side_of_zero():
    rng = np.random.default_rng(3)
    up = abtest.mean_lift_interval(rng.normal(0.30, 0.1, 3000), rng.normal(0.32, 0.1, 3000))
    down = abtest.mean_lift_interval(rng.normal(0.32, 0.1, 3000), rng.normal(0.30, 0.1, 3000))
    assert 0 < up["low"] < up["lift"] < up["high"] and up["p_value"] < 0.001
    assert down["low"] < down["lift"] < down["high"] < 0 and down["p_value"] < 0.001


@pytest.mark.parametrize("a, b, kwargs, message", [
    ([1.0], [1.0, 2.0], {}, "at least two finite values"),
    ([1.0, 2.0], [], {}, "at least two finite values"),
    ([1.0, np.nan, 2.0], [1.0, 2.0], {}, "at least two finite values"),
    ([1.0, 2.0], [1.0, np.inf], {}, "at least two finite values"),
    ([1.0, 2.0], [1.0, 3.0], {"confidence": 1.0}, "confidence"),
    ([1.0, 2.0], [1.0, 3.0], {"confidence": 0.0}, "confidence"),
])
def test_mean_lift_interval_refuses_bad_input(a, b, kwargs, message):
    with pytest.raises(ValueError, match=message):
        abtest.mean_lift_interval(a, b, **kwargs)


def test_the_sample_size_for_means_is_the_formula():
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    assert abtest.sample_size_for_means(1.0, 0.2) == math.ceil(2 * z**2 / 0.04) == 393
    z90 = stats.norm.ppf(0.995) + stats.norm.ppf(0.9)
    assert abtest.sample_size_for_means(0.5, 0.05, alpha=0.01, power=0.9) == math.ceil(2 * (z90 * 10) ** 2)
    assert abtest.sample_size_for_means(1.0, 0.4) < abtest.sample_size_for_means(1.0, 0.2) / 3.5
    assert abtest.sample_size_for_means(2.0, 0.2) > 3.9 * abtest.sample_size_for_means(1.0, 0.2)


def test_the_sample_size_for_means_gives_the_power_it_promises():
    n = abtest.sample_size_for_means(1.0, 0.2)
    rng = np.random.default_rng(0)
    detected = np.mean([abtest.mean_lift_interval(rng.normal(0.0, 1.0, n), rng.normal(0.2, 1.0, n))["p_value"] < 0.05
                        for _ in range(1_000)])
    assert 0.74 <= detected <= 0.86, detected


@pytest.mark.parametrize("kwargs, message", [
    ({"sd": 0.0, "minimum_lift": 0.1}, "positive"),
    ({"sd": 1.0, "minimum_lift": -0.1}, "positive"),
    ({"sd": 1.0, "minimum_lift": 0.1, "alpha": 1.0}, "between 0 and 1"),
    ({"sd": 1.0, "minimum_lift": 0.1, "power": 0.0}, "between 0 and 1"),
])
def test_sample_size_for_means_refuses_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        abtest.sample_size_for_means(**kwargs)


@pytest.fixture(scope="module")
def small_market():
    from book.data import make_marketplace
    return make_marketplace(n_users=300, n_items=60, seed=0)


def test_simulated_sessions_are_the_same_for_a_seed_and_leave_out_users_outside_the_test(small_market):
    import pandas as pd

    lists = np.tile(np.arange(10), (300, 1))
    arm = np.arange(300) % 3 - 1  # -1, 0, 1
    first = abtest.simulate_sessions(small_market.world, lists, arm, 42, days=5, seed=7)
    pd.testing.assert_frame_equal(first, abtest.simulate_sessions(small_market.world, lists, arm, 42, days=5, seed=7))
    assert not first.equals(abtest.simulate_sessions(small_market.world, lists, arm, 42, days=5, seed=8))
    assert list(first.columns) == ["day", "user_id", "arm", "impressions", "clicks"]
    assert set(first.arm) == {0, 1}
    assert not first.user_id.isin(np.nonzero(arm == -1)[0]).any()
    np.testing.assert_array_equal(first.arm, arm[first.user_id])
    assert sorted(first.day.unique()) == [0, 1, 2, 3, 4]
    assert (first.impressions == 10).all() and first.clicks.between(0, 10).all()
    assert not first.duplicated(["day", "user_id"]).any(), "one visit per user and day"
    # about half of the 200 users in the test visit each day
    assert first.groupby("day").size().between(70, 130).all()
    assert first.clicks.sum() > 0


def test_novelty_lifts_arm_b_at_first_and_fades(small_market):
    import pandas as pd

    lists = np.tile(np.arange(10), (300, 1))
    arm = np.arange(300) % 2
    plain = abtest.simulate_sessions(small_market.world, lists, arm, 42, days=14, seed=3)
    novel = abtest.simulate_sessions(small_market.world, lists, arm, 42, days=14, seed=3, novelty=1.0)
    # the same seed draws the same visits and the same uniforms: only arm B's clicks can change, and only up
    pd.testing.assert_frame_equal(plain[["day", "user_id", "arm"]], novel[["day", "user_id", "arm"]])
    a = plain.arm == 0
    np.testing.assert_array_equal(plain.clicks[a], novel.clicks[a])
    assert (novel.clicks[~a] >= plain.clicks[~a]).all()
    extra = (novel.clicks - plain.clicks)[~a].groupby(plain.day[~a]).sum()
    assert extra[[0, 1, 2]].sum() > 40, extra.tolist()
    assert extra[[0, 1, 2]].sum() > 5 * max(extra[[11, 12, 13]].sum(), 1), extra.tolist()


def test_simulate_sessions_takes_one_list_per_day_and_refuses_the_wrong_number(small_market):
    arm = np.arange(300) % 2
    daily = np.stack([np.tile(np.arange(day, day + 10), (300, 1)) for day in range(3)])
    visits = abtest.simulate_sessions(small_market.world, daily, arm, 42, days=3)
    assert sorted(visits.day.unique()) == [0, 1, 2]
    with pytest.raises(ValueError, match="lists has 3 days, the test 4"):
        abtest.simulate_sessions(small_market.world, daily, arm, 42, days=4)
    with pytest.raises(ValueError, match="lists has 3 days, the test 2"):
        abtest.simulate_sessions(small_market.world, daily, arm, 42, days=2)
