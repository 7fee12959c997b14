"""Chapter 6 homework: the questions, and the marketplace, ranking and experiments they
are about.

The chapter builds a small recommender on the marketplace drawn at seed 0. Here the
same steps run on the marketplace drawn at seed 7 (:func:`reseed` draws it at
another), so that no answer can be read off the chapter's outputs: the recall of a
retriever, the NDCG of one ranked list (drawn at the same seed), the size of an A/B
test, a check of its traffic split, and the re-ranking weight that meets a diversity
target. The expected answers are computed here, on the first check, by the steps each
question describes; the marketplace and its history are built once per seed and shared
by the questions (and by the plausible mistakes) that use them.
"""

from __future__ import annotations

import copy
import math
import numbers
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats

from book import abtest, recsys
from book.recsys import category_codes  # noqa: F401  (ch06.category_codes on the page)
from book.data.marketplace import CATEGORIES, make_marketplace
from book.homework.checks import KnownMistakes, Number, Verdict, letter_choice
from book.homework.question import Question, Quiz

# --- The marketplace of questions 1 and 5 ---------------------------------------------
#: The marketplace the homework uses: drawn at this seed, at its default sizes.
MARKET = {"seed": 7}
TRAIN_DAYS = 35  # days 0 to 34 train the retrievers; the others (35 to 41) test them
N_COMPONENTS = 8  # dimensions of the matrix factorisation, as in the chapter
#: What the impressions' columns mean, for the page that shows them.
IMPRESSION_COLUMNS = {
    "day": "the day of the session, 0 to 41",
    "session": "the session's number",
    "user_id": "the user who opened the homepage",
    "item_id": "the item shown",
    "slot": "where the item was shown, 0 at the top",
    "clicked": "1 if the user clicked the item",
    "converted": "1 if the click led to a purchase",
}

# --- Question 1: recall of a retriever ------------------------------------------------
RETRIEVER = "cooccurrence"  # the retriever question 1 measures
K = 20  # the length of each user's list of candidates

# --- Question 2: NDCG of one ranked list ----------------------------------------------
#: The ranked list of question 2 is drawn at this seed.
RANKING = {"seed": 7}
NDCG_K = 10  # the slots of the list, all of them counted

# --- Question 3: how many users an A/B test needs -------------------------------------
BASELINE_RATE = 0.12  # the control's click-through rate
RELATIVE_LIFT = 0.05  # the smallest lift worth detecting, relative to the baseline
ALPHA = 0.05  # the false-positive rate, two-sided
POWER = 0.8  # the chance of detecting the lift when it is there

# --- Question 4: a check of the traffic split -----------------------------------------
#: The users each arm of a test counted, after a week.
ARM_USERS = {"A": 90_500, "B": 9_700}
INTENDED_SHARE_A = 0.9  # the share of users the test meant to send to A (the control)
SRM_ALARM = 0.001  # the usual alarm: a p-value below it stops the test

# --- Question 5: a re-ranking weight that meets a diversity target --------------------
CANDIDATES = 50  # each user's candidates: the retriever's top CANDIDATES
LIST_SIZE = 10  # the list each user sees, re-ranked from the candidates
#: The diversity weights tried, from relevance alone up.
DIVERSITY_GRID = tuple(round(0.05 * step, 2) for step in range(11))
#: How many more distinct categories a list must show, on average over the users, than
#: the lists ranked by relevance alone (the weight 0). Not 2: at some seeds (0, 1 and
#: 11) the lists by relevance alone already show about 6.1 of the 8 categories, and no
#: weight can add 2 to that. A gain of 1.75 is reached at every seed of the sweep (0 to
#: 19), and no weight's mean lies within 0.015 of the target, so no answer is a tie.
TARGET_GAIN = 1.75


@lru_cache(maxsize=4)
def _market(seed):
    return make_marketplace(seed=seed)


def marketplace(seed=None):
    """The marketplace of :func:`book.data.make_marketplace` at its default sizes,
    drawn at ``MARKET["seed"]``. Each call gives a copy of its tables, drawn once,
    so that changing the copy changes nothing else.

    Parameters
    ----------
    seed : int, optional
        Another seed than the question's, ``MARKET["seed"]``.

    Returns
    -------
    book.data.marketplace.Marketplace
    """
    market = copy.copy(_market(MARKET["seed"] if seed is None else seed))
    market.users, market.items = market.users.copy(), market.items.copy()
    market.impressions = market.impressions.copy()
    return market


@lru_cache(maxsize=8)
def _history(seed, train_days=TRAIN_DAYS):
    """The history of the first ``train_days`` days, the clicks of the other days not
    clicked before, and each item's category code."""
    market = _market(seed)
    log = market.impressions
    n_users, n_items = len(market.users), len(market.items)
    categories = category_codes(market.items)
    train, test = log[log.day < train_days], log[log.day >= train_days]
    history = recsys.summarise(
        train, n_users, n_items, categories, n_components=N_COMPONENTS
    )
    relevant = recsys.relevant_matrix(test, n_users, n_items, exclude=history.clicks)
    return history, relevant, categories


def candidates(seed=None):
    """Question 5's candidates: for each user, the :data:`CANDIDATES` items the
    co-occurrence retriever, trained on the first :data:`TRAIN_DAYS` days, likes most
    among those the user has not clicked yet (best first), and their relevance, the
    retriever's scores scaled to 0..1 per user (the best candidate 1, the last 0).

    Parameters
    ----------
    seed : int, optional
        Another seed than the question's, ``MARKET["seed"]``.

    Returns
    -------
    (ndarray of int, ndarray of float)
        Both of shape (users, :data:`CANDIDATES`).
    """
    found, relevance = _candidates(MARKET["seed"] if seed is None else seed)
    return found.copy(), relevance.copy()


@lru_cache(maxsize=4)
def _candidates(seed):
    history = _history(seed)[0]
    scores = history.scores("cooccurrence")
    found = recsys.top_k(scores, CANDIDATES, exclude=history.clicks)
    raw = np.take_along_axis(scores, found, axis=1)
    low, high = raw.min(axis=1, keepdims=True), raw.max(axis=1, keepdims=True)
    spread = np.where(high > low, high - low, 1.0)
    return found, np.where(high > low, (raw - low) / spread, 0.0)


def ranked_list(seed=None):
    """Question 2's ranked list: whether each of its :data:`NDCG_K` slots, top first,
    holds an item the user went on to click (1) or not (0), and how many items the user
    clicked in all, in the list or not.

    Parameters
    ----------
    seed : int, optional
        Another seed than the question's, ``RANKING["seed"]``.

    Returns
    -------
    (list of int, int)
    """
    rng = np.random.default_rng(RANKING["seed"] if seed is None else seed)
    while True:
        relevance = (rng.uniform(size=NDCG_K) < 0.35).astype(int)
        hits = int(relevance.sum())
        if 3 <= hits <= 5 and relevance[0] == 0 and relevance[:hits].sum() < hits:
            return relevance.tolist(), hits + int(rng.integers(1, 3))


# --- Reference answers, and the plausible mistakes ------------------------------------
def _reach(number, wrong, near_one=False):
    """How far from a wrong value an answer still matches it: the answer's own
    tolerance, ``atol + rtol * |wrong|``, so that a wrong value rounded as finely as a
    right one would pass is still recognised. With ``near_one`` (a p-value), a value
    near 1 is held to its distance from 1: 1 - p is as precise as p."""
    size = abs(wrong)
    if near_one and 0.5 < wrong <= 1:
        size = 1 - wrong
    return number.atol + number.rtol * size


def _told_apart(number, expected, mistakes, near_one=False):
    """The mistakes a learner can be told: those the answer's tolerance does not
    accept. A draw can make two slips give about the same value, within twice the
    reach of :func:`_reach`: then one answer, rounded, could be either, so both values
    are kept under one message that names both slips (the first one first)."""
    groups = []  # [values, messages]
    for wrong, message in mistakes:
        wrong = float(wrong)
        if not math.isfinite(wrong) or number._close(wrong, expected):
            continue
        for values, messages in groups:
            if any(
                abs(wrong - other)
                <= _reach(number, wrong, near_one) + _reach(number, other, near_one)
                for other in values
            ):
                values.append(wrong)
                if message not in messages:
                    messages.append(message)
                break
        else:
            groups.append([[wrong], [message]])
    kept = []
    for values, messages in groups:
        if len(messages) == 1:
            text = messages[0]
        else:
            text = "More than one slip gives about this value. " + " Or: ".join(
                messages
            )
        kept += [(wrong, text) for wrong in values]
    return tuple(kept)


@dataclass(frozen=True)
class _Mistakes(KnownMistakes):
    """:class:`book.homework.checks.KnownMistakes`, matching a wrong value within the
    reach of :func:`_reach` (the answer's own ``atol`` and ``rtol``), the nearest
    wrong value first."""

    near_one: bool = False

    def __call__(self, answer, expected):
        verdict = self.number(answer, expected)
        if (
            verdict.ok is not False
            or isinstance(answer, (bool, np.bool_))
            or not isinstance(answer, numbers.Real)
            or not math.isfinite(answer)
        ):
            return verdict
        value = float(answer)
        matches = [
            (abs(value - wrong), message)
            for wrong, message in self.mistakes()
            if abs(value - wrong) <= _reach(self.number, wrong, self.near_one)
        ]
        if matches:
            return Verdict(False, min(matches, key=lambda match: match[0])[1])
        return verdict


def _recall(
    seed=None,
    method=RETRIEVER,
    k=K,
    exclude_lists=True,
    exclude_relevant=True,
    train_days=TRAIN_DAYS,
    measure="recall",
):
    """Question 1's recall, or one of its slips."""
    seed = MARKET["seed"] if seed is None else seed
    history, relevant, _ = _history(seed, train_days)
    if not exclude_relevant:
        market = _market(seed)
        log = market.impressions
        relevant = recsys.relevant_matrix(
            log[log.day >= train_days], len(market.users), len(market.items)
        )
    if measure == "training":  # the lists measured on the clicks they were fitted on
        relevant = history.clicks.toarray() > 0
    exclude = history.clicks if exclude_lists else None
    lists = recsys.top_k(history.scores(method), k, exclude=exclude)
    if measure in ("recall", "training"):
        return recsys.recall_at_k(lists, relevant)
    hits = np.take_along_axis(relevant, lists, axis=1).sum(axis=1)
    counts = relevant.sum(axis=1)
    if measure == "precision":
        return float((hits[counts > 0] / k).mean())
    # "every user": the users with nothing to find counted as 0
    return float(np.where(counts > 0, hits / np.maximum(counts, 1), 0.0).mean())


def _recall_mistakes():
    seed = MARKET["seed"]
    mistakes = [
        (
            _recall(exclude_lists=False),
            "Those lists hold items the users had already clicked in the training "
            "days: leave them out of the lists, since the users have them already "
            "and the test week's relevant items exclude them.",
        ),
        (
            _recall(exclude_relevant=False),
            "That counts as relevant the test week's clicks on items the users had "
            "already clicked in the training days: a list should find what is new to "
            "them, so leave those out of the relevant items.",
        ),
        (
            _recall(exclude_lists=False, exclude_relevant=False),
            "That keeps the items the users had already clicked, in the lists and "
            "among the relevant items: leave them out of both.",
        ),
        (
            _recall(k=10),
            "Those lists have ten items: the question's lists have ch06.K.",
        ),
        (
            _recall(measure="precision"),
            "That is the precision, the share of each list that is relevant: the "
            "recall is the share of each user's relevant items that the list finds.",
        ),
        (
            _recall(measure="every user"),
            "That averages over every user, those with nothing to find in the test "
            "days too: the recall is averaged over the users with a relevant item.",
        ),
        (
            _recall(measure="training", exclude_lists=False),
            "That measures the lists on the clicks of the training days, the ones the "
            "retriever was fitted on: measure them on the test days' clicks.",
        ),
        (
            _recall(train_days=TRAIN_DAYS + 1),
            "That trains on one day too many: the training days are 0 to 34 (day < "
            "ch06.TRAIN_DAYS), and the test days start at day 35.",
        ),
        (
            _recall(train_days=TRAIN_DAYS - 1),
            "That trains on one day too few: the training days are 0 to 34 (day < "
            "ch06.TRAIN_DAYS), and the test days start at day 35.",
        ),
        (
            _recall(method="popularity"),
            "That is the popularity retriever's recall: the question measures the "
            "co-occurrence retriever, ch06.RETRIEVER.",
        ),
        (
            _recall(method="svd"),
            "That is the matrix factorisation's recall: the question measures the "
            "co-occurrence retriever, ch06.RETRIEVER.",
        ),
    ]
    if seed != 0:
        mistakes.append(
            (
                _recall(seed=0),
                "That is the chapter's marketplace, drawn at seed 0: use the one of "
                "the question's seed, ch06.MARKET['seed'] (ch06.marketplace() draws "
                "it).",
            )
        )
    return _told_apart(Q1_NUMBER, _recall(), mistakes)


def _ndcg(discount="log2", ideal="count", normalise=True, seed=None):
    """Question 2's NDCG, or one of its slips."""
    relevance, count = ranked_list(seed)
    relevance = np.asarray(relevance, dtype=float)
    slots = np.arange(1, len(relevance) + 1)  # 1 is the top
    weights = {
        "log2": 1 / np.log2(slots + 1),
        "shifted": 1 / np.log2(slots + 2),  # log2(i + 2) with i counted from 1
        "reciprocal": 1 / slots,
        "none": np.ones(len(slots)),
    }[discount]
    dcg = float(relevance @ weights)
    if not normalise:
        return dcg
    best = {"count": min(count, len(slots)), "list": int(relevance.sum())}
    best["slots"] = len(slots)
    return dcg / float(weights[: best[ideal]].sum())


def _ndcg_mistakes():
    relevance, count = ranked_list()
    hits = sum(relevance)
    mistakes = [
        (
            _ndcg(normalise=False),
            "That is the DCG, the sum of the discounted hits: divide it by the best "
            "DCG possible, that of a list with all the user's clicked items on top.",
        ),
        (
            _ndcg(ideal="list"),
            "That best DCG puts on top only the hits of this list: the user clicked "
            "other items too, which a better list could have shown. Count all of "
            "them (up to the list's slots).",
        ),
        (
            _ndcg(ideal="slots"),
            "That best DCG fills every slot with a hit: the user clicked fewer items "
            "than the list has slots, so the best list has only those on top.",
        ),
        (
            _ndcg(discount="shifted"),
            "That discount is one slot off: the top slot (1 counted from the top, 0 "
            "from zero) is worth 1 / log2(2), a full hit.",
        ),
        (
            _ndcg(discount="reciprocal"),
            "That discount is one over the slot, the reciprocal rank's: NDCG "
            "discounts slot r (counted from 1) by 1 / log2(r + 1).",
        ),
        (
            _ndcg(discount="none"),
            "That ignores where the hits are, like a recall: NDCG discounts each "
            "slot, so a hit near the top counts more.",
        ),
        (
            hits / len(relevance),
            "That is the precision, the share of the slots that hold a hit: NDCG "
            "weighs each hit by its slot.",
        ),
        (
            hits / count,
            "That is the recall, the share of the clicked items the list holds: NDCG "
            "weighs each hit by its slot.",
        ),
    ]
    return _told_apart(Q2_NUMBER, _ndcg(), mistakes)


def _absolute_lift():
    return BASELINE_RATE * RELATIVE_LIFT


def _sample_size(lift=None, alpha=ALPHA, power=POWER):
    lift = _absolute_lift() if lift is None else lift
    return abtest.sample_size_per_arm(BASELINE_RATE, lift, alpha=alpha, power=power)


def _sample_size_mistakes():
    lift = _absolute_lift()
    z = stats.norm.ppf(1 - ALPHA / 2) + stats.norm.ppf(POWER)
    baseline_only = math.ceil(z**2 * 2 * BASELINE_RATE * (1 - BASELINE_RATE) / lift**2)
    mistakes = [
        (
            _sample_size(lift=RELATIVE_LIFT),
            "That detects a lift of ch06.RELATIVE_LIFT in absolute terms, "
            "percentage points of click-through rate: the lift is relative to the "
            "baseline, so the absolute lift is the baseline times it.",
        ),
        (
            2 * _sample_size(),
            "That is the users of both arms together: the question asks for the "
            "users in each arm.",
        ),
        (
            _sample_size(alpha=2 * ALPHA),
            "That is a one-sided test (or a two-sided one at twice the alpha): the "
            "test is two-sided, at ch06.ALPHA, since a change could go either way.",
        ),
        (
            _sample_size(power=0.5),
            "That is a power of one half: the test should detect the lift with "
            "chance ch06.POWER.",
        ),
        (
            _sample_size(lift=-lift),
            "That detects a fall of the rate: the lift is a rise, so the treated "
            "arm's rate is the baseline plus the lift.",
        ),
        (
            baseline_only,
            "That uses the baseline's variance for both arms: the treated arm's "
            "rate, and so its variance, is that of the baseline plus the lift.",
        ),
    ]
    return _told_apart(Q3_NUMBER, _sample_size(), mistakes)


def _srm_p_value():
    return abtest.sample_ratio_mismatch(
        ARM_USERS["A"], ARM_USERS["B"], INTENDED_SHARE_A
    )


def _srm_mistakes():
    n_a, n_b = ARM_USERS["A"], ARM_USERS["B"]
    total = n_a + n_b
    expected = [total * INTENDED_SHARE_A, total * (1 - INTENDED_SHARE_A)]
    test = stats.chisquare([n_a, n_b], expected)
    p = float(test.pvalue)
    shares = stats.chisquare(
        [n_a / total, n_b / total], [INTENDED_SHARE_A, 1 - INTENDED_SHARE_A]
    )
    # Each arm's term of the statistic, (observed - expected)^2 / expected, alone.
    terms = [(n - e) ** 2 / e for n, e in zip((n_a, n_b), expected)]
    other_split = (
        "That tests a split other than the intended one: an even split, or the "
        "shares swapped (A at B's share). The test meant to send "
        "ch06.INTENDED_SHARE_A of the users to A, so test against that share."
    )
    mistakes = [
        (abtest.sample_ratio_mismatch(n_a, n_b), other_split),
        (abtest.sample_ratio_mismatch(n_a, n_b, 1 - INTENDED_SHARE_A), other_split),
        (
            1 - p,
            "That is one minus the p-value: the p-value is the chance of a split at "
            "least this far from the intended one if the users were assigned as "
            "intended.",
        ),
        (
            float(shares.pvalue),
            "That test ran on the arms' shares of the users, not on their counts: "
            "the evidence grows with the number of users, so give it the counts.",
        ),
        (
            p / 2,
            "That is a one-sided p-value: a mismatch in either direction is an "
            "alarm, so the test is two-sided.",
        ),
        (
            float(stats.chi2.sf(terms[1], df=1)),
            "That statistic has only B's term: the chi-squared statistic adds, for "
            "both arms, (observed - expected)^2 / expected.",
        ),
        (
            float(stats.chi2.sf(terms[0], df=1)),
            "That statistic has only A's term: the chi-squared statistic adds, for "
            "both arms, (observed - expected)^2 / expected.",
        ),
        (
            float(test.statistic),
            "That is the chi-squared statistic: the question asks for its p-value, "
            "the chance of a statistic at least that large.",
        ),
    ]
    return _told_apart(Q4_NUMBER, p, mistakes, near_one=True)


@lru_cache(maxsize=8)
def _diversity_curve(seed, scaled=True):
    """The mean distinct categories of the re-ranked lists at each weight of the grid
    (for a slip, re-ranked on the retriever's raw scores)."""
    found, relevance = _candidates(seed)
    if not scaled:
        history = _history(seed)[0]
        relevance = np.take_along_axis(history.scores("cooccurrence"), found, axis=1)
    codes = category_codes(_market(seed).items)
    return tuple(
        recsys.distinct_per_list(
            recsys.rerank(found, relevance, codes, k=LIST_SIZE, diversity=weight),
            codes,
        )
        for weight in DIVERSITY_GRID
    )


def _first_reaching(curve, gain=TARGET_GAIN):
    reached = [w for w, mean in zip(DIVERSITY_GRID, curve) if mean >= curve[0] + gain]
    return reached[0] if reached else math.nan


def _diversity_weight():
    return _first_reaching(_diversity_curve(MARKET["seed"]))


def _diversity_mistakes():
    seed = MARKET["seed"]
    curve = _diversity_curve(seed)
    answer = _first_reaching(curve)
    if not math.isfinite(answer):  # no weight of the grid reaches the target
        return ()
    step = DIVERSITY_GRID.index(answer)
    target = curve[0] + TARGET_GAIN
    reached = [w for w, mean in zip(DIVERSITY_GRID, curve) if mean >= target]
    mistakes = []
    if step > 0:
        mistakes.append(
            (
                DIVERSITY_GRID[step - 1],
                "At that weight the lists still fall short of the target: their mean "
                "number of distinct categories is less than ch06.TARGET_GAIN above "
                "that of the lists by relevance alone.",
            )
        )
    if step + 1 < len(DIVERSITY_GRID):
        mistakes.append(
            (
                DIVERSITY_GRID[step + 1],
                "That weight reaches the target, but the weight before it in the grid "
                "already does: the question asks for the smallest, which costs the "
                "least relevance.",
            )
        )
    mistakes += [
        (
            reached[-1],
            "That is the largest weight of the grid that reaches the target: the "
            "question asks for the smallest, which gives up the least relevance.",
        ),
        (
            _first_reaching(_diversity_curve(seed, scaled=False)),
            "Those lists were re-ranked on the retriever's raw scores, whose scale "
            "differs from user to user: use the relevance ch06.candidates() gives, "
            "scaled to 0..1 per user, so that the weight means the same for every "
            "user.",
        ),
        (
            _first_reaching(curve, gain=TARGET_GAIN - curve[0]),
            "That compares the lists' mean number of categories with "
            "ch06.TARGET_GAIN itself: the target is that many categories more than "
            "the lists by relevance alone show, at the weight 0.",
        ),
    ]
    return _told_apart(Q5_NUMBER, answer, mistakes)


@dataclass(frozen=True)
class _OnTheGrid:
    """Question 5's checker: a weight of :data:`DIVERSITY_GRID`; a weight off the grid
    is named as such, and so is a number of categories given for the weight (after the
    known mistakes)."""

    checker: KnownMistakes

    def __call__(self, answer, expected):
        verdict = self.checker(answer, expected)
        known = {message for _, message in self.checker.mistakes()}
        if (
            verdict.ok is not False
            or verdict.message in known
            or isinstance(answer, (bool, np.bool_))
            or not isinstance(answer, numbers.Real)
            or not math.isfinite(answer)
        ):
            return verdict
        if 1 < answer <= len(CATEGORIES):
            return Verdict(
                False,
                "That looks like a mean number of distinct categories: the question "
                "asks for the weight, the smallest of ch06.DIVERSITY_GRID whose lists "
                "reach the target.",
            )
        if not 0 <= answer <= 1:
            return verdict
        if not any(abs(answer - w) < 1e-9 for w in DIVERSITY_GRID):
            return Verdict(
                False,
                "The lists were re-ranked only at the weights of ch06.DIVERSITY_GRID: "
                "give one of them.",
            )
        return verdict


# --- The questions --------------------------------------------------------------------
Q1_NUMBER = Number(rtol=0.001, atol=0.0005, fraction=True, what="a recall")
Q2_NUMBER = Number(rtol=0.001, atol=0.0005, fraction=True, what="an NDCG")
Q3_NUMBER = Number(rtol=0.002, integer=True, what="a number of users per arm")
Q4_NUMBER = Number(rtol=0.05, fraction=True, what="a p-value")
Q5_NUMBER = Number(rtol=1e-6, atol=1e-9, fraction=True, what="a diversity weight")

q1 = Question(
    "q1",
    _Mistakes(Q1_NUMBER, _recall_mistakes),
    _recall,
    hint=(
        "Fit the retrievers on the clicks of the training days only. For each user, "
        "score every item, leave out the items they clicked in those days, and keep "
        "the K best. An item is relevant if the user clicked it in the test days "
        "and not before. Average, over the users with a relevant item, the share of "
        "it their list holds.",
        "recsys.summarise(train, n_users, n_items, categories, "
        "n_components=ch06.N_COMPONENTS) fits them; recsys.top_k(history.scores("
        "ch06.RETRIEVER), ch06.K, exclude=history.clicks) makes the lists; "
        "recsys.relevant_matrix(test, n_users, n_items, exclude=history.clicks) "
        "and recsys.recall_at_k(lists, relevant) measure them.",
    ),
    takeaway="Recall@K measures retrieval by what it hands the ranker: the items new "
    "to the user that the next days show they wanted, found among K.",
)
q2 = Question(
    "q2",
    _Mistakes(Q2_NUMBER, _ndcg_mistakes),
    _ndcg,
    hint=(
        "Give each hit the weight of its slot, one over the base-2 log of (the "
        "slot counted from 1, plus one), and add them up. Divide by the same sum for "
        "the best list the user could have had: all their clicked items on top, as "
        "many as the slots hold.",
        "recsys.ndcg_at_k(lists, relevant, k=ch06.NDCG_K) computes it for a list of "
        "item ids and a users-by-items matrix of relevant items: make one user whose "
        "list is items 0 to 9, and whose relevant items are the hits of the list "
        "plus the clicked items outside it (ids from 10 on).",
    ),
    takeaway="NDCG rewards a hit by how high it sits, against the best list the "
    "user could have had, so it reads how good the order is, not only what is in it.",
)
q3 = Question(
    "q3",
    _Mistakes(Q3_NUMBER, _sample_size_mistakes),
    _sample_size,
    hint=(
        "Turn the relative lift into an absolute one, a difference of click-through "
        "rates. Then use the formula for two proportions: the sum of the normal "
        "quantiles of the two-sided alpha and of the power, squared, times the sum "
        "of the two arms' variances p (1 - p), divided by the lift squared; round up.",
        "abtest.sample_size_per_arm(ch06.BASELINE_RATE, absolute_lift, "
        "alpha=ch06.ALPHA, power=ch06.POWER) computes it, with absolute_lift = "
        "ch06.BASELINE_RATE * ch06.RELATIVE_LIFT.",
    ),
    takeaway="Small lifts on small rates need many users: the sample size grows with "
    "one over the lift squared, so halving the lift worth detecting about quadruples "
    "it.",
)
q4 = Question(
    "q4",
    _Mistakes(Q4_NUMBER, _srm_mistakes, near_one=True),
    _srm_p_value,
    hint=(
        "Compare the users each arm counted with what the intended split expects of "
        "the same total: a chi-squared test of the two counts against the two "
        "expected counts, with one degree of freedom. Its p-value is the answer.",
        "abtest.sample_ratio_mismatch(ch06.ARM_USERS['A'], ch06.ARM_USERS['B'], "
        "expected_share_a=ch06.INTENDED_SHARE_A) gives the p-value; "
        "scipy.stats.chisquare(counts, expected_counts) too.",
    ),
    takeaway="A split a fraction of a point off its design is an alarm at this "
    "scale: find where users were lost before reading any metric of the test.",
)
q5 = Question(
    "q5",
    _OnTheGrid(_Mistakes(Q5_NUMBER, _diversity_mistakes)),
    _diversity_weight,
    hint=(
        "For each weight of the grid, from the smallest up, pick each user's list "
        "greedily from their candidates, trading relevance against a penalty for "
        "repeating a category already in the list. Count the distinct categories of "
        "each list and average over the users. The target is the mean at the weight "
        "0 plus the gain asked for; stop at the first weight whose mean reaches it.",
        "recsys.rerank(candidates, relevance, categories, k=ch06.LIST_SIZE, "
        "diversity=weight) re-ranks, with categories = ch06.category_codes(items); "
        "len(set(categories[row])) counts a list's categories.",
    ),
    takeaway="Diversity is bought with relevance: take the smallest weight that "
    "meets the target, and measure what the target costs in clicks.",
)

QUESTIONS = (q1, q2, q3, q4, q5)


def reseed(seed):
    """Draw this homework's marketplace and ranked list from another seed.

    The seed sweep (``make seeds``) calls it before the solution runs, to check that
    every question is well posed and the reference solution passes whatever the draw.
    """
    MARKET["seed"] = RANKING["seed"] = int(seed)
    for question in QUESTIONS:
        question.forget()


# QUIZ: the chapter's quiz goes below (written by the chapter author)


# --- The chapter's "Check your understanding" ----------------------------------------
QUIZ = Quiz(
    Question(
        "quiz.q1",
        letter_choice(
            (
                (
                    "b",
                    "A ranking model scores any item it has features for; what it "
                    "costs is time, for every item on every visit.",
                ),
                (
                    "c",
                    "Retrieval is the rougher stage: it is cheap because it looks at "
                    "less, and the ranking reorders what it found.",
                ),
                (
                    "d",
                    "An A/B test compares whole pages, however many stages made them.",
                ),
            )
        ),
        lambda: "a",
        hint=(
            "Think of a catalogue of millions of items, and a page that must be ready "
            "within a few hundred milliseconds.",
            "Compare what the chapter's retrieval and ranking compute for each item "
            "they score, and how many items each of them sees.",
        ),
        takeaway="A recommender is a funnel: a cheap stage narrows the catalogue so "
        "that an expensive one can score a few candidates well.",
    ),
    Question(
        "quiz.q2",
        letter_choice(
            (
                (
                    "a",
                    "Within 1% of the plan sounds close, but with 100,000 users a gap "
                    "of 1,800 is far beyond chance: the check's p-value is tiny.",
                ),
                (
                    "b",
                    "Reweighting evens the counts but keeps the bias: the users who "
                    "went missing are rarely a random sample.",
                ),
                (
                    "d",
                    "More days add more users of the same broken kind; the gap grows "
                    "with the test, it does not even out.",
                ),
            )
        ),
        lambda: "c",
        hint=(
            "How likely is a gap of 1,800 users in 100,000 under a fair coin, and who "
            "might the missing users be?",
            "Run the chapter's check, abtest.sample_ratio_mismatch(50_900, 49_100), "
            "and reread what the bug in its sample-ratio section did to the lift.",
        ),
        takeaway="A sample ratio mismatch stops the analysis: find the bug before "
        "reading any result.",
    ),
    Question(
        "quiz.q3",
        letter_choice(
            (
                (
                    "a",
                    "5% holds for one look at a planned time; each extra look is "
                    "another chance for noise to cross the line.",
                ),
                (
                    "c",
                    "Stopping at the first crossing is what inflates the false alarms; "
                    "it does not protect against them.",
                ),
                (
                    "d",
                    "The inflation comes from the number of looks; more users make "
                    "each look more precise, but do not remove the extra chances.",
                ),
            )
        ),
        lambda: "b",
        hint=(
            "If each look had a 5% chance of a false alarm, what would happen to the "
            "chance of at least one in fourteen looks? (The looks share most of their "
            "data, so the real rise is smaller, but it is a rise.)",
            "Look at the chapter's peeking figure: the share of A/A tests declared a "
            "winner, checked daily, against the test's length.",
        ),
        takeaway="Fix the test's length in advance, or use a sequential test built for "
        "repeated looks.",
    ),
    Question(
        "quiz.q4",
        letter_choice(
            (
                (
                    "a",
                    "Tastes drift over weeks; and if users had changed, the observed "
                    "clicks would move too.",
                ),
                (
                    "b",
                    "Ageing shows as a slow decline over weeks, not as a jump "
                    "overnight.",
                ),
                (
                    "c",
                    "A broken split concerns an experiment's counts; it does not move "
                    "a model's predictions.",
                ),
            )
        ),
        lambda: "d",
        hint=(
            "The predictions jumped but the users did not: what changed between "
            "yesterday's predictions and today's?",
            "Reread the chapter's observability section: which monitor sees the broken "
            "input directly, and which sees its effect?",
        ),
        takeaway="Log features and predictions with every page: a jump in predictions "
        "without a jump in behaviour points at the inputs.",
    ),
)
