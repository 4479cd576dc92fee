"""Sphinx glue for the Dockerfile reference: build stages, arguments and what the image runs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.config import ENUM
from sphinx.util.nodes import make_id

from opsdocs._breaks import code
from opsdocs._sphinx import METADATA, PathDirective, resolve_path, row, table, warn_problem
from opsdocs.dockerfile.model import BuildArg, Dockerfile, Instruction, Stage
from opsdocs.dockerfile.reader import list_arguments, read_dockerfile
from opsdocs.errors import OpsdocsError
from opsdocs.settings.nodes import not_shown_cell
from opsdocs.untrusted import parse_rst

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class DockerfileReference(PathDirective):
    """``.. dockerfile-reference:: PATH``: a Dockerfile's build arguments and stages."""

    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        path = resolve_path(self.env, self.arguments[0])
        self.env.note_dependency(str(path))
        try:
            dockerfile = read_dockerfile(path)
        except OpsdocsError as error:
            warn_problem(self.env, error.problem, self.get_location())
            return []
        for problem in dockerfile.problems:
            if problem.check != "undocumented-arg" or \
                    self.config.opsdocs_dockerfile_undocumented_args == "warn":
                warn_problem(self.env, problem, self.get_location(), name_file=True)
        result: list[nodes.Node] = []
        if any(True for _ in dockerfile.all_args()):
            result.append(self.section("Build arguments", [narrow(self.args_table(dockerfile))]))
        result.extend(self.stage_section(dockerfile, stage) for stage in dockerfile.stages)
        return result

    def section(self, title: str, content: Iterable[nodes.Node]) -> nodes.section:
        section_id = make_id(self.env, self.state.document, "dockerfile", title)
        section = nodes.section("", nodes.title(title, title), ids=[section_id], names=[])
        section.extend(content)
        return section

    def comment(self, text: str, line: int, file: str) -> list[nodes.Node]:
        """The comment above the instruction at *line*, as reStructuredText located there."""
        if not text:
            return []
        return parse_rst(self, text, file, max(line - len(text.splitlines()), 1))

    def args_table(self, dockerfile: Dockerfile) -> nodes.table:
        """One row per ``ARG``; a stage's bare ``ARG NAME`` that brings a global one into
        scope is no row of its own but is named in the global one's row."""
        global_names = {arg.name for arg in dockerfile.args}
        used_in: dict[str, list[str]] = {}
        rows: list[list[list[nodes.Node]]] = []
        args = []
        for stage, arg in dockerfile.all_args():
            if stage is not None and arg.name in global_names and arg.default is None \
                    and not arg.comment:
                used_in.setdefault(arg.name, []).append(stage.title)
            else:
                args.append((stage, arg))
        for stage, arg in args:
            where = stage.title if stage else "global"
            if stage is None and arg.name in used_in:
                where += ", used in " + ", ".join(used_in[arg.name])
            rows.append([
                [nodes.paragraph("", "", code(arg.name))],
                self.default(arg),
                [nodes.paragraph("", where)],
                self.comment(arg.comment, arg.line, dockerfile.file),
            ])
        headers = ("Argument", "Default", "Stage", "Description")
        return table(headers, fitted_widths(headers, rows), map(row, rows),
                     ["opsdocs-dockerfile-args", "longtable", "colwidths-given"])

    @staticmethod
    def default(arg: BuildArg) -> list[nodes.Node]:
        if arg.default is None:
            return [nodes.paragraph("", "", nodes.emphasis("", "none"))]
        return value_cell(arg.default, arg.secret)

    def stage_section(self, dockerfile: Dockerfile, stage: Stage) -> nodes.section:
        title = f"Stage {stage.title}"
        if stage is dockerfile.final and len(dockerfile.stages) > 1:
            title += " (the image)"
        base = nodes.paragraph("", "", nodes.Text("Built from "), code(stage.base))
        if stage.platform:
            base += nodes.Text(f" for platform {stage.platform}")
        base += nodes.Text(f" (line {stage.line}).")
        content: list[nodes.Node] = [base, *self.comment(stage.comment, stage.line,
                                                           dockerfile.file)]
        if stage.env:
            content.append(narrow(self.env_table(dockerfile, stage)))
        fields = nodes.field_list(classes=["opsdocs-dockerfile-stage"])
        for label, instruction in self.facts(stage):
            fields += self.field(dockerfile, label, instruction)
        if fields.children:
            content.append(fields)
        return self.section(title, content)

    @staticmethod
    def facts(stage: Stage) -> list[tuple[str, Instruction]]:
        facts = [("Exposes", i) for i in stage.expose]
        facts += [("Volume", i) for i in stage.volumes]
        if stage.user:
            facts.append(("User", stage.user))
        if stage.workdir:
            facts.append(("Working directory", stage.workdir))
        for label, command in (("Entrypoint", stage.entrypoint), ("Default command", stage.cmd)):
            if command is not None:
                facts.append((label, Instruction(command.keyword, command.text, command.line,
                                                 command.comment)))
        return facts

    def field(self, dockerfile: Dockerfile, label: str, instruction: Instruction) -> nodes.field:
        if instruction.keyword in ("EXPOSE", "VOLUME"):
            items = list_arguments(instruction)
        else:
            items = [instruction.arguments]
        body = nodes.paragraph()
        for index, item in enumerate(items):
            if index:
                body += nodes.Text(", ")
            body += code(item)
        body += nodes.Text(f" ({instruction.keyword}, line {instruction.line})")
        return nodes.field(
            "", nodes.field_name(label, label),
            nodes.field_body("", body, *self.comment(without_label(instruction.comment, label),
                                                     instruction.line, dockerfile.file)),
        )

    def env_table(self, dockerfile: Dockerfile, stage: Stage) -> nodes.table:
        rows: list[list[list[nodes.Node]]] = []
        for index, var in enumerate(stage.env):
            # One ENV may set several variables under one comment: show it once.
            previous = stage.env[index - 1] if index else None
            shared = previous is not None and (previous.line, previous.comment) == (
                var.line, var.comment)
            rows.append([
                [nodes.paragraph("", "", code(var.name))],
                value_cell(var.value, var.secret),
                [] if shared else self.comment(var.comment, var.line, dockerfile.file),
            ])
        headers = ("Environment variable", "Value", "Description")
        return table(headers, fitted_widths(headers, rows), map(row, rows),
                     ["opsdocs-dockerfile-env", "longtable", "colwidths-given"])


def value_cell(value: str, secret: bool) -> list[nodes.Node]:
    """A value as written, or, when it looks secret, that it is not shown (as in the
    settings reference)."""
    if secret:
        return not_shown_cell("secret")
    return [nodes.paragraph("", "", code(value or '""'))]


#: Widths of columns, in characters: one of code at most this; the last, of prose, this.
_CODE_COLUMN, _PROSE_COLUMN = 32, 36
#: How much wider a character of code is than one of prose, in the themes' fonts.
_CODE_WIDTH = 1.3


def fitted_widths(headers: Sequence[str], rows: Sequence[Sequence[Sequence[nodes.Node]]],
                  ) -> list[int]:
    """Relative widths that fit the columns' content: each column as wide as its longest
    cell, at most :data:`_CODE_COLUMN` characters (it wraps beyond), the last one (prose)
    at most :data:`_PROSE_COLUMN`."""
    widths = [max([float(len(header)), *(_width(row[index]) for row in rows)])
              for index, header in enumerate(headers)]
    return [round(min(width, _CODE_COLUMN * _CODE_WIDTH)) + 2 for width in widths[:-1]] + \
        [round(min(widths[-1], _PROSE_COLUMN)) + 2]


def _width(cell: Sequence[nodes.Node]) -> float:
    """How wide a cell's text is, in characters of prose."""
    text = sum(len(node.astext()) for node in cell)
    code = sum(len(literal.astext()) for node in cell if isinstance(node, nodes.Element)
               for literal in node.findall(nodes.literal))
    return text - code + code * _CODE_WIDTH


def narrow(table: nodes.table) -> nodes.container:
    """*table* in a box that lays its rows out one under the other where the page is too
    narrow for its columns (a container query in the stylesheet): a name is not broken
    inside a word to make it fit."""
    return nodes.container("", table, classes=["opsdocs-table"])


def without_label(comment: str, label: str) -> str:
    """A comment without the field's own name at its start: ``# Default command: serve
    web traffic.`` above ``CMD`` is "Serve web traffic." beside "Default command"."""
    head, colon, rest = comment.partition(":")
    rest = rest.lstrip()
    if not colon or head.strip().lower() != label.lower() or not rest:
        return comment
    return rest[:1].upper() + rest[1:]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("opsdocs._sphinx")
    app.add_directive("dockerfile-reference", DockerfileReference)
    app.add_config_value("opsdocs_dockerfile_undocumented_args", "warn", "env",
                         types=ENUM("warn", "ignore"))
    return dict(METADATA)
