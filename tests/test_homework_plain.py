"""book.homework.plain: answers leave the learner's kernel as plain data and come back
as ordinary values (no subclass, no behaviour), or fail with a reason."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from book.homework import plain


@pytest.fixture
def take(monkeypatch):
    """Run the kernel's code here (with a stand-in for the kernel's namespace), and
    return what it would have displayed."""
    import builtins

    import IPython
    import IPython.display

    shown, user_ns = [], {}
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append(k["metadata"]))
    monkeypatch.setattr(IPython, "get_ipython", lambda: SimpleNamespace(user_ns=user_ns))
    exec(plain.KERNEL_CODE, {})
    take_out = builtins.__book_grade_take__
    monkeypatch.delattr(builtins, "__book_grade_take__")  # undone after the test, too

    def taken(value, inputs=None, expression="answer"):
        user_ns["answer"] = value
        take_out("q1", expression, inputs)
        record = shown.pop()[plain.ANSWER_KEY]
        assert record["question"] == "q1"
        return record["answer"]

    return taken


class Anything(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


@pytest.mark.parametrize("value, back", [
    (3, 3), (2.5, 2.5), (np.float64(1.5), 1.5), (np.int64(7), 7), ("text", "text"), (True, True),
    (None, None), (Ellipsis, Ellipsis), ([1, (2, 3)], [1, (2, 3)]), ({"a": {1, 2}}, {"a": {1, 2}}),
    (np.array([1, 2]), [1, 2]), (float("nan"), "nan"), (pd.Series([0.25]), [0.25]),
    ({frozenset({1}), frozenset({2, 3})}, {frozenset({1}), frozenset({2, 3})}),
])
def test_plain_values_come_back_as_they_were(take, value, back):
    result = plain.decode(take(value))
    if back == "nan":
        assert np.isnan(result)
    else:
        assert result == back and type(result) is type(back)


def test_a_str_that_equals_everything_comes_back_as_a_plain_str(take):
    result = plain.decode(take(Anything("nobody")))
    assert type(result) is str and result != "nurse"


def test_an_object_that_is_not_plain_data_cannot_be_taken_out(take):
    with pytest.raises(plain.Unplain, match="object"):
        plain.decode(take(object()))


def test_a_function_comes_back_as_its_results_on_the_graders_inputs(take):
    def learner(volume):
        if volume == 3:
            raise KeyError("three")
        return "big" if volume > 10 else "small"

    inputs = [1, 3, 20]
    stand_in = plain.decode(take(learner, inputs), inputs)
    assert stand_in(1) == "small" and stand_in(20) == "big"
    with pytest.raises(Exception) as raised:
        stand_in(3)
    assert type(raised.value).__name__ == "KeyError" and "three" in str(raised.value)


def test_the_capture_cell_passes_the_expression_and_the_inputs():
    code = plain.capture_code("q5", "cheapest", (500, np.int64(60_608)))
    assert code == "__book_grade_take__('q5', 'cheapest', [500, 60608])"


def test_an_expression_that_cannot_be_evaluated_is_reported_not_raised(take):
    with pytest.raises(plain.Unplain, match="SyntaxError"):
        plain.decode(take(1, expression="await f()"))
    with pytest.raises(plain.Unplain, match="NameError"):
        plain.decode(take(1, expression="no_such_name"))


def test_a_function_result_that_is_not_plain_keeps_its_type_name(take):
    stand_in = plain.decode(take(lambda volume: b"bytes", [1]), [1])
    assert type(stand_in(1)).__name__ == "bytes"
