"""Parcels priced by a published tariff (chapter 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from book.data._common import check_size
from book.rules import ZONE_FACTORS, shipping_fee


def make_shipping(n=2000, seed=0):
    """Parcels and the fees the tariff charges for them.

    Story: a courier prices parcels with a published tariff
    (:func:`book.rules.shipping_fee`): a fee per weight band, times a factor
    per delivery zone. There is no noise at all: the fee is a fixed function
    of the two inputs, which a hand-written rule reproduces exactly.

    Parameters
    ----------
    n : int
        Number of parcels.
    seed : int
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        ``weight_kg`` (uniform between 0.05 and 30 kg), ``zone`` (1 to 4,
        uniform) and ``fee_usd`` (the tariff's fee, in dollars).

    Examples
    --------
    >>> parcels = make_shipping(n=100, seed=0)
    >>> parcels.head(3)
       weight_kg  zone  fee_usd
    0     19.127     1    19.90
    1      8.130     2    14.88
    2      1.277     2     9.48
    >>> bool((parcels.fee_usd == shipping_fee(parcels.weight_kg, parcels.zone)).all())
    True
    """
    check_size("make_shipping", n)
    rng = np.random.default_rng(seed)
    weight = np.round(rng.uniform(0.05, 30.0, size=n), 3)
    zone = rng.choice(sorted(ZONE_FACTORS), size=n)
    return pd.DataFrame(
        {"weight_kg": weight, "zone": zone, "fee_usd": shipping_fee(weight, zone)}
    )
