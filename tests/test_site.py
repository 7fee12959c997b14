"""The built site, in a real browser (headless Chromium through Playwright).

The module builds the book strictly (``jupyter-book build . -W -n --keep-going``, cached
when nothing changed), serves ``_build/html`` on 127.0.0.1 and opens the home page and
every page of the table of contents. On each: no console error, no uncaught exception,
no failed or external request, every image loaded, every internal link (and anchor)
resolves. Notebook pages carry a Binder link to their own source notebook and a download
of the right ``.ipynb``; solution dropdowns open on a click.

Each page is also read at three views: a laptop (1366 px), a phone (390 px) and the
laptop in dark mode. At each, no table or code block may be wider than the text column
outside a box that scrolls (a table scrolls itself, with the scroll cue of
``_static/book.css``), no narrow table may sit in a frame wider than its rows, and every
figure needs a numbered caption, alt text that describes
it, and twice its displayed width in pixels. A full-page screenshot of each page at each
view goes to ``_build/screenshots/<view>/``, for a person to look at: the look in dark
mode, label collisions, the footer and the logo are judged there. No homework page leads
to its solutions by Previous or Next, and the landing page links chapter 1 and homework 1
in a phone's first screen.

``BOOK_SITE=path/to/html pytest tests/test_site.py`` checks an existing build instead.
The last tests prove the checks on a small site with a missing image, a broken link,
a missing anchor and a script error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import bs4
import jupytext
import nbformat
import pytest
import yaml

from conftest import ROOT
from site_checks import (StaticSite, broken_images, broken_internal_links, figure_problems,
                         links_above_the_fold, open_page, overflowing_blocks, page_links, prev_next)

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
BUILD_TIMEOUT_S = 900


def toc_pages():
    """The root page and every page listed in ``_toc.yml``, in order."""
    pages = [TOC["root"]]
    for part in TOC.get("parts", []):
        pages += [entry["file"] for entry in part["chapters"]]
    return pages


PAGES = toc_pages()
NOTEBOOK_PAGES = [p for p in PAGES if p.startswith(("chapters/", "exercises/"))]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The folder of the built HTML: ``BOOK_SITE``, or a strict build of the book."""
    if os.environ.get("BOOK_SITE"):
        return Path(os.environ["BOOK_SITE"]).resolve()
    log = tmp_path_factory.mktemp("build") / "build.log"
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    with open(log, "w", encoding="utf-8") as out:
        done = subprocess.run([str(jupyter_book), "build", ".", "-W", "-n", "--keep-going"], cwd=ROOT,
                              stdout=out, stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 0, "the strict build failed:\n" + log.read_text(encoding="utf-8")[-6000:]
    return ROOT / "_build" / "html"


@pytest.fixture(scope="module")
def served(site):
    with StaticSite(site) as server:
        yield server


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


@pytest.mark.parametrize("name", ["index"] + PAGES)
def test_the_page_works_in_a_browser(page, site, served, name):
    visit = open_page(page, f"{served.url}{name}.html", served.url)
    if name == "index":  # the home page forwards to the root page
        page.wait_for_url(f"**/{TOC['root']}.html")
        page.wait_for_load_state("networkidle")
    problems = visit.problems()
    problems += [f"image did not load: {src}" for src in broken_images(page)]
    problems += [f"broken link {href}: {why}"
                 for href, why in broken_internal_links(page_links(page), served.url, site)]
    assert page.locator("h1").count() >= 1, f"{name}: no title on the page"
    # One search field on a wide screen: the theme's extra top bar with a second one stays off.
    searches = page.locator(".search-button-field").evaluate_all("els => els.filter(e => e.offsetParent).length")
    assert searches == 1, f"{name}: {searches} search fields are visible"
    assert not problems, f"{name}.html:\n  " + "\n  ".join(problems)


#: The widths a reader brings: a laptop, a phone (at 1x pixels: full-page shots stay light), and the laptop in
#: dark mode. Full-page screenshots of every page at each go to _build/screenshots/, to look at.
VIEWS = {
    "laptop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {"viewport": {"width": 390, "height": 844}},
    "dark": {"viewport": {"width": 1366, "height": 768}, "color_scheme": "dark"},
}


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("name", PAGES)
def test_the_page_reads_on_a_laptop_and_a_phone(browser, site, served, name, view):
    page = browser.new_page(**VIEWS[view])
    try:
        open_page(page, f"{served.url}{name}.html", served.url)
        if view == "dark":
            assert page.evaluate("document.documentElement.dataset.theme") == "dark", "dark mode did not apply"
        problems = overflowing_blocks(page) + figure_problems(page)
        folder = site.parent / "screenshots" / view
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name.replace('/', '__')}.png"), full_page=True)
        assert not problems, f"{name}.html at {view} width:\n  " + "\n  ".join(problems)
    finally:
        page.close()


HOMEWORK_PAGES = [p for p in PAGES if p.startswith("exercises/") and "/solutions/" not in p]


@pytest.mark.parametrize("name", HOMEWORK_PAGES)
def test_no_homework_leads_to_its_solutions_by_previous_or_next(page, served, name):
    open_page(page, f"{served.url}{name}.html", served.url)
    links = prev_next(page)
    assert links, f"{name}: no previous/next links found (has the theme changed?)"
    assert not [link for link in links if "/solutions/" in link], (
        f"{name}: Previous or Next leads to a solutions page: {links}")


def test_the_landing_page_shows_chapter_1_binder_and_homework_1_on_a_phone_first_screen(browser, served):
    page = browser.new_page(**VIEWS["phone"])
    try:
        open_page(page, f"{served.url}{TOC['root']}.html", served.url)
        links = links_above_the_fold(page)
        for target in ("chapters/01_does_it_need_ml.html", "exercises/01_does_it_need_ml.html"):
            assert any(link.split("#")[0].endswith(target) for link in links), (
                f"the landing page's first screen on a phone does not link {target}: {links}")
        binder = _expected_binder_url("chapters/01_does_it_need_ml")
        assert binder in links, f"the landing page's first screen has no Binder link to chapter 1: {links}"
        title = page.title()
        parts = [part.strip() for part in title.split("—")]
        assert len(set(parts)) == len(parts), f"the browser tab repeats the title: {title!r}"
        assert page.locator("article h1").count() == 1
    finally:
        page.close()


def _links(page, selector):
    return page.eval_on_selector_all(selector, "els => els.map(a => a.href)")


def _expected_binder_url(name):
    repository, launch = CONFIG["repository"], CONFIG["launch_buttons"]
    org, repo = repository["url"].removeprefix("https://github.com/").split("/")[:2]
    prefix = repository.get("path_to_book", "").strip("/")
    path = f"{prefix}/{name}.md" if prefix else f"{name}.md"
    assert (ROOT / path).is_file(), f"the Binder link would open {path}, which is not in the repository"
    ui = {"jupyterlab": "lab/tree", "classic": "tree"}[launch["notebook_interface"]]
    return f"{launch['binderhub_url'].rstrip('/')}/v2/gh/{org}/{repo}/{repository['branch']}?urlpath={ui}/{path}"


def _notebook_behind(site, served, href):
    assert href.startswith(served.url), f"the .ipynb download leaves the site: {href}"
    path = site / href.removeprefix(served.url)
    assert path.is_file(), f"the .ipynb download {href} is missing"
    return nbformat.read(path, as_version=4), path.relative_to(site).as_posix()


@pytest.mark.parametrize("name", NOTEBOOK_PAGES)
def test_launch_and_download_links(page, site, served, name):
    open_page(page, f"{served.url}{name}.html", served.url)
    assert _links(page, ".dropdown-launch-buttons a") == [_expected_binder_url(name)]
    assert not page.locator("a[href*='colab.research.google.com']").count(), "Colab can't open a .md notebook"
    assert CONFIG["repository"]["url"] in _links(page, "a.btn-source-repository-button")
    downloads = _links(page, ".dropdown-download-buttons a.btn-download-notebook-button")
    assert len(downloads) == 1, f"{name}: {len(downloads)} .ipynb downloads"
    notebook, path = _notebook_behind(site, served, downloads[0])
    outputs = sum(len(c.get("outputs", [])) for c in notebook["cells"])
    code = [c["source"] for c in notebook["cells"] if c["cell_type"] == "code"]
    if name.startswith("chapters/"):
        assert path == f"_sources/{name}.ipynb"
        assert outputs > 0, "a chapter's notebook comes with its outputs"
    else:  # homework and its solutions page: the learner copy, no outputs, no solution code
        learner = f"exercises/{Path(name).name}"
        assert path == f"_sources/{learner}.ipynb"
        assert outputs == 0, "the homework notebook comes without outputs"
        assert code == [c.source for c in jupytext.read(ROOT / f"{learner}.md").cells if c.cell_type == "code"]
        solution_code = [c.source for c in jupytext.read(ROOT / f"exercises/solutions/{Path(name).name}.md").cells
                         if "solution" in c.metadata.get("tags", [])]
        assert solution_code and not set(solution_code) & set(code)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_no_published_notebook_holds_a_solution(site):
    assert not list((site / "_sources" / "exercises" / "solutions").glob("*.ipynb"))


SOLUTION_PAGES = [p for p in PAGES if p.startswith("exercises/solutions/")]


@pytest.mark.parametrize("name", NOTEBOOK_PAGES)
def test_every_fold_says_what_it_holds(site, name):
    """myst-nb labels a fold "Show code cell content"; the book's folds say what they hold
    (book/sphinx_prose.py, or a cell's own code_prompt_show)."""
    soup = bs4.BeautifulSoup((site / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    labels = [" ".join(s.get_text(" ").split()) for s in soup.select("article details > summary .collapsed")]
    generic = [label for label in labels if label.startswith("Show code cell")]
    assert not generic, f"{name}: folds with myst-nb's generic label: {generic}"


@pytest.mark.parametrize("name", SOLUTION_PAGES)
def test_a_folded_solution_opens_on_click(page, served, name):
    open_page(page, f"{served.url}{name}.html", served.url)
    folded = page.locator(".cell.tag_solution details").first
    code = folded.locator("pre").first
    assert folded.get_attribute("open") is None and not code.is_visible(), "the solution should start folded"
    folded.locator("summary").click()
    code.wait_for(state="visible", timeout=5000)
    assert folded.get_attribute("open") is not None


def test_an_exercise_solution_dropdown_opens_on_click(page, served):
    # Chapter 1 has a sphinx-exercise solution with :class: dropdown (sphinx-togglebutton).
    open_page(page, f"{served.url}chapters/01_does_it_need_ml.html", served.url)
    dropdown = page.locator(".solution.dropdown").first
    body = dropdown.locator("section").first
    assert not body.is_visible(), "the solution should start folded"
    dropdown.locator(".admonition-title").click()
    body.wait_for(state="visible", timeout=5000)


# --- The checks themselves can fail: a small site with one of each problem -----------------

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture
def broken_site(tmp_path):
    (tmp_path / "ok.png").write_bytes(PNG_1X1)
    (tmp_path / "other.html").write_text('<html><body><h1 id="there">Other</h1></body></html>')
    (tmp_path / "good.html").write_text(
        '<html><body><h1>Good</h1><img src="ok.png"><a href="other.html#there">fine</a>'
        '<a href="#top" id="top">self</a><a href="https://example.invalid/">elsewhere</a></body></html>')
    (tmp_path / "bad.html").write_text(
        '<html><body><h1>Bad</h1><img src="ok.png"><img src="_images/missing.png">'
        '<a href="nowhere.html">no page</a><a href="other.html#gone">no anchor</a>'
        "<script>undefinedFunction()</script></body></html>")
    with StaticSite(tmp_path) as server:
        yield server


def test_the_checks_pass_a_good_page(page, broken_site):
    visit = open_page(page, broken_site.url + "good.html", broken_site.url)
    assert visit.problems() == []
    assert broken_images(page) == []
    assert broken_internal_links(page_links(page), broken_site.url, broken_site.root) == []


def test_the_checks_catch_a_missing_image_a_broken_link_and_a_script_error(page, broken_site):
    visit = open_page(page, broken_site.url + "bad.html", broken_site.url)
    assert broken_images(page) == ["_images/missing.png"]
    assert broken_internal_links(page_links(page), broken_site.url, broken_site.root) == [
        ("nowhere.html", "no file nowhere.html"), ("other.html#gone", "no anchor #gone in other.html")]
    assert any("404" in failed and "missing.png" in failed for failed in visit.failed_requests)
    assert any("undefinedFunction" in error for error in visit.page_errors)


def test_the_checks_catch_a_wide_table_a_framed_one_a_bare_figure_and_a_blurry_one(browser, broken_site):
    wide = "".join(f"<td>column number {i}</td>" for i in range(30))
    (broken_site.root / "layout.html").write_text(
        '<html><body style="margin:0"><article style="width:600px"><h1>Layout</h1>'
        f'<table id="wide"><tr>{wide}</tr></table>'
        f'<div style="overflow-x:auto"><table id="in-a-box"><tr>{wide}</tr></table></div>'
        f'<table id="scrolls" style="display:block;overflow-x:auto"><tr>{wide}</tr></table>'
        '<table style="display:block;width:100%"><tr><td>narrow</td><td>table</td></tr></table>'
        '<table style="display:block;width:fit-content"><tr><td>hugs</td><td>its rows</td></tr></table>'
        '<div class="cell_output"><img src="ok.png" alt="ok.png" style="width:100px"></div>'
        '<figure><img src="ok.png" alt="A one-pixel image shown large" style="width:50px">'
        '<figcaption>Fig. 1 A caption</figcaption></figure></article></body></html>')
    page = browser.new_page(viewport={"width": 800, "height": 600})
    try:
        open_page(page, broken_site.url + "layout.html", broken_site.url)
        overflowing = overflowing_blocks(page)
        # the bare table and the one in a scrolling box without a cue; not the one that scrolls
        assert len([p for p in overflowing if p.startswith('table "column number 0')]) == 2, overflowing
        assert any("the page scrolls sideways" in problem for problem in overflowing)
        framed = [p for p in overflowing if "frame around" in p]
        assert len(framed) == 1 and framed[0].startswith('table "narrow'), overflowing
        figures = figure_problems(page)
        assert "ok.png: no numbered caption" in figures
        assert 'ok.png: alt text "ok.png" does not describe the figure' in figures
        assert "ok.png: 1 px shown 50 px wide (needs 2x, or SVG)" in figures
    finally:
        page.close()


def test_the_checks_refuse_a_request_outside_the_site(page, broken_site):
    (broken_site.root / "external.html").write_text(
        '<html><body><h1>Ext</h1><img src="https://example.invalid/logo.png"></body></html>')
    visit = open_page(page, broken_site.url + "external.html", broken_site.url)
    assert visit.external_requests == ["https://example.invalid/logo.png"]
    assert broken_images(page) == ["https://example.invalid/logo.png"]
