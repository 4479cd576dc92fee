"""Django's own management commands, as the installed Django builds their parsers.

Part of what a Django command offers is decided when it runs: ``createsuperuser`` adds an
option per field of the user model (``--username``, ``--email``) and builds a help text
with ``%``.  Its code read statically (:mod:`opsdocs.operations.command_module`) cannot
say those, so the commands of the ``django`` package are asked of the installed Django,
in a separate Python process configured with Django's own apps only (the default user
model, no database): the service's code and settings are never imported.  Only a Django
installed in this Python's own site directories is run, never a ``django`` folder found
in the service's tree or on its search path.  Where that cannot be done, the static read
stands.
"""

from __future__ import annotations

import functools
import json
import os
import site
import subprocess
import sys
import sysconfig
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from opsdocs.operations.model import RUN_TIME, Argument, ManagementCommand

#: How long the other process may take (importing Django and its commands).
TIMEOUT = 60

# Run by ``python -I -c``: argv[1] is JSON: the directories to import Django from, the
# django.contrib apps to install, the command modules to read, the words for a default
# the code decides when it runs (RUN_TIME).  Prints JSON: each
# module's help and arguments, or nothing for one that fails.
_SCRIPT = r'''
import argparse, json, sys
paths, apps, modules, run_time = json.loads(sys.argv[1])
sys.path[:0] = paths
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=apps, DATABASES={}, SECRET_KEY="opsdocs", USE_TZ=True,
                   STATIC_URL="/static/")
django.setup()
from importlib import import_module
from django.core.management.base import CommandParser

def value(default):
    if default is None or default is argparse.SUPPRESS or isinstance(default, bool):
        return None
    if isinstance(default, (str, int, float)):
        return str(default)
    if isinstance(default, (list, tuple)) and all(isinstance(v, str) for v in default):
        return " ".join(default) if default else None
    return run_time

found = {}
for module in modules:
    try:
        command = import_module(module).Command()
        parser = CommandParser(prog=module.rsplit(".", 1)[-1], add_help=False)
        command.add_arguments(parser)
        formatter = parser._get_formatter()
        arguments = []
        for action in parser._actions:
            help = action.help if isinstance(action.help, str) else ""
            if "%" in help:
                help = formatter._expand_help(action)
            arguments.append({
                "flags": list(action.option_strings), "dest": action.dest,
                "metavar": action.metavar if isinstance(action.metavar, str) else None,
                "nargs": action.nargs if isinstance(action.nargs, (str, int)) else None,
                "required": bool(action.required), "help": help,
                "default": value(action.default),
                "choices": [str(c) for c in action.choices] if action.choices else [],
            })
        found[module] = {"help": str(command.help or ""), "arguments": arguments}
    except Exception:
        continue
print(json.dumps(found))
'''


#: Apps of ``django.contrib`` that need more than Django (GDAL, psycopg) to be set up:
#: their commands are read statically.
NEEDS_LIBRARIES = frozenset({"django.contrib.gis", "django.contrib.postgres"})


def with_installed_django(command: ManagementCommand) -> ManagementCommand:
    """*command* (read statically) as the installed Django builds it, when it is one of
    Django's own and that Django answers; else *command* as it is."""
    package = installed_django()
    if not command.module.startswith("django.") or package is None or \
            not Path(command.file).resolve().is_relative_to(package.resolve()):
        return command  # not the installed Django's own command module
    found = _read().get(command.module)
    if found is None:
        return command
    static = {argument.name: argument for argument in command.arguments}
    arguments = tuple(_argument(action, static) for action in found["arguments"])
    return replace(command, help=" ".join(found["help"].split()) or command.help,
                   arguments=arguments)


def installed_django() -> Path | None:
    """The ``django`` package installed in this Python's site directories, if any."""
    paths = sysconfig.get_paths()
    folders = [*site.getsitepackages(), paths["purelib"], paths["platlib"]]
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    return next((Path(folder, "django") for folder in dict.fromkeys(folders)
                 if Path(folder, "django", "__init__.py").is_file()), None)


@functools.lru_cache(maxsize=1)
def _read() -> Mapping[str, Any]:
    """Every command module of Django and of its apps, read once per process (the apps a
    service installs do not change Django's commands: each is read alike)."""
    package = installed_django()
    if package is None:
        return {}
    django = [package]
    contrib = django[0] / "contrib"
    installed = [f"django.contrib.{d.name}" for d in sorted(contrib.iterdir())
                 if (d / "__init__.py").is_file() and f"django.contrib.{d.name}" not in
                 NEEDS_LIBRARIES] if contrib.is_dir() else []
    modules = [f"django.core.management.commands.{file.stem}"
               for file in sorted((django[0] / "core" / "management" / "commands").glob("*.py"))
               if not file.name.startswith("_")]
    for app in installed:
        directory = django[0].joinpath(*app.split(".")[1:], "management", "commands")
        modules += [f"{app}.management.commands.{file.stem}"
                    for file in sorted(directory.glob("*.py")) if not file.name.startswith("_")]
    environment = {key: value for key, value in os.environ.items()
                   if key != "DJANGO_SETTINGS_MODULE"}
    try:
        result = subprocess.run(
            [sys.executable, "-I", "-c", _SCRIPT,
             json.dumps([[str(django[0].parent)], installed, modules, RUN_TIME])],
            capture_output=True, text=True, timeout=TIMEOUT, env=environment, check=False)
        found = json.loads(result.stdout) if result.returncode == 0 else {}
    except (OSError, subprocess.SubprocessError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _argument(action: Mapping[str, Any], static: Mapping[str, Argument]) -> Argument:
    """An ``argparse`` action as the manual's :class:`Argument`."""
    flags: list[str] = action["flags"]
    nargs = action["nargs"]
    if flags:
        name = next((flag for flag in flags if flag.startswith("--")), flags[0])
        takes_value = nargs != 0
        metavar = (action["metavar"] or action["dest"].upper()) if takes_value else None
        required = action["required"]
    else:
        name = action["metavar"] or action["dest"]
        metavar = None
        required = nargs not in ("?", "*")
    known = static.get(name)
    return Argument(
        name=name,
        description=" ".join(action["help"].split()),
        # A flag's default (store_true's False, store_const's dest) is no value to type.
        default=action["default"] if (flags and nargs != 0) or (not flags and not required)
        else None,
        metavar=metavar,
        aliases=tuple(flag for flag in flags if flag != name),
        required=required,
        # Choices the code lists; not those made from the settings (a database's aliases).
        choices=tuple(action["choices"]) if known is not None and known.choices else (),
        repeat=str(nargs) if nargs not in (None, 0) else None,
    )
