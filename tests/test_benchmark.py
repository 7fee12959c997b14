"""tests/benchmark.py: the table that make bench prints and the appendix page shows."""

import benchmark
from conftest import ROOT, book_notebooks


def test_table_marks_notebooks_over_budget_and_keeps_the_budget_as_a_line():
    text = benchmark.table({"a.md": (3.0, 200.0), "slow.md": (25.0, 100.0), "big.md": (5.0, 2048.0)},
                           clean=16.0, cached=1.5, tests=48.0, repeat=3)
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| `")}
    assert rows["`a.md`"].rstrip().endswith("| yes |")
    assert "**no**" in rows["`slow.md`"] and "**no**" in rows["`big.md`"]
    assert "| *budget per notebook* | *20* | *1024* | |" in text
    assert "median of 3 runs" in text and "| cached rebuild, nothing changed | 1.5 |" in text
    assert ".ci/run" not in text, "no CI row unless it was measured"
    with_ci = benchmark.table({"a.md": (3.0, 200.0)}, clean=16.0, cached=1.5, tests=48.0, repeat=1, ci=555.5)
    assert "| fresh clone, `bash .ci/run` (setup, tests, strict build; one run, budget 600) | 555.5 |" in with_ci


def test_the_appendix_page_includes_the_committed_table():
    page = (ROOT / "appendix" / "timings.md").read_text(encoding="utf-8")
    assert "```{include} benchmark.md" in page and "{nb-exec-table}" in page
    table = (ROOT / "appendix" / "benchmark.md").read_text(encoding="utf-8")
    assert "| notebook | wall time (s) | kernel peak memory (MiB) | within budget |" in table
    assert "nan" not in table, "the committed table is incomplete: run `make bench`"
    missing = [p.relative_to(ROOT).as_posix() for p in book_notebooks()
               if f"`{p.relative_to(ROOT).as_posix()}`" not in table]
    assert not missing, f"notebooks missing from appendix/benchmark.md (run `make bench`): {missing}"
    # The fresh-clone CI row is measured last, on a clone that carries this very table, so
    # it cannot be required here; DESIGN's 10-minute budget is read from it by people.
