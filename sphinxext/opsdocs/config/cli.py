"""``opsdocs sample-config``, ``schema``, ``check-config`` and ``upgrade``: the operator's
config, outside Sphinx."""

from __future__ import annotations

import argparse
import codecs
import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from opsdocs._cli import Deprecated, add_command, add_format_argument
from opsdocs.changelog.cache import Changelog, read_changelog
from opsdocs.changelog.diff import diff_catalogs
from opsdocs.changelog.history import (
    HistorySource,
    read_release,
    read_snapshot,
    tell_absence,
)
from opsdocs.changelog.model import ReleaseChanges
from opsdocs.config.check import check_root, compose_config, read_config_text
from opsdocs.config.fix import fixed_config, masked_composed, masked_diff, plain_config
from opsdocs.config.releases import upgrade_source
from opsdocs.config.sample import sample_config, service_name
from opsdocs.config.schema import (
    config_schema,
    new_problems,
    read_schema,
    schema_problems,
    schema_text,
)
from opsdocs.config.upgrade import config_keys, upgrade_config
from opsdocs.config.upgrade_text import upgrade_text
from opsdocs.errors import OpsdocsError, Problem, UsageError, report
from opsdocs.files import write_atomically, write_output
from opsdocs.reading import CONFIG_FILE, decode_text, read_bytes
from opsdocs.settings.cli import (
    add_django_settings_argument,
    add_file_command,
    add_settings_argument,
    django_names,
    read_arguments,
    settings_specs,
)
from opsdocs.settings.model import SettingsCatalog
from opsdocs.settings.sources import unread_names


def _run_sample_config(args: argparse.Namespace) -> int:
    """Print the YAML an operator starts from: every required setting with a placeholder,
    every default commented out."""
    sources = settings_specs(args)
    catalog = read_arguments(args, sources)
    if catalog.incomplete:  # a sample without some settings would mislead: write none
        return report(catalog.incomplete)
    # Named after the absolute path, so that "." still names the service.
    catalog = replace(catalog, root=str(Path(catalog.root).resolve()))
    schema = args.schema if args.schema is not None else \
        f"{service_name(catalog.root)}.schema.json"
    secrets = "out" if args.secrets_file else "in"
    text = sample_config(catalog, schema=schema or None, minimal=args.minimal,
                         secrets=secrets, env_var=args.config_var, sources=sources)
    if args.secrets_file:
        status = write_output(sample_config(catalog, schema=schema or None, secrets="only",
                                            env_var=args.config_var, sources=sources),
                              args.secrets_file, "secrets file")
        if status:
            return status
    return write_output(text, args.output, "sample config")


def _run_schema(args: argparse.Namespace) -> int:
    """Print a JSON Schema (draft 2020-12) that editors validate a config with: each
    setting's description, type, literal default, required, deprecated and secret
    (writeOnly) settings."""
    sources = settings_specs(args)
    catalog = read_arguments(args, sources)
    if catalog.incomplete:
        return report(catalog.incomplete)
    catalog = replace(catalog, root=str(Path(catalog.root).resolve()))
    schema = config_schema(catalog, strict=not args.lenient, allowed=_allowed(args),
                           sources=sources)
    return write_output(schema_text(schema), args.output, "schema")


def _run_check_config(args: argparse.Namespace) -> int:
    """Report unknown keys, missing required settings, deprecated settings, values of the
    wrong type and YAML errors, each with its line; exit status 1 if any."""
    if not args.settings and args.schema is None:
        raise UsageError("give the settings (--settings PATH), a JSON Schema (--schema FILE), "
                         "or both")
    catalog = read_arguments(args, args.settings) if args.settings else None
    problems = list(catalog.incomplete) if catalog is not None else []
    # settings a broken file leaves out of the catalog are no unknown keys to remove
    allowed = _allowed(args) | unread_names(problems)
    try:
        schema = (read_schema(args.schema) if args.schema else None if args.schema is None
                  else config_schema(catalog or SettingsCatalog(""), strict=True,
                                     allowed=allowed))
    except OpsdocsError as error:
        return report([*problems, error.problem])
    for path in args.config:
        try:
            root = compose_config(read_config_text(path), path)
            found = check_root(catalog, root, path, allowed=allowed) if catalog else []
            if schema is not None:  # what the check above did not already say
                found += new_problems(schema_problems(schema, root, path, args.schema or None),
                                      found)
        except OpsdocsError as error:
            found = [error.problem]
        if not found:
            print(f"{path}: no problems")
        problems.extend(found)
    return report(problems)


# -- opsdocs upgrade ----------------------------------------------------------------------


def _run_upgrade(args: argparse.Namespace) -> int:
    """Report what upgrading from one release to another means for CONFIG, each item at its
    line: keys removed, renamed, deprecated or of a changed type, settings newly required
    that it does not set, defaults changed under keys it leaves unset, keys already
    unknown. Releases are git refs (every tag between them counts) or snapshots. Exit
    status 1 when something needs doing."""
    config = Path(args.config)
    data = read_bytes(config, CONFIG_FILE)
    text = decode_text(data, str(config), CONFIG_FILE)  # line ends kept; a BOM put back
    root = plain_config(text, str(config))
    source, old, new = upgrade_source(args)
    history = _upgrade_history(source, old, new)
    releases = {entry.name: entry.release for entry in history.entries}
    status = tell_absence(releases[old], releases[new])
    if status:
        return status
    ends = [_catalog(source, name, history.catalogs) for name in (old, new)]
    before, after = (catalog or SettingsCatalog(str(source.settings)) for catalog in ends)
    entries = history.entries
    if None in ends:  # a settings module not there at one end: compared as empty, as diff is
        entries = (ReleaseChanges(releases[new], "changes", old, diff_catalogs(before, after)),)
    found = upgrade_config(config_keys(root), entries, before, after,
                            file=str(config), old=old, new=new, allowed=_allowed(args))
    sys.stdout.write(upgrade_text(found, args.format))
    if not (args.fix or args.dry_run):
        return 1 if found.actions else 0
    secrets = {s.name for s in (*before, *after) if s.secret}
    secrets |= {i.key for i in found.items if i.setting in secrets}
    fixed = fixed_config(text, root, found, secrets, str(config))  # refused: a located problem
    if args.dry_run and fixed == text:
        sys.stdout.write(f"{config}: --fix would change nothing\n")
    elif args.dry_run:
        shown = masked_composed(text, root, secrets)
        sys.stdout.write(masked_diff(shown, fixed_config(
            shown, compose_config(shown, str(config)), found, secrets, str(config)),
            str(config)))
    elif fixed != text:
        bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
        status = _write_fixed(config, bom + fixed.encode("utf-8"), args.backup)
        if status:
            return status
        print(f"{config}: rewritten for {new}")
    left = [i for i in found.actions if i.kind not in ("renamed", "removed", "unknown")
            and not (i.kind == "moved" and i.parent)]
    return 1 if left else 0


#: What ``--backup`` adds to the config's name.
BACKUP_SUFFIX = ".orig"


def _write_fixed(config: Path, data: bytes, backup: bool) -> int:
    """Replace *config* whole (the file a symbolic link names), keeping its mode and owner;
    a problem when it cannot be."""
    real = Path(os.path.realpath(config))
    try:
        mode = stat.S_IMODE(real.stat().st_mode)
        writable = mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # root too: respect it
        if not writable or not os.access(real, os.W_OK) or not os.access(real.parent, os.W_OK):
            raise PermissionError(13, "the file or its directory is read-only")
        write_atomically(real, lambda stream: stream.write(data), binary=True, parents=False,
                         keep_owner=True,
                         backup=real.with_name(real.name + BACKUP_SUFFIX) if backup else None)
    except OSError as error:
        return report([Problem(
            f"cannot rewrite the config: {error.strerror or error}; nothing was written "
            "(make it writable, or use --dry-run and apply the diff yourself)",
            str(config), check="upgrade")])
    if backup:
        print(f"{config}: the version before is kept as {real.name}{BACKUP_SUFFIX}")
    return 0


def _upgrade_history(source: HistorySource, old: str, new: str) -> Changelog:
    """The changelog from *old* to *new*; raises the problem that makes either unreadable
    (those of releases between are told as notes: they are compared across)."""
    history = read_changelog(source, keep=(old, new))
    for problem in history.problems:
        raise OpsdocsError(problem)
    for entry in history.entries:  # compared across, so the report is whole: a note
        for problem in () if entry.name in (old, new) else entry.release.problems:  # raised
            print(f"{problem} (its changes are compared across it)", file=sys.stderr)
        for problem in entry.release.operations.problems if entry.release.operations else ():
            print(problem, file=sys.stderr)
    releases = {entry.name: entry.release for entry in history.entries}
    for name in (old, new):
        if releases.get(name) is None or releases[name].problems:
            problems = releases[name].problems if name in releases else ()
            raise OpsdocsError(problems[0] if problems else Problem(
                f"cannot read the settings of {name}", str(source.settings), check="upgrade"))
    return history


def _catalog(source: HistorySource, name: str,
             read: Mapping[str, SettingsCatalog]) -> SettingsCatalog | None:
    """The catalog of release *name*: one the changelog kept (*read*), else read again;
    ``None`` when the settings are not there (:func:`tell_absence` told it)."""
    if name in read:
        return read[name]
    if source.snapshots is not None:
        release = read_snapshot(source.snapshots / f"{name}.json")
    else:
        release = read_release(name, source.settings, source.sentinels,
                               search_path=source.search_path, modules=source.modules)
    if release.problems:
        raise OpsdocsError(release.problems[0])
    return release.catalog


def _allowed(args: argparse.Namespace) -> set[str]:
    """The keys to accept though no setting defines them: ``--allow``, and Django's own
    settings (:func:`_add_allowed_arguments`)."""
    return set(args.allow) | django_names(args)


def _add_allowed_arguments(parser: argparse.ArgumentParser, allow: str) -> None:
    """``--allow NAME`` (*allow* says what it does) and ``--no-django-settings``."""
    parser.add_argument("--allow", action="append", default=[], metavar="NAME", help=allow)
    add_django_settings_argument(parser, "do not accept Django's own settings (DATABASES, "
                                 "LOGGING ...) unless the settings define them")


#: What ``--allow`` does, where a pattern works.
_ALLOW = ("a key to accept though no setting defines it (a pattern such as 'CELERY_*' "
          "works); repeat for more")


def add_parsers(commands: Any) -> None:
    """Add ``sample-config``, ``schema`` and ``check-config`` to the ``opsdocs`` subcommands."""
    sample = add_file_command(commands, "sample-config", _run_sample_config,
                              "print a sample YAML config of a settings package")
    sample.add_argument("--minimal", action="store_true",
                        help="the required settings only, without the commented defaults")
    sample.add_argument("--secrets-file", metavar="FILE",
                        help="write the secret settings to FILE instead, for operators "
                        "who keep secrets apart")
    sample.add_argument("--schema-url", dest="schema", metavar="URL",
                        help="the JSON Schema the first line names for editors (default: "
                        "SERVICE.schema.json, as 'opsdocs schema' writes it; '' for none)")
    sample.add_argument("--schema", dest="schema", action=Deprecated, help=argparse.SUPPRESS,
                        advice="use --schema-url (--schema is check-config's JSON Schema file)")
    sample.add_argument("--config-var", metavar="NAME",
                        help="the environment variable naming the config file (LMS_CFG); "
                        "default: the one the settings read, else <SERVICE>_CFG_PATH")

    schema = add_file_command(commands, "schema", _run_schema,
                              "print a JSON Schema of the YAML config of a settings package")
    strictness = schema.add_mutually_exclusive_group()
    strictness.add_argument("--strict", action="store_false", dest="lenient",
                            help="refuse keys that are no setting, and keys of a dict setting "
                            "whose doc names its keys (FEATURES) that are none of them, as the "
                            "loader's strict=True and check-config do (the default)")
    strictness.add_argument("--lenient", action="store_true",
                            help="describe the settings only: accept any other key")
    _add_allowed_arguments(schema, _ALLOW)
    schema.set_defaults(lenient=False)

    config_check = add_command(commands, "check-config", _run_check_config,
                               "check YAML config files against a settings package")
    config_check.add_argument("config", nargs="+", help="the YAML config file(s) to check")
    add_settings_argument(config_check, required=False,
                          detail="; needed unless --schema FILE is given")
    config_check.add_argument("--schema", nargs="?", const="", metavar="FILE",
                              help="also validate with a JSON Schema: FILE (as 'opsdocs schema' "
                              "writes it, or downloaded from the docs), or without FILE the "
                              "one of --settings, strict (needs jsonschema: pip install "
                              "'opsdocs[schema]')")
    _add_allowed_arguments(config_check, _ALLOW)


def add_upgrade_parser(commands: Any) -> None:
    """Add ``upgrade`` to the ``opsdocs`` subcommands."""
    upgrade = add_command(commands, "upgrade", _run_upgrade,
                          "what upgrading to a release means for a config file")
    upgrade.add_argument("config", metavar="CONFIG", help="the YAML config file")
    upgrade.add_argument("--from", dest="old", required=True, metavar="REF",
                         help="the release the config is for: a git ref, or a snapshot")
    upgrade.add_argument("--to", dest="new", required=True, metavar="REF",
                         help="the release to upgrade to")
    add_settings_argument(upgrade, required=False,
                          detail="; by default the one git sees in the current directory")
    upgrade.add_argument("--snapshots", metavar="DIR",
                         help="read releases from the snapshots in DIR (REF.json) instead of git")
    upgrade.add_argument("--tags", metavar="PATTERN", action="append",
                         help="the tags that are releases, a pattern matching their names "
                         "(repeat for more; default: those in the folder of --from and --to, "
                         "such as open-release/* with release/*, else v*)")
    add_format_argument(upgrade, ("text", "markdown", "json"), "text")
    upgrade.add_argument("--fix", action="store_true",
                         help="rewrite CONFIG: rename the keys reported, comment out removed "
                         "ones with the reason; every other byte as it was")
    upgrade.add_argument("--dry-run", action="store_true",
                         help="print the diff --fix would make, secrets hidden; write nothing")
    upgrade.add_argument("--backup", action="store_true",
                         help=f"with --fix, keep the file as it was beside it ({BACKUP_SUFFIX})")
    _add_allowed_arguments(upgrade, "a key that is fine though no setting defines it; repeat "
                           "for more")
