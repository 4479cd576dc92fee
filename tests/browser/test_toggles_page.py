"""The feature toggles reference in Chromium, like the settings reference: nothing cut off at
1400 and 800 px, the filter with its facets and ``?filter=`` links, whole without JavaScript.

The page is the test root ``tests/roots/test-toggles`` built once with ``-W`` silenced for
its toggles' own warnings (they are what the root is made of) and served on loopback; the
conftest's ``open_page`` opens it (``docs_url`` is overridden here).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.example_site import WIDTHS, serve
from tests.browser.page_metrics import MAIN, anchor_view, overflows
from tests.helpers import REPO, ROOTS

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

PAGE = "index.html"
ROW = ".opsdocs-setting"
TOGGLES = 14


@pytest.fixture(scope="module")
def docs_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The toggles test root built to HTML, served: the URL ``open_page`` opens pages under."""
    out = tmp_path_factory.mktemp("toggles-html")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html",
                             str(ROOTS / "test-toggles"), str(out)],
                            cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    with serve(out) as url:
        yield url


def visible_toggles(page: Page) -> list[str]:
    """The names of the toggles whose entry the reader can see, in order."""
    names: list[str] = page.evaluate(
        """(row) => [...document.querySelectorAll(row)]
             .filter(r => r.checkVisibility() && r.getBoundingClientRect().height > 0)
             .map(r => r.querySelector('.opsdocs-setting-name').textContent)""", ROW)
    return names


def filter_box(page: Page) -> Locator:
    found = page.locator(MAIN).get_by_role("searchbox", name=re.compile("filter toggles", re.I))
    assert found.count() == 1
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_nothing_is_cut_off(open_page, width, javascript):
    page = open_page(PAGE, width=width, javascript=javascript)
    found = overflows(page)
    assert not found, "\n".join(str(overflow) for overflow in found)


def test_the_page_is_whole_without_javascript(open_page):
    with_script = open_page(PAGE)
    without = open_page(PAGE, javascript=False)
    assert len(visible_toggles(without)) == TOGGLES
    assert without.locator("form.opsdocs-filter").is_hidden()
    text = f"() => [...document.querySelectorAll('{ROW}')].map(r => r.innerText)"
    assert without.evaluate(text) == with_script.evaluate(text)
    # a shared filter link shows everything to a reader without scripts
    filtered = open_page(f"{PAGE}?filter=async", javascript=False)
    assert len(visible_toggles(filtered)) == TOGGLES


def test_typing_a_filter_narrows_the_toggles_and_lives_in_the_url(open_page):
    page = open_page(PAGE)
    box = filter_box(page)
    box.fill("async")
    assert visible_toggles(page) == ["reports.async_export", "reports.async_export"]
    assert parse_qs(urlsplit(page.url).query)["filter"] == ["async"]
    assert page.locator(".opsdocs-filter-count").inner_text() == "2 of 14 toggles"
    box.fill("")
    assert len(visible_toggles(page)) == TOGGLES
    assert page.locator(".opsdocs-filter-count").inner_text() == "14 toggles"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_filter_link_opens_filtered(open_page, width):
    page = open_page(f"{PAGE}?filter=exports&only=past-due", width=width)
    assert filter_box(page).input_value() == "exports"
    assert visible_toggles(page) == ["reports.async_export"]


def test_facets_and_implementations_narrow(open_page):
    page = open_page(PAGE)
    page.get_by_role("checkbox", name=re.compile("^Undocumented")).check()
    assert visible_toggles(page) == ["reports.preview", "reports.show_prices", "reports.{name}"]
    assert parse_qs(urlsplit(page.url).query)["only"] == ["undocumented"]
    page.get_by_role("checkbox", name=re.compile("^Undocumented")).uncheck()
    page.get_by_label("Implementation").select_option("WaffleSwitch")
    assert visible_toggles(page) == ["reports.large_exports", "reports.preview",
                                     "reports.{name}"]
    page.get_by_label("Implementation").select_option("")
    page.get_by_role("checkbox", name=re.compile("^Use case: open_edx")).check()
    assert len(visible_toggles(page)) == 5


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_link_to_a_toggle_lands_on_its_entry(open_page, javascript):
    page = open_page(f"{PAGE}#toggle-reports.csv_streaming", width=800, javascript=javascript)
    view = anchor_view(page, "toggle-reports.csv_streaming")
    assert view.in_viewport, view
    assert view.row_text.startswith("reports.csv_streaming")
    page.locator(f"{MAIN} a.reference[href='#toggle-reports.async_export']").click()  # :toggle:
    assert anchor_view(page, "toggle-reports.async_export").in_viewport


def test_a_filtered_out_toggle_is_shown_when_linked(open_page):
    page = open_page(f"{PAGE}?filter=preview")
    assert visible_toggles(page) == ["reports.preview"]
    page.goto(page.url.split("?")[0] + "?filter=preview#toggle-reports.csv_streaming")
    page.evaluate("() => window.dispatchEvent(new HashChangeEvent('hashchange'))")
    assert "reports.csv_streaming" in visible_toggles(page)


def test_the_source_link_names_the_file_and_line(open_page):
    page = open_page(PAGE)
    row = page.locator(f"{ROW}#toggle-reports\\.csv_streaming")
    assert row.locator(".opsdocs-setting-source").inner_text().endswith(
        "tree/reports/toggles.py, line 28")
