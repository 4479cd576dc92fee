"""The changelog of a long history, fast: each file parsed once, cached by content.

A release is known by the blob ids of its files, so what a build learns about it (is it
readable, which settings it has) and about each pair of releases (their changes) is kept
on disk under those ids and never computed again.  Releases the cache lacks are parsed
in order, each with the one before it; only summaries and changes, which are small, are
kept, so no more than two catalogs are held at a time (and the snapshots a caller asks
to keep: ``opsdocs upgrade``'s two).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from opsdocs.changelog.diff import changelog, comparisons, diff_catalogs, setting_names
from opsdocs.changelog.git import Repository
from opsdocs.changelog.history import HistoryReader, HistorySource, release_from
from opsdocs.changelog.locate import Located
from opsdocs.changelog.model import Release, ReleaseChanges, SettingChange
from opsdocs.changelog.operating import Operations
from opsdocs.changelog.parse import ParsedRelease
from opsdocs.errors import Problem
from opsdocs.files import PickleCache
from opsdocs.reading import MAX_CACHE_ENTRIES
from opsdocs.settings.model import SettingsCatalog


@dataclass(frozen=True)
class Summary:
    """What the changelog needs of one release besides its changes."""

    problems: tuple[Problem, ...]
    exists: bool
    names: tuple[str, ...]


@dataclass(frozen=True)
class Changelog:
    """:func:`read_changelog`'s result: entries newest first, and what to warn about;
    ``catalogs`` holds the snapshots it was asked to keep, by release name."""

    entries: tuple[ReleaseChanges, ...]
    problems: tuple[Problem, ...] = ()
    base: Release | None = None
    dependencies: tuple[str, ...] = ()
    catalogs: Mapping[str, SettingsCatalog] = field(default_factory=dict)


class ChangelogCache(PickleCache):
    """Summaries of releases and changes between them, by content, in a pickle file."""

    FORMAT = 17  # 2: no default of an added secret setting; 3: parts and displays; 4: operating;
    # 5: operating problems; 6: a dict's changed keys leave out its documented ones; 7: keys
    # of FileRef and Unreadable, the model in opsdocs.changelog.model; 8: an image's number
    # or boolean under a secret-looking name is kept (the Dockerfile's rule); 9: renames with
    # their evidence, flattened dicts, derived values; 10: values in Python's repr style
    # (code_text.value_text); 11: a rename's old default on one line, as the new one; 12: a
    # read of the setting's own config key stands in by its fallback, Setting.set_after_config;
    # 13: operations files over their own cap, links, a malformed Dockerfile are problems;
    # 14: a settings module's key holds the search path its star imports were found on;
    # 15: a secret by any value bound, config-only keys, Setting.maybe_set_after_config;
    # 16: defaults compared as values where both are known (60 * 5 is DEFAULT holding it);
    # 17: SettingChange.computed, a change to computed by a fold it cannot make
    KEPT = ("summaries", "pairs", "operating")

    def __init__(self, path: Path | None = None, limit: int = MAX_CACHE_ENTRIES) -> None:
        super().__init__(path, limit)
        self.summaries: dict[Any, Summary] = {}
        self.pairs: dict[Any, tuple[SettingChange, ...]] = {}
        self.operating: dict[Any, Operations] = {}

    def update(self, summaries: dict[Any, Summary], pairs: dict[Any, tuple[SettingChange, ...]],
               operating: dict[Any, Operations] | None = None) -> None:
        if summaries or pairs or operating:
            self.summaries.update(summaries)
            self.pairs.update(pairs)
            self.operating.update(operating or {})
            self.dirty = True

    def operations(self, item: Located, reader: HistoryReader) -> Operations | None:
        """*item*'s operating concerns, parsed once per content; ``None`` when its history
        names no operations file and it is no snapshot."""
        if not (item.is_snapshot or reader.source.operating):
            return None
        key = ("operating", item.operating_key)
        if key not in self.operating:
            self.operating[key] = reader.operations(item)
            self.dirty = True
        return self.operating[key]


def _compute(run: Iterable[Located], reader: HistoryReader, keep: Collection[Any] = (),
             kept: dict[Any, SettingsCatalog] | None = None,
             ) -> tuple[dict[Any, Summary], dict[Any, tuple[SettingChange, ...]],
                        dict[Any, Operations]]:
    """Summaries of a run of releases, the changes between readable neighbours, and the
    operating concerns of the snapshots among them (read with their settings, at once).
    The catalogs of the snapshots whose keys are in *keep* go into *kept*."""
    sentinels = reader.source.sentinels
    summaries: dict[Any, Summary] = {}
    pairs: dict[Any, tuple[SettingChange, ...]] = {}
    operating: dict[Any, Operations] = {}
    previous: tuple[Any, SettingsCatalog] | None = None
    for located, parsed in reader.parsed(run, by_blocks=True):
        key, catalog, problems = located.key, parsed.catalog, parsed.problems
        operations = parsed.operations
        summaries[(sentinels, key)] = Summary(
            problems, catalog is not None, setting_names(catalog) if catalog else ())
        if operations is not None:  # a snapshot: its operating key is its key
            operating[("operating", key)] = operations
            if key in keep and catalog is not None and kept is not None:
                kept[key] = catalog
        if problems:
            continue  # compared with the release before it, as the changelog does
        if catalog is not None and previous is not None:
            pairs[(sentinels, previous[0], key)] = diff_catalogs(previous[1], catalog)
        previous = (key, catalog) if catalog is not None else None
    return summaries, pairs, operating


def read_changelog(source: HistorySource, cache: ChangelogCache | None = None,
                   repositories: dict[str, Repository] | None = None,
                   keep: Collection[str] = ()) -> Changelog:
    """The changelog of *source*, newest first; raises only when nothing can be read.

    The one way a history is read (the directive, ``opsdocs upgrade``): the releases
    planned and parsed in order by :class:`HistoryReader`, their neighbours diffed.
    *repositories* keeps git batch processes open across calls (see :class:`HistoryReader`).
    *keep* names snapshots whose catalogs the result holds when it reads them (not when
    the cache knew them: git releases are read by blocks, without exact lines).
    """
    cache = cache or ChangelogCache()
    cache.load()
    sentinels = source.sentinels
    kept: dict[Any, SettingsCatalog] = {}
    with HistoryReader(source, repositories) as reader:
        plan = reader.plan()
        located = ([plan.base] if plan.base is not None else []) + list(plan.releases)
        wanted = {item.key for item in located if item.name in keep}
        _summarize(located, reader, cache, wanted, kept)
        releases = [_release(item, cache.summaries[(sentinels, item.key)],
                             cache.operations(item, reader)) for item in located]
        base = releases.pop(0) if plan.base is not None else None
        by_key = {item.key: item for item in located}
        changes: dict[tuple[Any, Any], tuple[SettingChange, ...]] = {}
        for old, new in comparisons(releases, base):
            key = (sentinels, old.key, new.key)
            if key not in cache.pairs:  # across an unreadable release: parse both here
                before, after = (_parse(reader, by_key[k]) for k in key[1:])
                cache.update({}, {key: diff_catalogs(before, after)})
            changes[(old.key, new.key)] = cache.pairs[key]
    entries = changelog(releases, base, changes=changes, names={
        item.key: cache.summaries[(sentinels, item.key)].names for item in located})
    return Changelog(entries, plan.problems, base, plan.dependencies,
                     {item.name: kept[item.key] for item in located if item.key in kept})


def _summarize(located: Sequence[Located], reader: HistoryReader, cache: ChangelogCache,
               keep: Collection[Any] = (), kept: dict[Any, SettingsCatalog] | None = None,
               ) -> None:
    """Fill the cache with every release's summary and its neighbours' changes (and
    *kept* with the catalogs of the snapshots read whose keys are in *keep*)."""
    sentinels = reader.source.sentinels

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

    runs: list[list[Located]] = []  # releases to parse, each run after the one before it
    for index in range(len(located)):
        if known(index):
            continue
        if index and runs and runs[-1][-1] is located[index - 1]:
            runs[-1].append(located[index])
        else:
            runs.append(list(located[max(index - 1, 0):index + 1]))
    for run in runs:
        cache.update(*_compute(run, reader, keep, kept))


def _parse(reader: HistoryReader, item: Located) -> SettingsCatalog:
    [(_, parsed)] = reader.parsed([item])
    return parsed.catalog or SettingsCatalog(item.root)


def _release(item: Located, summary: Summary, operations: Operations | None) -> Release:
    """A release without its catalog: the summary says whether it has one."""
    stub = SettingsCatalog(item.root) if summary.exists else None
    release = release_from(item, ParsedRelease(stub, summary.problems), operations)
    return replace(release, key=item.key)
