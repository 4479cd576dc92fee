"""Files as bytes and text: the one bounded way opsdocs opens and decodes users' files.

:func:`read_bytes` opens regular files only (a FIFO, a device, a directory or a symbolic
link loop is a message, never a hang) and reads at most the :class:`~opsdocs.reading.kinds.FileKind`'s
size cap, counted in the bytes really read (a device or ``/proc`` file reports a size of
0).  :func:`decode_text` and :func:`decode_source` (PEP 263) decode with an error located
at the line of the first bad byte; :func:`source_lines` splits a module where Python does,
so lines match the ``ast``'s line numbers.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import stat
import subprocess
import tokenize
from collections.abc import Iterable
from pathlib import Path

from opsdocs.reading.kinds import SETTINGS_MODULE, FileKind, MiB, too_large_message

# -- Bytes ----------------------------------------------------------------------------


def read_bytes(path: str | Path, kind: FileKind, *, missing: str | None = None) -> bytes:
    """The content of the regular file at *path*, at most ``kind.limit`` bytes.

    Raises :class:`OpsdocsError`: *missing* is the message for a file that does not
    exist (by default "cannot read the ...: No such file or directory").
    """
    filename = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        # Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
        descriptor = os.open(path, flags)
    except OSError as error:
        if isinstance(error, FileNotFoundError) and missing:
            kind.fail(missing, filename, check=kind.unreadable)
        kind.fail(f"cannot read the {kind.name}: {_reason(error)}", filename,
                  check=kind.unreadable)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind.fail(f"cannot read the {kind.name}: it is {_file_type(mode)}, not a regular "
                      "file; give the path of the file itself", filename, check=kind.unreadable)
        chunks: list[bytes] = []
        size = 0
        while size <= kind.limit:
            chunk = os.read(descriptor, min(MiB, kind.limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        kind.fail(f"cannot read the {kind.name}: {_reason(error)}", filename,
                  check=kind.unreadable)
    finally:
        os.close(descriptor)
    if size > kind.limit:
        kind.fail(too_large_message(kind), filename, check=kind.too_large)
    return b"".join(chunks)


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a loop of symbolic links"
    if error.errno == errno.EACCES:
        return "Permission denied; make it readable by the user running opsdocs or the build"
    return error.strerror or type(error).__name__


def _file_type(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


# -- Text -----------------------------------------------------------------------------


def decode_text(data: bytes, filename: str, kind: FileKind) -> str:
    """*data* as UTF-8 text (a byte order mark dropped); the error names the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        kind.fail(f"the {kind.name} is not UTF-8 text ({_where_byte(data, error.start)}): save "
                  "it as UTF-8", filename, _line_of_byte(data, error.start))


def decode_source(data: bytes, filename: str, kind: FileKind = SETTINGS_MODULE) -> str:
    """Python source *data* decoded as Python does (PEP 263 coding line, UTF-8 default)."""
    advice = "save it as UTF-8 or declare its encoding in a '# -*- coding: ... -*-' line"
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # a bad coding line, or none and bytes that are not UTF-8
        encoding = "utf-8"
        lines = io.BytesIO(data)
        if b"coding" in lines.readline() + lines.readline():  # else: not UTF-8, found below
            kind.fail(f"cannot decode the {kind.name}: {error.msg}; {advice}", filename,
                      _line_of_byte(data, data.find(b"coding")))
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        kind.fail(f"the {kind.name} is not {codecs.lookup(encoding).name.upper()} text "
                  f"({_where_byte(data, error.start)}); {advice}", filename,
                  _line_of_byte(data, error.start))
    return text.removeprefix("\ufeff")


def _line_of_byte(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _where_byte(data: bytes, offset: int) -> str:
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"byte 0x{data[offset]:02x} at line {_line_of_byte(data, offset)}, column {column}"


def read_text(path: str | Path, kind: FileKind, *, missing: str | None = None) -> str:
    """:func:`read_bytes`, then :func:`decode_text`."""
    return decode_text(read_bytes(path, kind, missing=missing), str(path), kind)


def read_source(path: str | Path, kind: FileKind = SETTINGS_MODULE, *,
                missing: str | None = None) -> str:
    """:func:`read_bytes`, then :func:`decode_source`."""
    return decode_source(read_bytes(path, kind, missing=missing), str(path), kind)


def source_lines(source: str) -> list[str]:
    """*source* split into lines, ends kept, where Python's tokenizer splits them.

    Only ``\\n``, ``\\r\\n`` and ``\\r`` end a line: unlike :meth:`str.splitlines`, a
    form feed, ``\\x1c``-``\\x1e``, NEL or U+2028 does not, so ``lines[node.lineno - 1]``
    is the line of an ``ast`` node.
    """
    return io.StringIO(source, newline="").readlines()


def escaped_surrogate(kind: FileKind) -> str:
    """The message of a ``\\u`` escape of a lone UTF-16 surrogate (YAML and JSON allow one)."""
    return (f"the {kind.name} holds an escaped surrogate (\\ud800 to \\udfff), which is no "
            "character: write the character itself, or \\U followed by its 8 hex digits")


# -- What belongs to the project ------------------------------------------------------


def repository_top(folder: Path) -> Path | None:
    """The top of the git repository holding *folder*: the nearest folder at or above it
    with ``.git``, or ``None``."""
    folder = folder.absolute()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def not_the_projects(paths: Iterable[Path]) -> dict[Path, str]:
    """Why each file of *paths* that is not one of the project's own is not: git ignores
    it (a developer's ``local.py``, a ``.env``), or it is a symbolic link to a file git
    ignores or to one outside the repository.  The project's files are not in the answer;
    outside a git repository every file is the project's.  For what the docs read through
    imports and publish, never for a file the user names.  One ``git`` per repository."""
    reasons: dict[Path, str] = {}
    tops: dict[Path, Path | None] = {}
    asked: dict[Path, list[tuple[Path, str, str]]] = {}
    for path in dict.fromkeys(paths):
        absolute = path.absolute()
        if absolute.parent not in tops:
            tops[absolute.parent] = repository_top(absolute.parent)
        top = tops[absolute.parent]
        if top is None:
            continue
        real = Path(os.path.realpath(path))
        if real != absolute and not real.is_relative_to(os.path.realpath(top)):
            reasons[path] = "a symbolic link to a file outside the repository"
            continue
        asked.setdefault(top, []).append((path, str(absolute), str(real)))
    for top, files in asked.items():
        ignored = _ignored(top, list(dict.fromkeys(n for _, a, r in files for n in (a, r))))
        for path, name, real_name in files:
            if name in ignored:
                reasons[path] = "a file git ignores"
            elif real_name in ignored:
                reasons[path] = "a symbolic link to a file git ignores"
    return reasons


def _ignored(top: Path, names: list[str]) -> set[str]:
    """Which of *names* (absolute paths in the repository at *top*) git ignores."""
    try:
        result = subprocess.run(["git", "check-ignore", "--stdin", "-z"], cwd=top,
                                input=b"".join(os.fsencode(name) + b"\0" for name in names),
                                capture_output=True, check=False)
    except OSError:
        return set()  # no git: nothing is known to be ignored
    if result.returncode > 1 and len(names) > 1:
        # git stops at a path it refuses (one beyond a symbolic link): ask for each alone.
        return set().union(*(_ignored(top, [name]) for name in names))
    # Bytes: a name that is not UTF-8 (Linux allows it) goes through as the bytes it is.
    return {os.fsdecode(name) for name in result.stdout.split(b"\0") if name}
