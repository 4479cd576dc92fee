"""Release notes: ``opsdocs notes`` and ``.. release-notes::`` on an Open edX-shaped
repository across the flattening of FEATURES, as a reader sees them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from docutils import nodes

from opsdocs.changelog.release_notes import group_changes, service_changes
from opsdocs.changelog.toggle_changes import ToggleFacts, diff_toggles, toggles_from_json
from opsdocs.cli import main
from opsdocs.settings.reader import catalog_from_sources
from tests.changelog.openedx import TEAK, TEAKS_LMS, ULMO, make_openedx
from tests.changelog.repository import git
from tests.helpers import ROOTS, own_warnings

OLD, NEW = "open-release/teak.1", "open-release/ulmo.1"
SERVICES = ["--service", "LMS=lms/envs/common.py", "--service", "CMS=cms/envs/common.py"]

NOTES = """\
Settings and toggles
--------------------

Changes from ``open-release/teak.1`` to ``open-release/ulmo.1``. What LMS and CMS share \
is listed once, under all of their names.

- LMS: settings: 1 added, 3 removed, 2 renamed, 2 changed; toggles: 1 added, 1 renamed, \
1 past due.
- CMS: settings: 1 added, 3 removed, 1 renamed, 1 changed; toggles: 1 renamed.

LMS and CMS
~~~~~~~~~~~

Settings
^^^^^^^^

- Added ``LEARNER_HOME_URL``, default ``None``. Where the learner's home page is served.
- Removed ``DEFAULT_JWT_ISSUER``.
- Removed ``FEATURES['ENABLE_OAUTH2_PROVIDER']``.
- Removed ``JWT_ISSUER``.
- Renamed (the code says so):

  - ``FEATURES['AUTOPLAY_VIDEOS']`` to ``AUTOPLAY_VIDEOS``

- ``FEATURES`` is no longer a dict of its own: ``FeaturesProxy(globals())`` makes each of \
its keys the top-level setting of that name (listed as renamed).

Toggles
^^^^^^^

- Renamed (the code says so):

  - ``FEATURES['ENABLE_TEAMS']`` to ``ENABLE_TEAMS``

LMS
~~~

Settings
^^^^^^^^

- Renamed (the code says so):

  - ``FEATURES['ENABLE_COURSE_HOME_REDIRECT']`` to ``ENABLE_COURSE_HOME_REDIRECT``, its \
default changed from ``True`` to ``False``

- Changed the default of ``REPORT_PAGES`` from ``10`` to ``20``.

Toggles
^^^^^^^

- Added ``USE_NEW_GRADER``, default ``False``. Grades with the new grader.
- ``USE_NEW_GRADER`` (DjangoSetting) is past its target removal date (2025-01-01).
"""


@pytest.fixture(scope="module")
def openedx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_openedx(tmp_path_factory.mktemp("openedx") / "repo")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_notes_of_two_services_across_the_flattening(openedx, capsys, monkeypatch) -> None:
    monkeypatch.chdir(openedx)
    assert run(capsys, "notes", OLD, NEW, *SERVICES) == (0, NOTES, "")


def test_markdown_links_each_name_the_new_release_has(openedx, capsys, monkeypatch) -> None:
    monkeypatch.chdir(openedx)
    status, out, _ = run(capsys, "notes", OLD, NEW, *SERVICES, "--format", "markdown",
                         "--link", "https://docs.example.com/{service}.html#setting-{name}")
    assert status == 0
    lines = out.splitlines()
    assert lines[:2] == ["## Settings and toggles", ""]
    assert "  - `FEATURES['AUTOPLAY_VIDEOS']` to [`AUTOPLAY_VIDEOS`]" \
        "(https://docs.example.com/lms.html#setting-AUTOPLAY_VIDEOS)" in lines
    assert "- Removed `JWT_ISSUER`." in lines  # gone: nothing to link to
    assert "### LMS and CMS" in lines and "#### Toggles" in lines


def test_roles_link_to_the_reference_in_rst(openedx, capsys, monkeypatch) -> None:
    monkeypatch.chdir(openedx)
    _, out, _ = run(capsys, "notes", OLD, NEW, *SERVICES, "--roles")
    assert "  - ``FEATURES['ENABLE_TEAMS']`` to :setting:`ENABLE_TEAMS`" in out.splitlines()


def test_json_counts_and_groups(openedx, capsys, monkeypatch) -> None:
    monkeypatch.chdir(openedx)
    _, out, _ = run(capsys, "notes", OLD, NEW, *SERVICES, "--format", "json")
    data = json.loads(out)
    assert (data["format"], data["services"]) == ("opsdocs-release-notes", ["LMS", "CMS"])
    assert data["counts"]["CMS"] == {"settings added": 1, "settings removed": 3,
                                     "settings renamed": 1, "settings flattened": 1,
                                     "toggles renamed": 1}
    assert [group["services"] for group in data["groups"]] == [["LMS", "CMS"], ["LMS"]]
    added = data["groups"][0]["settings"][0]
    assert (added["kind"], added["name"], added["description"]) == (
        "added", "LEARNER_HOME_URL", "Where the learner's home page is served.")


def test_no_secret_value_in_any_form(openedx, capsys, monkeypatch) -> None:
    monkeypatch.chdir(openedx)
    for form in ("rst", "markdown", "json"):
        _, out, err = run(capsys, "notes", OLD, NEW, *SERVICES, "--format", form)
        assert "-secret" not in out + err


def test_a_service_missing_at_one_release_is_left_out_with_a_located_message(
        tmp_path, capsys, monkeypatch) -> None:
    studio = "from openedx.envs.common import *  # noqa\n\n#: Studio's own.\nSTUDIO = 1\n"
    root = make_openedx(tmp_path / "repo", {"teak.1": TEAK, "ulmo.1": {
        **ULMO, "studio/envs/common.py": studio}})
    monkeypatch.chdir(root)
    status, out, err = run(capsys, "notes", OLD, NEW, *SERVICES, "--service",
                           "Studio=studio/envs/common.py", "--service", "Gone=gone/common.py")
    assert status == 1
    assert out == NOTES  # the rest of the notes is made
    assert err.splitlines() == [
        "studio/envs/common.py: Studio: no settings at open-release/teak.1 "
        "(studio/envs/common.py is not there): its notes are left out; give the settings "
        "module it had then, or leave the service out",
        "gone/common.py: Gone: settings 'gone/common.py' not found: give a settings package "
        "(the directory that holds required.py and defaults.py), a settings module file, or "
        "a dotted module path found on sys.path; its notes are left out"]


def test_a_file_that_does_not_parse_at_the_old_tag(tmp_path, capsys, monkeypatch) -> None:
    broken = TEAKS_LMS.replace("JWT_ISSUER = ", "JWT_ISSUER = (")
    root = make_openedx(tmp_path / "repo", {"teak.1": {**TEAK, "lms/envs/common.py": broken},
                                            "ulmo.1": ULMO})
    monkeypatch.chdir(root)
    status, out, err = run(capsys, "notes", OLD, NEW, *SERVICES)
    assert status == 1
    assert err.startswith("open-release/teak.1:lms/envs/common.py:")
    assert "LMS at open-release/teak.1: " in err and "its notes are left out" in err
    assert "- CMS: settings: 1 added, 3 removed, 1 renamed, 1 changed; toggles: 1 renamed." \
        in out.splitlines()
    assert "LMS" not in out.replace("LMS_", "")


def test_a_shallow_clone_says_what_to_do(openedx, tmp_path, capsys, monkeypatch) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{openedx}", str(clone))
    monkeypatch.chdir(clone)
    status, _, err = run(capsys, "notes", OLD, NEW, *SERVICES)
    assert status == 1
    assert "unknown git ref 'open-release/teak.1'" in err
    assert "--unshallow" in err


def test_toggles_of_the_code_plug_in(openedx, tmp_path, capsys, monkeypatch) -> None:
    def toggles(*items: dict[str, object]) -> Path:
        path = tmp_path / f"toggles-{len(list(tmp_path.iterdir()))}.json"
        path.write_text(json.dumps({"toggles": list(items), "problems": [], "today": "x"}))
        return path

    flag = {"name": "grades.new_ui", "implementation": "WaffleFlag", "default": "False",
            "description": "Shows the new grades page.", "temporary": True,
            "target_removal_date": "2024-06-01"}
    old = toggles(flag, {"name": "legacy.switch", "implementation": "WaffleSwitch"},
                  {"name": "ENABLE_TEAMS", "setting": "ENABLE_TEAMS",
                   "implementation": "DjangoSetting"})
    new = toggles({**flag, "default": "True"},
                  {"name": "teams.enabled", "implementation": "CourseWaffleFlag",
                   "description": "Teams for one course.", "default": "False"})
    monkeypatch.chdir(openedx)
    _, out, _ = run(capsys, "notes", OLD, NEW, "--service", "LMS=lms/envs/common.py",
                    "--toggles", "LMS", str(old), str(new))
    toggles_part = out[out.index("Toggles\n^^^^^^^"):].splitlines()
    assert toggles_part[3:] == [
        "- Added ``USE_NEW_GRADER``, default ``False``. Grades with the new grader.",
        "- Renamed (the code says so):",
        "",
        "  - ``FEATURES['ENABLE_TEAMS']`` to ``ENABLE_TEAMS``",
        "",
        "- Added ``teams.enabled`` (CourseWaffleFlag), default ``False``. Teams for one course.",
        "- Removed ``legacy.switch`` (WaffleSwitch).",
        "- Changed the default of ``grades.new_ui`` (WaffleFlag) from ``False`` to ``True``.",
        "- ``USE_NEW_GRADER`` (DjangoSetting) is past its target removal date (2025-01-01).",
        "- ``grades.new_ui`` (WaffleFlag) is past its target removal date (2024-06-01).",
    ]


def test_a_toggles_file_that_is_not_one(openedx, tmp_path, capsys, monkeypatch) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"settings": []}')
    monkeypatch.chdir(openedx)
    status, out, err = run(capsys, "notes", OLD, NEW, "--service", "LMS=lms/envs/common.py",
                           "--toggles", "LMS", str(bad), str(bad))
    assert status == 1
    assert err.startswith(f"{bad}: not the toggles of 'opsdocs toggles --format json'")
    assert "- Added ``USE_NEW_GRADER``" in out


def test_what_services_share_is_listed_once() -> None:
    old = catalog_from_sources("settings", {"defaults.py": "#: A.\nA = 1\n#: B.\nB = [1, 2]\n"})
    lms = catalog_from_sources("settings", {"defaults.py": "#: A.\nA = 2\n#: B.\nB = [2, 3]\n"})
    cms = catalog_from_sources("settings", {"defaults.py": "#: A.\nA = 2\n#: B.\nB = [2, 4]\n"})
    groups = group_changes([service_changes("LMS", old, lms), service_changes("CMS", old, cms)])
    assert [(g.services, [(c.kind, c.name, [p.kind for p in getattr(c, "parts", ())])
                          for c in g.settings]) for g in groups] == [
        (("LMS", "CMS"), [("default", "A", []), ("default", "B", ["item-removed"])]),
        (("LMS",), [("default", "B", ["item-added"])]),
        (("CMS",), [("default", "B", ["item-added"])]),
    ]


def test_toggles_diff_and_the_readers_json() -> None:
    facts = toggles_from_json({"toggles": [
        {"name": "a.flag", "implementation": None, "documented_implementation": "WaffleFlag",
         "default": None, "documented_default": "True", "temporary": True,
         "target_removal_date": "None"},
        {"name": 3}, "not a toggle"]})
    assert facts == (ToggleFacts("a.flag", implementation="WaffleFlag", default="True", temporary=True),)
    assert diff_toggles(facts, ()) == diff_toggles(facts, (), None)
    assert [c.kind for c in diff_toggles(facts, ())] == ["removed"]


INDEX = """\
Release notes
=============

.. release-notes:: open-release/teak.1 open-release/ulmo.1
   :date: 2026-01-01

   LMS: repo/lms/envs/common.py
   CMS: repo/cms/envs/common.py
   LMS toggles: teak.json ulmo.json
   this line is wrong

Reference
=========

.. settings-reference:: repo/lms/envs/common.py
   :no-index:
"""


def test_the_directive_writes_linked_sections(make_app, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-changelog", src)
    make_openedx(src / "repo")
    (src / "index.rst").write_text(INDEX.replace("   :no-index:\n", ""))
    for name in ("teak.json", "ulmo.json"):
        (src / name).write_text('{"toggles": []}')
    app = make_app("html", srcdir=src)
    app.build()
    warnings = own_warnings(app)
    assert "index.rst:10: WARNING: 'this line is wrong' is neither 'NAME: PATH'" in warnings
    doctree = app.env.get_doctree("index")
    titles = [s[0].astext() for s in doctree.findall(nodes.section)
              if "opsdocs-release-notes" in s["classes"]]
    assert titles == ["LMS and CMS", "LMS"]
    html = (app.outdir / "index.html").read_text()
    assert 'href="#setting-AUTOPLAY_VIDEOS"' in html  # linked to the reference
    assert "past its target removal date (2025-01-01)" in html
    counts = [item.astext() for item in doctree.findall(nodes.list_item)][:2]
    assert counts == ["LMS: settings: 1 added, 3 removed, 2 renamed, 2 changed; toggles: "
                      "1 added, 1 renamed, 1 past due.",
                      "CMS: settings: 1 added, 3 removed, 1 renamed, 1 changed; toggles: "
                      "1 renamed."]
    assert "<code class=\"xref std std-setting docutils literal notranslate\"><span " \
        "class=\"pre\">JWT_ISSUER</span></code>" not in html.split("Removed", 1)[0]


def test_the_directive_refuses_a_toggles_file_that_is_not_one(make_app, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-changelog", src)
    make_openedx(src / "repo")
    (src / "index.rst").write_text(INDEX.replace("   this line is wrong\n", ""))
    (src / "teak.json").write_text('{"settings": []}')
    (src / "ulmo.json").write_text('{"toggles": [{"name": "teams.enabled"}]}')
    app = make_app("html", srcdir=src)
    app.build()
    assert f"index.rst:9: WARNING: {src / 'teak.json'}: not the toggles of 'opsdocs " \
        "toggles --format json' (no \"toggles\" list): write it with that command at each " \
        "release" in own_warnings(app)
    assert "teams.enabled" not in (app.outdir / "index.html").read_text()
