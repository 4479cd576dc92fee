"""Settings histories from git refs, the working tree and snapshots, and their errors, read
as the changelog reads them (:func:`~opsdocs.changelog.cache.read_changelog`)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from opsdocs.changelog import git, history
from opsdocs.changelog.cache import Changelog, read_changelog
from opsdocs.changelog.history import HistorySource, read_release, read_snapshot
from opsdocs.errors import OpsdocsError
from opsdocs.settings.reader import read_settings_package
from opsdocs.settings.snapshot import catalog_from_json, snapshot_text
from tests.changelog.repository import (
    PACKAGE,
    RELEASES,
    UNRELEASED_DEFAULTS,
    make_repository,
    unreleased_changes,
)
from tests.changelog.repository import git as run_git


def names(found: Changelog) -> list[str]:
    """The releases of a changelog, oldest first."""
    return [entry.name for entry in reversed(found.entries)]


def test_tags_in_version_order_with_the_working_tree_last(package: Path) -> None:
    with unreleased_changes(package):
        found = read_changelog(HistorySource(package))
    assert names(found) == ["v0.1", "v0.2", "v0.3", "v0.4", "v0.10", "Unreleased"]
    assert found.problems == ()
    by_name = {entry.name: entry for entry in found.entries}
    assert by_name["v0.1"].release.catalog is None and not by_name["v0.1"].release.problems
    assert by_name["v0.2"].settings[:2] == ("SECRET_KEY", "DATABASE_URL")
    v2 = read_release("v0.2", package).catalog
    assert v2 is not None and v2.settings[0].file == f"{PACKAGE}/required.py"
    assert by_name["Unreleased"].release.unreleased


def test_a_syntax_error_at_one_tag_is_located_and_skipped(package: Path) -> None:
    entries = {e.name: e for e in read_changelog(HistorySource(package)).entries}
    assert [str(p) for p in entries["v0.4"].release.problems] == [
        f"v0.4:{PACKAGE}/defaults.py:2: syntax error: '(' was never closed; fix the file so "
        "that Python can import it"]
    assert entries["v0.4"].status == "unreadable"
    assert entries["v0.10"].previous == "v0.3"


def test_explicit_refs_since_and_pattern(package: Path) -> None:
    commit = run_git(package.parent.parent, "rev-parse", "v0.3^{commit}").strip()
    found = read_changelog(HistorySource(package, refs=("v0.2", commit, "main"),
                                         unreleased=False))
    assert names(found) == ["v0.2", commit, "main"]
    since = read_changelog(HistorySource(package, since="v0.3", unreleased=False))
    assert since.base is not None and since.base.name == "v0.2"
    assert names(since) == ["v0.3", "v0.4", "v0.10"]
    assert names(read_changelog(HistorySource(package, tags="v0.1*", unreleased=False))) == [
        "v0.1", "v0.10"]


def test_unknown_ref_and_unknown_since(package: Path) -> None:
    found = read_changelog(HistorySource(package, refs=("v0.2", "v9", "v0.3"), since="v7",
                                         unreleased=False))
    assert names(found) == ["v0.2", "v0.3"]
    assert [p.message for p in found.problems] == [
        "since: 'v7' is not one of the releases (v0.2, v9, v0.3); showing them all",
        "unknown git ref 'v9': check the name ('git tag --list' shows the tags)",
    ]


def test_no_matching_tags(package: Path) -> None:
    found = read_changelog(HistorySource(package, tags="release-*"))
    assert [p.message for p in found.problems] == [
        "no git tags match 'release-*': tag releases, or name refs explicitly"]
    assert names(found) == ["Unreleased"]


def test_a_shallow_clone_says_what_to_do(package: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1",
                    f"file://{package.parent.parent}", str(clone)], check=True)
    settings = clone / PACKAGE
    found = read_changelog(HistorySource(settings))
    assert [p.message for p in found.problems] == [
        "git tags matching 'v*' may be missing (found 1): " + git.SHALLOW_ADVICE]
    assert "git fetch --tags --unshallow" in git.SHALLOW_ADVICE
    assert "snapshots" in git.SHALLOW_ADVICE
    explicit = read_changelog(HistorySource(settings, refs=("v0.2",)))
    assert [p.message for p in explicit.problems] == [
        "unknown git ref 'v0.2': " + git.SHALLOW_ADVICE]


def test_not_a_git_repository(tmp_path: Path) -> None:
    settings = tmp_path / "settings"
    settings.mkdir()
    with pytest.raises(OpsdocsError) as caught:
        read_changelog(HistorySource(settings))
    assert caught.value.problem.message.startswith(
        f"cannot read the settings history: {settings} is not in a git repository (fatal: "
        "not a git repository")
    assert caught.value.problem.message.endswith(
        "read snapshots written by 'opsdocs snapshot' instead")


def test_no_git_executable(package: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(OpsdocsError) as caught:
        read_changelog(HistorySource(package))
    assert caught.value.problem.message == (
        "cannot read the settings history: git is not installed (or not on PATH); install "
        "git, or commit snapshots written by 'opsdocs snapshot' and read those")


def test_missing_settings_package(tmp_path: Path) -> None:
    with pytest.raises(OpsdocsError, match=r"settings .* not found: give a settings package"):
        read_changelog(HistorySource(tmp_path / "nowhere"))


def write_snapshots(directory: Path, package: Path) -> None:
    directory.mkdir(exist_ok=True)
    for ref in ("v0.2", "v0.3", "v0.10"):
        release = read_release(ref, package)
        assert release.catalog is not None
        (directory / f"{ref}.json").write_text(snapshot_text(release.catalog, package))


def test_snapshots_in_version_order(package: Path, tmp_path: Path) -> None:
    write_snapshots(tmp_path / "snaps", package)
    with unreleased_changes(package):
        found = read_changelog(HistorySource(package, snapshots=tmp_path / "snaps"))
        from_git = read_changelog(HistorySource(package, refs=("v0.2", "v0.3", "v0.10")))
        since = read_changelog(HistorySource(package, snapshots=tmp_path / "snaps",
                                             since="v0.3", refs=("v0.2", "v0.3")))
    assert names(found) == ["v0.2", "v0.3", "v0.10", "Unreleased"]
    assert [e.changes for e in found.entries] == [e.changes for e in from_git.entries]
    assert since.base is not None and since.base.name == "v0.2"
    assert names(since) == ["v0.3", "Unreleased"]


def test_bad_snapshots_are_located(tmp_path: Path) -> None:
    newer = tmp_path / "v2.json"
    newer.write_text(json.dumps({"format": "opsdocs-settings", "version": 99, "settings": []}))
    broken = tmp_path / "v3.json"
    broken.write_text('{\n  "format": "opsdocs-settings",\n  oops\n}\n')
    assert [str(p) for p in read_snapshot(newer).problems] == [
        f"{newer}:1: snapshot format version 99 is newer than this opsdocs understands (2); "
        "upgrade opsdocs"]
    assert [str(p) for p in read_snapshot(broken).problems] == [
        f"{broken}:3: invalid JSON, column 3: Expecting property name enclosed in double "
        "quotes; write it again with 'opsdocs snapshot'"]
    with pytest.raises(OpsdocsError, match=r"snapshot directory .* not found"):
        read_changelog(HistorySource(tmp_path, snapshots=tmp_path / "none"))


def test_snapshot_paths_are_relative(package: Path) -> None:
    catalog = read_settings_package(package)
    data = json.loads(snapshot_text(catalog, package.parent.parent))
    assert data["root"] == PACKAGE
    assert {item["file"] for item in data["settings"]} == {
        f"{PACKAGE}/required.py", f"{PACKAGE}/defaults.py"}
    assert catalog_from_json(data).settings[0].name == "SECRET_KEY"


def test_fingerprint_moves_with_tags_and_branches_only(tmp_path: Path) -> None:
    package = make_repository(tmp_path / "repo", {"v1": RELEASES["v0.2"]})
    source = HistorySource(package)
    first = history.fingerprint(source)
    (package / "defaults.py").write_text(UNRELEASED_DEFAULTS)  # the working tree: no move
    assert history.fingerprint(source) == first
    run_git(tmp_path / "repo", "tag", "v2")
    tagged = history.fingerprint(source)
    assert tagged != first
    run_git(tmp_path / "repo", "commit", "-q", "-am", "Unreleased")
    assert history.fingerprint(source) not in (first, tagged)


def test_since_after_an_unreadable_release_shows_it_as_the_oldest(package: Path) -> None:
    found = read_changelog(HistorySource(package, since="v0.10", unreleased=False))
    [entry] = found.entries
    assert (entry.name, entry.status, entry.previous) == ("v0.10", "first", None)
    assert found.base is not None and found.base.name == "v0.4" and found.base.problems
