"""The settings changelog of a settings module (``lms/envs/common.py``), at git tags: the
module and what it star-imports at each tag, relative or absolute imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsdocs.changelog.cache import read_changelog
from opsdocs.changelog.history import HistorySource, read_release
from opsdocs.cli import main
from tests.changelog.repository import git

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
