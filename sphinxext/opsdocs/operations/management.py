"""Django management commands: where they are looked for, and the apps installed.

:class:`CommandFinder` finds a command's module on disk, in Django's order of precedence,
and reads it (:mod:`opsdocs.operations.command_module`); :func:`installed_apps` reads
``INSTALLED_APPS`` from the settings.  Nothing is imported, so neither Django nor the
service runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from opsdocs.errors import OpsdocsError
from opsdocs.operations.command_module import read_command_file
from opsdocs.operations.installed_django import with_installed_django
from opsdocs.operations.model import ManagementCommand
from opsdocs.operations.packages import package_directories
from opsdocs.reading import MAX_PROJECT_DEPTH, SKIPPED_FOLDERS
from opsdocs.settings.effective import UNKNOWN, possible_value
from opsdocs.settings.model import Setting

# -- Installed apps, from the settings ------------------------------------------------


def installed_apps(setting: Setting | None) -> tuple[str, ...] | None:
    """``INSTALLED_APPS`` as its definitions build it, or ``None`` when that is unknown.

    Only literals are read (:func:`~opsdocs.settings.effective.possible_value`, never
    ``eval``): an assignment of a list or tuple, ``+= [...]``, ``= INSTALLED_APPS + [...]``,
    ``.append("app")``, ``.extend([...])`` and ``.insert(i, "app")``, conditional ones
    included (an app that may be installed is worth searching).  A main value that is not
    a literal makes the whole unknown; a later change that is not one is skipped.
    """
    if setting is None:
        return None
    apps = possible_value(setting.name, setting.definitions, _app_names)
    return None if apps is UNKNOWN else tuple(dict.fromkeys(apps))


def _app_names(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# -- Finding commands on disk --------------------------------------------------------


@dataclass(frozen=True)
class CommandFinder:
    """Where management commands are looked for, in Django's order of precedence.

    ``project`` is the service's directory: every ``<app>/management/commands`` below it
    counts.  ``apps`` are dotted names of installed apps (an ``AppConfig`` path works
    too); when empty, every app of ``django.contrib`` is searched.  Django's own
    commands (``django.core``) come last.  ``path`` replaces :data:`sys.path` (tests).
    Django's own commands are read as the installed Django builds them
    (:mod:`~opsdocs.operations.installed_django`), except ``django.contrib.auth``'s when
    ``user_model`` (the settings' ``AUTH_USER_MODEL``) is not Django's own.
    """

    project: str | None = None
    apps: tuple[str, ...] = ()
    path: tuple[str, ...] | None = None
    user_model: str | None = None

    def candidates(self, name: str) -> Iterator[tuple[Path, str]]:
        """Every ``(file, module)`` that may hold command *name*, best first."""
        for directory, package in self.directories:
            yield directory / f"{name}.py", f"{package}.{name}"

    @cached_property
    def directories(self) -> list[tuple[Path, str]]:
        """Every ``management/commands`` directory searched, best first, with its package."""
        found: list[tuple[Path, str]] = []
        if self.project:
            for directory in _project_command_directories(Path(self.project)):
                found.append((directory, ".".join(directory.relative_to(self.project).parts)))
        for app in self.apps or self._contrib_apps():
            package, directories = self.app_package(app)
            found.extend((d / "management" / "commands", f"{package}.management.commands")
                         for d in directories)
        found.extend((d, "django.core.management.commands") for d in
                     package_directories("django.core.management.commands", self.path))
        return found

    def find(self, name: str) -> ManagementCommand | None:
        """Read command *name* from the first module that defines it, or ``None``; once
        per finder, what is found (or the problem) is kept."""
        if name not in self._found:
            try:
                self._found[name] = self._find(name)
            except OpsdocsError as error:
                self._found[name] = error
        found = self._found[name]
        if isinstance(found, OpsdocsError):
            raise OpsdocsError(found.problem)
        return found

    @cached_property
    def _found(self) -> dict[str, ManagementCommand | OpsdocsError | None]:
        return {}

    def _find(self, name: str) -> ManagementCommand | None:
        for path, module in self.candidates(name):
            if path.is_file():
                found = read_command_file(path, name, module, self.path)
                if module.startswith("django.contrib.auth.") and \
                        self.user_model not in (None, "auth.User"):
                    return found  # options of another user model: not the default's
                return with_installed_django(found)
        return None

    def names(self) -> list[str]:
        """Every command name found where :meth:`find` looks (for "did you mean")."""
        return sorted({
            file.stem for directory, _ in self.directories if directory.is_dir()
            for file in directory.glob("*.py") if not file.name.startswith("_")
        })

    def app_package(self, app: str) -> tuple[str, list[Path]]:
        """The package of installed app *app* and its directories (none: not found)."""
        # An AppConfig path ("reports.apps.ReportsConfig") names a class: drop parts
        # until a package directory is found.
        parts = app.split(".")
        while parts:
            found = package_directories(".".join(parts), self.path)
            if found:
                return ".".join(parts), found
            parts.pop()
        return app, []

    def _contrib_apps(self) -> Iterable[str]:
        for directory in package_directories("django.contrib", self.path):
            for child in sorted(directory.iterdir()):
                if (child / "management" / "commands").is_dir():
                    yield f"django.contrib.{child.name}"


def _project_command_directories(root: Path) -> Iterator[Path]:
    """``*/management/commands`` directories below *root*, shallowest first."""
    found: list[Path] = []
    for current, subdirectories, _ in os.walk(root):
        here = Path(current)
        depth = len(here.relative_to(root).parts)
        subdirectories[:] = sorted(
            d for d in subdirectories
            if d not in SKIPPED_FOLDERS and not d.startswith(".") and depth < MAX_PROJECT_DEPTH
        )
        if here.name == "commands" and here.parent.name == "management":
            found.append(here)
    yield from sorted(found, key=lambda p: (len(p.parts), str(p)))
