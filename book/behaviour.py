"""Behavioural tests of a sentiment model, after CheckList (Ribeiro et al. 2020).

A loss or an accuracy on a test set says how often a model is right, not *what* it
gets wrong. Behavioural tests ask the model about one capability at a time, with
sentences written or perturbed for the purpose. There are three kinds:

- a **minimum functionality test** (:class:`MFT`): labelled sentences, often filled
  in from a template, that the model must get right ("The phone is not good." is
  negative);
- an **invariance test** (:class:`INV`): a perturbation that must not change the
  prediction (a typo, another product's name, another number);
- a **directional test** (:class:`DIR`): a perturbation with an expected direction
  (appending a complaint must not raise the score).

A model is any callable ``score(texts)`` that returns one float per text, higher
meaning more positive: VADER's compound score (:func:`book.sentiment.vader_scores`,
-1 to +1, midpoint 0) or a classifier's ``predict_proba(texts)[:, 1]`` (midpoint
0.5). The *threshold* passed to :func:`run_tests` is that midpoint: a score above
it is a positive prediction, below it a negative one, and a score exactly on it
(VADER gives 0 to a sentence with no sentiment word) neither.

The perturbations (:func:`add_typo`, :func:`swap_names`, :func:`change_numbers`,
:func:`append_sentence`) and the template helper :func:`fill` are deterministic
given a seed; :func:`default_suite` builds a small suite from them and
:func:`failing_examples` shows the cases a model gets wrong.
"""

from __future__ import annotations

import itertools
import re
import string
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

#: Products for the templates, and the names :func:`default_suite` swaps in real
#: (lower-case) review sentences.
PRODUCTS = ("phone", "camera", "player", "headset", "charger", "speaker")
#: Adjectives every sentiment model should know the side of.
POSITIVE = ("good", "great", "excellent", "amazing", "nice")
NEGATIVE = ("bad", "terrible", "awful", "poor", "disappointing")
#: First names from several languages, for the name-swap test.
NAMES = ("Anna", "Ben", "Carlos", "Dana", "Emeka", "Fatima", "Hiro", "Priya")
#: The sentences the directional tests append.
COMPLAINT = "The battery died after a week."
PRAISE = "I love it."

EXPECTATIONS = ("positive", "negative", "not negative", "not positive")
DIRECTIONS = ("not up", "not down")

_WORD = re.compile(r"[A-Za-z]+")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _rng(rng):
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(rng)
    raise ValueError(f"rng must be a numpy Generator or an int seed, not {rng!r}")


def _texts(texts, what):
    if isinstance(texts, str):
        raise ValueError(f"{what} must be a list of texts, not one string")
    texts = tuple(texts)
    if not texts:
        raise ValueError(f"{what} is empty: a test needs at least one case")
    if not all(isinstance(t, str) for t in texts):
        raise ValueError(f"{what} must all be strings")
    return texts


# Templates and perturbations ---------------------------------------------------


def fill(template, **lists):
    """Every sentence a template makes from lists of words (the cartesian product).

    Parameters
    ----------
    template : str
        A :meth:`str.format` template with named fields, e.g.
        ``"The {product} is {adj}."``.
    **lists : sequence of str
        The words for each field, one keyword per field.

    Returns
    -------
    list of str
        One sentence per combination; the first field in the template varies
        slowest, each list in its given order.

    Raises
    ------
    ValueError
        If a field has no list, a list is empty, or a list names no field.

    Examples
    --------
    >>> fill("The {product} is {adj}.", product=["phone", "camera"], adj=["ok", "bad"])
    ... # doctest: +NORMALIZE_WHITESPACE
    ['The phone is ok.', 'The phone is bad.',
     'The camera is ok.', 'The camera is bad.']
    """
    fields = []
    for _, field, _, _ in string.Formatter().parse(template):
        if field is not None and field not in fields:
            if not field.isidentifier():
                raise ValueError(f"template fields must be named, not {{{field}}}")
            fields.append(field)
    if not fields:
        raise ValueError(f"template {template!r} has no {{field}} to fill")
    missing = [f for f in fields if f not in lists]
    if missing:
        raise ValueError(f"no list of words for field(s) {missing} of {template!r}")
    unused = [k for k in lists if k not in fields]
    if unused:
        raise ValueError(f"list(s) {unused} name no field of {template!r}")
    words = []
    for field in fields:
        values = lists[field]
        if isinstance(values, str) or not len(values):
            raise ValueError(f"{field} must be a non-empty list of words")
        words.append(list(values))
    return [
        template.format(**dict(zip(fields, combo)))
        for combo in itertools.product(*words)
    ]


def _typo_sites(text):
    """(start, offset) of every adjacent pair of different letters within a word."""
    return [
        (m.start(), i)
        for m in _WORD.finditer(text)
        for i in range(len(m.group()) - 1)
        if m.group()[i].lower() != m.group()[i + 1].lower()
    ]


def add_typo(text, rng):
    """The text with two adjacent letters of one word swapped.

    A word is picked at random among those with two adjacent different letters,
    then one such pair in it.

    Parameters
    ----------
    text : str
    rng : numpy.random.Generator or int
        The generator, or a seed for one.

    Raises
    ------
    ValueError
        If no word has two adjacent different letters to swap.

    Examples
    --------
    >>> add_typo("The phone is great.", rng=0)
    'The phone is graet.'
    """
    rng = _rng(rng)
    sites = _typo_sites(text)
    if not sites:
        raise ValueError(f"no word of {text!r} has two different letters to swap")
    words = sorted({start for start, _ in sites})
    start = words[rng.integers(len(words))]
    offsets = [i for s, i in sites if s == start]
    at = start + offsets[rng.integers(len(offsets))]
    return text[:at] + text[at + 1] + text[at] + text[at + 2 :]


def _name_pattern(names):
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b")


def swap_names(text, names, rng):
    """The text with each name from a list replaced by another name from it.

    Names are matched as whole words, case-sensitively; every occurrence of one
    name gets the same replacement, drawn at random from the other names.

    Parameters
    ----------
    text : str
    names : sequence of str
        At least two names (of people or of products).
    rng : numpy.random.Generator or int
        The generator, or a seed for one.

    Raises
    ------
    ValueError
        If fewer than two distinct names are given or none occurs in the text.

    Examples
    --------
    >>> swap_names("Anna says the phone is great.", ["Anna", "Ben", "Dana"], rng=0)
    'Dana says the phone is great.'
    """
    rng = _rng(rng)
    if isinstance(names, str):
        raise ValueError("names must be a list of names, not one string")
    names = list(dict.fromkeys(names))
    if len(names) < 2 or not all(isinstance(n, str) and n for n in names):
        raise ValueError(f"names must be at least two non-empty strings, not {names}")
    pattern = _name_pattern(names)
    found = list(dict.fromkeys(m.group() for m in pattern.finditer(text)))
    if not found:
        raise ValueError(f"none of the names {names} occurs in {text!r}")
    replacement = {}
    for name in found:
        others = [n for n in names if n != name]
        replacement[name] = others[rng.integers(len(others))]
    return pattern.sub(lambda m: replacement[m.group()], text)


def change_numbers(text, rng):
    """The text with every number changed by up to 20%, the rest left as it was.

    Each number (digits, with thousands commas or decimals) is multiplied by a
    random factor between 0.8 and 1.2 and rounded to the same number of decimals;
    if that leaves it unchanged it grows by one unit of its last digit. Ratings
    ("5 stars") carry sentiment: leave such sentences out of an invariance test.

    Parameters
    ----------
    text : str
    rng : numpy.random.Generator or int
        The generator, or a seed for one.

    Raises
    ------
    ValueError
        If the text has no number.

    Examples
    --------
    >>> change_numbers("It died after 30 days and cost $1,200.", rng=0)
    'It died after 32 days and cost $1,089.'
    """
    rng = _rng(rng)
    if not _NUMBER.search(text):
        raise ValueError(f"{text!r} has no number to change")

    def changed(match):
        number = match.group()
        commas = "," in number
        decimals = len(number.split(".")[1]) if "." in number else 0
        value = float(number.replace(",", ""))
        new = round(value * rng.uniform(0.8, 1.2), decimals)
        if new == round(value, decimals):
            new += 10.0**-decimals
        return f"{new:{',' if commas else ''}.{decimals}f}"

    return _NUMBER.sub(changed, text)


def append_sentence(text, sentence):
    """The text with a sentence appended, after a full stop if it had no end mark.

    Examples
    --------
    >>> append_sentence("great sound", "The battery died after a week.")
    'great sound. The battery died after a week.'
    """
    if not isinstance(sentence, str) or not sentence.strip():
        raise ValueError("the sentence to append must be a non-empty string")
    text = text.rstrip()
    if text and text[-1] not in ".!?":
        text += "."
    return f"{text} {sentence.strip()}".lstrip()


# The three kinds of test -------------------------------------------------------


def _sides(scores, threshold):
    """+1 above the threshold, -1 below it, 0 on it."""
    return np.sign(scores - threshold)


@dataclass(frozen=True)
class MFT:
    """A minimum functionality test: texts whose side the model must get right.

    Parameters
    ----------
    name : str
    texts : sequence of str
    expect : str
        ``"positive"`` (score above the threshold), ``"negative"`` (below it),
        ``"not negative"`` (on or above it) or ``"not positive"`` (on or below it).

    Examples
    --------
    >>> test = MFT("negation", ["The phone is not good."], expect="negative")
    >>> test.failed(np.array([0.4]), threshold=0.0).tolist()
    [True]
    """

    name: str
    texts: tuple
    expect: str
    kind: ClassVar[str] = "MFT"

    def __post_init__(self):
        object.__setattr__(self, "texts", _texts(self.texts, f"{self.name}'s texts"))
        if self.expect not in EXPECTATIONS:
            raise ValueError(
                f"expect must be one of {EXPECTATIONS}, not {self.expect!r}"
            )

    def inputs(self):
        """The texts to score, in the order :meth:`failed` expects."""
        return list(self.texts)

    def failed(self, scores, threshold):
        """Which cases fail, given the scores of :meth:`inputs`."""
        side = _sides(np.asarray(scores, dtype=float), threshold)
        passed = {
            "positive": side > 0,
            "negative": side < 0,
            "not negative": side >= 0,
            "not positive": side <= 0,
        }[self.expect]
        return ~passed


@dataclass(frozen=True)
class _Paired:
    name: str
    originals: tuple
    perturbed: tuple

    def __post_init__(self):
        originals = _texts(self.originals, f"{self.name}'s originals")
        perturbed = _texts(self.perturbed, f"{self.name}'s perturbed texts")
        if len(originals) != len(perturbed):
            raise ValueError(
                f"{self.name} has {len(originals)} originals but {len(perturbed)} "
                "perturbed texts: they must pair up"
            )
        object.__setattr__(self, "originals", originals)
        object.__setattr__(self, "perturbed", perturbed)
        tolerance = self.tolerance
        if tolerance is not None and not (np.isfinite(tolerance) and tolerance >= 0):
            raise ValueError(f"tolerance must be a number >= 0, not {tolerance!r}")

    def inputs(self):
        """The originals, then the perturbed texts."""
        return list(self.originals) + list(self.perturbed)


@dataclass(frozen=True)
class INV(_Paired):
    """An invariance test: a perturbation that must not change the prediction.

    Parameters
    ----------
    name : str
    originals, perturbed : sequence of str
        The texts and their perturbed versions, paired.
    tolerance : float or None
        If None (the default), a case fails when the perturbation moves the score
        to another side of the threshold (or onto or off it); otherwise when it
        moves the score by more than ``tolerance``.

    Examples
    --------
    >>> test = INV("typo", ["great phone"], ["gerat phone"])
    >>> test.failed(np.array([0.6, 0.0]), threshold=0.0).tolist()
    [True]
    """

    tolerance: float | None = None
    kind: ClassVar[str] = "INV"

    def failed(self, scores, threshold):
        """Which pairs fail, given the scores of :meth:`inputs`."""
        scores = np.asarray(scores, dtype=float)
        before, after = np.split(scores, 2)
        if self.tolerance is None:
            return _sides(before, threshold) != _sides(after, threshold)
        return np.abs(after - before) > self.tolerance


@dataclass(frozen=True)
class DIR(_Paired):
    """A directional test: a perturbation must move the score one way or not at all.

    Parameters
    ----------
    name : str
    originals, perturbed : sequence of str
        The texts and their perturbed versions, paired.
    direction : str
        ``"not up"`` (the score must not rise by more than ``tolerance``) or
        ``"not down"`` (it must not fall by more than ``tolerance``).
    tolerance : float
        The change allowed the wrong way; 0 by default.

    Examples
    --------
    >>> test = DIR("complaint", ["great"], ["great. It broke."], direction="not up")
    >>> test.failed(np.array([0.6, 0.7]), threshold=0.0).tolist()
    [True]
    """

    direction: str = "not up"
    tolerance: float = 0.0
    kind: ClassVar[str] = "DIR"

    def __post_init__(self):
        if self.tolerance is None:
            raise ValueError("a directional test needs a numeric tolerance, not None")
        super().__post_init__()
        if self.direction not in DIRECTIONS:
            raise ValueError(
                f"direction must be one of {DIRECTIONS}, not {self.direction!r}"
            )

    def failed(self, scores, threshold):
        """Which pairs fail, given the scores of :meth:`inputs`."""
        before, after = np.split(np.asarray(scores, dtype=float), 2)
        change = after - before
        if self.direction == "not up":
            return change > self.tolerance
        return change < -self.tolerance


# Running them ------------------------------------------------------------------


def _check_tests(tests):
    if isinstance(tests, (MFT, INV, DIR)):
        tests = [tests]
    tests = list(tests)
    if not tests:
        raise ValueError("no tests to run")
    for test in tests:
        if not isinstance(test, (MFT, INV, DIR)):
            raise ValueError(f"not a behavioural test (MFT, INV or DIR): {test!r}")
    names = [t.name for t in tests]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"test names must be unique; repeated: {repeated}")
    return tests


def _score(score, texts):
    if not callable(score):
        raise ValueError(f"score must be a callable score(texts), not {score!r}")
    scores = np.asarray(score(list(texts)), dtype=float).reshape(-1)
    if len(scores) != len(texts):
        raise ValueError(
            f"score returned {len(scores)} scores for {len(texts)} texts: "
            "it must return one float per text"
        )
    if not np.all(np.isfinite(scores)):
        raise ValueError("score returned a NaN or infinite score")
    return scores


def _check_threshold(threshold):
    if not isinstance(threshold, (int, float, np.number)) or not np.isfinite(threshold):
        raise ValueError(f"threshold must be a finite number, not {threshold!r}")


def run_tests(score, tests, threshold=0.0):
    """Run behavioural tests on a model: how many cases of each it fails.

    All the texts are scored in one call, so a model that scores in batches runs
    fast.

    Parameters
    ----------
    score : callable
        ``score(texts)`` -> one float per text, higher meaning more positive.
    tests : sequence of MFT, INV or DIR
        Tests with unique names.
    threshold : float
        The score between negative and positive: 0 for VADER's compound score,
        0.5 for a probability.

    Returns
    -------
    pandas.DataFrame
        One row per test, in the given order: ``test``, ``kind`` (MFT, INV or
        DIR), ``cases``, ``failures`` and ``failure_rate``.

    Raises
    ------
    ValueError
        If there are no tests, a test name repeats, or the model does not return
        one finite score per text.

    Examples
    --------
    >>> def keywords(texts):  # ignores negation
    ...     return np.array([("good" in t) - ("bad" in t) for t in texts], float)
    >>> tests = [MFT("not good", ["It is not good.", "Not good at all."], "negative")]
    >>> run_tests(keywords, tests)
           test kind  cases  failures  failure_rate
    0  not good  MFT      2         2           1.0
    """
    tests = _check_tests(tests)
    _check_threshold(threshold)
    inputs = [t.inputs() for t in tests]
    scores = _score(score, [text for texts in inputs for text in texts])
    rows, at = [], 0
    for test, texts in zip(tests, inputs):
        failed = test.failed(scores[at : at + len(texts)], threshold)
        at += len(texts)
        rows.append(
            {
                "test": test.name,
                "kind": test.kind,
                "cases": len(failed),
                "failures": int(failed.sum()),
                "failure_rate": float(failed.mean()),
            }
        )
    return pd.DataFrame(rows)


def failing_examples(score, test, threshold=0.0, limit=None):
    """The cases of one test that a model fails, to read.

    Parameters
    ----------
    score : callable
        ``score(texts)`` -> one float per text, higher meaning more positive.
    test : MFT, INV or DIR
    threshold : float
        The score between negative and positive.
    limit : int or None
        Show at most this many (the first ones), or all if None.

    Returns
    -------
    pandas.DataFrame
        For an MFT: ``text`` and ``score``. For an INV or DIR: ``original``,
        ``perturbed``, ``score_original``, ``score_perturbed`` and ``change``.

    Examples
    --------
    >>> def keywords(texts):
    ...     return np.array([("good" in t) - ("bad" in t) for t in texts], float)
    >>> test = MFT("negative", ["It is bad.", "It is not good."], "negative")
    >>> failing_examples(keywords, test)
                  text  score
    0  It is not good.    1.0
    """
    (test,) = _check_tests([test])
    _check_threshold(threshold)
    if limit is not None and (not isinstance(limit, (int, np.integer)) or limit < 0):
        raise ValueError(f"limit must be None or an int >= 0, not {limit!r}")
    scores = _score(score, test.inputs())
    failed = test.failed(scores, threshold)
    if isinstance(test, MFT):
        frame = pd.DataFrame({"text": test.texts, "score": scores})
    else:
        before, after = np.split(scores, 2)
        frame = pd.DataFrame(
            {
                "original": test.originals,
                "perturbed": test.perturbed,
                "score_original": before,
                "score_perturbed": after,
                "change": after - before,
            }
        )
    frame = frame[failed].reset_index(drop=True)
    return frame if limit is None else frame.head(limit)


# A default suite ---------------------------------------------------------------


def _sample(texts, keep, count, rng):
    kept = [t for t in texts if keep(t)]
    if len(kept) > count:
        chosen = np.sort(rng.choice(len(kept), size=count, replace=False))
        kept = [kept[i] for i in chosen]
    return kept


def _has_name(names):
    pattern = _name_pattern(names)
    return lambda text: bool(pattern.search(text))


def default_suite(sentences, seed=0, per_test=100, tolerance=0.01):
    """A small behavioural suite for a sentiment model: templates and real sentences.

    Minimum functionality, from templates over :data:`PRODUCTS`, :data:`POSITIVE`
    and :data:`NEGATIVE` ("The {product} is {adjective}."):

    - ``vocabulary: positive`` / ``vocabulary: negative``: the adjectives alone
      must land on their side, so that a failure below is about negation, not
      about a word the model does not know;
    - ``negation: not positive``: "The phone is not good." must score negative;
    - ``negation: not negative``: "The phone is not bad." must *not* score
      negative. It need not be positive: "not bad" is faint praise at best, so
      neutral passes (CheckList asks the same: positive or neutral);
    - ``negation: I don't think``: "I don't think the phone is good." must score
      negative, with the negation five words before the adjective (beyond the
      three that VADER's negation rule looks back).

    Invariance (the prediction's side must not change) on the given sentences:

    - ``typo``: :func:`add_typo` on each sentence;
    - ``product name``: :func:`swap_names` over :data:`PRODUCTS`, on the
      sentences that name one;
    - ``numbers``: :func:`change_numbers` on the sentences with a number, except
      those that mention stars (a rating);
    - ``person name``: :func:`swap_names` over :data:`NAMES` on templated
      sentences ("Anna says the phone is great."), since reviews seldom name people.

    Directional, on the given sentences:

    - ``append complaint``: appending :data:`COMPLAINT` must not raise the score
      by more than ``tolerance``;
    - ``append praise``: appending :data:`PRAISE` must not lower it by more than
      ``tolerance``.

    Parameters
    ----------
    sentences : sequence of str
        Real sentences, e.g. ``book.corpora.sentences("amazon")["text"]``.
    seed : int
        Seeds the sample of sentences and every perturbation.
    per_test : int
        At most this many sentences per test on real sentences (a seeded sample).
    tolerance : float
        The directional tests' allowance, on the score's scale.

    Returns
    -------
    list of MFT, INV and DIR
        Eleven tests; a test on real sentences that none of them suits is left out.

    Examples
    --------
    >>> suite = default_suite(["The phone broke after 2 days.", "A great camera!"])
    >>> [(t.kind, t.name, len(t.inputs())) for t in suite][:3]
    [('MFT', 'vocabulary: positive', 30), ('MFT', 'vocabulary: negative', 30), \
('MFT', 'negation: not positive', 30)]
    >>> [(t.name, len(t.originals)) for t in suite if t.kind != "MFT"]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('typo', 2), ('product name', 2), ('numbers', 1), ('person name', 30),
     ('append complaint', 2), ('append praise', 2)]
    """
    sentences = _texts(sentences, "sentences")
    if not isinstance(per_test, (int, np.integer)) or per_test < 1:
        raise ValueError(f"per_test must be an int >= 1, not {per_test!r}")
    rng = _rng(seed)
    pos = fill("The {product} is {adjective}.", product=PRODUCTS, adjective=POSITIVE)
    neg = fill("The {product} is {adjective}.", product=PRODUCTS, adjective=NEGATIVE)
    tests = [
        MFT("vocabulary: positive", pos, "positive"),
        MFT("vocabulary: negative", neg, "negative"),
        MFT(
            "negation: not positive",
            fill(
                "The {product} is not {adjective}.",
                product=PRODUCTS,
                adjective=POSITIVE,
            ),
            "negative",
        ),
        MFT(
            "negation: not negative",
            fill(
                "The {product} is not {adjective}.",
                product=PRODUCTS,
                adjective=NEGATIVE,
            ),
            "not negative",
        ),
        MFT(
            "negation: I don't think",
            fill(
                "I don't think the {product} is {adjective}.",
                product=PRODUCTS,
                adjective=POSITIVE,
            ),
            "negative",
        ),
    ]

    def paired(kind, name, keep, perturb, **options):
        originals = _sample(sentences, keep, per_test, rng)
        if originals:
            tests.append(
                kind(name, originals, [perturb(t) for t in originals], **options)
            )

    paired(INV, "typo", lambda t: bool(_typo_sites(t)), lambda t: add_typo(t, rng))
    paired(
        INV,
        "product name",
        _has_name(PRODUCTS),
        lambda t: swap_names(t, PRODUCTS, rng),
    )
    paired(
        INV,
        "numbers",
        lambda t: bool(_NUMBER.search(t)) and "star" not in t.lower(),
        lambda t: change_numbers(t, rng),
    )
    people = fill(
        "{name} says the {product} is {adjective}.",
        name=NAMES[:2],
        product=PRODUCTS[:3],
        adjective=POSITIVE[:3] + NEGATIVE[:2],
    )
    tests.append(
        INV("person name", people, [swap_names(t, NAMES, rng) for t in people])
    )
    for name, sentence, direction in [
        ("append complaint", COMPLAINT, "not up"),
        ("append praise", PRAISE, "not down"),
    ]:
        paired(
            DIR,
            name,
            lambda t: bool(t.strip()),
            lambda t, s=sentence: append_sentence(t, s),
            direction=direction,
            tolerance=tolerance,
        )
    return tests
