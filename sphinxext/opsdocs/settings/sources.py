"""What a settings reader is pointed at, and where star-imported modules are.

A settings source is an OEP-45 settings package (a directory holding ``required.py`` and
``defaults.py``), one module file, several, or a dotted module path found on a search
path (the docs' ``sys.path``).  Files are read through :class:`SourceFiles`, so the same
rules serve the working tree and a git ref.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import SETTINGS_MODULE, not_the_projects, read_bytes
from opsdocs.settings.model import SETTINGS_FILES

_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
#: Directories of installed code: a star import that lands there is outside the project.
INSTALLED = frozenset({"site-packages", "dist-packages"})


class SourceFiles(Protocol):
    """Where settings files are read from: the disk, or a git ref."""

    def read(self, path: Path) -> bytes:
        """The bytes of *path*; :class:`~opsdocs.errors.OpsdocsError` (or :class:`OSError`)
        when it cannot be read."""

    def is_file(self, path: Path) -> bool:
        """Whether *path* is a file there."""


class DiskFiles:
    """Files on disk."""

    def __init__(self) -> None:
        self.outside: dict[Path, str | None] = {}

    def read(self, path: Path) -> bytes:
        return read_bytes(path, SETTINGS_MODULE)

    def is_file(self, path: Path) -> bool:
        return path.is_file()

    def not_the_projects(self, path: Path) -> str | None:
        """Why *path* is no file of the project (git ignores it, a link out), once each."""
        if path not in self.outside:
            self.outside[path] = not_the_projects([path]).get(path)
        return self.outside[path]


class MemoryFiles:
    """Files already read (a release's, at a git ref), by path."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def read(self, path: Path) -> bytes:
        try:
            return self.files[str(path)]
        except KeyError:
            raise OSError(f"{path} is not part of this release") from None

    def is_file(self, path: Path) -> bool:
        return str(path) in self.files


class RecordingFiles:
    """Files read through another :class:`SourceFiles`, remembering which were read and
    which were found to be there (the ``__init__.py`` files star imports look for)."""

    def __init__(self, files: SourceFiles) -> None:
        self.files = files
        self.read_files: dict[Path, bytes] = {}
        self.found: dict[Path, None] = {}

    def read(self, path: Path) -> bytes:
        data = self.files.read(path)
        self.read_files[path] = data
        return data

    def is_file(self, path: Path) -> bool:
        there = self.files.is_file(path)
        if there:
            self.found[path] = None
        return there

    def not_the_projects(self, path: Path) -> str | None:
        return excluded(self.files, path)


#: A star import, found by a light scan of a module's lines (no parse).
#: ``from module import *``, and ``from module import X, (Y, ...)`` with its names.
_FROM_IMPORT = re.compile(
    rb"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\*|\([^)]*\)|[^\n]*)", re.M)
_SETTING_NAME = re.compile(rb"\b[A-Z][A-Z0-9_]*\b")
#: A setting a line starts by declaring: ``NAME = ...``, ``NAME: str``.
_DECLARED = re.compile(rb"^([A-Z][A-Z0-9_]*)[ \t]*(?::|=(?!=))", re.M)


def declared_names(path: str | Path) -> set[str]:
    """The settings a module file seems to declare, by a light scan that needs no parse
    (the file may not parse): what a catalog lacks when the file cannot be read.  Nothing
    for a file that cannot be read at all."""
    try:
        data = read_bytes(Path(path), SETTINGS_MODULE)
    except OpsdocsError:
        return set()
    return {name.decode("ascii") for name in _DECLARED.findall(data)}


def unread_names(problems: Iterable[Problem]) -> set[str]:
    """The settings a catalog lacks because of its files' *problems*
    (``SettingsCatalog.incomplete``): what those files seem to declare."""
    return {name for problem in problems if problem.file
            for name in declared_names(problem.file)}


def module_files(paths: Sequence[Path], files: SourceFiles,
                 search_path: Sequence[Path] = ()) -> list[Path]:
    """*paths* and the modules they star-import or import settings from by name,
    transitively, in the order first found.

    A light scan: an import inside a string, or an uppercase word in a comment between an
    import's parentheses, counts too, which only adds a file.  Files that cannot be read
    are left out (reading them says why).
    """
    found: list[Path] = []
    pending = list(paths)
    while pending:
        path = pending.pop(0)
        if path in found or not files.is_file(path):
            continue
        found.append(path)
        try:
            data = files.read(path)
        except (OSError, OpsdocsError):
            continue
        for level, module, names in _FROM_IMPORT.findall(data):
            if names != b"*" and not _SETTING_NAME.search(names):
                continue
            target = star_import_target(path, module.decode("ascii", "replace") or None,
                                        len(level), search_path, files)
            if target is not None:
                pending.append(target)
    return found


@dataclass(frozen=True)
class SettingsSource:
    """An OEP-45 settings package (``package``: one directory in ``paths``) or module files.

    ``search_path`` holds the directories dotted names and absolute star imports are
    looked up in (besides the directory above each module's top package).
    """

    paths: tuple[Path, ...]
    package: bool = False
    search_path: tuple[Path, ...] = ()

    @property
    def root(self) -> Path:
        """The package directory, or the first module file."""
        return self.paths[0]

    def files(self) -> list[Path]:
        """The files named (a package's two files), star-imported ones not included."""
        if self.package:
            return [self.root / name for name in SETTINGS_FILES]
        return list(self.paths)


def is_settings_package(directory: Path, files: SourceFiles | None = None) -> bool:
    files = files or DiskFiles()
    return any(files.is_file(directory / name) for name in SETTINGS_FILES)


def not_found(spec: str, where: str = "") -> Problem:
    """The problem of a settings source that is not there."""
    return Problem(
        f"settings source {spec!r} not found: give an OEP-45 settings package (the directory "
        "that holds required.py and defaults.py), a settings module file, several, or a "
        f"dotted module path found on sys.path{where}", spec, check="missing")


def no_settings(file: str, give: str = "give --settings") -> Problem:
    """The problem of a settings source read whole that defines no setting (a module
    that only imports ``plugin_settings``); *give* says where the user names the source."""
    return Problem(
        "defines no settings (UPPERCASE module-level names, settings.X in plugin_settings(), "
        f"getattr(settings, 'X', default) in an app module): {give} the module that defines "
        "them (the one this imports them from), or the OEP-45 settings package", file,
        check="empty")


def resolve_source(specs: Sequence[str | Path], base: Path | None = None,
                   search_path: Iterable[str | Path] = ()) -> SettingsSource:
    """The source *specs* name: paths relative to *base*, or dotted module paths found on
    *search_path*.  Raises :class:`OpsdocsError` for one that is not there."""
    if not specs:
        raise OpsdocsError(Problem("no settings source given", str(base or "."), check="usage"))
    # From the current directory (base None): every path of the run relative to it when
    # under it, however given, so that messages name files alike.
    roots = tuple(Path(p) if base is not None else nearby(p) for p in search_path)
    paths: list[Path] = []
    packages: list[Path] = []
    for spec in specs:
        path = nearby(spec) if base is None else base / spec
        if path.is_dir():  # an OEP-45 package; a missing file of it is a problem of its own
            packages.append(path)
        elif path.is_file() or os.path.lexists(path):
            paths.append(path)  # a FIFO or a loop of links: reading it says what it is
        else:
            found = dotted_module(str(spec), roots)
            if found is None:
                raise OpsdocsError(not_found(str(spec)))
            (packages if found.is_dir() else paths).append(found)
    if packages:
        if len(packages) > 1 or paths:
            raise OpsdocsError(Problem(
                "an OEP-45 settings package is read alone: give the package, or module files, "
                "not both", str(packages[0]), check="usage"))
        return SettingsSource((packages[0],), package=True, search_path=roots)
    return SettingsSource(tuple(paths), search_path=roots)


def nearby(path: str | Path) -> Path:
    """*path* relative to the current directory when it is under it, else as it is."""
    path = Path(path)
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd())
        except ValueError:
            pass
    return path


def dotted_module(spec: str, roots: Iterable[Path]) -> Path | None:
    """The module or OEP-45 package that *spec*, a dotted module path (``lms.envs.common``),
    names under *roots*; ``None`` when *spec* is no dotted path or none has it."""
    return find_module(spec, roots) if _DOTTED.fullmatch(spec) else None


def find_module(dotted: str, roots: Iterable[Path], files: SourceFiles | None = None,
                ) -> Path | None:
    """The file of module *dotted* under one of *roots* (``a/b.py``, ``a/b/__init__.py``),
    or an OEP-45 package directory ``a/b``; ``None`` when none has it."""
    files = files or DiskFiles()
    parts = dotted.split(".")
    for root in roots:
        base = root.joinpath(*parts)
        for candidate in (base.with_name(base.name + ".py"), base / "__init__.py"):
            if files.is_file(candidate):
                if candidate.name == "__init__.py" and is_settings_package(base, files):
                    return base
                return candidate
        if is_settings_package(base, files):
            return base
    return None


def package_top(module: Path, files: SourceFiles | None = None) -> Path:
    """The directory above the top package holding *module* (where its absolute imports
    start)."""
    files = files or DiskFiles()
    directory = module.parent
    while files.is_file(directory / "__init__.py") and directory.parent != directory:
        directory = directory.parent
    return directory


def excluded(files: SourceFiles, path: Path) -> str | None:
    """Why an imported *path* is not read, though it is there: git ignores it (a
    developer's ``local.py``), or it is a link out of the repository (on disk only: a
    git ref holds no ignored file)."""
    check = getattr(files, "not_the_projects", None)
    return check(path) if check is not None else None


def star_import_target(module: Path, imported: str | None, level: int,
                       search_path: Sequence[Path], files: SourceFiles) -> Path | None:
    """The file ``from <imported> import *`` in *module* reads, inside the project, or
    ``None``: relative imports from *module*'s package, absolute ones from the directory
    above its top package and the search path's directories of non-installed code; never
    a file git ignores nor a link out of the repository (:func:`excluded`)."""
    found = import_target(module, imported, level, search_path, files)
    return found if found is not None and excluded(files, found) is None else None


def import_target(module: Path, imported: str | None, level: int,
                  search_path: Sequence[Path], files: SourceFiles | None = None, *,
                  installed: bool = False) -> Path | None:
    """The file an import in *module* reaches (a module, or a package's ``__init__.py``
    for ``from . import x``), or ``None``: relative imports (*level* dots) from
    *module*'s package, absolute ones from the directory above its top package, then
    *search_path*, whose directories of installed code count only when *installed*.
    Files that are not the project's are included (:func:`star_import_target` leaves
    them out)."""
    files = files or DiskFiles()
    if level:
        base = module.parent
        for _ in range(level - 1):
            base = base.parent
        if not imported:
            init = base / "__init__.py"
            return init if files.is_file(init) else None
        roots: Sequence[Path] = (base,)
    else:
        roots = (package_top(module, files), *(
            p for p in search_path if installed or not INSTALLED & set(p.parts)))
    found = find_module(imported or "", roots, files)
    return found if found is not None and found.suffix == ".py" else None
