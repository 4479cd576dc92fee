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
#: Version 2 added, per setting, ``default`` (the effective default), ``effective_value``,
#: ``env_vars``, ``annotation_fields``, ``toggle``, ``parent``, ``keys``, ``declared``,
#: ``doc_markup``, and per definition ``overridden`` and ``file``; per catalog
#: ``config_keys`` and ``config_variable``.  Version 1 is still read.
SNAPSHOT_VERSION = 2
SNAPSHOT_FORMAT = "opsdocs-settings"
#: Fields written as JSON lists that the model keeps as tuples (of tuples).
_TUPLES = ("env_vars", "keys")


def catalog_to_json(catalog: SettingsCatalog) -> dict[str, Any]:
    """The versioned JSON form of a catalog (``opsdocs settings --format json``, snapshots)."""
    return {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "root": catalog.root,
        "config_keys": list(catalog.config_keys),
        "config_variable": catalog.config_variable,
        "settings": [setting_to_json(setting) for setting in catalog.settings],
    }


def setting_to_json(setting: Setting) -> dict[str, Any]:
    """One setting as JSON: its fields, and ``default``, the effective default the code
    gives (``None`` when required or secret), beside ``value``, the source text."""
    data = asdict(setting)
    data["default"] = None if setting.required or setting.secret else (
        setting.effective_value if setting.effective_value is not None else setting.value)
    return data


def setting_from_json(item: dict[str, Any]) -> Setting:
    """A setting from its JSON form (version 1 or 2)."""
    fields = {k: v for k, v in item.items() if k not in ("definitions", "default")}
    for name in _TUPLES:
        if name in fields:
            fields[name] = tuple(fields[name])
    if "annotation_fields" in fields:
        fields["annotation_fields"] = tuple((str(k), str(v)) for k, v in
                                            fields["annotation_fields"])
    return replace(Setting(**fields),
                   definitions=tuple(Definition(**d) for d in item.get("definitions", ())))


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
        settings = tuple(setting_from_json(item) for item in data["settings"])
        keys = tuple(str(k) for k in data.get("config_keys") or ())
    except (KeyError, TypeError, ValueError) as error:
        raise OpsdocsError(Problem(
            f"malformed snapshot: {error}; write it again with 'opsdocs snapshot'",
            filename, check="snapshot",
        )) from None
    variable = data.get("config_variable")
    return SettingsCatalog(str(data.get("root", "")), settings, config_keys=keys,
                           config_variable=variable if isinstance(variable, str) else None)


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
        for definition in item["definitions"]:
            if definition.get("file"):
                definition["file"] = relative(definition["file"])
    return json.dumps(data, indent=2) + "\n"
