"""Sphinx glue for the settings reference: ``std:setting`` objects and their tables."""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.config import ENUM
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, switch_source_input
from sphinx.util.nodes import make_id

from opsdocs._sphinx import (
    METADATA,
    display_path,
    resolve_path,
    row,
    source_root,
    table,
    warn_problem,
)
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.settings.model import SETTINGS_FILES, Setting, SettingsCatalog
from opsdocs.settings.reader import read_settings_package
from opsdocs.settings.text import describe_definition

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Per settings package: the files' stamps and sentinels it was read with, and the catalog.
#: One entry per package, so a long-running process (sphinx-autobuild) does not grow it.
_catalogs: dict[str, tuple[tuple[object, ...], SettingsCatalog]] = {}


def load_catalog(env: BuildEnvironment, directory: Path) -> SettingsCatalog:
    """Read a settings package once per content (a page may use it many times)."""
    sentinels = tuple(env.config.opsdocs_required_sentinels)
    stamps: list[object] = [sentinels]
    for name in SETTINGS_FILES:
        try:
            stat = (directory / name).stat()
            stamps.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append(None)
    cached = _catalogs.get(str(directory))
    if cached is None or cached[0] != tuple(stamps):
        cached = _catalogs[str(directory)] = (
            tuple(stamps), read_settings_package(directory, sentinels))
    return cached[1]


def catalog_for_directive(
    directive: SphinxDirective, path: str, warn: Callable[[Problem], bool] = lambda _: True,
) -> SettingsCatalog | None:
    """The settings catalog at a directive's *path* (relative to its document), or ``None``.

    Both settings files become dependencies of the document; the catalog's problems that
    *warn* selects are warnings located in their file (at the directive when they have
    no line).  A package that is not there is a warning at the directive.
    """
    directory = resolve_path(directive.env, path)
    try:
        catalog = load_catalog(directive.env, directory)
    except OpsdocsError as error:
        logger.warning("%s", error.problem.message, location=directive.get_location(),
                       type="opsdocs", subtype=error.problem.check)
        return None
    for filename in SETTINGS_FILES:
        directive.env.note_dependency(str(directory / filename))
    for problem in catalog.problems:
        if warn(problem):
            warn_problem(problem, directive.get_location())
    return catalog






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
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "only": lambda arg: directives.choice(arg, ("required", "defaults")),
        "match": directives.unchanged_required,
        "exclude": directives.unchanged_required,
        "group-by": lambda arg: directives.choice(arg, ("none", "prefix", "section")),
        "no-index": directives.flag,
        "noindex": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        catalog = catalog_for_directive(
            self, self.arguments[0],
            lambda p: p.check != "undocumented" or self.config.opsdocs_undocumented == "warn")
        if catalog is None:
            return []
        directory = Path(catalog.root)
        settings = self.select(catalog.settings)
        if not settings:
            logger.warning(
                "no settings in %s match this settings-reference's options", directory,
                location=self.get_location(), type="opsdocs", subtype="empty",
            )
            return []
        builder = TableBuilder(self, directory)
        groups = group_settings(settings, self.options.get("group-by", "none"))
        if len(groups) == 1 and groups[0][0] is None:
            return [builder.table(settings)]
        return [self.section(title, members, builder) for title, members in groups]

    def select(self, settings: Iterable[Setting]) -> list[Setting]:
        only = self.options.get("only")
        match = self.options.get("match", "").replace(",", " ").split()
        exclude = self.options.get("exclude", "").replace(",", " ").split()
        return [
            s for s in settings
            if (only is None or s.required == (only == "required"))
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
    """Builds the reference table's nodes directly: far cheaper than generating RST."""

    HEADERS = ("Setting", "Default", "Description")

    def __init__(self, directive: SettingsReference, directory: Path) -> None:
        self.directive = directive
        self.env = directive.env
        self.config = directive.config
        self.document = directive.state.document
        self.index = "no-index" not in directive.options and "noindex" not in directive.options
        self.source_root = source_root(self.env, directory)
        from opsdocs.changelog.directive import reference_notes  # it imports this module

        self.notes = reference_notes(directive, directory)  # "new in", "changed in"
        self.paths: dict[str, str] = {}  # display_path() resolves: once per file, not per row

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
            parsed, _ = self.directive.state.inline_text(setting.default_display, setting.line)
            return [nodes.paragraph("", "", *parsed)]
        if setting.value is None:
            return [nodes.paragraph("", "", nodes.emphasis("", "not set here"))]
        return [literal_value(setting.value)]

    def doc_nodes(self, setting: Setting) -> list[nodes.Node]:
        """The doc parsed as reStructuredText, sourced in the settings file.

        Each line keeps its ``#:`` comment's file and line, so RST errors point there.  Most
        docs are plain prose; those become paragraphs directly, as the parser would make them.
        """
        lines = setting.doc.splitlines()
        # 0-based offset of the doc's first line; settings from old snapshots lack doc_line.
        first = setting.doc_line - 1 if setting.doc_line else max(setting.line - len(lines) - 1, 0)
        paragraphs = plain_paragraphs(lines, setting.file, first)
        if paragraphs is not None:
            return paragraphs
        container = nodes.container()
        content = StringList(lines, items=[(setting.file, first + i) for i in range(len(lines))])
        # As autodoc does: messages of the inline parser are located through the reporter,
        # which would otherwise place them in the page that holds the directive.
        with switch_source_input(self.directive.state, content):
            self.directive.state.nested_parse(content, 0, container)
        return list(container.children)

    def description_cell(self, setting: Setting) -> list[nodes.Node]:
        result = self.doc_nodes(setting) if setting.doc else []
        if setting.example:
            example = nodes.paragraph("", "", nodes.strong("", "Example:"), nodes.Text(" "))
            example += literal_inline_or_block(setting.example)
            result.append(example)
        if setting.changes:
            result.append(self.changes(setting))
        result.extend(self.notes.nodes(setting))
        result.append(self.source(setting))
        return result

    def changes(self, setting: Setting) -> nodes.Node:
        items = nodes.bullet_list(classes=["opsdocs-setting-changes"])
        for definition in setting.definitions:
            para = nodes.paragraph("", "", nodes.literal("", describe_definition(setting, definition)))
            where = f" (line {definition.line}"
            where += f", {definition.condition})" if definition.condition else ")"
            para += nodes.Text(where)
            items += nodes.list_item("", para)
        para = nodes.paragraph("", "", nodes.Text("Defined by:"))
        wrapper = nodes.container(classes=["opsdocs-setting-definitions"])
        wrapper += [para, items]
        return wrapper

    def source(self, setting: Setting) -> nodes.Node:
        path = self.paths.get(setting.file)
        if path is None:
            path = self.paths[setting.file] = display_path(setting.file, self.source_root)
        label = f"{path}, line {setting.line}"
        para = nodes.paragraph(classes=["opsdocs-setting-source"])
        url_template = self.config.opsdocs_source_url
        if url_template:
            url = url_template.format(path=path, line=setting.line)
            para += nodes.reference(label, label, refuri=url, internal=False)
        else:
            para += nodes.Text(label)
        return para


#: What may start reStructuredText markup inside a line (inline markup, roles, targets,
#: substitutions, footnotes, URIs and e-mail addresses, escapes, ``::``, doctest ``>>>``).
_MARKUP = re.compile(r"[*`_|\[\]\\:@<>\t]")
#: What may start a block at the beginning of a line besides text: an enumerator (``1.``,
#: ``a)``, ``iv.``), bullets, options, tables, comments, directives, section adornments.
_BLOCK_START = re.compile(r"[^A-Za-z0-9]|(?:[0-9]+|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+)[.)](?: |$)")


def plain_paragraphs(lines: Sequence[str], source: str, first: int) -> list[nodes.Node] | None:
    """Paragraphs of a doc that is plain prose, as the RST parser makes them, else ``None``.

    Plain means: paragraphs of unindented lines that start with a letter or digit, hold no
    character that could begin markup, and are separated by empty lines.  The parser
    would make exactly one ``paragraph`` of one ``Text`` per block of such lines, located at
    its first line (*first* is the 0-based line of ``lines[0]`` in *source*).
    """
    result: list[nodes.Node] = []
    block: list[str] = []
    for index, line in enumerate([*lines, ""]):
        if line:
            if (line[-1] == " " or _BLOCK_START.match(line) or _MARKUP.search(line)):
                return None
            block.append(line)
        elif block:
            text = "\n".join(block)
            paragraph = nodes.paragraph(text, "", nodes.Text(text))
            paragraph.source, paragraph.line = source, first + index - len(block) + 1
            result.append(paragraph)
            block = []
    return result


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


_TYPE_NODES = (ast.Expression, ast.Name, ast.Attribute, ast.Subscript, ast.Tuple, ast.List,
               ast.BinOp, ast.BitOr, ast.Constant, ast.Load)


def safe_eval_annotation(annotation: str) -> Any:
    """Evaluate an annotation built only from builtins and :mod:`typing` names, else ``None``.

    Only names of builtins, :mod:`typing` and :mod:`collections.abc` are in scope, and
    only the node types of a type expression are allowed, so no code of the service runs.
    """
    import builtins
    import collections.abc
    import typing

    try:
        tree = ast.parse(annotation, mode="eval")
    except SyntaxError:
        return None
    if not all(isinstance(node, _TYPE_NODES) for node in ast.walk(tree)):
        return None
    namespace = {name: getattr(builtins, name) for name in dir(builtins)
                 if isinstance(getattr(builtins, name), type)}
    namespace.update({name: getattr(typing, name) for name in typing.__all__})
    namespace.update({"typing": typing, "collections": collections, "None": None})
    for name in (n.id for n in ast.walk(tree) if isinstance(n, ast.Name)):
        if name not in namespace:
            return None
    try:
        return eval(compile(tree, "<annotation>", "eval"), {"__builtins__": {}}, namespace)
    except Exception:
        return None








def setup(app: Sphinx) -> dict[str, Any]:
    app.add_object_type(
        "setting", "setting", indextemplate="pair: %s; setting", objname="setting"
    )
    app.add_directive("settings-reference", SettingsReference)
    app.add_node(setting_name, html=(visit_setting_name_html, None))
    app.setup_extension("opsdocs._sphinx")
    app.add_config_value("opsdocs_undocumented", "warn", "env", types=ENUM("warn", "ignore"))
    return METADATA

