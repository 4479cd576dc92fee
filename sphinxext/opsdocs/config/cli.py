"""``opsdocs sample-config`` and ``opsdocs check-config``: the operator's config, outside Sphinx."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from opsdocs.config.check import check_config, django_setting_names, read_config_text
from opsdocs.config.sample import sample_config
from opsdocs.errors import OpsdocsError, Problem, report
from opsdocs.files import write_text
from opsdocs.settings.reader import read_settings_package


def _run_sample_config(args: argparse.Namespace) -> int:
    catalog = read_settings_package(args.path)
    if catalog.incomplete:  # a sample without some settings would mislead: write none
        return report(catalog.incomplete)
    # Named after the absolute path, so that "." still names the service.
    text = sample_config(replace(catalog, root=str(Path(args.path).resolve())))
    if args.output:
        try:
            write_text(args.output, text)
        except OSError as error:
            return report([Problem(f"cannot write the sample config: {error.strerror or error}",
                                   args.output, check="output")])
    else:
        sys.stdout.write(text)
    return 0


def _run_check_config(args: argparse.Namespace) -> int:
    catalog = read_settings_package(args.settings)
    problems = list(catalog.incomplete)
    allowed = set(args.allow)
    if args.django_settings:
        allowed |= django_setting_names()
    for path in args.config:
        try:
            found = check_config(catalog, read_config_text(path), path, allowed=allowed)
        except OpsdocsError as error:
            found = [error.problem]
        if not found:
            print(f"{path}: no problems")
        problems.extend(found)
    return report(problems)


def add_parsers(commands: Any) -> None:
    """Add ``sample-config`` and ``check-config`` to the ``opsdocs`` subcommands."""
    sample = commands.add_parser(
        "sample-config", help="print a sample YAML config of a settings package",
        description="Print the YAML an operator starts from: every required setting with a "
        "placeholder, every default commented out.",
    )
    sample.add_argument("path", help="the settings package (the directory with required.py)")
    sample.add_argument("-o", "--output", metavar="FILE",
                        help="write the sample to FILE instead of standard output")
    sample.set_defaults(run=_run_sample_config)

    config_check = commands.add_parser(
        "check-config", help="check YAML config files against a settings package",
        description="Report unknown keys, missing required settings, deprecated settings, "
        "values of the wrong type and YAML errors, each with its line; exit status 1 if any.",
    )
    config_check.add_argument("config", nargs="+", help="the YAML config file(s) to check")
    config_check.add_argument("--settings", required=True, metavar="PATH",
                              help="the settings package (the directory with required.py)")
    config_check.add_argument("--allow", action="append", default=[], metavar="NAME",
                              help="a key to accept though no setting defines it (a pattern "
                              "such as 'CELERY_*' works); repeat for more")
    config_check.add_argument("--no-django-settings", dest="django_settings",
                              action="store_false",
                              help="do not accept Django's own settings (DATABASES, LOGGING "
                              "...) unless the settings package defines them")
    config_check.set_defaults(run=_run_check_config)
