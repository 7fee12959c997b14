"""Chapter 2 homework: the questions, and the data they are about.

Other numbers and another seed than the chapter, so that no answer can be read
off the chapter's outputs. The expected answers are computed here, on the
first check, by the steps each question describes.
"""

from __future__ import annotations

import pandas as pd
from sklearn.model_selection import train_test_split

from book import data, fairness, memory
from book.homework.checks import Choice, KnownMistakes, Number
from book.homework.question import Question

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
    "Keep the models whose p99 latency is within the budget, then take the one with "
    "the highest AUC.",
)
q2 = Question(
    "q2",
    Number(rtol=0.005, what="a number of predictions"),
    _crossover,
    "Over a model's life, training costs its seconds once; each prediction costs one "
    "over the "
    "throughput. Find the number of predictions whose cost equals one training run.",
)
q3 = Question(
    "q3",
    Number(atol=0.002, what="a difference of two rates, as a fraction"),
    _fnr_gap,
    "Train the chapter's model without the group column on the recorded outcomes, "
    "predict on the "
    "audit applicants, and among those who truly repaid, compare the share turned down "
    "in group B "
    "and in group A (B minus A).",
)
q4 = Question(
    "q4",
    KnownMistakes(Number(rtol=0.01, what="a memory size in GiB"), _serving_mistakes),
    _serving_memory,
    "memory.serving_gib adds the four parts (weights, key-value cache, the prefill's "
    "activations, "
    "the runtime's own memory). Give it the model, the context, the batch, and the "
    "precisions of "
    "the weights and of the cache separately. 1 GiB is 2**30 bytes.",
)

QUESTIONS = (q1, q2, q3, q4)


def reseed(seed):
    """Draw this homework's data (question 3) from another seed.

    The seed sweep (``make seeds``) calls it before the solution runs, to check
    that every question is well posed and the reference solution passes
    whatever the draw.
    """
    LENDING["seed"] = int(seed)
    for question in QUESTIONS:
        question.forget()
