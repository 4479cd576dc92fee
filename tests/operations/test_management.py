"""Where management commands are found, once per finder, and the installed apps."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from opsdocs.errors import OpsdocsError
from opsdocs.operations.management import CommandFinder
from tests.helpers import modules_loaded_by


def test_finder_prefers_the_project_then_apps_then_django(tmp_path):
    app = tmp_path / "service" / "things" / "management" / "commands"
    app.mkdir(parents=True)
    (app / "clearsessions.py").write_text("class Command:\n    help = 'ours'\n")
    (app / "_private.py").write_text("")
    skipped = tmp_path / "service" / "node_modules" / "x" / "management" / "commands"
    skipped.mkdir(parents=True)
    (skipped / "hidden.py").write_text("class Command:\n    help = 'no'\n")
    finder = CommandFinder(str(tmp_path / "service"))
    ours = finder.find("clearsessions")
    assert (ours.help, ours.module) == ("ours", "things.management.commands.clearsessions")
    assert finder.find("migrate").module == "django.core.management.commands.migrate"
    assert finder.find("hidden") is None
    names = finder.names()
    assert "clearsessions" in names and "migrate" in names and "createsuperuser" in names
    assert "_private" not in names and "hidden" not in names


def test_apps_may_be_appconfig_paths(tmp_path):
    finder = CommandFinder(apps=("django.contrib.auth.apps.AuthConfig",))
    assert finder.find("createsuperuser").module == (
        "django.contrib.auth.management.commands.createsuperuser")
    assert CommandFinder(apps=("django.contrib.auth",)).find("clearsessions") is None


def test_finding_commands_imports_nothing():
    code = ("from opsdocs.operations.management import CommandFinder; "
            "f = CommandFinder(); assert f.find('migrate') and f.find('clearsessions'); "
            "assert f.names()")
    assert modules_loaded_by(code, "django", cwd=Path(__file__).parent) == []


def test_without_django_on_the_path_the_message_says_so(tmp_path):
    from opsdocs.operations.reader import manual_from_text

    finder = CommandFinder(path=(str(tmp_path),))
    manual = manual_from_text("version: 1\ngroups:\n  - name: schema\n    commands:\n"
                              "      - django: migrate\n", "commands.yml", finder)
    assert [p.message for p in manual.problems] == [
        "management command 'migrate' not found in the installed apps and Django: Django is "
        "not on the Python path where the docs are built: install it there (opsdocs reads its "
        "code, it never runs it)"]


def apps_of(source: str):
    from opsdocs.operations.management import installed_apps
    from opsdocs.settings.reader import catalog_from_sources

    catalog = catalog_from_sources("/s", {"required.py": "", "defaults.py": textwrap.dedent(source)})
    return installed_apps(catalog.get("INSTALLED_APPS"))


@pytest.mark.parametrize("source, apps", [
    ("INSTALLED_APPS: list[str] = ['a', 'b']\n", ("a", "b")),
    ("INSTALLED_APPS = ('a',)\nINSTALLED_APPS += ['b']\nif DEBUG:\n    INSTALLED_APPS += ('c',)\n",
     ("a", "b", "c")),
    ("INSTALLED_APPS = ['a']\nINSTALLED_APPS.append('b')\nINSTALLED_APPS.extend(['c'])\n"
     "INSTALLED_APPS.insert(0, 'z')\nINSTALLED_APPS = INSTALLED_APPS + ['d', 'a']\n",
     ("z", "a", "b", "c", "d")),
    # A change that is not a literal is skipped; a main value that is not one is unknown.
    ("INSTALLED_APPS = ['a']\nINSTALLED_APPS += THIRD_PARTY\nINSTALLED_APPS.append(f())\n", ("a",)),
    ("INSTALLED_APPS = DJANGO_APPS + ['a']\n", None),
    ("INSTALLED_APPS = ['a', __import__('os').system('x')]\n", None),
    ("INSTALLED_APPS = [1]\n", None),
    ("DEBUG = True\n", None),
])
def test_installed_apps_are_read_from_literals_only(source, apps):
    assert apps_of(source) == apps


def test_installed_apps_of_the_settings_choose_where_commands_are_found(tmp_path):
    from opsdocs.operations.reader import read_manual

    settings = tmp_path / "service" / "settings"
    settings.mkdir(parents=True)
    (settings / "required.py").write_text("")
    (settings / "defaults.py").write_text("INSTALLED_APPS = ['django.contrib.auth']\n")
    path = tmp_path / "commands.yml"
    text = ("version: 1\n{}groups:\n  - name: ad-hoc\n    commands:\n"
            "      - django: createsuperuser\n      - django: clearsessions\n")
    path.write_text(text.format("settings_package: service/settings\n"))
    manual = read_manual(path)
    assert [str(p) for p in manual.problems] == [
        f"{path}:7: management command 'clearsessions' not found in the installed apps and "
        "Django: give 'project' (the service's directory) or 'apps' at the top of the file if "
        "it lives elsewhere (at groups[0].commands[1].django)"]
    assert str(settings / "defaults.py") in manual.dependencies
    # The same through an argument (opsdocs check --settings); 'apps' in the file wins.
    path.write_text(text.format(""))
    assert len(read_manual(path, settings_package=settings).problems) == 1
    assert read_manual(path).problems == ()  # every django.contrib app, as before
    path.write_text(text.format("settings_package: service/settings\n"
                                "apps: [django.contrib.sessions, django.contrib.auth]\n"))
    assert read_manual(path).problems == ()


def test_a_settings_package_that_is_not_there_is_a_located_problem(tmp_path):
    from opsdocs.operations.reader import read_manual

    path = tmp_path / "commands.yml"
    path.write_text("version: 1\nsettings_package: ../nowhere\ngroups: []\n")
    assert [str(p) for p in read_manual(path).problems] == [
        f"{path}:2: settings package {str(tmp_path.parent / 'nowhere')!r} not found: give the "
        "directory that holds required.py and defaults.py, relative to this file "
        "(at settings_package)"]


def test_each_command_is_looked_for_and_read_once_per_finder(tmp_path):
    commands = tmp_path / "service" / "things" / "management" / "commands"
    commands.mkdir(parents=True)
    (commands / "report.py").write_text("class Command:\n    help = 'Report.'\n")
    (commands / "broken.py").write_text("class Command(:\n")
    finder = CommandFinder(str(tmp_path / "service"))
    report = finder.find("report")
    (commands / "report.py").unlink()
    assert finder.find("report") is report  # kept, not read again
    assert CommandFinder(str(tmp_path / "service")).find("report") is None  # a new finder looks
    problems = []
    for _ in range(2):
        with pytest.raises(OpsdocsError) as raised:
            finder.find("broken")
        problems.append(raised.value.problem)
    assert problems[0] == problems[1]
    assert problems[0].message.startswith("syntax error in management command 'broken'")
