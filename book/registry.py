"""Code + data + artifacts: a model is identified by what made it.

A model's id (:func:`model_id`) is a hash of three parts:

- the **code version** (:func:`code_identity`): the source of the training
  function and of every function and class of ours that it calls, however
  deep; the simple constants they read (column lists, thresholds); every
  ``.py`` file of our packages that they use (``book``...); and the versions
  of the libraries that train (numpy, pandas, scikit-learn);
- the **data fingerprint** (:func:`data_fingerprint`) of the training data;
- the **parameters** of the training run.

Change any of them and you get another id. :class:`Registry` keeps the
trained models and a manifest in a folder, the smallest useful model
registry. It stores the model itself because retraining gives the same model
only when training is deterministic: the same id says *how* a model was made,
the stored artifact is *what* was made.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import pickle
import site
import sys
import sysconfig
import textwrap
from importlib import metadata
from pathlib import Path

import pandas as pd

#: The libraries whose versions are part of the code version by default.
LIBRARIES = ("numpy", "pandas", "scikit-learn")


def _sha(text):
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def data_fingerprint(frame):
    """A hash of a DataFrame's column names, dtypes, index and values.

    Parameters
    ----------
    frame : pandas.DataFrame
        The training data.

    Returns
    -------
    str
        16 hexadecimal characters.

    Examples
    --------
    >>> frame = pd.DataFrame({"x": [1, 2, 3]})
    >>> fingerprint = data_fingerprint(frame)
    >>> len(fingerprint), fingerprint == data_fingerprint(frame.copy())
    (16, True)
    >>> data_fingerprint(frame.assign(x=[1, 2, 4])) == fingerprint
    False
    """
    header = json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()])
    rows = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    return _sha(header.encode() + rows)[:16]


# --- the code version -----------------------------------------------------------------


def _library_dirs():
    paths = sysconfig.get_paths()
    dirs = [paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")]
    dirs += site.getsitepackages() + [site.getusersitepackages()]
    return tuple(Path(d).resolve() for d in dirs)


_LIBRARY_DIRS = _library_dirs()


def _is_our_file(file):
    path = Path(file).resolve()
    return not any(path.is_relative_to(folder) for folder in _LIBRARY_DIRS)


def _is_ours(module):
    """Whether a module is code of ours: the notebook, or a file outside the stdlib
    and site-packages."""
    if module.__name__ == "__main__":  # a notebook or a script
        return True
    file = getattr(
        module, "__file__", None
    )  # None: a built-in, frozen or namespace module
    return bool(file) and _is_our_file(file)


def _defined_in_our_code(obj):
    module = sys.modules.get(obj.__module__)
    if module is not None:
        return _is_ours(module)
    return inspect.isfunction(obj) and _is_our_file(
        obj.__code__.co_filename
    )  # a module not in sys.modules


def _constant(value):
    """The JSON text of a simple value (numbers, strings, and lists or dicts of them),
    else None."""
    try:
        return json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        return None


def _names_used(function):
    """``{name: object}`` for the globals and free variables that a function's code
    reads."""
    names, codes = set(), [function.__code__]
    # the function's code, and the code nested in it (comprehensions, lambdas, defs)
    while codes:
        code = codes.pop()
        names.update(
            code.co_names
        )  # global names, and attribute names (a harmless surplus)
        codes.extend(const for const in code.co_consts if inspect.iscode(const))
    used = {
        name: function.__globals__[name]
        for name in sorted(names)
        if name in function.__globals__
    }
    for name, cell in zip(function.__code__.co_freevars, function.__closure__ or ()):
        try:
            used[name] = cell.cell_contents
        except ValueError:  # a free variable that is not assigned yet
            pass
    return used


class _Walk:
    """What a function or class of ours uses, followed recursively."""

    def __init__(self):
        self.sources, self.constants, self.modules, self._seen = {}, {}, {}, set()

    def follow(self, obj, *, root=False):
        if id(obj) in self._seen:
            return
        if inspect.ismodule(obj):
            if _is_ours(obj):
                self._seen.add(id(obj))
                top = sys.modules.get(obj.__name__.partition(".")[0], obj)
                self.modules[top.__name__] = top
            return
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            return
        if not (root or _defined_in_our_code(obj)):
            return  # a library's code: its version counts, not its source
        self._seen.add(id(obj))
        module = sys.modules.get(obj.__module__)
        if module is not None and module.__name__ != "__main__":
            self.follow(module)
        if inspect.isclass(obj):
            self._follow_class(obj)
        else:
            self._follow_function(obj)

    def _follow_function(self, function):
        name = f"{function.__module__}.{function.__qualname__}"
        try:
            self.sources[name] = inspect.getsource(function)
        except (OSError, TypeError) as error:
            raise ValueError(
                f"code_identity: cannot read the source of {name} (from "
                f"{function.__code__.co_filename}). "
                "Functions typed at a plain Python prompt or made by exec() have no "
                "source to read: "
                "define it in a module or a notebook cell."
            ) from error
        for used_name, value in _names_used(function).items():
            text = _constant(value)
            if text is not None:
                self.constants[f"{function.__module__}.{used_name}"] = text
            else:
                self.follow(value)

    def _follow_class(self, cls):
        name = f"{cls.__module__}.{cls.__qualname__}"
        bases = ", ".join(
            f"{base.__module__}.{base.__qualname__}" for base in cls.__bases__
        )
        self.sources[name] = f"class {cls.__qualname__}({bases})"
        for base in cls.__bases__:
            self.follow(base)
        for attribute, value in vars(cls).items():
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if isinstance(value, property):
                for accessor in (value.fget, value.fset, value.fdel):
                    if accessor is not None:
                        self.follow(accessor, root=True)
            elif inspect.isfunction(value):
                self.follow(value, root=True)
            elif not attribute.startswith("__") and _constant(value) is not None:
                self.constants[f"{name}.{attribute}"] = _constant(value)


def package_fingerprint(name):
    """A hash of every ``.py`` file of a package (or of a module's one file).

    Parameters
    ----------
    name : str
        An importable package or module, e.g. ``"book"``.

    Returns
    -------
    dict
        ``{"files": number of files, "sha256": 16 hexadecimal characters}``.
        The hash covers each file's path inside the package and its bytes, so
        it is the same in every clone.
    """
    try:
        module = importlib.import_module(name)
    except ImportError as error:
        raise ValueError(
            f"package_fingerprint: cannot import package {name!r}: {error}"
        ) from error
    if hasattr(module, "__path__"):  # a package: all its .py files
        roots = [Path(folder) for folder in module.__path__]
        files = sorted({(root, path) for root in roots for path in root.rglob("*.py")})
    elif getattr(module, "__file__", None):
        file = Path(module.__file__)
        files = [(file.parent, file)]
    else:
        raise ValueError(
            f"package_fingerprint: {name!r} is built in; it has no files to hash."
        )
    digest = hashlib.sha256()
    for root, path in files:
        digest.update(
            path.relative_to(root).as_posix().encode()
            + b"\0"
            + path.read_bytes()
            + b"\0"
        )
    return {"files": len(files), "sha256": digest.hexdigest()[:16]}


def library_versions(names=LIBRARIES):
    """``{name: installed version}`` of the given distributions, read with
    importlib.metadata."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError as error:
            raise ValueError(
                f"library_versions: {name!r} is not installed; "
                "pass `libraries` without it, or install it."
            ) from error
    return versions


def code_identity(function, packages=None, libraries=LIBRARIES):
    """The code version of a training function, and what went into it.

    The code that really trains is more than the training function's text. We
    follow the names its code uses (``co_names``, in nested code too) in its
    globals and closure: functions and classes of ours (defined in the
    notebook or in files outside the stdlib and site-packages) are followed
    recursively, simple constants (numbers, strings, lists and dicts of them)
    are read, and the packages of ours that the code uses are hashed whole. A
    library's code counts by its version. Other objects it reads, like data
    frames, are data: their fingerprint is the data part of a model's id.

    Package files are read from disk when this is called. After editing one,
    restart the kernel (or reload the module) before training, so that the
    code that trains is the code that is hashed.

    Parameters
    ----------
    function : function or class
        The training function.
    packages : iterable of str, optional
        The packages (or modules) whose ``.py`` files count, e.g. ``["book"]``.
        By default, every package of ours that the walk meets. Name them for a
        package of ours installed into site-packages (not in editable mode).
    libraries : iterable of str
        The distributions whose installed versions count.

    Returns
    -------
    version : str
        16 hexadecimal characters: the 'code' part of a model's id.
    summary : dict
        What went into it: ``"functions"`` (the names of the functions and
        classes followed), ``"constants"`` (``{name: value}``), ``"packages"``
        (``{name: {"files": ..., "sha256": ...}}``) and ``"libraries"``
        (``{name: version}``).

    Raises
    ------
    TypeError
        If ``function`` is not a Python function or class.
    ValueError
        If a source can't be read, a package can't be imported or a library
        is not installed.

    Examples
    --------
    Here the names start with ``book.registry.``; in a notebook, with ``__main__.``:

    >>> COLUMNS = ["x1", "x2"]
    >>> def train(frame, params):
    ...     return frame[COLUMNS].mean()
    >>> version, summary = code_identity(train)
    >>> len(version), summary["functions"], summary["constants"]
    (16, ['book.registry.train'], {'book.registry.COLUMNS': ['x1', 'x2']})
    """
    if not (inspect.isfunction(function) or inspect.isclass(function)):
        raise TypeError(
            "code_identity: expected a Python function or class, "
            f"got {type(function).__name__}."
        )
    packages, libraries = (
        [names] if isinstance(names, str) else names for names in (packages, libraries)
    )
    walk = _Walk()
    walk.follow(function, root=True)
    names = sorted(walk.modules) if packages is None else sorted(set(packages))
    summary = {
        "functions": list(walk.sources),
        "constants": {
            name: json.loads(text) for name, text in sorted(walk.constants.items())
        },
        "packages": {name: package_fingerprint(name) for name in names},
        "libraries": library_versions(libraries),
    }
    hashed = dict(summary, functions=walk.sources, constants=walk.constants)
    return _sha(json.dumps(hashed, sort_keys=True))[:16], summary


def code_version(function, packages=None, libraries=LIBRARIES):
    """The 'code' part of a model's identity: the version returned by
    :func:`code_identity`.

    Examples
    --------
    >>> def train(frame, params):
    ...     return frame.mean()
    >>> version = code_version(train)
    >>> len(version), version == code_identity(train)[0]
    (16, True)
    """
    return code_identity(function, packages, libraries)[0]


def format_summary(summary, width=88):
    """The summary returned by :func:`code_identity`, as text for people.

    Parameters
    ----------
    summary : dict
        The second value returned by :func:`code_identity`.
    width : int
        The longest line, in characters; longer entries are wrapped.

    Returns
    -------
    str
        One labelled block per part: functions, constants, packages, libraries.

    Examples
    --------
    A summary as :func:`code_identity` returns it:

    >>> summary = {"functions": ["__main__.train"], "constants": {"__main__.C": 1.0},
    ...            "packages": {"book": {"files": 20, "sha256": "0123456789abcdef"}},
    ...            "libraries": {"numpy": "2.1.0", "pandas": "2.2.3"}}
    >>> print(format_summary(summary))
    functions:  __main__.train
    constants:  __main__.C = 1.0
    packages:   book: 20 .py files, sha256 0123456789abcdef
    libraries:  numpy 2.1.0, pandas 2.2.3
    """
    libraries = ", ".join(
        f"{name} {version}" for name, version in summary["libraries"].items()
    )
    parts = {
        "functions": summary["functions"],
        "constants": [
            f"{name} = {json.dumps(value)}"
            for name, value in summary["constants"].items()
        ],
        "packages": [
            f"{name}: {p['files']} .py file{'s' if p['files'] != 1 else ''}, sha256 "
            f"{p['sha256']}"
            for name, p in summary["packages"].items()
        ],
        "libraries": [libraries] if libraries else [],
    }
    lines = []
    for label, entries in parts.items():
        for index, entry in enumerate(entries or ["(none)"]):
            first = f"{label + ':' if index == 0 else '':<12}"
            lines.append(
                textwrap.fill(
                    entry,
                    width,
                    initial_indent=first,
                    subsequent_indent=" " * 16,
                    break_on_hyphens=False,
                )
            )
    return "\n".join(lines)


def model_id(code, data, params):
    """The id of the model made by ``code`` on ``data`` with ``params`` (a JSON-able
    dict).

    Returns
    -------
    str
        12 hexadecimal characters.
    """
    return _sha(
        json.dumps(
            {"code": code, "data": data, "params": params}, sort_keys=True, default=str
        )
    )[:12]


class Registry:
    """Models pickled in a folder, with ``manifest.json`` saying what made each one.

    Parameters
    ----------
    folder : str or Path
        Where the models live; created if missing.

    Examples
    --------
    Any object that pickles can be registered; here a list stands for a model:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     models = Registry(folder)
    ...     ident = models.register([1, 2], code="c0de", data="da7a", params={"C": 1})
    ...     print(len(ident), models.load(ident), models.entries()[0]["params"])
    12 [1, 2] {'C': 1}
    """

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
            entries.append(
                {
                    "id": ident,
                    "code": code,
                    "data": data,
                    "params": params,
                    "metrics": metrics or {},
                }
            )
            self._manifest.write_text(
                json.dumps(entries, indent=2, sort_keys=True, default=str)
            )
        return ident

    def load(self, ident):
        """The model registered under ``ident``; a KeyError if there is none."""
        path = self.folder / f"{ident}.pkl"
        if not path.exists():
            raise KeyError(f"no model {ident!r} in {self.folder}")
        return pickle.loads(path.read_bytes())
