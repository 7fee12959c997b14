"""Generative and discriminative classifiers, and their learning curves.

A *generative* classifier models how the data of each class look, p(x | y), and
how common each class is, p(y); it classifies with Bayes' rule, and because it has
a model of x it can also draw new examples. A *discriminative* classifier models
p(y | x), the boundary, and nothing else. Chapter 4 pairs the two as Ng and Jordan
(2001) did: naive Bayes and logistic regression, which draw the same kind of
(linear) boundary and differ in how they fit it.

:class:`SharedVarianceNB` is Gaussian naive Bayes with one variance per feature,
shared by the classes: its boundary is linear, like logistic regression's.
(scikit-learn's ``GaussianNB`` gives each class its own variances, which bends the
boundary.) :func:`learning_curves` measures test error against the number of
training examples m over many random draws.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class SharedVarianceNB:
    """Gaussian naive Bayes with per-feature variances shared by the two classes.

    Each feature is modelled, given the class, as a normal distribution with the
    class's own mean and a variance common to both classes; the features are
    taken as independent given the class (the *naive* assumption). The log-odds are
    then linear in x, the same family as logistic regression.

    Parameters
    ----------
    var_floor : float
        Added to every variance, as a share of the mean feature variance, so that a
        feature that is constant in a small sample does not divide by zero.

    Examples
    --------
    >>> X = np.array([[0.0, 1.0], [0.2, 0.8], [2.0, 3.0], [2.2, 3.1]])
    >>> y = np.array([0, 0, 1, 1])
    >>> model = SharedVarianceNB().fit(X, y)
    >>> model.predict(np.array([[0.1, 0.9], [2.1, 3.0]])).tolist()
    [0, 1]
    >>> model.sample(3, np.random.default_rng(0))[0].shape
    (3, 2)
    >>> model.coef_.shape, model.intercept_.shape  # two classes: a linear boundary
    ((1, 2), (1,))
    """

    def __init__(self, var_floor=1e-3):
        self.var_floor = var_floor

    def fit(self, X, y):
        """Estimate the class shares, the class means and the shared variances."""
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        if X.ndim != 2 or y.shape != (X.shape[0],):
            raise ValueError(
                f"X must be 2-D and y 1-D of the same length, got {X.shape} and "
                f"{y.shape}."
            )
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError("y must hold at least two classes to fit a classifier.")
        index = np.searchsorted(self.classes_, y)
        self.prior_ = np.bincount(index) / len(y)
        self.mean_ = np.array(
            [X[index == k].mean(axis=0) for k in range(len(self.classes_))]
        )
        residual = X - self.mean_[index]
        floor = self.var_floor * max(float(X.var(axis=0).mean()), 1e-12)
        self.var_ = residual.var(axis=0) + floor
        if len(self.classes_) == 2:
            # The second class's log-odds are intercept_ + x @ coef_[0].
            self.coef_ = ((self.mean_[1] - self.mean_[0]) / self.var_)[None, :]
            self.intercept_ = np.array(
                [
                    np.log(self.prior_[1] / self.prior_[0])
                    - 0.5
                    * ((self.mean_[1] ** 2 - self.mean_[0] ** 2) / self.var_).sum()
                ]
            )
        return self

    def _joint_log_likelihood(self, X):
        X = np.asarray(X, dtype=float)
        squared = ((X[:, None, :] - self.mean_[None]) ** 2 / self.var_).sum(axis=2)
        return np.log(self.prior_) - 0.5 * squared

    def predict_proba(self, X):
        """p(y | x) by Bayes' rule, one column per class."""
        joint = self._joint_log_likelihood(X)
        joint -= joint.max(axis=1, keepdims=True)
        probability = np.exp(joint)
        return probability / probability.sum(axis=1, keepdims=True)

    def predict(self, X):
        """The most probable class of each row."""
        return self.classes_[np.argmax(self._joint_log_likelihood(X), axis=1)]

    def sample(self, n, rng):
        """Draw ``n`` new examples from the model: a class by its share, then each
        feature from its normal distribution, independently.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            The examples, shape (n, features), and their classes.
        """
        labels = rng.choice(len(self.classes_), size=n, p=self.prior_)
        noise = rng.standard_normal((n, self.mean_.shape[1]))
        return self.mean_[labels] + noise * np.sqrt(self.var_), self.classes_[labels]


def learning_curves(X, y, sizes, models, draws=20, seed=0):
    """Test error of each model against the number of training examples m.

    For every size m and every draw, m examples are drawn at random (again if they
    hold a single class) to train each model; all the others are the test set.
    Every model of a draw sees the same examples, so their errors pair up.

    Parameters
    ----------
    X, y : array-like
        The whole dataset.
    sizes : sequence of int
        The training sizes m, each smaller than the dataset.
    models : dict
        Name -> a function of no arguments that returns a fresh, unfitted model with
        ``fit`` and ``predict``.
    draws : int
        Random draws per size.
    seed : int
        Seeds the draws.

    Returns
    -------
    pandas.DataFrame
        One row per size, draw and model: ``m``, ``draw``, ``model``, ``error``.

    Examples
    --------
    >>> from book.data import make_gaussian_classes
    >>> frame = make_gaussian_classes(n=300, n_features=4, seed=0)
    >>> curves = learning_curves(
    ...     frame.drop(columns="label").to_numpy(), frame["label"].to_numpy(),
    ...     sizes=[10, 100], models={"naive Bayes": SharedVarianceNB}, draws=3)
    >>> curves.shape, sorted(curves["m"].unique().tolist())
    ((6, 4), [10, 100])
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if draws < 1 or not models:
        raise ValueError("learning_curves needs at least one draw and one model.")
    if max(sizes) >= len(y) or min(sizes) < 2:
        raise ValueError(
            f"sizes must lie between 2 and {len(y) - 1}, got {list(sizes)}."
        )
    rng = np.random.default_rng(seed)
    rows = []
    for m in sizes:
        for draw in range(draws):
            while True:
                order = rng.permutation(len(y))
                train, test = order[:m], order[m:]
                if len(np.unique(y[train])) > 1:
                    break
            for name, make in models.items():
                model = make().fit(X[train], y[train])
                error = float(np.mean(model.predict(X[test]) != y[test]))
                rows.append((m, draw, name, error))
    return pd.DataFrame(rows, columns=["m", "draw", "model", "error"])
