"""A small n-gram language model: a generative model that writes.

Chapter 4 trains it on real review sentences (:func:`book.corpora.sentences`), draws
sentences from it at several temperatures, and follows two curves as the order ``n``
grows: the perplexity of held-out sentences, and the share of the generated text that
is copied verbatim from the training sentences (:func:`order_curves`).

An order-``n`` model predicts each token from the ``n - 1`` tokens before it, with
add-``k`` smoothing::

    P(token | context) = (count(context, token) + k) / (count(context) + k * V)

``V`` is the size of the vocabulary: every training token, an end-of-sentence token and
an unknown token. A context never seen in training gets the uniform distribution
``1 / V``. A token of held-out text never seen in training is scored as the unknown
token, so every probability is above 0 and every perplexity is finite.

Why held-out perplexity falls, then rises, with the order: a longer context predicts
better when it was seen in training, but the number of possible contexts grows
exponentially with ``n`` while the training text stays the same. At high orders a
growing share of the contexts of held-out text was seen in training only once or
twice, or never. After a rare context add-``k`` bets almost everything on the few
continuations it saw, and pays dearly whenever held-out text continues otherwise; after
a context never seen it can only guess uniformly. Better smoothing (Katz backoff,
Kneser-Ney) falls back on a shorter context instead, and flattens the rise: the rise
is a property of this simple estimator on a small corpus, not of language.

Characters are the default tokens (``level="char"``): on a few thousand sentences a
word-level model sees too few repeated word contexts (its held-out perplexity is lowest
at order 1 or 2, and its samples soon become runs of rare words), while a character
model picks up spelling at orders 3 to 4 and whole phrases at 6 to 8.
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_right
from functools import lru_cache

import numpy as np

#: The two kinds of token: characters, or words and punctuation marks.
LEVELS = ("char", "word")
#: The orders the chapter compares.
ORDERS = tuple(range(1, 9))
#: Add-k's pseudo-count, added to the count of every token in every context. Small, so
#: that samples at temperature 1 seldom leave the paths seen in training: with a larger
#: k (0.01) the held-out perplexity at the best order is a little lower, but most
#: samples of the high orders wander into contexts never seen, where every character
#: is as likely as any other, and rarely find their way back.
K = 1e-4
#: Share of the sentences held out (whole reviews at a time: :func:`split_sentences`).
TEST_SHARE = 0.2
#: How many sentences :func:`order_curves` generates per order.
N_SAMPLES = 200
#: Length, in tokens, of the n-grams :func:`copied_share` looks up in the training text
#: by default: 10 characters (longer than any order's context), or 4 words.
COPY_LENGTH = {"char": 10, "word": 4}
#: Longest sample, in tokens, unless :meth:`NGramModel.sample` is told otherwise.
MAX_TOKENS = {"char": 400, "word": 80}
#: The end-of-sentence token and the unknown token, as :meth:`NGramModel.vocabulary`
#: names them.
END, UNKNOWN = "</s>", "<unk>"

_WORD = re.compile(r"\w+(?:'\w+)*|[^\w\s]")
_NO_SPACE_BEFORE = re.compile(r" ([.,!?;:%)\]}])")
# Internally every token is an integer id: 0 is the padding before a sentence's first
# token, 1 the end token, 2 the unknown token, 3 and up the training tokens in sorted
# order (vocabulary row = id - 1). An n-gram is one integer, its ids as the digits of a
# number in base V + 1 (the token itself as the last digit, its context's ids above it,
# the nearest first), so that counting is numpy.unique, looking up is
# numpy.searchsorted, and a context's n-grams sit side by side in sorted order.
_END_ID, _UNKNOWN_ID, _FIRST_ID = 1, 2, 3


def _check_level(level):
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}.")


def _check_text(text):
    if not isinstance(text, str):
        raise ValueError(f"a text must be a str, got {type(text).__name__}.")


def _texts(texts, what="texts"):
    if isinstance(texts, str):
        raise ValueError(f"{what} must be a list of sentences, not one str.")
    texts = list(texts)
    if not texts:
        raise ValueError(f"{what} is empty: give at least one sentence.")
    for text in texts:
        _check_text(text)
    return texts


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}.")
    return int(value)


def tokenize(text, level="char"):
    """Split a text into the model's tokens.

    Parameters
    ----------
    text : str
        A sentence.
    level : {"char", "word"}
        ``"char"``: every character, spaces included; ``"word"``: runs of letters and
        digits (with inner apostrophes), and every other non-space character alone.

    Returns
    -------
    list of str

    Examples
    --------
    >>> tokenize("ok!")
    ['o', 'k', '!']
    >>> tokenize("it's fine!", level="word")
    ["it's", 'fine', '!']
    """
    _check_level(level)
    _check_text(text)
    return list(text) if level == "char" else _WORD.findall(text)


def detokenize(tokens, level="char"):
    """Join tokens back into a text: characters as they are, words with a space between
    them but none before punctuation.

    Examples
    --------
    >>> detokenize(["it", "works", "!"], level="word")
    'it works!'
    >>> detokenize(["o", "k"])
    'ok'
    """
    _check_level(level)
    if level == "char":
        return "".join(tokens)
    return _NO_SPACE_BEFORE.sub(r"\1", " ".join(tokens))


class NGramModel:
    """An order-``n`` language model with add-``k`` smoothing.

    Parameters
    ----------
    order : int
        ``n``: each token is predicted from the ``n - 1`` tokens before it (order 1:
        from nothing, by its frequency alone). Sentences are padded at the start, so
        the first tokens are predicted from "the start of a sentence".
    k : float
        The pseudo-count added to every token in every context (> 0). A smaller ``k``
        trusts the counts more; a very large ``k`` makes every distribution uniform.
    level : {"char", "word"}
        Characters or words as tokens (:func:`tokenize`).

    Examples
    --------
    >>> model = NGramModel(order=2, k=0.1).fit(["abab", "abba"])
    >>> model.vocabulary()
    ['</s>', '<unk>', 'a', 'b']
    >>> round(model.probabilities("a")["b"], 3)  # b came after a 3 times out of 4
    0.705
    >>> model = NGramModel(order=3).fit(["abc", "abd", "abc"])
    >>> model.sample(np.random.default_rng(0), temperature=0.1)  # nearly greedy
    'abc'
    """

    def __init__(self, order, k=K, level="char"):
        self.order = _positive_int(order, "order")
        if isinstance(k, bool) or not (
            isinstance(k, (int, float, np.integer, np.floating)) and 0 < k < math.inf
        ):
            raise ValueError(f"k must be a finite number > 0, got {k!r}.")
        _check_level(level)
        self.k, self.level = float(k), level
        self._tokens = None

    def __repr__(self):
        return f"NGramModel(order={self.order}, k={self.k}, level={self.level!r})"

    def _check_fitted(self):
        if self._tokens is None:
            raise ValueError("the model is not fitted yet: call .fit(texts) first.")

    def _set_vocabulary(self, tokens):
        self._tokens = [END, UNKNOWN, *tokens]
        self._base = len(self._tokens) + 1  # ids 0 (start) to len(self._tokens)
        if self._base**self.order >= 2**63:
            raise ValueError(
                f"order {self.order} is too high for a vocabulary of "
                f"{len(self._tokens)} tokens: its n-grams don't fit in 64-bit "
                "integers. Lower the order (or use level='char')."
            )
        if self.level == "char":  # code points, sorted as the tokens are
            self._points = np.array([ord(t) for t in tokens], dtype=np.int64)
        else:
            self._word_ids = {t: i + _FIRST_ID for i, t in enumerate(tokens)}

    def _ids(self, texts):
        """Every sentence's token ids, one after the other, and each one's length."""
        if self.level == "char":
            lengths = np.array([len(t) for t in texts], dtype=np.int64)
            joined = "".join(texts).encode("utf-32-le", "surrogatepass")
            points = np.frombuffer(joined, dtype=np.uint32).astype(np.int64)
            at = np.searchsorted(self._points, points)
            at = np.minimum(at, len(self._points) - 1)
            known = self._points[at] == points if len(self._points) else False
            return np.where(known, at + _FIRST_ID, _UNKNOWN_ID), lengths
        index = self._word_ids
        tokens = [tokenize(t, self.level) for t in texts]
        ids = [index.get(t, _UNKNOWN_ID) for sentence in tokens for t in sentence]
        lengths = np.array([len(s) for s in tokens], dtype=np.int64)
        return np.array(ids, dtype=np.int64), lengths

    def _codes(self, texts):
        """One integer per token to predict (each sentence's tokens and its end): the
        digits, in base ``V + 1``, are the token's id (the lowest digit), then the ids
        of its context, from the nearest to the farthest."""
        ids, lengths = self._ids(texts)
        n = self.order
        # each sentence: n - 1 start ids (0), its tokens, the end id
        padded = np.zeros(len(ids) + len(lengths) * n, dtype=np.int64)
        ends = np.cumsum(lengths + n) - 1
        padded[ends] = _END_ID
        first = ends - lengths  # where each sentence's tokens begin
        offsets = np.arange(len(ids)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        padded[np.repeat(first, lengths) + offsets] = ids
        targets = np.flatnonzero(padded)  # every position that is not a start id
        codes, place = padded[targets].copy(), 1
        for back in range(1, n):
            place *= self._base
            codes += padded[targets - back] * place
        return codes

    def _set_counts(self, grams, counts):
        """Keep the n-grams' codes (sorted) and counts, and their contexts' totals."""
        self._grams, self._counts = grams, counts
        contexts = grams // self._base
        starts = np.flatnonzero(np.diff(contexts, prepend=-1)) if len(grams) else []
        self._contexts = contexts[starts]
        self._starts = np.append(starts, len(grams)).astype(np.int64)
        self._totals = np.add.reduceat(counts, starts) if len(grams) else counts
        self._tables, self._where = {}, None  # built when first needed

    def fit(self, texts):
        """Count the n-grams of the training sentences.

        Parameters
        ----------
        texts : list of str
            The training sentences, one per item.

        Returns
        -------
        NGramModel
            The model itself, fitted.

        Examples
        --------
        >>> NGramModel(order=3).fit(["a cat", "a dog"]).vocabulary()[:4]
        ['</s>', '<unk>', ' ', 'a']
        """
        texts = _texts(texts)
        if self.level == "char":
            seen = set("".join(texts))
        else:
            seen = {t for text in texts for t in tokenize(text, self.level)}
        self._set_vocabulary(sorted(seen))
        self._set_counts(*np.unique(self._codes(texts), return_counts=True))
        return self

    def _lower(self):
        """The fitted model of the order below, from this one's counts: dropping the
        farthest token of each n-gram gives the (n - 1)-grams of the same sentences."""
        lower = NGramModel(self.order - 1, self.k, self.level)
        for name in ("_tokens", "_base", "_points", "_word_ids"):
            if hasattr(self, name):
                setattr(lower, name, getattr(self, name))
        grams, inverse = np.unique(
            self._grams % self._base ** (self.order - 1), return_inverse=True
        )
        counts = np.bincount(inverse.ravel(), weights=self._counts)
        lower._set_counts(grams, counts.astype(np.int64))
        return lower

    def vocabulary(self):
        """The tokens the model predicts: the end token, the unknown token, then the
        training tokens in sorted order.

        Examples
        --------
        >>> NGramModel(order=1).fit(["hi"]).vocabulary()
        ['</s>', '<unk>', 'h', 'i']
        """
        self._check_fitted()
        return list(self._tokens)

    def _context_index(self):
        """``{context code: its place among the contexts}``, built when first needed."""
        if self._where is None:
            self._where = dict(zip(self._contexts.tolist(), range(len(self._contexts))))
        return self._where

    def _followers(self, context):
        """The rows (vocabulary entries) seen after a context's code, and their
        counts: a context's n-grams are adjacent in the sorted codes."""
        i = self._context_index().get(context)
        if i is None:
            return [], []
        lo, hi = self._starts[i], self._starts[i + 1]
        rows = self._grams[lo:hi] % self._base - 1
        return rows.tolist(), self._counts[lo:hi].tolist()

    def probabilities(self, context=""):
        """The model's distribution of the token that follows the start of a sentence.

        Parameters
        ----------
        context : str
            The beginning of a sentence; only its last ``order - 1`` tokens count
            (padded with the start of the sentence when it is shorter).

        Returns
        -------
        dict
            ``{token: probability}`` over :meth:`vocabulary`; they sum to 1.

        Examples
        --------
        >>> model = NGramModel(order=2, k=1).fit(["ab"])
        >>> model.probabilities("a")  # b once after a; 4 tokens: (1 + 1) / (1 + 4)
        {'</s>': 0.2, '<unk>': 0.2, 'a': 0.2, 'b': 0.4}
        """
        self._check_fitted()
        _check_text(context)
        ids = self._ids([context])[0].tolist()
        recent = ids[-(self.order - 1) :] if self.order > 1 else []  # nearest last
        code = sum(i * self._base**back for back, i in enumerate(reversed(recent)))
        rows, counts = self._followers(code)
        weights = np.full(len(self._tokens), self.k)
        weights[rows] += counts
        return {t: float(p) for t, p in zip(self._tokens, weights / weights.sum())}

    def perplexity(self, texts):
        """Perplexity per token of sentences: ``exp`` of the mean negative log
        probability of their tokens, each sentence's end token included.

        Tokens never seen in training are scored as the unknown token.

        Parameters
        ----------
        texts : list of str

        Returns
        -------
        float
            From 1 (every token certain) up; a model that guesses uniformly among
            ``V`` tokens has perplexity ``V``.

        Examples
        --------
        >>> model = NGramModel(order=2, k=0.01).fit(["abab", "abab"])
        >>> round(model.perplexity(["abab"]), 2)  # after b: a or the end, 50:50
        1.33
        >>> round(model.perplexity(["zzz"]), 1)  # an unknown token: far worse
        10.7
        """
        self._check_fitted()
        codes = self._codes(_texts(texts))
        counts = _lookup(self._grams, self._counts, codes)
        totals = _lookup(self._contexts, self._totals, codes // self._base)
        log_p = np.log(counts + self.k) - np.log(totals + self.k * len(self._tokens))
        return float(np.exp(-log_p.mean()))

    def _table(self, temperature):
        """What drawing a token needs, for every context seen in training at once.

        A token's weight is its probability to the power ``1 / temperature``,
        relative to the most likely token of its context (to stay within floating
        point). The tokens seen after a context have their own weights, laid out in
        the sorted order of the n-grams, so that a context's are adjacent and one
        running sum (``cumulative``) serves them all; the tokens not seen after it
        share one weight (``unit``), so a draw among them is uniform.
        """
        table = self._tables.get(temperature)
        if table is not None:
            return table
        counts, starts = self._counts.astype(float), self._starts
        seen_after = np.diff(starts)  # how many tokens each context was followed by
        if temperature == 1.0:
            weights, unit = counts + self.k, np.full(len(seen_after), self.k)
        else:
            top = np.log(np.maximum.reduceat(counts, starts[:-1]) + self.k)
            log_weights = np.log(counts + self.k) - np.repeat(top, seen_after)
            weights = np.exp(log_weights / temperature)
            unit = np.exp((np.log(self.k) - top) / temperature)
        cumulative = np.concatenate([[0.0], np.cumsum(weights)])
        n_other = len(self._tokens) - 1 - seen_after  # the unknown token: never drawn
        seen = cumulative[starts[1:]] - cumulative[starts[:-1]]
        # stdlib arrays: compact, and quick to read one item at a time
        table = self._tables[temperature] = (
            _array(cumulative),
            _array(seen + unit * n_other),
            _array(seen),
            _array(unit),
            _array(n_other, "q"),
            _array(starts, "q"),
            _array(self._grams % self._base - 1, "q"),  # the row of each n-gram's token
        )
        return table

    def sample(self, rng, temperature=1.0, max_tokens=None):
        """Generate one sentence, token by token, until the end token.

        Parameters
        ----------
        rng : numpy.random.Generator
            The source of randomness: the same seed gives the same sentence.
        temperature : float
            > 0. Divides the log-probabilities before they are normalised again. 1
            samples the model as it is; below 1 sharpens it towards its most likely
            token (close to 0: always the most likely); above 1 flattens it towards
            the uniform, and so gives more weight to what was never seen.
        max_tokens : int, optional
            Stop after this many tokens if the end token has not come
            (:data:`MAX_TOKENS` of the level by default).

        Returns
        -------
        str
            The sentence, without the end token. The unknown token is never drawn (it
            has no spelling): its share goes to the other tokens, in proportion.

        Examples
        --------
        >>> model = NGramModel(order=3, level="word")
        >>> model = model.fit(["i like it .", "i like tea ."])
        >>> model.sample(np.random.default_rng(0), temperature=0.5)
        'i like it.'
        """
        self._check_fitted()
        if isinstance(temperature, bool) or not (
            isinstance(temperature, (int, float, np.integer, np.floating))
            and 0 < temperature < math.inf
        ):
            raise ValueError(
                f"temperature must be a finite number > 0, got {temperature!r}."
            )
        max_tokens = MAX_TOKENS[self.level] if max_tokens is None else max_tokens
        max_tokens = _positive_int(max_tokens, "max_tokens")
        cumulative, total, seen, unit, n_other, starts, rows = self._table(
            float(temperature)
        )
        where, n_any = self._context_index(), len(self._tokens) - 1
        keep = self._base ** (self.order - 2) if self.order > 1 else 0
        base, tokens = self._base, self._tokens
        context, drawn = 0, []  # the code of n - 1 start ids is 0
        for u in rng.random(max_tokens).tolist():
            i = where.get(context)
            if i is None:  # a context never seen: every token alike but the unknown
                row = min(int(u * n_any), n_any - 1)
                row += row >= _UNKNOWN_ID - 1
            else:
                lo, hi = starts[i], starts[i + 1]
                x = u * total[i]
                if x < seen[i] or unit[i] == 0.0:  # a token seen after the context
                    j = bisect_right(cumulative, cumulative[lo] + x, lo + 1, hi + 1)
                    row = rows[min(max(j - 1, lo), hi - 1)]
                else:  # one of the others, uniformly: the r-th row not excluded
                    row = min(int((x - seen[i]) / unit[i]), n_other[i] - 1)
                    for other in sorted([*rows[lo:hi], _UNKNOWN_ID - 1]):
                        if other > row:
                            break
                        row += 1
            if row == _END_ID - 1:
                break
            drawn.append(tokens[row])
            if keep:  # drop the farthest id, shift, and put the new one nearest
                context = context % keep * base + row + 1
            elif self.order == 2:
                context = row + 1
        return detokenize(drawn, self.level)


def _array(values, typecode="d"):
    """A numpy array as a stdlib array (floats, or 64-bit integers with "q")."""
    return array(typecode, np.ascontiguousarray(values, dtype=typecode).tobytes())


def _lookup(keys, values, wanted):
    """``values`` at the positions of ``wanted`` in the sorted ``keys``; 0 if absent."""
    if not len(keys):
        return np.zeros(len(wanted))
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.where(keys[at] == wanted, values[at], 0).astype(float)


def fit_orders(texts, orders=ORDERS, k=K, level="char"):
    """Fit one model per order on the same sentences.

    Faster than fitting each model on its own: the highest order is counted, and each
    lower order's counts are summed from the order above.

    Parameters
    ----------
    texts : list of str
        The training sentences.
    orders : sequence of int
        The orders to fit (:data:`ORDERS` by default).
    k : float
    level : {"char", "word"}

    Returns
    -------
    dict
        ``{order: fitted NGramModel}``, in increasing order.

    Examples
    --------
    >>> train = ["the cat sat", "the dog sat"]
    >>> models = fit_orders(train, orders=[1, 2, 3])
    >>> [round(model.perplexity(train), 2) for model in models.values()]
    [9.42, 1.48, 1.15]
    """
    orders = sorted({_positive_int(n, "each order") for n in orders})
    if not orders:
        raise ValueError("orders is empty: give at least one order.")
    model = NGramModel(orders[-1], k, level).fit(texts)
    models = {}
    while True:
        if model.order in orders:
            models[model.order] = model
        if model.order == orders[0]:
            return dict(sorted(models.items()))
        model = model._lower()


def _grams(text, n, level):
    """The n-grams of a text's tokens: strings for characters, tuples for words."""
    if level == "char":  # the text itself: its slices are the character n-grams
        _check_text(text)
        return [text[i : i + n] for i in range(len(text) - n + 1)]
    tokens = tokenize(text, level)
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


@lru_cache(maxsize=2)  # the training text's n-grams, across the orders of a sweep
def _training_grams(texts, n, level):
    grams = set()
    for text in texts:
        grams.update(_grams(text, n, level))
    return frozenset(grams)


def copied_share(samples, train_texts, n=None, level="char"):
    """The share of the n-grams of generated sentences that occur, verbatim, in a
    training sentence.

    Every run of ``n`` consecutive tokens inside a sample is one n-gram: a sample of
    ``L`` tokens has ``L - n + 1``, one shorter than ``n`` has none. The share counts
    n-grams, not samples: the n-grams of all samples are pooled, repeats included. An
    n-gram is copied if it occurs inside one training sentence (runs across two
    sentences, or across a sentence's start or end, don't count).

    Parameters
    ----------
    samples : list of str
        Generated sentences.
    train_texts : list of str
        The sentences the model was trained on.
    n : int, optional
        The n-gram length, in tokens: :data:`COPY_LENGTH` of the level by default (10
        characters, or 4 words).
    level : {"char", "word"}

    Returns
    -------
    float
        From 0 (nothing copied) to 1 (every n-gram occurs in the training text).

    Examples
    --------
    >>> copied_share(["the cat sat", "a dog sat"], ["the cat sat down"], n=2,
    ...              level="word")  # copied: the cat, cat sat; not: a dog, dog sat
    0.5
    """
    _check_level(level)
    n = _positive_int(COPY_LENGTH[level] if n is None else n, "n")
    samples = _texts(samples, "samples")
    grams = _training_grams(tuple(_texts(train_texts, "train_texts")), n, level)
    copied = total = 0
    for text in samples:
        found = _grams(text, n, level)
        total += len(found)
        copied += sum(map(grams.__contains__, found))
    if total == 0:
        raise ValueError(f"no sample has {n} tokens or more: nothing to look up.")
    return copied / total


def order_curves(
    models, train_texts, held_out_texts, n_samples=N_SAMPLES, seed=0, copy_length=None
):
    """Held-out perplexity, and the share of generated text copied from the training
    sentences, for each order.

    Parameters
    ----------
    models : dict
        ``{order: fitted NGramModel}``, fitted on ``train_texts`` (:func:`fit_orders`).
    train_texts, held_out_texts : list of str
    n_samples : int
        Sentences generated per order, at temperature 1 (:data:`N_SAMPLES`).
    seed : int
        The samples of order ``n`` come from ``numpy.random.default_rng([seed, n])``.
    copy_length : int, optional
        The length of the n-grams looked up in the training sentences
        (:func:`copied_share`; :data:`COPY_LENGTH` of the models' level by default).

    Returns
    -------
    pandas.DataFrame
        One row per order: ``order``, ``perplexity`` (held out) and ``copied_share``.

    Examples
    --------
    >>> train = ["the cat sat on the mat", "the dog sat on the log"]
    >>> models = fit_orders(train, orders=[1, 4])
    >>> order_curves(models, train, ["the cat sat on the log"], n_samples=20).round(2)
       order  perplexity  copied_share
    0      1       10.63          0.00
    1      4        1.21          0.59
    """
    import pandas as pd

    n_samples = _positive_int(n_samples, "n_samples")
    if not models:
        raise ValueError("models is empty: give at least one fitted model.")
    rows = []
    for order, model in sorted(models.items()):
        if not isinstance(model, NGramModel) or model.order != order:
            raise ValueError(f"models[{order!r}] must be an NGramModel of that order.")
        rng = np.random.default_rng([seed, order])
        samples = [model.sample(rng) for _ in range(n_samples)]
        copied = copied_share(samples, train_texts, copy_length, model.level)
        perplexity = model.perplexity(held_out_texts)
        rows.append({"order": order, "perplexity": perplexity, "copied_share": copied})
    return pd.DataFrame(rows)


def split_sentences(frame, test_share=TEST_SHARE, seed=0):
    """Hold out whole sources (reviews, editorials), drawn at random, until at least
    ``test_share`` of the sentences are held out.

    The sentences of one review share names, words and phrasing; splitting by sentence
    would let a review's other sentences leak into the held-out set. For corpora whose
    ``source`` is each sentence's own id (tweets, movie snippets), this is a split by
    sentence.

    Parameters
    ----------
    frame : pandas.DataFrame
        With columns ``source`` and ``text`` (:func:`book.corpora.sentences`).
    test_share : float
        Between 0 and 1 (exclusive).
    seed : int
        Which sources are held out.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The training rows and the held-out rows, each in the corpus's order.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"source": ["1", "1", "2", "3"], "text": list("abcd")})
    >>> train, held_out = split_sentences(frame, test_share=0.25, seed=0)
    >>> train.text.tolist(), held_out.text.tolist()
    (['a', 'b', 'c'], ['d'])
    """
    missing = {"source", "text"} - set(getattr(frame, "columns", ()))
    if missing:
        raise ValueError(f"frame needs the columns source and text; missing {missing}.")
    if not 0 < test_share < 1:
        raise ValueError(f"test_share must lie between 0 and 1, got {test_share!r}.")
    sources = frame["source"].unique()
    if len(sources) < 2:
        raise ValueError("frame has fewer than two sources: nothing to split.")
    sizes = frame["source"].value_counts()
    held, count = [], 0
    for i in np.random.default_rng(seed).permutation(len(sources)):
        if count >= test_share * len(frame):
            break
        held.append(sources[i])
        count += sizes[sources[i]]
    mask = frame["source"].isin(held)
    if mask.all():
        raise ValueError("test_share leaves no training sentences: lower it.")
    return frame[~mask], frame[mask]
