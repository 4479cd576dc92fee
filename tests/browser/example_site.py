"""The example service's docs as a reader gets them: built, served on loopback, opened in Chromium.

Shared by the browser tests (tests/browser/conftest.py) and scripts/screenshots.py.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.helpers import EXAMPLE, REPO

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

EXAMPLE_DOCS = EXAMPLE / "docs"

# Each kind of page the example shows, by the built file that shows it.
PAGE_KINDS = {
    "reference": "settings.html",
    "manual": "operations/index.html",
    "changelog": "changelog.html",
    "configuration": "configuration.html",
    "dockerfile": "dockerfile.html",
    "upgrading": "upgrading.html",
}
#: Every page the example's sources make, the ones above included.
EXAMPLE_PAGES = tuple(sorted(
    path.relative_to(EXAMPLE_DOCS).with_suffix(".html").as_posix()
    for path in EXAMPLE_DOCS.rglob("*.rst") if "_build" not in path.parts))
WIDTHS = (1400, 800)
VIEWPORT_HEIGHT = 900

# The browser and its flags.  Only the system Chromium is used: Playwright's own browser
# download does not work on machines that reach nothing but the package registries.  Host
# names other than the loopback server's do not resolve: pages are tested as they work offline.
CHROMIUM_ENV = "OPSDOCS_CHROMIUM"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
INSTALL_SCRIPT = "scripts/install-test-deps"


class BrowserMissing(RuntimeError):
    """Chromium or Playwright cannot be found or started; the message says what to do."""


def build_example_docs(out: Path, theme: str | None = None) -> Path:
    """Build example_ida/docs to HTML in *out* with ``-W``; raise with Sphinx's output when
    it fails or says anything."""
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
               str(EXAMPLE_DOCS), str(out)]
    if theme is not None:
        command[3:3] = ["-D", f"html_theme={theme}"]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if result.returncode != 0 or result.stdout or result.stderr:
        raise RuntimeError(f"sphinx-build of {EXAMPLE_DOCS} failed:\n{result.stdout}{result.stderr}")
    return out


# An objects.inv entry, as Sphinx reads it (a name may contain spaces).
_INVENTORY_LINE = re.compile(r"(?P<name>.+?)\s+(?P<role>\S+)\s+-?\d+\s+?(?P<uri>\S*)\s+.*")


def inventory_settings(html: Path) -> dict[str, str]:
    """The settings the built docs' objects.inv lists, each with its URI relative to *html*."""
    header_lines = 4
    *_, compressed = (html / "objects.inv").read_bytes().split(b"\n", header_lines)
    settings = {}
    for line in zlib.decompress(compressed).decode().splitlines():
        entry = _INVENTORY_LINE.match(line)
        if entry is not None and entry["role"] == "std:setting":
            name, uri = entry["name"], entry["uri"]
            settings[name] = uri.replace("$", name) if uri.endswith("$") else uri
    return settings


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve *directory* over HTTP on 127.0.0.1 at a free port; yield the base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="example-docs-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def chromium_path() -> str:
    """The Chromium to drive: $OPSDOCS_CHROMIUM, else ``chromium`` on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        if not os.access(configured, os.X_OK):
            raise BrowserMissing(f"{CHROMIUM_ENV}={configured} is not an executable file.")
        return configured
    found = shutil.which("chromium")
    if found is None:
        raise BrowserMissing(
            f"No Chromium: the browser tests need headless Chromium on PATH as `chromium`, "
            f"or its path in ${CHROMIUM_ENV}; {INSTALL_SCRIPT} installs Debian's chromium package."
        )
    return found


def launch_chromium(playwright: Playwright) -> Browser:
    """Start the system Chromium headless, with a fresh profile, through Playwright."""
    executable = chromium_path()
    try:
        # launch() gives every browser a new temporary profile (user-data-dir).
        return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
    except Exception as error:
        raise BrowserMissing(f"Chromium at {executable} did not start: {error}") from error
