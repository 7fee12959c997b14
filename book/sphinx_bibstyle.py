"""Sphinx extension: the references are labelled author–year, as the citations are.

sphinxcontrib-bibtex formats the in-text citations with a *referencing* style
(``bibtex_reference_style``) and the list of the ``{bibliography}`` directive with a
pybtex *formatting* style (``bibtex_default_style``). Its ``author_year`` referencing
style cites "[Huyen, 2022]" while pybtex's ``plain`` numbers the list [1], [2], ...,
so a reader cannot find a citation in the list by its label. This module registers
one style of each kind, both under the name ``book_author_year``:

- the formatting style (:class:`AuthorYearStyle`) is pybtex's ``plain`` with
  author–year labels (:class:`AuthorYearLabelStyle`): "Huyen, 2022",
  "Cai and Martin, 2024", "Touvron et al., 2023a" and "..., 2023b" when one author
  label has two works in a year. The list is sorted by that label
  (:class:`AuthorYearSortingStyle`), so it reads alphabetically as it is cited,
  organisations ("{Amazon Web Services}") included;
- the referencing style (:class:`AuthorYearReferenceStyle`) cites in round brackets by
  the same label: ``{cite:p}`` gives "(Huyen, 2022)", several keys "(Dettmers et al.,
  2022; Frantar et al., 2023)", and ``{cite:t}`` gives "Korthikanti et al. (2022)",
  with the year (and its letter) taken from the list's label;
- in HTML, the list shows each label in the same round brackets, "(Huyen, 2022)",
  where docutils writes square ones (:func:`visit_label`, :func:`depart_label`).

The entries' text comes from ``references.bib``, written for pybtex: words that keep
their capitals in a sentence-cased title are braced (``{Form 10-K}``), a dollar is a
plain ``$`` (pybtex keeps ``\\$`` as it is), and a day of publication goes with the
month (``month = "26~" # feb``), not in a ``note`` that repeats the date.

In ``_config.yml``, under ``sphinx``::

    extra_extensions:
      - book.sphinx_bibstyle
    config:
      bibtex_default_style: book_author_year
      bibtex_reference_style: book_author_year
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from string import ascii_lowercase
from types import SimpleNamespace

import pybtex.plugin
from docutils import nodes
from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import join, node
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import (
    AuthorYearReferenceStyle as _SphinxAuthorYear,
)
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
from sphinxcontrib.bibtex.style.template import join2, post_text, pre_text, reference

#: The name of both styles, for ``bibtex_default_style`` and ``bibtex_reference_style``.
NAME = "book_author_year"

#: "et al." as plain text: a label is a string, so the citations don't italicise it.
ET_AL = " et al."

#: pybtex's plain-text output (``render_as("text")`` looks the plugin up on every call).
_PLAIN_TEXT = PlainTextBackend()

_MONTHS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)


@cache
def _person_style() -> PersonStyle:
    """How citations and labels write authors (made once: each one loads a plugin)."""
    return PersonStyle(other=Text(ET_AL))


def author_label(entry, full: bool = False) -> str:
    """The author part of an entry's label, as the citations write it.

    Last names (braced organisations whole), "A and B" for two, "A et al." for three
    or more (all of them if ``full``); the editors, else the title, without authors.
    """
    person = _person_style()
    template = person.author_or_editor_or_title(full=full)
    data = {"entry": entry, "style": SimpleNamespace(person=person)}
    return template.format_data(data).render(_PLAIN_TEXT)


def entry_year(entry) -> str:
    """The year of an entry, "n.d." (no date) without one."""
    return entry.fields.get("year", "n.d.")


def _fold(text: str) -> str:
    """A sorting key of text: no accents, case-folded."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _month_number(entry) -> int:
    month = entry.fields.get("month", "").casefold()
    found = re.search("|".join(_MONTHS), month)
    return _MONTHS.index(found.group()) + 1 if found else 0


class AuthorYearSortingStyle(BaseSortingStyle):
    """Sort by the label's author part, then year, month and title."""

    def sorting_key(self, entry):
        title = Text.from_latex(entry.fields.get("title", "")).render(_PLAIN_TEXT)
        return (
            _fold(author_label(entry)),
            entry_year(entry),
            _month_number(entry),
            _fold(title),
        )


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels "Author, Year"; a letter after the year tells apart works of one label."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        bases = [f"{author_label(e)}, {entry_year(e)}" for e in entries]
        counts, seen = Counter(bases), Counter()
        for base in bases:
            if counts[base] == 1:
                yield base
            else:
                yield base + ascii_lowercase[seen[base]]
                seen[base] += 1


class AuthorYearStyle(PlainStyle):
    """pybtex's ``plain`` entries, with author–year labels and sorted by them."""

    default_label_style = AuthorYearLabelStyle
    default_sorting_style = AuthorYearSortingStyle


_LABEL_YEAR = re.compile(r"(?:\d{4}|n\.d\.)[a-z]?$")


@node
def label_year(children, data):
    """The year of the cited entry as its list label writes it ("2023a")."""
    assert not children
    label = data["formatted_entry"].label
    found = _LABEL_YEAR.search(label)
    return Text(found.group() if found else entry_year(data["entry"]))


@dataclass
class _Parenthetical(BasicAuthorYearParentheticalReferenceStyle):
    def inner(self, role_name):
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[
                join(sep=self.author_year_sep)[
                    self.person.author_or_editor_or_title(full="s" in role_name),
                    label_year,
                ]
            ],
            post_text,
        ]


@dataclass
class _Textual(BasicAuthorYearTextualReferenceStyle):
    def inner(self, role_name):
        return join(sep=self.text_reference_sep)[
            self.person.author_or_editor_or_title(full="s" in role_name),
            join[
                self.bracket.left,
                join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                    pre_text, reference[label_year], post_text
                ],
                self.bracket.right,
            ],
        ]


@dataclass
class _Year(ExtraYearReferenceStyle):
    def inner(self, role_name):
        return reference[label_year]


def _round(sep: str = ", ") -> BracketStyle:
    return BracketStyle(left="(", right=")", sep=sep)


@dataclass
class AuthorYearReferenceStyle(_SphinxAuthorYear):
    """sphinxcontrib-bibtex's ``author_year`` in round brackets, with the list's labels.

    ``{cite:p}`` gives "(Huyen, 2022)" (several keys are separated by "; "),
    ``{cite:t}`` "Korthikanti et al. (2022)", ``{cite:year}`` "2022"; the year carries
    the letter of the list's label ("2023a"). Other roles are sphinxcontrib-bibtex's.
    """

    bracket_textual: BracketStyle = field(default_factory=_round)
    bracket_parenthetical: BracketStyle = field(default_factory=lambda: _round("; "))
    bracket_author: BracketStyle = field(default_factory=_round)
    bracket_label: BracketStyle = field(default_factory=_round)
    bracket_year: BracketStyle = field(default_factory=_round)
    person: PersonStyle = field(default_factory=_person_style)

    def __post_init__(self):
        super().__post_init__()
        common = {
            "person": self.person,
            "pre_text_sep": self.pre_text_sep,
            "post_text_sep": self.post_text_sep,
        }
        ours = [
            _Parenthetical(
                bracket=self.bracket_parenthetical,
                author_year_sep=self.author_year_sep,
                **common,
            ),
            _Textual(
                bracket=self.bracket_textual,
                text_reference_sep=self.text_reference_sep,
                **common,
            ),
            _Year(bracket=self.bracket_year),
        ]
        replaced = {type(style).__mro__[1] for style in ours}
        self.styles[:] = ours + [s for s in self.styles if type(s) not in replaced]
        self.role_style.clear()
        self.role_style.update(
            (role, style) for style in self.styles for role in style.role_names()
        )


def _swap_bracket(body: list[str], old: str, new: str) -> None:
    """Replace the last bracket ``old`` that docutils wrote in ``body`` by ``new``."""
    mark = f'<span class="fn-bracket">{old}</span>'
    for i in range(len(body) - 1, max(len(body) - 4, -1), -1):
        if mark in body[i]:
            body[i] = body[i].replace(mark, f'<span class="fn-bracket">{new}</span>')
            return


def visit_label(self, node_):
    """Docutils' label, in round brackets when it labels a citation of the list."""
    type(self).visit_label(self, node_)
    if isinstance(node_.parent, nodes.citation):
        _swap_bracket(self.body, "[", "(")


def depart_label(self, node_):
    type(self).depart_label(self, node_)
    if isinstance(node_.parent, nodes.citation):
        _swap_bracket(self.body, "]", ")")


def setup(app):
    pybtex.plugin.register_plugin("pybtex.style.formatting", NAME, AuthorYearStyle)
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing", NAME, AuthorYearReferenceStyle
    )
    app.add_node(nodes.label, override=True, html=(visit_label, depart_label))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
