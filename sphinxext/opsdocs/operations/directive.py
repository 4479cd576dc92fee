"""Sphinx glue for the operations manual: directives, ``std:opscommand`` objects, links.

Commands are objects of the standard domain (``:opscommand:`` role, index and
``objects.inv`` entries), so the std domain keeps them across documents, parallel
reads and incremental builds.  The role is not called ``:command:``: Sphinx already
has a generic ``:command:`` role (an OS-level command name) that documents rely on.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from opsdocs._breaks import code
from opsdocs._sphinx import (
    METADATA,
    PathDirective,
    SourceLinks,
    file_cache,
    ignored_reference,
    known_objects,
    resolve_path,
    source_links,
    warn_problem,
)
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.operations.cron import describe_cron
from opsdocs.operations.model import Argument, Command, Group, Manual
from opsdocs.operations.reader import read_manual, unknown_setting_message
from opsdocs.operations.text import badges
from opsdocs.settings.source_pages import source_reference
from opsdocs.suggest import closest_name, did_you_mean
from opsdocs.untrusted import parse_inline, parse_rst

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

OBJECT_TYPE = "opscommand"


def load_manual(env: BuildEnvironment, path: Path) -> Manual:
    """Read a commands file once per content of it and of the modules it made us read."""
    return file_cache(env).get(("operations", str(path)), lambda: read_manual(path),
                               lambda manual: manual.dependencies)


NO_INDEX = {"no-index": directives.flag, "noindex": directives.flag}


class _ManualDirective(SphinxDirective):
    """Shared by both directives: reading the file, noting dependencies, warnings."""

    def read(self, path: Path) -> Manual | None:
        self.env.note_dependency(str(path))
        try:
            manual = load_manual(self.env, path)
        except OpsdocsError as error:  # the file may come from conf.py: name it
            warn_problem(self.env, error.problem, self.get_location(), name_file=True)
            return None
        for dependency in manual.dependencies:
            self.env.note_dependency(dependency)
        return manual

    def renderer(self, manual: Manual) -> CommandRenderer:
        """The renderer of *manual*'s commands, handed the links to their modules."""
        modules = {c.django_file for c in manual.commands if c.django_file}
        links = source_links(self.env, modules, Path(manual.file).parent)
        return CommandRenderer(self, links, index=self.index)

    @property
    def index(self) -> bool:
        return not set(NO_INDEX) & set(self.options)

    def warn(self, message: str, subtype: str) -> None:
        logger.warning("%s", message, location=self.get_location(), type="opsdocs",
                       subtype=subtype)


class OperationsManual(_ManualDirective, PathDirective):
    """``.. operations-manual:: commands.yml``: a section per group and per command."""

    option_spec: ClassVar[dict[str, Any]] = {
        "groups": directives.unchanged_required, **NO_INDEX,
    }

    def run(self) -> list[nodes.Node]:
        manual = self.read(resolve_path(self.env, self.arguments[0]))
        if manual is None:
            return []
        for problem in manual.problems:
            warn_problem(self.env, problem, self.get_location())
        renderer = self.renderer(manual)
        result: list[nodes.Node] = []
        if manual.description:
            result.extend(renderer.rst(manual.description, manual.file, manual.description_line))
        for group in self.select(manual):
            result.append(renderer.group_section(group))
        return result

    def select(self, manual: Manual) -> list[Group]:
        wanted = self.options.get("groups", "").replace(",", " ").split()
        if not wanted:
            return list(manual.groups)
        names = [group.name for group in manual.groups]
        for name in wanted:
            if name not in names:
                self.warn(f"no group {name!r} in {manual.file} (it has {', '.join(names)})",
                          "unknown-group")
        return [group for group in manual.groups if group.name in wanted]


class OperationsCommand(_ManualDirective):
    """``.. operations-command:: NAME``: one command, anywhere.

    The file is ``:file:`` (relative to the document) or ``opsdocs_commands_file``
    (relative to the source directory).  Only problems of this command are
    warned about; the ``operations-manual`` directive reports the whole file.
    """

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {
        "file": directives.unchanged_required, **NO_INDEX,
    }

    def run(self) -> list[nodes.Node]:
        path = self.commands_file()
        if path is None:
            return []
        manual = self.read(path)
        if manual is None:
            return []
        name = self.arguments[0]
        command = manual.command(name)
        if command is None:
            names = [c.name for c in manual.commands]
            hint = did_you_mean(closest_name(name, names)) or f": it has {', '.join(names)}"
            self.warn(f"no command {name!r} in {path}{hint}", "unknown-command")
            return []
        for problem in manual.problems:
            if problem.path and (problem.path + ".").startswith(command.path + "."):
                warn_problem(self.env, problem, self.get_location())
        return [self.renderer(manual).command_description(command)]

    def commands_file(self) -> Path | None:
        if "file" in self.options:
            return resolve_path(self.env, self.options["file"])
        configured = self.config.opsdocs_commands_file
        if not configured:
            self.warn("operations-command needs a commands file: give ':file: PATH' or set "
                      "opsdocs_commands_file in conf.py", "config")
            return None
        return Path(self.env.srcdir, configured)


class CommandRenderer:
    """Docutils nodes for groups and commands; handed the links, it reads no file."""

    def __init__(self, directive: SphinxDirective, links: SourceLinks, *, index: bool) -> None:
        self.directive = directive
        self.env: BuildEnvironment = directive.env
        self.document = directive.state.document
        self.links = links
        self.index = index

    # -- structure ---------------------------------------------------------------

    def group_section(self, group: Group) -> nodes.section:
        section_id = make_id(self.env, self.document, "operations", group.name)
        section = nodes.section("", nodes.title(group.title, group.title), ids=[section_id],
                                classes=["opsdocs-group"])
        if group.description:
            section.extend(self.rst(group.description, group.file, group.description_line))
        for command in group.commands:
            section += self.command_section(command)
        return section

    def command_section(self, command: Command) -> nodes.section:
        node_id = self.register(command)
        title = nodes.title(command.name, command.name)
        section = nodes.section("", title, ids=[node_id], classes=self.classes(command))
        section.extend(self.body(command, node_id))
        for index in section.findall(addnodes.index):  # its title is the search's result
            index["opsdocs_entries"] = True
        return section

    def command_description(self, command: Command) -> addnodes.desc:
        node_id = self.register(command)
        desc = addnodes.desc(domain="std", objtype=OBJECT_TYPE, desctype=OBJECT_TYPE,
                             classes=["std", OBJECT_TYPE, *self.classes(command)])
        signature = addnodes.desc_signature("", "", ids=[node_id])
        signature += addnodes.desc_name(command.name, command.name)
        desc += signature
        content = addnodes.desc_content()
        content.extend(self.body(command, node_id))
        desc += content
        return desc

    def register(self, command: Command) -> str:
        node_id = make_id(self.env, self.document, OBJECT_TYPE, command.name)
        if self.index:
            std = self.env.get_domain("std")
            std.note_object(OBJECT_TYPE, command.name, node_id,  # type: ignore[attr-defined]
                            location=self.directive.get_location())
        return node_id

    @staticmethod
    def classes(command: Command) -> list[str]:
        classes = ["opsdocs-command", f"opsdocs-when-{command.when}"]
        if command.destructive:
            classes.append("opsdocs-destructive")
        return classes

    def body(self, command: Command, node_id: str) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        if self.index:
            result.append(addnodes.index(entries=[
                ("pair", f"{command.name}; operations command", node_id, "", None),
            ]))
        result.append(self.badges(command))
        result.extend(self.summary(command))
        if command.destructive:
            result.append(self.destructive(command))
        if command.description:
            result.extend(self.rst(command.description, command.file, command.description_line))
        block = nodes.literal_block(command.command_line, command.command_line,
                                    language="shell", classes=["opsdocs-command-line"])
        result.append(block)
        facts = self.facts(command)
        if facts.children:
            result.append(facts)
        for title, arguments in (("Arguments", command.positional), ("Options", command.options)):
            if arguments:
                result.append(nodes.rubric(title, title))
                result.append(self.arguments(arguments))
        if command.examples:
            result.append(nodes.rubric("Examples", "Examples"))
            for example in command.examples:
                if example.description:
                    result.extend(self.rst(example.description, command.file,
                                             example.description_line))
                result.append(nodes.literal_block(example.command, example.command,
                                                  language="shell"))
        return result

    # -- pieces ------------------------------------------------------------------

    def summary(self, command: Command) -> list[nodes.Node]:
        """The file's summary, reStructuredText; else the command's own help, plain text."""
        if not command.summary:
            text = command.shown_help
            return [nodes.paragraph(text, text, classes=["opsdocs-summary"])] if text else []
        summary = self.rst(command.summary, command.file, command.summary_line)
        if summary and isinstance(summary[0], nodes.Element):
            summary[0]["classes"].append("opsdocs-summary")
        return summary

    def badges(self, command: Command) -> nodes.paragraph:
        result = nodes.paragraph(classes=["opsdocs-badges"])
        for text, kind in badges(command):
            if result.children:
                result += nodes.Text(" ")
            result += self.badge(text, kind)
        return result

    @staticmethod
    def badge(text: str, kind: str) -> nodes.inline:
        return nodes.inline(text, text, classes=["opsdocs-badge", f"opsdocs-badge-{kind}"])

    def destructive(self, command: Command) -> nodes.Element:
        text = command.destructive_note or (
            "This command destroys data. Take a backup first and read the description "
            "before running it.")
        admonition = nodes.warning(classes=["opsdocs-destructive-warning"])
        admonition += nodes.paragraph("", "", nodes.strong("Destructive:", "Destructive:"),
                                      nodes.Text(" "),
                                      *self.inline(text, command.file, command.destructive_line))
        return admonition

    def facts(self, command: Command) -> nodes.field_list:
        fields = nodes.field_list(classes=["opsdocs-facts"])
        if command.schedule:
            described = describe_cron(command.schedule)
            value: list[nodes.Node] = [nodes.literal(command.schedule, command.schedule)]
            if described:
                value.append(nodes.Text(f" ({described})"))
            fields += self.field("Schedule", value)
        if command.duration:
            fields += self.field("Typical duration", [nodes.Text(command.duration)])
        if command.settings:
            fields += self.field("Settings", self.joined(self.setting_xref(command, s.name,
                                 s.line, s.path) for s in command.settings))
        if command.environment:
            items = nodes.bullet_list()
            for variable in command.environment:
                para = nodes.paragraph("", "", nodes.literal(variable.name, variable.name))
                if variable.description:
                    para += nodes.Text(": ")
                    para.extend(self.inline(variable.description, command.file, variable.line))
                items += nodes.list_item("", para)
            fields += self.field("Environment", [items])
        if command.django:
            fields += self.field("Management command", [
                nodes.literal(command.django, command.django), nodes.Text(" ("),
                self.module_link(command), nodes.Text(")"),
            ])
        return fields

    def module_link(self, command: Command) -> nodes.Node:
        """The management command's module; a link to its source when it is the service's."""
        if not command.django_module:
            return nodes.Text("not found")
        module = command.django_module  # wraps at its dots, never inside a name
        if not command.django_file:
            return code(module)
        # Django's or an installed app's module gets no link: it is not this repository's.
        link = source_reference(self.env, self.links, command.django_file,
                                command.django_line or 1, module)
        if isinstance(link, nodes.Text):
            return code(module)
        label = link if isinstance(link, nodes.reference) else link.next_node(nodes.inline)
        assert isinstance(label, nodes.Element)
        label.clear()
        label.append(code(module))
        return link

    @staticmethod
    def field(name: str, body: Iterable[nodes.Node]) -> nodes.field:
        body = list(body)
        content = body if body and isinstance(body[0], nodes.Element) and not isinstance(
            body[0], nodes.Inline) else [nodes.paragraph("", "", *body)]
        return nodes.field("", nodes.field_name(name, name), nodes.field_body("", *content))

    @staticmethod
    def joined(items: Iterable[nodes.Node]) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        for item in items:
            if result:
                result.append(nodes.Text(", "))
            result.append(item)
        return result

    def setting_xref(self, command: Command, name: str, line: int | None,
                     path: str) -> addnodes.pending_xref:
        """A ``:setting:`` link; if nothing (not even intersphinx) resolves it, a warning."""
        xref = addnodes.pending_xref(
            "", nodes.literal(name, name, classes=["xref", "std", "std-setting"]),
            refdomain="std", reftype="setting", reftarget=name, refexplicit=False,
            refwarn=True, refdoc=self.env.docname,
        )
        xref["opsdocs_file"], xref["opsdocs_line"], xref["opsdocs_path"] = command.file, line, path
        return xref

    def arguments(self, arguments: Iterable[Argument]) -> nodes.definition_list:
        items = nodes.definition_list(classes=["opsdocs-arguments"])
        for argument in arguments:
            term = nodes.term()
            term += nodes.literal(argument.usage, argument.usage)
            for alias in argument.aliases:
                term += nodes.Text(", ")
                term += nodes.literal(alias, alias)
            definition = nodes.definition()
            description = argument.shown_description
            if argument.description_at_run_time:
                definition += nodes.paragraph("", "", nodes.emphasis(description, description))
            elif description:
                definition += nodes.paragraph(description, description)
            details: list[list[nodes.Node]] = []
            if argument.required and argument.is_option:
                details.append([nodes.Text("Required.")])
            default = argument.shown_default
            if default is not None and argument.default_is_prose:
                details.append([nodes.Text("Default: "), nodes.emphasis(default, default),
                                nodes.Text(".")])
            elif default is not None:
                details.append([nodes.Text("Default: "), nodes.literal(default, default),
                                nodes.Text(".")])
            if argument.choices:
                details.append([nodes.Text("One of: "),
                                *self.joined(nodes.literal(c, c) for c in argument.choices),
                                nodes.Text(".")])
            if details:
                para = nodes.paragraph()
                for detail in details:
                    if para.children:
                        para += nodes.Text(" ")
                    para.extend(detail)
                definition += para
            items += nodes.definition_list_item("", term, definition)
        return items

    def rst(self, text: str, filename: str, line: int | None) -> list[nodes.Node]:
        """reStructuredText from the commands file, located at its lines there."""
        return parse_rst(self.directive, text, filename, line or 1)

    def inline(self, text: str, filename: str, line: int | None) -> list[nodes.Node]:
        """Inline reStructuredText from the commands file, located at its line there."""
        return parse_inline(self.directive, text, filename, line or 1)


def warn_unknown_setting(app: Sphinx, domain: Domain, node: addnodes.pending_xref) -> bool | None:
    """A ``:setting:`` of a command that nothing resolved: warn at the commands file's line.

    Connected to ``warn-missing-reference``, which runs after every resolver (the std
    domain, then ``missing-reference`` handlers such as intersphinx), so Django's own
    settings can resolve through intersphinx.  ``nitpick_ignore`` silences one setting;
    a command shown on several pages is warned about once.
    """
    file = node.get("opsdocs_file")
    if file is None:
        return None
    name = node["reftarget"]
    if ignored_reference(app.config, "setting", name):
        return True
    warn_problem(app.env, Problem(unknown_setting_message(name, known_objects(domain, "setting")), file,
                                  node["opsdocs_line"], "unknown-setting", node["opsdocs_path"]))
    return True


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("opsdocs._sphinx")
    # :setting: in descriptions, the settings objects it links to, the source pages.
    app.setup_extension("opsdocs.settings")
    app.add_object_type(
        OBJECT_TYPE, OBJECT_TYPE, indextemplate="pair: %s; operations command",
        objname="operations command",
    )
    # Searching finds a command by its section's title or its index entry: not a third time.
    app.registry.domain_object_types["std"][OBJECT_TYPE].attrs["searchprio"] = -1
    app.add_directive("operations-manual", OperationsManual)
    app.add_directive("operations-command", OperationsCommand)
    app.add_config_value("opsdocs_commands_file", "", "env", types=[str])
    app.connect("warn-missing-reference", warn_unknown_setting, priority=400)
    return dict(METADATA)
