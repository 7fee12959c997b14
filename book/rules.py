"""Hand-written rules: what a person writes instead of training a model.

A rule is an ordinary function. Some problems are solved exactly by one (a
shipping tariff); for others the best rule a person can write falls far short
of a learned model (handwritten digits). Chapter 1 measures both.
"""

from __future__ import annotations

import numpy as np

#: Upper edges of the weight bands, in kilograms. A parcel of exactly 1 kg is in the
#: second band.
WEIGHT_BAND_EDGES_KG = (1.0, 5.0, 10.0, 20.0)
#: Fee of each weight band in zone 1, in dollars (one more band than there are edges).
BAND_FEES_USD = (4.50, 7.90, 12.40, 19.90, 29.00)
#: Multiplier of the zone-1 fee for each delivery zone.
ZONE_FACTORS = {1: 1.0, 2: 1.2, 3: 1.5, 4: 2.0}


def shipping_fee(weight_kg, zone):
    """Fee of a parcel under the published tariff, in dollars.

    The fee is the fee of the parcel's weight band, times the factor of its
    delivery zone, rounded to the cent. This is the whole rule: it is exact by
    construction, which is the point of the comparison in chapter 1.

    Parameters
    ----------
    weight_kg : array-like of float
        Parcel weights in kilograms, non-negative.
    zone : array-like of int
        Delivery zones, each one of ``ZONE_FACTORS``.

    Returns
    -------
    numpy.ndarray of float
        Fees in dollars.

    Raises
    ------
    ValueError
        If a weight is negative or not finite, or a zone is unknown.

    Examples
    --------
    A parcel of exactly 1 kg is in the second band; zone 3 pays 1.5 times zone 1:

    >>> shipping_fee([0.5, 1.0, 12.0], [1, 1, 3]).tolist()
    [4.5, 7.9, 29.85]
    """
    weight = np.asarray(weight_kg, dtype=float)
    zone = np.asarray(zone)
    if not np.all(np.isfinite(weight)) or np.any(weight < 0):
        raise ValueError(
            "shipping_fee: weights must be finite and non-negative (kilograms)."
        )
    unknown = set(np.unique(zone).tolist()) - set(ZONE_FACTORS)
    if unknown:
        raise ValueError(
            f"shipping_fee: unknown zone(s) {sorted(unknown)}; zones are "
            f"{sorted(ZONE_FACTORS)}."
        )
    band = np.searchsorted(WEIGHT_BAND_EDGES_KG, weight, side="right")
    factor = np.vectorize(ZONE_FACTORS.__getitem__, otypes=[float])(zone)
    return np.round(np.asarray(BAND_FEES_USD)[band] * factor, 2)


#: Names of the columns that :func:`digit_features` returns.
DIGIT_FEATURES = ("ink", "top_minus_bottom", "left_minus_right", "centre_share")


def digit_features(images):
    """Four features of a digit image that a person would look at.

    Parameters
    ----------
    images : array-like, shape (n, 8, 8) or (n, 64)
        Grey-level images as in :func:`sklearn.datasets.load_digits`.

    Returns
    -------
    numpy.ndarray, shape (n, 4)
        Columns as in ``DIGIT_FEATURES``: the total ink; how much more ink
        lies in the top half than in the bottom half, and in the left half
        than in the right half (as shares of the ink); and the share of ink in
        the central 2x2 pixels (low for a 0, whose centre is a hole).

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> digits = load_digits()
    >>> digits.target[:2].tolist()
    [0, 1]
    >>> features = digit_features(digits.data[:2])
    >>> features.round(2).tolist()  # ink, top - bottom, left - right, centre share
    [[294.0, 0.07, 0.02, 0.0], [313.0, 0.04, -0.1, 0.2]]
    """
    imgs = np.asarray(images, dtype=float)
    if imgs.ndim == 2 and imgs.shape[1] == 64:
        imgs = imgs.reshape(-1, 8, 8)
    if imgs.ndim != 3 or imgs.shape[1:] != (8, 8):
        raise ValueError(
            f"digit_features: expected images of shape (n, 8, 8) or (n, 64), got "
            f"{np.shape(images)}."
        )
    ink = imgs.sum(axis=(1, 2))
    safe_ink = np.where(ink > 0, ink, 1.0)
    top_minus_bottom = (
        imgs[:, :4].sum(axis=(1, 2)) - imgs[:, 4:].sum(axis=(1, 2))
    ) / safe_ink
    left_minus_right = (
        imgs[:, :, :4].sum(axis=(1, 2)) - imgs[:, :, 4:].sum(axis=(1, 2))
    ) / safe_ink
    centre_share = imgs[:, 3:5, 3:5].sum(axis=(1, 2)) / safe_ink
    return np.column_stack([ink, top_minus_bottom, left_minus_right, centre_share])
