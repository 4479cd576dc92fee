"""Release notes as reStructuredText, Markdown or JSON text, ready to paste.

The changes' sentences are the changelog's (:func:`opsdocs.changelog.text.describe`), with
values whole (nothing cut); a new setting or toggle is followed by its description.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from opsdocs.changelog.model import SettingChange
from opsdocs.changelog.release_notes import Change, Group, ReleaseNotes
from opsdocs.changelog.text import Line, Part, bullet_lines, describe, details, heading
from opsdocs.changelog.toggle_changes import TOGGLE_EVIDENCE, ToggleChange
from opsdocs.code_text import one_line
from opsdocs.markup import inline_code, plain_roles

NOTES_FORMAT = "opsdocs-release-notes"
NOTES_VERSION = 1
#: The parts of a sentence that name something the new release has: linked.
_LINKED = frozenset({"setting", "toggle"})
_ID_AS_IS = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


def describe_toggle(change: ToggleChange) -> list[Part]:
    """The sentence for a change to a toggle the code defines."""
    name: Part = ("toggle", change.name) if change.kind != "removed" else ("name", change.name)
    what: list[Part] = [("text", f" ({change.implementation})")] if change.implementation else []
    if change.kind == "added":
        default: list[Part] = [("text", ", default "), ("code", one_line(change.new))] if (
            change.new is not None) else []
        return [("text", "Added "), name, *what, *default, ("text", ".")]
    if change.kind == "removed":
        return [("text", "Removed "), name, *what, ("text", ".")]
    if change.kind == "renamed":
        said = [w for w in (change.implementation, TOGGLE_EVIDENCE.get(change.evidence or ""))
                if w]
        return [("text", "Renamed "), ("name", change.old_name or ""), ("text", " to "), name,
                ("text", f" ({'; '.join(said)})." if said else ".")]
    if change.kind == "default":
        return [("text", "Changed the default of "), name, *what, ("text", " from "),
                ("code", one_line(change.old or "")), ("text", " to "),
                ("code", one_line(change.new or "")), ("text", ".")]
    return [name, *what, ("text", f" is past its target removal date ({change.new}).")]


def sentence_parts(change: Change) -> list[Part]:
    """A change's sentence, values whole."""
    if isinstance(change, ToggleChange):
        return describe_toggle(change)
    return describe(change, full=True)


def lines(changes: Sequence[Change], group: Group) -> list[Line]:
    """The lines that list *changes* of *group*: each change's sentence (a new one's
    followed by its description: ``prose`` in reStructuredText, or ``plain`` text), the
    keys or items of a default that changed under it, and the keys the code renamed
    together under one line that says so once."""
    found: list[Line] = []
    renamed = [c for c in changes if isinstance(c, SettingChange) and c.kind == "renamed"
               and c.evidence == "code"]
    for change in changes:
        if change in renamed:
            if change is renamed[0]:
                found.append(([("text", "Renamed (the code says so):")],
                              [_renamed_key(c) for c in renamed if isinstance(c, SettingChange)]))
            continue
        line = sentence_parts(change)
        text = group.descriptions.get(change.name) if change.kind == "added" else None
        if text is not None:
            line += [("text", " "), ("prose" if text[1] == "rst" else "plain", text[0])]
        found.append((line, details(change, full=True) if isinstance(change, SettingChange)
                      else []))
    return found


def _renamed_key(change: SettingChange) -> list[Part]:
    parts: list[Part] = [("name", change.old_name or ""), ("text", " to "),
                         ("setting", change.name)]
    if change.old is not None and change.new is not None:
        parts += [("text", ", its default changed from "), ("code", one_line(change.old)),
                  ("text", " to "), ("code", one_line(change.new))]
    return parts


class Writer:
    """Writes notes in one markup: ``rst`` (with ``roles``, names as ``:setting:`` links,
    for a project built with opsdocs) or ``markdown``; with ``link``, a URL pattern
    (``https://example.com/{service}.html#setting-{name}``), names as links to it."""

    def __init__(self, markup: str, roles: bool = False, link: str | None = None,
                 underlines: str = "-~^") -> None:
        self.markup = markup
        self.roles = roles and markup == "rst"
        self.link = link
        self.underlines = underlines

    def heading(self, title: str, level: int) -> str:
        return heading(title, self.markup, self.underlines[level], level + 2)

    def items(self, changes: Sequence[Change], group: Group) -> str:
        service = group.services[0]
        return bullet_lines(lines(changes, group), self.markup, self.roles,
                            lambda part: self._own(part, service))

    def _own(self, part: Part, service: str) -> str | None:
        """A name as a link to *service*'s reference; roles in prose as their text unless
        the project has them (``roles``)."""
        kind, text = part
        if kind == "prose" and self.markup == "rst" and not self.roles:
            return " ".join(plain_roles(text).split())
        if kind in _LINKED and self.link and not self.roles and _ID_AS_IS.fullmatch(text):
            url = self.link.format(service=service.lower(), name=text)
            return f"[`{text}`]({url})" if self.markup == "markdown" else f"`{text} <{url}>`__"
        return None

    def notes(self, notes: ReleaseNotes, title: str) -> str:
        text = self.heading(title, 0) + lead(notes, self.markup) + "\n"
        if not any(group.settings or group.toggles for group in notes.groups):
            return text + "No changes to settings or toggles.\n"
        for group in notes.groups:
            text += self.heading(service_names(group.services), 1)
            for part, changes in (("Settings", group.settings), ("Toggles", group.toggles)):
                if changes:
                    text += self.heading(part, 2) + self.items(changes, group).rstrip("\n") \
                        + "\n\n"
        return text.rstrip("\n") + "\n"


def service_names(names: Sequence[str]) -> str:
    """``LMS``, ``LMS and CMS``, ``LMS, CMS and Studio``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def lead(notes: ReleaseNotes, markup: str) -> str:
    """What the notes compare, and how many of each kind of change each service has."""
    return "\n".join([lead_sentence(notes, markup), "",
                      *(f"- {line}" for line in count_lines(notes))]) + "\n"


def lead_sentence(notes: ReleaseNotes, markup: str) -> str:
    """What the notes compare."""
    old, new = (inline_code(name, markup) for name in (notes.old, notes.new))
    text = f"Changes from {old} to {new}."
    if len(notes.services) > 1:
        text += (f" What {service_names(notes.services)} share is listed once, under all of "
                 "their names.")
    return text


def count_lines(notes: ReleaseNotes) -> list[str]:
    """For each service, how many settings and toggles were added, removed, renamed..."""
    lines = []
    for service, counts in notes.counts.items():
        parts = []
        for part in ("settings", "toggles"):
            found = [f"{counts[f'{part} {kind}']} {kind}" for kind in (
                "added", "removed", "renamed", "past-due") if counts.get(f"{part} {kind}")]
            changed = sum(n for key, n in counts.items() if key.startswith(part)) - sum(
                counts.get(f"{part} {kind}", 0) for kind in ("added", "removed", "renamed",
                                                              "past-due"))
            if changed:
                found.append(f"{changed} changed")
            if found:
                parts.append(f"{part}: {', '.join(found)}".replace("past-due", "past due"))
        lines.append(f"{service}: {'; '.join(parts) or 'no changes'}.")
    return lines


def notes_text(notes: ReleaseNotes, markup: str, title: str = "Settings and toggles",
               roles: bool = False, link: str | None = None, underlines: str = "-~^") -> str:
    """The notes as ``rst``, ``markdown`` or ``json`` text."""
    if markup == "json":
        return json.dumps(notes_json(notes), indent=2) + "\n"
    return Writer(markup, roles, link, underlines).notes(notes, title)


def notes_json(notes: ReleaseNotes) -> dict[str, Any]:
    def change(item: Change, group: Group) -> dict[str, Any]:
        data = asdict(item)
        data["toggle_change"] = isinstance(item, ToggleChange)
        if item.kind == "added" and item.name in group.descriptions:
            data["description"] = group.descriptions[item.name][0]
        return data

    return {
        "format": NOTES_FORMAT, "version": NOTES_VERSION, "old": notes.old, "new": notes.new,
        "services": list(notes.services),
        "counts": {service: dict(counts) for service, counts in notes.counts.items()},
        "groups": [{"services": list(group.services),
                    "settings": [change(c, group) for c in group.settings],
                    "toggles": [change(c, group) for c in group.toggles]}
                   for group in notes.groups],
        "problems": [{"message": p.message, "file": p.file, "line": p.line, "check": p.check}
                     for p in notes.problems],
    }
