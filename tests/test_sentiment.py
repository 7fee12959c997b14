"""book.sentiment: the labelled sentences, the split by review, and the label curves that
chapter 4 compares with VADER."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline

from book import corpora, sentiment


def test_labelled_sentences_drop_the_neutral_and_label_the_sides():
    amazon = sentiment.labelled_sentences("amazon")
    assert (amazon.loc[amazon.label == 1, "mean_rating"] > corpora.NEUTRAL_WITHIN).all()
    assert (amazon.loc[amazon.label == 0, "mean_rating"] < -corpora.NEUTRAL_WITHIN).all()
    all_rated = corpora.sentences("amazon")
    assert len(amazon) == int((all_rated.mean_rating.abs() > corpora.NEUTRAL_WITHIN).sum())


@pytest.mark.parametrize("seed", range(5))
def test_the_split_keeps_each_review_on_one_side(seed):
    amazon = sentiment.labelled_sentences("amazon")
    train, test = sentiment.split_by_source(amazon, 0.25, seed=seed)
    assert not set(train.source) & set(test.source)
    assert len(train) + len(test) == len(amazon)
    assert 0.15 < len(test) / len(amazon) < 0.35


def test_the_split_refuses_a_bad_share():
    with pytest.raises(ValueError, match="test_share"):
        sentiment.split_by_source(pd.DataFrame({"source": ["a"]}), 1.0)


def test_vader_ranks_amazon_well_without_labels():
    amazon = sentiment.labelled_sentences("amazon")
    assert roc_auc_score(amazon.label, sentiment.vader_scores(amazon.text)) > 0.8


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_few_labels_rank_far_worse_than_vader_and_more_labels_better(seed):
    """The chapter's curve: ten labels are far from VADER; the curve rises with labels."""
    amazon = sentiment.labelled_sentences("amazon")
    train, test = sentiment.split_by_source(amazon, 0.25, seed=seed)
    vader = roc_auc_score(test.label, sentiment.vader_scores(test.text))
    curve = sentiment.label_curve(
        lambda: make_pipeline(TfidfVectorizer(sublinear_tf=True),
                              LogisticRegression(max_iter=1000)),
        train.text, train.label, test.text, test.label, [10, 1000], draws=5, seed=seed)
    means = curve.groupby("labels")["auc"].mean()
    assert means[10] < vader - 0.15
    assert means[1000] > means[10] + 0.15


def test_label_curve_refuses_more_labels_than_rows():
    with pytest.raises(ValueError, match="only 3 training rows"):
        sentiment.label_curve(LogisticRegression, np.zeros((3, 1)), [0, 1, 0],
                              np.zeros((2, 1)), [0, 1], [5])


def test_catch_up_count():
    curve = pd.DataFrame({"labels": [10, 10, 100, 100, 1000], "auc": [.6, .7, .79, .81, .9]})
    assert sentiment.catch_up_count(curve, 0.8) == 100
    assert sentiment.catch_up_count(curve, 0.85) == 1000
    assert sentiment.catch_up_count(curve, 0.95) is None
