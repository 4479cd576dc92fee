"""reStructuredText inline markup turned into Markdown for the CLI's Markdown output."""

from __future__ import annotations

import pytest

from opsdocs.cli import main
from opsdocs.markup import markdown_inline, plain_roles


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
    assert main(["settings", str(tmp_path), "--format", "markdown"]) == 0
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
