"""A Django management command module read statically: help, arguments, inheritance."""

from __future__ import annotations

import textwrap

import pytest

from opsdocs.errors import OpsdocsError
from opsdocs.operations.command_module import read_command_source
from opsdocs.operations.management import CommandFinder
from opsdocs.operations.model import RUN_TIME


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
        ("--database DATABASE", (), RUN_TIME, False, (), ""),
    ]


@pytest.mark.parametrize("help, shown", [
    ('"Read " "the %s." % "file"', "Read the file."),
    ('"%(n)d files" % {"n": 3}', "3 files"),
    ('"{} and {x}".format("a", x="b")', "a and b"),
    ('f"Up to {LIMIT} rows"', "Up to 100 rows"),
    ('HELP + "."', "Module text."),
    ('"at most %(default)s"', "at most 5"),
    ('"Use --%s." % self.UserModel.USERNAME_FIELD', RUN_TIME),
    ('"a" + other()', RUN_TIME),
    ('"%s %s" % ("one",)', RUN_TIME),
])
def test_a_help_text_is_the_text_python_makes_from_literals_else_set_at_run_time(help, shown):
    found = command(f'''
        LIMIT = 100
        HELP = "Module text"

        class Command(BaseCommand):
            help = {help}

            def add_arguments(self, parser):
                parser.add_argument("--%s" % "limit", default=5, help={help})
                parser.add_argument("--%s" % self.UserModel.USERNAME_FIELD)
                parser.add_argument("--database", default=connections.default)
    ''')
    assert found.help == (shown if "%(default)s" not in help else "at most %(default)s")
    limit, database = found.arguments  # an option named at run time is not guessed
    assert (limit.usage, limit.description) == ("--limit LIMIT", shown)
    assert (database.usage, database.default) == ("--database DATABASE", RUN_TIME)


def test_a_positional_argument_is_shown_once_by_its_metavar():
    found = command('''
        class Command(BaseCommand):
            def add_arguments(self, parser):
                parser.add_argument("args", metavar="app_label", nargs="*")
    ''')
    assert [(a.usage, a.aliases) for a in found.arguments] == [("[app_label ...]", ())]


@pytest.mark.parametrize("source, message", [
    ("def f(:\n", "syntax error in management command 'cmd': invalid syntax"),
    ("class Other: pass\n", "cmd.py defines no 'Command' class, so it is not a management command"),
])
def test_what_is_not_a_command(source, message):
    with pytest.raises(OpsdocsError) as raised:
        command(source)
    assert raised.value.problem.message.startswith(message)


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


def test_a_base_class_imported_from_the_projects_own_package_is_followed(tmp_path):
    # The project's folder is on no search path (a console script's sys.path does not
    # hold the current directory): the import is found from the package the command is in.
    things = tmp_path / "svc" / "things"
    commands = things / "management" / "commands"
    commands.mkdir(parents=True)
    for package in (things, things / "management", commands):
        (package / "__init__.py").write_text("")
    (things / "base.py").write_text(textwrap.dedent('''
        from django.core.management.base import BaseCommand

        class Exporter(BaseCommand):
            help = "Export things."

            def add_arguments(self, parser):
                parser.add_argument("--format", default="csv")
    '''))
    (commands / "export.py").write_text(
        "from things.base import Exporter\n\nclass Command(Exporter):\n    pass\n")
    export = CommandFinder(str(tmp_path / "svc")).find("export")
    assert (export.help, [a.usage for a in export.arguments]) == (
        "Export things.", ["--format FORMAT"])
    assert export.sources[1] == str(things / "base.py")
