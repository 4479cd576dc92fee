"""The ``opsdocs`` command: the same documentation and checks, outside Sphinx.

Each concern's ``cli.py`` adds its subcommands through ``add_parsers(commands)``; each
subcommand is a ``_run_<name>(args) -> int`` function.  Problems in the user's files are
printed as ``file:line: message`` on standard error and give exit status 1
(:func:`opsdocs.errors.report`); a mistake in the command line gives 2, whether argparse
finds it or a subcommand (:class:`~opsdocs.errors.UsageError`, a ``usage`` problem).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from opsdocs import __version__
from opsdocs.changelog import cli as changelog_cli
from opsdocs.changelog import notes_cli
from opsdocs.config import cli as config_cli
from opsdocs.errors import OpsdocsError, UsageError, report
from opsdocs.operations import cli as operations_cli
from opsdocs.settings import cli as settings_cli
from opsdocs.toggles import cli as toggles_cli

#: The concerns' subcommands, in the order ``opsdocs --help`` lists them (``upgrade`` beside
#: the changelog's, which it reads).
PARSERS = (settings_cli.add_parsers, toggles_cli.add_parsers, config_cli.add_parsers,
           operations_cli.add_parsers, config_cli.add_upgrade_parser, changelog_cli.add_parsers,
           notes_cli.add_parsers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="opsdocs",
        description="Document how an OEP-45 Django service is configured and operated.",
    )
    parser.add_argument("--version", action="version", version=f"opsdocs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_parsers in PARSERS:
        add_parsers(commands)
    for subcommand in commands.choices.values():
        subcommand.set_defaults(parser=subcommand)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except UsageError as error:
        args.parser.print_usage(sys.stderr)
        print(f"{args.parser.prog}: error: {error}", file=sys.stderr)
        return 2  # as argparse's own errors
    except OpsdocsError as error:
        return report([error.problem])
    except BrokenPipeError:  # `opsdocs settings ... | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
