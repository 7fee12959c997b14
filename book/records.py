"""Feedback shown in a notebook, with a machine-readable record that tools read back.

The homework checks (:mod:`book.homework.question`) and the prose's claims
(:mod:`book.claims`) show one line of feedback in the cell's output and leave a
record in the metadata of the same output. Output metadata is kept in saved
notebooks and ignored by JupyterLab and the book build, which show the feedback
itself; the grader, the tests and the seed sweep read the records back.
"""

from __future__ import annotations


def show(obj):
    """Display ``obj`` in a notebook (all MIME types of its bundle, with its metadata); print it elsewhere."""
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
    """The records stored under ``key`` in an executed notebook's outputs, in execution order.

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
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            record = output.get("metadata", {}).get(key)
            if isinstance(record, dict) and set(required) <= record.keys():
                found.append((index, dict(record)))
    return found
