"""The examples in book/'s docstrings run, and every helper a notebook calls has one.

A learner who meets ``economics.break_even_volume(...)`` in a chapter can read
``help(economics.break_even_volume)`` and find a short example that works: the examples
are run here as doctests, so they stay true."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re

import jupytext
import pytest

import book
from conftest import book_notebooks

MODULES = sorted(
    info.name.removeprefix("book.") for info in pkgutil.walk_packages(book.__path__, "book.")
    if not info.name.split(".")[-1].startswith("sphinx_") and not info.name.startswith("book.homework")
) + ["homework", "homework.checks", "homework.question"]
#: Helpers a notebook calls that need no example, with the reason.
NO_EXAMPLE = {
    "book.plots.finish": "draws on a figure: every chapter figure shows it",
    "book.plots.log_axis": "draws on a figure: every chapter figure shows it",
    "book.plots.use_style": "sets matplotlib's style; nothing to show in text",
}


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_the_docstrings_run(name):
    module = importlib.import_module(f"book.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} example(s) of book.{name} fail: run python -m doctest -v"


def _helpers_called_by_notebooks():
    """``{"book.module.name": notebooks}`` for every book function or class a notebook calls
    (``module.name(`` after ``from book import module``, or a name imported from book)."""
    called = {}
    for path in book_notebooks():
        code = "\n".join(c.source for c in jupytext.read(path).cells if c.cell_type == "code")
        modules = {name.strip() for group in re.findall(r"^from book import ([\w, ]+)$", code, re.M)
                   for name in group.split(",")}
        for module in modules:
            for attribute in re.findall(rf"(?<![\w.]){module}\.(\w+)\s*\(", code):
                called.setdefault(f"book.{module}.{attribute}", set()).add(path.name)
        for module, names in re.findall(r"^from book\.(\w+) import ([\w, ]+)$", code, re.M):
            for name in names.split(","):
                called.setdefault(f"book.{module}.{name.strip()}", set()).add(path.name)
    return called


def test_every_helper_a_notebook_calls_has_an_example():
    missing = []
    for qualified, where in sorted(_helpers_called_by_notebooks().items()):
        module, _, name = qualified.rpartition(".")
        value = getattr(importlib.import_module(module), name, None)
        if not (inspect.isfunction(value) or inspect.isclass(value)) or qualified in NO_EXAMPLE:
            continue
        if ">>>" not in (inspect.getdoc(value) or ""):
            missing.append(f"{qualified} (called in {', '.join(sorted(where))})")
    assert not missing, ("give these helpers a short 'Examples' section in their docstring (run as "
                         "doctests), or a reason in NO_EXAMPLE:\n" + "\n".join(missing))
