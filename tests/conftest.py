"""Pytest plugin of the book: every jupytext notebook is a test, executed by nbmake.

- Collects every jupytext notebook (a ``.md`` with a kernelspec) under
  ``chapters/`` and ``exercises/``: any test that takes a ``notebook``
  argument runs once per notebook, with the notebook's path as its id.
- :func:`run_notebook` executes one with nbmake's runner, in a fresh kernel,
  with the notebook's own folder as the working directory and a hard timeout
  per cell. The ``.ipynb`` that nbmake reads is written to a temporary
  folder, never next to the source.
- Kernels run offline (``book/offline.py``): each test process enters a
  network namespace of its own where it can, and every kernel gets a guard
  that refuses the network and shows every warning.
- pytest-xdist runs one test process per core, so each kernel gets one
  BLAS/OpenMP thread.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbmake.nb_run import NotebookRun

sys.path.insert(0, str(Path(__file__).parent))  # tests/ helpers, also under xdist workers

from book import offline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIRS = ("chapters", "exercises")
#: Seconds a single cell may run before the notebook fails (a notebook's budget is 20 s).
CELL_TIMEOUT_S = 60

#: ``BOOK_FULL_TESTS=1`` (the weekly canary, ``make test-full``) repeats, for every notebook,
#: the checks that CI runs on one representative of each kind, to stay within its 10
#: minutes on 2 cores: the second, determinism run of tests/test_notebooks.py and the
#: JupyterLab run of tests/test_lab.py. Each check's code path is the same for every
#: notebook; what differs is only the notebook.
FULL_TESTS = os.environ.get("BOOK_FULL_TESTS", "") not in ("", "0")
#: The notebooks that stand for the others when FULL_TESTS is off: the first chapter and
#: the first homework (its learner copy and its solutions).
REPRESENTATIVES = ("chapters/01_does_it_need_ml.md", "exercises/01_does_it_need_ml.md",
                   "exercises/solutions/01_does_it_need_ml.md")

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
_GUARD_DIR = None
OFFLINE_MODE = "not set up"


def pytest_configure(config):
    global _GUARD_DIR, OFFLINE_MODE
    # Kernels inherit this environment: one thread each, since xdist already fills every core.
    for var in THREAD_VARS:
        os.environ[var] = "1"
    # Silence ipykernel's debugger notice about frozen modules on the kernel's stderr.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    _GUARD_DIR = tempfile.mkdtemp(prefix="book-kernel-guard-")
    os.environ["IPYTHONDIR"] = str(offline.install_kernel_guard(_GUARD_DIR))
    # Removed at exit, after any IPython shell a test made (a doctest of book.claims) has
    # closed its history there: exit handlers run last-registered first.
    atexit.register(shutil.rmtree, _GUARD_DIR, ignore_errors=True)
    # Under xdist the controller starts no kernel; each worker isolates itself.
    if hasattr(config, "workerinput") or config.getoption("numprocesses", None) in (None, 0):
        namespaced = offline.enter_network_namespace()
        OFFLINE_MODE = "network namespace + kernel guard" if namespaced else "kernel guard only"


def pytest_report_header(config):
    return "notebook kernels: offline (a network namespace per test process where available, and a kernel guard)"


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


def run_notebook(path, timeout=CELL_TIMEOUT_S, cwd=None):
    """Execute a jupytext notebook with nbmake and return its ``NotebookResult``.

    The executed notebook is ``result.nb``; ``result.error`` is None on success,
    otherwise it carries the failing cell's index, source and traceback.
    ``timeout`` is the limit of each cell, in seconds; ``cwd`` the kernel's
    working directory (default: the notebook's own folder).
    """
    path = Path(path)
    notebook = jupytext.read(path)
    with tempfile.TemporaryDirectory(prefix="nbrun-") as tmp:
        ipynb = Path(tmp) / f"{path.stem}.ipynb"
        nbformat.write(notebook, ipynb)
        return NotebookRun(_RunFrom(ipynb, cwd=cwd or path.parent), default_timeout=timeout).execute()


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium (tests/browser.py finds it), for the browser tests of a module."""
    from playwright.sync_api import sync_playwright

    from site_checks import launch_chromium

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
