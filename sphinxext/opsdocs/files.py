"""Writing files whole: a reader never sees half a snapshot, sample, cache or config.

Every write goes through a temporary file created private (``0600``) in the folder of the
file it replaces, written, flushed to disk, given the replaced file's mode and owner, then
renamed over it: a kill at any moment leaves the old file or the new one, and never a
copy of the contents that others can read.  A symbolic link is followed to the file it
names (a Kubernetes ConfigMap mount stays a link).  What is not a regular file (a device,
a FIFO) is written to directly, never replaced; a directory is refused.
"""

from __future__ import annotations

import os
import pickle
import secrets
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, ClassVar

from opsdocs import __version__
from opsdocs.errors import Problem, report

#: What ``-o`` takes for standard output.
STDOUT = "-"


class OutputError(OSError):
    """A file cannot be written as asked; ``strerror`` says why, in the user's words."""


def write_atomically(path: Path, write: Callable[[Any], object], *, binary: bool = False,
                     parents: bool = True, keep_owner: bool = False,
                     backup: Path | None = None) -> None:
    """Write *path* whole through a private temporary file beside it, then rename.

    *write* gets the open stream.  A file being replaced keeps its mode and, as far as
    the user may, its owner and group (*keep_owner*: or nothing is written); a new file
    gets the mode of any file the user creates.  A symbolic link is followed: the file it
    names is replaced.  *parents* creates missing folders (caches do; outputs the user
    names do not); *backup* keeps the replaced file there (the same file: its mode and
    owner too).  What is not a regular file is written to in place (see
    :func:`write_in_place`).
    """
    try:
        current: os.stat_result | None = os.stat(path)  # what the path leads to
    except FileNotFoundError:
        current = None
    if current is not None and stat.S_ISDIR(current.st_mode):
        raise OutputError(21, "it is a folder: give a file name")
    if current is not None and not stat.S_ISREG(current.st_mode):
        # by its own name: /dev/stdout leads to a pipe that has no name of its own
        write_in_place(path, write, binary=binary, status=current)
        return
    real = Path(os.path.realpath(path))
    if parents:
        real.parent.mkdir(parents=True, exist_ok=True)
    elif not real.parent.is_dir():
        raise OutputError(2, f"the folder {real.parent} does not exist: create it first")
    temporary = real.with_name(f".{real.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with _stream(descriptor, binary) as stream:
            write(stream)
            stream.flush()
            os.fsync(descriptor)
            _copy_status(descriptor, current, keep_owner)
        if backup is not None and current is not None:
            _keep_backup(real, backup)
        os.replace(temporary, real)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(real.parent)


def _stream(descriptor: int, binary: bool) -> IO[Any]:
    if binary:
        return os.fdopen(descriptor, "wb")
    return os.fdopen(descriptor, "w", encoding="utf-8", newline="\n")


def _copy_status(descriptor: int, current: os.stat_result | None, keep_owner: bool) -> None:
    """The replaced file's owner, group and mode onto the temporary (private until now)."""
    if current is None:
        os.fchmod(descriptor, 0o666 & ~_umask())
        return
    if hasattr(os, "fchown") and (current.st_uid, current.st_gid) != (os.geteuid(),
                                                                      os.getegid()):
        try:
            os.fchown(descriptor, current.st_uid, current.st_gid)
        except PermissionError:
            if keep_owner:
                raise OutputError(1, (
                    f"its owner (user {current.st_uid}, group {current.st_gid}) could not be "
                    "kept: run as that user or as root")) from None
    os.fchmod(descriptor, stat.S_IMODE(current.st_mode))  # after chown, which may clear bits


def _keep_backup(real: Path, backup: Path) -> None:
    """*backup* made the file *real* is now (a hard link where the file system has them)."""
    temporary = backup.with_name(f".{backup.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        os.link(real, temporary)
    except OSError:  # no hard links here: a private copy, then the same status
        data = real.read_bytes()
        write_atomically(temporary, lambda stream: stream.write(data), binary=True,
                         parents=False, keep_owner=True)
        os.chmod(temporary, stat.S_IMODE(real.stat().st_mode))
    os.replace(temporary, backup)


def _sync_folder(folder: Path) -> None:
    """The rename made durable (where the system can open a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_in_place(path: Path, write: Callable[[Any], object], *, binary: bool = False,
                   status: os.stat_result | None = None) -> None:
    """Write to a device or a FIFO as it is (``/dev/null``, ``/dev/stdout``, a pipe):
    never replaced by a file, never read first.  A socket or the like is refused."""
    status = status or os.stat(path)
    if not (stat.S_ISCHR(status.st_mode) or stat.S_ISFIFO(status.st_mode)
            or stat.S_ISBLK(status.st_mode)):
        raise OutputError(22, "it is not a file, a device nor a pipe")
    with open(path, "ab" if binary else "a", encoding=None if binary else "utf-8",
              newline=None if binary else "\n") as stream:
        write(stream)


class PickleCache:
    """Dicts kept between processes in a pickle file (the build directory's, as Sphinx's
    environment is); :attr:`KEPT` names the attributes that hold them.

    :meth:`load` reads them once, from a file of this :attr:`FORMAT` and opsdocs version;
    :meth:`save` writes them whole when ``dirty``, the *limit* most recent entries of each
    (all without one).  A cache is never worth failing a build over: no file, another
    format or a broken file is an empty cache, and a file that cannot be written is left.
    """

    FORMAT: ClassVar[int] = 1
    KEPT: ClassVar[tuple[str, ...]] = ()

    def __init__(self, path: Path | None = None, limit: int | None = None) -> None:
        self.path = path
        self.limit = limit
        self.loaded = False
        self.dirty = False

    def load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        if self.path is None or not self.path.is_file():
            return
        try:
            with self.path.open("rb") as stream:
                data = pickle.load(stream)  # our own build directory, as Sphinx's environment
        except Exception:
            return
        if isinstance(data, dict) and data.get("stamp") == (self.FORMAT, __version__):
            for name in self.KEPT:
                setattr(self, name, data[name])

    def save(self) -> None:
        """Write the cache if it changed."""
        if self.path is None or not self.dirty:
            return
        data: dict[str, object] = {name: _recent(getattr(self, name), self.limit)
                                   for name in self.KEPT}
        data["stamp"] = (self.FORMAT, __version__)
        try:
            write_atomically(self.path, lambda stream: pickle.dump(
                data, stream, protocol=pickle.HIGHEST_PROTOCOL), binary=True)
        except OSError:
            return
        self.dirty = False


def _recent(entries: dict[Any, Any], limit: int | None) -> dict[Any, Any]:
    """The *limit* entries put in last (all without a *limit*)."""
    return entries if limit is None else dict(list(entries.items())[-limit:])


def file_stamp(path: str | Path) -> tuple[int, int, int] | None:
    """What changes when the file at *path* does (modification time, size, inode), or
    ``None`` when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def write_text(path: str | Path, text: str, *, parents: bool = True) -> None:
    """Write *text* to *path* whole, unless the regular file holds it already (keeping its
    mtime; what is not a regular file is written to, never read)."""
    path = Path(path)
    data = text.encode("utf-8")
    try:
        status = os.stat(path)
        if stat.S_ISREG(status.st_mode) and status.st_size == len(data) and \
                path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomically(path, lambda stream: stream.write(data), binary=True, parents=parents)


def write_output(text: str | Iterable[str], output: str | None, what: str) -> int:
    """*text* (or its chunks, as they are made) written whole to the file *output*, or to
    standard output without one (or with ``-``).

    Returns the CLI's exit status: a file that cannot be written is a problem naming
    *what* was to be written, not a traceback.  Folders are not created.
    """
    if not output or output == STDOUT:
        for chunk in [text] if isinstance(text, str) else text:
            sys.stdout.write(chunk)
        return 0
    try:
        write_text(output, text if isinstance(text, str) else "".join(text), parents=False)
    except OSError as error:
        return report([Problem(f"cannot write the {what}: {error.strerror or error}", output,
                               check="output")])
    return 0


def add_output_argument(parser: Any) -> None:
    """``-o FILE``: where :func:`write_output` writes a subcommand's output."""
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write to FILE (whole; '-' for standard output) instead of "
                        "standard output")
