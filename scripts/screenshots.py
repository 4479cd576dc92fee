"""Build the example service's docs and save a PNG of each kind of page at each width.

Usage (after scripts/install-test-deps)::

    .venv/bin/python scripts/screenshots.py OUTPUT_FOLDER [--full-page] [--theme THEME]
    .venv/bin/python scripts/screenshots.py docs/screenshots   # the docs' screenshots page

Writes OUTPUT_FOLDER/<kind>-<width>.png for the reference, manual, changelog,
configuration and Dockerfile pages at 1400 and 800 px, with the system Chromium the
browser tests use.  ``docs/screenshots.rst`` shows those of ``docs/screenshots/``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.example_site import (
    PAGE_KINDS,
    VIEWPORT_HEIGHT,
    WIDTHS,
    BrowserMissing,
    build_example_docs,
    launch_chromium,
    serve,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="folder to write the PNGs to (created if missing)")
    parser.add_argument("--full-page", action="store_true",
                        help="the whole page, not the first screen (%(default)s)")
    parser.add_argument("--theme", help="build with this HTML theme instead of the example's own")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as html, sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except BrowserMissing as error:
            print(f"screenshots: {error}", file=sys.stderr)
            return 1
        with serve(build_example_docs(Path(html), args.theme)) as url:
            for target in shoot(browser, url, args.output, full_page=args.full_page):
                print(target)
        browser.close()
    return 0


def shoot(browser: Browser, url: str, output: Path, *, full_page: bool) -> Iterator[Path]:
    """Save each kind of page served at *url* at each width; yield the files written."""
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": VIEWPORT_HEIGHT})
        for kind, path in PAGE_KINDS.items():
            page.goto(url + path)
            target = output / f"{kind}-{width}.png"
            page.screenshot(path=target, full_page=full_page)
            yield target
        page.close()

if __name__ == "__main__":
    sys.exit(main())
