"""book.generative and make_gaussian_classes: the properties chapter 4 relies on.

- SharedVarianceNB is Gaussian naive Bayes with shared variances: its boundary is linear,
  its probabilities match Bayes' rule computed by hand, and its samples reproduce the
  means and variances it fitted, with independent features (what the chapter's figure
  shows);
- make_gaussian_classes meets naive Bayes's assumption by default, and breaks it on
  request (correlation, duplicated columns);
- on the duplicated features, naive Bayes ends with a higher error than logistic
  regression, and on the independent ones it does not (the chapter's learning curves);
- learning_curves pairs the models on the same draws.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from book import data, generative


def _xy(frame):
    return frame.drop(columns="label").to_numpy(), frame["label"].to_numpy()


def test_naive_bayes_matches_bayes_rule_by_hand():
    X, y = _xy(data.make_gaussian_classes(n=400, n_features=3, seed=1))
    model = generative.SharedVarianceNB(var_floor=0.0).fit(X, y)
    mean = np.array([X[y == k].mean(axis=0) for k in (0, 1)])
    var = np.concatenate([X[y == k] - mean[k] for k in (0, 1)]).var(axis=0)
    prior = np.bincount(y) / len(y)
    log_joint = [np.log(prior[k]) - 0.5 * ((X - mean[k]) ** 2 / var).sum(axis=1)
                 for k in (0, 1)]
    expected = 1 / (1 + np.exp(log_joint[0] - log_joint[1]))
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], expected, rtol=1e-9)


def test_naive_bayes_boundary_is_linear():
    X, y = _xy(data.make_gaussian_classes(n=300, n_features=2, seed=2))
    model = generative.SharedVarianceNB().fit(X, y)
    p = model.predict_proba(X)[:, 1]
    log_odds = np.log(p / (1 - p))
    design = np.c_[np.ones(len(X)), X]
    coef, *_ = np.linalg.lstsq(design, log_odds, rcond=None)
    np.testing.assert_allclose(design @ coef, log_odds, atol=1e-8)
    np.testing.assert_allclose(model.intercept_[0] + X @ model.coef_[0], log_odds, atol=1e-8)


def test_samples_reproduce_the_fit_with_independent_features():
    X, y = _xy(data.make_gaussian_classes(n=2000, n_features=2, separation=[2.0, 0.0],
                                          correlation=0.6, seed=0))
    model = generative.SharedVarianceNB().fit(X, y)
    drawn, labels = model.sample(20_000, np.random.default_rng(0))
    assert abs(labels.mean() - model.prior_[1]) < 0.02
    for k in (0, 1):
        np.testing.assert_allclose(drawn[labels == k].mean(axis=0), model.mean_[k], atol=0.05)
        assert abs(np.corrcoef(drawn[labels == k].T)[0, 1]) < 0.03
        assert np.corrcoef(X[y == k].T)[0, 1] > 0.5  # the data's own correlation


def test_generator_options():
    plain = data.make_gaussian_classes(n=3000, n_features=4, separation=1.0, seed=0)
    X, y = _xy(plain)
    np.testing.assert_allclose(X[y == 1].mean(axis=0) - X[y == 0].mean(axis=0), 1.0, atol=0.1)
    assert np.abs(np.corrcoef(X[y == 0].T)[np.triu_indices(4, 1)]).max() < 0.06
    correlated = _xy(data.make_gaussian_classes(n=3000, n_features=4, correlation=0.5, seed=0))
    within = np.corrcoef(correlated[0][correlated[1] == 0].T)[np.triu_indices(4, 1)]
    np.testing.assert_allclose(within, 0.5, atol=0.06)
    copied = data.make_gaussian_classes(n=50, n_features=3, duplicated=2, seed=0)
    assert list(copied.columns) == ["x1", "x2", "x3", "x4", "x5", "x6", "x7", "label"]
    assert (copied["x6"] == copied["x1"]).all() and (copied["x7"] == copied["x2"]).all()


@pytest.mark.parametrize("bad", [{"correlation": 1.0}, {"correlation": -0.1},
                                 {"duplicated": -1}, {"duplicated": 1.5}, {"n_features": 0}])
def test_generator_refuses_bad_options(bad):
    with pytest.raises(ValueError, match="make_gaussian_classes"):
        data.make_gaussian_classes(n=10, **bad)


def _models():
    return {"naive Bayes": generative.SharedVarianceNB,
            "logistic regression": lambda: make_pipeline(
                StandardScaler(), LogisticRegression(C=np.inf, max_iter=10_000))}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_copies_hurt_naive_bayes_but_not_logistic_regression(seed):
    """The chapter's copied-features set: naive Bayes ends far worse; on the independent
    set it ends no worse (both aim at the same best boundary)."""
    errors = {}
    for name, duplicated in [("independent", 0), ("copied", 10)]:
        X, y = _xy(data.make_gaussian_classes(n=2000, n_features=20, duplicated=duplicated,
                                              seed=seed))
        curve = generative.learning_curves(X, y, [192], _models(), draws=20, seed=seed)
        errors[name] = curve.groupby("model")["error"].mean()
    assert errors["copied"]["naive Bayes"] > errors["copied"]["logistic regression"] + 0.05
    assert errors["independent"]["naive Bayes"] < errors["independent"]["logistic regression"] + 0.01


def test_learning_curves_pair_the_models_on_the_same_draws():
    X, y = _xy(data.make_gaussian_classes(n=200, n_features=3, seed=0))
    twins = {"a": generative.SharedVarianceNB, "b": generative.SharedVarianceNB}
    curve = generative.learning_curves(X, y, [5, 50], twins, draws=4, seed=3)
    wide = curve.pivot_table(index=["m", "draw"], columns="model", values="error")
    assert (wide["a"] == wide["b"]).all()
    again = generative.learning_curves(X, y, [5, 50], twins, draws=4, seed=3)
    pd.testing.assert_frame_equal(curve, again)


@pytest.mark.parametrize("sizes", [[1, 10], [10, 200]])
def test_learning_curves_refuse_sizes_outside_the_data(sizes):
    X, y = _xy(data.make_gaussian_classes(n=200, n_features=3, seed=0))
    with pytest.raises(ValueError, match="sizes"):
        generative.learning_curves(X, y, sizes, _models(), draws=1)


def test_naive_bayes_needs_two_classes():
    with pytest.raises(ValueError, match="two classes"):
        generative.SharedVarianceNB().fit(np.zeros((3, 2)), np.zeros(3))
