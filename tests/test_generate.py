"""Learner copies are generated from the solutions, stay in sync, and carry no solution code."""

import ast
import re
import shutil
import textwrap

import jupytext
import pytest

from book.homework import generate
from conftest import ROOT

SOLUTIONS = sorted((ROOT / "exercises" / "solutions").glob("*.md"))


def test_every_solution_has_a_learner_copy_and_back():
    learner = {p.name for p in (ROOT / "exercises").glob("*.md")}
    assert SOLUTIONS, "no homework solutions found"
    assert learner == {p.name for p in SOLUTIONS}


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_committed_learner_copy_is_what_generation_gives(solution):
    committed = (ROOT / "exercises" / solution.name).read_text(encoding="utf-8")
    assert committed == generate.learner_copy_text(solution), (
        f"exercises/{solution.name} is stale: run `python -m book.homework.generate`"
    )


def _solution_statements(solution):
    """Every line of code in the solution cells, except the parts the learner copy keeps on purpose."""
    notebook = jupytext.read(solution)
    answers = generate.answer_names(notebook)
    lines = set()
    for cell in notebook.cells:
        if cell.cell_type == "code" and generate.SOLUTION_TAG in cell.metadata.get("tags", []):
            kept = set(generate.stub_source(cell.source, answers).splitlines())
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.FunctionDef):
                    kept.add(ast.get_source_segment(cell.source, node).splitlines()[0])  # the signature
            for line in cell.source.splitlines():
                line = line.strip()
                meaningful = any(ch.isalnum() for ch in line) and not line.startswith(("#", '"""'))
                if meaningful and line not in {k.strip() for k in kept}:
                    lines.add(line)
    return lines


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_no_solution_code_reaches_the_learner_copy(solution):
    statements = _solution_statements(solution)
    assert len(statements) >= 5, "the solution should have code to hide"
    learner = (ROOT / "exercises" / solution.name).read_text(encoding="utf-8")
    leaked = [line for line in statements if line in learner]
    assert not leaked, f"solution code in the learner copy: {leaked}"


def test_stub_source_keeps_answers_and_hides_the_work():
    source = textwrap.dedent('''
        import numpy as np
        data = np.arange(10)
        answer = float(data.mean())
        other = 3
    ''')
    assert generate.stub_source(source, {"answer"}) == "# your code here\nanswer = ..."
    assert generate.stub_source("x = 1\nprint(x)", set()) == "# your code here"


def test_stub_source_keeps_a_function_signature_and_docstring():
    source = textwrap.dedent('''
        def cheapest(volume, cost=2.0):
            """Name of the cheapest option."""
            totals = {"a": volume * cost}
            return min(totals, key=totals.get)
    ''')
    stub = generate.stub_source(source, {"cheapest"})
    assert stub == textwrap.dedent('''\
        def cheapest(volume, cost=2.0):
            """Name of the cheapest option."""
            # your code here
            return ...''')
    namespace = {}
    exec(stub, namespace)
    assert namespace["cheapest"](1) is Ellipsis  # what the check reads as "not attempted yet"


def test_learner_notebook_drops_explanations_and_folding_tags():
    solution = jupytext.reads(textwrap.dedent('''\
        ---
        kernelspec:
          name: python3
          display_name: Python 3
          language: python
        ---
        # Homework 9 (solutions)

        +++ {"tags": ["solution"]}

        Only on the solution page.

        +++

        ```{code-cell} ipython3
        :tags: [solution, hide-input]

        answer = 6 * 7
        ```

        ```{code-cell} ipython3
        q1.check(answer)
        ```
        '''), fmt="md:myst")
    learner = generate.learner_notebook(solution)
    sources = [c.source for c in learner.cells]
    assert "Only on the solution page." not in "\n".join(sources)
    assert "# your code here\nanswer = ..." in sources
    assert all("tags" not in c.metadata for c in learner.cells)
    assert "6 * 7" in solution.cells[2].source  # the solution itself is untouched


def test_check_mode_catches_a_solution_edited_without_regenerating(tmp_path, capsys):
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises")
    generate.main(["--root", str(tmp_path)])  # in sync to begin with, whatever the repo's state
    assert generate.main(["--check", "--root", str(tmp_path)]) == 0
    edited = tmp_path / "exercises" / "solutions" / SOLUTIONS[0].name
    edited.write_text(edited.read_text(encoding="utf-8").replace("## Question 1", "## Question one"), encoding="utf-8")
    assert generate.main(["--check", "--root", str(tmp_path)]) == 1
    assert SOLUTIONS[0].name in capsys.readouterr().out
    assert generate.main(["--root", str(tmp_path)]) == 0  # regenerating repairs it
    assert generate.main(["--check", "--root", str(tmp_path)]) == 0


def test_generate_without_solutions_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as stop:
        generate.main(["--root", str(tmp_path)])
    assert stop.value.code == 2


LEARNERS = [ROOT / "exercises" / s.name for s in SOLUTIONS]
#: A constant of the homework's modules, as the prose names it (`ch02.TRAINING_S`).
NAMED_CONSTANT = re.compile(r"\b((?:ch\d\d|memory|economics|data)\.[A-Z][A-Z0-9_]*)\b")


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_the_solutions_leave_out_the_learner_instructions(solution):
    """The solutions page shows the answers; how to answer and grade is the learner copy's."""
    notebook = jupytext.read(solution)
    assert generate.instructions_in(notebook) == {}
    text = solution.read_text(encoding="utf-8")
    assert "python -m book.grade" not in text and "Grade yourself" not in text


@pytest.mark.parametrize("learner", LEARNERS, ids=lambda p: p.name)
def test_the_learner_copy_says_how_to_answer_then_how_to_grade(learner):
    cells = jupytext.read(learner).cells
    first_code = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    assert cells[first_code - 1].source == generate.HOW_TO_ANSWER, "how to answer, just before the imports"
    assert cells[-1].cell_type == "markdown" and cells[-1].source.startswith(generate.GRADE_HEADING)
    sentence = generate.GRADE_SENTENCE.format(path=f"exercises/{learner.name}")
    assert " ".join(cells[-1].source.split()).count(sentence) == 1
    for needle in ("q1.check(answer)", "q1.hint()", "# your code here"):
        assert needle in cells[first_code - 1].source


@pytest.mark.parametrize("learner", LEARNERS, ids=lambda p: p.name)
def test_one_grading_command_for_each_homework(learner):
    """Every mention of the grader is the same command, with the homework's own path."""
    text = learner.read_text(encoding="utf-8")
    commands = re.findall(r"[\w./]*python -m book\.grade[^`\n]*", text)
    assert commands == [f"python -m book.grade exercises/{learner.name}"]


@pytest.mark.parametrize("learner", LEARNERS, ids=lambda p: p.name)
def test_every_constant_the_prose_names_is_shown_on_the_page(learner):
    """A reader of the site sees the numbers: each constant the prose names is printed or
    displayed by a code cell the learner copy keeps (not only used in the hidden solution)."""
    cells = jupytext.read(learner).cells
    shown = "\n".join(c.source for c in cells if c.cell_type == "code"
                      and generate.PLACEHOLDER not in c.source and ".check(" not in c.source)
    named = {name for c in cells if c.cell_type == "markdown" for name in NAMED_CONSTANT.findall(c.source)}
    assert named, "the prose names no constant: is the pattern still right?"
    hidden = sorted(name for name in named if name not in shown)
    assert not hidden, f"{learner.name}: the prose names {hidden}, but no kept code cell shows them"


def test_generation_inserts_the_instructions_and_refuses_them_in_a_solution(tmp_path):
    solution = tmp_path / "exercises" / "solutions" / "09_x.md"
    solution.parent.mkdir(parents=True)
    source = textwrap.dedent('''\
        ---
        kernelspec:
          name: python3
          display_name: Python 3
          language: python
        ---
        # Homework 9 (solutions)

        What this homework practises.

        ```{code-cell} ipython3
        answer = 6 * 7
        ```
        ''')
    solution.write_text(source, encoding="utf-8")
    cells = jupytext.reads(generate.learner_copy_text(solution), fmt="md:myst").cells
    assert [c.cell_type for c in cells] == ["markdown", "markdown", "code", "markdown"]
    assert cells[0].source.endswith("# Homework 9\n\nWhat this homework practises.")
    assert cells[1].source == generate.HOW_TO_ANSWER
    assert "python -m book.grade exercises/09_x.md" in " ".join(cells[-1].source.split())
    solution.write_text(source.replace("practises.", "practises. Grade it: `python -m book.grade x`."),
                        encoding="utf-8")
    with pytest.raises(ValueError, match="generated into the learner copy"):
        generate.learner_copy_text(solution)


def test_wrap_markdown_keeps_code_spans_whole():
    text = "Run `python -m book.grade exercises/01_does_it_need_ml.md` from the root, (`here`)."
    wrapped = generate.wrap_markdown(text, width=20)
    assert " ".join(wrapped.split()) == text
    assert "`python -m book.grade exercises/01_does_it_need_ml.md`" in wrapped.splitlines()
    assert all(len(line) <= 20 or line.count("`") == 2 for line in wrapped.splitlines())
