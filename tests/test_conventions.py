"""Conventions the notebooks follow, checked on their source (README, "Write a chapter")."""

from __future__ import annotations

import ast
import re

import jupytext
import pytest
from IPython.core.inputtransformer2 import TransformerManager

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
