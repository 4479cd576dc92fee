"""The toggles a service's code defines at two releases, for the release notes: its code
trees read by the toggles reader (:mod:`opsdocs.toggles.reader`), statically, at git refs
without a checkout, or in the working tree.

At a git ref the trees' Python files are listed (``git ls-tree``) under the toggles
reader's rules (no vendored or generated folders, no tests), and only the files that can
define a toggle are parsed; every blob is read through the repository's batch process
once: what a file says is kept by its blob id (:class:`TogglesCache`), so the files two
releases share are read once, and a release read before (its commit) is not read
again.  A tree missing at one release, or a file that cannot be read or parsed at
one, is a message, and its toggles are left out at both releases, so that nothing reads
as added or removed because it could not be read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from opsdocs.changelog.git import GitFiles, Repository, shared_repository
from opsdocs.changelog.history import WORKTREE
from opsdocs.changelog.toggle_changes import ToggleFacts, facts_of
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.files import PickleCache
from opsdocs.reading import MAX_CACHE_ENTRIES, MAX_TREE_FILES, PYTHON_FILE
from opsdocs.reading.tree import walk, wanted_file, wanted_folder
from opsdocs.toggles.facts import NO_TOGGLES, NOT_READ, FileFacts, file_facts
from opsdocs.toggles.model import READING_CHECKS
from opsdocs.toggles.reader import Collected, FactsCache, collect_toggles


@dataclass(frozen=True)
class CodeToggles:
    """The toggles of a service's code trees at one release, each with its file (relative
    to the repository); the files that could not be read there; problems.  In the
    working tree, the ``files`` and ``folders`` read: what a page of them depends on."""

    toggles: tuple[tuple[str, ToggleFacts], ...] = ()
    broken: frozenset[str] = frozenset()
    problems: tuple[Problem, ...] = ()
    files: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()


@dataclass(frozen=True)
class TogglePair:
    """A service's code toggles at the old and the new release (``None``: not read), the
    problems of reading them, and the working tree's files and folders read."""

    toggles: tuple[tuple[ToggleFacts, ...], tuple[ToggleFacts, ...]] | None
    problems: tuple[Problem, ...] = ()
    files: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()


class TogglesCache(PickleCache):
    """What files say about toggles, by path and blob id, and each release's toggles by
    its commit and the trees read; with a *path*, kept in a pickle file.  In the working
    tree, files are read through *disk* (the toggles pages' cache, in a Sphinx build)."""

    FORMAT = FactsCache.FORMAT  # the same facts, pickled by blob
    KEPT = ("facts", "releases")

    def __init__(self, path: Path | None = None, limit: int = MAX_CACHE_ENTRIES,
                 disk: FactsCache | None = None) -> None:
        super().__init__(path, limit)
        self.facts: dict[tuple[str, str], FileFacts] = {}
        self.releases: dict[tuple[str, tuple[str, ...], tuple[str, ...]], CodeToggles] = {}
        #: the files listed in each tree at each commit, while the process runs
        self.listings: dict[tuple[str, str], tuple[dict[str, str], Problem | None]] = {}
        self.disk = disk if disk is not None else FactsCache()
        self.reads = 0

    def save(self) -> None:
        """Write the cache, and the working tree's, if they changed."""
        super().save()
        self.disk.save()

    def blob_facts(self, repository: Repository, path: str, oid: str,
                   complete: bool) -> FileFacts:
        """What the blob *oid*, the file *path*, says (parsed whole when *complete*)."""
        key = (path, oid)
        found = self.facts.pop(key, None)  # put back last: the most recent kept
        if found is None or (complete and not found.complete):
            self.reads += 1
            try:
                found = file_facts(repository.blob(oid, PYTHON_FILE, path), path,
                                   parse_all=complete)
            except OpsdocsError as error:
                found = FileFacts(problems=(error.problem,))
            self.dirty = True
        self.facts[key] = found
        return found


def service_toggles(old: str, new: str, settings: Path, trees: Sequence[Path],
                    cache: TogglesCache | None = None,
                    repositories: dict[str, Repository] | None = None,
                    modules: Sequence[Sequence[str]] = ()) -> TogglePair:
    """The toggles the code *trees* (on disk) of the service whose settings are *settings*
    define at releases *old* and *new* (git refs or ``WORKTREE``), the trees of both.

    *modules* are the settings modules each release's catalog read, as it names them:
    their toggles are the settings', and they are not read again here.
    """
    cache = cache if cache is not None else TogglesCache()
    cache.load()
    problems: list[Problem] = []
    snapshots = [spec for spec in (old, new) if spec.endswith(".json")]
    if snapshots:
        return TogglePair(None, (Problem(
            f"toggle trees are read at git refs and in the working tree, and {snapshots[0]} "
            "is a snapshot: the code's toggles are left out; give them as 'opsdocs toggles "
            "--format json' wrote them at each release instead", snapshots[0],
            check="release-notes"),))
    owned = repositories is None
    repositories = {} if repositories is None else repositories
    try:
        repository = shared_repository(repositories, settings)
        relative = _relative(repository.top, trees, problems)
        there = [_present(repository, spec, relative) for spec in (old, new)]
        kept = [tree for tree in relative if all(tree in found for found in there)]
        for tree in relative:
            missing = [spec for spec, found in zip((old, new), there, strict=True)
                       if tree not in found]
            if missing:
                problems.append(Problem(
                    f"the code tree {tree!r} is not there at {' nor at '.join(missing)}: its "
                    "toggles are left out of the notes, at both releases; give the trees "
                    "both releases have", tree, check="release-notes"))
        if not kept:
            return TogglePair(None, tuple(problems))
        skip = frozenset(_module(repository.top, spec, file)
                         for spec, files in zip((old, new), modules, strict=False)
                         for file in files)
        read = [_read(repository, spec, kept, cache, skip) for spec in (old, new)]
    except OpsdocsError as error:
        return TogglePair(None, (*problems, error.problem))
    finally:
        if owned:
            for repository in repositories.values():
                repository.close()
    broken = read[0].broken | read[1].broken
    for spec, release in zip((old, new), read, strict=True):
        problems += [_located(problem, spec) for problem in release.problems]
    pair = tuple(tuple(facts for file, facts in release.toggles if file not in broken)
                 for release in read)
    return TogglePair((pair[0], pair[1]), tuple(problems),
                      tuple(dict.fromkeys(f for release in read for f in release.files)),
                      tuple(dict.fromkeys(f for release in read for f in release.folders)))


def _relative(top: Path, trees: Sequence[Path], problems: list[Problem]) -> list[str]:
    """*trees* relative to the repository's *top* (``/``-separated); those outside it are
    problems."""
    found: list[str] = []
    for tree in trees:
        relative = Path(os.path.relpath(os.path.realpath(tree), top.resolve())).as_posix()
        if relative == ".." or relative.startswith("../"):
            problems.append(Problem(
                f"the code tree {str(tree)!r} is not in the repository of the service's "
                f"settings ({top}): its toggles are left out; give a tree inside it",
                str(tree), check="release-notes"))
        elif relative not in found:
            found.append(relative)
    return found


def _present(repository: Repository, spec: str, trees: Iterable[str]) -> set[str]:
    """Which of *trees* are there at *spec* (a folder or a file)."""
    if spec in (WORKTREE, "."):
        return {tree for tree in trees if os.path.lexists(repository.top / tree)}
    commit = repository.commit_id(spec)
    if commit is None:
        raise OpsdocsError(repository.unknown_ref(spec))
    files = GitFiles(repository, commit)
    return {tree for tree in trees if tree == "." or
            files.entry(Path(tree))[0].startswith(("100", "4"))}


def _module(top: Path, spec: str, file: str) -> str:
    """A catalog's file at *spec* relative to the repository's *top* (a git ref's are)."""
    if spec not in (WORKTREE, "."):
        return Path(file).as_posix()
    return Path(os.path.relpath(os.path.realpath(file), top.resolve())).as_posix()


def _read(repository: Repository, spec: str, trees: Sequence[str], cache: TogglesCache,
          skip: frozenset[str] = frozenset()) -> CodeToggles:
    """The toggles of *trees* at *spec*, but those of the files *skip* names (relative to
    the top: they are not parsed, unless a name is looked up in them)."""
    if spec in (WORKTREE, "."):
        top = repository.top.resolve()
        walked = walk([repository.top / tree for tree in trees])

        def on_disk(path: Path, complete: bool) -> FileFacts:
            skipped = not complete and _module(top, spec, str(path)) in skip
            return NO_TOGGLES if skipped else cache.disk.facts(path, complete)

        found = collect_toggles(walked.files, on_disk)
        return replace(_code_toggles(found, repository.top, walked.problems),
                       files=(*(str(f) for f in walked.files), *found.used),
                       folders=tuple(str(f) for f in walked.folders))
    commit = repository.commit_id(spec)
    assert commit is not None  # _present said so
    key = (commit, tuple(trees), tuple(sorted(skip)))
    if key in cache.releases:
        return cache.releases[key]
    listed: dict[str, str] = {}
    problems: list[Problem] = []
    for tree in trees:
        if (commit, tree) not in cache.listings:  # the LMS and the CMS share trees
            cache.listings[(commit, tree)] = _listing(repository, commit, tree, spec)
        files_of, problem = cache.listings[(commit, tree)]
        listed.update(files_of)
        problems += [problem] if problem is not None else []
    files = GitFiles(repository, commit)

    def facts_of(path: Path, complete: bool) -> FileFacts:
        name = path.as_posix()
        if not complete and name in skip:
            return NO_TOGGLES
        oid = listed.get(name) or files.oid(path)
        return cache.blob_facts(repository, name, oid, complete)

    found = collect_toggles((Path(name) for name in listed), facts_of, (), files)
    release = _code_toggles(found, None, problems)
    cache.releases[key] = release
    cache.dirty = True
    return release


def _listing(repository: Repository, commit: str, tree: str,
             spec: str) -> tuple[dict[str, str], Problem | None]:
    """The Python files the toggles reader reads in *tree* at *commit*, by path, with
    their blob ids; past :data:`MAX_TREE_FILES`, a problem."""
    listed: dict[str, str] = {}
    folders: dict[str, bool] = {"": True}  # whether the walk enters each folder

    def entered(folder: str) -> bool:
        if folder not in folders:
            parent, _, name = folder.rpartition("/")
            folders[folder] = entered(parent) and wanted_folder(name, folder)
        return folders[folder]

    prefix = "" if tree == "." else tree + "/"
    for path, mode, oid in repository.tree_files(commit, [tree]):
        if not path.endswith(".py") or not mode.startswith("100"):  # no links, no submodules
            continue
        folder, _, name = path[len(prefix):].rpartition("/")
        if not entered(folder) or not wanted_file(name, folder + "/" + name):
            continue
        if len(listed) == MAX_TREE_FILES:
            return listed, Problem(
                f"more than {MAX_TREE_FILES:,} Python files in the code tree {tree!r} at "
                f"{spec}: the rest are left out; give narrower trees", tree,
                check="release-notes")
        listed[path] = oid
    return listed, None


def _code_toggles(found: Collected, top: Path | None, problems: Iterable[Problem],
                  ) -> CodeToggles:
    """The toggles *found*, each by its file relative to *top* (or as it is), and the
    reading problems."""
    def key(file: str) -> str:
        return Path(os.path.relpath(file, top)).as_posix() if top is not None else file

    reading = [p for p in (*problems, *found.problems) if p.check in READING_CHECKS]
    return CodeToggles(tuple((key(t.file), facts_of(t)) for t in found.toggles),
                       frozenset(key(p.file) for p in reading), tuple(reading))


def _located(problem: Problem, spec: str) -> Problem:
    """A reading problem at release *spec*, as the notes report it."""
    where = "" if spec in (WORKTREE, ".") else f"{spec}:"
    message = problem.message.removesuffix(NOT_READ)
    then = " Its" if message.endswith(("?", ".")) else "; its"
    return replace(problem, file=f"{where}{problem.file}", message=(
        f"{message}{then} toggles are left out of the notes, at both releases"))
