"""Django management commands read statically: help, arguments, and where commands are found."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from opsdocs.errors import OpsdocsError
from opsdocs.operations.management import (
    CommandFinder,
    package_directories,
    read_command_source,
)
from tests.helpers import modules_loaded_by


def command(source: str):
    return read_command_source(textwrap.dedent(source), "cmd.py", "cmd")


def test_help_and_arguments_in_source_order():
    found = command('''
        from django.utils.translation import gettext_lazy as _

        class Command(BaseCommand):
            help = _("Import things. ") + "Twice."

            def add_arguments(self, parser):
                parser.add_argument("paths", nargs="+", help="files to read")
                parser.add_argument("--limit", "-l", type=int, default=10,
                                    help="at most %(default)s (100%% safe)")
                group = parser.add_mutually_exclusive_group()
                group.add_argument("--fast", action="store_true", help="skip checks")
                group.add_argument("--mode", choices=["a", "b"], required=True)
                parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
    ''')
    assert found.help == "Import things. Twice."
    assert [(a.usage, a.aliases, a.default, a.required, a.choices, a.description)
            for a in found.arguments] == [
        ("paths [paths ...]", (), None, True, (), "files to read"),
        ("--limit LIMIT", ("-l",), "10", False, (), "at most 10 (100% safe)"),
        ("--fast", (), None, False, (), "skip checks"),
        ("--mode MODE", (), None, True, ("a", "b"), ""),
        ("--database DATABASE", (), "DEFAULT_DB_ALIAS", False, (), ""),
    ]


@pytest.mark.parametrize("source, message", [
    ("def f(:\n", "syntax error in management command 'cmd': invalid syntax"),
    ("class Other: pass\n", "cmd.py defines no 'Command' class, so it is not a management command"),
])
def test_what_is_not_a_command(source, message):
    with pytest.raises(OpsdocsError) as raised:
        command(source)
    assert raised.value.problem.message.startswith(message)


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


def test_package_directories_on_a_given_path(tmp_path):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    assert package_directories("pkg.sub", [str(tmp_path)]) == [tmp_path / "pkg" / "sub"]
    assert package_directories("pkg.nope", [str(tmp_path)]) == []
    assert package_directories("no_such_package_anywhere") == []


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


def test_inherited_arguments_and_help_are_followed_statically(tmp_path):
    commands = tmp_path / "svc" / "things" / "management" / "commands"
    commands.mkdir(parents=True)
    (tmp_path / "svc" / "things" / "base.py").write_text(textwrap.dedent('''
        from django.core.management.base import BaseCommand

        class Exporter(BaseCommand):
            help = "Export things."

            def add_arguments(self, parser):
                parser.add_argument("--format", default="csv")
    '''))
    (commands / "export.py").write_text(textwrap.dedent('''
        from ...base import Exporter as Base

        class Local(Base):
            def add_arguments(self, parser):
                parser.add_argument("--first")
                super().add_arguments(parser)

        class Command(Local):
            def add_arguments(self, parser):
                parser.add_argument("where")
                super().add_arguments(parser)
                parser.add_argument("--last")
    '''))
    (commands / "loop.py").write_text(
        "from .loop import Command\n\nclass Command(Command):\n    pass\n")
    (commands / "app.py").write_text(
        "from django.core.management.base import AppCommand\n\nclass Command(AppCommand):\n"
        "    help = 'Per app.'\n")
    finder = CommandFinder(str(tmp_path / "svc"))
    export = finder.find("export")
    assert export.help == "Export things."
    assert [a.usage for a in export.arguments] == [
        "where", "--first FIRST", "--format FORMAT", "--last LAST"]
    assert export.sources == (str(commands / "export.py"), str(tmp_path / "svc" / "things" /
                                                              "base.py"), *export.sources[2:])
    assert finder.find("loop").arguments == ()  # a class that inherits from itself ends
    assert [a.usage for a in finder.find("app").arguments] == ["app_label [app_label ...]"]
    # Django's own: staticfiles' runserver adds its options to core's.
    runserver = CommandFinder(apps=("django.contrib.staticfiles",)).find("runserver")
    usages = [a.usage for a in runserver.arguments]
    assert usages[0] == "[addrport]" and usages[-2:] == ["--nostatic", "--insecure"]


@pytest.mark.parametrize("imports, base", [
    ("from django.core.management import base", "base.LabelCommand"),
    ("from django.core import management", "management.base.LabelCommand"),
    ("import django.core.management.base", "django.core.management.base.LabelCommand"),
    ("import django.core.management.base as b", "b.LabelCommand"),
    ("from django.core.management.base import LabelCommand as Label", "Label"),
])
def test_a_base_class_written_as_an_attribute_is_followed(imports, base):
    found = command(f'{imports}\n\nclass Command({base}):\n    label = "thing"\n')
    assert [a.usage for a in found.arguments] == ["thing [thing ...]"]
    assert found.sources[1].endswith("base.py")


def test_metavar_self_label_is_the_class_attribute_of_the_command_or_its_bases(tmp_path):
    (tmp_path / "labels.py").write_text(textwrap.dedent('''
        from django.core.management.base import LabelCommand

        class FileCommand(LabelCommand):
            label = "file"

            def add_arguments(self, parser):
                super().add_arguments(parser)
                parser.add_argument("--into", metavar=self.label)
                parser.add_argument("--unknown", metavar=self.nowhere)
    '''))
    (tmp_path / "cmd.py").write_text("from . import labels\n\nclass Command(labels.FileCommand):\n"
                                     "    pass\n")
    found = read_command_source((tmp_path / "cmd.py").read_text(), str(tmp_path / "cmd.py"), "c")
    assert [a.usage for a in found.arguments] == [
        "file [file ...]", "--into file", "--unknown UNKNOWN"]
    found = read_command_source((tmp_path / "cmd.py").read_text() + "    label = 'path'\n",
                                str(tmp_path / "cmd.py"), "c")
    assert [a.usage for a in found.arguments][:2] == ["path [path ...]", "--into path"]
    findstatic = CommandFinder(apps=("django.contrib.staticfiles",)).find("findstatic")
    assert [a.usage for a in findstatic.arguments] == ["staticfile [staticfile ...]", "--first"]
