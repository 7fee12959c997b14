"""Pytest plugin of the book: every jupytext notebook is a test, executed by nbmake.

- Collects every jupytext notebook (a ``.md`` with a kernelspec) under
  ``chapters/`` and ``exercises/``: any test that takes a ``notebook``
  argument runs once per notebook, with the notebook's path as its id.
- :func:`run_notebook` executes one with nbmake's runner, in a fresh kernel,
  with the notebook's own folder as the working directory.
- Nothing is left in the tree: the ``.ipynb`` that nbmake reads is written to
  a temporary folder, never next to the source.
- pytest-xdist runs one notebook per core, so each kernel gets one BLAS/OpenMP
  thread.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import jupytext
import nbformat
from nbmake.nb_run import NotebookRun

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIRS = ("chapters", "exercises")
#: Seconds a single cell may run before the notebook fails.
CELL_TIMEOUT_S = 120

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def pytest_configure(config):
    # Kernels inherit this environment: one thread each, since xdist already fills every core.
    for var in THREAD_VARS:
        os.environ[var] = "1"
    # Silence ipykernel's debugger notice about frozen modules on the kernel's stderr.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def is_notebook(path):
    """True if ``path`` is a jupytext notebook: a text file whose header names a kernel."""
    text = Path(path).read_text(encoding="utf-8")
    if not text.startswith("---"):
        return False
    return "kernelspec" in jupytext.reads(text, fmt="md:myst").metadata


def book_notebooks():
    """Every jupytext notebook under chapters/ and exercises/, sorted."""
    return sorted(
        path
        for folder in NOTEBOOK_DIRS
        for path in (ROOT / folder).rglob("*.md")
        if ".ipynb_checkpoints" not in path.parts and is_notebook(path)
    )


def pytest_generate_tests(metafunc):
    if "notebook" in metafunc.fixturenames:
        paths = book_notebooks()
        metafunc.parametrize("notebook", paths, ids=[p.relative_to(ROOT).as_posix() for p in paths])


class _RunFrom:
    """What nbmake's NotebookRun needs of its ``filename``: ``str()`` names the
    ``.ipynb`` to read, ``.parent`` is the working directory of the kernel."""

    def __init__(self, ipynb, cwd):
        self._ipynb, self.parent = Path(ipynb), Path(cwd)

    def __str__(self):
        return str(self._ipynb)


def run_notebook(path, timeout=CELL_TIMEOUT_S):
    """Execute a jupytext notebook with nbmake and return its ``NotebookResult``.

    The executed notebook is ``result.nb``; ``result.error`` is None on success,
    otherwise it carries the failing cell's index, source and traceback.
    """
    path = Path(path)
    notebook = jupytext.read(path)
    with tempfile.TemporaryDirectory(prefix="nbrun-") as tmp:
        ipynb = Path(tmp) / f"{path.stem}.ipynb"
        nbformat.write(notebook, ipynb)
        return NotebookRun(_RunFrom(ipynb, cwd=path.parent), default_timeout=timeout).execute()
