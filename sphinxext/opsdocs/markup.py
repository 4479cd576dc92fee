"""reStructuredText inline markup of docs, for outputs that are not reStructuredText."""

from __future__ import annotations

import re

#: The text formats of the CLI's outputs.
FORMATS = ("rst", "markdown", "json")

_ROLE = re.compile(r":[\w.:+-]+:`~?([^`<]*?)\s*(?:<([^`>]*)>)?`")
_LITERAL = re.compile(r"``(.+?)``")
_LINK = re.compile(r"`([^`<]+?)\s*<([^`>]+)>`__?")


def plain_roles(text: str) -> str:
    """reStructuredText roles as their text: ``:setting:`USE_TZ``` becomes ``USE_TZ``."""
    return _ROLE.sub(lambda m: m.group(1) or m.group(2) or "", text)


def markdown_inline(text: str) -> str:
    """Common inline markup as Markdown: roles and literals as code, links as links."""
    text = _LINK.sub(r"[\1](\2)", text)
    text = _ROLE.sub(lambda m: f"`{m.group(1) or m.group(2) or ''}`", text)
    return _LITERAL.sub(r"`\1`", text)


def inline_code(text: str, markup: str) -> str:
    """*text* as inline code in ``rst`` or ``markdown``, whatever backticks or backslashes
    it holds."""
    if markup == "rst":
        if "``" not in text and text.strip() == text:
            return f"``{text}``"
        escaped = text.strip().replace("\\", "\\\\").replace("`", "\\`")
        return f":literal:`{escaped}`"  # unlike ``...``, interpreted text has escapes
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}" if longest else f"`{text}`"


def shorten(text: str | None, width: int) -> str:
    """*text* on one line (white space collapsed), cut to *width* characters with ``...``."""
    line = " ".join((text or "").split())
    return line if len(line) <= width else line[: width - 3] + "..."


def indent(text: str, prefix: str = "   ") -> str:
    """*text* with *prefix* before each line that is not blank."""
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())
