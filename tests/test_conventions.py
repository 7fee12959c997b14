"""Conventions the notebooks follow, checked on their source (README, "Write a chapter")."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from book.sphinx_prose import fold_label
from conftest import ROOT, book_notebooks

NOTEBOOKS = book_notebooks()
_IPYTHON = TransformerManager()


def _code_cells(path):
    for index, cell in enumerate(jupytext.read(path).cells):
        if cell.cell_type == "code":
            yield index, _IPYTHON.transform_cell(cell.source)


def test_every_assert_says_which_claim_failed(notebook):  # one test per notebook (conftest)
    bare = []
    for index, source in _code_cells(notebook):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Assert) and node.msg is None:
                bare.append(f"cell {index}, line {node.lineno}: {ast.get_source_segment(source, node)}")
    assert not bare, ("asserts without a message (use claims.check(..., 'the claim in words'), or give the "
                      f"assert a message that names the claim): {bare}")


@pytest.mark.parametrize("chapter", [p for p in NOTEBOOKS if p.parent.name == "chapters"],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_chapter_declares_the_settings_its_text_was_written_for(chapter):
    text = chapter.read_text(encoding="utf-8")
    assert re.search(r"^SEED = \d+", text, re.MULTILINE), "a chapter defines SEED, the seed the sweep varies"
    assert "claims = Claims(globals(), SEED=" in text, "a chapter creates its Claims with the published SEED"
    assert "restart the" in text and "kernel" in text, "a chapter tells learners to restart after editing book/"


def _declared_and_defined(path):
    """Names declared with Claims(...)/claims.published(...), and literal UPPER_CASE constants defined."""
    declared, defined = set(), {}
    for index, source in _code_cells(path):
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                if (isinstance(func, ast.Attribute) and func.attr == "published") or (
                        isinstance(func, ast.Name) and func.id == "Claims"):
                    declared |= {k.arg for k in node.keywords if k.arg}
        lines = source.splitlines()
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name) or "# fixed:" in lines[node.lineno - 1]:
                    continue
                try:
                    ast.literal_eval(node.value)
                except ValueError:
                    continue  # computed from something else: not a knob of its own
                defined[name] = index
    return declared, defined


@pytest.mark.parametrize("chapter", [p for p in NOTEBOOKS if p.parent.name == "chapters"],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_constant_a_learner_may_change_is_declared(chapter):
    # A constant at the top of a section is an invitation to change it. Undeclared, a change
    # to it would make a claim fail as if the book were wrong (ClaimError) instead of saying
    # in words that the sentence was written for another value.
    declared, defined = _declared_and_defined(chapter)
    undeclared = {name: cell for name, cell in defined.items() if name not in declared}
    assert not undeclared, (f"constants not declared with claims.published(NAME=value): {undeclared} "
                            "(mark a constant that is not a parameter with a '# fixed: why' comment)")


def _markdown_cells(path):
    for index, cell in enumerate(jupytext.read(path).cells):
        if cell.cell_type == "markdown":
            yield index, cell.source


def test_the_prose_shows_computed_values_with_eval(notebook):
    """Numbers reach the prose as {eval}`name` (set by claims.prose), which JupyterLab renders too."""
    wrong = [f"markdown cell {index}: {role}" for index, source in _markdown_cells(notebook)
             for role in re.findall(r"\{glue(?::\w+)?\}`[^`]*`|\{eval\}`[^`]*[^\w`][^`]*`", source)]
    assert not wrong, ("show computed values with {eval}`name`, a bare name set by claims.prose(name=...) in a code "
                       "cell above the paragraph: a {glue:…} role shows raw in JupyterLab, and {eval} takes no "
                       f"expression or format (format in the code): {wrong}")


def _prose_names_and_stores(path):
    """Names set by ``claims.prose(name=...)``, and names the code binds, with where."""
    prose, stores, glue = {}, {}, []
    for index, source in _code_cells(path):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call):
                called = ast.unparse(node.func)
                if called == "claims.prose":
                    prose.update({k.arg: index for k in node.keywords if k.arg})
                elif called.endswith("glue"):
                    glue.append(f"cell {index}: {ast.get_source_segment(source, node)[:60]}")
            bound = []
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                bound = [node.id]
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                bound = [node.name]
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                bound = [(a.asname or a.name).split(".")[0] for a in node.names]
            for name in bound:
                stores.setdefault(name, index)
    return prose, stores, glue


def test_prose_values_go_through_claims_prose(notebook):
    prose, stores, glue = _prose_names_and_stores(notebook)
    assert not glue, ("set prose values with claims.prose(name=...), not glue(): JupyterLab shows "
                      f"{{eval}}`name` from the kernel variable that claims.prose sets: {glue}")
    clashes = {name: f"claims.prose in cell {prose[name]}, bound by the code in cell {stores[name]}"
               for name in prose.keys() & stores.keys()}
    assert not clashes, ("a prose value's name is also a variable of the code, so one replaces the other "
                         f"(name the prose value otherwise, e.g. `name_text`): {clashes}")


#: Numbers a chapter's prose may type, with the reason: facts from outside or of the setting,
#: never a result the code computes (those are {eval}`name`). Anything else that looks like
#: a number in the prose (a decimal, a percentage, two digits or more) fails the test below.
TYPED_NUMBERS = {
    "chapters/01_does_it_need_ml.md": {
        "64": "the pixels of scikit-learn's 8×8 digit images",
        "2021": "the year of Zillow's cited annual report",
        "408": "Zillow's write-down in millions of dollars, from the cited report",
        "99": "Stability AI's projected compute spend in millions of dollars, quoted and cited",
        "2023": "the year of that projection, cited",
        "11": "Stability AI's projected 2023 revenue in millions of dollars, cited",
    },
    "chapters/02_research_vs_production.md": {
        "30": "the age threshold that book.data.make_ad_clicks builds into its clicks",
        "24": "the deck's training GPU, quoted (\"min 24GB train\")",
        "16": "the deck's serving GPU, quoted (\"16gb to serve\")",
        "4.45": "the release of Hugging Face transformers that changed generate(), cited",
        "2024": "the year of the Gemini image episode, cited",
        "26": "the day of Alphabet's share fall (26 February 2024), cited",
        "4.5": "Alphabet's share fall that day in percent, cited",
        "90": "that fall in billions of dollars of market value, cited",
        "70": "the deck's headline figure for that fall, in billions of dollars, quoted",
    },
    "chapters/03_enterprise_vs_consumer.md": {
        "0.5": "scikit-learn's default decision threshold (what predict uses), a fact of the library",
        "50": "the first exercise's setting (a miss that costs $50), and quiz 2's distractor (50%)",
        "2021": "the year of Zillow's cited filings, and of the market quiz 3 recalls",
        "304": "Zillow's Q3 2021 inventory write-down in millions of dollars, cited",
        "328": "Zillow's Q3 2021 net loss in millions of dollars, cited",
        "500": "the deck's headline (\"more than $500 million\"), quoted and reconciled",
        "240": "the low end of Zillow's expected Q4 2021 losses in millions of dollars, cited",
        "265": "the high end of those expected losses, cited",
        "408": "Zillow's 2021 inventory write-downs in millions of dollars, from the cited report",
        "25": "the cut in Zillow's workforce in percent, cited",
        "2024": "the year of Perry's cited interview about Sora",
        "800": "the studio expansion Perry put on hold, in millions of dollars, cited",
        "300": "quiz 1's stated cost of a missed fraud, in dollars",
        "0.016": "quiz 1's arithmetic from its stated costs (5 / 305)",
        "0.98": "a distractor of quiz 1",
        "90": "quiz 2's stated required recall, in percent",
        "4": "quiz 2's stated precision, in percent",
        "96": "quiz 2's arithmetic: 100 - 4 (percent of stops that are honest)",
        "24": "quiz 2's arithmetic: 96 / 4 honest stops per fraud caught",
        "100": "quiz 2's arithmetic: per 100 stops",
        "2022": "the year through which Zillow expected to sell its inventory, cited",
    },
    "chapters/04_generative_vs_discriminative.md": {
        "2001": "the year of Ng and Jordan's cited paper",
        "64": "the pixels of scikit-learn's 8×8 digit images",
        "30": "the measurements of the bundled breast-cancer data; quiz 2's stated examples",
        "20": "the synthetic sets' features (fixed in the code); the corpus's raters per "
              "sentence, cited; quiz 2's stated features",
        "100": "scikit-learn's default iteration limit, a fact of the library; the pretrained "
               "representation's dimensions, fixed in the code (n_components=100)",
        "10,000": "the iteration limit the code sets, which the sentence explains",
        "0.5": "the exercise's stated correlation; the lowest sampling temperature, fixed in "
               "the code",
        "192": "the exercise's stated training size",
        "1.5": "the highest sampling temperature, fixed in the code",
        "10": "the length of the strings the copied share looks up (book.ngram.COPY_LENGTH)",
        "200": "the sentences generated per order (book.ngram.N_SAMPLES)",
        "7,500": "the size of VADER's lexicon, from the cited paper",
        "90": "quiz 4's stated document accuracy",
    },
    "chapters/06_recsys_case_study.md": {
        "100": "N_CANDIDATES, the candidates retrieval hands to ranking, a fixed setting",
        "10": "the page's length (the top 10), fixed in the code",
        "0.5": "the largest λ of the diversity grid, a setting",
        "0.1": "the λ of MMR that the final page uses, a setting",
        "50": "settings: the pool re-ranked (each user's best 50), recall@50; quiz 2's 50/50 split",
        "1,000": "ad revenue is reported per 1,000 visits, a unit",
        "5": "an exercise's stated lift (5% of A's rate) and quiz 3's threshold",
        "0.05": "the usual p-value threshold, named to contrast the sample-ratio alarm",
        "1": "the first exercise's stated lift (1% of A's rate) and quiz 2's option (within 1%)",
        "25": "five squared: the inverse-square law's arithmetic, checked in the cell above",
        "821,588": "Kohavi, Tang and Xu's published example, cited",
        "815,482": "the same published example, cited",
        "0.993": "the ratio of the published example's counts, as the cited book gives it",
        "50,900": "quiz 2's stated counts",
        "49,100": "quiz 2's stated counts",
    },
    "chapters/05_evals_beyond_loss.md": {
        "0.5": "the threshold between the sides of a probability, fixed in the code",
        "0.69": "log 2, the log-loss of a coin flip: arithmetic, not a measurement",
        "15": "the bins of Guo et al.'s expected calibration error, from the cited paper",
        "7,500": "the size of VADER's lexicon, from the cited paper",
        "2014": "the year of Hutto and Gilbert's cited paper",
        "3.3": "the version of the vaderSentiment package that requirements.txt pins (3.3.2)",
        "2020": "the release year of that version, cited",
        "200": "the first exercise's stated budget",
        "1,000": "the invited number of platform labels, a setting the prose suggests",
        "0.8": "the example that defines calibration (of the sentences given 0.8, about 80%)",
        "80": "the same example, in percent",
        "30": "quiz 2's stated budget of reviews a day",
        "0.87": "quiz 3's stated vendor correlation",
        "300": "quiz 4's stated labelled sentences",
        "50": "quiz 4's stated top of the ranking",
    },
}
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?%?(?![\w])")


def _prose_numbers(source):
    """The numbers typed in a markdown cell, outside roles, code, links' targets, labels and math."""
    text = re.sub(r"^\s*(`{3,}|:{3,}).*$", " ", source, flags=re.MULTILINE)  # directive fences
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)         # roles: {eval}`x`, {cite:p}`key`
    text = re.sub(r"`[^`\n]*`", " ", text)                  # inline code
    text = re.sub(r"\]\([^)]*\)", "]", text)                # link targets
    text = re.sub(r"^\([\w-]+\)=\s*$", " ", text, flags=re.MULTILINE)  # labels
    text = re.sub(r"(?<!\\)\$[^$\n]*(?<!\\)\$", " ", text)   # math (not an escaped \$ amount)
    text = re.sub(r"^\s*:[\w-]+:.*$", " ", text, flags=re.MULTILINE)  # directive options
    return [m.group().rstrip(",") for m in _NUMBER.finditer(text)]


@pytest.mark.parametrize("chapter", [p for p in NOTEBOOKS if p.parent.name == "chapters"],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_chapter_types_no_computed_number(chapter):
    allowed = TYPED_NUMBERS.get(chapter.relative_to(ROOT).as_posix(), {})
    typed = [f"markdown cell {index}: {number}" for index, source in _markdown_cells(chapter)
             for number in _prose_numbers(source)
             if (number.endswith("%") or "." in number or len(number.replace(",", "")) >= 2)
             and number.rstrip("%") not in allowed]
    assert not typed, ("numbers typed in the prose: compute each one and show it with {eval}`name` "
                       "(claims.prose(name=...) in a code cell above). A fact from outside, or of the setting, "
                       f"goes into TYPED_NUMBERS in this file with its reason: {typed}")


#: The site's code column at 1366 px holds 88 characters (_static/book.css); pyproject.toml
#: sets the same line length for ruff.
LINE_LENGTH = 88
RUFF = Path(sys.executable).with_name("ruff")


def test_every_code_line_of_a_notebook_fits_the_column(notebook):
    long = [f"cell {index}, line {number}: {len(line)} characters"
            for index, source in _code_cells(notebook)
            for number, line in enumerate(source.splitlines(), 1) if len(line) > LINE_LENGTH]
    assert not long, (f"code lines longer than {LINE_LENGTH} characters are clipped on the site at "
                      f"laptop width: break them: {long}")


@pytest.mark.parametrize("command", [["format", "--check"], ["check", "--select", "E501"]],
                         ids=["ruff format", "ruff line length"])
def test_book_is_formatted_and_fits_the_column(command):
    done = subprocess.run([str(RUFF), *command, "book"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, (f"`ruff {' '.join(command)} book` fails (run `.venv/bin/ruff format book` "
                                  f"and break the lines it can't):\n{done.stdout}{done.stderr}")


def test_one_fold_per_paragraph(notebook):
    """A paragraph's numbers and the checks of its claims sit in one folded cell, right
    above it: the site shows one fold per paragraph, labelled by what it holds."""
    cells = jupytext.read(notebook).cells
    problems = []
    for index, cell in enumerate(cells):
        if cell.cell_type != "code" or not fold_label(cell.source):
            continue
        if "hide-cell" not in cell.metadata.get("tags", []):
            # A visible cell may check its own result (an exercise's solution does); the
            # values the prose shows are always computed in a fold.
            if "claims.prose(" in cell.source:
                problems.append(f"cell {index} sets prose values unfolded (tag it "
                                "hide-cell)")
            continue
        following = cells[index + 1] if index + 1 < len(cells) else None
        if following is None or following.cell_type != "markdown":
            problems.append(f"cell {index} sets prose values or checks claims, but no "
                            "paragraph follows it: put it right above the paragraph "
                            "whose numbers or claims it holds")
        elif ("claims.prose(" not in cell.source and index >= 2
              and cells[index - 1].cell_type == "markdown"
              and "hide-cell" in cells[index - 2].metadata.get("tags", [])
              and fold_label(cells[index - 2].source)):
            problems.append(f"cell {index} holds only checks, below a paragraph that has "
                            f"its fold above (cell {index - 2}): merge them into that "
                            "one, so the paragraph has one fold")
    assert not problems, ("one folded cell per paragraph, above it (README, 'Write a "
                          "chapter'):\n" + "\n".join(problems))


# ---- Teaching (README, "Write a chapter" and "Write homework") ----------------------------
CHAPTERS = [p for p in NOTEBOOKS if p.parent.name == "chapters"]
SOLUTIONS = [p for p in NOTEBOOKS if p.parent.name == "solutions"]
_CHAPTER_IDS = {"ids": lambda p: p.relative_to(ROOT).as_posix()}


def _sections(text):
    """``{heading: body}`` of the ``## `` sections of a notebook's text."""
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


@pytest.mark.parametrize("chapter", CHAPTERS, **_CHAPTER_IDS)
def test_a_chapter_has_two_exercises_whose_solutions_run(chapter):
    text = chapter.read_text(encoding="utf-8")
    exercises = re.findall(r"^```\{exercise-start\}", text, flags=re.MULTILINE)
    solutions = re.findall(r"```\{solution-start\}.*?```\{solution-end\}", text, flags=re.DOTALL)
    assert len(exercises) >= 2, f"{len(exercises)} exercise(s): give the chapter at least two (sphinx-exercise)"
    assert len(solutions) == len(exercises), "every exercise has its solution (solution-start ... solution-end)"
    for solution in solutions:
        assert ":class: dropdown" in solution, f"fold the solution in a dropdown: {solution[:80]!r}"
        assert "```{code-cell}" in solution, f"a solution runs code, which the book executes: {solution[:80]!r}"


@pytest.mark.parametrize("chapter", CHAPTERS, **_CHAPTER_IDS)
def test_a_chapter_ends_with_a_quiz_before_the_session(chapter):
    text = chapter.read_text(encoding="utf-8")
    headings = list(_sections(text))
    assert "Check your understanding" in headings, "add a '## Check your understanding' section"
    order = [headings.index(h) for h in ("Key takeaways", "Check your understanding", "For the session")]
    assert order == sorted(order), "'Check your understanding' comes after the takeaways, before the session"
    quiz = _sections(text)["Check your understanding"]
    checks = re.findall(r"\bquiz\.(q\d+)\.check\(", quiz)
    assert 3 <= len(set(checks)) <= 5 and len(checks) == len(set(checks)), (
        f"3 to 5 checked questions, each checked once: {checks}")
    answers = re.findall(r"^:class: dropdown", quiz, flags=re.MULTILINE)
    assert len(answers) >= len(checks), "each quiz question has its answer folded in a dropdown"


_MAKES = re.compile(r"\bdata\.(make_\w+)\(")


@pytest.mark.parametrize("chapter", CHAPTERS, **_CHAPTER_IDS)
def test_a_chapter_shows_each_dataset_when_it_is_made(chapter):
    code = [source for _, source in _code_cells(chapter)]
    shown, missing = set(), []
    for index, source in enumerate(code):
        for maker in _MAKES.findall(source):
            if maker in shown:
                continue
            shown.add(maker)
            if not any("tables.preview(" in later for later in code[index:index + 4]):
                missing.append(maker)
    assert not missing, ("show each dataset once, right after it is made: tables.preview(frame, "
                         f"meanings) within the next code cells, for {missing}")


@pytest.mark.parametrize("solution", SOLUTIONS, **_CHAPTER_IDS)
def test_each_homework_question_is_explained_and_links_its_chapter(solution):
    cells = jupytext.read(solution).cells
    questions, current = {}, None
    for cell in cells:
        heading = re.match(r"## (Question \d+)", cell.source) if cell.cell_type == "markdown" else None
        if heading:
            current = questions.setdefault(heading.group(1), [])
        if current is not None:
            current.append(cell)
    assert questions, "the solution has '## Question N' sections"
    for name, section in questions.items():
        explained = [c for c in section if c.cell_type == "markdown" and "solution" in c.metadata.get("tags", [])]
        assert explained, f"{name}: add a markdown cell tagged solution that says why the steps work and the trap"
        assert any("{ref}`" in c.source for c in section if c.cell_type == "markdown"
                   and "solution" not in c.metadata.get("tags", [])), (
            f"{name}: link the chapter section the question practises, with {{ref}}`label`")


@pytest.mark.parametrize("solution", SOLUTIONS, **_CHAPTER_IDS)
def test_every_discussion_question_has_a_model_answer(solution):
    cells = jupytext.read(solution).cells
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("**Discuss.**"):
            following = cells[index + 1] if index + 1 < len(cells) else None
            assert following is not None and "solution" in following.metadata.get("tags", []) and \
                "Model answer" in following.source and ":class: dropdown" in following.source, (
                    f"cell {index}: follow a **Discuss.** prompt with a markdown cell tagged solution "
                    "holding a dropdown admonition titled 'Model answer'")


def test_no_explanation_reaches_a_learner_copy():
    from book.homework.generate import learner_notebook

    for solution in SOLUTIONS:
        explained = [c.source for c in jupytext.read(solution).cells
                     if c.cell_type == "markdown" and "solution" in c.metadata.get("tags", [])]
        learner = (solution.parent.parent / solution.name).read_text(encoding="utf-8")
        leaked = [text[:60] for text in explained if text.strip()[:200] in learner]
        assert not leaked, f"{solution.name}: explanations in the learner copy: {leaked}"
        generated = learner_notebook(jupytext.read(solution))
        assert not [c for c in generated.cells if "solution" in c.metadata.get("tags", [])]
