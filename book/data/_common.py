"""What every generator of :mod:`book.data` shares."""

from __future__ import annotations

import numpy as np


def check_size(name, n, minimum=1):
    """Refuse a size that is not an integer of at least ``minimum``, naming the
    generator.

    Examples
    --------
    >>> check_size("make_fraud", 10)
    >>> check_size("make_fraud", 0)
    Traceback (most recent call last):
    ...
    ValueError: make_fraud: n must be an integer >= 1, got 0.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        raise ValueError(f"{name}: n must be an integer >= {minimum}, got {n!r}.")


def draw_logistic(rng, logit):
    """Draw 0/1 labels, each 1 with probability ``1 / (1 + exp(-logit))``: the
    generators' noisy outcomes (churn, repayment, fraud, plays).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> draw_logistic(rng, np.array([-20.0, 20.0])).tolist()
    [0, 1]
    >>> round(float(draw_logistic(rng, np.zeros(10_000)).mean()), 1)  # logit 0: half
    0.5
    """
    return bernoulli(rng, 1.0 / (1.0 + np.exp(-logit)))


def bernoulli(rng, probability):
    """Draw 0/1 labels, each 1 with its ``probability`` (one uniform draw each).

    Examples
    --------
    >>> bernoulli(np.random.default_rng(0), np.array([0.0, 1.0])).tolist()
    [0, 1]
    """
    probability = np.asarray(probability, dtype=float)
    return (rng.uniform(size=probability.shape) < probability).astype(int)
