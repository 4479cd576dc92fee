"""Release names as versions: ``v1.10`` after ``v1.9``, a release candidate before its
release, and named release lines (Open edX's ``open-release/teak.3`` before
``open-release/ulmo.1``: by name, then by number)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from packaging.version import InvalidVersion, Version

#: A release of a named line: ``open-release/teak.1``, ``teak.2rc1``, ``named-release/dogwood.3``.
#: The lines' names follow the alphabet, as Open edX's do.
_RELEASE_LINE = re.compile(r"^(?:.*/)?(?P<line>[A-Za-z]+)\.(?P<number>(?:rc)?\d[0-9A-Za-z.]*)$")


def version_key(name: str) -> tuple[Any, ...]:
    """Sort key of a tag or snapshot name as a version: ``v1.10`` after ``v1.9``, ``rc`` first,
    and a named release line's releases by the line's name then their number.

    Names that are no version (after a prefix such as ``v`` or ``release-``) sort first,
    in natural order.
    """
    line = _RELEASE_LINE.match(name)
    if line is not None:
        number = line.group("number")
        try:
            return (2, line.group("line").lower(),
                    Version(f"0{number}" if number.startswith("rc") else number), name)
        except InvalidVersion:
            pass
    try:
        return (1, Version(re.sub(r"^[^0-9]*", "", name)), name)
    except InvalidVersion:
        parts = re.split(r"(\d+)", name)
        return (0, tuple((0, int(p), "") if p.isdecimal() else (1, 0, p) for p in parts), name)


def is_version(name: str) -> bool:
    """Whether *name* orders as a version or a named line's release."""
    return bool(version_key(name)[0] > 0)


def sort_versions(names: Iterable[str]) -> list[str]:
    """*names* oldest first, as versions."""
    return sorted(names, key=version_key)
