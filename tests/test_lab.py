"""JupyterLab in Chromium: a learner who runs a notebook reads the same prose as the site.

JupyterLab starts as Binder and `make lab` start it (through ./start, with jupyterlab-myst
from requirements.txt). Each chapter, and homework 1 (the learner's copy and its
solutions), is opened in headless Chromium and run with *Run All*, as a learner does.
Then, in every rendered markdown cell:

- no raw MyST markup is left: no ``{eval}``, ``{glue:…}``, ``{cite…}`` or other role,
  no directive fences, no ``(label)=`` targets;
- no ``{eval}`` failed (jupyterlab-myst shows an error in place of the value);
- each ``{eval}`name``` shows the kernel's value of ``name``: the text that
  ``claims.prose`` set, and glued for the site.

Then the notebook is saved from JupyterLab, and its ``.md`` must be byte for byte what it
was, although jupyterlab-myst put the evaluated values into the cells' metadata
(jupytext's filter in pyproject.toml drops them) and the kernel wrote its kernelspec.
On chapter 1 also, after the save: a sentence reads with its computed number, and after
``SEED = 1`` and a rerun that number changes in the sentence, as the chapter says it may. The notebooks
opened are scratch copies under ``_build/``.

Screenshots go to ``_build/screenshots/lab-*.png``, for a person to look at.
"""

from __future__ import annotations

import ast
import difflib
import re
import shutil
import time
import uuid

import pytest

from conftest import FULL_TESTS, REPRESENTATIVES, ROOT, book_notebooks
from jupyter_server_process import Server

SCREENSHOTS = ROOT / "_build" / "screenshots"
RUN_TIMEOUT_S = 120
#: The learner's JupyterLab, plus what a test needs: every cell in the page (no windowing,
#: so that every rendered cell can be read), no autosave, no news prompt over the content.
SETTINGS = {
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false"},
}
EVAL = re.compile(r"\{eval\}`([^`]+)`")
#: What raw MyST looks like when a renderer did not understand it.
RAW_MARKUP = re.compile(r"\{[a-z][\w:-]*\}|```|:::|^\([\w-]+\)=\s*$", re.MULTILINE)
#: Chapter 1's sentence whose number follows SEED (the shipping data is drawn with it).
CH1 = "chapters/01_does_it_need_ml.md"
CH1_SENTENCE = "is off by {linear_mae} dollars on average"

PANEL_READY = """() => {
  const w = window.jupyterapp && jupyterapp.shell.currentWidget;
  return !!(w && w.content && w.content.widgets && w.sessionContext && w.sessionContext.session
            && w.sessionContext.session.kernel && w.context.isReady);
}"""
RUN_ALL = """async () => {
  const panel = jupyterapp.shell.currentWidget;
  await panel.sessionContext.ready;
  return await jupyterapp.commands.execute('notebook:run-all-cells');
}"""
CELLS = """() => jupyterapp.shell.currentWidget.content.widgets.map(w => ({
  type: w.model.type, source: w.model.sharedModel.getSource(), text: w.node.innerText,
  metadata: w.model.sharedModel.getMetadata(),
  failed: w.node.querySelectorAll('.jp-RenderedMarkdown [data-mime-type="application/vnd.jupyter.stderr"]').length
}))"""
#: True once every markdown cell's {eval} names have a value that jupyterlab-myst evaluated.
EVALUATED = """() => jupyterapp.shell.currentWidget.content.widgets.every(w => {
  if (w.model.type !== 'markdown') return true;
  const names = [...w.model.sharedModel.getSource().matchAll(/\\{eval\\}`([^`]+)`/g)].map(m => m[1]);
  const done = (w.model.sharedModel.getMetadata().user_expressions || []).map(e => e.expression);
  return names.every(n => done.includes(n));
})"""
KERNEL_VALUES = """async (names) => {
  const kernel = jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const expressions = Object.fromEntries(names.map(n => [n, n]));
  const future = kernel.requestExecute({code: '', silent: true, store_history: false,
                                        user_expressions: expressions});
  let values = null;
  future.onReply = reply => { values = reply.content.user_expressions; };
  await future.done;
  return values;
}"""
SET_SOURCE = """([old, replacement]) => {
  const cell = jupyterapp.shell.currentWidget.content.widgets.find(
      w => w.model.type === 'code' && w.model.sharedModel.getSource().includes(old));
  if (!cell) return false;
  cell.model.sharedModel.setSource(cell.model.sharedModel.getSource().replace(old, replacement));
  return true;
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("jupyterlab"), settings=SETTINGS,
                    extra_args=["--LabApp.expose_app_in_browser=True"])
    yield server
    server.stop()


@pytest.fixture
def scratch():
    folder = ROOT / "_build" / f"lab-{uuid.uuid4().hex[:8]}"
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


class Notebook:
    """One notebook opened in JupyterLab in a Chromium page."""

    def __init__(self, browser, lab, path):
        self.path = path
        self.page = browser.new_page(viewport={"width": 1366, "height": 900})
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{lab.url}/lab/tree/{path.relative_to(ROOT).as_posix()}?token={lab.token}")
        self.page.wait_for_function(PANEL_READY, timeout=RUN_TIMEOUT_S * 1000)

    def run_all(self):
        """Run all cells; return once the kernel is idle, every {eval} has been evaluated, and the
        rendered text stopped changing."""
        assert self.page.evaluate(RUN_ALL) is True, f"{self.path.name}: Run All did not finish"
        deadline, previous = time.monotonic() + RUN_TIMEOUT_S, None
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(500)
            idle = self.page.evaluate("() => jupyterapp.shell.currentWidget.sessionContext.kernelDisplayStatus")
            texts = [c["text"] for c in self.cells()]
            if idle == "idle" and self.page.evaluate(EVALUATED) and texts == previous:
                return
            previous = texts
        pytest.fail(f"{self.path.name}: the notebook was still busy after {RUN_TIMEOUT_S} s")

    def cells(self):
        return self.page.evaluate(CELLS)

    def kernel_values(self, names):
        """``{name: text}``: each name evaluated in the kernel, as jupyterlab-myst evaluates it."""
        replies = self.page.evaluate(KERNEL_VALUES, sorted(names))
        failed = {n: r for n, r in replies.items() if r.get("status") != "ok"}
        assert not failed, f"{self.path.name}: the kernel cannot evaluate {sorted(failed)}: {failed}"
        return {n: str(ast.literal_eval(r["data"]["text/plain"])) for n, r in replies.items()}

    def screenshot(self, name, text=None):
        if text:
            self.page.locator(".jp-MarkdownCell", has_text=text).first.scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"lab-{name}.png"))

    def close(self):
        self.page.close()


def _copy(notebook, scratch):
    target = scratch / notebook.relative_to(ROOT)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(notebook, target)
    return target


def check_saved_unchanged(notebook, source):
    """Save from JupyterLab; the .md must be byte for byte what it was."""
    if any(EVAL.search(c["source"]) for c in notebook.cells()):
        carried = [c for c in notebook.cells() if "user_expressions" in c["metadata"]]
        assert carried, "jupyterlab-myst kept no evaluated values in the cells' metadata (has it changed?)"
    notebook.page.evaluate("async () => await jupyterapp.commands.execute('docmanager:save')")
    notebook.page.wait_for_function("() => !jupyterapp.shell.currentWidget.context.model.dirty")
    saved = notebook.path.read_text(encoding="utf-8")
    assert saved == source.read_text(encoding="utf-8"), (
        f"saving {source.relative_to(ROOT)} from JupyterLab after a run changed it (evaluated values, "
        "metadata or settings written in?):\n" + "".join(difflib.unified_diff(
            source.read_text(encoding="utf-8").splitlines(True), saved.splitlines(True), "source", "saved", n=1)))


def check_rendered_prose(notebook):
    """Every markdown cell rendered: no raw markup, no failed {eval}, each shows its kernel values."""
    cells = [c for c in notebook.cells() if c["type"] == "markdown"]
    assert cells, f"{notebook.path.name}: no markdown cells found"
    names = {name for c in cells for name in EVAL.findall(c["source"])}
    values = notebook.kernel_values(names) if names else {}
    problems = []
    for index, cell in enumerate(cells):
        start = cell["source"].strip().splitlines()[0][:60] if cell["source"].strip() else "(empty)"
        raw = RAW_MARKUP.findall(cell["text"])
        if raw:
            problems.append(f"markdown cell {index} ({start!r}) shows raw markup {raw}")
        if cell["failed"]:
            problems.append(f"markdown cell {index} ({start!r}): an {{eval}} failed")
        shown = " ".join(cell["text"].split())
        for name in EVAL.findall(cell["source"]):
            if " ".join(values[name].split()) not in shown:
                problems.append(f"markdown cell {index} ({start!r}) should show {name} = {values[name]!r}")
            if re.search(rf"\b{name}\b", shown):  # jupyterlab-myst shows the name until it has the value
                problems.append(f"markdown cell {index} ({start!r}) shows the name {name}, not its value")
    assert not problems, f"{notebook.path.name} in JupyterLab:\n  " + "\n  ".join(problems)
    assert not notebook.errors, f"{notebook.path.name}: errors in the page: {notebook.errors}"
    return values


#: The first chapter, and of the homework the first, as a learner opens it and as its
#: solutions page; with BOOK_FULL_TESTS=1 (the weekly canary, ``make test-full``) every
#: chapter too. Every notebook reaches JupyterLab through the same code path (claims.prose
#: and jupyterlab-myst's {eval}); test_notebooks checks that each sets every {eval} value
#: above its paragraph, and test_conventions keeps {eval} out of the places JupyterLab does
#: not evaluate (exercises, dropdowns). Opening each in JupyterLab costs about 20 s a
#: chapter on the CI's 2 cores.
LAB_NOTEBOOKS = [p.relative_to(ROOT).as_posix() for p in book_notebooks()
                 if p.relative_to(ROOT).as_posix() in REPRESENTATIVES
                 or (FULL_TESTS and p.parent.name == "chapters")]


@pytest.mark.parametrize("name", LAB_NOTEBOOKS)
def test_the_notebook_reads_like_the_site_in_jupyterlab(browser, lab, scratch, name):
    source = ROOT / name
    notebook = Notebook(browser, lab, _copy(source, scratch))
    try:
        notebook.run_all()
        values = check_rendered_prose(notebook)
        if name.startswith("chapters/"):
            assert len(values) >= 10, f"{name}: only {len(values)} computed values in the prose"
        first = next((c for c in notebook.cells() if c["type"] == "markdown" and EVAL.search(c["source"])), None)
        notebook.screenshot(name.replace("/", "__").removesuffix(".md"),
                            text=" ".join(first["text"].split()[:6]) if first else None)
        check_saved_unchanged(notebook, source)
        if name == CH1:
            check_prose_follows_the_seed(notebook)
    finally:
        notebook.close()


def check_prose_follows_the_seed(notebook):
    """Chapter 1's sentence shows its number; with SEED = 1 and a rerun, the number changes in it."""
    def sentence_shown(values):
        sentence = CH1_SENTENCE.format(**values)
        shown = [" ".join(c["text"].split()) for c in notebook.cells() if c["type"] == "markdown"]
        assert any(sentence in text for text in shown), (
            f"with SEED = {values['SEED']}, chapter 1 should read “…{sentence}…” in JupyterLab")

    before = notebook.kernel_values(["linear_mae", "SEED"])
    assert before["SEED"] == "0"
    sentence_shown(before)
    notebook.screenshot("chapter-1-seed-0", text="the rule is exact by construction")
    assert notebook.page.evaluate(SET_SOURCE, ["SEED = 0", "SEED = 1"]), "no `SEED = 0` in chapter 1"
    notebook.run_all()
    after = notebook.kernel_values(["linear_mae", "SEED"])
    assert after["SEED"] == "1"
    assert after["linear_mae"] != before["linear_mae"], (
        f"the linear model's fee error is {before['linear_mae']} at SEED 0 and at SEED 1: "
        "the data should change with the seed")
    sentence_shown(after)
    check_rendered_prose(notebook)
    notebook.screenshot("chapter-1-seed-1", text="the rule is exact by construction")
