"""example_ida's operations manual: generated from its commands file, every command linkable."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape

from opsdocs.cli import main
from opsdocs.operations.model import GROUP_TITLES
from opsdocs.operations.reader import read_manual
from tests.helpers import EXAMPLE

SERVICE = EXAMPLE
COMMANDS = SERVICE / "docs" / "operations" / "commands.yml"
SETTINGS = SERVICE / "example_ida" / "settings"


def test_the_commands_file_checks_clean(capsys):
    assert main(["check-commands", str(COMMANDS), "--settings", str(SETTINGS)]) == 0
    assert capsys.readouterr().err == ""


def test_it_covers_every_oep45_group_with_real_commands():
    manual = read_manual(COMMANDS)
    assert manual.problems == ()
    assert [g.name for g in manual.groups] == list(GROUP_TITLES)
    commands = {c.name: c for c in manual.commands}
    assert commands["gunicorn"].command_line.endswith("example_ida.wsgi:application")
    assert commands["celery-worker"].command_line.startswith("celery -A example_ida worker")
    assert commands["check-migrations"].command_line == "python manage.py migrate --check"
    assert commands["clearsessions"].schedule == "0 3 * * *"
    purge = commands["purge_stale_reports"]
    assert purge.django_module == "example_ida.reports.management.commands.purge_stale_reports"
    assert [a.usage for a in purge.options] == ["--older-than DAYS", "--dry-run"]
    assert purge.destructive
    assert "security-patch" in commands


def test_the_docs_page_is_generated_and_every_command_linkable(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         str(SERVICE / "docs"), str(tmp_path / "html"), "-d", str(tmp_path / "doctrees")],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    page = unescape((tmp_path / "html" / "operations" / "index.html").read_text())
    for title in GROUP_TITLES.values():
        assert f"{title}<a class=\"headerlink\"" in page
    for command in read_manual(COMMANDS).commands:
        assert f'id="opscommand-{command.name}"' in page, command.name
    # :opscommand: links inside descriptions, :setting: links to the settings reference.
    assert 'href="#opscommand-check-migrations"' in page
    assert 'href="../settings.html#setting-CELERY_BROKER_URL"' in page
    assert "opsdocs-badge-destructive" in page and "opsdocs-badge-schedule" in page
    # The service's own command links to its source, copied into the docs; Django's do not.
    source = "_opsdocs_source/example_ida/example_ida/reports/management/commands/purge_stale_reports.py"
    assert f'href="../{source}.html#L14"' in page
    assert 'id="L14"' in (tmp_path / "html" / f"{source}.html").read_text()
    assert "(django.core.management.commands.migrate)" in re.sub(r"<[^>]+>", "", page)
    index = (tmp_path / "html" / "index.html").read_text()
    assert 'href="operations/index.html"' in index
