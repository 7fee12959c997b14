"""book.economics: break-even volumes and the deferral curve."""

import math

import numpy as np
import pytest

from book.economics import Option, break_even_volume, cheapest_range, deferral_curve


def test_unit_and_total_cost():
    option = Option("model", fixed_usd=1000, run_usd=0.1, error_rate=0.2)
    assert option.unit_cost(cost_per_error_usd=2.0) == pytest.approx(0.5)
    np.testing.assert_allclose(option.total_cost([0, 10, 100], 2.0), [1000, 1005, 1050])


def test_break_even_volume_is_where_totals_meet():
    person = Option("person", fixed_usd=0, run_usd=1.0, error_rate=0.0)
    model = Option("model", fixed_usd=900, run_usd=0.1, error_rate=0.0)
    volume = break_even_volume(model, person, cost_per_error_usd=0.0)
    assert volume == pytest.approx(1000)
    assert model.total_cost(volume, 0.0) == pytest.approx(person.total_cost(volume, 0.0))
    # The person never becomes cheaper than the model for good: it costs more per decision.
    assert break_even_volume(person, model, 0.0) == math.inf


def test_break_even_counts_the_cost_of_errors():
    careful = Option("careful", fixed_usd=0, run_usd=1.0, error_rate=0.0)
    sloppy = Option("sloppy", fixed_usd=500, run_usd=0.0, error_rate=0.5)
    assert break_even_volume(sloppy, careful, 0.0) == pytest.approx(500)
    # At 2 dollars an error the sloppy one costs as much per decision: never worth building.
    assert break_even_volume(sloppy, careful, 2.0) == math.inf


def test_always_cheaper_is_zero_and_never_cheaper_is_infinite():
    # Chapter 1's session prompt: a model with (almost) no fixed cost is cheapest from the start.
    cheap = Option("cheap", fixed_usd=0, run_usd=0.1, error_rate=0.0)
    dear = Option("dear", fixed_usd=100, run_usd=0.2, error_rate=0.0)
    assert break_even_volume(cheap, dear, 0.0) == 0.0
    assert break_even_volume(dear, cheap, 0.0) == math.inf


def test_cheapest_range_splits_the_volumes_between_the_options():
    person = Option("person", fixed_usd=0, run_usd=1.0, error_rate=0.0)
    rule = Option("rule", fixed_usd=100, run_usd=0.5, error_rate=0.0)
    model = Option("model", fixed_usd=1000, run_usd=0.1, error_rate=0.0)
    options = [person, rule, model]
    assert cheapest_range(person, options, 0.0) == (0.0, pytest.approx(200))
    assert cheapest_range(rule, options, 0.0) == (pytest.approx(200), pytest.approx(2250))
    assert cheapest_range(model, options, 0.0) == (pytest.approx(2250), math.inf)
    # A rule that costs too much to build is never the cheapest.
    pricey_rule = Option("rule", fixed_usd=900, run_usd=0.5, error_rate=0.0)
    assert cheapest_range(pricey_rule, [person, pricey_rule, model], 0.0) is None
    # A model that costs nothing to build is the cheapest from the first decision.
    free_model = Option("model", fixed_usd=0, run_usd=0.1, error_rate=0.0)
    assert cheapest_range(free_model, [person, rule, free_model], 0.0) == (0.0, math.inf)
    with pytest.raises(ValueError, match="not one of the options"):
        cheapest_range(free_model, options, 0.0)


@pytest.mark.parametrize(
    "kwargs", [dict(fixed_usd=-1), dict(run_usd=float("nan")), dict(error_rate=1.5), dict(fixed_usd="10")]
)
def test_option_rejects_bad_values(kwargs):
    values = dict(name="x", fixed_usd=0, run_usd=0, error_rate=0) | kwargs
    with pytest.raises(ValueError):
        Option(**values)


def test_deferral_curve_endpoints():
    proba = np.array([0.9, 0.8, 0.3, 0.1, 0.6])
    y = np.array([1, 0, 1, 0, 0])
    curve = deferral_curve(proba, y, cost_fp_usd=1, cost_fn_usd=1, cost_review_usd=0.5, rates=[0, 1])
    # Threshold 0.5: predictions 1, 1, 0, 0, 1, so one false negative and two false positives.
    assert curve.cost_per_case_usd.tolist() == pytest.approx([3 / 5, 0.5])


def test_deferral_sends_the_riskiest_cases_first():
    proba = np.array([0.5, 0.99, 0.01])
    y = np.array([1, 1, 0])
    # The 0.5 case is the only uncertain one (and the only error): deferring it first removes the error.
    curve = deferral_curve(proba, y, 1, 1, cost_review_usd=0.1, rates=[0, 1 / 3])
    assert curve.cost_per_case_usd.tolist() == pytest.approx([1 / 3, 0.1 / 3])


def test_deferral_curve_has_an_interior_optimum_on_noisy_scores():
    rng = np.random.default_rng(0)
    proba = rng.uniform(size=5000)
    y = (rng.uniform(size=5000) < proba).astype(int)
    curve = deferral_curve(proba, y, 15, 80, 8, rates=np.linspace(0, 1, 51))
    best = curve.deferral_rate[curve.cost_per_case_usd.idxmin()]
    assert 0 < best < 1


@pytest.mark.parametrize(
    "proba, y, rates, message",
    [
        ([0.2, 0.5], [0, 1, 1], [0], "same length"),
        ([0.2, np.nan], [0, 1], [0], r"\[0, 1\]"),
        ([0.2, 1.5], [0, 1], [0], r"\[0, 1\]"),
        ([0.2, 0.5], [0, 2], [0], "only 0 and 1"),
        ([0.2, 0.5], [0, 1], [1.2], "every rate"),
    ],
)
def test_deferral_curve_rejects_bad_input(proba, y, rates, message):
    with pytest.raises(ValueError, match=message):
        deferral_curve(proba, y, 1, 1, 1, rates)
