"""Learner copies are generated from the solutions, stay in sync, and carry no solution code."""

import ast
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
