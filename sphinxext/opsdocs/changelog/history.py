"""A settings history: where its releases come from, in which order, and reading them.

A :class:`HistorySource` names the releases (git tags or refs, snapshots, the working
tree); a :class:`HistoryReader` plans them, located but not read
(:mod:`opsdocs.changelog.locate`), then reads and parses them in order
(:mod:`opsdocs.changelog.parse`).  Git refs are read without checking anything out
(:mod:`opsdocs.changelog.git`).  The changelog of a history is
:func:`opsdocs.changelog.cache.read_changelog`'s; the CLI reads single releases with
:func:`read_release`.
"""

from __future__ import annotations

import fnmatch
import hashlib
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from opsdocs.changelog.git import SHALLOW_ADVICE, Repository, shared_repository
from opsdocs.changelog.locate import (
    UNRELEASED,
    Located,
    locate_ref,
    locate_snapshot,
    locate_worktree,
    settings_files,
    worktree_operating,
)
from opsdocs.changelog.model import Content, FileRef, Release, Unreadable
from opsdocs.changelog.operating import Operations
from opsdocs.changelog.parse import Memo, ParsedRelease, parse_operating, parse_release
from opsdocs.changelog.versions import is_version, sort_versions
from opsdocs.errors import OpsdocsError, Problem, report
from opsdocs.settings.model import DEFAULT_SENTINELS

#: What the CLI accepts for the working tree as a release.
WORKTREE = "WORKTREE"


@dataclass(frozen=True)
class HistorySource:
    """Where a settings history comes from, as a directive or the configuration says.

    Releases are the git tags matching ``tags`` (in version order) or, when ``refs`` is
    given, those refs in that order; with ``snapshots``, the JSON snapshot files of that
    directory (named by version, ``v1.2.json``), or those of ``refs``.  ``since`` drops
    older releases (the one before it is still the base of its diff).  ``unreleased``
    adds the working tree of ``settings`` as the newest release.  ``commands`` and
    ``dockerfile`` name the operations manual's commands file and the Dockerfile, read
    at each release beside the settings (snapshots carry what they said).  ``search_path``
    is where a settings module's absolute star imports are found, as ``opsdocs
    settings`` and ``settings-reference`` find them; at a git ref, its folders inside
    the repository as they were there.  ``modules`` are further settings modules read
    with the module ``settings``, as ``opsdocs settings`` reads several.
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
    search_path: tuple[Path, ...] = ()
    modules: tuple[Path, ...] = ()

    @property
    def operating(self) -> tuple[tuple[str, Path], ...]:
        """``(kind, path)`` of each operations file given: ``commands``, ``dockerfile``."""
        return tuple((kind, path) for kind, path in (("commands", self.commands),
                                                     ("dockerfile", self.dockerfile)) if path)


@dataclass(frozen=True)
class Plan:
    """The releases of a history, located (not read), oldest first, the working tree last.

    ``base`` is the release before them, compared against but not shown.  ``problems``
    concern the history as a whole (an unknown ref, no tags in a shallow clone); a
    release's own problems are on the release.  ``dependencies`` are the files the history
    is read from, for incremental builds.
    """

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
            worktree = locate_worktree(source.settings, operating_files=source.operating,
                                       search_path=source.search_path, modules=source.modules)
            tagged = repository is not None and any(
                _same_files(worktree, release) for release in plan.releases)
            plan = replace(plan, releases=(*plan.releases, *(() if tagged else (worktree,))),
                           dependencies=(*plan.dependencies,
                                         *(str(path) for settings in (source.settings,
                                                                      *source.modules)
                                           for path in settings_files(settings,
                                                                      source.search_path)),
                                         *(str(path) for _, path in source.operating)))
        return plan

    def parsed(self, run: Iterable[Located], *,
               by_blocks: bool = False) -> Iterator[tuple[Located, ParsedRelease]]:
        """Each release of *run* parsed, in order, its files read as it comes: a file
        equal to the one before it is not parsed again.  *by_blocks*: see
        :func:`~opsdocs.changelog.parse.parse_release`."""
        memo: Memo = {}
        for located in run:
            yield located, parse_release(located.root, self.content(located),
                                         self.source.sentinels, memo, by_blocks=by_blocks,
                                         search_path=located.search_path,
                                         starts=located.starts)

    def operations(self, located: Located) -> Operations:
        """The operating concerns of *located*: its operations files (or its snapshot), parsed."""
        return parse_operating(self.operating_content(located))

    def content(self, located: Located) -> Content:
        if located.content is not None or self.repository is None:
            return located.content or ()
        return self.repository.content(located.files, located.name)

    def operating_content(self, located: Located) -> Content:
        """The bytes of *located*'s operations files (a snapshot's: the snapshot)."""
        if located.is_snapshot:
            return located.content or ()
        if located.operating_content is not None or self.repository is None:
            return located.operating_content or ()
        return self.repository.content(located.operating, located.name)


def _same_files(worktree: Located, release: Located) -> bool:
    """Whether the working tree's settings and operations files are those of *release*
    (a checkout of a tag, unchanged: no unreleased changes to show)."""
    def ids(files: Iterable[FileRef | Unreadable]) -> list[tuple[str, str]]:
        return sorted((f.kind, f.id) for f in files if isinstance(f, FileRef) and f.kind != "init")

    return bool(release.files) and ids(worktree.files) == ids(release.files) and (
        ids(worktree.operating) == ids(release.operating))


def release_from(located: Located, parsed: ParsedRelease,
                 operations: Operations | None = None) -> Release:
    """The :class:`Release` of a located, parsed release, with its operating concerns
    *operations* when they were read; problems located in it."""
    problems = tuple(replace(p, file=f"{located.where}{p.file}") for p in parsed.problems)
    if operations is not None and operations.problems:
        # the working tree's files: the operations manual and Dockerfile pages report them
        operations = replace(operations, problems=() if located.unreleased else tuple(
            _old_operating_problem(located, p) for p in operations.problems))
    return Release(located.name, None if problems else parsed.catalog, problems,
                   located.unreleased, operations=operations, absent=located.missing)


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


# -- Plans ------------------------------------------------------------------------------


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
        names, odd = order_tags(repository, repository.tags(source.tags), source.tags,
                                str(source.settings))
        problems.extend(odd)
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
        located = locate_ref(repository, names[index], operating_files=source.operating,
                             search_path=source.search_path, modules=source.modules)
        if located is None:
            problems.append(repository.unknown_ref(names[index]))
        elif index < start:
            base = located
        else:
            releases.append(located)
    return Plan(tuple(releases), base, tuple(problems))


def order_tags(repository: Repository, tags: Sequence[str], pattern: str,
               where: str) -> tuple[list[str], list[Problem]]:
    """*tags* oldest first: as versions (named release lines by name, then number); when
    none is a version, by git ancestry.  Tags among versions that are none are left out,
    each with a problem saying so."""
    versions = [tag for tag in tags if is_version(tag)]
    if not versions:
        return repository.ancestry_order(sort_versions(tags)), []
    problems = [Problem(
        f"git tag {tag!r} matches {pattern!r} but is no release name (a version such as "
        "v1.2, or a named release such as open-release/teak.1): left out of the history; "
        "give a narrower pattern to silence this", where, check="changelog")
        for tag in sort_versions(tags) if not is_version(tag)]
    return sort_versions(versions), problems


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
    files = "".join("1" if f.is_file() else "0" for settings in (source.settings, *source.modules)
                    for f in settings_files(settings, source.search_path))
    return f"{found} {files}"


# -- Single releases, for the CLI ---------------------------------------------------------


def read_release(spec: str, settings: Path, sentinels: tuple[str, ...] = DEFAULT_SENTINELS,
                 operating: Sequence[tuple[str, Path]] = (),
                 repositories: dict[str, Repository] | None = None,
                 search_path: Sequence[Path] = (), modules: Sequence[Path] = ()) -> Release:
    """One release for the CLI: a git ref, ``WORKTREE`` (or ``.``), or a snapshot file;
    with the operations files *operating* (``(kind, path)``) as they were there.
    *repositories* are git batch processes kept open by the caller (one opened here is
    added to them), else one is opened and closed here.  *search_path*, *modules*: see
    :class:`HistorySource`."""
    if spec in (WORKTREE, "."):
        return read_worktree(settings, sentinels, "working tree", operating, search_path,
                             modules)
    if spec.endswith(".json"):
        snapshot = read_snapshot(Path(spec))
        if snapshot.problems:
            raise OpsdocsError(snapshot.problems[0])
        return snapshot
    if repositories is None:
        with Repository(settings) as repository:
            return _read_ref(repository, spec, sentinels, operating, search_path, modules)
    return _read_ref(shared_repository(repositories, settings), spec, sentinels, operating,
                     search_path, modules)


def _read_ref(repository: Repository, spec: str, sentinels: tuple[str, ...],
              operating: Sequence[tuple[str, Path]], search_path: Sequence[Path],
              modules: Sequence[Path]) -> Release:
    located = locate_ref(repository, spec, operating_files=operating, search_path=search_path,
                         modules=modules)
    if located is None:
        raise OpsdocsError(repository.unknown_ref(spec))
    content = repository.content(located.files, spec)
    operations = (parse_operating(repository.content(located.operating, spec)) if operating
                  else None)
    return release_from(located, parse_release(located.root, content, sentinels,
                                               search_path=located.search_path,
                                               starts=located.starts), operations)


def tell_absence(old: Release, new: Release) -> int:
    """Tell on standard error what the settings named but not there at *old* or *new* mean
    for comparing them: a note when not there at one (its settings count as added, or
    removed), a problem when at neither (nothing to compare); the exit status they call
    for."""
    notes: list[Problem] = []
    problems: list[Problem] = []
    for path in dict.fromkeys((*old.absent, *new.absent)):
        if path in old.absent and path in new.absent:
            problems.append(Problem(
                f"not there at {old.name} nor at {new.name}: nothing of it to compare; check "
                "the path, and give releases that have it", path, check="changelog"))
        elif path in old.absent:
            notes.append(Problem(
                f"not there at {old.name}: every setting it has at {new.name} counts as "
                "added; to compare it, start from a release that has it", path,
                check="changelog"))
        else:
            notes.append(Problem(
                f"not there at {new.name}: every setting it had at {old.name} counts as "
                "removed; check the path, or give a release that has it", path,
                check="changelog"))
    for note in () if problems else notes:
        print(note, file=sys.stderr)
    return report(problems)


def read_worktree(settings: Path, sentinels: tuple[str, ...] = DEFAULT_SENTINELS,
                  name: str = UNRELEASED, operating: Sequence[tuple[str, Path]] = (),
                  search_path: Sequence[Path] = (), modules: Sequence[Path] = ()) -> Release:
    """The working tree's release, read, with the operations files *operating*; raises
    :class:`OpsdocsError` when one of those cannot be read (a file there to fix)."""
    located = locate_worktree(settings, name, operating, search_path, modules)
    operations = parse_operating(located.operating_content or ()) if operating else None
    if operations is not None and operations.problems:
        raise OpsdocsError(operations.problems[0])
    return release_from(located, parse_release(located.root, located.content or (), sentinels,
                                                search_path=located.search_path,
                                                starts=located.starts), operations)


def read_operating(operating: Iterable[tuple[str, Path]]) -> Operations:
    """The operating concerns in the operations files *operating* (``(kind, path)``) on disk."""
    return parse_operating(worktree_operating(operating))


def read_snapshot(path: Path, name: str | None = None) -> Release:
    """A release from a snapshot file; a bad file gives a release with its problem."""
    located = locate_snapshot(path, name)
    parsed = parse_release(located.root, located.content or ())
    return release_from(located, parsed, parsed.operations or Operations())
