"""Homework that checks itself.

- :mod:`book.homework.checks`: checkers that say what is wrong with an answer
  without revealing the expected one.
- :mod:`book.homework.question`: the :class:`Question` with ``check`` and ``hint``
  (in steps), the record each check leaves for the grader, and the :class:`Quiz` of a
  chapter's "Check your understanding".
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
from book.homework.question import (
    RECORD_KEY,
    Feedback,
    Question,
    Quiz,
    read_records,
)

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
    "Quiz",
    "RECORD_KEY",
    "Sequence",
    "SetsByKey",
    "Verdict",
    "read_records",
]
