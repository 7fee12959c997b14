"""The guards on notebooks, proven on small fixture notebooks (tests/fixtures/guards/)."""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest

from book import offline
from conftest import run_notebook
from notebook_checks import first_difference, intentional_warnings_without_metadata, stderr_outputs

FIXTURES = Path(__file__).parent / "fixtures" / "guards"


def run(name, **kwargs):
    return run_notebook(FIXTURES / name, **kwargs)


def test_unseeded_random_numbers_fail_the_determinism_check():
    first, second = run("unseeded.md"), run("unseeded.md")
    assert first.error is None and second.error is None
    difference = first_difference(first.nb, second.nb)
    assert difference is not None and difference.startswith("cell 2 gives different outputs")
    assert "default_rng()" in difference  # the cell's source
    assert "--- first run" in difference and "+++ second run" in difference  # and a diff


def test_seeded_numbers_and_tagged_timings_pass_the_determinism_check():
    first, second = run("seeded.md"), run("seeded.md")
    assert first_difference(first.nb, second.nb) is None
    # the tagged timing cell did differ: the tag is what lets it through
    timing = [c for c in first.nb.cells if "nondeterministic" in c.metadata.get("tags", [])][0]
    assert timing.outputs and timing.outputs[0]["text"] != [
        c for c in second.nb.cells if "nondeterministic" in c.metadata.get("tags", [])][0].outputs[0]["text"]


def test_the_network_is_refused_with_the_offline_message():
    result = run("network.md")
    assert result.error is not None and result.error.failing_cell_index == 2
    assert offline.OFFLINE_MESSAGE in result.error.trace
    assert "example.invalid" in result.error.trace


def test_kernels_run_in_a_network_namespace_where_available():
    import conftest

    result = run("interfaces.md")
    assert result.error is None
    seen = result.nb.cells[1].outputs[0]["text"].strip()
    if conftest.OFFLINE_MODE.startswith("network namespace"):
        assert seen == "['lo']"
    else:  # no namespaces here (not Linux, or not allowed): the kernel guard is the only layer
        pytest.skip(f"no network namespace on this machine; kernels see {seen}")


@pytest.mark.parametrize("name, warning", [("futurewarning.md", "FutureWarning"),
                                           ("deprecationwarning.md", "DeprecationWarning")])
def test_a_warning_fails_the_warning_check(name, warning):
    result = run(name)
    assert result.error is None  # the cell runs; the check is what catches it
    found = stderr_outputs(result.nb)
    assert [cell for cell, _ in found] == [2] and warning in found[0][1]


def test_a_tagged_intentional_warning_passes():
    result = run("intentional_warning.md")
    assert result.error is None and stderr_outputs(result.nb) == []
    assert "FutureWarning" in result.nb.cells[2].outputs[0]["text"]  # still shown, for the reader
    assert intentional_warnings_without_metadata(result.nb) == []


def test_an_intentional_warning_needs_the_build_metadata_too():
    notebook = jupytext.read(FIXTURES / "intentional_warning.md")
    del notebook.cells[2].metadata["mystnb"]
    assert intentional_warnings_without_metadata(notebook) == [2]


def test_a_cell_past_the_timeout_fails_with_the_cell_named():
    result = run("sleeps.md", timeout=3)
    assert result.error is not None
    assert result.error.failing_cell_index == 3
    assert "timed out" in result.error.summary.lower() or "timeout" in result.error.trace.lower()


def test_a_notebook_that_depends_on_its_folder_fails_from_the_root():
    from conftest import ROOT

    assert run("relative_path.md").error is None  # from its own folder, as Jupyter starts it
    from_root = run("relative_path.md", cwd=ROOT)  # as test_notebook_runs runs it the second time
    assert from_root.error is not None and "FileNotFoundError" in from_root.error.trace
