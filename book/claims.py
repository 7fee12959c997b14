"""The prose's claims, checked where they are made: strict at the published settings,
in words otherwise.

A chapter states results in sentences ("the random split overestimates by more
than 7 points"). Each such sentence is checked by :meth:`Claims.check` in the
folded cell right above its paragraph, the one that sets the paragraph's numbers
(:meth:`Claims.prose`), with the claim written out in words:

>>> claims = Claims({"SEED": 0}, SEED=0)
>>> claims.check(3 > 2, "three beats two", measured="3 vs 2")
✓ three beats two (3 vs 2)

What happens when a claim does not hold depends on the notebook's invited
parameters (``SEED``, ``DRIFT_DEG``...), which the chapter declares with the
values its prose was written for (:meth:`Claims.published`):

- **At the published settings** the book itself is wrong: :class:`ClaimError`
  (an ``AssertionError``) stops the notebook, so the tests and the strict
  build fail, and its message names the claim, what was measured, and what
  may have changed.
- **After a learner changed a parameter**, as the prose invites, the notebook
  runs on: the cell says in words which sentence no longer holds, with which
  settings, and what was measured instead.

Every check also shows one line (✓ or ✗) and leaves a machine-readable record
in its output's metadata (key :data:`RECORD_KEY`): the tests read the records
of the default run, and the seed sweep (``make seeds``) reads them at every
seed to report which claim fails where.
"""

from __future__ import annotations

import html
import keyword
import math
import numbers
from dataclasses import dataclass, field

from book.records import box_html, read_records, show

#: Key, in the output metadata, of the record every check leaves.
RECORD_KEY = "book.claims/check"
#: Where, in the notebook's namespace, :meth:`Claims.prose` keeps the names it set.
PROSE_NAMES = "_book_prose_names"

HELD, BROKEN_BY_CHANGE = "held", "does not hold with the changed settings"


class ClaimError(AssertionError):
    """A claim of the prose fails at the published settings: the book says something
    false."""


def _same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
        except (TypeError, ValueError):
            return False
    return a == b


@dataclass
class Outcome:
    """What one check found; it shows itself as one line, and carries its record."""

    claim: str
    held: bool
    measured: str = ""
    changed: dict = field(default_factory=dict)
    because: str = ""

    @property
    def record(self):
        return {
            "claim": self.claim,
            "held": self.held,
            "measured": self.measured,
            "changed": {k: [repr(p), repr(c)] for k, (p, c) in self.changed.items()},
        }

    def settings(self):
        return ", ".join(
            f"{name} = {current!r} instead of {published!r}"
            for name, (published, current) in self.changed.items()
        )

    def __str__(self):
        if self.held:
            return f"✓ {self.claim}" + (f" ({self.measured})" if self.measured else "")
        text = (
            f"✗ With your settings ({self.settings()}), this sentence of the text no "
            "longer holds: "
            f"“{self.claim}”."
        )
        if self.measured:
            text += f" Measured instead: {self.measured}."
        if self.because:
            text += f" {self.because}"
        return (
            text
            + " The prose was written for the published settings; read it as their "
            "result."
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The homework's feedback boxes: readable in light and dark themes
        # (book.records.box_html).
        body = box_html("passed" if self.held else "warning", html.escape(str(self)))
        return {"text/plain": str(self), "text/html": body}, {RECORD_KEY: self.record}


class Claims:
    """The claims of one notebook, and the settings its prose was written for.

    Parameters
    ----------
    namespace : dict
        Where the notebook's parameters live: pass ``globals()``. Their
        current values are read at every check, so a parameter changed in any
        cell counts.
    **published
        Invited parameters and the values the prose was written for, e.g.
        ``SEED=0``. More can be added per section with :meth:`published`.

    Examples
    --------
    >>> SEED = 0
    >>> claims = Claims(globals(), SEED=0)  # the settings the text was written for
    >>> claims.prose(acc_pct=format(0.912, ".0%"))  # the text shows {eval}`acc_pct`
    >>> acc_pct
    '91%'
    >>> claims.check(0.912 > 0.9, "the model beats 90%", measured=acc_pct)
    ✓ the model beats 90% (91%)
    """

    def __init__(self, namespace, **published):
        self._namespace = namespace
        self._published = {}
        self.outcomes = []
        self.published(**published)

    def published(self, **values):
        """Declare more invited parameters and the values the prose was written for."""
        missing = [name for name in values if name not in self._namespace]
        if missing:
            raise NameError(
                f"Claims.published: {missing} are not defined in the notebook yet; "
                "define each parameter before declaring its published value."
            )
        self._published.update(values)

    def prose(self, **values):
        """Set the values that the text shows, each under a name of its own.

        The markdown shows each one with the inline role ``{eval}`name```. Both
        places where the book is read get the same text from the same run:

        - in JupyterLab, ``jupyterlab-myst`` evaluates ``name`` in the kernel when
          the markdown cell runs, so this sets the variable ``name`` to the text;
        - in the book build, :mod:`book.sphinx_prose` shows the value glued here
          under the same name (myst-nb's ``glue``).

        Call it in a code cell *above* the paragraph, so that a notebook run from
        top to bottom has the value before the paragraph renders (a test checks).

        Parameters
        ----------
        **values : str or int
            The text as the sentence reads it: format numbers with decimals here,
            e.g. ``acc_pct=format(acc, ".0%")``; integers may be given as they are.

        Raises
        ------
        TypeError
            If a value is not text or an integer. After a learner changed a
            parameter, a number with decimals is shown as ``format(x, "g")`` instead.
        NameError
            If a name is already a variable of the notebook that ``prose`` did not
            set: the text would overwrite it.
        """
        owned = self._namespace.setdefault(PROSE_NAMES, set())
        texts = {}  # every value is checked before any is set: all or nothing
        for name, value in values.items():
            try:
                texts[name] = prose_text(name, value)
            except TypeError:
                # A learner's change (a float where the text was written for an integer,
                # say)
                # must not stop the notebook: show the number plainly. At the published
                # settings
                # the author has to say how the sentence reads it.
                if (
                    not self.changed()
                    or not isinstance(value, numbers.Real)
                    or isinstance(value, bool)
                ):
                    raise
                texts[name] = format(value, "g")
            if name in self._namespace and name not in owned:
                raise NameError(
                    f"claims.prose: `{name}` is already a variable of the notebook, "
                    "and the text would replace its value; name the prose value "
                    f"otherwise, e.g. `{name}_text`."
                )
        for name, text in texts.items():
            owned.add(name)
            self._namespace[name] = text
            glue(name, text)

    def changed(self):
        """``{name: (published, current)}`` for every invited parameter that differs
        from its published value."""
        return {
            name: (value, self._namespace.get(name))
            for name, value in self._published.items()
            if not _same(self._namespace.get(name), value)
        }

    def check(self, holds, claim, *, measured="", because=""):
        """Check one claim of the prose, and show the outcome in the cell's output.

        Parameters
        ----------
        holds : bool
            Whether the claim holds in this run.
        claim : str
            The claim in words, as the prose makes it (no numbers that change
            from run to run: those go in ``measured``).
        measured : str
            What was measured, to show next to the claim.
        because : str
            Why it might fail: which parameter or assumption the claim rests on.

        Raises
        ------
        ClaimError
            If the claim fails at the published settings.
        """
        outcome = Outcome(
            str(claim), bool(holds), str(measured), self.changed(), str(because)
        )
        self.outcomes.append(outcome)
        if not outcome.held and not outcome.changed:
            message = f"The text claims: “{claim}”, but this run does not show it."
            if measured:
                message += f" Measured: {measured}."
            if because:
                message += f" {because}"
            message += (
                " The parameters are the published ones, so the book itself is wrong "
                "here: a change to "
                "the data, the code in book/ or a library version moved this result. "
                "Fix the chapter "
                "or its prose (if you edited book/, restart the kernel first)."
            )
            raise ClaimError(message)
        show(outcome)


#: The prefix of myst-nb's hidden glue outputs (``myst_nb.ext.glue.GLUE_PREFIX``).
GLUE_PREFIX = "application/papermill.record/"


def glue(name, text):
    """Glue ``text`` under ``name`` as ``myst_nb.glue(name, text, display=False)`` does.

    The same display output, written here because importing ``myst_nb.ext.glue`` loads
    nbformat and jsonschema's format checkers, about a second per kernel, paid by every
    run of every notebook. ``tests/test_claims.py`` checks that both give the same
    output.
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    bundle, metadata = format_display_data(text)
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    display(
        {GLUE_PREFIX + k: v for k, v in bundle.items()}, raw=True, metadata=metadata
    )


def prose_text(name, value):
    """The text that ``{eval}`name``` shows for ``value``: a ``str`` as it is, an
    integer in digits.

    Anything else is refused with a message that says what to do: a float needs the
    format the sentence reads (``format(x, ".0%")``), a bool needs words.
    """
    if not (
        isinstance(name, str)
        and name.isidentifier()
        and not keyword.iskeyword(name)
        and name == name.lower()
        and not name.startswith("_")
    ):
        raise ValueError(
            f"claims.prose: {name!r} can't name a prose value; use a lower-case Python "
            "name such as `acc_pct` (the markdown shows it with {eval}`acc_pct`)."
        )
    if isinstance(value, bool):
        raise TypeError(
            f"claims.prose: {name} is a bool ({value}); give the words the sentence "
            'reads instead, e.g. "yes" or "no".'
        )
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        raise TypeError(
            f"claims.prose: {name} is a number with decimals; format it as the "
            "sentence "
            f'reads it, e.g. {name}=format(x, ".2f") or format(x, ".0%").'
        )
    if not isinstance(value, str):
        raise TypeError(
            f"claims.prose: {name} is a {type(value).__name__}; give the text the "
            "sentence reads (a str) or an integer."
        )
    text = str(value)
    # JupyterLab shows the kernel's repr of the str without its quotes: that is the text
    # only
    # when the repr needs no escapes (a newline, tab, backslash, non-breaking space, or
    # both
    # kinds of quote would be escaped).
    if repr(text)[1:-1] != text:
        raise ValueError(
            f"claims.prose: {name} = {text!r} has a character that JupyterLab would "
            "show "
            "escaped (a newline, tab, backslash, non-breaking space, or both kinds of "
            "quote); "
            "reword it."
        )
    return text


def read_claims(notebook):
    """The claim records of an executed notebook, in execution order: a list of
    ``(cell index, record)``."""
    return read_records(notebook, RECORD_KEY, {"claim", "held"})
