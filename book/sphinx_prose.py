"""Sphinx extension: ``{eval}`name``` shows the prose value a page set with ``claims.prose``.

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
"""

from __future__ import annotations

from myst_nb.core.variables import RetrievalError, create_warning
from myst_nb.ext.glue.roles import PasteTextRole
from myst_nb.ext.glue.utils import retrieve_glue_data


class ProseValueRole(PasteTextRole):
    """``{eval}`name```: the text of the prose value ``name``, glued by ``claims.prose``."""

    def run(self):
        name = self.text.strip()
        if not name.isidentifier():
            message = (f"{{eval}}`{self.text}`: the book shows prose values by bare name only. Compute "
                       f"and format the value in code: claims.prose(name=...), then {{eval}}`name`.")
            return [], [create_warning(message, self.document, self.line, subtype="eval")]
        try:
            retrieve_glue_data(self.document, name)
        except RetrievalError:
            message = (f"{{eval}}`{name}`: this page sets no prose value `{name}`. Set it in a code cell "
                       f"above the paragraph: claims.prose({name}=...).")
            return [], [create_warning(message, self.document, self.line, subtype="eval")]
        return super().run()


def setup(app):
    # myst-nb registers its own `eval` role when it is set up; extensions listed after it
    # (jupyter-book loads myst-nb first) replace it with this one.
    app.add_role("eval", ProseValueRole(), override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
