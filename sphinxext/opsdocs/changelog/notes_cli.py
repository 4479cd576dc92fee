"""``opsdocs notes``: a release's "Settings and toggles" notes on the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from opsdocs._cli import (
    add_command,
    add_format_argument,
    add_sys_path_argument,
    day_argument,
    search_path,
)
from opsdocs.changelog.git import Repository
from opsdocs.changelog.locate import history_settings
from opsdocs.changelog.release_notes import Service, release_day, release_notes
from opsdocs.changelog.release_notes_text import notes_text
from opsdocs.changelog.toggle_changes import ToggleFacts, read_toggles_file
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.files import add_output_argument, write_output


def service_argument(text: str) -> tuple[str, str]:
    """``--service NAME=PATH``."""
    name, sep, path = text.partition("=")
    if not sep or not name.strip() or not path.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not NAME=PATH: name the service and its settings, such as "
            "LMS=lms/envs/common.py")
    return name.strip(), path.strip()


def tree_argument(text: str) -> tuple[str, list[str]]:
    """``--toggle-tree NAME=PATH[,PATH...]``."""
    name, sep, paths = text.partition("=")
    trees = [path.strip() for path in paths.split(",") if path.strip()]
    if not sep or not name.strip() or not trees:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not NAME=PATH: name the service and a code tree of it, such as "
            "LMS=lms (or several: LMS=lms,openedx,common,xmodule)")
    return name.strip(), trees


def _run_notes(args: argparse.Namespace) -> int:
    """Compare the settings (and toggles) of each service between two releases and write
    the release notes: settings and toggles apart, renames with their evidence, what
    several services share listed once. OLD and NEW are git refs (open-release/teak.1),
    WORKTREE (or '.') or snapshot files."""
    toggles: dict[str, tuple[tuple[ToggleFacts, ...], tuple[ToggleFacts, ...]]] = {}
    problems: list[Problem] = []
    for name, old, new in args.toggles:
        try:
            toggles[name] = (read_toggles_file(old), read_toggles_file(new))
        except OpsdocsError as error:
            problems.append(error.problem)
    trees: dict[str, list[Path]] = {}
    for name, paths in args.toggle_tree:
        trees.setdefault(name, []).extend(Path(path) for path in paths)
    directories = search_path(args)
    services = [Service(name, history_settings(Path(path), path, directories), toggles.get(name),
                        tuple(trees.get(name, ()))) for name, path in args.service]
    named = {service.name for service in services}
    problems += [Problem(f"{option} names {name}, which no --service names: give "
                         f"--service {name}=PATH", name, check="usage")
                 for option, given in (("--toggles", toggles), ("--toggle-tree", trees))
                 for name in given if name not in named]
    problems += [Problem(f"--toggles and --toggle-tree both name {name}: give one (the "
                         "toggle trees are read)", name, check="usage")
                 for name in toggles if name in trees]
    repositories: dict[str, Repository] = {}
    try:
        on = release_day(args.new, services[0].settings, args.date and args.date.isoformat(),
                         repositories)
        notes = release_notes(args.old, args.new, services, on, repositories=repositories,
                              search_path=directories)
    finally:
        for repository in repositories.values():
            repository.close()
    for problem in (*problems, *notes.problems):
        print(problem, file=sys.stderr)  # the rest of the notes is still written
    status = write_output(notes_text(notes, args.format, args.title, args.roles, args.link),
                          args.output, "release notes")
    return status or (1 if problems or notes.problems else 0)


def add_parsers(commands: Any) -> None:
    """Add ``notes`` to the ``opsdocs`` subcommands."""
    notes = add_command(commands, "notes", _run_notes,
                        "write a release's 'Settings and toggles' notes, for one or more services")
    notes.add_argument("old", metavar="OLD", help="the release before (open-release/teak.1)")
    notes.add_argument("new", metavar="NEW", help="the release the notes are for")
    notes.add_argument("--service", action="append", required=True, type=service_argument,
                       metavar="NAME=PATH",
                       help="a service and its settings (a module such as lms/envs/common.py, "
                       "a dotted module path, or a package); repeat for each service, in the "
                       "order to list them")
    add_sys_path_argument(notes, "dotted module paths and absolute star imports")
    notes.add_argument("--toggle-tree", action="append", default=[], type=tree_argument,
                       metavar="NAME=PATH",
                       help="a code tree of service NAME (a folder or Python file, such as "
                       "lms), whose toggles are read at OLD and NEW as 'opsdocs toggles' "
                       "reads them; repeat, or separate trees with commas: "
                       "LMS=lms,openedx,common,xmodule")
    notes.add_argument("--toggles", action="append", nargs=3, default=[],
                       metavar=("NAME", "OLD_JSON", "NEW_JSON"),
                       help="the toggles the code of service NAME defines at OLD and NEW, as "
                       "'opsdocs toggles --format json' wrote them at each (instead of --toggle-tree)")
    add_format_argument(notes, ("rst", "markdown", "json"), "rst")
    notes.add_argument("--title", default="Settings and toggles", help="the notes' heading")
    notes.add_argument("--roles", action="store_true",
                       help="write names as :setting: links (rst, for docs built with opsdocs)")
    notes.add_argument("--link", metavar="PATTERN",
                       help="link each name that the new release has to its reference: a URL "
                       "with {name} and {service} (the service's name in lowercase), such as "
                       "https://docs.example.com/{service}/settings.html#setting-{name}")
    notes.add_argument("--date", type=day_argument, metavar="YYYY-MM-DD",
                       help="the day toggles' target removal dates are compared with (default: "
                       "the date of NEW's commit)")
    add_output_argument(notes)
