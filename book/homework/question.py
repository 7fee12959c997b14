"""A homework question: ``q.check(answer)`` gives feedback at once, ``q.hint()`` a hint.

Every check shows its feedback in the cell's output and, in the metadata of the
same output (under the key :data:`RECORD_KEY`), leaves a machine-readable record
that the grader (``python -m book.grade``) reads back from the executed notebook.
Output metadata is kept in saved notebooks, and ignored by JupyterLab and the
book build, which show the feedback itself.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cached_property

from book import records
from book.homework.checks import NOT_ATTEMPTED, Verdict
from book.records import show

#: Key, in the output metadata, of the record that every check leaves.
RECORD_KEY = "book.homework/check"

PASSED, FAILED, NOT_ATTEMPTED_STATUS = "passed", "failed", "not attempted"

#: Per status: its mark in the text, and its kind of box
#: (:func:`book.records.box_html`).
_STYLE = {
    PASSED: ("✓", "passed"),
    FAILED: ("✗", "failed"),
    NOT_ATTEMPTED_STATUS: ("·", "not-attempted"),
}


@dataclass(frozen=True)
class Feedback:
    """What one check found: the question, its status and the message for the
    learner."""

    question: str
    status: str
    message: str

    @property
    def record(self):
        """The machine-readable record, as stored in the notebook output."""
        return {
            "question": self.question,
            "status": self.status,
            "message": self.message,
        }

    @property
    def _label(self):
        return (
            "not attempted yet" if self.status == NOT_ATTEMPTED_STATUS else self.status
        )

    def __str__(self):
        return f"{self.question} {_STYLE[self.status][0]} {self._label}: {self.message}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        mark, kind = _STYLE[self.status]
        title = f"{html.escape(self.question)} {mark} {self._label}"
        body = records.box_html(
            kind, f"<strong>{title}</strong>: {html.escape(self.message)}"
        )
        return {"text/plain": str(self), "text/html": body}, {RECORD_KEY: self.record}


class Question:
    """One homework question.

    Parameters
    ----------
    name : str
        How the notebook refers to it, e.g. ``"q1"``.
    checker : callable
        ``checker(answer, expected) -> Verdict`` (see :mod:`book.homework.checks`).
    expected : callable
        Computes the expected answer (or, for a function question, the
        reference function). It is called once, on the first check, so that
        importing the questions stays fast.
    hint : str
        A nudge in the right direction that does not give the answer away.
    """

    def __init__(self, name, checker, expected, hint):
        self.name, self._checker, self._expected, self._hint = (
            name,
            checker,
            expected,
            hint,
        )

    @cached_property
    def expected(self):
        return self._expected()

    @property
    def checker(self):
        """The checker (see :mod:`book.homework.checks`); the grader reads a function
        question's inputs from it."""
        return self._checker

    def forget(self):
        """Forget the expected answer, so that the next check recomputes it (after a
        reseed)."""
        self.__dict__.pop("expected", None)

    def __repr__(self):
        return (
            f"<homework question {self.name}: answer it, then run "
            f"{self.name}.check(answer)>"
        )

    def evaluate(self, answer):
        """Check ``answer`` and return the :class:`Feedback`, without showing it."""
        if answer is Ellipsis:
            verdict = NOT_ATTEMPTED
        else:
            expected = (
                self.expected
            )  # outside the try: a failure here is ours, not the learner's
            try:
                verdict = self._checker(answer, expected)
            except (
                Exception
            ) as error:  # a checker must never hand the learner a traceback
                verdict = Verdict(
                    False,
                    f"Your answer could not be checked ({type(error).__name__}). "
                    "Check its type against the question.",
                )
        status = (
            NOT_ATTEMPTED_STATUS
            if verdict.ok is None
            else PASSED
            if verdict.ok
            else FAILED
        )
        return Feedback(self.name, status, verdict.message)

    def check(self, answer):
        """Check ``answer`` and show the feedback (with its record) in the cell's
        output."""
        show(self.evaluate(answer))

    def hint(self):
        """Show the hint."""
        show(Hint(self.name, self._hint))


@dataclass(frozen=True)
class Hint:
    question: str
    text: str

    def __str__(self):
        return f"Hint for {self.question}: {self.text}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        title = f"Hint for {html.escape(self.question)}"
        body = records.box_html(
            "hint", f"<strong>{title}</strong>: {html.escape(self.text)}"
        )
        return {"text/plain": str(self), "text/html": body}


def read_records(notebook):
    """The check records in an executed notebook, in execution order.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    list of (int, dict)
        ``(cell index, record)`` pairs, one per check that ran.
    """
    return records.read_records(notebook, RECORD_KEY, {"question", "status"})
