"""Reading a settings package as it was: at git refs, in the working tree, in snapshots.

Git refs are read without checking anything out: one ``git cat-file --batch`` process
serves every tree and file of every ref of a history, and each distinct file (a git blob
id) is parsed once, through a :class:`ParseCache` that a Sphinx build keeps on disk.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import pickle
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from packaging.version import InvalidVersion, Version

from opsdocs import __version__
from opsdocs.changelog import Release
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.settings import (
    DEFAULT_SENTINELS,
    SETTINGS_FILES,
    Setting,
    SettingsCatalog,
    catalog_from_json,
    catalog_to_json,
    decode_source,
    read_settings_source,
)

#: Name of the working tree as a release, and what the CLI accepts for it.
WORKTREE = "WORKTREE"
UNRELEASED = "Unreleased"
SHALLOW_ADVICE = (
    "this is a shallow clone (as on Read the Docs), which lacks older commits and tags: "
    "fetch them with 'git fetch --tags --unshallow' before building, or commit snapshots "
    "written by 'opsdocs snapshot' and read those instead"
)

Parsed = tuple[tuple[Setting, ...], tuple[Problem, ...]]


@dataclass(frozen=True)
class HistorySource:
    """Where a settings history comes from, as a directive or the configuration says.

    Releases are the git tags matching ``tags`` (in version order) or, when ``refs`` is
    given, those refs in that order; with ``snapshots``, the JSON snapshot files of that
    directory (named by version, ``v1.2.json``), or those of ``refs``.  ``since`` drops
    older releases (the one before it is still the base of its diff).  ``unreleased``
    adds the working tree of ``settings`` as the newest release.
    """

    settings: Path
    tags: str = "v*"
    refs: tuple[str, ...] = ()
    since: str | None = None
    snapshots: Path | None = None
    unreleased: bool = True
    sentinels: tuple[str, ...] = DEFAULT_SENTINELS


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
        return (0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts), name)


def sort_versions(names: Iterable[str]) -> list[str]:
    """*names* oldest first, as versions."""
    return sorted(names, key=version_key)


# -- The parse cache ----------------------------------------------------------------------


class ParseCache:
    """Parsed settings files by content, kept in a pickle file across builds.

    Entries are keyed by the git blob id of the file, its path, which file it is and the
    sentinels, and the file is only trusted when written by this version of opsdocs.
    """

    FORMAT = 1

    def __init__(self, path: Path | None = None, limit: int = 4000) -> None:
        self.path = path
        self.limit = limit
        self.entries: dict[tuple[Any, ...], Parsed] | None = None
        self.dirty = False

    def _load(self) -> dict[tuple[Any, ...], Parsed]:
        if self.entries is None:
            self.entries = {}
            if self.path is not None and self.path.is_file():
                try:
                    with self.path.open("rb") as stream:
                        data = pickle.load(stream)  # our own build directory, as Sphinx's environment
                    if data.get("stamp") == (self.FORMAT, __version__):
                        self.entries = data["entries"]
                except Exception:  # a cache is never worth failing a build over
                    self.entries = {}
        return self.entries

    def parse(self, key: tuple[Any, ...], read: Callable[[], Parsed]) -> Parsed:
        """The parsed file under *key*, parsing with ``read()`` on a miss."""
        entries = self._load()
        if key in entries:
            return entries[key]
        parsed = read()
        entries[key] = parsed
        self.dirty = True
        return parsed

    def save(self) -> None:
        """Write the cache if it changed: atomically, so a reader never sees half of it."""
        if self.path is None or not self.dirty or self.entries is None:
            return
        entries = self.entries
        if len(entries) > self.limit:  # keep the newest (insertion order)
            entries = dict(list(entries.items())[-self.limit:])
        try:
            write_atomically(self.path, lambda stream: pickle.dump(
                {"stamp": (self.FORMAT, __version__), "entries": entries}, stream,
                protocol=pickle.HIGHEST_PROTOCOL,
            ), binary=True)
            self.dirty = False
        except OSError:
            pass


def write_atomically(path: Path, write: Any, *, binary: bool = False) -> None:
    """Write *path* through a temporary file in the same directory and :func:`os.replace`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb" if binary else "w", encoding=None if binary else "utf-8",
                       newline=None if binary else "\n") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def blob_id(data: bytes) -> str:
    """The git (SHA-1) blob id of *data*, so the working tree shares the cache with git."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


# -- Building catalogs --------------------------------------------------------------------


def _parse_file(
    cache: ParseCache, oid: str, path: str, filename: str, data: Any, sentinels: tuple[str, ...]
) -> Parsed:
    """Settings and problems of one file; *data* is its bytes or a function giving them."""
    def read() -> Parsed:
        raw = data() if callable(data) else data
        try:
            settings, problems = read_settings_source(
                decode_source(raw, path), path, required=filename == "required.py",
                sentinels=sentinels,
            )
        except OpsdocsError as error:
            return (), (error.problem,)
        return tuple(settings), tuple(problems)

    return cache.parse((oid, path, filename, sentinels), read)


def _release(name: str, root: str, parts: Sequence[tuple[str, Parsed]], where: str,
             unreleased: bool = False) -> Release:
    """A release from its parsed files; syntax errors make it unreadable, located at *where*."""
    settings = tuple(s for _, (found, _) in parts for s in found)
    fatal = tuple(
        replace(p, file=f"{where}{p.file}") for _, (_, problems) in parts for p in problems
        if p.check == "syntax"
    )
    catalog = SettingsCatalog(root, settings, (), tuple(path for path, _ in parts))
    return Release(name, catalog, fatal, unreleased)


def read_worktree(settings: Path, cache: ParseCache | None = None,
                  sentinels: tuple[str, ...] = DEFAULT_SENTINELS,
                  name: str = UNRELEASED) -> Release:
    """The settings package as it is on disk, as the newest (unreleased) release."""
    cache = cache or ParseCache()
    if not settings.is_dir():
        raise OpsdocsError(Problem(
            f"settings package {str(settings)!r} not found: give the directory that holds "
            "required.py and defaults.py", str(settings), check="missing",
        ))
    parts = []
    for filename in SETTINGS_FILES:
        path = settings / filename
        try:
            data = path.read_bytes()
        except OSError:
            continue
        parts.append((str(path), _parse_file(cache, blob_id(data), str(path), filename, data,
                                             sentinels)))
    return Release(name, None, unreleased=True) if not parts else _release(
        name, str(settings), parts, "", unreleased=True)


def read_snapshot(path: Path, name: str | None = None) -> Release:
    """A release from a snapshot file; a bad file gives a release with its problem."""
    name = name or path.stem
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        return Release(name, problems=(Problem(
            f"cannot read snapshot: {error.strerror}", str(path), check="snapshot"),))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return Release(name, problems=(Problem(
            f"snapshot is not valid JSON: {error.msg}; write it again with 'opsdocs snapshot'",
            str(path), error.lineno, check="snapshot"),))
    try:
        return Release(name, catalog_from_json(data, str(path)))
    except OpsdocsError as error:
        # Sphinx needs a line to take a location for a file; the version's, when it is that.
        line = next((n for n, text in enumerate(text.splitlines(), 1) if '"version"' in text), 1)
        return Release(name, problems=(replace(error.problem, line=error.problem.line or line),))


def snapshot_text(catalog: SettingsCatalog, base: Path) -> str:
    """The snapshot JSON of *catalog*, its paths relative to *base* (never absolute)."""
    def relative(path: str) -> str:
        try:
            return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()
        except ValueError:
            return Path(path).as_posix()

    data = catalog_to_json(replace(catalog, root=relative(catalog.root)))
    for item in data["settings"]:
        item["file"] = relative(item["file"])
    return json.dumps(data, indent=2) + "\n"


# -- Git ----------------------------------------------------------------------------------


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              check=False)
    except FileNotFoundError:
        raise OpsdocsError(Problem(
            "cannot read the settings history: git is not installed (or not on PATH); "
            "install git, or commit snapshots written by 'opsdocs snapshot' and read those",
            str(cwd), check="git",
        )) from None


class Repository:
    """The git repository holding a settings package, read through one batch process."""

    def __init__(self, settings: Path) -> None:
        if not settings.is_dir():
            raise OpsdocsError(Problem(
                f"settings package {str(settings)!r} not found: give the directory that "
                "holds required.py and defaults.py", str(settings), check="missing",
            ))
        result = _git(["rev-parse", "--show-toplevel", "--show-prefix",
                       "--is-shallow-repository"], settings)
        lines = result.stdout.splitlines()
        if result.returncode or len(lines) != 3:
            raise OpsdocsError(Problem(
                f"cannot read the settings history: {settings} is not in a git repository "
                f"({result.stderr.strip() or 'git rev-parse failed'}); read snapshots "
                "written by 'opsdocs snapshot' instead", str(settings), check="git",
            ))
        self.settings = settings
        self.top = Path(lines[0])
        self.prefix = lines[1].rstrip("/")
        self.shallow = lines[2].strip() == "true"
        self._batch: subprocess.Popen[bytes] | None = None

    def tags(self, pattern: str) -> list[tuple[str, str]]:
        """``(name, object id)`` of the tags matching *pattern*, oldest version first."""
        result = _git(["for-each-ref", "--format=%(objectname) %(refname:strip=2)",
                       "refs/tags"], self.top)
        found = [tuple(line.split(" ", 1)) for line in result.stdout.splitlines() if " " in line]
        return sorted(((name, oid) for oid, name in found if fnmatch.fnmatchcase(name, pattern)),
                      key=lambda pair: version_key(pair[0]))

    def fingerprint(self) -> str:
        """Changes when a tag or branch moves: cheap, for deciding whether to re-read."""
        result = _git(["for-each-ref", "--format=%(objectname) %(refname)",
                       "refs/tags", "refs/heads"], self.top)
        return hashlib.sha1(result.stdout.encode(), usedforsecurity=False).hexdigest()

    def _object(self, name: str) -> tuple[str, str, bytes] | None:
        """``(id, type, content)`` of the object *name* (``v1.0:path``), or ``None``."""
        if "\n" in name:
            return None
        if self._batch is None:
            try:
                self._batch = subprocess.Popen(
                    ["git", "cat-file", "--batch"], cwd=self.top, stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                )
            except FileNotFoundError:
                _git(["--version"], self.top)  # raises the "git is not installed" problem
                raise
        stdin: IO[bytes] = self._batch.stdin  # type: ignore[assignment]
        stdout: IO[bytes] = self._batch.stdout  # type: ignore[assignment]
        stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
        stdin.flush()
        header = stdout.readline()
        if header.rstrip().endswith((b" missing", b" ambiguous")):
            return None
        fields = header.split()
        if len(fields) != 3:
            raise OpsdocsError(Problem(
                f"git cat-file stopped answering (asked for {name!r})", str(self.top),
                check="git"))
        content = stdout.read(int(fields[2]))
        stdout.read(1)
        return fields[0].decode(), fields[1].decode(), content

    def close(self) -> None:
        if self._batch is not None:
            if self._batch.stdin:
                self._batch.stdin.close()
            self._batch.wait()
            if self._batch.stdout:
                self._batch.stdout.close()
            self._batch = None

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def exists(self, ref: str) -> bool:
        return self._object(f"{ref}^{{commit}}") is not None

    def unknown_ref(self, ref: str) -> Problem:
        advice = SHALLOW_ADVICE if self.shallow else (
            "check the name ('git tag --list' shows the tags)")
        return Problem(f"unknown git ref {ref!r}: {advice}", str(self.settings), check="git")

    def read(self, ref: str, cache: ParseCache, sentinels: tuple[str, ...] = DEFAULT_SENTINELS,
             name: str | None = None) -> Release | None:
        """The settings package at *ref*; ``None`` when *ref* does not exist."""
        name = name or ref
        tree = self._object(f"{ref}:{self.prefix}")
        if tree is None or tree[1] != "tree":
            return Release(name) if self.exists(ref) else None
        entries = _tree_entries(tree[2], len(tree[0]) // 2)
        parts = []
        for filename in SETTINGS_FILES:
            mode, oid = entries.get(filename, ("", ""))
            if not mode.startswith("100"):
                continue
            path = f"{self.prefix}/{filename}" if self.prefix else filename
            parts.append((path, _parse_file(
                cache, oid, path, filename, lambda oid=oid: self._blob(oid), sentinels)))
        if not parts:
            return Release(name)
        return _release(name, self.prefix or ".", parts, f"{ref}:")

    def _blob(self, oid: str) -> bytes:
        found = self._object(oid)
        return found[2] if found else b""


def _tree_entries(data: bytes, oid_size: int) -> dict[str, tuple[str, str]]:
    """``name: (mode, id)`` of a raw git tree object."""
    entries: dict[str, tuple[str, str]] = {}
    index = 0
    while index < len(data):
        space = data.index(b" ", index)
        nul = data.index(b"\0", space)
        name = data[space + 1:nul].decode("utf-8", "surrogateescape")
        entries[name] = (data[index:space].decode(), data[nul + 1:nul + 1 + oid_size].hex())
        index = nul + 1 + oid_size
    return entries


# -- Histories ----------------------------------------------------------------------------


def read_history(source: HistorySource, cache: ParseCache | None = None) -> History:
    """Every release of *source*, oldest first; raises only when nothing can be read."""
    cache = cache or ParseCache()
    if source.snapshots is not None:
        history = _snapshot_history(source)
    else:
        with Repository(source.settings) as repository:
            history = _git_history(source, repository, cache)
    if source.unreleased:
        worktree = read_worktree(source.settings, cache, source.sentinels)
        history = replace(history, releases=(*history.releases, worktree), dependencies=(
            *history.dependencies,
            *(str(source.settings / f) for f in SETTINGS_FILES),
        ))
    return history


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


def _git_history(source: HistorySource, repository: Repository, cache: ParseCache) -> History:
    problems: list[Problem] = []
    if source.refs:
        names = list(source.refs)
    else:
        names = [name for name, _ in repository.tags(source.tags)]
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
    releases: list[Release] = []
    base: Release | None = None
    for index in range(max(start - 1, 0), len(names)):
        release = repository.read(names[index], cache, source.sentinels)
        if release is None:
            problems.append(repository.unknown_ref(names[index]))
        elif index < start:
            base = release
        else:
            releases.append(release)
    return History(tuple(releases), base, tuple(problems))


def _snapshot_history(source: HistorySource) -> History:
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
    start, found = _since(source, names)
    problems.extend(found)
    releases = [read_snapshot(files[name]) for name in names[max(start - 1, 0):]]
    base = releases.pop(0) if start > 0 else None
    return History(tuple(releases), base, tuple(problems),
                   tuple(str(files[name]) for name in names))


def fingerprint(source: HistorySource) -> str:
    """Cheap summary of what a history depends on beyond its files: tags, branches, listing."""
    if source.snapshots is not None:
        listing = sorted(p.name for p in source.snapshots.glob("*.json")) if (
            source.snapshots.is_dir()) else []
        return hashlib.sha1("\n".join(listing).encode(), usedforsecurity=False).hexdigest()
    try:
        return Repository(source.settings).fingerprint()
    except OpsdocsError as error:
        return error.problem.message


def read_release(spec: str, settings: Path, cache: ParseCache | None = None,
                 sentinels: tuple[str, ...] = DEFAULT_SENTINELS) -> Release:
    """One release for the CLI: a git ref, ``WORKTREE`` (or ``.``), or a snapshot file."""
    cache = cache or ParseCache()
    if spec in (WORKTREE, "."):
        return read_worktree(settings, cache, sentinels, name="working tree")
    if spec.endswith(".json"):
        snapshot = read_snapshot(Path(spec))
        if snapshot.problems:
            raise OpsdocsError(snapshot.problems[0])
        return snapshot
    with Repository(settings) as repository:
        release = repository.read(spec, cache, sentinels)
        if release is None:
            raise OpsdocsError(repository.unknown_ref(spec))
    return release
