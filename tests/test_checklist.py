"""book.checklist: the nine criteria and the verdicts drawn from them."""

import pandas as pd
import pytest

from book import checklist


def test_nine_criteria_five_core():
    assert len(checklist.CRITERIA) == 9
    assert checklist.CORE == ("learn", "complex", "data", "predictive", "unseen")
    table = checklist.criteria_table()
    assert table.core.sum() == 5 and table.question.str.endswith("?").all()


def test_deck_use_cases_cover_the_deck_and_two_counterexamples():
    cases = checklist.deck_use_cases()
    for name in ["recommender system", "predictive text", "machine translation", "personal assistant",
                 "fraud detection", "churn prediction", "brand monitoring", "review sentiment",
                 "home-price valuation", *checklist.COUNTEREXAMPLES]:
        assert name in cases.index
    assert cases.note.str.len().gt(0).all()


def _row(**overrides):
    row = {key: True for key in checklist.CORE + checklist.HELPFUL} | overrides
    return pd.DataFrame([row], index=["case"])


@pytest.mark.parametrize(
    "overrides, verdict",
    [
        ({}, "good fit"),
        ({"cheap_errors": False}, "fits, with caveats"),
        ({"repetitive": False, "scale": False, "changing": False, "cheap_errors": False}, "fits, with caveats"),
        ({"predictive": False}, "wrong tool"),
    ],
)
def test_assess_verdicts(overrides, verdict):
    result = checklist.assess(_row(**overrides)).loc["case"]
    assert result.verdict == verdict
    assert result.core_met + result.helpful_met == 9 - len(overrides)


def test_assess_names_what_failed():
    result = checklist.assess(_row(cheap_errors=False, unseen=False)).loc["case"]
    assert result.failed == "unseen data, cheap mistakes"


def test_assess_rejects_incomplete_or_non_boolean_tables():
    with pytest.raises(ValueError, match="lacks the criteria columns"):
        checklist.assess(_row().drop(columns=["scale"]))
    with pytest.raises(ValueError, match="True or False"):
        checklist.assess(_row(scale="yes"))


def test_retick_changes_a_judgement_and_the_verdict_follows():
    table = checklist.deck_use_cases()
    changed = checklist.retick(table, {("fraud detection", "cheap_errors"): True, ("fraud detection", "scale"): True})
    assert bool(changed.loc["fraud detection", "cheap_errors"])
    assert changed.loc["fraud detection", "note"].startswith("(your tick) ")
    assert changed.loc["fraud detection", "note"].count("(your tick)") == 1
    assert checklist.assess(changed).loc["fraud detection", "verdict"] == "good fit"
    assert not table.loc["fraud detection", "cheap_errors"], "the original table is left alone"
    assert checklist.retick(table, {}).equals(table)


@pytest.mark.parametrize("ticks, message", [
    ({("fraud", "cheap_errors"): True}, "no use case 'fraud'"),
    ({("fraud detection", "cheap"): True}, "no criterion 'cheap'"),
    ({("fraud detection", "cheap_errors"): "yes"}, "True or False"),
    ({"fraud detection": True}, "a pair"),
])
def test_retick_explains_a_bad_tick(ticks, message):
    with pytest.raises(ValueError, match=message):
        checklist.retick(checklist.deck_use_cases(), ticks)
