"""Code + data + artifacts: a model is identified by what made it.

A model's id is a hash of the code version, the fingerprint of its training
data and its parameters. Change any of them and you get another model; keep
all three and retraining gives the same predictions. :class:`Registry` keeps
models and a manifest in a folder, the smallest useful model registry.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import pickle
from pathlib import Path

import pandas as pd


def _sha(text):
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def data_fingerprint(frame):
    """A hash of a DataFrame's column names, dtypes, index and values."""
    header = json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()])
    rows = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    return _sha(header.encode() + rows)[:16]


def code_version(function):
    """A hash of a function's source code: the 'code' part of a model's identity."""
    return _sha(inspect.getsource(function))[:16]


def model_id(code, data, params):
    """The id of the model made by ``code`` on ``data`` with ``params`` (a JSON-able dict)."""
    return _sha(json.dumps({"code": code, "data": data, "params": params}, sort_keys=True, default=str))[:12]


class Registry:
    """Models pickled in a folder, with ``manifest.json`` saying what made each one."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._manifest = self.folder / "manifest.json"

    def entries(self):
        """The manifest: one dict per registered model."""
        return json.loads(self._manifest.read_text()) if self._manifest.exists() else []

    def register(self, model, *, code, data, params, metrics=None):
        """Save ``model`` under its id (unless already there) and return the id."""
        ident = model_id(code, data, params)
        entries = self.entries()
        if not any(e["id"] == ident for e in entries):
            (self.folder / f"{ident}.pkl").write_bytes(pickle.dumps(model))
            entries.append({"id": ident, "code": code, "data": data, "params": params, "metrics": metrics or {}})
            self._manifest.write_text(json.dumps(entries, indent=2, sort_keys=True, default=str))
        return ident

    def load(self, ident):
        path = self.folder / f"{ident}.pkl"
        if not path.exists():
            raise KeyError(f"no model {ident!r} in {self.folder}")
        return pickle.loads(path.read_bytes())
