"""``opsdocs operations`` and ``opsdocs check-commands``: the operations manual on the
command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from opsdocs._cli import Deprecated, add_command, add_format_argument, search_path
from opsdocs.errors import Problem, report
from opsdocs.files import add_output_argument, write_output
from opsdocs.markup import FORMATS
from opsdocs.operations.reader import check_settings, read_manual
from opsdocs.operations.text import manual_text
from opsdocs.settings.cli import (
    add_django_settings_argument,
    add_settings_argument,
    django_names,
    read_arguments,
)
from opsdocs.settings.sources import resolve_source


def _run_operations(args: argparse.Namespace) -> int:
    """Read a commands file (YAML) and print the operations manual."""
    manual = read_manual(args.file)
    return write_output(manual_text(manual, args.format), args.output,
                        "operations manual") or report(manual.problems)


def _run_check(args: argparse.Namespace) -> int:
    """Validate a commands file: its schema, cron expressions, management commands and,
    with --settings, the settings it names. ('opsdocs check', its older name, still
    works.)"""
    if args.command == "check":
        print("opsdocs check is deprecated: it is opsdocs check-commands now (opsdocs "
              "check-config checks a config file)", file=sys.stderr)
    problems: list[Problem] = []
    modules = None
    if args.settings:
        catalog = read_arguments(args, args.settings)
        # Without required.py or defaults.py every setting would look unknown: say why.
        problems.extend(catalog.incomplete)
        modules = resolve_source(args.settings, search_path=search_path(args)).paths
    manual = read_manual(args.file, settings_package=modules)
    problems.extend(manual.problems)
    if args.settings:
        known = {setting.name for setting in catalog} | django_names(args)
        problems.extend(check_settings(manual, known))
    status = report(problems)
    if not status:
        count = sum(1 for _ in manual.commands)
        print(f"{args.file}: {count} commands in {len(manual.groups)} groups, no problems")
    return status


def add_parsers(commands: Any) -> None:
    """Add ``operations`` and ``check`` to the ``opsdocs`` subcommands."""
    operations = add_command(commands, "operations", _run_operations,
                             "print the operations manual of a commands file")
    operations.add_argument("file", help="the commands file, e.g. docs/operations/commands.yml")
    add_format_argument(operations, FORMATS, "rst")
    add_output_argument(operations)

    check = add_command(commands, "check-commands", _run_check,
                        "validate a commands file (exit status 1 on any problem)",
                        aliases=["check"])
    check.add_argument("file", help="the commands file, e.g. docs/operations/commands.yml")
    add_settings_argument(check, required=False,
                          detail=": every setting named must be in it, and its INSTALLED_APPS "
                          "are searched for management commands")
    add_django_settings_argument(check, "with --settings, do not accept Django's own settings "
                                 "(SESSION_ENGINE ...) unless the settings define them")
    check.add_argument("--django-settings", dest="django_settings", action=Deprecated, nargs=0,
                       help=argparse.SUPPRESS,
                       advice="Django's own settings are accepted unless --no-django-settings")
