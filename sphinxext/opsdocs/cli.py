"""The ``opsdocs`` command: the same documentation and checks, outside Sphinx.

Each concern's ``cli.py`` adds its subcommands through ``add_parsers(commands)``; each
subcommand is a ``_run_<name>(args) -> int`` function, whose docstring is the subcommand's
description (:func:`~opsdocs.settings.cli.add_command`).  Problems in the user's files are
printed as ``file:line: message`` on standard error and give exit status 1
(:func:`opsdocs.errors.report`); a mistake in the command line gives 2, whether argparse
finds it or a subcommand (:class:`~opsdocs.errors.UsageError`, a ``usage`` problem).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from typing import Any

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
    return parser


class _StandardOutputError(Exception):
    """Standard output cannot be written (``/dev/full``, a closed terminal)."""


class _StandardOutput(io.TextIOBase):
    """Standard output, whose write errors are told apart from those of files read."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self.stream.write(text))
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _StandardOutputError(error.strerror or str(error)) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _StandardOutputError(error.strerror or str(error)) from None

    def fileno(self) -> int:
        return int(self.stream.fileno())

    def isatty(self) -> bool:
        return bool(self.stream.isatty())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Whatever happens to standard output (a full disk, a closed pipe) or to the run (Ctrl-C)
    ends in one line on standard error and an exit status, never a traceback.
    """
    args, unknown = build_parser().parse_known_args(argv)
    if unknown:  # told by the subcommand's usage, which names its options
        args.parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    stdout = sys.stdout
    sys.stdout = _StandardOutput(stdout)  # type: ignore[assignment]
    try:
        status = int(args.run(args))
        sys.stdout.flush()
        return status
    except UsageError as error:
        args.parser.print_usage(sys.stderr)
        print(f"{args.parser.prog}: error: {error}", file=sys.stderr)
        return 2  # as argparse's own errors
    except OpsdocsError as error:
        return report([error.problem])
    except BrokenPipeError:  # `opsdocs settings ... | head`
        _discard(stdout)
        return 0
    except _StandardOutputError as error:
        _discard(stdout)
        print(f"opsdocs: cannot write to standard output: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("opsdocs: interrupted; no file was left half-written", file=sys.stderr)
        return 130
    finally:
        sys.stdout = stdout


def _discard(stdout: Any) -> None:
    """Drop what is left in standard output's buffer, so that Python's own flush at exit
    does not fail again (as the ``signal`` module's documentation advises)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


if __name__ == "__main__":
    sys.exit(main())
