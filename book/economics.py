"""What a decision costs: building, running and getting it wrong.

Chapter 1 compares a person, a rule and a model as ways to make the same
decision many times. Each has a fixed cost to build and a cost per decision
(running it, plus the expected cost of its mistakes). ML pays off only past a
break-even volume, and only if its mistakes are cheap enough, or can be
deferred to a person.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Option:
    """One way to make a decision.

    Parameters
    ----------
    name : str
        What to call it in tables and legends.
    fixed_usd : float
        Cost to build it once (data, compute, people), in dollars.
    run_usd : float
        Cost to run one decision, in dollars.
    error_rate : float
        Share of decisions it gets wrong, in [0, 1].

    Examples
    --------
    >>> person = Option("person", fixed_usd=0, run_usd=0.40, error_rate=0.03)
    >>> round(person.unit_cost(cost_per_error_usd=1.5), 3)  # 0.40 + 3% of 1.50
    0.445
    >>> float(person.total_cost(10_000, cost_per_error_usd=1.5))
    4450.0
    """

    name: str
    fixed_usd: float
    run_usd: float
    error_rate: float

    def __post_init__(self):
        for field in ("fixed_usd", "run_usd"):
            value = getattr(self, field)
            if not (
                isinstance(value, (int, float)) and math.isfinite(value) and value >= 0
            ):
                raise ValueError(
                    f"Option {self.name!r}: {field} must be a finite number >= 0, got "
                    f"{value!r}."
                )
        if not (
            isinstance(self.error_rate, (int, float)) and 0.0 <= self.error_rate <= 1.0
        ):
            raise ValueError(
                f"Option {self.name!r}: error_rate must be in [0, 1], got "
                f"{self.error_rate!r}."
            )

    def unit_cost(self, cost_per_error_usd):
        """Cost of one decision: running it plus its expected mistakes, in dollars."""
        return self.run_usd + self.error_rate * cost_per_error_usd

    def total_cost(self, volume, cost_per_error_usd):
        """Cost of ``volume`` decisions, building included, in dollars."""
        volume = np.asarray(volume, dtype=float)
        return self.fixed_usd + volume * self.unit_cost(cost_per_error_usd)


def break_even_volume(a, b, cost_per_error_usd):
    """The number of decisions from which ``a`` costs less in total than ``b``, and
    stays cheaper.

    Usually ``a`` costs more to build and less per decision (a model against a
    person): its total cost starts higher and falls behind ``b``'s at the
    volume where the two are equal.

    Parameters
    ----------
    a, b : Option
        The two options.
    cost_per_error_usd : float
        What one wrong decision costs, in dollars.

    Returns
    -------
    float
        The volume at which the totals are equal, when ``a`` is cheaper beyond
        it; ``0.0`` when ``a`` costs no more than ``b`` at every volume (it is
        no dearer to build, and cheaper per decision); ``math.inf`` when ``a``
        is never cheaper for good (it is no cheaper per decision).

    Examples
    --------
    >>> person = Option("person", fixed_usd=0, run_usd=0.40, error_rate=0.03)
    >>> model = Option("ML model", fixed_usd=150_000, run_usd=0.002, error_rate=0.08)
    >>> round(break_even_volume(model, person, cost_per_error_usd=1.5))
    464396
    >>> break_even_volume(person, model, cost_per_error_usd=1.5)
    inf
    """
    per_a, per_b = a.unit_cost(cost_per_error_usd), b.unit_cost(cost_per_error_usd)
    if per_a >= per_b:
        return math.inf
    volume = (a.fixed_usd - b.fixed_usd) / (per_b - per_a)
    return float(max(volume, 0.0))


def cheapest_range(option, options, cost_per_error_usd):
    """The volumes at which ``option`` has the lowest total cost of ``options``.

    Total costs are straight lines in the volume, so the volumes where one
    option is cheapest form one interval.

    Parameters
    ----------
    option : Option
        The option to look at; it must be one of ``options``.
    options : sequence of Option
        Every option on the table.
    cost_per_error_usd : float
        What one wrong decision costs, in dollars.

    Returns
    -------
    tuple of float, or None
        ``(low, high)``: ``option`` is the cheapest (or tied) for volumes
        from ``low`` to ``high`` (``high`` may be ``math.inf``); ``None`` if
        it is never the cheapest.

    Examples
    --------
    >>> person = Option("person", fixed_usd=0, run_usd=0.40, error_rate=0.03)
    >>> rule = Option("keyword rule", fixed_usd=2_000, run_usd=0.0001, error_rate=0.25)
    >>> model = Option("ML model", fixed_usd=150_000, run_usd=0.002, error_rate=0.08)
    >>> low, high = cheapest_range(model, [person, rule, model], cost_per_error_usd=1.5)
    >>> round(low), high
    (584749, inf)
    """
    if option not in options:
        raise ValueError(f"cheapest_range: {option.name!r} is not one of the options.")
    low, high = 0.0, math.inf
    unit = option.unit_cost(cost_per_error_usd)
    for other in options:
        if other is option:
            continue
        other_unit = other.unit_cost(cost_per_error_usd)
        if (
            unit < other_unit
        ):  # option cheaper per decision: it wins from some volume on
            low = max(low, (option.fixed_usd - other.fixed_usd) / (other_unit - unit))
        elif (
            unit > other_unit
        ):  # dearer per decision: it wins, if at all, up to some volume
            high = min(high, (other.fixed_usd - option.fixed_usd) / (unit - other_unit))
        elif (
            option.fixed_usd > other.fixed_usd
        ):  # same per decision, dearer to build: never
            return None
    return (float(low), float(high)) if low <= high else None


def cheapest(options, volume, cost_per_error_usd):
    """The option with the lowest total cost for ``volume`` decisions (the first one
    on a tie).

    Examples
    --------
    >>> person = Option("person", fixed_usd=0, run_usd=0.40, error_rate=0.03)
    >>> model = Option("ML model", fixed_usd=150_000, run_usd=0.002, error_rate=0.08)
    >>> [cheapest([person, model], v, cost_per_error_usd=1.5).name for v in (1e4, 1e6)]
    ['person', 'ML model']
    """
    if not options:
        raise ValueError("cheapest: give at least one Option.")
    return min(
        options, key=lambda option: float(option.total_cost(volume, cost_per_error_usd))
    )


def deferral_curve(proba, y_true, cost_fp_usd, cost_fn_usd, cost_review_usd, rates):
    """Average cost per case when the riskiest cases go to a person.

    The model acts on its own where its expected cost is lowest: it predicts
    the positive class when ``proba * cost_fn > (1 - proba) * cost_fp`` (the
    cost-optimal threshold). The cases whose expected cost of that decision
    is highest are deferred to a person, who costs ``cost_review_usd`` per
    case and is assumed to decide correctly.

    Parameters
    ----------
    proba : array-like of float, shape (n,)
        The model's probability of the positive class, in [0, 1].
    y_true : array-like of {0, 1}, shape (n,)
        What was actually the case.
    cost_fp_usd, cost_fn_usd : float
        Cost of a false positive and of a false negative, in dollars.
    cost_review_usd : float
        Cost of a person reviewing one case, in dollars.
    rates : array-like of float
        Deferral rates to evaluate, each in [0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per rate: ``deferral_rate`` and ``cost_per_case_usd``.

    Examples
    --------
    The model misses the churner it gives 0.1; deferring its two riskiest cases
    catches that one, and costs less than deferring none or all:

    >>> proba, y_true = [0.1, 0.3, 0.8, 0.9], [1, 0, 1, 1]
    >>> deferral_curve(proba, y_true, cost_fp_usd=15, cost_fn_usd=80,
    ...                cost_review_usd=8, rates=[0, 0.5, 1])
       deferral_rate  cost_per_case_usd
    0            0.0              23.75
    1            0.5               4.00
    2            1.0               8.00
    """
    proba = np.asarray(proba, dtype=float)
    y_true = np.asarray(y_true)
    rates = np.asarray(rates, dtype=float)
    if proba.ndim != 1 or proba.shape != y_true.shape:
        raise ValueError(
            f"deferral_curve: proba and y_true must be 1-D and of the same length, "
            f"got shapes {proba.shape} and {y_true.shape}."
        )
    if not np.all((proba >= 0) & (proba <= 1)):
        raise ValueError("deferral_curve: proba must lie in [0, 1] (and not be NaN).")
    if not np.all(np.isin(y_true, [0, 1])):
        raise ValueError("deferral_curve: y_true must contain only 0 and 1.")
    if not np.all((rates >= 0) & (rates <= 1)):
        raise ValueError("deferral_curve: every rate must lie in [0, 1].")

    predict_positive = proba * cost_fn_usd > (1 - proba) * cost_fp_usd
    expected = np.where(
        predict_positive, (1 - proba) * cost_fp_usd, proba * cost_fn_usd
    )
    realised = np.where(predict_positive & (y_true == 0), cost_fp_usd, 0.0) + np.where(
        ~predict_positive & (y_true == 1), cost_fn_usd, 0.0
    )
    order = np.argsort(-expected, kind="stable")  # riskiest first
    # cost of the model's own decisions on the cases it keeps, for every cut-off k
    kept_cost = np.concatenate([np.cumsum(realised[order][::-1])[::-1], [0.0]])
    n = proba.size
    k = np.rint(rates * n).astype(int)
    cost = (k * cost_review_usd + kept_cost[k]) / n
    return pd.DataFrame({"deferral_rate": rates, "cost_per_case_usd": cost})
