"""book.ibuying: the winner's curse exists with an unbiased model, as chapter 3 says."""

import numpy as np
import pytest

from book import data, ibuying


def _unbiased_estimates(value, sd, seed):
    """Estimates right on average, wrong on each home by a noise the seller doesn't share."""
    rng = np.random.default_rng(seed)
    return value * (1 + rng.normal(0.0, sd, size=value.size))


def test_an_unbiased_model_overpays_for_the_homes_it_buys():
    homes = data.make_housing(n=20_000, seed=5)
    estimate = _unbiased_estimates(homes.value_usd.to_numpy(), 0.08, seed=5)
    result = ibuying.purchase_outcome(estimate, ibuying.offers_less_fee(estimate, 0.05), homes.value_usd,
                             homes.reservation_usd)
    assert abs(result.overvaluation_all) < 0.005
    assert result.overvaluation_bought > 0.04
    assert result.profit_usd < 0  # the 5% fee does not cover the curse


def test_a_perfect_model_earns_at_most_the_fee_and_never_loses():
    homes = data.make_housing(n=5000, seed=6)
    value = homes.value_usd.to_numpy()
    result = ibuying.purchase_outcome(value, ibuying.offers_less_fee(value, 0.05), value, homes.reservation_usd)
    assert result.overvaluation_bought == 0
    assert 0 < result.profit_share <= 0.05 / 0.95 + 1e-9


def test_a_falling_market_takes_its_share_of_every_home_held():
    homes = data.make_housing(n=4000, seed=7)
    estimate = _unbiased_estimates(homes.value_usd.to_numpy(), 0.05, seed=7)
    offers = ibuying.offers_less_fee(estimate, 0.06)
    steady = ibuying.purchase_outcome(estimate, offers, homes.value_usd, homes.reservation_usd)
    falling = ibuying.purchase_outcome(estimate, offers, homes.value_usd, homes.reservation_usd,
                              market_change=-0.05)
    bought = offers >= homes.reservation_usd
    assert falling.bought == steady.bought
    assert steady.profit_usd - falling.profit_usd == pytest.approx(
        0.05 * homes.value_usd[bought].sum())


def test_nothing_bought_reads_zero_not_nan():
    result = ibuying.purchase_outcome([100.0], [50.0], [100.0], [90.0])
    assert result.bought == 0 and result.profit_usd == 0 and result.profit_per_home_usd == 0


@pytest.mark.parametrize("call, message", [
    (lambda: ibuying.offers_less_fee([1.0], fee=1.2), "fee"),
    (lambda: ibuying.purchase_outcome([1.0, 2.0], [1.0], [1.0], [1.0]), "one value per home"),
])
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
