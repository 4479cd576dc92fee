"""``opsdocs settings``: the settings reference on the command line; how every subcommand
names the settings it reads."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from opsdocs.errors import report
from opsdocs.markup import FORMATS
from opsdocs.settings.model import SettingsCatalog
from opsdocs.settings.reader import ReadOptions, read_source
from opsdocs.settings.text import catalog_text

_SOURCES = ("the settings: an OEP-45 settings package (the directory with required.py and "
            "defaults.py), or settings module files or dotted module paths "
            "(lms/envs/common.py, lms.envs.production)")


def add_settings_argument(parser: argparse.ArgumentParser, *flags: str, required: bool = True,
                          detail: str = "") -> None:
    """The settings a subcommand reads: the positional ``path`` (one or more), or an option
    (``--settings PATH``, repeatable) when *flags* are given; and how to read them."""
    if flags:
        parser.add_argument(*flags, metavar="PATH", required=required, action="append",
                            help=f"{_SOURCES}{detail}; repeat it for several modules")
    else:
        parser.add_argument("path", nargs="+", help=_SOURCES)
    reading = parser.add_argument_group("reading the settings")
    reading.add_argument("--sys-path", action="append", default=[], metavar="DIR",
                         help="a directory dotted module paths and absolute star imports are "
                         "found in (default: the current directory); repeat for more")
    reading.add_argument("--plain-comments", action="store_true",
                         help="take plain '#' comments right above a setting as its doc when "
                         "it has no '#:' comment or annotation")
    reading.add_argument("--public", action="append", default=[], metavar="PATTERN",
                         help="settings (shell patterns) whose names look secret but that are "
                         "not: their defaults are shown")


def read_arguments(args: argparse.Namespace, specs: list[str] | None = None) -> SettingsCatalog:
    """The catalog of the settings the command line names (*specs*, else ``args.path``)."""
    options = ReadOptions(plain_comments=args.plain_comments, public=tuple(args.public))
    search_path = [*(Path(p) for p in args.sys_path), Path.cwd()]
    return read_source(specs if specs is not None else args.path, search_path=search_path,
                       options=options)


def _run_settings(args: argparse.Namespace) -> int:
    catalog = read_arguments(args)
    sys.stdout.write(catalog_text(catalog, args.format))
    return report(p for p in catalog.problems if args.strict or p.check != "undocumented")


def add_parsers(commands: Any) -> None:
    """Add ``settings`` to the ``opsdocs`` subcommands."""
    settings = commands.add_parser(
        "settings", help="print the settings reference of a settings package or modules",
        description="Read the settings statically (an OEP-45 package's required.py and "
        "defaults.py, or settings modules and what they star-import) and print every setting.",
    )
    add_settings_argument(settings)
    settings.add_argument("--format", choices=FORMATS, default="rst")
    settings.add_argument("--strict", action="store_true",
                          help="also fail on undocumented settings")
    settings.set_defaults(run=_run_settings)
