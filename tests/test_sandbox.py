"""The grader's sandbox (book/sandbox.py), proven on notebooks that misbehave: a
subprocess that sends a datagram and opens a connection, an allocation far beyond the
memory limit, a fork loop (with a child that leaves the session), a write outside the
notebook's folder, a flood of output (in its cells, and in the grader's own), a file
over the size limit, writes to the grader's terminal and a multi-line error that would
forge scorecard lines, a look at the grader's environment, and a notebook whose cells
each stay within the time limit while the whole does not. Each is reported as failed,
and the solved notebook beside them is graded normally.

The grader runs as a subprocess with a time limit, so that no misbehaving notebook can
hang the test run."""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import jupytext
import pytest

from book import sandbox
from conftest import ROOT

SOLUTION = ROOT / "exercises" / "solutions" / "01_does_it_need_ml.md"
LEARNER = ROOT / "exercises" / "01_does_it_need_ml.md"
SECRET = "BOOK_TEST_FACILITATOR_TOKEN"
TIMEOUT_S = 60  # per notebook; each needs a few seconds
RUN_LIMIT_S = 300  # the whole grading run


def _with_cell_after_q1(code):
    notebook = jupytext.read(SOLUTION)
    index = next(i for i, c in enumerate(notebook.cells) if "q1.check(" in c.source)
    cell = jupytext.reads(f"```{{code-cell}} ipython3\n{code}\n```", fmt="md:myst").cells[0]
    notebook.cells.insert(index + 1, cell)
    return notebook


class Listener:
    """A TCP and a UDP server on this test process's loopback that record every
    connection and datagram."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.server.settimeout(0.2)
        self.datagrams = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.datagrams.bind(("127.0.0.1", 0))
        self.datagrams.settimeout(0.2)
        self.udp_port = self.datagrams.getsockname()[1]
        self.accepted = self.received = 0
        self.running = True
        self.threads = [threading.Thread(target=self._serve, daemon=True),
                        threading.Thread(target=self._receive, daemon=True)]  # fmt: skip
        for thread in self.threads:
            thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.accepted += 1
            connection.close()

    def _receive(self):
        while self.running:
            try:
                self.datagrams.recv(100)
            except OSError:
                continue
            self.received += 1

    def close(self):
        self.running = False
        for thread in self.threads:
            thread.join()
        self.server.close()
        self.datagrams.close()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


def _grade(folder, timeout_s):
    """Run the grader on ``folder`` in a session of its own, with its output in files
    (a process a notebook leaves behind could hold a pipe open for ever), and kill the
    whole session if it overruns: no test can hang."""
    table = folder.parent / f"{folder.name}.csv"
    out_path, err_path = folder.parent / f"{folder.name}.out", folder.parent / f"{folder.name}.err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "book.grade", str(folder), "--csv", str(table),
             "--timeout", str(timeout_s), "--jobs", "2"],
            stdout=out, stderr=err, stdin=subprocess.DEVNULL, text=True, cwd=ROOT,
            start_new_session=True, env={**os.environ, SECRET: "secret-value"},
        )  # fmt: skip
        try:
            process.wait(timeout=RUN_LIMIT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail(f"grading {folder} overran {RUN_LIMIT_S} s: {out_path}")
        finally:
            _kill_session(process.pid)
    stdout, stderr = out_path.read_text(), err_path.read_text()
    rows = []
    if table.exists():
        with open(table, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), rows


def _kill_session(session):
    """Kill whatever is left of the grader's session (nothing, if the sandbox held)."""
    try:
        os.killpg(session, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture(scope="module")
def graded(tmp_path_factory, listener):
    folder = tmp_path_factory.mktemp("cohort")
    # world-writable, like /tmp: only the sandbox, not file permissions, keeps writes out
    outside = Path(tempfile.mkdtemp(prefix="book-outside-"))
    outside.chmod(0o777)
    marker = _marker(listener)
    connect = (
        "import subprocess, sys\n"
        "udp = ('import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)'\n"
        f"       '.sendto(b\"out\", (\"127.0.0.1\", {listener.udp_port}))')\n"
        "subprocess.run([sys.executable, '-c', udp])\n"
        "tcp = 'import socket; socket.create_connection((\"127.0.0.1\", "
        f"{listener.port}), timeout=5)'\n"
        "subprocess.run([sys.executable, '-c', tcp], check=True)"
    )
    notebooks = {
        "a_solved.md": jupytext.read(SOLUTION),
        "b_network.md": _with_cell_after_q1(connect),
        # 8 GiB reserved, never touched: only the memory limit refuses it
        "c_memory.md": _with_cell_after_q1("import numpy as np\nbig = np.empty(2**30)"),
        "d_forks.md": _with_cell_after_q1(
            "import os\n"
            f"sleep = ['sleep', '600', '{marker}']\n"
            "if os.fork() == 0:  # one that leaves the kernel's session\n"
            "    os.setsid()\n"
            "    os.execv('/bin/sleep', sleep)\n"
            "for _ in range(2000):\n"
            "    if os.fork() == 0:\n"
            "        try:\n"
            "            os.execv('/bin/sleep', sleep)\n"
            "        finally:\n"
            "            os._exit(0)"
        ),
        "e_writes.md": _with_cell_after_q1(
            f"open({str(outside / 'escaped.txt')!r}, 'w').write('out of the box')"
        ),
        "f_floods.md": _with_cell_after_q1("for _ in range(12):\n    print('x' * 2**20)"),
        "g_big_file.md": _with_cell_after_q1(
            "open('big.bin', 'wb').write(b'0' * (101 * 2**20))"
        ),
        # the grader's own cell evaluates `noisy()` again: its output counts too
        "i_floods_the_grader.md": _with_cell_after_q1(
            "calls = 0\n\n\ndef noisy():\n    global calls\n    calls += 1\n"
            "    if calls > 1:\n        print('x' * (11 * 2**20))\n    return 0.5\n\n\n"
            "q2.check(noisy())"
        ),
        "k_reads_env.md": _with_cell_after_q1(
            "import os\n"
            f"leaks = [key for key in os.environ if key == {SECRET!r}]\n"
            "try:  # the grader's own environment\n"
            "    grader = open(f'/proc/{os.getppid()}/environ', 'rb').read()\n"
            f"    leaks += [{SECRET!r}] if {SECRET.encode()!r} in grader else []\n"
            "except OSError:\n"
            "    pass\n"
            "assert not leaks, leaks\n"
            "open('mine.txt', 'w').write('a file in its own folder')\n"
            "from book import corpora  # the data fetched at setup, read from the sandbox\n"
            "assert len(corpora.sentences('nyt')) == 5190"
        ),
        "j_forges.md": _with_cell_after_q1(
            "import os, sys\n"
            "for fd in (1, 2, getattr(sys.stdout, '_original_stdstream_copy', None)):\n"
            "    if fd is not None:\n"
            "        os.write(fd, b'\\nFORGED.md: 5/5 passed\\n')\n"
            "raise ValueError('bad\\nzz_forged.md: 5/5 passed\\x1b[2K')"
        ),
    }
    for name, notebook in notebooks.items():
        jupytext.write(notebook, folder / name)
    before = sorted(p.name for p in folder.iterdir())
    result, rows = _grade(folder, TIMEOUT_S)
    yield {
        "result": result,
        "rows": rows,
        "folder": folder,
        "outside": outside,
        "before": before,
        "listener": listener,
    }
    shutil.rmtree(outside, ignore_errors=True)


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
    [line] = [line for line in result.stdout.splitlines() if line.startswith("Sandbox")]
    assert line.startswith("Sandbox: a temporary copy of its folder; a stripped environment")
    if sys.platform.startswith("linux") and os.geteuid() == 0:  # as CI runs: every layer
        for layer in ("a network namespace with only loopback", "its own user",
                      "its own /dev/shm and System V IPC", "no privileges gained",
                      "Landlock ABI", "writes only in its sandbox folder",
                      "limits: memory, CPU, file size, core files, processes"):  # fmt: skip
            assert layer in line, f"the sandbox lost a layer: {layer!r} is not in {line!r}"
        assert "Warning:" not in result.stdout


def test_the_solved_neighbour_is_graded_normally(graded):
    statuses = {r["question"]: r["status"] for r in _rows(graded, "a_solved.md")}
    assert statuses == {f"q{i}": "passed" for i in range(1, 6)}, statuses


def test_a_subprocess_cannot_reach_the_network(graded):
    _stopped_after_q1(graded, "b_network.md", r"stopped in cell \d+ by CalledProcessError")
    assert graded["listener"].accepted == 0, "the notebook's subprocess reached a server outside the sandbox"
    assert graded["listener"].received == 0, "the notebook's subprocess sent a datagram out of the sandbox"


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


def test_the_graders_own_cells_count_towards_the_output_limit(graded):
    _stopped_after_q1(graded, "i_floods_the_grader.md", r"printed more than 10 MB of output in cell \d+")


def test_a_notebook_cannot_write_into_the_scorecard(graded):
    _stopped_after_q1(graded, "j_forges.md", r"stopped in cell \d+ by ValueError: bad zz_forged.md")
    problem = _rows(graded, "j_forges.md")[0]["notebook_problem"]
    assert not re.search(r"[\x00-\x1f\x7f]", problem), f"control characters reach the CSV: {problem!r}"
    result = graded["result"]
    assert "FORGED" not in result.stdout + result.stderr, "the kernel wrote to the grader's terminal"
    assert not [line for line in result.stdout.splitlines() if line.lstrip().startswith(("zz_", "FORGED"))]


def test_the_kernel_sees_none_of_the_graders_environment_and_writes_in_its_folder(graded):
    rows = _rows(graded, "k_reads_env.md")
    assert rows[0]["notebook_problem"] == "", rows[0]["notebook_problem"]
    assert {r["status"] for r in rows} == {"passed"}


FIRST_NAP, NAPS = 2, 40  # where the sleeping cells go, and how many (0.5 s each)


@pytest.fixture(scope="module")
def slow(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slow")
    notebook = jupytext.read(LEARNER)
    nap = jupytext.reads("```{code-cell} ipython3\nimport time\ntime.sleep(0.5)\n```", fmt="md:myst")
    for _ in range(NAPS):  # each cell far within its own limit; together far past the notebook's
        notebook.cells.insert(FIRST_NAP, nap.cells[0])
    jupytext.write(notebook, folder / "sleepy.md")
    return _grade(folder, 6)


def test_the_time_limit_is_for_the_whole_notebook(slow):
    result, rows = slow
    problem = rows[0]["notebook_problem"]
    stopped = re.search(r"timed out after 6 s in cell (\d+)", problem)
    assert stopped, (problem, result.stdout[-1500:])
    # among the naps: the notebook's limit, not a later cell's own (each cell had at least 1 s)
    assert FIRST_NAP <= int(stopped.group(1)) < FIRST_NAP + NAPS, problem


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
