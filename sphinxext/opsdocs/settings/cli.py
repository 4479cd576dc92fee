"""``opsdocs settings``: the settings reference on the command line; how every subcommand
names the settings it reads."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from opsdocs._cli import (
    add_command,
    add_format_argument,
    add_sys_path_argument,
    add_warnings_argument,
    search_path,
)
from opsdocs.errors import Problem, UsageError, report
from opsdocs.files import add_output_argument, write_output
from opsdocs.markup import FORMATS
from opsdocs.settings.code_reads import Reads, scan_reads
from opsdocs.settings.django import django_setting_names
from opsdocs.settings.model import Setting, SettingsCatalog
from opsdocs.settings.read_checks import reads_problems, shown_default, unread_settings
from opsdocs.settings.reader import ReadOptions, source_from_specs
from opsdocs.settings.snapshot import catalog_json_chunks
from opsdocs.settings.sources import nearby, no_settings
from opsdocs.settings.text import catalog_text

_SOURCES = ("the settings: an OEP-45 settings package (the directory with required.py and "
            "defaults.py), or settings module files or dotted module paths "
            "(lms/envs/common.py, lms.envs.production)")


def add_file_command(commands: Any, name: str, run: Callable[[argparse.Namespace], int],
                     summary: str) -> argparse.ArgumentParser:
    """A subcommand that makes one file of a settings package: ``--settings`` and
    ``-o FILE``."""
    parser = add_command(commands, name, run, summary)
    add_settings_argument(parser)
    add_output_argument(parser)
    return parser


def add_settings_argument(parser: argparse.ArgumentParser, *, required: bool = True,
                          detail: str = "") -> None:
    """The settings a subcommand reads, given the same way to every subcommand:
    ``--settings PATH``, repeatable; and how to read them.

    Where they are *required*, the older form, the settings as arguments (``opsdocs
    settings PATH``), still works, with a note that it is deprecated.
    """
    parser.add_argument("--settings", metavar="PATH", action="append",
                        help=f"{_SOURCES}{detail}; repeat it for several modules"
                        + ("" if required else " (optional)"))
    if required:
        parser.add_argument("path", nargs="*", help=argparse.SUPPRESS)
    parser.set_defaults(settings_required=required)
    reading = parser.add_argument_group("reading the settings")
    add_sys_path_argument(reading, "dotted module paths and absolute star imports")
    reading.add_argument("--plain-comments", action="store_true",
                         help="take plain '#' comments right above a setting as its doc when "
                         "it has no '#:' comment or annotation")
    reading.add_argument("--public", action="append", default=[], metavar="PATTERN",
                         help="settings (shell patterns) whose names look secret but that are "
                         "not: their defaults are shown")
    reading.add_argument("--secret", action="append", default=[], metavar="PATTERN",
                         help="settings (shell patterns) that are secret: their defaults are "
                         "never shown")


def settings_specs(args: argparse.Namespace) -> list[str]:
    """The settings the command line names (``--settings``, and the deprecated arguments);
    :class:`UsageError` when a subcommand that needs them has none."""
    specs = list(args.settings or [])
    old = list(getattr(args, "path", None) or [])
    if old:
        print(f"opsdocs {args.command}: giving the settings as arguments is deprecated: "
              f"use --settings {' --settings '.join(old)}", file=sys.stderr)
    if not specs and not old and getattr(args, "settings_required", False):
        raise UsageError("the settings are needed: give --settings PATH (a settings package, "
                         "module file or dotted module path)")
    return [*specs, *old]


def read_arguments(args: argparse.Namespace, specs: list[str] | None = None) -> SettingsCatalog:
    """The catalog of the settings the command line names (*specs*, else
    :func:`settings_specs`)."""
    options = ReadOptions(plain_comments=args.plain_comments, public=tuple(args.public),
                          secret=tuple(args.secret))
    return source_from_specs(specs if specs is not None else settings_specs(args),
                             search_path=search_path(args), options=options)


def _run_reads(args: argparse.Namespace) -> int:
    """Scan Python files for reads of settings (getattr(settings, 'X', d), settings.X,
    settings.FEATURES.get('X', d), SettingToggle, SettingDictToggle) and, with --settings,
    report the settings read that nothing declares and the reads whose default differs
    from the declared one."""
    found = scan_reads([nearby(source) for source in args.sources], tests=args.tests)
    problems = list(found.problems)
    catalog = read_arguments(args, args.settings) if args.settings else None
    ignore = django_names(args)
    checked = reads_problems(found.reads, catalog, ignore, found.declared) \
        if catalog is not None else []
    unread = unread_settings(found.reads, catalog) if catalog is not None and args.unread else []
    text = _reads_text(found, checked, unread, args.format)
    status = max(write_output(text, args.output, "reads"), report(problems))
    return status or (1 if args.warnings_as_errors and checked else 0)


def _reads_text(found: Reads, checked: list[Problem], unread: list[Setting],
                format: str) -> str:
    """What ``opsdocs reads`` prints: every read, and the problems *checked* found."""
    if format == "json":
        return json.dumps({
            "reads": [asdict(read) for read in found.reads],
            "unresolved": [{"file": f, "line": line} for f, line in found.unresolved],
            "problems": [asdict(p) for p in checked],
            "unread": [s.name for s in unread],
        }, indent=2) + "\n"
    lines = []
    for read in found.reads:
        default = " (secret default)" if read.secret else \
            f" (default {shown_default(read.default)})" if read.default is not None else ""
        lines.append(f"{read.file}:{read.line}: {read.name}{default}")
    lines += [f"{file}:{line}: a setting named by a variable: not resolved"
              for file, line in found.unresolved]
    lines += [f"{setting.file}:{setting.line}: {setting.name} is declared but read by none "
              "of these files" for setting in unread]
    lines += [str(problem) for problem in checked]
    return "".join(line + "\n" for line in lines)


def _run_settings(args: argparse.Namespace) -> int:
    """Read the settings statically (an OEP-45 package's required.py and defaults.py, or
    settings modules and what they star-import) and print every setting."""
    catalog = read_arguments(args)
    if not catalog.settings and not catalog.incomplete:  # a missing file is told as such
        return report([*catalog.problems, no_settings(catalog.files[0] if catalog.files
                                                      else catalog.root)])
    text = catalog_json_chunks(catalog) if args.format == "json" else \
        catalog_text(catalog, args.format)
    # the problems are told even when the reference cannot be written; undocumented
    # settings fail the command only when asked
    fails = args.warnings_as_errors or any(p.check != "undocumented" for p in catalog.problems)
    written = write_output(text, args.output, "settings reference")
    status = report(catalog.problems)
    return max(written, status if fails else 0)


def add_parsers(commands: Any) -> None:
    """Add ``settings`` to the ``opsdocs`` subcommands."""
    settings = add_command(commands, "settings", _run_settings,
                           "print the settings reference of a settings package or modules")
    add_settings_argument(settings)
    add_format_argument(settings, FORMATS, "rst")
    add_output_argument(settings)
    add_warnings_argument(settings, "also exit with status 1 on undocumented settings")

    reads = add_command(commands, "reads", _run_reads,
                        "list the settings code reads, and check them against the settings")
    reads.add_argument("sources", nargs="+", metavar="SRC",
                       help="Python files or directories to scan")
    add_settings_argument(reads, required=False,
                          detail=": the declared settings the reads are checked against")
    add_format_argument(reads, ("text", "json"), "text")
    add_output_argument(reads)
    add_warnings_argument(reads, "exit with status 1 when a read is undeclared or its "
                          "default differs")
    reads.add_argument("--tests", action="store_true",
                       help="read the tests too")
    reads.add_argument("--unread", action="store_true",
                       help="also list declared settings none of the files reads")
    add_django_settings_argument(reads, "report reads of Django's own settings (DEBUG ...) as "
                                 "undeclared too")


# -- The settings in every subcommand's grammar -----------------------------------------


def add_django_settings_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """``--no-django-settings``: Django's own settings (DEBUG, DATABASES ...) count as known
    unless it is given, in every subcommand (:func:`django_names`)."""
    parser.add_argument("--no-django-settings", dest="django_settings", action="store_false",
                        help=what)


def django_names(args: argparse.Namespace) -> frozenset[str]:
    """The names of Django's own settings, known as settings; none with
    ``--no-django-settings``."""
    return django_setting_names() if args.django_settings else frozenset()
