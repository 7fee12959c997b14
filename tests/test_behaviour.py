"""Behavioural tests (book.behaviour): the perturbations, the runner and the suite."""

from __future__ import annotations

import re
import time

import numpy as np
import pytest

from book import behaviour
from book.behaviour import (
    DIR,
    INV,
    MFT,
    add_typo,
    append_sentence,
    change_numbers,
    default_suite,
    failing_examples,
    fill,
    run_tests,
    swap_names,
)

SENTENCES = [
    "The phone broke after 2 days.",
    "A great camera, worth every one of its 300 dollars!",
    "I would buy this player again",
    "It is fine.",
    "Five stars, 5 out of 5.",
]


def keywords(texts):
    """A scorer that counts sentiment words and ignores negation."""
    good = ("good", "great", "excellent", "amazing", "nice", "love")
    bad = ("bad", "terrible", "awful", "poor", "disappointing", "died", "broke")
    return np.array(
        [
            sum(w in good for w in re.findall(r"\w+", t.lower()))
            - sum(w in bad for w in re.findall(r"\w+", t.lower()))
            for t in texts
        ],
        dtype=float,
    )


def constant(texts):
    return np.full(len(texts), 0.3)


# fill ---------------------------------------------------------------------------


def test_fill_is_the_cartesian_product_in_template_order():
    out = fill("{a} and {b}, {a}", b=["x", "y"], a=["1", "2"])
    assert out == ["1 and x, 1", "1 and y, 1", "2 and x, 2", "2 and y, 2"], out


@pytest.mark.parametrize(
    "template, lists, message",
    [
        ("The {product} is {adj}.", {"product": ["phone"]}, "no list"),
        ("The {product}.", {"product": ["phone"], "adj": ["good"]}, "name no field"),
        ("The {product}.", {"product": []}, "non-empty"),
        ("The {product}.", {"product": "phone"}, "non-empty"),
        ("The {}.", {}, "named"),
        ("The phone.", {}, "no {field}"),
    ],
)
def test_fill_rejects_bad_input(template, lists, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        fill(template, **lists)


# add_typo -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(30))
def test_a_typo_swaps_two_adjacent_letters_of_exactly_one_word(seed):
    text = "The battery of this phone died after a week, sadly."
    typo = add_typo(text, np.random.default_rng(seed))
    assert typo == add_typo(text, seed), "the same seed gives the same typo"
    before, after = text.split(" "), typo.split(" ")
    assert len(before) == len(after)
    changed = [(b, a) for b, a in zip(before, after) if b != a]
    assert len(changed) == 1, f"exactly one word changes: {changed}"
    b, a = changed[0]
    i = next(k for k in range(len(b)) if b[k] != a[k])
    assert a == b[:i] + b[i + 1] + b[i] + b[i + 2 :], f"{b} -> {a} is not a swap"
    assert b[i].isalpha() and b[i + 1].isalpha()


def test_typos_vary_with_the_seed():
    text = "The battery of this phone died after a week, sadly."
    assert len({add_typo(text, seed) for seed in range(20)}) > 5


def test_a_typo_needs_a_word_with_two_different_letters():
    assert add_typo("A zoo", 0) == "A ozo"
    for text in ["", "a I", "oo 123 !!"]:
        with pytest.raises(ValueError, match="no word"):
            add_typo(text, 0)


def test_a_bad_rng_is_refused():
    with pytest.raises(ValueError, match="Generator or an int"):
        add_typo("great", "seed")
    with pytest.raises(ValueError, match="Generator or an int"):
        add_typo("great", True)


# swap_names ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
def test_swap_names_replaces_each_name_consistently_with_another(seed):
    names = ["Anna", "Ben", "Dana"]
    text = "Anna told Ben that Anna's phone, unlike Annabel's, works."
    out = swap_names(text, names, seed)
    assert out == swap_names(text, names, np.random.default_rng(seed))
    words = re.findall(r"\w+", out)
    first, second, third = words[0], words[2], words[4]
    assert first != "Anna" and second != "Ben"
    assert first in names and second in names and third == first
    assert "Annabel" in out, "names are matched as whole words"
    assert out.endswith(" that " + third + "'s phone, unlike Annabel's, works.")


def test_swap_names_rejects_bad_input():
    with pytest.raises(ValueError, match="none of the names"):
        swap_names("The phone works.", ["Anna", "Ben"], 0)
    with pytest.raises(ValueError, match="at least two"):
        swap_names("Anna", ["Anna"], 0)
    with pytest.raises(ValueError, match="at least two"):
        swap_names("Anna", ["Anna", "Anna"], 0)
    with pytest.raises(ValueError, match="not one string"):
        swap_names("Anna", "Anna", 0)


# change_numbers -----------------------------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_change_numbers_keeps_the_text_and_moves_each_number_a_little(seed):
    text = "It cost $1,200 and died after 30 days, at 4.5 volts, 0 refunds."
    out = change_numbers(text, seed)
    assert out == change_numbers(text, np.random.default_rng(seed))
    pattern = behaviour._NUMBER
    assert pattern.split(out) == pattern.split(text), "the other text is unchanged"
    old, new = pattern.findall(text), pattern.findall(out)
    assert len(old) == len(new) == 4
    for o, n in zip(old, new):
        assert o != n
        assert ("," in n) == ("," in o) and n.count(".") == o.count(".")
        if "." in o:
            assert len(n.split(".")[1]) == len(o.split(".")[1]), (o, n)
        a, b = float(o.replace(",", "")), float(n.replace(",", ""))
        unit = 0.1 if "." in o else 1
        assert abs(b - a) <= 0.2 * a + unit + 1e-9, (o, n)


def test_change_numbers_needs_a_number():
    with pytest.raises(ValueError, match="no number"):
        change_numbers("It died after a week.", 0)


# append_sentence ----------------------------------------------------------------


def test_append_sentence_adds_a_full_stop_only_when_needed():
    assert append_sentence("Great.", "It broke.") == "Great. It broke."
    assert append_sentence("Great!  ", " It broke.") == "Great! It broke."
    assert append_sentence("great sound", "It broke.") == "great sound. It broke."
    assert append_sentence("", "It broke.") == "It broke."
    with pytest.raises(ValueError, match="non-empty"):
        append_sentence("Great.", "  ")


# the tests themselves -----------------------------------------------------------


def test_tests_reject_bad_definitions():
    with pytest.raises(ValueError, match="expect must be one of"):
        MFT("t", ["a"], "good")
    with pytest.raises(ValueError, match="is empty"):
        MFT("t", [], "negative")
    with pytest.raises(ValueError, match="not one string"):
        MFT("t", "The phone is good.", "positive")
    with pytest.raises(ValueError, match="pair up"):
        INV("t", ["a", "b"], ["a"])
    with pytest.raises(ValueError, match="tolerance"):
        INV("t", ["a"], ["b"], tolerance=-1)
    with pytest.raises(ValueError, match="direction"):
        DIR("t", ["a"], ["b"], direction="up")
    with pytest.raises(ValueError, match="tolerance"):
        DIR("t", ["a"], ["b"], tolerance=None)


def test_expectations_at_and_around_the_threshold():
    scores = np.array([-1.0, 0.0, 1.0])
    texts = ["a", "b", "c"]
    failed = {
        e: MFT("t", texts, e).failed(scores, 0.0).tolist()
        for e in behaviour.EXPECTATIONS
    }
    assert failed == {
        "positive": [True, True, False],
        "negative": [False, True, True],
        "not negative": [True, False, False],
        "not positive": [False, False, True],
    }, failed


def test_inv_with_and_without_a_tolerance():
    test = INV("t", ["a", "b", "c"], ["a2", "b2", "c2"])
    scores = np.array([0.6, 0.1, 0.0, 0.4, -0.1, 0.0])
    assert test.failed(scores, 0.5).tolist() == [True, False, False]
    assert test.failed(scores, 0.0).tolist() == [False, True, False]
    loose = INV("t", ["a", "b", "c"], ["a2", "b2", "c2"], tolerance=0.25)
    assert loose.failed(scores, 0.5).tolist() == [False, False, False]
    tight = INV("t", ["a", "b", "c"], ["a2", "b2", "c2"], tolerance=0.15)
    assert tight.failed(scores, 0.5).tolist() == [True, True, False]


def test_dir_fails_only_beyond_the_tolerance_the_wrong_way():
    before, after = [0.0, 0.0, 0.0], [0.05, 0.2, -0.5]
    scores = np.array(before + after)
    down = DIR("t", ["a", "b", "c"], ["x", "y", "z"], "not up", tolerance=0.1)
    assert down.failed(scores, 0.0).tolist() == [False, True, False]
    up = DIR("t", ["a", "b", "c"], ["x", "y", "z"], "not down", tolerance=0.1)
    assert up.failed(scores, 0.0).tolist() == [False, False, True]


# the runner ---------------------------------------------------------------------


def test_a_keyword_scorer_fails_negation_every_time():
    suite = default_suite(SENTENCES, seed=0)
    result = run_tests(keywords, suite).set_index("test")
    assert result.loc["vocabulary: positive", "failure_rate"] == 0
    assert result.loc["vocabulary: negative", "failure_rate"] == 0
    for name in ["negation: not positive", "negation: not negative"]:
        assert result.loc[name, "failures"] == result.loc[name, "cases"] == 30, name
    assert result.loc["append complaint", "failures"] == 0


def test_a_constant_scorer_passes_every_invariance_and_fails_the_mft():
    suite = default_suite(SENTENCES, seed=0)
    result = run_tests(constant, suite).set_index("test")
    assert set(result["kind"]) == {"MFT", "INV", "DIR"}
    assert (result.loc[result["kind"] != "MFT", "failures"] == 0).all()
    assert result.loc["vocabulary: positive", "failure_rate"] == 0
    assert result.loc["vocabulary: negative", "failure_rate"] == 1
    assert result.loc["negation: not positive", "failure_rate"] == 1
    assert result.loc["negation: not negative", "failure_rate"] == 0
    # with the midpoint of a probability, 0.3 is a negative prediction
    at_half = run_tests(constant, suite, threshold=0.5).set_index("test")
    assert at_half.loc["vocabulary: positive", "failure_rate"] == 1
    assert at_half.loc["vocabulary: negative", "failure_rate"] == 0


def test_the_runner_counts_each_test_on_its_own_scores():
    tests = [
        MFT("m", ["good", "bad", "good"], "positive"),
        INV("i", ["good", "bad"], ["bad", "bad"]),
        DIR("d", ["good"], ["good good"], "not up"),
    ]
    result = run_tests(keywords, tests)
    assert result.columns.tolist() == [
        "test",
        "kind",
        "cases",
        "failures",
        "failure_rate",
    ]
    assert result["test"].tolist() == ["m", "i", "d"]
    assert result["cases"].tolist() == [3, 2, 1]
    assert result["failures"].tolist() == [1, 1, 1]
    assert result["failure_rate"].tolist() == pytest.approx([1 / 3, 0.5, 1.0])


def test_failing_examples_shows_only_the_failures():
    mft = MFT("m", ["good", "bad", "not good"], "positive")
    shown = failing_examples(keywords, mft)
    assert shown.columns.tolist() == ["text", "score"]
    assert shown["text"].tolist() == ["bad"]
    inv = INV("i", ["good", "bad", "fine"], ["bad", "bad", "good"])
    shown = failing_examples(keywords, inv)
    assert shown["original"].tolist() == ["good", "fine"]
    assert shown["change"].tolist() == [-2.0, 1.0]
    assert len(failing_examples(keywords, inv, limit=1)) == 1
    with pytest.raises(ValueError, match="limit"):
        failing_examples(keywords, inv, limit=-1)


@pytest.mark.parametrize(
    "score, tests, threshold, message",
    [
        (keywords, [], 0.0, "no tests"),
        (keywords, ["not a test"], 0.0, "not a behavioural test"),
        (keywords, [MFT("a", ["x"], "positive")] * 2, 0.0, "unique"),
        (
            lambda texts: np.zeros(1),
            [MFT("a", ["x", "y"], "positive")],
            0.0,
            "one float",
        ),
        (
            lambda texts: np.full(len(texts), np.nan),
            [MFT("a", ["x"], "positive")],
            0.0,
            "NaN",
        ),
        ("vader", [MFT("a", ["x"], "positive")], 0.0, "callable"),
        (keywords, [MFT("a", ["x"], "positive")], float("nan"), "threshold"),
        (keywords, [MFT("a", ["x"], "positive")], "0.5", "threshold"),
    ],
)
def test_the_runner_rejects_bad_input(score, tests, threshold, message):
    with pytest.raises(ValueError, match=message):
        run_tests(score, tests, threshold=threshold)


# the default suite --------------------------------------------------------------


def test_the_default_suite_is_deterministic_and_perturbs_every_case():
    suite = default_suite(SENTENCES, seed=3)
    again = default_suite(SENTENCES, seed=3)
    assert suite == again
    assert [t.name for t in suite] == [
        "vocabulary: positive",
        "vocabulary: negative",
        "negation: not positive",
        "negation: not negative",
        "negation: I don't think",
        "typo",
        "product name",
        "numbers",
        "person name",
        "append complaint",
        "append praise",
    ]
    by_name = {t.name: t for t in suite}
    assert by_name["numbers"].originals == (SENTENCES[0], SENTENCES[1]), "no ratings"
    assert by_name["product name"].originals == (
        SENTENCES[0],
        SENTENCES[1],
        SENTENCES[2],
    )
    for test in suite:
        if not isinstance(test, MFT):
            assert all(a != b for a, b in zip(test.originals, test.perturbed)), (
                test.name
            )


def test_the_default_suite_samples_at_most_per_test_sentences():
    suite = default_suite(SENTENCES * 10, seed=0, per_test=7)
    for test in suite:
        if not isinstance(test, MFT) and test.name != "person name":
            assert len(test.originals) == 7, test.name


def test_the_default_suite_leaves_out_tests_no_sentence_suits():
    names = [t.name for t in default_suite(["It is fine."])]
    assert "numbers" not in names and "product name" not in names
    assert "typo" in names


def test_the_default_suite_rejects_bad_input():
    with pytest.raises(ValueError, match="empty"):
        default_suite([])
    with pytest.raises(ValueError, match="one string"):
        default_suite("The phone is great.")
    with pytest.raises(ValueError, match="per_test"):
        default_suite(SENTENCES, per_test=0)


def test_vader_fails_distant_negation_and_some_typos_in_well_under_a_second():
    from book import corpora
    from book.sentiment import vader_scores

    texts = corpora.sentences("amazon")["text"].tolist()
    suite = default_suite(texts, seed=0)
    start = time.perf_counter()
    result = run_tests(vader_scores, suite).set_index("test")
    seconds = time.perf_counter() - start
    assert seconds < 1.0, f"VADER took {seconds:.2f} s on the default suite"
    # VADER's negation looks three words back: "not good" is negative...
    assert result.loc["negation: not positive", "failure_rate"] == 0
    assert result.loc["vocabulary: positive", "failure_rate"] == 0
    # ...but "I don't think the phone is good" is four words back.
    assert result.loc["negation: I don't think", "failure_rate"] >= 0.9
    # a typo turns a lexicon word into an unknown one (measured 5-9% at seeds 0-3)
    assert result.loc["typo", "failures"] > 0
    assert result.loc["typo", "failure_rate"] < 0.5
    assert result.loc["person name", "failures"] == 0, "VADER ignores names"
