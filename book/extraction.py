"""Extracting fields from documents, and measuring whether the fields are right.

Chapter 4 asks of a generative model that turns a company profile into
``{"ceo": ..., "coo": ..., "investors": [...]}``: how can we trust that it
extracts the right fields? The book runs no language model, so it measures two
stand-ins on documents whose truth is known (:func:`book.data.make_filings`):
:func:`regex_extract`, a baseline of regular expressions, and
:class:`SimulatedExtractor`, a simulation that looks the truth up and makes
seeded mistakes of the kinds generative extractors make. :func:`evaluate`
scores any extractor, document by document; :func:`field_report`,
:func:`list_scores`, :func:`coverage_curve` and :func:`threshold_for_precision`
summarise what it found.

Plugging in a real model: :func:`evaluate` accepts any function
``extract(text) -> str`` that returns JSON text, or a pair
``(json_text, confidence)`` with a confidence in [0, 1]. A wrapper around an
API client with a fixed prompt and ``temperature=0`` is enough::

    PROMPT = (
        "Return only JSON with keys ceo, coo (null if none is named) and "
        "investors (a list of firm names) for this company profile:\\n\\n"
    )

    def llm_extract(text):
        # `client` stands for your provider's API client; the call differs by API
        return client.generate(PROMPT + text, temperature=0)

    results = extraction.evaluate(llm_extract, data.make_filings(n=50))

A confidence can come from the tokens' log-probabilities (the probability of
the answer's tokens, if the API returns them) or from agreement: sample the
answer several times at a higher temperature and take the share of samples
that agree with the most common one. Either way, check it as the chapter does,
with :func:`coverage_curve`: a confidence is worth having only if the answers
it keeps are more often right.
"""

from __future__ import annotations

import hashlib
import json
import math
import re

import numpy as np
import pandas as pd

from book.data.filings import FIRST_NAMES, LAST_NAMES

#: The three fields an extractor returns, and the columns a filings frame needs.
FIELDS = ("ceo", "coo", "investors")
#: What :func:`evaluate` says of a field: right, left out (null, or some list items
#: missing), wrong, a value where the truth is null (or empty), output that is not
#: JSON, or a field missing or of the wrong type.
ERROR_TYPES = (
    "ok",
    "missing",
    "wrong",
    "hallucinated",
    "invalid json",
    "invalid schema",
)
_HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "sir"}
_LEGAL_FORMS = {"llc", "lp", "llp", "ltd", "inc", "plc", "co", "corp", "gmbh"}


def normalise_name(value):
    """A person's name in the one form that answers are compared in.

    The rule: lowercase; an honorific first word (Mr, Ms, Dr...) is dropped;
    "Last, First" becomes "first last"; punctuation becomes spaces, except
    hyphens and apostrophes inside a name; spaces are collapsed; and one-letter
    words between the first and the last word (middle initials) are dropped.
    So "Hale, Alma", "ALMA R. HALE" and "Dr. Alma Hale" are all "alma hale".
    An initial in first place stays: "A. Hale" is "a hale", not "alma hale",
    since it could be anyone named Hale. A missing or blank value is None.

    Parameters
    ----------
    value : str or None
        The name as written.

    Returns
    -------
    str or None

    Examples
    --------
    >>> normalise_name("Hale, Alma"), normalise_name("ALMA R. HALE")
    ('alma hale', 'alma hale')
    >>> normalise_name("A. Hale"), normalise_name("  "), normalise_name(None)
    ('a hale', None, None)
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"normalise_name: expected a str or None, got {value!r}.")
    text = value.lower()
    if text.count(",") == 1:
        last, first = text.split(",")
        text = f"{first} {last}"
    text = re.sub(r"[^\w\s'-]", " ", text)
    words = [w.strip("'-") for w in text.split()]
    words = [w for w in words if w]
    if words and words[0] in _HONORIFICS:
        words = words[1:]
    if len(words) > 2:
        words = [words[0]] + [w for w in words[1:-1] if len(w) > 1] + [words[-1]]
    return " ".join(words) or None


def normalise_firm(value):
    """A firm's name in the one form that answers are compared in.

    The rule: lowercase; "&" becomes "and"; full stops are removed ("L.P." is
    "lp"), other punctuation becomes spaces; spaces are collapsed; a leading
    "the" and trailing legal forms (LLC, LP, Ltd, Inc...) are dropped. A
    missing or blank value is None.

    Parameters
    ----------
    value : str or None
        The firm's name as written.

    Returns
    -------
    str or None

    Examples
    --------
    >>> normalise_firm("The Birchway Capital, L.P."), normalise_firm("Hale & Rowe")
    ('birchway capital', 'hale and rowe')
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"normalise_firm: expected a str or None, got {value!r}.")
    text = value.lower().replace("&", " and ").replace(".", "")
    words = re.sub(r"[^\w\s'-]", " ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words = words[:-1]
    return " ".join(words) or None


# The regex baseline. A name is two capitalised words, perhaps with a middle
# initial, or "Last, First"; names in capitals are not recognised.
_NAME = r"(?:[A-Z][a-z]+, [A-Z][a-z]+|[A-Z][a-z]+(?: [A-Z]\.)? [A-Z][a-z]+)"
_CEO_PATTERNS = [
    rf"CEO: ({_NAME})",
    rf"({_NAME}) is the chief executive",
    rf"({_NAME}) serves as CEO",
    rf"({_NAME}) was appointed chief executive",
    rf"chief executive(?: officer)? ({_NAME})",
]
_COO_PATTERNS = [
    rf"COO: ({_NAME})",
    rf"({_NAME}) is the chief operating officer",
    rf"({_NAME}) serves as COO",
    rf"chief operating officer ({_NAME})",
]
_INVESTOR_PATTERNS = [
    r"Investors include ([^.]+)\.",
    r"backed by ([^.]+)\.",
    r"Shareholders: ([^.]+)\.",
]


def _first_match(patterns, text):
    for pattern in patterns:
        found = re.search(pattern, text)
        if found:
            return found.group(1)
    return None


def regex_extract(text):
    """Extract the CEO, COO and investors with regular expressions: a baseline.

    It knows the common phrasings ("CEO: ...", "... is the chief executive",
    "... serves as COO", "Investors include ...", "backed by ...",
    "Shareholders: ...") and tries them in that order of trust, the loosest
    ("chief executive NAME") last. A name is two capitalised words, with an
    optional middle initial, or "Last, First". It misses what it has no
    pattern for: names written in capitals, sentences that name no role ("...
    has headed the company"), funding rounds; and its loosest pattern can pick
    a former chief executive when it finds no other. It returns names as
    written, null for a name it cannot find and an empty list when it finds
    no investors, always as valid JSON.

    Parameters
    ----------
    text : str
        One document.

    Returns
    -------
    str
        JSON text with the keys ``ceo``, ``coo`` and ``investors``.

    Examples
    --------
    >>> regex_extract("CEO: Hale, Alma. Investors include Birchway Capital LLC and "
    ...               "Larkmere Partners.")
    '{"ceo": "Hale, Alma", "coo": null, "investors": ["Birchway Capital LLC", \
"Larkmere Partners"]}'
    >>> regex_extract("ALMA HALE serves as CEO.")  # capitals: not a name to it
    '{"ceo": null, "coo": null, "investors": []}'
    """
    if not isinstance(text, str):
        raise ValueError(f"regex_extract: expected a str, got {type(text).__name__}.")
    listed = _first_match(_INVESTOR_PATTERNS, text)
    investors = []
    if listed:
        investors = [
            item.strip() for item in re.split(r",|;| and ", listed) if item.strip()
        ]
    answer = {
        "ceo": _first_match(_CEO_PATTERNS, text),
        "coo": _first_match(_COO_PATTERNS, text),
        "investors": investors,
    }
    return json.dumps(answer)


def _text_key(text):
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")


def _check_frame(frame, columns, what):
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{what} must be a pandas DataFrame, got {type(frame)!r}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks the column(s) {missing}.")


def _check_unit(name, value):
    if not (
        isinstance(value, (int, float, np.integer, np.floating))
        and not isinstance(value, bool)
        and 0.0 <= value <= 1.0
    ):
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}.")


class SimulatedExtractor:
    """A simulated generative extractor: it looks the truth up, then errs on
    purpose.

    This is not a language model. It knows the truth of every document in
    ``filings`` (it refuses any other text) and returns it as JSON, except
    that it injects mistakes of the kinds generative extractors make, each
    with its own probability:

    - ``p_name_variant``: for the CEO, and for the COO when there is one, a
      form of the name that no normalisation can match: the initial and
      surname ("A. Hale") or the surname alone ("Hale"), half and half;
    - ``p_hallucinate_missing``: when the document names no COO, a plausible
      one instead of null: the other person the text names (a board chair, a
      founder, a former officer) if there is one, else an invented name;
    - ``p_drop_investor``: one firm, chosen at random, left out of a non-empty
      investor list;
    - ``p_malformed``: output that is not JSON: cut short, written with
      single quotes (a Python dict), or followed by a chatty sentence, a third
      each.

    Each probability applies independently to each document (the name variant
    to each name). The confidence
    it reports is ``1 / (1 + exp(-z))`` with ``z = confidence_base -
    confidence_penalty * (number of mistakes injected) + confidence_noise *
    e`` and ``e`` standard normal: higher when the answer is right, but the
    two distributions overlap, as a model's own confidence often does. Everything
    is drawn from a generator seeded by ``seed`` and a SHA-256 hash of the
    text, so the same text gets the same answer, whatever the order of the
    calls, and every draw is made whether it is used or not (raising one
    probability adds mistakes of that kind and changes no other kind).

    Parameters
    ----------
    filings : pandas.DataFrame
        Documents and their truth, as from :func:`book.data.make_filings`
        (columns ``text``, ``ceo``, ``coo``, ``investors``; a
        ``distractor_name`` column, if present, feeds the hallucinations).
    seed : int
        Seed of the simulated mistakes.
    p_name_variant, p_hallucinate_missing, p_drop_investor, p_malformed : float
        Probabilities of the four kinds of mistake, each in [0, 1].
    confidence_base, confidence_penalty, confidence_noise : float
        The confidence's log-odds for a right answer, what each mistake takes
        off them, and the standard deviation of their noise (>= 0).

    Examples
    --------
    >>> from book.data import make_filings
    >>> filings = make_filings(n=5, seed=0)
    >>> extract = SimulatedExtractor(filings)
    >>> answer, confidence = extract.extract_with_confidence(filings.text[0])
    >>> answer  # the text names no COO: it took the board chair
    '{"ceo": "Ivan Wilder", "coo": "Boris Dunmore", "investors": ["Stonemere \
Holdings", "Alderwick Equity", "Meadowcroft Capital", "Ironvale Investments"]}'
    >>> round(confidence, 2)
    0.71
    >>> SimulatedExtractor(filings, p_name_variant=1.0)(filings.text[1])
    '{"ceo": "A. Sallow", "coo": "Foyle", "investors": ["Ironvale Partners", \
"Pinecrest Partners"]}'
    """

    def __init__(
        self,
        filings,
        seed=0,
        p_name_variant=0.015,
        p_hallucinate_missing=0.4,
        p_drop_investor=0.03,
        p_malformed=0.02,
        confidence_base=2.5,
        confidence_penalty=2.0,
        confidence_noise=1.0,
    ):
        _check_frame(filings, ("text",) + FIELDS, "SimulatedExtractor: filings")
        if (
            isinstance(seed, bool)
            or not isinstance(seed, (int, np.integer))
            or seed < 0
        ):
            raise ValueError(
                f"SimulatedExtractor: seed must be an integer >= 0, got {seed!r}."
            )
        for name, value in (
            ("p_name_variant", p_name_variant),
            ("p_hallucinate_missing", p_hallucinate_missing),
            ("p_drop_investor", p_drop_investor),
            ("p_malformed", p_malformed),
        ):
            _check_unit(f"SimulatedExtractor: {name}", value)
        for name, value in (
            ("confidence_base", confidence_base),
            ("confidence_penalty", confidence_penalty),
            ("confidence_noise", confidence_noise),
        ):
            if not (isinstance(value, (int, float)) and math.isfinite(value)):
                raise ValueError(
                    f"SimulatedExtractor: {name} must be a finite number, "
                    f"got {value!r}."
                )
        if confidence_noise < 0:
            raise ValueError(
                "SimulatedExtractor: confidence_noise must be >= 0, "
                f"got {confidence_noise!r}."
            )
        self.seed = seed
        self.p_name_variant = p_name_variant
        self.p_hallucinate_missing = p_hallucinate_missing
        self.p_drop_investor = p_drop_investor
        self.p_malformed = p_malformed
        self.confidence_base = confidence_base
        self.confidence_penalty = confidence_penalty
        self.confidence_noise = confidence_noise
        others = (
            filings["distractor_name"]
            if "distractor_name" in filings.columns
            else [None] * len(filings)
        )
        self._truth = {
            text: (ceo, coo, tuple(investors), other)
            for text, ceo, coo, investors, other in zip(
                filings["text"],
                filings["ceo"],
                filings["coo"],
                filings["investors"],
                others,
            )
        }

    def __repr__(self):
        return (
            f"SimulatedExtractor(<{len(self._truth)} documents>, seed={self.seed}, "
            f"p_name_variant={self.p_name_variant}, "
            f"p_hallucinate_missing={self.p_hallucinate_missing}, "
            f"p_drop_investor={self.p_drop_investor}, "
            f"p_malformed={self.p_malformed})"
        )

    def __call__(self, text):
        """The answer for one document, as JSON text (see the class).

        Examples
        --------
        >>> from book.data import make_filings
        >>> filings = make_filings(n=5, seed=0)
        >>> SimulatedExtractor(filings)(filings.text[1])
        '{"ceo": "Agnes Sallow", "coo": "Pavel Foyle", "investors": \
["Ironvale Partners", "Pinecrest Partners"]}'
        """
        return self.extract_with_confidence(text)[0]

    def extract_with_confidence(self, text):
        """The answer for one document and the simulated confidence in it.

        Returns
        -------
        tuple of (str, float)
            The answer (JSON text, unless malformed) and a confidence in (0, 1).

        Examples
        --------
        >>> from book.data import make_filings
        >>> filings = make_filings(n=5, seed=0)
        >>> answer, confidence = SimulatedExtractor(filings).extract_with_confidence(
        ...     filings.text[1]
        ... )
        >>> round(confidence, 2)
        0.8
        """
        if not isinstance(text, str):
            raise ValueError(
                f"SimulatedExtractor: expected a str, got {type(text).__name__}."
            )
        if text not in self._truth:
            raise ValueError(
                "SimulatedExtractor: this text is not one of the filings it was "
                "given; a simulation can only answer for documents whose truth "
                "it knows."
            )
        ceo, coo, investors, other = self._truth[text]
        rng = np.random.default_rng([self.seed, _text_key(text)])
        u = rng.uniform(size=5)  # ceo variant, coo variant, hallucinate, drop, break
        variant_kind = rng.integers(2, size=2)
        drop_at, break_kind, cut = rng.integers(1 << 30), rng.integers(3), rng.uniform()
        first, last = rng.integers(len(FIRST_NAMES)), rng.integers(len(LAST_NAMES))
        invented = f"{FIRST_NAMES[first]} {LAST_NAMES[last]}"
        noise = rng.standard_normal()

        mistakes = 0
        answer = {"ceo": ceo, "coo": coo, "investors": list(investors)}
        for slot, field in enumerate(("ceo", "coo")):
            name = answer[field]
            if name is not None and u[slot] < self.p_name_variant:
                first, last = name.split()[0], name.split()[-1]
                answer[field] = f"{first[0]}. {last}" if variant_kind[slot] else last
                mistakes += 1
        if coo is None and u[2] < self.p_hallucinate_missing:
            answer["coo"] = other if other is not None else invented
            mistakes += 1
        if investors and u[3] < self.p_drop_investor:
            del answer["investors"][drop_at % len(investors)]
            mistakes += 1
        output = json.dumps(answer)
        if u[4] < self.p_malformed:
            mistakes += 1
            if break_kind == 0:
                output = output[: 1 + int(cut * (len(output) - 2))]
            elif break_kind == 1:
                output = repr(answer)
            else:
                output += "\nLet me know if you need anything else!"
        z = (
            self.confidence_base
            - self.confidence_penalty * mistakes
            + self.confidence_noise * noise
        )
        return output, float(1.0 / (1.0 + math.exp(-z)))


def _split_output(out):
    if isinstance(out, tuple) and len(out) == 2:
        output, confidence = out
        if not (
            isinstance(confidence, (int, float, np.integer, np.floating))
            and not isinstance(confidence, bool)
            and 0.0 <= confidence <= 1.0
        ):
            raise ValueError(
                "evaluate: a confidence must be a number in [0, 1], "
                f"got {confidence!r}."
            )
        confidence = float(confidence)
    else:
        output, confidence = out, math.nan
    if not isinstance(output, str):
        raise ValueError(
            "evaluate: extract must return JSON text (a str) or a pair "
            f"(json_text, confidence), got {type(out).__name__}."
        )
    return output, confidence


def _optional(value):
    """None for a missing truth: None, NaN or pandas' NA."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _name_error(predicted, truth):
    truth, predicted = normalise_name(truth), normalise_name(predicted)
    if predicted == truth:
        return "ok"
    if truth is None:
        return "hallucinated"
    return "missing" if predicted is None else "wrong"


def _investor_error(predicted, truth):
    if predicted == truth:
        return "ok"
    if not truth:
        return "hallucinated"
    return "missing" if predicted < truth else "wrong"


def _score_answer(output, ceo, coo, investors):
    """The per-document row of :func:`evaluate`."""
    truth = {normalise_firm(firm) for firm in investors} - {None}
    row = {"json_valid": True, "schema_valid": False}
    try:
        answer = json.loads(output)
    except ValueError:
        answer, row["json_valid"] = None, False
    errors = dict.fromkeys(FIELDS, "invalid json" if answer is None else "ok")
    predicted = set()
    if isinstance(answer, dict):
        valid = {
            field: field in answer
            and (answer[field] is None or isinstance(answer[field], str))
            for field in ("ceo", "coo")
        }
        valid["investors"] = isinstance(answer.get("investors"), list) and all(
            isinstance(item, str) for item in answer["investors"]
        )
        row["schema_valid"] = all(valid.values())
        for field, value in (("ceo", ceo), ("coo", coo)):
            if not valid[field]:
                errors[field] = "invalid schema"
            else:
                errors[field] = _name_error(answer[field], value)
        if not valid["investors"]:
            errors["investors"] = "invalid schema"
        else:
            predicted = {normalise_firm(f) for f in answer["investors"]} - {None}
            errors["investors"] = _investor_error(predicted, truth)
    elif row["json_valid"]:
        errors = dict.fromkeys(FIELDS, "invalid schema")
    for field in FIELDS:
        row[f"{field}_correct"] = errors[field] == "ok"
    row["investors_tp"] = len(predicted & truth)
    row["investors_fp"] = len(predicted - truth)
    row["investors_fn"] = len(truth - predicted)
    row["doc_correct"] = all(errors[field] == "ok" for field in FIELDS)
    for field in FIELDS:
        row[f"{field}_error"] = errors[field]
    row["has_ceo"] = normalise_name(ceo) is not None
    row["has_coo"] = normalise_name(coo) is not None
    return row


def evaluate(extract, filings):
    """Run an extractor on every document and score each field against the truth.

    Names are compared after :func:`normalise_name`, firms after
    :func:`normalise_firm`, and investors as sets (order does not matter).
    A null COO is right when the document names none; a name there is a
    hallucination. Output that is not JSON is wrong on every field; so is
    JSON that is not an object; a field that is absent or of the wrong type
    (not a str or null for a name, not a list of str for the investors) is
    wrong on that field. The extractor is called once per document, in order.

    Parameters
    ----------
    extract : callable
        ``extract(text)`` returns JSON text, or a pair ``(json_text,
        confidence)`` with a confidence in [0, 1].
    filings : pandas.DataFrame
        Documents and their truth: columns ``text``, ``ceo``, ``coo`` and
        ``investors``, as from :func:`book.data.make_filings`.

    Returns
    -------
    pandas.DataFrame
        One row per document, on the index of ``filings``: ``json_valid``,
        ``schema_valid`` (an object whose three fields have the right types),
        ``ceo_correct``, ``coo_correct``, ``investors_correct`` (the same set),
        ``investors_tp``, ``investors_fp``, ``investors_fn`` (firms found,
        invented, missed), ``doc_correct`` (all three fields right),
        ``ceo_error``, ``coo_error``, ``investors_error`` (one of
        ``ERROR_TYPES``), ``has_ceo`` and ``has_coo`` (the truth names one),
        ``confidence`` (NaN if the extractor gave none) and ``output`` (the
        text it returned).

    Examples
    --------
    >>> from book.data import make_filings
    >>> filings = make_filings(n=300, seed=0)
    >>> results = evaluate(regex_extract, filings)
    >>> round(float(results.doc_correct.mean()), 2), bool(results.json_valid.all())
    (0.48, True)
    >>> results.ceo_error.value_counts().to_dict()
    {'ok': 206, 'missing': 85, 'wrong': 9}
    """
    if not callable(extract):
        raise ValueError(
            f"evaluate: extract must be callable (text -> JSON text), got {extract!r}."
        )
    _check_frame(filings, ("text",) + FIELDS, "evaluate: filings")
    if len(filings) == 0:
        raise ValueError("evaluate: filings holds no documents.")
    rows = []
    for text, ceo, coo, investors in zip(
        filings["text"], filings["ceo"], filings["coo"], filings["investors"]
    ):
        if isinstance(investors, str) or not hasattr(investors, "__iter__"):
            raise ValueError(
                "evaluate: each truth in filings.investors must be a list or tuple "
                f"of firm names, got {investors!r}."
            )
        output, confidence = _split_output(extract(text))
        row = _score_answer(output, _optional(ceo), _optional(coo), investors)
        row["confidence"] = confidence
        row["output"] = output
        rows.append(row)
    return pd.DataFrame(rows, index=filings.index)


_RESULT_COLUMNS = (
    "doc_correct",
    "investors_tp",
    "investors_fp",
    "investors_fn",
    "has_ceo",
    "has_coo",
) + tuple(f"{field}_{what}" for field in FIELDS for what in ("correct", "error"))


def _ratios(tp, fp, fn):
    """Precision, recall and F1 from counts; a ratio with nothing to count is
    1.0 when nothing went wrong and 0.0 otherwise."""
    precision = tp / (tp + fp) if tp + fp else float(fn == 0)
    recall = tp / (tp + fn) if tp + fn else float(fp == 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)


def list_scores(results):
    """Micro-averaged precision, recall and F1 of the investor lists.

    Every firm counts once, over all documents: a firm found is a true
    positive, a firm returned that the document does not list a false
    positive, a listed firm not returned a false negative. When there is
    nothing to count (no firm returned, or none to find), the ratio is 1.0 if
    nothing went wrong and 0.0 otherwise.

    Parameters
    ----------
    results : pandas.DataFrame
        The frame :func:`evaluate` returns.

    Returns
    -------
    dict
        ``precision``, ``recall`` and ``f1``, floats in [0, 1].

    Examples
    --------
    >>> from book.data import make_filings
    >>> results = evaluate(regex_extract, make_filings(n=300, seed=0))
    >>> {k: round(v, 2) for k, v in list_scores(results).items()}
    {'precision': 1.0, 'recall': 0.77, 'f1': 0.87}
    """
    _check_frame(results, _RESULT_COLUMNS, "results (from evaluate)")
    precision, recall, f1 = _ratios(
        int(results["investors_tp"].sum()),
        int(results["investors_fp"].sum()),
        int(results["investors_fn"].sum()),
    )
    return {"precision": precision, "recall": recall, "f1": f1}


def field_report(results):
    """One row per field: how often it is right, and how it goes wrong.

    ``accuracy`` is the share of documents whose field is exactly right.
    ``precision`` is the share of the values returned that are right, and
    ``recall`` the share of the true values that were returned right: for
    the names, per document (a wrong name is a false value returned and a
    true one missed); for the investors, per firm (:func:`list_scores`).

    Parameters
    ----------
    results : pandas.DataFrame
        The frame :func:`evaluate` returns (or some of its rows).

    Returns
    -------
    pandas.DataFrame
        Columns ``field``, ``documents``, ``accuracy``, ``precision``,
        ``recall``, ``f1``, then a count for each of ``ERROR_TYPES``.

    Examples
    --------
    >>> from book.data import make_filings
    >>> filings = make_filings(n=300, seed=0)
    >>> report = field_report(evaluate(SimulatedExtractor(filings), filings))
    >>> columns = ["field", "accuracy", "ok", "missing", "wrong", "hallucinated"]
    >>> report[columns].round(2)
           field  accuracy   ok  missing  wrong  hallucinated
    0        ceo      0.95  284        0      7             0
    1        coo      0.83  250        0      4            37
    2  investors      0.95  286        5      0             0
    """
    _check_frame(results, _RESULT_COLUMNS, "results (from evaluate)")
    rows = []
    for field in FIELDS:
        errors = results[f"{field}_error"]
        counts = {kind: int((errors == kind).sum()) for kind in ERROR_TYPES}
        if field == "investors":
            scores = list_scores(results)
            precision, recall, f1 = scores["precision"], scores["recall"], scores["f1"]
        else:
            present = results[f"has_{field}"].astype(bool)
            tp = int((present & (errors == "ok")).sum())
            fp = counts["wrong"] + counts["hallucinated"]
            fn = int(present.sum()) - tp
            precision, recall, f1 = _ratios(tp, fp, fn)
        rows.append(
            {
                "field": field,
                "documents": len(results),
                "accuracy": float(results[f"{field}_correct"].mean()),
                "precision": precision,
                "recall": recall,
                "f1": f1,
                **counts,
            }
        )
    return pd.DataFrame(rows)


def _confidences(results):
    _check_frame(results, ("confidence", "doc_correct"), "results (from evaluate)")
    confidence = results["confidence"].to_numpy(dtype=float)
    if len(confidence) == 0 or np.isnan(confidence).any():
        raise ValueError(
            "results need a confidence for every document: the extractor must "
            "return (json_text, confidence) pairs."
        )
    return confidence, results["doc_correct"].to_numpy(dtype=bool)


#: The thresholds :func:`coverage_curve` uses by default: 0 to 0.95 in steps of 0.05.
THRESHOLDS = tuple(np.round(np.linspace(0.0, 0.95, 20), 2).tolist())


def coverage_curve(results, thresholds=THRESHOLDS):
    """What abstaining buys: keep the answers whose confidence is at least a
    threshold, and measure how many are kept and how many of those are right.

    Parameters
    ----------
    results : pandas.DataFrame
        The frame :func:`evaluate` returns, with a confidence for every
        document.
    thresholds : sequence of float
        Thresholds in [0, 1].

    Returns
    -------
    pandas.DataFrame
        ``threshold``, ``coverage`` (the share of documents kept), ``kept``
        (how many) and ``accuracy`` (the share of kept documents with every
        field right; NaN when none is kept).

    Examples
    --------
    >>> from book.data import make_filings
    >>> filings = make_filings(n=300, seed=0)
    >>> results = evaluate(SimulatedExtractor(filings).extract_with_confidence,
    ...                    filings)
    >>> coverage_curve(results, [0.0, 0.8, 0.9]).round(2)
       threshold  coverage  kept  accuracy
    0        0.0      1.00   300      0.80
    1        0.8      0.73   218      0.95
    2        0.9      0.47   141      0.99
    """
    confidence, correct = _confidences(results)
    t = np.asarray(thresholds, dtype=float)
    if t.ndim != 1 or t.size == 0 or not ((t >= 0) & (t <= 1)).all():
        raise ValueError(
            f"coverage_curve: thresholds must be numbers in [0, 1], got {thresholds!r}."
        )
    keep = confidence[None, :] >= t[:, None]
    kept = keep.sum(axis=1)
    right = (keep & correct[None, :]).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = np.where(kept > 0, right / np.maximum(kept, 1), np.nan)
    return pd.DataFrame(
        {
            "threshold": t,
            "coverage": kept / len(confidence),
            "kept": kept,
            "accuracy": accuracy,
        }
    )


def threshold_for_precision(results, target):
    """The lowest confidence threshold whose kept answers are right at least a
    share ``target`` of the time.

    The candidates are the confidences themselves (keeping the documents at or
    above each); the accuracy of what is kept need not rise steadily with the
    threshold, so this is the lowest one that reaches the target, not the one
    after which it always holds.

    Parameters
    ----------
    results : pandas.DataFrame
        The frame :func:`evaluate` returns, with a confidence for every
        document.
    target : float
        The document accuracy required of the kept answers, in (0, 1].

    Returns
    -------
    float or None
        The threshold, or None if no threshold reaches the target.

    Examples
    --------
    >>> from book.data import make_filings
    >>> filings = make_filings(n=300, seed=0)
    >>> results = evaluate(SimulatedExtractor(filings).extract_with_confidence,
    ...                    filings)
    >>> threshold = threshold_for_precision(results, 0.95)
    >>> round(threshold, 3)
    0.748
    >>> coverage_curve(results, [threshold]).round(3)
       threshold  coverage  kept  accuracy
    0      0.748     0.777   233     0.953
    """
    if not (
        isinstance(target, (int, float, np.integer, np.floating))
        and not isinstance(target, bool)
        and 0.0 < target <= 1.0
    ):
        raise ValueError(
            f"threshold_for_precision: target must be in (0, 1], got {target!r}."
        )
    confidence, correct = _confidences(results)
    order = np.argsort(-confidence, kind="stable")
    c, right = confidence[order], np.cumsum(correct[order])
    kept = np.arange(1, c.size + 1)
    # keeping confidence >= c[i] keeps every document up to the last tie of c[i]
    last_of_tie = np.r_[c[1:] != c[:-1], True]
    ok = last_of_tie & (right >= target * kept - 1e-9)
    if not ok.any():
        return None
    return float(c[ok].min())
