"""The grader's sandbox (book/sandbox.py), proven on notebooks that misbehave: a
subprocess that opens a network connection, an allocation far beyond the memory limit,
a fork loop, writes outside the notebook's folder, a flood of output and a file over the
size limit. Each is reported as failed, and the solved notebook beside them is graded
normally.

The grader runs as a subprocess with a time limit, so that no misbehaving notebook can
hang the test run."""

from __future__ import annotations

import csv
import os
import re
import socket
import subprocess
import sys
import threading

import jupytext
import pytest

from book import sandbox
from conftest import ROOT

SOLUTION = ROOT / "exercises" / "solutions" / "01_does_it_need_ml.md"
TIMEOUT_S = 60  # per notebook; each needs a few seconds
RUN_LIMIT_S = 300  # the whole grading run


def _with_cell_after_q1(code):
    notebook = jupytext.read(SOLUTION)
    index = next(i for i, c in enumerate(notebook.cells) if "q1.check(" in c.source)
    cell = jupytext.reads(f"```{{code-cell}} ipython3\n{code}\n```", fmt="md:myst").cells[0]
    notebook.cells.insert(index + 1, cell)
    return notebook


class Listener:
    """A TCP server on this test process's loopback that records every connection."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.server.settimeout(0.2)
        self.accepted = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.accepted += 1
            connection.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.server.close()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory, listener):
    folder = tmp_path_factory.mktemp("cohort")
    outside = tmp_path_factory.mktemp("outside")
    connect = (
        "import subprocess, sys\n"
        "code = 'import socket; socket.create_connection((\"127.0.0.1\", "
        f"{listener.port}), timeout=5)'\n"
        "subprocess.run([sys.executable, '-c', code], check=True)"
    )
    notebooks = {
        "a_solved.md": jupytext.read(SOLUTION),
        "b_network.md": _with_cell_after_q1(connect),
        "c_memory.md": _with_cell_after_q1("import numpy as np\nbig = np.ones(2**30)  # 8 GiB"),
        "d_forks.md": _with_cell_after_q1(
            "import os\n"
            "for _ in range(2000):\n"
            "    if os.fork() == 0:\n"
            "        try:\n"
            f"            os.execv('/bin/sleep', ['sleep', '600', '{_marker(listener)}'])\n"
            "        finally:\n"
            "            os._exit(0)"
        ),
        "e_writes.md": _with_cell_after_q1(
            f"open({str(outside / 'escaped.txt')!r}, 'w').write('out of the box')"
        ),
        "f_floods.md": _with_cell_after_q1("for _ in range(12):\n    print('x' * 2**20)"),
        "g_big_file.md": _with_cell_after_q1(
            "open('big.bin', 'wb').write(b'0' * (sandbox_limit := 101 * 2**20))"
        ),
        "h_writes_home.md": _with_cell_after_q1("open('mine.txt', 'w').write('in my folder')"),
    }
    for name, notebook in notebooks.items():
        jupytext.write(notebook, folder / name)
    before = sorted(p.name for p in folder.iterdir())
    table = folder.parent / f"{folder.name}.csv"
    result = subprocess.run(
        [sys.executable, "-m", "book.grade", str(folder), "--csv", str(table),
         "--timeout", str(TIMEOUT_S), "--jobs", "2"],
        capture_output=True, text=True, timeout=RUN_LIMIT_S, cwd=ROOT,
    )  # fmt: skip
    with open(table, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        "result": result,
        "rows": rows,
        "folder": folder,
        "outside": outside,
        "before": before,
        "listener": listener,
    }


def _rows(graded, name):
    return [r for r in graded["rows"] if r["notebook"].endswith(name)]


def _stopped_after_q1(graded, name, pattern):
    rows = _rows(graded, name)
    assert rows, f"{name} has no row in the CSV"
    problem = rows[0]["notebook_problem"]
    assert re.search(pattern, problem), f"{name}: the problem {problem!r} does not match {pattern!r}"
    statuses = {r["question"]: r["status"] for r in rows}
    assert statuses["q1"] == "passed", f"{name}: q1 ran before the bad cell and should pass: {statuses}"
    assert all(statuses[q] == "not reached" for q in ("q2", "q3", "q4", "q5")), (
        f"{name}: the questions after the bad cell should be 'not reached': {statuses}"
    )


def test_the_run_reports_the_sandbox_and_fails(graded):
    result = graded["result"]
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Sandbox: a temporary copy of its folder" in result.stdout


def test_the_solved_neighbour_is_graded_normally(graded):
    statuses = {r["question"]: r["status"] for r in _rows(graded, "a_solved.md")}
    assert statuses == {f"q{i}": "passed" for i in range(1, 6)}, statuses
    assert _rows(graded, "h_writes_home.md")[0]["notebook_problem"] == ""
    assert {r["status"] for r in _rows(graded, "h_writes_home.md")} == {"passed"}


def test_a_subprocess_cannot_reach_the_network(graded):
    _stopped_after_q1(graded, "b_network.md", r"stopped in cell \d+ by CalledProcessError")
    assert graded["listener"].accepted == 0, "the notebook's subprocess reached a server outside the sandbox"


def test_an_allocation_far_beyond_the_limit_fails(graded):
    _stopped_after_q1(graded, "c_memory.md", r"stopped in cell \d+ by (MemoryError|_ArrayMemoryError)")


def test_a_fork_loop_is_stopped_and_its_processes_killed(graded):
    _stopped_after_q1(graded, "d_forks.md", r"stopped in cell \d+ by BlockingIOError")
    # the children sleep for 10 minutes, marked by this run's own extra argument
    marker = _marker(graded["listener"])
    leftovers = [pid for pid in os.listdir("/proc") if pid.isdigit() and _is_live_sleeper(pid, marker)]
    assert not leftovers, f"processes forked by the notebook are still running: {leftovers}"


def _marker(listener):
    return f"0.{listener.port}"  # a duration that sleep adds up: unique to this run


def _is_live_sleeper(pid, marker):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            argv = handle.read().split(b"\0")
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return marker.encode() in argv and state not in "ZX"


def test_writes_outside_the_folder_fail_and_the_folder_is_untouched(graded):
    _stopped_after_q1(graded, "e_writes.md", r"stopped in cell \d+ by PermissionError")
    assert not (graded["outside"] / "escaped.txt").exists()
    # a write in its own folder lands in the sandbox's copy, not in the submissions
    assert sorted(p.name for p in graded["folder"].iterdir()) == graded["before"]


def test_a_flood_of_output_is_stopped(graded):
    _stopped_after_q1(graded, "f_floods.md", r"printed more than 10 MB of output in cell \d+")


def test_a_file_over_the_size_limit_fails(graded):
    _stopped_after_q1(graded, "g_big_file.md", r"stopped in cell \d+ by OSError: \[Errno 27\] File too large")


def test_the_environment_is_stripped(monkeypatch, tmp_path):
    monkeypatch.setenv("FACILITATOR_TOKEN", "secret")
    root = tmp_path
    (root / "box" / "home").mkdir(parents=True)
    env = sandbox._environment(root / "box")
    assert "FACILITATOR_TOKEN" not in env
    assert env["HOME"] == str(root / "box" / "home")
    assert set(env) <= set(sandbox.KEPT_VARIABLES) | {
        "HOME", "TMPDIR", "IPYTHONDIR", "MPLCONFIGDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
        "PYTHONNOUSERSITE",
    } | {k for k in env if k.startswith("LC_")}  # fmt: skip
