"""The code trees the toggles reader is pointed at, resolved; the one walk of code trees,
:mod:`opsdocs.reading.tree`, then walks them.

A source is a folder, a Python file, or a dotted package or module found on a search path
(``lms``, ``openedx.core.djangoapps``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from opsdocs.errors import Problem
from opsdocs.settings.sources import dotted_module


def resolve_sources(specs: Sequence[str | Path], base: Path,
                    search_path: Iterable[Path] = (),
                    locate: Callable[[str], Path] | None = None,
                    ) -> tuple[list[Path], list[Problem]]:
    """The folders and files *specs* name: paths relative to *base* (or where *locate*
    puts them: a directive's rule, ``/`` for the source directory), or dotted packages
    and modules found under *search_path* (read, never imported)."""
    found: list[Path] = []
    problems: list[Problem] = []
    roots = tuple(search_path)
    for spec in specs:
        # ../lms: the path other readers give
        path = Path(os.path.normpath(locate(str(spec)) if locate else base / spec))
        if os.path.lexists(path):
            found.append(path)
            continue
        module = dotted_module(str(spec), roots)
        if module is None:
            looked = f" (nothing at {path})" if str(path) != os.path.normpath(spec) else ""
            problems.append(Problem(
                f"{str(spec)!r} is neither a folder, a Python file nor a dotted package found "
                f"on sys.path{looked}: give the path of the code tree (lms, openedx/core) or "
                "its package", str(spec), check="toggle-missing"))
        else:
            found.append(module.parent if module.name == "__init__.py" else module)
    return found, problems


