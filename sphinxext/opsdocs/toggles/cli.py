"""``opsdocs toggles``: the feature toggles of code trees on the command line."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from opsdocs._cli import add_command, add_format_argument, add_sys_path_argument, day_argument, search_path
from opsdocs.errors import report
from opsdocs.files import add_output_argument, write_output
from opsdocs.reading.tree import ScanOptions
from opsdocs.toggles.checks import no_toggles
from opsdocs.toggles.model import CHECKS
from opsdocs.toggles.reader import ReadOptions, read_toggles
from opsdocs.toggles.text import FORMATS, catalog_text


def _run_toggles(args: argparse.Namespace) -> int:
    """Read Python code trees statically (never imported) for feature toggles: WaffleFlag,
    CourseWaffleFlag, WaffleSwitch, ExperimentWaffleFlag, SettingToggle, SettingDictToggle,
    documented ConfigurationModel subclasses, Django settings and waffle names only read
    (switch_is_active('name')), with their code-annotations blocks; print them, and report
    where a block and the code disagree. Exit status 1 when there are problems."""
    today = args.today or date.today()
    options = ReadOptions(ScanOptions(tuple(args.include), tuple(args.exclude), args.tests),
                          today)
    catalog = read_toggles(args.path, options, search_path=search_path(args))
    status = write_output(catalog_text(catalog, args.format, today), args.output,
                          "toggles reference")
    ignored = set(args.ignore)
    problems = [p for p in catalog.problems if p.check not in ignored]
    if not catalog.toggles and not catalog.problems:  # as the directive warns
        problems.append(no_toggles(" ".join(args.path)))
    return report(problems) or status


def add_parsers(commands: Any) -> None:
    """Add ``toggles`` to the ``opsdocs`` subcommands."""
    toggles = add_command(commands, "toggles", _run_toggles,
                          "list the feature toggles of code trees, and check their annotations")
    toggles.add_argument("path", nargs="+",
                         help="folders or Python files to read (lms openedx), or dotted "
                         "packages found on the search path")
    add_format_argument(toggles, FORMATS, "text")
    add_output_argument(toggles)
    reading = toggles.add_argument_group("reading the trees")
    add_sys_path_argument(reading, "dotted packages and absolute imports")
    reading.add_argument("--include", action="append", default=[], metavar="PATTERN",
                         help="read folders skipped by default (.venv, site-packages, "
                         "node_modules, build, tests) whose path or name matches PATTERN")
    reading.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                         help="skip the files and folders whose path or name matches PATTERN")
    reading.add_argument("--tests", action="store_true", help="read the tests too")
    reading.add_argument("--today", type=day_argument, metavar="YYYY-MM-DD",
                         help="the day target removal dates are past from (default: today)")
    toggles.add_argument("--ignore", action="append", default=[], choices=sorted(CHECKS),
                         metavar="CHECK", help="do not report problems of this kind (one of: "
                         f"{', '.join(sorted(CHECKS))}); repeat for more")
