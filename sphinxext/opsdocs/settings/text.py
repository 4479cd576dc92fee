"""A settings catalog as reStructuredText, Markdown or JSON text, for the CLI."""

from __future__ import annotations

import os
import re
from pathlib import Path

from opsdocs.code_text import one_line, shortened
from opsdocs.markup import (
    indent,
    inline_code,
    markdown_cell,
    markdown_inline,
    plain_text,
)
from opsdocs.settings.annotation_checks import prose_default
from opsdocs.settings.display import (
    default_summary,
    documented_keys,
    shown_code,
)
from opsdocs.settings.doc_metadata import deprecation
from opsdocs.settings.facets import CONFIG_ONLY, annotation_field
from opsdocs.settings.model import Definition, Setting, SettingsCatalog
from opsdocs.settings.snapshot import dump_catalog


def catalog_text(catalog: SettingsCatalog, markup: str) -> str:
    """*catalog* in *markup*: ``rst``, ``markdown`` or ``json`` (the snapshot's format)."""
    if markup == "json":
        return dump_catalog(catalog)
    return catalog_to_markdown(catalog) if markup == "markdown" else catalog_to_rst(catalog)


def catalog_to_rst(catalog: SettingsCatalog) -> str:
    """Each setting as a ``.. setting::`` entry, so the text builds with opsdocs loaded."""
    out: list[str] = []
    documented = documented_keys(catalog.settings)
    for setting in catalog:
        out.append(f".. setting:: {setting.name}\n")
        code = shown_code(setting)
        summary = default_summary(setting, documented[setting.name], code)
        facts = _facts(setting, code, summary, catalog.root)
        out.extend(f"   :{key}: {value}" for key, value in facts)
        if facts:
            out.append("")
        if setting.doc:
            out.append(indent(doc_text(setting, "rst")))
            out.append("")
        definitions = definitions_text(setting, "rst")
        if definitions:
            out.append("   Defined by:\n")
            out.extend(f"   - {item}" for item in definitions)
            out.append("")
        if code is not None and not setting.required and setting.default_display is None and \
                ("\n" in code or summary):
            out.append("   Default::\n")
            out.append(indent(code, "      "))
            out.append("")
    return "\n".join(out)


def _facts(setting: Setting, code: str | None, summary: str | None,
           root: str) -> list[tuple[str, str]]:
    """The fields of a setting's entry; *code* is its :func:`shown_code`, *summary* its
    :func:`default_summary`."""
    facts = [("Required", "yes")] if setting.required else []
    if setting.annotation:
        facts.append(("Type", inline_code(setting.annotation, "rst")))
    if setting.secret and not setting.required:
        facts.append(("Default", "secret: not shown"))
    elif setting.default_display is not None:  # already reStructuredText
        facts.append(("Default", " ".join(setting.default_display.split())))
    elif summary is not None:
        facts.append(("Default", summary))
    elif code is not None and not setting.required and "\n" not in code:
        facts.append(("Default", inline_code(code, "rst")))
    facts.extend((label, value) for label, value in _extra_facts(setting, code))
    facts.append(("Source", f"{shown_path(setting.file, root)}, line {setting.line}"))
    return facts


def shown_path(file: str, root: str) -> str:
    """*file* without the machine's own directories: from the current directory when it
    is under it, else from the directory that holds the settings (*root*)."""
    path = Path(file).resolve()
    for base in (Path.cwd(), Path(root).resolve().parent):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.name


def _extra_facts(setting: Setting, code: str | None) -> list[tuple[str, str]]:
    """What the model knows besides the value: toggle, environment, parent, declared;
    *code* is the setting's :func:`shown_code`."""
    facts = [("Toggle", "yes")] if setting.toggle else []
    if setting.env_vars:
        facts.append(("Environment", ", ".join(setting.env_vars)))
    if setting.parent:
        facts.append(("Key of", setting.parent))
    if not setting.declared:
        facts.append(("Declared", "no: read in code only"))
    if setting.config_only:
        facts.append(("Set by", CONFIG_ONLY))
    prose = prose_default(annotation_field(setting, "default"), code)
    if prose is not None:
        facts.append(("Documented default", prose))
    return facts


def catalog_to_markdown(catalog: SettingsCatalog) -> str:
    """A Markdown table: name, default, type, the first paragraph of the doc and, for a
    setting defined more than once, each definition."""
    rows = ["| Setting | Default | Type | Description |", "| --- | --- | --- | --- |"]
    documented = documented_keys(catalog.settings)
    for setting in catalog:
        code = shown_code(setting)
        sentence = default_summary(setting, documented[setting.name], code)
        if setting.required:
            default = "**required**"
        elif setting.secret:
            default = "*secret*"
        elif setting.default_display is not None:  # reStructuredText, as plain text
            default = plain_text(setting.default_display)
        elif sentence is not None:
            default = f"*{sentence}*"
        elif code is None:
            default = ""
        else:
            default = inline_code(one_line(code), "markdown")
        first = setting.doc.split("\n\n", 1)[0]
        summary = plain_text(first) if ".. " in first else markdown_inline(first)
        if setting.deprecated:
            summary = f"{_deprecated_markdown(setting)} {summary}".rstrip()
        summary += "".join(f" {label}: {value}." for label, value in _extra_facts(setting, code))
        definitions = definitions_text(setting, "markdown")
        if definitions:
            summary += " Defined by: " + "; ".join(definitions) + "."
        annotation = inline_code(setting.annotation, "markdown") if setting.annotation else ""
        cells = (inline_code(setting.name, "markdown"), default, annotation, summary)
        rows.append("| " + " | ".join(markdown_cell(cell) for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def _deprecated_markdown(setting: Setting) -> str:
    """"**Deprecated since version 0.3.** Set X instead." (what the doc says of it)."""
    note = deprecation(setting.doc)
    text = " ".join(markdown_inline(note.text).split()) if note is not None else ""
    return f"**Deprecated since version {setting.deprecated}.**" + (f" {text}" if text else "")


def doc_text(setting: Setting, markup: str = "text") -> str:
    """The doc as reStructuredText, for ``rst``: a plain-text doc (a code-annotations
    description) with its markup characters escaped; else as it is."""
    if markup == "rst" and setting.doc_markup == "text":
        return re.sub(r"([\\`*_|:<>\[\]])", r"\\\1", setting.doc)
    return setting.doc


def describe_definition(setting: Setting, definition: Definition) -> str:
    """A definition as one line of Python, shortened: ``X["key"] = True``, ``X += [...]``."""
    value = shortened(definition.value, 60) if definition.value is not None else "..."
    name = setting.name
    if definition.kind in ("call", "statement", "delete"):
        # A secret's definitions keep no text: the kind of change, not the change.
        return value if definition.value is not None else f"{name} changed in place"
    if definition.kind == "read":
        return f"read with default {value}" if definition.value is not None else \
            "read with no default"
    return {
        "annotation": f"{name}: {setting.annotation or '...'}",
        "augmented": f"{name} {definition.operator} {value}",
        "item": f"{name}[{definition.key}] = {value}",
        "loop": f"for {name} in {value}",
        "config": f"{name} from the YAML config",
    }.get(definition.kind, f"{name} = {value}")


def definition_place(setting: Setting, definition: Definition) -> str:
    """Where a definition is, and what holds of it: ``production.py, line 12, overridden``."""
    where = f"line {definition.line}"
    if definition.file:
        where = f"{_file_name(Path(definition.file), Path(setting.file))}, {where}"
    if definition.overridden:
        where += ", overridden"
    return where


def _file_name(file: Path, setting_file: Path) -> str:
    """*file*'s name, or its path from the folder it shares with *setting_file* when both
    have the same name (``cms/envs/common.py`` beside ``lms/envs/common.py``)."""
    if file.name != setting_file.name:
        return file.name
    try:
        return file.relative_to(os.path.commonpath([file, setting_file])).as_posix()
    except ValueError:
        return str(file)


def definitions_text(setting: Setting, markup: str) -> list[str]:
    """Each definition of a setting defined more than once or under a condition: code,
    line and condition."""
    if not setting.changes and not setting.conditional:
        return []
    found = []
    for definition in setting.definitions:
        where = definition_place(setting, definition)
        if definition.condition:
            where += f", {inline_code(definition.condition, markup)}"
        found.append(f"{inline_code(describe_definition(setting, definition), markup)} ({where})")
    return found
