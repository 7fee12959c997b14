"""Measure the book: each notebook's time and memory, the build, and the test suite.

Run it with ``make bench`` (or ``python tests/benchmark.py``). It prints a table
and writes the same table to ``appendix/benchmark.md``, which the appendix page
"How long each notebook takes" includes. Shared machines are noisy, so every
figure is the median of ``--repeat`` runs; the budgets (20 s and 1 GiB per
notebook) are lines in the table, not timed tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import jupytext
import psutil
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).parent))
from conftest import ROOT, THREAD_VARS, book_notebooks  # noqa: E402

BUDGET_S = 20.0
BUDGET_MIB = 1024.0
OUTPUT = ROOT / "appendix" / "benchmark.md"
BIN = Path(sys.executable).parent


def _tree_rss(process):
    """Resident memory of a process and its children, in bytes."""
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_notebook_measured(path):
    """Execute a notebook once in a fresh kernel; return (seconds, peak MiB of the kernel)."""
    notebook = jupytext.read(path)
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    peak, done = [0], threading.Event()

    def watch():
        process = None
        while not done.is_set():
            try:
                process = process or psutil.Process(client.km.provisioner.process.pid)
                peak[0] = max(peak[0], _tree_rss(process))
            except (AttributeError, psutil.Error):
                pass
            time.sleep(0.02)

    start = time.perf_counter()
    with client.setup_kernel(stderr=subprocess.DEVNULL):  # the kernel's own log lines, not cell outputs
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        done.set()
        watcher.join()
    return time.perf_counter() - start, peak[0] / 2**20


def _timed(command):
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"benchmark: {' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - start


def measure_builds(repeat):
    """Medians of a clean strict build and of a cached rebuild with nothing changed, in seconds."""
    build = [str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"]
    clean, cached = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-build-") as out:
            clean.append(_timed(build + ["--path-output", out]))
            cached.append(_timed(build + ["--path-output", out]))
    return statistics.median(clean), statistics.median(cached)


#: The test that checks this very table: it fails while the table is being rewritten.
_TABLE_TEST = "tests/test_benchmark.py::test_the_appendix_page_includes_the_committed_table"


def measure_tests(repeat):
    """Median time of the full test suite (the README's test command, without the setup), in seconds."""
    command = [sys.executable, "-m", "pytest", "-q", "--deselect", _TABLE_TEST]
    return statistics.median(_timed(command) for _ in range(repeat))


def measure_ci(table_text):
    """Seconds of ``bash .ci/run`` on a fresh clone of the committed HEAD: setup from the
    registries, the README's test command and the strict build, as CI runs them.

    The clone gets ``table_text`` as its ``appendix/benchmark.md``: the table this run has
    measured so far, which is what will be committed (the committed one may lack a notebook
    that was just added, and tests/test_benchmark.py would fail on it).
    """
    with tempfile.TemporaryDirectory(prefix="bench-ci-") as folder:
        clone = Path(folder) / "book"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        (clone / OUTPUT.relative_to(ROOT)).write_text(table_text, encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run(["bash", ".ci/run"], cwd=clone, capture_output=True, text=True)
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"benchmark: bash .ci/run failed on a fresh clone:\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    return seconds


def table(notebooks, clean, cached, tests, repeat, ci=None):
    when = dt.date.today().isoformat()
    machine = f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
    lines = [
        f"Measured on {when} ({machine}); each figure is the median of {repeat} runs.",
        "",
        "| notebook | wall time (s) | kernel peak memory (MiB) | within budget |",
        "| --- | ---: | ---: | :---: |",
    ]
    for name, (seconds, mib) in notebooks.items():
        ok = "yes" if seconds <= BUDGET_S and mib <= BUDGET_MIB else "**no**"
        lines.append(f"| `{name}` | {seconds:.1f} | {mib:.0f} | {ok} |")
    lines += [
        f"| *budget per notebook* | *{BUDGET_S:.0f}* | *{BUDGET_MIB:.0f}* | |",
        "",
        "| whole book | time (s) |",
        "| --- | ---: |",
        f"| clean strict build (`jupyter-book build . -W -n --keep-going`) | {clean:.1f} |",
        f"| cached rebuild, nothing changed | {cached:.1f} |",
        f"| full test suite (`pytest`) | {tests:.1f} |",
    ]
    if ci is not None:
        lines.append(f"| fresh clone, `bash .ci/run` (setup, tests, strict build; one run, budget 600) "
                     f"| {ci:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"where to write the table (default {OUTPUT})")
    parser.add_argument("--notebooks-only", action="store_true", help="skip the build and test-suite timings")
    parser.add_argument("--ci", action="store_true",
                        help="also time `bash .ci/run` once on a fresh clone of HEAD (about 10 minutes)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    for var in THREAD_VARS:
        os.environ[var] = "1"
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

    notebooks = {}
    for path in book_notebooks():
        name = path.relative_to(ROOT).as_posix()
        print(f"notebook {name}: {args.repeat} runs ...", flush=True)
        runs = [run_notebook_measured(path) for _ in range(args.repeat)]
        notebooks[name] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
    nan = float("nan")
    # Written now too: the book that the next step builds includes this file.
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(table(notebooks, nan, nan, nan, args.repeat), encoding="utf-8")
    if args.notebooks_only:
        clean = cached = tests = nan
    else:
        print(f"book build: {args.repeat} clean and cached builds ...", flush=True)
        clean, cached = measure_builds(args.repeat)
        print(f"test suite: {args.repeat} runs ...", flush=True)
        tests = measure_tests(args.repeat)
    ci = None
    if args.ci:
        print("fresh clone: bash .ci/run, once ...", flush=True)
        ci = measure_ci(table(notebooks, clean, cached, tests, args.repeat))
    text = table(notebooks, clean, cached, tests, args.repeat, ci)
    print()
    print(text)
    args.output.write_text(text, encoding="utf-8")
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
