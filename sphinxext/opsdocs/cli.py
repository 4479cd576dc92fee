"""The ``opsdocs`` command: the same documentation and checks, outside Sphinx.

Each subcommand is a ``_run_<name>(args) -> int`` function registered in
:func:`build_parser`.  Problems in the user's files are printed as ``file:line: message``
on standard error and give exit status 1; a usage error gives 2 (argparse's own).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from opsdocs import __version__
from opsdocs.changelog_cli import add_parsers as add_changelog_parsers
from opsdocs.config import (
    check_config,
    django_setting_names,
    read_config_text,
    sample_config,
)
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.files import write_text
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


def _as_json(to_json: Callable[[Any], object]) -> Callable[[Any], str]:
    return lambda value: json.dumps(to_json(value), indent=2) + "\n"


def _run_settings(args: argparse.Namespace) -> int:
    catalog = read_settings_package(args.path)
    render = {"json": _as_json(catalog_to_json), "markdown": catalog_to_markdown,
              "rst": catalog_to_rst}[args.format]
    sys.stdout.write(render(catalog))
    return report(p for p in catalog.problems if args.strict or p.check != "undocumented")


def _run_sample_config(args: argparse.Namespace) -> int:
    catalog = read_settings_package(args.path)
    fatal = [p for p in catalog.problems if p.check in ("syntax", "missing")]
    if fatal:  # a sample without some settings would mislead: write none
        return report(fatal)
    # Named after the absolute path, so that "." still names the service.
    text = sample_config(replace(catalog, root=str(Path(args.path).resolve())))
    if args.output:
        try:
            write_text(args.output, text)
        except OSError as error:
            return report([Problem(f"cannot write the sample config: {error.strerror or error}",
                                   args.output, check="output")])
    else:
        sys.stdout.write(text)
    return 0


def _run_check_config(args: argparse.Namespace) -> int:
    catalog = read_settings_package(args.settings)
    problems = [p for p in catalog.problems if p.check in ("syntax", "missing")]
    allowed = set(args.allow)
    if args.django_settings:
        allowed |= django_setting_names()
    for path in args.config:
        try:
            found = check_config(catalog, read_config_text(path), path, allowed=allowed)
        except OpsdocsError as error:
            found = [error.problem]
        if not found:
            print(f"{path}: no problems")
        problems.extend(found)
    return report(problems)


def _run_operations(args: argparse.Namespace) -> int:
    manual = read_manual(args.file)
    render = {"json": _as_json(manual_to_json), "markdown": manual_to_markdown,
              "rst": manual_to_rst}[args.format]
    sys.stdout.write(render(manual))
    return report(manual.problems)


def _run_check(args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    if args.settings:
        catalog = read_settings_package(args.settings)
        # Without required.py or defaults.py every setting would look unknown: say why.
        problems.extend(p for p in catalog.problems if p.check in ("syntax", "missing"))
    manual = read_manual(args.file, settings_package=args.settings)
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

    sample = commands.add_parser(
        "sample-config", help="print a sample YAML config of a settings package",
        description="Print the YAML an operator starts from: every required setting with a "
        "placeholder, every default commented out.",
    )
    sample.add_argument("path", help="the settings package (the directory with required.py)")
    sample.add_argument("-o", "--output", metavar="FILE",
                        help="write the sample to FILE instead of standard output")
    sample.set_defaults(run=_run_sample_config)

    config_check = commands.add_parser(
        "check-config", help="check YAML config files against a settings package",
        description="Report unknown keys, missing required settings, deprecated settings, "
        "values of the wrong type and YAML errors, each with its line; exit status 1 if any.",
    )
    config_check.add_argument("config", nargs="+", help="the YAML config file(s) to check")
    config_check.add_argument("--settings", required=True, metavar="PATH",
                              help="the settings package (the directory with required.py)")
    config_check.add_argument("--allow", action="append", default=[], metavar="NAME",
                              help="a key to accept though no setting defines it (a pattern "
                              "such as 'CELERY_*' works); repeat for more")
    config_check.add_argument("--no-django-settings", dest="django_settings",
                              action="store_false",
                              help="do not accept Django's own settings (DATABASES, LOGGING "
                              "...) unless the settings package defines them")
    config_check.set_defaults(run=_run_check_config)
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
                       help="settings package (with required.py): every setting named must be "
                       "in it, and its INSTALLED_APPS are searched for management commands")
    check.add_argument("--django-settings", action="store_true",
                       help="with --settings, also accept Django's own settings (SESSION_ENGINE ...)")
    check.set_defaults(run=_run_check)
    add_changelog_parsers(commands)
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
