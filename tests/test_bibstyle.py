"""book.sphinx_bibstyle: the references list is labelled and sorted author–year, the
citations show those labels, and references.bib renders clean (no escapes, capitals
kept, one date per entry). The built site itself is checked by a strict book build."""

import re
from types import MethodType

import pybtex.plugin
import pytest
from docutils import nodes
from docutils.core import publish_parts
from docutils.writers.html5_polyglot import HTMLTranslator, Writer
from pybtex.database import parse_file, parse_string
from sphinxcontrib.bibtex.plugin import find_plugin
from sphinxcontrib.bibtex.style import template
from sphinxcontrib.bibtex.style.referencing import format_references

from book import sphinx_bibstyle
from book.sphinx_bibstyle import (
    NAME,
    AuthorYearReferenceStyle,
    AuthorYearStyle,
    author_label,
)
from conftest import ROOT

BIB = r"""
@misc{late, author = {Touvron, Hugo and Martin, Louis and Stone, Kevin},
        title = {Llama 2}, month = jul, year = {2023}}
@misc{early, author = {Touvron, Hugo and Lavril, Thibaut and Izacard, Gautier},
        title = {LLaMA}, month = feb, year = {2023}}
@misc{org, author = {{Amazon Web Services}}, title = {Run {GPU} jobs}, year = {2024}}
@misc{two, author = {Cai, Kenrick and Martin, Iain}, title = {How}, year = {2024}}
@misc{one, author = {Huyen, Chip}, title = {Designing}, year = {2022}}
"""

MONTH = ("January|February|March|April|May|June|July|August|September|October|"
         "November|December")


def formatted(bib):
    """The list's entries by key, as the bibliography directive formats them."""
    return {e.key: e for e in AuthorYearStyle().format_entries(bib.entries.values())}


def citation(role, keys, bib):
    """The text of a citation ``{cite:role}`` of the keys."""
    entries = formatted(bib)
    info = template.SphinxReferenceInfo(None, "page", "references", "id1", None, "", "")
    refs = [(bib.entries[key], entries[key], info) for key in keys]
    style = AuthorYearReferenceStyle()
    return format_references(style, role, refs).render_as("text")


@pytest.fixture(autouse=True)
def unlinked(monkeypatch):
    """A citation's link as its text: resolving the link needs a Sphinx build."""
    monkeypatch.setattr(sphinx_bibstyle, "reference", template.join)


@pytest.fixture(scope="module")
def book_bib():
    return parse_file(ROOT / "references.bib")


def test_labels_are_author_year_and_the_list_is_sorted_by_them():
    entries = list(formatted(parse_string(BIB, "bibtex")).values())
    assert [e.label for e in entries] == [
        "Amazon Web Services, 2024", "Cai and Martin, 2024", "Huyen, 2022",
        "Touvron et al., 2023a", "Touvron et al., 2023b"]
    assert [e.key for e in entries][-2:] == ["early", "late"]  # letters follow months


def test_citations_show_the_labels_in_round_brackets():
    bib = parse_string(BIB, "bibtex")
    assert citation("p", ["one"], bib) == "(Huyen, 2022)"
    assert citation("p", ["early", "late"], bib) == (
        "(Touvron et al., 2023a; Touvron et al., 2023b)")
    assert citation("t", ["two"], bib) == "Cai and Martin (2024)"
    assert citation("t", ["late"], bib) == "Touvron et al. (2023b)"
    assert citation("year", ["early"], bib) == "2023a"
    for key, entry in formatted(bib).items():
        assert citation("p", [key], bib) == f"({entry.label})"


def test_every_entry_of_the_book_has_its_own_author_year_label(book_bib):
    entries = formatted(book_bib)
    labels = [e.label for e in entries.values()]
    assert len(set(labels)) == len(labels)
    for key, entry in entries.items():
        assert re.fullmatch(r".+, \d{4}[a-z]?", entry.label), entry.label
        assert entry.label.startswith(author_label(book_bib.entries[key]) + ", ")
        assert citation("p", [key], book_bib) == f"({entry.label})"


def test_the_book_entries_read_clean(book_bib):
    text = {k: e.text.render_as("text") for k, e in formatted(book_bib).items()}
    for key, entry in text.items():
        assert "\\" not in entry and "{" not in entry, (key, entry)
        dates = re.findall(rf"(?:\d{{1,2}}\W)?(?:{MONTH}) \d{{4}}", entry)
        assert len(dates) <= 1, (key, entry)  # no month in a note that repeats the date
    assert "spur $90 billion selloff. Forbes, 26\xa0February 2024. URL" in (
        text["forbes2024gemini"])
    zillow = text["zillow2021annual"]
    assert "on Form 10-K for the fiscal year ended December 31, 2021" in zillow
    assert "and Zillow Offers wind down" in zillow
    assert "got it wrong. We'll do better." in text["raghavan2024gemini"]
    assert "device queries, nvmlDeviceGetMemoryInfo." in text["nvidia2024nvml"]
    assert "Llama 2 7B, released model configuration (config.json of " \
           "meta-llama/Llama-2-7b-hf)" in text["meta2023llama2config"]


def test_setup_registers_both_styles_and_round_brackets_for_list_labels():
    class App:
        def add_node(self, node, override, html):
            self.node, self.html = node, html

    app = App()
    for _ in range(2):  # a second build in the same process registers again
        assert sphinx_bibstyle.setup(app)["parallel_read_safe"]
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", NAME) is AuthorYearStyle
    referencing = find_plugin("sphinxcontrib.bibtex.style.referencing", NAME)
    assert referencing is AuthorYearReferenceStyle
    assert app.node is nodes.label

    def translator(document):
        """docutils' HTML translator, its label visitors set as Sphinx sets them."""
        visitor = HTMLTranslator(document)
        visitor.visit_label = MethodType(app.html[0], visitor)
        visitor.depart_label = MethodType(app.html[1], visitor)
        return visitor

    writer = Writer()
    writer.translator_class = translator
    source = "See [Huyen2022]_, [#]_.\n\n.. [Huyen2022] Chip Huyen.\n.. [#] A note.\n"
    body = publish_parts(source, writer=writer)["body"]
    label = (r'<span class="fn-bracket">\{}</span>(?:<a [^>]+>)?{}(?:</a>)?'
             r'<span class="fn-bracket">\{}</span>')
    assert re.search(label.format("(", "Huyen2022", ")"), body), body  # a citation
    assert re.search(label.format("[", "1", "]"), body), body  # a footnote: unchanged
