"""One search result per setting and per command.

Sphinx's HTML search lists an object, a section title and an index entry that lead to the
same anchor as three results.  The index entries of settings and commands (marked
``opsdocs_entries``) stay in the general index but leave the page before the search index
reads it; an operations command of the manual is found by its section's title.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx import addnodes

from opsdocs._sphinx import METADATA

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx


def leave_index_entries_out_of_search(app: Sphinx, doctree: nodes.document,
                                      docname: str) -> None:
    """``doctree-resolved``: what the HTML writer and the search index get has no index
    node of opsdocs (the general index was made from them when the page was read)."""
    if app.builder.format != "html":
        return  # LaTeX and Texinfo write their index from these nodes
    for node in list(doctree.findall(addnodes.index)):
        if node.get("opsdocs_entries"):
            node.parent.remove(node)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-resolved", leave_index_entries_out_of_search)
    return dict(METADATA)
