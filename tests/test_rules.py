"""book.rules: the hand-written rules."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from book import rules


def test_shipping_fee_bands_and_zones():
    # One parcel per band, in zone 1, and the band edges belong to the band above.
    weights = [0.5, 1.0, 4.99, 5.0, 9.0, 10.0, 19.9, 20.0, 30.0]
    fees = rules.shipping_fee(weights, [1] * len(weights))
    np.testing.assert_allclose(fees, [4.50, 7.90, 7.90, 12.40, 12.40, 19.90, 19.90, 29.00, 29.00])
    np.testing.assert_allclose(rules.shipping_fee([3.0] * 4, [1, 2, 3, 4]), [7.90, 9.48, 11.85, 15.80])


@pytest.mark.parametrize(
    "weights, zones, message",
    [([-1.0], [1], "non-negative"), ([np.nan], [1], "finite"), ([1.0], [7], "unknown zone")],
)
def test_shipping_fee_rejects_bad_input(weights, zones, message):
    with pytest.raises(ValueError, match=message):
        rules.shipping_fee(weights, zones)


def test_digit_features_shape_and_meaning():
    digits = load_digits()
    features = rules.digit_features(digits.data)
    assert features.shape == (len(digits.data), len(rules.DIGIT_FEATURES))
    np.testing.assert_array_equal(features, rules.digit_features(digits.images))
    np.testing.assert_allclose(features[:, 0], digits.data.sum(axis=1))
    # A zero has a hole in the middle: less of its ink is central than for a one.
    centre = features[:, rules.DIGIT_FEATURES.index("centre_share")]
    assert centre[digits.target == 0].mean() < centre[digits.target == 1].mean() / 2


def test_digit_features_rejects_wrong_shape_and_handles_blank_images():
    with pytest.raises(ValueError, match="shape"):
        rules.digit_features(np.zeros((3, 10)))
    blank = rules.digit_features(np.zeros((1, 8, 8)))
    assert np.all(np.isfinite(blank)) and blank[0, 0] == 0
