"""Python packages and modules found on disk, without importing (or running) any of them.

Only a *top-level* name goes through :func:`importlib.util.find_spec` (which finds a
package without executing it); the rest of a dotted path is walked as directories.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from opsdocs.settings.sources import import_target


def package_directories(dotted: str, path: Sequence[str] | None = None) -> list[Path]:
    """The directories of package *dotted*, found without importing anything.

    Only the top-level name goes through :func:`importlib.util.find_spec` (finding a
    top-level package does not execute it); the rest of the dotted name is walked as
    directories, so ``django.contrib.sessions`` never runs ``django/__init__.py``.
    """
    top, *rest = dotted.split(".")
    roots: list[Path] = []
    if path is not None:
        roots = [Path(entry, top) for entry in path if Path(entry, top).is_dir()]
    else:
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            roots = [Path(location) for location in spec.submodule_search_locations]
    return [root.joinpath(*rest) for root in roots if root.joinpath(*rest).is_dir()]


def module_file(dotted: str, level: int, here: Path,
                search_path: Sequence[str] | None) -> Path | None:
    """The file of module *dotted* (imported with *level* dots from *here*), found on disk
    as settings' star imports are (:func:`~opsdocs.settings.sources.import_target`), on
    *search_path* or, without one, where :mod:`importlib` finds its top-level package."""
    if search_path is not None:
        roots = [Path(entry) for entry in search_path]
    else:
        roots = [d.parent for d in package_directories(dotted.partition(".")[0])] \
            if dotted and not level else []
    return import_target(here, dotted or None, level, roots, installed=True)
