"""The seed sweep: run every chapter and homework solution at many seeds, report which claim fails where.

Run it with ``make seeds`` (or ``python tests/sweep.py --seeds 20``). A chapter runs
with ``SEED = k`` for each seed ``k``, as a learner would set it; a solution runs with
its homework module reseeded (``book.homework.chNN.reseed(k)``), so that its data is
drawn anew and the reference answers are recomputed. Every claim of the text
(``book.claims``) and every homework check leaves a record; the sweep collects them and
prints, per claim, the seeds at which it does not hold, and per notebook the seeds at
which it stopped with an error. The same report is written to ``_build/seeds.md`` and
``_build/seeds.json``. The exit status is 1 if any claim fails at any seed.

The book's rule (DESIGN.md): a claim holds at every seed of the sweep, or the prose says
how often it holds.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import ROOT, THREAD_VARS, book_notebooks  # noqa: E402

OUTPUT = ROOT / "_build"


def sweepable():
    """The chapters and the homework solutions (a solution's homework module is reseeded)."""
    return [path for path in book_notebooks()
            if path.relative_to(ROOT).parts[0] == "chapters"
            or path.relative_to(ROOT).parts[:2] == ("exercises", "solutions")]


def _homework_module(solution):
    number = re.match(r"(\d+)_", solution.name)
    return f"book.homework.ch{number.group(1)}" if number else None


def run_one(path, seed):
    """Run one notebook at one seed; return a JSON-able summary of what held."""
    import os

    for var in THREAD_VARS:
        os.environ[var] = "1"
    from invited import run_changed

    path = Path(path)
    if path.parent.name == "chapters":
        changes, extra = {"SEED": str(seed)}, None
    else:
        module = _homework_module(path)
        changes, extra = {}, f"import {module} as _sweep\n_sweep.reseed({seed})  # the seed sweep"
    start = time.perf_counter()
    result, claims, checks = run_changed(path, changes, extra_cell=extra)
    error = None
    if result.error is not None:
        error = {"cell": result.error.failing_cell_index, "trace": result.error.trace[-1500:]}
    outcomes = {r["claim"]: {"held": r["held"], "measured": r["measured"]} for r in claims}
    # A solution's checks must pass at every seed; a chapter's quiz is left unanswered
    # (`answer = ...`) on purpose, so its checks say "not attempted" and are no claim.
    for record in checks if path.parent.name == "solutions" else ():
        outcomes[f"homework {record['question']}: the reference solution passes"] = {
            "held": record["status"] == "passed", "measured": record.get("message", "")}
    return {"notebook": path.relative_to(ROOT).as_posix(), "seed": seed, "error": error,
            "outcomes": outcomes, "seconds": time.perf_counter() - start}


def summarise(runs):
    """Per notebook: every claim with the seeds where it failed, and the seeds that stopped with an error."""
    report = {}
    for run in sorted(runs, key=lambda r: (r["notebook"], r["seed"])):
        entry = report.setdefault(run["notebook"], {"seeds": [], "errors": {}, "claims": {}})
        entry["seeds"].append(run["seed"])
        if run["error"]:
            entry["errors"][run["seed"]] = run["error"]
        for claim, outcome in run["outcomes"].items():
            failures = entry["claims"].setdefault(claim, {})
            if not outcome["held"]:
                failures[run["seed"]] = outcome["measured"]
    return report


def as_markdown(report):
    lines = ["# Seed sweep", ""]
    for notebook, entry in report.items():
        seeds = entry["seeds"]
        lines += [f"## `{notebook}`", "", f"Seeds {min(seeds)} to {max(seeds)} ({len(seeds)} runs).", ""]
        for seed, error in entry["errors"].items():
            last = error["trace"].strip().splitlines()[-1] if error["trace"].strip() else "?"
            lines.append(f"- **stopped at seed {seed}**, cell {error['cell']}: {last}")
        lines += ["", "| claim | fails at seeds |", "| --- | --- |"]
        for claim, failures in entry["claims"].items():
            where = ", ".join(str(s) for s in failures) if failures else "none"
            lines.append(f"| {claim} | {where} |")
        lines.append("")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="run seeds 0 to N-1 (default 20)")
    parser.add_argument("--first", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2)")
    parser.add_argument("-k", dest="select", default="", help="only notebooks whose path contains this")
    args = parser.parse_args(argv)
    notebooks = [p for p in sweepable() if args.select in p.relative_to(ROOT).as_posix()]
    seeds = range(args.first, args.first + args.seeds)
    jobs = [(str(p), s) for p in notebooks for s in seeds]
    print(f"Sweeping {len(notebooks)} notebooks at seeds {seeds.start} to {seeds.stop - 1}: {len(jobs)} runs, "
          f"{args.jobs} at a time.", flush=True)
    runs = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for done, run in enumerate(pool.map(run_one, *zip(*jobs)), start=1):
            failed = [c for c, o in run["outcomes"].items() if not o["held"]]
            status = "ERROR" if run["error"] else f"{len(failed)} claim(s) failed" if failed else "all claims held"
            print(f"[{done}/{len(jobs)}] {run['notebook']} seed {run['seed']}: {status} ({run['seconds']:.0f} s)",
                  flush=True)
            runs.append(run)
    report = summarise(runs)
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "seeds.json").write_text(json.dumps(report, indent=1, sort_keys=True))
    text = as_markdown(report)
    (OUTPUT / "seeds.md").write_text(text)
    print(text)
    bad = any(entry["errors"] or any(entry["claims"].values()) for entry in report.values())
    print(f"Written to {OUTPUT / 'seeds.md'} and seeds.json.", "Some claims fail." if bad else "Every claim held.")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
