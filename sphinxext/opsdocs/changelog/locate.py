"""Releases located: their files known by content id, nothing parsed.

A git ref's files are known by blob id without reading them (:mod:`opsdocs.changelog.git`);
the working tree's and a snapshot's are read to be known, and keep what was read.  Parsing
is :mod:`opsdocs.changelog.parse`'s; :mod:`opsdocs.changelog.cache` uses the ids to parse
each release once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opsdocs.changelog.git import Repository, blob_id, file_kind, settings_not_found
from opsdocs.changelog.model import Content, FileData, FileRef, Files, Unreadable
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import SETTINGS_MODULE, SNAPSHOT, read_bytes, repository_top
from opsdocs.settings.model import SETTINGS_FILES
from opsdocs.settings.sources import DiskFiles, RecordingFiles, dotted_module, module_files

#: Name of the working tree as a release.
UNRELEASED = "Unreleased"


@dataclass(frozen=True)
class Located:
    """A release found but not yet parsed: its name and the identity of its files.

    ``files`` are its settings files (a snapshot's: the snapshot); none when there is no
    settings package.  ``where`` prefixes the file of its problems (``v0.4:`` for a git
    ref).  ``content`` holds the files when they were read to locate it (the working
    tree, snapshots).  ``operating`` and ``operating_content`` are the same for the
    operations files (``commands``, ``dockerfile``) found there; a snapshot holds its own.
    ``search_path`` is where a settings module's absolute star imports were found (at a
    git ref, folders of its tree).  ``starts`` are the settings modules read, when several
    are (files of ``files``); ``missing`` the settings named that are not there (paths).
    """

    name: str
    root: str
    files: Files = ()
    where: str = ""
    unreleased: bool = False
    content: Content | None = field(default=None, compare=False, repr=False)
    operating: Files = ()
    operating_content: Content | None = field(default=None, compare=False, repr=False)
    search_path: tuple[Path, ...] = ()
    starts: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def operating_key(self) -> Files:
        """What its operating concerns depend on."""
        return self.files if self.is_snapshot else self.operating

    @property
    def is_snapshot(self) -> bool:
        return bool(self.files) and isinstance(self.files[0], FileRef) and (
            self.files[0].kind == "snapshot")

    @property
    def key(self) -> Hashable:
        """What its content depends on: equal keys, equal catalogs (a module's star imports
        are read through its search path)."""
        if len(self.starts) > 1:
            return self.files, self.search_path, self.starts
        return (self.files, self.search_path) if self.search_path else self.files


def history_settings(path: Path, spec: str, search_path: Sequence[Path]) -> Path:
    """The settings a history reads: *path* (what *spec* names as a path) when it is there,
    else the module or package the dotted module path *spec* names on *search_path*, as
    ``settings-reference`` and ``opsdocs settings`` find it (else *path*: reading it says
    it is not there, and what to give)."""
    if os.path.lexists(path):
        return _named_file(path)
    return dotted_module(spec, search_path) or path


def _named_file(path: Path) -> Path:
    """*path*, or the file it names when it is a symbolic link inside its git repository:
    read as the working tree reads it, at every release too (git holds the link itself,
    no file, at a ref).  A link out of the repository stays: :func:`locate_ref` refuses it."""
    if not path.is_symlink():
        return path
    real, top = os.path.realpath(path), repository_top(path.parent)
    if top is None or not Path(real).is_relative_to(os.path.realpath(top)):
        return path
    return Path(real if path.is_absolute() else os.path.relpath(real))


def history_sources(specs: Sequence[str], search_path: Sequence[Path]
                    ) -> tuple[Path, tuple[Path, ...]]:
    """The settings the ``--settings`` *specs* name for a history (:func:`history_settings`):
    the first, and the further settings modules read with it."""
    paths = [history_settings(Path(spec), spec, search_path) for spec in specs]
    if len(paths) > 1 and any(path.is_dir() for path in paths):
        raise OpsdocsError(Problem(
            "an OEP-45 settings package is read alone, not with other --settings: give the "
            "package, or settings modules", specs[0], check="usage"))
    return paths[0], tuple(paths[1:])


def settings_files(settings: Path, search_path: Sequence[Path] = ()) -> list[Path]:
    """The files of a settings source on disk a history depends on: a package's two, or a
    module and what it star-imports (absolute imports found on *search_path* too)."""
    if settings.is_file():
        return module_files([settings], DiskFiles(), search_path)
    return [settings / name for name in SETTINGS_FILES]


def locate_worktree(settings: Path, name: str = UNRELEASED,
                    operating_files: Iterable[tuple[str, Path]] = (),
                    search_path: Sequence[Path] = (), modules: Sequence[Path] = ()) -> Located:
    """The settings package as it is on disk, as the newest (unreleased) release, with
    the operations files *operating_files* (``(kind, path)``); a settings module (and
    the further *modules*) absolute star imports are found on *search_path* too."""
    operating = worktree_operating(operating_files)
    operating_refs = tuple(item.ref if isinstance(item, FileData) else item for item in operating)
    if settings.is_file():  # a settings module, and what it star-imports
        disk = RecordingFiles(DiskFiles())
        named = [settings, *modules]
        read = [_read(path, "module", disk.read_files.get(path, b""))
                for path in module_files(named, disk, search_path)]
        read += [_read(path, "init", b"") for path in disk.found if path.name == "__init__.py"]
        return Located(name, str(settings), tuple(item.ref for item in read), unreleased=True,
                       content=tuple(read), operating=operating_refs,
                       operating_content=operating, search_path=tuple(search_path),
                       starts=_starts([str(path) for path in named], read),
                       missing=_missing([str(path) for path in named], read))
    if not settings.is_dir():
        raise OpsdocsError(settings_not_found(settings))
    files: list[FileRef | Unreadable] = []
    content: list[FileData | Unreadable] = []
    for filename in SETTINGS_FILES:
        path = settings / filename
        if not os.path.lexists(path):
            continue
        try:
            data = read_bytes(path, SETTINGS_MODULE)
        except OpsdocsError as error:
            files.append(Unreadable(error.problem))
            content.append(Unreadable(error.problem))
            continue
        found = _read(path, filename, data)
        files.append(found.ref)
        content.append(found)
    return Located(name, str(settings), tuple(files), unreleased=True, content=tuple(content),
                   operating=operating_refs, operating_content=operating)


def worktree_operating(paths: Iterable[tuple[str, Path]]) -> Content:
    """The operations files on disk (``(kind, path)``), read; an unreadable one is its
    problem, a missing one absent, as at a release (a Dockerfile deleted since)."""
    found: list[FileData | Unreadable] = []
    for kind, path in paths:
        if not os.path.lexists(path):
            continue
        try:
            found.append(_read(path, kind, read_bytes(path, file_kind(kind))))
        except OpsdocsError as error:
            found.append(Unreadable(error.problem))
    return tuple(found)


def _read(path: Path, kind: str, data: bytes) -> FileData:
    return FileData(FileRef(str(path), kind, blob_id(data)), data)


def locate_ref(repository: Repository, ref: str, name: str | None = None,
               operating_files: Iterable[tuple[str, Path]] = (),
               search_path: Sequence[Path] = (), modules: Sequence[Path] = ()) -> Located | None:
    """The settings files at git *ref*, by blob id, not read; ``None`` when *ref* is unknown.

    The operations files *operating_files* (``(kind, path)``) are located there too; a
    settings module's (and the further *modules*', on disk) absolute star imports are
    found in the folders of *search_path* (directories on disk) that are in the
    repository, as they are at *ref*.
    """
    if repository.module and repository.settings.is_symlink():
        raise OpsdocsError(Problem(
            "a symbolic link to a file outside its git repository, which holds no history of "
            "it: give the settings module itself, or snapshots", str(repository.settings),
            check="git"))
    tree_path = repository.tree_path(search_path) if repository.module else ()
    also = [repository.tree_file(path) or _outside(repository, path) for path in modules]
    files = repository.settings_files(ref, tree_path, also)
    if files is None:
        return None
    operating = tuple(found for kind, path in operating_files
                      if (found := repository.file_at(ref, path, kind)) is not None)
    named = [repository.start, *also]
    return Located(name or ref, repository.prefix or ".", files, where=f"{ref}:",
                   operating=operating, search_path=tree_path,
                   starts=_starts(named, files) if repository.module else (),
                   missing=_missing(named, files) if repository.module or not files else ())


def _outside(repository: Repository, path: Path) -> str:
    raise OpsdocsError(Problem(
        f"{path} is not in the git repository of {repository.settings}: give settings modules "
        "of one repository", str(path), check="usage"))


def _paths(files: Iterable[FileRef | FileData | Unreadable]) -> set[str]:
    return {item.path for item in files if isinstance(item, FileRef)} | {
        item.ref.path for item in files if isinstance(item, FileData)}


def _starts(named: Sequence[str], files: Iterable[FileRef | FileData | Unreadable],
            ) -> tuple[str, ...]:
    """The settings modules *named* (when several are) among a release's *files*."""
    there = _paths(files)
    return tuple(path for path in named if path in there) if len(named) > 1 else ()


def _missing(named: Sequence[str], files: Iterable[FileRef | FileData | Unreadable],
             ) -> tuple[str, ...]:
    """The settings *named* that are not among a release's *files*."""
    there = _paths(files)
    return tuple(path for path in named if path not in there)


def locate_snapshot(path: Path, name: str | None = None) -> Located:
    """A snapshot file as a release (an unreadable file still gives one, with its problem)."""
    try:
        data = read_bytes(path, SNAPSHOT, missing="snapshot file not found: write it with "
                          "'opsdocs snapshot SETTINGS -o FILE', or correct the path")
    except OpsdocsError as error:
        unreadable = Unreadable(error.problem)
        return Located(name or path.stem, str(path.parent), (unreadable,), content=(unreadable,))
    ref = FileRef(str(path), "snapshot", hashlib.sha1(data, usedforsecurity=False).hexdigest())
    return Located(name or path.stem, str(path.parent), (ref,), content=(FileData(ref, data),))
