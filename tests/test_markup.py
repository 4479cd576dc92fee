"""reStructuredText inline markup turned into Markdown for the CLI's Markdown output."""

from __future__ import annotations

import html
import io
import re

import pytest
from docutils.core import publish_doctree
from markdown_it import MarkdownIt

from opsdocs.cli import main
from opsdocs.markup import (
    markdown_escaped,
    markdown_inline,
    plain_roles,
    plain_text,
    rst_escaped,
)
from tests.helpers import EXAMPLE


@pytest.mark.parametrize(("text", "markdown"), [
    ("See :setting:`LMS_BASE_URL`.", "See `LMS_BASE_URL`."),
    ("Run :opscommand:`migrate <migrate>` first.", "Run `migrate` first."),
    ("Use ``python -m x``.", "Use `python -m x`."),
    ("See `Django <https://djangoproject.com>`_.", "See [Django](https://djangoproject.com)."),
    ("Plain *emphasis* stays.", "Plain *emphasis* stays."),
])
def test_markdown_inline(text, markdown):
    assert markdown_inline(text) == markdown


def test_plain_roles_keep_only_the_text():
    assert plain_roles("See :setting:`~USE_TZ` and :doc:`ops <operations>`.") == (
        "See USE_TZ and ops.")


def test_markdown_outputs_carry_no_rst_roles(capsys, tmp_path):
    (tmp_path / "required.py").write_text("#: Needs :setting:`OTHER`, see ``docs``.\nA: str\n")
    (tmp_path / "defaults.py").write_text("#: Other.\nOTHER = 1\n")
    assert main(["settings", "--settings", str(tmp_path), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "| `A` | **required** | `str` | Needs `OTHER`, see `docs`. |" in out
    assert ":setting:" not in out


@pytest.mark.parametrize(("text", "plain"), [
    (":setting:`USE_TZ`", "USE_TZ"),
    ("see :setting:`~FEATURES` and :py:class:`pathlib.Path`.", "see FEATURES and pathlib.Path."),
    (":doc:`the manual <ops/manual>`", "the manual"),
    (":ref:`<label>`", "label"),
    ("``code`` and `a link <https://x>`__", "``code`` and `a link <https://x>`__"),
])
def test_plain_roles(text, plain):
    assert plain_roles(text) == plain


@pytest.mark.parametrize(("text", "markdown"), [
    # A page named by its file reads as a page, not as a bare word.
    ("See :doc:`../dockerfile`.", "See the *dockerfile* page."),
    ("See :doc:`the image <../dockerfile>`.", "See the image."),
    ("See :ref:`upgrading`, :setting:`X`.", "See *upgrading*, `X`."),
    # Auto-numbered list items are numbered ones in Markdown.
    ("Steps:\n\n#. One.\n#. Two\n   lines.", "Steps:\n\n1. One.\n1. Two\n   lines."),
])
def test_markdown_links_to_pages_become_their_text(text, markdown):
    assert markdown_inline(text) == markdown


@pytest.mark.parametrize(("rst", "plain"), [
    ("Use ``x`` and *y* and **z**, see `Django <https://dj.org>`__.",
     "Use x and y and z, see Django (https://dj.org)."),
    (".. versionadded:: 0.2", "Added in version 0.2."),
    ("A.\n\n.. versionchanged:: 0.3\n   In seconds; it replaces\n   :setting:`OLD`.\n\nB.",
     "A.\n\nChanged in version 0.3: In seconds; it replaces\nOLD.\n\nB."),
    (".. deprecated:: 2.0 Use ``NEW``.", "Deprecated since version 2.0: Use NEW."),
    (".. note::\n   Mind *this*.", "Note:\nMind this."),
    ("a_b*c and 2 * 3 * 4", "a_b*c and 2 * 3 * 4"),
])
def test_plain_text(rst, plain):
    assert plain_text(rst) == plain


def test_markdown_manual_turns_doc_links_into_text(capsys):
    commands = EXAMPLE / "docs" / "operations" / "commands.yml"
    assert ":doc:`../dockerfile`" in commands.read_text()
    assert main(["operations", str(commands), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "(see\nthe *dockerfile* page)" in out
    assert ":doc:" not in out and "\n#. " not in out and "``" not in out.replace("```", "")


def test_sample_config_comments_hold_no_rst(capsys):
    assert main(["sample-config", "--settings", str(EXAMPLE / "example_ida" / "settings")]) == 0
    out = capsys.readouterr().out
    assert "# Added in version 0.2.\n" in out
    assert "# Changed in version 0.3: In seconds; it replaces REPORTS_RETENTION_DAYS.\n" in out
    assert "(default: 30 days (2592000); computed in defaults.py" in out
    assert not re.search(r"``|:setting:|\.\. \w+::|`_", out)


PLAIN = [
    "Don't ignore (defaults to 'CVS', '.*' and '*~').", "calls __init__, see file_.",
    "a [1]_ note, |sub|, name__", "`x` and ``y``, a:role:`x`", "path\\to", "- a dash",
    "1. numbered", "iv) numbered", ".. comment", ">>> x", ":field: x", "Options::",
    "two\n\n  paragraphs", "1.", "=====", "~~~~", "^^^",
]
MARKDOWN_PLAIN = [*PLAIN, "the __init__.py file", "&copy; &amp; <b>x</b>", "[a](b) ![i](j)",
                  "GUNICORN_WORKERS and _x_", "1) numbered", "# heading", "> quote", "+ plus"]


@pytest.mark.parametrize("text", PLAIN)
def test_rst_escaped_shows_plain_text_as_it_is(text):
    warnings = io.StringIO()
    doctree = publish_doctree(rst_escaped(text), settings_overrides={
        "warning_stream": warnings, "report_level": 1})
    assert (doctree.astext(), warnings.getvalue()) == (" ".join(text.split()), "")


@pytest.mark.parametrize("text", MARKDOWN_PLAIN)
def test_markdown_escaped_shows_plain_text_as_it_is(text):
    """As a CommonMark viewer renders it: one paragraph, its text the text."""
    page = MarkdownIt("commonmark").render(markdown_escaped(text))
    assert page.startswith("<p>") and page.count("<p>") == 1
    assert html.unescape(page.removeprefix("<p>").removesuffix("</p>\n")) == \
        " ".join(text.split())
