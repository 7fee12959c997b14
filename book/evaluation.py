"""Evaluating a sentiment model beyond its loss: top-k, calibration, human agreement.

Chapter 5 asks what a model's scores are good for once training is over:

- :func:`precision_recall_at_k` scores the k items a team can follow up each day;
- :func:`reliability_table` and :func:`expected_calibration_error` check whether
  a predicted probability of 0.8 comes true about 80% of the time;
- :func:`recalibrate` fits a map from scores to calibrated probabilities (Platt
  scaling or isotonic regression) on held-out labelled data;
- :func:`leave_one_out` and :func:`rater_agreement` measure how well one human
  rater of the VADER sentences (Hutto & Gilbert 2014) agrees with the others:
  the level an individual person reaches on these labels;
- :func:`agreement_split` sorts the sentences into those the raters agree on and
  those they do not, to compare a model's accuracy on the two.

The ratings come from :func:`book.corpora.ratings`; thresholds and precision at a
threshold are in :mod:`book.decisions`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from book.decisions import _labels_and_scores

#: The two groups of :func:`agreement_split`.
AGREE, DISAGREE = "raters agree", "raters disagree"


def precision_recall_at_k(y_true, scores, k):
    """Precision and recall when the ``k`` highest-scoring items are flagged.

    A support team that can follow up ``k`` items a day takes the ``k`` items
    with the highest scores. Precision@k is the share of those that are
    positives (label 1); recall is the share of all positives that are among
    them. To flag negative reviews with a positivity score (such as VADER's),
    pass the negated scores, ``-positivity``, and label the negative reviews 1.

    Ties are broken deterministically: among equal scores, the item that comes
    first in ``scores`` is flagged first (a stable sort on the score, highest
    first). So the result does not depend on chance, but it can depend on the
    order of the items when scores tie at the k-th place.

    Parameters
    ----------
    y_true : array of 0 and 1
        1 for the items to catch.
    scores : array of float
        Higher for items more likely to be 1.
    k : int
        How many items are flagged, from 1 to the number of items.

    Returns
    -------
    (float, float)
        Precision@k and recall. Recall is NaN if there is no positive at all.

    Raises
    ------
    ValueError
        If ``k`` is not an integer from 1 to n, the arrays differ in shape, or a
        label is not 0 or 1.

    Examples
    --------
    >>> precision_recall_at_k([0, 1, 1, 0, 1], [0.9, 0.8, 0.7, 0.2, 0.1], k=2)
    (0.5, 0.3333333333333333)
    >>> precision_recall_at_k([0, 1], [0.5, 0.5], k=1)  # the tie goes to the first
    (0.0, 0.0)
    """
    y, s = _labels_and_scores(y_true, scores)
    whole = isinstance(k, (int, np.integer)) and not isinstance(k, bool)
    if not (whole and 1 <= k <= y.size):
        raise ValueError(
            f"k must be an integer between 1 and the {y.size} items, got {k!r}."
        )
    order = np.argsort(-s, kind="stable")
    caught = int(y[order[:k]].sum())
    positives = int(y.sum())
    recall = caught / positives if positives else float("nan")
    return caught / k, recall


def _labels_and_probabilities(y_true, probabilities, bins):
    y, p = _labels_and_scores(y_true, probabilities)
    if ((p < 0) | (p > 1)).any():
        raise ValueError("probabilities must lie between 0 and 1.")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"bins must be an integer >= 1, got {bins!r}.")
    return y, p


def _bin_of(p, bins):
    # Bin i holds [i/bins, (i+1)/bins); the last bin also holds 1.0.
    return np.minimum((p * bins).astype(int), bins - 1)


def reliability_table(y_true, probabilities, bins=10):
    """How often the predicted probabilities come true, bin by bin.

    The interval [0, 1] is cut into ``bins`` bins of equal width; bin i holds
    the probabilities from i/bins up to, but not including, (i+1)/bins, and the
    last bin also holds 1.0. For calibrated probabilities the observed
    frequency of each bin is close to its mean predicted probability.

    Returns
    -------
    pandas.DataFrame
        One row per bin, empty bins included: ``low`` and ``high`` (the bin's
        range), ``count``, ``mean_probability`` (the mean predicted probability
        in the bin) and ``observed_frequency`` (the share of 1s in the bin);
        the last two are NaN for an empty bin.

    Raises
    ------
    ValueError
        If the shapes differ, a label is not 0 or 1, a probability lies outside
        [0, 1], or ``bins`` is not an integer >= 1.

    Examples
    --------
    >>> table = reliability_table([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], bins=2)
    >>> table.round(2).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'low': [0.0, 0.5], 'high': [0.5, 1.0], 'count': [2, 2],
     'mean_probability': [0.15, 0.8], 'observed_frequency': [0.0, 1.0]}
    """
    y, p = _labels_and_probabilities(y_true, probabilities, bins)
    which = _bin_of(p, bins)
    count = np.bincount(which, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.bincount(which, weights=p, minlength=bins) / count
        observed = np.bincount(which, weights=y, minlength=bins) / count
    edges = np.linspace(0, 1, bins + 1)
    return pd.DataFrame(
        {"low": edges[:-1], "high": edges[1:], "count": count,
         "mean_probability": mean_p, "observed_frequency": observed}
    )  # fmt: skip


def expected_calibration_error(y_true, probabilities, bins=10):
    """The expected calibration error (ECE): the count-weighted mean gap between
    predicted probability and observed frequency.

    With the bins of :func:`reliability_table`, n items and, in bin b, n_b items
    of mean predicted probability p_b and observed frequency f_b,

        ECE = sum over the non-empty bins of (n_b / n) * |p_b - f_b|.

    It is 0 for perfectly calibrated probabilities (up to sampling noise, which
    grows with the number of bins) and about d if every probability is off by
    d in the same direction. The measure is commonly used since Guo et al.
    (2017), "On Calibration of Modern Neural Networks", ICML, which reports it
    with 15 bins; the value depends on the number of bins.

    Examples
    --------
    >>> expected_calibration_error([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], bins=2)
    0.175
    """
    table = reliability_table(y_true, probabilities, bins)
    full = table[table["count"] > 0]
    gap = (full["mean_probability"] - full["observed_frequency"]).abs()
    return round(float((full["count"] * gap).sum() / full["count"].sum()), 12)


def recalibrate(train_scores, train_y, method="platt"):
    """A map from a model's scores to calibrated probabilities, fitted on
    labelled data the model was not trained on.

    ``"platt"`` (Platt scaling) fits a logistic regression of the label on the
    score, so the map is a sigmoid, smooth and increasing; ``"isotonic"`` fits
    scikit-learn's ``IsotonicRegression``, any non-decreasing step function,
    more flexible but hungrier for data; scores outside the training range get
    the probability of the nearest end (``out_of_bounds="clip"``).

    Pass the model's raw score (a logit, or VADER's compound score) rather than
    a probability already squashed by a sigmoid: Platt scaling fits a sigmoid of
    the score, which fits badly on a squashed one. Isotonic regression does not
    mind (it depends only on the order of the scores).

    Parameters
    ----------
    train_scores : array of float
        The model's scores on the calibration set (any real numbers).
    train_y : array of 0 and 1
        Their labels; both must occur.
    method : {"platt", "isotonic"}

    Returns
    -------
    callable
        ``calibrated(scores) -> numpy array`` of probabilities in [0, 1].

    Examples
    --------
    >>> calibrated = recalibrate([-2, -1, 0, 1, 2, 3], [0, 0, 1, 0, 1, 1], "isotonic")
    >>> calibrated([-5, 0.5, 10]).round(2).tolist()
    [0.0, 0.5, 1.0]
    """
    y, s = _labels_and_scores(train_y, train_scores)
    if len(np.unique(y)) < 2:
        raise ValueError("train_y must hold both labels, 0 and 1, to recalibrate.")
    if method == "platt":
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=1e6).fit(s.reshape(-1, 1), y)

        def calibrated(scores):
            x = np.asarray(scores, dtype=float).reshape(-1, 1)
            return model.predict_proba(x)[:, 1]

    elif method == "isotonic":
        from sklearn.isotonic import IsotonicRegression

        model = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(s, y)

        def calibrated(scores):
            return model.predict(np.asarray(scores, dtype=float).ravel())

    else:
        raise ValueError(f"method must be 'platt' or 'isotonic', got {method!r}.")
    return calibrated


def _ratings_lists(ratings_frame):
    if "ratings" not in ratings_frame or "id" not in ratings_frame:
        raise ValueError(
            "ratings_frame must have the columns 'id' and 'ratings' "
            "(as book.corpora.ratings(domain) returns)."
        )
    lists = [np.asarray(r, dtype=float) for r in ratings_frame["ratings"]]
    if not lists or min(len(r) for r in lists) < 2:
        raise ValueError("every sentence needs at least two raters.")
    return lists


def leave_one_out(ratings_frame):
    """Each rating next to the mean of the other ratings of the same sentence.

    Parameters
    ----------
    ratings_frame : pandas.DataFrame
        ``id`` and ``ratings`` (a list per sentence), as
        :func:`book.corpora.ratings` returns; every sentence needs two raters.

    Returns
    -------
    pandas.DataFrame
        One row per (sentence, rater): ``id``, ``rater`` (the rating's position
        in the list: raters are anonymous and differ from sentence to
        sentence), ``rating`` and ``others_mean``.

    Examples
    --------
    >>> toy = pd.DataFrame({"id": ["a", "b"], "ratings": [[1, 2, 3], [-1, -3]]})
    >>> leave_one_out(toy)["others_mean"].tolist()
    [2.5, 2.0, 1.5, -3.0, -1.0]
    """
    lists = _ratings_lists(ratings_frame)
    sizes = np.array([len(r) for r in lists])
    rating = np.concatenate(lists)
    totals = np.repeat([r.sum() for r in lists], sizes)
    return pd.DataFrame(
        {"id": np.repeat(ratings_frame["id"].to_numpy(), sizes),
         "rater": np.concatenate([np.arange(n) for n in sizes]),
         "rating": rating,
         "others_mean": (totals - rating) / np.repeat(sizes - 1, sizes)}
    )  # fmt: skip


def rater_agreement(ratings_frame, seed=0):
    """How well one human rater agrees with the other raters of the same sentences.

    Two Pearson correlations, each between a single rater's rating and the mean
    of the *other* raters of that sentence (leave-one-out, so the rater is not
    compared with a mean that contains their own rating):

    - ``all_pairs``: over all (sentence, rater) pairs; sentences with many
      raters weigh more;
    - ``one_per_sentence``: over the sentences, with one rater drawn at random
      per sentence (seeded by ``seed``); every sentence weighs the same, as
      for a model that rates each sentence once.

    This is the level an individual person reaches on these labels: a model
    whose correlation with the raters' mean is this high rates like one more
    rater. (Hutto & Gilbert 2014, Table 4, compare individual raters with the
    ground truth per domain; a ground truth that includes the rater's own
    rating raises the correlation a little.) The others' mean averages n - 1
    raters, not n, so it is a slightly noisier target than the mean a model is
    compared with.

    On the four domains (seed 0), ``all_pairs`` / ``one_per_sentence`` read:
    tweets 0.882 / 0.863, movies 0.887 / 0.886, Amazon 0.901 / 0.901, and the
    New York Times 0.713 / 0.713.

    ``with_own`` is the same correlation over all pairs, but against the mean of
    *all* the sentence's raters, the rater's own rating included. It reads
    0.888, 0.900, 0.911 and 0.745, which reproduces the individual raters'
    column of Hutto & Gilbert's Table 4 (0.888, 0.899, 0.911, 0.745) to within
    0.001: the paper's comparison evidently included the rater in the mean.

    Returns
    -------
    dict
        ``all_pairs``, ``one_per_sentence`` and ``with_own`` (floats),
        ``sentences`` and ``pairs`` (the numbers of sentences and of ratings).

    Examples
    --------
    >>> toy = pd.DataFrame({"id": ["a", "b", "c"],
    ...                     "ratings": [[2, 3, 4], [-2, -1, -3], [0, 1, -1]]})
    >>> agreement = rater_agreement(toy)
    >>> round(agreement["all_pairs"], 3), agreement["pairs"]
    (0.84, 9)
    """
    pairs = leave_one_out(ratings_frame)
    sizes = np.array([len(r) for r in ratings_frame["ratings"]])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    picked = starts + np.random.default_rng(seed).integers(0, sizes)
    rating, others = pairs["rating"].to_numpy(), pairs["others_mean"].to_numpy()
    means = np.repeat([np.mean(r) for r in ratings_frame["ratings"]], sizes)
    return {
        "all_pairs": float(np.corrcoef(rating, others)[0, 1]),
        "one_per_sentence": float(np.corrcoef(rating[picked], others[picked])[0, 1]),
        "with_own": float(np.corrcoef(rating, means)[0, 1]),
        "sentences": int(sizes.size),
        "pairs": int(rating.size),
    }


def agreement_split(ratings_frame, min_share=0.8):
    """Label each sentence "raters agree" or "raters disagree" on its side.

    The rule: the sentence's side is the sign of its mean rating; its
    ``share_on_side`` is the share of its raters whose rating is strictly on
    that side of zero (a rating of 0 is on neither side; a mean of exactly 0
    gives a share of 0). The raters agree when ``share_on_side >= min_share``.
    With the default 0.8, at least four raters in five put the sentence on the
    same side as the mean.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``mean_rating`` (the mean of the ratings), ``share_on_side``,
        ``sd_rating`` (their population standard deviation) and ``group``
        (``"raters agree"`` or ``"raters disagree"``), in the frame's order.

    Examples
    --------
    >>> toy = pd.DataFrame({"id": ["a", "b"],
    ...                     "ratings": [[2, 3, 1, 2, -1], [1, -1, 2, -2, 0]]})
    >>> agreement_split(toy)[["share_on_side", "group"]].values.tolist()
    [[0.8, 'raters agree'], [0.0, 'raters disagree']]
    """
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must lie in (0, 1], got {min_share!r}.")
    lists = _ratings_lists(ratings_frame)
    means = np.array([r.mean() for r in lists])
    share = np.array([np.mean(np.sign(r) == np.sign(m)) if m != 0 else 0.0
                      for r, m in zip(lists, means)])  # fmt: skip
    return pd.DataFrame(
        {"id": ratings_frame["id"].to_numpy(), "mean_rating": means,
         "share_on_side": share, "sd_rating": [r.std() for r in lists],
         "group": np.where(share >= min_share, AGREE, DISAGREE)}
    )  # fmt: skip
