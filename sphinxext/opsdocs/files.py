"""Writing files whole: a reader never sees half a snapshot, sample or cache."""

from __future__ import annotations

import argparse
import os
import pickle
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from opsdocs.errors import Problem, report


def write_atomically(path: Path, write: Callable[[Any], object], *, binary: bool = False,
                     mode: int | None = None) -> None:
    """Write *path* through a temporary file in the same directory and :func:`os.replace`.

    The file gets the permissions of any file the user creates (``mkstemp``'s would be
    private to them), or *mode* (a file being replaced keeps its own: a config holding
    secrets stays private).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb" if binary else "x", encoding=None if binary else "utf-8",
                  newline=None if binary else "\n") as stream:
            write(stream)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def load_cache(path: Path | None, stamp: object) -> dict[str, Any] | None:
    """The dict :func:`save_cache` wrote to *path* with the same *stamp* (a format and a
    version), or ``None``: no file, another stamp, a broken file.  A cache is never worth
    failing a build over."""
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as stream:
            data = pickle.load(stream)  # our own build directory, as Sphinx's environment
    except Exception:
        return None
    return data if isinstance(data, dict) and data.get("stamp") == stamp else None


def save_cache(path: Path, stamp: object, data: dict[str, Any]) -> bool:
    """Write *data* with *stamp* to *path*, whole (a reader never sees half of it); whether
    it was written."""
    try:
        write_atomically(path, lambda stream: pickle.dump(
            {**data, "stamp": stamp}, stream, protocol=pickle.HIGHEST_PROTOCOL), binary=True)
    except OSError:
        return False
    return True


def write_text(path: str | Path, text: str) -> None:
    """Write *text* to *path* whole, unless the file holds it already (keeps its mtime)."""
    path = Path(path)
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    write_atomically(path, lambda stream: stream.write(text))


def write_output(text: str, output: str | None, what: str) -> int:
    """*text* written whole to the file *output*, or to standard output without one.

    Returns the CLI's exit status: a file that cannot be written is a problem naming
    *what* was to be written, not a traceback.
    """
    if not output:
        sys.stdout.write(text)
        return 0
    try:
        write_text(output, text)
    except OSError as error:
        return report([Problem(f"cannot write the {what}: {error.strerror or error}", output,
                               check="output")])
    return 0


def add_output_argument(parser: argparse.ArgumentParser) -> None:
    """``-o FILE``: where :func:`write_output` writes a subcommand's output."""
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write to FILE (whole) instead of standard output")
