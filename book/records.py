"""Feedback shown in a notebook, with a machine-readable record that tools read back.

The homework checks (:mod:`book.homework.question`) and the prose's claims
(:mod:`book.claims`) show one line of feedback in the cell's output and leave a
record in the metadata of the same output. Output metadata is kept in saved
notebooks and ignored by JupyterLab and the book build, which show the feedback
itself; the grader, the tests and the seed sweep read the records back.

The feedback is a box (:func:`box_html`) that reads in light and dark themes
alike: JupyterLab's, with its inline style alone, and the site's, where
``_static/feedback.css`` refines it through its classes.
"""

from __future__ import annotations

#: The kinds of feedback box and their accent colours (for the light theme; the dark
#: theme of the site takes brighter ones from ``_static/feedback.css``).
BOX_ACCENTS = {
    "passed": (27, 127, 59),  # a check passed, a claim held
    "failed": (180, 35, 24),  # a check failed
    "not-attempted": (110, 119, 129),  # a question still at `...`
    "hint": (31, 119, 180),
    "warning": (154, 103, 0),  # a claim that no longer holds
}
#: The class of every box; each also has ``book-feedback-<kind>``.
BOX_CLASS = "book-feedback"


def box_html(kind, inner_html):
    """A feedback box (a ``<div>``) around ``inner_html``, with classes and an inline
    style.

    The inline style is the fallback where the site's CSS is not loaded (JupyterLab,
    a notebook viewer): a left border in the kind's accent colour, and a translucent
    tint of that colour as background, with the text colour left to the theme, so
    the box reads on a light and a dark background alike. On the site,
    ``_static/feedback.css`` styles the classes ``book-feedback`` and
    ``book-feedback-<kind>``, with brighter accents in dark mode.

    Parameters
    ----------
    kind : str
        One of :data:`BOX_ACCENTS`: ``"passed"``, ``"failed"``, ``"not-attempted"``,
        ``"hint"`` or ``"warning"``.
    inner_html : str
        The box's content, as HTML.
    """
    if kind not in BOX_ACCENTS:
        raise ValueError(
            f"unknown kind of feedback box {kind!r}; one of {sorted(BOX_ACCENTS)}"
        )
    red, green, blue = BOX_ACCENTS[kind]
    style = (
        f"border-left:4px solid rgb({red},{green},{blue});"
        f"background:rgba({red},{green},{blue},0.1);padding:4px 8px"
    )
    return (
        f'<div class="{BOX_CLASS} {BOX_CLASS}-{kind}" '
        f'style="{style}">{inner_html}</div>'
    )


def show(obj):
    """Display ``obj`` in a notebook (all MIME types of its bundle, with its
    metadata); print it elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with every notebook install
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(obj)
    else:
        print(obj)


def read_records(notebook, key, required):
    """The records stored under ``key`` in an executed notebook's outputs, in execution
    order.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        An executed notebook.
    key : str
        The metadata key of the records.
    required : set of str
        Keys a record must have to count.

    Returns
    -------
    list of (int, dict)
        ``(cell index, record)`` pairs.
    """
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in (
            cell.get("outputs", []) if cell.get("cell_type") == "code" else []
        ):
            record = output.get("metadata", {}).get(key)
            if isinstance(record, dict) and set(required) <= record.keys():
                found.append((index, dict(record)))
    return found
