"""Run a notebook as a learner would after changing a parameter the prose invites them to change.

:func:`with_changes` rewrites the lines that define the parameters (``NAME = ...`` at
the start of a line in a code cell), as a learner would edit them, and
:func:`run_changed` executes the result from the notebook's own folder and returns
the executed notebook with its claim records. The invited-change tests
(``test_invited_changes.py``) and the seed sweep (``sweep.py``) both use it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from book.claims import read_claims
from book.homework import read_records
from conftest import run_notebook
from forked import definition_line


class ChangeNotApplied(ValueError):
    """The notebook has no line defining a parameter that a change names."""


def with_changes(text, changes):
    """The notebook's text with each ``NAME = ...`` line replaced by ``NAME = <value>``.

    Parameters
    ----------
    text : str
        A jupytext notebook.
    changes : dict
        ``{name: python source of the new value}``, e.g. ``{"DRIFT_DEG": "0.0"}``.
        The first line that assigns the name is replaced.
    """
    for name, value in changes.items():
        pattern = definition_line(name)
        if not pattern.search(text):
            raise ChangeNotApplied(f"no line `{name} = ...` to change")
        text = pattern.sub(lambda _: f"{name} = {value}  # changed", text, count=1)
    return text


def with_cell_after_imports(text, source):
    """The notebook's text with one more code cell right after its first code cell."""
    marker = "```{code-cell} ipython3\n"
    first = text.index(marker)
    end = text.index("\n```\n", first) + len("\n```\n")
    return f"{text[:end]}\n{marker}{source}\n```\n{text[end:]}"


def run_changed(notebook, changes=None, extra_cell=None, timeout=120):
    """Execute ``notebook`` with ``changes`` applied, from its own folder.

    Returns
    -------
    (result, claims, checks)
        nbmake's result (``result.error`` is None when every cell ran), the
        claim records and the homework check records of the run.
    """
    notebook = Path(notebook)
    text = with_changes(notebook.read_text(encoding="utf-8"), changes or {})
    if extra_cell:
        text = with_cell_after_imports(text, extra_cell)
    with tempfile.TemporaryDirectory(prefix="invited-") as tmp:
        changed = Path(tmp) / notebook.name
        changed.write_text(text, encoding="utf-8")
        result = run_notebook(changed, timeout=timeout, cwd=notebook.parent)
    return result, [r for _, r in read_claims(result.nb)], [r for _, r in read_records(result.nb)]
