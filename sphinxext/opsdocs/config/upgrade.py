"""What an upgrade asks of one operator's config file, at its lines.

A pure function over the changelog's entries (:func:`opsdocs.changelog.diff.changelog`) and
the catalogs of the two ends; the config is YAML composed with its lines (nothing
constructed).  :func:`upgrade_config` is what ``opsdocs upgrade`` reports; what each
release asks of every operator is :mod:`opsdocs.changelog.steps`'s.  Values of secret
settings never appear in an item.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import yaml

from opsdocs.changelog.diff import doc_notes
from opsdocs.changelog.model import ReleaseChanges, SettingChange
from opsdocs.changelog.renames import EVIDENCE
from opsdocs.changelog.values import ValueChange
from opsdocs.code_text import key_path, value_text
from opsdocs.config.check import check_value, is_allowed
from opsdocs.config.nested import flattened_message, nested_fate, nested_keys
from opsdocs.config.sample import is_placeholder
from opsdocs.markup import plain_text, shorten
from opsdocs.settings.display import dict_keys
from opsdocs.settings.model import Setting, SettingsCatalog


@dataclass(frozen=True)
class UpgradeItem:
    """One thing an upgrade means for a config file, at its line, saying what to do.

    ``kind`` is ``removed``, ``renamed``, ``moved``, ``deprecated``, ``type``,
    ``required`` (newly required, not set), ``default`` (changed, under a key the file
    leaves unset) or ``unknown`` (already unknown before).  ``action`` says whether
    something must be done; the rest is for information.  ``key`` is the key as the file
    writes it; ``setting`` the setting's name at the newer release, when there is one.
    A key inside a dict setting (``FEATURES.ENABLE_X``) has its ``parent`` (``FEATURES``);
    ``moved`` is then a key to write at the top level (as ``setting``).
    """

    kind: str
    key: str
    message: str
    line: int | None = None
    release: str | None = None
    action: bool = True
    setting: str | None = None
    old: str | None = None
    new: str | None = None
    parts: tuple[ValueChange, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class ConfigKey:
    """A top-level key of the config: its line, and the nodes of the key and the value."""

    name: str
    line: int
    key: yaml.Node
    value: yaml.Node


@dataclass(frozen=True)
class UpgradeReport:
    """:func:`upgrade_config`'s answer: the items, in the file's order, then the rest."""

    file: str
    old: str
    new: str
    items: tuple[UpgradeItem, ...] = ()

    @property
    def actions(self) -> tuple[UpgradeItem, ...]:
        return tuple(item for item in self.items if item.action)


def config_keys(root: yaml.Node | None) -> dict[str, ConfigKey]:
    """The top-level keys of a composed config (the last of a key set twice)."""
    if not isinstance(root, yaml.MappingNode):
        return {}
    keys: dict[str, ConfigKey] = {}
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and isinstance(key.value, str):
            keys[key.value] = ConfigKey(key.value, key.start_mark.line + 1, key, value)
    return keys


class _Tracker:
    """Follows each key of the config through the releases: renamed, removed, changed."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.current: dict[str, str | None] = {key: key for key in keys}
        self.events: dict[str, list[tuple[str, SettingChange]]] = {}
        self.gone: dict[str, str] = {}  # key -> the name it had when removed

    def keys_of(self, name: str) -> list[str]:
        return [key for key, now in self.current.items() if now == name]

    def apply(self, release: str, changes: Sequence[SettingChange]) -> None:
        renames = [c for c in changes if c.kind == "renamed"]
        moved = {key: change.name for change in renames
                 for key in self.keys_of(change.old_name or "")}
        for change in changes:
            back = change.kind in ("added", "renamed")  # removed on the way: read again
            for key in [key for key, name in self.gone.items() if back and name == change.name]:
                del self.gone[key]
                self.current[key] = change.name
                self.events[key] = [e for e in self.events[key] if e[1].kind != "removed"]
            if change.kind == "renamed":
                continue
            for key in self.keys_of(change.name):
                if key in moved:
                    continue  # the change concerns the setting renamed onto this name
                self.events.setdefault(key, []).append((release, change))
                if change.kind == "removed":
                    self.current[key], self.gone[key] = None, change.name
        for key, new_name in moved.items():
            change = next(c for c in renames if c.name == new_name)
            self.events.setdefault(key, []).append((release, change))
            self.current[key] = new_name


def upgrade_config(keys: dict[str, ConfigKey], entries: Sequence[ReleaseChanges],
                   before: SettingsCatalog, after: SettingsCatalog, *, file: str, old: str,
                   new: str, allowed: Collection[str] = ()) -> UpgradeReport:
    """What upgrading from release *old* (its catalog *before*) to *new* (*after*) means
    for a config whose top-level *keys* are given.

    *entries* are the changelog from *old* to *new*, newest first, as
    :func:`~opsdocs.changelog.diff.changelog` gives them; *allowed* names keys that are no
    settings but fine (Django's own).
    """
    tracker = _Tracker(keys)
    ordered = [e for e in reversed(entries) if e.status == "changes"]
    for entry in ordered:
        tracker.apply(entry.name, entry.changes)
    items: list[UpgradeItem] = []
    old_dicts, new_dicts = dict_keys(before), dict_keys(after)
    for key in keys.values():
        items.extend(_key_items(key, tracker, before, after, allowed, old))
        if key.name in after.proxies or key.name in old_dicts or key.name in new_dicts:
            items.extend(_nested_items(key, entries, (old_dicts.get(key.name),
                                                      new_dicts.get(key.name)), after, old, new))
    set_names = {name for name in tracker.current.values() if name}
    last_line = max((k.line for k in keys.values()), default=None)
    for entry in ordered:
        for change in entry.changes:
            items.extend(_unset_items(change, entry.name, set_names, after, last_line))
    return UpgradeReport(file, old, new, tuple(items))


def _key_items(key: ConfigKey, tracker: _Tracker, before: SettingsCatalog,
               after: SettingsCatalog, allowed: Collection[str],
               old: str) -> Iterable[UpgradeItem]:
    events = tracker.events.get(key.name, [])
    now = tracker.current.get(key.name)
    added = any(change.kind == "added" for _, change in events)
    if before.get(key.name) is None and not added and not is_allowed(key.name, allowed):
        if not events and after.get(key.name) is None:
            yield UpgradeItem("unknown", key.name, (
                f"{key.name} was already unknown at {old}: no setting of this "
                "service has that name (a typo, or a setting removed long ago?); remove it"),
                key.line)
        return
    renames = [(release, change) for release, change in events if change.kind == "renamed"]
    if renames:  # one item for a chain of renames: the name to write is the last one
        releases = " and ".join(release for release, _ in renames)
        why = "; ".join(dict.fromkeys(EVIDENCE[c.evidence] for _, c in renames
                                      if c.evidence in EVIDENCE))
        yield UpgradeItem("renamed", key.name, (
            f"{key.name} was renamed to {renames[-1][1].name} in {releases}"
            f"{f' ({why})' if why else ''}: rename the key to {renames[-1][1].name}"),
            key.line, renames[-1][0], setting=renames[-1][1].name, new=renames[-1][1].name)
    for release, change in events:
        if change.kind != "renamed":
            yield from _event_items(key, release, change, now, after)
    setting = after.get(now) if now else None
    if setting is not None and setting.deprecated and not any(
            change.kind == "deprecated" for _, change in events):
        yield _deprecated(key, setting, None)


def _nested_items(key: ConfigKey, entries: Sequence[ReleaseChanges],
                  known: tuple[frozenset[str] | None, frozenset[str] | None],
                  after: SettingsCatalog, old: str, new: str) -> Iterable[UpgradeItem]:
    """The items of the keys inside *key*'s mapping (``FEATURES:``), at their lines;
    *known* are its keys at *old* and at *new* (``None``: not checked)."""
    for nested in nested_keys(key.name, key.value):
        fate = nested_fate(nested, entries, *known, after)
        if fate is None:
            continue
        path = nested.path
        if fate.kind == "moved":
            message = flattened_message(nested, fate.target or nested.name, _flattened_in(
                entries, key.name))
        elif fate.kind == "renamed":
            inner = key_path((fate.target or "")[len(key.name):]) or (fate.target,)
            message = (f"{path} was renamed to {key.name}.{inner[-1]}: rename the key to "
                       f"{inner[-1]}")
        elif fate.kind == "removed":
            message = (f"{path} was removed{f' in {fate.release}' if fate.release else ''}: "
                       "the service no longer reads it; remove it from this file")
        else:
            message = (f"{path} is no known key of {key.name} at {old} nor a setting at "
                       f"{new}" + (fate.hint or " (a typo, or a key removed long ago?); "
                                   "remove it"))
        yield UpgradeItem(fate.kind, path, message, nested.line, fate.release,
                          setting=fate.target if fate.kind == "moved" else None,
                          new=fate.target, parent=key.name)


def _flattened_in(entries: Sequence[ReleaseChanges], name: str) -> str | None:
    """The release in which the dict setting *name* became a view of the top-level ones."""
    return next((entry.name for entry in reversed(entries) if entry.status == "changes"
                 and any(c.kind == "flattened" and c.name == name for c in entry.changes)),
                None)


def _event_items(key: ConfigKey, release: str, change: SettingChange, now: str | None,
                 after: SettingsCatalog) -> Iterable[UpgradeItem]:
    if change.kind == "removed":
        yield UpgradeItem("removed", key.name, (
            f"{key.name} was removed in {release}: the service no longer reads it; remove "
            "it from this file"), key.line, release)
    elif change.kind == "moved":
        state = "now required" if change.required else "no longer required"
        if change.required and is_placeholder(key.value):
            yield UpgradeItem("moved", key.name, (
                f"{change.name} is {state} since {release}; this file still holds the "
                f"sample's placeholder {key.value.value}: give it a real value"),
                key.line, release, setting=change.name)
            return
        yield UpgradeItem("moved", key.name, (
            f"{change.name} is {state} since {release}; this file sets it: nothing to do"),
            key.line, release, action=False, setting=change.name)
    elif change.kind == "deprecated":
        setting = after.get(now) if now else None
        if setting is not None and setting.deprecated:
            yield _deprecated(key, setting, release)
    elif change.kind == "type":
        setting = after.get(now) if now else None
        problems = check_value(setting, key.value, "") if setting is not None else []
        fits = ("this file's value fits the new type: nothing to do" if not problems else
                "; ".join(p.message for p in problems))
        yield UpgradeItem("type", key.name, (
            f"{change.name} changed type in {release}, from {change.old or 'unannotated'} "
            f"to {change.new or 'unannotated'}: {fits}"),
            int(problems[0].line or key.line) if problems else key.line, release,
            action=bool(problems), setting=change.name, old=change.old, new=change.new)


def _deprecated(key: ConfigKey, setting: Setting, release: str | None) -> UpgradeItem:
    since = f" in {release}" if release else f" since {setting.deprecated}"
    note = _deprecation_text(setting.doc)
    return UpgradeItem("deprecated", key.name, (
        f"{setting.name} was deprecated{since}{': ' + note if note else ''}; stop setting it"),
        key.line, release, setting=setting.name)


def _deprecation_text(doc: str) -> str:
    for note in doc_notes(doc):
        if note.kind == "deprecated":
            return " ".join(plain_text(note.text).split()).rstrip(".")
    return ""


def _unset_items(change: SettingChange, release: str, set_names: set[str],
                 after: SettingsCatalog, last_line: int | None) -> Iterable[UpgradeItem]:
    if change.name in set_names:
        return
    setting = after.get(change.name)
    newly_required = change.required and change.kind in ("added", "moved")
    if newly_required and setting is not None and setting.config_required:
        summary = plain_text(setting.doc.split("\n\n", 1)[0]).replace("\n", " ")
        yield UpgradeItem("required", change.name, (
            f"{change.name} is required since {release} and this file does not set it: "
            f"add '{change.name}: ...'" + (f" ({shorten(summary, 100)})" if summary else "")),
            last_line, release, setting=change.name)
    elif change.kind == "default" and setting is not None and not setting.required:
        if change.secret:
            what = "(secret: not shown)"
        elif change.parts:
            what = "; ".join(_part_text(part) for part in change.parts)
        else:
            what = f"from {value_text(change.old, 60)} to {value_text(change.new, 60)}"
        yield UpgradeItem("default", change.name, (
            f"the default of {change.name} changed in {release} {what}; this file leaves it "
            f"unset, so the new default applies (set it to keep the old one)"),
            None, release, action=False, setting=change.name,
            old=None if change.secret else change.old, new=None if change.secret else change.new,
            parts=change.parts)


def _part_text(part: ValueChange) -> str:
    if part.kind == "more":
        return f"and {part.old} more"
    where = part.path or "an item"
    if part.kind in ("key-added", "item-added"):
        return f"{where} added: {value_text(part.new, 60)}"
    if part.kind in ("key-removed", "item-removed"):
        return f"{where} removed (was {value_text(part.old, 60)})"
    if part.kind == "reordered":
        return f"{where or 'items'} reordered"
    return f"{where} from {value_text(part.old, 60)} to {value_text(part.new, 60)}"
