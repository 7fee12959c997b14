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
