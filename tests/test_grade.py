"""python -m book.grade on fixture notebooks: solved, partly solved, wrong, crashing,
hanging, invalid, empty and unreadable; with stale saved outputs, skip-execution tags, an
import typo, a lost header, a 1 MB error; and a README. Every file gets a row; none stops
the others."""

import csv

import jupytext
import nbformat
import numpy as np
import pytest

from book import grade
from book.homework import ch01
from book.homework.question import Feedback
from conftest import ROOT

SOLUTION = ROOT / "exercises" / "solutions" / "01_does_it_need_ml.md"
LEARNER = ROOT / "exercises" / "01_does_it_need_ml.md"
HANG_TIMEOUT_S = 30  # the per-notebook limit of the run; a solved notebook needs a few seconds
# (more on a busy machine: the limit is for the whole notebook)


def _solution_cell(number):
    """The source of the solution cell of question `number`."""
    cells = [c for c in jupytext.read(SOLUTION).cells if "solution" in c.metadata.get("tags", []) and c.cell_type == "code"]
    return cells[number - 1].source


def _learner_with(**answers):
    """The learner copy, with the stub cell of each question number replaced by the given code."""
    notebook = jupytext.read(LEARNER)
    stubs = [c for c in notebook.cells if c.cell_type == "code" and "# your code here" in c.source]
    for key, code in answers.items():
        stubs[int(key[1:]) - 1].source = code
    return notebook


def _insert_after_check(notebook, question, code):
    index = next(i for i, c in enumerate(notebook.cells) if f"{question}.check(" in c.source)
    notebook.cells.insert(index + 1, jupytext.reads(f"```{{code-cell}} ipython3\n{code}\n```", fmt="md:myst").cells[0])
    return notebook


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    solved = jupytext.read(SOLUTION)
    jupytext.write(solved, folder / "a_solved.md")
    # partly solved, and saved as .ipynb as a learner might
    jupytext.write(_learner_with(q1=_solution_cell(1), q3=_solution_cell(3)), folder / "b_partly.ipynb")
    jupytext.write(_learner_with(
        q1="break_even = -economics.break_even_volume(ch01.TRIAGE_MODEL, ch01.NURSE, ch01.COST_PER_ERROR_USD)",
        q2=_solution_cell(2) + "\nbest_rate = 100 * best_rate",
        q3="first_month_below = 2.5",
        q4="failed = {}",
        q5='def cheapest(volume):\n    return "nurse"',
    ), folder / "c_wrong.md")
    jupytext.write(_insert_after_check(jupytext.read(SOLUTION), "q2", "1 / 0"), folder / "d_raises.md")
    jupytext.write(_insert_after_check(jupytext.read(SOLUTION), "q1", "import time\ntime.sleep(600)"),
                   folder / "e_hangs.md")
    jupytext.write(_learner_with(q1=_solution_cell(1), q2="best_rate = (0.4"), folder / "f_syntax.md")
    (folder / "g_empty.ipynb").write_text("")
    (folder / "h_garbled.ipynb").write_text("{ this is not json")
    (folder / "README.md").write_text("# Submissions of week 1\n")  # not a notebook: skipped
    # saved outputs that say "passed", under a cell that now fails: they must not count
    stale = _with_saved_passes(_learner_with())
    stale.cells.insert(_first_code(stale) + 1, nbformat.v4.new_code_cell('raise RuntimeError("changed")'))
    nbformat.write(stale, folder / "i_stale.ipynb")
    # check cells tagged skip-execution keep their saved "passed": they must not count either
    skipping = _with_saved_passes(_learner_with())
    for cell in skipping.cells:
        if cell.cell_type == "code" and ".check(" in cell.source:
            cell.metadata["tags"] = ["skip-execution"]
    nbformat.write(skipping, folder / "j_skip.ipynb")
    typo = jupytext.read(SOLUTION)
    first = _first_code(typo)
    typo.cells[first].source = typo.cells[first].source.replace(
        "from book.homework import ch01\n", "from book.homework import ch1\n")
    assert "import ch1\n" in typo.cells[first].source
    jupytext.write(typo, folder / "k_typo.md")
    text = SOLUTION.read_text(encoding="utf-8")
    (folder / "l_headerless.md").write_text(text[text.index("\n---\n", 3) + 5:], encoding="utf-8")
    (folder / "m_empty.md").write_text("")
    jupytext.write(_insert_after_check(jupytext.read(SOLUTION), "q1", 'raise ValueError("x" * 1_000_000)'),
                   folder / "n_huge_error.md")
    return folder


def _first_code(notebook):
    return next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code")


def _with_saved_passes(notebook):
    """The notebook as .ipynb, with a saved output on each check cell that says it passed."""
    notebook = nbformat.from_dict(notebook)
    for cell in (c for c in notebook.cells if c.cell_type == "code"):
        for question in ch01.QUESTIONS:
            if f"{question.name}.check(" in cell.source:
                data, metadata = Feedback(question.name, "passed", "Correct.")._repr_mimebundle_()
                cell.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=metadata)]
    return notebook


@pytest.fixture(scope="module")
def graded(submissions, tmp_path_factory):
    """One run of the grader over the whole folder, as a facilitator would."""
    out = tmp_path_factory.mktemp("out") / "grades.csv"
    code = grade.main([str(submissions), "--timeout", str(HANG_TIMEOUT_S), "--csv", str(out)])
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return code, rows


def _statuses(rows, name):
    return {r["question"]: r["status"] for r in rows if r["notebook"].endswith(name)}


def _problem(rows, name):
    return next(r["notebook_problem"] for r in rows if r["notebook"].endswith(name))


def test_grades_every_notebook_and_fails_the_run(graded, capsys):
    code, rows = graded
    assert code == 1
    names = {r["notebook"].rsplit("/", 1)[-1] for r in rows}
    assert names == {"a_solved.md", "b_partly.ipynb", "c_wrong.md", "d_raises.md", "e_hangs.md",
                     "f_syntax.md", "g_empty.ipynb", "h_garbled.ipynb", "i_stale.ipynb", "j_skip.ipynb",
                     "k_typo.md", "l_headerless.md", "m_empty.md", "n_huge_error.md", "README.md"}
    assert {r["edition"] for r in rows} == {grade.edition()} and grade.edition().startswith("0.")


def test_saved_outputs_never_count(graded):
    """Only what this run produced is graded: saved outputs under a failing cell, or on
    cells tagged skip-execution, are cleared before the run."""
    assert set(_statuses(graded[1], "i_stale.ipynb").values()) == {"not reached"}
    assert "RuntimeError: changed" in _problem(graded[1], "i_stale.ipynb")
    assert set(_statuses(graded[1], "j_skip.ipynb").values()) == {"not attempted"}


def test_an_import_typo_is_a_row_not_a_crash(graded):
    assert set(_statuses(graded[1], "k_typo.md").values()) == {"not reached"}
    assert "ImportError" in _problem(graded[1], "k_typo.md")


def test_a_notebook_that_imports_no_existing_homework_is_reported(tmp_path):
    notebook = jupytext.read(SOLUTION)
    first = _first_code(notebook)
    notebook.cells[first].source = notebook.cells[first].source.replace("ch01", "ch1")
    jupytext.write(notebook, tmp_path / "typo.md")
    result = grade.grade_notebook(tmp_path / "typo.md")
    assert "book.homework.ch1, which does not exist" in result.problem and not result.questions


def test_empty_and_headerless_files_are_errors_and_a_readme_is_skipped(graded):
    rows = graded[1]
    assert _statuses(rows, "m_empty.md") == {"": "error"} and "empty" in _problem(rows, "m_empty.md")
    assert _statuses(rows, "l_headerless.md") == {"": "error"}
    assert "no jupytext header" in _problem(rows, "l_headerless.md")
    assert _statuses(rows, "README.md") == {"": "skipped"}


def test_a_huge_error_message_is_cut(graded, capsys):
    problem = _problem(graded[1], "n_huge_error.md")
    assert len(problem) <= grade.MAX_MESSAGE and problem.endswith(grade.CUT_MARK) and "ValueError" in problem
    assert _statuses(graded[1], "n_huge_error.md")["q1"] == "passed"


def test_solved(graded):
    assert set(_statuses(graded[1], "a_solved.md").values()) == {"passed"}
    assert _problem(graded[1], "a_solved.md") == ""


def test_partly_solved_ipynb(graded):
    assert _statuses(graded[1], "b_partly.ipynb") == {
        "q1": "passed", "q2": "not attempted", "q3": "passed", "q4": "not attempted", "q5": "not attempted"}


def test_wrong_answers_carry_their_messages(graded):
    rows = [r for r in graded[1] if r["notebook"].endswith("c_wrong.md")]
    assert {r["status"] for r in rows} == {"failed"}
    messages = {r["question"]: r["message"] for r in rows}
    assert "wrong sign" in messages["q1"] and "100 times too large" in messages["q2"]
    assert "whole number" in messages["q3"] and "wrong keys" in messages["q4"] and "wrong for" in messages["q5"]


def test_a_notebook_that_raises_midway(graded):
    assert _statuses(graded[1], "d_raises.md") == {
        "q1": "passed", "q2": "passed", "q3": "not reached", "q4": "not reached", "q5": "not reached"}
    assert "ZeroDivisionError" in _problem(graded[1], "d_raises.md")


def test_a_notebook_that_never_ends(graded):
    statuses = _statuses(graded[1], "e_hangs.md")
    assert statuses["q1"] == "passed" and set(list(statuses.values())[1:]) == {"not reached"}
    assert f"timed out after {HANG_TIMEOUT_S} s" in _problem(graded[1], "e_hangs.md")


def test_invalid_syntax(graded):
    assert _statuses(graded[1], "f_syntax.md") == {
        "q1": "passed", "q2": "not reached", "q3": "not reached", "q4": "not reached", "q5": "not reached"}
    assert "SyntaxError" in _problem(graded[1], "f_syntax.md")


def test_empty_and_unreadable_files(graded):
    assert _statuses(graded[1], "g_empty.ipynb") == {"": "error"}
    assert "empty" in _problem(graded[1], "g_empty.ipynb")
    assert "could not be read" in _problem(graded[1], "h_garbled.ipynb")


def test_scorecard_text(submissions, capsys):
    code = grade.main([str(submissions / "d_raises.md"), str(submissions / "a_solved.md")])
    out = capsys.readouterr().out
    assert code == 1
    assert "[1/2] " in out and "[2/2] " in out  # a progress line per notebook
    assert "d_raises.md: 2/5 passed; stopped in cell" in out and "ZeroDivisionError" in out
    assert "  q3  not reached  the notebook stopped before this check" in out
    assert "1 of 2 notebooks pass every question." in out


def test_all_passed_exits_zero(submissions, capsys):
    assert grade.main([str(submissions / "a_solved.md")]) == 0
    assert "1 of 1 notebooks pass every question." in capsys.readouterr().out


@pytest.mark.parametrize("argv", [[], ["no/such/notebook.md"], ["--timeout", "0", "x.md"]])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        grade.main(argv)
    assert stop.value.code == 2


def test_a_folder_without_notebooks_is_a_usage_error(tmp_path):
    (tmp_path / "notes.md").write_text("just notes")
    with pytest.raises(SystemExit) as stop:
        grade.main([str(tmp_path)])
    assert stop.value.code == 2


def test_a_notebook_that_cannot_be_executed_does_not_stop_the_others(submissions, monkeypatch, capsys):
    def broken_kernel(*args, **kwargs):
        raise RuntimeError("no kernel today")

    monkeypatch.setattr(grade, "_execute", broken_kernel)
    result = grade.grade_notebook(submissions / "a_solved.md")
    assert "could not be executed (RuntimeError: no kernel today)" in result.problem
    assert "the grader's side, not the learner's" in result.problem
    # not the learner's doing: an error row, not questions "not reached"
    assert result.questions == [] and not result.all_passed
    table = submissions.parent / "broken.csv"
    grade.write_csv([result], table)
    assert "error" in table.read_text(encoding="utf-8")


def test_the_folder_is_graded_in_parallel_and_reported_in_order(graded):
    """The fixture's run used the default --jobs (the number of cores); the CSV keeps
    the order of the files."""
    order = list(dict.fromkeys(r["notebook"].rsplit("/", 1)[-1] for r in graded[1]))
    assert order == sorted(order) and len(order) == 15


def test_the_cohort_summary_counts_each_status_and_names_the_common_failure():
    def notebook(name, *results):
        return grade.NotebookGrade(name, [grade.QuestionResult(q, s, m) for q, s, m in results])

    grades = [
        notebook("a.md", ("q1", "passed", "Correct."), ("q2", "failed", "Wrong sign.")),
        notebook("b.md", ("q1", "failed", "Too small."), ("q2", "failed", "Wrong sign.")),
        notebook("c.md", ("q1", "not reached", ""), ("q2", "not attempted", "")),
        grade.NotebookGrade("README.md", skipped=True, problem="not a homework notebook"),
    ]
    text = grade.cohort_summary(grades)
    assert "3 notebook(s)." in text
    assert "q1: 1 passed, 1 failed, 1 not reached" in text
    assert "q2: 2 failed, 1 not attempted" in text
    assert "most common failure (2x): Wrong sign." in text


def test_jobs_must_be_positive(capsys):
    with pytest.raises(SystemExit) as stop:
        grade.main(["--jobs", "0", str(SOLUTION)])
    assert stop.value.code == 2


FORGE = "from IPython.display import display\nfrom book.homework.question import Feedback\n"


@pytest.fixture(scope="module")
def tampered(tmp_path_factory):
    """Wrong answers that made their checks pass in the learner's kernel, by tampering;
    the grader re-checks each answer in its own process, so each must fail there."""
    folder = tmp_path_factory.mktemp("tampered")
    cases = {
        # q1.check replaced by one that shows a forged "passed" record
        "patched_check.md": {"q1": FORGE + "break_even = 1.0\n"
                                    "q1.check = lambda answer: display(Feedback('q1', 'passed', 'Correct.'))"},
        # the expected answer overwritten in the kernel
        "expected_set.md": {"q3": "first_month_below = 99\nch01.q3.expected = 99"},
        # a str that equals everything, returned by a wrong function
        "always_equal.md": {"q5": "class Anything(str):\n    def __eq__(self, other):\n        return True\n\n"
                                  "    def __ne__(self, other):\n        return False\n\n"
                                  "    __hash__ = str.__hash__\n\n\n"
                                  "def cheapest(volume):\n    return Anything('nobody')"},
        # the question replaced by one that always passes
        "replaced_question.md": {"q4": FORGE + "failed = {}\n"
                                        "class AlwaysRight:\n    def check(self, answer):\n"
                                        "        display(Feedback('q4', 'passed', 'Correct.'))\n\n\n"
                                        "q4 = AlwaysRight()"},
    }
    for name, answers in cases.items():
        jupytext.write(_learner_with(**answers), folder / name)
    grades = grade.grade_all(sorted(folder.iterdir()), timeout_s=60, jobs=2)
    return {g.path.name: {q.question: q for q in g.questions} for g in grades}


@pytest.mark.parametrize("name, question", [
    ("patched_check.md", "q1"), ("expected_set.md", "q3"), ("always_equal.md", "q5"),
    ("replaced_question.md", "q4")])
def test_tampering_in_the_kernel_does_not_pass(tampered, name, question):
    result = tampered[name][question]
    assert result.status == "failed", f"{name}: {question} is {result.status} ({result.message})"


def test_an_answer_that_is_not_plain_data_fails_with_a_message(tmp_path):
    notebook = _learner_with(q1="break_even = object()")
    jupytext.write(notebook, tmp_path / "object.md")
    [result] = [q for q in grade.grade_notebook(tmp_path / "object.md", 60).questions if q.question == "q1"]
    assert result.status == "failed" and "could not be taken out of the notebook as plain data" in result.message


MODEL_CELL = """\
import numpy as np
from sklearn.tree import DecisionTreeClassifier

X = np.array([(a, b) for a in range(4) for b in range(4)], dtype=float)
y = (X[:, 0] > X[:, 1]).astype(int)
model = {fit}


class Check:  # stands in for a homework question about a model
    def check(self, answer):
        return None


q6 = Check()
q6.check(model)"""


@pytest.mark.parametrize("fit, status, fragment", [
    ("DecisionTreeClassifier(random_state=0).fit(X, y)", "passed", ""),
    ("DecisionTreeClassifier(random_state=0).fit(X, 1 - y)", "failed", "match the expected ones on 0%"),
    ("DecisionTreeClassifier()", "failed", "Has it been fitted"),
    ("type('Forged', (), {'predict': lambda self, rows: 'all right', 'score': 1.0})()", "failed",
     "returned a str, not one output per row"),
    ("type('Lazy', (), {'predict': lambda self, rows: [1] * len(rows)})()", "failed",
     "match the expected ones on 38%"),
    ("'a model'", "failed", "a str, with no `predict` method"),
])
def test_a_model_question_is_graded_by_the_models_outputs_taken_out(tmp_path, monkeypatch, fit, status,
                                                                      fragment):
    from sklearn.tree import DecisionTreeClassifier

    from book.homework.checks import Model
    from book.homework.question import Question

    rows = tuple((float(a), float(b)) for a in range(4) for b in range(4))
    X = np.array(rows)
    reference = DecisionTreeClassifier(random_state=0).fit(X, (X[:, 0] > X[:, 1]).astype(int))
    question = Question("q6", Model(inputs=rows), lambda: tuple(reference.predict(X).tolist()), "")
    # the grader's copy of the homework has a model question; the notebook only needs to check it
    monkeypatch.setattr(ch01, "QUESTIONS", [*ch01.QUESTIONS, question])
    notebook = _learner_with()
    notebook.cells.append(nbformat.v4.new_code_cell(MODEL_CELL.format(fit=fit)))
    jupytext.write(notebook, tmp_path / "model.md")
    [result] = [q for q in grade.grade_notebook(tmp_path / "model.md", 60).questions if q.question == "q6"]
    assert result.status == status, result.message
    assert fragment in result.message


@pytest.mark.parametrize("source, found", [
    ("q1.check(break_even)  # a comment", [("q1", "break_even")]),
    ("ch01.q1.check(answer=break_even)", [("q1", "break_even")]),
    ("%time q2.check(best_rate)", [("q2", "best_rate")]),
    ("%%time\nx = 1\nq3.check(x + 1)", [("q3", "x + 1")]),
    ("if True:\n    q1.check(a)\nq2.check(\n    b,\n)", [("q1", "a"), ("q2", "b")]),
    ("q9.check(a)\nq1.hint()", []),
    ("q1.check(", []),
])
def test_the_grader_finds_each_checked_expression(source, found):
    assert grade._checked_expressions(source, {"q1", "q2", "q3"}) == found


def test_an_answer_that_breaks_decoding_costs_only_its_own_row():
    result = grade._recheck(ch01.q1, "{not json")
    assert result.status == "failed" and "could not be taken out" in result.message


def test_the_grader_also_runs_inside_a_running_event_loop():
    """As when a facilitator calls it from a notebook cell, where an event loop runs."""
    import asyncio

    async def grade_from_a_loop():
        return grade.grade_notebook(LEARNER, 60)

    result = asyncio.run(grade_from_a_loop())
    assert result.problem == "" and {q.status for q in result.questions} == {"not attempted"}, result
