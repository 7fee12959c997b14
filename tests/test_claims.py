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


@pytest.fixture
def glued(monkeypatch):
    """What claims.prose glues (a glue outside a running IPython would print), as
    (name, value, displayed)."""
    calls = []
    monkeypatch.setattr(claims_module, "glue", lambda name, value: calls.append((name, value, False)))
    return calls


def test_the_glue_writes_what_myst_nb_glue_writes(monkeypatch):
    # claims.glue stands in for myst_nb.glue(name, text, display=False), whose import costs
    # a second per kernel: the book's build reads the output, so it must be the same.
    import IPython.display
    from myst_nb.ext import glue as myst_glue

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *args, **kwargs: shown.append((args, kwargs)))
    monkeypatch.setattr(myst_glue, "ipy_display", lambda *args, **kwargs: shown.append((args, kwargs)))
    claims_module.glue("acc_text", "64%")
    myst_glue.glue("acc_text", "64%", display=False)
    assert len(shown) == 2 and shown[0] == shown[1]
    assert shown[0][1]["metadata"]["scrapbook"] == {"name": "acc_text", "mime_prefix": myst_glue.GLUE_PREFIX}


def test_prose_sets_the_text_in_the_notebook_and_glues_it(glued):
    namespace = {"SEED": 0}
    claims = Claims(namespace, SEED=0)
    claims.prose(acc_pct=format(0.6412, ".0%"), n_cases=12, names="fraud and homes")
    assert {k: namespace[k] for k in ("acc_pct", "n_cases", "names")} == {
        "acc_pct": "64%", "n_cases": "12", "names": "fraud and homes"}
    assert glued == [("acc_pct", "64%", False), ("n_cases", "12", False), ("names", "fraud and homes", False)]
    claims.prose(acc_pct="65%")  # a rerun of the cell may set it again
    assert namespace["acc_pct"] == "65%"


def test_prose_refuses_what_would_read_wrong(glued):
    claims = Claims({"SEED": 0, "auc": 0.91}, SEED=0)
    with pytest.raises(TypeError, match=r'format it as the sentence reads it, e.g. x=format\(x, ".2f"\)'):
        claims.prose(x=0.5)
    with pytest.raises(TypeError, match="give the words"):
        claims.prose(flag=True)
    with pytest.raises(TypeError, match="is a list"):
        claims.prose(items=[1, 2])
    with pytest.raises(NameError, match="`auc` is already a variable of the notebook.*e.g. `auc_text`"):
        claims.prose(auc="0.91")
    with pytest.raises(TypeError):  # all or nothing: the good value before the bad one is not set
        claims.prose(first="ok", second=0.5)
    assert "first" not in claims._namespace and glued == []
    with pytest.raises(ValueError, match="lower-case Python name"):
        claims.prose(AUC="0.91")
    with pytest.raises(ValueError, match="escaped"):
        claims.prose(note="two\nlines")
    with pytest.raises(ValueError, match="non-breaking space"):
        claims.prose(big="4\u202f096")
    import numpy as np
    claims.prose(n=np.int64(7))
    assert claims_module.prose_text("n", np.int64(7)) == "7"


def _notebook(*cells):
    made = []
    for kind, source, glued in cells:
        if kind == "markdown":
            made.append(nbformat.v4.new_markdown_cell(source))
        else:
            cell = nbformat.v4.new_code_cell(source)
            cell.outputs = [nbformat.v4.new_output("display_data", data={"application/papermill.record/text/plain": "'1'"},
                                                   metadata={"scrapbook": {"name": n, "mime_prefix": ""}})
                            for n in glued]
            made.append(cell)
    return nbformat.v4.new_notebook(cells=made)


def test_prose_values_are_set_above_their_paragraph_once_and_shown():
    from notebook_checks import prose_problems

    good = _notebook(("code", "claims.prose(a=1)", ["a"]), ("markdown", "A is {eval}`a`.", []))
    assert prose_problems(good) == []
    late = _notebook(("markdown", "A is {eval}`a`.", []), ("code", "claims.prose(a=1)", ["a"]))
    assert "set only below it (cell 1)" in prose_problems(late)[0]
    unset = _notebook(("markdown", "B is {eval}`b`.", []))
    assert "which no code cell sets: claims.prose(b=...)" in prose_problems(unset)[0]
    twice = _notebook(("code", "", ["a"]), ("code", "", ["a"]), ("markdown", "{eval}`a`", []))
    assert prose_problems(twice) == ["`a` is set in cells [0, 1]: set each prose value in one cell"]
    unused = _notebook(("code", "", ["c"]))
    assert prose_problems(unused) == ["`c` is set for the prose (cell 0) but no paragraph shows it"]


def test_after_an_invited_change_prose_shows_an_unformatted_number_rather_than_stop(glued):
    namespace = {"SEED": 0, "BUDGET": 0.5}
    claims = Claims(namespace, SEED=0, BUDGET=3)
    claims.prose(budget=namespace["BUDGET"])
    assert namespace["budget"] == "0.5"
    namespace["BUDGET"] = 3
    with pytest.raises(TypeError):
        claims.prose(budget=3.0)
