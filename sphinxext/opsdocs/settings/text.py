"""A settings catalog as reStructuredText, Markdown or JSON text, for the CLI."""

from __future__ import annotations

from opsdocs.markup import indent, inline_code, markdown_inline, shorten
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
    for setting in catalog:
        out.append(f".. setting:: {setting.name}\n")
        facts = _facts(setting)
        out.extend(f"   :{key}: {value}" for key, value in facts)
        if facts:
            out.append("")
        if setting.doc:
            out.append(indent(setting.doc))
            out.append("")
        definitions = definitions_text(setting, "rst")
        if definitions:
            out.append("   Defined by:\n")
            out.extend(f"   - {item}" for item in definitions)
            out.append("")
        if setting.default is not None and "\n" in setting.default:
            out.append("   Default::\n")
            out.append(indent(setting.default, "      "))
            out.append("")
    return "\n".join(out)


def _facts(setting: Setting) -> list[tuple[str, str]]:
    facts = [("Required", "yes")] if setting.required else []
    if setting.annotation:
        facts.append(("Type", inline_code(setting.annotation, "rst")))
    if setting.secret and not setting.required:
        facts.append(("Default", "secret: not shown"))
    elif setting.default is not None and "\n" not in setting.default:
        facts.append(("Default", inline_code(setting.default, "rst")))
    facts.append(("Source", f"{setting.file}, line {setting.line}"))
    return facts


def catalog_to_markdown(catalog: SettingsCatalog) -> str:
    """A Markdown table: name, default, type, the first paragraph of the doc and, for a
    setting defined more than once, each definition."""
    rows = ["| Setting | Default | Type | Description |", "| --- | --- | --- | --- |"]
    for setting in catalog:
        if setting.required:
            default = "**required**"
        elif setting.secret:
            default = "*secret*"
        elif setting.default is None:
            default = ""
        else:
            default = inline_code(" ".join(setting.default.split()), "markdown").replace(
                "|", "\\|")
        summary = markdown_inline(setting.doc.split("\n\n", 1)[0]).replace("\n", " ")
        definitions = definitions_text(setting, "markdown")
        if definitions:
            summary += " Defined by: " + "; ".join(definitions) + "."
        summary = summary.replace("|", "\\|")
        annotation = f"`{setting.annotation}`" if setting.annotation else ""
        rows.append(f"| `{setting.name}` | {default} | {annotation} | {summary} |")
    return "\n".join(rows) + "\n"


def describe_definition(setting: Setting, definition: Definition) -> str:
    """A definition as one line of Python, shortened: ``X["key"] = True``, ``X += [...]``."""
    value = shorten(definition.value, 60)
    if definition.kind == "annotation":
        return f"{setting.name}: {setting.annotation or '...'}"
    if definition.kind == "augmented":
        return f"{setting.name} {definition.operator} {value}"
    if definition.kind == "item":
        return f"{setting.name}[{definition.key}] = {value}"
    if definition.kind == "call":
        return value
    return f"{setting.name} = {value}"


def definitions_text(setting: Setting, markup: str) -> list[str]:
    """Each definition of a setting defined more than once: code, line and condition."""
    if not setting.changes:
        return []
    found = []
    for definition in setting.definitions:
        where = f"line {definition.line}"
        if definition.condition:
            where += f", {inline_code(definition.condition, markup)}"
        found.append(f"{inline_code(describe_definition(setting, definition), markup)} ({where})")
    return found
