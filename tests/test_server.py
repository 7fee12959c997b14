"""A real Jupyter server, started as Binder and `make lab` start it (through ./start).

On 127.0.0.1 with a token, the tests
- check that JupyterLab opens .md files as notebooks by default (jupytext's viewer);
- fetch every chapter and homework through the contents REST API as a notebook;
- save each one through the API and check that the file is the same, byte for byte;
- start a kernel through the server for each chapter, in the chapter's folder, and run
  its first code cells over the kernel's websocket: imports and data work there;
and shut the kernels and the server down themselves.
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import jupytext
import pytest
import websocket

from conftest import ROOT, book_notebooks
from jupyter_server_process import Server

CELL_TIMEOUT_S = 60
#: How many code cells of each chapter the kernel test runs: imports, then data.
FIRST_CODE_CELLS = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("jupyter-server"))
    yield server
    server.stop()
    assert server.process.returncode is not None, "the Jupyter server is still running"


def _api_path(notebook):
    return notebook.relative_to(ROOT).as_posix()


def test_the_server_requires_its_token(server):
    request = urllib.request.Request(server.url + "/api/contents/chapters")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    refused.value.close()
    assert refused.value.code == 403


def test_jupyterlab_opens_markdown_as_a_notebook(server):
    settings = server.request("GET", "/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    viewers = settings["schema"]["properties"]["defaultViewers"]["default"]
    assert viewers.get("markdown") == "Jupytext Notebook", (
        f"default viewers {viewers}: .jupyter/labconfig/default_setting_overrides.json was not picked up")
    page = server.request("GET", "/lab", raw=True)
    assert "jupyterlab-jupytext" in page, "jupytext's JupyterLab extension is not installed"


def test_every_notebook_opens_as_a_notebook(server):
    notebooks = book_notebooks()
    assert len(notebooks) >= 6
    for notebook in notebooks:
        model = server.request("GET", f"/api/contents/{_api_path(notebook)}?type=notebook&content=1")
        assert model["type"] == "notebook", f"{_api_path(notebook)} opened as {model['type']}"
        content, source = model["content"], jupytext.read(notebook)
        assert content["metadata"]["kernelspec"]["name"] == "python3"
        assert [(c["cell_type"], c["source"]) for c in content["cells"]] == [
            (c.cell_type, c.source) for c in source.cells], f"{_api_path(notebook)}: cells differ"


#: What jupyterlab-myst writes into a markdown cell's metadata when it evaluates {eval} roles.
USER_EXPRESSIONS = [{"expression": "n_good_fit", "result": {
    "status": "ok", "data": {"text/plain": "'7'"}, "metadata": {}}}]


def test_saving_through_the_server_changes_nothing(server):
    # Save each notebook under a scratch folder of _build/ (git ignores it), then compare. Each
    # markdown cell carries evaluated {eval} results, as after a run in JupyterLab: jupytext's
    # cell_metadata_filter (pyproject.toml) must keep them out of the .md.
    scratch = ROOT / "_build" / f"server-roundtrip-{uuid.uuid4().hex[:8]}"
    try:
        for notebook in book_notebooks():
            model = server.request("GET", f"/api/contents/{_api_path(notebook)}?type=notebook&content=1")
            target = scratch / notebook.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            for cell in model["content"]["cells"]:
                if cell["cell_type"] == "markdown":
                    cell["metadata"]["user_expressions"] = USER_EXPRESSIONS
            saved = server.request("PUT", f"/api/contents/{target.relative_to(ROOT).as_posix()}",
                                   {"type": "notebook", "format": "json", "content": model["content"]})
            assert saved["type"] == "notebook"
            assert target.read_bytes() == notebook.read_bytes(), (
                f"{_api_path(notebook)} changes when it is saved from Jupyter")
            reread = jupytext.read(target)
            assert reread.metadata == jupytext.read(notebook).metadata
            assert [c.metadata for c in reread.cells] == [c.metadata for c in jupytext.read(notebook).cells]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


class KernelChannel:
    """The websocket of one kernel: send code, collect the reply and what it printed."""

    def __init__(self, server, kernel_id):
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels?session_id={self.session}",
            header=[f"Authorization: token {server.token}"], timeout=CELL_TIMEOUT_S)

    def execute(self, code):
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": self.session,
                       "username": "test", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        # The reply (shell channel) may overtake the outputs (iopub): wait for both the
        # reply and the kernel's 'idle', which follows the last output.
        stdout, errors, status, idle = [], [], None, False
        deadline = time.monotonic() + CELL_TIMEOUT_S
        while time.monotonic() < deadline and not (status and idle):
            message = json.loads(self.ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream" and content["name"] == "stdout":
                stdout.append(content["text"])
            elif kind == "error":
                errors.append("\n".join(content["traceback"]))
            elif kind == "status":
                idle = content["execution_state"] == "idle"
            elif kind == "execute_reply":
                status = content["status"]
        if not (status and idle):
            raise TimeoutError(f"no reply within {CELL_TIMEOUT_S} s to:\n{code}")
        return status, "".join(stdout), errors

    def close(self):
        self.ws.close()


@pytest.mark.parametrize("chapter", sorted((ROOT / "chapters").glob("*.md")), ids=lambda p: p.name)
def test_a_kernel_runs_the_first_cells_in_the_chapter_folder(server, chapter):
    session = server.request("POST", "/api/sessions", {
        "path": _api_path(chapter), "name": chapter.name, "type": "notebook", "kernel": {"name": "python3"}})
    kernel_id = session["kernel"]["id"]
    channel = KernelChannel(server, kernel_id)
    try:
        status, out, errors = channel.execute("import os, book; print(os.getcwd()); print(book.__file__)")
        assert status == "ok", errors
        cwd, package = out.splitlines()
        assert Path(cwd) == chapter.parent, f"the kernel runs in {cwd}, not in the chapter's folder"
        assert Path(package).parent == ROOT / "book", f"book was imported from {package}"
        cells = [c for c in jupytext.read(chapter).cells if c.cell_type == "code"][:FIRST_CODE_CELLS]
        for number, cell in enumerate(cells, start=1):
            status, _, errors = channel.execute(cell.source)
            assert status == "ok", f"{chapter.name}, code cell {number} failed in the server's kernel:\n" + "\n".join(errors)
    finally:
        channel.close()
        server.request("DELETE", f"/api/sessions/{session['id']}")
    assert kernel_id not in {k["id"] for k in server.request("GET", "/api/kernels")}, "the kernel was not shut down"
