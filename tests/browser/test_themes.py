"""The example's pages in the themes Read the Docs users pick, and in their dark modes.

alabaster (the example's own theme) is what the other browser tests open; here the
example is built again with sphinx_rtd_theme and furo, whose dark mode follows the
reader's colour scheme.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser.example_site import PAGE_KINDS, VIEWPORT_HEIGHT, WIDTHS, build_example_docs, serve
from tests.browser.page_metrics import MAIN, visible_setting_ids
from tests.browser.test_example_pages import assert_nothing_overflows
from tests.browser.test_reference_filter import TEXT, assert_filtered_by, filter_box, rows_by_text
from tests.browser.test_what_a_reader_reads import (
    assert_an_empty_filter_says_so,
    assert_the_dockerfile_page_reads_whole,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

THEMES = ("sphinx_rtd_theme", "furo")
REFERENCE = PAGE_KINDS["reference"]


@pytest.fixture(scope="module", params=THEMES)
def themed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           browser: Browser) -> Iterator[tuple[str, str]]:
    """The theme, and the base URL of the example's docs built with it."""
    html = build_example_docs(tmp_path_factory.mktemp(request.param), theme=request.param)
    with serve(html) as url:
        yield request.param, url


def open_themed(browser: Browser, url: str, width: int, scheme: str = "light") -> Page:
    context = browser.new_context(viewport={"width": width, "height": VIEWPORT_HEIGHT},
                                  color_scheme=scheme)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(url)
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_overflows_in_each_theme(browser, themed, width):
    theme, url = themed
    for path in PAGE_KINDS.values():
        page = open_themed(browser, url + path, width)
        assert_nothing_overflows(page, f"{path} in {theme} at {width}px")
        page.context.close()


def test_the_filter_works_in_each_theme(browser, themed):
    _, url = themed
    page = open_themed(browser, url + REFERENCE, 1400)
    rows = rows_by_text(page)
    filter_box(page).fill(TEXT)
    assert_filtered_by(page, TEXT, rows)
    page.context.close()


def test_a_filter_that_matches_nothing_says_so_in_each_theme(browser, themed):
    theme, url = themed
    page = open_themed(browser, url + REFERENCE, 1400)
    assert_an_empty_filter_says_so(page, theme)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_dockerfile_page_reads_whole_in_each_theme(browser, themed, width):
    theme, url = themed
    page = open_themed(browser, url + PAGE_KINDS["dockerfile"], width)
    assert_the_dockerfile_page_reads_whole(page, f"{theme} at {width}px")
    page.context.close()


# The contrast ratio (as WCAG defines it) of the first elements *selector* finds with what
# is behind them.
_CONTRAST_JS = """
([selector]) => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map(c => {
    c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const colour = getComputedStyle(e).backgroundColor;
      if (colour && !colour.startsWith('rgba(0, 0, 0, 0)') && colour !== 'transparent') return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  // Text drawn with opacity is the text's colour mixed with what is behind it.
  const opacity = (el) => {
    let value = 1;
    for (let e = el; e; e = e.parentElement) value *= Number(getComputedStyle(e).opacity);
    return value;
  };
  return [...document.querySelectorAll(selector)].slice(0, 20).map(el => {
    const back = rgb(background(el)), alpha = opacity(el);
    const front = rgb(getComputedStyle(el).color).map((c, i) => c * alpha + back[i] * (1 - alpha));
    const [a, b] = [luminance(front), luminance(back)];
    return [el.textContent.trim().slice(0, 30), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_what_opsdocs_styles_reads_in_light_and_dark(browser, themed, scheme):
    """Names, facts, badges, the filter and code keep a readable contrast (WCAG AA: 4.5)."""
    theme, url = themed
    page = open_themed(browser, url + REFERENCE, 1400, scheme)
    if theme == "furo":  # furo follows the reader's scheme
        body = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (body == "rgb(255, 255, 255)") == (scheme == "light"), body
    for selector in (".opsdocs-setting-name", ".opsdocs-fact-name", ".opsdocs-fact",
                     ".opsdocs-badge", ".opsdocs-filter label", ".opsdocs-filter-count",
                     ".opsdocs-setting-body p", ".opsdocs-default-size",
                     ".opsdocs-setting-source a", ".opsdocs-filter legend"):
        found = page.evaluate(_CONTRAST_JS, [f"{MAIN} {selector}"])
        assert found, selector
        low = [(text, round(ratio, 2)) for text, ratio in found if ratio < 4.5]
        assert not low, (theme, scheme, selector, low)
    assert len(visible_setting_ids(page)) >= 30
    page.context.close()
