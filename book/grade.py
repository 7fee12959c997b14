"""Grade homework notebooks: ``python -m book.grade PATH... [--csv FILE] [--timeout
SECONDS]``.

Each PATH is a notebook (jupytext ``.md`` or ``.ipynb``) or a folder of them.
Every notebook is executed from top to bottom in a fresh kernel, in its own
folder, within a time limit, with every saved output cleared first. The grader
does not trust the checks that run in the learner's kernel: after each cell that
checks a question, a cell of its own takes the answer out as plain data (for a
function, its results on the grader's inputs; see :mod:`book.homework.plain`), and
the grader checks it in its own process, with its own copy of the questions. So a
replaced ``q1.check``, a forged record, an overwritten expected value or a ``str``
that equals everything does not pass. The scorecard says, for each question,
passed, failed (with the message), not attempted, or not reached (the notebook
stopped before its check).

No file is left out. Every ``.md`` and ``.ipynb`` of a folder gets a row: a notebook
that crashes, hangs, has invalid syntax, imports a homework that does not exist, is
empty, lost its jupytext header or can't be read is reported as an error, with why;
a file that is plainly not a homework notebook (a README) is listed as skipped.
Nothing a notebook does stops the others from being graded. Messages are cut at
:data:`MAX_MESSAGE` characters, with a mark.

Notebooks are graded ``--jobs`` at a time (default: the number of cores), each in a
fresh process, with a progress line as each finishes; the scorecard keeps the order of
the paths. After it, a summary per question says how many passed, failed, were not
attempted or not reached, and the most common failure message.

Exit status: 0 when every homework notebook passes every question, 1 otherwise
(skipped files don't count), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from book import sandbox
from book.homework import plain
from book.homework.question import FAILED, NOT_ATTEMPTED_STATUS, PASSED

NOT_REACHED = "not reached"
SKIPPED, ERROR = "skipped", "error"
DEFAULT_TIMEOUT_S = 120
#: The longest message shown or written, in characters; longer ones end with a mark.
MAX_MESSAGE = 500
CUT_MARK = " [… cut]"
HOMEWORK_IMPORT = re.compile(
    r"\bbook\.homework\.(ch\d+)\b|\bfrom\s+book\.homework\s+import\s+(ch\d+)\b"
)
#: Terminal escape sequences (CSI, OSC, and two-character ones), and control characters.
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?"
)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


@dataclass
class QuestionResult:
    question: str
    status: str
    message: str = ""


@dataclass
class NotebookGrade:
    """The grade of one notebook: a result per question, and why execution stopped, if
    it did."""

    path: Path
    questions: list = field(default_factory=list)
    problem: str = (
        ""  # why the notebook could not be graded fully ("" if it ran to the end)
    )
    seconds: float = 0.0
    skipped: bool = False  # plainly not a homework notebook (a README): not graded
    sandbox: list = field(default_factory=list)  # what confined its kernel, in words

    @property
    def passed(self):
        return sum(q.status == PASSED for q in self.questions)

    @property
    def all_passed(self):
        return (
            not self.problem
            and bool(self.questions)
            and self.passed == len(self.questions)
        )

    def summary(self):
        if self.skipped:
            return f"skipped: {self.problem}"
        text = (
            f"{self.passed}/{len(self.questions)} passed"
            if self.questions
            else "no questions graded"
        )
        return f"{text}; {cap(self.problem)}" if self.problem else text


def edition():
    """The book's edition that grades: its package version, and the git commit of its
    repository when there is one (answers can change between editions)."""
    import subprocess

    from book import __version__

    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{__version__} (commit {commit})" if commit else __version__


def cap(text, limit=MAX_MESSAGE):
    r"""``text`` on one line, cut to at most ``limit`` characters, ending with a mark
    when cut. Terminal escape sequences and control characters (a newline, a carriage
    return) go: a message from a notebook can't colour, move or add a scorecard line.

    Examples
    --------
    >>> cap("stopped\nalice.md: 5/5 passed\x1b[2K")
    'stopped alice.md: 5/5 passed'
    >>> cap("x" * 600)[-12:]
    'xxxx [… cut]'
    """
    text = CONTROL.sub(" ", ESCAPES.sub("", str(text))).strip()
    return text if len(text) <= limit else text[: limit - len(CUT_MARK)] + CUT_MARK


def find_notebooks(paths):
    """Expand the command-line paths into files to grade, in a stable order: every
    ``.md`` and ``.ipynb`` of a folder (its README too, which grading lists as skipped).

    Raises
    ------
    FileNotFoundError
        If a path does not exist.
    """
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix in {".md", ".ipynb"}
                and not {".ipynb_checkpoints", "_build", ".venv"} & set(p.parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {raw}")
    return list(dict.fromkeys(found))


#: What only a homework notebook's text holds: a code cell, or a homework's import or
#: check. A .md without a jupytext header that holds one of these lost its header.
_HOMEWORK_SIGNS = re.compile(r"```\{code-cell\}|\bbook\.homework\b|\bq\d+\.check\(")


def _plainly_not_homework(path):
    """Why a ``.md`` file is plainly not a homework notebook (a README), or None."""
    if path.suffix != ".md":
        return None
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None  # grading reports why it can't be read
    if not text.strip() or (text.startswith("---") and "kernelspec" in text[:2000]):
        return None
    if _HOMEWORK_SIGNS.search(text):
        return None
    return "not a homework notebook (no jupytext header, no code cells)"


def _read(path):
    import jupytext

    if path.stat().st_size == 0 or not path.read_bytes().strip():
        raise ValueError("the file is empty")
    if path.suffix == ".md":
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        if not (head.startswith("---") and "kernelspec" in head):
            raise ValueError(
                "it has no jupytext header (the lines between --- at the top, which "
                "make a .md a notebook): download the homework again and copy your "
                "answers in, or save it as .ipynb"
            )
    return jupytext.read(path)


def _homework_module(notebook):
    """The homework module the notebook imports, or (None, why)."""
    wanted = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for match in HOMEWORK_IMPORT.finditer(cell.source):
                wanted.append(match.group(1) or match.group(2))
    for name in dict.fromkeys(wanted):
        try:
            return importlib.import_module(f"book.homework.{name}"), ""
        except ImportError:
            continue
    if wanted:
        return None, (
            f"it imports book.homework.{wanted[0]}, which does not exist (a typo?): "
            "the homework's first code cell imports the right one"
        )
    if not notebook.cells:
        return None, "the notebook is empty"
    return None, (
        "no homework questions found: the notebook does not import book.homework.chNN"
    )


def _cleared(notebook):
    """The notebook with every output and execution count removed: a record counts only
    if this run produced it (saved outputs, kept by a failing cell above or by a
    skip-execution tag, would otherwise pass as answers)."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            tags = cell.metadata.get("tags", [])
            if "skip-execution" in tags:
                cell.metadata["tags"] = [t for t in tags if t != "skip-execution"]
    return notebook


def _check_cells(notebook, names):
    """The index of the first cell that checks each question, if any (found as the
    grader finds the answers it takes out, :func:`_checked_expressions`)."""
    where = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            for name, _ in _checked_expressions(cell.source, names):
                where.setdefault(name, index)
    return where


def _limited_client(notebook, limit_bytes, **kwargs):
    """A notebook client that stops the run once the kernel has sent more than
    ``limit_bytes`` of messages with output, widgets or updates, in the notebook's cells
    and the grader's own (which run the learner's expressions again)."""
    from nbclient import NotebookClient

    class LimitedClient(NotebookClient):
        sent = 0

        def process_message(self, msg, cell, cell_index):
            if msg.get("msg_type") not in ("status", "execute_input"):
                self.sent += len(str(msg.get("content", "")))
                if self.sent > limit_bytes:
                    raise sandbox.OutputLimitError(
                        f"printed more than {limit_bytes / 2**20:g} MB of output"
                    )
            return super().process_message(msg, cell, cell_index)

    return LimitedClient(notebook, store_widget_state=False, **kwargs)


def _execute(notebook, path, timeout_s, number=lambda index: index, limits=None):
    """Run the notebook in a fresh kernel, in a sandbox made from the folder of
    ``path``, within ``timeout_s`` in all; return the index of the failing cell and
    why, or (None, ""), and the sandbox's layers. ``number`` maps an index of the run
    to the cell number the learner knows (the grader's own cells shift them)."""
    import asyncio

    from nbclient.exceptions import (
        CellExecutionError,
        CellTimeoutError,
        DeadKernelError,
    )

    limits = limits or sandbox.Limits()
    executed = []
    with sandbox.Sandbox(path, limits) as box:
        deadline = time.monotonic() + timeout_s
        client = _limited_client(
            notebook,
            limits.output_mb * 2**20,
            km=box.kernel_manager(),
            timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
            # the kernel starts in the sandbox's root and moves into its copy of the
            # folder itself (book.sandbox)
            resources={"metadata": {"path": str(box.root)}},
            allow_errors=False,
        )

        def started(cell, cell_index):
            if box.kernel_pid is None and client.km is not None:
                box.kernel_pid = getattr(client.km.provisioner, "pid", None)
            executed.append(number(cell_index))

        async def run():
            # one deadline for the whole notebook, whatever its cells do (a cell's own
            # limit is the time left); the client shuts the kernel down and closes its
            # sockets, as it does with a kernel manager of its own
            execution = client.async_execute(cleanup_kc=True)
            await asyncio.wait_for(execution, timeout_s + 5)

        client.on_cell_execute = started
        try:
            _run_to_end(run)
        except Exception as error:  # noqa: BLE001 - at the deadline, whatever the
            # cancelled client raised (the kernel it shut down looks dead), it timed out
            if isinstance(error, (CellTimeoutError, asyncio.TimeoutError)) or (
                time.monotonic() >= deadline + 4
            ):
                where = executed[-1] if executed else 0
                why = f"timed out after {timeout_s:g} s in cell {where}"
                return where, why, box.layers()
            outcome = error
        else:
            return None, "", box.layers()
        try:
            raise outcome
        except CellExecutionError as error:
            name = getattr(error, "ename", "") or "error"
            value = ESCAPES.sub("", getattr(error, "evalue", "") or "")
            why = f"stopped in cell {executed[-1]} by {name}: {value}".rstrip(": ")
            return executed[-1], why, box.layers()
        except DeadKernelError:
            where = executed[-1] if executed else 0
            return where, _died(where, limits), box.layers()
        except sandbox.OutputLimitError as error:
            where = executed[-1] if executed else 0
            return where, f"{error} in cell {where}", box.layers()


def _run_to_end(coroutine_function):
    """Run a coroutine to its end, also when called from a running event loop (the
    grader called from a notebook cell): then in a thread of its own."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine_function())
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine_function()).result()


def _died(cell, limits):
    return (
        f"the kernel died in cell {cell} (did it use more than the sandbox's "
        f"{limits.memory_mb:,} MB of memory, {limits.cpu_s:,} s of CPU or "
        f"{limits.processes} processes, or write a file over {limits.file_mb} MB?)"
    )


def grade_notebook(path, timeout_s=DEFAULT_TIMEOUT_S, limits=None):
    """Execute one notebook in a sandbox (:mod:`book.sandbox`; ``limits`` default to
    :class:`book.sandbox.Limits` with a CPU limit a little over ``timeout_s``) and grade
    it. Never raises for a problem of the notebook's own."""
    path = Path(path)
    if limits is None:
        limits = sandbox.Limits(cpu_s=int(timeout_s) + 30)
    start = time.perf_counter()
    grade = NotebookGrade(path)
    try:
        _grade_into(grade, path, timeout_s, limits)
    except Exception as error:  # noqa: BLE001 - a row for every file, whatever happens
        grade.problem = cap(f"could not be graded ({type(error).__name__}: {error})")
    grade.seconds = time.perf_counter() - start
    return grade


def _grade_into(grade, path, timeout_s, limits):
    why_not = _plainly_not_homework(path)
    if why_not:
        grade.skipped, grade.problem = True, why_not
        return
    try:
        notebook = _read(path)
    except Exception as error:  # unreadable: report it, grade the others
        text = ESCAPES.sub("", str(error)).splitlines()[0] if str(error) else ""
        grade.problem = cap(f"could not be read ({type(error).__name__}: {text})")
        return
    module, grade.problem = _homework_module(notebook)
    if module is None:
        return
    questions = {q.name: q for q in module.QUESTIONS}
    notebook = _cleared(notebook)
    run, number, takes = _instrumented(notebook, questions)
    try:
        failing_cell, problem, grade.sandbox = _execute(
            run, path, timeout_s, number, limits
        )
    except Exception as error:  # noqa: BLE001 - the kernel would not start: the
        # grader's problem or the machine's, not an answer: an error row, no questions
        grade.problem = cap(
            f"could not be executed ({type(error).__name__}: {error}); the grader's "
            "side, not the learner's: check the book's environment"
        )
        return
    grade.problem = cap(problem)
    answers = _answers_taken(run, takes)
    check_cells = _check_cells(notebook, list(questions))
    for name, question in questions.items():
        if name in answers:
            grade.questions.append(_recheck(question, answers[name]))
        elif (
            failing_cell is not None
            and check_cells.get(name, len(notebook.cells)) >= failing_cell
        ):
            grade.questions.append(
                QuestionResult(
                    name, NOT_REACHED, "the notebook stopped before this check"
                )
            )
        else:
            grade.questions.append(
                QuestionResult(
                    name, NOT_ATTEMPTED_STATUS, "no check of this question was run"
                )
            )


def _checked_expressions(source, names):
    """``[(question, expression)]`` for each ``qN.check(expression)`` in a cell, in
    order: ``qN.check(x)``, ``ch01.qN.check(x)``, ``qN.check(answer=x)``, also inside
    blocks and behind a line or cell magic such as ``%time``."""
    import ast

    from IPython.core.inputtransformer2 import TransformerManager

    try:
        code = TransformerManager().transform_cell(source)
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return []
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        function = node.func
        if function.attr in ("run_line_magic", "run_cell_magic"):
            # %time q1.check(x): the checked code is the magic's last string argument
            body = node.args[-1] if node.args else None
            if isinstance(body, ast.Constant) and isinstance(body.value, str):
                for name, expression in _checked_expressions(body.value, names):
                    found.append((node.lineno, node.col_offset, name, expression))
            continue
        question = function.value
        name = (
            question.id
            if isinstance(question, ast.Name)
            else question.attr
            if isinstance(question, ast.Attribute)
            else None
        )
        if function.attr != "check" or name not in names:
            continue
        arguments = list(node.args) + [
            k.value for k in node.keywords if k.arg == "answer"
        ]
        if len(arguments) == 1:
            expression = ast.get_source_segment(code, arguments[0])
            found.append((node.lineno, node.col_offset, name, expression))
    return [(name, expression) for _, _, name, expression in sorted(found)]


def _instrumented(notebook, questions):
    """The notebook as the grader runs it: its own first cell (the code that takes
    answers out, :data:`book.homework.plain.KERNEL_CODE`), and after each cell that
    checks a question, a cell that takes that answer out.

    Returns the notebook to run, a function from its cell indices to the learner's, and
    ``{index of a grader's cell: question}``.
    """
    import nbformat

    run = nbformat.from_dict(notebook)
    cells, origin, takes = [nbformat.v4.new_code_cell(plain.KERNEL_CODE)], [0], {}
    for index, cell in enumerate(notebook.cells):
        cells.append(cell)
        origin.append(index)
        if cell.cell_type != "code":
            continue
        for name, expression in _checked_expressions(cell.source, questions):
            inputs, model = _what_to_take(questions[name].checker)
            takes[len(cells)] = name
            cells.append(
                nbformat.v4.new_code_cell(
                    plain.capture_code(name, expression, inputs, model)
                )
            )
            origin.append(index)
    run.cells = cells
    return run, (lambda position: origin[position]), takes


def _what_to_take(checker):
    """``(inputs, model)`` for :func:`book.homework.plain.capture_code`: a function
    question's inputs, or a model question's rows and how to predict on them."""
    from book.homework.checks import Function, Model

    if isinstance(checker, Model):
        return checker.inputs, {
            "method": checker.method,
            "columns": list(checker.columns),
        }
    if isinstance(checker, Function):
        return checker.inputs, None
    return None, None


def _answers_taken(run, takes):
    """``{question: JSON text}``: the last answer each grader's cell took out."""
    answers = {}
    for index, name in takes.items():
        for output in run.cells[index].get("outputs", []):
            taken = output.get("metadata", {}).get(plain.ANSWER_KEY)
            if isinstance(taken, dict) and taken.get("question") == name:
                answers[name] = (index, taken.get("answer", "null"))
    return {
        name: text for name, (_, text) in sorted(answers.items(), key=lambda a: a[1][0])
    }


def _recheck(question, text):
    """Check an answer taken out of the kernel, here, with the grader's own question."""
    checker = question.checker
    inputs, model = _what_to_take(checker)
    try:
        answer = plain.decode(
            text, inputs, **({"method": model["method"]} if model else {})
        )
    except Exception as why:  # noqa: BLE001 - one answer never costs the others a row
        return QuestionResult(
            question.name,
            FAILED,
            cap(
                f"The answer could not be taken out of the notebook as plain data "
                f"({why}). The grader accepts numbers, text, and lists, sets and dicts "
                "of them, or a function of those."
            ),
        )
    feedback = question.evaluate(answer)
    return QuestionResult(question.name, feedback.status, cap(feedback.message))


def scorecard(grades):
    """The scorecard of several graded notebooks, as text."""
    lines = ["", "Scorecard", "=========", f"Book edition {edition()}"]
    lines += _sandbox_lines(grades)
    for grade in grades:
        lines.append(f"{grade.path}: {grade.summary()}")
        width = max((len(q.question) for q in grade.questions), default=0)
        for q in grade.questions:
            detail = (
                f"  {q.message}"
                if q.status in (FAILED, NOT_REACHED) and q.message
                else ""
            )
            lines.append(f"  {q.question:<{width}}  {q.status}{detail}")
    graded = [g for g in grades if not g.skipped]
    total = sum(g.all_passed for g in graded)
    skipped = len(grades) - len(graded)
    lines += [
        "",
        f"{total} of {len(graded)} notebooks pass every question."
        + (f" {skipped} file(s) skipped: not homework notebooks." if skipped else ""),
    ]
    return "\n".join(lines)


def sandbox_gaps(layers):
    """What a sandbox with these layers (:func:`book.sandbox.confine`'s words) leaves
    open that the strongest one closes, in words."""
    text = " ".join(layers)
    gaps = []
    if "network namespace" not in text:
        gaps.append("programs a notebook starts may reach the network")
    if "its own user" not in text and "no signals out" not in text:
        gaps.append("a notebook runs as you and may signal your processes")
    if "Landlock" not in text or "no Landlock" in text:
        gaps.append("a notebook may write wherever you can")
    if not any(
        layer.startswith("limits:") and "processes" in layer for layer in layers
    ):
        gaps.append("a notebook may start processes without limit")
    return gaps


def _sandbox_lines(grades):
    """The scorecard's lines about the sandbox: its layers (each variant, if they
    differed between notebooks), and a warning if some were missing."""
    from collections import Counter

    variants = Counter(tuple(g.sandbox) for g in grades if g.sandbox)
    if not variants:
        return []
    if len(variants) == 1:
        lines = ["Sandbox: " + "; ".join(next(iter(variants)))]
    else:
        lines = ["Sandbox (not the same for every notebook):"]
        lines += [f"  {n} notebook(s): " + "; ".join(v) for v, n in variants.items()]
    gaps = sorted({gap for layers in variants for gap in sandbox_gaps(layers)})
    if gaps:
        lines.append(
            "Warning: this machine gives notebooks a weak sandbox: "
            + "; ".join(gaps)
            + ". Grade only notebooks from people you trust, or grade as root on "
            "Linux (see the facilitators' page)."
        )
    return lines


def write_csv(grades, path):
    """One row per notebook and question (one row for a notebook with no question
    graded)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["notebook", "question", "status", "message", "notebook_problem", "edition"]
        )
        book_edition = edition()
        for grade in grades:
            rows = [(q.question, q.status, q.message) for q in grade.questions] or [
                ("", SKIPPED if grade.skipped else ERROR, "")
            ]
            for question, status, message in rows:
                writer.writerow(
                    [
                        str(grade.path),
                        question,
                        status,
                        cap(message),
                        cap(grade.problem),
                        book_edition,
                    ]
                )


def grade_all(paths, timeout_s=DEFAULT_TIMEOUT_S, jobs=1, limits=None):
    """Grade every path, ``jobs`` at a time, with a progress line as each finishes;
    the grades in the order of ``paths``."""

    def progress(done, grade):
        print(
            f"[{done}/{len(paths)}] {grade.path}: {grade.summary()} "
            f"({grade.seconds:.1f} s)",
            flush=True,
        )

    if jobs <= 1:
        grades = []
        for done, path in enumerate(paths, 1):
            grades.append(grade_notebook(path, timeout_s, limits))
            progress(done, grades[-1])
        return grades
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # Fresh interpreters (spawn), not forks of this process and its threads.
    context = multiprocessing.get_context("spawn")
    by_path = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {
            pool.submit(grade_notebook, path, timeout_s, limits): path for path in paths
        }
        for done, future in enumerate(as_completed(futures), 1):
            path = futures[future]
            try:
                grade = future.result()
            except Exception as error:  # noqa: BLE001 - a worker died: still a row
                grade = NotebookGrade(
                    Path(path), problem=cap(f"grading failed: {error}")
                )
            by_path[path] = grade
            progress(done, grade)
    return [by_path[path] for path in paths]


def cohort_summary(grades):
    """Per question, how the cohort did: counts of each status and the most common
    failure message (what to discuss on Saturday)."""
    from collections import Counter

    graded = [g for g in grades if not g.skipped]
    questions = list(dict.fromkeys(q.question for g in graded for q in g.questions))
    if not questions:
        return ""
    statuses = (PASSED, FAILED, NOT_ATTEMPTED_STATUS, NOT_REACHED)
    lines = ["", "By question", "===========", f"{len(graded)} notebook(s)."]
    for name in questions:
        results = [q for g in graded for q in g.questions if q.question == name]
        counts = Counter(q.status for q in results)
        parts = ", ".join(f"{counts[s]} {s}" for s in statuses if counts[s])
        lines.append(f"{name}: {parts}")
        failures = Counter(q.message for q in results if q.status == FAILED)
        if failures:
            message, times = failures.most_common(1)[0]
            lines.append(f"  most common failure ({times}x): {cap(message, 200)}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m book.grade",
        description="Execute homework notebooks in fresh kernels and print a "
        "scorecard.",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a notebook (.md or .ipynb) or a folder of them",
    )
    parser.add_argument(
        "--csv",
        metavar="FILE",
        help="also write one row per notebook and question to FILE",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help=f"time limit per notebook (default {DEFAULT_TIMEOUT_S})",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="notebooks graded at once (default: the number of cores)",
    )
    args = parser.parse_args(argv)
    if args.timeout <= 0:
        parser.error("--timeout must be a positive number of seconds")
    if args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    try:
        notebooks = find_notebooks(args.paths)
    except FileNotFoundError as error:
        parser.error(str(error))
    if not notebooks:
        parser.error("no notebooks found in " + ", ".join(args.paths))
    if all(_plainly_not_homework(path) for path in notebooks):
        parser.error("no homework notebooks found in " + ", ".join(args.paths))

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    jobs = min(args.jobs, len(notebooks))
    print(
        f"Grading {len(notebooks)} notebook(s), at most {args.timeout:g} s each, "
        f"{jobs} at a time."
    )
    grades = grade_all(notebooks, args.timeout, jobs)
    print(scorecard(grades))
    print(cohort_summary(grades))
    if args.csv:
        write_csv(grades, args.csv)
        print(f"Wrote {args.csv}")
    return 0 if all(g.all_passed for g in grades if not g.skipped) else 1


if __name__ == "__main__":
    sys.exit(main())
