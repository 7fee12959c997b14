"""Keep notebook kernels offline (and the book's own notebooks loud about warnings).

Two layers, so that no notebook can reach the network even if one of them fails:

1. **A network namespace** (Linux, as root or with unprivileged user
   namespaces): the process that starts the kernels moves into a namespace of
   its own with only ``lo`` up. Kernels inherit it: no packet can leave the
   machine, whatever the code does.
2. **A guard in every kernel**, installed as an IPython startup file through
   ``IPYTHONDIR``: it refuses name lookups and connections to anything but
   loopback with a clear message (:data:`OFFLINE_MESSAGE`). For the book's own
   notebooks it also shows every warning (``warnings.simplefilter("default")``)
   so that the tests, which fail on stderr, see it. Where namespaces are
   unavailable this is the only layer.

Used by ``tests/conftest.py`` for the test kernels, by :mod:`book.sandbox` for the
kernels that grade learners' notebooks, and as a wrapper for the book build::

    python -m book.offline --guard-dir _build/.kernel-guard -- jupyter-book build .
"""

from __future__ import annotations

import argparse
import ctypes
import fcntl
import os
import socket
import struct
import sys
from pathlib import Path

OFFLINE_MESSAGE = "the book runs offline"

#: Shows every warning once per place (on stderr), where the tests and the build see it.
WARNINGS_SOURCE = """\
import warnings as _warnings

_warnings.simplefilter("default")
"""

GUARD_SOURCE = f'''\
# Installed by book/offline.py for tests, builds and grading; not for learners' kernels.
import ipaddress as _ipaddress
import socket as _socket


class OfflineError(ConnectionRefusedError):
    """A notebook tried to use the network."""


def _is_loopback(host):
    if host in (None, "", "localhost", "localhost.localdomain"):
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    try:
        return _ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what):
    raise OfflineError(
        f"{OFFLINE_MESSAGE}: {{what}} was refused. Notebooks may not use the network: "
        "generate data with book.data, or use a dataset bundled with scikit-learn."
    )


_getaddrinfo = _socket.getaddrinfo


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not _is_loopback(host):
        _refuse(f"looking up {{host!r}}")
    return _getaddrinfo(host, *args, **kwargs)


def _guard_method(name):
    original = getattr(_socket.socket, name)

    def guarded(self, address, *args, **kwargs):
        internet = self.family in (_socket.AF_INET, _socket.AF_INET6)
        if internet and not _is_loopback(address[0]):
            _refuse(f"a connection to {{address[0]}}:{{address[1]}}")
        return original(self, address, *args, **kwargs)

    setattr(_socket.socket, name, guarded)


_socket.getaddrinfo = _guarded_getaddrinfo
for _name in ("connect", "connect_ex"):
    _guard_method(_name)
'''

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1


def install_kernel_guard(ipython_dir, show_warnings=True):
    """Write the guard as a startup file of the default IPython profile under
    ``ipython_dir``.

    ``show_warnings`` also makes every warning show (the book's tests and build want
    that; grading does not). Returns the directory, to be used as ``IPYTHONDIR`` of the
    kernels.
    """
    startup = Path(ipython_dir) / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    source = (WARNINGS_SOURCE + "\n" if show_warnings else "") + GUARD_SOURCE
    (startup / "00-book-offline-guard.py").write_text(source, encoding="utf-8")
    return Path(ipython_dir)


def _bring_loopback_up():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH", b"lo", 0)
        flags = struct.unpack("16sH", fcntl.ioctl(sock, _SIOCGIFFLAGS, request)[:18])[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | _IFF_UP))


def enter_network_namespace():
    """Move this process into a new network namespace with only ``lo`` up.

    Call it before any thread is started: a namespace belongs to the thread
    that made it, and the kernels started afterwards inherit it.

    Returns
    -------
    bool
        True if the process is now isolated; False where namespaces are not
        available (not Linux, not root and no user namespaces), in which case
        nothing changed.
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    flags = [_CLONE_NEWNET] if os.geteuid() == 0 else [_CLONE_NEWUSER | _CLONE_NEWNET]
    for flag in flags:
        if libc.unshare(flag) == 0:
            try:
                _bring_loopback_up()
            except OSError:
                pass  # loopback stays down: kernels can't start, and the tests say so
            return isolated()
    return False


def isolated():
    """True if this process sees no network interface but loopback."""
    try:
        return [name for _, name in socket.if_nameindex()] == ["lo"]
    except OSError:
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Run a command with notebook kernels kept offline."
    )
    parser.add_argument(
        "--guard-dir",
        default="_build/.kernel-guard",
        help="where to write the kernels' IPython profile with the guard",
    )
    parser.add_argument(
        "command", nargs=argparse.REMAINDER, help="-- then the command to run"
    )
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    os.environ["IPYTHONDIR"] = str(install_kernel_guard(Path(args.guard_dir).resolve()))
    where = (
        "network namespace with only lo, plus the kernel guard"
        if enter_network_namespace()
        else "kernel guard only"
    )
    print(f"[offline] notebook kernels are kept offline: {where}", flush=True)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
