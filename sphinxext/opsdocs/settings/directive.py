"""Sphinx glue for the settings reference: the directive and ``std:setting`` objects.

The reference's nodes are built by :mod:`opsdocs.settings.page` and written by
:mod:`opsdocs.settings.nodes`.
"""

from __future__ import annotations

import ast
import fnmatch
import os
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.config import ENUM
from sphinx.domains import Domain
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from opsdocs._sphinx import (
    METADATA,
    SETTING_NOTES_EVENT,
    PathDirective,
    argument_words,
    file_cache,
    module_search_path,
    resolve_path,
    warn_problem,
    warn_unknown,
)
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.settings.code_reads import scan_reads
from opsdocs.settings.display import documented_keys
from opsdocs.settings.django import django_setting_names
from opsdocs.settings.model import Setting, SettingsCatalog
from opsdocs.settings.nodes import setup_nodes
from opsdocs.settings.page import OTHER_SETTINGS, ReferenceBuilder
from opsdocs.settings.read_checks import reads_problems, undeclared_settings
from opsdocs.settings.reader import ReadOptions, read_settings
from opsdocs.settings.site import Reference, SiteDomain, module_name, setup_site
from opsdocs.settings.source_pages import linked_sources
from opsdocs.settings.sources import SettingsSource, no_settings, resolve_source, unread_names

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


class SettingsRead(NamedTuple):
    """What a directive read: the catalog, the source its argument named, and where dotted
    module names are found."""

    catalog: SettingsCatalog
    source: SettingsSource
    search_path: list[Path]


def read_catalog(
    directive: SphinxDirective, argument: str, warn: Callable[[Problem], bool] = lambda _: True,
    plain_comments: bool = False,
) -> SettingsCatalog | None:
    """The catalog :func:`read_sources` reads, or ``None``."""
    read = read_sources(directive, argument, warn, plain_comments)
    return None if read is None else read.catalog


def read_sources(
    directive: SphinxDirective, argument: str, warn: Callable[[Problem], bool] = lambda _: True,
    plain_comments: bool = False,
) -> SettingsRead | None:
    """The settings *argument* names (relative to the directive's document), or ``None``.

    *argument* names an OEP-45 settings package, settings module files or dotted module
    paths found on ``sys.path`` (what ``conf.py`` sets up), separated by white space (a path
    with spaces is quoted, or given alone).  The catalog is read once per content of its
    files (a page may use it many times).  Its files become dependencies of the document;
    the catalog's problems that *warn* selects are warnings in their file.  A source that is
    not there is a warning at the directive.
    """
    env = directive.env
    config = directive.config
    specs = source_specs(env, argument)
    options = ReadOptions(tuple(config.opsdocs_required_sentinels),
                          plain_comments or config.opsdocs_plain_comments,
                          tuple(config.opsdocs_public_settings),
                          tuple(config.opsdocs_secret_settings))
    search_path = module_search_path(env)
    try:
        source = resolve_source(specs, Path(env.srcdir), search_path)
        reads = SiteDomain.reads_of(env)
        catalog = file_cache(env).get(("settings", tuple(specs), options),
                                      lambda: read_settings(source, options, reads=reads),
                                      lambda found: catalog_files(source, found))
    except OpsdocsError as error:
        warn_problem(env, error.problem, directive.get_location())
        return None
    for file in catalog_files(source, catalog):
        env.note_dependency(str(file))
    for problem in catalog.problems:
        if warn(problem):  # a problem without a line names its file unless it says it
            warn_problem(env, problem, directive.get_location(),
                         name_file=Path(problem.file).name not in problem.message)
    return SettingsRead(catalog, source, search_path)


def _from_source(env: BuildEnvironment, file: str) -> str:
    """*file* as a path from the documentation's source directory: a warning's text the
    same wherever the build runs."""
    try:
        return Path(os.path.relpath(file, env.srcdir)).as_posix()
    except ValueError:  # another drive, on Windows
        return file


def source_specs(env: BuildEnvironment, argument: str) -> list[str]:
    """The sources a directive's argument names, as absolute paths or dotted names."""
    whole = argument.strip()
    # a path with spaces may be given alone, unquoted
    parts = [whole] if resolve_path(env, whole).exists() else argument_words(whole)
    return [str(resolve_path(env, part)) if not _DOTTED.fullmatch(part) or
            resolve_path(env, part).exists() else part for part in parts]


def catalog_files(source: SettingsSource, catalog: SettingsCatalog) -> list[str]:
    """The files a catalog depends on: those read, and a package's files even when missing."""
    return list(dict.fromkeys([*map(str, source.files()), *catalog.files]))


class SettingsReference(PathDirective):
    """``.. settings-reference:: SOURCES``: every setting of the sources, with a filter."""

    option_spec: ClassVar[dict[str, Any]] = {
        "plain-comments": directives.flag,
        "reads": directives.unchanged_required,
        "reads-tests": directives.flag,
        "only": lambda arg: directives.choice(arg, ("required", "defaults", "toggles")),
        "match": directives.unchanged_required,
        "exclude": directives.unchanged_required,
        "group-by": lambda arg: directives.choice(arg, ("none", "prefix", "section")),
        "no-index": directives.flag,
        "noindex": directives.flag,
        "no-index-entry": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        read = read_sources(
            self, self.arguments[0],
            lambda p: p.check != "undocumented" or self.config.opsdocs_undocumented == "warn",
            plain_comments="plain-comments" in self.options)
        if read is None:
            return []
        catalog, source, search_path = read
        SiteDomain.of(self.env).note_checked(self.env.docname, catalog.files)
        if catalog.incomplete:
            SiteDomain.of(self.env).note_incomplete(self.env.docname,
                                                    unread_names(catalog.incomplete))
        directory = Path(catalog.root)
        settings = self.select([*catalog.settings, *self.undeclared(catalog)])
        if not settings:
            if catalog.incomplete:  # its file's problem is warned: no settings is no news
                return []
            if catalog.settings or any(o in self.options for o in ("only", "match", "exclude")):
                message = f"no settings in {directory} match this settings-reference's options"
            else:
                empty = no_settings(catalog.files[0] if catalog.files else catalog.root,
                                    "give the settings-reference")
                message = f"{empty.file} {empty.message}"
            logger.warning(message, location=self.get_location(), type="opsdocs",
                           subtype="empty")
            return []
        notes = self.env.events.emit_firstresult(SETTING_NOTES_EVENT, self, directory)
        links = linked_sources(self.env, (s.file for s in settings), directory,
                               (s.name for s in catalog.settings if s.secret))
        index = "no-index" not in self.options and "noindex" not in self.options
        named = source.files()
        builder = ReferenceBuilder(self, links, notes, lambda a: format_type(self, a),
                                   index=index, index_entries="no-index-entry" not in self.options,
                                   documented=documented_keys(catalog.settings),
                                   module_of=lambda file: module_name(file, search_path),
                                   module=module_name(named[0], search_path))
        groups = group_settings(settings, self.options.get("group-by", "none"))
        if len(groups) == 1 and groups[0][0] is None:  # the filter still offers sections
            names = list(dict.fromkeys(s.section or OTHER_SETTINGS for s in settings))
            result: list[nodes.Node] = [builder.filter_form(settings, names),
                                        builder.listing(settings, None)]
        else:
            names = [title or OTHER_SETTINGS for title, _ in groups]
            result = [builder.filter_form(settings, names)]
            result.extend(self.section(title, members, builder) for title, members in groups)
        if builder.entries:
            result.insert(1, builder.index_node())
        if builder.site_entries:
            SiteDomain.of(self.env).note_reference(self.env.docname, Reference(
                frozenset(os.path.abspath(f) for f in named), self.lineno,
                tuple(builder.site_entries)))
        return result

    def undeclared(self, catalog: SettingsCatalog) -> list[Setting]:
        """With ``:reads:``, the settings the code there reads that nothing declares; reads
        whose default differs from the declared one are warnings at the read."""
        if "reads" not in self.options:
            return []
        paths = []
        for given in argument_words(self.options["reads"]):
            path = resolve_path(self.env, given)
            if path.exists():
                paths.append(str(path))
                continue
            rooted = (": a path starting with '/' starts at the documentation's source "
                      "directory, as in Sphinx; give the code's path relative to this page"
                      if given.startswith("/") else
                      ": give a directory or file of Python code, relative to this page")
            warn_problem(self.env, Problem(
                f":reads: path {given!r} not found (looked for {path}){rooted}",
                str(self.env.doc2path(self.env.docname)), check="reads-missing"),
                self.get_location())
        tests = "reads-tests" in self.options
        found = file_cache(self.env).get(("reads", tuple(paths), tests),
                                         lambda: scan_reads(paths, tests),
                                         lambda result: result.files)
        for file in found.files:
            self.env.note_dependency(file)
        ignore = django_setting_names()
        checked = reads_problems(found.reads, catalog, ignore, found.declared,
                                 lambda file: _from_source(self.env, file))
        for problem in [*found.problems, *checked]:
            if problem.check != "reads-undeclared":
                warn_problem(self.env, problem, self.get_location())
        return undeclared_settings(found.reads, catalog, ignore, found.declared)

    def select(self, settings: Iterable[Setting]) -> list[Setting]:
        only = self.options.get("only")
        match = self.options.get("match", "").replace(",", " ").split()
        exclude = self.options.get("exclude", "").replace(",", " ").split()
        return [
            s for s in settings
            if (only is None or (s.toggle if only == "toggles" else s.required == (only == "required")))
            and (not match or any(fnmatch.fnmatchcase(s.name, p) for p in match))
            and not any(fnmatch.fnmatchcase(s.name, p) for p in exclude)
        ]

    def section(self, title: str | None, settings: list[Setting],
                builder: ReferenceBuilder) -> nodes.section:
        text = title or OTHER_SETTINGS
        section_id = make_id(self.env, self.state.document, "settings", text)
        section = nodes.section("", nodes.title(text, text), ids=[section_id], names=[],
                                classes=["opsdocs-settings-group"])
        section += builder.listing(settings, text)
        return section


def group_settings(settings: Sequence[Setting], by: str) -> list[tuple[str | None, list[Setting]]]:
    """Settings in groups, in order of first appearance; one ``None`` group when not grouped."""
    if by == "none":
        return [(None, list(settings))]
    groups: dict[str | None, list[Setting]] = {}
    for setting in settings:
        key = setting.section if by == "section" else setting.name.split("_", 1)[0]
        groups.setdefault(key, []).append(setting)
    if by == "prefix":
        # A prefix shared by one setting is no group: gather those under "Other settings".
        merged: dict[str | None, list[Setting]] = {}
        for key, members in groups.items():
            merged.setdefault(key if len(members) > 1 else None, []).extend(members)
        groups = merged
    return list(groups.items())


def format_type(directive: SphinxDirective, annotation: str) -> list[nodes.Node]:
    """Type nodes: sphinx-autodoc-typehints' format when it is loaded, Sphinx's otherwise."""
    if "sphinx_autodoc_typehints" in directive.config.extensions:
        value = safe_eval_annotation(annotation)
        text = typehints_format(value, directive.config) if value is not None else None
        if text is not None:
            parsed, _ = directive.state.inline_text(text, directive.lineno)
            return list(parsed)
    from sphinx.domains.python import _parse_annotation  # type: ignore[attr-defined]

    return list(_parse_annotation(annotation, directive.env))


def typehints_format(value: Any, config: Config) -> str | None:
    """*value* as sphinx-autodoc-typehints writes a type; ``None`` when its version exports
    no ``format_annotation`` (3.17.5 keeps it private) or it fails on *value*."""
    import sphinx_autodoc_typehints

    format_annotation = getattr(sphinx_autodoc_typehints, "format_annotation", None)
    if format_annotation is None:
        return None
    try:
        return str(format_annotation(value, config))
    except Exception:  # another extension's failure must not stop the build
        return None


def safe_eval_annotation(annotation: str) -> Any:
    """The type an annotation names, built from its syntax tree without ``eval``, else
    ``None``.

    Only names of builtin types and of :mod:`typing` and :mod:`collections.abc` members
    are looked up (bare, or as ``typing.X`` and ``collections.abc.X``); only those are
    subscripted and joined with ``|``; constants serve as arguments (``Literal["a"]``).
    No attribute of anything is followed, so an annotation can read nothing
    (``typing.sys.modules["os"].environ["TOKEN"]`` is ``None``).
    """
    try:
        return _build_type(ast.parse(annotation.strip(), mode="eval").body)
    except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError, _NotAType):
        return None


class _NotAType(Exception):
    """Part of an annotation that is not built from known types."""


@cache
def _known_types() -> dict[str, Any]:
    import builtins
    import collections.abc
    import typing

    known: dict[str, Any] = {name: value for name, value in vars(builtins).items()
                             if isinstance(value, type)}
    for module, prefixes in ((collections.abc, ("collections.abc.",)),
                             (typing, ("", "typing."))):
        for name in module.__all__:
            known.update((prefix + name, getattr(module, name)) for prefix in prefixes)
    known["None"] = None
    return known


def _dotted_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted_name(node.value)}.{node.attr}"
    raise _NotAType


def _build_type(node: ast.expr) -> Any:
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = _dotted_name(node)
        if name not in _known_types():
            raise _NotAType
        return _known_types()[name]
    if isinstance(node, ast.Constant) and isinstance(
            node.value, (str, int, bool, type(None), type(...))):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List)):
        items = [_build_type(element) for element in node.elts]
        return tuple(items) if isinstance(node, ast.Tuple) else items
    if isinstance(node, ast.Subscript) and isinstance(node.value, (ast.Name, ast.Attribute)):
        return _build_type(node.value)[_build_type(node.slice)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _build_type(node.left), _build_type(node.right)
        if not all(isinstance(side, type) or hasattr(side, "__origin__") or side is None
                   for side in (left, right)):
            raise _NotAType
        return left | right
    raise _NotAType


def warn_unknown_setting(app: Sphinx, domain: Domain, node: addnodes.pending_xref) -> bool | None:
    """A ``:setting:`` that nothing resolved, warned about with the nearest names, without
    ``nitpicky`` (:func:`~opsdocs._sphinx.warn_unknown`).  The operations manual's own
    settings are warned about at their line in the commands file.
    """
    if node.get("opsdocs_file"):
        return None
    if node.get("reftype") == "setting" and SiteDomain.of(app.env).unread(node["reftarget"]):
        return True  # its settings file, which cannot be read, is warned: it is the news
    return warn_unknown(app, domain, node, "setting", "setting")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("opsdocs._sphinx")
    app.setup_extension("opsdocs.settings.source_pages")
    app.add_object_type(
        "setting", "setting", indextemplate="pair: %s; setting", objname="setting"
    )
    # The role warns about a setting nothing resolves (see warn_unknown_setting).
    app.add_role_to_domain("std", "setting", XRefRole(warn_dangling=True), override=True)
    app.connect("warn-missing-reference", warn_unknown_setting)
    app.add_directive("settings-reference", SettingsReference)
    setup_nodes(app)
    setup_site(app)
    app.add_config_value("opsdocs_undocumented", "warn", "env", types=ENUM("warn", "ignore"))
    return dict(METADATA)
