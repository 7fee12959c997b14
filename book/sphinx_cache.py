"""Sphinx extension: re-execute the notebooks when the code they import changes.

myst-nb's execution cache (jupyter-cache) recognises a notebook by its own code
cells. When ``book/`` or ``requirements.txt`` changes, the notebooks' outputs
may change too, but their cache keys do not: a cached build would publish
outputs of code that no longer exists. This extension fingerprints the
watched files at the start of every build. When the fingerprint differs from
the one recorded with the execution cache, it empties the cache and has Sphinx
read every document again, so every notebook is executed anew.

It also gives a page read from the cache its outputs in the executed copy
(:func:`_outputs_in_executed_copy`). myst-nb 1.4 writes each page's notebook to
``jupyter_execute/``, from which the site's ``.ipynb`` download is copied, before it
merges the outputs it took from the cache: after a change to a chapter's prose alone,
the download would come without outputs.

And it keeps the site's static files current (:func:`_refresh_static`): Sphinx
copies ``_static/`` only when some page is rebuilt, so a change to the book's CSS
alone would not reach a cached build, nor the browser test that looks at it.

Enable it in ``_config.yml`` under ``sphinx.extra_extensions``. Configuration:
``book_cache_watch``, the files and folders to watch, relative to the book's
root (default: ``["book", "requirements.txt"]``).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from sphinx.util import logging

FINGERPRINT_FILE = "book-code-fingerprint.txt"
_LOGGER = logging.getLogger(__name__)
_IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints"}


def fingerprint(root, watched):
    """A hash of the names and contents of the watched files under ``root``.

    Folders are walked recursively (``__pycache__`` and compiled files are
    skipped); a missing path counts as empty, so that adding it changes the hash.
    """
    digest = hashlib.sha256()
    root = Path(root)
    for entry in sorted(watched):
        path = root / entry
        files = (
            sorted(p for p in path.rglob("*") if p.is_file())
            if path.is_dir()
            else [path]
        )
        for file in files:
            if (
                _IGNORED_PARTS & set(file.parts)
                or file.suffix in {".pyc", ".pyo"}
                or not file.exists()
            ):
                continue
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def _cache_path(app):
    configured = getattr(
        getattr(app.env, "mystnb_config", None), "execution_cache_path", ""
    )
    return (
        Path(configured) if configured else Path(app.outdir).parent / ".jupyter_cache"
    )


def _outdated_when_code_changed(app, env, added, changed, removed):
    current = fingerprint(app.srcdir, app.config.book_cache_watch)
    cache = _cache_path(app)
    record = cache / FINGERPRINT_FILE
    previous = record.read_text(encoding="utf-8").strip() if record.exists() else None
    if previous == current:
        return []
    if cache.exists():
        shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    record.write_text(current + "\n", encoding="utf-8")
    if previous is None and not env.all_docs:
        return []  # a first build reads everything anyway
    _LOGGER.info(
        "[book] the watched code changed (%s): re-executing every notebook",
        ", ".join(app.config.book_cache_watch),
    )
    return sorted(env.found_docs)


def _outputs_in_executed_copy(app, doctree):
    """Merge the cached outputs into ``jupyter_execute/<page>.ipynb`` when it has none.

    A notebook executed in this build already has them; one that matched the cache is
    written without them (see the module's docstring). A notebook with no match, or
    none of whose code cells has outputs even in the cache, is left as it is.
    """
    config = getattr(app.env, "mystnb_config", None)
    if config is None or not config.output_folder:
        return
    path = Path(config.output_folder) / f"{app.env.docname}.ipynb"
    if not path.is_file():
        return
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if not code or any(cell.get("outputs") for cell in code):
        return
    cache = _cache_path(app)
    if not cache.is_dir():
        return
    try:
        _, merged = get_cache(str(cache)).merge_match_into_notebook(notebook)
    except KeyError:  # not in the cache: nothing to merge
        return
    nbformat.write(merged, path)


def _refresh_static(app, exception):
    """Copy the changed files of ``html_static_path`` into the built site's ``_static``.

    Sphinx skips its copy when no page is out of date ("no targets are out of date").
    """
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static"
    for folder in app.config.html_static_path:
        source = Path(app.confdir) / folder
        if not source.is_dir():
            continue
        for file in (p for p in source.rglob("*") if p.is_file()):
            built = target / file.relative_to(source)
            if not built.exists() or built.read_bytes() != file.read_bytes():
                built.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, built)


def setup(app):
    app.add_config_value("book_cache_watch", ["book", "requirements.txt"], "env")
    app.connect("env-get-outdated", _outdated_when_code_changed)
    app.connect("doctree-read", _outputs_in_executed_copy)
    app.connect("build-finished", _refresh_static)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
