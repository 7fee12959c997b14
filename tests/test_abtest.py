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
