"""The feature toggles reference's nodes, built from the model in the settings reference's
look: one :class:`~opsdocs.settings.nodes.setting_entry` per toggle, the same filter, the
same writers.

:class:`TogglesPage` is handed the source links and the day past-due dates count from;
it reads no file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.nodes import make_id

from opsdocs._sphinx import SourceLinks
from opsdocs.settings.nodes import setting_entry, settings_filter, settings_list
from opsdocs.settings.page import ListingBuilder, paragraphs, setting_id, setting_xref
from opsdocs.toggles.facets import FACETS, NOT_KNOWN, badges, facts, group, toggle_facets
from opsdocs.toggles.model import Toggle

if TYPE_CHECKING:
    from sphinx.util.docutils import SphinxDirective


class TogglesPage(ListingBuilder):
    """Builds one ``feature-toggles`` reference's nodes.

    *index*: the toggles are ``std:toggle`` objects with anchors (the first definition of
    each name: ``objects.inv`` holds one per name); *index_entries*: each also gets an
    entry in the general index.
    """

    def __init__(self, directive: SphinxDirective, links: SourceLinks, today: date, *,
                 index: bool = True, index_entries: bool = True) -> None:
        super().__init__(directive, links, "toggle", index=index, index_entries=index_entries)
        self.today = today
        self.named: set[str] = set()

    def filter_form(self, toggles: Sequence[Toggle]) -> settings_filter:
        """The filter: the facets its toggles have, with counts; implementations as groups."""
        facets = self.facet_counts(FACETS, (toggle_facets(t, self.today) for t in toggles))
        groups = sorted({group(toggle) for toggle in toggles})
        return settings_filter(reference=self.reference, facets=facets, groups=groups,
                               total=len(toggles), noun="toggles", group_label="Implementation")

    def listing(self, toggles: Sequence[Toggle]) -> settings_list:
        return self.entries_list([self.entry(toggle) for toggle in toggles], noun="toggle")

    def entry(self, toggle: Toggle) -> setting_entry:
        default = toggle.shown_default
        node = setting_entry(
            name=toggle.name, noun="toggle",
            badges=[(b.key, b.label, b.title) for b in badges(toggle, self.today)],
            facets=list(toggle_facets(toggle, self.today)), group=group(toggle),
            default_kind="unset" if default is None else "value", default=default,
            default_summary=None, facts=facts(toggle), example=None, definitions=[],
            definitions_label="", source=self.source_path(toggle.file), line=toggle.line,
            source_url=self.links.url(toggle.file, toggle.line),
            source_page=self.source_page(toggle.file),
        )
        if self.index and toggle.name not in self.named:
            self.named.add(toggle.name)
            self.register(node, toggle.name)
        elif self.index:  # a name defined again is one object (warned about): an anchor
            self.anchor(node, make_id(self.env, self.document, "toggle", toggle.name))
        plain = self.plain_paragraphs(toggle.description)
        if plain is not None:
            node["doc_paragraphs"] = plain  # written whole by the writer
        else:
            node.extend(nodes.paragraph(text, text) for text in paragraphs(toggle.description))
        node.extend(nodes.warning("", nodes.paragraph(text, text)) for text in toggle.warnings)
        if toggle.setting:
            node += nodes.paragraph("", "Setting: ", setting_xref(toggle.setting),
                                    classes=["opsdocs-toggle-setting"])
        if not toggle.known:
            text = f"The name the code registers is {NOT_KNOWN}: it is made at run time."
            node += nodes.paragraph(text, text)
        return node

    def register(self, node: setting_entry, name: str) -> None:
        """*name* as a ``std:toggle`` object anchored at *node*, with its index entry."""
        node_id = setting_id(self.env, self.document, name, kind="toggle")
        self.anchor(node, node_id)
        std = self.env.get_domain("std")
        std.note_object("toggle", name, node_id,  # type: ignore[attr-defined]
                        location=(self.env.docname, self.directive.lineno))
        if self.index_entries:
            self.index_entry(node, f"{name} (feature toggle)", node_id)
