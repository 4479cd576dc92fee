"""The Python files of code trees: what the toggles reader is pointed at, walked safely.

A source is a folder, a Python file, or a dotted package or module found on a search path
(``lms``, ``openedx.core.djangoapps``).  Folders of installed, vendored or generated code
(``.venv``, ``site-packages``, ``node_modules``, ``build``) and tests are skipped unless an
``include`` pattern names them; ``exclude`` patterns skip more.  A folder that cannot be
opened, a loop of symbolic links or a link that leads nowhere is a problem, and the walk
goes on.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opsdocs.errors import Problem
from opsdocs.reading import SKIPPED_FOLDERS
from opsdocs.settings.sources import find_module

#: Folders and files of tests, skipped unless ``tests`` is asked for.
TEST_FOLDERS = frozenset({"tests", "test", "testing"})
_TEST_FILE = re.compile(r"(?:test_.*|.*_tests?|conftest|tests?)\.py")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


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


def resolve_sources(specs: Sequence[str | Path], base: Path,
                    search_path: Iterable[Path] = (),
                    locate: Callable[[str], Path] | None = None,
                    ) -> tuple[list[Path], list[Problem]]:
    """The folders and files *specs* name: paths relative to *base* (or where *locate*
    puts them: a directive's rule, ``/`` for the source directory), or dotted packages
    and modules found under *search_path* (read, never imported)."""
    found: list[Path] = []
    problems: list[Problem] = []
    roots = tuple(search_path)
    for spec in specs:
        # ../lms: the path other readers give
        path = Path(os.path.normpath(locate(str(spec)) if locate else base / spec))
        if os.path.lexists(path):
            found.append(path)
            continue
        module = find_module(str(spec), roots) if _DOTTED.fullmatch(str(spec)) else None
        if module is None:
            looked = f" (nothing at {path})" if str(path) != os.path.normpath(spec) else ""
            problems.append(Problem(
                f"{str(spec)!r} is neither a folder, a Python file nor a dotted package found "
                f"on sys.path{looked}: give the path of the code tree (lms, openedx/core) or "
                "its package", str(spec), check="toggle-missing"))
        else:
            found.append(module.parent if module.name == "__init__.py" else module)
    return found, problems


def walk(sources: Sequence[Path], options: ScanOptions = ScanOptions()) -> Walk:
    """The ``.py`` files of *sources* (folders walked in name order, files as they are),
    each once."""
    walker = _Walker(options)
    for source in sources:
        walker.source(source)
    return walker.result


Identity = tuple[int, int]


class _Walker:
    """Walks folders: each folder once, by identity; a link to a folder above it is a loop."""

    def __init__(self, options: ScanOptions) -> None:
        self.options = options
        self.patterns = bool(options.include or options.exclude)
        self.result = Walk()
        self.seen_files: set[Identity] = set()

    def source(self, source: Path) -> None:
        try:
            info = os.stat(source)
        except OSError as error:
            self.result.problems.append(_unreadable(source, error))
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
            self.result.problems.append(_unreadable(folder, error, "folder"))
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
                    self.result.problems.append(_unreadable(Path(entry.path), error))
                continue
            identity = (info.st_dev, info.st_ino)
            if not stat.S_ISDIR(info.st_mode):
                if wanted_file(entry.name, relative, self.options):
                    self.add_file(Path(entry.path), info)
            elif identity in ancestors:
                self.result.problems.append(Problem(
                    "a loop of symbolic links: this folder leads back to a folder above it; "
                    "it is skipped", entry.path, check="toggle-unreadable"))
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
        options.tests or not _TEST_FILE.fullmatch(name) or
        _matches(relative, name, options.include))


def wanted_folder(name: str, relative: str, options: ScanOptions = ScanOptions()) -> bool:
    """Whether the walk enters the folder *name* at *relative* (as for
    :func:`wanted_file`), in a folder it entered: not excluded, and not skipped by default
    (:data:`~opsdocs.reading.SKIPPED_FOLDERS`, ``*.egg-info``, tests) unless included."""
    if _matches(relative, name, options.exclude):
        return False
    default = name in SKIPPED_FOLDERS or name.endswith(".egg-info") or \
        (not options.tests and name in TEST_FOLDERS)
    return not default or _matches(relative, name, options.include)


def _unreadable(path: Path, error: OSError, what: str = "file") -> Problem:
    if error.errno == errno.ELOOP:
        reason = "a loop of symbolic links; it is skipped"
    elif isinstance(error, FileNotFoundError):
        reason = "a symbolic link to nothing; it is skipped"
    else:
        reason = f"{error.strerror or type(error).__name__}; it is skipped"
    return Problem(f"cannot read the {what}: {reason}", str(path), check="toggle-unreadable")
