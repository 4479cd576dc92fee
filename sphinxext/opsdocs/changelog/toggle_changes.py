"""Feature toggles between two releases: added, removed, their default changed, and those
past their target removal date.

Toggles come from two places, through one interface, :class:`ToggleFacts`:

* the settings modules: a setting under a ``# .. toggle_name:`` block
  (:func:`settings_toggles`); its changes are the setting's, so the release notes list
  them from the settings changelog, under *Toggles*, and this module adds only the
  removal dates;
* the toggles in the code (waffle flags, switches, configuration models), as the toggles
  reader writes them (``opsdocs toggles --format json``, :func:`toggles_from_json`), or
  any object with the attributes of :class:`ToggleFacts` (:func:`facts_of`): those are
  diffed here (:func:`diff_toggles`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from opsdocs.changelog.matching import match_unique
from opsdocs.changelog.values import default_text, normal_code
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import SNAPSHOT, decode_text, load_json, read_bytes
from opsdocs.settings.model import Setting, SettingsCatalog
from opsdocs.toggles.model import setting_key

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NOTHING = frozenset({"", "none", "n/a", "na", "-"})


@dataclass(frozen=True)
class ToggleFacts:
    """What the release notes compare of a toggle: its names (the name published, the
    setting it is for a settings module's toggle, the name its code registers when known),
    its code (implementation: ``WaffleFlag``, ``DjangoSetting``; default) and its block
    (description, whether it is temporary, its target removal date, ``YYYY-MM-DD`` as
    written)."""

    name: str
    setting: str | None = None
    registered: str | None = None
    implementation: str | None = None
    default: str | None = None
    description: str = ""
    temporary: bool = False
    removal_date: str | None = None

    def past_due(self, on: date) -> bool:
        """Whether it is temporary and its target removal date is before *on*."""
        removal = parse_date(self.removal_date)
        return self.temporary and removal is not None and removal < on


@dataclass(frozen=True)
class ToggleChange:
    """One change to a toggle: ``added``, ``removed``, ``renamed`` (from ``old_name``,
    ``evidence`` saying why it is the same toggle: :data:`TOGGLE_EVIDENCE`), ``default``
    (``old`` and ``new`` code) or ``past-due`` (``new`` is its target removal date)."""

    kind: str
    name: str
    implementation: str | None = None
    old: str | None = None
    new: str | None = None
    description: str = ""
    old_name: str | None = None
    evidence: str | None = None


#: Kinds of toggle change, in the order the notes list them.
TOGGLE_KINDS = ("added", "removed", "renamed", "default", "past-due")
#: Why a toggle published under another name is the same one, in the notes' words.
TOGGLE_EVIDENCE = {
    "registered": "the code registers the same name",
    "description": "same implementation and description",
}


def parse_date(value: str | None) -> date | None:
    """The date a field writes (``2024-05-01``, loosely ``2024-5-1``), or ``None``."""
    match = _DATE.fullmatch((value or "").strip())
    if match is None:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def _field(value: str | None) -> str | None:
    return None if value is None or value.strip().lower() in _NOTHING else value.strip()


def settings_toggles(catalog: SettingsCatalog) -> tuple[ToggleFacts, ...]:
    """The toggles a settings catalog documents (settings under a ``toggle_name`` block)."""
    return tuple(_setting_toggle(setting) for setting in catalog if setting.toggle)


def _setting_toggle(setting: Setting) -> ToggleFacts:
    use_cases = re.split(r"[,\s]+", setting.field("toggle_use_cases") or "")
    return ToggleFacts(
        setting.name, setting=setting.name,
        implementation=_field(setting.field("toggle_implementation")),
        default=default_text(setting),
        description=_field(setting.field("toggle_description")) or "",
        temporary="temporary" in use_cases,
        removal_date=_field(setting.field("toggle_target_removal_date")))


def facts_of(toggle: Any) -> ToggleFacts:
    """:class:`ToggleFacts` of any toggle-like object: one of :mod:`opsdocs.toggles`'
    ``Toggle`` (``shown_implementation``, ``shown_default``, ``target_removal_date``...)."""
    return ToggleFacts(
        str(toggle.name), setting=getattr(toggle, "setting", None),
        registered=getattr(toggle, "registered", None),
        implementation=getattr(toggle, "shown_implementation", None)
        or getattr(toggle, "implementation", None),
        default=getattr(toggle, "shown_default", None) or getattr(toggle, "default", None),
        description=getattr(toggle, "description", "") or "",
        temporary=bool(getattr(toggle, "temporary", False)),
        removal_date=getattr(toggle, "target_removal_date", None))


def toggles_from_json(data: Mapping[str, Any]) -> tuple[ToggleFacts, ...]:
    """The toggles of ``opsdocs toggles --format json``'s output (``{"toggles": [...]}``);
    entries that are no objects with a name are left out."""
    found = []
    for item in data.get("toggles") or ():
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            continue
        text = {key: item.get(key) if isinstance(item.get(key), str) else None for key in (
            "setting", "implementation", "documented_implementation", "default",
            "documented_default", "description", "target_removal_date", "registered")}
        found.append(ToggleFacts(
            item["name"], setting=text["setting"], registered=text["registered"],
            implementation=text["implementation"] or text["documented_implementation"],
            default=text["default"] if text["default"] is not None
            else text["documented_default"],
            description=text["description"] or "", temporary=item.get("temporary") is True,
            removal_date=_field(text["target_removal_date"])))
    return tuple(found)


def read_toggles_file(path: str | Path) -> tuple[ToggleFacts, ...]:
    """The toggles in a file ``opsdocs toggles --format json`` wrote; :class:`OpsdocsError`
    when it cannot be read or holds no ``"toggles"`` list."""
    data = load_json(decode_text(read_bytes(Path(path), SNAPSHOT), str(path), SNAPSHOT),
                     str(path), SNAPSHOT)
    if not isinstance(data, dict) or not isinstance(data.get("toggles"), list):
        raise OpsdocsError(Problem(
            "not the toggles of 'opsdocs toggles --format json' (no \"toggles\" list): write "
            "it with that command at each release", str(path), check="release-notes"))
    return toggles_from_json(data)


def diff_toggles(old: Iterable[ToggleFacts], new: Iterable[ToggleFacts],
                 on: date | None = None) -> tuple[ToggleChange, ...]:
    """The changes from *old* to *new* toggles, by name (the first definition of a name
    defined twice); with *on*, the new ones past their target removal date on that day
    too."""
    before = _by_name(old)
    after = _by_name(new)
    added = [t for name, t in after.items() if name not in before]
    removed = [t for name, t in before.items() if name not in after]
    renamed = _renames(removed, added)
    changes = [ToggleChange("renamed", t.name, t.implementation, old_name=was.name,
                            evidence=evidence) for was, t, evidence in renamed]
    paired = {id(t) for pair in renamed for t in pair[:2]}
    changes += [ToggleChange("added", t.name, t.implementation, None, t.default, t.description)
                for t in added if id(t) not in paired]
    changes += [ToggleChange("removed", t.name, t.implementation)
                for t in removed if id(t) not in paired]
    changes += [ToggleChange("default", t.name, t.implementation, before[name].default, t.default)
                for name, t in after.items() if name in before and None not in (
                    t.default, before[name].default)
                and normal_code(t.default) != normal_code(before[name].default)]
    if on is not None:
        changes += past_due(after.values(), on)
    order = {kind: index for index, kind in enumerate(TOGGLE_KINDS)}
    return tuple(sorted(changes, key=lambda c: (order[c.kind], c.name)))


def _by_name(toggles: Iterable[ToggleFacts]) -> dict[str, ToggleFacts]:
    found: dict[str, ToggleFacts] = {}
    for toggle in toggles:
        found.setdefault(toggle.name, toggle)
    return found


def _renames(removed: Sequence[ToggleFacts], added: Sequence[ToggleFacts],
             ) -> list[tuple[ToggleFacts, ToggleFacts, str]]:
    """Toggles published under a new name that are the old one: the code registers the
    same name, or (implementation known) the same implementation and description; a pair
    only where each is the one toggle of its side with that name or description."""
    return match_unique(removed, added, (("registered", _registered_key),
                                         ("description", _description_key)))


def _registered_key(toggle: ToggleFacts) -> tuple[str, ...] | None:
    return (toggle.registered,) if toggle.registered else None


def _description_key(toggle: ToggleFacts) -> tuple[str, ...] | None:
    text = " ".join(toggle.description.split())
    return (toggle.implementation, text) if text and toggle.implementation else None


def past_due(toggles: Iterable[ToggleFacts], on: date) -> list[ToggleChange]:
    """The temporary toggles of *toggles* whose target removal date is before *on*."""
    return [ToggleChange("past-due", t.name, t.implementation, new=t.removal_date)
            for t in toggles if t.past_due(on)]


def without_settings(toggles: Sequence[ToggleFacts],
                     settings: Iterable[str]) -> tuple[ToggleFacts, ...]:
    """*toggles* but those that are one of the *settings* (listed with the settings'):
    ``settings.X``, ``FEATURES['X']`` and ``X`` alike."""
    names = {setting_key(name) for name in settings}
    return tuple(t for t in toggles if not (t.setting and setting_key(t.setting) in names)
                 and setting_key(t.name) not in names)
