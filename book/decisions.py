"""Turning scores into decisions when mistakes cost money.

A classifier gives each case a score (a probability, if it is calibrated); a
threshold turns the scores into decisions. Chapter 3 picks the threshold by
what the two kinds of mistake cost (a false alarm, a miss), compares it with
the threshold that maximises F1, and reads off operating points such as
"the precision at a recall of at least 90%". Chapters 5 and 6 reuse these
helpers. Correct decisions cost nothing here: what a mistake costs is counted
against doing everything right.
"""

from __future__ import annotations

import math

import numpy as np

#: The thresholds the helpers search by default: 0.001 to 0.999 in steps of 0.001.
THRESHOLDS = np.round(np.linspace(0.001, 0.999, 999), 3)


def _labels_and_scores(y_true, scores):
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    if y.ndim != 1 or s.shape != y.shape:
        raise ValueError(
            "y_true and scores must be 1-D and of the same length, got shapes "
            f"{y.shape} and {s.shape}."
        )
    if y.size == 0 or not np.isin(y, (0, 1)).all():
        raise ValueError("y_true must hold at least one label, each 0 or 1.")
    if not np.isfinite(s).all():
        raise ValueError("scores must be finite numbers (no NaN or infinity).")
    return y.astype(int), s


def _costs(cost_fp_usd, cost_fn_usd):
    for name, value in (("cost_fp_usd", cost_fp_usd), ("cost_fn_usd", cost_fn_usd)):
        if not (
            isinstance(value, (int, float, np.floating, np.integer))
            and math.isfinite(value)
            and value >= 0
        ):
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}.")


def confusion_counts(y_true, scores, thresholds):
    """True and false positives and negatives when every score at or above a
    threshold is flagged.

    Parameters
    ----------
    y_true : array of 0 and 1
        The true labels (1: the case to catch, such as a fraud).
    scores : array of float
        The model's scores, higher for cases more likely to be 1.
    thresholds : float or array of float
        Where to draw the line: a case is flagged when its score >= threshold.

    Returns
    -------
    dict of numpy arrays
        ``tp``, ``fp``, ``fn`` and ``tn``, one value per threshold (arrays of
        the thresholds' shape).

    Examples
    --------
    >>> c = confusion_counts([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], [0.5, 0.3])
    >>> {k: v.tolist() for k, v in c.items()}
    {'tp': [1, 2], 'fp': [1, 1], 'fn': [1, 0], 'tn': [1, 1]}
    """
    y, s = _labels_and_scores(y_true, scores)
    t = np.asarray(thresholds, dtype=float)
    positives, negatives = np.sort(s[y == 1]), np.sort(s[y == 0])
    tp = positives.size - np.searchsorted(positives, t, side="left")
    fp = negatives.size - np.searchsorted(negatives, t, side="left")
    return {"tp": tp, "fp": fp, "fn": positives.size - tp, "tn": negatives.size - fp}


def cost_per_decision(y_true, scores, thresholds, cost_fp_usd, cost_fn_usd):
    """The average cost of a decision, in dollars, at each threshold.

    Each false alarm costs ``cost_fp_usd`` and each miss ``cost_fn_usd``;
    correct decisions cost nothing.

    Examples
    --------
    Four payments, one fraud; a miss costs $300 and a false alarm $5:

    >>> y, s = [0, 0, 0, 1], [0.05, 0.2, 0.6, 0.3]
    >>> cost_per_decision(y, s, [0.5, 0.1], cost_fp_usd=5, cost_fn_usd=300).tolist()
    [76.25, 2.5]
    """
    _costs(cost_fp_usd, cost_fn_usd)
    c = confusion_counts(y_true, scores, thresholds)
    total = c["fp"] * cost_fp_usd + c["fn"] * cost_fn_usd
    return total / len(np.asarray(y_true))


def cost_optimal_threshold(
    y_true, scores, cost_fp_usd, cost_fn_usd, thresholds=THRESHOLDS
):
    """The threshold, of ``thresholds``, with the lowest cost per decision (the
    lowest such threshold on a tie).

    Examples
    --------
    >>> y, s = [0, 0, 0, 1], [0.05, 0.2, 0.6, 0.3]
    >>> float(cost_optimal_threshold(y, s, cost_fp_usd=5, cost_fn_usd=300))
    0.201
    """
    t = np.asarray(thresholds, dtype=float)
    cost = cost_per_decision(y_true, scores, t, cost_fp_usd, cost_fn_usd)
    return float(t[int(np.argmin(cost))])


def bayes_threshold(cost_fp_usd, cost_fn_usd):
    """The threshold that minimises the expected cost when the scores are
    calibrated probabilities: flag a case when its probability ``p`` makes the
    expected cost of letting it pass (``p * cost_fn_usd``) at least that of
    flagging it (``(1 - p) * cost_fp_usd``), that is when
    ``p >= cost_fp_usd / (cost_fp_usd + cost_fn_usd)``.

    Examples
    --------
    >>> round(bayes_threshold(cost_fp_usd=5, cost_fn_usd=300), 4)
    0.0164
    >>> bayes_threshold(cost_fp_usd=1, cost_fn_usd=1)  # equal costs: 0.5
    0.5
    """
    _costs(cost_fp_usd, cost_fn_usd)
    if cost_fp_usd + cost_fn_usd == 0:
        raise ValueError("at least one of the two mistakes must cost something.")
    return cost_fp_usd / (cost_fp_usd + cost_fn_usd)


def precision_recall(y_true, scores, thresholds):
    """Precision and recall at each threshold (precision is 1.0 where nothing is
    flagged).

    Examples
    --------
    >>> p, r = precision_recall([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], [0.5, 0.3])
    >>> p.tolist(), r.tolist()
    ([0.5, 0.6666666666666666], [0.5, 1.0])
    """
    c = confusion_counts(y_true, scores, thresholds)
    flagged = c["tp"] + c["fp"]
    precision = np.where(flagged > 0, c["tp"] / np.maximum(flagged, 1), 1.0)
    positives = int(np.sum(np.asarray(y_true) == 1))
    recall = c["tp"] / max(positives, 1)
    return precision, recall


def f1_optimal_threshold(y_true, scores, thresholds=THRESHOLDS):
    """The threshold, of ``thresholds``, with the highest F1 score (the lowest
    such threshold on a tie). F1 weighs a false alarm and a miss alike,
    whatever they cost.

    Examples
    --------
    >>> float(f1_optimal_threshold([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9]))
    0.101
    """
    t = np.asarray(thresholds, dtype=float)
    precision, recall = precision_recall(y_true, scores, t)
    both = precision + recall
    f1 = np.divide(
        2 * precision * recall, both, out=np.zeros_like(both), where=both > 0
    )
    return float(t[int(np.argmax(f1))])


def operating_point(
    y_true, scores, *, min_recall=None, min_precision=None, thresholds=None
):
    """The operating point that meets a requirement: the highest threshold
    with recall >= ``min_recall``, or the lowest with precision >=
    ``min_precision`` (give exactly one).

    The thresholds searched are, by default, the distinct scores themselves,
    so that every operating point the model offers is a candidate.

    Returns
    -------
    dict
        ``threshold``, ``precision``, ``recall``, and ``false_alarms_per_hit``
        (false alarms per case caught). Raises ``ValueError`` if no threshold
        meets the requirement.

    Examples
    --------
    >>> y, s = [0, 0, 0, 1, 1], [0.1, 0.35, 0.6, 0.4, 0.9]
    >>> point = operating_point(y, s, min_recall=1.0)
    >>> point["threshold"], point["precision"], point["false_alarms_per_hit"]
    (0.4, 0.6666666666666666, 0.5)
    >>> operating_point(y, s, min_precision=1.0)["recall"]
    0.5
    """
    if (min_recall is None) == (min_precision is None):
        raise ValueError("give exactly one of min_recall and min_precision.")
    if thresholds is None:
        thresholds = np.unique(_labels_and_scores(y_true, scores)[1])
    t = np.asarray(thresholds, dtype=float)
    precision, recall = precision_recall(y_true, scores, t)
    if min_recall is not None:
        ok = np.flatnonzero(recall >= min_recall)
        index = ok[-1] if ok.size else None
    else:
        ok = np.flatnonzero(precision >= min_precision)
        index = ok[0] if ok.size else None
    if index is None:
        raise ValueError("no threshold meets the requirement.")
    c = confusion_counts(y_true, scores, t[index])
    return {
        "threshold": float(t[index]),
        "precision": float(precision[index]),
        "recall": float(recall[index]),
        "false_alarms_per_hit": float(c["fp"] / max(int(c["tp"]), 1)),
    }


def public_failures(exposure, error_rate, share_rate, days=1000, seed=0):
    """Simulate how many bad outputs users see and share, per day.

    Each of ``exposure`` outputs a day is bad with probability ``error_rate``,
    and a user who sees a bad one shares it with probability ``share_rate``.

    Returns
    -------
    numpy.ndarray
        The number of shared failures on each of ``days`` days.

    Examples
    --------
    >>> shared = public_failures(10_000_000, 1e-4, 0.01, days=200, seed=0)
    >>> round(float(shared.mean()))  # 10 million * 1e-4 * 1% = 10 a day
    10
    >>> float((public_failures(10_000, 1e-4, 0.01, days=200, seed=0) > 0).mean())
    0.015
    """
    if not (0 <= error_rate <= 1 and 0 <= share_rate <= 1):
        raise ValueError("error_rate and share_rate must be in [0, 1].")
    rng = np.random.default_rng(seed)
    return rng.binomial(int(exposure), error_rate * share_rate, size=days)
