"""book.data.make_filings and book.extraction: the corpus, the two extractors, the harness,
and the properties chapter 4 relies on at every seed of the sweep."""

from __future__ import annotations

import functools
import json
import re
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from book import data, extraction
from book.extraction import SimulatedExtractor, evaluate, field_report

SEEDS = range(20)


@functools.lru_cache(maxsize=None)
def _filings(seed, n=300):
    return data.make_filings(n=n, seed=seed)


@functools.lru_cache(maxsize=None)
def _story(seed):
    """The chapter's three runs at one seed: the simulated extractor (with confidence),
    and the regex baseline."""
    filings = _filings(seed)
    simulated = evaluate(SimulatedExtractor(filings, seed=seed).extract_with_confidence, filings)
    regex = evaluate(extraction.regex_extract, filings)
    return filings, simulated, regex


def _truth_as_json(filings):
    truth = {t: json.dumps({"ceo": c, "coo": o, "investors": list(i)})
             for t, c, o, i in zip(filings.text, filings.ceo, filings.coo, filings.investors)}
    return truth.__getitem__


# --- the corpus ---------------------------------------------------------------------------

def test_filings_are_deterministic_for_a_seed():
    pd.testing.assert_frame_equal(data.make_filings(n=50, seed=3), data.make_filings(n=50, seed=3))
    assert not data.make_filings(n=50, seed=3).equals(data.make_filings(n=50, seed=4))


@pytest.mark.parametrize("bad_n", [0, -5, 2.5, "100", None, True])
def test_filings_refuse_a_bad_size(bad_n):
    with pytest.raises(ValueError, match="n must be an integer"):
        data.make_filings(n=bad_n)


@pytest.mark.parametrize("kwargs", [{"p_missing_coo": 1.5}, {"p_missing_coo": -0.1},
                                    {"p_distractor": "half"}, {"p_distractor": None}])
def test_filings_refuse_bad_probabilities(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        data.make_filings(n=10, **kwargs)


def test_filings_hold_the_truth_the_story_promises():
    filings = _filings(0)
    assert list(filings.columns) == ["text", "ceo", "coo", "investors", "company", "name_format",
                                     "ceo_phrasing", "coo_phrasing", "investors_phrasing",
                                     "distractor", "distractor_name"]
    assert filings.text.is_unique
    canonical = re.compile(r"^[A-Z][a-z]+ [A-Z][a-z]+$")
    assert filings.ceo.map(lambda name: bool(canonical.match(name))).all()
    named = filings.coo.dropna()
    assert named.map(lambda name: bool(canonical.match(name))).all()
    assert all(value is None for value in filings.coo[filings.coo.isna()]), "no COO is None, not NaN"
    assert 0.2 < filings.coo.isna().mean() < 0.4
    assert (filings.coo_phrasing.isna() == filings.coo.isna()).all()
    assert filings.investors.map(lambda i: isinstance(i, tuple) and len(i) <= 5).all()
    assert filings.investors.map(len).eq(0).any() and filings.investors.map(len).eq(5).any()
    assert 0.35 < filings.distractor.notna().mean() < 0.65
    sentences = filings.text.map(lambda text: len(re.findall(r"(?<! [A-Z])\.(?= [A-Z]|$)", text)))
    assert sentences.between(2, 5).all(), sentences.value_counts()
    for name, options in (("name_format", data.NAME_FORMATS), ("ceo_phrasing", data.PHRASINGS["ceo"]),
                          ("coo_phrasing", data.PHRASINGS["coo"]),
                          ("investors_phrasing", data.PHRASINGS["investors"]),
                          ("distractor", data.PHRASINGS["distractor"])):
        assert set(filings[name].dropna()) <= set(options) | {"none"}
        assert set(options) <= set(filings[name].dropna()), f"every {name} is drawn at n=300"


def test_each_truth_is_written_in_the_text_in_the_documents_name_format():
    filings = _filings(1)
    for row in filings.itertuples():
        people = [row.ceo] + ([row.coo] if row.coo else []) + ([row.distractor_name] if row.distractor else [])
        assert len(set(people)) == len(people), "no name twice within a document"
        for person in people:
            first, last = person.split()
            written = {"plain": f"{first} {last}", "inverted": f"{last}, {first}",
                       "upper": f"{first} {last}".upper()}.get(row.name_format)
            pattern = re.escape(written) if written else rf"{first} [A-Z]\. {last}"
            assert re.search(pattern, row.text), (person, row.name_format, row.text)
        for firm in row.investors:
            assert firm in row.text
        assert len(set(row.investors)) == len(row.investors)


def test_the_missing_coo_share_and_the_distractors_follow_their_settings():
    assert data.make_filings(n=200, seed=2, p_missing_coo=0.0).coo.notna().all()
    assert data.make_filings(n=200, seed=2, p_missing_coo=1.0).coo.isna().all()
    assert data.make_filings(n=200, seed=2, p_distractor=0.0).distractor.isna().all()
    assert data.make_filings(n=200, seed=2, p_distractor=1.0).distractor.notna().all()


# --- normalisation -------------------------------------------------------------------------

@pytest.mark.parametrize("written, expected", [
    ("Alma Hale", "alma hale"),
    ("Hale, Alma", "alma hale"),
    ("ALMA HALE", "alma hale"),
    ("Alma R. Hale", "alma hale"),
    ("  alma   hale ", "alma hale"),
    ("Dr. Alma Hale", "alma hale"),
    ("HALE, ALMA R.", "alma hale"),
    ("Anne-Marie O'Neil", "anne-marie o'neil"),
    ("A. Hale", "a hale"),
    ("Hale", "hale"),
    ("", None),
    ("  . ", None),
    (None, None),
])
def test_normalise_name(written, expected):
    assert extraction.normalise_name(written) == expected


@pytest.mark.parametrize("written, expected", [
    ("Birchway Capital", "birchway capital"),
    ("Birchway Capital LLC", "birchway capital"),
    ("The Birchway Capital, L.P.", "birchway capital"),
    ("BIRCHWAY CAPITAL LTD.", "birchway capital"),
    ("Hale & Rowe", "hale and rowe"),
    ("  birchway   capital ", "birchway capital"),
    ("", None),
    (None, None),
])
def test_normalise_firm(written, expected):
    assert extraction.normalise_firm(written) == expected


@pytest.mark.parametrize("normalise", [extraction.normalise_name, extraction.normalise_firm])
def test_normalisers_refuse_what_is_not_text(normalise):
    with pytest.raises(ValueError, match="expected a str or None"):
        normalise(3)


# --- the regex baseline ----------------------------------------------------------------------

def test_regex_reads_the_common_phrasings_and_returns_null_for_the_rest():
    answer = json.loads(extraction.regex_extract(
        "Bluefield Labs is a software company. CEO: Hale, Alma. Bruno K. Rowe serves as COO. "
        "Shareholders: Birchway Capital LLC; Larkmere Partners."))
    assert answer == {"ceo": "Hale, Alma", "coo": "Bruno K. Rowe",
                      "investors": ["Birchway Capital LLC", "Larkmere Partners"]}
    missed = json.loads(extraction.regex_extract(
        "Alma Hale has headed Bluefield Labs since 2015. BRUNO ROWE serves as COO. "
        "Its latest funding round was led by Birchway Capital."))
    assert missed == {"ceo": None, "coo": None, "investors": []}
    with pytest.raises(ValueError, match="expected a str"):
        extraction.regex_extract(None)


def test_regex_falls_for_a_former_chief_executive_only_when_it_finds_no_other():
    fooled = "Former chief executive Bruno Rowe stays on as an adviser. Alma Hale has headed it."
    assert json.loads(extraction.regex_extract(fooled))["ceo"] == "Bruno Rowe"
    found = "Former chief executive Bruno Rowe stays on as an adviser. Alma Hale serves as CEO."
    assert json.loads(extraction.regex_extract(found))["ceo"] == "Alma Hale"


# --- the simulated extractor -----------------------------------------------------------------

def test_the_simulation_is_deterministic_per_seed_and_text_whatever_the_order():
    filings = _filings(0)
    one, two = SimulatedExtractor(filings, seed=5), SimulatedExtractor(filings, seed=5)
    forward = [one.extract_with_confidence(t) for t in filings.text]
    backward = [two.extract_with_confidence(t) for t in filings.text[::-1]][::-1]
    assert forward == backward
    other = [SimulatedExtractor(filings, seed=6).extract_with_confidence(t) for t in filings.text]
    assert forward != other
    assert one(filings.text[3]) == forward[3][0]


def test_the_simulation_refuses_texts_it_does_not_know_and_bad_settings():
    filings = _filings(0)
    with pytest.raises(ValueError, match="not one of the filings"):
        SimulatedExtractor(filings)("Some other company.")
    with pytest.raises(ValueError, match="expected a str"):
        SimulatedExtractor(filings)(None)
    for kwargs, message in [({"p_malformed": 1.2}, "p_malformed"), ({"p_name_variant": -0.1}, "p_name_variant"),
                            ({"p_drop_investor": "often"}, "p_drop_investor"),
                            ({"p_hallucinate_missing": None}, "p_hallucinate_missing"),
                            ({"confidence_noise": -1.0}, "confidence_noise"),
                            ({"confidence_base": float("nan")}, "confidence_base"),
                            ({"seed": -1}, "seed"), ({"seed": 1.5}, "seed")]:
        with pytest.raises(ValueError, match=message):
            SimulatedExtractor(filings, **kwargs)
    with pytest.raises(ValueError, match="lacks the column"):
        SimulatedExtractor(filings.drop(columns="coo"))
    with pytest.raises(ValueError, match="DataFrame"):
        SimulatedExtractor(filings.to_dict())


NO_ERRORS = dict(p_name_variant=0.0, p_hallucinate_missing=0.0, p_drop_investor=0.0, p_malformed=0.0)


def _errors_with(filings, **probabilities):
    results = evaluate(SimulatedExtractor(filings, **{**NO_ERRORS, **probabilities}), filings)
    return {field: results[f"{field}_error"] for field in extraction.FIELDS}, results


def test_each_error_mode_alone_produces_exactly_its_error_type():
    filings = _filings(2)
    has_coo, has_investors = filings.coo.notna(), filings.investors.map(len) > 0
    everywhere = pd.Series(True, index=filings.index)
    expected = {
        "p_name_variant": {"ceo": (everywhere, "wrong"), "coo": (has_coo, "wrong")},
        "p_hallucinate_missing": {"coo": (~has_coo, "hallucinated")},
        "p_drop_investor": {"investors": (has_investors, "missing")},
        "p_malformed": {field: (everywhere, "invalid json") for field in extraction.FIELDS},
    }
    for mode, affected in expected.items():
        errors, results = _errors_with(filings, **{mode: 1.0})
        for field in extraction.FIELDS:
            where, kind = affected.get(field, (~everywhere, None))
            assert (errors[field][where] == kind).all(), (mode, field, errors[field][where].value_counts())
            assert (errors[field][~where] == "ok").all(), (mode, field, errors[field][~where].value_counts())
        assert results.json_valid.all() == (mode != "p_malformed")


def test_the_malformed_answers_are_of_all_three_kinds():
    filings = _filings(2)
    extract = SimulatedExtractor(filings, **{**NO_ERRORS, "p_malformed": 1.0})
    outputs = [extract(text) for text in filings.text]
    truncated = sum(not o.endswith("}") and "Let me know" not in o for o in outputs)
    single_quotes = sum(o.startswith("{'ceo'") for o in outputs)
    prose = sum(o.endswith("anything else!") for o in outputs)
    assert truncated + single_quotes + prose == len(outputs) and min(truncated, single_quotes, prose) > 50


def test_a_hallucinated_coo_is_the_other_person_in_the_text_when_there_is_one():
    filings = _filings(3)
    extract = SimulatedExtractor(filings, **{**NO_ERRORS, "p_hallucinate_missing": 1.0})
    for row in filings[filings.coo.isna()].itertuples():
        coo = json.loads(extract(row.text))["coo"]
        if row.distractor_name is not None:
            assert coo == row.distractor_name
        else:
            assert coo and coo != row.ceo and coo not in row.text


def test_without_errors_the_simulation_is_right_and_confident():
    filings = _filings(4)
    results = evaluate(SimulatedExtractor(filings, **NO_ERRORS).extract_with_confidence, filings)
    assert results.doc_correct.all()
    assert results.confidence.between(0, 1).all() and results.confidence.median() > 0.85


def test_the_confidence_is_informative_but_imperfect():
    for seed in SEEDS:
        _, results, _ = _story(seed)
        right, wrong = results.confidence[results.doc_correct], results.confidence[~results.doc_correct]
        assert right.mean() > wrong.mean() + 0.2, seed
        auc = roc_auc_score(results.doc_correct, results.confidence)
        assert 0.8 < auc < 0.99, f"the confidence ranks right above wrong, not perfectly (seed {seed})"
        assert (wrong > right.quantile(0.1)).any(), f"some wrong answers look confident (seed {seed})"


# --- the harness -----------------------------------------------------------------------------

def test_a_perfect_extractor_scores_one_everywhere():
    filings = _filings(0)
    results = evaluate(_truth_as_json(filings), filings)
    assert results.json_valid.all() and results.schema_valid.all() and results.doc_correct.all()
    assert results.confidence.isna().all()
    report = field_report(results)
    assert (report[["accuracy", "precision", "recall", "f1"]] == 1.0).all().all()
    assert (report.ok == len(filings)).all()
    assert extraction.list_scores(results) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert results.index.equals(filings.index)


def test_an_extractor_that_returns_no_json_scores_zero():
    filings = _filings(0)
    results = evaluate(lambda text: "not json", filings)
    assert not results.json_valid.any() and not results.schema_valid.any() and not results.doc_correct.any()
    report = field_report(results)
    assert (report[["accuracy", "precision", "recall", "f1"]] == 0.0).all().all()
    assert (report["invalid json"] == len(filings)).all()
    assert extraction.list_scores(results) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_wrong_types_are_schema_errors_of_their_field_only():
    filings = _filings(0).head(20)
    truth = _truth_as_json(filings)

    def ceo_as_list(text):
        answer = json.loads(truth(text))
        return json.dumps({**answer, "ceo": [answer["ceo"]], "extra": 1})

    results = evaluate(ceo_as_list, filings)
    assert results.json_valid.all() and not results.schema_valid.any()
    assert (results.ceo_error == "invalid schema").all() and results.coo_correct.all()
    assert results.investors_correct.all() and not results.doc_correct.any()
    for output in ["[1, 2]", "null", '"Alma Hale"', '{"ceo": "x", "coo": null}']:
        results = evaluate(lambda text, output=output: output, filings)
        assert results.json_valid.all() and not results.schema_valid.any()
        assert not results.doc_correct.any()
    assert (results.investors_error == "invalid schema").all()


def test_the_harness_classifies_name_and_list_errors():
    filings = pd.DataFrame({"text": ["a", "b", "c", "d"], "ceo": ["Alma Hale"] * 4,
                            "coo": [None, "Bruno Rowe", "Bruno Rowe", np.nan],
                            "investors": [(), ("Birchway Capital", "Larkmere Partners"),
                                          ("Birchway Capital",), ("Birchway Capital",)]})
    answers = {
        "a": {"ceo": "HALE, ALMA", "coo": "Bruno Rowe", "investors": ["Larkmere Partners"]},
        "b": {"ceo": "Hale", "coo": None, "investors": ["Birchway Capital LLC"]},
        "c": {"ceo": None, "coo": "Bruno Rowe", "investors": ["Birchway Capital", "Larkmere Partners"]},
        "d": {"ceo": "Alma R. Hale", "coo": None, "investors": ["birchway capital"]},
    }
    results = evaluate(lambda text: (json.dumps(answers[text]), 0.5), filings)
    assert results.ceo_error.tolist() == ["ok", "wrong", "missing", "ok"]
    assert results.coo_error.tolist() == ["hallucinated", "missing", "ok", "ok"]
    assert results.investors_error.tolist() == ["hallucinated", "missing", "wrong", "ok"]
    assert results.doc_correct.tolist() == [False, False, False, True]
    assert results[["investors_tp", "investors_fp", "investors_fn"]].sum().tolist() == [3, 2, 1]
    assert (results.confidence == 0.5).all()
    report = field_report(results).set_index("field")
    assert report.loc["ceo", "precision"] == pytest.approx(2 / 3)  # "Hale" is a wrong value returned
    assert report.loc["ceo", "recall"] == pytest.approx(2 / 4)
    assert report.loc["coo", "precision"] == pytest.approx(1 / 2)
    assert report.loc["coo", "recall"] == pytest.approx(1 / 2)
    assert extraction.list_scores(results) == pytest.approx({"precision": 0.6, "recall": 0.75, "f1": 2 / 3})


def test_the_harness_refuses_bad_input_clearly():
    filings = _filings(0).head(5)
    with pytest.raises(ValueError, match="must be callable"):
        evaluate("gpt", filings)
    with pytest.raises(ValueError, match="lacks the column"):
        evaluate(extraction.regex_extract, filings.drop(columns="investors"))
    with pytest.raises(ValueError, match="DataFrame"):
        evaluate(extraction.regex_extract, list(filings.text))
    with pytest.raises(ValueError, match="no documents"):
        evaluate(extraction.regex_extract, filings.head(0))
    with pytest.raises(ValueError, match="JSON text"):
        evaluate(lambda text: {"ceo": None}, filings)
    with pytest.raises(ValueError, match="confidence must be a number in"):
        evaluate(lambda text: ("{}", 1.5), filings)
    with pytest.raises(ValueError, match="list or tuple"):
        evaluate(extraction.regex_extract, filings.assign(investors="Birchway Capital"))
    results = evaluate(extraction.regex_extract, filings)
    with pytest.raises(ValueError, match=r"\(json_text, confidence\)"):
        extraction.coverage_curve(results)
    with pytest.raises(ValueError, match=r"\(json_text, confidence\)"):
        extraction.threshold_for_precision(results, 0.9)
    with pytest.raises(ValueError, match="lacks the column"):
        field_report(results.drop(columns="coo_error"))
    with pytest.raises(ValueError, match="lacks the column"):
        extraction.list_scores(filings)
    scored = evaluate(lambda text: ("{}", 0.5), filings)
    for target in [0, 1.2, -0.5, "high", None, True]:
        with pytest.raises(ValueError, match=r"target must be in \(0, 1\]"):
            extraction.threshold_for_precision(scored, target)
    for thresholds in [[1.5], [], [[0.2]], [-0.1]]:
        with pytest.raises(ValueError, match="thresholds must be numbers in"):
            extraction.coverage_curve(scored, thresholds)


def test_coverage_curve_and_threshold_for_precision_agree_with_brute_force():
    _, results, _ = _story(0)
    curve = extraction.coverage_curve(results)
    assert curve.coverage.iloc[0] == 1.0 and curve.kept.iloc[0] == len(results)
    assert (np.diff(curve.coverage) <= 0).all()
    assert extraction.coverage_curve(results, [1.0]).accuracy.isna().all()
    for target in [0.8, 0.9, 0.95, 0.99]:
        threshold = extraction.threshold_for_precision(results, target)
        reaching = [c for c in sorted(set(results.confidence))
                    if results.doc_correct[results.confidence >= c].mean() >= target]
        assert threshold == (reaching[0] if reaching else None)
    always_wrong = evaluate(lambda text: ("{}", 0.9), _filings(0).head(10))
    assert extraction.threshold_for_precision(always_wrong, 0.5) is None


def test_evaluate_is_fast():
    filings = _filings(0)
    extract = SimulatedExtractor(filings).extract_with_confidence
    best = min(_timed(evaluate, extract, filings) for _ in range(3))
    assert best < 0.5, f"evaluate on 300 documents took {best:.2f} s"


def _timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


# --- what chapter 4 relies on, at every seed -------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_a_fine_document_accuracy_hides_one_weak_field(seed):
    filings, results, _ = _story(seed)
    document = results.doc_correct.mean()
    assert 0.75 <= document <= 0.9, f"the simulated extractor's document accuracy {document:.3f}"
    report = field_report(results).set_index("field")
    no_coo = field_report(results[~results.has_coo]).set_index("field").loc["coo"]
    named = field_report(results[results.has_coo]).set_index("field").loc["coo"]
    others = min(report.accuracy["ceo"], report.accuracy["investors"], named.accuracy)
    assert no_coo.accuracy < document - 0.05, "the weak field is below the document accuracy"
    assert no_coo.accuracy < others - 0.15, "and well below every other field"
    assert report.loc["coo", "hallucinated"] > report.loc["coo", ["missing", "wrong"]].max(), \
        "the COO's main error is a hallucination"


@pytest.mark.parametrize("seed", SEEDS)
def test_abstaining_below_a_confidence_raises_the_accuracy_of_what_is_kept(seed):
    _, results, _ = _story(seed)
    curve = extraction.coverage_curve(results, [0.0, 0.5, 0.7, 0.8, 0.9])
    assert (np.diff(curve.accuracy) > 0).all(), curve
    assert (np.diff(curve.coverage) < 0).all(), curve
    assert curve.accuracy.iloc[-1] >= curve.accuracy.iloc[0] + 0.1, curve
    assert curve.coverage.iloc[-1] >= 0.3, "a high threshold still keeps a useful share"
    threshold = extraction.threshold_for_precision(results, 0.95)
    assert threshold is not None and 0.5 < threshold < 0.9


@pytest.mark.parametrize("seed", SEEDS)
def test_the_regex_baseline_is_valid_and_precise_but_misses_phrasings(seed):
    _, simulated, regex = _story(seed)
    assert regex.json_valid.all() and regex.schema_valid.all()
    ours, theirs = field_report(regex).set_index("field"), field_report(simulated).set_index("field")
    assert (ours.precision >= 0.93).all(), ours.precision
    assert (ours.hallucinated == 0).all()
    for field in extraction.FIELDS:
        assert ours.recall[field] < theirs.recall[field] - 0.15, (field, ours.recall, theirs.recall)
    assert regex.doc_correct.mean() < simulated.doc_correct.mean() - 0.2
