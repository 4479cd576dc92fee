"""The floor the settings reference is measured against: plain docutils table nodes.

``.. settings-floor:: PATH`` reads the settings package as the reference does (the same
reader and cache), registers each setting as a ``std:setting`` object, and makes a table
of the plainest nodes: per setting a row of three cells (name with its anchor, default,
doc as one paragraph of text, markup or not), 13 nodes.  Whatever the reference costs
beyond this is what its layout and features cost.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from opsdocs.settings.directive import read_catalog


class SettingsFloor(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        catalog = read_catalog(self, self.arguments[0], lambda problem: False)
        if catalog is None:
            return []
        std = self.env.get_domain("std")
        group = nodes.tgroup(cols=3)
        group += [nodes.colspec(colwidth=width) for width in (24, 30, 46)]
        body = nodes.tbody()
        for setting in catalog:
            node_id = make_id(self.env, self.state.document, "setting", setting.name)
            std.note_object("setting", setting.name, node_id,  # type: ignore[attr-defined]
                            location=self.get_location())
            name = nodes.paragraph("", "", nodes.target("", "", ids=[node_id]),
                                   nodes.literal(setting.name, setting.name))
            default = setting.default or ""
            cells = (name, nodes.paragraph("", "", nodes.literal(default, default)),
                     nodes.paragraph(setting.doc, setting.doc))
            body += nodes.row("", *(nodes.entry("", cell) for cell in cells))
        group += body
        return [nodes.table("", group)]


def setup(app: Any) -> dict[str, Any]:
    app.setup_extension("opsdocs.settings")
    app.add_directive("settings-floor", SettingsFloor)
    return {"parallel_read_safe": True}
