"""book.homework: checkers say what is wrong, never what is right, and never raise."""

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from book import records
from book.homework import (
    RECORD_KEY, Array, Function, KnownMistakes, Number, Question, Sequence, SetsByKey, Verdict, read_records,
)
from book.homework.checks import Model
from book.homework.question import Hint


def message(checker, answer, expected):
    verdict = checker(answer, expected)
    assert verdict.ok is False, f"{answer!r} should fail"
    return verdict.message


@pytest.mark.parametrize("answer", [3.0, 3, np.float64(3.0), np.array([3.0]), [3.0], pd.Series([3.0])])
def test_number_accepts_any_single_number(answer):
    assert Number()(answer, 3.0).ok


@pytest.mark.parametrize(
    "answer, fragment",
    [
        (None, "is None"),
        ("3", "is text"),
        (True, "yes/no"),
        (np.nan, "NaN"),
        (math.inf, "infinite"),
        ([1.0, 2.0], "2 values"),
        (np.zeros((2, 2)), "shape (2, 2)"),
        (1 + 2j, "complex"),
        ({"a": 1}, "a dict"),
        (-0.25, "wrong sign"),
        (25.0, "100 times too large"),
        (0.0025, "100 times too small"),
        (0.26, "Close, but outside the tolerance"),
        (0.9, "Not correct yet"),
    ],
)
def test_number_diagnoses(answer, fragment):
    assert fragment in message(Number(rtol=0.01), answer, 0.25)


def test_number_integer_and_fraction_diagnoses():
    assert "whole number" in message(Number(integer=True), 6.5, 7)
    assert "Off by one" in message(Number(integer=True), 8, 7)
    assert Number(integer=True)(7.0, 7).ok
    assert "between 0 and 1" in message(Number(fraction=True, atol=0.01), 3.0, 0.45)


# Expected values of different sizes: a float, a product of two counts, a small share, an int.
EXPECTED_VALUES = [13.7, 540 * 1800, 0.0123, 42]
GIB_PER_GB = 2**30 / 1e9

# (answer / expected, a distinctive phrase of the message)
UNIT_SLIPS = [
    (2, "about two times too large: check the number of bytes per value"),  # fp16 instead of int8
    (1 / 2, "about two times too small: check the number of bytes per value"),
    (4, "about four times too large: check the number of bytes per value"),  # fp32 instead of int8
    (1 / 4, "about four times too small"),
    (8, "bits against bytes"),
    (1 / 8, "about eight times too small"),
    (1_000, "about 1,000 times too large: check the units"),  # bytes, thousands
    (1 / 1_000, "about 1,000 times too small: check the units"),
    (1_024, "about 1,024 times too large: check the units"),  # KiB
    (1 / 1_024, "about 1,024 times too small"),
    (60, "about sixty times too large: check the time units"),  # minutes
    (1 / 60, "about sixty times too small: check the time units"),
    (3_600, "about 3,600 times too large: check the time units"),  # hours
    (1 / 3_600, "about 3,600 times too small"),
    (GIB_PER_GB, "where the question asks for GiB (2**30 bytes)"),  # GB instead of GiB
    (1 / GIB_PER_GB, "where the question asks for GB (10**9 bytes)"),
    (100, "100 times too large"),  # a percentage
    (1 / 100, "100 times too small"),
    (-1, "wrong sign"),
]


def renderings(value):
    """The ways an expected value could be written in a message, rounded forms included."""
    shown = {str(value), f"{value:g}", f"{value:,}", f"{value:,.0f}", f"{value:.0f}", f"{value:.1f}",
             f"{value:.2f}", f"{value:.3g}", f"{value:.2g}", str(round(value)), str(round(value, 1))}
    return {s for s in shown if s.strip("0.,")}  # "0", "0.0": not a rendering of 0.0123


def assert_does_not_show(text, value):
    for shown in renderings(value):
        assert not re.search(rf"(?<![\w.]){re.escape(shown)}(?![\w]|\.\d)", text), (shown, text)


@pytest.mark.parametrize("expected", EXPECTED_VALUES)
@pytest.mark.parametrize("ratio, fragment", UNIT_SLIPS, ids=[f"x{r:.4g}" for r, _ in UNIT_SLIPS])
def test_number_names_the_kind_of_a_unit_slip_never_the_value(ratio, fragment, expected):
    text = message(Number(rtol=0.01), ratio * expected, expected)
    assert fragment in text
    assert_does_not_show(text, expected)


@pytest.mark.parametrize("expected", EXPECTED_VALUES)
def test_number_recognises_a_slip_on_a_slightly_rounded_answer(expected):
    # Within 0.5 % of the factor: the learner rounded, then applied the wrong unit.
    assert "two times too large" in message(Number(rtol=0.001), 2 * 1.003 * expected, expected)
    assert "1,000 times too small" in message(Number(rtol=0.001), expected / 1_000 * 0.997, expected)


@pytest.mark.parametrize("expected", EXPECTED_VALUES)
@pytest.mark.parametrize("off", [1.03, 0.97])
def test_number_calls_an_answer_3_percent_off_close_not_a_unit_slip(expected, off):
    text = message(Number(rtol=0.01), off * expected, expected)
    assert text.startswith("Close, but outside the tolerance")
    for word in ("times too", "GiB", "bytes", "divided", "Off by one", "Correct"):
        assert word not in text


@pytest.mark.parametrize("expected", EXPECTED_VALUES)
def test_number_factor_windows_are_tight(expected):
    # 5 % away from a factor is not that factor.
    for ratio in (2.1, 1 / 2.1, 63, 1_050, GIB_PER_GB * 1.03):
        text = message(Number(rtol=0.01), ratio * expected, expected)
        assert "times too" not in text and "GiB" not in text, (ratio, text)


@pytest.mark.parametrize("expected", EXPECTED_VALUES)
def test_number_passes_an_exact_answer(expected):
    assert Number()(expected, expected).ok and Number(rtol=0.01)(float(expected), expected).ok


def test_number_reports_gb_against_gib_only_outside_the_questions_tolerance():
    assert Number(rtol=0.1)(13.7 * GIB_PER_GB, 13.7).ok
    assert "GiB" in message(Number(rtol=0.01, what="a memory size in GiB"), 13.7 * GIB_PER_GB, 13.7)


@pytest.mark.parametrize("expected", EXPECTED_VALUES)
def test_number_recognises_a_reciprocal(expected):
    text = message(Number(rtol=0.01), 1 / expected, expected)
    assert "divided where you should multiply, or the other way round" in text
    assert_does_not_show(text, expected)


def test_number_does_not_call_a_reciprocal_near_one_a_division():
    assert "Close, but outside" in message(Number(rtol=0.01), 1 / 1.05, 1.05)
    assert "divided" not in message(Number(rtol=0.01), 1 / 0.9, 0.9)


def test_number_off_by_one_only_for_whole_expected_values():
    assert "Off by one" in message(Number(), 43, 42) and "Off by one" in message(Number(), 41.0, 42)
    assert "Off by one" in message(Number(), 540 * 1800 + 1, 540 * 1800)
    assert "Off by one" in message(Number(integer=True), 8, 7)
    assert "Off by one" not in message(Number(), 14.7, 13.7)  # not a whole number
    assert "Off by one" not in message(Number(), 44, 42)  # off by two
    assert "Off by one" not in message(Number(fraction=True, atol=0.01), 1.0, 0.0)  # a share


def test_a_share_gets_no_unit_slip_message():
    text = message(Number(fraction=True, atol=0.01), 0.9, 0.45)
    assert "bytes" not in text and "times too" not in text


@pytest.mark.parametrize("expected", EXPECTED_VALUES)
def test_no_number_message_contains_the_expected_value(expected):
    answers = [ratio * expected for ratio, _ in UNIT_SLIPS] + [
        1 / expected, expected + 1, expected - 1, 1.03 * expected, 0.97 * expected, 2.1 * expected,
        7 * expected, 0, None, "13.7", True, math.nan, math.inf, [1.0, 2.0], 1 + 2j]
    for checker in (Number(), Number(rtol=0.01), Number(rtol=0.005, integer=True), Number(atol=0.002)):
        for answer in answers:
            verdict = checker(answer, expected)
            if verdict.ok is False:
                assert_does_not_show(verdict.message, expected)


class Option:
    """A stand-in for a learner's object, of a class whose name starts with a vowel."""


def test_messages_use_an_before_a_vowel():
    assert "Your answer is an Option;" in message(Number(), Option(), 3.0)
    assert "Your answer is an int;" in message(Sequence(), 5, [1, 2, 3])
    assert "Your answer is a float;" in message(Sequence(), 5.0, [1, 2, 3])
    assert "Your answer is a dict;" in message(Number(), {"a": 1}, 3.0)
    checker = Function(inputs=(1,), returns=str, what="the name of an option")
    assert "returned an Option for the input 1" in message(checker, lambda x: Option(), str)


@pytest.mark.parametrize(
    "answer, fragment",
    [
        (None, "is None"),
        ("1, 2, 3", "a str"),
        (5, "an int"),
        ([1, 2], "2 items"),
        ([3, 1, 2], "not in increasing order"),
        ([2, 3, 4], "off by one"),
        ([1, 2, 9], "1 of the 3 items"),
        ([1, "b", 3], "not a number"),
        ([1, np.nan, 3], "NaN"),
        (np.ones((3, 1)), "shape (3, 1)"),
    ],
)
def test_sequence_diagnoses(answer, fragment):
    assert fragment in message(Sequence(), answer, [1, 2, 3])


def test_sequence_accepts_lists_tuples_arrays_and_labels():
    assert Sequence()((1, 2, 3), [1, 2, 3]).ok and Sequence()(np.array([1, 2, 3]), [1, 2, 3]).ok
    assert Sequence()(["a", "b"], ["a", "b"]).ok
    assert "not in increasing order" in message(Sequence(), ["b", "a"], ["a", "b"])


@pytest.mark.parametrize(
    "answer, fragment",
    [
        (None, "is None"),
        ("abc", "a str"),
        (np.ones(3), "shape (3,)"),
        (np.array([[1.0, np.nan], [1.0, 1.0]]), "NaN"),
        (-np.array([[1.0, 2.0], [3.0, 4.0]]), "wrong sign"),
        (100 * np.array([[1.0, 2.0], [3.0, 4.0]]), "100 times too large"),
        (np.array([[1.0, 2.0], [3.0, 5.0]]), "1 of the 4 values"),
        ([["a", "b"], ["c", "d"]], "can't be read as numbers"),
    ],
)
def test_array_diagnoses(answer, fragment):
    assert fragment in message(Array(), answer, [[1.0, 2.0], [3.0, 4.0]])


def test_sets_by_key():
    checker = SetsByKey(vocabulary=("a", "b", "c"))
    expected = {"x": {"a"}, "y": set()}
    assert checker({"x": ["a"], "y": []}, expected).ok
    assert "is None" in message(checker, None, expected)
    assert "a list" in message(checker, [("x", "a")], expected)
    assert "missing 'y'" in message(checker, {"x": {"a"}}, expected)
    assert "unexpected 'z'" in message(checker, {"x": {"a"}, "y": set(), "z": set()}, expected)
    assert "not among the allowed labels" in message(checker, {"x": {"A"}, "y": set()}, expected)
    assert "give a set" in message(checker, {"x": "a", "y": set()}, expected)
    assert "'x': 1 missing, 1 that should not be there" in message(checker, {"x": {"b"}, "y": set()}, expected)


def test_function():
    checker = Function(inputs=(1, 2, 3), returns=int, what="an int")
    reference = lambda x: 2 * x  # noqa: E731
    assert checker(lambda x: x + x, reference).ok
    assert "is None" in message(checker, None, reference)
    assert "without calling it" in message(checker, 4, reference)
    assert "raised ZeroDivisionError for the input 1" in message(checker, lambda x: x / 0, reference)
    assert "returned None" in message(checker, lambda x: None, reference)
    assert "should return an int" in message(checker, lambda x: "2", reference)
    assert "wrong for 2 of 3 inputs, for example 2" in message(checker, lambda x: 2, reference)
    assert checker(lambda x: ..., reference).ok is None  # the learner's stub: not attempted


def test_question_statuses_and_records(capsys):
    question = Question("q9", Number(), lambda: 42.0, "think of the answer")
    assert question.evaluate(42).status == "passed"
    assert question.evaluate(41).status == "failed"
    assert question.evaluate(...).status == "not attempted"
    assert question.evaluate(None).status == "failed"
    bundle, metadata = question.evaluate(...)._repr_mimebundle_()
    assert metadata[RECORD_KEY] == {"question": "q9", "status": "not attempted", "message": metadata[RECORD_KEY]["message"]}
    assert "not attempted yet" in bundle["text/plain"] and "not attempted yet" in bundle["text/html"]
    question.check(42)  # outside IPython it prints
    question.hint()
    printed = capsys.readouterr().out
    assert "q9 ✓ passed" in printed and "Hint for q9: think of the answer" in printed


def test_a_checker_that_breaks_gives_a_message_not_a_traceback():
    def fragile(answer, expected):
        raise KeyError("boom")

    feedback = Question("q9", fragile, lambda: 1, "").evaluate(1)
    assert feedback.status == "failed" and "could not be checked" in feedback.message


def test_read_records_finds_checks_in_outputs():
    import nbformat

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("q1.check(x)")
    cell.outputs = [nbformat.v4.new_output(
        "display_data", data={"text/plain": "q1 ✓ passed"},
        metadata={RECORD_KEY: {"question": "q1", "status": "passed", "message": "Correct."}})]
    notebook.cells = [nbformat.v4.new_markdown_cell("# title"), cell]
    assert read_records(notebook) == [(1, {"question": "q1", "status": "passed", "message": "Correct."})]


def test_known_mistakes_name_the_mistake_and_pass_the_rest_to_number():
    calls = []

    def mistakes():
        calls.append(1)
        return ((20.0, "You forgot the batch."), (11.0, "That is in GB."))

    check = KnownMistakes(Number(rtol=0.01, what="a size in GiB"), mistakes)
    assert check(10.0, 10.0).ok
    assert not calls, "the mistakes are computed only when an answer fails"
    assert check(20.1, 10.0) == check(19.9, 10.0) == Verdict(False, "You forgot the batch.")
    assert message(check, 11.05, 10.0) == "That is in GB."
    assert message(check, -10.0, 10.0) == message(Number(rtol=0.01, what="a size in GiB"), -10.0, 10.0)
    assert "a size in GiB" in message(check, "ten", 10.0)
    assert message(check, True, 10.0) == message(Number(rtol=0.01, what="a size in GiB"), True, 10.0)


def test_feedback_boxes_have_classes_and_an_inline_fallback_for_any_theme():
    """Each box has its classes (styled by _static/feedback.css on the site) and an inline style
    that reads on light and dark backgrounds (JupyterLab): a translucent tint, no text colour."""
    question = Question("q9", Number(), lambda: 42.0, "think <twice>")
    bodies = {status: question.evaluate(answer)._repr_mimebundle_()[0]["text/html"]
              for status, answer in [("passed", 42), ("failed", 41), ("not-attempted", ...)]}
    bodies["hint"] = Hint("q9", "think <twice>")._repr_mimebundle_()["text/html"]
    for kind, body in bodies.items():
        assert body.startswith(f'<div class="book-feedback book-feedback-{kind}" style="'), body
        style = re.search(r'style="([^"]*)"', body).group(1)
        assert re.search(r"background:rgba\(\d+,\d+,\d+,0\.1\)", style), f"{kind}: an opaque background"
        assert "color:" not in style.replace("background", ""), f"{kind}: the text colour is the theme's"
    assert "think &lt;twice&gt;" in bodies["hint"]
    with pytest.raises(ValueError, match="unknown kind"):
        records.box_html("shiny", "text")


def test_the_site_styles_every_kind_of_box_in_dark_mode():
    css = (Path(__file__).parents[1] / "_static" / "feedback.css").read_text(encoding="utf-8")
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for kind in records.BOX_ACCENTS:
        assert re.search(rf"^\.{records.BOX_CLASS}-{kind} \{{", rules, re.M), f"no light rule for {kind}"
        assert re.search(rf'^html\[data-theme="dark"\] \.{records.BOX_CLASS}-{kind} \{{', rules, re.M), (
            f"no dark-mode rule for {kind}")
    assert "!important" in rules, "the classes must win over the inline fallback on the site"


def _fitted(X, y, **settings):
    from sklearn.tree import DecisionTreeClassifier

    return DecisionTreeClassifier(random_state=0, **settings).fit(X, y)


MODEL_ROWS = tuple((float(a), float(b)) for a in range(4) for b in range(4))


def _training_data():
    X = np.array(MODEL_ROWS)
    return X, (X[:, 0] > X[:, 1]).astype(int)


def test_a_model_is_checked_by_its_outputs_on_the_graders_rows():
    X, y = _training_data()
    reference = tuple(_fitted(X, y).predict(X).tolist())
    checker = Model(inputs=MODEL_ROWS)
    assert checker(_fitted(X, y), reference).ok
    # fitted on other labels: most outputs differ, and the message says how many match
    text = message(checker, _fitted(X, 1 - y), reference)
    assert "match the expected ones on 0% of the grader's 16 rows" in text
    # a stump agrees on part of the rows only
    text = message(checker, _fitted(X, y, max_depth=1), reference)
    assert re.search(r"on \d+% of the grader's 16 rows; it should be at least 100%", text)
    assert str(reference) not in text


def test_a_model_that_is_not_fitted_or_not_a_model_gets_a_clear_message():
    from sklearn.tree import DecisionTreeClassifier

    checker = Model(inputs=MODEL_ROWS)
    assert "Has it been fitted" in message(checker, DecisionTreeClassifier(), (0,) * 16)
    assert "with no `predict` method" in message(checker, [0] * 16, (0,) * 16)
    assert "None" in message(checker, None, (0,) * 16)
    assert "gave 3 outputs for 16 rows" in message(
        checker, type("Short", (), {"predict": lambda self, rows: [0, 1, 0]})(), (0,) * 16)


def test_a_model_fitted_on_named_columns_gets_rows_with_those_names():
    X, y = _training_data()
    frame = pd.DataFrame(X, columns=["hours", "tickets"])
    model = _fitted(frame, y)
    checker = Model(inputs=MODEL_ROWS, columns=("hours", "tickets"))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "X does not have valid feature names"
        assert checker(model, tuple(model.predict(frame).tolist())).ok
