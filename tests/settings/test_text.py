"""The catalog as reStructuredText and Markdown text."""

from __future__ import annotations

from pathlib import Path

from opsdocs.settings.text import catalog_to_markdown
from tests.settings.support import (
    module,
)


def test_markdown_escapes_every_table_breaking_character(tmp_path: Path) -> None:
    catalog = module(tmp_path, """
        #: A | pipe, a <b>tag</b> and a
        #: newline.
        X: int | None = None
    """)
    row = catalog_to_markdown(catalog).splitlines()[2]
    assert row.count(" | ") == 3 and row.startswith("| ") and row.endswith(" |")
