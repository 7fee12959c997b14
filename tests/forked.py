"""Run a notebook once, and each invited change from the cell where it applies.

A learner who changes ``DRIFT_DEG`` in a chapter's last section reruns the notebook, and
everything above that section computes exactly what it did before: the parameter is
defined below it. So the invited-change tests need not start every change from an empty
kernel. This driver runs the notebook's code cells in order in one IPython shell (in a
process of its own, started by :func:`run_invited`). Just before the first cell that
defines a parameter of a change, it forks: the child applies the change (the line
``NAME = ...``, as :func:`invited.with_changes` rewrites it) and runs the rest of the
notebook, with what the cells above left in memory, while the parent goes on with the
published settings. Each child reports whether it ran to the end (or the failing cell and
its traceback) and the records of the claims it checked.

The shell runs as a kernel does for these tests: from the notebook's folder, with the
inline matplotlib backend (figures are drawn, so drawing errors show), the IPython
startup files of ``IPYTHONDIR`` (the offline guard of ``book/offline.py``), and every
displayed output's metadata collected, where :mod:`book.claims` leaves its records.
``tests/test_notebooks.py`` still runs each notebook through nbmake in a real kernel.

It saves, for each change, the kernel's start, the imports and every cell above the
change: on 2 cores, chapter 1's seven changes took 22 s instead of about 77 s.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from book.claims import RECORD_KEY as CLAIM_KEY


@dataclass
class InvitedRun:
    """What one change did: ``error`` is None when the notebook ran to the end."""

    error: str | None = None
    failing_cell: int | None = None
    claims: list = field(default_factory=list)


def definition_line(name):
    """The line that defines parameter ``name`` (``NAME = ...`` at a line's start), as a
    learner finds and edits it."""
    return re.compile(rf"^{re.escape(name)} = .*$", re.MULTILINE)


def first_cell_defining(cells, changes):
    """The index of the first code cell that defines a parameter of ``changes``.

    Raises ``KeyError`` naming a parameter that no cell defines.
    """
    found = []
    for name in changes:
        where = [i for i, source in enumerate(cells) if definition_line(name).search(source)]
        if not where:
            raise KeyError(f"no line `{name} = ...` to change")
        found.append(where[0])
    return min(found)


def apply_changes(cells, changes):
    """The cells with the first ``NAME = ...`` line of each change replaced, as a learner
    edits it (the same rewrite as :func:`invited.with_changes`)."""
    cells = list(cells)
    for name, value in changes.items():
        pattern = definition_line(name)
        for i, source in enumerate(cells):
            if pattern.search(source):
                cells[i] = pattern.sub(lambda _: f"{name} = {value}  # changed", source, count=1)
                break
    return cells


# --- the driver, in a process of its own ------------------------------------------------


def _shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    collected = []

    def publish(data, metadata=None, *args, **kwargs):
        collected.append(metadata or {})

    def write_format_data(format_dict, md_dict=None):
        collected.append(md_dict or {})

    shell.display_pub.publish = publish
    shell.displayhook.write_format_data = write_format_data
    shell.displayhook.write_output_prompt = lambda: None
    shell.enable_gui = lambda gui=None: None  # no event loop: figures go inline, as in a kernel
    shell.enable_matplotlib("inline")
    startup = Path(os.environ.get("IPYTHONDIR", "~/.ipython")).expanduser() / "profile_default" / "startup"
    for script in sorted(startup.glob("*.py")) if startup.is_dir() else []:
        shell.safe_execfile(str(script), shell.user_ns, raise_exceptions=True)
    return shell, collected


def _run(shell, source):
    """Run one cell; None, or the traceback text of its error."""
    result = shell.run_cell(source, store_history=True)
    error = result.error_before_exec or result.error_in_exec
    if error is None:
        return None
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


def _records(collected):
    return [md[CLAIM_KEY] for md in collected if isinstance(md, dict) and CLAIM_KEY in md]


def _drive(notebook, cases, out, timeout):
    import jupytext

    cells = [c.source for c in jupytext.read(notebook).cells if c.cell_type == "code"]
    starts, results = {}, {}
    for name, changes in cases.items():
        try:
            starts[name] = first_cell_defining(cells, changes)
        except KeyError as missing:
            results[name] = {"error": f"ChangeNotApplied: {missing.args[0]}", "failing_cell": None, "claims": []}
    devnull = open(os.devnull, "w")  # the cells' printed text is not needed
    sys.stdout = devnull
    shell, collected = _shell()
    for index, source in enumerate(cells):
        for name in [n for n, start in starts.items() if start == index]:
            results[name] = _fork(shell, collected, apply_changes(cells, cases[name]), index, timeout)
        error = _run(shell, source)
        if error is not None:  # the published settings fail: test_notebooks reports it too
            for name, start in starts.items():
                if start > index:
                    results[name] = {"error": f"the published run failed first:\n{error}",
                                     "failing_cell": index, "claims": []}
            break
    Path(out).write_text(json.dumps(results), encoding="utf-8")


def _fork(shell, collected, cells, start, timeout):
    """Run ``cells[start:]`` in a forked copy of this process; its result."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as handle:
        report = handle.name
    pid = os.fork()
    if pid == 0:  # the child: the rest of the notebook with the change, then exit at once
        outcome = {"error": None, "failing_cell": None, "claims": []}
        try:
            del collected[:]
            for index in range(start, len(cells)):
                error = _run(shell, cells[index])
                if error is not None:
                    outcome.update(error=error, failing_cell=index)
                    break
            outcome["claims"] = _records(collected)
        except BaseException as error:  # noqa: BLE001 - the child must always report and exit
            outcome["error"] = f"the driver failed: {error!r}"
        Path(report).write_text(json.dumps(outcome, default=str), encoding="utf-8")
        os._exit(0)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            Path(report).unlink(missing_ok=True)
            return {"error": f"the run did not end within {timeout} s", "failing_cell": None, "claims": []}
        time.sleep(0.05)
    try:
        return json.loads(Path(report).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"error": f"the run ended without a report (exit status {status})", "failing_cell": None,
                "claims": []}
    finally:
        Path(report).unlink(missing_ok=True)


def run_invited(notebook, cases, timeout=120):
    """Run ``notebook`` once and each of ``cases`` ({name: {PARAM: source}}) from its cell.

    Returns ``{name: InvitedRun}``. The driver runs from the notebook's folder, as a kernel
    started by Jupyter does, with this interpreter.
    """
    notebook = Path(notebook).resolve()
    with tempfile.TemporaryDirectory(prefix="invited-") as tmp:
        out = Path(tmp) / "results.json"
        # One thread per library: OpenMP's pool does not survive a fork (a child that uses it
        # hangs), and the tests run one process per core anyway.
        from conftest import THREAD_VARS

        env = os.environ | {name: "1" for name in THREAD_VARS}
        done = subprocess.run(
            [sys.executable, __file__, str(notebook), json.dumps(cases), str(out), str(timeout)],
            cwd=notebook.parent, capture_output=True, text=True, env=env,
            timeout=timeout * (len(cases) + 1))
        if not out.exists():
            raise RuntimeError(f"the invited-change driver failed on {notebook.name}:\n{done.stderr[-3000:]}")
        results = json.loads(out.read_text(encoding="utf-8"))
    return {name: InvitedRun(**results[name]) for name in cases}


if __name__ == "__main__":
    _notebook, _cases, _out, _timeout = sys.argv[1:5]
    _drive(_notebook, json.loads(_cases), _out, float(_timeout))
