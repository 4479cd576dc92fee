"""Release names as versions: ``v1.10`` after ``v1.9``, a release candidate before its release."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from packaging.version import InvalidVersion, Version


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
