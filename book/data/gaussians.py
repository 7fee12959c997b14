"""Two classes of points drawn from Gaussians: the textbook case of chapter 4."""

from __future__ import annotations

import numpy as np
import pandas as pd

from book.data._common import check_size


def make_gaussian_classes(
    n=2000, n_features=20, separation=0.5, correlation=0.0, duplicated=0, seed=0
):
    """Two equally likely classes whose features are normal given the class.

    Story: a label is a fair coin. Given the label, each of ``n_features`` features
    is normal with unit variance and a mean of ``+separation / 2`` (label 1) or
    ``-separation / 2`` (label 0). With ``correlation=0`` and ``duplicated=0`` the
    features are independent given the label, exactly what naive Bayes assumes,
    and the best possible boundary is linear, so naive Bayes and logistic
    regression aim at the same boundary. Two ways to break the assumption:

    - ``correlation``: every pair of features is correlated by this much within a
      class (a common factor), so the evidence of the features overlaps;
    - ``duplicated``: the first two features are copied this many times more, as
      columns ``x21``, ``x22``... The copies add no information, but naive Bayes
      counts each copy as new evidence and overweights those two features;
      logistic regression can share their weight among the copies.

    Parameters
    ----------
    n : int
        Number of points.
    n_features : int
        Features before duplication.
    separation : float or sequence of float
        Distance between the class means along every feature (or along each, one
        number per feature), in standard deviations.
    correlation : float
        Within-class correlation of every pair of features, in [0, 1).
    duplicated : int
        Extra copies of the first two features.
    seed : int
        Seeds the draw.

    Returns
    -------
    pandas.DataFrame
        ``x1`` ... ``xK`` (the features) and ``label`` (0 or 1).

    Examples
    --------
    >>> frame = make_gaussian_classes(n=1000, n_features=3, duplicated=2, seed=0)
    >>> frame.columns.tolist()
    ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'label']
    >>> bool((frame["x4"] == frame["x1"]).all())
    True
    """
    check_size("make_gaussian_classes", n)
    check_size("make_gaussian_classes", n_features)
    if not 0 <= correlation < 1:
        raise ValueError(
            "make_gaussian_classes: correlation must lie in [0, 1), got "
            f"{correlation!r}."
        )
    if (
        isinstance(duplicated, bool)
        or not isinstance(duplicated, int)
        or duplicated < 0
    ):
        raise ValueError(
            "make_gaussian_classes: duplicated must be an integer >= 0, got "
            f"{duplicated!r}."
        )
    rng = np.random.default_rng(seed)
    label = rng.integers(0, 2, size=n)
    common = rng.standard_normal((n, 1))
    own = rng.standard_normal((n, n_features))
    noise = np.sqrt(correlation) * common + np.sqrt(1 - correlation) * own
    shift = np.broadcast_to(np.asarray(separation, dtype=float), (n_features,))
    X = noise + np.where(label[:, None] == 1, 0.5, -0.5) * shift
    copies = [X[:, :2]] * duplicated if n_features >= 2 else [X[:, :1]] * duplicated
    X = np.hstack([X, *copies])
    frame = pd.DataFrame(X, columns=[f"x{i + 1}" for i in range(X.shape[1])])
    frame["label"] = label
    return frame
