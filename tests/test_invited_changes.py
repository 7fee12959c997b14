"""Each change the prose invites runs the chapter to the end, and the sentences it breaks say so.

A chapter's text is written for its published settings. When a learner changes one, as
the text invites (another seed, no drift, a tick they disagree with, the session's cost
prompt), the chapter must still run to the end, and every claim that no longer holds
must be reported in words instead of stopping the notebook. Each case below is one
invitation of the prose; ``breaks`` lists claims that the change is known to break (they
must be reported as not holding), so that a test also fails if a claim stops noticing.

Each chapter runs once with its published settings, and each change from the first cell
that defines one of its parameters, in a forked copy of that run (``tests/forked.py``):
the cells above a parameter compute the same whatever its value, so a change costs only
the cells it affects.

CI runs the cases of chapter 1, the representative chapter (tests/conftest.py,
REPRESENTATIVES); the weekly canary and ``make test-full`` (``BOOK_FULL_TESTS=1``) run
every case of every chapter. All of them took over two minutes on one of CI's two cores,
more than CI's 10 minutes could hold once the sixth chapter came in; the code path is the
same for every chapter, only the notebook differs.
"""

from __future__ import annotations

import pytest

from conftest import FULL_TESTS, REPRESENTATIVES, ROOT
from forked import apply_changes, first_cell_defining, run_invited
from invited import ChangeNotApplied, with_changes

CH1 = ROOT / "chapters" / "01_does_it_need_ml.md"
CH2 = ROOT / "chapters" / "02_research_vs_production.md"
CH3 = ROOT / "chapters" / "03_enterprise_vs_consumer.md"
CH4 = ROOT / "chapters" / "04_generative_vs_discriminative.md"
CH5 = ROOT / "chapters" / "05_evals_beyond_loss.md"
CH6 = ROOT / "chapters" / "06_recsys_case_study.md"

# "SEED = 0  # change it", every chapter's first invitation, is the seed sweep's to test:
# tests/sweep.py runs each chapter at 20 seeds (`make seeds`, and the weekly canary), and
# test_every_chapter_is_swept_by_seed below checks that it reaches every chapter.
INVITED = {
    # "if you disagree with a tick, put it in MY_TICKS"
    "ch1 a tick flipped": (CH1, {"MY_TICKS": '{("fraud detection", "cheap_errors"): True}'},
                           ["fraud detection and home-price valuation are the deck's cases that fail cheap mistakes"]),
    # "set DRIFT_DEG = 0 and it vanishes"
    "ch1 no drift": (CH1, {"DRIFT_DEG": "0.0"},
                     ["the random split promises much more than the model delivers on the future",
                      "the model trained once ends the year near a coin flip"]),
    # the session's prompt: a foundation model behind an API, no fixed cost, a few cents a call
    "ch1 session cost prompt": (CH1, {"ML_FIXED_USD": "0", "ML_RUN_USD": "0.03"},
                                ["as the volume grows, the cheapest option is the person, then the keyword rule, "
                                 "then the model"]),
    # every constant at the top of a section is an invitation; fewer parcels
    "ch1 fewer parcels": (CH1, {"N_PARCELS": "100"}, []),
    # "Give it more levels of if-statements"
    "ch1 deeper rule": (CH1, {"RULE_DEPTH": "8"}, []),
    # the deferral costs are "assumptions for the example; change them"
    "ch1 dear reviews": (CH1, {"COST_REVIEW_USD": "60"},
                         ["the best deferral rate lies strictly between none and all"]),
    # exercise ex-dear-mistakes: "set COST_PER_ERROR_USD = 10 ... and rerun"
    "ch1 dear mistakes": (CH1, {"COST_PER_ERROR_USD": "10"},
                          ["as the volume grows, the cheapest option is the person, then the keyword rule, "
                           "then the model",
                           "at a few thousand tickets a year the model is not worth building; "
                           "at millions a year it is"]),
    # the stakeholders' rules are constants to change
    "ch2 generous latency budget": (CH2, {"LATENCY_BUDGET_X": "50"},
                                    ["the product team picks a third model, neither the ML team's nor the platform's"]),
    "ch2 tight latency budget": (CH2, {"LATENCY_BUDGET_X": "0.5"},
                                 ["three stakeholders pick three different models"]),
    "ch2 strict AUC floor": (CH2, {"AUC_FLOOR": "0.85"},
                             ["the platform team picks another model than the ML team, many times smaller"]),
    # the first exercise: "set RECORDING_BIAS = 0.0 ... and rerun its cells"
    "ch2 honest records": (CH2, {"RECORDING_BIAS": "0.0"},
                           ["creditworthy applicants of group B are turned down more often",
                            "dropping the group column narrows the gap but leaves more than 10 points",
                            "the model trained on the records leans on region"]),
    # "Change the context, the batch or the adapters' rank below and rerun"
    "ch2 short context": (CH2, {"CONTEXT": "1024"},
                          ["the fp16 estimate with the runtime's memory is over 16 GiB, by less than its accuracy",
                           "the LoRA estimate without checkpointing exceeds 24 GiB, by more than its accuracy"]),
    # "These two numbers are the ones to change": an insurer covers most of a miss
    "ch3 cheaper misses": (CH3, {"COST_MISSED_FRAUD_USD": "50.0"},
                           ["the lowest-cost threshold is far below F1's (less than half), which is below 0.5",
                            "on the test payments, the lowest-cost threshold costs least, then F1's, then 0.5",
                            "for the card issuer they differ by more than a thousand times as much",
                            "in relative terms too, the default costs the issuer far more (over twice the app's "
                            "excess)",
                            "cheaper misses move the lowest-cost threshold up",
                            "the fraud model pays for its building within its first month"]),
    # the iBuyer's fee, at the top of its section
    "ch3 higher fee": (CH3, {"FEE": "0.10"},
                       ["the fee's margin is gone: the purchases earn or lose less than 1% of what was paid"]),
    # bid at the median instead of the 25th percentile
    "ch3 median bids": (CH3, {"QUANTILE": "0.5"}, ["the cautious bids are the lower, the older the home"]),
    # a model a hundred times less often embarrassing
    "ch3 rarer failures": (CH3, {"ERROR_RATE": "1e-6"}, ["the consumer app has one posted nearly every day"]),
    # "set CORRELATION = 0.0 and both boundaries stand upright"
    "ch4 no correlation": (CH4, {"CORRELATION": "0.0"},
                           ["the data's features are correlated within a class; the samples' are not",
                            "naive Bayes draws a nearly vertical boundary; logistic regression's leans"]),
    # the simulated LLM's error rates are its parameters: one that never invents a COO
    "ch4 no hallucination": (CH4, {"P_HALLUCINATE": "0.0"},
                             ["the simulated LLM's documents look mostly right while its COO, where none is "
                              "named, is far worse than any other measure"]),
    # a stricter target for the documents kept
    "ch4 stricter target": (CH4, {"TARGET_ACCURACY": "0.99"},
                            ["a threshold reaches the target accuracy while keeping at least half of the "
                             "documents"]),
    # the assumed prices of the economics: labels ten times as dear
    "ch4 dear labels": (CH4, {"LABEL_USD": "5.0"}, []),
    # the exercise ex-ch5-budget's setting, made the section's budget
    "ch5 bigger budget": (CH5, {"DAILY_BUDGET": "200"},
                          ["with 200 a day, every candidate's recall rises"]),
    # "give it more, say 1,000, and see where it ranks"
    "ch5 more platform labels": (CH5, {"PRODUCTION_LABELS": "1000"},
                                 ["VADER has the highest precision at the budget, strictly",
                                  "on the platform's sentences, the log-loss picks the same model as the "
                                  "business metric"]),
    # every constant at the top of a section is an invitation
    "ch5 unanimous raters": (CH5, {"AGREE_SHARE": "1.0"}, []),
    "ch5 fewer splits": (CH5, {"LEAK_REPEATS": "2"}, []),
    # every constant at the top of a section is an invitation
    "ch6 purchases only": (CH6, {"BLEND": "1.0"}, []),
    "ch6 one item per provider": (CH6, {"PROVIDER_CAP": "1"}, []),
    "ch6 a bigger effect": (CH6, {"MDE_RELATIVE": "0.1"},
                            ["the smallest lift worth detecting (MDE_RELATIVE of A's rate) needs "
                             "more than twice the users each arm has"]),
    "ch6 no novelty": (CH6, {"NOVELTY": "0.0"},
                       ["by the last week, the novelty adds less than a third of what it added in "
                        "the first three days"]),
    "ch6 a longer test": (CH6, {"TEST_DAYS": "28"}, []),
    "ch6 a later break": (CH6, {"BREAK_DAY": "10"}, []),
    "ch6 fewer dimensions": (CH6, {"SVD_DIMENSIONS": "2"}, []),
}


#: The cases this run executes: the representative chapter's in CI, all with FULL_TESTS.
CASES = [name for name, (notebook, _, _) in INVITED.items()
         if FULL_TESTS or notebook.relative_to(ROOT).as_posix() in REPRESENTATIVES]


@pytest.fixture(scope="module")
def invited_runs():
    """Every selected case's run, one driver per chapter."""
    runs = {}
    for notebook in {INVITED[name][0] for name in CASES}:
        cases = {name: INVITED[name][1] for name in CASES if INVITED[name][0] == notebook}
        runs.update(run_invited(notebook, cases))
    return runs


def test_every_chapter_has_an_invited_change_and_ci_runs_some():
    chapters = set((ROOT / "chapters").glob("*.md"))
    covered = {notebook for notebook, _, _ in INVITED.values()}
    assert chapters <= covered, f"no invited change is tested for {sorted(p.name for p in chapters - covered)}"
    assert CASES, "CI runs no invited change: the representative chapter has none in INVITED"


@pytest.mark.parametrize("case", CASES)
def test_an_invited_change_runs_to_the_end(invited_runs, case):
    notebook, changes, breaks = INVITED[case]
    run = invited_runs[case]
    assert run.error is None, (
        f"{case}: with {changes} the notebook stopped in code cell {run.failing_cell}; an invited "
        f"change must run to the end, reporting claims that no longer hold in words:\n{run.error[-3000:]}")
    claims = run.claims
    assert claims, f"{case}: no claim was checked"
    assert any(set(r["changed"]) >= set(changes) for r in claims), (
        f"{case}: no check saw the change {sorted(changes)}: declare the parameters with "
        "claims.published(...) before the checks that depend on them")
    broken = {r["claim"] for r in claims if not r["held"]}
    missing = [claim for claim in breaks if claim not in broken]
    assert not missing, f"{case}: these claims should be reported as no longer holding: {missing}"


def test_every_chapter_is_swept_by_seed():
    from sweep import sweepable

    chapters = {p for p in (ROOT / "chapters").glob("*.md")}
    swept = set(sweepable())
    assert chapters <= swept, f"the seed sweep misses {sorted(map(str, chapters - swept))}"
    for chapter in chapters:
        first = chapter.read_text(encoding="utf-8")
        assert "\nSEED = 0  # change it" in first, f"{chapter.name}: no `SEED = 0  # change it` line"


def test_a_forked_change_starts_at_its_first_definition_and_edits_only_it():
    cells = ["import x", "A = 1\nB = 2", "print(A)", "B = 3"]
    assert first_cell_defining(cells, {"B": "5"}) == 1
    assert first_cell_defining(cells, {"A": "0", "B": "5"}) == 1
    assert apply_changes(cells, {"B": "5"}) == ["import x", "A = 1\nB = 5  # changed", "print(A)", "B = 3"]
    with pytest.raises(KeyError, match="NO_SUCH"):
        first_cell_defining(cells, {"NO_SUCH": "1"})


def test_a_forked_run_sees_the_change_and_reports_a_failing_cell(tmp_path):
    notebook = tmp_path / "tiny.md"
    notebook.write_text(
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "kernelspec:\n  name: python3\n  display_name: Python 3 (ipykernel)\n  language: python\n---\n\n"
        "```{code-cell} ipython3\nfrom book.claims import Claims\nimport os\nstarted = os.getpid()\n"
        "claims = Claims(globals())\n```\n\n"
        "```{code-cell} ipython3\nLIMIT = 3\nclaims.published(LIMIT=3)\n```\n\n"
        "```{code-cell} ipython3\nclaims.check(LIMIT > 2, 'the limit is above two', measured=str(LIMIT))\n"
        "assert os.getpid() != started or LIMIT == 3, 'a change runs in a forked copy'\n```\n\n"
        "```{code-cell} ipython3\n1 / (LIMIT - 1)\n```\n", encoding="utf-8")
    runs = run_invited(notebook, {"lower": {"LIMIT": "2"}, "one": {"LIMIT": "1"}, "none": {"NOPE": "1"}},
                       timeout=60)
    assert runs["lower"].error is None
    [record] = runs["lower"].claims
    assert record["held"] is False and record["measured"] == "2" and "LIMIT" in record["changed"]
    assert runs["one"].failing_cell == 3 and "ZeroDivisionError" in runs["one"].error
    assert runs["none"].error.startswith("ChangeNotApplied")


def test_a_change_that_names_no_parameter_is_an_error():
    with pytest.raises(ChangeNotApplied, match="NO_SUCH_PARAMETER"):
        with_changes(CH1.read_text(encoding="utf-8"), {"NO_SUCH_PARAMETER": "1"})


def test_a_change_replaces_only_the_first_definition():
    text = "```{code-cell} ipython3\nSEED = 0  # change it\nx = 1\nSEED = 0\n```\n"
    assert with_changes(text, {"SEED": "4"}) == "```{code-cell} ipython3\nSEED = 4  # changed\nx = 1\nSEED = 0\n```\n"
