"""``opsdocs sample-config`` and ``opsdocs check-config``: the operator's config, outside Sphinx."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from opsdocs.config.check import (
    check_config,
    compose_config,
    read_config_text,
)
from opsdocs.config.sample import sample_config, service_name
from opsdocs.config.schema import (
    config_schema,
    new_problems,
    read_schema,
    schema_problems,
    schema_text,
)
from opsdocs.errors import OpsdocsError, Problem, report
from opsdocs.files import add_output_argument, write_output
from opsdocs.settings.cli import add_settings_argument, read_arguments
from opsdocs.settings.django import django_setting_names
from opsdocs.settings.model import SettingsCatalog


def _run_sample_config(args: argparse.Namespace) -> int:
    catalog = read_arguments(args)
    if catalog.incomplete:  # a sample without some settings would mislead: write none
        return report(catalog.incomplete)
    # Named after the absolute path, so that "." still names the service.
    catalog = replace(catalog, root=str(Path(catalog.root).resolve()))
    schema = args.schema if args.schema is not None else \
        f"{service_name(catalog.root)}.schema.json"
    secrets = "out" if args.secrets_file else "in"
    text = sample_config(catalog, schema=schema or None, minimal=args.minimal,
                         secrets=secrets, env_var=args.config_var)
    if args.secrets_file:
        status = write_output(sample_config(catalog, schema=schema or None, secrets="only",
                                            env_var=args.config_var),
                              args.secrets_file, "secrets file")
        if status:
            return status
    return write_output(text, args.output, "sample config")


def _run_schema(args: argparse.Namespace) -> int:
    catalog = read_arguments(args)
    if catalog.incomplete:
        return report(catalog.incomplete)
    catalog = replace(catalog, root=str(Path(catalog.root).resolve()))
    allowed = set(args.allow) | (django_setting_names() if args.django_settings else set())
    schema = config_schema(catalog, strict=args.strict, allowed=allowed)
    return write_output(schema_text(schema), args.output, "schema")


def _run_check_config(args: argparse.Namespace) -> int:
    if not args.settings and args.schema is None:
        return report([Problem("give the settings (--settings PATH), a JSON Schema (--schema "
                               "FILE), or both", args.config[0], check="usage")])
    catalog = read_arguments(args, args.settings) if args.settings else None
    problems = list(catalog.incomplete) if catalog is not None else []
    allowed = set(args.allow)
    if args.django_settings:
        allowed |= django_setting_names()
    try:
        schema = (read_schema(args.schema) if args.schema else None if args.schema is None
                  else config_schema(catalog or SettingsCatalog(""), strict=True,
                                     allowed=allowed))
    except OpsdocsError as error:
        return report([*problems, error.problem])
    for path in args.config:
        try:
            text = read_config_text(path)
            found = check_config(catalog, text, path, allowed=allowed) if catalog else []
            if schema is not None:  # what the check above did not already say
                found += new_problems(schema_problems(schema, compose_config(text, path), path),
                                      found)
        except OpsdocsError as error:
            found = [error.problem]
        if not found:
            print(f"{path}: no problems")
        problems.extend(found)
    return report(problems)


def add_parsers(commands: Any) -> None:
    """Add ``sample-config``, ``schema`` and ``check-config`` to the ``opsdocs`` subcommands."""
    sample = commands.add_parser(
        "sample-config", help="print a sample YAML config of a settings package",
        description="Print the YAML an operator starts from: every required setting with a "
        "placeholder, every default commented out.",
    )
    add_settings_argument(sample)
    add_output_argument(sample)
    sample.add_argument("--minimal", action="store_true",
                        help="the required settings only, without the commented defaults")
    sample.add_argument("--secrets-file", metavar="FILE",
                        help="write the secret settings to FILE instead, for operators "
                        "who keep secrets apart")
    sample.add_argument("--schema", metavar="URL",
                        help="the JSON Schema the first line names for editors (default: "
                        "SERVICE.schema.json, as 'opsdocs schema' writes it; '' for none)")
    sample.add_argument("--config-var", metavar="NAME",
                        help="the environment variable naming the config file (LMS_CFG); "
                        "default: the one the settings read, else <SERVICE>_CFG_PATH")
    sample.set_defaults(run=_run_sample_config)

    schema = commands.add_parser(
        "schema", help="print a JSON Schema of the YAML config of a settings package",
        description="Print a JSON Schema (draft 2020-12) that editors validate a config "
        "with: each setting's description, type, literal default, required, deprecated and "
        "secret (writeOnly) settings.",
    )
    add_settings_argument(schema)
    add_output_argument(schema)
    schema.add_argument("--strict", action="store_true",
                        help="refuse keys that are no setting (as the loader's strict=True)")
    schema.add_argument("--allow", action="append", default=[], metavar="NAME",
                        help="with --strict, a key to accept though no setting defines it")
    schema.add_argument("--no-django-settings", dest="django_settings", action="store_false",
                        help="with --strict, do not accept Django's own settings")
    schema.set_defaults(run=_run_schema)

    config_check = commands.add_parser(
        "check-config", help="check YAML config files against a settings package",
        description="Report unknown keys, missing required settings, deprecated settings, "
        "values of the wrong type and YAML errors, each with its line; exit status 1 if any.",
    )
    config_check.add_argument("config", nargs="+", help="the YAML config file(s) to check")
    add_settings_argument(config_check, "--settings", required=False,
                          detail="; needed unless --schema FILE is given")
    config_check.add_argument("--schema", nargs="?", const="", metavar="FILE",
                              help="also validate with a JSON Schema: FILE (as 'opsdocs schema' "
                              "writes it, or downloaded from the docs), or without FILE the "
                              "one of --settings, strict (needs jsonschema: pip install "
                              "'opsdocs[schema]')")
    config_check.add_argument("--allow", action="append", default=[], metavar="NAME",
                              help="a key to accept though no setting defines it (a pattern "
                              "such as 'CELERY_*' works); repeat for more")
    config_check.add_argument("--no-django-settings", dest="django_settings",
                              action="store_false",
                              help="do not accept Django's own settings (DATABASES, LOGGING "
                              "...) unless the settings package defines them")
    config_check.set_defaults(run=_run_check_config)
