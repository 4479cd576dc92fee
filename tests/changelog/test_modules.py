"""The settings changelog of a settings module (``lms/envs/common.py``), at git tags: the
module and what it star-imports at each tag, relative or absolute imports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docutils import nodes

from opsdocs.changelog.cache import ChangelogCache, read_changelog
from opsdocs.changelog.history import HistorySource, read_release
from opsdocs.cli import main
from tests.changelog.repository import git
from tests.helpers import warning_lines

RELEASES = {
    "v1": {"base.py": "#: Base.\nA = 1\nB = [1]\n",
           "common.py": "from .base import *\n#: C.\nC = 2\n"},
    "v2": {"base.py": "#: Base.\nA = 5\nB = [1]\n#: New.\nD = 1\n",
           "common.py": "from lms.envs.base import *\n#: C.\nC = 3\n"},
}


@pytest.fixture(scope="module")
def module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repository")
    envs = root / "lms" / "envs"
    envs.mkdir(parents=True)
    git(root, "init", "-q")
    for directory in (root / "lms", envs):
        (directory / "__init__.py").write_text("")
    for tag, files in RELEASES.items():
        for name, text in files.items():
            (envs / name).write_text(text)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"Release {tag}")
        git(root, "tag", tag)
    (envs / "common.py").write_text(RELEASES["v2"]["common.py"] + "#: Unreleased.\nE = 1\n")
    return envs / "common.py"


def test_releases_read_the_module_and_its_star_imports(module: Path) -> None:
    found = read_changelog(HistorySource(module))
    assert [e.name for e in reversed(found.entries)] == ["v1", "v2", "Unreleased"]
    assert found.entries[-1].settings == ("A", "B", "C")  # v1's module and what it imports
    releases = [read_release(ref, module) for ref in ("v1", "v2", ".")]
    assert [[s.name for s in r.catalog or ()] for r in releases] == [
        ["A", "B", "C"], ["A", "B", "D", "C"], ["A", "B", "D", "C", "E"]]
    v2 = releases[1].catalog
    assert v2 is not None and v2.get("A").file == "lms/envs/base.py"  # absolute import
    assert str(module.parent / "base.py") in found.dependencies


def test_diff_of_a_module_between_tags(module: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["diff", "v1", "v2", "--settings", str(module), "--format", "markdown"]) == 0
    assert capsys.readouterr().out.splitlines()[2:] == [
        "- Added `D`, default `1`.",
        "- Changed the default of `A` from `1` to `5`.",
        "- Changed the default of `C` from `2` to `3`.",
    ]
    assert main(["diff", "v2", ".", "--settings", str(module), "--format", "markdown"]) == 0
    assert "- Added `E`, default `1`." in capsys.readouterr().out


def test_snapshot_of_a_module(module: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "v2.json"
    assert main(["snapshot", "--settings", str(module), "-o", str(target)]) == 0
    assert '"file": "lms/envs/base.py"' in target.read_text()


def test_settings_imported_by_name_change_with_the_module_they_come_from(
        tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    for package in ("lms", "lms/envs", "cms", "cms/envs"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    git(tmp_path, "init", "-q")
    studio = tmp_path / "cms" / "envs" / "common.py"
    studio.write_text("from lms.envs.common import (\n    TIME_ZONE_AWARE,\n)\n#: S.\nS = 1\n")
    for tag, default in (("v1", "False"), ("v2", "True")):
        (tmp_path / "lms" / "envs" / "common.py").write_text(
            f"#: Aware.\nTIME_ZONE_AWARE = {default}\n#: Not imported.\nOTHER = 1\n")
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", f"Release {tag}")
        git(tmp_path, "tag", tag)
    found = read_changelog(HistorySource(studio))
    releases = [read_release(ref, studio) for ref in ("v1", "v2", ".")]
    assert [[(s.name, s.file.removeprefix(f"{tmp_path}/"), s.value) for s in r.catalog or ()]
            for r in releases] == [
        [("TIME_ZONE_AWARE", "lms/envs/common.py", "False"), ("S", "cms/envs/common.py", "1")],
        [("TIME_ZONE_AWARE", "lms/envs/common.py", "True"), ("S", "cms/envs/common.py", "1")],
        [("TIME_ZONE_AWARE", "lms/envs/common.py", "True"), ("S", "cms/envs/common.py", "1")]]
    assert str(tmp_path / "lms" / "envs" / "common.py") in found.dependencies
    assert main(["diff", "v1", "v2", "--settings", str(studio), "--format", "markdown"]) == 0
    assert capsys.readouterr().out.splitlines()[2:] == [
        "- Changed the default of `TIME_ZONE_AWARE` from `False` to `True`."]


# -- Folders without __init__.py: absolute star imports found on the search path ----------

PRODUCTION = "from service.settings.base import *\n#: X.\nX = 1\n"


def base_module(why: int, new: bool = False) -> str:
    return f"#: Debug.\nDEBUG = True\n#: Why.\nY = {why}\n" + ("#: New.\nZ = 1\n" if new else "")


@pytest.fixture
def namespace(tmp_path: Path) -> Path:
    """A repository whose settings folders have no ``__init__.py`` (namespace packages):
    ``service/settings/production.py`` star-imports ``service.settings.base``, found from
    the top of the repository; base.py changed at v2 and again in the working tree."""
    root = tmp_path / "repo"
    settings = root / "service" / "settings"
    settings.mkdir(parents=True)
    git(root, "init", "-q")
    (root / ".gitignore").write_text("_build/\n")
    (settings / "production.py").write_text(PRODUCTION)
    for tag, why in (("v1", 1), ("v2", 2)):
        (settings / "base.py").write_text(base_module(why))
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"Release {tag}")
        git(root, "tag", tag)
    (settings / "base.py").write_text(base_module(3, new=True))
    return root


def markdown_diff(capsys, *argv: str) -> list[str]:  # type: ignore[no-untyped-def]
    assert main(["diff", *argv, "--format", "markdown"]) == 0
    return capsys.readouterr().out.splitlines()[2:]


@pytest.mark.parametrize("settings", ["service/settings/production.py",
                                      "service.settings.production"])
def test_diff_finds_star_imports_on_the_search_path_at_tags(
        namespace: Path, monkeypatch, capsys, settings: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(namespace)  # the current directory is on the search path
    assert markdown_diff(capsys, "v1", "v2", "--settings", settings) == [
        "- Changed the default of `Y` from `1` to `2`."]


def test_diff_from_elsewhere_with_sys_path(namespace: Path, tmp_path: Path, monkeypatch,
                                           capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # outside the repository: ignored at a tag
    module = str(namespace / "service" / "settings" / "production.py")
    assert markdown_diff(capsys, "v1", "v2", "--settings", module) == [
        "No changes to settings."]
    assert markdown_diff(capsys, "v1", "v2", "--settings", module, "--sys-path",
                         str(namespace)) == ["- Changed the default of `Y` from `1` to `2`."]
    assert markdown_diff(capsys, "v1", "v2", "--settings", "service.settings.production",
                         "--sys-path", str(namespace)) == [
        "- Changed the default of `Y` from `1` to `2`."]


def test_the_working_tree_reads_what_opsdocs_settings_reads(
        namespace: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(namespace)
    module = "service/settings/production.py"
    assert main(["settings", "--settings", module, "--format", "json"]) == 0
    shown = {s["name"]: s["default"] for s in json.loads(capsys.readouterr().out)["settings"]}
    assert shown == {"DEBUG": "True", "Y": "3", "Z": "1", "X": "1"}
    assert markdown_diff(capsys, "v2", "WORKTREE", "--settings", module) == [
        "- Added `Z`, default `1`.", "- Changed the default of `Y` from `2` to `3`."]


def test_notes_of_a_service_named_by_its_dotted_module_path(
        namespace: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(namespace)
    assert main(["notes", "v1", "v2", "--service", "Web=service.settings.production",
                 "--format", "markdown"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "- Changed the default of `Y` from `1` to `2`.")


def test_upgrade_reads_the_same_history(namespace: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(namespace)
    config = namespace / "config.yml"
    config.write_text("X: 2\n")
    assert main(["upgrade", str(config), "--from", "v1", "--to", "v2", "--settings",
                 "service.settings.production"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Upgrading {config} from v1 to v2: 0 things to do, 1 for information.",
        f"{config}: [information] the default of Y changed in v2 from 1 to 2; this file "
        "leaves it unset, so the new default applies (set it to keep the old one)"]


def test_the_changelog_cache_keeps_a_history_per_search_path(tmp_path: Path) -> None:
    """The same files read through two search paths: ``from conf import *`` is a/conf.py
    through one, b/conf.py through the other (only a/conf.py's Y changes at v2)."""
    git(tmp_path, "init", "-q")
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "conf.py").write_text(f"#: {folder}.\n{folder.upper()} = 1\n"
                                                   "#: Y.\nY = 1\n")
    module = tmp_path / "production.py"
    module.write_text("from a.conf import A\nfrom b.conf import B\nfrom conf import *\n")
    for tag, why in (("v1", 1), ("v2", 2)):
        (tmp_path / "a" / "conf.py").write_text(f"#: a.\nA = 1\n#: Y.\nY = {why}\n")
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", f"Release {tag}")
        git(tmp_path, "tag", tag)
    cache = ChangelogCache()
    changes = [[[c.name for c in e.changes] for e in read_changelog(HistorySource(
        module, unreleased=False, search_path=(tmp_path, tmp_path / folder)), cache).entries]
        for folder in ("a", "b", "a")]
    assert changes == [[["Y"], []], [[], []], [["Y"], []]]


CHANGELOG_PAGE = """\
{title}
{underline}

.. settings-changelog:: {settings}
"""


def test_the_directive_finds_star_imports_as_the_reference_does(
        make_app, namespace: Path) -> None:  # type: ignore[no-untyped-def]
    (namespace / "conf.py").write_text('extensions = ["opsdocs"]\nexclude_patterns = ["_build"]\n')
    pages = {"index": "service/settings/production.py", "dotted": "service.settings.production",
             "nowhere": "service.settings.nowhere"}
    for page, settings in pages.items():
        text = CHANGELOG_PAGE.format(title=page, underline="=" * len(page), settings=settings)
        (namespace / f"{page}.rst").write_text((":orphan:\n\n" if page != "index" else "") + text)
    app = make_app("html", srcdir=namespace)
    app.build()
    for page in ("index", "dotted"):
        sections = {s[0].astext(): [i.astext() for i in s.findall(nodes.list_item)]
                    for s in app.env.get_doctree(page).findall(nodes.section)
                    if "opsdocs-changelog-release" in s["classes"]}
        assert sections == {"Unreleased": ["Added Z, default 1.",
                                           "Changed the default of Y from 2 to 3."],
                            "v2": ["Changed the default of Y from 1 to 2."], "v1": []}, page
    assert warning_lines(app) == [
        f"{namespace / 'nowhere.rst'}:6: WARNING: settings "
        f"'{namespace / 'service.settings.nowhere'}' not found: give a settings package (the "
        "directory that holds required.py and defaults.py), a settings module file, or a "
        "dotted module path found on sys.path"]
