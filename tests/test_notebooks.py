"""Every notebook of the book executes from top to bottom, and leaves nothing behind."""

from __future__ import annotations

import re

import pytest

from book.homework import read_records
from conftest import NOTEBOOK_DIRS, ROOT, run_notebook


def _files_in(folder):
    return {p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_notebook_runs(notebook):
    before = _files_in(notebook.parent)
    result = run_notebook(notebook)
    if result.error is not None:
        cell = result.error.failing_cell_index
        trace = re.sub(r"\x1b\[[0-9;]*m", "", result.error.trace)  # no terminal colours in logs
        pytest.fail(f"{notebook.relative_to(ROOT)}: cell {cell} failed\n{trace}", pytrace=False)
    left_behind = _files_in(notebook.parent) - before
    assert not left_behind, f"executing {notebook.name} left files behind: {sorted(map(str, left_behind))}"
    _check_homework_outcome(notebook, result.nb)


def _check_homework_outcome(source, executed):
    """A solution passes every check it runs; a learner copy runs every check, each 'not attempted'."""
    relative = source.relative_to(ROOT).parts
    if relative[0] != "exercises":
        return
    statuses = {record["question"]: record["status"] for _, record in read_records(executed)}
    assert statuses, f"{source.name}: no homework check ran"
    expected = "passed" if "solutions" in relative else "not attempted"
    wrong = {q: s for q, s in statuses.items() if s != expected}
    assert not wrong, f"{'/'.join(relative)}: every check should be {expected!r}, got {wrong}"


def test_there_are_notebooks_to_run():
    from conftest import book_notebooks

    names = {p.relative_to(ROOT).as_posix() for p in book_notebooks()}
    assert "chapters/01_does_it_need_ml.md" in names


def test_no_ipynb_next_to_sources():
    # Sources are jupytext .md only; a sibling .ipynb would shadow the source in the book build.
    stray = [p for folder in NOTEBOOK_DIRS for p in (ROOT / folder).rglob("*.ipynb")]
    assert not stray, f"remove these generated notebooks: {stray}"
