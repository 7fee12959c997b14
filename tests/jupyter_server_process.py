"""A JupyterLab server process started as Binder and `make lab` start it (through ./start).

Used by ``test_server.py`` (REST API, kernels) and ``test_lab.py`` (JupyterLab in Chromium).
It listens on 127.0.0.1 on a free port with a random token, keeps its settings,
workspaces and runtime files in the given scratch folder, and logs to ``server.log`` there.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import ROOT

START_TIMEOUT_S = 90


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A JupyterLab server process and a small client for its REST API."""

    def __init__(self, workdir, settings=None, extra_args=()):
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(workdir) / "server.log"
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(Path(workdir) / "runtime"))
        # Lab's user settings and workspaces go to the temporary folder, not to ~/.jupyter.
        env["JUPYTERLAB_SETTINGS_DIR"] = str(Path(workdir) / "lab-settings")
        env["JUPYTERLAB_WORKSPACES_DIR"] = str(Path(workdir) / "lab-workspaces")
        for plugin, values in (settings or {}).items():  # e.g. {"@jupyterlab/x-extension:plugin": {...}}
            package, name = plugin.rsplit(":", 1)
            path = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / package / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        command = [
            str(ROOT / "start"), sys.executable, "-m", "jupyterlab",
            "--no-browser", "--allow-root",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={ROOT}", *extra_args,
        ]
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_until_up()

    def log(self):
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _wait_until_up(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Jupyter server exited with {self.process.returncode}:\n{self.log()}")
            try:
                self.request("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the Jupyter server did not answer within {START_TIMEOUT_S} s:\n{self.log()}")

    def request(self, method, path, body=None, raw=False):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"token {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = response.read()
        if raw:
            return payload.decode()
        return json.loads(payload) if payload else None

    def stop(self):
        try:
            self.request("POST", "/api/shutdown")
            self.process.wait(timeout=30)
        except Exception:
            self.process.kill()
            self.process.wait(timeout=30)
        finally:
            self._log.close()
