"""Run a stranger's notebook in a sandbox: the kernels that :mod:`book.grade` starts.

A learner's notebook is code from someone else, run on the facilitator's machine. Each
notebook gets a :class:`Sandbox`, and its kernel starts through this module's command
line (``python -P -m book.sandbox ... -- KERNEL COMMAND``, from the sandbox's root, so
that no file of the learner's folder is imported), which confines itself and then
becomes the kernel. The layers, each applied where the machine allows it; the ones
applied are written to ``layers.json`` and shown on the scorecard:

- **Its own folder.** The kernel runs in a temporary copy of the notebook and the plain
  files beside it (not the other notebooks, links or pipes), with its own home and
  temporary folder; the copy is deleted afterwards.
- **A stripped environment.** Only the variables a kernel needs (``PATH``, locale,
  thread counts, ``PYTHONPATH``) pass; tokens, keys and the rest of the facilitator's
  environment do not. Its standard output and error go nowhere: it reaches the grader
  through its messages only.
- **Offline.** The kernel enters a network namespace of its own with only loopback
  (:mod:`book.offline`), so no process it starts, Python or not, reaches the network;
  the kernel talks to the grader over Unix sockets in its folder. The offline guard
  of the book's tests refuses the network from Python with a clear message too.
- **Its own mounts and IPC** (as root): a private ``/dev/shm`` and System V IPC, gone
  with the notebook.
- **Its own user** (as root with the capabilities to change user): an unprivileged user
  id per notebook, which may still read what root reads (``CAP_DAC_READ_SEARCH``, the
  one capability it keeps: the Python installation often lives under ``/root``) but
  may not write root's files. The process limit then applies (it never applies to
  root), and when the notebook ends every process of that user is killed, even ones
  that left the process group. Setuid programs give no privilege (``no_new_privs``).
- **Landlock** (Linux 5.13 and newer, where the kernel enables it): it may write only
  inside its sandbox folder (truncating too, from Linux 6.2), may not signal processes
  outside the sandbox (Linux 6.12), and, where there is no network namespace, may not
  connect or bind TCP sockets (Linux 6.7).
- **Limits** (``setrlimit``) on each process: address space, CPU time, the size of a
  file it writes, the number of processes and threads (not on macOS), no core files;
  and it is the first the out-of-memory killer takes. The grader also caps the output
  it receives and the wall time of the whole notebook (:func:`book.grade._execute`).

What remains exposed is written on the facilitators' page (``facilitators.md``).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import secrets
import shutil
import signal
import stat
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from book import offline

KERNEL_NAME = "book-sandbox"
LAYERS_FILE = "layers.json"
#: Files and folders of a submissions folder that the copy leaves out.
NOT_COPIED = (".git", ".venv", "_build", ".ipynb_checkpoints", "__pycache__")
#: The most files of a notebook's folder (and its subfolders) the copy looks at.
MAX_FILES_LOOKED_AT = 5_000
#: The environment variables a kernel keeps (and every ``LC_*``).
KEPT_VARIABLES = (
    "PATH", "LANG", "TZ", "PYTHONPATH", "JPY_PARENT_PID", "JPY_SESSION_NAME",
    "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
    "PYDEVD_DISABLE_FILE_VALIDATION",
)  # fmt: skip


@dataclass(frozen=True)
class Limits:
    """What one notebook may use. Memory and processes are per process and per user."""

    #: address space of each process (a kernel with the book's libraries reserves
    #: about 1.3 GB of it)
    memory_mb: int = 3072
    #: CPU seconds of each process (the wall-clock limit is the grader's)
    cpu_s: int = 600
    #: the largest file a process may write
    file_mb: int = 100
    #: processes and threads of the notebook's user
    processes: int = 256
    #: messages with output the grader takes from the kernel, its own cells' included
    output_mb: float = 10.0
    #: the most it copies of the plain files beside the notebook
    folder_mb: int = 200


class OutputLimitError(RuntimeError):
    """The notebook printed more than its output limit."""


class Sandbox:
    """A temporary sandbox for one notebook: a copy of its folder, a home, a kernel spec
    that starts the kernel confined, and the clean-up of everything it started.

    Use it as a context manager; :meth:`kernel_manager` gives the kernel manager to
    pass to the notebook client.
    """

    def __init__(self, notebook, limits=Limits()):
        self.notebook = Path(notebook).resolve()
        self.folder = self.notebook.parent
        self.limits = limits
        self.root = None
        self.uid = None
        self.kernel_pid = None

    # The sandbox: ``root`` is the grader's (the kernel spec, ``layers.json``); the
    # kernel may write only in ``box`` (its copy of the folder, its home, its sockets).
    @property
    def box(self):
        return self.root / "box"

    @property
    def work(self):
        """The copy of the notebook's folder: the kernel's working folder."""
        return self.box / "work"

    @property
    def home(self):
        return self.box / "home"

    def __enter__(self):
        self.root = Path(tempfile.mkdtemp(prefix="book-grade-"))
        try:
            self.box.mkdir()
            self._copy_folder()
            self.home.mkdir()
            (self.home / "tmp").mkdir()
            offline.install_kernel_guard(self.home / ".ipython", show_warnings=False)
            self.uid = _unprivileged_uid() if _can_drop_root() else None
            self._write_kernel_spec()
            # others may pass through (access(2) checks a kernel of another user without
            # its capabilities) but not list; the kernel's box is its own
            os.chmod(self.root, 0o711)
            os.chmod(self.box, 0o700)
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
        return False

    def _copy_folder(self):
        """Copy the notebook and the plain files beside it (data a learner may read), in
        at most ``folder_mb``: not the other notebooks of the folder (a classmate's
        answers), nor links, pipes or devices, which could point anywhere or block."""
        self.work.mkdir()
        budget, looked_at = self.limits.folder_mb * 2**20, 0
        shutil.copyfile(self.notebook, self.work / self.notebook.name)
        for folder, dirs, files in os.walk(self.folder):
            dirs[:] = sorted(d for d in dirs if d not in NOT_COPIED)
            looked_at += len(files)
            if looked_at > MAX_FILES_LOOKED_AT:  # a notebook in a home folder, say
                break
            for name in sorted(files):
                source = Path(folder) / name
                if source.suffix in {".md", ".ipynb"} or source.is_symlink():
                    continue
                try:
                    info = source.lstat()
                except OSError:
                    continue
                if not stat.S_ISREG(info.st_mode) or info.st_size > budget:
                    continue
                target = self.work / source.relative_to(self.folder)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                budget -= info.st_size

    def _write_kernel_spec(self):
        limits = self.limits
        # -P: nothing of the working folder is imported by the wrapper, which starts as
        # the grader's user (the kernel starts in the sandbox root and moves to work/)
        argv = [sys.executable, "-P", "-m", "book.sandbox", "--root", str(self.root)]
        argv += ["--cwd", str(self.work)]
        argv += ["--uid", str(self.uid if self.uid is not None else -1)]
        argv += ["--memory-mb", str(limits.memory_mb), "--cpu-s", str(limits.cpu_s)]
        argv += ["--file-mb", str(limits.file_mb), "--processes", str(limits.processes)]
        argv += ["--", sys.executable, "-m", "ipykernel_launcher"]
        argv += ["-f", "{connection_file}"]
        spec = self.root / "kernels" / KERNEL_NAME
        spec.mkdir(parents=True)
        kernel = {"argv": argv, "display_name": "Python 3 (grading sandbox)",
                  "language": "python", "metadata": {"debugger": False}}  # fmt: skip
        (spec / "kernel.json").write_text(
            json.dumps(kernel, indent=1), encoding="utf-8"
        )

    def kernel_manager(self):
        """An ``AsyncKernelManager`` that starts the kernel in this sandbox, talking to
        it over Unix sockets in the sandbox folder (TCP would need the network)."""
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import AsyncKernelManager

        return AsyncKernelManager(
            kernel_name=KERNEL_NAME,
            kernel_spec_manager=KernelSpecManager(
                kernel_dirs=[str(self.root / "kernels")]
            ),
            transport="ipc",
            ip=str(self.box / "ipc"),
            connection_file=str(self.box / "connection.json"),
        )

    def layers(self):
        """What confined the kernel, as the kernel's wrapper wrote it (empty if it never
        started)."""
        try:
            return json.loads((self.root / LAYERS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []

    def stop(self):
        """Kill every process the notebook started: all processes of its user, or,
        without a user of its own, the kernel's process group."""
        if self.uid is not None:
            _kill_user(self.uid)
        elif self.kernel_pid:
            try:
                os.killpg(self.kernel_pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def _capabilities(field):
    """The capability set ``field`` (``"CapEff"``, ``"CapBnd"``) of this process, as an
    integer (0 where /proc does not say)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1], 16)
    except (OSError, ValueError):
        pass
    return 0


def _can_drop_root():
    """True if this process can give a notebook a user of its own that still reads what
    root reads: root with the capabilities to change user and to keep
    ``CAP_DAC_READ_SEARCH`` (Docker's root lacks some), and a wide user-id map."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return False
    needed = [_CAP_DAC_READ_SEARCH, _CAP_SETGID, _CAP_SETUID, _CAP_SETPCAP]
    mask = sum(1 << cap for cap in needed)
    have = _capabilities("CapEff") & _capabilities("CapBnd")
    return have & mask == mask and _unprivileged_uid() is not None


def _unprivileged_uid():
    """A user id for one notebook that no process uses, not even a zombie (which still
    counts against the process limit): high in the mapped range, and derived from this
    process's id, so that notebooks graded at the same time by other processes
    differ."""
    ranges = []
    try:
        for line in Path("/proc/self/uid_map").read_text().splitlines():
            inside, _, count = (int(x) for x in line.split())
            ranges.append((inside, count))
    except (OSError, ValueError):
        return None
    inside, count = max(ranges, key=lambda r: r[1], default=(0, 0))
    if count < 200_000:
        return None  # too narrow a map to stay clear of real users
    span = min(count // 2, 2**26)
    in_use = _uids_in_use()
    for _ in range(64):  # random: no two notebooks share one, even in one process
        uid = inside + count - 2 - secrets.randbelow(span)
        if uid not in in_use:
            return uid
    return None


def _processes():
    """``(pid, user ids, state letter)`` of every process /proc shows."""
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1)
                for line in status.read_text().splitlines()
                if ":" in line
            )
            uids = [int(u) for u in fields["Uid"].split()]
            yield int(status.parent.name), uids, fields["State"].split()[0]
        except (OSError, ValueError, KeyError, IndexError):
            continue


def _uids_in_use():
    """Every user id a process holds, zombies' too (they count against the limit)."""
    return {uid for _, uids, _ in _processes() for uid in uids}


def _processes_of(uid):
    """The ids of the live processes of ``uid`` (zombies are dead already: left out)."""
    return [
        pid for pid, uids, state in _processes() if uids[0] == uid and state not in "ZX"
    ]


def _kill_user(uid, rounds=40):
    """Send SIGKILL to every process of ``uid``, until none is left: from a shell that
    takes that user id, ``kill -KILL -1`` reaches exactly that user's processes."""
    import subprocess

    for _ in range(rounds):
        if not _processes_of(uid):
            return True
        subprocess.run(
            ["/bin/sh", "-c", "kill -KILL -1"],
            user=uid,
            group=uid,
            extra_groups=[],
            env={},
            stderr=subprocess.DEVNULL,
            check=False,
        )
        time.sleep(0.05)
    return not _processes_of(uid)


# ---- inside the wrapper: confine this process, then become the kernel -------------

_PR_SET_KEEPCAPS = 8
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE = 47, 2
_PR_CAPBSET_DROP = 24
_CAP_DAC_READ_SEARCH, _CAP_SETGID, _CAP_SETUID, _CAP_SETPCAP = 2, 6, 7, 8
# the same numbers on x86_64 and arm64
_SYS_LANDLOCK_CREATE_RULESET = 444
_SYS_LANDLOCK_ADD_RULE = 445
_SYS_LANDLOCK_RESTRICT_SELF = 446
_LANDLOCK_RULE_PATH_BENEATH = 1
# what Landlock handles: every way of changing the file system (reading stays open)
_FS_WRITE_FILE = 1 << 1
_FS_REMOVE_AND_MAKE = sum(1 << bit for bit in range(4, 13))  # remove, make dir, file...
_FS_WRITES_BY_ABI = {
    1: _FS_WRITE_FILE | _FS_REMOVE_AND_MAKE,
    2: 1 << 13,  # refer: link or rename across folders
    3: 1 << 14,  # truncate
}
_NET_BIND_TCP, _NET_CONNECT_TCP = 1, 2
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1, 2


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _landlock_ruleset(writable, devices, tcp=True):
    """A Landlock rule set that allows writing only under ``writable`` (and to the
    ``devices`` files), no signals out, and unless ``tcp``, no TCP (which also keeps
    the output of the kernel's subprocesses from reaching it, over loopback):
    ``(file descriptor, description)``, or ``(None, "")`` where Landlock is not
    available. :func:`_landlock_enforce` applies it."""
    if not sys.platform.startswith("linux"):
        return None, ""
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(
        _SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(1)
    )
    if abi < 1:
        return None, ""
    fs = sum(bits for level, bits in _FS_WRITES_BY_ABI.items() if abi >= level)
    net = _NET_BIND_TCP | _NET_CONNECT_TCP if abi >= 4 and not tcp else 0
    scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL if abi >= 6 else 0
    fields = [fs] + ([net] if abi >= 4 else []) + ([scoped] if abi >= 6 else [])
    attr = (ctypes.c_uint64 * len(fields))(*fields)
    ruleset = libc.syscall(
        _SYS_LANDLOCK_CREATE_RULESET,
        ctypes.byref(attr),
        ctypes.c_size_t(ctypes.sizeof(attr)),
        ctypes.c_uint32(0),
    )
    if ruleset < 0:
        return None, ""

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]

    try:
        for path, access in [(p, fs) for p in writable] + [
            (d, fs & (_FS_WRITE_FILE | 1 << 14)) for d in devices
        ]:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = PathBeneath(access, fd)
                added = libc.syscall(
                    _SYS_LANDLOCK_ADD_RULE,
                    ctypes.c_int(ruleset),
                    ctypes.c_int(_LANDLOCK_RULE_PATH_BENEATH),
                    ctypes.byref(rule),
                    ctypes.c_uint32(0),
                )
                if added != 0:
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule({path})")
            finally:
                os.close(fd)
    except OSError:
        os.close(ruleset)
        return None, ""
    parts = ["writes only in its sandbox folder"]
    parts += ["no TCP"] if net else []
    parts += ["no signals out"] if scoped else []
    return ruleset, f"Landlock ABI {abi}: " + ", ".join(parts)


def _landlock_enforce(ruleset):
    """Apply the rule set to this process and everything it starts (for good)."""
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    done = libc.syscall(
        _SYS_LANDLOCK_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)
    )
    if done != 0:
        raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    os.close(ruleset)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]  # fmt: skip


def _drop_bounding_set(keep):
    """Take every capability but ``keep`` out of the bounding set: nothing this
    process runs can ever gain another (needs CAP_SETPCAP: call it as root)."""
    libc = _libc()
    try:
        last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    except (OSError, ValueError):
        last = 40
    for cap in range(last + 1):
        if cap != keep:
            libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)


def _become(uid):
    """Drop root for ``uid``, keeping only the right to read
    (``CAP_DAC_READ_SEARCH``), in this process and, through the ambient set, in the
    kernel it becomes."""
    libc = _libc()
    if libc.prctl(_PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_KEEPCAPS)")
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    bit = 1 << _CAP_DAC_READ_SEARCH
    data = (_CapData * 2)(_CapData(bit, bit, bit), _CapData(0, 0, 0))
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
    raised = libc.prctl(
        _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE, _CAP_DAC_READ_SEARCH, 0, 0
    )
    if raised != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_CAP_AMBIENT_RAISE)")


def _set_limits(args, count_processes_of=None):
    import resource  # POSIX only

    linux = sys.platform.startswith("linux")
    applied = []
    mb = 2**20
    for name, which, value in [
        ("memory", "RLIMIT_AS", args.memory_mb * mb),
        ("CPU", "RLIMIT_CPU", args.cpu_s),
        ("file size", "RLIMIT_FSIZE", args.file_mb * mb),
        ("core files", "RLIMIT_CORE", 0),
        ("processes", "RLIMIT_NPROC", args.processes),
    ]:
        if not hasattr(resource, which):
            continue
        if which in ("RLIMIT_AS", "RLIMIT_NPROC") and not linux:
            continue  # macOS ignores the first, and can't count a user's processes
        if which == "RLIMIT_NPROC" and count_processes_of == 0:
            continue  # root without a user of its own: the limit would not apply
        if which == "RLIMIT_NPROC" and count_processes_of is not None:
            # not a user of its own: the limit counts the user's other processes too
            value += len(_processes_of(count_processes_of))
        try:
            resource.setrlimit(getattr(resource, which), (value, value))
            applied.append(name)
        except (ValueError, OSError):
            continue
    try:  # the first process the kernel's out-of-memory killer takes
        Path("/proc/self/oom_score_adj").write_text("1000")
        applied.append("first to go when memory runs out")
    except OSError:
        pass
    return applied


def _environment(box):
    home = box / "home"
    env = {
        k: v
        for k, v in os.environ.items()
        if k in KEPT_VARIABLES or k.startswith("LC_")
    }
    env.update(
        HOME=str(home),
        TMPDIR=str(home / "tmp"),
        IPYTHONDIR=str(home / ".ipython"),
        MPLCONFIGDIR=str(home / ".matplotlib"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_CONFIG_HOME=str(home / ".config"),
        PYTHONNOUSERSITE="1",
    )
    return env


_CLONE_NEWNS, _CLONE_NEWIPC = 0x20000, 0x08000000
_MS_NOSUID, _MS_NODEV, _MS_REC, _MS_PRIVATE = 2, 4, 0x4000, 1 << 18


def _private_shm():
    """Give this process its own System V IPC (shared memory, semaphores, queues: gone
    with the notebook) and a /dev/shm of its own (a small tmpfs in a mount namespace),
    so that shared-memory users such as joblib work and no notebook leaves anything for
    the next. Root only; returns whether it worked."""
    linux = sys.platform.startswith("linux")
    if os.geteuid() != 0 or not linux or not os.path.isdir("/dev/shm"):
        return False
    libc = _libc()
    if libc.unshare(_CLONE_NEWNS | _CLONE_NEWIPC) != 0:
        return False
    if libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        return False
    options = b"size=64m,mode=1777"
    flags = _MS_NOSUID | _MS_NODEV
    return libc.mount(b"tmpfs", b"/dev/shm", b"tmpfs", flags, options) == 0


def _chown_tree(root, uid):
    for folder, dirs, files in os.walk(root):
        os.chown(folder, uid, uid, follow_symlinks=False)
        for name in files + dirs:
            os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)


def confine(args):
    """Confine this process (the kernel's wrapper) in the sandbox at ``args.root``, and
    return the layers applied, in words (also written to its ``layers.json``)."""
    root = Path(args.root)
    box = root / "box"
    me = os.getuid()
    # opened now, written last: once confined, this process may not open it any more
    report = os.open(
        root / LAYERS_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644
    )
    layers = ["a temporary copy of its folder", "a stripped environment"]
    namespace = offline.enter_network_namespace()
    if namespace:
        layers.append("offline: a network namespace with only loopback, and the guard")
    else:
        layers.append(
            "offline: the guard (Python's sockets), and Landlock's no TCP if any"
        )
    if args.uid >= 0:
        _chown_tree(box, args.uid)
    limits = _set_limits(args, count_processes_of=None if args.uid >= 0 else me)
    shm = _private_shm()
    if shm:
        layers.append("its own /dev/shm and System V IPC")
    devices = [d for d in ("/dev/null",) if os.path.exists(d)]
    ruleset, landlock = _landlock_ruleset(
        [box] + (["/dev/shm"] if shm else []), devices, tcp=namespace
    )
    if args.uid >= 0:
        _drop_bounding_set(keep=_CAP_DAC_READ_SEARCH)
        _become(args.uid)
        layers.append("its own user, which may read but not write root's files")
    # setuid programs (passwd, mount...) gain nothing, with or without Landlock
    if _libc().prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0:
        layers.append("no privileges gained through setuid programs")
    if ruleset is not None:
        _landlock_enforce(ruleset)
    layers.append(
        landlock or "no Landlock (writes are limited only by file permissions)"
    )
    layers.append("limits: " + ", ".join(limits))
    os.write(report, json.dumps(layers).encode())
    os.close(report)
    return layers


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m book.sandbox",
        description="Confine this process in a grading sandbox, then run the command.",
    )
    parser.add_argument("--root", required=True, help="the sandbox folder")
    parser.add_argument("--cwd", required=True, help="the kernel's working folder")
    parser.add_argument(
        "--uid", type=int, default=-1, help="user id to run as (-1: keep)"
    )
    for name, default in asdict(Limits()).items():
        if name in ("memory_mb", "cpu_s", "file_mb", "processes"):
            parser.add_argument(
                "--" + name.replace("_", "-"), type=int, default=default
            )
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    confine(args)
    os.chdir(args.cwd)
    # Nothing the kernel prints reaches the grader's terminal or scorecard (ipykernel
    # keeps a copy of the original stdout): the notebook's output goes to the grader
    # through its messages only.
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(quiet, fd)
    os.execve(command[0], command, _environment(Path(args.root) / "box"))


if __name__ == "__main__":
    main()
