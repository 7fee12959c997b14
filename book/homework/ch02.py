"""Chapter 2 homework: the questions, and the data they are about.

Other numbers and another seed than the chapter, so that no answer can be read
off the chapter's outputs. The expected answers are computed here, on the
first check, by the steps each question describes.
"""

from __future__ import annotations

import pandas as pd
from sklearn.model_selection import train_test_split

from book import data, fairness, memory
from book.homework.checks import Choice, KnownMistakes, Number, letter_choice
from book.homework.question import Question, Quiz

# --- Question 1: a stakeholder with a latency budget ----------------------------------
#: Measured offline for a news recommender; the numbers are given, not timed.
CANDIDATES = pd.DataFrame(
    {
        "AUC": [0.781, 0.802, 0.815, 0.809, 0.794],
        "p99 latency (ms)": [2.1, 9.5, 38.0, 6.8, 4.2],
        "size (MB)": [0.1, 12.0, 310.0, 45.0, 3.5],
    },
    index=pd.Index(
        [
            "logistic regression",
            "gradient boosting",
            "deep ranker",
            "random forest",
            "small MLP",
        ],
        name="model",
    ),
)
LATENCY_BUDGET_MS = 8.0

# --- Question 2: when does inference cost more than training? -------------------------
TRAINING_S = 540.0  # one training run, in seconds of compute
THROUGHPUT_PER_S = 1_800.0  # predictions per second of compute, on the same machine

# --- Question 3: the false-negative-rate gap on another sample ------------------------
LENDING = {"n": 12_000, "seed": 5}
TEST_SHARE = 0.4
LOAN_NUMERIC = fairness.LENDING_NUMERIC

# --- Question 4: the memory to serve another model ------------------------------------
#: A 13-billion-parameter model with the shape of Llama 2 13B.
MODEL_13B = memory.Transformer(
    n_params=13.0e9,
    n_layers=40,
    hidden_size=5120,
    intermediate_size=13824,
    vocab_size=32000,
    n_heads=40,
    context=4096,
)
CONTEXT, BATCH = 4096, 2  # tokens per sequence, sequences served at once
WEIGHTS, KV_CACHE = "int8", "fp16"  # weight-only quantisation: the cache stays at fp16


def loan_split():
    """The training and audit applicants of question 3."""
    loans = data.make_lending(**LENDING)
    return train_test_split(loans, test_size=TEST_SHARE, random_state=LENDING["seed"])


def _latency_choice():
    within = CANDIDATES[CANDIDATES["p99 latency (ms)"] <= LATENCY_BUDGET_MS]
    return str(within["AUC"].idxmax())


def _crossover():
    return TRAINING_S * THROUGHPUT_PER_S


def _fnr_gap():
    train, test = loan_split()
    columns = LOAN_NUMERIC + ["region"]
    model = fairness.lending_pipeline(["region"]).fit(
        train[columns], train.recorded_repaid
    )
    fnr = fairness.false_negative_rates(
        test.repaid, model.predict(test[columns]), test.group
    )
    return float(fnr["B"] - fnr["A"])


def _serving_memory(**changes):
    """Question 4's estimate in GiB, runtime included; ``changes`` make the plausible
    mistakes."""
    settings = {
        "context": CONTEXT,
        "batch": BATCH,
        "precision": WEIGHTS,
        "kv_precision": KV_CACHE,
        "runtime": True,
    } | changes
    return memory.serving_gib(MODEL_13B, **settings)


def _serving_mistakes():
    """Plausible wrong answers to question 4, each with what to tell the learner."""
    parts = memory.serving_parts(MODEL_13B, CONTEXT, BATCH, WEIGHTS, KV_CACHE)
    total = sum(parts.values())
    return (
        (
            _serving_memory(kv_precision=WEIGHTS),
            "Your key-value cache is quantised too. The question's "
            "quantisation is weight-only: the cache stays at its own precision.",
        ),
        (
            total * memory.GIB / memory.GB,
            "That looks like decimal gigabytes (10**9 bytes); the question "
            "asks for GiB (2**30 bytes), the unit GPU memory is sold in.",
        ),
        (
            _serving_memory(batch=1),
            "That is the memory for one sequence: the key-value cache and the "
            "prefill's activations grow with the batch.",
        ),
        (
            total - parts["activations"] - parts["runtime"],
            "You counted the weights and the key-value cache "
            "only; the question also counts the prefill's activations and the "
            "runtime's own memory.",
        ),
        (
            total - parts["runtime"],
            "The runtime's own memory (the assumption memory.RUNTIME_GIB) is missing.",
        ),
        (
            total - parts["activations"],
            "The prefill's activations are missing: the whole prompt of every "
            "sequence goes through the model at once.",
        ),
        (
            _serving_memory(precision="fp16"),
            "Those are 16-bit weights; check the weights' precision in the question.",
        ),
    )


q1 = Question(
    "q1",
    Choice(
        options=tuple(CANDIDATES.index),
        diagnoses=(
            (
                "deep ranker",
                "That model has the best AUC of all, but check its p99 latency against "
                "the budget.",
            ),
            (
                "logistic regression",
                "That one is within the budget, but so are others with a higher AUC.",
            ),
        ),
        what="the name of one of the candidate models",
    ),
    _latency_choice,
    hint=(
        "A budget is a limit, not a score: first set aside every model that breaks "
        "it, then compare the ones that are left.",
        "Keep the rows whose p99 latency is at most the budget (a model right at the "
        "budget is within it), then take the highest AUC among them.",
    ),
    takeaway="A requirement such as a latency budget filters the candidates before "
    "the metric ranks them: the best score overall may not be allowed.",
)
q2 = Question(
    "q2",
    Number(rtol=0.005, what="a number of predictions"),
    _crossover,
    hint=(
        "Write the compute of a model's life as one training run plus the cost of one "
        "prediction times their number. The crossover is where the second term "
        "equals the first.",
        "One prediction costs 1 / throughput seconds of compute, so the crossover is "
        "the training seconds divided by that: it grows with the throughput.",
    ),
    takeaway="Training is paid once and serving again for every prediction, so "
    "inference overtakes training after training time times throughput predictions.",
)
q3 = Question(
    "q3",
    Number(atol=0.002, what="a difference of two rates, as a fraction"),
    _fnr_gap,
    hint=(
        "A false negative is a creditworthy applicant who is turned down: in each "
        "group, count only the audit applicants who truly repaid, and judge the model "
        "against the true outcome, not the record.",
        "Fit on recorded_repaid without the group column; among the audit applicants "
        "with repaid == 1, take each group's share of predictions equal to 0, then B "
        "minus A. fairness.false_negative_rates computes the shares.",
    ),
    takeaway="A fairness audit compares error rates by group against the true "
    "outcomes: the records count some of group B's wrongful refusals as right ones.",
)
q4 = Question(
    "q4",
    KnownMistakes(Number(rtol=0.01, what="a memory size in GiB"), _serving_mistakes),
    _serving_memory,
    hint=(
        "Add four parts: the weights, the key-value cache, the prefill's activations "
        "and the runtime's own memory. The batch multiplies the cache and the "
        "activations, not the weights, and the weights and the cache each have their "
        "own precision.",
        "memory.serving_gib adds the four parts: give it the model, the context, the "
        "batch, and the precisions of the weights and of the cache separately, with "
        "runtime=True. 1 GiB is 2**30 bytes.",
    ),
    takeaway="A memory estimate holds only with its conditions: the precision of the "
    "weights and of the cache, the context, the batch and the runtime.",
)

QUESTIONS = (q1, q2, q3, q4)


# --- The chapter's "Check your understanding" ----------------------------------------
def _quiz_choice(*diagnoses):
    """A lettered choice of the chapter's quiz, with a diagnosis per wrong letter."""
    return letter_choice(diagnoses)


QUIZ = Quiz(
    Question(
        "quiz.q1",
        _quiz_choice(
            (
                "a",
                "The simulator draws the bid independently of everything else, so a "
                "high bid says nothing about a click; and the revenue ranking got "
                "fewer clicks, not more.",
            ),
            (
                "b",
                "Could it have come out the other way? A ranking by the model's "
                "estimate of expected revenue shows the impressions with the most of "
                "it, as far as the model is right. Ask what the experiment could not "
                "have known in advance.",
            ),
            (
                "d",
                "Nothing in the experiment measured calibration: it compared two "
                "rankings by the clicks and the revenue they bring, counted with the "
                "simulator's true probabilities.",
            ),
        ),
        lambda: "c",
        hint=(
            "Ask which part of the result could have come out otherwise, given how "
            "each ranking chooses what to show.",
            "Sales sort the impressions by the model's estimate of the very quantity "
            "whose true total is then measured. With a decent model, which way the "
            "result goes is no surprise.",
        ),
        takeaway="A simulated result is a finding only where it could have come out "
        "otherwise: say what the simulator builds in.",
    ),
    Question(
        "quiz.q2",
        _quiz_choice(
            (
                "b",
                "More predictions per second for the server is throughput; a user "
                "feels latency, the time until their own answer. The two need not "
                "move together.",
            ),
            (
                "c",
                "Batching changes latency too: in the chapter's batching figure, the "
                "time a batch takes grows with its size, and each request in it gets "
                "its answer only at the end.",
            ),
            (
                "d",
                "Per row, the work falls with batching: the largest batch cost far "
                "less per row than a single request. The wait comes from elsewhere.",
            ),
        ),
        lambda: "a",
        hint=(
            "Throughput counts the predictions a server makes per second; latency is "
            "how long one request waits. Which of the two does the user feel, when "
            "no request waits in a queue?",
            "Look at the lower panel of the chapter's batching figure: how long a "
            "whole batch takes as it grows, and when each request in it gets its "
            "answer.",
        ),
        takeaway="Batching buys throughput for the platform and charges it to the "
        "latency of each user's request.",
    ),
    Question(
        "quiz.q3",
        _quiz_choice(
            (
                "a",
                "Every value lies inside the training range, so a range check passes "
                "each one of them.",
            ),
            (
                "b",
                "The AUC moves only as much as the column matters to the model, which "
                "for some columns is hardly at all; and it needs labels, which arrive "
                "late.",
            ),
            (
                "c",
                "The column arrives under its usual name; only the unit of its values "
                "changed.",
            ),
        ),
        lambda: "d",
        hint=(
            "Each value on its own looks normal. What looks at many values of the "
            "column together?",
            "Recall the sessions per day in the chapter, and which of the checks on "
            "its page gave them away without waiting for labels "
            "(production.median_shift).",
        ),
        takeaway="A unit change inside the training range passes every range check; "
        "watching each input's distribution against training catches it at once.",
    ),
    Question(
        "quiz.q4",
        _quiz_choice(
            (
                "a",
                "A more flexible model fits the biased records better, bias included: "
                "the problem lies in what the model learns from, not in its form.",
            ),
            (
                "c",
                "The simulator gives both groups the same repayment formula, and the "
                "false-negative rate counts only applicants who truly repaid: "
                "creditworthy people, in both groups.",
            ),
            (
                "d",
                "Noise doesn't make a gap this size: with honest records, the same "
                "audit of as many applicants finds a few points at most (the chapter's "
                "first exercise).",
            ),
        ),
        lambda: "b",
        hint=(
            "Both groups repay by the same formula, and the audit counts only "
            "applicants who truly repaid. So where could the model have learnt a "
            "difference between the groups?",
            "Compare what the model was trained on with what it is audited on, then "
            "look at which input it leans on in the permutation-importance figure.",
        ),
        takeaway="Dropping a sensitive column leaves a bias held in the labels intact: "
        "any feature that goes with the group carries it back.",
    ),
    Question(
        "quiz.q5",
        _quiz_choice(
            (
                "a",
                "Naming the helper is not containing it: after the edit, the text of "
                "the training function is unchanged, and so would be the id, for a "
                "model that predicts differently.",
            ),
            (
                "b",
                "The parameters already enter the id on their own, and the edit "
                "changed neither them nor the function's text.",
            ),
            (
                "d",
                "Git tracks files, not which version a stored model was trained with; "
                "and the libraries' versions did not change when our helper did.",
            ),
        ),
        lambda: "c",
        hint=(
            "List what the edit changed and what it left alone. Which of the options "
            "would come out different after it?",
            "The chapter's code version follows the names the training function uses, "
            "and the names those use in turn; registry.code_identity prints what "
            "went in.",
        ),
        takeaway="A code version must follow every helper and constant the training "
        "code reaches, or an edited helper keeps the old id.",
    ),
)


def reseed(seed):
    """Draw this homework's data (question 3) from another seed.

    The seed sweep (``make seeds``) calls it before the solution runs, to check
    that every question is well posed and the reference solution passes
    whatever the draw.
    """
    LENDING["seed"] = int(seed)
    for question in QUESTIONS:
        question.forget()
