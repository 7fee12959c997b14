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
from book.homework.checks import Function, Number, SetsByKey, letter_choice
from book.homework.question import Question, Quiz

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
    hint=(
        "Write each option's total cost as a straight line in the number of requests: "
        "a starting cost (building it), plus a cost for every request. What goes into "
        "the cost of one request, besides running the option?",
        "One request costs its running cost plus the error rate times the cost of one "
        "error. Set the model's total equal to the nurse's and solve for the number of "
        "requests: the gap in building costs, divided by the gap in cost per request.",
        "book.economics.break_even_volume(a, b, cost_per_error_usd) solves that "
        "equation for two Options: pass ch01.TRIAGE_MODEL as a, ch01.NURSE as b.",
    ),
    takeaway=(
        "Break-even volume = extra cost to build / saving per request, mistakes "
        "included; below it, the nurse costs less."
    ),
)
q2 = Question(
    "q2",
    Number(atol=0.0101, fraction=True, what="a share of customers between 0 and 1"),
    _best_deferral_rate,
    hint=(
        "Redo the chapter's section 'Cheap mistakes, or a person in the loop' with "
        "this homework's customers and costs: fit the model on the training "
        "customers, take each test customer's probability of leaving, and cost every "
        "deferral rate.",
        "From the curve of cost per customer against deferral rate, keep the rate of "
        "its lowest point (pandas' idxmin finds that row), as a fraction between 0 and "
        "1, not a percentage.",
        "economics.deferral_curve(proba, test.churned.to_numpy(), cost_fp_usd=..., "
        "cost_fn_usd=..., cost_review_usd=..., rates=ch01.DEFERRAL_RATES) gives the "
        "curve, with proba = model.predict_proba(test[profile])[:, 1]. A missed "
        "churner is a false negative.",
    ),
    takeaway=(
        "The best deferral rate is where one more review would cost more than the "
        "mistake it is expected to prevent."
    ),
)
q3 = Question(
    "q3",
    Number(integer=True, what="a month number"),
    _first_month_below_target,
    hint=(
        "Fit the model once, on month 0 only, and then score that same model on every "
        "month: never refit it.",
        "Go through the months in order (they are numbered from 0) and stop at the "
        "first whose accuracy is below the target; a later month may bounce back above "
        "it, which does not matter.",
    ),
    takeaway=(
        "Under steady drift a model trained once decays month by month: monitoring its "
        "accuracy tells you when to retrain."
    ),
)
q4 = Question(
    "q4",
    SetsByKey(
        vocabulary=tuple(c.key for c in checklist.CRITERIA),
        what="a dict of sets of criterion keys",
    ),
    _failed_criteria,
    hint=(
        "A use case fails a criterion where its box is not ticked. Take the use cases "
        "one at a time, and for each collect the criteria it misses.",
        "Loop over the rows of ch01.new_use_cases() (one per use case; .iterrows() "
        "gives the name and the row) and keep, as a set, the column names (criterion "
        "keys) whose value is False.",
    ),
    takeaway=(
        "Read a use case's misses by kind: a missed core criterion rules ML out, a "
        "missed helpful one is a caveat to design for."
    ),
)
q5 = Question(
    "q5",
    Function(
        inputs=CHEAPEST_VOLUMES, returns=str, what="the name of an option (a str)"
    ),
    lambda: _cheapest,
    hint=(
        "At the given volume, work out the total cost of every one of the three "
        "options (building, running and mistakes) and return the name of the lowest. "
        "Compare all three at once, not each with the nurse.",
        "Option.total_cost(volume, ch01.COST_PER_ERROR_USD) gives one option's total "
        "cost; take min() over ch01.CLINIC_OPTIONS with that as the key, and return "
        "its .name.",
    ),
    takeaway=(
        "Which option costs least depends on the volume: compare all of them at each "
        "volume, since the winner changes as the volume grows."
    ),
)

QUESTIONS = (q1, q2, q3, q4, q5)


# --- Check your understanding: the chapter's quiz ------------------------------------
QUIZ = Quiz(
    Question(
        "quiz.q1",
        letter_choice(
            (
                (
                    "a",
                    "Thousands of payslips a month, for years, is plenty of data. What "
                    "is missing is something to learn: ask what a model could find "
                    "that the contracts do not already say.",
                ),
                (
                    "c",
                    "Dear mistakes call for care, such as a person in the loop, but "
                    "they do not make a problem unfit for ML: fraud detection has them "
                    "too. Look at the criteria of the definition itself.",
                ),
                (
                    "d",
                    "Stable patterns only mean that a model, once good, stays good for "
                    "longer; translation misses this criterion and still fits. "
                    "Something more basic fails here.",
                ),
            )
        ),
        lambda: "b",
        hint=(
            "Of the nine criteria, the first five say whether a problem is an ML "
            "problem at all; the last four only say whether ML pays off well. Which "
            "kind does each reason touch?",
            "Recall the parcel tariff: when a person can write the exact rule down, "
            "what can a model learned from data do at best?",
        ),
        takeaway=(
            "When a contract or a law states the rule exactly, code the rule: a model "
            "could at best reproduce it."
        ),
    ),
    Question(
        "quiz.q2",
        letter_choice(
            (
                (
                    "a",
                    "The held-out customers were drawn like the training ones, so they "
                    "are not unusual. The gap between the two scores is the finding, "
                    "not an accident of the test set.",
                ),
                (
                    "b",
                    "Churn is a coin flip whose odds depend on the profile: two "
                    "customers alike can choose differently. A perfect fit to noisy "
                    "labels means the noise was fitted too, not that there is none.",
                ),
                (
                    "d",
                    "More customers would give it more noise to store, and it would be "
                    "perfect on them too. A training score cannot tell storing from "
                    "learning, whatever the amount of data.",
                ),
            )
        ),
        lambda: "c",
        hint=(
            "Could a model that simply stored every training customer and their "
            "outcome score as well on the training customers?",
            "A score says something about new customers only if it was measured on "
            "customers the model did not see while it was fitted.",
        ),
        takeaway=(
            "A perfect training score is what memorising looks like: judge a model on "
            "cases it has not seen."
        ),
    ),
    Question(
        "quiz.q3",
        letter_choice(
            (
                (
                    "a",
                    "Training accuracy rewards memorising, and it comes from the very "
                    "months the filter learned from. It says nothing about the months "
                    "to come.",
                ),
                (
                    "b",
                    "A random hold-out puts later months into training, so the filter "
                    "is tested on patterns it has already seen. When the patterns "
                    "drift, it promises more than the filter will deliver.",
                ),
                (
                    "c",
                    "Shuffled folds are random splits, repeated: each still trains on "
                    "months it is tested on, so under drift every fold promises too "
                    "much, and their average too.",
                ),
            )
        ),
        lambda: "d",
        hint=(
            "In use, which messages will the filter meet: ones from the months it "
            "learned from, or later ones?",
            "An estimate is honest when its test messages stand to its training "
            "messages as the future will stand to the past.",
        ),
        takeaway=(
            "When the world drifts, test on data that comes after the training data, "
            "in time order, as the model will meet it."
        ),
    ),
    Question(
        "quiz.q4",
        letter_choice(
            (
                (
                    "b",
                    "Fewer mistakes save money on every ticket, but only as many times "
                    "as there are tickets, while the cost of building is paid in full. "
                    "A better model can still be a loss.",
                ),
                (
                    "c",
                    "The firm's alternative is its keyword rule, not a person; and "
                    "a low running cost is not enough anyway: the saving on each "
                    "ticket has to be multiplied by enough tickets to pay back the "
                    "cost to build.",
                ),
                (
                    "d",
                    "The definition says whether ML can do the job; it says nothing "
                    "about whether it pays. Routing tickets meets the definition at "
                    "any volume.",
                ),
            )
        ),
        lambda: "a",
        hint=(
            "Write each option's total cost over the system's life: a cost to "
            "build, plus a cost per ticket (running and mistakes) times the number "
            "of tickets.",
            "The savings per ticket repay the extra cost to build only after enough "
            "tickets. Compare that number with the tickets the firm will route.",
        ),
        takeaway=(
            "A model's cost to build is repaid ticket by ticket: a firm with few "
            "tickets never gets it back."
        ),
    ),
    Question(
        "quiz.q5",
        letter_choice(
            (
                (
                    "a",
                    "The model is mostly right about the customers it is surest of, so "
                    "a review there buys little.",
                ),
                (
                    "b",
                    "A review costs the same on any case, and a random one mostly "
                    "lands on cases the model gets right anyway: it prevents few "
                    "mistakes for its price.",
                ),
                (
                    "d",
                    "Every review costs the person's time. Reviewing cases the model "
                    "gets right is waste, which is why deferring everyone costs more "
                    "than deferring only some.",
                ),
            )
        ),
        lambda: "c",
        hint=(
            "A review costs the same whichever case it is spent on. On which cases "
            "does it prevent the most expected cost?",
            "The model's expected cost on a case is the chance its decision is wrong "
            "times what that mistake costs. For which customers is that chance "
            "largest?",
        ),
        takeaway=(
            "Spend a person's time where the model's own decision is likeliest to be "
            "an expensive mistake, not where it is surest."
        ),
    ),
)


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
