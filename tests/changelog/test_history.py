"""Settings histories from git refs, the working tree and snapshots, and their errors."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from opsdocs.changelog import blocks, history
from opsdocs.changelog import cache as changelog_cache
from opsdocs.changelog.cache import ChangelogCache, read_changelog
from opsdocs.changelog.diff import Release, changelog
from opsdocs.changelog.git import Repository
from opsdocs.changelog.history import (
    HistorySource,
    read_history,
    read_release,
    read_snapshot,
)
from opsdocs.errors import OpsdocsError
from opsdocs.settings.reader import read_settings_package
from opsdocs.settings.snapshot import catalog_from_json, snapshot_text
from tests.changelog.repository import PACKAGE, RELEASES, UNRELEASED_DEFAULTS, git, make_repository


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repository(tmp_path_factory.mktemp("history") / "repo")


def names(found: history.History) -> list[str]:
    return [release.name for release in found.releases]


def test_tags_in_version_order_with_the_working_tree_last(package: Path) -> None:
    found = read_history(HistorySource(package))
    assert names(found) == ["v0.1", "v0.2", "v0.3", "v0.4", "v0.10", "Unreleased"]
    assert found.problems == ()
    by_name = {release.name: release for release in found.releases}
    assert by_name["v0.1"].catalog is None and not by_name["v0.1"].problems
    assert [s.name for s in by_name["v0.2"].catalog.settings][:2] == ["SECRET_KEY", "DATABASE_URL"]
    assert by_name["v0.2"].catalog.settings[0].file == f"{PACKAGE}/required.py"
    assert by_name["Unreleased"].unreleased


def test_a_syntax_error_at_one_tag_is_located_and_skipped(package: Path) -> None:
    found = read_history(HistorySource(package))
    broken = next(r for r in found.releases if r.name == "v0.4")
    assert [str(p) for p in broken.problems] == [
        f"v0.4:{PACKAGE}/defaults.py:2: syntax error: '(' was never closed; fix the file so "
        "that Python can import it"]
    entries = {e.name: e for e in changelog(found.releases)}
    assert entries["v0.4"].status == "unreadable"
    assert entries["v0.10"].previous == "v0.3"


def test_one_cat_file_process_and_each_blob_parsed_once(package: Path, monkeypatch) -> None:
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def popen(args, *rest, **kwargs):
        started.append(list(args))
        return real_popen(args, *rest, **kwargs)

    parsed: list[str] = []
    real_read = history.read_settings_source

    def read(source, filename, **kwargs):
        parsed.append(filename)
        return real_read(source, filename, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(history, "read_settings_source", read)
    monkeypatch.setattr(blocks, "read_settings_source", read)  # the changelog's, by blocks
    distinct = {(name, text) for files in RELEASES.values() if files
                for name, text in files.items()}
    assert len(distinct) == 7  # required.py is the same at v0.3 and v0.4
    read_history(HistorySource(package, unreleased=False))
    assert [args for args in started if "cat-file" in args] == [["git", "cat-file", "--batch"]]
    assert len(parsed) == 7
    del started[:], parsed[:]
    read_changelog(HistorySource(package, unreleased=False))
    assert [args for args in started if "cat-file" in args] == [["git", "cat-file", "--batch"]]
    assert len(parsed) == 7


def test_a_cold_read_forks_no_worker_processes(package: Path, monkeypatch) -> None:
    """Parsing stays in the build's process: forking one (threads, macOS, inside a Sphinx
    -j worker) is a risk that 50 releases do not need (benchmarks/bench_changelog.py)."""
    forks: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    entries = read_changelog(HistorySource(package)).entries
    assert forks == []
    assert [e.name for e in entries] == ["v0.10", "v0.4", "v0.3", "v0.2", "v0.1"]


def test_read_changelog_equals_the_plain_changelog(package: Path) -> None:
    worktree = package / "defaults.py"
    saved = worktree.read_text()
    worktree.write_text(UNRELEASED_DEFAULTS)
    try:
        plain = changelog(*_plain(HistorySource(package)))
        fast = read_changelog(HistorySource(package)).entries
        assert [(e.name, e.status, e.previous, e.changes, e.count, e.settings,
                 e.release.problems) for e in fast] == [
            (e.name, e.status, e.previous, e.changes, e.count, e.settings,
             e.release.problems) for e in plain]
        since = HistorySource(package, since="v0.3")
        assert [e.changes for e in read_changelog(since).entries] == [
            e.changes for e in changelog(*_plain(since))]
    finally:
        worktree.write_text(saved)


def _plain(source: HistorySource) -> tuple[tuple[Release, ...], Release | None]:
    found = read_history(source)
    return found.releases, found.base


def test_the_changelog_cache_survives_across_builds(package: Path, tmp_path: Path,
                                                    monkeypatch) -> None:
    path = tmp_path / "cache.pickle"
    first = ChangelogCache(path)
    expected = read_changelog(HistorySource(package), first).entries
    first.save()
    assert path.is_file()
    parsed: list[str] = []
    real_parse = changelog_cache.parse_release

    def parse(root, content, sentinels=(), memo=None, **options):
        parsed.extend(path for path, _, _ in content)
        return real_parse(root, content, sentinels, memo, **options)

    monkeypatch.setattr(changelog_cache, "parse_release", parse)
    again = read_changelog(HistorySource(package), ChangelogCache(path)).entries
    assert parsed == []
    assert [e.changes for e in again] == [e.changes for e in expected]
    worktree = package / "defaults.py"
    saved = worktree.read_text()
    worktree.write_text(UNRELEASED_DEFAULTS)
    try:
        edited = read_changelog(HistorySource(package), ChangelogCache(path))
    finally:
        worktree.write_text(saved)
    # The working tree and the release it is compared with, nothing else.
    assert sorted(parsed) == sorted([str(package / "required.py"), str(package / "defaults.py"),
                                     f"{PACKAGE}/required.py", f"{PACKAGE}/defaults.py"])
    assert edited.entries[0].name == "Unreleased"


def test_a_stale_or_broken_cache_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "cache.pickle"
    path.write_bytes(b"not a pickle")
    cache = ChangelogCache(path)
    cache.load()
    assert cache.summaries == {}
    cache.update({"k": changelog_cache.Summary((), True, ("X",))}, {})
    cache.save()
    again = ChangelogCache(path)
    again.load()
    assert again.summaries == {"k": changelog_cache.Summary((), True, ("X",))}


def test_explicit_refs_since_and_pattern(package: Path) -> None:
    commit = git(package.parent.parent, "rev-parse", "v0.3^{commit}").strip()
    found = read_history(HistorySource(package, refs=("v0.2", commit, "main"),
                                       unreleased=False))
    assert names(found) == ["v0.2", commit, "main"]
    since = read_history(HistorySource(package, since="v0.3", unreleased=False))
    assert since.base is not None and since.base.name == "v0.2"
    assert names(since) == ["v0.3", "v0.4", "v0.10"]
    assert names(read_history(HistorySource(package, tags="v0.1*", unreleased=False))) == [
        "v0.1", "v0.10"]


def test_unknown_ref_and_unknown_since(package: Path) -> None:
    found = read_history(HistorySource(package, refs=("v0.2", "v9", "v0.3"), since="v7",
                                       unreleased=False))
    assert names(found) == ["v0.2", "v0.3"]
    assert [p.message for p in found.problems] == [
        "since: 'v7' is not one of the releases (v0.2, v9, v0.3); showing them all",
        "unknown git ref 'v9': check the name ('git tag --list' shows the tags)",
    ]


def test_no_matching_tags(package: Path) -> None:
    found = read_history(HistorySource(package, tags="release-*"))
    assert [p.message for p in found.problems] == [
        "no git tags match 'release-*': tag releases, or name refs explicitly"]
    assert names(found) == ["Unreleased"]


def test_a_shallow_clone_says_what_to_do(package: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1",
                    f"file://{package.parent.parent}", str(clone)], check=True)
    settings = clone / PACKAGE
    found = read_history(HistorySource(settings))
    assert [p.message for p in found.problems] == [
        "git tags matching 'v*' may be missing (found 1): " + history.SHALLOW_ADVICE]
    assert "git fetch --tags --unshallow" in history.SHALLOW_ADVICE
    assert "snapshots" in history.SHALLOW_ADVICE
    explicit = read_history(HistorySource(settings, refs=("v0.2",)))
    assert [p.message for p in explicit.problems] == [
        "unknown git ref 'v0.2': " + history.SHALLOW_ADVICE]


def test_not_a_git_repository(tmp_path: Path) -> None:
    settings = tmp_path / "settings"
    settings.mkdir()
    with pytest.raises(OpsdocsError) as caught:
        read_history(HistorySource(settings))
    assert caught.value.problem.message.startswith(
        f"cannot read the settings history: {settings} is not in a git repository (fatal: "
        "not a git repository")
    assert caught.value.problem.message.endswith(
        "read snapshots written by 'opsdocs snapshot' instead")


def test_no_git_executable(package: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(OpsdocsError) as caught:
        read_history(HistorySource(package))
    assert caught.value.problem.message == (
        "cannot read the settings history: git is not installed (or not on PATH); install "
        "git, or commit snapshots written by 'opsdocs snapshot' and read those")


def test_missing_settings_package(tmp_path: Path) -> None:
    with pytest.raises(OpsdocsError, match=r"settings package .* not found"):
        read_history(HistorySource(tmp_path / "nowhere"))


def write_snapshots(directory: Path, package: Path) -> None:
    directory.mkdir(exist_ok=True)
    for ref in ("v0.2", "v0.3", "v0.10"):
        release = read_release(ref, package)
        assert release.catalog is not None
        (directory / f"{ref}.json").write_text(snapshot_text(release.catalog, package))


def test_snapshots_in_version_order(package: Path, tmp_path: Path) -> None:
    write_snapshots(tmp_path / "snaps", package)
    found = read_history(HistorySource(package, snapshots=tmp_path / "snaps"))
    assert names(found) == ["v0.2", "v0.3", "v0.10", "Unreleased"]
    from_git = read_history(HistorySource(package, refs=("v0.2", "v0.3", "v0.10")))
    assert [e.changes for e in changelog(found.releases)] == [
        e.changes for e in changelog(from_git.releases)]
    since = read_history(HistorySource(package, snapshots=tmp_path / "snaps", since="v0.3",
                                       refs=("v0.2", "v0.3")))
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
        read_history(HistorySource(tmp_path, snapshots=tmp_path / "none"))


def test_snapshot_paths_are_relative(package: Path) -> None:
    catalog = read_settings_package(package)
    data = json.loads(snapshot_text(catalog, package.parent.parent))
    assert data["root"] == PACKAGE
    assert {item["file"] for item in data["settings"]} == {
        f"{PACKAGE}/required.py", f"{PACKAGE}/defaults.py"}
    assert catalog_from_json(data).settings[0].name == "SECRET_KEY"


def test_repository_facts(package: Path) -> None:
    with Repository(package) as repository:
        assert repository.prefix == PACKAGE
        assert not repository.shallow
        assert repository.exists("v0.1") and not repository.exists("v9")
        assert repository.settings_files("v9") is None
        assert [name for _, name, _ in repository.settings_files("v0.2") or ()] == [
            "required.py", "defaults.py"]


def test_fingerprint_moves_with_tags_and_branches_only(tmp_path: Path) -> None:
    package = make_repository(tmp_path / "repo", {"v1": RELEASES["v0.2"]})
    source = HistorySource(package)
    first = history.fingerprint(source)
    (package / "defaults.py").write_text(UNRELEASED_DEFAULTS)  # the working tree: no move
    assert history.fingerprint(source) == first
    git(tmp_path / "repo", "tag", "v2")
    tagged = history.fingerprint(source)
    assert tagged != first
    git(tmp_path / "repo", "commit", "-q", "-am", "Unreleased")
    assert history.fingerprint(source) not in (first, tagged)


def test_since_after_an_unreadable_release_shows_it_as_the_oldest(package: Path) -> None:
    found = read_changelog(HistorySource(package, since="v0.10", unreleased=False))
    [entry] = found.entries
    assert (entry.name, entry.status, entry.previous) == ("v0.10", "first", None)
    assert found.base is not None and found.base.name == "v0.4" and found.base.problems


def test_a_blob_over_the_cap_at_a_ref_is_read_past_not_kept(tmp_path: Path) -> None:
    import tracemalloc

    from opsdocs.reading import SETTINGS_MODULE

    huge = "#: Doc.\nA = 1\n" + "#" * SETTINGS_MODULE.limit + "\n"
    package = make_repository(tmp_path / "repo", {
        "v1": {"required.py": "", "defaults.py": huge},
        "v2": {"required.py": "", "defaults.py": "#: Doc.\nA = 2\n"},
    })
    tracemalloc.start()
    try:
        with Repository(package) as repository:
            releases = [history.release_from(located, *history.parse_content(
                located.root, repository.content(located.files)))
                for located in (history.locate_ref(repository, tag) for tag in ("v1", "v2"))
                if located is not None]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < SETTINGS_MODULE.limit // 2
    assert [(r.name, [str(p) for p in r.problems]) for r in releases] == [
        ("v1", [f"v1:{PACKAGE}/defaults.py: the settings module is larger than 16 MiB, the most "
                "opsdocs reads of a settings module: is this the right file?"]),
        ("v2", [])]
    assert releases[1].catalog is not None and releases[1].catalog.get("A") is not None
