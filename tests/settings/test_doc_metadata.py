"""What a doc says besides its prose: fields, and the one reader of version directives,
which every output asks (a deprecation nested in a ``.. note::`` reads as a top-level one)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from docutils import nodes
from sphinx import addnodes

from opsdocs.settings.doc_metadata import (
    deprecation,
    split_metadata,
    version_directives,
    versions,
    without_version_directives,
)
from opsdocs.settings.nodes import setting_entry
from tests.helpers import own_warnings
from tests.settings.support import read, run


def test_metadata_fields_are_taken_out_of_the_doc():
    settings, _ = read('''
        #: The key.
        #:
        #: :secret:
        #: :example: ``abc``
        #: :default: computed from
        #:    :setting:`OTHER`
        KEY = compute()

        #: The name.
        #:
        #: :default: computed from
        #:    :setting:`OTHER`
        NAME = compute()
    ''')
    key = settings["KEY"]
    assert key.doc == "The key."
    assert key.secret and key.example == "``abc``"
    # A secret keeps no value text, not even its :default: line: secret wins over everything.
    assert (key.value, key.default_display, key.default) == (None, None, None)
    assert key.has_default
    name = settings["NAME"]
    assert (name.doc, name.default_display) == ("The name.", "computed from\n:setting:`OTHER`")
    assert split_metadata("Doc.\n\n:example: 1\n   2\nMore.") == (
        "Doc.\n\nMore.", {"example": "1\n2"})


def test_version_directives_are_recorded():
    settings, _ = read('''
        #: Old.
        #:
        #: .. versionadded:: 0.2
        #: .. deprecated:: 0.3
        #:    Use NEW.
        OLD = 1
    ''')
    assert (settings["OLD"].added, settings["OLD"].deprecated) == ("0.2", "0.3")
    assert ".. deprecated:: 0.3" in settings["OLD"].doc


DOC = """\
Seconds to wait.

.. versionadded:: 1.0

.. note::

   Mind the proxy.

   .. deprecated:: 2.0 Use
      :setting:`HTTP_TIMEOUT`.

   Still in the note.

.. versionchanged:: 1.5
   Longer.
After."""


def test_version_directives_are_found_nested_with_their_bodies():
    found = [(d.kind, d.version, d.text, d.start, d.end) for d in version_directives(DOC)]
    assert found == [
        ("versionadded", "1.0", "", 2, 4),
        # the body ends where the note goes on, not at the end of the note
        ("deprecated", "2.0", "Use\n:setting:`HTTP_TIMEOUT`.", 8, 11),
        ("versionchanged", "1.5", "Longer.", 13, 15),
    ]
    assert versions(DOC) == {"versionadded": "1.0", "deprecated": "2.0",
                             "versionchanged": "1.5"}
    assert deprecation(DOC) is not None and deprecation(DOC).version == "2.0"
    assert deprecation("Doc.\n\n.. deprecated::\n") is None  # no version: not one
    assert version_directives("Doc.") == []


def test_a_doc_without_its_version_directives():
    assert without_version_directives(DOC).splitlines() == [
        "Seconds to wait.", "", ".. note::", "", "   Mind the proxy.", "",
        "   Still in the note.", "", "After."]
    # A note that held only the deprecation goes with it; other empty directives stay.
    assert without_version_directives(
        "Doc.\n\n.. note::\n\n   .. deprecated:: 2.0\n      Use X.\n\n.. contents::\n") == \
        "Doc.\n\n.. contents::"
    assert without_version_directives("Doc.\n\n.. contents::\n") == "Doc.\n\n.. contents::\n"


# -- Read the same by every output --------------------------------------------------------

OLD = """\
#: Seconds to wait for the LMS.
LMS_TIMEOUT = 5

#: Seconds to wait for any HTTP request.
HTTP_TIMEOUT = 5
"""
TOP_LEVEL = """\
#: Seconds to wait for the LMS.
#:
#: .. deprecated:: 2.0
#:    Use :setting:`HTTP_TIMEOUT`.
LMS_TIMEOUT = 5

#: Seconds to wait for any HTTP request.
HTTP_TIMEOUT = 5
"""
NESTED = """\
#: Seconds to wait for the LMS.
#:
#: .. note::
#:
#:    .. deprecated:: 2.0
#:       Use :setting:`HTTP_TIMEOUT`.
LMS_TIMEOUT = 5

#: Seconds to wait for any HTTP request.
HTTP_TIMEOUT = 5
"""


def releases(tmp_path: Path, capsys, defaults: str) -> Path:
    """Settings packages before (v1.0) and after (v2.0, *defaults*) the deprecation, their
    snapshots, and an operator's config that sets the deprecated setting."""
    (tmp_path / "snapshots").mkdir()
    for name, text in (("v1.0", OLD), ("v2.0", defaults)):
        package = tmp_path / name / "settings"
        package.mkdir(parents=True)
        (package / "required.py").write_text("")
        (package / "defaults.py").write_text(text)
        status, _, err = run(capsys, "snapshot", "--settings", package, "-o", tmp_path / "snapshots" /
                             f"{name}.json")
        assert status == 0, err
    (tmp_path / "config.yml").write_text("LMS_TIMEOUT: 10\nHTTP_TIMEOUT: 5\n")
    return tmp_path


@pytest.mark.parametrize("defaults", [TOP_LEVEL, NESTED], ids=["top-level", "nested"])
def test_a_deprecation_reads_the_same_in_every_output(tmp_path, capsys, defaults):
    root = releases(tmp_path, capsys, defaults)
    settings, config = root / "v2.0" / "settings", root / "config.yml"
    # The reader: deprecated since 2.0.
    status, out, _ = run(capsys, "settings", "--settings", settings, "--format", "json")
    assert {s["name"]: s.get("deprecated") for s in json.loads(out)["settings"]} == {
        "LMS_TIMEOUT": "2.0", "HTTP_TIMEOUT": None}
    # The config check: the deprecation's own words.
    status, out, err = run(capsys, "check-config", config, "--settings", settings)
    assert (status, out, err) == (1, "", f"{config}:1: setting LMS_TIMEOUT is deprecated since "
                                         "2.0 (Use HTTP_TIMEOUT.): stop setting it\n")
    # The changelog: deprecated, and the doc's text is unchanged.
    status, out, _ = run(capsys, "diff", root / "snapshots" / "v1.0.json",
                         root / "snapshots" / "v2.0.json")
    assert out == "Settings\n~~~~~~~~\n\n- Deprecated ``LMS_TIMEOUT`` (since 2.0).\n"
    # The upgrade report: the deprecation's own words again.
    status, out, _ = run(capsys, "upgrade", config, "--from", "v1.0", "--to", "v2.0",
                         "--snapshots", root / "snapshots", "--dry-run")
    assert f"{config}:1: [to do] LMS_TIMEOUT was deprecated in v2.0: Use HTTP_TIMEOUT; stop " \
        "setting it" in out.splitlines()


@pytest.mark.parametrize("defaults", [TOP_LEVEL, NESTED], ids=["top-level", "nested"])
def test_history_notes_show_a_deprecation_once(make_app, tmp_path, capsys, defaults):
    """With the history's notes in the reference, the doc's own deprecation is one of them,
    nested or not: shown once, and a note that held only it is gone."""
    root = releases(tmp_path, capsys, defaults)
    src = tmp_path / "src"
    src.mkdir()
    shutil.copytree(root / "v2.0" / "settings", src / "settings")
    shutil.copytree(root / "snapshots", src / "snapshots")
    (src / "conf.py").write_text('extensions = ["opsdocs"]\n'
                                 'opsdocs_changelog_snapshots = "snapshots"\n'
                                 "opsdocs_history_notes = True\n")
    (src / "index.rst").write_text("Settings\n========\n\n.. settings-reference:: settings\n")
    app = make_app("html", srcdir=src)
    app.build()
    assert own_warnings(app) == ""
    entry = next(e for e in app.env.get_doctree("index").findall(setting_entry)
                 if e["name"] == "LMS_TIMEOUT")
    assert [n.astext() for n in entry.findall(addnodes.versionmodified)] == [
        "Deprecated since version 2.0: Use HTTP_TIMEOUT."]
    assert not list(entry.findall(nodes.note))
