"""Sphinx glue for the settings reference: ``std:setting`` objects and their tables."""

from __future__ import annotations

import ast
import fnmatch
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.config import ENUM
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from opsdocs._sphinx import (
    METADATA,
    SETTING_NOTES_EVENT,
    SourceLinks,
    file_cache,
    parse_inline,
    parse_rst,
    resolve_path,
    row,
    source_links,
    table,
    warn_problem,
)
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.settings.model import Setting, SettingsCatalog
from opsdocs.settings.reader import ReadOptions, read_settings
from opsdocs.settings.reads import reads_problems, scan_reads, undeclared_settings
from opsdocs.settings.sources import SettingsSource, resolve_source
from opsdocs.settings.text import definition_place, describe_definition

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")

#: A setting's "new in"/"changed in" notes, as the changelog concern gives them.
Notes = Callable[[Setting], list[nodes.Node]]


def read_catalog(
    directive: SphinxDirective, argument: str, warn: Callable[[Problem], bool] = lambda _: True,
    plain_comments: bool = False,
) -> SettingsCatalog | None:
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
    search_path = (*(Path(p) for p in sys.path if p), Path(env.srcdir))
    try:
        source = resolve_source(specs, Path(env.srcdir), search_path)
        catalog = file_cache(env).get(("settings", tuple(specs), options),
                                      lambda: read_settings(source, options),
                                      lambda found: catalog_files(source, found))
    except OpsdocsError as error:
        warn_problem(env, error.problem, directive.get_location())
        return None
    for file in catalog_files(source, catalog):
        env.note_dependency(str(file))
    for problem in catalog.problems:
        if warn(problem):
            warn_problem(env, problem, directive.get_location())
    return catalog


def source_specs(env: BuildEnvironment, argument: str) -> list[str]:
    """The sources a directive's argument names, as absolute paths or dotted names."""
    whole = argument.strip()
    if resolve_path(env, whole).exists():
        parts = [whole]  # a path with spaces, given alone
    else:
        try:
            parts = shlex.split(whole)
        except ValueError:
            parts = whole.split()
    return [str(resolve_path(env, part)) if not _DOTTED.fullmatch(part) or
            resolve_path(env, part).exists() else part for part in parts]


def catalog_files(source: SettingsSource, catalog: SettingsCatalog) -> list[str]:
    """The files a catalog depends on: those read, and a package's files even when missing."""
    return list(dict.fromkeys([*map(str, source.files()), *catalog.files]))


def setting_id(env: BuildEnvironment, document: nodes.document, name: str) -> str:
    """The anchor of a setting, as Sphinx's own ``.. setting::`` makes it."""
    return make_id(env, document, "setting", name)


class setting_name(nodes.literal):  # docutils names node classes in lower case
    """A setting's name in the reference; other builders render it as the literal it is."""


def visit_setting_name_html(translator: Any, node: setting_name) -> None:
    # Long names may break after an underscore, never inside a word (CSRF_COOKIE_SE|CURE).
    parts = re.split(r"(?<=_)(?=.)", node.astext())
    translator.body.append(translator.starttag(node, "code", "", CLASS="docutils literal notranslate"))
    translator.body.append("<wbr>".join(
        f'<span class="pre">{translator.encode(part)}</span>' for part in parts))
    translator.body.append("</code>")
    raise nodes.SkipNode


class SettingsReference(SphinxDirective):
    """``.. settings-reference:: PATH``: a table of every setting in a settings package."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "plain-comments": directives.flag,
        "reads": directives.unchanged_required,
        "only": lambda arg: directives.choice(arg, ("required", "defaults", "toggles")),
        "match": directives.unchanged_required,
        "exclude": directives.unchanged_required,
        "group-by": lambda arg: directives.choice(arg, ("none", "prefix", "section")),
        "no-index": directives.flag,
        "noindex": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        catalog = read_catalog(
            self, self.arguments[0],
            lambda p: p.check != "undocumented" or self.config.opsdocs_undocumented == "warn",
            plain_comments="plain-comments" in self.options)
        if catalog is None:
            return []
        directory = Path(catalog.root)
        settings = self.select([*catalog.settings, *self.undeclared(catalog)])
        if not settings:
            logger.warning(
                "no settings in %s match this settings-reference's options", directory,
                location=self.get_location(), type="opsdocs", subtype="empty",
            )
            return []
        notes = self.env.events.emit_firstresult(SETTING_NOTES_EVENT, self, directory)
        links = source_links(self.env, {s.file for s in settings}, directory)
        builder = TableBuilder(self, links, notes)
        groups = group_settings(settings, self.options.get("group-by", "none"))
        if len(groups) == 1 and groups[0][0] is None:
            return [builder.table(settings)]
        return [self.section(title, members, builder) for title, members in groups]

    def undeclared(self, catalog: SettingsCatalog) -> list[Setting]:
        """With ``:reads:``, the settings the code there reads that nothing declares; reads
        whose default differs from the declared one are warnings at the read."""
        if "reads" not in self.options:
            return []
        from opsdocs.config.check import django_setting_names

        paths = [str(resolve_path(self.env, p)) for p in shlex.split(self.options["reads"])]
        found = file_cache(self.env).get(("reads", tuple(paths)), lambda: scan_reads(paths),
                                         lambda result: result.files)
        for file in found.files:
            self.env.note_dependency(file)
        ignore = django_setting_names()
        for problem in [*found.problems, *reads_problems(found.reads, catalog, ignore)]:
            if problem.check != "reads-undeclared":
                warn_problem(self.env, problem, self.get_location())
        return undeclared_settings(found.reads, catalog, ignore)

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

    def section(self, title: str | None, settings: list[Setting], builder: TableBuilder) -> nodes.section:
        text = title or "Other settings"
        section_id = make_id(self.env, self.state.document, "settings", text)
        section = nodes.section("", nodes.title(text, text), ids=[section_id], names=[])
        section += builder.table(settings)
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


class TableBuilder:
    """Builds the reference table's nodes directly: far cheaper than generating RST.

    It is handed the source links and the history notes; it reads no file.
    """

    HEADERS = ("Setting", "Default", "Description")

    def __init__(self, directive: SettingsReference, links: SourceLinks,
                 notes: Notes | None = None) -> None:
        self.directive = directive
        self.env = directive.env
        self.document = directive.state.document
        self.index = "no-index" not in directive.options and "noindex" not in directive.options
        self.links = links
        # "New in", "changed in": given, they replace the doc's own version directives.
        self.notes: Notes | None = notes

    def table(self, settings: list[Setting]) -> nodes.table:
        return table(self.HEADERS, (24, 30, 46), (self.row(setting) for setting in settings),
                     ["opsdocs-settings", "longtable", "colwidths-given"])

    def row(self, setting: Setting) -> nodes.row:
        result = row([self.name_cell(setting), self.default_cell(setting),
                      self.description_cell(setting)])
        if setting.required:
            result["classes"].append("opsdocs-required")
        if setting.deprecated:
            result["classes"].append("opsdocs-deprecated")
        return result

    def name_cell(self, setting: Setting) -> list[nodes.Node]:
        node_id = setting_id(self.env, self.document, setting.name)
        title = nodes.paragraph(classes=["opsdocs-setting-name"])
        if self.index:
            std = self.env.get_domain("std")
            std.note_object("setting", setting.name, node_id,  # type: ignore[attr-defined]
                            location=(self.env.docname, self.directive.lineno))
            title += addnodes.index(entries=[
                ("pair", f"{setting.name}; setting", node_id, "", None)
            ])
            title += nodes.target("", "", ids=[node_id])
        title += setting_name(setting.name, setting.name, classes=["xref", "std", "std-setting"])
        if self.index:
            title += nodes.raw(
                "", f'<a class="headerlink" href="#{node_id}" title="Link to this setting">¶</a>',
                format="html",
            )
        result: list[nodes.Node] = [title]
        if setting.annotation:
            result.append(nodes.paragraph("", "", *self.type_nodes(setting.annotation),
                                          classes=["opsdocs-setting-type"]))
        badges = nodes.paragraph(classes=["opsdocs-badges"])
        if setting.deprecated:
            badges += nodes.inline("", f"Deprecated in {setting.deprecated}",
                                   classes=["opsdocs-badge", "opsdocs-badge-deprecated"])
        for text, kind in badge_texts(setting):
            badges += nodes.inline("", text, classes=["opsdocs-badge", f"opsdocs-badge-{kind}"])
        if badges.children:
            result.append(badges)
        return result

    def type_nodes(self, annotation: str) -> list[nodes.Node]:
        return format_type(self.directive, annotation)

    def default_cell(self, setting: Setting) -> list[nodes.Node]:
        if setting.required:
            return [nodes.paragraph("", "", nodes.strong("Required", "Required"))]
        if setting.secret:
            return [nodes.paragraph("", "", nodes.emphasis("secret", "secret: not shown"))]
        if setting.default_display is not None:
            parsed = parse_inline(self.directive, setting.default_display, setting.file,
                                  setting.doc_line or setting.line)
            return [nodes.paragraph("", "", *parsed)]
        if setting.value is None:
            return [nodes.paragraph("", "", nodes.emphasis("", "not set here"))]
        return [literal_value(setting.value)]

    def doc_nodes(self, setting: Setting) -> list[nodes.Node]:
        """The doc as reStructuredText, located at its ``#:`` comment's lines; a
        code-annotations description or a plain comment as the text it is."""
        if setting.doc_markup == "text":
            return [nodes.paragraph(text, text) for text in setting.doc.split("\n\n")]
        # Settings from old snapshots lack doc_line: the doc ends above the setting.
        line = setting.doc_line or max(setting.line - len(setting.doc.splitlines()), 1)
        return parse_rst(self.directive, setting.doc, setting.file, line)

    def annotation_nodes(self, setting: Setting) -> list[nodes.Node]:
        """A code-annotations block's warning and facts (use cases, dates, tickets)."""
        result: list[nodes.Node] = []
        prefix = "toggle_" if setting.toggle else "setting_"
        warning = setting.field(prefix + "warning")
        if warning and warning.lower() not in ("none", "n/a"):
            result.append(nodes.warning("", nodes.paragraph(warning, warning)))
        facts = [f"{label}: {setting.field(prefix + name)}" for name, label in ANNOTATION_FACTS
                 if setting.field(prefix + name) not in (None, "", "None")]
        if facts:
            text = "; ".join(facts) + "."
            result.append(nodes.paragraph(text, text, classes=["opsdocs-annotation-facts"]))
        return result

    def description_cell(self, setting: Setting) -> list[nodes.Node]:
        result = self.doc_nodes(setting) if setting.doc else []
        result.extend(self.annotation_nodes(setting))
        if self.notes is not None:
            result = [n for n in result if not isinstance(n, addnodes.versionmodified)]
        if setting.example:
            example = nodes.paragraph("", "", nodes.strong("", "Example:"), nodes.Text(" "))
            example += literal_inline_or_block(setting.example)
            result.append(example)
        if setting.changes or setting.conditional or not setting.declared:
            result.append(self.changes(setting))
        if self.notes is not None:
            result.extend(self.notes(setting))
        result.append(self.source(setting))
        return result

    def changes(self, setting: Setting) -> nodes.Node:
        items = nodes.bullet_list(classes=["opsdocs-setting-changes"])
        for definition in setting.definitions:
            para = nodes.paragraph("", "", nodes.literal("", describe_definition(setting, definition)))
            where = f" ({definition_place(setting, definition)}"
            where += f", {definition.condition})" if definition.condition else ")"
            para += nodes.Text(where)
            items += nodes.list_item("", para)
        label = "Defined by:" if setting.declared else "Read at:"
        para = nodes.paragraph("", "", nodes.Text(label))
        wrapper = nodes.container(classes=["opsdocs-setting-definitions"])
        wrapper += [para, items]
        return wrapper

    def source(self, setting: Setting) -> nodes.Node:
        label = f"{self.links.path(setting.file)}, line {setting.line}"
        para = nodes.paragraph(classes=["opsdocs-setting-source"])
        url = self.links.url(setting.file, setting.line)
        para += nodes.reference(label, label, refuri=url, internal=False) if url else \
            nodes.Text(label)
        return para


#: The code-annotations fields shown besides the description, and their labels.
ANNOTATION_FACTS = (("implementation", "Implementation"), ("use_cases", "Use cases"),
                    ("creation_date", "Created"), ("target_removal_date", "To be removed"),
                    ("tickets", "Tickets"))


def badge_texts(setting: Setting) -> list[tuple[str, str]]:
    """The badges of what the model knows about a setting besides its value: ``(text,
    kind)``."""
    badges = []
    if setting.toggle:
        badges.append(("Toggle", "toggle"))
    if setting.secret:
        badges.append(("Secret", "secret"))
    if setting.env_vars:
        badges.append((f"Environment: {', '.join(setting.env_vars)}", "env"))
    if not setting.declared:
        badges.append(("Not declared", "undeclared"))
    return badges


def literal_value(value: str) -> nodes.Element:
    """A default value: inline code when short, a highlighted block when long or multi-line."""
    if "\n" in value or len(value) > 40:
        block = nodes.literal_block(value, value, language="python")
        block["classes"].append("opsdocs-default")
        return block
    return nodes.paragraph("", "", nodes.literal(value, value, classes=["code", "python"]))


def literal_inline_or_block(value: str) -> nodes.Node:
    if "\n" in value:
        return nodes.literal_block(value, value)
    return nodes.literal(value, value)


def format_type(directive: SphinxDirective, annotation: str) -> list[nodes.Node]:
    """Type nodes: sphinx-autodoc-typehints' format when it is loaded, Sphinx's otherwise."""
    if "sphinx_autodoc_typehints" in directive.config.extensions:
        value = safe_eval_annotation(annotation)
        if value is not None:
            from sphinx_autodoc_typehints import format_annotation

            text = format_annotation(value, directive.config)
            parsed, _ = directive.state.inline_text(text, directive.lineno)
            return list(parsed)
    from sphinx.domains.python import _parse_annotation  # type: ignore[attr-defined]

    return list(_parse_annotation(annotation, directive.env))


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
    except (SyntaxError, ValueError, TypeError, RecursionError, _NotAType):
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


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("opsdocs._sphinx")
    app.add_object_type(
        "setting", "setting", indextemplate="pair: %s; setting", objname="setting"
    )
    app.add_directive("settings-reference", SettingsReference)
    app.add_node(setting_name, html=(visit_setting_name_html, None))
    app.add_config_value("opsdocs_undocumented", "warn", "env", types=ENUM("warn", "ignore"))
    return dict(METADATA)
