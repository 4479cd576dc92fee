"""The reference's page beyond its HTML: search, translations, index, links, and its cost."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.parsers.rst.states import RSTState
from docutils.utils import new_document
from hypothesis import example, given
from hypothesis import strategies as st
from sphinx.util.nodes import make_id

from opsdocs.settings.nodes import setting_entry
from opsdocs.settings.page import setting_id
from tests.helpers import ROOTS, SHOWS_TYPES, deadline, setting_texts, warning_lines


def project(make_app, tmp_path: Path, body: str, buildername: str = "html", **kwargs):
    src = tmp_path / "project"
    shutil.copytree(ROOTS / "test-settings", src)
    (src / "index.rst").write_text("Settings\n========\n\n" + body)
    return make_app(buildername, srcdir=src, **kwargs)


def search_index(app) -> dict:
    text = (Path(app.outdir) / "searchindex.js").read_text()
    return json.loads(text[text.index("(") + 1:text.rindex(")")])


def test_search_finds_names_and_docs_not_source_lines(make_app, tmp_path):
    app = project(make_app, tmp_path, ".. settings-reference:: settings\n")
    app.build()
    index = search_index(app)
    names = {entry[4] for entries in index["objects"].values() for entry in entries}
    assert names == {"LMS_BASE_URL", "SECRET_KEY", "FEATURES", "INSTALLED_APPS", "TIMEOUT"}
    terms = set(index["terms"])
    assert {"featur", "flag", "instal", "request", "timeout"} <= terms  # stemmed docs
    # "settings/defaults.py, line 13" is not text to search.
    assert not {"line", "py", "13", "24"} & terms
    # The words the search index gets are not shown a second time.
    html = (Path(app.outdir) / "index.html").read_text()
    assert html.count("Installed apps.") == 1


@example("TAKEN")
@example("NAME_")
@example("9LIVES")
@example("FEATURES['X']")
@example("X")
@given(st.from_regex(r"[A-Za-z0-9_.\[\]'\-é ]{1,12}", fullmatch=True))
def test_a_setting_anchor_is_the_one_sphinx_makes(name):
    class Env:  # what make_id asks of the environment: a number for a name it cannot use
        serial = 0

        def new_serialno(self, category=""):
            self.serial += 1
            return self.serial - 1

    documents = [new_document("<doc>", get_default_settings(Parser)) for _ in range(2)]
    for document in documents:  # a name taken already gets a number
        document.ids["setting-TAKEN"] = nodes.target()
    assert setting_id(Env(), documents[0], name) == make_id(Env(), documents[1], "setting", name)


def test_gettext_extracts_each_doc_at_its_line(make_app, tmp_path):
    app = project(make_app, tmp_path, ".. settings-reference:: settings\n", "gettext")
    app.build()
    catalog = (Path(app.outdir) / "index.pot").read_text()
    defaults = app.srcdir / "settings" / "defaults.py"
    for line, message in ((12, "Installed apps."), (18, "Request timeout in seconds."),
                          (6, "Feature flags. See :setting:`LMS_BASE_URL`.")):
        entry = re.search(rf'#: (\S+):{line}\nmsgid "{re.escape(message)}"', catalog)
        assert entry is not None and Path(app.outdir, entry[1]).resolve() == defaults, message


def test_one_index_entry_per_setting_and_none_with_the_option(make_app, tmp_path):
    app = project(make_app, tmp_path, ".. settings-reference:: settings\n   :only: required\n\n"
                  ".. settings-reference:: settings\n   :only: defaults\n   :no-index-entry:\n")
    app.build()
    assert warning_lines(app) == []
    # The index entries are in the general index, not in the search: a setting is found
    # there once, as an object (not again as an index entry).
    assert search_index(app).get("indexentries", {}) == {}
    genindex = (Path(app.outdir) / "genindex.html").read_text()
    assert genindex.count("LMS_BASE_URL (setting)") == 1 and "FEATURES" not in genindex
    assert genindex.count("SECRET_KEY (setting)") == 1
    # Without an index entry a setting is still an object with an anchor and a permalink.
    assert 'id="setting-FEATURES"' in (Path(app.outdir) / "index.html").read_text()
    assert "FEATURES" in {entry[4] for entries in search_index(app)["objects"].values()
                          for entry in entries}


def test_a_mistyped_setting_warns_with_the_nearest_name(make_app, tmp_path):
    app = project(make_app, tmp_path, ".. settings-reference:: settings\n\n"
                  "See :setting:`LMS_BASE_ULR`, :setting:`SETTING_NOBODY_HAS`\n"
                  "and :setting:`IGNORED`.\n",
                  confoverrides={"nitpick_ignore": [("std:setting", "IGNORED")]})
    app.build()
    index = app.srcdir / "index.rst"
    assert warning_lines(app) == [
        f"{index}:6: WARNING: unknown setting 'LMS_BASE_ULR' in :setting:; did you mean "
        "'LMS_BASE_URL'?",
        f"{index}:6: WARNING: unknown setting 'SETTING_NOBODY_HAS' in :setting:: no page "
        "documents it, and no intersphinx inventory has it",
    ]
    if SHOWS_TYPES:
        assert app.warning.getvalue().count("[opsdocs.unknown-setting]") == 2


def test_a_mistyped_setting_warns_once_with_nitpicky(make_app, tmp_path):
    app = project(make_app, tmp_path, ".. settings-reference:: settings\n\n"
                  "See :setting:`LMS_BASE_ULR`.\n", confoverrides={"nitpicky": True})
    app.build()
    assert [line.split(": WARNING: ")[1] for line in warning_lines(app)] == [
        "unknown setting 'LMS_BASE_ULR' in :setting:; did you mean 'LMS_BASE_URL'?"]


def test_docs_with_markup_are_parsed_once_per_text(make_app, tmp_path, monkeypatch):
    parses = []
    nested_parse = RSTState.nested_parse

    def counted(self, block, *args, **kwargs):
        if ".. settings-reference::" not in "\n".join(block):  # the page (Sphinx < 7.3)
            parses.append("\n".join(block))
        return nested_parse(self, block, *args, **kwargs)

    monkeypatch.setattr(RSTState, "nested_parse", counted)
    once = project(make_app, tmp_path / "once", ".. settings-reference:: settings\n")
    once.build()
    parsed_once = list(parses)
    parses.clear()
    twice = project(make_app, tmp_path / "twice", ".. settings-reference:: settings\n\n"
                    ".. settings-reference:: settings\n   :no-index:\n")
    twice.build()
    assert parses == parsed_once
    # Plain docs never reach the parser; docs with markup do.
    assert not any("Installed apps." in text for text in parses)
    assert any("Feature flags." in text for text in parses)
    # Both listings show the docs, with working links.
    html = (Path(twice.outdir) / "index.html").read_text()
    assert html.count("Feature flags. See ") == 2
    assert html.count('href="#setting-LMS_BASE_URL"') == 3  # two docs and the page's text


FACTS = '''\
import os

#: Where the broker is.
BROKER_URL = os.environ.get("BROKER_URL", "redis://localhost:6379/0")

#: Feature flags.
FEATURES = {
    # .. toggle_name: FEATURES['ENABLE_REPORTS']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: False
    # .. toggle_description: Turns on the *reports* API.
    # .. toggle_use_cases: open_edx
    # .. toggle_tickets: https://example.org/tickets/1
    "ENABLE_REPORTS": False,
}
'''


def test_what_the_reader_adds_shows_as_badges_and_facts(make_app, tmp_path):
    app = project(make_app, tmp_path, ".. settings-reference:: settings\n   :only: defaults\n")
    (app.srcdir / "settings" / "defaults.py").write_text(FACTS)
    app.build()
    assert warning_lines(app) == []
    shown = setting_texts((Path(app.outdir) / "index.html").read_text())
    assert "Environment variable BROKER_URL" in shown["BROKER_URL"]
    toggle = shown["FEATURES['ENABLE_REPORTS']"]
    assert toggle.startswith("FEATURES['ENABLE_REPORTS']¶ toggle Key of FEATURES Default False "
                             "Implementation DjangoSetting Use cases open_edx "
                             "Tickets https://example.org/tickets/1 "
                             "Turns on the *reports* API. ")  # a plain-text description
    html = (Path(app.outdir) / "index.html").read_text()
    assert '<div class="opsdocs-fact opsdocs-setting-parent"><a class="reference internal" ' \
           'href="#setting-FEATURES"' in html
    entries = {e["name"]: e for e in app.env.get_doctree("index").findall(setting_entry)}
    assert entries["FEATURES['ENABLE_REPORTS']"]["facets"] == ["has-default", "toggle"]
    assert entries["BROKER_URL"]["facets"] == ["has-default", "environment"]


QUOTED = '''\
#: The app's "name" -- shown in titles...
NAME = "x"

#: Plain prose, nothing to turn.
PLAIN = 1
'''


@pytest.mark.parametrize("language", ["en", "fr"])
def test_prose_reads_as_sphinx_would_make_it(make_app, tmp_path, language):
    """Plain prose is written whole (no nodes of its own for Sphinx to pass over) unless
    smart quotes would turn something in it, or the build translates."""
    app = project(make_app, tmp_path, ".. settings-reference:: settings\n   :only: defaults\n",
                  confoverrides={"language": language})
    (app.srcdir / "settings" / "defaults.py").write_text(QUOTED)
    app.build()
    shown = setting_texts((Path(app.outdir) / "index.html").read_text())
    if language == "en":
        assert "The app\u2019s \u201cname\u201d \u2013 shown in titles\u2026" in shown["NAME"]
    assert "Plain prose, nothing to turn." in shown["PLAIN"]
    entries = {e["name"]: e for e in app.env.get_doctree("index").findall(setting_entry)}
    paragraphs = [p.astext() for p in entries["PLAIN"].findall(nodes.paragraph)]
    if language == "en":
        assert entries["PLAIN"]["doc_paragraphs"] == ["Plain prose, nothing to turn."]
        assert paragraphs == []
    else:  # translatable: paragraphs the i18n transform finds
        assert "doc_paragraphs" not in entries["PLAIN"]
        assert paragraphs == ["Plain prose, nothing to turn."]
    assert "doc_paragraphs" not in entries["NAME"]


@pytest.mark.parametrize("buildername", ["html", "text"])
def test_a_long_default_is_shown_cut(make_app, tmp_path, buildername):
    src = tmp_path / "project"
    (src / "settings").mkdir(parents=True)
    (src / "settings" / "required.py").write_text("")
    # 100 KB without a space: Sphinx's text writer took minutes on it in a table
    (src / "settings" / "defaults.py").write_text(f'#: Big.\nBIG = "{"x" * 100_000}"\n')
    (src / "conf.py").write_text('extensions = ["opsdocs"]\n')
    (src / "index.rst").write_text("Settings\n========\n\n.. settings-reference:: settings\n")
    app = make_app(buildername, srcdir=src)
    with deadline(60):
        app.build()
    page = (Path(app.outdir) / f"index.{'html' if buildername == 'html' else 'txt'}").read_text()
    assert "x" * 100_000 not in page
    assert "80,002 characters more: see the source" in page or buildername == "text"  # 100,002
    assert max(len(line) for line in page.splitlines()) < 1000 or buildername == "html"
