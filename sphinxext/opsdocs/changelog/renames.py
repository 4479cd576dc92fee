"""Renames between two catalogs, each with the evidence for it.

A setting that is gone and one that is new are the same setting, renamed, when:

``code``
   the code says so: a dict setting became ``FeaturesProxy(globals())`` (Open edX's
   flattening), so its key ``FEATURES['X']`` is now the top-level setting ``X``;
``docs``
   the new one's documentation says "renamed from" the old one;
``same``
   both have the same value and the same (non-empty) description;
``place``
   both have the same value at the same place: in the same file, between the same
   settings, with names or descriptions alike (the description may be reworded).

Each pair is matched by the first rule that finds it, and only one to one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from opsdocs.changelog.matching import match_unique
from opsdocs.changelog.values import default_text, literal_entries, normal_code
from opsdocs.code_text import key_path, value_text
from opsdocs.settings.doc_metadata import without_version_directives
from opsdocs.settings.model import Setting, is_setting_name

#: What each kind of evidence is called in a change's sentence.
EVIDENCE = {
    "code": "the code says so",
    "docs": "the docs say so",
    "same": "same value and description",
    "place": "same value and place",
}

#: How alike (:class:`difflib.SequenceMatcher`'s ratio) two names or descriptions must be
#: for a rename by value and place.
ALIKE = 0.6

_RENAMED_FROM = re.compile(
    r"\brenamed\s+from\s+(?::[\w:]+:)?`*([A-Za-z_][\w\[\]'\"]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Rename:
    """A setting that had another name: ``old_name`` then, ``new`` now; ``old_default``
    is its value then (a flattened key's: its entry in the old dict)."""

    old_name: str
    new: Setting
    evidence: str
    old_default: str | None = None


@dataclass(frozen=True)
class Renames:
    """What :func:`find_renames` found: the renames, the dict settings flattened into
    top-level ones (``FEATURES``), and the keys of those dicts that are gone, with their
    old values (``FEATURES['X']`` with no setting ``X`` now)."""

    renames: tuple[Rename, ...] = ()
    flattened: tuple[str, ...] = ()
    dropped_keys: tuple[tuple[str, str | None], ...] = ()
    old_names: frozenset[str] = field(default=frozenset())
    new_names: frozenset[str] = field(default=frozenset())


def find_renames(before: Mapping[str, Setting], after: Mapping[str, Setting]) -> Renames:
    """The renames from *before* to *after* (settings by name)."""
    removed = [s for name, s in before.items() if name not in after]
    added = [s for name, s in after.items() if name not in before]
    found: list[Rename] = []
    flattened: list[str] = []
    dropped: list[tuple[str, str | None]] = []
    taken_old: set[str] = set()
    taken_new: set[str] = set()

    def take(rename: Rename) -> None:
        found.append(rename)
        taken_old.add(rename.old_name)
        taken_new.add(rename.new.name)

    for name, old in before.items():
        if not _is_proxy(after.get(name)) or old.proxy:
            continue
        flattened.append(name)
        for key, (value, _) in flattened_keys(old, before.values()).items():
            new = after.get(key)
            old_name = f"{name}[{key!r}]"
            if new is not None and not new.parent:
                take(Rename(old_name, new, "code", value))
            elif old_name not in before:  # a documented key is removed under its own name
                dropped.append((old_name, value))
    removed = [s for s in removed if s.name not in taken_old]
    added = [s for s in added if s.name not in taken_new]
    for old, new in _by_docs(removed, added):
        take(Rename(old.name, new, "docs", default_text(old)))
    removed = [s for s in removed if s.name not in taken_old]
    added = [s for s in added if s.name not in taken_new]
    if removed and added:
        rules = (("same", _description_key),
                 ("place", _place_key(before, after, removed, added)))
        for old, new, evidence in match_unique(removed, added, rules, accept=_alike):
            take(Rename(old.name, new, evidence, default_text(old)))
    return Renames(tuple(found), tuple(flattened), tuple(dropped), frozenset(taken_old),
                   frozenset(taken_new))


def flattened_keys(setting: Setting,
                   settings: Iterable[Setting]) -> dict[str, tuple[str | None, int]]:
    """The keys of a dict setting that are setting names, each with its value (source
    text, or ``None`` when unknown) and line: its display's, those set later
    (``FEATURES['X'] = ...``), and those documented as entries of their own."""
    keys: dict[str, tuple[str | None, int]] = {}
    entries = literal_entries(default_text(setting)) or {}
    for key in setting.keys:
        if is_setting_name(key):
            value = entries.get(key)
            keys[key] = (value if isinstance(value, str) else None, setting.line)
    for definition in setting.definitions:
        if definition.kind == "item" and definition.key:
            path = key_path(f"[{definition.key}]")
            if path and is_setting_name(path[0]):
                keys[path[0]] = (None if definition.value is None else value_text(
                    definition.value), definition.line)
    for entry in settings:
        if entry.parent == setting.name and len(entry.entry_keys) == 1:
            documented = entry.entry_keys[0]
            if is_setting_name(documented):
                keys[documented] = (default_text(entry), entry.line)
    return keys


def _by_docs(removed: Sequence[Setting], added: Sequence[Setting],
             ) -> list[tuple[Setting, Setting]]:
    gone = {s.name: s for s in removed}
    pairs: dict[str, list[Setting]] = {}
    for setting in added:
        for match in _RENAMED_FROM.finditer(setting.doc):
            name = match.group(1).strip("`'\".")
            if name in gone:
                pairs.setdefault(name, []).append(setting)
    return [(gone[name], news[0]) for name, news in pairs.items() if len(news) == 1]


def description(setting: Setting) -> str:
    """A setting's doc as compared: without version directives, on one line."""
    return " ".join(without_version_directives(setting.doc).split())


def _described(setting: Setting) -> str:
    """What a setting's doc says besides its own name (``The X timeout.``: ``The  timeout.``);
    nothing when that is all it says (``X.``)."""
    text = description(setting).replace(setting.name, "")
    return text if _WORD.search(text) else ""


_WORD = re.compile(r"\w")


def _description_key(setting: Setting) -> tuple[bool, str, str] | None:
    """Same value and description: the docs the same as written, not only once each's own
    name is left out (``OLD.`` and ``A.`` differ)."""
    text = description(setting)
    return (setting.required, normal_code(default_text(setting)), text) \
        if text and _described(setting) else None


def _place_key(before: Mapping[str, Setting], after: Mapping[str, Setting],
               removed: Sequence[Setting], added: Sequence[Setting],
               ) -> Callable[[Setting], Hashable | None]:
    """Same value, same file, between the same two settings that are in both catalogs."""
    kept = {name for name in before if name in after}
    places = {**_places(before.values(), kept, {s.name for s in removed}),
              **_places(after.values(), kept, {s.name for s in added})}
    return lambda s: None if default_text(s) is None else (
        s.required, normal_code(default_text(s)), places[s.name])


def _alike(old: Setting, new: Setting) -> bool:
    """Whether two settings' names, or their descriptions, are alike: a value and a place
    alone may be a setting removed and another one added where it was."""
    if SequenceMatcher(None, _own_name(old), _own_name(new)).ratio() >= ALIKE:
        return True
    before, after = _described(old), _described(new)
    return bool(before and after) and SequenceMatcher(None, before, after).ratio() >= ALIKE


def _own_name(setting: Setting) -> str:
    """A setting's name, a documented key's without its dict's (``FEATURES['X']``: ``X``)."""
    keys = setting.entry_keys
    return str(keys[-1]) if keys else setting.name


def _places(settings: Iterable[Setting], kept: set[str],
            wanted: set[str]) -> dict[str, tuple[str, str | None, str | None]]:
    """For each wanted setting: its file, and the kept settings just before and after it."""
    by_file: dict[str, list[Setting]] = {}
    for setting in settings:
        by_file.setdefault(setting.file, []).append(setting)
    places: dict[str, tuple[str, str | None, str | None]] = {}
    for file, found in by_file.items():
        found.sort(key=lambda s: s.line)
        previous: str | None = None
        waiting: list[str] = []
        for setting in found:
            if setting.name in kept:
                for name in waiting:
                    places[name] = (file, previous, setting.name)
                waiting = []
                previous = setting.name
            elif setting.name in wanted:
                waiting.append(setting.name)
        for name in waiting:
            places[name] = (file, previous, None)
    return places


def _is_proxy(setting: Setting | None) -> bool:
    return setting is not None and setting.proxy
