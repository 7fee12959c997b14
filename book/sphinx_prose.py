"""Sphinx extension: ``{eval}`name``` shows the prose value a page set with
``claims.prose``.

A chapter's numbers reach its text by name. A code cell above the paragraph
calls ``claims.prose(acc_pct=format(acc, ".0%"))``, and the markdown reads
``{eval}`acc_pct```. That one source reads right in both places:

- **JupyterLab** (with ``jupyterlab-myst``) evaluates ``acc_pct`` in the running
  kernel when the markdown cell runs, so a learner who changes a parameter and
  reruns sees the text follow;
- **the book build** runs this role instead of myst-nb's own ``eval``. myst-nb's
  would need ``execution_mode: inline``, which bypasses the execution cache, so
  every notebook would run on every build. This role shows the value that
  ``claims.prose`` glued under the same name, in the same run, with the cache.

Only bare names are accepted (as in myst-nb): an expression, or a name the page
never set, is a build warning, so ``-W`` fails the build.

It also labels the folds of hidden cells by what they hold (:class:`LabelFolds`). A
paragraph's numbers and the checks of its claims sit in one folded cell right above it,
labelled "Show the next paragraph's numbers and checks" (or only its numbers, or only
its checks).
"""

from __future__ import annotations

from docutils import nodes
from myst_nb.core.variables import RetrievalError, create_warning
from myst_nb.ext.glue.roles import PasteTextRole
from myst_nb.ext.glue.utils import retrieve_glue_data
from sphinx.transforms.post_transforms import SphinxPostTransform


class ProseValueRole(PasteTextRole):
    """``{eval}`name```: the text of the prose value ``name``, glued by
    ``claims.prose``."""

    def run(self):
        name = self.text.strip()
        if not name.isidentifier():
            message = (
                f"{{eval}}`{self.text}`: the book shows prose values by bare name "
                "only. Compute "
                f"and format the value in code: claims.prose(name=...), then "
                f"{{eval}}`name`."
            )
            return [], [
                create_warning(message, self.document, self.line, subtype="eval")
            ]
        try:
            retrieve_glue_data(self.document, name)
        except RetrievalError:
            message = (
                f"{{eval}}`{name}`: this page sets no prose value `{name}`. Set it in "
                "a code cell "
                f"above the paragraph: claims.prose({name}=...)."
            )
            return [], [
                create_warning(message, self.document, self.line, subtype="eval")
            ]
        return super().run()


#: The label of a folded cell, by what it holds (myst-nb's default says only
#: "content"): keyed by (sets prose values, checks claims).
FOLD_LABELS = {
    (True, True): (
        "Show the next paragraph's numbers and checks",
        "Hide the numbers and checks",
    ),
    (True, False): ("Show the next paragraph's numbers", "Hide the numbers"),
    (False, True): ("Show the next paragraph's checks", "Hide the checks"),
}


def fold_label(source):
    """The (show, hide) labels of a folded cell with this source, or None."""
    return FOLD_LABELS.get(("claims.prose(" in source, "claims.check(" in source))


#: The label of a homework solution's fold (a cell tagged ``solution``).
SOLUTION_LABELS = ("Show the solution", "Hide the solution")


class LabelFolds(SphinxPostTransform):
    """Name what a folded cell holds: the numbers of the next paragraph, the checks of
    its claims, or both.

    Runs before myst-nb's ``HideInputCells`` builds the folds from the cell's prompt. A
    cell whose metadata sets its own ``code_prompt_show`` keeps it.
    """

    default_priority = 150  # before myst-nb's HideInputCells (199)
    formats = ("html",)

    def run(self, **kwargs):
        for node in self.document.findall(nodes.container):
            if node.get("nb_element") != "cell_code" or not node.get("hide_mode"):
                continue
            metadata = node.get("cell_metadata", {})
            if "code_prompt_show" in metadata.get("mystnb", {}):
                continue
            if "solution" in metadata.get("tags", []):
                node["prompt_show"], node["prompt_hide"] = SOLUTION_LABELS
                continue
            source = node.children[0].astext() if node.children else ""
            labels = fold_label(source)
            if labels:
                node["prompt_show"], node["prompt_hide"] = labels


def setup(app):
    # myst-nb registers its own `eval` role when it is set up; extensions listed after
    # it
    # (jupyter-book loads myst-nb first) replace it with this one.
    app.add_role("eval", ProseValueRole(), override=True)
    app.add_post_transform(LabelFolds)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
