"""book.claims: strict at the published settings, in words after an invited change, a record either way."""

from __future__ import annotations

import doctest

import nbformat
import pytest

from book import claims as claims_module
from book.claims import RECORD_KEY, ClaimError, Claims, read_claims


def test_a_claim_that_holds_shows_a_tick(capsys):
    namespace = {"SEED": 0}
    claims = Claims(namespace, SEED=0)
    claims.check(True, "the model beats the rule", measured="97% against 46%")
    assert capsys.readouterr().out.strip() == "✓ the model beats the rule (97% against 46%)"
    assert claims.outcomes[0].record == {"claim": "the model beats the rule", "held": True,
                                         "measured": "97% against 46%", "changed": {}}


def test_a_failed_claim_at_the_published_settings_stops_with_the_claim_in_words():
    claims = Claims({"SEED": 0, "DRIFT_DEG": 8.0}, SEED=0, DRIFT_DEG=8.0)
    with pytest.raises(ClaimError, match=r"The text claims: “the gap vanishes”, but this run does not show it\. "
                                         r"Measured: 12%\. It needs DRIFT_DEG = 0\. The parameters are the "
                                         r"published ones") as error:
        claims.check(False, "the gap vanishes", measured="12%", because="It needs DRIFT_DEG = 0.")
    assert isinstance(error.value, AssertionError)


def test_after_an_invited_change_a_failed_claim_says_so_and_the_notebook_runs_on(capsys):
    namespace = {"SEED": 0, "DRIFT_DEG": 8.0}
    claims = Claims(namespace, SEED=0)
    claims.published(DRIFT_DEG=8.0)
    namespace["DRIFT_DEG"] = 0.0  # the learner's edit, in any cell
    claims.check(False, "the model trained once ends near a coin flip", measured="94%")
    shown = capsys.readouterr().out
    assert "With your settings (DRIFT_DEG = 0.0 instead of 8.0)" in shown
    assert "“the model trained once ends near a coin flip”" in shown and "Measured instead: 94%" in shown
    assert claims.outcomes[-1].record["changed"] == {"DRIFT_DEG": ["8.0", "0.0"]}


def test_floats_that_print_alike_are_the_same_setting():
    claims = Claims({"RATE": 0.1 + 0.2}, RATE=0.3)
    assert claims.changed() == {}


def test_a_parameter_must_exist_before_it_is_declared():
    with pytest.raises(NameError, match=r"\['CONTEXT'\] are not defined"):
        Claims({"SEED": 0}, SEED=0, CONTEXT=4096)


def test_records_are_read_back_from_an_executed_notebook():
    outcome = claims_module.Outcome("a claim", False, "3", {"SEED": (0, 4)})
    bundle, metadata = outcome._repr_mimebundle_()
    assert "✗ With your settings (SEED = 4 instead of 0)" in bundle["text/plain"]
    cell = nbformat.v4.new_code_cell("claims.check(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle, metadata=metadata)]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("text"), cell])
    assert read_claims(notebook) == [(1, {"claim": "a claim", "held": False, "measured": "3",
                                          "changed": {"SEED": ["0", "4"]}})]
    assert RECORD_KEY in metadata


def test_the_module_example_runs():
    assert doctest.testmod(claims_module).failed == 0
