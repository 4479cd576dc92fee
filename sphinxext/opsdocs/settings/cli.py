"""``opsdocs settings``: the settings reference on the command line; how every subcommand
names the settings package it reads."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from opsdocs.errors import report
from opsdocs.markup import FORMATS
from opsdocs.settings.reader import read_settings_package
from opsdocs.settings.text import catalog_text


def add_settings_argument(parser: argparse.ArgumentParser, *flags: str, required: bool = True,
                          detail: str = "") -> None:
    """The settings package a subcommand reads: the positional ``path``, or an option
    (``--settings PATH``) when *flags* are given."""
    text = f"the settings package (the directory with required.py and defaults.py){detail}"
    if flags:
        parser.add_argument(*flags, metavar="PATH", required=required, help=text)
    else:
        parser.add_argument("path", help=text)


def _run_settings(args: argparse.Namespace) -> int:
    catalog = read_settings_package(args.path)
    sys.stdout.write(catalog_text(catalog, args.format))
    return report(p for p in catalog.problems if args.strict or p.check != "undocumented")


def add_parsers(commands: Any) -> None:
    """Add ``settings`` to the ``opsdocs`` subcommands."""
    settings = commands.add_parser(
        "settings", help="print the settings reference of a settings package",
        description="Read required.py and defaults.py statically and print every setting.",
    )
    add_settings_argument(settings)
    settings.add_argument("--format", choices=FORMATS, default="rst")
    settings.add_argument("--strict", action="store_true",
                          help="also fail on undocumented settings")
    settings.set_defaults(run=_run_settings)
