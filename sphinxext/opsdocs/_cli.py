"""The command line's grammar, which every concern's ``cli.py`` shares: a subcommand and
its description, ``--format``, ``--warnings-as-errors``, ``--sys-path``, days, and older
option names that still work.  How a subcommand names the settings it reads is the
settings' (:mod:`opsdocs.settings.cli`); ``-o FILE`` is :mod:`opsdocs.files`'."""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any


def add_command(commands: Any, name: str, run: Callable[[argparse.Namespace], int],
                summary: str, **options: Any) -> argparse.ArgumentParser:
    """The subcommand *name*, which *run* runs: ``opsdocs --help`` lists it with *summary*,
    its own ``--help`` describes it with *run*'s docstring (as click and pip do), so that
    what it does is written once, where it is done."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=summary, description=inspect.getdoc(run), **options)
    parser.set_defaults(run=run, parser=parser)
    return parser


def add_format_argument(parser: argparse.ArgumentParser, choices: tuple[str, ...],
                        default: str) -> None:
    """``--format``: the output's format, one of *choices*."""
    parser.add_argument("--format", choices=choices, default=default,
                        help=f"the output's format: {', '.join(choices)} (default: {default})")


def add_warnings_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """``--warnings-as-errors`` (``--strict`` before): *what* it does."""
    parser.add_argument("--warnings-as-errors", action="store_true", help=what)
    parser.add_argument("--strict", dest="warnings_as_errors", action=Deprecated, nargs=0,
                        help=argparse.SUPPRESS, advice="use --warnings-as-errors")


def add_sys_path_argument(group: Any, what: str) -> None:
    """``--sys-path DIR``, repeatable: where *what* are found (:func:`search_path`)."""
    group.add_argument("--sys-path", action="append", default=[], metavar="DIR",
                       help=f"a directory {what} are found in (default: the current "
                       "directory); repeat for more")


def search_path(args: argparse.Namespace) -> list[Path]:
    """Where dotted names are found: the ``--sys-path`` directories, then the current one."""
    return [*(Path(p) for p in args.sys_path), Path.cwd()]


def day_argument(text: str) -> date:
    """A day on the command line: ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


class Deprecated(argparse.Action):
    """An option's older name: it still works (a flag sets *value*, an option its value),
    with a note saying what to do instead (*advice*)."""

    def __init__(self, *args: Any, advice: str, value: object = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.advice, self.value = advice, value

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option: str | None = None) -> None:
        print(f"{parser.prog}: {option} is deprecated: {self.advice}", file=sys.stderr)
        setattr(namespace, self.dest, self.value if values in (None, []) else values)
