"""Sphinx extension: an ``.ipynb`` to download on every notebook page.

The sources are text notebooks (jupytext MyST Markdown), which Colab and many
other tools cannot open. With launch buttons configured, sphinx-book-theme
already copies the executed notebook of each page to ``_sources/<page>.ipynb``
and offers it in the page's download menu. That is what a chapter should
offer: the notebook with its outputs.

A homework page must not offer that file: its executed solution holds the
answers. This extension runs after the theme and, on every page under
``exercises/`` (the learner copy and its solutions page alike):

- writes the learner copy, as the learner would start it (no outputs, no
  execution counts, no solution code), to ``_sources/exercises/<name>.ipynb``;
- points the page's ``.ipynb`` download at that file;
- removes the executed solution notebook that the theme copied for a
  solutions page, so that no published ``.ipynb`` carries an answer.

It also keeps one copy of each inline script on every page: jupyter-book 1 on
Sphinx 7.4 emits sphinx-thebe's ``const THEBE_JS_URL`` twice, and the second is a
SyntaxError in the browser (see :func:`_drop_duplicate_scripts`).

Enable it in ``_config.yml`` under ``sphinx.extra_extensions``; the ``.ipynb``
downloads exist once ``launch_buttons`` are configured. Configuration: ``book_homework_dir``
(default ``"exercises"``), the folder of the learner copies; its
``solutions/`` subfolder holds their sources.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import jupytext
import nbformat
from sphinx.util import logging

_LOGGER = logging.getLogger(__name__)
NOTEBOOK_BUTTON = "download-notebook-button"
DOWNLOAD_GROUP = "download-buttons"


def learner_page(pagename, homework_dir="exercises"):
    """The page name of the learner copy for a homework page, or None for any other page.

    ``exercises/01_x`` and ``exercises/solutions/01_x`` both give ``exercises/01_x``.
    """
    parts = PurePosixPath(pagename).parts
    if len(parts) < 2 or parts[0] != homework_dir:
        return None
    return f"{homework_dir}/{parts[-1]}"


def learner_ipynb(source):
    """The learner copy at ``source`` (a jupytext ``.md``) as a notebook to hand out.

    Outputs and execution counts are empty, so the learner starts from a clean
    notebook; jupytext's own metadata is dropped, so it is a plain ``.ipynb``.
    """
    notebook = jupytext.read(source)
    notebook.metadata.pop("jupytext", None)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return notebook


def _download_button(context):
    for group in context.get("header_buttons", []):
        if group.get("label") == DOWNLOAD_GROUP:
            for button in group.get("buttons", []):
                if button.get("label") == NOTEBOOK_BUTTON:
                    return button
    return None


def _offer_learner_copy(app, pagename, templatename, context, doctree):
    learner = learner_page(pagename, app.config.book_homework_dir)
    if learner is None or not context.get("ipynb_source"):
        return
    source = Path(app.srcdir) / f"{learner}.md"
    if not source.exists():
        _LOGGER.warning(f"[book] {pagename}: no learner copy {learner}.md to offer for download",
                        location=pagename)
        return
    sources = Path(app.outdir) / "_sources"
    target = sources / f"{learner}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(learner_ipynb(source), target)
    if pagename != learner:  # a solutions page: its executed notebook would give the answers away
        (sources / f"{pagename}.ipynb").unlink(missing_ok=True)
    context["ipynb_source"] = f"{learner}.ipynb"
    button = _download_button(context)
    if button is not None:
        button["url"] = f"{context['pathto']('_sources', 1)}/{learner}.ipynb"
        button["tooltip"] = "Download the homework notebook (without solutions)"


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    """Keep one of each inline script: two ``const THEBE_JS_URL`` make the second a SyntaxError.

    Scripts added once by filename ``None`` and once by ``""`` (sphinx-thebe's and
    sphinx-togglebutton's settings, with jupyter-book 1 on Sphinx 7.4) count as
    different, so both reach the page; the browser test found the error they raise.
    """
    seen, unique = set(), []
    for script in context.get("script_files", []):
        key = (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"][:] = unique


def setup(app):
    app.add_config_value("book_homework_dir", "exercises", "html")
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    # After sphinx-book-theme's launch and download buttons (priority 501).
    app.connect("html-page-context", _offer_learner_copy, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
