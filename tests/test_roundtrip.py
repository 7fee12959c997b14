"""Reading a source notebook with jupytext and writing it back gives the identical file,
so opening and saving a notebook in Jupyter leaves no spurious diff."""

import jupytext

from conftest import ROOT, book_notebooks


def test_every_notebook_survives_a_jupytext_round_trip(notebook):
    text = notebook.read_text(encoding="utf-8")
    assert jupytext.writes(jupytext.read(notebook), fmt="md:myst") == text, (
        f"{notebook.relative_to(ROOT)} changes when jupytext writes it back; normalise it with "
        "`jupytext --to md:myst` (or open and save it in Jupyter)"
    )


def test_there_is_something_to_round_trip():
    assert len(book_notebooks()) >= 4
