"""``opsdocs operations`` and ``opsdocs check``: the manual and its checks outside Sphinx."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys

import pytest
from markdown_it import MarkdownIt

from opsdocs.cli import main
from tests.helpers import EXAMPLE, ROOTS

ROOT = ROOTS / "test-operations"
COMMANDS = ROOT / "operations" / "commands.yml"
SETTINGS = ROOT / "settings"


def test_rst_is_the_default(capsys):
    assert main(["operations", str(COMMANDS)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("Operations manual\n=================\n\nHow to run the *test* service.")
    assert "Running for web traffic\n-----------------------\n" in out
    assert "gunicorn\n~~~~~~~~\n\n.. opscommand:: gunicorn\n\n" in out
    assert "   **Scheduled: 0 3 * * *** · **Safe to re-run**" in out
    assert "   :Schedule: ``0 3 * * *`` (every day at 03:00)" in out
    assert "   :Settings: :setting:`SECRET_KEY`, :setting:`DATABASES`" in out
    assert "   .. warning::\n\n      **Destructive:** Deletes report rows and their files." in out
    # The default is in the description: it is not said twice.
    assert "   ``--older-than DAYS``\n      Delete reports older than this many days " \
           "(default: 90).\n" in out


def test_rst_output_builds_with_opsdocs(make_app, tmp_path, capsys):
    main(["operations", str(COMMANDS)])
    src = tmp_path / "src"
    shutil.copytree(ROOT / "settings", src / "settings")
    (src / "conf.py").write_text('extensions = ["opsdocs"]\n')
    (src / "index.rst").write_text(
        "Docs\n====\n\n.. toctree::\n\n   manual\n   settings\n\nSee :opscommand:`migrate`.\n")
    (src / "settings.rst").write_text("Settings\n========\n\n.. settings-reference:: settings\n")
    (src / "manual.rst").write_text(capsys.readouterr().out)
    app = make_app("html", srcdir=src)
    app.build()
    warnings = [w for w in app.warning.getvalue().splitlines() if "already registered" not in w]
    assert warnings == []
    assert 'href="manual.html#opscommand-migrate"' in (app.outdir / "index.html").read_text()


PLAIN_HELP = "Purge reports: *.tmp files_, the `cache` and |stale| ones."
PLAIN_OPTION = "Keep files matching '.*' and '*~' (see name_)."


def test_rst_output_shows_the_codes_plain_help_as_written(make_app, tmp_path, capsys):
    """A command's help is plain text: in the rst output, its rst characters are escaped, as
    the directive shows them (a Django help such as collectstatic's ``'.*' and '*~'``)."""
    root = tmp_path / "root"
    shutil.copytree(ROOT, root)
    module = root / "service" / "reports" / "management" / "commands" / "purge_stale_reports.py"
    module.write_text(module.read_text().replace(
        'help = "Delete reports older than the retention period."', f"help = {PLAIN_HELP!r}",
    ).replace('help="Only count them."', f"help={PLAIN_OPTION!r}"))
    assert main(["operations", str(root / "operations" / "commands.yml")]) == 0
    src = tmp_path / "src"
    shutil.copytree(ROOT / "settings", src / "settings")
    (src / "conf.py").write_text('extensions = ["opsdocs"]\n')
    (src / "index.rst").write_text("Docs\n====\n\n.. toctree::\n\n   manual\n   settings\n")
    (src / "settings.rst").write_text("Settings\n========\n\n.. settings-reference:: settings\n")
    (src / "manual.rst").write_text(capsys.readouterr().out)
    app = make_app("text", srcdir=src)
    app.build()
    assert app.warning.getvalue() == ""
    text = " ".join((app.outdir / "manual.txt").read_text().split())
    assert PLAIN_HELP in text
    assert PLAIN_OPTION in text


def test_markdown_output_shows_the_codes_plain_help_as_written(tmp_path, capsys):
    """In Markdown too, as a CommonMark viewer renders it: no emphasis, link or list made of
    a Django help's ``*``, ``_``, brackets or a leading number."""
    root = tmp_path / "root"
    shutil.copytree(ROOT, root)
    module = root / "service" / "reports" / "management" / "commands" / "purge_stale_reports.py"
    module.write_text(module.read_text().replace(
        'help = "Delete reports older than the retention period."',
        f"help = {'1. ' + PLAIN_HELP + ' See [docs](x) <b>now</b>.'!r}",
    ).replace('help="Only count them."', f"help={PLAIN_OPTION!r}"))
    assert main(["operations", str(root / "operations" / "commands.yml"),
                 "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    command = out[out.index("### `purge_stale_reports`"):]
    page = MarkdownIt("commonmark").render(command.split("\n### ")[0])
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "<em>" not in page and "<ol" not in page and "<a " not in page
    assert "1. " + PLAIN_HELP + " See [docs](x) <b>now</b>." in text
    assert PLAIN_OPTION in text


def test_markdown(capsys):
    assert main(["operations", str(COMMANDS), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Operations manual\n")
    assert "## Maintenance tasks\n" in out
    assert "### `clearsessions`\n\n**Scheduled: 0 3 * * *** · **Safe to re-run**" in out
    assert "```shell\npython manage.py clearsessions\n```" in out
    assert "- **Settings:** `SESSION_ENGINE`" in out
    assert "> **Destructive:** Deletes report rows and their files." in out
    assert "- `--older-than DAYS`: Delete reports older than this many days (default: 90).\n" \
        in out


def test_json(capsys):
    assert main(["operations", str(COMMANDS), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["format"], data["version"]) == ("opsdocs-operations", 1)
    names = [c["name"] for g in data["groups"] for c in g["commands"]]
    assert names == ["gunicorn", "migrate", "clearsessions", "purge_stale_reports"]
    purge = data["groups"][2]["commands"][1]
    assert purge["destructive"] is True
    assert purge["arguments"][0]["name"] == "--older-than"


def test_check_passes_a_good_file(capsys):
    assert main(["check-commands", str(COMMANDS), "--settings", str(SETTINGS)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{COMMANDS}: 4 commands in 3 groups, no problems\n"
    assert err == ""


def test_check_reports_every_problem_and_fails(tmp_path, capsys):
    path = tmp_path / "commands.yml"
    path.write_text(
        "version: 1\n"
        "groups:\n"
        "  - name: maintenance\n"
        "    commands:\n"
        "      - django: clearsessions\n"
        "        schedule: '0 3 * * 8'\n"
        "        settings: [SESSION_ENGIN]\n"
        "        safe_to_rerun: yes please\n"
    )
    assert main(["check-commands", str(path), "--settings", str(SETTINGS)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"{path}:8: 'safe_to_rerun' must be true or false, not a string "
        "(at groups[0].commands[0].safe_to_rerun)",
        f"{path}:6: invalid cron expression '0 3 * * 8': day of week 8 is out of range 0-7 "
        "(at groups[0].commands[0].schedule)",
        f"{path}:7: setting 'SESSION_ENGIN' is not in the settings catalog; did you mean "
        "'SESSION_ENGINE'? (at groups[0].commands[0].settings[0])",
    ]


@pytest.mark.parametrize("text, message", [
    ("version: 1\ngroups: [\n", "YAML syntax error"),
    ("version: 3\ngroups: []\n", "'version' must be 1, not 3"),
])
def test_check_fails_on_bad_files(tmp_path, capsys, text, message):
    path = tmp_path / "commands.yml"
    path.write_text(text)
    assert main(["check-commands", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:") and message in err


def test_missing_file_is_a_message_not_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "opsdocs.cli", "operations", str(tmp_path / "nope.yml")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{tmp_path / 'nope.yml'}: cannot read the commands file: No such file or directory\n")


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["operations", str(COMMANDS), "--format", "html"])
    assert raised.value.code == 2


def test_check_accepts_djangos_own_settings_unless_told_not_to(tmp_path, capsys):
    path = tmp_path / "commands.yml"
    path.write_text("version: 1\ngroups:\n  - name: maintenance\n    commands:\n"
                    "      - django: clearsessions\n        settings: [SESSION_SAVE_EVERY_REQUEST]\n")
    assert main(["check-commands", str(path), "--settings", str(SETTINGS)]) == 0
    capsys.readouterr()
    argv = ["check-commands", str(path), "--settings", str(SETTINGS), "--no-django-settings"]
    assert main(argv) == 1
    assert "'SESSION_SAVE_EVERY_REQUEST' is not in the settings catalog" in capsys.readouterr().err
    # The older flag (then needed to accept them) still works, with a note.
    assert main(["check", str(path), "--settings", str(SETTINGS), "--django-settings"]) == 0
    assert capsys.readouterr().err == (
        "opsdocs check-commands: --django-settings is deprecated: Django's own settings are accepted "
        "unless --no-django-settings\n"
        "opsdocs check is deprecated: it is opsdocs check-commands now (opsdocs check-config "
        "checks a config file)\n")


def test_check_says_when_the_settings_package_lacks_its_files(tmp_path, capsys):
    path = tmp_path / "commands.yml"
    path.write_text("version: 1\ngroups:\n  - name: web\n    commands:\n"
                    "      - {name: x, command: x, settings: [LMS_BASE_URL]}\n")
    (tmp_path / "settings").mkdir()
    assert main(["check-commands", str(path), "--settings", str(tmp_path / "settings")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"{tmp_path / 'settings' / 'required.py'}: required.py not found in settings package "
        f"{str(tmp_path / 'settings')!r}: OEP-45 asks for required.py and defaults.py (create "
        "an empty required.py if it has no settings)")
    assert err[1].startswith(f"{tmp_path / 'settings' / 'defaults.py'}: defaults.py not found")
    assert err[2].startswith(f"{path}:5: setting 'LMS_BASE_URL' is not in the settings catalog")


def test_check_searches_the_installed_apps_of_the_settings(tmp_path, capsys):
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "required.py").write_text("")
    (settings / "defaults.py").write_text("INSTALLED_APPS = ['django.contrib.auth']\n")
    path = tmp_path / "commands.yml"
    path.write_text("version: 1\ngroups:\n  - name: maintenance\n    commands:\n"
                    "      - django: clearsessions\n")
    assert main(["check-commands", str(path)]) == 0
    capsys.readouterr()
    assert main(["check-commands", str(path), "--settings", str(settings)]) == 1
    assert capsys.readouterr().err == (
        f"{path}:5: management command 'clearsessions' not found in the installed apps and "
        "Django: give 'project' (the service's directory) or 'apps' at the top of the file if "
        "it lives elsewhere (at groups[0].commands[0].django)\n")


def test_check_searches_the_installed_apps_of_every_settings_module(tmp_path, capsys):
    (tmp_path / "common.py").write_text("#: Apps.\nINSTALLED_APPS = ['django.contrib.auth']\n")
    (tmp_path / "production.py").write_text(
        "#: Apps.\nINSTALLED_APPS = ['django.contrib.sessions']\n")
    path = tmp_path / "commands.yml"
    path.write_text("version: 1\ngroups:\n  - name: maintenance\n    commands:\n"
                    "      - django: clearsessions\n")
    argv = ["check-commands", str(path), "--settings", str(tmp_path / "common.py")]
    assert main(argv) == 1  # the auth app has no clearsessions
    capsys.readouterr()
    assert main([*argv, "--settings", str(tmp_path / "production.py")]) == 0
    assert capsys.readouterr().out == f"{path}: 1 commands in 1 groups, no problems\n"


def test_markdown_manual_turns_roles_into_code(capsys):

    from opsdocs.cli import main

    commands = EXAMPLE / "docs/operations/commands.yml"
    assert main(["operations", str(commands), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert ":setting:`" not in out and ":doc:`" not in out
    assert "`EXAMPLE_IDA_CFG_PATH`" in out


@pytest.mark.parametrize(("form", "line"), [
    ("rst", "   ``--noinput``\n      *Help text set at run time.*\n"),
    ("markdown", "- `--noinput`: *Help text set at run time.*\n"),
])
def test_help_the_code_builds_when_it_runs_ends_its_sentence_once(tmp_path, capsys, form, line):
    commands = tmp_path / "service" / "reports" / "management" / "commands"
    commands.mkdir(parents=True)
    (commands / "report.py").write_text(
        "from django.core.management.base import BaseCommand\n\n"
        "class Command(BaseCommand):\n"
        "    def add_arguments(self, parser):\n"
        '        parser.add_argument("--noinput", action="store_false",\n'
        '                            help="Use --%s." % self.UserModel.USERNAME_FIELD)\n')
    path = tmp_path / "commands.yml"
    path.write_text("version: 1\nproject: service\ngroups:\n"
                    "  - name: maintenance\n    commands:\n      - django: report\n")
    assert main(["operations", str(path), "--format", form]) == 0
    assert line in capsys.readouterr().out
