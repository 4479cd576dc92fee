"""The releases ``opsdocs upgrade`` goes through, from ``--from`` to ``--to``: tags between
them in version order, or on ``--to``'s history when either is no release tag; snapshots."""

from __future__ import annotations

import argparse
import fnmatch
import sys
from pathlib import Path

from opsdocs._cli import search_path
from opsdocs.changelog.git import Repository, find_settings_package
from opsdocs.changelog.history import HistorySource, order_tags
from opsdocs.changelog.locate import history_sources
from opsdocs.changelog.versions import sort_versions
from opsdocs.errors import OpsdocsError, Problem


def upgrade_source(args: argparse.Namespace) -> tuple[HistorySource, str, str]:
    """The history from ``--from`` to ``--to``: every release between them, oldest first."""
    old, new = args.old, args.new
    snapshots = Path(args.snapshots) if args.snapshots else None
    if old.endswith(".json") and new.endswith(".json"):
        if Path(old).parent != Path(new).parent:
            raise OpsdocsError(Problem("--from and --to name snapshots in two directories: "
                                       "keep a release's snapshots together", new,
                                       check="usage"))
        snapshots, old, new = Path(old).parent, Path(old).stem, Path(new).stem
    if old == new:
        raise OpsdocsError(Problem(f"--from and --to both name {old}: nothing to upgrade",
                                   args.config, check="usage"))
    if snapshots is not None:
        settings = Path(args.settings[0]) if args.settings else snapshots
        names = sort_versions(path.stem for path in snapshots.glob("*.json"))
        for name in (old, new):
            if name not in names:
                raise OpsdocsError(Problem(
                    f"no snapshot {name}.json in {snapshots}: the snapshots there are "
                    f"{', '.join(names) or 'none'}", str(snapshots), check="snapshot"))
        chain = _between(names, old, new, args.config)
        return HistorySource(settings, refs=chain, snapshots=snapshots, unreleased=False), old, new
    directories = tuple(search_path(args))
    settings, modules = (history_sources(args.settings, directories) if args.settings
                         else (find_settings_package(Path.cwd()), ()))
    with Repository(settings) as repository:
        for name in (old, new):
            if not repository.exists(name):
                raise OpsdocsError(repository.unknown_ref(name))
        tags = repository.tags("*")
        patterns = args.tags or _tag_patterns([n for n in (old, new) if n in tags] or [old])
        pattern = " or ".join(repr(p) for p in patterns)
        names, _ = order_tags(repository, [tag for tag in tags if any(
            fnmatch.fnmatchcase(tag, p) for p in patterns)], pattern, str(settings))
        if old in names and new in names:
            chain = _between(names, old, new, args.config)
        elif repository.is_ancestor(new, old):
            raise _wrong_order(old, new, args.config)
        else:
            chain = _chain_by_ancestry(repository, names, old, new, pattern, args.config)
    return HistorySource(settings, refs=chain, unreleased=False, search_path=directories,
                         modules=modules), old, new


def _chain_by_ancestry(repository: Repository, names: list[str], old: str, new: str,
                       pattern: str, config: str) -> tuple[str, ...]:
    """*old*, the release tags (*names*, oldest first) after it on *new*'s history, and
    *new*, when *old* or *new* is no release tag (``HEAD``, a branch): a ref has no version
    to order it by, so the histories say which tags lie between.  A note when later tags
    are not on *new*'s history (release tags on release branches)."""
    if old in names:
        later = names[names.index(old) + 1:]
    else:  # those old's history lacks, before new when new is a release tag
        later = [tag for tag in (names[:names.index(new)] if new in names else names)
                 if not repository.is_ancestor(tag, old)]
    between = [tag for tag in later if repository.is_ancestor(tag, new)]
    skipped = [tag for tag in later if tag not in between
               and (old in names or repository.is_ancestor(old, tag))]
    if skipped and not between and new not in names:
        print(Problem(
            f"no release tag matching {pattern} lies between {old} and {new} on {new}'s "
            f"history: every change since {old} is credited to {new}; to credit each "
            "release, give a release tag as --to (or --tags for the tags that are "
            "releases)", config, check="upgrade"), file=sys.stderr)
    elif skipped:
        shown = ", ".join(skipped[:3]) + (", ..." if len(skipped) > 3 else "")
        credited = (f"changes are credited to those that are ({', '.join(between)}) and to "
                    f"{new}" if between else f"every change since {old} is credited to {new}")
        print(Problem(
            f"{len(skipped)} release tags matching {pattern} after {old} are not on {new}'s "
            f"history ({shown}): {credited}" + ("" if new in names else
                                                "; to follow a release line, give its tag "
                                                "as --to"), config, check="upgrade"),
              file=sys.stderr)
    return (old, *between, new)


#: Open edX's release tags: ``open-release/sumac.3``, then ``release/teak.1`` from Teak on.
OPEN_EDX_TAGS = ("open-release/*", "release/*")


def _tag_patterns(ends: list[str]) -> list[str]:
    """The tags that are releases, by default: those named like *ends* (``--from`` and
    ``--to`` that are tags), in their folder (``open-release/*`` for ``open-release/teak.3``,
    both of :data:`OPEN_EDX_TAGS` for either), else ``v*``."""
    patterns = [f"{name.rsplit('/', 1)[0]}/*" if "/" in name else "v*" for name in ends]
    if set(patterns) & set(OPEN_EDX_TAGS):
        patterns += OPEN_EDX_TAGS
    return sorted(set(patterns))


def _between(names: list[str], old: str, new: str, config: str) -> tuple[str, ...]:
    start, end = names.index(old), names.index(new)
    if start > end:
        raise _wrong_order(old, new, config)
    return tuple(names[start:end + 1])


def _wrong_order(old: str, new: str, config: str) -> OpsdocsError:
    return OpsdocsError(Problem(
        f"the releases are in the wrong order: {old} is newer than {new}; give the release "
        f"you run now as --from and the one you upgrade to as --to (--from {new} --to {old})",
        config, check="usage"))
