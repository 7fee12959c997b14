"""Chapter 1's homework questions: the reference passes, plausible mistakes get their own
message, bad input gets a clear sentence, and no message gives the answer away."""

import re

import numpy as np
import pytest

from book.homework import ch01

Q1, Q2, Q3, Q4, Q5 = ch01.QUESTIONS


def reference(question):
    return question.expected


def _wrong_q4():
    expected = reference(Q4)
    one_missing = {case: set(labels) for case, labels in expected.items()}
    one_missing["printing payslips from the payroll"].discard("learn")
    return one_missing


# (question, answer, fragment of the expected message)
PLAUSIBLE_MISTAKES = [
    (Q1, lambda: -reference(Q1), "wrong sign"),  # subtracted the unit costs the other way round
    (Q1, lambda: ch01.TRIAGE_MODEL.fixed_usd / (ch01.NURSE.run_usd - ch01.TRIAGE_MODEL.run_usd),
     "Not correct yet"),  # forgot the cost of errors
    (Q2, lambda: 100 * reference(Q2), "100 times too large"),  # a percentage
    (Q2, lambda: 3.5, "between 0 and 1"),  # the cost per customer instead of the rate
    (Q3, lambda: reference(Q3) + 1, "Off by one"),  # counted months from 1
    (Q3, lambda: 0.72, "whole number"),  # the accuracy instead of the month
    (Q4, _wrong_q4, "1 missing, 0 that should not be there"),
    (Q4, lambda: {case: set() for case in reference(Q4)}, "missing"),  # nothing fails
    (Q4, lambda: {"defects": {"changing"}}, "wrong keys"),
    (Q5, lambda: (lambda volume: "nurse"), "wrong for 4 of 6 inputs"),  # always the same option
    (Q5, lambda: (lambda volume: min(ch01.CLINIC_OPTIONS, key=lambda o: o.fixed_usd + volume * o.run_usd).name),
     "wrong for"),  # forgot the cost of errors
    (Q5, lambda: (lambda volume: ch01.CLINIC_OPTIONS[0]), "should return the name of an option"),
]

BAD_INPUT = [None, "a string", float("nan"), [1.0, 2.0], {"a": 1}]


@pytest.mark.parametrize("question", ch01.QUESTIONS, ids=lambda q: q.name)
def test_reference_answer_passes(question):
    assert question.evaluate(reference(question)).status == "passed"


@pytest.mark.parametrize("question", ch01.QUESTIONS, ids=lambda q: q.name)
def test_unanswered_is_not_attempted(question):
    feedback = question.evaluate(...)
    assert feedback.status == "not attempted" and "not attempted yet" in str(feedback)


@pytest.mark.parametrize(
    "question, make_answer, fragment", PLAUSIBLE_MISTAKES,
    ids=[f"{q.name}-{i}" for i, (q, _, _) in enumerate(PLAUSIBLE_MISTAKES)],
)
def test_plausible_mistakes_get_a_specific_message(question, make_answer, fragment):
    feedback = question.evaluate(make_answer())
    assert feedback.status == "failed"
    assert fragment in feedback.message


@pytest.mark.parametrize("question", ch01.QUESTIONS, ids=lambda q: q.name)
def test_each_question_has_two_mistakes_with_different_messages(question):
    messages = {question.evaluate(make()).message for q, make, _ in PLAUSIBLE_MISTAKES if q is question}
    assert len(messages) >= 2


@pytest.mark.parametrize("question", ch01.QUESTIONS, ids=lambda q: q.name)
@pytest.mark.parametrize("bad", BAD_INPUT, ids=["None", "str", "nan", "list", "dict"])
def test_bad_input_gets_a_clear_sentence(question, bad):
    feedback = question.evaluate(bad)
    assert feedback.status == "failed"
    assert feedback.message.endswith((".", "?", ")")) and "Traceback" not in feedback.message
    assert "could not be checked" not in feedback.message  # a specific message, not the fallback


def _renderings(value):
    """The ways an expected value could appear in a message."""
    if isinstance(value, (int, float, np.floating)):
        value = float(value)
        shown = {repr(value), f"{value:,.0f}", f"{value:.0f}", f"{value:,.2f}", f"{value:.2f}", f"{value:.1%}",
                 f"{value:.0%}", f"{value:g}"}
        return {s for s in shown if len(s.strip("0.,%")) >= 1}
    if isinstance(value, dict):
        return {label for labels in value.values() for label in labels} - {""}
    return set()


def _all_messages(question):
    answers = [make() for q, make, _ in PLAUSIBLE_MISTAKES if q is question] + BAD_INPUT + [...]
    return [question.evaluate(answer).message for answer in answers]


@pytest.mark.parametrize("question", [Q1, Q2, Q3, Q4], ids=lambda q: q.name)
def test_no_message_contains_the_expected_value(question):
    for text in _all_messages(question):
        for shown in _renderings(reference(question)):
            assert not re.search(rf"(?<![\w.]){re.escape(shown)}(?![\w]|\.\d)", text), (shown, text)


def test_no_message_of_the_function_question_names_an_expected_result():
    names = {o.name for o in ch01.CLINIC_OPTIONS}
    for text in _all_messages(Q5):
        assert not any(name in text for name in names), text


def test_every_question_has_a_hint_that_does_not_give_the_answer(capsys):
    for question in ch01.QUESTIONS:
        question.hint()
        hint = capsys.readouterr().out
        assert hint.startswith(f"Hint for {question.name}:") and len(hint) > 40
        if question in (Q1, Q2, Q3):  # (Q4's labels are public names; Q5's answer is a function)
            for shown in _renderings(reference(question)):
                assert not re.search(rf"(?<![\w.]){re.escape(shown)}(?![\w]|\.\d)", hint), (shown, hint)


def test_homework_variants_differ_from_the_chapter():
    # Answers can't be read off the chapter's outputs: other seeds and other costs.
    assert ch01.CHURN_SEED != 0 and ch01.SPAM_STREAM["seed"] != 0
    assert ch01.SPAM_STREAM["drift_deg"] != 8.0
