"""The catalog as reStructuredText and Markdown text."""

from __future__ import annotations

import textwrap
from pathlib import Path

from opsdocs.settings.text import catalog_to_markdown
from tests.settings.support import module, run


def test_markdown_escapes_every_table_breaking_character(tmp_path: Path) -> None:
    catalog = module(tmp_path, """
        #: A | pipe, a <b>tag</b> and a
        #: newline.
        X: int | None = None
    """)
    row = catalog_to_markdown(catalog).splitlines()[2]
    assert row.count(" | ") == 3 and row.startswith("| ") and row.endswith(" |")


def test_a_documented_default_saying_nothing_is_left_out_as_on_the_page(
        tmp_path: Path, capsys, make_app) -> None:  # type: ignore[no-untyped-def]
    """``n/a`` is no default: the command line leaves it out as the HTML page does; a
    default in words is shown by both."""
    path = tmp_path / "envs.py"
    path.write_text(textwrap.dedent("""\
        # .. setting_name: REPORT_AGE
        # .. setting_default: n/a
        # .. setting_description: How old a report gets.
        REPORT_AGE = 6

        # .. toggle_name: REPORT_CHECK
        # .. toggle_implementation: DjangoSetting
        # .. toggle_default: every 6 months
        # .. toggle_description: Checks reports.
        REPORT_CHECK = 180
        """))
    for markup in ("rst", "markdown"):
        _, out, _ = run(capsys, "settings", path, "--format", markup)
        assert "n/a" not in out
        assert "every 6 months" in out
    (tmp_path / "conf.py").write_text("extensions = ['opsdocs']\n")
    (tmp_path / "index.rst").write_text("Settings\n========\n\n.. settings-reference:: envs.py\n")
    app = make_app("html", srcdir=tmp_path)
    app.build()
    html = (app.outdir / "index.html").read_text()
    assert "n/a" not in html and "every 6 months" in html


def test_a_multi_line_default_keeps_its_lines_under_its_first_character(
        tmp_path: Path, capsys, make_app) -> None:  # type: ignore[no-untyped-def]
    """``LOGGING = make_logging(LOG_DIR,`` with the next lines under the parenthesis: the
    default drops ``LOGGING = `` and moves those lines left by as much (xqueue)."""
    path = tmp_path / "envs.py"
    path.write_text(textwrap.dedent("""\
        #: Logging.
        LOGGING = make_logging(LOG_DIR,
                               level="INFO",
                               note='''a
            b''')
        """))
    expected = ['make_logging(LOG_DIR,', '             level="INFO",', "             note='''a",
                "    b''')"]
    _, out, _ = run(capsys, "settings", path)
    assert [line[6:] for line in out.splitlines() if line.startswith("      ")] == expected
    (tmp_path / "conf.py").write_text("extensions = ['opsdocs']\n")
    (tmp_path / "index.rst").write_text("Settings\n========\n\n.. settings-reference:: envs.py\n")
    app = make_app("html", srcdir=tmp_path)
    app.build()
    html = (app.outdir / "index.html").read_text()
    assert 'style="--indent:13ch">             level' in html
    assert "--indent:23ch" not in html
