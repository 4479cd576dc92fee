"""The settings catalog as versioned JSON: ``opsdocs settings --format json`` and snapshots.

A snapshot is committed at release time so that the changelog needs no git history.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from opsdocs.errors import OpsdocsError, Problem
from opsdocs.settings.model import Definition, Setting, SettingsCatalog

#: Version of the JSON form written by :func:`catalog_to_json`; bump on incompatible change.
SNAPSHOT_VERSION = 1
SNAPSHOT_FORMAT = "opsdocs-settings"


def catalog_to_json(catalog: SettingsCatalog) -> dict[str, Any]:
    """The versioned JSON form of a catalog (``opsdocs settings --format json``, snapshots)."""
    return {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "root": catalog.root,
        "settings": [asdict(setting) for setting in catalog.settings],
    }


def catalog_from_json(data: Any, filename: str = "<snapshot>") -> SettingsCatalog:
    """Read the JSON form back; a snapshot from a newer format version is refused."""
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise OpsdocsError(Problem(
            f"not an opsdocs settings snapshot (no \"format\": \"{SNAPSHOT_FORMAT}\"); "
            "write one with 'opsdocs snapshot'", filename, check="snapshot",
        ))
    version = data.get("version")
    if not isinstance(version, int) or version > SNAPSHOT_VERSION:
        raise OpsdocsError(Problem(
            f"snapshot format version {version!r} is newer than this opsdocs understands "
            f"({SNAPSHOT_VERSION}); upgrade opsdocs", filename, check="snapshot",
        ))
    try:
        settings = tuple(
            replace(Setting(**{k: v for k, v in item.items() if k != "definitions"}),
                    definitions=tuple(Definition(**d) for d in item.get("definitions", ())))
            for item in data["settings"]
        )
    except (KeyError, TypeError) as error:
        raise OpsdocsError(Problem(
            f"malformed snapshot: {error}; write it again with 'opsdocs snapshot'",
            filename, check="snapshot",
        )) from None
    return SettingsCatalog(str(data.get("root", "")), settings)


def dump_catalog(catalog: SettingsCatalog) -> str:
    """The JSON text of a catalog, stable for committing and diffing."""
    return json.dumps(catalog_to_json(catalog), indent=2, sort_keys=False) + "\n"


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
