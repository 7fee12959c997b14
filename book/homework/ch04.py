"""Chapter 4 homework: the questions, and the digits, sentences and filings they are
about.

Another pair of digits, another domain of sentences, another corpus for the language
model, another rate of dropped investors and another target accuracy than the chapter,
drawn at seed 7 (:func:`reseed` draws them at another), so that no answer can be read
off the chapter's outputs. The
expected answers are computed here, on the first check, by the steps each question
describes; the learning curves, the label curve, the language model and the extractor's
evaluation are computed once per seed and shared by the questions (and by the plausible
mistakes) that use them.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.datasets import load_digits
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from book import corpora, data, extraction, generative, ngram, sentiment
from book.homework.checks import KnownMistakes, Number, Verdict, letter_choice
from book.homework.question import Question, Quiz

# --- Question 1: naive Bayes and logistic regression on another pair of digits -------
#: The two digits told apart; the label is 1 for the second.
DIGIT_PAIR = (5, 9)
TRAIN_SIZE = 12  # m, the training examples of each draw
DRAWS = 20  # random training sets of that size
CURVES = {"seed": 7}  # seeds the draws of generative.learning_curves

# --- Question 2: the labels a model needs to catch up with VADER, on movie reviews ---
MOVIES = {"seed": 7}  # seeds the split of the sentences and the draws of the labels
TEST_SHARE = 0.1  # of the movie sentences, held out to measure the AUC on
#: The numbers of labelled sentences the model is trained on.
LABEL_COUNTS = (50, 100, 200, 500, 1000, 2000)
LABEL_DRAWS = 4  # random sets of labelled sentences per count
#: What each column of the labelled sentences means, for the page that shows them.
SENTENCE_COLUMNS = {
    "source": "the snippet the sentence comes from (here each sentence is its own)",
    "text": "the sentence",
    "mean_rating": "the raters' mean, from -4 (most negative) to +4 (most positive)",
    "label": "1 if the mean is above +0.5 (positive), 0 if below -0.5 (negative)",
}

# --- Question 3: a character language model of newspaper editorials ------------------
EDITORIALS = {"seed": 7}  # which editorials are held out
HELD_OUT_SHARE = 0.2  # of the sentences, held out (whole editorials at a time)
ORDER = 4  # the model's order n: each character predicted from the n - 1 before it

# --- Questions 4 and 5: an extractor that drops more investors -----------------------
FILINGS = {"n": 400, "seed": 7}  # the documents, and the seed of the extractor too
P_DROP_INVESTOR = 0.1  # the chance that the extractor leaves one investor out
TARGET_ACCURACY = 0.98  # required share of the kept documents entirely right
#: What the filings' columns mean, for the page that shows them.
FILING_COLUMNS = {
    "text": "the document, as the extractor reads it",
    "ceo": "the right answer for the CEO: first and last name",
    "coo": "the right answer for the COO, or None where the text names none",
    "investors": "the right answer for the investors: the firms' names",
}

#: The chapter's target accuracy, a plausible slip in question 5.
CHAPTER_TARGET = 0.95
#: The extractor's default chance of dropping an investor, a plausible slip in q4.
DEFAULT_P_DROP = 0.03


def digit_pair():
    """The images of the two digits of :data:`DIGIT_PAIR`, in the order of
    scikit-learn's bundled digits: their 64 pixel intensities ``X`` and ``y``, 1 for
    the second digit."""
    digits = load_digits()
    keep = np.isin(digits.target, DIGIT_PAIR)
    return digits.data[keep], (digits.target[keep] == DIGIT_PAIR[1]).astype(int)


def movie_split(seed=None):
    """The movie-review sentences whose raters leaned one way, split into training
    and test sentences (:data:`TEST_SHARE` held out) at ``MOVIES["seed"]``."""
    seed = MOVIES["seed"] if seed is None else seed
    sentences = sentiment.labelled_sentences("movies")
    return sentiment.split_by_source(sentences, TEST_SHARE, seed=seed)


def editorial_split(seed=None):
    """The editorials' sentences, split into training and held-out sentences
    (whole editorials, :data:`HELD_OUT_SHARE` of the sentences) at
    ``EDITORIALS["seed"]``."""
    seed = EDITORIALS["seed"] if seed is None else seed
    frame = corpora.sentences("nyt")[["source", "text"]]
    return ngram.split_sentences(frame, HELD_OUT_SHARE, seed=seed)


# --- What the questions compute, once per seed ---------------------------------------
def _logistic():
    return make_pipeline(
        StandardScaler(), LogisticRegression(C=np.inf, max_iter=10_000)
    )


def _logistic_l2():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1_000))


_MODELS = {"naive Bayes": generative.SharedVarianceNB, "logistic regression": _logistic}
#: Models of plausible slips: scikit-learn's default penalty, and its naive Bayes
#: (a variance per class and feature).
_SLIP_MODELS = {"L2": _logistic_l2, "GaussianNB": GaussianNB}


@lru_cache(maxsize=4)
def _digit_errors(seed, slips=False):
    """Each model's mean test error at :data:`TRAIN_SIZE` examples, over the draws of
    ``seed`` (with the models of the slips too if ``slips``: the draws are the same)."""
    X, y = digit_pair()
    models = {**_MODELS, **(_SLIP_MODELS if slips else {})}
    curves = generative.learning_curves(
        X, y, [TRAIN_SIZE], models, draws=DRAWS, seed=seed
    )
    return curves.groupby("model")["error"].mean().to_dict()


def _from_scratch():
    return make_pipeline(
        TfidfVectorizer(sublinear_tf=True), LogisticRegression(max_iter=1_000)
    )


@lru_cache(maxsize=4)
def _movie_curve(seed):
    """VADER's AUC on the test sentences, and the label curve of the model trained
    from scratch: its AUC at each of :data:`LABEL_COUNTS`, for each draw."""
    train, test = movie_split(seed)
    vader_auc = float(roc_auc_score(test.label, sentiment.vader_scores(test.text)))
    curve = sentiment.label_curve(
        _from_scratch,
        train.text,
        train.label,
        test.text,
        test.label,
        list(LABEL_COUNTS),
        draws=LABEL_DRAWS,
        seed=seed,
    )
    return vader_auc, curve


@lru_cache(maxsize=4)
def _editorial_texts(seed):
    train, held_out = editorial_split(seed)
    return tuple(train.text), tuple(held_out.text)


@lru_cache(maxsize=8)
def _language_model(seed, order):
    """The order-``order`` character model fitted on the training sentences."""
    train, _ = _editorial_texts(seed)
    return ngram.NGramModel(order).fit(list(train))


def _perplexity(seed, order, part="held out"):
    train, held_out = _editorial_texts(seed)
    texts = held_out if part == "held out" else train
    return _language_model(seed, order).perplexity(list(texts))


@lru_cache(maxsize=4)
def _evaluation(n, seed, p_drop):
    """The simulated extractor's evaluation, with confidences, on the filings."""
    filings = data.make_filings(n=n, seed=seed)
    extractor = extraction.SimulatedExtractor(
        filings, seed=seed, p_drop_investor=p_drop
    )
    return extraction.evaluate(extractor.extract_with_confidence, filings)


def _results(p_drop=None):
    p_drop = P_DROP_INVESTOR if p_drop is None else p_drop
    return _evaluation(FILINGS["n"], FILINGS["seed"], p_drop)


# --- Reference answers, and the plausible mistakes -----------------------------------
def _error_gap():
    errors = _digit_errors(CURVES["seed"])
    return float(errors["logistic regression"] - errors["naive Bayes"])


def _error_gap_mistakes():
    errors = _digit_errors(CURVES["seed"], slips=True)
    mistakes = [
        (
            errors["logistic regression"],
            "That is logistic regression's mean error alone: subtract naive Bayes's "
            "mean error, on the same draws.",
        ),
        (
            errors["naive Bayes"],
            "That is naive Bayes's mean error alone: the question asks for logistic "
            "regression's minus naive Bayes's.",
        ),
        (
            errors["L2"] - errors["naive Bayes"],
            "That logistic regression has scikit-learn's default L2 penalty (C=1); "
            "the question, as Ng and Jordan, fits it without one: C=np.inf.",
        ),
        (
            errors["logistic regression"] - errors["GaussianNB"],
            "That naive Bayes gives each class its own variances (scikit-learn's "
            "GaussianNB), which bends its boundary; the chapter's SharedVarianceNB "
            "shares them, so that both models draw straight boundaries.",
        ),
    ]
    if CURVES["seed"] != 0:
        default = _digit_errors(0)
        mistakes.append(
            (
                default["logistic regression"] - default["naive Bayes"],
                "Those are the draws of learning_curves' default seed: pass the "
                "question's seed, ch04.CURVES['seed'].",
            )
        )
    return tuple(mistakes)


def _labels_needed():
    vader_auc, curve = _movie_curve(MOVIES["seed"])
    count = sentiment.catch_up_count(curve, vader_auc)
    if count is None:
        raise AssertionError(
            "question 2 needs a count of LABEL_COUNTS at which the trained model's "
            "mean AUC reaches VADER's"
        )
    return count


def _labels_mistakes():
    vader_auc, curve = _movie_curve(MOVIES["seed"])
    count = _labels_needed()
    means = curve.groupby("labels")["auc"].mean()
    at = LABEL_COUNTS.index(count)
    mistakes = [
        (
            vader_auc,
            "That is VADER's AUC, the mark to reach; the question asks how many "
            "labelled sentences the trained model needs to reach it.",
        ),
        (
            float(means[count]),
            "That is the AUC the trained model reaches; the question asks for the "
            "number of labelled sentences at which it first does.",
        ),
    ]
    if at > 0:
        mistakes.append(
            (
                LABEL_COUNTS[at - 1],
                "With that many labels the trained model's mean AUC is still below "
                "VADER's: take the first count at which it reaches it.",
            )
        )
    if at + 1 < len(LABEL_COUNTS):
        mistakes.append(
            (
                LABEL_COUNTS[at + 1],
                "With that many labels the trained model beats VADER, but it already "
                "reaches VADER's AUC with fewer: take the fewest.",
            )
        )
    return tuple(mistakes)


@dataclass(frozen=True)
class _OneOfTheCounts:
    """Question 2's checker: a count of :data:`LABEL_COUNTS`; an AUC or a count off
    the list is named as such (after the known mistakes)."""

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
        if 0 < answer < 1:
            return Verdict(
                False,
                "That looks like an AUC, a share from 0 to 1; the question asks for a "
                "number of labelled sentences, one of ch04.LABEL_COUNTS.",
            )
        if answer > 0 and float(answer).is_integer() and answer not in LABEL_COUNTS:
            return Verdict(
                False,
                "The model was trained only at the counts of ch04.LABEL_COUNTS: "
                "answer with one of them, the fewest whose mean AUC reaches VADER's.",
            )
        return verdict


def _held_out_perplexity():
    return _perplexity(EDITORIALS["seed"], ORDER)


def _perplexity_mistakes():
    seed = EDITORIALS["seed"]
    held_out = _perplexity(seed, ORDER)
    mistakes = [
        (
            _perplexity(seed, ORDER, "train"),
            "That is the perplexity of the training sentences, whose every n-gram "
            "the model has counted: it flatters the model. Measure it on the "
            "held-out sentences.",
        ),
        (
            math.log(held_out),
            "That is the log of the perplexity, the cross-entropy in nats per "
            "character: the perplexity is exp of it.",
        ),
        (
            math.log2(held_out),
            "That is the cross-entropy in bits per character, the log in base two "
            "of the perplexity: the question asks for the perplexity itself.",
        ),
        (
            _perplexity(seed, ORDER + 1),
            "That model is one order too high: an order-n model predicts each "
            "character from the n - 1 characters before it, so NGramModel(order) "
            "takes the order itself, not the length of the context.",
        ),
        (
            _perplexity(seed, ORDER - 1),
            "That model is one order too low: pass the question's order, "
            "ch04.ORDER, as it is.",
        ),
    ]
    if seed != 0:
        train, held = editorial_split(0)
        model = ngram.NGramModel(ORDER).fit(train.text)
        mistakes.append(
            (
                model.perplexity(held.text),
                "Those are the editorials held out at split_sentences' default seed: "
                "pass the question's seed, ch04.EDITORIALS['seed'].",
            )
        )
    return tuple(mistakes)


def _macro_f1(results):
    """The mean over documents of each document's F1 (a plausible slip for the
    micro F1), with :func:`book.extraction.list_scores`' convention where there is
    nothing to count."""
    scores = []
    for tp, fp, fn in zip(
        results["investors_tp"], results["investors_fp"], results["investors_fn"]
    ):
        precision = tp / (tp + fp) if tp + fp else float(fn == 0)
        recall = tp / (tp + fn) if tp + fn else float(fp == 0)
        total = precision + recall
        scores.append(2 * precision * recall / total if total else 0.0)
    return float(np.mean(scores))


def _investors_f1():
    return extraction.list_scores(_results())["f1"]


def _investors_mistakes():
    results = _results()
    scores = extraction.list_scores(results)
    return (
        (
            scores["precision"],
            "That is the precision: the share of the firms returned that are right. "
            "This extractor never invents a firm, it leaves some out; F1 counts "
            "those too.",
        ),
        (
            scores["recall"],
            "That is the recall: the share of the listed firms that were found. F1 "
            "combines it with the precision (their harmonic mean).",
        ),
        (
            float(results["investors_correct"].mean()),
            "That is the share of documents whose investor list is exactly right. "
            "The micro F1 counts every firm once, over all documents, so a list "
            "missing one firm of five is mostly right.",
        ),
        (
            _macro_f1(results),
            "That averages an F1 per document (a macro average): the micro F1 pools "
            "the firms of all documents first, so that a document with many firms "
            "counts for more.",
        ),
        (
            float(results["doc_correct"].mean()),
            "That is the share of documents entirely right, all three fields: the "
            "question asks about the investor lists alone.",
        ),
        (
            extraction.list_scores(_results(DEFAULT_P_DROP))["f1"],
            "That is the extractor at its default chance of dropping an investor: "
            "pass p_drop_investor=ch04.P_DROP_INVESTOR.",
        ),
    )


def _needed_threshold():
    threshold = extraction.threshold_for_precision(_results(), TARGET_ACCURACY)
    if threshold is None:
        raise AssertionError("question 5 needs a threshold that reaches the target")
    return threshold


def _threshold_mistakes():
    results = _results()
    threshold = _needed_threshold()
    at = extraction.coverage_curve(results, [threshold]).iloc[0]
    mistakes = [
        (
            float(at["coverage"]),
            "That is the coverage at the threshold, the share of documents kept; the "
            "question asks for the threshold itself.",
        ),
        (
            float(at["accuracy"]),
            "That is the accuracy of the documents kept at the threshold; the "
            "question asks for the threshold itself.",
        ),
    ]
    chapter = extraction.threshold_for_precision(results, CHAPTER_TARGET)
    if chapter is not None and chapter != threshold:
        mistakes.append(
            (
                chapter,
                "That threshold reaches the chapter's target accuracy; the question "
                "sets a stricter one, ch04.TARGET_ACCURACY.",
            )
        )
    grid = extraction.coverage_curve(results)
    on_grid = grid[(grid["accuracy"] >= TARGET_ACCURACY) & (grid["kept"] < at["kept"])]
    if len(on_grid):
        mistakes.append(
            (
                float(on_grid["threshold"].iloc[0]),
                "That threshold reaches the target, but it keeps fewer documents than "
                "needed: a lower one reaches it too. Try every confidence as a "
                "threshold, not a grid.",
            )
        )
    return tuple(mistakes)


# --- The questions --------------------------------------------------------------------
q1 = Question(
    "q1",
    KnownMistakes(
        Number(rtol=0.001, atol=0.0005, what="a difference of two error rates"),
        _error_gap_mistakes,
    ),
    _error_gap,
    hint=(
        "Fit both models on the same random training sets of m images, test each on "
        "every image it did not train on, and average each model's error over the "
        "draws; then subtract naive Bayes's average from logistic regression's.",
        "generative.learning_curves(X, y, [ch04.TRAIN_SIZE], models, "
        "draws=ch04.DRAWS, seed=ch04.CURVES['seed']) gives one error per draw and "
        "model: group by model and take the mean.",
    ),
    takeaway="With a dozen examples, the generative model's assumption acts as extra "
    "data: naive Bayes can beat the model that ends lower with many.",
)
q2 = Question(
    "q2",
    _OneOfTheCounts(
        KnownMistakes(
            Number(integer=True, what="a number of labelled sentences"),
            _labels_mistakes,
        )
    ),
    _labels_needed,
    hint=(
        "First measure VADER's AUC on the test sentence texts: it needs no labels. "
        "Then, at each count of labels, train the TF-IDF model from scratch on that "
        "many labelled training examples, several times, and average its AUC on the "
        "test texts. The answer is the first count whose average reaches VADER's.",
        "sentiment.vader_scores(test.text) scores the test sentences; "
        "sentiment.label_curve(from_scratch, train.text, train.label, test.text, "
        "test.label, ch04.LABEL_COUNTS, draws=ch04.LABEL_DRAWS, "
        "seed=ch04.MOVIES['seed']) trains and measures, and "
        "sentiment.catch_up_count(curve, vader_auc) reads off the count.",
    ),
    takeaway="A reused model is worth the labels it saves: count them where you "
    "would deploy it, since the count differs from one domain to another.",
)
q3 = Question(
    "q3",
    KnownMistakes(Number(rtol=0.001, what="a perplexity"), _perplexity_mistakes),
    _held_out_perplexity,
    hint=(
        "Count the model's n-grams on the training editorials only, then score the "
        "held-out ones, which it has never seen: the perplexity is exp of the mean "
        "negative log probability of their characters, each sentence's end included.",
        "ngram.NGramModel(ch04.ORDER).fit(train.text) fits the model, and its "
        "perplexity(held_out.text) method scores the held-out sentences.",
    ),
    takeaway="Perplexity is measured on text the model never counted: on its own "
    "training text, a language model always looks better than it is.",
)
q4 = Question(
    "q4",
    KnownMistakes(
        Number(rtol=0.001, atol=0.0005, fraction=True, what="an F1 score"),
        _investors_mistakes,
    ),
    _investors_f1,
    hint=(
        "Pool the firms of every document: count the firms found, the firms "
        "returned that the document does not list, and the listed firms not "
        "returned. Precision and recall come from those three counts, and F1 is "
        "their harmonic mean.",
        "extraction.evaluate(extractor.extract_with_confidence, filings) scores "
        "every document, and extraction.list_scores(results)['f1'] is the micro F1.",
    ),
    takeaway="A list field is scored item by item: micro F1 pools every firm, so a "
    "dropped investor costs one firm, not the whole document.",
)
q5 = Question(
    "q5",
    KnownMistakes(
        Number(rtol=0.001, atol=0.0005, fraction=True, what="a confidence threshold"),
        _threshold_mistakes,
    ),
    _needed_threshold,
    hint=(
        "Sort the documents by their confidence, from the highest down, and keep "
        "them one by one: each confidence is a threshold to try. Among the "
        "thresholds whose kept documents are entirely right often enough, take the "
        "lowest, which keeps the most.",
        "extraction.threshold_for_precision(results, ch04.TARGET_ACCURACY) tries "
        "every confidence and returns the lowest that reaches the target; "
        "extraction.coverage_curve(results, [threshold]) shows what it keeps.",
    ),
    takeaway="Abstaining buys accuracy with coverage: a stricter target keeps fewer "
    "documents, and a person handles the rest.",
)

QUESTIONS = (q1, q2, q3, q4, q5)


def reseed(seed):
    """Draw this homework's training sets, splits, filings and extractor from another
    seed.

    The seed sweep (``make seeds``) calls it before the solution runs, to check that
    every question is well posed and the reference solution passes whatever the draw.
    """
    CURVES["seed"] = MOVIES["seed"] = EDITORIALS["seed"] = FILINGS["seed"] = int(seed)
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
                    "Logistic regression models only p(y | x), the boundary: it has no "
                    "model of what an email looks like to draw one from.",
                ),
                (
                    "c",
                    "Only one of the two has a model of the inputs themselves, "
                    "p(x | y); which one?",
                ),
                (
                    "d",
                    "One of them models how the inputs of each class are distributed, "
                    "and anything with such a model can be sampled.",
                ),
            )
        ),
        lambda: "a",
        hint=(
            "Which of the two models p(x | y), what the inputs of each class look "
            "like, and which only p(y | x)?",
            "To draw a new example you need a distribution over x to sample from, "
            "as SharedVarianceNB.sample does in the chapter.",
        ),
        takeaway="A generative model knows what the data look like, so it can draw "
        "new data; a discriminative model knows only the boundary.",
    ),
    Question(
        "quiz.q2",
        letter_choice(
            (
                (
                    "a",
                    "Ng and Jordan's claim is the opposite: logistic regression has "
                    "the lower error only in the limit of many examples.",
                ),
                (
                    "b",
                    "Neither model needs more features than examples to be fitted; "
                    "the question is which one approaches its final error sooner.",
                ),
                (
                    "d",
                    "With features that are nearly independent given the class, naive "
                    "Bayes's assumption is nearly right, which is where it does best.",
                ),
            )
        ),
        lambda: "c",
        hint=(
            "Which of the two uses an assumption about the data as if it were extra "
            "examples, and is that assumption right here?",
            "Look at the independent-features panel of the chapter's learning curves: "
            "which model is near its final error first?",
        ),
        takeaway="With few examples and an assumption that roughly holds, a generative "
        "model can learn faster; the discriminative one passes it only with many "
        "examples, and only where the assumption is wrong.",
    ),
    Question(
        "quiz.q3",
        letter_choice(
            (
                (
                    "a",
                    "In the chapter, training from scratch needed a thousand labels or "
                    "more to match the off-the-shelf model: a week of labelling a few "
                    "hundred sentences would not get there.",
                ),
                (
                    "c",
                    "The off-the-shelf model was never measured on these reviews: "
                    "without a few labelled sentences, nobody knows how well it does.",
                ),
                (
                    "d",
                    "A representation pretrained on text alone barely helped in the "
                    "chapter with few labels; it is no substitute for a model that "
                    "already does the task.",
                ),
            )
        ),
        lambda: "b",
        hint=(
            "What did the chapter's figure show a model trained on a few hundred "
            "labels achieves, against the model that needs none?",
            "Labels still have a use when you do not train: measuring the model you "
            "reuse, on your own data.",
        ),
        takeaway="Reuse moves labels from training to evaluation: you need far fewer, "
        "but not none.",
    ),
    Question(
        "quiz.q4",
        letter_choice(
            (
                (
                    "a",
                    "A document is correct only when every field is; an average over "
                    "documents can hide one field that fails often where it matters, "
                    "as the chapter's per-field table shows.",
                ),
                (
                    "b",
                    "Valid JSON says the output can be parsed, not that its values "
                    "are right.",
                ),
                (
                    "c",
                    "A bigger model may make fewer errors, but you would still not "
                    "know which fields it gets wrong without measuring them.",
                ),
            )
        ),
        lambda: "d",
        hint=(
            "A single accuracy over documents: what could it hide about the fields, "
            "and about the documents where a field is missing?",
            "The chapter's harness reports each field on its own, and what accuracy "
            "remains on the documents kept when low-confidence ones are abstained on.",
        ),
        takeaway="Trust is earned field by field: measure each field, the missing ones "
        "too, and abstain where the model is unsure.",
    ),
)
