"""The browser measures themselves, on small pages whose answer is known."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser.page_metrics import anchor_view, box, overflows, visible_setting_ids

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

STYLE = "<style>body { margin: 0; font: 16px monospace; } div[role=main] { width: 300px; }</style>"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 800, "height": 600})
    yield context.new_page()
    context.close()


def show(page: Page, main: str) -> Page:
    page.set_content(f"{STYLE}<div role=main>{main}</div>")
    return page


def test_content_that_fits_reports_nothing(page):
    show(page, "<p>short words wrap within the column " * 20 + "</p><pre>fits</pre>")
    assert overflows(page) == []


def test_a_scrolling_code_block_is_clipped(page):
    show(page, "<section id=s><pre style='overflow-x: auto'>" + "x" * 100 + "</pre></section>")
    [found] = overflows(page)
    assert (found.kind, found.selector, found.room) == ("clipped", "#s > pre", 300)
    assert found.need > 900
    assert found.text == "x" * 60
    assert str(found).startswith("clipped: #s > pre needs ")


def test_a_wide_table_is_reported_where_it_sticks_out_not_in_each_ancestor(page):
    show(page, "<section id=s><div class=wrap><table class='env wide' style='width: 320px'>"
               "<tr><td>NAME</td></tr></table></div></section>")
    [found] = overflows(page)
    assert (found.kind, found.selector) == ("sticks out of its parent", "#s > div.wrap > table.env.wide")
    assert (found.need, found.room) == (320, 300)


def test_a_negative_margin_reaches_out_on_purpose_but_no_further(page):
    show(page, "<div><section id=s><h1 style='margin: 0 -8px'>Title</h1></section></div>"
               "<section id=t><h2 style='margin: 0 -8px; width: 330px'>Too wide</h2></section>")
    [found] = overflows(page)
    assert (found.kind, found.selector, found.text) == (
        "sticks out of its parent", "#t > h2", "Too wide")


def test_an_unbreakable_word_spills_from_its_paragraph(page):
    show(page, "<p>" + "y" * 60 + "</p>")
    [found] = overflows(page)
    assert (found.kind, found.selector) == ("spills", 'div > p')


def test_rows_name_the_setting_an_overflow_is_in(page):
    show(page, "<div class=opsdocs-setting id=setting-LOGGING><p>LOGGING</p>"
               "<pre style='overflow: auto'>" + "z" * 80 + "</pre></div>")
    [found] = overflows(page)
    assert found.anchor == "setting-LOGGING"
    assert str(found).startswith("clipped: #setting-LOGGING > pre needs ")


def test_a_page_wider_than_the_window_is_reported(page):
    page.set_content("<body style='margin: 0'><div role=main style='width: 2000px'>wide</div></body>")
    found = overflows(page)
    assert [(f.kind, f.need, f.room) for f in found] == [("page scrolls sideways", 2000, 800)]


def test_box_and_anchor_view(page):
    page.set_content(f"{STYLE}<div role=main><div style='height: 2000px'></div>"
                     "<div class=opsdocs-setting id=setting-DEBUG><p>DEBUG</p><p>on or off</p></div>"
                     "<div style='height: 2000px'></div></div>")
    assert anchor_view(page, "setting-DEBUG").in_viewport is False
    page.evaluate("location.hash = '#setting-DEBUG'")
    view = anchor_view(page, "setting-DEBUG")
    assert view.in_viewport
    assert (view.text, view.row_text) == ("DEBUG on or off", "DEBUG on or off")
    assert box(page.locator(".opsdocs-setting")).y == pytest.approx(view.top)
    with pytest.raises(AssertionError, match="no element with id 'setting-NONE'"):
        anchor_view(page, "setting-NONE")


def test_an_empty_marker_names_its_parent(page):
    page.set_content(f"{STYLE}<div role=main><div style='height: 2000px'></div>"
                     "<p><span id=setting-DEBUG></span>DEBUG</p><div style='height: 2000px'></div></div>")
    page.evaluate("location.hash = '#setting-DEBUG'")
    view = anchor_view(page, "setting-DEBUG")
    assert view.in_viewport
    assert view.text == "DEBUG"
    assert box(page.locator("p")).y == pytest.approx(view.top)


def test_a_target_under_a_sticky_header_is_not_in_view(page):
    page.set_content("<header style='position: sticky; top: 0; height: 100px; background: #fff'>"
                     "menu</header><div style='height: 2000px'></div>"
                     "<p><span id=setting-DEBUG></span>DEBUG</p><div style='height: 2000px'></div>")
    page.evaluate("location.hash = '#setting-DEBUG'")
    view = anchor_view(page, "setting-DEBUG")
    assert 0 <= view.top < view.viewport_height
    assert not view.uncovered
    assert not view.in_viewport


def test_visible_settings_leave_out_hidden_rows(page):
    show(page, "<div class=opsdocs-setting id=setting-A>A</div>"
               "<div class=opsdocs-setting id=setting-B hidden>B</div>"
               "<div class=opsdocs-setting id=setting-C style='display: none'>C</div>"
               "<section hidden><div class=opsdocs-setting id=setting-E>E</div></section>"
               "<div class=opsdocs-setting id=setting-D>D</div>")
    assert visible_setting_ids(page) == ["setting-A", "setting-D"]
