"""Options and code-like tokens in prose stay as written; the rest of the prose keeps
Sphinx's smart quotes."""

from __future__ import annotations

import pytest

from opsdocs._smartquotes import CODE_TOKEN


@pytest.mark.sphinx("html", testroot="smartquotes")
def test_options_and_code_in_prose_are_not_turned_into_dashes_or_curly_quotes(app):
    app.build()
    text = app.env.get_doctree("index").astext()
    assert "Run it with --dry-run first, then with --older-than=90." in text
    assert "Read FEATURES[\"ENABLE_X\"] and get('name'), or pass key='value'." in text
    assert "Pages 10\u201320 \u2013 and \u201cquoted\u201d words \u2013 stay typographic." in text
    assert "<span>--dry-run</span>" in (app.outdir / "index.html").read_text()


@pytest.mark.sphinx("html", testroot="smartquotes", confoverrides={"smartquotes": False})
def test_nothing_is_wrapped_without_smart_quotes(app):
    app.build()
    assert "<span>--dry-run</span>" not in (app.outdir / "index.html").read_text()


@pytest.mark.parametrize("text, tokens", [
    ("with --deploy, then", ["--deploy"]),
    ("--older-than=90.", ["--older-than=90"]),
    ("(--dry-run)", ["--dry-run"]),
    ("a -- b, 10--20, x--y", []),
    ('FEATURES["X"] and os.environ.get("Y")', ['FEATURES["X"]', 'os.environ.get("Y")']),
    ("it's 'quoted'", []),
])
def test_what_counts_as_code(text, tokens):
    assert [m.group().rstrip(".") for m in CODE_TOKEN.finditer(text)] == tokens
