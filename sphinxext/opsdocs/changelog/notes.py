"""One rule for a setting's version notes: one "added in", one line per release that
changed it, and the deprecation, with versions as the releases write them.

The notes merge what the history knows (:class:`~opsdocs.changelog.model.HistoryNote`) with
the doc's own ``versionadded``, ``versionchanged`` and ``deprecated`` directives: a doc
that says ``0.3`` where the tag is ``v0.3.0`` names that release, and says it once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from packaging.version import InvalidVersion, Version

from opsdocs.changelog.diff import doc_notes
from opsdocs.changelog.model import HistoryNote, SettingChange, VersionNote
from opsdocs.changelog.text import whole_sentence
from opsdocs.changelog.versions import version_key
from opsdocs.settings.model import Setting


def version_label(name: str) -> str:
    """A tag as a version: ``v1.2`` is ``1.2``."""
    return re.sub(r"^v(?=\d)", "", name)


def version_notes(setting: Setting, note: HistoryNote | None,
                  releases: Sequence[str]) -> list[VersionNote]:
    """The notes to show for *setting*, oldest first; *releases* names the history's."""
    labels = [version_label(name) for name in releases]
    own = [VersionNote(n.kind, _as_release(n.version, labels), n.text)
           for n in doc_notes(setting.doc)]
    added = next((n for n in own if n.kind == "versionadded"), None)
    if added is None and note is not None and note.added_in:
        added = VersionNote("versionadded", version_label(note.added_in))
    changed: dict[str, list[str]] = {}
    said = {item.version: item.text for item in own if item.kind == "versionchanged"}
    for release, changes in note.changes if note is not None else ():
        label = version_label(release)
        changed.setdefault(label, []).extend(
            whole_sentence(change, "rst", roles=True) for change in changes
            if not _told(change, said.get(label, "")))
    for item in own:
        if item.kind == "versionchanged":
            changed.setdefault(item.version, []).append(item.text)
    if added is not None and added.version in changed:  # new in that release, not changed
        added = VersionNote(added.kind, added.version, _joined(
            [added.text, *changed.pop(added.version)]))
    notes = [added] if added is not None else []
    notes += [VersionNote("versionchanged", version, _joined(texts))
              for version, texts in sorted(changed.items(), key=lambda i: version_key(i[0]))]
    notes += [n for n in own if n.kind == "deprecated"]
    return notes


def _told(change: SettingChange, text: str) -> bool:
    """Whether the doc's own note *text* already tells *change*: a rename naming the old
    name, a default naming both values (``100 instead of 50``)."""
    if not text:
        return False
    words = {word.strip("`.,;:()") for word in text.split()}
    if change.kind == "renamed":
        return (change.old_name or "") in text
    if change.kind == "default" and change.old is not None and change.new is not None:
        return {change.old.strip(), change.new.strip()} <= words
    return False


def _as_release(version: str, labels: Sequence[str]) -> str:
    """*version* as the release that is the same version writes it: ``0.3`` is ``0.3.0``."""
    try:
        wanted = Version(version)
    except InvalidVersion:
        return version
    for label in labels:
        try:
            if Version(label) == wanted:
                return label
        except InvalidVersion:
            continue
    return version


def _joined(texts: Sequence[str]) -> str:
    return " ".join(text for text in texts if text)


def notes_rst(notes: Sequence[VersionNote]) -> str:
    """The notes as Sphinx's version directives."""
    blocks = []
    for item in notes:
        body = "".join(f"\n   {line}" for line in item.text.splitlines())
        blocks.append(f".. {item.kind}:: {item.version}{body}")
    return "\n\n".join(blocks)
