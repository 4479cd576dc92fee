"""``opsdocs diff`` and ``opsdocs snapshot``: the settings changelog on the command line."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from opsdocs._cli import add_command, add_format_argument, search_path
from opsdocs.changelog.diff import diff_releases
from opsdocs.changelog.git import Repository, find_settings_package
from opsdocs.changelog.history import read_operating, read_release, tell_absence
from opsdocs.changelog.locate import history_sources
from opsdocs.changelog.model import Release
from opsdocs.changelog.operating import comparable, diff_operations, operations_to_json
from opsdocs.changelog.text import diff_text, scriv_fragment, towncrier_fragment
from opsdocs.errors import OpsdocsError, Problem, report
from opsdocs.files import add_output_argument, write_atomically, write_output
from opsdocs.markup import FORMATS
from opsdocs.settings.cli import add_file_command, add_settings_argument, read_arguments
from opsdocs.settings.snapshot import snapshot_text


def _release(spec: str, settings: Path, modules: tuple[Path, ...],
             operating: tuple[tuple[str, Path], ...], directories: list[Path]) -> Release:
    release = read_release(spec, settings, operating=operating, search_path=directories,
                           modules=modules)
    if release.problems:
        raise OpsdocsError(release.problems[0])
    for problem in release.operations.problems if release.operations else ():
        print(problem, file=sys.stderr)  # a note: the rest compares
    return release


def _run_diff(args: argparse.Namespace) -> int:
    """Compare the settings of two releases and print a changelog section. OLD and NEW are
    git refs (tags, branches, commits), WORKTREE (or '.') for the working tree, or snapshot
    files (*.json) written by 'opsdocs snapshot'."""
    directories = search_path(args)
    modules: tuple[Path, ...] = ()
    if args.settings:
        settings, modules = history_sources(args.settings, directories)
    elif args.old.endswith(".json") and args.new.endswith(".json"):
        settings = Path(".")
    else:
        settings = find_settings_package(Path.cwd())
    operating = _operating_files(args)
    old = _release(args.old, settings, modules, operating, directories)
    new = _release(args.new, settings, modules, operating, directories)
    status = tell_absence(old, new)
    if status:
        return status
    changes = diff_releases(old, new)
    operated = (diff_operations(old.operations, new.operations)
                if comparable(old.operations, new.operations) else None)
    if args.fragment:
        return _write_fragment(args, changes, old.name, new.name, operated)
    text = diff_text(changes, old.name, new.name, args.format, args.title, args.roles, operated)
    return write_output(text, args.output, "changelog section")


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


def _write_fragment(args: argparse.Namespace, changes: Any, old: str, new: str,
                    operated: Any) -> int:
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
        text = scriv_fragment(changes, markup, operated)
    else:
        safe = "".join(c if c.isascii() and (c.isalnum() or c in "-._") else "-" for c in new)
        path = directory / f"+settings-{safe}.{args.fragment_type}.{suffix}"
        text = towncrier_fragment(changes, old, markup, operated)
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
    """Write the settings of a package as versioned JSON, to commit at release time (e.g.
    docs/settings-snapshots/v1.2.json) so the changelog needs no git history."""
    catalog = read_arguments(args)
    settings = Path(catalog.root)
    if catalog.incomplete:
        return report(catalog.incomplete)
    base = Path(args.relative_to) if args.relative_to else _default_base(settings)
    operating = _operating_files(args)
    operations = read_operating(operating)
    if operations.problems:  # a snapshot records what the files say: they must be read
        return report(operations.problems)
    extra = {"operations": operations_to_json(operations)} if operating else None
    return write_output(snapshot_text(catalog, base, extra), args.output, "snapshot")


def _default_base(settings: Path) -> Path:
    """The git top level when the package is in a repository, else the package's parent."""
    try:
        return Repository(settings).top
    except OpsdocsError:
        return settings.resolve().parent


def add_parsers(commands: Any) -> None:
    """Add ``diff`` and ``snapshot`` to the ``opsdocs`` subcommands."""
    diff = add_command(commands, "diff", _run_diff,
                       "print the settings changes between two releases")
    diff.add_argument("old", metavar="OLD", help="the older release")
    diff.add_argument("new", metavar="NEW", help="the newer release")
    add_settings_argument(diff, required=False,
                          detail="; by default the one git sees in the current directory")
    add_format_argument(diff, FORMATS, "rst")
    diff.add_argument("--title", default="Settings", help="the section's heading")
    diff.add_argument("--roles", action="store_true",
                      help="link settings with :setting: (rst; for docs built with opsdocs)")
    _add_operating_arguments(diff, "compare")
    written = diff.add_mutually_exclusive_group()
    add_output_argument(written)
    written.add_argument("--fragment", metavar="DIR",
                         help="write a news fragment into DIR instead of printing")
    diff.add_argument("--fragment-style", choices=("towncrier", "scriv"), default="towncrier",
                      help="the news fragment tool: towncrier (the default) or scriv")
    diff.add_argument("--fragment-type", default="feature", type=fragment_type,
                      help="towncrier fragment type: feature (the default), bugfix, doc, "
                      "removal, misc, or another lowercase word your configuration names")

    snapshot = add_file_command(commands, "snapshot", _run_snapshot,
                                "write a snapshot of a settings package (JSON) for later diffs")
    _add_operating_arguments(snapshot, "record")
    snapshot.add_argument("--relative-to", metavar="DIR",
                          help="store paths relative to DIR (default: the git top level, or "
                          "the package's parent directory)")
