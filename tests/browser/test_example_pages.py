"""The example's pages as a reader gets them in Chromium: links land, nothing is cut off, no script is needed.

"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.example_site import EXAMPLE_PAGES, PAGE_KINDS, WIDTHS, inventory_settings
from tests.browser.page_metrics import (
    MAIN,
    SETTING_ROW,
    anchor_view,
    overflows,
    setting_row,
    visible_setting_ids,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

REFERENCE = PAGE_KINDS["reference"]
# Pages that link to settings with :setting:, each with one of the settings it links to.
SETTING_LINKS = {"index.html": "SECRET_KEY", "operations/index.html": "DATABASES",
                 "changelog.html": "FEATURES"}


def names(name: str, text: str) -> bool:
    """Whether *text* names the setting *name* as a whole word."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


@pytest.fixture(scope="module")
def settings(example_html: Path) -> dict[str, str]:
    """The settings objects.inv lists on the reference page, by name."""
    found = {name: uri for name, uri in inventory_settings(example_html).items()
             if uri.startswith(REFERENCE + "#")}
    assert len(found) >= 30, found
    return found


def anchor_of(href: str) -> str:
    return href.split("#", 1)[1]


def assert_lands_on_row(page: Page, anchor: str) -> None:
    view = anchor_view(page, anchor)
    assert view.in_viewport, (anchor, view)
    assert names(anchor.removeprefix("setting-"), view.text), (anchor, view)


@pytest.mark.parametrize("path", SETTING_LINKS)
def test_setting_links_name_the_setting_they_link_to(open_page, path):
    page = open_page(path)
    links = page.locator(f'{MAIN} a[href*="{REFERENCE}#setting-"]')
    found = [(anchor_of(link.get_attribute("href") or ""), link.inner_text()) for link in links.all()]
    assert f"setting-{SETTING_LINKS[path]}" in dict(found), found
    for anchor, text in found:
        assert names(anchor.removeprefix("setting-"), text), (anchor, text)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", SETTING_LINKS)
def test_clicking_a_setting_link_lands_on_its_row(open_page, path, width):
    page = open_page(path, width=width)
    source = page.url
    hrefs = sorted({link.get_attribute("href") or ""
                    for link in page.locator(f'{MAIN} a[href*="{REFERENCE}#setting-"]').all()})
    assert hrefs
    for href in {hrefs[0], hrefs[-1]}:
        page.goto(source)
        page.locator(f'{MAIN} a[href="{href}"]').first.click()
        page.wait_for_url(f"**/{REFERENCE}#{anchor_of(href)}")
        assert_lands_on_row(page, anchor_of(href))


def test_each_row_permalink_links_to_its_own_row(open_page, settings):
    page = open_page(REFERENCE)
    anchors = sorted(anchor_of(uri) for uri in settings.values())
    permalinks = page.evaluate(
        f"""ids => ids.map(id => [...document.getElementById(id).closest('{SETTING_ROW}')
                                 .querySelectorAll('a.headerlink')].map(a => a.getAttribute('href')))""",
        anchors)
    assert permalinks == [[f"#{anchor}"] for anchor in anchors]


@pytest.mark.parametrize("width", WIDTHS)
def test_clicking_a_row_permalink_lands_on_that_row(open_page, settings, width):
    page = open_page(REFERENCE, width=width)
    anchors = [anchor_of(uri) for uri in settings.values()]
    for anchor in (anchors[0], anchors[len(anchors) // 2], anchors[-1]):
        row = setting_row(page, anchor)
        row.hover()
        row.locator("a.headerlink").click()
        assert page.url.endswith(f"/{REFERENCE}#{anchor}")
        assert_lands_on_row(page, anchor)


@pytest.mark.parametrize(("width", "javascript"), [(1400, True), (800, False)],
                         ids=["1400-js", "800-no-js"])
def test_every_setting_anchor_lands_on_its_row(open_page, settings, width, javascript):
    page = open_page(REFERENCE, width=width, javascript=javascript)
    for uri in settings.values():
        page.goto(page.url.split("#")[0] + "#" + anchor_of(uri))
        assert_lands_on_row(page, anchor_of(uri))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", WIDTHS)
def test_a_shared_setting_link_opens_at_its_row(open_page, docs_url, settings, width, javascript):
    """Opened afresh, as from another site: scripts that change the page must not move the row away."""
    page = open_page("index.html", width=width, javascript=javascript)
    anchors = [anchor_of(uri) for uri in settings.values()]
    for anchor in (anchors[0], anchors[len(anchors) // 2], anchors[-1]):
        page.goto("about:blank")
        page.goto(f"{docs_url}{REFERENCE}#{anchor}")
        assert_lands_on_row(page, anchor)


@pytest.mark.parametrize("path", [p for p in PAGE_KINDS.values() if p != REFERENCE])
def test_section_and_command_permalinks_land_on_their_heading(open_page, path):
    page = open_page(path, width=800)
    anchors = [anchor_of(href) for href in
               page.locator(f"{MAIN} a.headerlink").evaluate_all("links => links.map(a => a.href)")]
    assert anchors, f"{path} has no permalinks"
    for anchor in anchors:
        page.goto(page.url.split("#")[0] + "#" + anchor)
        view = anchor_view(page, anchor)
        assert view.in_viewport, (anchor, view)


def test_the_reference_is_complete_without_javascript(open_page, settings):
    with_script = open_page(REFERENCE)
    without = open_page(REFERENCE, javascript=False)
    expected = sorted(anchor_of(uri) for uri in settings.values())
    assert sorted(visible_setting_ids(without)) == expected
    row_text = f"ids => ids.map(id => document.getElementById(id).closest('{SETTING_ROW}').innerText)"
    assert without.evaluate(row_text, expected) == with_script.evaluate(row_text, expected)


@pytest.mark.parametrize("path", [p for p in PAGE_KINDS.values() if p != REFERENCE])
def test_other_pages_read_the_same_without_javascript(open_page, path):
    with_script = open_page(path)
    without = open_page(path, javascript=False)
    text = without.locator(MAIN).inner_text()
    assert len(text) > 500
    assert text == with_script.locator(MAIN).inner_text()


def test_a_filter_link_without_javascript_shows_every_setting(open_page, settings):
    page = open_page(f"{REFERENCE}?filter=celery", javascript=False)
    assert len(visible_setting_ids(page)) == len(settings)


def test_every_page_kind_is_a_page_of_the_example():
    assert set(PAGE_KINDS.values()) <= set(EXAMPLE_PAGES)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", EXAMPLE_PAGES)
def test_nothing_overflows(open_page, path, width):
    page = open_page(path, width=width)
    assert_nothing_overflows(page, f"{path} at {width}px")


def assert_nothing_overflows(page: Page, what: str) -> None:
    found = overflows(page)
    if found:  # raised rather than asserted, so that the report is not followed by the list's repr
        raise AssertionError(f"{what}, too wide: {len(found)}\n"
                             + "\n".join(f"  {overflow}" for overflow in found))


@pytest.mark.parametrize("width", WIDTHS)
def test_a_source_link_lands_on_its_line_in_the_copy(open_page, width):
    page = open_page(REFERENCE, width=width)
    link = setting_row(page, "setting-SECRET_KEY").locator(".opsdocs-setting-source a")
    assert link.inner_text().startswith("example_ida/example_ida/settings/required.py, line ")
    line = link.inner_text().rsplit(" ", 1)[1]
    link.click()
    page.wait_for_url(f"**/_opsdocs_source/example_ida/example_ida/settings/required.py.html#L{line}")
    view = anchor_view(page, f"L{line}")
    assert view.in_viewport, view
    assert view.text == "SECRET_KEY: str"
    assert_nothing_overflows(page, f"the copy of required.py at {width}px")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sample_config_s_79_columns_fit_unwrapped(open_page, width):
    # The sample is written 79 columns wide (a URL may be longer): that many fit a line.
    page = open_page(PAGE_KINDS["configuration"], width=width)
    room, needed, font_size = page.evaluate("""() => {
        const pre = document.querySelector('.opsdocs-sample-config pre');
        const style = getComputedStyle(pre);
        const line = document.createElement('span');
        line.textContent = 'x'.repeat(79);
        line.style.whiteSpace = 'pre';
        pre.appendChild(line);
        const needed = line.getBoundingClientRect().width;
        line.remove();
        const room = pre.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return [room, needed, parseFloat(style.fontSize)];
    }""")
    assert needed <= room and font_size >= 11
