"""Chapter 1 homework: the questions, and the data and costs they are about.

The homework notebook shows these constants and asks the learner to compute
with them what chapter 1 taught, on fresh variants (other seeds, other costs)
so that no answer can be copied from the chapter's outputs. The expected
answers are computed here, on the first check, by the steps the question
describes.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from book import checklist, data
from book.economics import (
    Option,
    break_even_volume,
    cheapest,
    cheapest_range,
    deferral_curve,
)
from book.homework.checks import Function, Number, SetsByKey
from book.homework.question import Question

# --- Questions 1 and 5: triaging appointment requests at a clinic ---------------------
COST_PER_ERROR_USD = (
    5.0  # a request sent to the wrong service: a call back and a rebooking
)
NURSE = Option("nurse", fixed_usd=0, run_usd=1.20, error_rate=0.02)
FORM_RULE = Option("form rule", fixed_usd=3_000, run_usd=0.0, error_rate=0.20)
TRIAGE_MODEL = Option("triage model", fixed_usd=60_000, run_usd=0.01, error_rate=0.06)
CLINIC_OPTIONS = (NURSE, FORM_RULE, TRIAGE_MODEL)
#: Round volumes, from small to large, that question 5 always tries.
ROUND_VOLUMES = (500, 5_000, 20_000, 50_000, 100_000, 1_000_000)


def boundary_volumes(options, cost_per_error_usd, round_volumes=ROUND_VOLUMES):
    """The volumes at which to check a function that picks the cheapest option.

    A wrong function is most often wrong next to a boundary: where two options
    cost the same (every pairwise break-even volume) or where the cheapest
    option changes (the ends of every :func:`book.economics.cheapest_range`).
    For each such volume ``v`` this takes ``floor(v) - 1`` and ``ceil(v) + 1``,
    and a point 3% below and 3% above, then adds ``round_volumes``.

    Volumes at which two options tie for the cheapest are left out: the
    question does not say which of them to name.

    Parameters
    ----------
    options : sequence of Option
        The options on the table.
    cost_per_error_usd : float
        What one wrong decision costs, in dollars.
    round_volumes : iterable of int
        Volumes to check whatever the boundaries.

    Returns
    -------
    tuple of int
        Positive, distinct and in increasing order.
    """
    boundaries = {
        break_even_volume(a, b, cost_per_error_usd)
        for a, b in itertools.permutations(options, 2)
    }
    for option in options:
        boundaries.update(cheapest_range(option, options, cost_per_error_usd) or ())
    volumes = set(round_volumes)
    for v in boundaries:
        if math.isfinite(v) and v > 0:
            volumes |= {
                math.floor(v) - 1,
                math.ceil(v) + 1,
                math.floor(0.97 * v),
                math.ceil(1.03 * v),
            }

    def tied(volume):
        totals = sorted(
            float(o.total_cost(volume, cost_per_error_usd)) for o in options
        )
        return len(totals) > 1 and math.isclose(totals[0], totals[1], rel_tol=1e-9)

    return tuple(sorted(int(v) for v in volumes if v > 0 and not tied(v)))


#: The volumes at which question 5 calls the learner's function.
CHEAPEST_VOLUMES = boundary_volumes(CLINIC_OPTIONS, COST_PER_ERROR_USD)

# --- Question 2: retention offers, for other customers and at other costs -------------
CHURN_N, CHURN_SEED, TEST_SHARE = 10_000, 11, 0.3
COST_MISSED_CHURNER_USD = 120
COST_WASTED_OFFER_USD = 20
COST_REVIEW_USD = 12
DEFERRAL_RATES = np.linspace(0, 1, 101)

# --- Question 3: a spam stream that drifts more slowly, for longer --------------------
SPAM_STREAM = {"n_months": 18, "n_per_month": 500, "drift_deg": 6.0, "seed": 21}
TARGET_ACCURACY = 0.75


# --- Question 4: three new use cases, judged on the nine criteria ---------------------
def new_use_cases():
    """Three use cases that are not in the chapter, with judgements given as data."""
    yes, no = True, False
    rows = {
        "spotting defects in factory photos": (
            yes,
            yes,
            yes,
            yes,
            yes,
            yes,
            yes,
            yes,
            no,
        ),
        "approving mortgage applications": (yes, yes, yes, yes, yes, yes, no, yes, yes),
        "printing payslips from the payroll": (no, no, yes, no, yes, yes, no, yes, no),
    }
    table = pd.DataFrame.from_dict(
        rows, orient="index", columns=[c.key for c in checklist.CRITERIA]
    )
    table.index.name = "use case"
    return table


# --- Reference answers ----------------------------------------------------------------
def churn_split():
    """The train and test customers of question 2, split as the question says."""
    customers = data.make_churn(n=CHURN_N, seed=CHURN_SEED)
    return train_test_split(
        customers,
        test_size=TEST_SHARE,
        random_state=CHURN_SEED,
        stratify=customers.churned,
    )


def _break_even():
    return break_even_volume(TRIAGE_MODEL, NURSE, COST_PER_ERROR_USD)


def _best_deferral_rate():
    train, test = churn_split()
    profile = [c for c in train.columns if c != "churned"]
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(
        train[profile], train.churned
    )
    curve = deferral_curve(
        model.predict_proba(test[profile])[:, 1],
        test.churned.to_numpy(),
        cost_fp_usd=COST_WASTED_OFFER_USD,
        cost_fn_usd=COST_MISSED_CHURNER_USD,
        cost_review_usd=COST_REVIEW_USD,
        rates=DEFERRAL_RATES,
    )
    return float(curve.deferral_rate[curve.cost_per_case_usd.idxmin()])


def _first_month_below_target():
    stream = data.make_spam_stream(**SPAM_STREAM)
    months = dict(tuple(stream.groupby("month")))
    model = LogisticRegression().fit(months[0][["x1", "x2"]], months[0].is_spam)
    for month, frame in months.items():
        if model.score(frame[["x1", "x2"]], frame.is_spam) < TARGET_ACCURACY:
            return int(month)
    raise AssertionError(
        "question 3 needs a stream whose accuracy drops below the target"
    )


def _failed_criteria():
    table = new_use_cases()
    return {
        case: {key for key in table.columns if not row[key]}
        for case, row in table.iterrows()
    }


def _cheapest(volume):
    return cheapest(CLINIC_OPTIONS, volume, COST_PER_ERROR_USD).name


# --- The questions --------------------------------------------------------------------
q1 = Question(
    "q1",
    Number(rtol=0.005, what="a number of requests"),
    _break_even,
    "Total cost = cost to build + requests x (cost to run + error rate x cost per "
    "error). Set the "
    "totals of the model and the nurse equal and solve for the number of requests; "
    "book.economics.break_even_volume does this for two Options.",
)
q2 = Question(
    "q2",
    Number(atol=0.0101, fraction=True, what="a share of customers between 0 and 1"),
    _best_deferral_rate,
    "Follow the chapter's deferral section with this homework's seed, split and costs. "
    "The answer is the deferral rate at which the cost per customer is smallest "
    "(idxmin), as a fraction.",
)
q3 = Question(
    "q3",
    Number(integer=True, what="a month number"),
    _first_month_below_target,
    "Fit the model on month 0 only, score it on every month in order, and stop at the "
    "first "
    "month whose accuracy is below the target. Months are numbered from 0.",
)
q4 = Question(
    "q4",
    SetsByKey(
        vocabulary=tuple(c.key for c in checklist.CRITERIA),
        what="a dict of sets of criterion keys",
    ),
    _failed_criteria,
    "A criterion fails where the table says False. For each row (use case), collect "
    "the names "
    "of the columns whose value is False.",
)
q5 = Question(
    "q5",
    Function(
        inputs=CHEAPEST_VOLUMES, returns=str, what="the name of an option (a str)"
    ),
    lambda: _cheapest,
    "At the given volume, compute each option's total cost with Option.total_cost "
    "(errors "
    "included) and return the .name of the smallest.",
)

QUESTIONS = (q1, q2, q3, q4, q5)


def reseed(seed):
    """Draw this homework's data (questions 2 and 3) from another seed.

    The seed sweep (``make seeds``) calls it before the solution runs, to check
    that every question is well posed and the reference solution passes
    whatever the draw.
    """
    global CHURN_SEED
    CHURN_SEED = int(seed)
    SPAM_STREAM["seed"] = int(seed)
    for question in QUESTIONS:
        question.forget()
