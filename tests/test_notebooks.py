"""Every notebook of the book runs from top to bottom, offline, without stray warnings,
gives the same outputs twice (once from its own folder, as Jupyter starts it, and once
from the repository root; a homework's learner copy once, its solution twice), and leaves
nothing behind.

The second run is the determinism check. CI makes it on the first chapter and the first
homework's solutions, whose code paths (seeded data, glued values, figures, checks) every
notebook shares; the weekly canary and ``make test-full`` (``BOOK_FULL_TESTS=1``) make it
on every notebook. Each notebook's claims also hold at 20 seeds in the seed sweep."""

from __future__ import annotations

import re

import pytest

from book.claims import read_claims
from book.homework import read_records
from conftest import FULL_TESTS, NOTEBOOK_DIRS, REPRESENTATIVES, ROOT, book_notebooks, run_notebook
from notebook_checks import first_difference, intentional_warnings_without_metadata, prose_problems, stderr_outputs

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _files_in(folder):
    return {p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def execute_cleanly(notebook, cwd=None):
    """Run the notebook; fail the test with the cell and traceback if it raises or warns."""
    result = run_notebook(notebook, cwd=cwd)
    name = notebook.relative_to(ROOT)
    if result.error is not None:
        where = f" (run from {cwd})" if cwd else ""
        pytest.fail(f"{name}: cell {result.error.failing_cell_index} failed{where}\n"
                    f"{ANSI.sub('', result.error.trace)}", pytrace=False)
    for cell, text in stderr_outputs(result.nb):
        pytest.fail(f"{name}: cell {cell} wrote to stderr (a warning?). Fix its cause, or tag the cell "
                    f"'intentional-warning' if it is there to teach:\n{result.nb.cells[cell].source}\n---\n{text}",
                    pytrace=False)
    return result.nb


def is_learner_copy(notebook):
    return notebook.parent == ROOT / "exercises"


def _top_level_files():
    return {p for p in ROOT.iterdir() if p.is_file()}


def test_notebook_runs(notebook):
    before = _files_in(notebook.parent)
    executed = execute_cleanly(notebook)
    left_behind = _files_in(notebook.parent) - before
    assert not left_behind, f"executing {notebook.name} left files behind: {sorted(map(str, left_behind))}"
    _check_homework_outcome(notebook, executed)
    _check_claims(notebook, executed)
    problems = prose_problems(executed)
    assert not problems, f"{notebook.relative_to(ROOT)}: " + "; ".join(problems)
    # Determinism: a second run in a fresh kernel gives the same text outputs and glued values.
    # It runs from the repository root, where a learner may start it too: nothing may
    # depend on the working directory. A homework's learner copy is its solution notebook
    # with the answers taken out (test_generate), so the solution's second run covers it.
    if is_learner_copy(notebook):
        return
    if not (FULL_TESTS or notebook.relative_to(ROOT).as_posix() in REPRESENTATIVES):
        return
    before = _top_level_files()
    again = execute_cleanly(notebook, cwd=ROOT)
    left_behind = _top_level_files() - before
    assert not left_behind, f"executing {notebook.name} from the root left files behind: {sorted(map(str, left_behind))}"
    difference = first_difference(executed, again)
    assert difference is None, f"{notebook.relative_to(ROOT)} (second run from the repository root): {difference}"


def test_intentional_warnings_are_shown_by_the_build(notebook):
    import jupytext

    cells = intentional_warnings_without_metadata(jupytext.read(notebook))
    assert not cells, (f"cells {cells} are tagged 'intentional-warning'; give them the metadata "
                       "`mystnb: {output_stderr: show}` so that the strict build shows their warning")


def _check_claims(source, executed):
    """At the published settings every claim was checked strictly, and held; a chapter checks some."""
    records = [record for _, record in read_claims(executed)]
    name = source.relative_to(ROOT).as_posix()
    changed = sorted({k for r in records for k in r["changed"]})
    assert not changed, (f"{name}: the notebook's parameters {changed} differ from the values it declares with "
                         "claims.published(...): update the declaration to the published value")
    assert all(r["held"] for r in records), f"{name}: claims that failed without stopping: {records}"
    if source.relative_to(ROOT).parts[0] == "chapters":
        assert len(records) >= 5, f"{name}: a chapter checks its claims with book.claims (found {len(records)})"


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


def test_the_representatives_exist():
    names = {p.relative_to(ROOT).as_posix() for p in book_notebooks()}
    assert set(REPRESENTATIVES) <= names, f"missing representatives: {set(REPRESENTATIVES) - names}"


def test_there_are_notebooks_to_run():
    names = {p.relative_to(ROOT).as_posix() for p in book_notebooks()}
    assert "chapters/01_does_it_need_ml.md" in names


def test_no_ipynb_next_to_sources():
    # Sources are jupytext .md only; a sibling .ipynb would shadow the source in the book build.
    stray = [p for folder in NOTEBOOK_DIRS for p in (ROOT / folder).rglob("*.ipynb")]
    assert not stray, f"remove these generated notebooks: {stray}"
