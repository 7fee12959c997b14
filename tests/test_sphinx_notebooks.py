"""book.sphinx_notebooks: which page offers which notebook, the learner copy it writes,
and the inline scripts it keeps once. (tests/test_site.py checks the built site.)"""

from types import SimpleNamespace

import jupytext
from sphinx.builders.html._assets import _JavaScript

from book.sphinx_notebooks import _drop_duplicate_scripts, learner_ipynb, learner_page
from conftest import ROOT


def test_homework_and_solution_pages_map_to_the_learner_copy():
    assert learner_page("exercises/01_does_it_need_ml") == "exercises/01_does_it_need_ml"
    assert learner_page("exercises/solutions/01_does_it_need_ml") == "exercises/01_does_it_need_ml"
    assert learner_page("chapters/01_does_it_need_ml") is None
    assert learner_page("intro") is None
    assert learner_page("homework/solutions/x", homework_dir="homework") == "homework/x"


def test_the_learner_notebook_has_no_outputs_and_no_jupytext_metadata():
    source = ROOT / "exercises" / "01_does_it_need_ml.md"
    notebook = learner_ipynb(source)
    assert "jupytext" not in notebook.metadata and notebook.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert [c.source for c in notebook.cells] == [c.source for c in jupytext.read(source).cells]


def test_an_inline_script_added_as_none_and_as_empty_is_kept_once():
    body = {"body": 'const THEBE_JS_URL = "x"'}
    scripts = [_JavaScript("a.js"), _JavaScript(None, **body), _JavaScript("b.js"), _JavaScript("", **body),
               _JavaScript(None, body="var other = 1")]
    context = {"script_files": scripts}
    _drop_duplicate_scripts(SimpleNamespace(), "page", "page.html", context, None)
    assert [(s.filename, s.attributes.get("body")) for s in context["script_files"]] == [
        ("a.js", None), (None, 'const THEBE_JS_URL = "x"'), ("b.js", None), (None, "var other = 1")]
