"""Chapter 3 homework: the questions, and the payments, homes and prices they are about.

Other seeds, other costs, another requirement and another fee than the chapter, so
that no answer can be read off the chapter's outputs. The expected answers are
computed here, on the first check, by the steps each question describes; the two
models are fitted once per seed and shared by the questions that use them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.model_selection import train_test_split

from book import data, decisions, ibuying
from book.homework.checks import KnownMistakes, Number, letter_choice
from book.homework.question import Question, Quiz

# --- Questions 1, 2 and 5: a fraud model, at a bank's costs and requirement ----------
PAYMENTS = {"n": 50_000, "seed": 7}
VALIDATION_SHARE = 0.4  # of the payments, kept out of training to tune the threshold
COST_MISS_USD = 120.0  # a fraud let through: the bank refunds the cardholder
COST_FALSE_ALARM_USD = 8.0  # an honest payment stopped: a call to the cardholder
MIN_RECALL = 0.80  # the bank's requirement: catch at least this share of the frauds
#: The payments' columns the model sees: every column but the label ``is_fraud``.
FRAUD_FEATURES = [
    "amount_usd",
    "merchant",
    "hour",
    "km_from_home",
    "new_device",
    "declines_24h",
    "card_age_days",
]
#: What each column of the payments means, for the page that shows them.
PAYMENT_COLUMNS = {
    "amount_usd": "the payment's amount, in dollars",
    "merchant": "the merchant's type (a category)",
    "hour": "the hour of the day it was made, 0 to 23",
    "km_from_home": "how far from the cardholder's home, in km",
    "new_device": "1 if the device is new to the card",
    "declines_24h": "payments declined on the card in the last 24 hours",
    "card_age_days": "the card's age, in days",
    "is_fraud": "1 if the payment was fraud (the label)",
}

# --- Questions 3 and 4: an iBuyer that offers its estimate less a fee ----------------
HOMES = {"n": 5_000, "seed": 7}
#: The first homes are past sales, to train on; the rest are for sale.
PAST_SALES = 4_000
FEE = 0.04  # question 3's fee, a share of the estimate
#: The fees question 4 tries: 0 to 0.2 in steps of 0.001.
FEES = np.round(np.arange(0.0, 0.2005, 0.001), 3)
#: The homes' columns the price model sees: what a listing shows.
HOME_FEATURES = ["neighbourhood", "sqft", "bedrooms", "age_years", "lot_sqft"]
#: What each column of the homes means, for the page that shows them.
HOME_COLUMNS = {
    "neighbourhood": "where the home is (a category)",
    "sqft": "floor area, in square feet",
    "bedrooms": "number of bedrooms",
    "age_years": "the home's age, in years",
    "lot_sqft": "area of the lot, in square feet",
    "value_usd": "what the home sells for on the open market, in dollars",
    "reservation_usd": "the least its seller accepts, in dollars (only the seller "
    "knows it)",
}

#: The models' own seed, as the questions' text gives it (``random_state=0``).
MODEL_SEED = 0


def payment_split():
    """The training and validation payments of questions 1 and 2 (``merchant`` as a
    pandas category, which the model takes as categorical)."""
    payments = data.make_fraud(**PAYMENTS)
    payments["merchant"] = payments["merchant"].astype("category")
    return train_test_split(
        payments,
        test_size=VALIDATION_SHARE,
        random_state=PAYMENTS["seed"],
        stratify=payments["is_fraud"],
    )


def home_split():
    """The past sales and the homes for sale of questions 3 and 4 (``neighbourhood``
    as a pandas category, which the model takes as categorical)."""
    homes = data.make_housing(**HOMES)
    homes["neighbourhood"] = homes["neighbourhood"].astype("category")
    return homes.iloc[:PAST_SALES], homes.iloc[PAST_SALES:]


@lru_cache(maxsize=4)
def _fraud_scores(n, seed):
    """The labels and the model's scores, on the training and validation payments
    (``n`` and ``seed``, those of :data:`PAYMENTS`, key the cache)."""
    train, valid = payment_split()
    model = HistGradientBoostingClassifier(
        max_iter=100, categorical_features="from_dtype", random_state=MODEL_SEED
    ).fit(train[FRAUD_FEATURES], train["is_fraud"])
    return {
        "train": (
            train["is_fraud"].to_numpy(),
            model.predict_proba(train[FRAUD_FEATURES])[:, 1],
        ),
        "valid": (
            valid["is_fraud"].to_numpy(),
            model.predict_proba(valid[FRAUD_FEATURES])[:, 1],
        ),
    }


def _scores(part="valid"):
    return _fraud_scores(PAYMENTS["n"], PAYMENTS["seed"])[part]


@lru_cache(maxsize=4)
def _home_estimates(n, seed):
    """The homes for sale, and the price model's estimate of each (``n`` and
    ``seed``, those of :data:`HOMES`, key the cache)."""
    past, for_sale = home_split()
    model = HistGradientBoostingRegressor(
        categorical_features="from_dtype", random_state=MODEL_SEED
    ).fit(past[HOME_FEATURES], past["value_usd"])
    return for_sale, model.predict(for_sale[HOME_FEATURES])


def _outcome(fee):
    """What offering the estimate less ``fee`` buys, and earns, on the homes for
    sale."""
    for_sale, estimate = _home_estimates(HOMES["n"], HOMES["seed"])
    return ibuying.purchase_outcome(
        estimate,
        ibuying.offers_less_fee(estimate, fee),
        for_sale["value_usd"],
        for_sale["reservation_usd"],
    )


# --- Reference answers, and the plausible mistakes -----------------------------------
def _tuned_threshold():
    y, scores = _scores()
    return decisions.cost_optimal_threshold(
        y, scores, cost_fp_usd=COST_FALSE_ALARM_USD, cost_fn_usd=COST_MISS_USD
    )


def _threshold_mistakes():
    y, scores = _scores()
    y_train, train_scores = _scores("train")
    with np.errstate(divide="ignore", invalid="ignore"):  # F1 is 0/0 where nothing hits
        f1 = decisions.f1_optimal_threshold(y, scores)
    return (
        (
            decisions.cost_optimal_threshold(
                y, scores, cost_fp_usd=COST_MISS_USD, cost_fn_usd=COST_FALSE_ALARM_USD
            ),
            "Your two costs look swapped: a fraud let through is a miss, a false "
            "negative (cost_fn_usd); an honest payment stopped is a false alarm, a "
            "false positive (cost_fp_usd).",
        ),
        (
            f1,
            "That is the threshold with the best F1. F1 weighs a miss and a false "
            "alarm alike, whatever each costs; the question prices them.",
        ),
        (
            decisions.bayes_threshold(COST_FALSE_ALARM_USD, COST_MISS_USD),
            "That is the formula's threshold, which holds only if the scores are "
            "calibrated probabilities. The question asks for the threshold tuned on "
            "the validation payments, by their cost per decision.",
        ),
        (
            decisions.cost_optimal_threshold(
                y_train,
                train_scores,
                cost_fp_usd=COST_FALSE_ALARM_USD,
                cost_fn_usd=COST_MISS_USD,
            ),
            "That threshold is tuned on the training payments, which the model has "
            "learnt: tune it on the validation payments.",
        ),
        (
            0.5,
            "That is the default cut-off of predict(), which treats the two mistakes "
            "as equally dear.",
        ),
    )


def _precision_at_recall():
    y, scores = _scores()
    return decisions.operating_point(y, scores, min_recall=MIN_RECALL)["precision"]


def _precision_mistakes():
    y, scores = _scores()
    point = decisions.operating_point(y, scores, min_recall=MIN_RECALL)
    lowest = (
        "That is the precision at the lowest threshold, which flags (nearly) every "
        "payment: it meets the requirement too, but so do higher ones. Take the "
        "highest threshold that still does."
    )
    flag_all = float(np.mean(y))
    grid_start, _ = decisions.precision_recall(y, scores, decisions.THRESHOLDS[:1])
    mistakes = [
        (
            point["recall"],
            "That is the recall at the operating point, which the requirement "
            "fixes; the question asks for the precision there.",
        ),
        (flag_all, lowest),
        (float(grid_start[0]), lowest),
    ]
    try:
        swapped = decisions.operating_point(y, scores, min_precision=MIN_RECALL)
    except ValueError:  # no threshold that precise: no such mistake to recognise
        return tuple(mistakes)
    mistakes.append(
        (
            swapped["recall"],
            "Precision and recall look swapped: the bank requires the recall (the "
            "share of the frauds caught) and asks what precision that leaves.",
        )
    )
    return tuple(mistakes)


def _overvaluation_bought():
    return float(_outcome(FEE)["overvaluation_bought"])


def _overvaluation_mistakes():
    return (
        (
            float(_outcome(FEE)["overvaluation_all"]),
            "That is the overvaluation over every home for sale, bought or not: "
            "close to zero, as for a model that is right on average. The question "
            "asks about the homes the iBuyer buys.",
        ),
        (
            float(_outcome(0.0)["overvaluation_bought"]),
            "That is what offering the estimate itself buys: take the fee off the "
            "estimate before comparing the offer with what the seller accepts.",
        ),
    )


def _profits():
    return np.array([_outcome(fee)["profit_usd"] for fee in FEES])


def _break_even_fee():
    at_least_zero = np.flatnonzero(_profits() >= 0)
    if not at_least_zero.size:
        raise AssertionError("question 4 needs a fee of FEES at which profit is >= 0")
    return float(FEES[at_least_zero[0]])


def _break_even_mistakes():
    fee = _break_even_fee()
    mistakes = [
        (
            float(_outcome(FEE)["overvaluation_bought"]),
            "That fee covers the overvaluation of the homes bought at question 3's "
            "fee. But a higher fee changes which homes are bought: fewer, and more "
            "overvalued. Try every fee.",
        ),
        (
            float(_outcome(FEE)["overvaluation_all"]),
            "That is the model's error over every home for sale, about zero: the "
            "iBuyer loses on the homes it buys, not on the average home.",
        ),
    ]
    if fee > FEES[0]:
        mistakes.append(
            (
                float(FEES[np.flatnonzero(FEES == fee)[0] - 1]),
                "At that fee the iBuyer still loses money: that is the highest fee "
                "before the break-even, not the lowest at which profit is at least "
                "zero.",
            )
        )
    return tuple(mistakes)


# --- The questions --------------------------------------------------------------------
q1 = Question(
    "q1",
    KnownMistakes(
        Number(rtol=0.001, atol=0.0005, fraction=True, what="a threshold"),
        _threshold_mistakes,
    ),
    _tuned_threshold,
    hint=(
        "A fraud let through is a false negative, an honest payment stopped a false "
        "positive. At each candidate threshold, price the mistakes of each kind on "
        "the validation payments, which the model has not learnt, and keep the "
        "threshold where the average cost of a decision is lowest.",
        "Score the validation payments with the model's predict_proba(...)[:, 1], "
        "then decisions.cost_optimal_threshold(valid.is_fraud, scores, "
        "cost_fp_usd=..., cost_fn_usd=...) searches decisions.THRESHOLDS.",
    ),
    takeaway="The threshold follows from what each mistake costs the customer: tune "
    "it on unseen data at the customer's prices, not by F1 or at 0.5.",
)
q2 = Question(
    "q2",
    KnownMistakes(
        Number(
            rtol=0.001,
            atol=0.0005,
            fraction=True,
            what="a precision (a share from 0 to 1)",
        ),
        _precision_mistakes,
    ),
    _precision_at_recall,
    hint=(
        "Recall is the share of the frauds that are flagged; precision, the share of "
        "the flagged payments that are fraud. Lowering the threshold never lowers "
        "the recall, so the requirement is met most cheaply at the highest threshold "
        "that still meets it: read the precision there.",
        "decisions.operating_point(valid.is_fraud, scores, min_recall=ch03.MIN_RECALL) "
        "tries every distinct score as a threshold and returns the precision at the "
        "highest that meets the requirement.",
    ),
    takeaway="A customer's recall requirement fixes the threshold; what it costs them "
    "is the precision left there, the false alarms they pay for.",
)
q3 = Question(
    "q3",
    KnownMistakes(
        Number(rtol=0.005, atol=0.0005, fraction=True, what="a share of the value"),
        _overvaluation_mistakes,
    ),
    _overvaluation_bought,
    hint=(
        "A seller accepts only a price offered at least as high as the least they "
        "take, and sellers know their homes better than the model. So the homes "
        "bought are no random sample: measure the model's error on those homes only.",
        "The offers are ibuying.offers_less_fee(estimate, ch03.FEE); "
        "ibuying.purchase_outcome(estimate, offers, for_sale.value_usd, "
        "for_sale.reservation_usd) reports overvaluation_bought, as a share.",
    ),
    takeaway="Sellers accept the offers that overvalue their homes: a model that is "
    "right on average still overpays for what it buys.",
)
q4 = Question(
    "q4",
    KnownMistakes(
        Number(
            rtol=0.001,
            atol=0.0005,
            fraction=True,
            what="a fee (a share of the estimate)",
        ),
        _break_even_mistakes,
    ),
    _break_even_fee,
    hint=(
        "A higher fee does two things: each home bought earns more, and the sellers "
        "who still accept are fewer, and their homes more overvalued. So no single "
        "fee's overvaluation gives the answer: total the profit at every fee.",
        "For each fee of ch03.FEES, take ibuying.purchase_outcome(estimate, "
        "ibuying.offers_less_fee(estimate, fee), value, reservation)['profit_usd']; "
        "the answer is the first fee whose profit is at least zero.",
    ),
    takeaway="A higher fee buys fewer homes, and the most overvalued ones: the fee "
    "has to cover the winner's curse at that very fee.",
)

QUESTIONS = (q1, q2, q3, q4)


def reseed(seed):
    """Draw this homework's payments and homes from another seed.

    The seed sweep (``make seeds``) calls it before the solution runs, to check
    that every question is well posed and the reference solution passes
    whatever the draw.
    """
    PAYMENTS["seed"] = HOMES["seed"] = int(seed)
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
                    "a",
                    "0.5 is right only when a miss and a false alarm cost the same. "
                    "Here one costs sixty times the other: compare the expected cost "
                    "of each decision for a payment of probability p.",
                ),
                (
                    "c",
                    "F1 knows nothing of what a miss or a false alarm costs; in the "
                    "chapter's cost figure its threshold costs more than the cheapest "
                    "one.",
                ),
                (
                    "d",
                    "That would stop only payments that are almost surely fraud, as "
                    "if a false alarm cost far more than a miss: the costs are the "
                    "other way round.",
                ),
            )
        ),
        lambda: "b",
        hint=(
            "For a payment whose probability of fraud is p, write the expected cost "
            "of letting it through and the expected cost of stopping it.",
            "Stop it when p times $300 is at least (1 - p) times $5; "
            "book.decisions.bayes_threshold solves that for p.",
        ),
        takeaway="With calibrated scores, flag a case when its probability reaches "
        "the false alarm's cost over the sum of both costs.",
    ),
    Question(
        "quiz.q2",
        letter_choice(
            (
                (
                    "a",
                    "With fraud this rare, a coin would be right on far fewer of its "
                    "stops: precision is compared with the share of fraud, not with "
                    "one half.",
                ),
                (
                    "b",
                    "Precision is counted over the payments the model stops, not over "
                    "all payments: the payments let through are not in it.",
                ),
                (
                    "d",
                    "The share of fraud caught is the recall, which the bank fixed. "
                    "Precision is the share of stops that are fraud.",
                ),
            )
        ),
        lambda: "c",
        hint=(
            "Precision is the share of stopped payments that are fraud. Out of 100 "
            "stops, how many are honest?",
            "Divide the honest stops by the frauds among them: that is the false "
            "alarms per fraud caught, as book.decisions.operating_point reports.",
        ),
        takeaway="A required recall fixes the operating point, and the false alarms "
        "per fraud caught are its price.",
    ),
    Question(
        "quiz.q3",
        letter_choice(
            (
                (
                    "b",
                    "Unbiased means right on average over all homes, not right on "
                    "each one: the chapter's errors spread widely around zero.",
                ),
                (
                    "c",
                    "A higher fee lowers every offer, and the sellers who still accept "
                    "are the ones the model overvalued most: a fee does not undo "
                    "the selection.",
                ),
                (
                    "d",
                    "The question sets prices still, and prices do not always fall: "
                    "in the chapter the margin vanishes in a steady market; a cooling "
                    "market only deepens the loss.",
                ),
            )
        ),
        lambda: "a",
        hint=(
            "Who decides which of the iBuyer's offers turn into purchases, and what "
            "does that person know that the model does not?",
            "Compare the model's errors over all homes offered for with its errors "
            "on the homes bought, as the chapter's histogram does.",
        ),
        takeaway="When the other side chooses which of your estimates to accept, you "
        "keep your overestimates: the winner's curse.",
    ),
    Question(
        "quiz.q4",
        letter_choice(
            (
                (
                    "a",
                    "Maybe so, but the chapter's simulation gives both audiences the "
                    "same share rate and still finds the difference: look for what "
                    "it does change.",
                ),
                (
                    "b",
                    "The question says the model and its error rate are the same in "
                    "both.",
                ),
                (
                    "c",
                    "Enterprise mistakes cost money, as the fraud model showed; they "
                    "are counted in the customer's books rather than in public.",
                ),
            )
        ),
        lambda: "d",
        hint=(
            "With the same error rate and the same share rate, what is left that "
            "differs between the internal tool and the consumer app?",
            "The chance of a day with no shared failure is (1 - rate) to the power "
            "of the outputs a day; book.decisions.public_failures simulates it.",
        ),
        takeaway="Exposure turns the same error rate from a private cost into a "
        "public failure.",
    ),
)
