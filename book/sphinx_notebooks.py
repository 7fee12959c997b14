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

At the top of each learner copy's page it puts a box that says how to open
the page as a notebook (:func:`start_block`): a labelled link to Binder, built
from the configured repository as the theme's launch button is (so that a
fork links to itself, see :func:`binder_url`), a labelled download of the
learner's ``.ipynb``, and ``make lab``. The box is for the site only: the
notebook itself, once open, needs none of it. How to check answers and how to
grade follow in the page's own text, which ``book.homework.generate`` inserts
into every learner copy.

The role ``{binder}`text <path>``` links any page's source (``path``, in the book's
folder) to Binder the same way, for pages such as the landing page that say "open
chapter 1 in Binder" (:class:`BinderRole`); without Binder configured it is a build
warning.

It also keeps one copy of each inline script on every page: jupyter-book 1 on
Sphinx 7.4 emits sphinx-thebe's ``const THEBE_JS_URL`` twice, and the second is a
SyntaxError in the browser (see :func:`_drop_duplicate_scripts`).

Enable it in ``_config.yml`` under ``sphinx.extra_extensions``; the theme's
download button and the Binder link exist once ``launch_buttons`` (and, for
Binder, ``repository``) are configured. Configuration: ``book_homework_dir``
(default ``"exercises"``), the folder of the learner copies; its
``solutions/`` subfolder holds their sources.
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import jupytext
import nbformat
from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import ReferenceRole

_LOGGER = logging.getLogger(__name__)
NOTEBOOK_BUTTON = "download-notebook-button"
DOWNLOAD_GROUP = "download-buttons"
#: The class of the box at the top of a learner copy's page; its links add ``-binder``
#: and ``-download`` to it.
START_CLASS = "homework-start"
START_TITLE = "Do this homework in a notebook"
_INTERFACES = {"classic": "tree", "jupyterlab": "lab/tree"}


def learner_page(pagename, homework_dir="exercises"):
    """The page name of the learner copy for a homework page, or None for other pages.

    ``exercises/01_x`` and ``exercises/solutions/01_x`` both give ``exercises/01_x``.
    """
    parts = PurePosixPath(pagename).parts
    if len(parts) < 2 or parts[0] != homework_dir:
        return None
    return f"{homework_dir}/{parts[-1]}"


def is_learner_page(pagename, homework_dir="exercises"):
    """True for a learner copy's page (``exercises/01_x``), not its solutions page."""
    return learner_page(pagename, homework_dir) == pagename


def binder_url(theme_options, path):
    """The Binder link to ``path`` (in the book's folder) of the configured repository.

    Built as sphinx-book-theme builds its launch button, from the theme options that
    jupyter-book derives from ``_config.yml``: ``repository_url``,
    ``repository_branch``, ``path_to_docs`` and ``launch_buttons``
    (``binderhub_url``, ``notebook_interface``). None when Binder or the repository
    is not configured.
    """
    launch = theme_options.get("launch_buttons") or {}
    hub = (launch.get("binderhub_url") or "").strip("/")
    repository = (theme_options.get("repository_url") or "").strip("/")
    if not hub or repository.count("/") < 2:
        return None
    host, org, repo = repository.rsplit("/", 2)
    branch = theme_options.get("repository_branch") or "master"  # the theme's default
    if "github.com" in host:
        base = f"{hub}/v2/gh/{org}/{repo}/{branch}"
    elif "gitlab.com" in host:
        base = f"{hub}/v2/gl/{org}%2F{repo}/{branch}"
    else:
        base = f"{hub}/v2/git/{quote(repository)}/{branch}"
    prefix = (theme_options.get("path_to_docs") or "").strip("/")
    ui = _INTERFACES.get(launch.get("notebook_interface", "classic"), "tree")
    return f"{base}?urlpath={ui}/{prefix + '/' if prefix else ''}{path}"


def _item(label, *content):
    lead = [nodes.strong("", label), nodes.Text(" ")]
    return nodes.list_item("", nodes.paragraph("", "", *lead, *content))


def start_block(source, binder=None, download=None):
    """The box that says how to open a learner copy as a notebook.

    Parameters
    ----------
    source : str
        The learner copy's path in the repository, e.g. ``exercises/01_x.md``.
    binder : str or None
        The Binder link (see :func:`binder_url`); None leaves Binder out.
    download : str or None
        The learner's ``.ipynb``, relative to the page; None leaves it out.

    Returns
    -------
    docutils.nodes.admonition
        A "tip" box with the class :data:`START_CLASS`.
    """
    items = nodes.bullet_list()
    if binder:
        link = nodes.reference(
            "",
            "Open this homework in Binder",
            refuri=binder,
            classes=[f"{START_CLASS}-binder"],
        )
        items += _item(
            "In your browser:",
            link,
            nodes.Text(" (nothing to install; it can take a few minutes to start)."),
        )
    items += _item(
        "On your computer:",
        nodes.literal("", "make lab"),
        nodes.Text(" in a clone of the repository, then open "),
        nodes.literal("", source),
        nodes.Text("."),
    )
    if download:
        name = html.escape(PurePosixPath(download).name)
        anchor = (
            f'<a class="reference download {START_CLASS}-download" '
            f'href="{html.escape(download)}" download="{name}">'
            "Download the notebook (.ipynb)</a>"
        )
        items += _item(
            "Or:",
            nodes.raw("", anchor, format="html"),
            nodes.Text(", to run where the book's requirements are installed."),
        )
    title = nodes.title("", START_TITLE)
    return nodes.admonition("", title, items, classes=["tip", START_CLASS])


def _insert_start_block(app, doctree, docname):
    homework_dir = app.config.book_homework_dir
    if app.builder.format != "html" or not is_learner_page(docname, homework_dir):
        return
    section = doctree.next_node(nodes.section)
    if section is None or not isinstance(section.next_node(), nodes.title):
        _LOGGER.warning(
            f"[book] {docname}: no title to put the notebook links under",
            location=docname,
        )
        return
    options = app.config.html_theme_options
    page = f"{docname}{Path(app.env.doc2path(docname)).suffix}"  # in the book's folder
    prefix = (options.get("path_to_docs") or "").strip("/")
    source = f"{prefix}/{page}" if prefix else page  # in the repository
    here = posixpath.dirname(docname) or "."
    download = posixpath.relpath(f"_sources/{docname}.ipynb", here)
    section.insert(1, start_block(source, binder_url(options, page), download))


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
    if learner is None:
        return
    source = Path(app.srcdir) / f"{learner}.md"
    if not source.exists():
        _LOGGER.warning(
            f"[book] {pagename}: no learner copy {learner}.md to offer for download",
            location=pagename,
        )
        return
    sources = Path(app.outdir) / "_sources"
    target = sources / f"{learner}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(learner_ipynb(source), target)
    if (
        pagename != learner
    ):  # a solutions page: its executed notebook would give the answers away
        (sources / f"{pagename}.ipynb").unlink(missing_ok=True)
    if not context.get("ipynb_source"):  # no launch buttons: no download button either
        return
    context["ipynb_source"] = f"{learner}.ipynb"
    button = _download_button(context)
    if button is not None:
        button["url"] = f"{context['pathto']('_sources', 1)}/{learner}.ipynb"
        button["tooltip"] = "Download the homework notebook (without solutions)"


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    """Keep one of each inline script: two ``const THEBE_JS_URL`` make the second a
    SyntaxError.

    Scripts added once by filename ``None`` and once by ``""`` (sphinx-thebe's and
    sphinx-togglebutton's settings, with jupyter-book 1 on Sphinx 7.4) count as
    different, so both reach the page; the browser test found the error they raise.
    """
    seen, unique = set(), []
    for script in context.get("script_files", []):
        key = (
            script.filename or "",
            script.priority,
            tuple(sorted(script.attributes.items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"][:] = unique


class BinderRole(ReferenceRole):
    """``{binder}`Open chapter 1 in Binder <chapters/01_x.md>```: a link that opens the
    page's source in Binder, built like the homework box's (:func:`binder_url`)."""

    def run(self):
        path = self.target.strip().lstrip("/")
        if not (Path(self.env.srcdir) / path).is_file():
            message = f"{{binder}}: no file {path} in the book's folder"
            return [], [self.inliner.reporter.warning(message, line=self.lineno)]
        url = binder_url(self.config.html_theme_options, path)
        if url is None:
            message = (
                f"{{binder}}`{self.text}`: Binder is not configured "
                "(launch_buttons.binderhub_url and repository.url in _config.yml)"
            )
            return [], [self.inliner.reporter.warning(message, line=self.lineno)]
        title = self.title if self.has_explicit_title else f"Open {path} in Binder"
        link = nodes.reference("", title, refuri=url, classes=[f"{START_CLASS}-binder"])
        return [link], []


def setup(app):
    app.add_config_value("book_homework_dir", "exercises", "html")
    app.add_role("binder", BinderRole())
    app.connect("doctree-resolved", _insert_start_block)
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    # After sphinx-book-theme's launch and download buttons (priority 501).
    app.connect("html-page-context", _offer_learner_copy, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
