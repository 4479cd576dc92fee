"""Keys inside a dict setting of an operator's config (``FEATURES: {ENABLE_X: true}``),
through an upgrade: moved to the top level, renamed, removed, or unknown, at their lines.

A dict setting is looked into when its keys are known
(:func:`~opsdocs.settings.display.dict_keys`, as the config check knows them), or made
top-level settings by ``FEATURES = FeaturesProxy(globals())``
(:attr:`~opsdocs.settings.model.Setting.proxy`), when ``FEATURES.X`` in the config sets the
setting ``X``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import yaml

from opsdocs.changelog.model import ReleaseChanges
from opsdocs.settings.model import SettingsCatalog
from opsdocs.suggest import NameMatcher, did_you_mean


@dataclass(frozen=True)
class NestedKey:
    """A key of a dict setting in the config: ``parent.name``, at ``line``."""

    parent: str
    name: str
    line: int
    key: yaml.Node
    value: yaml.Node

    @property
    def path(self) -> str:
        return f"{self.parent}.{self.name}"


@dataclass(frozen=True)
class NestedFate:
    """What an upgrade does to a nested key: ``moved`` (to the top-level setting
    ``target``), ``renamed`` (to the key ``target`` of the same dict), ``removed`` (in
    ``release``) or ``unknown`` (``hint`` ends the message: a near name)."""

    kind: str
    target: str | None = None
    release: str | None = None
    hint: str = ""


def nested_keys(parent: str, value: yaml.Node) -> Iterator[NestedKey]:
    """The string keys of the mapping *value* of the top-level key *parent*."""
    if isinstance(value, yaml.MappingNode):
        for key, item in value.value:
            if isinstance(key, yaml.ScalarNode) and isinstance(key.value, str):
                yield NestedKey(parent, key.value, key.start_mark.line + 1, key, item)


def nested_fate(key: NestedKey, entries: Sequence[ReleaseChanges],
                old_keys: frozenset[str] | None, new_keys: frozenset[str] | None,
                after: SettingsCatalog) -> NestedFate | None:
    """What upgrading to *after* (*entries*: the changelog up to it, newest first) means
    for *key*, whose dict knew *old_keys* and knows *new_keys* (``None``: not checked);
    ``None`` when nothing."""
    name = f"{key.parent}[{key.name!r}]"
    removed_in: str | None = None
    for entry in reversed(entries):
        for change in entry.changes if entry.status == "changes" else ():
            if change.kind == "renamed" and change.old_name == name:
                name = change.name
            elif change.kind == "removed" and change.name == name:
                removed_in = entry.name
    old = old_keys or frozenset()
    if key.parent in after.proxies:
        return _flattened_fate(key, name, removed_in or (
            _last(entries) if key.name in old else None), after)
    if name != f"{key.parent}[{key.name!r}]":
        return NestedFate("renamed", name)
    if removed_in:
        return NestedFate("removed", release=removed_in)
    if new_keys is None or key.name in new_keys or key.name in old:
        return None
    return NestedFate("unknown", hint=_hint(key.name, new_keys))


def _flattened_fate(key: NestedKey, name: str, removed_in: str | None,
                    after: SettingsCatalog) -> NestedFate:
    """A key of a dict that is a view of the top-level settings now: one of them, or gone."""
    target = name if "[" not in name else key.name
    setting = after.get(target)
    if setting is not None and not setting.parent:
        return NestedFate("moved", target)
    if removed_in:
        return NestedFate("removed", release=removed_in)
    return NestedFate("unknown", hint=_hint(key.name, (s.name for s in after if not s.parent)))


def _last(entries: Sequence[ReleaseChanges]) -> str | None:
    return entries[0].name if entries else None


def _hint(name: str, known: Iterable[str]) -> str:
    return did_you_mean(NameMatcher(sorted(set(known))).closest(name))


def flattened_message(key: NestedKey, target: str, release: str | None) -> str:
    """The words for a key that is a top-level setting now."""
    since = f" since {release}" if release else ""
    rename = f" (renamed from {key.name})" if target != key.name else ""
    return (f"{key.path} is the top-level setting {target}{rename}{since} ({key.parent} is "
            f"FeaturesProxy(globals()) there): move it to the top level as '{target}: ...'")

