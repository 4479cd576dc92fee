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
