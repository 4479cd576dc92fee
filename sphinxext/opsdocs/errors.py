"""Problems found in a user's files, with the file and line they come from.

Readers return or raise these; the Sphinx glue turns them into located warnings
(:mod:`opsdocs._sphinx`), the command line prints them with :func:`report`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something wrong in a user's file: where it is and what to do about it.

    ``check`` names the kind of problem (``syntax``, ``undocumented`` ...); the Sphinx
    glue uses it as the warning subtype, so ``suppress_warnings = ["opsdocs.undocumented"]``
    silences one kind.  ``path`` is the place inside a YAML document (``tasks[3].command``).
    """

    message: str
    file: str
    line: int | None = None
    check: str = "error"
    path: str | None = None

    @property
    def location(self) -> str:
        """``file:line`` as compilers and Sphinx print it."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        inside = f" (at {self.path})" if self.path else ""
        return f"{self.location}: {self.message}{inside}"


class OpsdocsError(Exception):
    """A user's file cannot be read at all; carries the :class:`Problem`."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class UsageError(Exception):
    """A mistake in the command line itself: the CLI prints the subcommand's usage and the
    message, and exits with status 2 (as argparse does)."""


#: The ``check`` of a problem that is a mistake in the command line, not in a file.
USAGE = "usage"


def report(problems: Iterable[Problem]) -> int:
    """Print *problems* on standard error, as the CLI does; the exit status they call for:
    2 when one is a mistake in the command line (check ``usage``), else 1 (0 for none)."""
    status = 0
    for problem in problems:
        print(f"{problem}", file=sys.stderr)
        status = 2 if problem.check == USAGE else max(status, 1)
    return status
