"""book.evaluation: top-k, calibration and rater agreement, against brute force."""

import numpy as np
import pandas as pd
import pytest

from book import evaluation


def _brute_at_k(y, s, k):
    # Flag the k best by (score, then earlier position), one item at a time.
    order = sorted(range(len(s)), key=lambda i: (-s[i], i))
    caught = sum(y[i] for i in order[:k])
    return caught / k, (caught / sum(y) if sum(y) else float("nan"))


def test_precision_recall_at_k_agrees_with_brute_force_ties_included():
    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(1, 12))
        y = rng.integers(0, 2, n).tolist()
        s = rng.integers(0, 4, n).astype(float).tolist()  # many ties
        for k in range(1, n + 1):
            got = evaluation.precision_recall_at_k(y, s, k)
            want = _brute_at_k(y, s, k)
            assert got[0] == pytest.approx(want[0])
            assert got[1] == pytest.approx(want[1], nan_ok=True)


def test_ties_go_to_the_earlier_item_and_negated_scores_flag_negatives():
    assert evaluation.precision_recall_at_k([0, 1, 1], [1.0, 1.0, 1.0], 1) == (0.0, 0.0)
    assert evaluation.precision_recall_at_k([1, 0, 1], [1.0, 1.0, 1.0], 2) == (0.5, 0.5)
    positivity = np.array([0.9, -0.8, 0.1, -0.3])
    is_negative = [0, 1, 0, 1]
    assert evaluation.precision_recall_at_k(is_negative, -positivity, 2) == (1.0, 1.0)


@pytest.mark.parametrize(
    "y, s, k, message",
    [([0, 1], [0.1, 0.2], 0, "between 1"), ([0, 1], [0.1, 0.2], 3, "between 1"),
     ([0, 1], [0.1, 0.2], 1.5, "integer"), ([0, 1], [0.1], 1, "same length"),
     ([0, 2], [0.1, 0.2], 1, "0 or 1"), ([0, 1], [0.1, np.nan], 1, "finite")],
)  # fmt: skip
def test_precision_recall_at_k_rejects_bad_inputs(y, s, k, message):
    with pytest.raises(ValueError, match=message):
        evaluation.precision_recall_at_k(y, s, k)


def _sample(n=20000, shift=0.0, seed=0):
    rng = np.random.default_rng(seed)
    truth = rng.uniform(0.05, 0.85, n)
    y = (rng.uniform(size=n) < truth).astype(int)
    return y, truth + shift


def test_ece_is_near_zero_when_calibrated_and_near_the_shift_when_shifted():
    y, p = _sample()
    assert evaluation.expected_calibration_error(y, p) < 0.02
    y, p = _sample(shift=0.1)
    assert evaluation.expected_calibration_error(y, p) == pytest.approx(0.1, abs=0.02)


def test_ece_matches_its_definition_on_the_table():
    y, p = _sample(n=500, shift=0.05, seed=3)
    table = evaluation.reliability_table(y, p, bins=7)
    full = table[table["count"] > 0]
    want = sum(
        full["count"] * (full["mean_probability"] - full["observed_frequency"]).abs()
    )
    assert evaluation.expected_calibration_error(y, p, bins=7) == pytest.approx(
        want / 500
    )


def test_reliability_table_counts_sum_to_n_and_bins_include_both_ends():
    y, p = _sample(n=1000, seed=1)
    table = evaluation.reliability_table(y, p, bins=10)
    assert len(table) == 10 and table["count"].sum() == 1000
    ends = evaluation.reliability_table([0, 1, 1], [0.0, 0.5, 1.0], bins=2)
    assert ends["count"].tolist() == [1, 2]
    assert ends["high"].iloc[-1] == 1.0 and ends["low"].iloc[0] == 0.0
    empty = evaluation.reliability_table([1], [0.95], bins=4)
    assert empty["count"].tolist() == [0, 0, 0, 1]
    assert empty["mean_probability"].isna().sum() == 3


@pytest.mark.parametrize(
    "y, p, bins, message",
    [([0, 1], [0.1, 1.2], 10, "between 0 and 1"), ([0, 1], [0.1, 0.2], 0, "bins"),
     ([0, 1], [0.1, 0.2], 2.0, "bins"), ([0, 1, 1], [0.1, 0.2], 10, "same length")],
)  # fmt: skip
def test_calibration_helpers_reject_bad_inputs(y, p, bins, message):
    with pytest.raises(ValueError, match=message):
        evaluation.reliability_table(y, p, bins)
    with pytest.raises(ValueError, match=message):
        evaluation.expected_calibration_error(y, p, bins)


@pytest.mark.parametrize("method", ["platt", "isotonic"])
def test_recalibration_lowers_the_ece_of_overconfident_scores(method):
    rng = np.random.default_rng(0)
    logit = rng.normal(0, 1.5, 8000)
    y = (rng.uniform(size=logit.size) < 1 / (1 + np.exp(-logit))).astype(int)
    score = 3 * logit - 1  # a model's score: too sharp and shifted
    overconfident = 1 / (1 + np.exp(-score))
    train, test = slice(0, 4000), slice(4000, None)
    calibrated = evaluation.recalibrate(score[train], y[train], method)
    before = evaluation.expected_calibration_error(y[test], overconfident[test])
    after = evaluation.expected_calibration_error(y[test], calibrated(score[test]))
    assert before > 0.1 and after < 0.03
    probabilities = calibrated([-10.0, 0.5, 10.0])
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    assert np.all(np.diff(probabilities) >= 0)


def test_recalibrate_rejects_one_class_and_unknown_methods():
    with pytest.raises(ValueError, match="both labels"):
        evaluation.recalibrate([0.1, 0.2], [1, 1])
    with pytest.raises(ValueError, match="'platt' or 'isotonic'"):
        evaluation.recalibrate([0.1, 0.2], [0, 1], method="beta")


TOY = pd.DataFrame(
    {"id": ["a", "b", "c"], "ratings": [[2, 3, 4], [-2, -1, -3], [0, 1, -1]]}
)


def test_leave_one_out_by_hand():
    pairs = evaluation.leave_one_out(TOY)
    assert pairs["id"].tolist() == list("aaabbbccc")
    assert pairs["rater"].tolist() == [0, 1, 2] * 3
    assert pairs["others_mean"].tolist() == [
        3.5,
        3.0,
        2.5,
        -2.0,
        -2.5,
        -1.5,
        0.0,
        -0.5,
        0.5,
    ]


def test_rater_agreement_by_hand():
    rating = [2, 3, 4, -2, -1, -3, 0, 1, -1]
    others = [3.5, 3.0, 2.5, -2.0, -2.5, -1.5, 0.0, -0.5, 0.5]
    agreement = evaluation.rater_agreement(TOY)
    assert agreement["all_pairs"] == pytest.approx(np.corrcoef(rating, others)[0, 1])
    assert (agreement["sentences"], agreement["pairs"]) == (3, 9)
    # With the rater's own rating in the mean: each sentence's mean, repeated.
    means = [3, 3, 3, -2, -2, -2, 0, 0, 0]
    assert agreement["with_own"] == pytest.approx(np.corrcoef(rating, means)[0, 1])
    assert agreement["with_own"] > agreement["all_pairs"]
    # One rater per sentence: the seed decides which, and the correlation is of those.
    picked = np.random.default_rng(5).integers(0, [3, 3, 3]) + [0, 3, 6]
    want = np.corrcoef(np.take(rating, picked), np.take(others, picked))[0, 1]
    assert evaluation.rater_agreement(TOY, seed=5)["one_per_sentence"] == pytest.approx(
        want
    )
    assert evaluation.rater_agreement(TOY, seed=5) == evaluation.rater_agreement(
        TOY, seed=5
    )


def test_raters_who_all_agree_have_correlation_one():
    frame = pd.DataFrame(
        {"id": list("abcd"), "ratings": [[v] * 4 for v in (-3, -1, 2, 4)]}
    )
    agreement = evaluation.rater_agreement(frame)
    assert agreement["all_pairs"] == pytest.approx(1.0)
    assert agreement["one_per_sentence"] == pytest.approx(1.0)


def test_agreement_split_by_hand():
    ratings = [
        [2, 3, 1, 2, -1],
        [1, -1, 2, -2, 0],
        [-1, -2, 0, -3, -1],
        [-3, 1, 1, 1, 0],
    ]
    frame = pd.DataFrame({"id": list("abcd"), "ratings": ratings})
    split = evaluation.agreement_split(frame)
    # c: 4 of 5 below zero (the 0 is on neither side); d: mean 0, so share 0.
    assert split["share_on_side"].tolist() == [0.8, 0.0, 0.8, 0.0]
    assert split["group"].tolist() == ["raters agree", "raters disagree",
                                       "raters agree", "raters disagree"]  # fmt: skip
    strict = evaluation.agreement_split(frame, min_share=0.9)
    assert (strict["group"] == "raters disagree").all()
    assert split["sd_rating"].iloc[0] == pytest.approx(np.std([2, 3, 1, 2, -1]))


@pytest.mark.parametrize(
    "frame, message",
    [(pd.DataFrame({"id": ["a"], "ratings": [[1]]}), "two raters"),
     (pd.DataFrame({"id": ["a"], "score": [[1, 2]]}), "'ratings'"),
     (pd.DataFrame({"id": [], "ratings": []}), "two raters")],
)  # fmt: skip
def test_agreement_helpers_reject_bad_frames(frame, message):
    for helper in (evaluation.leave_one_out, evaluation.rater_agreement,
                   evaluation.agreement_split):  # fmt: skip
        with pytest.raises(ValueError, match=message):
            helper(frame)
    with pytest.raises(ValueError, match="min_share"):
        evaluation.agreement_split(TOY, min_share=0)
