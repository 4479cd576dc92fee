"""The Sphinx kit every concern's directive shares.

Config values several concerns use, the stylesheet, path resolution, located warnings
(once per build), source links, a cache of what was read from files, tables, and the
shapes directives and domains share.  Each concern's ``setup()`` loads it with
``app.setup_extension("opsdocs._sphinx")``, so any concern works alone in ``extensions``.

What the glue keeps while a build runs lives on :class:`OpsdocsDomain` (one per
application, never pickled), never in a module global, so parallel reads and several
applications in one process stay right.
"""

from __future__ import annotations

import os
import re
import shlex
import string
import sys
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from docutils import nodes
from sphinx.domains import Domain
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from opsdocs import __version__
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.files import file_stamp
from opsdocs.reading import (
    SETTINGS_MODULE,
    not_the_projects,
    read_source,
    repository_top,
    source_lines,
)
from opsdocs.suggest import closest_name, did_you_mean

if TYPE_CHECKING:
    from sphinx import addnodes
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Bump when what opsdocs stores in the environment changes, to force a full re-read.
ENV_VERSION = 1

#: What every concern's ``setup()`` returns (a copy each: Sphinx keeps it per extension).
METADATA: Mapping[str, Any] = MappingProxyType({
    "version": __version__,
    "env_version": ENV_VERSION,
    "parallel_read_safe": True,
    "parallel_write_safe": True,
})

#: Event a settings reference emits for "new in"/"changed in" notes: handlers get the
#: directive and the settings package's directory, and return a function from a setting
#: to its notes (docutils nodes), or ``None``.  The changelog concern answers it.
SETTING_NOTES_EVENT = "opsdocs-setting-notes"

STATIC = Path(__file__).parent / "static"

#: Where the built docs keep highlighted copies of source files, when there is no
#: ``opsdocs_source_url`` to link to.
SOURCE_PAGES = "_opsdocs_source"

T = TypeVar("T")


# -- State of a build -------------------------------------------------------------------


class StampCache:
    """Values read from files, kept until one of those files changes (mtime or size).

    One entry per key, so a long-running process does not grow it with every edit.
    """

    def __init__(self) -> None:
        self.entries: dict[Hashable, tuple[tuple[tuple[str, object], ...], Any]] = {}

    def get(self, key: Hashable, read: Callable[[], T],
            files: Callable[[T], Iterable[str | Path]]) -> T:
        """The value of *key*; *read* it again when one of its *files* changed since.

        *files* names the files the value was read from, given the value (a commands
        file names the modules it made opsdocs read).  Errors *read* raises are not kept.
        """
        entry = self.entries.get(key)
        if entry is not None and all(file_stamp(path) == stamp for path, stamp in entry[0]):
            return cast("T", entry[1])
        value = read()
        self.entries[key] = (tuple((str(p), file_stamp(p)) for p in files(value)), value)
        return value


class OpsdocsDomain(Domain):
    """What the glue keeps while the application runs, on the domain instance.

    ``warned`` holds the problems warned about in this build; ``files`` what was read
    from files; ``parsed`` the docs parsed in this build.  None is pickled with the
    environment (a domain's ``data`` is, and opsdocs keeps nothing there), and each
    application has its own.
    """

    name = "opsdocs"
    label = "opsdocs"
    initial_data: ClassVar[dict[str, Any]] = {}

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self.warned: set[tuple[Problem, Any]] = set()
        self.files = StampCache()
        #: Docs with markup, parsed in this build, by text (see opsdocs.settings.page).
        self.parsed: dict[str, list[nodes.Node]] = {}
        #: Whether this build extracts or translates messages (gettext, a language).
        self.translating = False
        #: The project's conf.py, where configuration problems are located.
        self.conf_file = Path(env.srcdir, "conf.py")
        #: Why each file asked about in this build is not the project's, or ``None``.
        self.outside: dict[Path, str | None] = {}

    @classmethod
    def of(cls, env: BuildEnvironment) -> OpsdocsDomain:
        return cast("OpsdocsDomain", env.get_domain(cls.name))

    def merge_domaindata(self, docnames: Any, otherdata: dict[str, Any]) -> None:
        pass  # nothing in data to merge


def file_cache(env: BuildEnvironment) -> StampCache:
    """The cache of what this application read from files."""
    return OpsdocsDomain.of(env).files


class DocumentsDomain(Domain):
    """A domain whose ``data`` keeps, under each key of :attr:`per_document`, a value per
    document: forgotten with the document, merged from parallel reads."""

    per_document: ClassVar[tuple[str, ...]] = ()

    def clear_doc(self, docname: str) -> None:
        for key in self.per_document:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Collection[str], otherdata: dict[str, Any]) -> None:
        for key in self.per_document:
            self.data[key].update({d: v for d, v in otherdata[key].items() if d in docnames})


# -- Paths ------------------------------------------------------------------------------


class PathDirective(SphinxDirective):
    """A directive whose one argument names what it reads, to the end of the line (a path
    may hold spaces); it has no content."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False


def resolve_path(env: BuildEnvironment, argument: str) -> Path:
    """A directive's path argument: relative to the document, or to srcdir with a leading /."""
    try:
        _, absolute = env.relfn2path(argument, env.docname)
    except (RuntimeError, OSError):
        # A loop of symbolic links, which resolving refuses: the path unresolved, so that
        # reading it says what it is, at the directive.
        name = Path(argument)
        if name.parts[:1] in {("/",), ("\\",)}:
            return Path(env.srcdir).joinpath(*name.parts[1:])
        return Path(env.srcdir) / env.doc2path(env.docname, base=False).parent / name
    return Path(absolute)


def argument_words(argument: str) -> list[str]:
    """A directive's argument as shell words (quotes keep a path's spaces); split at white
    space where the quotes do not close."""
    try:
        return shlex.split(argument)
    except ValueError:
        return argument.split()


def module_search_path(env: BuildEnvironment) -> list[Path]:
    """Where dotted module names are found: ``sys.path`` (as ``conf.py`` set it up), then
    the source directory."""
    return [*(Path(p) for p in sys.path if p), Path(env.srcdir)]


# -- Warnings ---------------------------------------------------------------------------


def warn_problem(env: BuildEnvironment, problem: Problem, at: Any = None, *,
                 name_file: bool = False) -> None:
    """Warn about *problem* (type ``opsdocs``, subtype its check), so ``-W`` fails.

    It is located at its file and line.  A problem without a line (a missing file, a
    setting missing from a config) is located at *at*, the directive that read the file;
    the warning names the file as the CLI does (``file: message``) when the directive
    does not (*name_file*: a config file ``:check:`` found), or when there is no *at*.
    Each problem is warned once per build, however many directives read its file.
    """
    location = problem.location if problem.line else at
    warned = OpsdocsDomain.of(env).warned
    if (problem, location) in warned:
        return
    warned.add((problem, location))
    text = problem.message
    if not problem.line and (name_file or location is None):
        text = f"{problem.file}: {text}"
    if problem.path:
        text += f" (at {problem.path})"
    logger.warning("%s", text, location=location, type="opsdocs", subtype=problem.check)


def ignored_reference(config: Config, kind: str, name: str) -> bool:
    """Whether ``nitpick_ignore`` silences a reference to the std *kind* (``setting``,
    ``toggle``) *name* that nothing resolves."""
    ignored = config.nitpick_ignore
    return (f"std:{kind}", name) in ignored or (kind, name) in ignored


def known_objects(domain: Domain, kind: str) -> list[str]:
    """The objects of *kind* the standard *domain* has (to say "did you mean")."""
    return [name for object_kind, name in getattr(domain, "objects", {}) if object_kind == kind]


def warn_unknown(app: Sphinx, domain: Domain, node: addnodes.pending_xref, kind: str,
                 what: str) -> bool | None:
    """A reference of the std role *kind* that nothing resolved, warned about (subtype
    ``unknown-<kind>``) with the nearest name, in any case; silent when ``nitpick_ignore``
    names it.  For ``warn-missing-reference``, which runs after every resolver (the std
    domain, then ``missing-reference`` handlers such as intersphinx); *what* names the
    object in the message (``feature toggle``)."""
    if domain.name != "std" or node.get("reftype") != kind:
        return None
    name = node["reftarget"]
    if ignored_reference(app.config, kind, name):
        return True
    known = known_objects(domain, kind)
    close = closest_name(name, known) or next(
        (n for n in known if n.lower() == name.lower()), None)
    hint = did_you_mean(close) or ": no page documents it, and no intersphinx inventory has it"
    logger.warning("unknown %s %r in :%s:%s", what, name, kind, hint, location=node,
                   type="opsdocs", subtype=f"unknown-{kind}")
    return True


def _note_builder(app: Sphinx) -> None:
    domain = OpsdocsDomain.of(app.env)
    # Text that may be translated must stay nodes the i18n machinery finds.
    domain.translating = app.builder.name == "gettext" or (app.config.language or "en") != "en"
    domain.conf_file = Path(app.confdir, "conf.py")  # -c may put it apart from the sources


def _forget_warnings(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    domain = OpsdocsDomain.of(env)
    domain.warned.clear()
    domain.parsed.clear()
    domain.outside.clear()  # what git ignores may have changed since the last build


# -- Source links -----------------------------------------------------------------------


@dataclass(frozen=True)
class SourceLinks:
    """How source files are named and linked: the one rule for every "source" link.

    ``paths`` holds each file's path relative to the source root (``opsdocs_source_root``,
    else the repository holding the files), with forward slashes.  A file is linked
    through ``opsdocs_source_url`` only when it is inside that root and not an installed
    package (``site-packages``, ``dist-packages``): the URL names the service's own files.
    """

    template: str
    paths: Mapping[str, str]

    def path(self, file: str) -> str:
        """*file* as shown: relative to the source root."""
        return self.paths.get(file, Path(file).as_posix())

    def url(self, file: str, line: int) -> str | None:
        """The URL of *file* at *line*, or ``None`` when it gets no link."""
        path = self.own_path(file)
        if not self.template or path is None:
            return None
        return self.template.format(path=path, line=line)

    def page(self, file: str) -> str | None:
        """The page of the built docs that shows *file* when there is no URL, or ``None``."""
        path = self.own_path(file)
        if self.template or path is None:
            return None
        return f"{SOURCE_PAGES}/{path}"

    def own_path(self, file: str) -> str | None:
        """*file*'s path when it is one of the service's own files, else ``None``."""
        path = self.paths.get(file)
        if path is None or path.startswith("../") or Path(path).is_absolute() or \
                {"site-packages", "dist-packages"} & set(Path(path).parts):
            return None
        return path


def source_links(env: BuildEnvironment, files: Iterable[str], start: Path) -> SourceLinks:
    """The :class:`SourceLinks` of *files* (those of the project: see
    :func:`~opsdocs.reading.not_the_projects`); without ``opsdocs_source_root``, the source
    root is the nearest directory above *start* holding ``.git``, else the one above
    srcdir."""
    template = env.config.opsdocs_source_url
    problem = source_url_problem(template)
    if problem is not None:
        conf = OpsdocsDomain.of(env).conf_file
        warn_problem(env, Problem(f"opsdocs_source_url {template!r} {problem}; source links "
                                  "are left out until it is fixed", str(conf),
                                  _assignment_line(conf, "opsdocs_source_url"), "config"))
        template = ""
    configured = env.config.opsdocs_source_root
    root = Path(env.srcdir, configured).resolve() if configured else (
        repository_top(start.resolve()) or Path(env.srcdir).resolve().parent)
    # Only the project's own files are linked and published: not one git ignores, nor a
    # link out of the repository (a developer's local.py, a link to .env).
    files = list(files)
    outside = OpsdocsDomain.of(env).outside
    asked = [Path(file) for file in files if Path(file) not in outside]
    reasons = not_the_projects(asked)
    outside.update((path, reasons.get(path)) for path in asked)
    return SourceLinks(template, {file: _relative(file, root) for file in files
                                  if outside[Path(file)] is None})


def _assignment_line(conf: Path, name: str) -> int | None:
    """The line of ``conf.py`` that sets *name*, for locating a warning about it."""
    try:
        lines = source_lines(read_source(conf, SETTINGS_MODULE))
    except OpsdocsError:
        return None
    pattern = re.compile(rf"\s*{name}\s*=")
    return next((number for number, line in enumerate(lines, 1) if pattern.match(line)), None)


def source_url_problem(template: str) -> str | None:
    """What is wrong with an ``opsdocs_source_url`` template, or ``None``: it may name
    ``{path}`` and ``{line}`` (with a format spec), and nothing else."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template)
                 if name is not None]
    except ValueError as error:
        return f"is not a format string ({error}): write a literal brace as {{{{ or }}}}"
    unknown = [name for name in names if name not in ("path", "line")]
    if unknown:
        return (f"has the placeholder {{{unknown[0]}}}: only {{path}} and {{line}} are "
                "filled in")
    try:
        template.format(path="settings/defaults.py", line=1)
    except (KeyError, IndexError, AttributeError, ValueError, TypeError) as error:
        return f"cannot be filled in ({type(error).__name__}: {error})"
    return None


def _relative(filename: str, root: Path) -> str:
    try:
        relative = os.path.relpath(Path(filename).resolve(), root)
    except ValueError:  # another drive, on Windows
        return Path(filename).as_posix()
    return Path(relative).as_posix()


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
    app.add_config_value("opsdocs_plain_comments", False, "env", types=[bool])
    app.add_config_value("opsdocs_public_settings", [], "env", types=[list, tuple])
    app.add_config_value("opsdocs_secret_settings", [], "env", types=[list, tuple])
    app.add_config_value("opsdocs_source_url", "", "env", types=[str])
    app.add_config_value("opsdocs_source_root", "", "env", types=[str])
    app.add_config_value("opsdocs_allowed_markup", [], "env", types=[list, tuple])
    app.add_domain(OpsdocsDomain)
    app.setup_extension("opsdocs._smartquotes")
    app.setup_extension("opsdocs._breaks")
    app.setup_extension("opsdocs._search")
    app.add_event(SETTING_NOTES_EVENT)
    app.add_css_file("opsdocs.css")
    app.connect("config-inited", _add_static_path)
    app.connect("env-before-read-docs", _forget_warnings)
    app.connect("builder-inited", _note_builder)
    return dict(METADATA)
