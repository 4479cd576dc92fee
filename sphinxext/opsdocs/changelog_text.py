"""Settings changes as reStructuredText, Markdown or JSON text, and as news fragments."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from opsdocs.changelog import Part, SettingChange, describe
from opsdocs.rst import inline_code

#: scriv's categories for each kind of change.
SCRIV_CATEGORIES = {"added": "Added", "removed": "Removed", "deprecated": "Deprecated"}
SCRIV_ORDER = ("Added", "Changed", "Deprecated", "Removed")
DIFF_FORMAT = "opsdocs-settings-diff"
DIFF_VERSION = 1


def sentence(change: SettingChange, markup: str, roles: bool = False) -> str:
    """One change as a sentence in ``rst`` or ``markdown``."""
    return "".join(_part(part, markup, roles) for part in describe(change))


def _part(part: Part, markup: str, roles: bool) -> str:
    kind, text = part
    if kind == "text":
        return text
    if kind == "setting" and roles and markup == "rst":
        return f":setting:`{text}`"
    return inline_code(text, markup)


def bullets(changes: Sequence[SettingChange], markup: str, roles: bool = False) -> str:
    """A bullet list of *changes*; a sentence saying so when there are none."""
    if not changes:
        return "No changes to settings.\n"
    return "".join(f"- {sentence(change, markup, roles)}\n" for change in changes)


def heading(title: str, markup: str, underline: str = "~") -> str:
    if markup == "markdown":
        return f"### {title}\n\n"
    return f"{title}\n{underline * len(title)}\n\n"


def diff_text(changes: Sequence[SettingChange], old: str, new: str, markup: str,
              title: str = "Settings", roles: bool = False) -> str:
    """A changelog section, ready to paste: a heading and a bullet list (or JSON)."""
    if markup == "json":
        return json.dumps({
            "format": DIFF_FORMAT, "version": DIFF_VERSION, "old": old, "new": new,
            "changes": [asdict(change) for change in changes],
        }, indent=2) + "\n"
    return heading(title, markup) + bullets(changes, markup, roles)


def towncrier_fragment(changes: Sequence[SettingChange], old: str, markup: str) -> str:
    """A towncrier fragment: one entry listing the changes."""
    return f"Settings changed since {old}:\n\n" + bullets(changes, markup)


def scriv_fragment(changes: Sequence[SettingChange], markup: str) -> str:
    """A scriv fragment: the changes under scriv's default categories."""
    sections: dict[str, list[SettingChange]] = {}
    for change in changes:
        sections.setdefault(SCRIV_CATEGORIES.get(change.kind, "Changed"), []).append(change)
    parts = []
    for category in SCRIV_ORDER:
        if category in sections:
            # scriv reads "-" under a category in every version (its rst_header_chars "=-")
            parts.append(heading(category, markup, "-") + bullets(sections[category], markup))
    return "\n".join(parts) if parts else bullets((), markup)
