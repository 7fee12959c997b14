"""How long grading a cohort takes: ``make bench-grading`` (or ``python
tests/grading_benchmark.py``).

It copies homework 1's solution notebook ``--copies`` times into a temporary folder, as a
cohort's submissions, and times ``python -m book.grade`` on the folder with ``--jobs 1``
(one notebook at a time, as the grader did before it ran notebooks in parallel) and with
the default (one job per core). It writes the table to ``appendix/grading-benchmark.md``,
which the appendix page "How long each notebook takes" includes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import ROOT  # noqa: E402

OUTPUT = ROOT / "appendix" / "grading-benchmark.md"
SOLUTION = ROOT / "exercises" / "solutions" / "01_does_it_need_ml.md"


def time_grading(folder, jobs):
    """Seconds to grade ``folder`` with ``--jobs jobs``; fails if the grading fails."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "book.grade", str(folder), "--jobs", str(jobs)],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"grading with --jobs {jobs} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=30, help="submissions in the cohort (default 30)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"where to write the table (default {OUTPUT})")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="cohort-") as tmp:
        for number in range(args.copies):
            shutil.copy(SOLUTION, Path(tmp) / f"learner_{number:02d}.md")
        print(f"Grading {args.copies} copies of {SOLUTION.relative_to(ROOT)} ...", flush=True)
        one = time_grading(tmp, 1)
        print(f"  --jobs 1: {one:.1f} s", flush=True)
        many = time_grading(tmp, cores)
        print(f"  --jobs {cores}: {many:.1f} s", flush=True)
    text = (
        f"Measured on {dt.date.today():%Y-%m-%d} ({cores} cores, Python {platform.python_version()}): "
        f"`python -m book.grade` on {args.copies} copies of homework 1's solution notebook, one run each.\n\n"
        "| grading | time (s) | relative to one job |\n| --- | ---: | ---: |\n"
        f"| `--jobs 1` (one notebook at a time) | {one:.1f} | 1.00 |\n"
        f"| `--jobs {cores}` (the default here) | {many:.1f} | {many / one:.2f} |\n"
    )
    args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
