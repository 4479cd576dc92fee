"""Code that wraps where a reader expects it to: after an underscore, a slash, a dot before
a name, ``=`` or ``:``, and at spaces; never inside a word (``DJANGO_SETTINGS_MODUL|E``) or
an option (``-|-timeout``).

:class:`breakable_code` is an inline literal; in HTML its pieces are ``<span>`` elements
that do not wrap, joined by ``<wbr>`` (nothing a reader copies); other builders write it
as a plain literal.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes

from opsdocs._sphinx import METADATA

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

#: Where a piece of code may wrap: after these characters; after a dot or a colon only
#: before a name that another one follows (``example_ida.|wsgi:application``), so that
#: ``0.0.0.0:8000``, ``3.11`` and ``example_ida.yml`` stay whole.
BREAK = re.compile(r"(?<=[_/=,])(?=\S\S)|(?<=[.:])(?=[A-Za-z_$][\w$]*[.:/])")


class breakable_code(nodes.literal):
    """An inline literal that wraps only at :data:`BREAK` and at spaces."""


def pieces(text: str) -> list[str]:
    """*text* cut where it may wrap: each piece stays on one line."""
    return [piece for word in re.split(r"( )", text) for piece in BREAK.split(word) if piece]


def code(text: str, classes: tuple[str, ...] = ()) -> breakable_code:
    """A :class:`breakable_code` node of *text*."""
    return breakable_code(text, text, classes=list(classes))


def pieces_html(text: str) -> str:
    """*text* as HTML pieces that wrap only between them (``<wbr>``, or a space)."""
    return "<wbr>".join(f'<span class="pre">{escape(piece)}</span>' if piece != " " else " "
                        for piece in pieces(text)).replace("<wbr> <wbr>", " ")


def visit_breakable_code_html(self: HTML5Translator, node: breakable_code) -> None:
    classes = " ".join(["docutils", "literal", "notranslate", "opsdocs-code", *node["classes"]])
    self.body.append(f'<code class="{classes}">{pieces_html(node.astext())}</code>')
    raise nodes.SkipNode


def _as_literal(self: Any, node: nodes.Element) -> None:
    self.visit_literal(node)


def _as_literal_end(self: Any, node: nodes.Element) -> None:
    self.depart_literal(node)


def setup(app: Sphinx) -> dict[str, Any]:
    plain = (_as_literal, _as_literal_end)
    app.add_node(breakable_code, html=(visit_breakable_code_html, None), latex=plain,
                 text=plain, man=plain, texinfo=plain)
    return dict(METADATA)
