"""The ``opsdocs`` command: the same documentation and checks, outside Sphinx.

Each subcommand is a ``_run_<name>(args) -> int`` function registered in
:func:`build_parser`.  Problems in the user's files are printed as ``file:line: message``
on standard error and give exit status 1; a usage error gives 2 (argparse's own).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence

from opsdocs import __version__
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.operations import check_settings, manual_to_json, read_manual
from opsdocs.operations_text import manual_to_markdown, manual_to_rst
from opsdocs.settings import catalog_to_json, read_settings_package
from opsdocs.settings_text import catalog_to_markdown, catalog_to_rst


def report(problems: Iterable[Problem]) -> int:
    """Print *problems* on standard error; the exit status they call for."""
    status = 0
    for problem in problems:
        print(f"{problem}", file=sys.stderr)
        status = 1
    return status


def _run_settings(args: argparse.Namespace) -> int:
    catalog = read_settings_package(args.path)
    if args.format == "json":
        text = json.dumps(catalog_to_json(catalog), indent=2) + "\n"
    elif args.format == "markdown":
        text = catalog_to_markdown(catalog)
    else:
        text = catalog_to_rst(catalog)
    sys.stdout.write(text)
    return report(p for p in catalog.problems if args.strict or p.check != "undocumented")


def _run_operations(args: argparse.Namespace) -> int:
    manual = read_manual(args.file)
    if args.format == "json":
        text = json.dumps(manual_to_json(manual), indent=2) + "\n"
    elif args.format == "markdown":
        text = manual_to_markdown(manual)
    else:
        text = manual_to_rst(manual)
    sys.stdout.write(text)
    return report(manual.problems)


def _run_check(args: argparse.Namespace) -> int:
    manual = read_manual(args.file)
    problems = list(manual.problems)
    if args.settings:
        catalog = read_settings_package(args.settings)
        problems.extend(check_settings(manual, {setting.name for setting in catalog}))
    status = report(problems)
    if not status:
        count = sum(1 for _ in manual.commands)
        print(f"{args.file}: {count} commands in {len(manual.groups)} groups, no problems")
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="opsdocs",
        description="Document how an OEP-45 Django service is configured and operated.",
    )
    parser.add_argument("--version", action="version", version=f"opsdocs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    settings = commands.add_parser(
        "settings", help="print the settings reference of a settings package",
        description="Read required.py and defaults.py statically and print every setting.",
    )
    settings.add_argument("path", help="the settings package (the directory with required.py)")
    settings.add_argument("--format", choices=("rst", "markdown", "json"), default="rst")
    settings.add_argument("--strict", action="store_true",
                          help="also fail on undocumented settings")
    settings.set_defaults(run=_run_settings)
    operations = commands.add_parser(
        "operations", help="print the operations manual of a commands file",
        description="Read a commands file (YAML) and print the operations manual.",
    )
    operations.add_argument("file", help="the commands file, e.g. docs/operations/commands.yml")
    operations.add_argument("--format", choices=("rst", "markdown", "json"), default="rst")
    operations.set_defaults(run=_run_operations)

    check = commands.add_parser(
        "check", help="validate a commands file (exit status 1 on any problem)",
        description="Validate a commands file: its schema, cron expressions, management "
        "commands and, with --settings, the settings it names.",
    )
    check.add_argument("file", help="the commands file, e.g. docs/operations/commands.yml")
    check.add_argument("--settings", metavar="PATH",
                       help="settings package (with required.py): every setting named must be in it")
    check.set_defaults(run=_run_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except OpsdocsError as error:
        return report([error.problem])
    except BrokenPipeError:  # `opsdocs settings ... | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
