"""book.ngram: an add-k n-gram language model, checked against its definition, and the
two curves chapter 4 relies on, at every seed of the sweep."""

from __future__ import annotations

import math

import numpy as np
import pytest

from book import corpora, ngram

TINY = ["the cat sat on the mat.", "the dog sat on the log!", "a cat and a dog.", "the end"]
#: Five of the sweep's seeds: the chapter's claims are checked at all 20 by the seed
#: sweep (tests/sweep.py); here the model's properties, fast enough for CI.
SEEDS = range(0, 20, 4)


def _greedy(model, steps):
    """The most likely continuation, token by token, read off model.probabilities."""
    tokens = []
    for _ in range(steps):
        p = model.probabilities(ngram.detokenize(tokens, model.level))
        del p[ngram.UNKNOWN]
        best = max(p, key=p.get)
        # a margin, so that temperature 0.001 makes the runner-up 1.02 ** 1000 times
        # less likely: a (near) tie has no single most likely continuation
        assert sorted(p.values())[-2] * 1.02 < p[best], "a (near) tie"
        if best == ngram.END:
            break
        tokens.append(best)
    return ngram.detokenize(tokens, model.level)


@pytest.mark.parametrize("level", ngram.LEVELS)
@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_the_probabilities_after_each_context_sum_to_one(level, order):
    model = ngram.NGramModel(order, k=0.05, level=level).fit(TINY)
    for context in ["", "the", "the cat", "a dog and", "zebra"]:  # seen and unseen
        p = model.probabilities(context)
        assert list(p) == model.vocabulary() and ngram.END in p and ngram.UNKNOWN in p
        assert math.isclose(sum(p.values()), 1.0, rel_tol=1e-12)
        assert min(p.values()) > 0


def test_probabilities_follow_add_k_counts():
    model = ngram.NGramModel(3, k=0.5).fit(["abc", "abd", "abc"])
    p, v = model.probabilities("ab"), len(model.vocabulary())
    assert p["c"] == pytest.approx((2 + 0.5) / (3 + 0.5 * v))
    assert p["d"] == pytest.approx((1 + 0.5) / (3 + 0.5 * v))
    assert p["a"] == pytest.approx(0.5 / (3 + 0.5 * v))
    # a context never seen in training: the uniform distribution
    assert list(model.probabilities("zz").values()) == [pytest.approx(1 / v)] * v


@pytest.mark.parametrize("level", ngram.LEVELS)
def test_perplexity_is_the_mean_log_probability_token_by_token(level):
    for order in (1, 2, 3):
        model = ngram.NGramModel(order, k=0.1, level=level).fit(TINY[:3])
        held_out = ["the cat sat on the log.", "a zebra!", ""]  # unknown tokens, an empty one
        logs = []
        for text in held_out:
            tokens = ngram.tokenize(text, level)
            for i in range(len(tokens) + 1):
                context = ngram.detokenize(tokens[:i], level)
                p = model.probabilities(context)
                token = tokens[i] if i < len(tokens) else ngram.END
                logs.append(math.log(p.get(token, p[ngram.UNKNOWN])))
        assert model.perplexity(held_out) == pytest.approx(math.exp(-np.mean(logs)), rel=1e-9)


def test_a_uniform_unigram_models_perplexity_is_the_vocabulary_size():
    model = ngram.NGramModel(1, k=1e12).fit(TINY)  # so large a k that the counts vanish
    v = len(model.vocabulary())
    assert model.perplexity(TINY) == pytest.approx(v, rel=1e-6)
    assert model.perplexity(["unseen words: qz"]) == pytest.approx(v, rel=1e-6)


def test_unknown_tokens_get_a_finite_perplexity():
    model = ngram.NGramModel(4, k=1e-4).fit(TINY)
    assert math.isfinite(model.perplexity(["ñandú 漢字 \U0001f600", "x"]))


@pytest.mark.parametrize("level", ngram.LEVELS)
def test_fitting_all_orders_at_once_equals_fitting_each(level):
    together = ngram.fit_orders(TINY, orders=[1, 2, 3, 5], k=0.01, level=level)
    assert list(together) == [1, 2, 3, 5]
    for order, model in together.items():
        alone = ngram.NGramModel(order, k=0.01, level=level).fit(TINY)
        assert np.array_equal(model._grams, alone._grams)
        assert np.array_equal(model._counts, alone._counts)
        assert model.perplexity(TINY[1:]) == alone.perplexity(TINY[1:])


@pytest.fixture(scope="module")
def amazon():
    return corpora.sentences("amazon")


@pytest.fixture(scope="module")
def split0(amazon):
    train, held_out = ngram.split_sentences(amazon, seed=0)
    return train.text.tolist(), held_out.text.tolist()


@pytest.fixture(scope="module")
def models0(split0):
    return ngram.fit_orders(split0[0])


def test_the_training_texts_perplexity_falls_with_every_order(models0, split0):
    train_perplexity = [model.perplexity(split0[0]) for model in models0.values()]
    assert all(np.diff(train_perplexity) < 0), train_perplexity


def test_samples_are_determined_by_the_seed(models0):
    model = models0[5]
    for temperature in (0.5, 1.0, 1.5):
        first = [model.sample(np.random.default_rng(7), temperature) for _ in range(3)]
        again = [model.sample(np.random.default_rng(7), temperature) for _ in range(3)]
        assert first == again
    others = {model.sample(np.random.default_rng(seed)) for seed in range(10)}
    assert len(others) > 5


@pytest.mark.parametrize("order", [1, 2, 4, 8])  # orders 5, 6 meet exact ties in 60 steps
def test_a_very_low_temperature_gives_the_most_likely_continuation(models0, order):
    model = models0[order]
    greedy = _greedy(model, 60)
    for seed in range(3):
        rng = np.random.default_rng(seed)
        assert model.sample(rng, temperature=0.001, max_tokens=60) == greedy


def test_word_level_low_temperature_is_greedy():
    model = ngram.NGramModel(2, level="word").fit(TINY + ["the cat sat on a dog."])
    greedy = _greedy(model, 20)
    rng = np.random.default_rng(0)
    assert model.sample(rng, temperature=0.001, max_tokens=20) == greedy


@pytest.mark.parametrize("temperature", [1.0, 0.5, 2.0])
def test_samples_follow_the_models_probabilities_raised_to_one_over_temperature(temperature):
    # k so large that unseen tokens matter; order 3, so that a rare first token leads
    # to a context never seen in training
    model = ngram.NGramModel(3, k=1.0).fit(["abc", "abd", "abc", "cab", "b"])
    rng, n = np.random.default_rng(0), 20_000
    pairs = [model.sample(rng, temperature, max_tokens=2) for _ in range(n)]

    def expected(context):
        p = model.probabilities(context)
        del p[ngram.UNKNOWN]  # never drawn
        w = {t: q ** (1 / temperature) for t, q in p.items()}
        return {("" if t == ngram.END else t): x / sum(w.values()) for t, x in w.items()}

    first = expected("")
    for token, share in first.items():
        assert abs(sum(s[:1] == token for s in pairs) / n - share) < 0.015, token
    for context in ("a", "d"):  # "d" never starts a sentence: its context is unseen
        after = [s[1:] for s in pairs if s[:1] == context]
        assert len(after) > 500
        for token, share in expected(context).items():
            found = sum(s == token for s in after) / len(after)
            assert abs(found - share) < 4 * math.sqrt(share * (1 - share) / len(after))


def test_samples_never_spell_the_unknown_token():
    model = ngram.NGramModel(2, k=10).fit(["ab", "ba"])
    rng = np.random.default_rng(0)
    text = "".join(model.sample(rng) for _ in range(200))
    assert set(text) <= {"a", "b"} and len(text) > 100


def test_copied_share_counts_ngrams_not_samples():
    train = ["the cat sat down", "a dog"]
    # 2 + 2 + 0 word bigrams: "the cat", "cat sat" and "a dog" copied, "dog sat" not;
    # a one-word sample has none
    samples = ["the cat sat", "a dog sat", "cat"]
    assert ngram.copied_share(samples, train, n=2, level="word") == 0.75
    # repeats count every time; a run across two training sentences does not count
    assert ngram.copied_share(["sat", "sat", "wna"], train, n=3) == pytest.approx(2 / 3)
    assert ngram.copied_share(["the cat sat"], train, n=11) == 1.0
    # 10 characters by default: 8 runs, the last one ends with "!"
    assert ngram.copied_share(["the cat sat down!"], train) == pytest.approx(7 / 8)


def test_splitting_holds_out_whole_reviews(amazon):
    train, held_out = ngram.split_sentences(amazon, seed=0)
    assert not set(train.source) & set(held_out.source)
    assert len(train) + len(held_out) == len(amazon) == 3708
    assert 0.2 <= len(held_out) / len(amazon) < 0.25
    again, _ = ngram.split_sentences(amazon, seed=0)
    other, _ = ngram.split_sentences(amazon, seed=1)
    assert again.index.equals(train.index) and not other.index.equals(train.index)


@pytest.fixture(scope="module")
def sweep(amazon):
    """The chapter's curves at each seed of the sweep, with the published defaults."""
    curves = {}
    for seed in SEEDS:
        train, held_out = ngram.split_sentences(amazon, seed=seed)
        train, held_out = train.text.tolist(), held_out.text.tolist()
        curves[seed] = ngram.order_curves(ngram.fit_orders(train), train, held_out, seed=seed)
    return curves


def test_held_out_perplexity_falls_to_an_interior_order_then_rises(sweep):
    """The chapter's first claim: held-out perplexity is lowest at an order inside the
    range, falls at every order before it and rises at every order after it."""
    for seed, curve in sweep.items():
        perplexity, orders = curve.perplexity.to_numpy(), curve.order.tolist()
        best = int(np.argmin(perplexity))
        assert orders[0] < orders[best] < orders[-1], (seed, perplexity)
        assert all(np.diff(perplexity[: best + 1]) < 0), (seed, perplexity)
        assert all(np.diff(perplexity[best:]) > 0), (seed, perplexity)


def test_copying_rises_with_the_order(sweep):
    """The chapter's second claim: the share of generated 10-character runs copied from
    the training text never falls, and rises at every order from 2 on (orders 1 and 2
    copy almost nothing); the highest order copies more than order 2."""
    for seed, curve in sweep.items():
        copied = curve.copied_share.to_numpy()
        assert copied[0] <= copied[1] < 0.01, (seed, copied)
        assert all(np.diff(copied[1:]) > 0), (seed, copied)
        assert copied[-1] > copied[curve.order.tolist().index(2)], (seed, copied)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ngram.NGramModel(0), "order must be an integer >= 1"),
        (lambda: ngram.NGramModel(2.5), "order must be an integer >= 1"),
        (lambda: ngram.NGramModel(2, k=0), "k must be a finite number > 0"),
        (lambda: ngram.NGramModel(2, level="byte"), "level must be one of"),
        (lambda: ngram.NGramModel(2).fit([]), "texts is empty"),
        (lambda: ngram.NGramModel(2).fit("one sentence"), "not one str"),
        (lambda: ngram.NGramModel(2).fit(["ok", 3]), "a text must be a str"),
        (lambda: ngram.NGramModel(2).perplexity(["a"]), "not fitted"),
        (lambda: ngram.NGramModel(2).sample(np.random.default_rng(0)), "not fitted"),
        (lambda: ngram.NGramModel(2).probabilities("a"), "not fitted"),
        (lambda: ngram.NGramModel(2).fit(["ab"]).perplexity([]), "texts is empty"),
        (lambda: ngram.NGramModel(2).fit(["ab"]).sample(np.random.default_rng(0), 0),
         "temperature must be a finite number > 0"),
        (lambda: ngram.NGramModel(2).fit(["ab"]).sample(np.random.default_rng(0), -1.0),
         "temperature must be a finite number > 0"),
        (lambda: ngram.NGramModel(2).fit(["ab"]).sample(np.random.default_rng(0), 1, 0),
         "max_tokens must be an integer >= 1"),
        (lambda: ngram.NGramModel(9, level="word").fit([f"w{i}" for i in range(200)]),
         "too high for a vocabulary"),
        (lambda: ngram.fit_orders(["ab"], orders=[]), "orders is empty"),
        (lambda: ngram.copied_share([], ["ab"]), "samples is empty"),
        (lambda: ngram.copied_share(["ab"], ["ab"], n=0), "n must be an integer >= 1"),
        (lambda: ngram.copied_share(["ab"], ["ab"], n=3), "no sample has 3 tokens"),
        (lambda: ngram.order_curves({}, ["ab"], ["ab"]), "models is empty"),
        (lambda: ngram.split_sentences(corpora.sentences("amazon"), test_share=1),
         "test_share must lie between 0 and 1"),
        (lambda: ngram.split_sentences(corpora.sentences("amazon")[["text"]]),
         "needs the columns source and text"),
    ],
)  # fmt: skip
def test_bad_input_raises_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
