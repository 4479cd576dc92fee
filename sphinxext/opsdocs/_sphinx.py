"""The Sphinx kit every concern's directive shares.

Config values used by several concerns, the stylesheet, path resolution, located
warnings, source links and tables.  Each concern's ``setup()`` loads it with
``app.setup_extension("opsdocs._sphinx")``, so any concern works alone in ``extensions``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

from opsdocs import __version__
from opsdocs.errors import Problem

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

#: Bump when what opsdocs stores in the environment changes, to force a full re-read.
ENV_VERSION = 1

#: What every concern's ``setup()`` returns.
METADATA = {
    "version": __version__,
    "env_version": ENV_VERSION,
    "parallel_read_safe": True,
    "parallel_write_safe": True,
}

STATIC = Path(__file__).parent / "static"

_warned: set[tuple[Problem, Any]] = set()  # this build's, so a file read twice warns once


# -- Paths ------------------------------------------------------------------------------


def resolve_path(env: BuildEnvironment, argument: str) -> Path:
    """A directive's path argument: relative to the document, or to srcdir with a leading /."""
    _, absolute = env.relfn2path(argument, env.docname)
    return Path(absolute)


def source_root(env: BuildEnvironment, directory: Path) -> Path:
    """The root that ``{path}`` in ``opsdocs_source_url`` is relative to."""
    configured = env.config.opsdocs_source_root
    if configured:
        return Path(env.srcdir, configured).resolve()
    for parent in (directory.resolve(), *directory.resolve().parents):
        if (parent / ".git").exists():
            return parent
    return Path(env.srcdir).resolve().parent


def display_path(filename: str, root: Path) -> str:
    """*filename* relative to *root*, with forward slashes, for display and URLs."""
    try:
        relative = os.path.relpath(Path(filename).resolve(), root)
    except ValueError:
        return Path(filename).as_posix()
    return Path(relative).as_posix()


# -- Warnings ---------------------------------------------------------------------------


def warn_problem(problem: Problem, fallback: Any = None) -> None:
    """Emit *problem* as a Sphinx warning located in the user's file, so ``-W`` fails.

    A problem with no line (a missing file) is located at *fallback*, usually the
    directive that asked for the file: Sphinx would take a bare path for a docname.
    Without either, the file is named in the message instead.  Each problem is warned
    once per build, however many directives read its file.
    """
    location = problem.location if problem.line else fallback
    if (problem, location) in _warned:
        return
    _warned.add((problem, location))
    where = f" (at {problem.path})" if problem.path else ""
    if location is None:
        where += f" [{problem.file}]"
    logger.warning(
        "%s%s", problem.message, where, location=location, type="opsdocs", subtype=problem.check,
    )


def warn_in_file(problem: Problem, directive: SphinxDirective) -> None:
    """Warn about *problem* at its line; one with no line (a setting missing from a config)
    is located at *directive*, naming the file (Sphinx reads a location without a line
    as a document name)."""
    if problem.line is not None:
        warn_problem(problem)
        return
    logger.warning("%s: %s", problem.file, problem.message, location=directive.get_location(),
                   type="opsdocs", subtype=problem.check)


def _forget_warnings(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _warned.clear()


# -- Tables -----------------------------------------------------------------------------


def row(cells: Iterable[Iterable[nodes.Node]]) -> nodes.row:
    """A table row of the given cells' contents."""
    result = nodes.row()
    for content in cells:
        entry = nodes.entry()
        entry.extend(content)
        result += entry
    return result


def table(headers: Iterable[str], widths: Iterable[int], rows: Iterable[nodes.row],
          classes: list[str]) -> nodes.table:
    """A table with a header row of *headers* and columns of relative *widths*."""
    widths = list(widths)
    result = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(widths))
    result += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += row([nodes.paragraph(text=text)] for text in headers)
    group += head
    body = nodes.tbody()
    body.extend(rows)
    group += body
    return result


# -- Set-up -----------------------------------------------------------------------------


def _add_static_path(app: Sphinx, config: Config) -> None:
    # At config-inited, so the pickled and the new configuration agree: changing it later
    # would make every incremental build see a changed html_static_path and rewrite all pages.
    config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("opsdocs_required_sentinels", ["REQUIRED"], "env", types=[list, tuple])
    app.add_config_value("opsdocs_source_url", "", "env", types=[str])
    app.add_config_value("opsdocs_source_root", "", "env", types=[str])
    app.add_css_file("opsdocs.css")
    app.connect("config-inited", _add_static_path)
    app.connect("env-before-read-docs", _forget_warnings)
    return METADATA
