"""A git repository read without checkouts: one ``git cat-file --batch`` process serves
every tree and file of every ref of a history."""

from __future__ import annotations

import fnmatch
import hashlib
import os
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO

from opsdocs.changelog.model import Content, FileData, FileRef, Files, Unreadable
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import (
    COMMANDS_FILE,
    DOCKERFILE,
    SETTINGS_MODULE,
    FileKind,
    too_large_message,
)
from opsdocs.settings.model import SETTINGS_FILES
from opsdocs.settings.sources import RecordingFiles, module_files

SHALLOW_ADVICE = (
    "this is a shallow clone (as on Read the Docs), which lacks older commits and tags: "
    "fetch them with 'git fetch --tags --unshallow' before building, or commit snapshots "
    "written by 'opsdocs snapshot' and read those instead"
)


def blob_id(data: bytes) -> str:
    """The git (SHA-1) blob id of *data*."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def settings_not_found(settings: Path) -> Problem:
    """The problem of a history's settings that are not there: what a history reads."""
    return Problem(
        f"settings {str(settings)!r} not found: give a settings package (the directory that "
        "holds required.py and defaults.py), a settings module file, or a dotted module path "
        "found on sys.path", str(settings), check="missing")


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


def find_settings_package(directory: Path) -> Path:
    """The one settings package (``required.py`` and ``defaults.py``) git sees in *directory*,
    else in the whole repository that holds it (run from ``docs/``, say).

    Tracked and untracked files count, ignored ones (a virtualenv) do not.
    """
    packages = _settings_packages(directory)
    if not packages:
        top = _git(["rev-parse", "--show-toplevel"], directory)
        if top.returncode == 0 and Path(top.stdout.strip()) != directory.resolve():
            directory = Path(top.stdout.strip())
            packages = _settings_packages(directory)
    if len(packages) == 1:
        return directory / packages[0]
    if packages:
        message = f"several settings packages here ({', '.join(packages)}): give one"
    else:
        message = ("no settings package (a directory with required.py and defaults.py) in a "
                   "git repository here: give it")
    raise OpsdocsError(Problem(f"{message} with --settings PATH", str(directory),
                               check="usage"))


def _settings_packages(directory: Path) -> list[str]:
    """The settings packages under *directory*, relative to it."""
    found = _git(["ls-files", "--cached", "--others", "--exclude-standard", "--",
                  *(f"*{name}" for name in SETTINGS_FILES)], directory)
    files: dict[str, set[str]] = {}
    for line in found.stdout.splitlines() if found.returncode == 0 else ():
        path = Path(line)
        if path.name in SETTINGS_FILES:
            files.setdefault(path.parent.as_posix(), set()).add(path.name)
    return sorted(parent for parent, names in files.items() if len(names) == 2)


class Repository:
    """The git repository holding a settings package (or a settings module: ``module`` is
    its file name), read through one batch process."""

    def __init__(self, settings: Path) -> None:
        self.module = settings.name if settings.is_file() else None
        if self.module is None and not settings.is_dir():
            raise OpsdocsError(settings_not_found(settings))
        result = _git(["rev-parse", "--show-toplevel", "--show-prefix",
                       "--is-shallow-repository"], settings.parent if self.module else settings)
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
        self._pid = os.getpid()  # a forked process must not talk through its parent's pipes

    def tags(self, pattern: str) -> list[str]:
        """The names of the tags matching *pattern*."""
        result = _git(["for-each-ref", "--format=%(refname:strip=2)", "refs/tags"], self.top)
        return [name for name in result.stdout.splitlines()
                if fnmatch.fnmatchcase(name, pattern)]

    def ancestry_order(self, refs: Sequence[str]) -> list[str]:
        """*refs* oldest first by git ancestry (an ancestor before its descendants; refs
        that are not related keep their order); unknown refs last."""
        if len(refs) < 2:
            return list(refs)
        resolved = _git(["rev-parse", *(f"{ref}^{{commit}}" for ref in refs)], self.top)
        commits = resolved.stdout.split()
        if resolved.returncode or len(commits) != len(refs):
            return list(refs)
        walk = _git(["rev-list", "--topo-order", "--reverse", "--simplify-by-decoration",
                     *commits], self.top)
        position = {commit: index for index, commit in enumerate(walk.stdout.split())}
        order = sorted(range(len(refs)), key=lambda i: (position.get(commits[i], len(position)),
                                                        i))
        return [refs[i] for i in order]

    def commit_date(self, ref: str) -> date | None:
        """The day of *ref*'s commit (its committer date), or ``None``."""
        result = _git(["log", "-1", "--format=%cs", f"{ref}^{{commit}}", "--"], self.top)
        try:
            return date.fromisoformat(result.stdout.strip()) if result.returncode == 0 else None
        except ValueError:
            return None

    def fingerprint(self) -> str:
        """Changes when a tag or branch moves: cheap, for deciding whether to re-read."""
        result = _git(["for-each-ref", "--format=%(objectname) %(refname)",
                       "refs/tags", "refs/heads"], self.top)
        return hashlib.sha1(result.stdout.encode(), usedforsecurity=False).hexdigest()

    def _object(self, name: str, limit: int = SETTINGS_MODULE.limit,
                ) -> tuple[str, str, bytes | None] | None:
        """``(id, type, content)`` of the object *name* (``v1.0:path``), or ``None``.

        The content is ``None`` when it is larger than *limit*: a settings module (or a
        tree) at a ref costs no more memory than one in the working tree.
        """
        if "\n" in name:
            return None
        if self._pid != os.getpid():
            self._batch, self._pid = None, os.getpid()
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
        size = int(fields[2])
        if size > limit:  # read past it, a chunk at a time: it is answered whole
            while size > 0 and (chunk := stdout.read(min(size, 1024 * 1024))):
                size -= len(chunk)
            stdout.read(1)
            return fields[0].decode(), fields[1].decode(), None
        content = stdout.read(size)
        stdout.read(1)
        return fields[0].decode(), fields[1].decode(), content

    def close(self) -> None:
        if self._batch is not None and self._pid == os.getpid():
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

    def is_ancestor(self, ancestor: str, ref: str) -> bool:
        """Whether *ancestor* is an ancestor of *ref* (or the same commit).  Both are
        resolved to commit ids first: git is given data, never an option."""
        ids = [self.commit_id(name) for name in (ancestor, ref)]
        if None in ids:
            return False
        return _git(["merge-base", "--is-ancestor", "--end-of-options", *ids],  # type: ignore[list-item]
                    self.top).returncode == 0

    def commit_id(self, ref: str) -> str | None:
        """The id of the commit *ref* names, or ``None`` (a ref that could be read as an
        option, or holds a control character, names none)."""
        if not valid_ref(ref):
            return None
        found = self._object(f"{ref}^{{commit}}")
        return found[0] if found is not None and found[1] == "commit" else None

    def exists(self, ref: str) -> bool:
        return self.commit_id(ref) is not None

    def unknown_ref(self, ref: str) -> Problem:
        advice = SHALLOW_ADVICE if self.shallow else (
            "check the name ('git tag --list' shows the tags)")
        return Problem(f"unknown git ref {ref!r}: {advice}", str(self.settings), check="git")

    def tree_path(self, directories: Iterable[Path]) -> tuple[Path, ...]:
        """The search path *directories* (on disk) as folders of this repository's trees,
        relative to its top; one outside it is left out (it holds no file of a ref)."""
        top = os.path.realpath(self.top)
        found: dict[Path, None] = {}
        for directory in directories:
            try:
                relative = os.path.relpath(os.path.realpath(directory), top)
            except ValueError:  # another drive
                continue
            if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
                found[Path(relative)] = None
        return tuple(found)

    def settings_files(self, ref: str, search_path: Sequence[Path] = (),
                       modules: Sequence[str] = ()) -> Files | None:
        """The settings files at *ref*, by blob id, not read; ``None`` when *ref* is unknown.

        For a settings module, it and the further *modules* (paths in the tree) first, then
        what they star-import at *ref* (``module`` entries; absolute imports found on
        *search_path* too, folders of the tree, :meth:`tree_path`), and the ``__init__.py``
        files the imports were resolved through (``init``); finding them reads the blobs.
        """
        if self.module is not None:
            return self.module_files(ref, search_path, modules)
        tree = self._object(f"{ref}:{self.prefix}")
        if tree is None or tree[1] != "tree" or tree[2] is None:
            return () if self.exists(ref) else None
        entries = _tree_entries(tree[2], len(tree[0]) // 2)
        files: list[FileRef | Unreadable] = []
        for filename in SETTINGS_FILES:
            mode, oid = entries.get(filename, ("", ""))
            path = f"{self.prefix}/{filename}" if self.prefix else filename
            if mode:
                files.append(_entry(path, filename, mode, oid))
        return tuple(files)

    @property
    def start(self) -> str:
        """The settings in the trees: the module's path, or the package's."""
        return Path(self.prefix, self.module or "").as_posix()

    def module_files(self, ref: str, search_path: Sequence[Path] = (),
                     also: Sequence[str] = ()) -> tuple[FileRef, ...] | None:
        if not self.exists(ref):
            return None
        git_files = GitFiles(self, ref)
        files = RecordingFiles(git_files)
        modules = module_files([Path(self.start), *map(Path, also)], files, search_path)
        entries = [FileRef(path.as_posix(), "module", git_files.oid(path)) for path in modules]
        entries += [FileRef(path.as_posix(), "init", git_files.oid(path)) for path in files.found
                    if path.name == "__init__.py"]
        return tuple(entries)

    def file_at(self, ref: str, path: Path, kind: str) -> FileRef | Unreadable | None:
        """The regular file *path* (on disk, in this repository) at *ref*, not read; ``None``
        when it is not there, :class:`Unreadable` when something else is (a link)."""
        relative = self.tree_file(path)
        if relative is None:
            return None
        directory, _, name = relative.rpartition("/")
        tree = self._object(f"{ref}:{directory}")
        if tree is None or tree[1] != "tree" or tree[2] is None:
            return None
        mode, oid = _tree_entries(tree[2], len(tree[0]) // 2).get(name, ("", ""))
        return _entry(relative, kind, mode, oid) if mode else None

    def tree_file(self, path: Path) -> str | None:
        """*path* (on disk) as a path in this repository's trees; ``None`` outside it."""
        try:
            relative = Path(os.path.relpath(os.path.realpath(path), self.top.resolve())).as_posix()
        except ValueError:
            return None
        return None if relative.startswith("../") else relative

    def content(self, files: Files, at: str = "") -> Content:
        """The bytes of *files* (of the release *at*), through the batch process; a blob
        over its kind's cap, or one git cannot read (a corrupt object: never "missing", its
        tree names it), is :class:`Unreadable`."""
        found: list[FileData | Unreadable] = []
        for ref in files:
            if isinstance(ref, Unreadable):
                found.append(ref)
                continue
            kind = file_kind(ref.kind)
            blob = self._object(ref.id, kind.limit)
            if blob is None:
                found.append(Unreadable(Problem(
                    f"cannot read {ref.path} at {at or 'that release'}: "
                    f"{self.object_error(ref.id)}; 'git fsck' says more (fetch the object "
                    "again, or read snapshots written by 'opsdocs snapshot')", ref.path,
                    check="git")))
            elif blob[2] is None:
                found.append(Unreadable(Problem(too_large_message(kind), ref.path,
                                                check=kind.too_large)))
            else:
                found.append(FileData(ref, blob[2]))
        return tuple(found)

    def blob(self, oid: str, kind: FileKind, path: str) -> bytes:
        """The bytes of the blob *oid* (the file *path* of a tree), within *kind*'s cap;
        :class:`OpsdocsError` with *kind*'s problem when it is larger or cannot be read."""
        found = self._object(oid, kind.limit) if oid else None
        if found is None or found[1] != "blob":
            raise OpsdocsError(Problem(
                f"cannot read the {kind.name}: {self.object_error(oid)}; 'git fsck' says "
                "more", path, check=kind.unreadable))
        if found[2] is None:
            raise OpsdocsError(Problem(too_large_message(kind), path, check=kind.too_large))
        return found[2]

    def tree_files(self, commit: str, paths: Sequence[str]) -> Iterator[tuple[str, str, str]]:
        """``(path, mode, id)`` of each entry under *paths* (folders or files relative to
        the top) at the commit id *commit*, as ``git ls-tree -r`` lists them: read as they
        come, so that a caller that has enough stops the listing."""
        process = subprocess.Popen(
            ["git", "--literal-pathspecs", "ls-tree", "-r", "-z", commit, "--", *paths],
            cwd=self.top, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        stdout: IO[bytes] = process.stdout  # type: ignore[assignment]
        try:
            rest = b""
            while chunk := stdout.read(1 << 16):
                *records, rest = (rest + chunk).split(b"\0")
                for record in records:
                    info, _, name = record.partition(b"\t")
                    mode, _, oid = info.split(b" ")
                    yield name.decode("utf-8", "surrogateescape"), mode.decode(), oid.decode()
        finally:
            stdout.close()
            process.kill()
            process.wait()

    def object_error(self, oid: str) -> str:
        """What git says when it reads the object *oid* (the batch process says only
        "missing"): its first error line."""
        result = _git(["cat-file", "-p", "--end-of-options", oid], self.top)
        lines = [line.split(": ", 1)[-1].strip() for line in result.stderr.splitlines()
                 if line.startswith(("error:", "fatal:"))]
        return lines[0] if lines else f"object {oid} is missing from the repository"


class GitFiles:
    """The files of a repository at a ref, by path relative to its top (a
    :class:`~opsdocs.settings.sources.SourceFiles`)."""

    def __init__(self, repository: Repository, ref: str) -> None:
        self.repository = repository
        self.ref = ref
        self.trees: dict[str, dict[str, tuple[str, str]]] = {}

    def entry(self, path: Path) -> tuple[str, str]:
        directory = path.parent.as_posix() if path.parent != Path(".") else ""
        if directory not in self.trees:
            tree = self.repository._object(f"{self.ref}:{directory}")
            self.trees[directory] = _tree_entries(tree[2], len(tree[0]) // 2) if (
                tree is not None and tree[1] == "tree" and tree[2] is not None) else {}
        return self.trees[directory].get(path.name, ("", ""))

    def oid(self, path: Path) -> str:
        return self.entry(path)[1]

    def is_file(self, path: Path) -> bool:
        return self.entry(path)[0].startswith("100")  # a file, not a link or a directory

    def read(self, path: Path) -> bytes:
        blob = self.repository._object(self.oid(path)) if self.is_file(path) else None
        if blob is None or blob[2] is None:
            raise OSError(f"{path} cannot be read at {self.ref}")
        return blob[2]


def file_kind(kind: str) -> FileKind:
    """The :class:`FileKind` of a :class:`FileRef`'s *kind*: its cap and checks."""
    return {"commands": COMMANDS_FILE, "dockerfile": DOCKERFILE}.get(kind, SETTINGS_MODULE)


#: What a tree entry that is no regular file holds, by its git mode.
_NOT_A_FILE = {"120000": "a symbolic link", "40000": "a directory", "160000": "a submodule"}


def _entry(path: str, kind: str, mode: str, oid: str) -> FileRef | Unreadable:
    """The tree entry *path* (``mode``, ``oid``): a file, or what makes it none."""
    if mode.startswith("100"):
        return FileRef(path, kind, oid)
    what = file_kind(kind)
    return Unreadable(Problem(
        f"cannot read the {what.name}: git holds {_NOT_A_FILE.get(mode, 'no file')} there, "
        "not a regular file", path, check=what.unreadable))


def valid_ref(ref: str) -> bool:
    """Whether *ref* may name a git object: not empty, not starting with ``-`` (git would
    read it as an option), no control character (a newline would end a batch request)."""
    return bool(ref) and not ref.startswith("-") and ref.isprintable()


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


def shared_repository(repositories: dict[str, Repository], settings: Path) -> Repository:
    """The repository of *settings* from *repositories*, opened there if need be."""
    key = str(settings.resolve())
    if key not in repositories:
        repositories[key] = Repository(settings)
    return repositories[key]
