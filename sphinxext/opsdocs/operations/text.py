"""An operations manual as reStructuredText, Markdown or JSON text, for the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from opsdocs.markup import indent, markdown_escaped, markdown_inline, rst_escaped
from opsdocs.operations.cron import describe_cron
from opsdocs.operations.model import Argument, Command, Manual
from opsdocs.operations.validate import SCHEMA_VERSION


def manual_text(manual: Manual, markup: str) -> str:
    """*manual* in *markup*: ``rst``, ``markdown`` or ``json``."""
    if markup == "json":
        return json.dumps(manual_to_json(manual), indent=2) + "\n"
    return manual_to_markdown(manual) if markup == "markdown" else manual_to_rst(manual)


WHEN_TEXT = {
    "long-running": "Long-running process",
    "every-deploy": "Run on every deploy",
    "schedule": "Scheduled",
    "on-demand": "On demand",
}


def badges(command: Command) -> list[tuple[str, str]]:
    """The facts shown first, as ``(text, kind)``: when it runs, destructive, re-runnable.

    ``kind`` names the badge's CSS class in HTML (``opsdocs-badge-destructive``).
    """
    when = WHEN_TEXT.get(command.when, command.when)
    result = [(f"{when}: {command.schedule}", "schedule") if command.schedule
              else (when, command.when)]
    if command.destructive:
        result.append(("Destructive", "destructive"))
    if command.safe_to_rerun is not None:
        result.append(("Safe to re-run", "safe") if command.safe_to_rerun
                      else ("Not safe to re-run", "unsafe"))
    return result


def _heading(text: str, underline: str) -> str:
    return f"{text}\n{underline * len(text)}\n"


def manual_to_rst(manual: Manual) -> str:
    """The manual as reStructuredText that builds with opsdocs loaded (``.. opscommand::``)."""
    out = [_heading(manual.title or "Operations manual", "=")]
    if manual.description:
        out.append(manual.description.rstrip() + "\n")
    for group in manual.groups:
        out.append(_heading(group.title, "-"))
        if group.description:
            out.append(group.description.rstrip() + "\n")
        for command in group.commands:
            out.append(_heading(command.name, "~"))
            out.append(f".. opscommand:: {command.name}\n")
            out.append(indent("\n\n".join(_body(command, RST))) + "\n")
    return "\n".join(out)


@dataclass(frozen=True)
class TextFormat:
    """How the pieces of a command are written in one markup language."""

    code: str
    setting: str
    warning: str
    block: Callable[[str], str]
    facts: str
    rubric: str
    argument: Callable[[str, str], str]
    argument_separator: str
    prose: Callable[[str], str] = str  # descriptions are reStructuredText as written
    #: How the command's own help, plain text, is written (Markdown: by ``prose``).
    plain: Callable[[str], str] = str


RST = TextFormat(
    code="``{}``", setting=":setting:`{}`",
    warning=".. warning::\n\n   **Destructive:** {}",
    block=lambda text: f".. code-block:: shell\n\n{indent(text)}",
    facts=":{}: {}", rubric=".. rubric:: {}",
    argument=lambda usage, text: f"``{usage}``\n{indent(text or '(no description)')}",
    argument_separator="\n\n",
    plain=rst_escaped,
)
MARKDOWN = TextFormat(
    code="`{}`", setting="`{}`",
    warning="> **Destructive:** {}",
    block=lambda text: f"```shell\n{text}\n```",
    facts="- **{}:** {}", rubric="#### {}",
    argument=lambda usage, text: f"- `{usage}`: {text}".rstrip(": "),
    argument_separator="\n",
    prose=markdown_inline,
    plain=markdown_escaped,
)


def _body(command: Command, markup: TextFormat) -> Iterator[str]:
    yield " · ".join(f"**{text}**" for text, _ in badges(command))
    summary = markup.prose(command.summary) if command.summary else \
        markup.plain(command.shown_help)
    if summary:
        yield summary
    if command.destructive:
        yield markup.warning.format(
            markup.prose(command.destructive_note or "This command destroys data."))
    if command.description:
        yield markup.prose(command.description.rstrip())
    yield markup.block(command.command_line)
    facts = list(_facts(command, markup))
    if facts:
        yield "\n".join(markup.facts.format(name, value) for name, value in facts)
    for title, arguments in (("Arguments", command.positional), ("Options", command.options)):
        if arguments:
            yield markup.rubric.format(title)
            yield markup.argument_separator.join(
                markup.argument(usage, text) for usage, text in _arguments(arguments, markup))
    if command.examples:
        yield markup.rubric.format("Examples")
        for example in command.examples:
            if example.description:
                yield markup.prose(example.description.rstrip())
            yield markup.block(example.command)


def _facts(command: Command, markup: TextFormat) -> Iterator[tuple[str, str]]:
    code, setting = markup.code, markup.setting
    if command.schedule:
        described = describe_cron(command.schedule)
        yield "Schedule", code.format(command.schedule) + (f" ({described})" if described else "")
    if command.duration:
        yield "Typical duration", command.duration
    if command.settings:
        yield "Settings", ", ".join(setting.format(s.name) for s in command.settings)
    if command.environment:
        yield "Environment", "; ".join(
            code.format(v.name) + (f": {markup.prose(v.description)}" if v.description else "")
            for v in command.environment
        )
    if command.django:
        yield "Management command", code.format(command.django) + (
            f" ({command.django_module})" if command.django_module else "")


def _arguments(arguments: tuple[Argument, ...],
               markup: TextFormat) -> Iterator[tuple[str, str]]:
    """Each argument's usage and text; the description is plain text (as the directive
    shows it), wherever it was written."""
    code = markup.code
    for argument in arguments:
        usage = ", ".join((argument.usage, *argument.aliases))
        description = argument.shown_description
        description = description.rstrip(".") + "." if description else ""
        parts = [f"*{description}*" if argument.description_at_run_time
                 else markup.plain(description)]
        if argument.required and argument.is_option:
            parts.append("Required.")
        default = argument.shown_default
        if default is not None:
            shown = f"*{default}*" if argument.default_is_prose else code.format(default)
            parts.append(f"Default: {shown}.")
        if argument.choices:
            parts.append("One of: " + ", ".join(code.format(c) for c in argument.choices) + ".")
        yield usage, " ".join(p for p in parts if p)


def manual_to_markdown(manual: Manual) -> str:
    """The manual as Markdown; roles, literals and links in descriptions become Markdown."""
    out = [f"# {manual.title or 'Operations manual'}\n"]
    if manual.description:
        out.append(markdown_inline(manual.description.rstrip()) + "\n")
    for group in manual.groups:
        out.append(f"## {group.title}\n")
        if group.description:
            out.append(markdown_inline(group.description.rstrip()) + "\n")
        for command in group.commands:
            out.append(f"### `{command.name}`\n")
            out.append("\n\n".join(_body(command, MARKDOWN)) + "\n")
    return "\n".join(out)


def manual_to_json(manual: Manual) -> dict[str, Any]:
    """The manual as JSON data (``opsdocs operations --format json``)."""
    return {
        "format": "opsdocs-operations",
        "version": SCHEMA_VERSION,
        "file": manual.file,
        "title": manual.title,
        "description": manual.description,
        "groups": [
            {
                "name": group.name, "title": group.title, "description": group.description,
                "commands": [_command_json(command) for command in group.commands],
            }
            for group in manual.groups
        ],
    }


def _command_json(command: Command) -> dict[str, Any]:
    data = asdict(command)
    for key in ("group", "file", "line", "path", "description_line", "django_line",
                "summary_line", "destructive_line"):
        data.pop(key)
    data["settings"] = [s.name for s in command.settings]
    data["environment"] = [{"name": v.name, "description": v.description}
                           for v in command.environment]
    return data
