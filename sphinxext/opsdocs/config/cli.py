"""``opsdocs sample-config`` and ``opsdocs check-config``: the operator's config, outside Sphinx."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from opsdocs.config.check import check_config, django_setting_names, read_config_text
from opsdocs.config.sample import sample_config
from opsdocs.errors import OpsdocsError, report
from opsdocs.files import add_output_argument, write_output
from opsdocs.settings.cli import add_settings_argument
from opsdocs.settings.reader import read_settings_package


def _run_sample_config(args: argparse.Namespace) -> int:
    catalog = read_settings_package(args.path)
    if catalog.incomplete:  # a sample without some settings would mislead: write none
        return report(catalog.incomplete)
    # Named after the absolute path, so that "." still names the service.
    text = sample_config(replace(catalog, root=str(Path(args.path).resolve())))
    return write_output(text, args.output, "sample config")


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
    add_settings_argument(sample)
    add_output_argument(sample)
    sample.set_defaults(run=_run_sample_config)

    config_check = commands.add_parser(
        "check-config", help="check YAML config files against a settings package",
        description="Report unknown keys, missing required settings, deprecated settings, "
        "values of the wrong type and YAML errors, each with its line; exit status 1 if any.",
    )
    config_check.add_argument("config", nargs="+", help="the YAML config file(s) to check")
    add_settings_argument(config_check, "--settings")
    config_check.add_argument("--allow", action="append", default=[], metavar="NAME",
                              help="a key to accept though no setting defines it (a pattern "
                              "such as 'CELERY_*' works); repeat for more")
    config_check.add_argument("--no-django-settings", dest="django_settings",
                              action="store_false",
                              help="do not accept Django's own settings (DATABASES, LOGGING "
                              "...) unless the settings package defines them")
    config_check.set_defaults(run=_run_check_config)
