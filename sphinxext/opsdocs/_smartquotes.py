"""Options and code in prose stay as written: smart quotes would make ``--deploy`` an en
dash and the quotes of ``FEATURES["X"]`` curly, so that a reader copying them gets
something else.

A transform run just before Sphinx's smart quotes puts each such token of a page's text
in an inline node that smart quotes skip; the token reads and copies as written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util.nodes import is_smartquotable

from opsdocs._sphinx import METADATA

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: An option (``--dry-run``, ``--older-than=90``), or a code-like token with quotes
#: (``FEATURES["X"]``, ``get('X')``, ``key='value'``).
#: Each alternative starts only where no longer match of it could (the look-behinds), so
#: the search is linear; a trailing full stop is the sentence's, not the token's.
CODE_TOKEN = re.compile(r"""
    (?<![\w=-])--[A-Za-z0-9][\w-]*(?:\.[\w-]+)*(?:=[^\s,;()'"]*)?
  | (?<![\w.])[A-Za-z_][\w.]*[\[(](?P<q>['"])[^'"\s]*(?P=q)[\])]
  | (?<![\w-])[A-Za-z_]\w*=(?P<r>['"])[^'"\s]*(?P=r)
""", re.VERBOSE)


class KeepCodeAsWritten(SphinxTransform):
    """Wrap options and code-like tokens of smart-quotable text so smart quotes skip them."""

    default_priority = 749  # Sphinx's SmartQuotes is 750

    def apply(self, **kwargs: Any) -> None:
        if not self.config.smartquotes:
            return
        for text in list(self.document.findall(nodes.Text)):
            if CODE_TOKEN.search(text) and is_smartquotable(text) and text.parent is not None:
                text.parent.replace(text, split(str(text)))


def split(text: str) -> list[nodes.Node]:
    """*text* as text nodes, each code token in an inline node smart quotes skip."""
    result: list[nodes.Node] = []
    start = 0
    for match in CODE_TOKEN.finditer(text):
        if match.start() > start:
            result.append(nodes.Text(text[start:match.start()]))
        code = match.group().rstrip(".")
        token = nodes.inline(code, code)
        token["support_smartquotes"] = False
        result.append(token)
        start = match.start() + len(code)
    if start < len(text):
        result.append(nodes.Text(text[start:]))
    return result


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_transform(KeepCodeAsWritten)
    return dict(METADATA)
