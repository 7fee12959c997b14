"""Grade homework notebooks: ``python -m book.grade PATH... [--csv FILE] [--timeout
SECONDS]``.

Each PATH is a notebook (jupytext ``.md`` or ``.ipynb``) or a folder of them.
Every notebook is executed from top to bottom in a fresh kernel, in its own
folder, within a time limit. The checks it runs leave records in its outputs
(see :mod:`book.homework.question`); from those the grader prints a scorecard:
for each question passed, failed (with the message), not attempted, or not
reached (the notebook stopped before its check). A notebook that crashes,
hangs, has invalid syntax, is empty or can't be read is reported as such, and
the others are graded all the same.

Exit status: 0 when every notebook passes every question, 1 otherwise,
2 on a usage error.
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

from book.homework.question import FAILED, NOT_ATTEMPTED_STATUS, PASSED, read_records

NOT_REACHED = "not reached"
DEFAULT_TIMEOUT_S = 120
HOMEWORK_IMPORT = re.compile(
    r"\bbook\.homework\.(ch\d+)\b|\bfrom\s+book\.homework\s+import\s+(ch\d+)\b"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


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
        text = (
            f"{self.passed}/{len(self.questions)} passed"
            if self.questions
            else "no questions graded"
        )
        return f"{text}; {self.problem}" if self.problem else text


def find_notebooks(paths):
    """Expand the command-line paths into notebook files, in a stable order.

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
                and not (p.suffix == ".md" and not _looks_like_notebook(p))
            )
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {raw}")
    return list(dict.fromkeys(found))


def _looks_like_notebook(path):
    """A .md file in a folder is graded only if it has a jupytext header (a README is
    not)."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    except OSError:
        return True  # let grading report the problem
    return head.startswith("---") and "kernelspec" in head


def _read(path):
    import jupytext

    if path.stat().st_size == 0:
        raise ValueError("the file is empty")
    return jupytext.read(path)


def _homework_module(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "code":
            match = HOMEWORK_IMPORT.search(cell.source)
            if match:
                return importlib.import_module(
                    f"book.homework.{match.group(1) or match.group(2)}"
                )
    return None


def _check_cells(notebook, names):
    """The index of the first cell that checks each question, if any."""
    where = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            for name in names:
                if name not in where and re.search(rf"\b{name}\.check\(", cell.source):
                    where[name] = index
    return where


def _execute(notebook, cwd, timeout_s):
    """Run the notebook in a fresh kernel; return the index of the failing cell and
    why, or (None, "")."""
    from nbclient import NotebookClient
    from nbclient.exceptions import (
        CellExecutionError,
        CellTimeoutError,
        DeadKernelError,
    )

    deadline = time.monotonic() + timeout_s
    client = NotebookClient(
        notebook,
        # grade in this environment, whatever kernel the learner used
        kernel_name="python3",
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        resources={"metadata": {"path": str(cwd)}},
        allow_errors=False,
    )
    executed = []
    client.on_cell_execute = lambda cell, cell_index: executed.append(cell_index)
    try:
        client.execute()
    except CellTimeoutError:
        return executed[-1], f"timed out after {timeout_s:g} s in cell {executed[-1]}"
    except CellExecutionError as error:
        name = getattr(error, "ename", "") or "error"
        value = ANSI.sub("", getattr(error, "evalue", "") or "")
        return executed[
            -1
        ], f"stopped in cell {executed[-1]} by {name}: {value}".rstrip(": ")
    except DeadKernelError:
        cell = executed[-1] if executed else 0
        return cell, f"the kernel died in cell {cell}"
    return None, ""


def grade_notebook(path, timeout_s=DEFAULT_TIMEOUT_S):
    """Execute one notebook and grade it. Never raises for a problem of the notebook's
    own."""
    path = Path(path)
    start = time.perf_counter()
    grade = NotebookGrade(path)
    try:
        notebook = _read(path)
    except Exception as error:  # unreadable: report it, grade the others
        grade.problem = (
            f"could not be read ({type(error).__name__}: "
            f"{ANSI.sub('', str(error)).splitlines()[0] if str(error) else ''})"
        )
        return grade
    module = _homework_module(notebook)
    if module is None:
        grade.problem = (
            "no homework questions found: the notebook does not import "
            "book.homework.chNN"
            if notebook.cells
            else "the notebook is empty"
        )
        return grade
    names = [q.name for q in module.QUESTIONS]
    try:
        failing_cell, grade.problem = _execute(
            notebook, path.resolve().parent, timeout_s
        )
    except (
        Exception
    ) as error:  # the kernel would not start, say: report it, grade the others
        failing_cell, grade.problem = (
            0,
            f"could not be executed ({type(error).__name__}: {error})",
        )
    latest = {record["question"]: record for _, record in read_records(notebook)}
    check_cells = _check_cells(notebook, names)
    for name in names:
        if name in latest:
            record = latest[name]
            grade.questions.append(
                QuestionResult(name, record["status"], record.get("message", ""))
            )
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
    grade.seconds = time.perf_counter() - start
    return grade


def scorecard(grades):
    """The scorecard of several graded notebooks, as text."""
    lines = ["", "Scorecard", "========="]
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
    total = sum(g.all_passed for g in grades)
    lines += ["", f"{total} of {len(grades)} notebooks pass every question."]
    return "\n".join(lines)


def write_csv(grades, path):
    """One row per notebook and question (one row for a notebook with no question
    graded)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["notebook", "question", "status", "message", "notebook_problem"]
        )
        for grade in grades:
            rows = [(q.question, q.status, q.message) for q in grade.questions] or [
                ("", "error", "")
            ]
            for question, status, message in rows:
                writer.writerow(
                    [str(grade.path), question, status, message, grade.problem]
                )


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
    args = parser.parse_args(argv)
    if args.timeout <= 0:
        parser.error("--timeout must be a positive number of seconds")
    try:
        notebooks = find_notebooks(args.paths)
    except FileNotFoundError as error:
        parser.error(str(error))
    if not notebooks:
        parser.error("no notebooks found in " + ", ".join(args.paths))

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    print(f"Grading {len(notebooks)} notebook(s), at most {args.timeout:g} s each.")
    grades = []
    for number, path in enumerate(notebooks, 1):
        print(f"[{number}/{len(notebooks)}] {path} ... ", end="", flush=True)
        grade = grade_notebook(path, args.timeout)
        print(f"{grade.summary()} ({grade.seconds:.1f} s)", flush=True)
        grades.append(grade)
    print(scorecard(grades))
    if args.csv:
        write_csv(grades, args.csv)
        print(f"Wrote {args.csv}")
    return 0 if all(g.all_passed for g in grades) else 1


if __name__ == "__main__":
    sys.exit(main())
