"""A setting's version notes: one rule merging the history with the doc's own directives."""

from __future__ import annotations

import pytest

from opsdocs.changelog.model import HistoryNote, SettingChange, VersionNote
from opsdocs.changelog.notes import version_notes
from opsdocs.changelog.values import ValueChange
from opsdocs.settings.model import Setting


@pytest.mark.parametrize(("doc", "note", "expected"), [
    # The doc's 0.3 is the release v0.3.0: one note, as the tag writes it.
    ("Doc.\n\n.. versionadded:: 0.3\n", HistoryNote("v0.3.0"),
     [VersionNote("versionadded", "0.3.0")]),
    # Changed in the release that added it: one "added" note, with the doc's words.
    ("Doc.\n\n.. versionchanged:: 0.3\n   In seconds.\n", HistoryNote("v0.3.0"),
     [VersionNote("versionadded", "0.3.0", "In seconds.")]),
    # Each release that changed it: one line each, the doc's words with the history's.
    ("Doc.\n\n.. versionchanged:: 0.4\n   Faster.\n\n.. deprecated:: 0.5 Use Y.\n",
     HistoryNote("v0.2.0", (
         ("v0.3.0", (SettingChange("default", "X", "1", "2"),)),
         ("v0.4.0", (SettingChange("type", "X", "int", "float"),)))),
     [VersionNote("versionadded", "0.2.0"),
      VersionNote("versionchanged", "0.3.0",
                  "Changed the default of :setting:`X` from ``1`` to ``2``."),
      VersionNote("versionchanged", "0.4.0",
                  "Changed the type of :setting:`X` from ``int`` to ``float``. Faster."),
      VersionNote("deprecated", "0.5", "Use Y.")]),
    # A doc that knows better (an older release than the history shows) wins.
    ("Doc.\n\n.. versionadded:: 0.0.9\n", HistoryNote("v0.3.0"),
     [VersionNote("versionadded", "0.0.9")]),
    ("Doc.", None, []),
    # The doc's own note already tells the rename or the new default: said once, its way.
    ("Doc.\n\n.. versionchanged:: 0.4\n   Renamed from ``OLD_X``.\n", HistoryNote("v0.2.0", (
        ("v0.4.0", (SettingChange("renamed", "X", old_name="OLD_X", evidence="docs"),)),)),
     [VersionNote("versionadded", "0.2.0"),
      VersionNote("versionchanged", "0.4.0", "Renamed from ``OLD_X``.")]),
    ("Doc.\n\n.. versionchanged:: 0.4\n   100 instead of 50.\n", HistoryNote("v0.2.0", (
        ("v0.4.0", (SettingChange("default", "X", "50", "100"),
                    SettingChange("type", "X", "int", "float"))),)),
     [VersionNote("versionadded", "0.2.0"),
      VersionNote("versionchanged", "0.4.0",
                  "Changed the type of :setting:`X` from ``int`` to ``float``. "
                  "100 instead of 50.")]),
    # A default whose keys changed: the keys are in the note, which never ends in a colon.
    ("Doc.", HistoryNote(None, (("v0.4.0", (SettingChange(
        "default", "X", "{'a': 1}", "{'a': 1, 'b': False}",
        parts=(ValueChange("key-added", "['b']", None, "False"),)),)),)),
     [VersionNote("versionchanged", "0.4.0",
                  "Changed the default of :setting:`X`: ``['b']`` added: ``False``.")]),
])
def test_version_notes_one_rule(doc, note, expected) -> None:
    setting = Setting("X", False, "defaults.py", 1, "1", doc=doc)
    assert version_notes(setting, note, ["v0.1.0", "v0.2.0", "v0.3.0", "v0.4.0"]) == expected
