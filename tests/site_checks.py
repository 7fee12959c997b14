"""What the browser test checks on a page of a built site, as functions of their own,
so that ``tests/test_site.py`` can prove them on a small broken site as well as run
them on the book.

- :class:`StaticSite` serves a folder on 127.0.0.1 (a thread, stopped on exit).
- :func:`open_page` loads a page in Chromium and records console errors, uncaught
  exceptions, failed requests and requests that leave the site.
- :func:`broken_images` lists images that did not load (natural width 0).
- :func:`broken_internal_links` lists links into the site whose file or anchor is missing.
"""

from __future__ import annotations

import functools
import http.server
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from browser import LAUNCH_ARGS, find_chromium, missing_browser_message


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


class StaticSite:
    """``with StaticSite(folder) as site:`` serves ``folder`` at ``site.url`` (loopback only)."""

    def __init__(self, root):
        self.root = Path(root)
        handler = functools.partial(_QuietHandler, directory=str(self.root))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def launch_chromium(playwright):
    """A headless Chromium (see ``tests/browser.py``); a clear error if there is none."""
    executable = find_chromium()
    if executable is None:
        raise RuntimeError(missing_browser_message())
    return playwright.chromium.launch(executable_path=str(executable), headless=True, args=LAUNCH_ARGS)


@dataclass
class PageVisit:
    """What happened while a page loaded."""

    url: str
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)
    external_requests: list = field(default_factory=list)

    def problems(self):
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"uncaught exception: {m}" for m in self.page_errors]
                + [f"failed request: {m}" for m in self.failed_requests]
                + [f"request outside the site (the site must work offline): {m}" for m in self.external_requests])


def open_page(page, url, site_url):
    """Load ``url`` in ``page`` (a Playwright page) and return a :class:`PageVisit`.

    Requests outside ``site_url`` are refused and recorded: the built book must
    not depend on anything but its own files.
    """
    visit = PageVisit(url)

    def refuse_external(route):
        visit.external_requests.append(route.request.url)
        route.abort()

    def on_response(response):
        if response.status >= 400:
            visit.failed_requests.append(f"{response.status} {response.url}")

    page.route(lambda u: not (u.startswith(site_url) or u.startswith("data:")), refuse_external)
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: None if r.url in visit.external_requests
            else visit.failed_requests.append(f"{r.failure} {r.url}"))
    page.on("response", on_response)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return visit


def broken_images(page):
    """The ``src`` of every image on the page that has not loaded."""
    return page.evaluate("""() => Array.from(document.images)
        .filter(img => !(img.complete && img.naturalWidth > 0))
        .map(img => img.getAttribute('src'))""")


def page_links(page):
    """Every link of the page, as the browser resolves it: ``[(href attribute, absolute URL)]``."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('a[href]'))
        .map(a => [a.getAttribute('href'), a.href])""")


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)


@functools.lru_cache(maxsize=None)
def _ids_in(path):
    parser = _Ids()
    parser.feed(Path(path).read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def _file_for(site_root, url_path):
    target = Path(site_root) / unquote(url_path).lstrip("/")
    if target.is_dir():
        target = target / "index.html"
    return target


def broken_internal_links(links, site_url, site_root):
    """Links into the site whose file does not exist, or whose ``#anchor`` is not on the target page.

    ``links`` as :func:`page_links` gives them. Returns ``[(href attribute, reason)]``.
    """
    broken = []
    for href, absolute in links:
        if not absolute.startswith(site_url):
            continue  # another site, mailto:, javascript:...
        address, fragment = urldefrag(absolute)
        target = _file_for(site_root, urlsplit(address).path)
        if not target.is_file():
            broken.append((href, f"no file {target.relative_to(site_root)}"))
        elif fragment and target.suffix == ".html" and unquote(fragment) not in _ids_in(str(target)):
            broken.append((href, f"no anchor #{fragment} in {target.relative_to(site_root)}"))
    return broken


def overflowing_blocks(page):
    """Tables and code blocks wider than the page's text column that don't scroll in a box of
    their own (a table: itself, with the scroll cue of ``_static/book.css``; a code block: any
    box with a scrollbar), narrow tables in a frame wider than their rows, and whether the
    whole page scrolls sideways: ``[description]``."""
    return page.evaluate("""() => {
      const article = document.querySelector('article') || document.body;
      const limit = article.getBoundingClientRect().right + 1;
      // A code block may scroll in any box (a scrollbar shows); a table must scroll itself,
      // where _static/book.css draws the shadow that says more columns are there.
      const scrollable = el => {
        const top = el.tagName === 'TABLE' ? el.parentElement : article.parentElement;
        for (let node = el; node && node !== top; node = node.parentElement) {
          const style = getComputedStyle(node);
          if (['auto', 'scroll'].includes(style.overflowX)
              && node.getBoundingClientRect().right <= limit) return true;
        }
        return false;
      };
      const found = [];
      for (const el of article.querySelectorAll('table, pre')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0) continue;  // folded away
        if ((box.right > limit || el.scrollWidth > el.clientWidth + 1) && !scrollable(el)) {
          const text = (el.innerText || '').trim().split('\\n')[0].slice(0, 60);
          found.push(`${el.tagName.toLowerCase()} "${text}" is ${Math.round(el.scrollWidth)} px wide, `
                     + `past the column's edge at ${Math.round(limit)} px, and does not scroll`);
        }
      }
      // A narrow table's box hugs its rows: a box wider than the rows shows as an empty frame
      // (a dark block in dark mode).
      for (const el of article.querySelectorAll('table')) {
        // The widest row: a phone layout may hide the header row (appendix/deck.md's cards).
        const widths = [...el.querySelectorAll('tr')].map(r => r.getBoundingClientRect().width);
        const box = el.getBoundingClientRect();
        if (!widths.length || box.width === 0) continue;
        const rows = Math.max(...widths);
        if (el.scrollWidth <= el.clientWidth + 1 && box.width > rows + 8) {
          const text = (el.innerText || '').trim().split('\\n')[0].slice(0, 60);
          found.push(`table "${text}" sits in a ${Math.round(box.width)} px frame around `
                     + `${Math.round(rows)} px of rows`);
        }
      }
      const page = document.documentElement;
      if (page.scrollWidth > window.innerWidth + 1)
        found.push(`the page scrolls sideways: ${page.scrollWidth} px wide in a ${window.innerWidth} px window`);
      return found;
    }""")


def figure_problems(page):
    """Figures of the page's content (images in cell outputs or figures) without a numbered
    caption or meaningful alt text, or with fewer pixels than twice their displayed width."""
    return page.evaluate("""() => {
      const found = [];
      const images = document.querySelectorAll('article .cell_output img, article figure img');
      for (const img of images) {
        const src = img.getAttribute('src') || '';
        const alt = (img.getAttribute('alt') || '').trim();
        const figure = img.closest('figure');
        const caption = figure && figure.querySelector('figcaption');
        if (!caption || !/Fig\\.?\\s*\\d|Figure\\s*\\d/.test(caption.innerText))
          found.push(`${src}: no numbered caption`);
        if (alt.length < 15 || /\\.(png|svg|jpe?g)$/i.test(alt) || alt.includes('/'))
          found.push(`${src}: alt text ${JSON.stringify(alt)} does not describe the figure`);
        const shown = img.getBoundingClientRect().width;
        if (shown > 0 && !/\\.svg$/i.test(src) && img.naturalWidth < 2 * shown - 1)
          found.push(`${src}: ${img.naturalWidth} px shown ${Math.round(shown)} px wide (needs 2x, or SVG)`);
      }
      return found;
    }""")


def prev_next(page):
    """The hrefs of the page's "Previous" and "Next" links, as absolute URLs."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.prev-next-area a'))
        .map(a => a.href)""")


def links_above_the_fold(page):
    """Absolute URLs of the visible links whose top lies within the first screen."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('article a[href]'))
        .filter(a => { const box = a.getBoundingClientRect();
                       return box.width > 0 && box.top >= 0 && box.bottom <= window.innerHeight; })
        .map(a => a.href)""")
