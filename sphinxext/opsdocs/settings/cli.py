"""``opsdocs settings``: the settings reference on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from opsdocs.errors import report
from opsdocs.settings.reader import read_settings_package
from opsdocs.settings.snapshot import catalog_to_json
from opsdocs.settings.text import catalog_to_markdown, catalog_to_rst


def _run_settings(args: argparse.Namespace) -> int:
    catalog = read_settings_package(args.path)
    if args.format == "json":
        text = json.dumps(catalog_to_json(catalog), indent=2) + "\n"
    else:
        text = {"markdown": catalog_to_markdown, "rst": catalog_to_rst}[args.format](catalog)
    sys.stdout.write(text)
    return report(p for p in catalog.problems if args.strict or p.check != "undocumented")


def add_parsers(commands: Any) -> None:
    """Add ``settings`` to the ``opsdocs`` subcommands."""
    settings = commands.add_parser(
        "settings", help="print the settings reference of a settings package",
        description="Read required.py and defaults.py statically and print every setting.",
    )
    settings.add_argument("path", help="the settings package (the directory with required.py)")
    settings.add_argument("--format", choices=("rst", "markdown", "json"), default="rst")
    settings.add_argument("--strict", action="store_true",
                          help="also fail on undocumented settings")
    settings.set_defaults(run=_run_settings)
