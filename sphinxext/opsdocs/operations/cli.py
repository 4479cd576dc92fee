"""``opsdocs operations`` and ``opsdocs check``: the operations manual on the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from opsdocs.errors import Problem, report
from opsdocs.markup import FORMATS
from opsdocs.operations.reader import check_settings, read_manual
from opsdocs.operations.text import manual_text
from opsdocs.settings.cli import add_settings_argument, read_arguments
from opsdocs.settings.django import django_setting_names


def _run_operations(args: argparse.Namespace) -> int:
    manual = read_manual(args.file)
    sys.stdout.write(manual_text(manual, args.format))
    return report(manual.problems)


def _run_check(args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    if args.settings:
        catalog = read_arguments(args, args.settings)
        # Without required.py or defaults.py every setting would look unknown: say why.
        problems.extend(catalog.incomplete)
    manual = read_manual(args.file, settings_package=args.settings[0] if args.settings else None)
    problems.extend(manual.problems)
    if args.settings:
        known = {setting.name for setting in catalog}
        if args.django_settings:
            known |= django_setting_names()
        problems.extend(check_settings(manual, known))
    status = report(problems)
    if not status:
        count = sum(1 for _ in manual.commands)
        print(f"{args.file}: {count} commands in {len(manual.groups)} groups, no problems")
    return status


def add_parsers(commands: Any) -> None:
    """Add ``operations`` and ``check`` to the ``opsdocs`` subcommands."""
    operations = commands.add_parser(
        "operations", help="print the operations manual of a commands file",
        description="Read a commands file (YAML) and print the operations manual.",
    )
    operations.add_argument("file", help="the commands file, e.g. docs/operations/commands.yml")
    operations.add_argument("--format", choices=FORMATS, default="rst")
    operations.set_defaults(run=_run_operations)

    check = commands.add_parser(
        "check", help="validate a commands file (exit status 1 on any problem)",
        description="Validate a commands file: its schema, cron expressions, management "
        "commands and, with --settings, the settings it names.",
    )
    check.add_argument("file", help="the commands file, e.g. docs/operations/commands.yml")
    add_settings_argument(check, "--settings", required=False,
                          detail=": every setting named must be in it, and its INSTALLED_APPS "
                          "are searched for management commands")
    check.add_argument("--django-settings", action="store_true",
                       help="with --settings, also accept Django's own settings (SESSION_ENGINE ...)")
    check.set_defaults(run=_run_check)
