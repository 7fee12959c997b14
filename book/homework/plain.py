"""Answers taken out of a learner's kernel as plain data, for the grader to re-check.

A check that runs in the learner's kernel can be made to lie: the learner's own code
runs there too (a replaced ``q1.check``, a forged record, an object that equals
everything). So the grader (:mod:`book.grade`) does not trust the records the checks
leave. Right after each cell that checks a question, it runs a cell of its own that
takes the answer, the expression passed to ``qN.check(...)``, out of the kernel as plain
JSON data (:data:`KERNEL_CODE`); for a function question, the function's results on the
grader's own inputs; for a model question, the model's outputs on the grader's own rows
(:class:`book.homework.checks.Model`). The grader then rebuilds the answer in its own
process
(:func:`decode`) and checks it there, with its own copy of the questions.

Plain data means: ``None``, booleans, integers, floats, text, and lists, tuples, sets
and dicts of them; numpy scalars and arrays become numbers and lists. Subclasses become
their base type (a ``str`` that claims to equal everything becomes an ordinary
``str``).
Anything else cannot be taken out, and the question fails with a message that says so.
"""

from __future__ import annotations

#: Key, in the metadata of the grader's own cells' outputs, of the answer taken out.
ANSWER_KEY = "book.grade/answer"

#: Defines ``__book_grade_take__`` in the learner's kernel (run first, before any cell
#: of the notebook). It uses only the standard library, imported under private names.
KERNEL_CODE = r"""
def __book_grade_take__(question, expression, inputs=None, model=None):
    import json as _json
    import math as _math
    import numbers as _numbers
    from IPython import get_ipython as _get_ipython
    from IPython.display import display as _display

    def plain(value, depth=0):
        if depth > 20:
            raise ValueError("it is nested too deeply")
        if value is None or value is Ellipsis:
            return {"__ellipsis__": True} if value is Ellipsis else None
        if isinstance(value, bool):
            return bool(value)
        module = type(value).__module__.split(".")[0]
        if module == "numpy" and hasattr(value, "tolist"):
            return plain(value.tolist(), depth + 1)
        if module == "pandas" and hasattr(value, "to_numpy"):
            return plain(value.to_numpy().tolist(), depth + 1)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, _numbers.Real):
            value = float(value)
            return value if _math.isfinite(value) else {"__float__": repr(value)}
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, (list, tuple)):
            kind = "__list__" if isinstance(value, list) else "__tuple__"
            return {kind: [plain(v, depth + 1) for v in value]}
        if isinstance(value, (set, frozenset)):
            return {"__set__": [plain(v, depth + 1) for v in value]}
        if isinstance(value, dict):
            return {"__dict__": [[plain(k, depth + 1), plain(v, depth + 1)]
                                 for k, v in value.items()]}
        raise TypeError("it is " + type(value).__name__)

    try:
        value = eval(expression, _get_ipython().user_ns)
        if model is not None:
            method = getattr(value, model["method"], None)
            if not callable(method):
                answer = {"__model__": {"type": type(value).__name__}}
            else:
                from book.homework.checks import rows_for as _rows_for
                try:
                    outputs = method(_rows_for(inputs, model["columns"]))
                    answer = {"__model__": {"outputs": plain(outputs)}}
                except Exception as error:
                    answer = {"__model__": {"error": [type(error).__name__,
                                                      str(error)[:300]]}}
        elif inputs is not None and callable(value):
            results = []
            for argument in inputs:
                try:
                    result = value(argument)
                except Exception as error:
                    results.append({"error": [type(error).__name__, str(error)[:300]]})
                    continue
                try:
                    results.append({"value": plain(result)})
                except Exception as error:
                    kind = type(result).__name__
                    results.append({"unplain": [kind, str(error)[:300]]})
            answer = {"__function__": results}
        else:
            answer = plain(value)
    except Exception as error:
        answer = {"__unplain__": [type(error).__name__, str(error)[:300]]}
    _display({"text/plain": ""}, raw=True,
             metadata={"book.grade/answer": {"question": question,
                                              "answer": _json.dumps(answer)}})


# In builtins, so that a learner's `del` or `%reset` does not stop the grader's cells.
import builtins as _builtins

_builtins.__book_grade_take__ = __book_grade_take__
del __book_grade_take__, _builtins
"""


def capture_code(question, expression, inputs=None, model=None):
    """The grader's cell that takes ``expression`` (the text inside ``qN.check(...)``)
    out of the kernel, right after the learner's check cell. The expression travels as
    text and is evaluated inside the grader's function, so that an expression the
    function cannot evaluate is reported, not a failure of the grader's cell.

    ``inputs`` are a function question's arguments, or a model question's rows;
    ``model`` is ``{"method": ..., "columns": [...]}`` for a model question."""
    arguments = f"{question!r}, {expression!r}"
    if inputs is not None:
        arguments += f", {[_plain_input(v) for v in inputs]!r}"
    if model is not None:
        arguments += f", model={model!r}"
    return f"__book_grade_take__({arguments})"


def _plain_input(value):
    """An input of a function question, or a row of a model question, as a plain Python
    literal (numpy scalars too)."""
    if isinstance(value, (tuple, list)):
        return type(value)(_plain_input(v) for v in value)
    return value.item() if hasattr(value, "item") else value


class Unplain(Exception):
    """The answer could not be taken out of the kernel as plain data."""


def _raiser(kind, message):
    error = type(kind, (Exception,), {})
    return error(message)


def decode(text, inputs=None, method="predict"):
    """The answer rebuilt from the JSON the kernel sent: numbers, text, containers; for
    a function question a stand-in that gives the learner's results on ``inputs``; for a
    model question a stand-in whose ``method`` gives the model's outputs on its rows.

    Raises :class:`Unplain` when the kernel could not convert the answer.
    """
    import json

    value = json.loads(text)
    if isinstance(value, dict) and "__model__" in value:
        return _stand_in_model(value["__model__"], method)
    return _decode(value, inputs)


def _stand_in_model(taken, method):
    """A model that answers the grader's rows as the learner's model did."""
    if (
        "type" in taken
    ):  # it had no such method: a stand-in of its type name, without it
        kind = taken["type"]
        return type(kind, (), {"__repr__": lambda self: f"<{kind}>"})()

    def outputs(self, rows):
        if "error" in taken:
            raise _raiser(*taken["error"])
        return _decode(taken["outputs"], None)

    return type("LearnerModel", (), {method: outputs})()


def _decode(value, inputs):
    if not isinstance(value, dict):
        return value
    if "__ellipsis__" in value:
        return Ellipsis
    if "__float__" in value:
        return float(value["__float__"])
    if "__list__" in value:
        return [_decode(v, None) for v in value["__list__"]]
    if "__tuple__" in value:
        return tuple(_decode(v, None) for v in value["__tuple__"])
    if "__set__" in value:
        return {_hashable(_decode(v, None)) for v in value["__set__"]}
    if "__dict__" in value:
        return {
            _hashable(_decode(k, None)): _decode(v, None) for k, v in value["__dict__"]
        }
    if "__unplain__" in value:
        kind, message = value["__unplain__"]
        raise Unplain(f"{kind}: {message}")
    if "__function__" in value:
        return _stand_in(value["__function__"], inputs or [])
    raise Unplain("an answer the grader does not recognise")


def _hashable(value):
    """A value that can be a set member or a dict key again: lists become tuples and
    sets frozensets."""
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, set):
        return frozenset(value)
    return value


def _stand_in(results, inputs):
    """A function that answers the grader's inputs as the learner's function did."""
    table = dict(zip(inputs, results))

    def learner_function(argument):
        result = table[argument]
        if "error" in result:
            raise _raiser(*result["error"])
        if "unplain" in result:
            # What the function returned could not leave the kernel: a stand-in of the
            # same type name, so that the checker's message names it.
            kind, _ = result["unplain"]
            return type(kind, (), {"__repr__": lambda self: f"<{kind}>"})()
        return _decode(result["value"], None)

    return learner_function
