"""Chapter 5 homework: the questions, and the editorials, tweets and movie sentences
they are about.

The chapter evaluates, on Amazon product sentences at seed 0, a sentiment model built
on movie sentences. Here the same evaluations run on other domains: a batch of
newspaper editorial sentences to rank for a desk with a budget, tweets to recalibrate
the movie model on and to test VADER's robustness to typos on, movie sentences whose
raters disagree, and the editorials' labelled sentences split at random and by
editorial. The batches and splits are drawn at seed 7 (:func:`reseed` draws them at
another), so that no answer can be read off the chapter's outputs. The expected
answers are computed here, on the first check, by the steps each question describes;
VADER's scores, the movie model and the splits' AUCs are computed once per seed and
shared by the questions (and by the plausible mistakes) that use them.
"""

from __future__ import annotations

import copy
import math
import re
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from book import behaviour, corpora, evaluation, sentiment
from book.homework.checks import KnownMistakes, Number, letter_choice
from book.homework.question import Question, Quiz

# --- Question 1: a desk that reads the most negative editorial sentences --------------
#: The batch of editorial sentences: how many, drawn at which seed.
BATCH = {"n": 1000, "seed": 7}
K = 50  # the sentences the desk can read: the K most negative by VADER
#: A sentence is truly negative when its raters' mean is below this.
NEGATIVE_BELOW = -corpora.NEUTRAL_WITHIN
#: What the batch's columns mean, for the page that shows it.
BATCH_COLUMNS = {
    "source": "the editorial the sentence comes from",
    "text": "the sentence",
    "mean_rating": "the raters' mean, from -4 (most negative) to +4 (most positive)",
}

# --- Question 2: recalibrating a movie model on tweets --------------------------------
TWEETS = {"seed": 7}  # which labelled tweets are held apart to recalibrate on
CALIBRATION_SIZE = 200  # the labelled tweets held apart
BINS = 10  # the equal-width bins of the expected calibration error
#: What the labelled sentences' columns mean, for the page that shows them.
SENTENCE_COLUMNS = {
    "source": "the tweet's own id (each tweet is its own source)",
    "text": "the tweet",
    "mean_rating": "the raters' mean, from -4 (most negative) to +4 (most positive)",
    "label": "1 if the mean is above +0.5 (positive), 0 if below -0.5 (negative)",
}

# --- Question 3: a typo test of VADER on tweets ---------------------------------------
#: The tweets the typo test perturbs: how many, drawn at which seed (the same seed
#: then draws the typos).
TYPOS = {"n": 200, "seed": 7}

# --- Question 4: noisy labels on movie sentences --------------------------------------
#: The movie sentences of question 4: how many, drawn at which seed.
MOVIES = {"n": 2000, "seed": 7}
#: The share of a sentence's raters that must be on the mean's side for them to agree.
MIN_SHARE = 0.8
#: Plausible slips of question 4: other shares for the raters to agree.
OTHER_SHARES = (0.7, 0.9, 1.0)

# --- Question 5: a random split against a split by editorial -------------------------
#: The first seed of the pairs of splits; pair r is drawn at ``LEAK["seed"] + r``.
LEAK = {"seed": 7}
LEAK_REPEATS = 5  # pairs of splits: one random by sentence, one by editorial
TEST_SHARE = 0.25  # of the sentences (or of the editorials), held out to test on
#: What the labelled editorial sentences' columns mean, for the page that shows them.
EDITORIAL_COLUMNS = {
    "source": "the editorial the sentence comes from",
    "text": "the sentence",
    "mean_rating": "the raters' mean, from -4 (most negative) to +4 (most positive)",
    "label": "1 if the mean is above +0.5 (positive), 0 if below -0.5 (negative)",
}


def editorial_batch(seed=None):
    """A batch of :data:`BATCH` ``["n"]`` sentences of the New York Times editorials,
    all of them, the near-neutral ones too, drawn at ``BATCH["seed"]`` and kept in
    the corpus's order.

    Parameters
    ----------
    seed : int, optional
        Another seed than the question's, ``BATCH["seed"]``.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``text`` and ``mean_rating``, with a fresh index.
    """
    seed = BATCH["seed"] if seed is None else seed
    frame = corpora.sentences("nyt")[["source", "text", "mean_rating"]]
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(frame), size=BATCH["n"], replace=False))
    return frame.iloc[rows].reset_index(drop=True)


def tweet_split(seed=None):
    """The tweets whose raters leaned one way, labelled: :data:`CALIBRATION_SIZE`
    of them drawn at ``TWEETS["seed"]`` to recalibrate on, and the others to test
    on, each in the corpus's order.

    Parameters
    ----------
    seed : int, optional
        Another seed than the question's, ``TWEETS["seed"]``.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The calibration tweets and the test tweets, each with a fresh index.
    """
    seed = TWEETS["seed"] if seed is None else seed
    tweets = sentiment.labelled_sentences("tweets")
    held = np.zeros(len(tweets), dtype=bool)
    rng = np.random.default_rng(seed)
    held[rng.choice(len(tweets), size=CALIBRATION_SIZE, replace=False)] = True
    return tweets[held].reset_index(drop=True), tweets[~held].reset_index(drop=True)


def _can_take_a_typo(text):
    """Whether a word of ``text`` has two adjacent letters that differ (ignoring
    case), which :func:`book.behaviour.add_typo` can swap."""
    return any(
        a.lower() != b.lower()
        for word in re.findall(r"[A-Za-z]+", text)
        for a, b in zip(word, word[1:])
    )


def typo_sample(seed=None):
    """:data:`TYPOS` ``["n"]`` tweets, drawn at ``TYPOS["seed"]`` among those with a
    word that can take a typo, in the corpus's order.

    Parameters
    ----------
    seed : int, optional
        Another seed than the question's, ``TYPOS["seed"]``.

    Returns
    -------
    list of str
    """
    seed = TYPOS["seed"] if seed is None else seed
    texts = [t for t in corpora.sentences("tweets")["text"] if _can_take_a_typo(t)]
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(texts), size=TYPOS["n"], replace=False))
    return [texts[i] for i in rows]


@lru_cache(maxsize=1)
def _movie_table():
    movies = corpora.sentences("movies")[["id", "text", "mean_rating"]]
    ratings = corpora.ratings("movies")[["id", "ratings"]]
    return movies.merge(ratings, on="id", how="left", validate="one_to_one")


def movie_ratings(seed=None):
    """:data:`MOVIES` ``["n"]`` movie sentences drawn at ``MOVIES["seed"]``, each with
    every rater's rating and the raters' mean, in the corpus's order.

    Parameters
    ----------
    seed : int, optional
        Another seed than the question's, ``MOVIES["seed"]``.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``text``, ``mean_rating`` and ``ratings`` (the list of every
        rater's rating), with a fresh index.
    """
    seed = MOVIES["seed"] if seed is None else seed
    table = _movie_table()
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(table), size=MOVIES["n"], replace=False))
    frame = table.iloc[rows].reset_index(drop=True)
    frame["ratings"] = [list(r) for r in frame["ratings"]]  # the cache stays as it is
    return frame


def movie_model():
    """The researchers' model: a pipeline of ``TfidfVectorizer(sublinear_tf=True)``
    and ``LogisticRegression(max_iter=1_000)``, trained on every labelled movie
    sentence (:func:`book.sentiment.labelled_sentences`). Each call gives a copy of
    it, trained once, so that changing the copy changes nothing else.

    Returns
    -------
    sklearn.pipeline.Pipeline
    """
    return copy.deepcopy(_movie_model())


# --- What the questions compute, once ------------------------------------------------
@lru_cache(maxsize=16)
def _vader(texts):
    return sentiment.vader_scores(list(texts))


@lru_cache(maxsize=4)
def _batch(seed):
    """The batch's mean ratings and VADER's compound scores."""
    batch = editorial_batch(seed)
    return batch["mean_rating"].to_numpy(), _vader(tuple(batch["text"]))


def _tfidf_logistic():
    """A fresh pipeline of TF-IDF and logistic regression, as the questions state it."""
    return make_pipeline(
        TfidfVectorizer(sublinear_tf=True), LogisticRegression(max_iter=1_000)
    )


@lru_cache(maxsize=1)
def _movie_model():
    """The model trained on every labelled movie sentence."""
    movies = sentiment.labelled_sentences("movies")
    return _tfidf_logistic().fit(movies["text"], movies["label"])


@lru_cache(maxsize=4)
def _tweet_scores(seed):
    """For the calibration and the test tweets: labels, logits and probabilities of
    the movie model."""
    model = _movie_model()
    parts = []
    for part in tweet_split(seed):
        parts.append(
            (
                part["label"].to_numpy(),
                model.decision_function(part["text"]),
                model.predict_proba(part["text"])[:, 1],
            )
        )
    return tuple(parts)


@lru_cache(maxsize=4)
def _typo_pairs(seed):
    """The sampled tweets and their typos, each drawn in turn from one generator."""
    originals = typo_sample(seed)
    rng = np.random.default_rng(seed)
    return tuple(originals), tuple(behaviour.add_typo(t, rng) for t in originals)


def _typo_failures(seed, threshold=0.0, tolerance=None, fresh=False, sides=3):
    originals, perturbed = _typo_pairs(seed)
    if fresh:  # a generator started afresh, at the seed, for each tweet
        perturbed = tuple(behaviour.add_typo(t, seed) for t in originals)
    if sides != 3:  # a slip: two sides only (0 counted as negative), or sign flips only
        before, after = _vader(originals), _vader(perturbed)
        if sides == 2:
            return (before > threshold) != (after > threshold)
        return np.sign(before) * np.sign(after) < 0
    test = behaviour.INV("typo", originals, perturbed, tolerance=tolerance)
    scores = np.concatenate([_vader(originals), _vader(perturbed)])
    return test.failed(scores, threshold)


@lru_cache(maxsize=4)
def _movie_agreement(seed):
    """The sampled movie sentences with a side (neutral ones dropped): their mean
    rating, VADER's score, and the share of raters on the mean's side."""
    movies = movie_ratings(seed)
    split = evaluation.agreement_split(movies[["id", "ratings"]], MIN_SHARE)
    kept = (movies["mean_rating"].abs() > corpora.NEUTRAL_WITHIN).to_numpy()
    share = split["share_on_side"].to_numpy()[kept]
    mean = movies["mean_rating"].to_numpy()[kept]
    return mean, _vader(tuple(movies["text"][kept])), share


def leak_seeds(seed=None):
    """The seeds of the :data:`LEAK_REPEATS` pairs of splits: ``LEAK["seed"]``, then
    each next integer.

    Parameters
    ----------
    seed : int, optional
        Another seed than the question's, ``LEAK["seed"]``.

    Returns
    -------
    list of int
    """
    seed = LEAK["seed"] if seed is None else seed
    return [seed + r for r in range(LEAK_REPEATS)]


def _auc_of(train, test):
    """The AUC of a model trained on ``train``, from its probabilities and (a
    plausible slip) from its predicted labels."""
    model = _tfidf_logistic().fit(train["text"], train["label"])
    probability = model.predict_proba(test["text"])[:, 1]
    return (
        float(roc_auc_score(test["label"], probability)),
        float(roc_auc_score(test["label"], model.predict(test["text"]))),
    )


@lru_cache(maxsize=32)
def _leak_pair(seed, source_seed=None):
    """One pair's AUCs on the labelled editorial sentences: split at random by
    sentence at ``seed``, and by editorial at ``source_seed`` (``seed`` if None);
    then the same from predicted labels."""
    labelled = sentiment.labelled_sentences("nyt")
    random_split = train_test_split(labelled, test_size=TEST_SHARE, random_state=seed)
    source_seed = seed if source_seed is None else source_seed
    by_source = sentiment.split_by_source(labelled, TEST_SHARE, seed=source_seed)
    (random_auc, random_hard), (source_auc, source_hard) = (
        _auc_of(*random_split),
        _auc_of(*by_source),
    )
    return random_auc, source_auc, random_hard, source_hard


def _leak_aucs(seed=None, source_seed=None):
    """Each pair's AUCs, over :func:`leak_seeds`: random and by editorial, then the
    same from predicted labels (one row per pair)."""
    return np.array([_leak_pair(s, source_seed) for s in leak_seeds(seed)])


# --- Reference answers, and the plausible mistakes -----------------------------------
def _told_apart(number, expected, mistakes):
    """The mistakes a learner can be told: those the answer's tolerance does not
    accept, each outside the reach of an earlier one (a draw can make two slips
    give the same value; then the first one's message is given)."""
    kept = []
    for wrong, message in mistakes:
        wrong = float(wrong)
        if not math.isfinite(wrong) or number._close(wrong, expected):
            continue
        if any(abs(wrong - other) <= 2 * number.rtol * abs(other) for other, _ in kept):
            continue
        kept.append((wrong, message))
    return tuple(kept)


def _precision(y, scores):
    return evaluation.precision_recall_at_k(np.asarray(y, dtype=int), scores, K)


def _precision_at_k():
    mean, compound = _batch(BATCH["seed"])
    return _precision(mean < NEGATIVE_BELOW, -compound)[0]


def _precision_mistakes():
    seed = BATCH["seed"]
    mean, compound = _batch(seed)
    negative = mean < NEGATIVE_BELOW
    side = np.abs(mean) > corpora.NEUTRAL_WITHIN
    mistakes = [
        (
            _precision(negative, -compound)[1],
            "That is the recall: the share of all the negative sentences of the batch "
            "that the desk reads. The question asks for the precision: the share of "
            "the sentences it reads that are negative.",
        ),
        (
            _precision(negative, compound)[0],
            "Those are the sentences VADER finds most positive: rank by minus the "
            "compound score, so that the most negative come first.",
        ),
        (
            _precision(mean <= corpora.NEUTRAL_WITHIN, -compound)[0],
            "That counts the near-neutral sentences as negative too: a sentence is "
            "negative only when its raters' mean is below ch05.NEGATIVE_BELOW.",
        ),
        (
            _precision(mean <= NEGATIVE_BELOW, -compound)[0],
            "That counts the sentences whose mean is exactly ch05.NEGATIVE_BELOW as "
            "negative: a sentence is negative when its mean is below it, not at it.",
        ),
        (
            _precision(mean < 0, -compound)[0],
            "That counts every sentence with a mean below zero as negative: the "
            "slightly negative ones are near-neutral. Use ch05.NEGATIVE_BELOW.",
        ),
        (
            _precision(negative[side], -compound[side])[0],
            "That ranks only the sentences the benchmark keeps, with a clear side: "
            "the desk reads the whole batch, the near-neutral sentences too, and "
            "VADER ranks some of them among the most negative.",
        ),
    ]
    if seed != 0:
        mean0, compound0 = _batch(0)
        mistakes.append(
            (
                _precision(mean0 < NEGATIVE_BELOW, -compound0)[0],
                "That is the batch drawn at editorial_batch's default seed: use the "
                "batch of the question's seed, ch05.BATCH['seed'].",
            )
        )
    return _told_apart(Q1_NUMBER, _precision_at_k(), mistakes)


def _ece(y, probabilities, bins=BINS):
    return evaluation.expected_calibration_error(y, probabilities, bins=bins)


def _ece_after(seed=None, method="platt", bins=BINS):
    """The test tweets' ECE after recalibration on the calibration tweets."""
    (cal_y, cal_logit, _), (y, logit, _) = _tweet_scores(
        TWEETS["seed"] if seed is None else seed
    )
    calibrated = evaluation.recalibrate(cal_logit, cal_y, method)
    return _ece(y, calibrated(logit), bins)


def _ece_mistakes():
    seed = TWEETS["seed"]
    (cal_y, cal_logit, cal_p), (y, logit, p) = _tweet_scores(seed)
    after = _ece_after()
    before = _ece(y, p)
    platt = evaluation.recalibrate(cal_logit, cal_y)
    mistakes = [
        (
            before,
            "That is the ECE before recalibration, of the model's own "
            "probabilities: map its scores through the map fitted on the "
            "calibration tweets first.",
        ),
        (
            before - after,
            "That is how much recalibration lowers the ECE; the question asks for the "
            "ECE after it.",
        ),
        (
            _ece(y, evaluation.recalibrate(logit, y)(logit)),
            "That map was fitted on the test tweets themselves, the ones it is "
            "measured on: fit it on the calibration tweets only, held apart.",
        ),
        (
            _ece_after(method="isotonic"),
            "That is isotonic regression: the question asks for Platt scaling, a "
            "sigmoid of the score, which needs fewer labelled tweets.",
        ),
        (
            _ece_after(bins=2 * BINS),
            "That ECE uses twice the question's bins: pass bins=ch05.BINS.",
        ),
        (
            _ece_after(bins=15),
            "That ECE uses fifteen bins, as Guo et al. report it: the question's "
            "number of bins is ch05.BINS.",
        ),
        (
            _ece(y, evaluation.recalibrate(cal_p, cal_y)(p)),
            "That map was fitted on the model's probabilities, already squashed by a "
            "sigmoid: Platt scaling fits a sigmoid of the raw score, the model's "
            "decision_function.",
        ),
        (
            _ece(np.concatenate([cal_y, y]), platt(np.concatenate([cal_logit, logit]))),
            "That ECE counts the calibration tweets too, on which the map was fitted: "
            "measure it on the test tweets only.",
        ),
    ]
    if seed != 0:
        mistakes.append(
            (
                _ece_after(seed=0),
                "Those are the calibration tweets of tweet_split's default seed: use "
                "the question's seed, ch05.TWEETS['seed'].",
            )
        )
    return _told_apart(Q2_NUMBER, after, mistakes)


def _typo_failure_rate():
    return float(_typo_failures(TYPOS["seed"]).mean())


def _typo_mistakes():
    seed = TYPOS["seed"]
    failed = _typo_failures(seed)
    mistakes = [
        (
            1 - failed.mean(),
            "That is the share of tweets that pass the test: the question asks for "
            "the share that fail it.",
        ),
        (
            failed.sum(),
            "That is the number of tweets that fail: the question asks for their "
            "share, a fraction between 0 and 1.",
        ),
        (
            _typo_failures(seed, tolerance=0.0).mean(),
            "That counts every change of the score as a failure: a typo may move "
            "VADER's score a little. The test fails only when the prediction changes "
            "side (positive, negative, or exactly on the threshold).",
        ),
        (
            _typo_failures(seed, threshold=0.05).mean(),
            "That is what a threshold at VADER's usual neutral band gives (the "
            "question puts it at zero), or counting a score of exactly zero as "
            "negative (the test has three sides: a move onto or off zero counts).",
        ),
        (
            _typo_failures(seed, sides=2).mean(),
            "That counts a score of exactly zero as negative: the test has three "
            "sides, and a typo that moves a tweet onto or off zero changes its side.",
        ),
        (
            _typo_failures(seed, sides=1).mean(),
            "That counts only flips between positive and negative: a typo that moves "
            "a tweet onto or off zero changes its side too.",
        ),
        (
            _typo_failures(seed, threshold=0.5).mean(),
            "That threshold is a probability's midpoint: VADER's compound score runs "
            "from minus one to plus one, so its midpoint is zero.",
        ),
        (
            _typo_failures(seed, fresh=True).mean(),
            "Those typos come from a generator started afresh for each tweet: draw "
            "them all, in order, from the one generator seeded with "
            "ch05.TYPOS['seed'].",
        ),
    ]
    return _told_apart(Q3_NUMBER, _typo_failure_rate(), mistakes)


def _accuracy_gap(min_share=MIN_SHARE, zero="wrong", seed=None):
    """VADER's accuracy where the raters agree minus where they disagree."""
    seed = MOVIES["seed"] if seed is None else seed
    mean, compound, share = _movie_agreement(seed)
    right = np.where(mean > 0, compound > 0, compound < 0)
    if zero == "positive":
        right = np.where(mean > 0, compound >= 0, compound < 0)
    agree = share >= min_share
    return float(right[agree].mean() - right[~agree].mean()), right, agree


def _agreement_gap():
    return _accuracy_gap()[0]


def _agreement_mistakes():
    gap, right, agree = _accuracy_gap()
    mistakes = [
        (
            right[agree].mean(),
            "That is VADER's accuracy where the raters agree alone: subtract its "
            "accuracy where they disagree.",
        ),
        (
            right[~agree].mean(),
            "That is VADER's accuracy where the raters disagree alone: the question "
            "asks for the accuracy where they agree minus that.",
        ),
        (
            right.mean(),
            "That is VADER's accuracy over every sentence with a side: split them "
            "into the two groups first.",
        ),
        (
            _accuracy_gap(zero="positive")[0],
            "That counts a score of exactly zero as positive: VADER then says "
            "nothing, so count it as wrong on either side.",
        ),
    ]
    for share in OTHER_SHARES:
        mistakes.append(
            (
                _accuracy_gap(min_share=share)[0],
                "Those groups use another share of raters: they agree when at least "
                "ch05.MIN_SHARE of them are on the mean's side.",
            )
        )
    if MOVIES["seed"] != 0:
        mistakes.append(
            (
                _accuracy_gap(seed=0)[0],
                "Those are the movie sentences of movie_ratings' default seed: use "
                "the question's seed, ch05.MOVIES['seed'].",
            )
        )
    return _told_apart(Q4_NUMBER, gap, mistakes)


def _leak_gap():
    aucs = _leak_aucs()
    return float(aucs[:, 0].mean() - aucs[:, 1].mean())


def _leak_mistakes():
    aucs = _leak_aucs()
    mistakes = [
        (
            aucs[:, 0].mean(),
            "That is the mean AUC of the random splits alone: subtract the mean AUC "
            "of the splits by editorial.",
        ),
        (
            aucs[:, 1].mean(),
            "That is the mean AUC of the splits by editorial alone: the question asks "
            "for the random splits' mean minus it.",
        ),
        (
            aucs[0, 0] - aucs[0, 1],
            "That is the first pair of splits only: average the gap over all "
            "ch05.LEAK_REPEATS pairs, since one pair is noisy.",
        ),
        (
            aucs[:, 0].mean() - _leak_aucs(source_seed=0)[:, 1].mean(),
            "Those splits by editorial all hold out the same editorials, those of "
            "split_by_source's default seed: pass each pair's seed to it.",
        ),
        (
            aucs[:, 2].mean() - aucs[:, 3].mean(),
            "Those AUCs come from predicted labels, 0 or 1, which rank the sentences "
            "in two blocks only: score them with the probability of a positive, "
            "predict_proba.",
        ),
    ]
    return _told_apart(Q5_NUMBER, _leak_gap(), mistakes)


# --- The questions --------------------------------------------------------------------
Q1_NUMBER = Number(rtol=0.001, atol=0.0005, fraction=True, what="a precision")
Q2_NUMBER = Number(
    rtol=0.002, atol=0.0005, fraction=True, what="an expected calibration error"
)
Q3_NUMBER = Number(rtol=0.001, atol=0.0005, fraction=True, what="a failure rate")
Q4_NUMBER = Number(rtol=0.001, atol=0.0005, what="a difference of two accuracies")
Q5_NUMBER = Number(rtol=0.001, atol=0.0005, what="a difference of two AUCs")

q1 = Question(
    "q1",
    KnownMistakes(Q1_NUMBER, _precision_mistakes),
    _precision_at_k,
    hint=(
        "Score every sentence of the batch, the near-neutral ones too, and sort them "
        "from the most negative score down; the desk reads the first K. Of those, "
        "count the ones whose raters' mean is below the question's cut-off, and "
        "divide by K.",
        "sentiment.vader_scores(batch.text) gives the compound scores; "
        "evaluation.precision_recall_at_k(negative, -compound, ch05.K) ranks by the "
        "negated score, so that the most negative come first, and returns the "
        "precision then the recall.",
    ),
    takeaway="Precision at K is measured on what the desk will read, neutral text "
    "included: a benchmark that filtered it out promises more than the stream gives.",
)
q2 = Question(
    "q2",
    KnownMistakes(Q2_NUMBER, _ece_mistakes),
    lambda: _ece_after(),
    hint=(
        "Take the movie model as given, then score the tweets with its raw "
        "score, the log-odds before any sigmoid. Fit a sigmoid of that score to the "
        "labels of the held-apart tweets only, and apply it to the test tweets. Then "
        "cut the probabilities into equal-width bins and average each bin's gap "
        "between mean probability and share of positives, weighted by its count.",
        "model.decision_function(texts) gives the raw scores; "
        "evaluation.recalibrate(calibration_scores, calibration.label) fits Platt "
        "scaling and returns the map; "
        "evaluation.expected_calibration_error(test.label, probabilities, "
        "bins=ch05.BINS) measures the result.",
    ),
    takeaway="A model moved to a new domain keeps some of its ranking but loses its "
    "calibration; a couple of hundred labels from the new domain buy most of it back.",
)
q3 = Question(
    "q3",
    KnownMistakes(Q3_NUMBER, _typo_mistakes),
    _typo_failure_rate,
    hint=(
        "Pair each tweet with a copy that has one typo, drawn in turn from one seeded "
        "generator; score both with VADER, and count the pairs whose prediction "
        "changes side (above, below or exactly on zero). Divide by the number of "
        "pairs.",
        "behaviour.add_typo(text, rng) makes one typo; behaviour.INV('typo', "
        "originals, perturbed) is the test, and behaviour.run_tests("
        "sentiment.vader_scores, [test]) reports its failure_rate.",
    ),
    takeaway="An invariance test asks the model about one capability at a time: a "
    "typo should not change what it predicts, and a lexicon model is only as robust "
    "as its spelling.",
)
q4 = Question(
    "q4",
    KnownMistakes(Q4_NUMBER, _agreement_mistakes),
    _agreement_gap,
    hint=(
        "Keep the movie snippets with a side (a mean beyond the "
        "neutral band). For each snippet, find the share of its raters on the mean's "
        "side, and put it with those the raters agree on when that share is high "
        "enough. VADER is right when its score has the mean's sign. Take its "
        "accuracy in each group.",
        "evaluation.agreement_split(movies[['id', 'ratings']], "
        "min_share=ch05.MIN_SHARE) gives each sentence's group; "
        "sentiment.vader_scores(texts) the scores.",
    ),
    takeaway="Where people disagree, the label itself is noisy: a model's errors "
    "there are partly the label's, so read its accuracy by how sure the raters were.",
)

q5 = Question(
    "q5",
    KnownMistakes(Q5_NUMBER, _leak_mistakes),
    _leak_gap,
    hint=(
        "For each seed of the list, split the labelled editorial lines two ways: "
        "one at random, sentence by sentence, and one that holds out whole editorials. "
        "Train a fresh model on each training part and measure its AUC on its test "
        "part. Average each kind's AUC over the pairs, then subtract.",
        "train_test_split(labelled, test_size=ch05.TEST_SHARE, random_state=seed) "
        "and sentiment.split_by_source(labelled, ch05.TEST_SHARE, seed=seed) make "
        "the two splits of a pair, for each seed of ch05.leak_seeds().",
    ),
    takeaway="Test on units the model has never seen, split the way data arrives: how "
    "much a random split flatters depends on what the units share, so measure it.",
)

QUESTIONS = (q1, q2, q3, q4, q5)


def reseed(seed):
    """Draw this homework's batch of editorials, calibration tweets, typo test, movie
    sentences and pairs of splits from another seed.

    The seed sweep (``make seeds``) calls it before the solution runs, to check that
    every question is well posed and the reference solution passes whatever the draw.
    """
    BATCH["seed"] = TWEETS["seed"] = TYPOS["seed"] = MOVIES["seed"] = int(seed)
    LEAK["seed"] = int(seed)
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
                    "A random split puts emails of one thread on both sides, so the "
                    "test set shares customers and words with training: it flatters.",
                ),
                (
                    "c",
                    "Random folds leak the same way a random split does: emails of one "
                    "thread land in training and in testing.",
                ),
                (
                    "d",
                    "The confident cases are the easy ones; next month's emails will "
                    "not be chosen for being easy.",
                ),
            )
        ),
        lambda: "a",
        hint=(
            "What do emails of the same thread share, and what happens when some of "
            "them are in training and others in the test set?",
            "Compare the chapter's two splits in its section on splits that leak: at "
            "random by sentence, and by review.",
        ),
        takeaway="Split by the unit that arrives together (a thread, a review, a "
        "customer), so that the test set is as new as the future.",
    ),
    Question(
        "quiz.q2",
        letter_choice(
            (
                (
                    "a",
                    "The benchmark's loss measures other data and a probability the "
                    "team never reads; in the chapter it picked the wrong model.",
                ),
                (
                    "b",
                    "A balanced test set has a mix of reviews the platform never sees, "
                    "and accuracy weighs every review, not the 30 the team reads.",
                ),
                (
                    "d",
                    "The AUC needs no threshold, but it is still measured on the "
                    "benchmark's data, and over the whole ranking, not its top 30.",
                ),
            )
        ),
        lambda: "c",
        hint=(
            "What does the team actually do with the model's output each day, and on "
            "which reviews?",
            "The chapter ranked its candidates with evaluation.precision_recall_at_k "
            "on a day of the platform's sentences.",
        ),
        takeaway="Rank candidates by the business metric, with its budget, on "
        "production data; the benchmark's loss can pick another model.",
    ),
    Question(
        "quiz.q3",
        letter_choice(
            (
                (
                    "a",
                    "The chapter's reproduction of the VADER paper found one model "
                    "correlating very differently with people across four domains.",
                ),
                (
                    "c",
                    "Nothing says reviews are easier: in the chapter, VADER "
                    "correlated less with people on product reviews than on tweets.",
                ),
                (
                    "d",
                    "No direction is a law: it depends on the model and the reviews, "
                    "and only a labelled sample of yours says.",
                ),
            )
        ),
        lambda: "b",
        hint=(
            "Is a correlation with what people judged a property of the model alone, "
            "or of the model and the text it was measured on?",
            "Look at the chapter's table of VADER's correlation per domain, next to "
            "the paper's Table 4.",
        ),
        takeaway="A benchmark number belongs to a model and a dataset: measure on "
        "yours.",
    ),
    Question(
        "quiz.q4",
        letter_choice(
            (
                (
                    "a",
                    "Platt scaling maps scores through an increasing function: the "
                    "order of the sentences, and so any top-k precision, cannot move.",
                ),
                (
                    "b",
                    "Any model that gives a score can be recalibrated; the chapter "
                    "recalibrated a logistic regression.",
                ),
                (
                    "c",
                    "Platt scaling fits two numbers on top of the model's score; the "
                    "model's own weights stay as they were.",
                ),
            )
        ),
        lambda: "d",
        hint=(
            "Does an increasing function of the score change which sentence scores "
            "higher than which?",
            "Compare, in the chapter's calibration section, the AUC and the ECE "
            "before and after evaluation.recalibrate.",
        ),
        takeaway="Calibration and ranking are separate qualities: recalibration "
        "repairs the probabilities and leaves the ranking alone.",
    ),
)
