"""Checkers: compare a learner's answer with the expected one, and say what is wrong.

Each checker is called as ``checker(answer, expected)`` and returns a
:class:`Verdict`. Its message says *what* is wrong (the type, the shape, the
sign, a percentage, a slip of units or precision, the order...) and never contains
the expected value.
The question, not the checker, deals with unanswered questions (``...``).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check: whether it passed, and what to tell the learner."""

    ok: bool | None
    message: str


CORRECT = Verdict(True, "Correct.")
#: An unanswered question: ``ok`` is None, neither passed nor failed.
NOT_ATTEMPTED = Verdict(
    None, "replace the ... with your answer, then run this cell again."
)


def _describe(answer):
    """A short name for the type of an answer, for messages."""
    if answer is None:
        return "None"
    if isinstance(answer, np.ndarray):
        return f"a numpy array of shape {answer.shape}"
    return _with_article(type(answer).__name__)


def _with_article(noun):
    """``noun`` after "a" or "an": "an int", "an Option", "a float" (a vowel-letter
    rule)."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _none_message(what):
    return (
        f"Your answer is None, not {what}. Assign the result to the answer variable "
        "(a function that ends without `return` gives None)."
    )


def _as_number(answer, what="a number"):
    """Turn an answer into a float, or return a Verdict that says why it is not a
    number."""
    if answer is None:
        return Verdict(False, _none_message(what))
    if isinstance(answer, (bool, np.bool_)):
        return Verdict(
            False,
            f"Your answer is {answer}, a yes/no value; the question asks for {what}.",
        )
    if isinstance(answer, str):
        return Verdict(
            False, f"Your answer is text; give {what} without quotes or units."
        )
    if not isinstance(answer, numbers.Number) and (
        hasattr(answer, "shape") or isinstance(answer, (list, tuple))
    ):
        values = np.asarray(answer, dtype=object).ravel()
        if values.size != 1:
            return Verdict(
                False,
                f"Your answer is {_describe(answer)} with {values.size} values; the "
                f"question asks for {what}.",
            )
        return _as_number(values[0], what)
    if isinstance(answer, numbers.Complex) and not isinstance(answer, numbers.Real):
        return Verdict(
            False, f"Your answer is a complex number; the question asks for {what}."
        )
    if not isinstance(answer, numbers.Real):
        return Verdict(
            False, f"Your answer is {_describe(answer)}; the question asks for {what}."
        )
    value = float(answer)
    if math.isnan(value):
        return Verdict(
            False,
            "Your answer is NaN (not a number). Look upstream for a division by zero, "
            "an empty selection or a missing value.",
        )
    if math.isinf(value):
        return Verdict(False, "Your answer is infinite. Look for a division by zero.")
    return value


#: How close ``answer / expected`` must be to a known factor (relative) for the
#: checker to name a slip of units: tight, so that an answer a few percent off is
#: not called a unit mistake, and the GB/GiB ratio (7.4 %) is not a near miss.
FACTOR_RTOL = 0.005

_PRECISION = "check the number of bytes per value (the precision)"
_UNITS = "check the units (thousands, bytes against kilobytes, kB against KiB...)"
_TIME = "check the time units (seconds, minutes, hours)"

#: The factors of a unit slip: (factor, how the message names it, what to check).
#: Messages name the factor in words where a digit could be mistaken for a value.
UNIT_SLIPS = (
    (2.0, "two", _PRECISION),
    (4.0, "four", _PRECISION),
    (8.0, "eight", _PRECISION + ", or bits against bytes"),
    (1_000.0, "1,000", _UNITS),
    (1_024.0, "1,024", _UNITS),
    (60.0, "sixty", _TIME),
    (3_600.0, "3,600", _TIME),
)
#: The ratio of a GiB (2**30 bytes) to a GB (10**9 bytes), about 1.074.
GIB_PER_GB = 2**30 / 10**9


def _ratio_is(ratio, factor):
    """Whether ``ratio`` is ``factor`` within :data:`FACTOR_RTOL`."""
    return abs(ratio - factor) <= FACTOR_RTOL * factor


def _unit_slip(ratio):
    """The message for an answer that is ``ratio`` times the expected value, if that
    ratio is a known slip of units (in either direction); None otherwise."""
    if ratio <= 0:
        return None
    if _ratio_is(ratio, GIB_PER_GB):
        return (
            "Your answer is a little too large, by the ratio of a GiB to a GB: did you "
            "divide by 10**9 (GB) where the question asks for GiB (2**30 bytes)?"
        )
    if _ratio_is(1 / ratio, GIB_PER_GB):
        return (
            "Your answer is a little too small, by the ratio of a GiB to a GB: did you "
            "divide by 2**30 (GiB) where the question asks for GB (10**9 bytes)?"
        )
    for factor, name, advice in UNIT_SLIPS:
        for slip, direction in ((ratio, "large"), (1 / ratio, "small")):
            if _ratio_is(slip, factor):
                return f"Your answer is about {name} times too {direction}: {advice}."
    return None


@dataclass(frozen=True)
class Number:
    """A single number, correct within a tolerance.

    Parameters
    ----------
    rtol, atol : float
        The answer passes if ``|answer - expected| <= atol + rtol * |expected|``.
    integer : bool
        The answer must be a whole number (a count, a month...).
    fraction : bool
        The answer is a share between 0 and 1 (a rate, an accuracy).
    what : str
        How to name the answer in messages, e.g. "a number of requests".
    """

    rtol: float = 1e-6
    atol: float = 0.0
    integer: bool = False
    fraction: bool = False
    what: str = "a number"

    def _close(self, value, expected):
        return abs(value - expected) <= self.atol + self.rtol * abs(expected)

    def __call__(self, answer, expected):
        value = _as_number(answer, self.what)
        if isinstance(value, Verdict):
            return value
        if self.integer and value != round(value):
            return Verdict(
                False,
                f"The question asks for a whole number ({self.what}); yours has a "
                "fractional part.",
            )
        if self._close(value, expected):
            return CORRECT
        # From the most specific explanation to the least.
        if expected != 0 and self._close(-value, expected):
            return Verdict(
                False, "Right size, wrong sign. Check the order of a subtraction."
            )
        if not self.fraction and _is_off_by_one(value, expected):
            return Verdict(
                False,
                "Off by one. Check where counting starts (from 0 or from 1) and "
                "whether the boundary itself counts.",
            )
        if expected != 0 and self._close(value / 100, expected):
            return Verdict(
                False,
                "Your answer is 100 times too large: did you give a percentage where a "
                "fraction between 0 and 1 is asked?",
            )
        if expected != 0 and self._close(value * 100, expected):
            return Verdict(
                False,
                "Your answer is 100 times too small: did you give a fraction where a "
                "percentage is asked?",
            )
        if self.fraction and not 0 <= value <= 1:
            return Verdict(
                False,
                "A share is a fraction between 0 and 1; yours is outside that range.",
            )
        # A share has no units: a factor of two is not a matter of bytes per value.
        slip = None if self.fraction or expected == 0 else _unit_slip(value / expected)
        if slip:
            return Verdict(False, slip)
        if (
            expected != 0
            and not 0.8 <= abs(expected) <= 1.25
            and abs(value * expected - 1) <= FACTOR_RTOL
        ):
            return Verdict(
                False,
                "Your answer looks like one over the right one: you may have divided "
                "where you should multiply, or the other way round.",
            )
        if (
            abs(value - expected) <= 0.1 * abs(expected)
            or abs(value - expected) <= 10 * self.atol
        ):
            return Verdict(
                False,
                "Close, but outside the tolerance. Check for rounding, or a step that "
                "differs slightly from the question's procedure.",
            )
        return Verdict(
            False, "Not correct yet. Re-read the question, or ask for a hint."
        )


def _is_off_by_one(value, expected):
    """Whether a whole-number expected value is missed by exactly one."""
    return float(expected).is_integer() and math.isclose(
        abs(value - expected), 1, rel_tol=0, abs_tol=1e-9
    )


@dataclass(frozen=True)
class KnownMistakes:
    """A :class:`Number` checker that also recognises plausible wrong answers and names
    the mistake.

    Parameters
    ----------
    number : Number
        The checker of the right answer; its ``rtol`` also decides when an
        answer matches a wrong value.
    mistakes : callable
        ``mistakes() -> ((wrong value, message), ...)``, computed on the first
        failed answer (from the same data as the expected answer). A message
        says what went wrong, never the expected value.
    """

    number: Number
    mistakes: object

    def __call__(self, answer, expected):
        verdict = self.number(answer, expected)
        if (
            verdict.ok is not False
            or isinstance(answer, (bool, np.bool_))
            or not isinstance(answer, numbers.Real)
        ):
            return verdict
        for wrong, message in self.mistakes():
            if abs(float(answer) - wrong) <= self.number.rtol * abs(wrong):
                return Verdict(False, message)
        return verdict


@dataclass(frozen=True)
class Sequence:
    """A list of numbers (or labels), in a given order.

    Parameters
    ----------
    increasing : bool
        The items must be sorted in increasing order.
    rtol : float
        Tolerance for numeric items.
    what : str
        How to name the answer in messages.
    """

    increasing: bool = True
    rtol: float = 1e-6
    what: str = "a list"

    def __call__(self, answer, expected):
        if answer is None:
            return Verdict(False, _none_message(self.what))
        if isinstance(answer, (str, bytes, dict, set, frozenset)) or not hasattr(
            answer, "__len__"
        ):
            return Verdict(
                False,
                f"Your answer is {_describe(answer)}; the question asks for "
                f"{self.what} "
                "(a list, tuple or array).",
            )
        items = (
            list(np.asarray(answer, dtype=object).ravel())
            if hasattr(answer, "shape")
            else list(answer)
        )
        if hasattr(answer, "shape") and np.ndim(answer) > 1:
            return Verdict(
                False,
                f"Your answer has shape {np.shape(answer)}; the question asks for a "
                "flat list.",
            )
        if len(items) != len(expected):
            return Verdict(
                False,
                f"Your list has {len(items)} items; the question's answer has "
                f"{len(expected)}.",
            )
        numeric = all(isinstance(e, numbers.Real) for e in expected)
        if numeric:
            values = []
            for item in items:
                value = _as_number(item, "a number in each position")
                if isinstance(value, Verdict):
                    return Verdict(
                        False, "One of the items is not a number: " + value.message
                    )
                values.append(value)
            same = lambda a, b: np.allclose(a, b, rtol=self.rtol, atol=0)  # noqa: E731
            items = values
        else:
            same = lambda a, b: list(a) == list(b)  # noqa: E731
        if same(items, expected):
            return CORRECT
        if self.increasing and same(sorted(items), expected):
            return Verdict(
                False, "The right items, but not in increasing order. Sort them."
            )
        if numeric and (
            same([v + 1 for v in items], expected)
            or same([v - 1 for v in items], expected)
        ):
            return Verdict(
                False, "Every item is off by one. Check where counting starts."
            )
        wrong = sum(not same([a], [b]) for a, b in zip(items, expected))
        return Verdict(
            False, f"{wrong} of the {len(expected)} items are not correct yet."
        )


@dataclass(frozen=True)
class Array:
    """A numeric array of a given shape, correct within a tolerance."""

    rtol: float = 1e-6
    atol: float = 0.0
    what: str = "an array"

    def __call__(self, answer, expected):
        expected = np.asarray(expected, dtype=float)
        if answer is None:
            return Verdict(False, _none_message(self.what))
        if isinstance(answer, (str, bytes, dict)):
            return Verdict(
                False,
                f"Your answer is {_describe(answer)}; the question asks for "
                f"{self.what}.",
            )
        try:
            values = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            return Verdict(
                False,
                f"Your answer can't be read as numbers; the question asks for "
                f"{self.what}.",
            )
        if values.shape != expected.shape:
            return Verdict(
                False,
                f"Your answer has shape {values.shape}; the question asks for shape "
                f"{expected.shape}.",
            )
        if np.isnan(values).any():
            return Verdict(
                False,
                "Your answer contains NaN (not a number). Look for missing values "
                "upstream.",
            )
        close = lambda v: np.allclose(v, expected, rtol=self.rtol, atol=self.atol)  # noqa: E731
        if close(values):
            return CORRECT
        if close(-values):
            return Verdict(
                False,
                "Right size, wrong sign everywhere. Check the order of a subtraction.",
            )
        if close(values / 100):
            return Verdict(
                False,
                "Your values are 100 times too large: percentages instead of "
                "fractions?",
            )
        wrong = int(
            (~np.isclose(values, expected, rtol=self.rtol, atol=self.atol)).sum()
        )
        return Verdict(
            False, f"{wrong} of the {expected.size} values are not correct yet."
        )


@dataclass(frozen=True)
class SetsByKey:
    """A dict that maps each given key to a set of labels.

    Parameters
    ----------
    vocabulary : tuple of str
        The labels allowed in the sets (e.g. the criterion keys).
    what : str
        How to name the answer in messages.
    """

    vocabulary: tuple
    what: str = "a dict of sets"

    def __call__(self, answer, expected):
        if answer is None:
            return Verdict(False, _none_message(self.what))
        if not isinstance(answer, dict):
            return Verdict(
                False,
                f"Your answer is {_describe(answer)}; the question asks for "
                f"{self.what} "
                "like {'name': {'label', ...}, ...}.",
            )
        missing = [k for k in expected if k not in answer]
        extra = [k for k in answer if k not in expected]
        if missing or extra:
            parts = []
            if missing:
                parts.append("missing " + ", ".join(repr(k) for k in missing))
            if extra:
                parts.append("unexpected " + ", ".join(repr(k) for k in extra))
            return Verdict(
                False, "Your dict has the wrong keys: " + "; ".join(parts) + "."
            )
        problems = []
        for key, labels in expected.items():
            given = answer[key]
            if isinstance(given, str) or not isinstance(
                given, (set, frozenset, list, tuple)
            ):
                return Verdict(
                    False,
                    f"For {key!r} give a set (or list) of labels, not "
                    f"{_describe(given)}.",
                )
            given = set(given)
            unknown = [g for g in given if g not in self.vocabulary]
            if unknown:
                return Verdict(
                    False,
                    f"For {key!r}, {len(unknown)} label(s) are not among the allowed "
                    "labels. "
                    "Use the exact keys, e.g. from checklist.CRITERIA.",
                )
            lacking, surplus = len(set(labels) - given), len(given - set(labels))
            if lacking or surplus:
                problems.append(
                    f"{key!r}: {lacking} missing, {surplus} that should not be there"
                )
        if problems:
            return Verdict(False, "Not correct yet. " + "; ".join(problems) + ".")
        return CORRECT


@dataclass(frozen=True)
class Choice:
    """One label out of a fixed set of options (a model's name, say).

    Parameters
    ----------
    options : tuple of str
        The labels the learner chooses from.
    diagnoses : tuple of (str, str)
        ``(wrong option, message)`` pairs: what to say about a plausible wrong choice.
        The messages must not name the right option.
    what : str
        How to name the answer in messages.
    unknown, near, otherwise : str
        What to say about an answer that is not an option, about an option written
        with other spaces or case, and about a wrong option that has no diagnosis.
    """

    options: tuple
    diagnoses: tuple = ()
    what: str = "one of the options"
    #: what to say about an answer that is none of the options
    unknown: str = "Copy a name from the table."
    #: what to say about an option written with other spaces or case
    near: str = "Almost: write the name exactly as in the table (spaces and case)."
    #: what to say about a wrong option without a diagnosis
    otherwise: str = (
        "That is not the one the rule picks. Apply the rule to every option again."
    )

    def __call__(self, answer, expected):
        if answer is None:
            return Verdict(False, _none_message(self.what))
        if not isinstance(answer, str):
            return Verdict(
                False,
                f"Your answer is {_describe(answer)}; the question asks for "
                f"{self.what}, "
                "as text in quotes.",
            )
        if answer not in self.options:
            near = [o for o in self.options if o.lower() == answer.strip().lower()]
            if near:
                return Verdict(False, self.near)
            return Verdict(False, f"That is not {self.what}. {self.unknown}")
        if answer == expected:
            return CORRECT
        return Verdict(False, dict(self.diagnoses).get(answer, self.otherwise))


def letter_choice(diagnoses, letters="abcd"):
    """The checker of a quiz question: one lettered choice, and for each wrong letter
    a diagnosis that teaches without naming the right one.

    Parameters
    ----------
    diagnoses : iterable of (str, str)
        ``(wrong letter, what to say)`` pairs.
    letters : str
        The letters of the choices.

    Examples
    --------
    >>> check = letter_choice([("a", "A rule can do that."), ("c", "Not at scale.")],
    ...                       letters="abc")
    >>> check("a", "b").message
    'A rule can do that.'
    >>> check("B", "b").message
    'Almost: write the letter in lower case, in quotes.'
    >>> check("e", "b").message
    'That is not one letter: "a", "b" or "c". Answer with one letter, in quotes.'
    """
    options = tuple(letters)
    listed = ", ".join(f'"{letter}"' for letter in options[:-1])
    listed += f' or "{options[-1]}"'
    return Choice(
        options=options,
        diagnoses=tuple(diagnoses),
        what=f"one letter: {listed}",
        unknown="Answer with one letter, in quotes.",
        near="Almost: write the letter in lower case, in quotes.",
        otherwise="That is not the best choice: read each one again.",
    )


@dataclass(frozen=True)
class Function:
    """A function, checked against a reference implementation on given inputs.

    Parameters
    ----------
    inputs : tuple
        Arguments to call the learner's function with, one at a time.
    returns : type
        The type every result must have.
    what : str
        What the function should return, for messages.
    """

    inputs: tuple
    returns: type = object
    what: str = "a value"

    def __call__(self, answer, reference):
        if answer is None:
            return Verdict(False, _none_message("a function"))
        if not callable(answer):
            return Verdict(
                False,
                f"Your answer is {_describe(answer)}; the question asks for a "
                "function. "
                "Pass the function itself, without calling it (no parentheses).",
            )
        wrong = []
        for position, value in enumerate(self.inputs):
            try:
                result = answer(value)
            except Exception as error:  # the learner's code: report it, never raise
                return Verdict(
                    False,
                    f"Your function raised {type(error).__name__} for the input "
                    f"{value!r}: {error}",
                )
            if result is Ellipsis and position == 0:
                return NOT_ATTEMPTED
            if result is None:
                return Verdict(
                    False,
                    f"Your function returned None for the input {value!r}: "
                    "does it end with `return`?",
                )
            if not isinstance(result, self.returns):
                return Verdict(
                    False,
                    f"Your function returned {_describe(result)} for the input "
                    f"{value!r}; "
                    f"it should return {self.what}.",
                )
            if result != reference(value):
                wrong.append(value)
        if wrong:
            return Verdict(
                False,
                f"Your function is wrong for {len(wrong)} of {len(self.inputs)} "
                "inputs, "
                f"for example {wrong[0]!r}.",
            )
        return CORRECT


def rows_for(inputs, columns=()):
    """The rows a :class:`Model` question predicts on, as the model expects them: a
    pandas DataFrame when the model was fitted with named ``columns``, else an array.
    The learner's kernel and the grader's both build them with this function."""
    if columns:
        import pandas as pd

        return pd.DataFrame(list(inputs), columns=list(columns))
    return np.asarray(inputs, dtype=float)


@dataclass(frozen=True)
class Model:
    """A fitted model, checked by its outputs on the grader's own rows.

    The expected answer is the reference model's outputs on the same rows (a tuple).
    The grader takes only these outputs out of the learner's kernel, as plain data.

    Parameters
    ----------
    inputs : tuple
        The rows, each a tuple of numbers.
    columns : tuple
        The feature names, if the model is fitted on a DataFrame.
    method : str
        The method whose outputs are compared: ``"predict"``, ``"predict_proba"``...
    min_agreement : float
        The share of rows on which the outputs must equal the reference's (numbers
        within ``rtol``).
    rtol : float
        Relative tolerance for numeric outputs.
    """

    inputs: tuple
    columns: tuple = ()
    method: str = "predict"
    min_agreement: float = 1.0
    rtol: float = 1e-6

    def __call__(self, answer, expected):
        if answer is None:
            return Verdict(False, _none_message("a fitted model"))
        method = getattr(answer, self.method, None)
        if not callable(method):
            return Verdict(
                False,
                f"Your answer is {_describe(answer)}, with no `{self.method}` method; "
                "the question asks for a fitted model, such as a scikit-learn "
                "estimator after `.fit(...)`.",
            )
        try:
            outputs = method(rows_for(self.inputs, self.columns))
        except Exception as error:  # the learner's model: report it, never raise
            return Verdict(
                False,
                f"Your model raised {type(error).__name__} in `{self.method}`: "
                f"{str(error)[:200]}. Has it been fitted (`.fit(X, y)`)?",
            )
        if np.ndim(outputs) == 0:
            return Verdict(
                False,
                f"Your model's `{self.method}` returned {_describe(outputs)}, not one "
                "output per row.",
            )
        outputs = np.asarray(outputs).tolist()
        if len(outputs) != len(self.inputs):
            return Verdict(
                False,
                f"Your model's `{self.method}` gave {len(outputs)} outputs for "
                f"{len(self.inputs)} rows.",
            )
        agree = [self._same(a, e) for a, e in zip(outputs, expected)]
        share = sum(agree) / len(agree)
        if share < self.min_agreement:
            return Verdict(
                False,
                f"Your model's outputs match the expected ones on {share:.0%} of the "
                f"grader's {len(agree)} rows; it should be at least "
                f"{self.min_agreement:.0%}. Check the features, the settings and the "
                "data it was fitted on.",
            )
        return CORRECT

    def _same(self, a, e):
        a, e = np.asarray(a), np.asarray(e)
        if a.shape != e.shape:
            return False
        if np.issubdtype(a.dtype, np.number) and np.issubdtype(e.dtype, np.number):
            return bool(np.allclose(a, e, rtol=self.rtol, atol=0))
        return bool(np.array_equal(a, e))
