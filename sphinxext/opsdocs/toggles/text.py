"""A toggle catalog as text, JSON, Markdown or reStructuredText, for the command line.

JSON lists each toggle with every field the reader knows and its problems, so that a CI
job or a release script can use it; the other formats are for people.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from opsdocs.code_text import one_line
from opsdocs.errors import Problem
from opsdocs.markup import indent, inline_code, markdown_cell, rst_escaped
from opsdocs.toggles.facets import NOT_KNOWN, badges, facts
from opsdocs.toggles.model import Toggle, ToggleCatalog

#: The formats of ``opsdocs toggles --format``.
FORMATS = ("text", "json", "markdown", "rst")


def catalog_text(catalog: ToggleCatalog, markup: str, today: date) -> str:
    """*catalog* in *markup*: one of :data:`FORMATS`."""
    if markup == "json":
        return catalog_to_json(catalog, today)
    if markup == "markdown":
        return catalog_to_markdown(catalog, today)
    if markup == "rst":
        return catalog_to_rst(catalog, today)
    return catalog_to_text(catalog, today)


def problems_at_toggles(catalog: ToggleCatalog) -> list[list[Problem]]:
    """The problems found at each toggle's lines (its definition's and its block's), in
    the catalog's order; the problems are indexed by their place once."""
    places: dict[tuple[str, int | None], list[int]] = {}
    for index, problem in enumerate(catalog.problems):
        places.setdefault((problem.file, problem.line), []).append(index)
    found = []
    for toggle in catalog:
        lines = {toggle.line, *(line for _, line in toggle.field_lines)}
        found.append([catalog.problems[i] for i in sorted(
            i for line in lines for i in places.get((toggle.file, line), ()))])
    return found


def toggle_json(toggle: Toggle, today: date, problems: list[Problem]) -> dict[str, Any]:
    """*toggle* as a JSON object: what the code says, what its block says, and problems."""
    return {
        "name": toggle.name,
        "registered": toggle.registered,
        "name_known": toggle.known,
        "name_pattern": toggle.pattern,
        "implementation": toggle.implementation,
        "documented_implementation": toggle.documented_implementation,
        "default": toggle.default,
        "documented_default": toggle.documented_default,
        "description": toggle.description,
        "use_cases": list(toggle.use_cases),
        "creation_date": toggle.creation_date,
        "target_removal_date": toggle.target_removal_date,
        "removal_ticket": toggle.removal_ticket,
        "tickets": toggle.tickets,
        "warnings": list(toggle.warnings),
        "documented": toggle.documented,
        "temporary": toggle.temporary,
        "past_due": toggle.past_due(today),
        "setting": toggle.setting,
        "variable": toggle.variable,
        "file": toggle.file,
        "line": toggle.line,
        "annotation_line": toggle.annotation_line,
        "fields": dict(toggle.fields),
        "problems": [{"message": p.message, "line": p.line, "check": p.check}
                     for p in problems],
    }


def catalog_to_json(catalog: ToggleCatalog, today: date) -> str:
    """Every toggle and every problem, as JSON."""
    data = {
        "toggles": [toggle_json(t, today, problems)
                    for t, problems in zip(catalog, problems_at_toggles(catalog), strict=True)],
        "problems": [{"message": p.message, "file": p.file, "line": p.line, "check": p.check}
                     for p in catalog.problems],
        "today": today.isoformat(),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _default(toggle: Toggle) -> str | None:
    value = toggle.shown_default
    return one_line(value) if value is not None else None


def catalog_to_text(catalog: ToggleCatalog, today: date) -> str:
    """Each toggle as a few lines: name and badges, default, description, facts, source."""
    out: list[str] = []
    for toggle in catalog:
        labels = ", ".join(b.label for b in badges(toggle, today))
        out.append(f"{toggle.name}" + (f" ({labels})" if labels else ""))
        default = _default(toggle)
        if default is not None:
            out.append(f"  Default: {default}")
        out.extend(f"  {paragraph}" for paragraph in toggle.description.split("\n\n") if paragraph)
        out.extend(f"  Warning: {warning}" for warning in toggle.warnings)
        out.extend(f"  {label}: {value}" for label, value, _ in facts(toggle))
        if toggle.setting:
            out.append(f"  Setting: {toggle.setting}")
        out.append(f"  {toggle.file}:{toggle.line}")
        out.append("")
    return "\n".join(out)


def catalog_to_markdown(catalog: ToggleCatalog, today: date) -> str:
    """A Markdown table: name, implementation, default, description and facts."""
    rows = ["| Toggle | Implementation | Default | Description |", "| --- | --- | --- | --- |"]
    for toggle in catalog:
        status = _status(toggle, today)
        default = _default(toggle)
        text = " ".join(toggle.description.split())
        text += "".join(f" **Warning:** {w}" for w in toggle.warnings)
        text += "".join(f" {label}: {value}." for label, value, _ in facts(toggle))
        text += f" Source: {toggle.file}, line {toggle.line}."
        cells = (inline_code(toggle.name, "markdown") + "".join(f" *{s}*" for s in status),
                 toggle.shown_implementation or "",
                 inline_code(default, "markdown") if default is not None else "", text)
        rows.append("| " + " | ".join(markdown_cell(cell) for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def catalog_to_rst(catalog: ToggleCatalog, today: date) -> str:
    """Each toggle as a ``.. toggle::`` entry, so the text builds with opsdocs loaded; a
    name defined again is no object of its own, as in the ``feature-toggles`` directive."""
    out: list[str] = []
    named: set[str] = set()
    for toggle in catalog:
        again = "   :no-index:\n" if toggle.name in named else ""
        named.add(toggle.name)
        out.append(f".. toggle:: {toggle.name}\n{again}")
        fields = [("Implementation", toggle.shown_implementation or "")]
        status = _status(toggle, today)
        if status:
            fields.append(("Status", ", ".join(status)))
        default = _default(toggle)
        if default is not None:
            fields.append(("Default", inline_code(default, "rst")))
        fields += [(label, inline_code(value, "rst") if kind == "code" else rst_escaped(value))
                   for label, value, kind in facts(toggle)]
        if toggle.setting:
            fields.append(("Setting", inline_code(toggle.setting, "rst")))
        fields.append(("Source", rst_escaped(f"{toggle.file}, line {toggle.line}")))
        out.extend(f"   :{label}: {value}" for label, value in fields if value)
        out.append("")
        for paragraph in toggle.description.split("\n\n"):
            if paragraph.strip():
                out += [indent(rst_escaped(paragraph)), ""]
        for warning in toggle.warnings:
            out += ["   .. warning::", "", indent(rst_escaped(warning), "      "), ""]
        if not toggle.known and toggle.pattern:
            out += [indent(rst_escaped(f"The name the code registers is {NOT_KNOWN}.")), ""]
    return "\n".join(out)


def _status(toggle: Toggle, today: date) -> list[str]:
    """The badges' labels but the implementation's (a column or field of its own)."""
    return [b.label for b in badges(toggle, today) if b.key != "implementation"]
