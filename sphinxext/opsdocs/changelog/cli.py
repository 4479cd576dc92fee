"""``opsdocs diff`` and ``opsdocs snapshot``: the settings changelog on the command line."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from opsdocs.changelog.diff import Release, diff_releases
from opsdocs.changelog.git import Repository, find_settings_package
from opsdocs.changelog.history import WORKTREE, read_release
from opsdocs.changelog.text import diff_text, scriv_fragment, towncrier_fragment
from opsdocs.errors import OpsdocsError, Problem, report
from opsdocs.files import add_output_argument, write_atomically, write_output
from opsdocs.markup import FORMATS
from opsdocs.settings.cli import add_settings_argument
from opsdocs.settings.reader import read_settings_package
from opsdocs.settings.snapshot import snapshot_text


def _release(spec: str, settings: Path) -> Release:
    release = read_release(spec, settings)
    if release.problems:
        raise OpsdocsError(release.problems[0])
    return release


def _run_diff(args: argparse.Namespace) -> int:
    settings = Path(args.settings or ".")
    if args.settings is None and not (args.old.endswith(".json") and args.new.endswith(".json")):
        settings = find_settings_package(Path.cwd())
    old = _release(args.old, settings)
    new = _release(args.new, settings)
    changes = diff_releases(old, new)
    if args.fragment:
        return _write_fragment(args, changes, old.name, new.name)
    sys.stdout.write(diff_text(changes, old.name, new.name, args.format, args.title, args.roles))
    return 0


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
        safe = "".join(c if c.isalnum() or c in "-._" else "-" for c in new)
        path = directory / f"+settings-{safe}.{args.fragment_type}.{suffix}"
        text = towncrier_fragment(changes, old, markup)
    write_atomically(path, lambda stream: stream.write(text))
    print(path)
    return 0


def _run_snapshot(args: argparse.Namespace) -> int:
    settings = Path(args.path)
    catalog = read_settings_package(settings)
    if catalog.incomplete:
        return report(catalog.incomplete)
    base = Path(args.relative_to) if args.relative_to else _default_base(settings)
    return write_output(snapshot_text(catalog, base), args.output, "snapshot")


def _default_base(settings: Path) -> Path:
    """The git top level when the package is in a repository, else the package's parent."""
    try:
        return Repository(settings).top
    except OpsdocsError:
        return settings.resolve().parent


def add_parsers(commands: Any) -> None:
    """Add ``diff`` and ``snapshot`` to the ``opsdocs`` subcommands."""
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
    diff.add_argument("--fragment", metavar="DIR",
                      help="write a news fragment into DIR instead of printing")
    diff.add_argument("--fragment-style", choices=("towncrier", "scriv"), default="towncrier")
    diff.add_argument("--fragment-type", default="feature",
                      help="towncrier fragment type (default: feature)")
    diff.set_defaults(run=_run_diff)

    snapshot = commands.add_parser(
        "snapshot", help="write a snapshot of a settings package (JSON) for later diffs",
        description="Write the settings of a package as versioned JSON, to commit at release "
        "time (e.g. docs/settings-snapshots/v1.2.json) so the changelog needs no git history.",
    )
    add_settings_argument(snapshot)
    add_output_argument(snapshot)
    snapshot.add_argument("--relative-to", metavar="DIR",
                          help="store paths relative to DIR (default: the git top level, or "
                          "the package's parent directory)")
    snapshot.set_defaults(run=_run_snapshot)
