"""A small recommender, stage by stage: retrieval, ranking, re-ranking, and its metrics.

Every function works on whole arrays of users at once (numpy), so that the
chapter's pipeline runs for thousands of users in well under a second:

- **History** (:func:`summarise`): what a window of the impressions log says,
  the click matrix and three retrievers fitted on it: popularity, item-to-item
  co-occurrence and matrix factorisation (TruncatedSVD).
- **Retrieval** (:func:`top_k`), measured by :func:`recall_at_k`.
- **Ranking features** (:func:`pair_features`) for a click model, measured by
  :func:`ndcg_at_k`.
- **Re-ranking** (:func:`rerank`): maximal marginal relevance over categories,
  a cap per provider, sponsored slots.
- **Offline metrics of a list**: :func:`coverage`, :func:`popularity_rank`,
  :func:`gini`, :func:`exposure`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.decomposition import TruncatedSVD

#: The columns of :func:`pair_features`, in order.
FEATURES = (
    "svd",
    "cooccurrence",
    "popularity",
    "item_ctr",
    "item_cvr",
    "category_share",
)


def category_codes(items):
    """Each item's category as a code: its place in
    :data:`book.data.marketplace.CATEGORIES` (books 0, music 1, ...), the groups that
    :func:`summarise` and :func:`rerank` take.

    Examples
    --------
    >>> items = pd.DataFrame({"category": ["music", "books", "beauty"]})
    >>> category_codes(items).tolist()
    [1, 0, 7]
    """
    from book.data.marketplace import CATEGORIES

    return items["category"].map(CATEGORIES.index).to_numpy().astype(int)


def distinct_per_list(lists, groups):
    """The mean, over the lists, of the number of distinct groups in each: how varied
    the lists are.

    Examples
    --------
    >>> distinct_per_list(np.array([[0, 1], [0, 2]]), np.array([5, 5, 6]))
    1.5
    """
    groups = np.asarray(groups)
    return float(np.mean([len(set(row)) for row in groups[np.asarray(lists)]]))


def click_matrix(log, n_users, n_items):
    """Users by items, 1 where the user clicked the item at least once in ``log``.

    Examples
    --------
    >>> log = pd.DataFrame({"user_id": [0, 0, 1], "item_id": [2, 2, 0],
    ...                     "clicked": [1, 1, 0]})
    >>> click_matrix(log, 2, 3).toarray().tolist()
    [[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
    """
    clicks = log[log["clicked"] == 1]
    matrix = sparse.csr_matrix(
        (np.ones(len(clicks)), (clicks["user_id"], clicks["item_id"])),
        shape=(n_users, n_items),
    )
    matrix.data[:] = 1.0  # duplicates were summed
    return matrix


@dataclass
class History:
    """What a window of the log says, and the retrievers fitted on it.

    Attributes
    ----------
    clicks : scipy.sparse.csr_matrix
        Users by items, 1 where the user clicked the item.
    shown, clicked, converted : ndarray
        Per item: impressions, clicks and purchases in the window.
    user_factors, item_factors : ndarray
        The matrix factorisation (TruncatedSVD) of ``clicks``.
    similarity : ndarray
        Items by items: the cosine similarity of their columns of ``clicks``
        (how often the same users click both), 0 on the diagonal.
    category_share : ndarray
        Users by categories: the share of each user's clicks in each category.
    """

    clicks: sparse.csr_matrix
    shown: np.ndarray
    clicked: np.ndarray
    converted: np.ndarray
    user_factors: np.ndarray
    item_factors: np.ndarray
    similarity: np.ndarray
    category_share: np.ndarray

    def scores(self, method, users=None):
        """Users by items: how much each retriever likes each item for each user.

        ``method`` is ``"popularity"`` (clicks in the window, the same for
        everybody), ``"cooccurrence"`` (the sum of the similarities with the
        user's clicked items) or ``"svd"`` (the factorisation's
        reconstruction). ``users`` (an array of ids) limits the rows to those
        users, in that order; by default, every user.
        """
        rows = slice(None) if users is None else np.asarray(users)
        if method == "popularity":
            n = self.clicks.shape[0] if users is None else len(rows)
            return np.broadcast_to(self.clicked.astype(float), (n, len(self.clicked)))
        if method == "cooccurrence":
            return np.asarray(self.clicks[rows] @ self.similarity)
        if method == "svd":
            return self.user_factors[rows] @ self.item_factors.T
        raise ValueError(
            f"unknown retriever {method!r}: use 'popularity', 'cooccurrence' or 'svd'"
        )


def summarise(log, n_users, n_items, item_category, n_components=16, seed=0):
    """Fit the three retrievers and the ranking features' statistics on ``log``.

    Parameters
    ----------
    log : pandas.DataFrame
        Impressions with ``user_id``, ``item_id`` and ``clicked``.
    n_users, n_items : int
    item_category : array of int, shape (n_items,)
        Each item's category as a code 0, 1, ...
    n_components : int
        Dimensions of the factorisation (at least 1, fewer than ``n_items``).
    seed : int
        TruncatedSVD's ``random_state``.

    Returns
    -------
    History

    Examples
    --------
    >>> log = pd.DataFrame({"user_id": [0, 0, 1, 1, 2], "item_id": [0, 1, 0, 1, 2],
    ...                     "clicked": [1, 1, 1, 1, 1]})
    >>> history = summarise(log, 3, 3, np.array([0, 0, 1]), n_components=2)
    >>> history.similarity.round(2).tolist()  # items 0 and 1: the same users
    [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    if not 1 <= n_components < n_items:
        raise ValueError(
            f"n_components must be between 1 and {n_items - 1}, got {n_components!r}"
        )
    clicks = click_matrix(log, n_users, n_items)
    shown = np.bincount(log["item_id"], minlength=n_items)
    clicked = np.bincount(log["item_id"], weights=log["clicked"], minlength=n_items)
    if "converted" in log:
        converted = np.bincount(
            log["item_id"], weights=log["converted"], minlength=n_items
        )
    else:
        converted = np.zeros(n_items)
    svd = TruncatedSVD(n_components=n_components, random_state=seed)
    user_factors = svd.fit_transform(clicks)
    counts = np.asarray(clicks.sum(axis=0)).ravel()
    norm = np.sqrt(np.maximum(counts, 1.0))
    similarity = np.asarray((clicks.T @ clicks).todense()) / np.outer(norm, norm)
    np.fill_diagonal(similarity, 0.0)
    n_categories = int(np.max(item_category)) + 1
    onehot = np.eye(n_categories)[item_category]
    per_category = np.asarray(clicks @ onehot)
    share = per_category / np.maximum(per_category.sum(axis=1, keepdims=True), 1.0)
    return History(
        clicks,
        shown,
        clicked,
        converted,
        user_factors,
        svd.components_.T,
        similarity,
        share,
    )


def top_k(scores, k, exclude=None):
    """Each row's ``k`` best columns, best first, leaving out ``exclude``'s nonzeros.

    Ties are broken by column, lowest first, so the result is deterministic.

    Examples
    --------
    >>> scores = np.array([[0.1, 0.9, 0.5], [0.3, 0.2, 0.1]])
    >>> top_k(scores, 2).tolist()
    [[1, 2], [0, 1]]
    >>> top_k(scores, 2, exclude=sparse.csr_matrix([[0, 1, 0], [0, 0, 0]])).tolist()
    [[2, 0], [0, 1]]
    """
    scores = np.array(scores, dtype=float)
    if exclude is not None:
        rows, cols = exclude.nonzero()
        scores[rows, cols] = -np.inf
    if not 1 <= k <= scores.shape[1]:
        raise ValueError(f"k must be between 1 and {scores.shape[1]}, got {k!r}")
    order = np.argsort(-scores, axis=1, kind="stable")
    return order[:, :k]


def relevant_matrix(log, n_users, n_items, exclude=None):
    """Users by items, True where the user clicked the item in ``log`` and
    ``exclude`` (the training clicks) does not already hold it: what a list
    should find.

    Examples
    --------
    >>> log = pd.DataFrame({"user_id": [0, 0], "item_id": [1, 2], "clicked": [1, 1]})
    >>> seen = sparse.csr_matrix([[0, 0, 1]])
    >>> relevant_matrix(log, 1, 3, exclude=seen).tolist()
    [[False, True, False]]
    """
    relevant = click_matrix(log, n_users, n_items).toarray() > 0
    if exclude is not None:
        relevant &= ~(exclude.toarray() > 0)
    return relevant


def recall_at_k(lists, relevant):
    """The mean over users with something relevant of the share of it found in
    their list.

    Parameters
    ----------
    lists : array of int, shape (n_users, k)
    relevant : array of bool, shape (n_users, n_items)

    Examples
    --------
    >>> relevant = np.array([[True, True, False], [False, False, False]])
    >>> recall_at_k(np.array([[0, 2], [1, 2]]), relevant)  # user 1 has none
    0.5
    """
    lists, relevant = np.asarray(lists), np.asarray(relevant, dtype=bool)
    counts = relevant.sum(axis=1)
    users = counts > 0
    if not users.any():
        raise ValueError("no user has a relevant item: recall is undefined")
    hits = np.take_along_axis(relevant, lists, axis=1).sum(axis=1)
    return float((hits[users] / counts[users]).mean())


def ndcg_at_k(lists, relevant, k=10):
    """Mean NDCG@k with 0/1 relevance, over users with something relevant.

    A hit in slot ``i`` (0-based) is worth ``1 / log2(i + 2)``; the sum is
    divided by the best possible sum, all relevant items on top.

    Examples
    --------
    >>> relevant = np.array([[False, True, False]])
    >>> ndcg_at_k(np.array([[1, 0, 2]]), relevant, k=3)
    1.0
    >>> round(ndcg_at_k(np.array([[0, 1, 2]]), relevant, k=3), 3)  # one slot down
    0.631
    """
    lists, relevant = np.asarray(lists)[:, :k], np.asarray(relevant, dtype=bool)
    counts = relevant.sum(axis=1)
    users = counts > 0
    if not users.any():
        raise ValueError("no user has a relevant item: NDCG is undefined")
    discount = 1.0 / np.log2(np.arange(lists.shape[1]) + 2.0)
    gains = np.take_along_axis(relevant, lists, axis=1) @ discount
    ideal = np.cumsum(discount)[np.minimum(counts, lists.shape[1]) - 1]
    return float((gains[users] / ideal[users]).mean())


def pair_features(history, users, items, item_category):
    """Features of each (user, candidate) pair, for a click model.

    Parameters
    ----------
    history : History
    users : array of int, shape (n,)
    items : array of int, shape (n, k)
        Each user's candidates.
    item_category : array of int, shape (n_items,)

    Returns
    -------
    pandas.DataFrame
        One row per pair, row-major (user by user), with ``FEATURES``:
        the factorisation's and the co-occurrence's scores, each standardised
        over the user's row of all items (so that a longer history, which
        makes raw scores larger, does not shift them); the log of the item's
        share of the clicks; the item's click rate and the share of its clicks
        that became purchases, each smoothed towards the mean; and the share
        of the user's clicks in the item's category. None of them grows with
        the length of the history, so a model trained on features of four
        weeks can score features of five.

    Examples
    --------
    >>> log = pd.DataFrame({"user_id": [0, 1], "item_id": [0, 1], "clicked": [1, 0]})
    >>> history = summarise(log, 2, 3, np.array([0, 1, 1]), n_components=1)
    >>> features = pair_features(history, np.array([0]), np.array([[0, 2]]),
    ...                          np.array([0, 1, 1]))
    >>> features.shape, features["category_share"].tolist()
    ((2, 6), [1.0, 0.0])
    """
    users = np.asarray(users)
    items = np.asarray(items)
    svd = _standardised(history, "svd", users, items)
    cooc = _standardised(history, "cooccurrence", users, items)
    prior = history.clicked.sum() / max(history.shown.sum(), 1)
    ctr = (history.clicked + 20 * prior) / (history.shown + 20)
    share = np.take_along_axis(history.category_share[users], item_category[items], 1)
    buy_prior = history.converted.sum() / max(history.clicked.sum(), 1)
    cvr = (history.converted + 10 * buy_prior) / (history.clicked + 10)
    click_share = (history.clicked + 1) / (history.clicked.sum() + len(history.clicked))
    return pd.DataFrame(
        {
            "svd": svd.ravel(),
            "cooccurrence": cooc.ravel(),
            "popularity": np.log(click_share[items]).ravel(),
            "item_ctr": ctr[items].ravel(),
            "item_cvr": cvr[items].ravel(),
            "category_share": share.ravel(),
        }
    )


def _standardised(history, method, users, items):
    """Each (user, item) score of ``method`` as standard deviations from the user's
    mean over all items."""
    unique, row = np.unique(np.asarray(users), return_inverse=True)
    scores = np.asarray(history.scores(method, unique), dtype=float)
    mean = scores.mean(axis=1, keepdims=True)
    sd = scores.std(axis=1, keepdims=True)
    z = (scores - mean) / np.where(sd > 0, sd, 1.0)
    return z[row.reshape(-1)[:, None], items]


def rerank(candidates, relevance, groups, k=10, diversity=0.0, cap=None):
    """Pick ``k`` of each user's candidates greedily, trading relevance for variety.

    At each step the next item is the candidate with the highest
    ``(1 - diversity) * relevance - diversity * repeated``, where ``repeated``
    is 1 if an item of the same group (a category) is already in the list
    (maximal marginal relevance with a 0/1 similarity). With ``cap``, no
    group gets more than ``cap`` items while other candidates remain.

    Parameters
    ----------
    candidates : array of int, shape (n_users, m)
    relevance : array of float, shape (n_users, m)
        Scaled to 0..1 per user by the caller if the trade-off should be
        comparable across users.
    groups : array of int, shape (n_items,)
        The group of every item.
    k : int
    diversity : float
        0 ranks by relevance alone; 1 takes a new group whenever one is left.
    cap : int or None

    Returns
    -------
    ndarray of int, shape (n_users, k)

    Examples
    --------
    >>> candidates = np.array([[0, 1, 2]])
    >>> relevance = np.array([[1.0, 0.9, 0.2]])
    >>> groups = np.array([0, 0, 1])
    >>> rerank(candidates, relevance, groups, k=2).tolist()
    [[0, 1]]
    >>> rerank(candidates, relevance, groups, k=2, diversity=0.5).tolist()
    [[0, 2]]
    """
    if not 0.0 <= diversity <= 1.0:
        raise ValueError(f"diversity must be between 0 and 1, got {diversity!r}")
    candidates = np.asarray(candidates)
    relevance = np.asarray(relevance, dtype=float)
    n_users, m = candidates.shape
    if not 1 <= k <= m:
        raise ValueError(f"k must be between 1 and the {m} candidates, got {k!r}")
    group = np.asarray(groups)[candidates]
    n_groups = int(np.max(groups)) + 1
    counts = np.zeros((n_users, n_groups))
    taken = np.zeros((n_users, m), dtype=bool)
    rows = np.arange(n_users)
    picked = np.empty((n_users, k), dtype=candidates.dtype)
    for step in range(k):
        in_group = np.take_along_axis(counts, group, axis=1)
        score = (1 - diversity) * relevance - diversity * (in_group > 0)
        if cap is not None:
            score = score - 1e6 * (in_group >= cap)
        score[taken] = -np.inf
        best = np.argmax(score, axis=1)
        taken[rows, best] = True
        picked[:, step] = candidates[rows, best]
        counts[rows, group[rows, best]] += 1
    return picked


def sponsor_slots(lists, candidates, relevance, sponsored, slots=(2, 6)):
    """Put each user's most relevant sponsored candidates into fixed ``slots``.

    The organic items keep their order in the other slots; a sponsored item
    already in the list moves to a slot rather than appearing twice. Users
    with fewer sponsored candidates than slots get as many as they have.

    Examples
    --------
    >>> lists = np.array([[0, 1, 2, 3]])
    >>> candidates = np.array([[0, 1, 2, 3, 4, 5]])
    >>> relevance = np.array([[6.0, 5, 4, 3, 2, 1]])
    >>> sponsored = np.array([False, False, False, False, True, True])
    >>> sponsor_slots(lists, candidates, relevance, sponsored, slots=(1,)).tolist()
    [[0, 4, 1, 2]]
    """
    lists = np.asarray(lists)
    out = np.empty_like(lists)
    k = lists.shape[1]
    slots = [slot for slot in slots if 0 <= slot < k]  # slots past the list stay empty
    for row, (organic, cands, rel) in enumerate(zip(lists, candidates, relevance)):
        ranked = np.asarray(cands)[np.argsort(-np.asarray(rel), kind="stable")]
        ads = [c for c in ranked if sponsored[c]][: len(slots)]
        rest = [item for item in organic if item not in ads]
        filled, next_ad = [], iter(ads)
        for slot in range(k):
            ad = next(next_ad, None) if slot in slots else None
            filled.append(ad if ad is not None else rest.pop(0))
        out[row] = filled
    return out


def coverage(lists, n_items):
    """The share of the catalogue that appears in at least one list.

    Examples
    --------
    >>> coverage(np.array([[0, 1], [1, 2]]), 10)
    0.3
    """
    return float(len(np.unique(np.asarray(lists))) / n_items)


def popularity_rank(lists, clicked):
    """The mean popularity percentile of the listed items (100 = the most
    clicked item, 50 = the median): how far the lists lean to popular items.

    Examples
    --------
    >>> popularity_rank(np.array([[3], [0]]), np.array([1, 2, 3, 4]))
    62.5
    """
    clicked = np.asarray(clicked, dtype=float)
    percentile = 100.0 * pd.Series(clicked).rank(pct=True).to_numpy()
    return float(percentile[np.asarray(lists)].mean())


def exposure(lists, groups, n_groups):
    """Each group's share of the attention the lists give: a slot is worth
    its chance of being looked at, ``1 / log2(slot + 2)``.

    Examples
    --------
    >>> exposure(np.array([[0, 1]]), np.array([0, 1]), 2).round(3).tolist()
    [0.613, 0.387]
    """
    lists = np.asarray(lists)
    weight = np.broadcast_to(
        1.0 / np.log2(np.arange(lists.shape[1]) + 2.0), lists.shape
    )
    total = np.bincount(
        np.asarray(groups)[lists].ravel(), weights=weight.ravel(), minlength=n_groups
    )
    return total / total.sum()


def gini(values):
    """The Gini coefficient of non-negative values: 0 if all are equal, near 1 if
    one holds everything.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 1])
    0.75
    """
    values = np.sort(np.asarray(values, dtype=float))
    if values.size == 0 or values.sum() == 0:
        raise ValueError("the Gini coefficient needs values that are not all 0")
    n = values.size
    cumulative = np.cumsum(values)
    return float((n + 1 - 2 * (cumulative / cumulative[-1]).sum()) / n)
