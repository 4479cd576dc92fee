"""``opsdocs diff`` and ``opsdocs snapshot``: the settings changelog on the command line."""

from __future__ import annotations

import argparse
import os
import stat
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from opsdocs.changelog.cache import read_changelog
from opsdocs.changelog.diff import Release, diff_releases
from opsdocs.changelog.fix import fixed_config, masked_diff, plain_config
from opsdocs.changelog.git import Repository, find_settings_package
from opsdocs.changelog.history import (
    WORKTREE,
    HistorySource,
    read_operating,
    read_release,
    read_snapshot,
    sort_versions,
)
from opsdocs.changelog.operating import comparable, diff_operations, operations_to_json
from opsdocs.changelog.text import diff_text, scriv_fragment, towncrier_fragment, upgrade_text
from opsdocs.changelog.upgrade import config_keys, upgrade_config
from opsdocs.config.check import django_setting_names, read_config_text
from opsdocs.errors import OpsdocsError, Problem, report
from opsdocs.files import add_output_argument, write_atomically, write_output
from opsdocs.markup import FORMATS
from opsdocs.reading import COMMANDS_FILE, DOCKERFILE, read_bytes
from opsdocs.settings.cli import add_settings_argument, read_arguments
from opsdocs.settings.model import SettingsCatalog
from opsdocs.settings.snapshot import snapshot_text


def _release(spec: str, settings: Path,
             operating: tuple[tuple[str, Path], ...] = ()) -> Release:
    release = read_release(spec, settings, operating=operating)
    if release.problems:
        raise OpsdocsError(release.problems[0])
    for problem in release.operations.problems if release.operations else ():
        print(problem, file=sys.stderr)  # a note: the rest compares
    return release


def _run_diff(args: argparse.Namespace) -> int:
    settings = Path(args.settings[0] if args.settings else ".")
    if args.settings is None and not (args.old.endswith(".json") and args.new.endswith(".json")):
        settings = find_settings_package(Path.cwd())
    operating = _operating_files(args)
    old = _release(args.old, settings, operating)
    new = _release(args.new, settings, operating)
    changes = diff_releases(old, new)
    if args.fragment:
        return _write_fragment(args, changes, old.name, new.name)
    operated = (diff_operations(old.operations, new.operations)
                if comparable(old.operations, new.operations) else None)
    text = diff_text(changes, old.name, new.name, args.format, args.title, args.roles, operated)
    sys.stdout.write(text)
    return 0


def _operating_files(args: argparse.Namespace) -> tuple[tuple[str, Path], ...]:
    """The operations files the command line names, as ``(kind, path)``."""
    return tuple((kind, Path(path)) for kind, path in (("commands", args.commands),
                                                      ("dockerfile", args.dockerfile)) if path)


def _add_operating_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--commands", metavar="FILE",
                        help=f"the operations manual's commands file: {what} its commands too")
    parser.add_argument("--dockerfile", metavar="FILE",
                        help=f"the Dockerfile: {what} the image too")


#: towncrier's own fragment types; a project may name others, lowercase words too.
TOWNCRIER_TYPES = ("feature", "bugfix", "doc", "removal", "misc")


def fragment_type(text: str) -> str:
    """``--fragment-type``: one of :data:`TOWNCRIER_TYPES` or another lowercase word (it
    becomes part of a file name, so nothing else)."""
    if text in TOWNCRIER_TYPES or (text.isascii() and text.isalpha() and text.islower()):
        return text
    raise argparse.ArgumentTypeError(
        f"{text!r} is not a fragment type: use one of {', '.join(TOWNCRIER_TYPES)} or another "
        "lowercase word your towncrier configuration names")


def _write_fragment(args: argparse.Namespace, changes: Any, old: str, new: str) -> int:
    directory = Path(args.fragment)
    if not directory.is_dir():
        return report([Problem(
            "news fragment directory not found: create it, or give the one your towncrier or "
            "scriv configuration names (often changelog.d or newsfragments)", str(directory),
            check="usage",
        )])
    if args.format == "json":
        return report([Problem(
            "a news fragment is reStructuredText or Markdown: drop --format json",
            str(directory), check="usage")])
    markup = "markdown" if args.format == "markdown" else "rst"
    suffix = "md" if markup == "markdown" else "rst"
    if args.fragment_style == "scriv":
        stamp = time.strftime("%Y%m%d_%H%M%S", time.gmtime())
        path = directory / f"{stamp}_opsdocs_settings.{suffix}"
        text = scriv_fragment(changes, markup)
    else:
        safe = "".join(c if c.isascii() and (c.isalnum() or c in "-._") else "-" for c in new)
        path = directory / f"+settings-{safe}.{args.fragment_type}.{suffix}"
        text = towncrier_fragment(changes, old, markup)
    if path.parent != directory or path.name.startswith(".."):  # the file name is ours
        return report([Problem(f"the fragment's name {path.name!r} is not a file name",
                               str(directory), check="usage")])
    try:
        write_atomically(path, lambda stream: stream.write(text))
    except OSError as error:
        return report([Problem(f"cannot write the news fragment: {error.strerror or error}",
                               str(path), check="output")])
    print(path)
    return 0


def _run_snapshot(args: argparse.Namespace) -> int:
    catalog = read_arguments(args)
    settings = Path(catalog.root)
    if catalog.incomplete:
        return report(catalog.incomplete)
    base = Path(args.relative_to) if args.relative_to else _default_base(settings)
    operating = _operating_files(args)
    for kind, path in operating:  # a snapshot records what the files say: they must be there
        read_bytes(path, COMMANDS_FILE if kind == "commands" else DOCKERFILE)
    extra = {"operations": operations_to_json(read_operating(operating))} if operating else None
    return write_output(snapshot_text(catalog, base, extra), args.output, "snapshot")


def _default_base(settings: Path) -> Path:
    """The git top level when the package is in a repository, else the package's parent."""
    try:
        return Repository(settings).top
    except OpsdocsError:
        return settings.resolve().parent


# -- opsdocs upgrade ----------------------------------------------------------------------


def _run_upgrade(args: argparse.Namespace) -> int:
    config = Path(args.config)
    text = read_config_text(config)
    root = plain_config(text, str(config))
    source, old, new = _upgrade_source(args)
    history = read_changelog(source, keep=(old, new))
    for problem in history.problems:
        raise OpsdocsError(problem)
    for entry in history.entries:  # compared across, so the report is whole: a note
        for problem in entry.release.problems:
            print(f"{problem} (its changes are compared across it)", file=sys.stderr)
        for problem in entry.release.operations.problems if entry.release.operations else ():
            print(problem, file=sys.stderr)
    releases = {entry.name: entry.release for entry in history.entries}
    for name in (old, new):
        if releases.get(name) is None or releases[name].problems:
            problems = releases[name].problems if name in releases else ()
            raise OpsdocsError(problems[0] if problems else Problem(
                f"cannot read the settings of {name}", str(source.settings), check="upgrade"))
    before, after = (_catalog(source, name, history.catalogs) for name in (old, new))
    allowed = set(args.allow) | (django_setting_names() if args.django_settings else set())
    found = upgrade_config(config_keys(root), history.entries, before, after,
                            file=str(config), old=old, new=new, allowed=allowed)
    sys.stdout.write(upgrade_text(found, args.format))
    if not (args.fix or args.dry_run):
        return 1 if found.actions else 0
    secrets = {s.name for s in (*before, *after) if s.secret}
    secrets |= {i.key for i in found.items if i.setting in secrets}
    try:
        fixed = fixed_config(text, found, secrets)
    except ImportError:
        return report([Problem(
            "--fix and --dry-run need ruamel.yaml, which keeps comments, order and quoting: "
            "install it with pip install 'opsdocs[upgrade]'", str(config), check="usage")])
    if args.dry_run:
        sys.stdout.write(masked_diff(text, fixed, str(config), secrets))
    elif fixed != text:
        status = _write_fixed(config, fixed)
        if status:
            return status
        print(f"{config}: rewritten for {new}")
    left = [i for i in found.actions if i.kind not in ("renamed", "removed", "unknown")]
    return 1 if left else 0


def _write_fixed(config: Path, text: str) -> int:
    """Replace *config* whole, keeping its permissions; a problem when it cannot be."""
    try:
        mode = stat.S_IMODE(config.stat().st_mode)
        writable = mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # root too: respect it
        if not writable or not os.access(config, os.W_OK) or not os.access(config.parent,
                                                                           os.W_OK):
            raise PermissionError(13, "the file or its directory is read-only")
        write_atomically(config, lambda stream: stream.write(text), mode=mode)
    except OSError as error:
        return report([Problem(
            f"cannot rewrite the config: {error.strerror or error}; nothing was written "
            "(make it writable, or use --dry-run and apply the diff yourself)",
            str(config), check="upgrade")])
    return 0


def _upgrade_source(args: argparse.Namespace) -> tuple[HistorySource, str, str]:
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
    settings = Path(args.settings[0]) if args.settings else find_settings_package(Path.cwd())
    with Repository(settings) as repository:
        for name in (old, new):
            if not repository.exists(name):
                raise OpsdocsError(repository.unknown_ref(name))
        names = sort_versions(repository.tags(args.tags))
        if old in names and new in names:
            chain = _between(names, old, new, args.config)
        elif repository.is_ancestor(new, old):
            raise _wrong_order(old, new, args.config)
        else:
            chain = (old, new)
    return HistorySource(settings, refs=chain, unreleased=False), old, new


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


def _catalog(source: HistorySource, name: str,
             read: Mapping[str, SettingsCatalog]) -> SettingsCatalog:
    """The catalog of release *name*: one the changelog kept (*read*), else read again."""
    if name in read:
        return read[name]
    if source.snapshots is not None:
        release = read_snapshot(source.snapshots / f"{name}.json")
    else:
        release = read_release(name, source.settings, source.sentinels)
    if release.problems or release.catalog is None:
        raise OpsdocsError(release.problems[0] if release.problems else Problem(
            f"no settings package at {name}", str(source.settings), check="upgrade"))
    return release.catalog


def add_parsers(commands: Any) -> None:
    """Add ``diff``, ``snapshot`` and ``upgrade`` to the ``opsdocs`` subcommands."""
    upgrade = commands.add_parser(
        "upgrade", help="what upgrading to a release means for a config file",
        description="Report what upgrading from one release to another means for CONFIG, "
        "each item at its line: keys removed, renamed, deprecated or of a changed type, "
        "settings newly required that it does not set, defaults changed under keys it "
        "leaves unset, keys already unknown. Releases are git refs (every tag between "
        "them counts) or snapshots. Exit status 1 when something needs doing.",
    )
    upgrade.add_argument("config", metavar="CONFIG", help="the YAML config file")
    upgrade.add_argument("--from", dest="old", required=True, metavar="REF",
                         help="the release the config is for: a git ref, or a snapshot")
    upgrade.add_argument("--to", dest="new", required=True, metavar="REF",
                         help="the release to upgrade to")
    add_settings_argument(upgrade, "--settings", required=False,
                          detail="; by default the one git sees in the current directory")
    upgrade.add_argument("--snapshots", metavar="DIR",
                         help="read releases from the snapshots in DIR (REF.json) instead of git")
    upgrade.add_argument("--tags", default="v*",
                         help="the tags that are releases (default: v*)")
    upgrade.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    upgrade.add_argument("--fix", action="store_true",
                         help="rewrite CONFIG: rename keys, comment out removed ones with the "
                         "reason (comments, order and quoting kept; needs ruamel.yaml)")
    upgrade.add_argument("--dry-run", action="store_true",
                         help="print the diff --fix would make, write nothing")
    upgrade.add_argument("--allow", action="append", default=[], metavar="NAME",
                         help="a key that is fine though no setting defines it; repeat for more")
    upgrade.add_argument("--no-django-settings", dest="django_settings",
                         action="store_false",
                         help="do not accept Django's own settings unless the service defines them")
    upgrade.set_defaults(run=_run_upgrade)

    diff = commands.add_parser(
        "diff", help="print the settings changes between two releases",
        description="Compare the settings of two releases and print a changelog section. "
        f"OLD and NEW are git refs (tags, branches, commits), {WORKTREE} (or '.') for the "
        "working tree, or snapshot files (*.json) written by 'opsdocs snapshot'.",
    )
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    add_settings_argument(diff, "--settings", required=False,
                          detail="; by default the one git sees in the current directory")
    diff.add_argument("--format", choices=FORMATS, default="rst")
    diff.add_argument("--title", default="Settings", help="the section's heading")
    diff.add_argument("--roles", action="store_true",
                      help="link settings with :setting: (rst; for docs built with opsdocs)")
    _add_operating_arguments(diff, "compare")
    diff.add_argument("--fragment", metavar="DIR",
                      help="write a news fragment into DIR instead of printing")
    diff.add_argument("--fragment-style", choices=("towncrier", "scriv"), default="towncrier")
    diff.add_argument("--fragment-type", default="feature", type=fragment_type,
                      help="towncrier fragment type: feature (the default), bugfix, doc, "
                      "removal, misc, or another lowercase word your configuration names")
    diff.set_defaults(run=_run_diff)

    snapshot = commands.add_parser(
        "snapshot", help="write a snapshot of a settings package (JSON) for later diffs",
        description="Write the settings of a package as versioned JSON, to commit at release "
        "time (e.g. docs/settings-snapshots/v1.2.json) so the changelog needs no git history.",
    )
    add_settings_argument(snapshot)
    add_output_argument(snapshot)
    _add_operating_arguments(snapshot, "record")
    snapshot.add_argument("--relative-to", metavar="DIR",
                          help="store paths relative to DIR (default: the git top level, or "
                          "the package's parent directory)")
    snapshot.set_defaults(run=_run_snapshot)
