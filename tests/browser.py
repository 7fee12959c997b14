"""Headless Chromium for the site tests: find it, or install it.

The browser test (``tests/test_site.py``) drives Chromium with Playwright. Any
Chromium of a recent version will do; the first found is used:

1. the executable named by ``BOOK_CHROMIUM``;
2. Debian's ``chromium`` (or ``chromium-browser``, ``google-chrome``) on ``PATH``;
3. the Chromium that ``python -m playwright install chromium`` downloaded.

``python tests/browser.py --install`` (run by ``make test``) installs one when none is
found: Debian's ``chromium`` (and a font, for readable screenshots) with apt-get where
that works (as root, as in CI), else Playwright's own download.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Flags for a headless browser in a container: no sandbox (root), no GPU, nothing
#: fetched in the background (updates, sync...), a fresh profile each time.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _playwright_chromium():
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            path = Path(playwright.chromium.executable_path)
    except Exception:
        return None
    return path if path.exists() else None


def find_chromium():
    """The path of a Chromium executable, or None."""
    named = os.environ.get("BOOK_CHROMIUM")
    if named:
        return Path(named) if Path(named).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return _playwright_chromium()


def _run(command):
    print("+", " ".join(command), flush=True)
    return subprocess.run(command).returncode == 0


def install_chromium():
    """Install a Chromium; return its path or None. apt-get as root, else Playwright's download."""
    if shutil.which("apt-get") and os.geteuid() == 0:
        env_ok = _run(["apt-get", "update", "-qq"]) and _run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", "fonts-dejavu-core"])
        if env_ok and find_chromium():
            return find_chromium()
    _run([sys.executable, "-m", "playwright", "install", "chromium"])
    return find_chromium()


def missing_browser_message():
    return ("No Chromium for the browser test. Run `python tests/browser.py --install` "
            "(Debian/Ubuntu as root: `apt-get install chromium`; elsewhere it runs "
            "`python -m playwright install chromium`), or point BOOK_CHROMIUM at a Chromium executable.")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", help="install a Chromium if none is found")
    args = parser.parse_args(argv)
    found = find_chromium()
    if found is None and args.install:
        print("No Chromium found: installing one for the browser test.", flush=True)
        found = install_chromium()
    if found is None:
        print(missing_browser_message(), file=sys.stderr)
        return 1
    print(f"Chromium for the browser test: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
