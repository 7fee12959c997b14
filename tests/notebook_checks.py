"""What an executed notebook must satisfy, besides running: no stray warnings, same outputs twice.

Tags that a cell may carry:

- ``intentional-warning``: the cell shows a warning (or other stderr text) on
  purpose, for teaching. Give it the cell metadata
  ``mystnb: {output_stderr: show}`` too, so the strict book build shows it
  rather than warning about it (a test checks that both go together).
- ``raises-exception``: the cell raises on purpose (nbclient and myst-nb
  carry on past it).
- ``nondeterministic``: the cell's outputs vary from run to run (timings);
  the determinism check skips it.
"""

from __future__ import annotations

import difflib
import re

INTENTIONAL_WARNING = "intentional-warning"
NONDETERMINISTIC = "nondeterministic"
GLUE_MIME = "application/papermill.record/text/plain"
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def stderr_outputs(notebook):
    """``(cell index, text)`` of every stderr output, warnings included, in cells not tagged
    ``intentional-warning``."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or INTENTIONAL_WARNING in _tags(cell):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append((index, output.get("text", "")))
    return found


def intentional_warnings_without_metadata(notebook):
    """Indices of cells tagged ``intentional-warning`` that the book build would warn about."""
    return [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and INTENTIONAL_WARNING in _tags(cell)
        and cell.get("metadata", {}).get("mystnb", {}).get("output_stderr") != "show"
    ]


def comparable_outputs(notebook):
    """The text outputs and glued values of each code cell, as one string per cell.

    Cells tagged ``nondeterministic`` give ``None``. Images are left out;
    memory addresses (``0x7f...``) are masked, since they change every run.
    """
    rendered = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if NONDETERMINISTIC in _tags(cell):
            rendered.append(None)
            continue
        parts = []
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                parts.append(f"[{output.get('name')}] {output.get('text', '')}")
            elif kind == "error":
                parts.append(f"[error] {output.get('ename')}: {output.get('evalue')}")
            else:
                data = output.get("data", {})
                for mime in (GLUE_MIME, "text/plain", "text/html", "text/markdown", "text/latex"):
                    if mime in data:
                        text = data[mime] if isinstance(data[mime], str) else "".join(data[mime])
                        parts.append(f"[{mime}] {text}")
        rendered.append(_ADDRESS.sub("0x…", _ANSI.sub("", "\n".join(parts))))
    return rendered


def first_difference(first, second):
    """Compare two executions of one notebook; return None, or a message naming the cell with a diff."""
    a, b = comparable_outputs(first), comparable_outputs(second)
    code_cells = [i for i, c in enumerate(first.cells) if c.cell_type == "code"]
    for position, (one, two) in enumerate(zip(a, b)):
        if one is None or one == two:
            continue
        cell = code_cells[position]
        diff = "\n".join(difflib.unified_diff(
            (one or "").splitlines(), (two or "").splitlines(), "first run", "second run", lineterm="", n=1))
        source = first.cells[cell].source
        return f"cell {cell} gives different outputs on two runs:\n{source}\n{diff}"
    if len(a) != len(b):
        return f"the two runs executed {len(a)} and {len(b)} code cells"
    return None


_EVAL = re.compile(r"\{eval\}`(\w+)`")


def glued_names(notebook):
    """``{name: [indices of the code cells that glue it]}`` in an executed notebook."""
    found = {}
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                found.setdefault(name, []).append(index)
    return found


def prose_problems(notebook):
    """What keeps an executed notebook's prose from reading the same in JupyterLab and on the site.

    Each ``{eval}`name``` must be set (by ``claims.prose``, which glues it) in a code cell
    *above* its markdown cell: JupyterLab evaluates it when the markdown cell runs, top to
    bottom, while the site would find a value glued anywhere on the page. A name is set in
    one cell only, or JupyterLab and the site could show different values; and a value set
    for the prose is shown somewhere.
    """
    glued = glued_names(notebook)
    problems = [f"`{name}` is set in cells {cells}: set each prose value in one cell"
                for name, cells in glued.items() if len(set(cells)) > 1]
    shown = set()
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for name in _EVAL.findall(cell.source):
            shown.add(name)
            if name not in glued:
                problems.append(f"markdown cell {index} shows {{eval}}`{name}`, which no code cell sets: "
                                f"claims.prose({name}=...)")
            elif min(glued[name]) > index:
                problems.append(f"markdown cell {index} shows {{eval}}`{name}`, set only below it (cell "
                                f"{min(glued[name])}): JupyterLab renders the paragraph before the value exists")
    problems += [f"`{name}` is set for the prose (cell {cells[0]}) but no paragraph shows it"
                 for name, cells in glued.items() if name not in shown]
    return problems
