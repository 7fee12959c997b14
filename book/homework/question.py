"""A homework question: ``q.check(answer)`` gives feedback at once, ``q.hint()`` a hint,
and ``q.hint(2)`` a more specific one. A chapter's "Check your understanding" is a
:class:`Quiz` of such questions.

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
    hint : str or tuple of str
        Hints in steps, from a nudge to a specific one: ``q.hint()`` shows the
        first, ``q.hint(2)`` the second. None gives the answer away, and only the
        last may name the helper that computes it.
    takeaway : str
        The one-line lesson of the question, shown with a right answer.
    """

    def __init__(self, name, checker, expected, hint, takeaway=""):
        self.name, self._checker, self._expected = name, checker, expected
        self.hints = (hint,) if isinstance(hint, str) else tuple(hint)
        self.takeaway = takeaway

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
        message = verdict.message
        if status == PASSED and self.takeaway:
            message = f"{message} {self.takeaway}"
        return Feedback(self.name, status, message)

    def check(self, answer):
        """Check ``answer`` and show the feedback (with its record) in the cell's
        output."""
        show(self.evaluate(answer))

    def hint(self, step=1):
        """Show hint number ``step`` (1 is the first and vaguest)."""
        show(self.hint_for(step))

    def hint_for(self, step=1):
        """The :class:`Hint` that ``q.hint(step)`` shows: a step past the last shows the
        last, and a step that is not a whole number says how to ask."""
        count = len(self.hints)
        if isinstance(step, bool) or not isinstance(step, int) or step < 1:
            steps = " or ".join(f"{self.name}.hint({n})" for n in range(1, count + 1))
            return Hint(self.name, f"Ask for a hint by its number: {steps}.", 0, count)
        step = min(step, count)
        return Hint(self.name, self.hints[step - 1], step, count)


@dataclass(frozen=True)
class Hint:
    """Hint number ``step`` of ``of`` for a question (``step`` 0: how to ask)."""

    question: str
    text: str
    step: int = 1
    of: int = 1

    @property
    def _title(self):
        if self.of <= 1 or self.step == 0:
            return f"Hint for {self.question}"
        return f"Hint {self.step} of {self.of} for {self.question}"

    @property
    def _more(self):
        if 1 <= self.step < self.of:
            return f" (More specific: {self.question}.hint({self.step + 1}).)"
        return ""

    def __str__(self):
        return f"{self._title}: {self.text}{self._more}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        title = html.escape(self._title)
        text = html.escape(self.text + self._more)
        body = records.box_html("hint", f"<strong>{title}</strong>: {text}")
        return {"text/plain": str(self), "text/html": body}


class Quiz:
    """A chapter's "Check your understanding": its questions, as attributes.

    Each question's name is ``"quiz.qN"``; the chapter checks an answer with
    ``quiz.q1.check("b")``.

    Examples
    --------
    >>> from book.homework.checks import Choice
    >>> q = Question("quiz.q1", Choice(options=("a", "b")), lambda: "a",
    ...              ("Think of cost.", "Count the errors."), "Errors cost money.")
    >>> quiz = Quiz(q)
    >>> quiz.q1.evaluate("a").message
    'Correct. Errors cost money.'
    >>> [q.name for q in quiz]
    ['quiz.q1']
    """

    def __init__(self, *questions):
        self.questions = tuple(questions)
        for question in self.questions:
            setattr(self, question.name.rsplit(".", 1)[-1], question)

    def __iter__(self):
        return iter(self.questions)

    def __len__(self):
        return len(self.questions)


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
