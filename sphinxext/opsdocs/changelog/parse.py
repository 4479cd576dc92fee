"""A release's files parsed: its settings catalog, and its operating concerns.

Content in, model out: the files come read (:mod:`opsdocs.changelog.locate`,
:mod:`opsdocs.changelog.git`), the settings are read by :mod:`opsdocs.settings.reader` (or
again only where they changed, :mod:`opsdocs.changelog.incremental`), the commands file and
the Dockerfile by their concerns' readers.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from opsdocs.changelog.incremental import ParsedBlocks, parse_after, parse_whole
from opsdocs.changelog.model import Content, FileData, FileRef, Unreadable
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
from opsdocs.reading import COMMANDS_FILE, DOCKERFILE, SETTINGS_MODULE, SNAPSHOT, decode_source, decode_text
from opsdocs.settings.model import DEFAULT_SENTINELS, Setting, SettingsCatalog
from opsdocs.settings.reader import ReadOptions, read_settings, read_settings_source
from opsdocs.settings.snapshot import catalog_from_json, load_snapshot_json
from opsdocs.settings.sources import MemoryFiles, SettingsSource


@dataclass(frozen=True)
class ParsedRelease:
    """What a release's files say: its catalog (``None``: no settings package, or it
    cannot be read), the problems that make it unreadable, and the operating concerns a
    snapshot holds (``None`` for other files: they are in the operations files,
    :func:`parse_operating`)."""

    catalog: SettingsCatalog | None
    problems: tuple[Problem, ...] = ()
    operations: Operations | None = None


@dataclass(frozen=True)
class LastParse:
    """A file's last parse: its bytes, its settings, the problems that make it unreadable,
    and, read by blocks, the blocks to read the next version's changes alone."""

    data: bytes
    settings: tuple[Setting, ...]
    problems: tuple[Problem, ...] = ()
    blocks: ParsedBlocks | None = None


#: The last parse of each file, by ``(path, kind)``: consecutive releases mostly share a
#: file (``required.py``), which is then not parsed again.
Memo = dict[tuple[str, str], LastParse]


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


def parse_release(root: str, content: Content, sentinels: tuple[str, ...] = DEFAULT_SENTINELS,
                  memo: Memo | None = None, *, by_blocks: bool = False,
                  search_path: Sequence[Path] = (), starts: Sequence[str] = ()) -> ParsedRelease:
    """The catalog of a release's files, what makes it unreadable, and a snapshot's
    operating concerns, from one decoding of its JSON.

    With *memo*, a file equal to its last parse is not parsed again; it keeps one parse
    per file, not a history's worth.  *by_blocks* reads again only the blocks of a file
    changed since its last parse: for the changelog, which compares no lines.  A settings
    module's absolute star imports are found on *search_path* too (as it was located);
    *starts* are the settings modules read, when several are (else the first file).
    """
    if not content:
        return ParsedRelease(None)
    unreadable = tuple(item.problem for item in content if isinstance(item, Unreadable))
    if unreadable:
        return ParsedRelease(None, unreadable)
    files = [item for item in content if isinstance(item, FileData)]
    if files[0].ref.kind == "snapshot":
        return parse_snapshot(files[0].ref.path, files[0].data)
    if files[0].ref.kind == "module":
        return _parse_modules(root, files, sentinels, search_path, starts)
    memo = {} if memo is None else memo
    settings: list[Setting] = []
    problems: list[Problem] = []
    for item in files:
        key = (item.ref.path, item.ref.kind)
        last = memo.get(key)
        if last is None or last.data != item.data:
            last = memo[key] = (
                _parse_blocks(item.ref, item.data, sentinels, last.blocks if last else None)
                if by_blocks else _parse_file(item.ref, item.data, sentinels))
        settings.extend(last.settings)
        problems.extend(last.problems)
    catalog = SettingsCatalog(root, tuple(settings), (), tuple(item.ref.path for item in files))
    return ParsedRelease(catalog, tuple(problems))


def _parse_file(ref: FileRef, data: bytes, sentinels: tuple[str, ...]) -> LastParse:
    """A file's settings, and the problem that makes it unreadable, if one does."""
    with _no_gc():
        try:
            found, _ = read_settings_source(decode_source(data, ref.path, SETTINGS_MODULE),
                                            ref.path, required=ref.kind == "required.py",
                                            sentinels=sentinels)
        except OpsdocsError as error:
            return LastParse(data, (), (error.problem,))
    return LastParse(data, tuple(found))


def _parse_blocks(ref: FileRef, data: bytes, sentinels: tuple[str, ...],
                  last: ParsedBlocks | None) -> LastParse:
    """:func:`_parse_file`, reading again only the blocks changed since *last*
    (:mod:`opsdocs.changelog.incremental`)."""
    required = ref.kind == "required.py"
    with _no_gc():
        try:
            text = decode_source(data, ref.path, SETTINGS_MODULE)
            parsed = (parse_after(last, text, ref.path, required, sentinels) if last is not None
                      else parse_whole(text, ref.path, required, sentinels))
        except OpsdocsError as error:
            return LastParse(data, (), (error.problem,))
    return LastParse(data, parsed.settings, (), parsed)


def _parse_modules(root: str, files: Sequence[FileData], sentinels: tuple[str, ...],
                   search_path: Sequence[Path], starts: Sequence[str]) -> ParsedRelease:
    """Settings modules and what they star-import, as one release read them."""
    source = SettingsSource(tuple(Path(path) for path in starts or [files[0].ref.path]),
                            search_path=tuple(search_path))
    with _no_gc():
        catalog = read_settings(source, ReadOptions(sentinels),
                                MemoryFiles({item.ref.path: item.data for item in files}))
    return ParsedRelease(replace(catalog, root=root), catalog.incomplete)


def parse_snapshot(path: str, data: bytes) -> ParsedRelease:
    """A snapshot's catalog (``None`` with the problem when it cannot be read) and its
    operating concerns, its JSON decoded once: a snapshot of a large package is most of
    the time ``opsdocs upgrade --snapshots`` takes."""
    try:
        text = decode_text(data, path, SNAPSHOT)
        loaded = load_snapshot_json(text, path)
    except OpsdocsError as error:
        return ParsedRelease(None, (error.problem,), Operations())
    operations = _snapshot_operations(loaded)
    try:
        return ParsedRelease(catalog_from_json(loaded, path, text), (), operations)
    except OpsdocsError as error:
        return ParsedRelease(None, (error.problem,), operations)


def _snapshot_operations(loaded: Any) -> Operations:
    """The operating concerns of a decoded snapshot; none when they are malformed (its
    settings say what is wrong with it)."""
    try:
        return operations_from_json(loaded.get("operations") if isinstance(loaded, dict)
                                    else None)
    except (ValueError, TypeError, KeyError):
        return Operations()


def parse_operating(content: Content) -> Operations:
    """The operating concerns in a release's operations files, or in its snapshot.

    A file missing there says nothing (``None``); one that cannot be read says nothing
    either, and its problem is kept (``problems``) for the changelog to report at an old
    release.
    """
    files = [item for item in content if isinstance(item, FileData)]
    if files and files[0].ref.kind == "snapshot":  # seldom: read with its settings, at once
        return parse_snapshot(files[0].ref.path, files[0].data).operations or Operations()
    commands: tuple[CommandFacts, ...] | None = None
    image: ImageFacts | None = None
    problems = [item.problem for item in content if isinstance(item, Unreadable)]
    for item in files:
        path = item.ref.path
        try:
            if item.ref.kind == "commands":
                text = decode_text(item.data, path, COMMANDS_FILE)
                manual = manual_from_text(text, path, CommandFinder(None, ()))
                if manual.problems and not manual.groups:  # empty, or no commands file
                    raise OpsdocsError(manual.problems[0])
                commands = command_facts(manual)
            elif item.ref.kind == "dockerfile":
                dockerfile = parse_dockerfile(decode_text(item.data, path, DOCKERFILE), path)
                malformed = [p for p in dockerfile.problems if p.check == DOCKERFILE.malformed]
                if malformed:  # Docker would not build it: what it says is no image
                    raise OpsdocsError(malformed[0])
                image = image_facts(dockerfile)
        except OpsdocsError as error:
            problems.append(error.problem)
    return Operations(commands, image, tuple(problems))
