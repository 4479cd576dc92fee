"""What a reader of the example's pages reads, to the character (issue 22): help texts as
sentences, options as typed, notes that say something, identifiers whole, a filter that
says when nothing matches, one search result per command.

The Dockerfile page and the filter's empty state are checked here in alabaster (the
example's theme) and, through the same functions, in test_themes.py's other themes.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

import pytest

from tests.browser.example_site import EXAMPLE_PAGES, PAGE_KINDS, WIDTHS
from tests.browser.page_metrics import MAIN, visible_setting_ids
from tests.browser.test_reference_filter import filter_box

if TYPE_CHECKING:
    from playwright.sync_api import Page

MANUAL = PAGE_KINDS["manual"]
DOCKERFILE = PAGE_KINDS["dockerfile"]


def command_text(page: Page, name: str) -> str:
    """The text of one command's section of the manual, as the page shows it."""
    return page.locator(f"#opscommand-{name}").inner_text()


def options_of(page: Page, name: str) -> dict[str, str]:
    """Each option's usage with what the page says of it."""
    return page.evaluate(f"""() => Object.fromEntries(
        [...document.querySelectorAll('#opscommand-{name} dl.opsdocs-arguments > dt')]
        .map(dt => [dt.innerText, dt.nextElementSibling.innerText.trim()]))""")


def test_django_s_options_read_as_sentences_with_those_added_at_run_time(open_page):
    page = open_page(MANUAL)
    options = options_of(page, "createsuperuser")
    assert options == {
        "--username USERNAME": "Specifies the login for the superuser.",
        "--noinput, --no-input": (
            "Tells Django to NOT prompt the user for input of any kind. You must use "
            "--username with --noinput, along with an option for any other required field. "
            "Superusers created with --noinput will not be able to log in until they\u2019re "
            "given a valid password."),
        "--database DATABASE": "Specifies the database to use. Default is \u201cdefault\u201d.",
        "--email EMAIL": "Specifies the email for the superuser.",
    }
    # Each default said once; a positional argument shown once.
    assert options_of(page, "purge_stale_reports")["--older-than DAYS"] == \
        "delete reports created more than DAYS days ago (default: 30)"
    check = options_of(page, "check")
    assert check["--fail-level FAIL_LEVEL"].count("ERROR") == 2  # the sentence, the choices
    assert "Default: ERROR" not in check["--fail-level FAIL_LEVEL"]
    arguments = page.locator("#opscommand-check dl.opsdocs-arguments").first.inner_text()
    assert arguments.strip() == "[app_label ...]"
    text = page.locator(MAIN).inner_text()
    for source in ("self.", "% ", "DEFAULT_DB_ALIAS", '" "'):
        assert source not in "\n".join(options_of(page, "createsuperuser").values()), source
    assert "DEFAULT_DB_ALIAS" not in text


@pytest.mark.parametrize("path", EXAMPLE_PAGES)
def test_options_in_prose_keep_their_dashes(open_page, path):
    text = open_page(path).locator(MAIN).inner_text()
    assert not re.findall(r"\u2013[a-z]", text), path  # an en dash glued to a word: --deploy
    if path == MANUAL:
        assert "with --deploy, its production checklist" in text
        assert "or with --dry-run first" in text


def test_no_version_note_ends_in_a_colon(open_page):
    page = open_page(PAGE_KINDS["reference"])
    notes = page.locator(f"{MAIN} .versionmodified").evaluate_all(
        "found => found.map(n => n.parentElement.innerText.trim())")
    assert notes and not [note for note in notes if note.endswith(":")]
    features = page.locator("#setting-FEATURES").locator("..").inner_text()
    assert "Changed in version 0.4.0: Changed the default of FEATURES: ['ENABLE_NIGHTLY_PURGE'] " \
        "added: False." in features


def assert_the_dockerfile_page_reads_whole(page: Page, what: str) -> None:
    """Code wraps only between its pieces; at 1400 px every name is on one line; a field's
    comment does not repeat the field's name."""
    broken = page.evaluate("""() => [...document.querySelectorAll('code.opsdocs-code .pre')]
        .filter(piece => piece.getClientRects().length > 1).map(piece => piece.textContent)""")
    assert not broken, (what, broken)
    if page.viewport_size and page.viewport_size["width"] >= 1400:
        wrapped = page.evaluate("""() => [...document.querySelectorAll(
            'table:is(.opsdocs-dockerfile-env, .opsdocs-dockerfile-args) td:first-child code')]
            .filter(name => name.getClientRects().length > 1).map(name => name.textContent)""")
        assert not wrapped, (what, wrapped)
    text = page.locator(MAIN).inner_text()
    assert "Default command: serve" not in text and "Serve web traffic." in text, what


@pytest.mark.parametrize("width", WIDTHS)
def test_the_dockerfile_page_breaks_identifiers_at_underscores_only(open_page, width):
    page = open_page(DOCKERFILE, width=width)
    assert_the_dockerfile_page_reads_whole(page, f"alabaster at {width}px")


def assert_an_empty_filter_says_so(page: Page, what: str) -> None:
    """No setting matches: a sentence says so, and its button shows every setting again."""
    every = visible_setting_ids(page)
    none = page.locator(f"{MAIN} .opsdocs-filter-none")
    assert not none.is_visible(), what
    filter_box(page).fill("no-such-setting-at-all")
    assert visible_setting_ids(page) == [], what
    assert none.is_visible(), what
    assert none.inner_text().startswith("No setting matches this filter."), what
    none.get_by_role("button", name="Show every setting").click()
    assert sorted(visible_setting_ids(page)) == sorted(every), what
    assert not none.is_visible(), what
    # The facets' label reads as a label beside them, not as a heading.
    sizes = page.evaluate("""() => {
        const legend = document.querySelector('.opsdocs-filter legend');
        const label = document.querySelector('.opsdocs-filter-facets label');
        return [parseFloat(getComputedStyle(legend).fontSize),
                parseFloat(getComputedStyle(label).fontSize),
                legend.getBoundingClientRect().top, label.getBoundingClientRect().top];
    }""")
    assert sizes[0] == sizes[1] and abs(sizes[2] - sizes[3]) < sizes[1], (what, sizes)


def test_a_filter_that_matches_nothing_says_so(open_page):
    assert_an_empty_filter_says_so(open_page(PAGE_KINDS["reference"]), "alabaster")


def test_the_sample_config_leaves_no_word_alone_on_a_line(open_page):
    lines = open_page(PAGE_KINDS["configuration"]).locator(
        ".opsdocs-sample-config pre").inner_text().splitlines()
    alone = [(before, line) for before, line in itertools.pairwise(lines)
             if re.fullmatch(r"# [a-z]\w*[.,;:]?", line) and re.match(r"# \w", before)]
    assert not alone
    assert "# The WSGI application Django's own servers use; gunicorn is pointed at the" in lines


def test_searching_a_command_finds_it_once(open_page):
    page = open_page("search.html?q=migrate")
    page.wait_for_selector("#search-results li")
    page.wait_for_function("!document.querySelector('#search-progress')?.textContent.trim()"
                           " || document.querySelector('#search-results p')")
    links = page.locator("#search-results li a").evaluate_all(
        "found => found.map(a => a.getAttribute('href'))")
    assert sum(1 for href in links if href.endswith("#opscommand-migrate")) == 1, links
