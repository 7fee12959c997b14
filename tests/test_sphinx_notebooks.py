"""book.sphinx_notebooks: which page offers which notebook, the learner copy it writes,
the box that opens a homework as a notebook, and the inline scripts it keeps once.
(tests/test_site.py checks the built site.)"""

from pathlib import Path
from types import SimpleNamespace

import jupytext
import pytest
import yaml
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from jupyter_book.config import get_final_config
from sphinx.builders.html._assets import _JavaScript

from book.sphinx_notebooks import (
    START_CLASS, START_TITLE, _drop_duplicate_scripts, _insert_start_block, binder_url,
    learner_ipynb, learner_page,
)
from conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
LEARNER = "exercises/01_does_it_need_ml"


def _theme_options(config=None):
    """The theme options jupyter-book derives from ``config`` (default: the book's _config.yml)."""
    path = ROOT / "_config.yml"
    if config is not None:
        path = Path(config)
    sphinx_config, _ = get_final_config(user_yaml=path, cli_config={"latex_individualpages": False},
                                        sourcedir=ROOT)
    return sphinx_config["html_theme_options"]


def _expected_binder_url(page):
    """The Binder link, straight from _config.yml (as tests/test_site.py reads it)."""
    repository, launch = CONFIG["repository"], CONFIG["launch_buttons"]
    org, repo = repository["url"].removeprefix("https://github.com/").split("/")[:2]
    prefix = repository.get("path_to_book", "").strip("/")
    path = f"{prefix}/{page}" if prefix else page
    ui = {"jupyterlab": "lab/tree", "classic": "tree"}[launch["notebook_interface"]]
    hub = launch["binderhub_url"].rstrip("/")
    return f"{hub}/v2/gh/{org}/{repo}/{repository['branch']}?urlpath={ui}/{path}"


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


def test_the_binder_link_follows_the_configured_repository():
    assert binder_url(_theme_options(), f"{LEARNER}.md") == _expected_binder_url(f"{LEARNER}.md")


def test_a_fork_gets_a_binder_link_to_itself(tmp_path):
    fork = dict(CONFIG, repository={"url": "https://github.com/someone/my-fork", "branch": "dev",
                                    "path_to_book": "book"})
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(fork), encoding="utf-8")
    url = binder_url(_theme_options(tmp_path / "_config.yml"), f"{LEARNER}.md")
    assert url == f"https://mybinder.org/v2/gh/someone/my-fork/dev?urlpath=lab/tree/book/{LEARNER}.md"


@pytest.mark.parametrize("options", [
    {"repository_url": "https://github.com/a/b"},  # no launch buttons
    {"repository_url": "https://github.com/a/b", "launch_buttons": {"binderhub_url": ""}},
    {"launch_buttons": {"binderhub_url": "https://mybinder.org"}},  # no repository
])
def test_no_binder_link_without_binder_and_a_repository(options):
    assert binder_url(options, f"{LEARNER}.md") is None


def _page(title="Homework 1"):
    document = new_document("page", get_default_settings(Parser))
    section = nodes.section("", nodes.title("", title), nodes.paragraph("", "What it practises."))
    document += section
    return document, section


def _app(theme_options, format="html"):
    return SimpleNamespace(
        builder=SimpleNamespace(format=format),
        config=SimpleNamespace(book_homework_dir="exercises", html_theme_options=theme_options),
        env=SimpleNamespace(doc2path=lambda docname: str(ROOT / f"{docname}.md")),
    )


def test_a_learner_page_opens_with_labelled_links_to_binder_download_and_make_lab():
    options = _theme_options()
    document, section = _page()
    _insert_start_block(_app(options), document, LEARNER)
    box = section[1]
    assert isinstance(box, nodes.admonition) and START_CLASS in box["classes"]
    assert box[0].astext() == START_TITLE
    links = [(r.astext(), r["refuri"]) for r in box.findall(nodes.reference)]
    assert links == [("Open this homework in Binder", _expected_binder_url(f"{LEARNER}.md"))]
    [download] = [r.astext() for r in box.findall(nodes.raw)]
    assert f'href="../_sources/{LEARNER}.ipynb"' in download and "download=" in download
    assert ">Download the notebook (.ipynb)</a>" in download
    assert {"make lab", f"{LEARNER}.md"} <= {lit.astext() for lit in box.findall(nodes.literal)}
    assert section[2].astext() == "What it practises."  # the page's own text follows


@pytest.mark.parametrize("docname", ["exercises/solutions/01_does_it_need_ml", "chapters/01_does_it_need_ml",
                                     "intro"])
def test_no_box_on_solution_pages_or_other_pages(docname):
    document, section = _page()
    _insert_start_block(_app(_theme_options()), document, docname)
    assert len(section) == 2


def test_no_box_for_other_builders():
    document, section = _page()
    _insert_start_block(_app(_theme_options(), format="latex"), document, LEARNER)
    assert len(section) == 2


def test_without_binder_the_box_keeps_the_other_ways_in():
    document, section = _page()
    _insert_start_block(_app({}), document, LEARNER)
    box = section[1]
    assert not list(box.findall(nodes.reference)) and len(list(box.findall(nodes.raw))) == 1


def _build_with_binder_role(tmp_path, text, theme_options):
    """A one-page Sphinx build (reStructuredText) whose page uses the {binder} role."""
    from sphinx.cmd.build import build_main

    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        f"extensions = ['book.sphinx_notebooks']\nhtml_theme_options = {theme_options!r}\n"
        "html_theme = 'basic'\n", encoding="utf-8")
    (source / "index.rst").write_text(f"Title\n=====\n\n{text}\n", encoding="utf-8")
    (source / "notebook.md").write_text("# a notebook\n", encoding="utf-8")
    warnings = tmp_path / "warnings.txt"
    build_main(["-q", "-b", "html", "-w", str(warnings), str(source), str(tmp_path / "out")])
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    return html, warnings.read_text(encoding="utf-8")


BINDER_OPTIONS = {"repository_url": "https://github.com/org/repo", "repository_branch": "main",
                  "launch_buttons": {"binderhub_url": "https://mybinder.org",
                                     "notebook_interface": "jupyterlab"}}


def test_the_binder_role_links_a_page_to_binder(tmp_path):
    html, warnings = _build_with_binder_role(
        tmp_path, ":binder:`Open it in Binder <notebook.md>`", BINDER_OPTIONS)
    url = "https://mybinder.org/v2/gh/org/repo/main?urlpath=lab/tree/notebook.md"
    assert f'href="{url}"' in html and "Open it in Binder</a>" in html
    assert "binder" not in warnings.lower()


@pytest.mark.parametrize("text, options, message", [
    (":binder:`Open <notebook.md>`", {}, "Binder is not configured"),
    (":binder:`Open <missing.md>`", BINDER_OPTIONS, "no file missing.md"),
], ids=["no Binder configured", "no such file"])
def test_the_binder_role_warns_instead_of_a_dead_link(tmp_path, text, options, message):
    html, warnings = _build_with_binder_role(tmp_path, text, options)
    assert message in warnings and "mybinder" not in html
