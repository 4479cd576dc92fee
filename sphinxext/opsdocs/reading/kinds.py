"""The kinds of files opsdocs reads, and every cap on how much of them it reads.

The one home of both: each :class:`FileKind` of the project (its name in messages, its size
cap and the checks of its problems) and each limit on size, nesting and counts is defined
here, documented in docs/limits (a test keeps the two in step), and imported from here.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NoReturn

from opsdocs.errors import OpsdocsError, Problem

KiB = 1024
MiB = 1024 * KiB

#: How deep a document may nest (YAML collections, JSON arrays and objects, Python
#: expressions).  Real files stay far below; readers that recurse stay far from
#: Python's recursion limit.
MAX_DEPTH = 100
#: How many values a YAML document may hold, aliases and ``<<`` merges counted each time
#: they are used ("billion laughs" stops here).
MAX_YAML_VALUES = 1_000_000
#: How many values a check that walks a composed YAML document (the config check, the
#: commands file's validation) visits at most, each use of an alias counted again.  Smaller
#: than :data:`MAX_YAML_VALUES`: a check does in Python, at every value, what composing does
#: in C, and reports what it found up to there rather than refusing the file.
MAX_CHECKED_VALUES = 100_000
#: Digits of an integer in JSON beyond which it is refused (Python refuses 4,300).
MAX_JSON_DIGITS = 100
#: Seconds checking one config against a JSON Schema may take: its ``pattern`` rules run
#: on Python's backtracking engine, where ``^(a+)+$`` takes exponential time.  Past it the
#: check stops with a message naming the pattern (on systems with ``SIGALRM``).
MAX_SCHEMA_SECONDS = 10

#: Settings one settings source defines at most (openedx-platform's LMS has some 850): an
#: HTML reference of this many documented settings stays under about 700 MB and 40 s.
MAX_SETTINGS = 20_000
#: Characters of a default a page shows (HTML keeps them a click away); the rest is named
#: by its length, and the JSON output keeps the whole.  A settings module of the largest
#: size built with one default of all of it stays within a few hundred MB.
MAX_SHOWN_DEFAULT = 20_000
#: Characters of a line of a default in a table (the reference in builders other than
#: HTML): Sphinx's text writer wraps a long word in time that grows with its square.
MAX_TABLE_LINE = 200

#: How deep below a project directory ``<app>/management/commands`` is looked for.
MAX_PROJECT_DEPTH = 6
#: Folders of installed, vendored, generated or tool code, never the service's own: no
#: walk of a tree goes into them (commands, settings read in code, toggles), nor into a
#: hidden folder (``.direnv``, ``.cache``: its name starts with ``.``).
SKIPPED_FOLDERS = frozenset({
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env", ".env", "virtualenv",
    "site-packages", "dist-packages", "node_modules", "bower_components", "__pycache__",
    "build", "dist", ".eggs", ".mypy_cache", ".pytest_cache", ".ruff_cache", "htmlcov",
    "_build",
})
#: Folders and files of tests, skipped by every walk of a tree unless tests are asked for
#: (toggles, settings read in code): ``test_*.py``, ``*_tests.py``, ``tests.py`` and
#: ``conftest.py``; not ``*_test.py``, a module's name as often as a test's
#: (``split_test.py``), and in a tests folder when a test's.
TEST_FOLDERS = frozenset({"tests", "test", "testing"})
TEST_FILE = re.compile(r"(?:test_.*|.*_tests|tests|conftest)\.py")
#: How many base classes are followed for what a management command inherits.
MAX_INHERITANCE = 8

#: Keys or items of a changed dict or list default the changelog details for one setting;
#: the rest are counted in one last part.
MAX_CHANGED_PARTS = 200
#: Nesting of a changed default followed at most; deeper, a changed value is one part.
MAX_CHANGED_DEPTH = 20
#: How many names and imports a toggle's name may go through before it is called unknown.
MAX_NAME_STEPS = 12
#: The most bits a power or a shift of whole numbers makes when a default is compared as a
#: value (``2 ** 20``, ``1 << 30``); past it, the defaults are compared as code.
MAX_POWER_BITS = 256
#: Summaries a changelog cache file keeps (each kind), the most recent ones.
MAX_CACHE_ENTRIES = 20_000
#: Python files the release notes read from a service's code trees at one git ref, at
#: most (openedx-platform's ``lms cms openedx common xmodule`` hold some 2,900 besides
#: their tests); the files listed past it are left out, with a message.
MAX_TREE_FILES = 50_000


@dataclass(frozen=True)
class FileKind:
    """A kind of file opsdocs reads: its name in messages, its size cap and its checks.

    The checks are the warning subtypes of a file that cannot be read (``unreadable``),
    is larger than ``limit`` bytes (``too_large``) or cannot be decoded or parsed
    (``malformed``).
    """

    name: str
    limit: int
    unreadable: str = "missing"
    too_large: str = "too-large"
    malformed: str = "syntax"

    def problem(self, message: str, filename: str, line: int | None = None, *,
                check: str | None = None) -> Problem:
        return Problem(message, filename, line, check or self.malformed)

    def fail(self, message: str, filename: str, line: int | None = None, *,
             check: str | None = None) -> NoReturn:
        raise OpsdocsError(self.problem(message, filename, line, check=check))


#: The limits of each kind of file, documented in docs/limits (a test keeps them in step).
#: Python's own parser peaks at some 375 MB per MiB of the shortest statements (``AB=0``):
#: 1 MiB, seven times openedx-platform's largest settings module, keeps the worst file
#: under about 1 GB in every command and build (docs/limits says what was measured).
SETTINGS_MODULE = FileKind("settings module", 1 * MiB)
COMMAND_MODULE = FileKind("management command module", 1 * MiB, "django-command",
                          "django-command", "django-command")
#: A snapshot of :data:`MAX_SETTINGS` documented settings is some 20 MB; decoding 32 MiB of
#: the smallest entries JSON allows peaks near 700 MB.
SNAPSHOT = FileKind("snapshot", 32 * MiB, "snapshot", "snapshot", "snapshot")
#: The operator's YAML config, as the config check and the runtime loader read it.
CONFIG_FILE = FileKind("config file", 1 * MiB, "config-missing", "config-size",
                       "config-syntax")
COMMANDS_FILE = FileKind("commands file", 2 * MiB, "missing", "too-large", "yaml")
#: A reference of 60,000 ``ENV`` lines (1 MiB) took 1.5 GB to build; real Dockerfiles are a
#: few KiB.
DOCKERFILE = FileKind("Dockerfile", 256 * KiB, "dockerfile-missing", "dockerfile-too-large",
                      "dockerfile-syntax")
#: A Python file of a code tree, as the toggles reader reads it (capped as a settings
#: module is: Python's parser is the cost).
PYTHON_FILE = FileKind("Python module", 1 * MiB, unreadable="toggle-unreadable",
                       too_large="toggle-too-large", malformed="toggle-syntax")
#: A JSON Schema file given to ``check-config --schema``: checking one against its
#: metaschema takes some 11 s of CPU per MiB of the smallest properties.
SCHEMA_FILE = FileKind("JSON Schema", 4 * MiB, "config-schema", "config-schema",
                       "config-schema")


def too_large_message(kind: FileKind) -> str:
    """What is wrong with a file over its kind's size cap."""
    return (f"the {kind.name} is larger than {_size(kind.limit)}, the most opsdocs reads of "
            f"a {kind.name}: is this the right file?")


def _size(count: int) -> str:
    if count % MiB == 0:
        return f"{count // MiB} MiB"
    return f"{count // KiB} KiB" if count % KiB == 0 else f"{count} bytes"


def nested_too_deeply(kind: FileKind) -> str:
    """The message of a document nested more than :data:`MAX_DEPTH` levels."""
    return (f"the {kind.name} is too deeply nested (more than {MAX_DEPTH} levels) for "
            "opsdocs to read: flatten it")


class TimeUp(BaseException):
    """A :func:`time_bound` ran out (a BaseException: no ``except Exception`` catches it)."""


@contextmanager
def time_bound(seconds: float, expired: Callable[[], BaseException] = TimeUp,
               ) -> Iterator[None]:
    """Raise ``expired()`` in the block after *seconds* (:class:`TimeUp` by default):
    Python's regular expression engine checks for signals while it matches, so a
    backtracking pattern is stopped too.  Without ``SIGALRM`` (Windows) or outside the
    main thread, no bound."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not \
            threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise expired()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
