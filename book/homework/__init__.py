"""Homework that checks itself.

- :mod:`book.homework.checks`: checkers that say what is wrong with an answer
  without revealing the expected one.
- :mod:`book.homework.question`: the :class:`Question` with ``check`` and ``hint``,
  and the record each check leaves for the grader.
- :mod:`book.homework.generate`: learner copies generated from the solutions.
- ``book.homework.chNN``: the questions of chapter NN, with the data they use.
"""

from book.homework.checks import (
    NOT_ATTEMPTED,
    Array,
    Choice,
    Function,
    KnownMistakes,
    Model,
    Number,
    Sequence,
    SetsByKey,
    Verdict,
)
from book.homework.question import RECORD_KEY, Feedback, Question, read_records

__all__ = [
    "Array",
    "Choice",
    "Feedback",
    "Function",
    "KnownMistakes",
    "Model",
    "NOT_ATTEMPTED",
    "Number",
    "Question",
    "RECORD_KEY",
    "Sequence",
    "SetsByKey",
    "Verdict",
    "read_records",
]
