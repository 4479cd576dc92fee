"""The changelog of a long history, fast: each file parsed once, in parallel, cached by content.

A release is known by the blob ids of its files, so what a build learns about it (is it
readable, which settings it has) and about each pair of releases (their changes) is kept
on disk under those ids and never computed again.  On a cold build the releases to parse
are split among worker processes, each handed its files' bytes (read by the one
``git cat-file --batch`` process) and returning only summaries and changes, which are
small; no process holds more than two catalogs at a time.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

from opsdocs import __version__
from opsdocs.changelog import (
    Release,
    ReleaseChanges,
    SettingChange,
    changelog,
    diff_catalogs,
    setting_names,
)
from opsdocs.errors import Problem
from opsdocs.history import (
    Content,
    HistoryReader,
    HistorySource,
    Located,
    Memo,
    Repository,
    parse_content,
    release_from,
    write_atomically,
)
from opsdocs.settings import SettingsCatalog

#: Below this many releases to parse, worker processes cost more than they save.
PARALLEL_FROM = 6


@dataclass(frozen=True)
class Summary:
    """What the changelog needs of one release besides its changes."""

    problems: tuple[Problem, ...]
    exists: bool
    names: tuple[str, ...]


@dataclass(frozen=True)
class Changelog:
    """:func:`read_changelog`'s result: entries newest first, and what to warn about."""

    entries: tuple[ReleaseChanges, ...]
    problems: tuple[Problem, ...] = ()
    base: Release | None = None
    dependencies: tuple[str, ...] = ()


class ChangelogCache:
    """Summaries of releases and changes between them, by content, in a pickle file."""

    FORMAT = 1

    def __init__(self, path: Path | None = None, limit: int = 20000) -> None:
        self.path = path
        self.limit = limit
        self.summaries: dict[Any, Summary] = {}
        self.pairs: dict[Any, tuple[SettingChange, ...]] = {}
        self.loaded = False
        self.dirty = False

    def load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        if self.path is None or not self.path.is_file():
            return
        try:
            with self.path.open("rb") as stream:
                data = pickle.load(stream)  # our own build directory, as Sphinx's environment
            if data.get("stamp") == (self.FORMAT, __version__):
                self.summaries, self.pairs = data["summaries"], data["pairs"]
        except Exception:  # a cache is never worth failing a build over
            self.summaries, self.pairs = {}, {}

    def save(self) -> None:
        """Write the cache if it changed: atomically, so a reader never sees half of it."""
        if self.path is None or not self.dirty:
            return
        summaries = dict(list(self.summaries.items())[-self.limit:])
        pairs = dict(list(self.pairs.items())[-self.limit:])
        data = {"stamp": (self.FORMAT, __version__), "summaries": summaries, "pairs": pairs}
        try:
            write_atomically(self.path, lambda stream: pickle.dump(
                data, stream, protocol=pickle.HIGHEST_PROTOCOL), binary=True)
            self.dirty = False
        except OSError:
            pass

    def update(self, summaries: dict[Any, Summary], pairs: dict[Any, tuple[SettingChange, ...]],
               ) -> None:
        if summaries or pairs:
            self.summaries.update(summaries)
            self.pairs.update(pairs)
            self.dirty = True


Chunk = list[tuple[Any, str, Content]]


def _compute(chunk: Chunk, sentinels: tuple[str, ...]) -> tuple[dict[Any, Summary],
                                                                  dict[Any, Any]]:
    """Summaries of a run of releases, and the changes between readable neighbours."""
    summaries: dict[Any, Summary] = {}
    pairs: dict[Any, tuple[SettingChange, ...]] = {}
    previous: tuple[Any, SettingsCatalog] | None = None
    memo: Memo = {}
    for key, root, content in chunk:
        catalog, problems = parse_content(root, content, sentinels, memo)
        summaries[(sentinels, key)] = Summary(
            problems, catalog is not None, setting_names(catalog) if catalog else ())
        if problems:
            continue  # compared with the release before it, as the changelog does
        if catalog is not None and previous is not None:
            pairs[(sentinels, previous[0], key)] = diff_catalogs(previous[1], catalog)
        previous = (key, catalog) if catalog is not None else None
    return summaries, pairs


def _chunks(runs: list[Chunk], jobs: int) -> list[Chunk]:
    """*runs* cut into about *jobs* pieces of equal work, each overlapping the one before."""
    total = sum(len(run) for run in runs)
    size = max(-(-total // jobs), 2)
    pieces: list[Chunk] = []
    for run in runs:
        start = 0
        while start < len(run) - 1 or (start == 0 and run):
            pieces.append(run[start:start + size])
            start += size - 1
    return pieces


def _run(chunks: list[Chunk], sentinels: tuple[str, ...], jobs: int) -> list[Any]:
    work = sum(len(chunk) for chunk in chunks)
    if jobs > 1 and len(chunks) > 1 and work >= PARALLEL_FROM and (
            "fork" in multiprocessing.get_all_start_methods()):
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(min(jobs, len(chunks)), mp_context=context) as pool:
                return list(pool.map(_compute, chunks, repeat(sentinels)))
        except Exception:  # no processes here (a sandbox, a daemon): do it in this one
            pass
    return [_compute(chunk, sentinels) for chunk in chunks]


def read_changelog(source: HistorySource, cache: ChangelogCache | None = None,
                   jobs: int | None = None,
                   repositories: dict[str, Repository] | None = None) -> Changelog:
    """The changelog of *source*, newest first; raises only when nothing can be read.

    *repositories* keeps git batch processes open across calls (see :class:`HistoryReader`).
    """
    cache = cache or ChangelogCache()
    cache.load()
    jobs = jobs or min(os.cpu_count() or 1, 4)
    sentinels = source.sentinels
    with HistoryReader(source, repositories) as reader:
        plan = reader.plan()
        located = ([plan.base] if plan.base is not None else []) + list(plan.releases)
        _summarize(located, reader, cache, sentinels, jobs)

        def diff(old: Release, new: Release) -> tuple[SettingChange, ...]:
            key = (sentinels, old.key, new.key)
            if key not in cache.pairs:  # across an unreadable release: parse both here
                before, after = (_parse(reader, by_key[k], sentinels) for k in key[1:])
                cache.update({}, {key: diff_catalogs(before, after)})
            return cache.pairs[key]

        by_key = {item.key: item for item in located}
        releases = [_release(item, cache.summaries[(sentinels, item.key)]) for item in located]
        base = releases.pop(0) if plan.base is not None else None
        entries = changelog(releases, base, diff=diff,
                            names=lambda r: cache.summaries[(sentinels, r.key)].names)
    return Changelog(entries, plan.problems, base, plan.dependencies)


def _summarize(located: Sequence[Located], reader: HistoryReader, cache: ChangelogCache,
               sentinels: tuple[str, ...], jobs: int) -> None:
    """Fill the cache with every release's summary and its neighbours' changes."""
    def known(index: int) -> bool:
        summary = cache.summaries.get((sentinels, located[index].key))
        if summary is None:
            return False
        if index == 0 or not summary.exists or summary.problems:
            return True
        before = cache.summaries.get((sentinels, located[index - 1].key))
        if before is None:
            return False
        if not before.exists or before.problems:  # nothing to compare, or the walk will
            return True
        return (sentinels, located[index - 1].key, located[index].key) in cache.pairs

    runs: list[Chunk] = []
    for index in range(len(located)):
        if known(index):
            continue
        if runs and runs[-1] and runs[-1][-1][0] == located[index - 1].key:
            runs[-1].append(_work(located[index], reader))
        else:
            start = max(index - 1, 0)
            runs.append([_work(located[i], reader) for i in range(start, index + 1)])
    if runs:
        for summaries, pairs in _run(_chunks(runs, jobs), sentinels, jobs):
            cache.update(summaries, pairs)


def _work(item: Located, reader: HistoryReader) -> tuple[Any, str, Content]:
    return item.key, item.root, reader.content(item)


def _parse(reader: HistoryReader, item: Located, sentinels: tuple[str, ...]) -> SettingsCatalog:
    catalog, _ = parse_content(item.root, reader.content(item), sentinels)
    return catalog or SettingsCatalog(item.root)


def _release(item: Located, summary: Summary) -> Release:
    """A release without its catalog: the summary says whether it has one."""
    stub = SettingsCatalog(item.root) if summary.exists else None
    release = release_from(item, stub, summary.problems)
    return Release(release.name, release.catalog, release.problems, release.unreleased,
                   key=item.key)
