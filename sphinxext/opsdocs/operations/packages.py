"""Python packages and modules found on disk, without importing (or running) any of them.

Only a *top-level* name goes through :func:`importlib.util.find_spec` (which finds a
package without executing it); the rest of a dotted path is walked as directories.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path


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
    """The file of module *dotted* (imported with *level* dots from *here*), found on disk."""
    parts = dotted.split(".") if dotted else []
    if level:
        directory = here.parent
        for _ in range(level - 1):
            directory = directory.parent
        candidates = [directory.joinpath(*parts)] if parts else [directory]
    elif len(parts) > 1:
        candidates = [d / parts[-1] for d in
                      package_directories(".".join(parts[:-1]), search_path)]
    else:
        candidates = package_directories(dotted, search_path) if dotted else []
    for candidate in candidates:
        for file in (candidate.parent / f"{candidate.name}.py", candidate / "__init__.py"):
            if file.is_file():
                return file
    return None
