"""What an iBuyer's offers buy, and what the homes earn when they are resold.

An iBuyer prices homes with a model, offers the estimate less a fee, and
buys every home whose seller accepts. A seller accepts when the offer is at
least the least they would take, and the seller knows their home better
than the model does. So the homes bought are, more often than not, the ones
the model overvalued: the *winner's curse*. Chapter 3 measures it with
:func:`purchase_outcome` on :func:`book.data.make_housing`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def offers_less_fee(estimate_usd, fee):
    """The offer for each home: the model's estimate less a fee (a share of it).

    Examples
    --------
    >>> offers_less_fee([400_000, 250_000], fee=0.06).tolist()
    [376000.0, 235000.0]
    """
    if not 0.0 <= fee < 1.0:
        raise ValueError(f"fee must be a share in [0, 1), got {fee!r}.")
    return np.asarray(estimate_usd, dtype=float) * (1.0 - fee)


def purchase_outcome(
    estimate_usd, offer_usd, value_usd, reservation_usd, market_change=0.0
):
    """What a round of offers buys, and what the purchases earn on resale.

    A seller accepts when ``offer_usd >= reservation_usd``. Each home bought
    is resold at its value moved by ``market_change`` (``-0.05``: the market
    fell 5% while the iBuyer held it); its profit is the resale price less the
    offer paid. Fees and costs of holding other than the market's move are
    left out.

    Parameters
    ----------
    estimate_usd, offer_usd, value_usd, reservation_usd : arrays of float
        Per home: the model's estimate, the offer, the market value and the
        least the seller takes, in dollars.
    market_change : float
        How much prices moved between purchase and resale, as a share.

    Returns
    -------
    pandas.Series
        ``offers``, ``bought`` (counts), ``share_bought``,
        ``overvaluation_all`` and ``overvaluation_bought`` (the estimates'
        total error as a share of the total value, over all homes and over the
        homes bought), ``profit_per_home_usd``, ``profit_share`` (profit as a
        share of the money paid) and ``profit_usd`` (the total).

    Examples
    --------
    Two homes worth $300,000, one overvalued and one undervalued by $30,000;
    both sellers take $285,000 at least, and the offers are 5% below the
    estimates:

    >>> estimate, value = [330_000, 270_000], [300_000, 300_000]
    >>> offers = offers_less_fee(estimate, 0.05)
    >>> result = purchase_outcome(estimate, offers, value, [285_000, 285_000])
    >>> result[["bought", "overvaluation_all", "overvaluation_bought"]].tolist()
    [1.0, 0.0, 0.1]
    >>> float(result.profit_usd)  # bought for 313,500, resold for 300,000
    -13500.0
    """
    estimate, paid, value, least = (
        np.asarray(x, dtype=float)
        for x in (estimate_usd, offer_usd, value_usd, reservation_usd)
    )
    if not estimate.shape == paid.shape == value.shape == least.shape:
        raise ValueError("the four arrays must have one value per home each.")
    bought = paid >= least
    profit = value[bought] * (1.0 + market_change) - paid[bought]
    n_bought = int(bought.sum())
    return pd.Series(
        {
            "offers": estimate.size,
            "bought": n_bought,
            "share_bought": n_bought / estimate.size,
            "overvaluation_all": (estimate - value).sum() / value.sum(),
            "overvaluation_bought": (
                (estimate[bought] - value[bought]).sum() / value[bought].sum()
                if n_bought
                else 0.0
            ),
            "profit_per_home_usd": profit.mean() if n_bought else 0.0,
            "profit_share": profit.sum() / paid[bought].sum() if n_bought else 0.0,
            "profit_usd": profit.sum(),
        }
    )
