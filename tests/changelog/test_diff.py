"""The diff of two settings catalogs and the changelog of releases: pure functions."""

from __future__ import annotations

import pytest

from opsdocs.changelog.diff import changelog, comparisons, diff_catalogs, history_notes
from opsdocs.changelog.model import HistoryNote, Release
from opsdocs.changelog.text import diff_text, summary
from opsdocs.errors import Problem
from tests.changelog.catalogs import DEFAULTS, REQUIRED, catalog, changes, sentences


def test_no_change() -> None:
    assert changes() == []


@pytest.mark.parametrize(("required", "defaults", "expected"), [
    (REQUIRED, DEFAULTS + "\n#: New.\nNEW = [1, 2]\n",
     ["Added ``NEW``, default ``[1, 2]``."]),
    (REQUIRED + "#: Must give.\nTOKEN: str\n", DEFAULTS,
     ["Added ``TOKEN`` (required)."]),
    (REQUIRED, '#: The queue.\nQUEUE = "default"\n',
     ["Removed ``TIMEOUT``."]),
    (REQUIRED, '#: Seconds to wait.\nTIMEOUT = 10\n\n#: The queue.\nQUEUE = "default"\n',
     ["Changed the default of ``TIMEOUT`` from ``5`` to ``10``."]),
    (REQUIRED + "#: Seconds to wait.\nTIMEOUT: int\n", '#: The queue.\nQUEUE = "default"\n',
     ["``TIMEOUT`` is now required (moved from defaults.py to required.py).",
      "Annotated ``TIMEOUT`` as ``int``."]),
    ("", '#: The secret key.\nSECRET_KEY: str = "dev"\n' + DEFAULTS,
     # a literal default of a setting named like a secret is hidden (issue 9)
     ['``SECRET_KEY`` is no longer required (moved from required.py to defaults.py) '
      '(secret default, not shown).']),
    (REQUIRED, '#: Seconds to wait.\nTIMEOUT: float = 5\n\n#: The queue.\nQUEUE = "default"\n',
     ["Annotated ``TIMEOUT`` as ``float``."]),
    ("#: The secret key.\nSECRET_KEY: bytes\n", DEFAULTS,
     ["Changed the type of ``SECRET_KEY`` from ``str`` to ``bytes``."]),
    (REQUIRED, '#: Seconds to wait, at most.\nTIMEOUT = 5\n\n#: The queue.\nQUEUE = "default"\n',
     ["Changed the documentation of ``TIMEOUT``."]),
    (REQUIRED, '#: Seconds to wait.\n#:\n#: .. deprecated:: 2.0\n#:    Use X.\nTIMEOUT = 5\n\n'
     '#: The queue.\nQUEUE = "default"\n',
     ["Deprecated ``TIMEOUT`` (since 2.0)."]),
    (REQUIRED, '#: Seconds to wait.\nTIMEOUT = 5\n\n#: The queue.\nTASK_QUEUE = "default"\n',
     ["Renamed ``QUEUE`` to ``TASK_QUEUE`` (same value and description)."]),
], ids=["added", "added-required", "removed", "default", "to-required", "to-defaults",
        "annotated", "type", "doc", "deprecated", "renamed"])
def test_each_kind_of_change(required: str, defaults: str, expected: list[str]) -> None:
    assert sentences(changes(required, defaults)) == expected


def test_layout_and_reflowed_docs_are_no_change() -> None:
    old = catalog(defaults="#: A long\n#: doc.\nX = {'a': 1,\n     'b': 2}\nY = 5*1\n")
    new = catalog(defaults="#: A long doc.\nX = {'a': 1, 'b': 2}\nY = 5 * 1\n")
    assert diff_catalogs(old, new) == ()


def test_undeprecated_and_a_doc_change_are_told_apart() -> None:
    old = catalog(defaults="#: Doc.\n#:\n#: .. deprecated:: 1.0\n#:    Gone soon.\nX = 1\n")
    new = catalog(defaults="#: Doc.\nX = 1\n")
    assert sentences(list(diff_catalogs(old, new))) == ["``X`` is no longer deprecated."]


def test_secret_values_are_never_shown() -> None:
    old = catalog(defaults="#: Key.\n#:\n#: :secret:\nAPI_KEY = 'old-value'\n")
    new = catalog(defaults="#: Key.\n#:\n#: :secret:\nAPI_KEY = 'new-value'\n"
                  "#: Other.\n#:\n#: :secret:\nOTHER_KEY = 'hidden'\n")
    found = diff_catalogs(old, new)
    text = " ".join(sentences(list(found))) + diff_text(found, "a", "b", "json")
    assert "value" not in text.replace('"old"', "").replace('"new"', "")
    assert "hidden" not in text  # the default of an added secret setting, in JSON too
    # A secret setting keeps no value text (settings.model), so a changed secret default
    # cannot be told: only that one exists.
    assert sentences(list(found)) == [
        "Added ``OTHER_KEY`` (secret default, not shown).",
    ]


def test_renames_need_a_doc_and_a_single_candidate() -> None:
    old = catalog(defaults="A = 1\nB = 1\n#: Same.\nC = 2\n#: Same.\nD = 2\n")
    new = catalog(defaults="E = 1\nF = 1\n#: Same.\nG = 2\n#: Same.\nH = 2\n")
    kinds = [change.kind for change in diff_catalogs(old, new)]
    assert "renamed" not in kinds
    assert kinds.count("added") == 4 and kinds.count("removed") == 4


def test_ordering_is_by_kind_then_name() -> None:
    old = catalog(defaults="#: z\nZ = 1\n#: a\nA = 1\n#: gone\nGONE = 1\n")
    new = catalog(defaults="#: a\nA = 2\n#: z\nZ = 2\n#: b\nB_NEW = 1\n#: a new\nA_NEW = 1\n")
    assert [(c.kind, c.name) for c in diff_catalogs(old, new)] == [
        ("added", "A_NEW"), ("added", "B_NEW"), ("removed", "GONE"),
        ("default", "A"), ("default", "Z"),
    ]


def release(name: str, defaults: str | None, **kwargs: object) -> Release:
    found = None if defaults is None else catalog(defaults=defaults)
    return Release(name, found, **kwargs)  # type: ignore[arg-type]


def test_changelog_statuses_newest_first() -> None:
    broken = Problem("syntax error", "v3:defaults.py", 1, check="syntax")
    releases = [
        release("v1", None),
        release("v2", "#: X.\nX = 1\n"),
        release("v3", None, problems=(broken,)),
        release("v4", "#: X.\nX = 2\n"),
        release("v5", "#: X.\nX = 2\n"),
        release("Unreleased", "#: X.\nX = 2\n", unreleased=True),
    ]
    entries = changelog(releases)
    # What a cache must know to stand in for the catalogs: across the unreadable v3.
    assert [(old.name, new.name) for old, new in comparisons(releases)] == [
        ("v2", "v4"), ("v4", "v5"), ("v5", "Unreleased")]
    assert [(e.name, e.status, e.previous) for e in entries] == [
        ("v5", "changes", "v4"), ("v4", "changes", "v2"), ("v3", "unreadable", None),
        ("v2", "first", "v1"), ("v1", "absent", None),
    ]
    assert [summary(e) for e in entries] == [
        "No changes to settings.", None, "The settings of this release could not be read.",
        "The settings package first appears in this release, with 2 settings.",
        "No settings package in this release.",
    ]
    assert sentences(list(entries[1].changes)) == [
        "Changed the default of ``X`` from ``1`` to ``2``."]


def test_changelog_with_a_base_and_unreleased_changes() -> None:
    base = release("v1", "#: X.\nX = 1\n")
    entries = changelog([release("v2", "#: X.\nX = 1\n"),
                         release("Unreleased", "#: X.\nX = 3\n", unreleased=True)], base)
    assert [(e.name, e.status, e.previous) for e in entries] == [
        ("Unreleased", "changes", "v2"), ("v2", "changes", "v1")]
    assert summary(changelog([release("v1", "X = 1\n")], None)[0]) == (
        "The oldest release shown: 2 settings.")
    assert summary(changelog([release("v1", None), release("v2", "")])[0]) == (
        "The settings package first appears in this release, with 1 setting.")


def test_history_notes() -> None:
    entries = changelog([
        release("v1", "#: A.\nA = 1\n#: Gone.\nGONE = 1\n"),
        release("v2", "#: A.\nA = 1\n#: B.\nB = 1\n"),
        release("v3", "#: A.\nA = 2\n#: B.\nB = 1\n#: Old name.\nRENAMED = 1\n"),
        release("v4", "#: A.\nA = 2\n#: B, reworded.\nB = 1\n#: Old name.\nNEW_NAME = 1\n"),
        release("Unreleased", "#: A.\nA = 3\n#: B.\nB = 1\n#: C.\nC = 1\n", unreleased=True),
    ])
    notes = history_notes(entries)
    last_changed = {name: note.changes[-1][0] if note.changes else None
                    for name, note in notes.items()}
    assert {name: (note.added_in, last_changed[name]) for name, note in notes.items()} == {
        "A": (None, "v3"), "B": ("v2", None), "NEW_NAME": ("v3", "v4")}
    assert [(release, [c.kind for c in found]) for release, found in notes["A"].changes] == [
        ("v3", ["default"])]
    assert [(release, [c.kind for c in found])
            for release, found in notes["NEW_NAME"].changes] == [("v4", ["renamed"])]
    assert notes["B"] == HistoryNote("v2")


def test_a_default_line_is_prose_and_defaults_compare_code() -> None:
    old = catalog(defaults="#: Doc.\n#:\n#: :default: five minutes\nX = 5 * 60\n")
    new = catalog(defaults="#: Doc.\n#:\n#: :default: ten minutes\nX = 10 * 60\n"
                  "#: Doc.\n#:\n#: :example: 3\nY = 1\n")
    newer = catalog(defaults="#: Doc.\n#:\n#: :default: 10 minutes\nX = 10 * 60\n"
                    "#: Doc.\n#:\n#: :example: 4\nY = 1\n")
    assert sentences(list(diff_catalogs(old, new))) == [
        "Added ``Y``, default ``1``.",
        "Changed the default of ``X`` from ``5 * 60`` (five minutes) to ``10 * 60`` "
        "(ten minutes).",
        "Changed the documentation of ``X``.",
    ]
    assert sentences(list(diff_catalogs(new, newer))) == [
        "Changed the documentation of ``X``.", "Changed the documentation of ``Y``."]


@pytest.mark.parametrize(("old", "new", "expected"), [
    # A tuple and a list of the same items are one value: YAML gives a list for both.
    ("#: Admins.\nADMINS = ()\n", "#: Admins.\nADMINS = []\n", []),
    ("#: Hosts.\nHOSTS = ('a', 'b')\n", "#: Hosts.\nHOSTS = ['a', 'b']\n", []),
    ("#: Hosts.\nHOSTS = ['a', 'b']\n", "#: Hosts.\nHOSTS = ['b', 'a']\n",
     ["Changed the default of ``HOSTS``:"]),
    ("#: Queue.\nQUEUE = 'edx.core'\n",
     "#: Queue.\nQUEUE = Derived(lambda settings: settings.PREFIX + '.core')\n",
     ["``QUEUE`` is now computed from other settings: ``Derived(lambda settings: "
      "settings.PREFIX + '.co...`` (was ``'edx.core'``)."]),  # cut in a changelog
    ("#: Queue.\nQUEUE = Derived(lambda settings: settings.PREFIX)\n", "#: Queue.\nQUEUE = 'q'\n",
     ["``QUEUE`` is no longer computed from other settings: default ``'q'`` (was "
      "``Derived(lambda settings: settings.PREFIX)``)."]),
    # computed by a change the reader cannot fold: its start value is not said twice
    ("#: Apps.\nAPPS = ('a',)\n", "#: Apps.\nAPPS = ('a',)\nAPPS += f()\n",
     ["``APPS`` is now computed from other settings (was ``('a',)``)."]),
    ("#: Apps.\nAPPS = ('a',)\nAPPS += f()\n", "#: Apps.\nAPPS = ('a',)\n",
     ["``APPS`` is no longer computed from other settings: default ``('a',)``."]),
    # rebuilt from itself with what is empty by default: no change; with more: computed
    ("#: H.\nH = f()\n", "#: H.\nH = f()\n#: E.\nE = ()\nH = (*H, *E)\n",
     ["Added ``E``, default ``()``."]),
    ("#: H.\nH = ('a',)\n", "#: H.\nH = ('a',)\nH = (*H, *'b'.split(','))\n",
     ["``H`` is now computed from other settings: ``(*H, *'b'.split(','))`` (was ``('a',)``)."]),
    ("X = 1\n", "#: What X does.\nX = 1\n", ["Documented ``X``."]),
])
def test_values_compared_as_values(old: str, new: str, expected: list[str]) -> None:
    assert sentences(list(diff_catalogs(catalog(defaults=old), catalog(defaults=new)))) == \
        expected


@pytest.mark.parametrize(("old", "new", "expected"), [
    # enterprise-access: the timeout moved to a shared setting of the same value
    ("A = 60 * 5\n", "DEFAULT = 60 * 5\nA = DEFAULT\n", ["Added ``DEFAULT``, default ``60 * 5``."]),
    ("A = 2 ** 20\nB = -1\nC = 1 << 3\n", "A = 1048576\nB = 0 - 1\nC = 8\n", []),
    ("BASE = 300\nA = BASE\n", "BASE = 300\nA = BASE * 1\n", []),
    ("A = 60 * 5\n", "DEFAULT = 60 * 10\nA = DEFAULT\n",
     ["Added ``DEFAULT``, default ``60 * 10``.",
      "Changed the default of ``A`` from ``60 * 5`` to ``DEFAULT``."]),
    ("A = True\nB = 1\n", "A = 1\nB = 1.0\n",
     ["Changed the default of ``A`` from ``True`` to ``1``.",
      "Changed the default of ``B`` from ``1`` to ``1.0``."]),
    ("A = 2 ** 10 ** 9\n", "A = 2 ** 1000000000\n",  # not computed: compared as code
     ["Changed the default of ``A`` from ``2 ** 10 ** 9`` to ``2 ** 1000000000``."]),
    ("A = OTHER\n", "A = OTHER_TWO\n",  # names not in the catalog: as code
     ["Changed the default of ``A`` from ``OTHER`` to ``OTHER_TWO``."]),
], ids=["shared-setting", "arithmetic", "name-in-arithmetic", "real-change", "types",
        "huge-power", "unknown-names"])
def test_defaults_compare_as_values_where_both_are_known(old: str, new: str,
                                                         expected: list[str]) -> None:
    """A default is changed only when its value is (a literal, literal arithmetic, or a
    setting holding one, in its own release's catalog); a real change is shown as written."""
    found = diff_catalogs(catalog("", old), catalog("", new))
    assert sentences(list(found)) == expected


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("#: OLD.\nOLD = 1\n", "#: A.\nA = 1\n",  # docs that only name the setting: no evidence
     ["Added ``A``, default ``1``.", "Removed ``OLD``."]),
    ("#: The OLD timeout.\nOLD = 1\n", "#: The A timeout.\nA = 1\n",
     ["Renamed ``OLD`` to ``A`` (same value and place)."]),
    ("#: The timeout.\nOLD = 1\n", "#: The timeout.\nA = 1\n",
     ["Renamed ``OLD`` to ``A`` (same value and description)."]),
], ids=["only-names", "reworded-by-name", "same"])
def test_a_rename_by_description_needs_the_same_description(old: str, new: str,
                                                             expected: list[str]) -> None:
    """"Same description" is said only of docs that are the same; docs that differ by the
    setting's own name are alike, for a rename in the same place."""
    assert sentences(list(diff_catalogs(catalog("", old), catalog("", new)))) == expected
