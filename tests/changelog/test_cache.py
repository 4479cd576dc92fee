"""The changelog of a long history: each blob parsed once, cached by content across builds,
and equal to the changelog of every release read whole."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from opsdocs.changelog import cache as changelog_cache
from opsdocs.changelog import history
from opsdocs.changelog.cache import ChangelogCache, read_changelog
from opsdocs.changelog.diff import changelog
from opsdocs.changelog.git import Repository
from opsdocs.changelog.history import HistorySource, read_release, read_worktree
from opsdocs.changelog.model import FileData, Release
from opsdocs.changelog.versions import sort_versions
from tests.changelog.repository import PACKAGE, RELEASES, unreleased_changes


def test_one_cat_file_process_and_each_blob_parsed_once(package: Path, monkeypatch,
                                                        settings_reads) -> None:
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def popen(args, *rest, **kwargs):
        started.append(list(args))
        return real_popen(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    parsed = settings_reads
    distinct = {(name, text) for files in RELEASES.values() if files
                for name, text in files.items()}
    assert len(distinct) == 7  # required.py is the same at v0.3 and v0.4
    cache = ChangelogCache()
    read_changelog(HistorySource(package, unreleased=False), cache)
    assert [args for args in started if "cat-file" in args] == [["git", "cat-file", "--batch"]]
    assert len(parsed) == 7
    del started[:], parsed[:]
    read_changelog(HistorySource(package, unreleased=False), cache)  # known: nothing parsed
    assert [args for args in started if "cat-file" in args] == [["git", "cat-file", "--batch"]]
    assert len(parsed) == 0


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


def test_read_changelog_equals_the_changelog_of_whole_reads(package: Path) -> None:
    with unreleased_changes(package):
        whole = changelog(*_whole(HistorySource(package)))
        fast = read_changelog(HistorySource(package)).entries
        assert [(e.name, e.status, e.previous, e.changes, e.count, e.settings,
                 e.release.problems) for e in fast] == [
            (e.name, e.status, e.previous, e.changes, e.count, e.settings,
             e.release.problems) for e in whole]
        since = HistorySource(package, since="v0.3")
        assert [e.changes for e in read_changelog(since).entries] == [
            e.changes for e in changelog(*_whole(since))]


def _whole(source: HistorySource) -> tuple[list[Release], Release | None]:
    """The releases of *source*'s tags and working tree, each read whole, as ``opsdocs
    diff`` reads one; and the one before ``since``."""
    with Repository(source.settings) as repository:
        tags = sort_versions(repository.tags(source.tags))
    releases = [read_release(tag, source.settings) for tag in tags]
    start = tags.index(source.since) if source.since else 0
    base = releases[start - 1] if start else None
    return [*releases[start:], read_worktree(source.settings)], base


def test_the_changelog_cache_survives_across_builds(package: Path, tmp_path: Path,
                                                    monkeypatch) -> None:
    path = tmp_path / "cache.pickle"
    first = ChangelogCache(path)
    expected = read_changelog(HistorySource(package), first).entries
    first.save()
    assert path.is_file()
    parsed: list[str] = []
    real_parse = history.parse_release

    def parse_release(root, content, sentinels=(), memo=None, **options):
        parsed.extend(item.ref.path for item in content if isinstance(item, FileData))
        return real_parse(root, content, sentinels, memo, **options)

    monkeypatch.setattr(history, "parse_release", parse_release)
    again = read_changelog(HistorySource(package), ChangelogCache(path)).entries
    assert parsed == []
    assert [e.changes for e in again] == [e.changes for e in expected]
    with unreleased_changes(package):
        edited = read_changelog(HistorySource(package), ChangelogCache(path))
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
