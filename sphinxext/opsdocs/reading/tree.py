"""The Python files of code trees, walked safely: one rule for every reader of code
(toggles, settings read in code, release notes).

Folders of installed, vendored or generated code
(:data:`~opsdocs.reading.kinds.SKIPPED_FOLDERS`, ``*.egg-info``), hidden folders and tests
(:data:`~opsdocs.reading.kinds.TEST_FOLDERS`, :data:`~opsdocs.reading.kinds.TEST_FILE`) are
skipped unless an ``include`` pattern names them; ``exclude`` patterns skip more.  A folder
that cannot be opened, a loop of symbolic links or a link that leads nowhere is a problem,
and the walk goes on.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opsdocs.errors import Problem
from opsdocs.reading.kinds import PYTHON_FILE, SKIPPED_FOLDERS, TEST_FILE, TEST_FOLDERS, FileKind


@dataclass(frozen=True)
class ScanOptions:
    """Which files of a tree are read.

    *include* and *exclude* are shell patterns matched against a path relative to the
    source given (``lms/djangoapps/*/tests``) and against the name alone (``migrations``):
    an included folder is walked even when skipped by default; an excluded file or folder
    is not.  *tests*: walk the tests too.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    tests: bool = False


@dataclass
class Walk:
    """What a walk found: Python files, folders walked, problems."""

    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _matches(relative: str, name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(relative, p) or fnmatch.fnmatchcase(name, p)
               for p in patterns)


def walk(sources: Sequence[Path], options: ScanOptions = ScanOptions(),
         kind: FileKind = PYTHON_FILE) -> Walk:
    """The ``.py`` files of *sources* (folders walked in name order, files as they are),
    each once; what cannot be read is a problem of *kind*'s ``unreadable`` check."""
    walker = _Walker(options, kind.unreadable)
    for source in sources:
        walker.source(source)
    return walker.result


Identity = tuple[int, int]


class _Walker:
    """Walks folders: each folder once, by identity; a link to a folder above it is a loop."""

    def __init__(self, options: ScanOptions, check: str) -> None:
        self.options = options
        self.check = check
        self.patterns = bool(options.include or options.exclude)
        self.result = Walk()
        self.seen_files: set[Identity] = set()

    def source(self, source: Path) -> None:
        try:
            info = os.stat(source)
        except OSError as error:
            self.result.problems.append(_unreadable(source, error, self.check))
            return
        if not stat.S_ISDIR(info.st_mode):
            self.add_file(source, info)
            return
        visited: set[Identity] = set()
        stack: list[tuple[Path, tuple[Identity, ...]]] = [(source, ((info.st_dev, info.st_ino),))]
        while stack:
            folder, ancestors = stack.pop()
            if ancestors[-1] in visited:
                continue  # reached by a link already: the same files
            visited.add(ancestors[-1])
            stack.extend(reversed(self.folder(source, folder, ancestors)))

    def folder(self, source: Path, folder: Path, ancestors: tuple[Identity, ...],
               ) -> list[tuple[Path, tuple[Identity, ...]]]:
        """Read *folder*'s files; the folders below it to walk."""
        self.result.folders.append(folder)
        try:
            # links after what they may lead to: a file is read under its own path
            entries = sorted(os.scandir(folder), key=lambda e: (e.is_symlink(), e.name))
        except OSError as error:
            self.result.problems.append(_unreadable(folder, error, self.check, "folder"))
            return []
        below = []
        prefix = len(str(source)) + 1
        for entry in entries:
            # relative paths only for patterns: a Path per entry costs more than the walk
            relative = entry.path[prefix:].replace(os.sep, "/") if self.patterns else ""
            if relative and _matches(relative, entry.name, self.options.exclude):
                continue  # before stat: an excluded entry may be unreadable
            try:
                info = entry.stat()  # through links: a link to a folder is walked
            except OSError as error:
                if entry.name.endswith(".py") or error.errno == errno.ELOOP:
                    self.result.problems.append(_unreadable(Path(entry.path), error, self.check))
                continue
            identity = (info.st_dev, info.st_ino)
            if not stat.S_ISDIR(info.st_mode):
                if wanted_file(entry.name, relative, self.options):
                    self.add_file(Path(entry.path), info)
            elif identity in ancestors:
                self.result.problems.append(Problem(
                    "a loop of symbolic links: this folder leads back to a folder above it; "
                    "it is skipped", entry.path, check=self.check))
            elif wanted_folder(entry.name, relative, self.options):
                below.append((Path(entry.path), (*ancestors, identity)))
        return below

    def add_file(self, path: Path, info: os.stat_result) -> None:
        if (info.st_dev, info.st_ino) not in self.seen_files:  # a file linked twice: once
            self.seen_files.add((info.st_dev, info.st_ino))
            self.result.files.append(path)


def wanted_file(name: str, relative: str, options: ScanOptions = ScanOptions()) -> bool:
    """Whether the walk reads the file *name* at *relative* (``/``-separated, below a
    source; needed only with include or exclude patterns), in a folder it entered."""
    return name.endswith(".py") and not _matches(relative, name, options.exclude) and (
        options.tests or not TEST_FILE.fullmatch(name) or
        _matches(relative, name, options.include))


def wanted_folder(name: str, relative: str, options: ScanOptions = ScanOptions()) -> bool:
    """Whether the walk enters the folder *name* at *relative* (as for
    :func:`wanted_file`), in a folder it entered: not excluded, and not skipped by default
    (:data:`~opsdocs.reading.kinds.SKIPPED_FOLDERS`, ``*.egg-info``, hidden folders, tests)
    unless included."""
    if _matches(relative, name, options.exclude):
        return False
    default = name in SKIPPED_FOLDERS or name.startswith(".") or name.endswith(".egg-info") or \
        (not options.tests and name in TEST_FOLDERS)
    return not default or _matches(relative, name, options.include)


def _unreadable(path: Path, error: OSError, check: str, what: str = "file") -> Problem:
    if error.errno == errno.ELOOP:
        reason = "a loop of symbolic links; it is skipped"
    elif isinstance(error, FileNotFoundError):
        reason = "a symbolic link to nothing; it is skipped"
    else:
        reason = f"{error.strerror or type(error).__name__}; it is skipped"
    return Problem(f"cannot read the {what}: {reason}", str(path), check=check)
