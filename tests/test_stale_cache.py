"""A cached book build re-executes notebooks when the code they import changes.

Shown on a tiny book in a temporary folder: a notebook prints what a watched
module returns; the module changes, the notebook does not. With the extension
book.sphinx_cache the next build shows the new output; without it (the
control), myst-nb's cache publishes the stale one.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
import yaml

from book.sphinx_cache import _refresh_static, fingerprint
from conftest import ROOT

JUPYTER_BOOK = str(Path(sys.executable).with_name("jupyter-book"))


def _make_book(folder, with_extension):
    sphinx = {"config": {"book_cache_watch": ["pkg"]}}
    if with_extension:
        sphinx["extra_extensions"] = ["book.sphinx_cache"]
    config = {"title": "cache test", "only_build_toc_files": True,
              "execute": {"execute_notebooks": "cache", "timeout": 60}, "sphinx": sphinx}
    (folder / "_config.yml").write_text(yaml.safe_dump(config))
    (folder / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    (folder / "pkg").mkdir()
    (folder / "pkg" / "__init__.py").write_text("")
    _set_message(folder, "first output")
    (folder / "page.md").write_text(textwrap.dedent("""\
        ---
        kernelspec:
          name: python3
          display_name: Python 3
        jupytext:
          text_representation:
            format_name: myst
        ---
        # Page

        ```{code-cell} ipython3
        from pkg.helper import message
        print(message())
        ```
        """))


def _set_message(folder, text):
    (folder / "pkg" / "helper.py").write_text(f"def message():\n    return {text!r}\n")


def _build(folder):
    done = subprocess.run([JUPYTER_BOOK, "build", str(folder)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return (folder / "_build" / "html" / "page.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("with_extension", [True, False], ids=["with book.sphinx_cache", "control: without it"])
def test_a_change_in_imported_code_reaches_the_next_cached_build(tmp_path, with_extension):
    _make_book(tmp_path, with_extension)
    assert "first output" in _build(tmp_path)
    _set_message(tmp_path, "second output")
    html = _build(tmp_path)
    if with_extension:
        assert "second output" in html and "first output" not in html
    else:  # the bug the extension fixes: the stale output is published
        assert "first output" in html and "second output" not in html
    # A change to the prose alone: the page is read again, its outputs come from the cache.
    page = tmp_path / "page.md"
    page.write_text(page.read_text().replace("# Page", "# Page\n\nNew prose."))
    _build(tmp_path)
    # the executed copy, which the book's site offers as the page's .ipynb download
    download = nbformat.read(tmp_path / "_build" / "jupyter_execute" / "page.ipynb", as_version=4)
    outputs = sum(len(cell.get("outputs", [])) for cell in download.cells)
    if with_extension:
        assert outputs > 0, "the .ipynb download of a page read from the cache lost its outputs"
    else:  # the bug the extension fixes: myst-nb writes the copy before merging the outputs
        assert outputs == 0, "myst-nb now keeps the outputs itself: _outputs_in_executed_copy can go"


def test_fingerprint_follows_content_not_caches(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    (tmp_path / "requirements.txt").write_text("numpy==1\n")
    watched = ["pkg", "requirements.txt"]
    before = fingerprint(tmp_path, watched)
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0junk")
    assert fingerprint(tmp_path, watched) == before
    (tmp_path / "requirements.txt").write_text("numpy==2\n")
    assert fingerprint(tmp_path, watched) != before


def test_the_book_watches_its_package_and_requirements():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "book.sphinx_cache" in config["sphinx"]["extra_extensions"]
    watched = config["sphinx"]["config"].get("book_cache_watch", ["book", "requirements.txt"])
    assert {"book", "requirements.txt"} <= set(watched)


def test_a_change_to_the_static_files_alone_reaches_the_built_site(tmp_path):
    """Sphinx copies _static/ only when a page is rebuilt; the extension copies it anyway."""
    from types import SimpleNamespace

    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "book.css").write_text("table { width: fit-content; }")
    built = tmp_path / "_build" / "html" / "_static"
    built.mkdir(parents=True)
    (built / "book.css").write_text("table { width: 100%; }")  # the previous build's copy
    (built / "theme.css").write_text("theme")
    app = SimpleNamespace(builder=SimpleNamespace(format="html"), outdir=str(built.parent),
                          confdir=str(tmp_path), config=SimpleNamespace(html_static_path=["_static"]))
    _refresh_static(app, None)
    assert (built / "book.css").read_text() == "table { width: fit-content; }"
    assert (built / "theme.css").read_text() == "theme", "files of the theme stay"
    (tmp_path / "_static" / "book.css").write_text("changed")
    _refresh_static(app, RuntimeError("the build failed"))
    assert (built / "book.css").read_text() == "table { width: fit-content; }", "no copy after a failed build"
