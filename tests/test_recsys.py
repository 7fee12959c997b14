"""book.recsys: the recommender's stages and metrics, against hand-computed values and brute force."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from book import recsys
from book.data import make_marketplace
from book.data.marketplace import CATEGORIES


def _log(rows):
    """An impressions log from (user_id, item_id, clicked) triples."""
    return pd.DataFrame(rows, columns=["user_id", "item_id", "clicked"])


# users 0 and 1 click items 0 and 1; user 0 twice on item 0; user 2 clicks item 2; item 3 is only shown
SMALL_LOG = _log([(0, 0, 1), (0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 3, 0), (2, 2, 1), (2, 1, 0)])
SMALL_CATEGORY = np.array([0, 0, 1, 1])


@pytest.fixture(scope="module")
def market_history():
    market = make_marketplace(n_users=300, n_items=60, seed=1)
    codes = pd.Categorical(market.items.category, categories=CATEGORIES).codes.astype(int)
    history = recsys.summarise(market.impressions, 300, 60, codes, n_components=8)
    return market, codes, history


# click_matrix and relevant_matrix


def test_click_matrix_counts_a_repeated_click_once_and_ignores_impressions_without_one():
    matrix = recsys.click_matrix(SMALL_LOG, 3, 4)
    assert matrix.shape == (3, 4)
    np.testing.assert_array_equal(matrix.toarray(), [[1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0]])
    assert matrix.toarray().max() == 1.0, "user 0 clicked item 0 twice: still a 1"


def test_relevant_matrix_leaves_out_what_the_training_clicks_hold():
    test_log = _log([(0, 1, 1), (0, 2, 1), (1, 0, 0), (1, 3, 1)])
    without = recsys.relevant_matrix(test_log, 2, 4)
    np.testing.assert_array_equal(without, [[False, True, True, False], [False, False, False, True]])
    seen = sparse.csr_matrix([[0, 1, 0, 0], [0, 0, 0, 0]])
    with_exclude = recsys.relevant_matrix(test_log, 2, 4, exclude=seen)
    np.testing.assert_array_equal(with_exclude, [[False, False, True, False], [False, False, False, True]])
    assert with_exclude.dtype == bool


# summarise and History.scores


def test_summarise_counts_impressions_and_clicks_per_item():
    history = recsys.summarise(SMALL_LOG, 3, 4, SMALL_CATEGORY, n_components=2)
    np.testing.assert_array_equal(history.shown, [3, 2, 1, 1])
    np.testing.assert_array_equal(history.clicked, [3, 1, 1, 0])  # every click, repeats too
    np.testing.assert_allclose(history.category_share, [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])


def test_cooccurrence_similarity_is_the_cosine_of_click_columns_symmetric_with_a_zero_diagonal():
    history = recsys.summarise(SMALL_LOG, 3, 4, SMALL_CATEGORY, n_components=2)
    # item 0: users {0, 1}; item 1: user {0}; cosine = 1 / sqrt(2 * 1)
    expected = np.zeros((4, 4))
    expected[0, 1] = expected[1, 0] = 1 / math.sqrt(2)
    np.testing.assert_allclose(history.similarity, expected)
    # user 1 clicked item 0 only: their co-occurrence scores are item 0's row
    np.testing.assert_allclose(history.scores("cooccurrence")[1], expected[0])


def test_similarity_on_a_real_log_is_symmetric_bounded_with_zero_diagonal(market_history):
    _, _, history = market_history
    similarity = history.similarity
    np.testing.assert_allclose(similarity, similarity.T)
    np.testing.assert_array_equal(np.diag(similarity), 0.0)
    assert similarity.min() >= 0 and similarity.max() <= 1 + 1e-12
    assert similarity.max() > 0.1, "items clicked by the same users must be similar"


def test_popularity_scores_are_the_clicks_and_the_same_for_every_user(market_history):
    market, _, history = market_history
    scores = history.scores("popularity")
    assert scores.shape == (300, 60)
    assert (scores == scores[0]).all(), "popularity does not depend on the user"
    clicks = market.impressions.groupby("item_id").clicked.sum().reindex(range(60), fill_value=0)
    np.testing.assert_array_equal(scores[0], clicks.to_numpy())


def test_svd_scores_are_the_factorisation_reconstruction(market_history):
    _, _, history = market_history
    scores = history.scores("svd")
    assert scores.shape == (300, 60)
    np.testing.assert_allclose(scores, history.user_factors @ history.item_factors.T)
    # the rank-8 reconstruction is closer to the clicks than the all-zero guess
    clicks = history.clicks.toarray()
    assert np.linalg.norm(clicks - scores) < 0.95 * np.linalg.norm(clicks)


def test_an_unknown_retriever_is_refused_by_name():
    history = recsys.summarise(SMALL_LOG, 3, 4, SMALL_CATEGORY, n_components=2)
    with pytest.raises(ValueError, match="unknown retriever 'bm25'"):
        history.scores("bm25")


@pytest.mark.parametrize("n_components", [0, 4, 10])
def test_summarise_refuses_a_factorisation_as_wide_as_the_catalogue(n_components):
    with pytest.raises(ValueError, match="n_components must be between 1 and 3"):
        recsys.summarise(SMALL_LOG, 3, 4, SMALL_CATEGORY, n_components=n_components)


# top_k


def test_top_k_matches_a_full_sort_best_first():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(20, 30))
    expected = np.argsort(-scores, axis=1)[:, :5]
    np.testing.assert_array_equal(recsys.top_k(scores, 5), expected)
    picked = np.take_along_axis(scores, recsys.top_k(scores, 5), axis=1)
    assert (np.diff(picked, axis=1) <= 0).all(), "best first"


def test_top_k_leaves_out_excluded_items():
    rng = np.random.default_rng(1)
    scores = rng.normal(size=(10, 15))
    exclude = sparse.csr_matrix(rng.uniform(size=(10, 15)) < 0.3)
    lists = recsys.top_k(scores, 5, exclude=exclude)
    dense = exclude.toarray()
    assert not np.take_along_axis(dense, lists, axis=1).any()
    masked = np.where(dense, -np.inf, scores)
    np.testing.assert_array_equal(lists, np.argsort(-masked, axis=1)[:, :5])
    # the caller's scores are left alone
    assert not np.isinf(scores).any()


def test_top_k_breaks_ties_by_the_lowest_column():
    scores = np.array([[1.0, 2.0, 2.0, 1.0, 2.0], [0.0, 0.0, 0.0, 0.0, 0.0]])
    np.testing.assert_array_equal(recsys.top_k(scores, 4), [[1, 2, 4, 0], [0, 1, 2, 3]])


def test_top_k_breaks_ties_by_the_lowest_column_in_long_rows_too():
    rng = np.random.default_rng(7)
    scores = rng.integers(0, 3, size=(20, 200)).astype(float)  # many ties in every row
    expected = np.array([np.lexsort((np.arange(200), -row))[:50] for row in scores])
    np.testing.assert_array_equal(recsys.top_k(scores, 50), expected)


@pytest.mark.parametrize("k", [0, -1, 6])
def test_top_k_refuses_k_outside_the_columns(k):
    with pytest.raises(ValueError, match="k must be between 1 and 5"):
        recsys.top_k(np.zeros((2, 5)), k)


# recall_at_k and ndcg_at_k


def test_recall_is_the_mean_share_found_over_users_with_something_relevant():
    relevant = np.array([[True, True, False, False],
                         [False, False, True, False],
                         [False, False, False, False],  # ignored, not a 0
                         [True, True, True, False]])
    lists = np.array([[0, 2], [2, 3], [0, 1], [0, 1]])
    # 1/2, 1/1, (none), 2/3
    assert recsys.recall_at_k(lists, relevant) == pytest.approx((0.5 + 1.0 + 2 / 3) / 3)


def test_recall_is_one_for_lists_that_hold_everything_relevant():
    rng = np.random.default_rng(2)
    relevant = rng.uniform(size=(30, 20)) < 0.1
    relevant[:, 0] = True
    lists = recsys.top_k(relevant.astype(float), 20)
    assert recsys.recall_at_k(lists, relevant) == pytest.approx(1.0)


def test_recall_and_ndcg_refuse_when_no_user_has_a_relevant_item():
    relevant = np.zeros((3, 4), dtype=bool)
    lists = np.array([[0, 1], [1, 2], [2, 3]])
    with pytest.raises(ValueError, match="recall is undefined"):
        recsys.recall_at_k(lists, relevant)
    with pytest.raises(ValueError, match="NDCG is undefined"):
        recsys.ndcg_at_k(lists, relevant, k=2)


def test_ndcg_of_a_perfect_ranking_is_one():
    rng = np.random.default_rng(3)
    relevant = rng.uniform(size=(40, 25)) < 0.2
    relevant[:, 5] = True
    lists = recsys.top_k(relevant.astype(float), 10)
    assert recsys.ndcg_at_k(lists, relevant, k=10) == pytest.approx(1.0)


def test_ndcg_hand_computed():
    relevant = np.array([[False, True, False, True, False]])
    lists = np.array([[0, 1, 2, 3]])
    gain = 1 / math.log2(3) + 1 / math.log2(5)  # hits in slots 1 and 3
    ideal = 1 + 1 / math.log2(3)  # two hits on top
    assert recsys.ndcg_at_k(lists, relevant, k=4) == pytest.approx(gain / ideal)
    assert gain / ideal == pytest.approx(0.6509, abs=1e-4)


def test_ndcg_ideal_fills_only_k_slots_and_lists_are_cut_at_k():
    # three relevant items but k = 2: two hits on top is perfect
    relevant = np.array([[True, True, True, False, False]])
    assert recsys.ndcg_at_k(np.array([[0, 1]]), relevant, k=2) == pytest.approx(1.0)
    assert recsys.ndcg_at_k(np.array([[3, 1]]), relevant, k=2) == pytest.approx(
        (1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    # a hit below slot k does not count
    assert recsys.ndcg_at_k(np.array([[3, 4, 0]]), relevant, k=2) == 0.0


def test_ndcg_ignores_users_with_nothing_relevant():
    relevant = np.array([[False, True, False], [False, False, False]])
    lists = np.array([[0, 1, 2], [0, 1, 2]])
    assert recsys.ndcg_at_k(lists, relevant, k=3) == pytest.approx(1 / math.log2(3))


# pair_features


def test_pair_features_rows_follow_users_then_candidates_with_the_features_columns(market_history):
    _, codes, history = market_history
    users = np.array([5, 17, 42])
    items = np.array([[0, 1, 2, 3], [10, 20, 30, 40], [59, 58, 57, 56]])
    features = recsys.pair_features(history, users, items, codes)
    assert features.shape == (12, len(recsys.FEATURES))
    assert tuple(features.columns) == recsys.FEATURES
    row = 1 * 4 + 2  # user 17, item 30
    assert features.category_share[row] == pytest.approx(history.category_share[17, codes[30]])
    assert features.item_ctr.between(0, 1).all()
    # the same user and item give the same features wherever the pair sits
    alone = recsys.pair_features(history, np.array([17]), np.array([[30]]), codes)
    pd.testing.assert_series_equal(alone.iloc[0], features.iloc[row], check_names=False)


def test_pair_features_rank_a_users_candidates_as_the_retrievers_and_the_clicks_do(market_history):
    # whatever scaling the features use, within one user they order items as the raw scores do
    _, codes, history = market_history
    items = np.arange(60)[None, :]
    for user in (3, 100, 250):
        features = recsys.pair_features(history, np.array([user]), items, codes)
        for column, raw in (("svd", history.scores("svd")[user]),
                            ("cooccurrence", history.scores("cooccurrence")[user]),
                            ("popularity", history.clicked)):
            order = np.argsort(raw, kind="stable")
            assert (np.diff(features[column].to_numpy()[order]) >= -1e-9).all(), f"user {user}: {column}"
            assert features[column].nunique() > 1, column


def test_category_share_is_the_share_of_the_users_clicks_in_the_items_category():
    # user 0 clicks items 0 (category 0), 1 and 2 (category 1); user 1 clicks nothing
    log = _log([(0, 0, 1), (0, 1, 1), (0, 2, 1), (1, 0, 0), (1, 3, 0)])
    category = np.array([0, 1, 1, 2])
    history = recsys.summarise(log, 2, 4, category, n_components=1)
    features = recsys.pair_features(history, np.array([0, 1]), np.array([[0, 1, 3], [0, 1, 3]]), category)
    np.testing.assert_allclose(features.category_share, [1 / 3, 2 / 3, 0.0, 0.0, 0.0, 0.0])


def test_item_ctr_is_smoothed_towards_the_overall_rate():
    # item 0: 3 clicks in 3 shows; item 3: shown once, no click; overall 5 of 7
    history = recsys.summarise(SMALL_LOG, 3, 4, SMALL_CATEGORY, n_components=2)
    features = recsys.pair_features(history, np.array([0]), np.array([[0, 3]]), SMALL_CATEGORY)
    prior = 5 / 7
    np.testing.assert_allclose(features.item_ctr, [(3 + 20 * prior) / 23, (0 + 20 * prior) / 21])


# rerank


def _random_candidates(seed, n_users=40, m=30, n_items=200, n_groups=6):
    rng = np.random.default_rng(seed)
    candidates = np.array([rng.choice(n_items, m, replace=False) for _ in range(n_users)])
    relevance = rng.uniform(size=(n_users, m))
    groups = rng.integers(0, n_groups, n_items)
    return candidates, relevance, groups


def test_rerank_without_diversity_sorts_by_relevance():
    candidates, relevance, groups = _random_candidates(0)
    expected = np.take_along_axis(candidates, np.argsort(-relevance, axis=1)[:, :10], axis=1)
    np.testing.assert_array_equal(recsys.rerank(candidates, relevance, groups, k=10), expected)


def test_rerank_at_full_diversity_takes_a_new_group_whenever_one_is_left():
    candidates, relevance, groups = _random_candidates(1)
    lists = recsys.rerank(candidates, relevance, groups, k=10, diversity=1.0)
    for user, picked in enumerate(lists):
        available = set(groups[candidates[user]])
        seen = set()
        for item in picked:
            if available - seen:
                assert groups[item] not in seen, f"user {user}: repeated a group while {available - seen} remained"
            seen.add(groups[item])
        assert len(seen) == min(10, len(available))


def test_rerank_trades_relevance_for_a_new_group_past_the_hand_computed_threshold():
    # item 1 (same group as item 0) beats item 2 (new group) while (1 - d) * 0.7 > d, i.e. d < 0.7 / 1.7
    candidates, relevance, groups = np.array([[0, 1, 2]]), np.array([[1.0, 0.9, 0.2]]), np.array([0, 0, 1])
    assert recsys.rerank(candidates, relevance, groups, k=2, diversity=0.40).tolist() == [[0, 1]]
    assert recsys.rerank(candidates, relevance, groups, k=2, diversity=0.42).tolist() == [[0, 2]]


def test_rerank_never_repeats_an_item():
    candidates, relevance, groups = _random_candidates(2)
    for diversity in (0.0, 0.3, 1.0):
        lists = recsys.rerank(candidates, relevance, groups, k=15, diversity=diversity, cap=3)
        assert all(len(set(row)) == 15 for row in lists)
        assert all(set(row) <= set(cands) for row, cands in zip(lists, candidates))


@pytest.mark.parametrize("cap", [1, 2, 3])
def test_rerank_respects_the_cap_per_group(cap):
    candidates, relevance, groups = _random_candidates(3, n_groups=8)
    lists = recsys.rerank(candidates, relevance, groups, k=8, diversity=0.0, cap=cap)
    for user, picked in enumerate(lists):
        available = np.bincount(groups[candidates[user]], minlength=8)
        if np.minimum(available, cap).sum() >= 8:  # enough candidates to stay under the cap
            assert np.bincount(groups[picked], minlength=8).max() <= cap, f"user {user}"


def test_rerank_exceeds_the_cap_only_when_nothing_else_remains():
    candidates = np.array([[0, 1, 2, 3]])
    relevance = np.array([[0.9, 0.8, 0.7, 0.1]])
    groups = np.array([0, 0, 0, 1])
    assert recsys.rerank(candidates, relevance, groups, k=3, cap=1).tolist() == [[0, 3, 1]]


def test_more_diversity_never_lowers_the_mean_number_of_groups():
    grid = np.linspace(0, 1, 11)
    for seed in range(5):
        candidates, relevance, groups = _random_candidates(seed + 10)
        distinct = [np.mean([len(set(groups[row]))
                             for row in recsys.rerank(candidates, relevance, groups, k=10, diversity=d)])
                    for d in grid]
        assert (np.diff(distinct) >= 0).all(), f"seed {seed + 10}: {np.round(distinct, 2)}"
        assert distinct[-1] > distinct[0] + 0.5, "full diversity must add groups"


@pytest.mark.parametrize("kwargs, message", [
    ({"diversity": -0.1}, "diversity must be between 0 and 1"),
    ({"diversity": 1.5}, "diversity must be between 0 and 1"),
    ({"diversity": float("nan")}, "diversity must be between 0 and 1"),
    ({"k": 0}, "k must be between 1 and the 3 candidates"),
    ({"k": 4}, "k must be between 1 and the 3 candidates"),
])
def test_rerank_refuses_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        recsys.rerank(np.array([[0, 1, 2]]), np.array([[0.3, 0.2, 0.1]]), np.array([0, 1, 0]), **kwargs)


# sponsor_slots


def test_sponsored_items_take_their_slots_and_organic_items_keep_their_order():
    rng = np.random.default_rng(4)
    n_items = 100
    sponsored = rng.uniform(size=n_items) < 0.15
    candidates = np.array([rng.choice(n_items, 40, replace=False) for _ in range(30)])
    relevance = rng.uniform(size=(30, 40))
    lists = np.take_along_axis(candidates, np.argsort(-relevance, axis=1)[:, :10], axis=1)
    out = recsys.sponsor_slots(lists, candidates, relevance, sponsored, slots=(2, 6))
    assert out.shape == lists.shape
    for user in range(30):
        ads = [c for c in candidates[user][np.argsort(-relevance[user], kind="stable")] if sponsored[c]][:2]
        row = out[user].tolist()
        assert len(set(row)) == 10, f"user {user}: an item twice in {row}"
        assert [row[s] for s in (2, 6)[: len(ads)]] == ads, f"user {user}: the best ads go into slots 2, 6"
        organic = [item for item in lists[user] if item not in ads]
        other = [item for slot, item in enumerate(row) if slot not in (2, 6)[: len(ads)]]
        assert other == organic[: len(other)], f"user {user}: organic order changed"


def test_a_sponsored_item_already_listed_moves_rather_than_appearing_twice():
    lists = np.array([[5, 0, 1, 2, 3]])
    candidates = np.array([[5, 0, 1, 2, 3, 4]])
    relevance = np.array([[9.0, 8, 7, 6, 5, 4]])
    sponsored = np.array([False, False, False, False, True, True])  # items 4 and 5
    out = recsys.sponsor_slots(lists, candidates, relevance, sponsored, slots=(1, 3))
    assert out.tolist() == [[0, 5, 1, 4, 2]]


def test_users_with_fewer_sponsored_candidates_than_slots_get_what_they_have():
    lists = np.array([[0, 1, 2, 3, 4], [0, 1, 2, 3, 4]])
    candidates = np.array([[0, 1, 2, 3, 4, 7], [0, 1, 2, 3, 4, 5]])
    relevance = np.ones((2, 6))
    sponsored = np.zeros(8, dtype=bool)
    sponsored[7] = True
    out = recsys.sponsor_slots(lists, candidates, relevance, sponsored, slots=(1, 3))
    assert out.tolist() == [[0, 7, 1, 2, 3], [0, 1, 2, 3, 4]]


# coverage, popularity_rank, exposure, gini


def test_coverage_is_the_share_of_distinct_listed_items():
    assert recsys.coverage(np.array([[0, 1, 2], [2, 1, 0]]), 10) == pytest.approx(0.3)
    assert recsys.coverage(np.array([[0, 1], [2, 3], [4, 0]]), 5) == pytest.approx(1.0)


def test_popularity_rank_is_the_mean_percentile_of_listed_items():
    clicked = np.array([10, 20, 30, 40])
    assert recsys.popularity_rank(np.array([[3]]), clicked) == pytest.approx(100.0)
    assert recsys.popularity_rank(np.array([[0]]), clicked) == pytest.approx(25.0)
    assert recsys.popularity_rank(np.array([[0, 1], [2, 3]]), clicked) == pytest.approx(62.5)
    # ties share their average rank
    assert recsys.popularity_rank(np.array([[0]]), np.array([5, 5])) == pytest.approx(75.0)


def test_exposure_sums_to_one_and_weights_the_top_slot_most():
    rng = np.random.default_rng(5)
    groups = rng.integers(0, 4, 50)
    lists = rng.integers(0, 50, size=(20, 10))
    shares = recsys.exposure(lists, groups, 4)
    assert shares.shape == (4,)
    assert shares.sum() == pytest.approx(1.0)
    # one list, items of groups 0, 1, 1: weights 1, 1/log2(3), 1/2
    top = recsys.exposure(np.array([[0, 1, 2]]), np.array([0, 1, 1]), 3)
    total = 1 + 1 / math.log2(3) + 0.5
    np.testing.assert_allclose(top, [1 / total, (1 / math.log2(3) + 0.5) / total, 0.0])
    # the same items, swapped: the group on top gets more
    assert recsys.exposure(np.array([[1, 0]]), np.array([0, 1]), 2)[1] > 0.5


def test_gini_of_equal_values_is_zero_and_of_one_holder_is_n_minus_one_over_n():
    for n in (2, 5, 10):
        assert recsys.gini(np.full(n, 3.0)) == pytest.approx(0.0, abs=1e-12)
        one_hot = np.zeros(n)
        one_hot[n // 2] = 7.0
        assert recsys.gini(one_hot) == pytest.approx((n - 1) / n)


def test_gini_matches_the_mean_absolute_difference_and_ignores_scale():
    rng = np.random.default_rng(6)
    values = rng.exponential(size=25)
    brute = np.abs(values[:, None] - values[None, :]).sum() / (2 * values.size**2 * values.mean())
    assert recsys.gini(values) == pytest.approx(brute)
    assert recsys.gini(1000 * values) == pytest.approx(recsys.gini(values))
    assert recsys.gini(rng.permutation(values)) == pytest.approx(recsys.gini(values))
    assert recsys.gini([1, 2, 3]) == pytest.approx(2 / 9)


@pytest.mark.parametrize("values", [[0, 0, 0], [], [0.0]])
def test_gini_refuses_values_that_are_all_zero(values):
    with pytest.raises(ValueError, match="not all 0"):
        recsys.gini(values)


def test_category_codes_follow_the_catalogues_order_and_distinct_per_list_counts_groups():
    items = pd.DataFrame({"category": list(reversed(CATEGORIES))})
    assert recsys.category_codes(items).tolist() == list(range(len(CATEGORIES)))[::-1]
    groups = np.array([0, 0, 1, 2])
    assert recsys.distinct_per_list(np.array([[0, 1, 2], [1, 2, 3]]), groups) == 2.5
    assert recsys.distinct_per_list(np.array([[0, 1]]), groups) == 1.0
