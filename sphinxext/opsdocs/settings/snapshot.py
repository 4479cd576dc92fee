"""The settings catalog as versioned JSON: ``opsdocs settings --format json`` and snapshots.

A snapshot is committed at release time so that the changelog needs no git history.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from opsdocs.reading import SNAPSHOT, HugeNumber, json_line, load_json
from opsdocs.reading.kinds import MAX_SETTINGS
from opsdocs.settings.display import shown_code
from opsdocs.settings.model import Definition, Setting, SettingsCatalog

#: Version of the JSON form written by :func:`catalog_to_json`; bump on incompatible change.
#: Version 2 added, per setting, ``default`` (the effective default), ``effective_value``,
#: ``env_vars``, ``annotation_fields``, ``toggle``, ``parent``, ``keys``, ``declared``,
#: ``doc_markup``, and per definition ``overridden`` and ``file``; per catalog
#: ``config_keys`` and ``config_variable``.  Version 1 is still read.  Within version 2,
#: ``set_after_config`` and ``maybe_set_after_config`` were added, written only when set
#: (:data:`_WHEN_SET`).
SNAPSHOT_VERSION = 2
SNAPSHOT_FORMAT = "opsdocs-settings"
#: Fields written as JSON lists that the model keeps as tuples (of tuples).
_TUPLES = ("env_vars", "keys")
#: Fields added within a version, written only when not ``None`` (older JSON stays as it was).
_WHEN_SET = ("set_after_config", "maybe_set_after_config")


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
    gives, without comments (``None`` when required or secret), beside ``value``, the
    source text as written."""
    data = {name: getattr(setting, name) for name in _SETTING_FIELDS}
    for name in _WHEN_SET:
        if data[name] is None:
            del data[name]
    data["definitions"] = [{name: getattr(d, name) for name in _DEFINITION_FIELDS}
                           for d in setting.definitions]
    data["default"] = None if setting.required else shown_code(setting)
    return data  # tuples are written as JSON lists; nothing is copied deeply


def setting_from_json(item: dict[str, Any]) -> Setting:
    """A setting from its JSON form (version 1 or 2), checked by :func:`snapshot_problem`."""
    fields = {k: v for k, v in item.items() if k in _SETTING_TYPES and k != "definitions"}
    for name in _TUPLES:
        if name in fields:
            fields[name] = tuple(fields[name])
    if "annotation_fields" in fields:
        fields["annotation_fields"] = tuple((str(k), str(v)) for k, v in
                                            fields["annotation_fields"])
    definitions = tuple(Definition(**{k: v for k, v in d.items() if k in _DEFINITION_TYPES})
                        for d in item.get("definitions", ()))
    return Setting(**fields, definitions=definitions)


def read_snapshot_text(text: str, filename: str) -> SettingsCatalog:
    """The catalog of a snapshot's JSON *text*; :class:`OpsdocsError` located at the line
    of what is wrong."""
    return catalog_from_json(load_snapshot_json(text, filename), filename, text)


def load_snapshot_json(text: str, filename: str) -> Any:
    """A snapshot's JSON *text* decoded, not yet checked (:func:`catalog_from_json` does);
    :class:`OpsdocsError` at the line of a syntax error."""
    return load_json(text, filename, SNAPSHOT, _AGAIN)


def catalog_from_json(data: Any, filename: str = "<snapshot>",
                      text: str | None = None) -> SettingsCatalog:
    """Read the JSON form back, once :func:`snapshot_problem` finds nothing wrong with it;
    with the JSON *text*, a problem is located at its line."""
    found = snapshot_problem(data)
    if found is not None:
        path, message = found
        line = json_line(text, path) if text is not None else None
        SNAPSHOT.fail(message, filename, line)
    return SettingsCatalog(data.get("root", ""), tuple(setting_from_json(item) for item in
                                                        data["settings"]),
                           config_keys=tuple(data.get("config_keys") or ()),
                           config_variable=data.get("config_variable"))


#: What ends every message about a snapshot that is not what opsdocs wrote.
_AGAIN = "write it again with 'opsdocs snapshot'"
#: The types of each field of a setting and of a definition, as the model declares them.
_SETTING_TYPES = typing.get_type_hints(Setting)
_DEFINITION_TYPES = typing.get_type_hints(Definition)
_SETTING_FIELDS = tuple(field.name for field in dataclasses.fields(Setting))
_DEFINITION_FIELDS = tuple(field.name for field in dataclasses.fields(Definition))
_CATALOG_TYPES: dict[str, Any] = {"root": str, "config_keys": tuple[str, ...],
                                  "config_variable": str | None}
#: Fields without a default in the model: a snapshot must give them.
_REQUIRED_FIELDS = {kind: frozenset(f.name for f in dataclasses.fields(kind)
                                    if f.default is f.default_factory is dataclasses.MISSING)
                    for kind in (Setting, Definition)}

#: Where a problem is (keys and indices into the JSON) and what it is.
Found = tuple[tuple[str | int, ...], str]


def snapshot_problem(data: Any) -> Found | None:
    """What is wrong with the JSON form of a snapshot, checked like a schema before any of
    it is used: the path of the value at fault and the message; ``None`` when it is fine.

    Fields a newer opsdocs adds within this version are ignored."""
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        what = "an object without" if isinstance(data, dict) else f"{_kind(data)}, not"
        return (), (f"not an opsdocs settings snapshot: the file holds {what} \"format\": "
                    f"\"{SNAPSHOT_FORMAT}\"; write one with 'opsdocs snapshot'")
    version = _version_problem(data.get("version"))
    if version is not None:
        return ("version",), version
    if not isinstance(data.get("settings"), list):
        return ("settings",), (f"the snapshot's \"settings\" must be a list, not "
                               f"{_kind(data.get('settings'))}; {_AGAIN}")
    if len(data["settings"]) > MAX_SETTINGS:
        return ("settings",), (f"the snapshot holds {len(data['settings']):,} settings, more "
                               f"than the {MAX_SETTINGS:,} opsdocs reads of a settings source; "
                               "is this the right file?")
    found = _fields_problem(data, "catalog", ())
    for index, item in enumerate(data["settings"]):
        found = found or _object_problem(item, Setting, ("settings", index))
        definitions = item.get("definitions") if isinstance(item, dict) else None
        for number, definition in enumerate(definitions if isinstance(definitions, list)
                                            else []):
            found = found or _object_problem(definition, Definition,
                                             ("settings", index, "definitions", number))
        if found is not None:
            return found
    return found


def _version_problem(version: Any) -> str | None:
    if not isinstance(version, int) or isinstance(version, bool):
        shown = f"the string {json.dumps(version)}" if isinstance(version, str) and \
            len(version) < 10 else _kind(version)
        return f"the snapshot's \"version\" must be a whole number, not {shown}; {_AGAIN}"
    if version > SNAPSHOT_VERSION:
        return (f"snapshot format version {version} is newer than this opsdocs understands "
                f"({SNAPSHOT_VERSION}); upgrade opsdocs")
    if version < 1:
        return f"snapshot format version {version} does not exist; {_AGAIN}"
    return None


def _object_problem(item: Any, kind: type[Setting | Definition],
                    path: tuple[str | int, ...]) -> Found | None:
    if not isinstance(item, dict):
        return path, f"{_path(path)} must be an object, not {_kind(item)}; {_AGAIN}"
    missing = sorted(_REQUIRED_FIELDS[kind] - set(item))
    if missing:
        return path, f"{_path(path)} has no \"{missing[0]}\"; {_AGAIN}"
    return _fields_problem(item, "setting" if kind is Setting else "definition", path)


def _fields_problem(item: dict[str, Any], kind: str,
                    path: tuple[str | int, ...]) -> Found | None:
    for name, expected, fits in _checks(kind):
        if name in item and not fits(item[name]):
            where = (*path, name)
            return where, (f"{_path(where)} must be {_describe(expected)}, not "
                           f"{_kind(item[name])}; {_AGAIN}")
    return None


@functools.cache
def _checks(kind: str) -> tuple[tuple[str, Any, Callable[[Any], bool]], ...]:
    """Each field of a ``catalog``, ``setting`` or ``definition`` with its type and check."""
    types = {"catalog": _CATALOG_TYPES, "setting": _SETTING_TYPES,
             "definition": _DEFINITION_TYPES}[kind]
    return tuple((name, expected, _checker(expected)) for name, expected in types.items())


#: Checks of the JSON scalars; a JSON boolean is no whole number.
_SCALARS: dict[Any, Callable[[Any], bool]] = {
    type(None): lambda value: value is None,
    bool: lambda value: isinstance(value, bool),
    str: lambda value: isinstance(value, str),
    int: lambda value: isinstance(value, int) and not isinstance(value, bool),
}


@functools.cache
def _checker(expected: Any) -> Callable[[Any], bool]:
    """Whether a JSON value fits the type *expected*, as a function made once per type:
    a snapshot of 50,000 settings checks millions of values."""
    origin, arguments = typing.get_origin(expected), typing.get_args(expected)
    if origin in (typing.Union, types.UnionType):
        members = tuple(_checker(member) for member in arguments if member is not type(None))
        optional = len(members) < len(arguments)
        if optional and len(members) == 1:  # str | None, the common case, made fast
            only = members[0]
            return lambda value: value is None or only(value)
        return lambda value: (optional and value is None) or any(fits(value) for fits in members)
    if expected in _SCALARS:
        return _SCALARS[expected]
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            item = _checker(arguments[0])
            return lambda value: isinstance(value, list) and all(map(item, value))
        items = tuple(map(_checker, arguments))
        return lambda value: isinstance(value, list) and len(value) == len(items) and all(
            fits(element) for fits, element in zip(items, value, strict=False))
    return lambda value: isinstance(value, dict)  # a definition: checked on its own


def _describe(expected: Any) -> str:
    union = typing.get_origin(expected) in (typing.Union, types.UnionType)
    members = [m for m in typing.get_args(expected) if m is not type(None)] if union \
        else [expected]
    names = {str: "a string", int: "a whole number", bool: "true or false"}
    text = " or ".join(names.get(m, "a list") for m in members)
    return f"{text} or null" if union and len(members) < len(typing.get_args(expected)) \
        else text


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, HugeNumber):
        return "a number too large to read"
    if isinstance(value, (int, float)):
        return "a number"
    return "a list" if isinstance(value, list) else "an object"


def _path(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return f"\"{text}\"" if text else "the snapshot"


def dump_catalog(catalog: SettingsCatalog) -> str:
    """The JSON text of a catalog, stable for committing and diffing."""
    return "".join(catalog_json_chunks(catalog))


def catalog_json_chunks(catalog: SettingsCatalog) -> Iterator[str]:
    """:func:`dump_catalog`'s text (``json.dumps(..., indent=2)`` of
    :func:`catalog_to_json`), a setting at a time: a catalog of hundreds of thousands of
    settings is written without the whole text, nor a chunk per JSON token, in memory."""
    head = catalog_to_json(replace(catalog, settings=()))
    del head["settings"]
    yield json.dumps(head, indent=2)[:-2] + ",\n  \"settings\": ["
    for index, setting in enumerate(catalog.settings):
        text = json.dumps(setting_to_json(setting), indent=2).replace("\n", "\n    ")
        yield ("," if index else "") + "\n    " + text
    yield "\n  ]\n}\n" if catalog.settings else "]\n}\n"


def snapshot_text(catalog: SettingsCatalog, base: Path,
                  extra: dict[str, Any] | None = None) -> str:
    """The snapshot JSON of *catalog*, its paths relative to *base* (never absolute), with
    the members of *extra* added (what other concerns record of the release)."""
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
    data.update(extra or {})
    return json.dumps(data, indent=2) + "\n"
