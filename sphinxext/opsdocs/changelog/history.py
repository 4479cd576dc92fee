"""Reading a settings package as it was: at git refs, in the working tree, in snapshots.

Git refs are read without checking anything out (:mod:`opsdocs.changelog.git`).  Releases
are first *located* (their files known by git blob id, nothing parsed), then parsed;
:mod:`opsdocs.changelog.cache` uses the blob ids to parse each release once and remember
what it learnt across builds.
"""

from __future__ import annotations

import fnmatch
import gc
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from opsdocs.changelog.blocks import ParsedBlocks, parse_after, parse_whole
from opsdocs.changelog.diff import Release
from opsdocs.changelog.git import (
    SHALLOW_ADVICE,
    UNREADABLE,
    Content,
    Files,
    Repository,
    blob_id,
    shared_repository,
)
from opsdocs.changelog.operating import (
    CommandFacts,
    ImageFacts,
    Operations,
    command_facts,
    image_facts,
    operations_from_json,
)
from opsdocs.dockerfile.reader import parse_dockerfile
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.operations.management import CommandFinder
from opsdocs.operations.reader import manual_from_text
from opsdocs.reading import (
    COMMANDS_FILE,
    DOCKERFILE,
    SETTINGS_MODULE,
    SNAPSHOT,
    decode_source,
    decode_text,
    read_bytes,
)
from opsdocs.settings.model import DEFAULT_SENTINELS, SETTINGS_FILES, Setting, SettingsCatalog
from opsdocs.settings.reader import ReadOptions, read_settings, read_settings_source, settings_package
from opsdocs.settings.snapshot import catalog_from_json, load_snapshot_json
from opsdocs.settings.sources import (
    DiskFiles,
    MemoryFiles,
    RecordingFiles,
    SettingsSource,
    module_files,
)

#: Name of the working tree as a release, and what the CLI accepts for it.
WORKTREE = "WORKTREE"
UNRELEASED = "Unreleased"


@dataclass(frozen=True)
class HistorySource:
    """Where a settings history comes from, as a directive or the configuration says.

    Releases are the git tags matching ``tags`` (in version order) or, when ``refs`` is
    given, those refs in that order; with ``snapshots``, the JSON snapshot files of that
    directory (named by version, ``v1.2.json``), or those of ``refs``.  ``since`` drops
    older releases (the one before it is still the base of its diff).  ``unreleased``
    adds the working tree of ``settings`` as the newest release.  ``commands`` and
    ``dockerfile`` name the operations manual's commands file and the Dockerfile, read
    at each release beside the settings (snapshots carry what they said).
    """

    settings: Path
    tags: str = "v*"
    refs: tuple[str, ...] = ()
    since: str | None = None
    snapshots: Path | None = None
    unreleased: bool = True
    sentinels: tuple[str, ...] = DEFAULT_SENTINELS
    commands: Path | None = None
    dockerfile: Path | None = None

    @property
    def operating(self) -> tuple[tuple[str, Path], ...]:
        """``(kind, path)`` of each operations file given: ``commands``, ``dockerfile``."""
        return tuple((kind, path) for kind, path in (("commands", self.commands),
                                                     ("dockerfile", self.dockerfile)) if path)


@dataclass(frozen=True)
class History:
    """Releases oldest first (the working tree last), the base before them, and problems.

    ``problems`` concern the history as a whole (an unknown ref, no tags in a shallow
    clone); a release's own problems are on the release.  ``dependencies`` are the files
    the history was read from, for incremental builds.
    """

    releases: tuple[Release, ...]
    base: Release | None = None
    problems: tuple[Problem, ...] = ()
    dependencies: tuple[str, ...] = ()


# -- Versions -----------------------------------------------------------------------------


def version_key(name: str) -> tuple[Any, ...]:
    """Sort key of a tag or snapshot name as a version: ``v1.10`` after ``v1.9``, ``rc`` first.

    Names that are no version (after a prefix such as ``v`` or ``release-``) sort first,
    in natural order.
    """
    try:
        return (1, Version(re.sub(r"^[^0-9]*", "", name)), name)
    except InvalidVersion:
        parts = re.split(r"(\d+)", name)
        return (0, tuple((0, int(p), "") if p.isdecimal() else (1, 0, p) for p in parts), name)


def sort_versions(names: Iterable[str]) -> list[str]:
    """*names* oldest first, as versions."""
    return sorted(names, key=version_key)


# -- Releases located, then parsed --------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """A release found but not yet read: its name and the identity of its files.

    ``files`` holds ``(path, filename, id)`` of each settings file (the git blob id; for a
    snapshot, ``filename`` is ``snapshot``); none when there is no settings package.
    ``where`` prefixes the file of its problems (``v0.4:`` for a git ref).  ``data`` holds
    the bytes when they were read to locate it (the working tree, snapshots).
    ``operating`` and ``operating_data`` are the same for the operations files
    (``commands``, ``dockerfile``) found there; a snapshot holds its own.
    """

    name: str
    root: str
    files: Files = ()
    where: str = ""
    unreleased: bool = False
    data: tuple[bytes, ...] = field(default=(), compare=False, repr=False)
    operating: Files = ()
    operating_data: tuple[bytes, ...] = field(default=(), compare=False, repr=False)

    @property
    def operating_key(self) -> Files:
        """What its operating concerns depend on."""
        return self.files if self.is_snapshot else self.operating

    @property
    def is_snapshot(self) -> bool:
        return bool(self.files) and self.files[0][1] == "snapshot"

    @property
    def key(self) -> Files:
        """What its content depends on: equal keys, equal catalogs."""
        return self.files


@contextmanager
def _no_gc() -> Iterator[None]:
    """Parsing a large file makes objects without cycles by the hundred thousand: every
    collection the garbage collector starts meanwhile walks the whole heap for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: The last parse of each file: ``(path, filename) -> (data, (settings, problems))``.
#: With *blocks*, the file cut into blocks, to parse the next version's changes alone.
Memo = dict[tuple[str, str], tuple[bytes, tuple[tuple[Setting, ...], tuple[Problem, ...]],
                                   ParsedBlocks | None]]


def parse_content(root: str, content: Content, sentinels: tuple[str, ...] = DEFAULT_SENTINELS,
                  memo: Memo | None = None, *, by_blocks: bool = False,
                  ) -> tuple[SettingsCatalog | None, tuple[Problem, ...]]:
    """The catalog of a release's files (``None``: no package) and what makes it unreadable.

    With *memo*, a file equal to its last parse is not parsed again (consecutive releases
    mostly share ``required.py``); it keeps one parse per file, not a history's worth.
    """
    catalog, problems, _ = parse_release(root, content, sentinels, memo, by_blocks=by_blocks)
    return catalog, problems


def parse_release(root: str, content: Content, sentinels: tuple[str, ...] = DEFAULT_SENTINELS,
                  memo: Memo | None = None, *, by_blocks: bool = False,
                  ) -> tuple[SettingsCatalog | None, tuple[Problem, ...], Operations | None]:
    """:func:`parse_content`, and the operating concerns a snapshot holds (``None`` for
    other files: they are in the operations files, :func:`parse_operating`), from one
    decoding of its JSON."""
    if not content:
        return None, (), None
    unreadable = [Problem(data.decode(), path, check=filename.partition(":")[2])
                  for path, filename, data in content if filename.startswith(UNREADABLE)]
    if unreadable:
        return None, tuple(unreadable), None
    if content[0][1] == "snapshot":
        return parse_snapshot(content[0][0], content[0][2])
    if content[0][1] == "module":
        return _parse_modules(root, content, sentinels)
    memo = {} if memo is None else memo
    settings: list[Setting] = []
    problems: list[Problem] = []
    for path, filename, data in content:
        last = memo.get((path, filename))
        if last is None or last[0] != data:
            if by_blocks:
                found, blocks = _parse_blocks(path, filename, data, sentinels,
                                              last[2] if last else None)
                last = memo[(path, filename)] = (data, found, blocks)
            else:
                last = memo[(path, filename)] = (
                    data, _parse_file(path, filename, data, sentinels), None)
        settings.extend(last[1][0])
        problems.extend(last[1][1])
    catalog = SettingsCatalog(root, tuple(settings), (), tuple(path for path, _, _ in content))
    return catalog, tuple(problems), None


def _parse_file(path: str, filename: str, data: bytes, sentinels: tuple[str, ...],
                ) -> tuple[tuple[Setting, ...], tuple[Problem, ...]]:
    """A file's settings, and the problem that makes it unreadable, if one does."""
    with _no_gc():
        try:
            found, _ = read_settings_source(decode_source(data, path, SETTINGS_MODULE), path,
                                            required=filename == "required.py",
                                            sentinels=sentinels)
        except OpsdocsError as error:
            return (), (error.problem,)
    return tuple(found), ()


def _parse_modules(root: str, content: Content, sentinels: tuple[str, ...],
                   ) -> tuple[SettingsCatalog | None, tuple[Problem, ...], None]:
    """A settings module and what it star-imports, as one release read them."""
    files = MemoryFiles({path: data for path, _, data in content})
    source = SettingsSource((Path(content[0][0]),))
    with _no_gc():
        catalog = read_settings(source, ReadOptions(sentinels), files)
    return replace(catalog, root=root), catalog.incomplete, None


def settings_files(settings: Path) -> list[Path]:
    """The files of a settings source on disk a history depends on: a package's two, or a
    module and what it star-imports."""
    if settings.is_file():
        return module_files([settings], DiskFiles())
    return [settings / name for name in SETTINGS_FILES]


def _parse_blocks(path: str, filename: str, data: bytes, sentinels: tuple[str, ...],
                  last: ParsedBlocks | None,
                  ) -> tuple[tuple[tuple[Setting, ...], tuple[Problem, ...]], ParsedBlocks | None]:
    """:func:`_parse_file`, reading again only the blocks changed since *last*
    (:mod:`opsdocs.changelog.blocks`): for the changelog, which compares no lines."""
    required = filename == "required.py"
    with _no_gc():
        try:
            text = decode_source(data, path, SETTINGS_MODULE)
            parsed = (parse_after(last, text, path, required, sentinels) if last is not None
                      else parse_whole(text, path, required, sentinels))
        except OpsdocsError as error:
            return ((), (error.problem,)), None
    return (parsed.settings, ()), parsed


def parse_snapshot(path: str, data: bytes,
                   ) -> tuple[SettingsCatalog | None, tuple[Problem, ...], Operations]:
    """A snapshot's catalog (``None`` with the problem when it cannot be read) and its
    operating concerns, its JSON decoded once: a snapshot of a large package is most of
    the time ``opsdocs upgrade --snapshots`` takes."""
    try:
        text = decode_text(data, path, SNAPSHOT)
        loaded = load_snapshot_json(text, path)
    except OpsdocsError as error:
        return None, (error.problem,), Operations()
    operations = _snapshot_operations(loaded)
    try:
        return catalog_from_json(loaded, path, text), (), operations
    except OpsdocsError as error:
        return None, (error.problem,), operations


def _snapshot_operations(loaded: Any) -> Operations:
    """The operating concerns of a decoded snapshot; none when they are malformed (its
    settings say what is wrong with it)."""
    try:
        return operations_from_json(loaded.get("operations") if isinstance(loaded, dict)
                                    else None)
    except (ValueError, TypeError, KeyError):
        return Operations()


def release_from(located: Located, catalog: SettingsCatalog | None,
                 problems: Iterable[Problem], operations: Operations | None = None) -> Release:
    """The :class:`Release` of a located, parsed release; problems located in it."""
    located_problems = tuple(replace(p, file=f"{located.where}{p.file}") for p in problems)
    if operations is not None and operations.problems:
        # the working tree's files: the operations manual and Dockerfile pages report them
        operations = replace(operations, problems=() if located.unreleased else tuple(
            _old_operating_problem(located, p) for p in operations.problems))
    return Release(located.name, None if located_problems else catalog, located_problems,
                   located.unreleased, operations=operations)


def _old_operating_problem(located: Located, problem: Problem) -> Problem:
    """A problem of an operations file at an old release, as the changelog reports it."""
    what = "Dockerfile" if problem.check.startswith("dockerfile") else "commands file"
    name = located.name
    return replace(problem, file=f"{located.where}{problem.file}", check="operating-history",
                   message=(
        f"the {what} at {name} cannot be read ({problem.message}): its changes are compared "
        f"across {name}. A tag stays as it is, so there is nothing to fix in the working "
        f"tree; to silence this in Sphinx, add 'opsdocs.operating-history' to "
        f"suppress_warnings"))


def parse_operating(content: Content) -> Operations:
    """The operating concerns in a release's operations files, or in its snapshot.

    A file missing there says nothing (``None``); one that cannot be read says nothing
    either, and its problem is kept (``problems``) for the changelog to report at an old
    release.
    """
    if content and content[0][1] == "snapshot":  # seldom: read with its settings, at once
        return parse_snapshot(content[0][0], content[0][2])[2]
    commands: tuple[CommandFacts, ...] | None = None
    image: ImageFacts | None = None
    problems: list[Problem] = []
    for path, kind, data in content:
        try:
            if kind == "commands":
                text = decode_text(data, path, COMMANDS_FILE)
                commands = command_facts(manual_from_text(text, path, CommandFinder(None, ())))
            elif kind == "dockerfile":
                image = image_facts(parse_dockerfile(decode_text(data, path, DOCKERFILE), path))
        except OpsdocsError as error:
            problems.append(error.problem)
    return Operations(commands, image, tuple(problems))


def locate_worktree(settings: Path, name: str = UNRELEASED,
                    operating_files: Iterable[tuple[str, Path]] = ()) -> Located:
    """The settings package as it is on disk, as the newest (unreleased) release, with
    the operations files *operating_files* (``(kind, path)``)."""
    operating, operating_data = _worktree_operating(operating_files)
    if settings.is_file():  # a settings module, and what it star-imports
        disk = RecordingFiles(DiskFiles())
        modules = module_files([settings], disk)
        entries = [(str(path), "module", blob_id(disk.read_files.get(path, b"")))
                   for path in modules]
        entries += [(str(path), "init", blob_id(b"")) for path in disk.found
                    if path.name == "__init__.py"]
        data = [disk.read_files.get(path, b"") for path in modules] + \
            [b"" for path, kind, _ in entries if kind == "init"]
        return Located(name, str(settings), tuple(entries), unreleased=True,
                       data=tuple(data), operating=operating, operating_data=operating_data)
    settings_package(settings)
    files, data = [], []
    for filename in SETTINGS_FILES:
        path = settings / filename
        if not os.path.lexists(path):
            continue
        try:
            content = read_bytes(path, SETTINGS_MODULE)
        except OpsdocsError as error:
            files.append(_unreadable(error.problem))
            data.append(error.problem.message.encode())
            continue
        files.append((str(path), filename, blob_id(content)))
        data.append(content)
    return Located(name, str(settings), tuple(files), unreleased=True, data=tuple(data),
                   operating=operating, operating_data=operating_data)


def _worktree_operating(paths: Iterable[tuple[str, Path]]) -> tuple[Files, tuple[bytes, ...]]:
    """The operations files on disk, by blob id, with their bytes; unreadable ones left out."""
    files, data = [], []
    for kind, path in paths:
        try:
            content = read_bytes(path, COMMANDS_FILE if kind == "commands" else DOCKERFILE)
        except OpsdocsError:
            continue
        files.append((str(path), kind, blob_id(content)))
        data.append(content)
    return tuple(files), tuple(data)


def locate_ref(repository: Repository, ref: str, name: str | None = None,
               operating_files: Iterable[tuple[str, Path]] = ()) -> Located | None:
    """The settings files at git *ref*, by blob id, not read; ``None`` when *ref* is unknown.

    The operations files *operating_files* (``(kind, path)``) are located there too.
    """
    files = repository.settings_files(ref)
    if files is None:
        return None
    operating = tuple(found for kind, path in operating_files
                      if (found := repository.file_at(ref, path, kind)) is not None)
    return Located(name or ref, repository.prefix or ".", files, where=f"{ref}:",
                   operating=operating)


def locate_snapshot(path: Path, name: str | None = None) -> Located:
    """A snapshot file as a release (an unreadable file still gives one, with its problem)."""
    try:
        data = read_bytes(path, SNAPSHOT, missing="snapshot file not found: write it with "
                          "'opsdocs snapshot SETTINGS -o FILE', or correct the path")
    except OpsdocsError as error:
        return Located(name or path.stem, str(path.parent), (_unreadable(error.problem),),
                       data=(error.problem.message.encode(),))
    return Located(name or path.stem, str(path.parent), (
        (str(path), "snapshot", hashlib.sha1(data, usedforsecurity=False).hexdigest()),),
        data=(data,))


def _unreadable(problem: Problem) -> tuple[str, str, str]:
    """The entry of :attr:`Located.files` of a file that cannot be read: its data is the
    problem's message."""
    return (problem.file, f"{UNREADABLE}:{problem.check}",
            hashlib.sha1(problem.message.encode(), usedforsecurity=False).hexdigest())


def read_worktree(settings: Path, sentinels: tuple[str, ...] = DEFAULT_SENTINELS,
                  name: str = UNRELEASED, operating: Sequence[tuple[str, Path]] = ()) -> Release:
    """The working tree's release, read, with the operations files *operating*."""
    located = locate_worktree(settings, name, operating)
    return release_from(located, *parse_content(located.root, _own_content(located), sentinels),
                        read_operating(operating) if operating else None)


def read_operating(operating: Iterable[tuple[str, Path]]) -> Operations:
    """The operating concerns in the operations files *operating* (``(kind, path)``) on disk."""
    files, data = _worktree_operating(operating)
    return parse_operating(tuple((path, kind, content) for (path, kind, _), content in zip(
        files, data, strict=True)))


def read_snapshot(path: Path, name: str | None = None) -> Release:
    """A release from a snapshot file; a bad file gives a release with its problem."""
    located = locate_snapshot(path, name)
    catalog, problems, operations = parse_release(located.root, _own_content(located))
    return release_from(located, catalog, problems,
                        Operations() if operations is None else operations)


def _own_content(located: Located) -> Content:
    return tuple((path, filename, data)
                 for (path, filename, _), data in zip(located.files, located.data, strict=True))


# -- Histories ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The releases of a history, located (not read), oldest first, the working tree last."""

    releases: tuple[Located, ...]
    base: Located | None = None
    problems: tuple[Problem, ...] = ()
    dependencies: tuple[str, ...] = ()


class HistoryReader:
    """Locates the releases of a :class:`HistorySource` and reads their files.

    A context manager: the git batch process, when there is one, ends with it, unless it
    comes from *repositories*, which the caller keeps open for more histories (a Sphinx
    build: one batch process per repository for the whole build).
    """

    def __init__(self, source: HistorySource,
                 repositories: dict[str, Repository] | None = None) -> None:
        self.source = source
        self.repository: Repository | None = None
        self.owned = repositories is None
        if source.snapshots is None:
            self.repository = (Repository(source.settings) if repositories is None
                               else shared_repository(repositories, source.settings))

    def __enter__(self) -> HistoryReader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.repository is not None and self.owned:
            self.repository.close()

    def plan(self) -> Plan:
        source = self.source
        repository = self.repository
        plan = _snapshot_plan(source) if repository is None else _git_plan(source, repository)
        if source.unreleased:
            worktree = locate_worktree(source.settings, operating_files=source.operating)
            plan = replace(plan, releases=(*plan.releases, worktree),
                           dependencies=(*plan.dependencies,
                                         *map(str, settings_files(source.settings)),
                                         *(str(path) for _, path in source.operating)))
        return plan

    def content(self, located: Located) -> Content:
        if located.data or self.repository is None:
            return _own_content(located)
        return self.repository.content(located.files)

    def operating_content(self, located: Located) -> Content:
        """The bytes of *located*'s operations files (a snapshot's: the snapshot)."""
        if located.is_snapshot:
            return _own_content(located)
        if located.operating_data or self.repository is None:
            return tuple((path, kind, data) for (path, kind, _), data in zip(
                located.operating, located.operating_data, strict=True))
        return self.repository.content(located.operating)


def read_history(source: HistorySource) -> History:
    """Every release of *source* read, oldest first; raises only when nothing can be read.

    A file equal to the one before it is not parsed again.  For long histories
    :func:`opsdocs.changelog.cache.read_changelog` keeps memory flat and caches across runs.
    """
    memo: Memo = {}
    with HistoryReader(source) as reader:
        plan = reader.plan()

        def read(located: Located) -> Release:
            catalog, problems, operations = parse_release(
                located.root, reader.content(located), source.sentinels, memo)
            if operations is None:
                operations = parse_operating(reader.operating_content(located))
            return release_from(located, catalog, problems, operations)

        base = read(plan.base) if plan.base is not None else None
        releases = tuple(read(located) for located in plan.releases)
    return History(releases, base, plan.problems, plan.dependencies)


def _since(source: HistorySource, names: list[str]) -> tuple[int, list[Problem]]:
    """Index of the first release to show."""
    if source.since is None:
        return 0, []
    if source.since in names:
        return names.index(source.since), []
    return 0, [Problem(
        f"since: {source.since!r} is not one of the releases ({', '.join(names) or 'none'}); "
        "showing them all", str(source.snapshots or source.settings), check="changelog",
    )]


def _git_plan(source: HistorySource, repository: Repository) -> Plan:
    problems: list[Problem] = []
    if source.refs:
        names = list(source.refs)
    else:
        names = sort_versions(repository.tags(source.tags))
        if repository.shallow:
            problems.append(Problem(
                f"git tags matching {source.tags!r} may be missing (found {len(names)}): "
                + SHALLOW_ADVICE, str(source.settings), check="git",
            ))
        elif not names:
            problems.append(Problem(
                f"no git tags match {source.tags!r}: tag releases, or name refs explicitly",
                str(source.settings), check="git",
            ))
    start, found = _since(source, names)
    problems.extend(found)
    releases: list[Located] = []
    base: Located | None = None
    for index in range(max(start - 1, 0), len(names)):
        located = locate_ref(repository, names[index], operating_files=source.operating)
        if located is None:
            problems.append(repository.unknown_ref(names[index]))
        elif index < start:
            base = located
        else:
            releases.append(located)
    return Plan(tuple(releases), base, tuple(problems))


def _snapshot_plan(source: HistorySource) -> Plan:
    directory = source.snapshots
    assert directory is not None
    if not directory.is_dir():
        raise OpsdocsError(Problem(
            f"snapshot directory {str(directory)!r} not found: write snapshots there with "
            "'opsdocs snapshot SETTINGS -o DIR/VERSION.json'", str(directory),
            check="snapshot",
        ))
    files = {path.stem: path for path in directory.glob("*.json")}
    problems: list[Problem] = []
    if source.refs:
        names = []
        for name in source.refs:
            if name in files:
                names.append(name)
            else:
                problems.append(Problem(
                    f"no snapshot {name}.json in {directory}", str(directory), check="snapshot"))
    else:
        names = sort_versions(n for n in files if fnmatch.fnmatchcase(n, source.tags))
        if not names:
            problems.append(Problem(
                f"no snapshots matching {source.tags!r} in {directory}: write one per release "
                "with 'opsdocs snapshot SETTINGS -o DIR/VERSION.json'", str(directory),
                check="snapshot",
            ))
    start, found = _since(source, names)
    problems.extend(found)
    releases = [locate_snapshot(files[name]) for name in names[max(start - 1, 0):]]
    base = releases.pop(0) if start > 0 else None
    return Plan(tuple(releases), base, tuple(problems), tuple(str(files[n]) for n in names))


def fingerprint(source: HistorySource) -> str:
    """Cheap summary of what a history depends on beyond its files: tags, branches, listing."""
    if source.snapshots is not None:
        listing = sorted(p.name for p in source.snapshots.glob("*.json")) if (
            source.snapshots.is_dir()) else []
        return hashlib.sha1("\n".join(listing).encode(), usedforsecurity=False).hexdigest()
    try:
        found = Repository(source.settings).fingerprint()
    except OpsdocsError as error:
        found = error.problem.message
    files = "".join("1" if f.is_file() else "0" for f in settings_files(source.settings))
    return f"{found} {files}"


def read_release(spec: str, settings: Path, sentinels: tuple[str, ...] = DEFAULT_SENTINELS,
                 operating: Sequence[tuple[str, Path]] = ()) -> Release:
    """One release for the CLI: a git ref, ``WORKTREE`` (or ``.``), or a snapshot file;
    with the operations files *operating* (``(kind, path)``) as they were there."""
    if spec in (WORKTREE, "."):
        return read_worktree(settings, sentinels, "working tree", operating)
    if spec.endswith(".json"):
        snapshot = read_snapshot(Path(spec))
        if snapshot.problems:
            raise OpsdocsError(snapshot.problems[0])
        return snapshot
    with Repository(settings) as repository:
        located = locate_ref(repository, spec, operating_files=operating)
        if located is None:
            raise OpsdocsError(repository.unknown_ref(spec))
        content = repository.content(located.files)
        operations = (parse_operating(repository.content(located.operating)) if operating
                      else None)
    return release_from(located, *parse_content(located.root, content, sentinels), operations)
