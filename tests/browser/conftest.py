"""Fixtures of the browser tests: the example's docs (tests/conftest.py) served on loopback, and Chromium.

A missing browser or driver fails every browser test with a message saying how to install
it: these tests are never skipped.  Every page a test opens must load whole and from the
docs alone (see open_page).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.example_site import (
    INSTALL_SCRIPT,
    VIEWPORT_HEIGHT,
    BrowserMissing,
    launch_chromium,
    serve,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request, Response

OpenPage = Callable[..., "Page"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    parallel = config.pluginmanager.has_plugin("xdist")
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if parallel:  # one worker runs them all: one Chromium, each theme built once
                item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def docs_url(example_html: Path) -> Iterator[str]:
    """The base URL (ending in /) where the built example docs are served."""
    with serve(example_html) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless system Chromium driven by Playwright; its absence fails the test."""
    if importlib.util.find_spec("playwright") is None:
        pytest.fail(f"Playwright for Python is not installed: {INSTALL_SCRIPT} installs it "
                    "(the test extra).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        missing = None
        try:
            chromium = launch_chromium(playwright)
        except BrowserMissing as error:
            missing = str(error)
        if missing is not None:
            pytest.fail(missing, pytrace=False)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser, docs_url: str) -> Iterator[OpenPage]:
    """Open a page of the example docs: ``open_page("settings.html#x", width=800, javascript=False)``.

    Each page gets its own browser context (fresh cookies and storage).  A request for
    anything but the served docs (which Chromium cannot resolve: see CHROMIUM_FLAGS) or a
    file of the docs that fails to load fails the test: pages must be whole and work offline.
    """
    contexts: list[BrowserContext] = []
    outside: list[str] = []
    broken: list[str] = []

    def note_outside(request: Request) -> None:
        if not request.url.startswith(docs_url):
            outside.append(request.url)

    def note_broken(response: Response) -> None:
        if response.status >= 400:
            broken.append(f"{response.status} {response.url}")

    def note_failed(request: Request) -> None:
        if request.url.startswith(docs_url):
            broken.append(f"{request.failure} {request.url}")

    def open_(path: str, *, width: int = 1400, javascript: bool = True) -> Page:
        context = browser.new_context(viewport={"width": width, "height": VIEWPORT_HEIGHT},
                                      java_script_enabled=javascript)
        contexts.append(context)
        context.set_default_timeout(10_000)
        context.on("request", note_outside)
        context.on("response", note_broken)
        context.on("requestfailed", note_failed)
        page = context.new_page()
        page.goto(docs_url + path)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not outside, f"the pages requested files from outside the docs: {outside}"
    assert not broken, f"files of the docs failed to load: {broken}"
