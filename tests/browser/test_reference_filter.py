"""Filtering the settings reference in the page (issue 10).

The filter is expected as a search box in the main content whose accessible name says
"filter" (``<input type="search" aria-label="Filter settings">``, or a <label>), and its
text in the URL as ``?filter=TEXT``.  Until issue 10 ships it, these tests are strict
xfails: the run fails when they start to pass, so that the mark is removed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.example_site import PAGE_KINDS, WIDTHS
from tests.browser.page_metrics import MAIN, SETTING_ROW, visible_setting_ids

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

REFERENCE = PAGE_KINDS["reference"]
TEXT = "celery"
# raises=: only a failed assertion is the expected failure; a missing browser is an error.
NOT_YET = pytest.mark.xfail(strict=True, raises=AssertionError, reason="issue 10: filtering in the page")


def filter_box(page: Page) -> Locator:
    found = page.locator(MAIN).get_by_role("searchbox", name=re.compile("filter", re.IGNORECASE))
    assert found.count() == 1, f"{page.url} has {found.count()} filter boxes in its main content"
    return found


def rows_by_text(page: Page) -> dict[str, str]:
    """Each setting's anchor with the text of its row, as the page shows it now."""
    return page.evaluate(
        f"""() => Object.fromEntries([...document.querySelectorAll('[id^="setting-"]')]
              .map(t => [t.id, (t.closest('{SETTING_ROW}') || t.parentElement).textContent]))""")


def assert_filtered_by(page: Page, text: str, rows: dict[str, str]) -> None:
    """Settings named with *text* are shown; settings whose row never mentions it are hidden."""
    shown = set(visible_setting_ids(page))
    named = {anchor for anchor in rows if text.lower() in anchor.lower()}
    unrelated = {anchor for anchor, row in rows.items() if text.lower() not in row.lower()}
    assert named and unrelated, "the example must have settings on both sides of the filter"
    assert named <= shown, f"hidden though named with {text!r}: {sorted(named - shown)}"
    assert not shown & unrelated, f"shown though unrelated to {text!r}: {sorted(shown & unrelated)}"


@NOT_YET
def test_typing_a_filter_hides_the_right_rows_and_clearing_it_shows_all(open_page):
    page = open_page(REFERENCE)
    rows = rows_by_text(page)
    box = filter_box(page)
    box.fill(TEXT)
    assert_filtered_by(page, TEXT, rows)
    assert parse_qs(urlsplit(page.url).query).get("filter") == [TEXT]
    box.fill("")
    assert sorted(visible_setting_ids(page)) == sorted(rows)


@NOT_YET
@pytest.mark.parametrize("width", WIDTHS)
def test_a_filter_link_opens_filtered(open_page, width):
    rows = rows_by_text(open_page(REFERENCE))
    page = open_page(f"{REFERENCE}?filter={TEXT}", width=width)
    assert filter_box(page).input_value() == TEXT
    assert_filtered_by(page, TEXT, rows)
