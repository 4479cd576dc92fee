"""The settings-changelog and upgrade-guide directives and the reference's notes, as a
reader sees them."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from sphinx import addnodes

from opsdocs.cli import main
from opsdocs.settings.nodes import setting_entry
from tests.changelog.repository import PACKAGE, UNRELEASED_DEFAULTS, git, make_repository
from tests.changelog.upgrades import SECRET, TOKEN, V1, V2, V3
from tests.helpers import ROOTS, own_warnings, typed


def project(tmp_path: Path, root: str = "test-changelog", index: str | None = None,
            repository: bool = True) -> Path:
    """A copy of a test root; with the git repository of tests/changelog/repository.py in repo/."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / root, src)
    if repository:
        make_repository(src / "repo")
    if index is not None:
        (src / "index.rst").write_text(index)
    return src


def release_sections(doctree: nodes.Node) -> dict[str, nodes.section]:
    return {section[0].astext(): section for section in doctree.findall(nodes.section)
            if "opsdocs-changelog-release" in section["classes"]}


def items(section: nodes.section) -> list[str]:
    return [item.astext() for item in section.findall(nodes.list_item)]


def warnings(app) -> list[str]:
    return [line for line in own_warnings(app).splitlines() if line.strip()]


def test_a_section_per_release_newest_first(make_app, tmp_path: Path) -> None:
    src = project(tmp_path)
    (src / "repo" / PACKAGE / "defaults.py").write_text(UNRELEASED_DEFAULTS)
    app = make_app("html", srcdir=src)
    app.build()
    sections = release_sections(app.env.get_doctree("index"))
    assert list(sections) == ["Unreleased", "v0.10", "v0.4", "v0.3", "v0.2", "v0.1"]
    assert items(sections["Unreleased"]) == ['Added BRAND_NEW, default 1.']
    assert items(sections["v0.3"]) == [
        "Added FEATURE_X, default False.",
        "Removed DEBUG.",
        "Renamed OLD_QUEUE to QUEUE (same value and description).",
        "DATABASE_URL is no longer required (moved from required.py to defaults.py), default "
        "'sqlite:///db.sqlite3'.",
        "Changed the default of TIMEOUT from 5 to 10.",
        "Removed the type annotation of DATABASE_URL (was str).",
        "Annotated LOG_LEVEL as str.",
        "Changed the documentation of CACHE_TTL.",
    ]
    assert sections["v0.4"][1].astext() == "The settings of this release could not be read."
    assert sections["v0.2"][1].astext() == (
        "The settings package first appears in this release, with 7 settings.")
    assert sections["v0.1"][1].astext() == "No settings package in this release."
    # The one problem is the broken file at v0.4, located in it; nitpicky finds no bad link.
    assert warnings(app) == typed([
        f"v0.4:{PACKAGE}/defaults.py:2: WARNING: syntax error: '(' was never closed; fix the "
        "file so that Python can import it [opsdocs.syntax]"])


def test_a_broken_working_tree_warns_once_for_reference_and_changelog(make_app,
                                                                      tmp_path) -> None:
    src = project(tmp_path)
    (src / "repo" / PACKAGE / "defaults.py").write_text("#: Broken.\nTIMEOUT = (\n")
    app = make_app("html", srcdir=src)
    app.build()
    broken = src / "repo" / PACKAGE / "defaults.py"
    assert [line for line in warnings(app) if line.startswith(str(broken))] == typed([
        f"{broken}:2: WARNING: syntax error: '(' was never closed; fix the file so that "
        "Python can import it [opsdocs.syntax]"])
    unreleased = release_sections(app.env.get_doctree("index"))["Unreleased"]
    assert unreleased[1].astext() == "The settings of this release could not be read."


def html_section(html: str, release: str) -> str:
    start = html.index(f'id="settings-changelog-{release}"')
    end = html.find("<section", start)
    return html[start:end if end != -1 else None]


def test_settings_link_to_the_reference_and_removed_ones_do_not(make_app, tmp_path) -> None:
    app = make_app("html", srcdir=project(tmp_path))
    app.build()
    section = html_section((app.outdir / "index.html").read_text(), "v0.3")
    linked = set(re.findall(r'<a class="reference internal" href="#setting-(\w+)"', section))
    assert linked == {"FEATURE_X", "QUEUE", "DATABASE_URL", "TIMEOUT", "LOG_LEVEL", "CACHE_TTL"}
    assert 'Removed <code class="docutils literal notranslate"><span class="pre">DEBUG' in section


def test_without_a_reference_settings_stay_plain_and_quiet(make_app, tmp_path) -> None:
    index = f"Changes\n=======\n\n.. settings-changelog:: repo/{PACKAGE}\n   :since: v0.3\n"
    app = make_app("html", srcdir=project(tmp_path, index=index))
    app.build()
    html = (app.outdir / "index.html").read_text()
    assert "FEATURE_X" in html and 'href="#setting-' not in html
    assert [w for w in warnings(app) if "v0.4:" not in w] == []


@pytest.mark.parametrize("reference", [True, False])
def test_a_setting_in_a_snapshot_s_default_text_links_only_when_documented(
        make_app, tmp_path, reference: bool) -> None:
    """A ``:default:`` text's :setting: links to the reference; a setting no page documents
    is a plain name, without a warning (the root is nitpicky)."""
    src = project(tmp_path, "test-changelog-snapshots", repository=False)
    snapshot = src / "snapshots" / "v1.10.json"
    data = json.loads(snapshot.read_text())
    flag = next(setting for setting in data["settings"] if setting["name"] == "FLAG")
    flag["default_display"] = ":setting:`TIMEOUT` over 10, or :setting:`UNDOCUMENTED_URL`"
    snapshot.write_text(json.dumps(data))
    if not reference:
        (src / "index.rst").write_text(
            "Changes\n=======\n\n.. settings-changelog:: settings\n   :snapshots: snapshots\n")
    app = make_app("html", srcdir=src)
    app.build()
    assert warnings(app) == []
    assert items(release_sections(app.env.get_doctree("index"))["v1.10"]) == [
        "Added FLAG, default True (TIMEOUT over 10, or UNDOCUMENTED_URL)."]
    section = html_section((app.outdir / "index.html").read_text(), "v1.10")
    linked = re.findall(r'<a class="reference internal" href="#setting-(\w+)"', section)
    assert linked == (["FLAG", "TIMEOUT"] if reference else [])
    assert '<span class="pre">UNDOCUMENTED_URL</span></code>' in section


@pytest.mark.parametrize(("options", "expected"), [
    (":since: v0.3", ["Unreleased", "v0.10", "v0.4", "v0.3"]),
    (":since: v0.3\n   :no-unreleased:", ["v0.10", "v0.4", "v0.3"]),
    (":releases: v0.2, v0.3\n   :no-unreleased:", ["v0.3", "v0.2"]),
    (":tags: v0.1*\n   :no-unreleased:", ["v0.10", "v0.1"]),
])
def test_options(make_app, tmp_path, options: str, expected: list[str]) -> None:
    src = project(tmp_path, index=f"T\n=\n\n.. settings-changelog:: repo/{PACKAGE}\n   {options}\n")
    (src / "repo" / PACKAGE / "defaults.py").write_text(UNRELEASED_DEFAULTS)
    app = make_app("html", srcdir=src)
    app.build()
    assert list(release_sections(app.env.get_doctree("index"))) == expected


def test_the_tag_pattern_is_a_config_value(make_app, tmp_path) -> None:
    app = make_app("html", srcdir=project(tmp_path),
                   confoverrides={"opsdocs_changelog_tags": "v0.2*"})
    app.build()
    assert list(release_sections(app.env.get_doctree("index"))) == ["Unreleased", "v0.2"]


def version_notes(row: nodes.Node) -> list[tuple[str, str]]:
    return [(node["type"], node["version"]) for node in row.findall(addnodes.versionmodified)]


def reference_rows(doctree: nodes.Node) -> dict[str, nodes.Element]:
    """The settings reference's entries, by setting name."""
    return {entry["name"]: entry for entry in doctree.findall(setting_entry)}


def test_reference_notes_new_in_and_changed_in(make_app, tmp_path) -> None:
    src = project(tmp_path)
    (src / "repo" / PACKAGE / "defaults.py").write_text(UNRELEASED_DEFAULTS)
    app = make_app("html", srcdir=src, confoverrides={"opsdocs_history_notes": True})
    app.build()
    rows = reference_rows(app.env.get_doctree("index"))
    notes = {name: version_notes(row) for name, row in rows.items()}
    assert notes["FEATURE_X"] == [("versionadded", "0.3")]
    # One line per release that changed it, saying what changed.
    assert notes["TIMEOUT"] == [("versionadded", "0.2"), ("versionchanged", "0.3"),
                                ("versionchanged", "0.10")]
    texts = [node.astext() for node in rows["TIMEOUT"].findall(addnodes.versionmodified)]
    assert texts[1:] == [
        "Changed in version 0.3: Changed the default of TIMEOUT from 5 to 10.",
        "Changed in version 0.10: TIMEOUT is now required (moved from defaults.py to "
        "required.py). Annotated TIMEOUT as int."]
    assert notes["QUEUE"] == [("versionadded", "0.2"), ("versionchanged", "0.3")]
    assert notes["REDIS_URL"] == [("versionadded", "0.10")]  # the doc's own, not repeated
    assert notes["BRAND_NEW"] == []  # unreleased: no version yet
    # The doc's deprecation stays, after the history's notes: added, changed, deprecated.
    assert notes["CACHE_TTL"][0] == ("versionadded", "0.2")
    assert notes["CACHE_TTL"][-1] == ("deprecated", "0.10")
    # The same history serves both directives: the one warning is not repeated.
    assert app.warning.getvalue().count("v0.4:") == 1


def test_reference_notes_are_off_by_default(make_app, tmp_path) -> None:
    app = make_app("html", srcdir=project(tmp_path))
    app.build()
    rows = reference_rows(app.env.get_doctree("index"))
    assert version_notes(rows["FEATURE_X"]) == []


def test_from_snapshots(app_from_snapshots) -> None:
    app = app_from_snapshots
    app.build()
    sections = release_sections(app.env.get_doctree("index"))
    assert list(sections) == ["Unreleased", "v1.10", "v1.2", "v1.0"]
    assert items(sections["Unreleased"]) == ["Added EXTRA, default [].",
                                             "Deprecated FLAG (since 1.11)."]
    assert items(sections["v1.10"]) == ["Added FLAG, default True."]
    assert items(sections["v1.2"]) == ["Changed the default of TIMEOUT from 5 to 10."]
    assert sections["v1.0"][1].astext() == "The oldest release shown: 3 settings."
    assert warnings(app) == []


@pytest.fixture
def app_from_snapshots(make_app, tmp_path):
    return make_app("html", srcdir=project(tmp_path, "test-changelog-snapshots",
                                           repository=False))


def test_a_newer_snapshot_warns_and_the_rest_renders(make_app, tmp_path) -> None:
    src = project(tmp_path, "test-changelog-snapshots", repository=False)
    newer = src / "snapshots" / "v1.2.json"
    data = json.loads(newer.read_text())
    data["version"] = 99
    newer.write_text(json.dumps(data, indent=2))
    app = make_app("html", srcdir=src)
    app.build()
    sections = release_sections(app.env.get_doctree("index"))
    assert list(sections) == ["Unreleased", "v1.10", "v1.2", "v1.0"]
    assert sections["v1.2"][1].astext() == "The settings of this release could not be read."
    assert items(sections["v1.10"]) == ["Added FLAG, default True.",
                                        "Changed the default of TIMEOUT from 5 to 10."]
    assert warnings(app) == typed([
        f"{newer}:3: WARNING: snapshot format version 99 is newer than this opsdocs understands "
        "(2); upgrade opsdocs [opsdocs.snapshot]"])


def test_snapshots_from_the_configuration(make_app, tmp_path) -> None:
    src = project(tmp_path, "test-changelog-snapshots", repository=False,
                  index="T\n=\n\n.. settings-changelog:: settings\n")
    app = make_app("html", srcdir=src, confoverrides={"opsdocs_changelog_snapshots": "snapshots"})
    app.build()
    assert next(iter(release_sections(app.env.get_doctree("index")))) == "Unreleased"
    assert warnings(app) == []


def test_not_a_repository_warns_at_the_directive(make_app, tmp_path) -> None:
    src = project(tmp_path, repository=False)
    (src / "repo" / PACKAGE).mkdir(parents=True)
    (src / "repo" / PACKAGE / "defaults.py").write_text("#: X.\nX = 1\n")
    (src / "repo" / PACKAGE / "required.py").write_text("")
    app = make_app("html", srcdir=src)
    app.build()
    [warning] = warnings(app)
    assert warning.startswith(
        f"{src / 'index.rst'}:12: WARNING: cannot read the settings history: "
        f"{src / 'repo' / PACKAGE} is not in a git repository (fatal: not a git repository")
    assert warning.endswith(typed(["read snapshots written by 'opsdocs snapshot' instead "
                                   "[opsdocs.git]"])[0])
    assert "X" in reference_rows(app.env.get_doctree("index"))  # the rest of the page is there


def test_unknown_ref_warns_and_the_rest_renders(make_app, tmp_path) -> None:
    index = (f"T\n=\n\n.. settings-changelog:: repo/{PACKAGE}\n"
             "   :releases: v0.2 v9 v0.3\n   :no-unreleased:\n")
    app = make_app("html", srcdir=project(tmp_path, index=index))
    app.build()
    assert list(release_sections(app.env.get_doctree("index"))) == ["v0.3", "v0.2"]
    assert warnings(app) == typed([
        f"{app.srcdir / 'index.rst'}:4: WARNING: unknown git ref 'v9': check the name "
        "('git tag --list' shows the tags) [opsdocs.git]"])


def test_a_shallow_clone_warns_with_advice(make_app, tmp_path) -> None:
    origin = make_repository(tmp_path / "origin")
    src = project(tmp_path, repository=False)
    git(src, "clone", "-q", "--depth", "1", f"file://{origin.parent.parent}", "repo")
    app = make_app("html", srcdir=src)
    app.build()
    assert list(release_sections(app.env.get_doctree("index"))) == ["v0.10"]
    [warning] = warnings(app)
    assert "git tags matching 'v*' may be missing (found 1): this is a shallow clone" in warning
    assert "'git fetch --tags --unshallow'" in warning and "snapshots" in warning


def test_rebuilds_read_nothing_until_a_tag_or_file_changes(make_app, tmp_path) -> None:
    src = project(tmp_path)
    app = make_app("html", srcdir=src)
    app.build()
    assert (Path(app.doctreedir) / "opsdocs-settings-history.pickle").is_file()

    again = make_app("html", srcdir=src, freshenv=False)
    again.build()
    assert "0 added, 0 changed, 0 removed" in again._status.getvalue()

    repo = src / "repo"
    (repo / PACKAGE / "defaults.py").write_text(UNRELEASED_DEFAULTS)
    git(repo, "commit", "-q", "-am", "Release v0.11")
    git(repo, "tag", "v0.11")
    tagged = make_app("html", srcdir=src, freshenv=False)
    tagged.build()
    assert "1 changed" in tagged._status.getvalue()
    sections = release_sections(tagged.env.get_doctree("index"))
    assert list(sections)[:2] == ["v0.11", "v0.10"]
    assert items(sections["v0.11"]) == ["Added BRAND_NEW, default 1."]
    assert "v0.4:" in tagged.warning.getvalue()  # a page read again warns again


def test_parallel_build_gives_the_same_changelog(make_app, tmp_path) -> None:
    outputs = []
    for jobs in (1, 2):
        src = project(tmp_path / f"j{jobs}")
        (src / "other.rst").write_text(
            f"Other\n=====\n\n.. settings-changelog:: repo/{PACKAGE}\n   :no-unreleased:\n")
        (src / "index.rst").write_text(
            (src / "index.rst").read_text() + "\n.. toctree::\n\n   other\n")
        app = make_app("text", srcdir=src, parallel=jobs)
        app.build()
        outputs.append((app.outdir / "other.txt").read_text())
    assert outputs[0] == outputs[1]
    assert "v0.10" in outputs[0]


def test_no_git_executable_warns_at_the_directive(make_app, tmp_path, monkeypatch) -> None:
    app = make_app("html", srcdir=project(tmp_path))
    monkeypatch.setenv("PATH", "")
    app.build()
    assert warnings(app) == typed([
        f"{app.srcdir / 'index.rst'}:12: WARNING: cannot read the settings history: git is "
        "not installed (or not on PATH); install git, or commit snapshots written by "
        "'opsdocs snapshot' and read those [opsdocs.git]"])
    assert "SECRET_KEY" in reference_rows(app.env.get_doctree("index"))


def test_an_empty_snapshot_directory_warns(make_app, tmp_path) -> None:
    src = project(tmp_path, "test-changelog-snapshots", repository=False)
    for path in (src / "snapshots").iterdir():
        path.unlink()
    app = make_app("html", srcdir=src)
    app.build()
    assert warnings(app) == typed([
        f"{src / 'index.rst'}:12: WARNING: no snapshots matching 'v*' in {src / 'snapshots'}: "
        "write one per release with 'opsdocs snapshot SETTINGS -o DIR/VERSION.json' "
        "[opsdocs.snapshot]"])


def test_one_git_batch_process_per_build(make_app, tmp_path, monkeypatch) -> None:
    import subprocess

    src = project(tmp_path)
    (src / "other.rst").write_text(
        f"Other\n=====\n\n.. settings-changelog:: repo/{PACKAGE}\n   :since: v0.3\n")
    (src / "index.rst").write_text((src / "index.rst").read_text() + "\n.. toctree::\n\n   other\n")
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def popen(args, *rest, **kwargs):
        started.append(list(args))
        return real_popen(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    app = make_app("html", srcdir=src, confoverrides={"opsdocs_history_notes": True})
    app.build()
    # Three histories (the notes, two changelogs), one process reading them all.
    assert [args for args in started if "cat-file" in args] == [["git", "cat-file", "--batch"]]
    assert list(release_sections(app.env.get_doctree("other")))[-1] == "v0.3"


def test_a_default_changed_by_a_later_statement_is_a_change(make_app, tmp_path) -> None:
    """The changelog compares the default the code gives (after ``.append``, ``[k] =``),
    not the first assignment's text."""
    src = project(tmp_path, repository=False, index="Changes\n=======\n\n"
                  ".. settings-changelog:: repo/service/settings\n")
    defaults = ("#: Queues to consume.\nQUEUES = ['default']\nQUEUES.append('{}')\n\n"
                "#: Limits.\nLIMITS = {{'a': 1}}\nLIMITS['b'] = {}\n")
    make_repository(src / "repo", {
        "v1": {"required.py": "", "defaults.py": defaults.format("high", 2)},
        "v2": {"required.py": "", "defaults.py": defaults.format("low", 3)},
        # the same defaults written at once: nothing changed for an operator
        "v3": {"required.py": "", "defaults.py": "#: Queues to consume.\n"
               "QUEUES = ['default', 'low']\n\n#: Limits.\nLIMITS = {'a': 1, 'b': 3}\n"},
    })
    app = make_app("html", srcdir=src)
    app.build()
    sections = release_sections(app.env.get_doctree("index"))
    assert items(sections["v2"]) == [
        "Changed the default of LIMITS:\n\n['b'] changed from 2 to 3", "['b'] changed from 2 to 3",
        "Changed the default of QUEUES:\n\n[1] changed from 'high' to 'low'",
        "[1] changed from 'high' to 'low'",
    ]
    assert sections["v3"][1].astext() == "No changes to settings."
    assert not warnings(app)


# -- The upgrade guide --------------------------------------------------------------------


GUIDE_INDEX = """\
Upgrading
=========

.. upgrade-guide:: repo/service/settings
   :no-unreleased:
"""


def built_guide(make_app: Any, tmp_path: Path, builder: str) -> Any:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-changelog", src)
    make_repository(src / "repo", {"v1": V1, "v2": V2, "v3": V3})
    (src / "index.rst").write_text(GUIDE_INDEX)
    app = make_app(builder, srcdir=src)
    app.build()
    assert own_warnings(app) == ""
    return app


def test_the_guide_page_lists_each_release_s_steps_in_order(make_app, tmp_path: Path) -> None:
    app = built_guide(make_app, tmp_path, "text")
    text = (app.outdir / "index.txt").read_text()
    assert SECRET not in text and TOKEN not in text
    assert text == GUIDE


GUIDE = """\
Upgrading
*********


Upgrading to v3
===============

From v2, in this order:

1. **Settings renamed, removed or deprecated**: rename or remove these
   keys in the config file ("opsdocs upgrade --fix" does it).

   * Renamed "QUEUE" to "TASK_QUEUE" (same value and description).

What this release means for one config file, at its lines (run at the
top of the repository): "opsdocs upgrade CONFIG --from v2 --to v3
--settings service/settings".


Upgrading to v2
===============

From v1, in this order:

1. **Settings newly required**: add them to the config file before
   deploying; the service refuses to start without them.

   * Added "DB_URL" (required).

   * "BROKER_URL" is now required (moved from defaults.py to
     required.py).

2. **Settings renamed, removed or deprecated**: rename or remove these
   keys in the config file ("opsdocs upgrade --fix" does it).

   * Removed "API_TOKEN".

   * Removed "DEBUG".

   * Renamed "OLD_QUEUE" to "QUEUE" (same value and description).

   * Deprecated "RETENTION_DAYS" (since 2.0).

3. **Defaults and types changed**: where the config file leaves one
   unset, the new value applies; set the old one to keep it, and check
   the values it sets against the new types.

   * Changed the default of "FEATURES":

     * "['C']" added: "False"

     * "['B']" changed from "False" to "True"

   * Changed the default of "LEVEL" from "'INFO'" to "20".

   * Changed the default of "TIMEOUT" from "5" to "10".

   * Annotated "BROKER_URL" as "str".

   * Annotated "LEVEL" as "int".

What this release means for one config file, at its lines (run at the
top of the repository): "opsdocs upgrade CONFIG --from v1 --to v2
--settings service/settings".
"""


def test_the_guide_s_commands_stay_literal_in_html(make_app, tmp_path: Path) -> None:
    # SmartQuotes would make '--fix' an en dash in prose: the command is code.
    app = built_guide(make_app, tmp_path, "html")
    html = (app.outdir / "index.html").read_text()
    assert ('<code class="docutils literal notranslate"><span class="pre">opsdocs</span> '
            '<span class="pre">upgrade</span> <span class="pre">--fix</span></code> does it'
            in html)
    assert "\u2013fix" not in html  # the en dash SmartQuotes makes of --


def guide_commands(app: Any) -> list[str]:
    return [literal.astext() for literal in app.env.get_doctree("index").findall(nodes.literal)
            if literal.astext().startswith("opsdocs upgrade CONFIG")]


@pytest.mark.parametrize(("snapshots", "tags"), [(True, None), (False, None), (False, "v[0-9]*")])
def test_the_guide_s_command_runs_as_printed(make_app, tmp_path, monkeypatch, capsys,
                                             snapshots: bool, tags: str | None) -> None:
    """Run at the repository's top (else the docs' parent folder), each release's command
    reads the releases the guide read: snapshots, tags, settings as its options say."""
    if snapshots:
        src, top = project(tmp_path, "test-changelog-snapshots", repository=False), tmp_path
        index = "Upgrading\n=========\n\n.. upgrade-guide:: settings\n   :snapshots: snapshots\n"
    else:
        src = project(tmp_path, repository=False)
        top = src / "repo"
        make_repository(top, {"v1": V1, "v2": V2, "v3": V3})
        index = GUIDE_INDEX + (f"   :tags: {tags}\n" if tags else "")
    (src / "index.rst").write_text(index)
    app = make_app("text", srcdir=src)
    app.build()
    assert warnings(app) == []
    commands = guide_commands(app)
    assert commands and all(("--snapshots" in c) == snapshots for c in commands)
    assert all((f"--tags {shlex.quote(tags)}" in c) == bool(tags) for c in commands)
    config = tmp_path / "config.yml"
    config.write_text("SECRET_KEY: x\n")
    monkeypatch.chdir(top)
    for command in commands:
        status = main([str(config) if word == "CONFIG" else word
                       for word in shlex.split(command)[1:]])
        out, err = capsys.readouterr()
        assert (status in (0, 1), err) == (True, ""), command
        assert out.startswith(f"Upgrading {config} from "), command
