"""Sentiment on the human-rated sentences: a reused model against trained ones.

Chapter 4 asks how many labelled sentences a model trained from scratch needs to
catch up with VADER, an off-the-shelf sentiment model that needs none
(Hutto & Gilbert 2014); chapter 5 moves the same models from one domain to
another. The sentences and their ratings come from :mod:`book.corpora`.

- :func:`labelled_sentences` keeps the clearly positive and negative sentences of a
  domain, with a 0/1 label;
- :func:`vader_scores` scores texts with VADER (its ``compound`` score, -1 to +1);
- :func:`split_by_source` holds out whole reviews (or editorials), so that no
  review has sentences on both sides;
- :func:`label_curve` trains a model on more and more labelled sentences and
  measures its AUC on the held-out ones;
- :func:`catch_up_count` reads off the fewest labels that reach a target AUC.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from book import corpora


def labelled_sentences(domain):
    """The sentences of a domain whose raters agreed on a side, labelled.

    Sentences whose mean rating lies within :data:`book.corpora.NEUTRAL_WITHIN` of
    zero are dropped; the others get ``label`` 1 (positive) or 0 (negative).

    Returns
    -------
    pandas.DataFrame
        ``source``, ``text``, ``mean_rating`` and ``label``, in the corpus's order.

    Examples
    --------
    >>> amazon = labelled_sentences("amazon")
    >>> len(amazon), sorted(amazon["label"].unique().tolist())
    (2943, [0, 1])
    """
    frame = corpora.sentences(domain)
    side = corpora.polarity(frame["mean_rating"])
    kept = frame[side != "neutral"].reset_index(drop=True)
    kept["label"] = (side[side != "neutral"] == "positive").astype(int)
    return kept[["source", "text", "mean_rating", "label"]]


def vader_scores(texts):
    """VADER's compound score of each text, from -1 (negative) to +1 (positive).

    Examples
    --------
    >>> [round(float(s), 2) for s in vader_scores(["I love it.", "It broke. Awful."])]
    [0.64, -0.7]
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return np.array([analyzer.polarity_scores(text)["compound"] for text in texts])


def split_by_source(frame, test_share=0.25, seed=0):
    """Split rows into train and test by their ``source``: a review's sentences stay
    together, so a model is tested on reviews it never saw.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The training rows and the test rows, each with a fresh index.

    Examples
    --------
    >>> frame = pd.DataFrame({"source": list("aabbccdd"), "text": list("12345678")})
    >>> train, test = split_by_source(frame, test_share=0.25, seed=0)
    >>> len(train), len(test), set(train.source) & set(test.source)
    (6, 2, set())
    """
    if not 0 < test_share < 1:
        raise ValueError(
            f"test_share must lie strictly between 0 and 1, got {test_share!r}."
        )
    sources = np.array(sorted(frame["source"].unique()))
    np.random.default_rng(seed).shuffle(sources)
    held_out = set(sources[: max(1, round(test_share * len(sources)))])
    test = frame["source"].isin(held_out).to_numpy()
    return frame[~test].reset_index(drop=True), frame[test].reset_index(drop=True)


def label_curve(make_model, train_X, train_y, test_X, test_y, counts, draws=10, seed=0):
    """AUC on the test rows of a model trained on ``n`` labelled training rows, for
    each ``n`` of ``counts``, over ``draws`` random draws of the rows.

    Parameters
    ----------
    make_model : callable
        Returns a fresh model with ``fit`` and ``predict_proba``.
    train_X, test_X : sequence or array
        Inputs the model takes (texts, or a matrix of features); rows are indexed
        with a numpy array.
    train_y, test_y : array-like of 0/1
    counts : sequence of int
        Numbers of labelled rows, each at most the number of training rows.
    draws : int
    seed : int

    Returns
    -------
    pandas.DataFrame
        ``labels``, ``draw`` and ``auc``, one row per count and draw. A draw whose
        rows hold a single label is drawn again.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3)); y = (X[:, 0] > 0).astype(int)
    >>> curve = label_curve(LogisticRegression, X[:150], y[:150], X[150:], y[150:],
    ...                     counts=[10, 100], draws=2)
    >>> curve.shape, bool(curve.groupby("labels")["auc"].mean().is_monotonic_increasing)
    ((4, 3), True)
    """
    train_y, test_y = np.asarray(train_y), np.asarray(test_y)
    if max(counts) > len(train_y):
        raise ValueError(
            f"counts go up to {max(counts)}, but there are only {len(train_y)} "
            "training rows."
        )
    rng = np.random.default_rng(seed)
    rows = []
    for n in counts:
        for draw in range(draws):
            while True:
                pick = rng.choice(len(train_y), size=n, replace=False)
                if len(np.unique(train_y[pick])) == 2:
                    break
            model = make_model().fit(_rows(train_X, pick), train_y[pick])
            auc = _auc(test_y, model.predict_proba(test_X)[:, 1])
            rows.append((n, draw, auc))
    return pd.DataFrame(rows, columns=["labels", "draw", "auc"])


def _rows(X, index):
    if isinstance(X, (pd.Series, pd.DataFrame)):
        return X.iloc[index]
    if isinstance(X, np.ndarray) or hasattr(X, "tocsr"):
        return X[index]
    return [X[i] for i in index]


def _auc(y, scores):
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, scores))


def catch_up_count(curve, target):
    """The fewest labels whose mean AUC reaches ``target``, or None if no count does.

    Examples
    --------
    >>> curve = pd.DataFrame({"labels": [10, 10, 100, 100], "auc": [.6, .7, .8, .9]})
    >>> catch_up_count(curve, 0.8), catch_up_count(curve, 0.95)
    (100, None)
    """
    means = curve.groupby("labels")["auc"].mean().sort_index()
    reached = means.index[(means >= target).to_numpy()]
    return int(reached[0]) if len(reached) else None
