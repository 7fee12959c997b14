"""book.decisions: costs, thresholds and operating points, against brute force."""

import numpy as np
import pytest

from book import decisions


def _brute_counts(y, s, t):
    flagged = s >= t
    return {"tp": int((flagged & (y == 1)).sum()), "fp": int((flagged & (y == 0)).sum()),
            "fn": int((~flagged & (y == 1)).sum()), "tn": int((~flagged & (y == 0)).sum())}


def _noisy(n=3000, seed=0, prevalence=0.05):
    rng = np.random.default_rng(seed)
    y = (rng.uniform(size=n) < prevalence).astype(int)
    s = 1 / (1 + np.exp(-(rng.normal(size=n) + 2.0 * y - 3.0)))
    return y, s


def test_counts_agree_with_brute_force_at_every_threshold():
    y, s = _noisy()
    grid = np.array([0.0, 0.01, 0.05, 0.1, 0.3, 0.5, 0.9, 1.0])
    got = decisions.confusion_counts(y, s, grid)
    for i, t in enumerate(grid):
        assert {k: int(v[i]) for k, v in got.items()} == _brute_counts(y, s, t)
    # A score exactly at the threshold is flagged.
    assert int(decisions.confusion_counts([1, 0], [0.5, 0.2], 0.5)["tp"]) == 1


def test_cost_optimal_threshold_is_the_brute_force_minimum():
    y, s = _noisy(seed=1)
    costs = [decisions.cost_per_decision(y, s, t, 5, 300) for t in decisions.THRESHOLDS]
    best = decisions.cost_optimal_threshold(y, s, 5, 300)
    assert best == decisions.THRESHOLDS[int(np.argmin(costs))]


def test_on_calibrated_scores_the_formula_threshold_costs_about_the_minimum():
    # The property chapter 3 relies on: with calibrated probabilities, the cost-only
    # threshold is as good as the one searched on data.
    rng = np.random.default_rng(2)
    p = rng.beta(0.3, 20, size=200_000)
    y = (rng.uniform(size=p.size) < p).astype(int)
    formula = decisions.bayes_threshold(5, 300)
    searched = decisions.cost_optimal_threshold(y, p, 5, 300)
    cost = lambda t: float(decisions.cost_per_decision(y, p, t, 5, 300))  # noqa: E731
    assert cost(formula) <= 1.02 * cost(searched)
    assert abs(searched - formula) < 0.01


def test_f1_ignores_costs_and_sits_above_the_cheap_miss_threshold():
    y, s = _noisy(seed=3)
    t_f1 = decisions.f1_optimal_threshold(y, s)
    t_cost = decisions.cost_optimal_threshold(y, s, 5, 300)
    assert t_cost < t_f1
    p, r = decisions.precision_recall(y, s, decisions.THRESHOLDS)
    f1 = 2 * p * r / np.maximum(p + r, 1e-12)
    assert np.isclose(f1[list(decisions.THRESHOLDS).index(t_f1)], f1.max())


def test_operating_point_meets_the_requirement_at_the_highest_threshold():
    y, s = _noisy(seed=4)
    point = decisions.operating_point(y, s, min_recall=0.9)
    assert point["recall"] >= 0.9
    above = np.unique(s)[np.unique(s) > point["threshold"]]
    if above.size:  # the next threshold up misses the requirement
        _, r = decisions.precision_recall(y, s, above[0])
        assert r < 0.9
    c = _brute_counts(y, s, point["threshold"])
    assert point["false_alarms_per_hit"] == pytest.approx(c["fp"] / c["tp"])
    assert decisions.operating_point(y, s, min_precision=0.5)["precision"] >= 0.5


def test_public_failures_average_to_exposure_times_rates():
    days = decisions.public_failures(1_000_000, 1e-4, 0.05, days=2000, seed=1)
    assert days.mean() == pytest.approx(5.0, rel=0.05)


@pytest.mark.parametrize("call, message", [
    (lambda: decisions.confusion_counts([0, 1], [0.5], 0.5), "same length"),
    (lambda: decisions.confusion_counts([0, 2], [0.1, 0.5], 0.5), "each 0 or 1"),
    (lambda: decisions.confusion_counts([0, 1], [0.1, np.nan], 0.5), "finite"),
    (lambda: decisions.cost_per_decision([0, 1], [0.1, 0.9], 0.5, -1, 5), "cost_fp_usd"),
    (lambda: decisions.bayes_threshold(0, 0), "must cost something"),
    (lambda: decisions.operating_point([0, 1], [0.1, 0.9]), "exactly one"),
    (lambda: decisions.operating_point([0, 1], [0.1, 0.9], min_precision=2.0), "no threshold"),
    (lambda: decisions.public_failures(10, 2.0, 0.1), "in \\[0, 1\\]"),
])
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
