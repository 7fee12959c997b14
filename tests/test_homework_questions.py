"""Every homework question: the reference passes, plausible mistakes get their own message,
bad input gets a clear sentence, and no message gives the answer away."""

import math
import re

import numpy as np
import pytest

from scipy import stats

from book import abtest, behaviour, corpora, decisions, evaluation, extraction, ibuying, memory, ngram, recsys, sentiment
from book.economics import break_even_volume, cheapest_range
from book.homework import ch01, ch02, ch03, ch04, ch05, ch06
from book.homework.checks import letter_choice

Q1, Q2, Q3, Q4, Q5 = ch01.QUESTIONS
R1, R2, R3, R4 = ch02.QUESTIONS
S1, S2, S3, S4 = ch03.QUESTIONS
T1, T2, T3, T4, T5 = ch04.QUESTIONS
U1, U2, U3, U4, U5 = ch05.QUESTIONS
V1, V2, V3, V4, V5 = ch06.QUESTIONS
ALL_QUESTIONS = (ch01.QUESTIONS + ch02.QUESTIONS + ch03.QUESTIONS + ch04.QUESTIONS + ch05.QUESTIONS
                 + ch06.QUESTIONS)
HOMEWORK = (ch01, ch02, ch03, ch04, ch05, ch06)


def reference(question):
    return question.expected


def _chapter(question):
    return next(m.__name__.rsplit(".", 1)[-1] for m in HOMEWORK if question in m.QUESTIONS)


def _id(question):
    return f"{_chapter(question)}-{question.name}"


def _wrong_q4():
    expected = reference(Q4)
    one_missing = {case: set(labels) for case, labels in expected.items()}
    one_missing["printing payslips from the payroll"].discard("learn")
    return one_missing


def _serving(**changes):
    """Question 4's estimate with one condition changed, computed with book.memory itself."""
    settings = {"context": ch02.CONTEXT, "batch": ch02.BATCH, "precision": ch02.WEIGHTS,
                "kv_precision": ch02.KV_CACHE} | changes
    return memory.serving_gib(ch02.MODEL_13B, **settings)


def _serving_part(*left_out):
    """Question 4's estimate without some of its parts."""
    parts = memory.serving_parts(ch02.MODEL_13B, ch02.CONTEXT, ch02.BATCH, ch02.WEIGHTS, ch02.KV_CACHE)
    return sum(value for name, value in parts.items() if name not in left_out)


def _fraud(part="valid", cost_fp=ch03.COST_FALSE_ALARM_USD, cost_fn=ch03.COST_MISS_USD):
    """Homework 3's cost-optimal threshold on the given payments, at the given costs."""
    y, scores = ch03._scores(part)
    return decisions.cost_optimal_threshold(y, scores, cost_fp_usd=cost_fp, cost_fn_usd=cost_fn)


def _operating_point(**requirement):
    return decisions.operating_point(*ch03._scores(), **requirement)


def _homes(fee):
    """What offering homework 3's estimates less ``fee`` buys, computed with book.ibuying itself."""
    for_sale, estimate = ch03._home_estimates(ch03.HOMES["n"], ch03.HOMES["seed"])
    return ibuying.purchase_outcome(estimate, ibuying.offers_less_fee(estimate, fee), for_sale.value_usd, for_sale.reservation_usd)


def _digits(model, seed=None):
    """Homework 4's mean test error of one model (the L2 and GaussianNB slips included)."""
    return ch04._digit_errors(ch04.CURVES["seed"] if seed is None else seed, slips=True)[model]


def _movies():
    """VADER's AUC and the trained model's mean AUC per count, on homework 4's movie sentences."""
    vader_auc, curve = ch04._movie_curve(ch04.MOVIES["seed"])
    return vader_auc, curve.groupby("labels")["auc"].mean()


def _next_count(step):
    """The count of ch04.LABEL_COUNTS ``step`` places from the answer."""
    return ch04.LABEL_COUNTS[ch04.LABEL_COUNTS.index(reference(T2)) + step]


def _perplexity(order=ch04.ORDER, part="held out", seed=None):
    """Homework 4's perplexity, computed with book.ngram itself."""
    train, held_out = ch04.editorial_split(seed)
    model = ngram.NGramModel(order).fit(train.text)
    return model.perplexity(held_out.text if part == "held out" else train.text)


def _investors(p_drop=ch04.P_DROP_INVESTOR):
    return extraction.list_scores(ch04._results(p_drop))


def _kept(target=ch04.TARGET_ACCURACY):
    """Coverage and accuracy at the lowest threshold that reaches ``target``."""
    results = ch04._results()
    return extraction.coverage_curve(results, [extraction.threshold_for_precision(results, target)]).iloc[0]


def _grid_threshold():
    """The lowest threshold of extraction.THRESHOLDS (a grid) that reaches the target."""
    grid = extraction.coverage_curve(ch04._results())
    return float(grid.threshold[grid.accuracy >= ch04.TARGET_ACCURACY].iloc[0])


def _desk(label="negative", sign=-1, side_only=False):
    """Homework 5's precision and recall at K, computed with book.evaluation itself."""
    batch = ch05.editorial_batch()
    compound = sentiment.vader_scores(batch.text)
    mean = batch.mean_rating.to_numpy()
    y = mean < ch05.NEGATIVE_BELOW if label == "negative" else mean <= corpora.NEUTRAL_WITHIN
    keep = np.abs(mean) > corpora.NEUTRAL_WITHIN if side_only else np.ones(len(mean), bool)
    return evaluation.precision_recall_at_k(y[keep].astype(int), sign * compound[keep], ch05.K)


def _calibration(method="platt", bins=ch05.BINS, fit_on="calibration", scores="logit"):
    """Homework 5's ECE on the test tweets, computed with book.evaluation itself."""
    calibration, test = ch05.tweet_split()
    model = ch05._movie_model()
    score = model.decision_function if scores == "logit" else (lambda t: model.predict_proba(t)[:, 1])
    fitted = calibration if fit_on == "calibration" else test
    calibrated = evaluation.recalibrate(score(fitted.text), fitted.label, method)
    return evaluation.expected_calibration_error(test.label, calibrated(score(test.text)), bins=bins)


def _ece_before():
    _, test = ch05.tweet_split()
    probabilities = ch05._movie_model().predict_proba(test.text)[:, 1]
    return evaluation.expected_calibration_error(test.label, probabilities, bins=ch05.BINS)


def _typos(threshold=0.0, tolerance=None, fresh=False):
    """Homework 5's typo test, built with book.behaviour itself: the failures per tweet."""
    originals = ch05.typo_sample()
    rng = np.random.default_rng(ch05.TYPOS["seed"])
    perturbed = [behaviour.add_typo(t, ch05.TYPOS["seed"] if fresh else rng) for t in originals]
    test = behaviour.INV("typo", originals, perturbed, tolerance=tolerance)
    scores = sentiment.vader_scores(list(test.inputs()))
    return test.failed(scores, threshold)


def _raters(min_share=ch05.MIN_SHARE):
    """VADER right or wrong on homework 5's movie sentences with a side, and whether the raters agree."""
    movies = ch05.movie_ratings()
    groups = evaluation.agreement_split(movies[["id", "ratings"]], min_share=min_share)
    sided = (movies.mean_rating.abs() > corpora.NEUTRAL_WITHIN).to_numpy()
    mean = movies.mean_rating.to_numpy()[sided]
    scores = sentiment.vader_scores(movies.text[sided])
    right = np.where(mean > 0, scores > 0, scores < 0)
    return right, (groups.group == evaluation.AGREE).to_numpy()[sided]


def _gap_at_seed(seed):
    """Homework 5's accuracy gap on the movie sentences drawn at another seed."""
    movies = ch05.movie_ratings(seed)
    groups = evaluation.agreement_split(movies[["id", "ratings"]], min_share=ch05.MIN_SHARE)
    sided = (movies.mean_rating.abs() > corpora.NEUTRAL_WITHIN).to_numpy()
    mean = movies.mean_rating.to_numpy()[sided]
    scores = sentiment.vader_scores(movies.text[sided])
    right = np.where(mean > 0, scores > 0, scores < 0)
    agree = (groups.group == evaluation.AGREE).to_numpy()[sided]
    return float(right[agree].mean() - right[~agree].mean())


def _leak(seed=None, source_seed=None, scores="probability"):
    """Homework 5's mean AUCs (random, by editorial) over its pairs of splits, computed with
    scikit-learn and book.sentiment themselves."""
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    editorials = sentiment.labelled_sentences("nyt")

    def auc(train, test):
        model = ch05._tfidf_logistic().fit(train.text, train.label)
        predicted = model.predict_proba(test.text)[:, 1] if scores == "probability" else model.predict(test.text)
        return roc_auc_score(test.label, predicted)

    pairs = [(auc(*train_test_split(editorials, test_size=ch05.TEST_SHARE, random_state=s)),
              auc(*sentiment.split_by_source(editorials, ch05.TEST_SHARE,
                                             seed=s if source_seed is None else source_seed)))
             for s in ch05.leak_seeds(seed)]
    return np.mean(pairs, axis=0)


def _gap(min_share=ch05.MIN_SHARE):
    right, agree = _raters(min_share)
    return float(right[agree].mean() - right[~agree].mean())


def _retrieval(method=ch06.RETRIEVER, k=ch06.K, exclude_lists=True, exclude_relevant=True,
               train_days=ch06.TRAIN_DAYS, seed=None):
    """Homework 6's lists and relevant items, computed with book.recsys itself."""
    market = ch06.marketplace(seed)
    log, n_users, n_items = market.impressions, len(market.users), len(market.items)
    history = recsys.summarise(log[log.day < train_days], n_users, n_items, ch06.category_codes(market.items),
                               n_components=ch06.N_COMPONENTS)
    relevant = recsys.relevant_matrix(log[log.day >= train_days], n_users, n_items,
                                      exclude=history.clicks if exclude_relevant else None)
    lists = recsys.top_k(history.scores(method), k, exclude=history.clicks if exclude_lists else None)
    return lists, relevant, history


def _recall6(**settings):
    return recsys.recall_at_k(*_retrieval(**settings)[:2])


def _precision6():
    lists, relevant, _ = _retrieval()
    hits = np.take_along_axis(relevant, lists, axis=1).sum(axis=1)
    return float((hits[relevant.any(axis=1)] / ch06.K).mean())


def _ndcg6(discount=lambda r: 1 / np.log2(r + 1), best="clicked", normalise=True):
    """Question 2's NDCG by hand, with slot r counted from 1."""
    hits, clicked = ch06.ranked_list()
    worth = discount(np.arange(1, len(hits) + 1))
    dcg = float(np.dot(hits, worth))
    count = {"clicked": min(clicked, len(hits)), "hits": sum(hits), "slots": len(hits)}[best]
    return dcg / worth[:count].sum() if normalise else dcg


def _users_per_arm(lift=ch06.BASELINE_RATE * ch06.RELATIVE_LIFT, alpha=ch06.ALPHA, power=ch06.POWER):
    return abtest.sample_size_per_arm(ch06.BASELINE_RATE, lift, alpha=alpha, power=power)


def _srm(share_a=ch06.INTENDED_SHARE_A, counts=None):
    counts = list(ch06.ARM_USERS.values()) if counts is None else counts
    return stats.chisquare(counts, [sum(counts) * share_a, sum(counts) * (1 - share_a)])


def _categories_by_weight(raw=False):
    """Question 5's mean distinct categories per list at each weight of the grid."""
    candidates, relevance = ch06.candidates()
    if raw:
        relevance = np.take_along_axis(_retrieval()[2].scores("cooccurrence"), candidates, axis=1)
    categories = ch06.category_codes(ch06.marketplace().items)
    return {w: np.mean([len(set(categories[row])) for row in
                        recsys.rerank(candidates, relevance, categories, k=ch06.LIST_SIZE, diversity=w)])
            for w in ch06.DIVERSITY_GRID}


def _weights_reaching(target=None, raw=False):
    means = _categories_by_weight(raw)
    target = means[0.0] + ch06.TARGET_GAIN if target is None else target
    return [w for w, mean in means.items() if mean >= target]


def _grid_step(step):
    """The weight of ch06.DIVERSITY_GRID ``step`` places from question 5's answer."""
    return ch06.DIVERSITY_GRID[ch06.DIVERSITY_GRID.index(reference(V5)) + step]


def _total(option, volume):
    return float(option.total_cost(volume, ch01.COST_PER_ERROR_USD))


def _q5_model_from_q1_break_even(volume):
    """Takes question 1's break-even (model against nurse) as where the model takes over."""
    if volume >= break_even_volume(ch01.TRIAGE_MODEL, ch01.NURSE, ch01.COST_PER_ERROR_USD):
        return "triage model"
    return min((ch01.NURSE, ch01.FORM_RULE), key=lambda o: _total(o, volume)).name


def _q5_each_against_the_nurse(volume):
    """Compares each option with the nurse only, never the rule with the model."""
    passed = [o for o in (ch01.TRIAGE_MODEL, ch01.FORM_RULE)
              if volume >= break_even_volume(o, ch01.NURSE, ch01.COST_PER_ERROR_USD)]
    return passed[0].name if passed else "nurse"


def _q5_thresholds(strict):
    """Right, from the break-evens of neighbouring options; `>` or `>=` at each boundary."""
    rule_from = break_even_volume(ch01.FORM_RULE, ch01.NURSE, ch01.COST_PER_ERROR_USD)
    model_from = break_even_volume(ch01.TRIAGE_MODEL, ch01.FORM_RULE, ch01.COST_PER_ERROR_USD)
    past = (lambda v, b: v > b) if strict else (lambda v, b: v >= b)
    return lambda v: "triage model" if past(v, model_from) else "form rule" if past(v, rule_from) else "nurse"


def _q5_wrong_count(answer):
    return sum(answer(v) != reference(Q5)(v) for v in ch01.CHEAPEST_VOLUMES)


# (question, answer, fragment of the expected message)
PLAUSIBLE_MISTAKES = [
    (Q1, lambda: -reference(Q1), "wrong sign"),  # subtracted the unit costs the other way round
    (Q1, lambda: ch01.TRIAGE_MODEL.fixed_usd / (ch01.NURSE.run_usd - ch01.TRIAGE_MODEL.run_usd),
     "Not correct yet"),  # forgot the cost of errors
    (Q2, lambda: 100 * reference(Q2), "100 times too large"),  # a percentage
    (Q2, lambda: 3.5, "between 0 and 1"),  # the cost per customer instead of the rate
    (Q3, lambda: reference(Q3) + 1, "Off by one"),  # counted months from 1
    (Q3, lambda: 0.72, "whole number"),  # the accuracy instead of the month
    (Q4, _wrong_q4, "1 missing, 0 that should not be there"),
    (Q4, lambda: {case: set() for case in reference(Q4)}, "missing"),  # nothing fails
    (Q4, lambda: {"defects": {"changing"}}, "wrong keys"),
    (Q5, lambda: (lambda volume: "nurse"),  # always the same option
     f"wrong for {_q5_wrong_count(lambda v: 'nurse')} of {len(ch01.CHEAPEST_VOLUMES)} inputs"),
    (Q5, lambda: (lambda volume: min(ch01.CLINIC_OPTIONS, key=lambda o: o.fixed_usd + volume * o.run_usd).name),
     "wrong for"),  # forgot the cost of errors
    (Q5, lambda: (lambda volume: ch01.CLINIC_OPTIONS[0]), "should return the name of an option"),
    (Q5, lambda: _q5_model_from_q1_break_even, "wrong for"),  # the model takes over at question 1's break-even
    (Q5, lambda: _q5_each_against_the_nurse, "wrong for"),  # never compares the rule with the model
    # chapter 2
    (R1, lambda: "deep ranker", "check its p99 latency"),  # best AUC, ignoring the budget
    (R1, lambda: "logistic regression", "so are others with a higher AUC"),  # the fastest
    (R1, lambda: "Random Forest", "exactly as in the table"),
    (R2, lambda: ch02.TRAINING_S / ch02.THROUGHPUT_PER_S, "Not correct yet"),  # divided
    (R2, lambda: -reference(R2), "wrong sign"),
    (R3, lambda: -reference(R3), "wrong sign"),  # A minus B
    (R3, lambda: 100 * reference(R3), "100 times too large"),  # percentage points
    (R4, lambda: reference(R4) * 2**30 / 1e9, "decimal gigabytes"),  # GB, not GiB
    (R4, lambda: _serving(kv_precision=ch02.WEIGHTS), "cache is quantised too"),  # int8 cache as well
    (R4, lambda: _serving(batch=1), "memory for one sequence"),  # forgot the batch
    (R4, lambda: _serving(precision="fp16"), "16-bit weights"),  # forgot the quantisation
    (R4, lambda: _serving_part("activations", "runtime"), "weights and the key-value cache only"),  # the old estimator
    (R4, lambda: _serving_part("runtime"), "runtime's own memory"),  # left out the runtime
    (R4, lambda: _serving_part("activations"), "prefill's activations are missing"),
    (R4, lambda: ch02.MODEL_13B.n_params / 2**30, "Not correct yet"),  # weights only, at one byte each
    # chapter 3
    (S1, lambda: _fraud(cost_fp=ch03.COST_MISS_USD, cost_fn=ch03.COST_FALSE_ALARM_USD), "look swapped"),
    (S1, lambda: decisions.f1_optimal_threshold(*ch03._scores()), "best F1"),  # both mistakes alike
    (S1, lambda: decisions.bayes_threshold(ch03.COST_FALSE_ALARM_USD, ch03.COST_MISS_USD),
     "formula's threshold"),  # the Bayes formula, where the question asks for the tuned one
    (S1, lambda: _fraud("train"), "tuned on the training payments"),
    (S1, lambda: 0.5, "default cut-off"),
    (S1, lambda: 100 * reference(S1), "100 times too large"),
    (S2, lambda: _operating_point(min_recall=ch03.MIN_RECALL)["recall"], "recall at the operating point"),
    (S2, lambda: _operating_point(min_precision=ch03.MIN_RECALL)["recall"], "look swapped"),
    (S2, lambda: float(ch03._scores()[0].mean()), "lowest threshold"),  # flags every payment
    (S2, lambda: 100 * reference(S2), "100 times too large"),
    (S3, lambda: float(_homes(ch03.FEE)["overvaluation_all"]), "over every home for sale"),
    (S3, lambda: float(_homes(0.0)["overvaluation_bought"]), "offering the estimate itself"),  # forgot the fee
    (S3, lambda: -reference(S3), "wrong sign"),  # value minus estimate
    (S3, lambda: 100 * reference(S3), "100 times too large"),
    (S4, lambda: float(_homes(ch03.FEE)["overvaluation_bought"]), "question 3's fee"),
    (S4, lambda: float(_homes(ch03.FEE)["overvaluation_all"]), "about zero"),
    (S4, lambda: round(reference(S4) - 0.001, 3), "still loses money"),  # one step early
    (S4, lambda: 100 * reference(S4), "100 times too large"),
    # chapter 4
    (T1, lambda: _digits("logistic regression"), "logistic regression's mean error alone"),
    (T1, lambda: _digits("naive Bayes"), "naive Bayes's mean error alone"),
    (T1, lambda: -reference(T1), "wrong sign"),  # naive Bayes minus logistic regression
    (T1, lambda: 100 * reference(T1), "100 times too large"),  # points of error
    (T1, lambda: _digits("L2") - _digits("naive Bayes"), "default L2 penalty"),
    (T1, lambda: _digits("logistic regression") - _digits("GaussianNB"), "GaussianNB"),
    (T1, lambda: _digits("logistic regression", 0) - _digits("naive Bayes", 0), "default seed"),
    (T2, lambda: _movies()[0], "VADER's AUC"),
    (T2, lambda: float(_movies()[1][reference(T2)]), "the AUC the trained model reaches"),
    (T2, lambda: _next_count(-1), "still below"),  # one count too few
    (T2, lambda: _next_count(+1), "already reaches"),  # one count too many
    (T2, lambda: 750, "only at the counts"),  # between two counts
    (T2, lambda: 0.7, "looks like an AUC"),
    (T3, lambda: _perplexity(part="train"), "training sentences"),
    (T3, lambda: math.log(reference(T3)), "log of the perplexity"),  # cross-entropy in nats
    (T3, lambda: math.log2(reference(T3)), "bits per character"),
    (T3, lambda: _perplexity(ch04.ORDER + 1), "one order too high"),  # the order taken for the context
    (T3, lambda: _perplexity(ch04.ORDER - 1), "one order too low"),
    (T3, lambda: _perplexity(seed=0), "default seed"),
    (T3, lambda: 1 / reference(T3), "one over the right one"),  # exp(+mean log p)
    (T4, lambda: _investors()["precision"], "That is the precision"),
    (T4, lambda: _investors()["recall"], "That is the recall"),
    (T4, lambda: float(ch04._results().investors_correct.mean()), "exactly right"),
    (T4, lambda: ch04._macro_f1(ch04._results()), "macro average"),
    (T4, lambda: float(ch04._results().doc_correct.mean()), "all three fields"),
    (T4, lambda: _investors(0.03)["f1"], "default chance of dropping"),
    (T4, lambda: 100 * reference(T4), "100 times too large"),
    (T5, lambda: float(_kept()["coverage"]), "coverage at the threshold"),
    (T5, lambda: float(_kept()["accuracy"]), "accuracy of the documents kept"),
    (T5, lambda: extraction.threshold_for_precision(ch04._results(), 0.95), "chapter's target"),
    (T5, _grid_threshold, "keeps fewer documents"),
    (T5, lambda: 100 * reference(T5), "100 times too large"),
    # chapter 5
    (U1, lambda: _desk()[1], "That is the recall"),
    (U1, lambda: _desk(sign=+1)[0], "most positive"),  # ranked by the compound score itself
    (U1, lambda: _desk(label="not positive")[0], "near-neutral sentences as negative"),
    (U1, lambda: _desk(side_only=True)[0], "only the sentences the benchmark keeps"),
    (U1, lambda: 100 * reference(U1), "100 times too large"),
    (U2, _ece_before, "before recalibration"),
    (U2, lambda: _calibration(fit_on="test"), "fitted on the test tweets"),
    (U2, lambda: _calibration(method="isotonic"), "isotonic regression"),
    (U2, lambda: _calibration(bins=2 * ch05.BINS), "twice the question's bins"),
    (U2, lambda: _calibration(scores="probability"), "already squashed"),
    (U2, lambda: 100 * reference(U2), "100 times too large"),
    (U3, lambda: float(1 - _typos().mean()), "pass the test"),
    (U3, lambda: int(_typos().sum()), "number of tweets that fail"),
    (U3, lambda: float(_typos(tolerance=0.0).mean()), "every change of the score"),
    (U3, lambda: float(_typos(threshold=0.05).mean()), "neutral band"),
    (U3, lambda: float(_typos(fresh=True).mean()), "afresh for each tweet"),
    (U3, lambda: 100 * reference(U3), "100 times too large"),
    (U4, lambda: float(_raters()[0][_raters()[1]].mean()), "agree alone"),
    (U4, lambda: float(_raters()[0].mean()), "over every sentence with a side"),
    (U4, lambda: _gap(0.9), "another share of raters"),
    (U4, lambda: -reference(U4), "wrong sign"),  # disagree minus agree
    (U4, lambda: _gap_at_seed(0), "default seed"),
    (U5, lambda: float(_leak()[0]), "random splits alone"),
    (U5, lambda: float(_leak()[1]), "splits by editorial alone"),
    (U5, lambda: -reference(U5), "wrong sign"),  # by editorial minus random
    (U5, lambda: float(_leak()[0] - _leak(source_seed=0)[1]), "default seed"),
    (U5, lambda: float(np.subtract(*_leak(scores="label"))), "predicted labels"),
    (U5, lambda: 100 * reference(U5), "100 times too large"),  # points of AUC
    # chapter 6
    (V1, lambda: _recall6(exclude_lists=False), "already clicked in the training days"),
    (V1, lambda: _recall6(exclude_relevant=False), "leave those out of the relevant items"),
    (V1, lambda: _recall6(exclude_lists=False, exclude_relevant=False), "leave them out of both"),
    (V1, lambda: _recall6(k=10), "ten items"),
    (V1, _precision6, "That is the precision"),
    (V1, lambda: _recall6(method="popularity"), "popularity retriever"),
    (V1, lambda: _recall6(seed=0), "chapter's marketplace"),
    (V1, lambda: 100 * reference(V1), "100 times too large"),
    (V2, lambda: _ndcg6(normalise=False), "That is the DCG"),
    (V2, lambda: _ndcg6(best="hits"), "only the hits of this list"),
    (V2, lambda: _ndcg6(best="slots"), "fills every slot"),
    (V2, lambda: _ndcg6(discount=lambda r: 1 / np.log2(r + 2)), "one slot off"),
    (V2, lambda: _ndcg6(discount=lambda r: 1 / r), "reciprocal rank"),
    (V2, lambda: sum(ch06.ranked_list()[0]) / ch06.NDCG_K, "That is the precision"),
    (V2, lambda: 100 * reference(V2), "100 times too large"),
    (V3, lambda: _users_per_arm(lift=ch06.RELATIVE_LIFT), "in absolute terms"),
    (V3, lambda: 2 * _users_per_arm(), "both arms together"),
    (V3, lambda: _users_per_arm(alpha=2 * ch06.ALPHA), "one-sided test"),
    (V3, lambda: _users_per_arm(power=0.5), "power of one half"),
    (V3, lambda: _users_per_arm() + 0.5, "whole number"),
    (V4, lambda: float(_srm(0.5).pvalue), "even split"),
    (V4, lambda: float(_srm(counts=[n / sum(ch06.ARM_USERS.values()) for n in ch06.ARM_USERS.values()])
                       .pvalue), "shares of the users"),
    (V4, lambda: float(_srm().pvalue) / 2, "one-sided p-value"),
    (V4, lambda: float(_srm().statistic), "chi-squared statistic"),
    (V4, lambda: 100 * reference(V4), "100 times too large"),
    (V5, lambda: _grid_step(-1), "still fall short"),
    (V5, lambda: _grid_step(+1), "the weight before it in the grid already does"),
    (V5, lambda: _weights_reaching()[-1], "the largest weight"),
    (V5, lambda: _weights_reaching(target=ch06.TARGET_GAIN)[0], "ch06.TARGET_GAIN itself"),
    (V5, lambda: reference(V5) + 0.01, "only at the weights"),
    (V5, lambda: 100 * reference(V5), "100 times too large"),
]

BAD_INPUT = [None, "a string", float("nan"), [1.0, 2.0], {"a": 1}]


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=_id)
def test_reference_answer_passes(question):
    assert question.evaluate(reference(question)).status == "passed"


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=_id)
def test_unanswered_is_not_attempted(question):
    feedback = question.evaluate(...)
    assert feedback.status == "not attempted" and "not attempted yet" in str(feedback)


@pytest.mark.parametrize(
    "question, make_answer, fragment", PLAUSIBLE_MISTAKES,
    ids=[f"{_chapter(q)}-{q.name}-{i}" for i, (q, _, _) in enumerate(PLAUSIBLE_MISTAKES)],
)
def test_plausible_mistakes_get_a_specific_message(question, make_answer, fragment):
    feedback = question.evaluate(make_answer())
    assert feedback.status == "failed"
    assert fragment in feedback.message


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=_id)
def test_each_question_has_two_mistakes_with_different_messages(question):
    messages = {question.evaluate(make()).message for q, make, _ in PLAUSIBLE_MISTAKES if q is question}
    assert len(messages) >= 2


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=_id)
@pytest.mark.parametrize("bad", BAD_INPUT, ids=["None", "str", "nan", "list", "dict"])
def test_bad_input_gets_a_clear_sentence(question, bad):
    feedback = question.evaluate(bad)
    assert feedback.status == "failed"
    assert feedback.message.endswith((".", "?", ")")) and "Traceback" not in feedback.message
    assert "could not be checked" not in feedback.message  # a specific message, not the fallback


def _renderings(value):
    """The ways an expected value could appear in a message."""
    if isinstance(value, (int, float, np.floating)):
        value = float(value)
        shown = {repr(value), f"{value:,.2f}", f"{value:.2f}", f"{value:.1%}", f"{value:.0%}", f"{value:g}"}
        if abs(value) >= 1:  # a share such as 0.97 rounds to "1", which says nothing of it
            shown |= {f"{value:,.0f}", f"{value:.0f}"}
        return {s for s in shown if len(s.strip("0.,%")) >= 1}
    if isinstance(value, dict):
        return {label for labels in value.values() for label in labels} - {""}
    if isinstance(value, str):
        return {value}
    return set()


def _all_messages(question):
    answers = [make() for q, make, _ in PLAUSIBLE_MISTAKES if q is question] + BAD_INPUT + [...]
    return [question.evaluate(answer).message for answer in answers]


@pytest.mark.parametrize("question", [Q1, Q2, Q3, Q4, R1, R2, R3, R4, S1, S2, S3, S4, T1, T2, T3, T4, T5,
                                      U1, U2, U3, U4, U5, V1, V2, V3, V4, V5], ids=_id)
def test_no_message_contains_the_expected_value(question):
    for text in _all_messages(question):
        for shown in _renderings(reference(question)):
            assert not re.search(rf"(?<![\w.]){re.escape(shown)}(?![\w]|\.\d)", text), (shown, text)


def test_no_message_of_the_function_question_names_an_expected_result():
    names = {o.name for o in ch01.CLINIC_OPTIONS}
    for text in _all_messages(Q5):
        assert not any(name in text for name in names), text


#: Every question a learner checks: the homework's, and each chapter's "Check your understanding".
QUIZ_QUESTIONS = tuple(q for module in HOMEWORK for q in getattr(module, "QUIZ", ()))
EVERY_QUESTION = ALL_QUESTIONS + QUIZ_QUESTIONS


def _any_id(question):
    return _id(question) if question in ALL_QUESTIONS else question.name


def _helper_names():
    """The public functions and classes of book/ that compute answers: a hint may name them
    in its last step only."""
    import importlib
    import inspect
    import pkgutil

    import book

    names = set()
    for info in pkgutil.iter_modules(book.__path__):
        if info.name.startswith("sphinx_"):
            continue
        module = importlib.import_module(f"book.{info.name}")
        names |= {name for name, value in vars(module).items()
                  if not name.startswith("_") and (inspect.isfunction(value) or inspect.isclass(value))
                  and getattr(value, "__module__", "") == module.__name__ and len(name) > 4}
    return names


@pytest.mark.parametrize("question", EVERY_QUESTION, ids=_any_id)
def test_hints_come_in_steps_and_only_the_last_names_a_helper(question, capsys):
    count = len(question.hints)
    assert count >= 2, f"{question.name} has {count} hint; give at least two steps, vague to specific"
    for step in range(1, count + 1):
        question.hint(step)
        hint = capsys.readouterr().out
        assert hint.startswith(f"Hint {step} of {count} for {question.name}:") and len(hint) > 40, hint
        if step < count:
            assert f"{question.name}.hint({step + 1})" in hint, "a hint says where the next one is"
        if question in QUIZ_QUESTIONS:  # a letter: as a choice, not the article "a"
            letter = re.escape(reference(question))
            assert not re.search(rf"[\"'(]{letter}[\"')]|\b(answer|choice|option) {letter}\b", hint), hint
        elif question not in (Q4, Q5):  # (Q4's labels are public names; Q5's answer is a function)
            for shown in _renderings(reference(question)):
                assert not re.search(rf"(?<![\w.]){re.escape(shown)}(?![\w]|\.\d)", hint), (shown, hint)
    named = {name for text in question.hints[:-1] for name in _helper_names()
             if re.search(rf"\b{re.escape(name)}\b", text)}
    assert not named, f"{question.name}: a hint before the last names the helper that computes it: {named}"
    question.hint(count + 3)
    assert capsys.readouterr().out.startswith(f"Hint {count} of {count}"), "past the last step: the last"
    question.hint("two")
    assert f"{question.name}.hint(2)" in capsys.readouterr().out, "a step that is not a number says how to ask"


def test_the_quiz_answers_are_not_all_in_one_place():
    for module in (m for m in HOMEWORK if hasattr(m, "QUIZ")):
        letters = [reference(q) for q in module.QUIZ]
        assert len(set(letters)) >= 3 and "a" in letters, (
            f"{module.__name__}'s quiz answers are {letters}: spread them over the letters, "
            "or a learner learns the position instead of the idea")


def test_every_right_answer_carries_a_takeaway_of_its_own():
    takeaways = [question.takeaway for question in EVERY_QUESTION]
    missing = [q.name for q in EVERY_QUESTION if len(q.takeaway) < 30]
    assert not missing, f"give these questions a one-line takeaway, shown with a right answer: {missing}"
    shared = {text for text in takeaways if takeaways.count(text) > 1}
    assert not shared, f"two questions share a takeaway: {shared}"
    for question in EVERY_QUESTION:
        feedback = question.evaluate(reference(question))
        assert feedback.status == "passed" and feedback.message.endswith(question.takeaway), feedback


@pytest.mark.parametrize("question", QUIZ_QUESTIONS, ids=_any_id)
def test_each_wrong_choice_of_a_quiz_gets_its_own_message(question):
    options = question.checker.options
    wrong = [o for o in options if o != reference(question)]
    assert 3 <= len(options) <= 5 and len(wrong) >= 2, f"{question.name}: offer 3 to 5 choices"
    assert question.checker == letter_choice(question.checker.diagnoses, "".join(options)), (
        "a quiz question's checker is checks.letter_choice")
    messages = [question.evaluate(o).message for o in wrong]
    assert all(question.evaluate(o).status == "failed" for o in wrong)
    assert len(set(messages)) == len(messages), f"{question.name}: each wrong choice needs its own diagnosis"
    assert question.checker.otherwise not in messages
    assert question.evaluate("z").status == "failed" and question.evaluate(None).status == "failed"


def test_q5_inputs_come_from_the_options():
    volumes = ch01.CHEAPEST_VOLUMES
    assert volumes == ch01.boundary_volumes(ch01.CLINIC_OPTIONS, ch01.COST_PER_ERROR_USD)
    assert all(isinstance(v, int) and v > 0 for v in volumes) and list(volumes) == sorted(set(volumes))
    assert {500, 1_000_000} <= set(volumes)
    # Just below and just above every end of a range where one option is cheapest.
    ends = {end for o in ch01.CLINIC_OPTIONS for end in cheapest_range(o, ch01.CLINIC_OPTIONS, ch01.COST_PER_ERROR_USD)}
    for end in ends - {0.0, math.inf}:
        assert any(0.95 * end <= v < end for v in volumes) and any(end < v <= 1.05 * end for v in volumes), end
    # Past the model's break-even against the nurse, but not yet against the rule: the rule is cheapest.
    after_nurse = break_even_volume(ch01.TRIAGE_MODEL, ch01.NURSE, ch01.COST_PER_ERROR_USD)
    after_rule = break_even_volume(ch01.TRIAGE_MODEL, ch01.FORM_RULE, ch01.COST_PER_ERROR_USD)
    between = [v for v in volumes if after_nurse < v < after_rule]
    assert between and all(reference(Q5)(v) == "form rule" for v in between)


def test_q5_inputs_follow_the_options():
    # A dearer rule takes over from the nurse at 20,000 requests, not 10,000: the inputs follow,
    # and 20,000 itself, a tie, is left out although it is a round volume.
    dearer_rule = ch01.Option("form rule", fixed_usd=6_000, run_usd=0.0, error_rate=0.20)
    options = (ch01.NURSE, dearer_rule, ch01.TRIAGE_MODEL)
    volumes = ch01.boundary_volumes(options, ch01.COST_PER_ERROR_USD)
    assert not any(9_500 <= v <= 10_500 for v in volumes) and 20_000 not in volumes
    assert any(19_000 <= v < 20_000 for v in volumes) and any(20_000 < v <= 21_000 for v in volumes)


@pytest.mark.parametrize("wrong", [_q5_model_from_q1_break_even, _q5_each_against_the_nurse])
def test_q5_catches_options_not_compared_with_each_other(wrong):
    assert Q5.evaluate(wrong).status == "failed"


def test_q5_does_not_ask_which_option_to_name_at_a_tie():
    # The question says "the cheapest"; at a volume where two options cost the same it does not say
    # which to name, so no input is such a volume, and either choice passes.
    for v in ch01.CHEAPEST_VOLUMES:
        totals = sorted(_total(o, v) for o in ch01.CLINIC_OPTIONS)
        assert not math.isclose(totals[0], totals[1], rel_tol=1e-9), v
    assert 10_000 not in ch01.CHEAPEST_VOLUMES  # the rule and the nurse tie there
    last_on_a_tie = lambda v: min(reversed(ch01.CLINIC_OPTIONS), key=lambda o: _total(o, v)).name  # noqa: E731
    assert last_on_a_tie(10_000) != reference(Q5)(10_000)
    for answer in (last_on_a_tie, _q5_thresholds(strict=True), _q5_thresholds(strict=False)):
        assert Q5.evaluate(answer).status == "passed"


def test_ch02_q4_mistakes_are_told_apart():
    # Each diagnosed mistake is outside the tolerance of the answer and of every other mistake,
    # so that the learner gets the message of the mistake actually made.
    values = [reference(R4)] + [wrong for wrong, _ in ch02._serving_mistakes()]
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            assert abs(a - b) > 0.01 * max(abs(a), abs(b)), (a, b)


@pytest.mark.parametrize("question, mistakes", [(S1, ch03._threshold_mistakes), (S2, ch03._precision_mistakes),
                                                (S3, ch03._overvaluation_mistakes), (S4, ch03._break_even_mistakes)],
                         ids=["q1", "q2", "q3", "q4"])
def test_ch03_mistakes_are_told_apart(question, mistakes):
    # Each diagnosed mistake fails with its own message, not another's and not the answer's.
    listed = mistakes()
    assert len({message for _, message in listed}) >= 2
    for wrong, message in listed:
        feedback = question.evaluate(wrong)
        assert feedback.status == "failed" and feedback.message == message, (wrong, feedback.message)


@pytest.mark.parametrize("question, mistakes", [(T1, ch04._error_gap_mistakes), (T2, ch04._labels_mistakes),
                                                (T3, ch04._perplexity_mistakes), (T4, ch04._investors_mistakes),
                                                (T5, ch04._threshold_mistakes)],
                         ids=["q1", "q2", "q3", "q4", "q5"])
def test_ch04_mistakes_are_told_apart(question, mistakes):
    # Each diagnosed mistake fails with its own message, not another's and not the answer's.
    listed = mistakes()
    assert len({message for _, message in listed}) == len(listed) >= 4
    for wrong, message in listed:
        feedback = question.evaluate(wrong)
        assert feedback.status == "failed" and feedback.message == message, (wrong, feedback.message)


@pytest.mark.parametrize("question, mistakes", [(U1, ch05._precision_mistakes), (U2, ch05._ece_mistakes),
                                                (U3, ch05._typo_mistakes), (U4, ch05._agreement_mistakes),
                                                (U5, ch05._leak_mistakes)],
                         ids=["q1", "q2", "q3", "q4", "q5"])
def test_ch05_mistakes_are_told_apart(question, mistakes):
    # Each diagnosed mistake fails with its own message, not another's and not the answer's.
    listed = mistakes()
    assert len({message for _, message in listed}) >= 4
    for wrong, message in listed:
        feedback = question.evaluate(wrong)
        assert feedback.status == "failed" and feedback.message == message, (wrong, feedback.message)


@pytest.mark.parametrize("seed", [0, 3, 11, 19])
def test_ch05_mistakes_are_told_apart_at_other_seeds(seed):
    # The seed sweep draws other batches: at each, the reference passes and at least four
    # mistakes per question are still told apart (slips that coincide at a draw are merged).
    published = (ch05.BATCH["seed"], ch05.TWEETS["seed"], ch05.TYPOS["seed"], ch05.MOVIES["seed"],
                 ch05.LEAK["seed"])
    try:
        ch05.reseed(seed)
        for question, mistakes in [(U1, ch05._precision_mistakes), (U2, ch05._ece_mistakes),
                                   (U3, ch05._typo_mistakes), (U4, ch05._agreement_mistakes),
                                   (U5, ch05._leak_mistakes)]:
            assert question.evaluate(reference(question)).status == "passed"
            listed = mistakes()
            assert len(listed) >= 4, (seed, question.name, listed)
            for wrong, message in listed:
                assert question.evaluate(wrong).message == message, (seed, question.name, wrong)
    finally:
        (ch05.BATCH["seed"], ch05.TWEETS["seed"], ch05.TYPOS["seed"], ch05.MOVIES["seed"],
         ch05.LEAK["seed"]) = published
        for question in ch05.QUESTIONS:
            question.forget()


def test_ch04_q2_answer_is_one_of_the_counts_and_q5_keeps_the_most():
    # Question 2's answer is a count the model was trained at, and the first whose mean AUC reaches VADER's.
    vader_auc, means = _movies()
    assert reference(T2) in ch04.LABEL_COUNTS and means[reference(T2)] >= vader_auc
    assert (means[[c for c in ch04.LABEL_COUNTS if c < reference(T2)]] < vader_auc).all()
    # Question 5's threshold reaches the target, and no lower confidence does.
    results = ch04._results()
    assert _kept()["accuracy"] >= ch04.TARGET_ACCURACY
    lower = sorted(c for c in results.confidence if c < reference(T5))
    curve = extraction.coverage_curve(results, lower)
    assert (curve.accuracy < ch04.TARGET_ACCURACY).all()


def test_homework_variants_differ_from_the_chapter():
    # Answers can't be read off the chapter's outputs: other seeds and other costs.
    assert ch01.CHURN_SEED != 0 and ch01.SPAM_STREAM["seed"] != 0
    assert ch01.SPAM_STREAM["drift_deg"] != 8.0
    assert ch02.LENDING["seed"] != 0
    # Chapter 3: seed 0, 60,000 payments, a miss $300, a false alarm $5, recall 90%, fee 6%.
    assert ch03.PAYMENTS["seed"] != 0 and ch03.HOMES["seed"] != 0 and ch03.PAYMENTS["n"] != 60_000
    assert (ch03.COST_MISS_USD, ch03.COST_FALSE_ALARM_USD) != (300, 5)
    assert ch03.MIN_RECALL != 0.9 and ch03.FEE != 0.06
    # Chapter 4: digits 1 vs 7 and 3 vs 8 at seed 0; Amazon reviews; 300 filings at seed 0, the extractor's
    # default chance of dropping an investor (0.03) and a target accuracy of 95%.
    assert set(ch04.DIGIT_PAIR) not in ({1, 7}, {3, 8}) and ch04.CURVES["seed"] != 0
    assert ch04.MOVIES["seed"] != 0 and ch04.EDITORIALS["seed"] != 0
    assert ch04.FILINGS["seed"] != 0 and ch04.FILINGS["n"] != 300
    assert ch04.P_DROP_INVESTOR != ch04.DEFAULT_P_DROP == 0.03
    assert ch04.TARGET_ACCURACY != ch04.CHAPTER_TARGET == 0.95
    # Chapter 5: Amazon product sentences at seed 0, with a model trained on movie sentences.
    assert ch05.BATCH["seed"] != 0 and ch05.TWEETS["seed"] != 0 and ch05.TYPOS["seed"] != 0
    assert ch05.MOVIES["seed"] != 0 and 0 not in ch05.leak_seeds()
    assert set(ch05.editorial_batch().source) <= set(corpora.sentences("nyt").source)
    assert len(ch05.typo_sample()) == ch05.TYPOS["n"]
    # Chapter 6: the marketplace at seed 0, its recall@K at 10, 20, 50 and 100, and MMR on a click model's scores.
    assert ch06.MARKET["seed"] != 0 and ch06.RANKING["seed"] != 0


CH06_MISTAKES = [(V1, ch06._recall_mistakes), (V2, ch06._ndcg_mistakes), (V3, ch06._sample_size_mistakes),
                 (V4, ch06._srm_mistakes), (V5, ch06._diversity_mistakes)]


@pytest.mark.parametrize("question, mistakes", CH06_MISTAKES, ids=["q1", "q2", "q3", "q4", "q5"])
def test_ch06_mistakes_are_told_apart(question, mistakes):
    # Each diagnosed mistake fails with its own message, not another's and not the answer's.
    listed = mistakes()
    assert len({message for _, message in listed}) >= 4
    for wrong, message in listed:
        feedback = question.evaluate(wrong)
        assert feedback.status == "failed" and feedback.message == message, (wrong, feedback.message)


@pytest.mark.parametrize("seed", [0, 3, 11, 19])
def test_ch06_mistakes_are_told_apart_at_other_seeds(seed):
    # The seed sweep draws other marketplaces and lists: at each, the reference passes and
    # at least three mistakes per question are still told apart.
    published = ch06.MARKET["seed"], ch06.RANKING["seed"]
    try:
        ch06.reseed(seed)
        for question, mistakes in CH06_MISTAKES:
            assert question.evaluate(reference(question)).status == "passed"
            listed = mistakes()
            assert len(listed) >= 3, (seed, question.name, listed)
            for wrong, message in listed:
                assert question.evaluate(wrong).message == message, (seed, question.name, wrong)
    finally:
        ch06.MARKET["seed"], ch06.RANKING["seed"] = published
        for question in ch06.QUESTIONS:
            question.forget()


def test_ch06_q5_answer_is_the_smallest_weight_that_reaches_the_target():
    means = _categories_by_weight()
    target = means[0.0] + ch06.TARGET_GAIN
    assert reference(V5) in ch06.DIVERSITY_GRID and means[reference(V5)] >= target
    assert all(mean < target for w, mean in means.items() if w < reference(V5))


@pytest.mark.parametrize("answer", [0.33, 0.275, 0.999])
def test_ch06_q5_names_a_weight_off_the_grid(answer):
    feedback = V5.evaluate(answer)
    assert feedback.status == "failed" and "ch06.DIVERSITY_GRID" in feedback.message


def test_ch06_q2_list_is_hand_sized_and_its_ndcg_matches_recsys():
    hits, clicked = ch06.ranked_list()
    assert len(hits) == ch06.NDCG_K and set(hits) <= {0, 1} and sum(hits) < clicked
    relevant = np.zeros((1, ch06.NDCG_K + clicked), dtype=bool)
    relevant[0, :ch06.NDCG_K] = hits
    relevant[0, ch06.NDCG_K:ch06.NDCG_K + clicked - sum(hits)] = True
    assert math.isclose(recsys.ndcg_at_k(np.arange(ch06.NDCG_K)[None], relevant, k=ch06.NDCG_K), reference(V2))
    assert math.isclose(_ndcg6(), reference(V2))
