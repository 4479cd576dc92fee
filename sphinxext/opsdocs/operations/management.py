"""Django management commands: where they are looked for, and the apps installed.

:class:`CommandFinder` finds a command's module on disk, in Django's order of precedence,
and reads it (:mod:`opsdocs.operations.command_module`); :func:`installed_apps` reads
``INSTALLED_APPS`` from the settings.  Nothing is imported, so neither Django nor the
service runs.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from opsdocs.errors import OpsdocsError
from opsdocs.operations.command_module import read_command_file
from opsdocs.operations.model import ManagementCommand
from opsdocs.operations.packages import package_directories
from opsdocs.reading import MAX_PROJECT_DEPTH
from opsdocs.settings.model import Setting

#: Directories never searched for a service's own commands.
SKIPPED_DIRECTORIES = frozenset({
    ".git", ".hg", ".tox", ".nox", ".venv", "venv", "env", "node_modules", "__pycache__",
    "_build", "build", "dist", "site-packages", ".mypy_cache", ".ruff_cache",
})


# -- Installed apps, from the settings ------------------------------------------------


def installed_apps(setting: Setting | None) -> tuple[str, ...] | None:
    """``INSTALLED_APPS`` as its definitions build it, or ``None`` when that is unknown.

    Only literals are read (:func:`ast.literal_eval`, never ``eval``): an assignment of a
    list or tuple, ``+= [...]``, ``= INSTALLED_APPS + [...]``, ``.append("app")``,
    ``.extend([...])`` and ``.insert(i, "app")``, conditional ones included (an app that
    may be installed is worth searching).  A main value that is not a literal makes the
    whole unknown; a later change that is not one is skipped.
    """
    if setting is None:
        return None
    apps: list[str] | None = None
    for definition in setting.definitions:
        if definition.value is None:  # a bare annotation
            continue
        changed = _apps_change(setting.name, definition.kind, definition.operator,
                               definition.value, apps or [])
        if changed is not None:
            apps = changed
        elif apps is None:
            return None
    return tuple(dict.fromkeys(apps)) if apps is not None else None


def _apps_change(name: str, kind: str, operator: str | None, value: str,
                 apps: list[str]) -> list[str] | None:
    """The apps after one definition, or ``None`` when it cannot be read statically."""
    try:
        node = ast.parse(value, mode="eval").body
    except SyntaxError:
        return None
    if kind == "assign" and not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)
                                 and isinstance(node.left, ast.Name) and node.left.id == name):
        return _literal_names(node)
    added, index = _apps_added(name, kind, operator, node)
    if added is None:
        return None
    index = len(apps) if index is None else index
    return [*apps[:index], *added, *apps[index:]]


def _apps_added(name: str, kind: str, operator: str | None,
                node: ast.expr) -> tuple[list[str] | None, int | None]:
    """The apps a change adds, and where (``None``: at the end)."""
    if kind == "assign" and isinstance(node, ast.BinOp):  # X = X + [...]
        return _literal_names(node.right), None
    if kind == "augmented":
        return (_literal_names(node) if operator == "+=" else None), None
    if not (kind == "call" and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == name):
        return None, None
    method, args = node.func.attr, node.args
    index = _literal(args[0]) if len(args) == 2 else None
    if method == "insert" and isinstance(index, int) and not isinstance(index, bool):
        return _literal_names(ast.List(elts=args[1:])), index
    elements = {"append": ast.List(elts=args), "extend": args[0] if args else None}.get(method)
    if len(args) != 1 or elements is None:
        return None, None
    return _literal_names(elements), None


def _literal(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _literal_names(node: ast.expr) -> list[str] | None:
    """A list or tuple of strings written as a literal, else ``None``."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    value = _literal(node)
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return list(value)
    return None


# -- Finding commands on disk --------------------------------------------------------


@dataclass(frozen=True)
class CommandFinder:
    """Where management commands are looked for, in Django's order of precedence.

    ``project`` is the service's directory: every ``<app>/management/commands`` below it
    counts.  ``apps`` are dotted names of installed apps (an ``AppConfig`` path works
    too); when empty, every app of ``django.contrib`` is searched.  Django's own
    commands (``django.core``) come last.  ``path`` replaces :data:`sys.path` (tests).
    """

    project: str | None = None
    apps: tuple[str, ...] = ()
    path: tuple[str, ...] | None = None

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
                return read_command_file(path, name, module, self.path)
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
            if d not in SKIPPED_DIRECTORIES and not d.startswith(".") and depth < MAX_PROJECT_DEPTH
        )
        if here.name == "commands" and here.parent.name == "management":
            found.append(here)
    yield from sorted(found, key=lambda p: (len(p.parts), str(p)))
