"""Filtering the settings reference in the page (issue 10).

The filter is a search box in the main content whose accessible name says "filter"
(``<input type="search" aria-label="Filter settings">``), its text in the URL as
``?filter=TEXT``; facets are checkboxes, their state in the URL as ``?only=KEY,KEY``.
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


def test_typing_a_filter_hides_the_right_rows_and_clearing_it_shows_all(open_page):
    page = open_page(REFERENCE)
    rows = rows_by_text(page)
    box = filter_box(page)
    box.fill(TEXT)
    assert_filtered_by(page, TEXT, rows)
    assert parse_qs(urlsplit(page.url).query).get("filter") == [TEXT]
    box.fill("")
    assert sorted(visible_setting_ids(page)) == sorted(rows)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_filter_link_opens_filtered(open_page, width):
    rows = rows_by_text(open_page(REFERENCE))
    page = open_page(f"{REFERENCE}?filter={TEXT}", width=width)
    assert filter_box(page).input_value() == TEXT
    assert_filtered_by(page, TEXT, rows)


def settings_with_badge(page: Page, badge: str) -> set[str]:
    """The anchors of the settings whose row shows *badge*."""
    return set(page.evaluate(
        """(badge) => [...document.querySelectorAll('.opsdocs-setting')]
             .filter(row => [...row.querySelectorAll('.opsdocs-badge')]
                            .some(b => b.textContent.trim() === badge))
             .map(row => row.id)""", badge))


def test_a_facet_narrows_to_the_settings_that_have_it_and_lives_in_the_url(open_page):
    page = open_page(REFERENCE)
    required = settings_with_badge(page, "required")
    assert 3 < len(required) < len(visible_setting_ids(page))
    page.locator(MAIN).get_by_role("checkbox", name=re.compile("^Required")).check()
    assert set(visible_setting_ids(page)) == required
    assert parse_qs(urlsplit(page.url).query).get("only") == ["required"]
    assert page.locator(".opsdocs-filter-count").inner_text() == f"{len(required)} of 38 settings"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_link_with_facets_opens_filtered_and_required_secrets_are_secret(open_page, width):
    page = open_page(f"{REFERENCE}?only=secret,required", width=width)
    assert page.locator(MAIN).get_by_role("checkbox", name=re.compile("^Secret")).is_checked()
    secrets = settings_with_badge(page, "secret") & settings_with_badge(page, "required")
    assert "setting-SECRET_KEY" in secrets
    assert set(visible_setting_ids(page)) == secrets


def test_a_section_and_summaries_only(open_page):
    page = open_page(f"{REFERENCE}?group=Celery&summary=1")
    shown = visible_setting_ids(page)
    assert shown and all(anchor.startswith("setting-CELERY_") for anchor in shown)
    # Other sections are hidden whole, headings included; the filter stays.
    assert page.locator("section#settings-Celery").is_visible()
    assert not page.locator("section#settings-Security").is_visible()
    # Summaries only: each setting's head and facts, not its documentation.
    row = page.locator(f"#{shown[0]}")
    assert row.locator(".opsdocs-setting-facts").is_visible()
    assert not row.locator(".opsdocs-setting-body").is_visible()
    page.locator(MAIN).get_by_role("checkbox", name="Summaries only").uncheck()
    assert row.locator(".opsdocs-setting-body").is_visible()
    assert "summary" not in parse_qs(urlsplit(page.url).query)


def test_a_link_to_a_setting_the_filter_hides_clears_the_filter(open_page):
    page = open_page(f"{REFERENCE}?filter={TEXT}")
    assert "setting-SECRET_KEY" not in visible_setting_ids(page)
    page.evaluate("location.hash = '#setting-SECRET_KEY'")
    page.wait_for_function("!document.getElementById('setting-SECRET_KEY').hidden")
    assert filter_box(page).input_value() == ""
    assert len(visible_setting_ids(page)) == 38


def test_without_javascript_there_is_no_filter_to_misuse(open_page):
    page = open_page(f"{REFERENCE}?only=required", javascript=False)
    assert page.locator(MAIN).get_by_role("searchbox").count() == 0
    assert len(visible_setting_ids(page)) == 38
