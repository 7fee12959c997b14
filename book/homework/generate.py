"""Generate the learners' homework notebooks from the solutions.

The solution notebook ``exercises/solutions/NN_name.md`` is the only source.
Its learner copy ``exercises/NN_name.md`` is generated from it:

- a code cell tagged ``solution`` keeps only stubs for the answers: an answer
  variable becomes ``name = ...``, an answer function keeps its signature and
  docstring and returns ``...``; all other code becomes ``# your code here``;
- a markdown cell tagged ``solution`` (an explanation) is dropped;
- " (solutions)" is dropped from the title, and tags that fold cells away on
  the solution page are removed;
- the learner's instructions are added, which the solutions leave out (their
  page is for reading the answers): how to answer and check, in a cell before
  the first code cell (:data:`HOW_TO_ANSWER`), and how to grade, in a last
  section (:data:`GRADE_SENTENCE`). The book's site adds how to open the page
  as a notebook (``book.sphinx_notebooks``).

An answer is a name passed to a check, as in ``q1.check(name)``.

Usage::

    python -m book.homework.generate          # rewrite every learner copy
    python -m book.homework.generate --check  # exit 1 if a committed copy is stale
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
from pathlib import Path, PurePosixPath

import jupytext
import nbformat

SOLUTION_TAG = "solution"
#: Tags that fold a cell away on the solution page; the learner sees their stub.
FOLDING_TAGS = {"hide-input", "hide-cell", "hide-output", "remove-input"}
PLACEHOLDER = "# your code here"
SOLUTIONS_TITLE_SUFFIX = " (solutions)"
CHECK_CALL = re.compile(r"\bq\w*\.check\(\s*([A-Za-z_]\w*)\s*\)")

#: How to answer and check, inserted into every learner copy before its first code cell.
HOW_TO_ANSWER = """\
**How to answer.** For each question, write your code where it says
`# your code here`, replace each `...` with your answer, and run the check cell below
it: `q1.check(answer)` says at once whether the answer is right and, if not, what looks
wrong, without giving the answer away. Stuck? `q1.hint()` gives a first hint and
`q1.hint(2)` a more specific one (`q2.hint()` for question 2, and so on).
When you are done, grade yourself: the last section says how."""

#: The one sentence that says how to grade a homework: ``{path}`` is its learner copy.
GRADE_SENTENCE = (
    "Save the notebook, then run `python -m book.grade {path}` in a terminal, from the "
    "repository root (the folder that holds `exercises/`) and in the book's "
    "environment: "
    "in Binder's terminal as is, locally after `source .venv/bin/activate`."
)
GRADE_HEADING = "## Grade yourself"
GRADE_SECTION = f"""\
{GRADE_HEADING}

{{sentence}}

It runs the notebook from top to bottom in a fresh kernel and prints a scorecard: each
question passed, failed (with the reason), not attempted, or not reached (when an error
stopped the notebook before it)."""
#: Phrases of the learner's instructions, which a solution source must not hold.
INSTRUCTION_MARKERS = ("How to answer", "book.grade", GRADE_HEADING, "your code here")


def answer_names(notebook):
    """The names that the notebook passes to ``qN.check(...)``."""
    return {
        name
        for cell in notebook.cells
        if cell.cell_type == "code"
        for name in CHECK_CALL.findall(cell.source)
    }


def _function_stub(node):
    stub = copy.deepcopy(node)
    doc = ast.get_docstring(node)
    stub.body = ([ast.Expr(ast.Constant(doc))] if doc else []) + [
        ast.Return(ast.Constant(Ellipsis))
    ]
    lines = ast.unparse(stub).splitlines()
    indent = " " * (len(lines[-1]) - len(lines[-1].lstrip()))
    return "\n".join(lines[:-1] + [indent + PLACEHOLDER] + lines[-1:])


def stub_source(source, answers):
    """The learner's version of a solution cell's code."""
    stubs, only_functions = [], True
    for node in ast.parse(source).body:
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name in answers
        ):
            stubs.append(_function_stub(node))  # carries its own placeholder
            continue
        only_functions = False
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        stubs.extend(
            f"{t.id} = ..."
            for t in targets
            if isinstance(t, ast.Name) and t.id in answers
        )
    return "\n".join(([] if stubs and only_functions else [PLACEHOLDER]) + stubs)


def learner_notebook(solution):
    """The learner copy of a solution notebook (a new notebook; the solution is not
    changed)."""
    notebook = copy.deepcopy(solution)
    answers = answer_names(notebook)
    cells = []
    for cell in notebook.cells:
        tags = list(cell.metadata.get("tags", []))
        if SOLUTION_TAG in tags:
            if cell.cell_type != "code":
                continue
            cell.source = stub_source(cell.source, answers)
            cell.outputs, cell.execution_count = [], None
            tags = [t for t in tags if t != SOLUTION_TAG and t not in FOLDING_TAGS]
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
        cells.append(cell)
    notebook.cells = cells
    return notebook


def _retitle(notebook, source_name):
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            lines = cell.source.splitlines()
            for i, line in enumerate(lines):
                if line.startswith("# "):
                    lines[i] = line.replace(SOLUTIONS_TITLE_SUFFIX, "")
                    break
            banner = (
                f"% Generated from exercises/solutions/{source_name} by "
                "`python -m book.homework.generate`: edit that file, then regenerate."
            )
            cell.source = "\n".join([banner] + lines)
            return


def wrap_markdown(text, width=88):
    """``text`` on lines of at most ``width`` characters, never breaking inside
    `code`."""
    lines, line = [], ""
    for word in re.findall(r"(?:`[^`]*`|[^\s`])+", text):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line])


def grade_section(learner_path):
    """The markdown of the "Grade yourself" section of the learner copy
    ``learner_path``."""
    sentence = GRADE_SENTENCE.format(path=PurePosixPath(learner_path).as_posix())
    return GRADE_SECTION.format(sentence=wrap_markdown(sentence))


def instructions_in(notebook):
    """The markdown cells of ``notebook`` that hold learner instructions, as
    ``{index: marker}``."""
    return {
        index: marker
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown"
        for marker in INSTRUCTION_MARKERS
        if marker in cell.source
    }


def add_instructions(notebook, learner_path):
    """Add the learner's instructions to ``notebook`` (in place).

    :data:`HOW_TO_ANSWER` goes before the first code cell (the imports), and the
    "Grade yourself" section (:func:`grade_section`) at the end.
    """
    first_code = next(
        (i for i, c in enumerate(notebook.cells) if c.cell_type == "code"),
        len(notebook.cells),
    )
    notebook.cells.insert(first_code, nbformat.v4.new_markdown_cell(HOW_TO_ANSWER))
    notebook.cells.append(nbformat.v4.new_markdown_cell(grade_section(learner_path)))
    for cell in notebook.cells[first_code], notebook.cells[-1]:
        cell.pop("id", None)  # jupytext's .md keeps no cell ids
    return notebook


def learner_copy_text(solution_path):
    """The text of the learner copy of ``solution_path``, as it should be committed.

    Raises ValueError when the solution holds the learner's instructions: they are
    generated, so that the solutions page doesn't repeat them.
    """
    solution_path = Path(solution_path)
    solution = jupytext.read(solution_path)
    found = instructions_in(solution)
    if found:
        where = ", ".join(
            f"markdown cell {i} ({marker!r})" for i, marker in found.items()
        )
        raise ValueError(
            f"{solution_path}: the learner's instructions are generated into "
            f"the learner copy; remove them from the solution ({where})"
        )
    notebook = learner_notebook(solution)
    _retitle(notebook, solution_path.name)
    add_instructions(notebook, f"exercises/{solution_path.name}")
    return jupytext.writes(notebook, fmt="md:myst")


def expected_copies(root):
    """``{learner copy path: its expected text}`` for every solution under ``root``."""
    solutions = Path(root) / "exercises" / "solutions"
    return {
        solutions.parent / path.name: learner_copy_text(path)
        for path in sorted(solutions.glob("*.md"))
    }


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m book.homework.generate", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check that the learner copies are up to date",
    )
    parser.add_argument(
        "--root", default=".", help="the repository root (default: the current folder)"
    )
    args = parser.parse_args(argv)
    root = Path(args.root)
    if not (root / "exercises" / "solutions").is_dir():
        parser.error(
            f"no exercises/solutions folder under {root.resolve()}; run from the "
            "repository root or pass --root"
        )
    stale = []
    for path, text in expected_copies(root).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if args.check and stale:
        print(
            "These learner copies differ from their solutions; run `python -m "
            "book.homework.generate`:"
        )
        print("\n".join(f"  {p}" for p in stale))
        return 1
    if not stale:
        print("Every learner copy is up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
