"""reStructuredText inline markup of docs, for outputs that are not reStructuredText."""

from __future__ import annotations

import re

#: The text formats of the CLI's outputs.
FORMATS = ("rst", "markdown", "json")
#: What a link written in the service's files may lead to, besides a relative address.
LINK_SCHEMES = ("http", "https", "mailto")
#: A URI's scheme, once white space and control characters are taken out, as browsers do
#: (``java\tscript:`` is ``javascript:`` to them).
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")

# Each pattern runs in time linear in the text: a pattern starts only where no longer
# match of it could (the look-behinds), and what it spans cannot hold its own start-string,
# so no failed attempt is scanned again from a later start (tests/test_regexes.py).
_ROLE = re.compile(r"(?<![\w.:+-]):([\w.+-]+(?::[\w.+-]+)*):`([^`]*)`")
_LITERAL = re.compile(r"``(.+?)``")
_LINK = re.compile(r"`([^`]+)`__?")
_STRONG = re.compile(r"(?<![\w*])\*\*(?=\S)((?:[^*]|\*(?!\*))+)(?<=\S)\*\*(?![\w*])")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+)(?<=\S)\*(?![\w*])")
_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+([\w:-]+)::\s*(.*)$")
#: Roles that link to prose (a page, a section, a term): text, not code, in Markdown.
_PROSE_ROLES = frozenset({"doc", "ref", "term", "numref", "std:doc", "std:ref", "std:term"})
#: How the version directives read in plain text: their word and the joint before the text.
VERSION_WORDS = {
    "versionadded": "Added in version",
    "versionchanged": "Changed in version",
    "deprecated": "Deprecated since version",
    "versionremoved": "Removed in version",
}


def _title_and_target(text: str) -> tuple[str, str | None]:
    """Interpreted text as its title and ``<target>`` (``None`` without one)."""
    text = text.removeprefix("~")
    if text.endswith(">") and "<" in text:
        start = text.rindex("<")
        return text[:start].rstrip(), text[start + 1:-1]
    return text.rstrip(), None


def _role_text(match: re.Match[str]) -> str:
    title, target = _title_and_target(match.group(2))
    return title or target or ""


def _page_text(match: re.Match[str]) -> str:
    """A link to prose as its title; without one, the page's name (``../dockerfile``:
    ``dockerfile``)."""
    title, target = _title_and_target(match.group(2))
    if target is not None and title:
        return title
    return (target or title).rstrip("/").rsplit("/", 1)[-1]


def link_allowed(uri: str) -> bool:
    """Whether a link written in the service's files may lead to *uri*: an address in one of
    :data:`LINK_SCHEMES`, or a relative one (no ``javascript:``, ``data:``, ``file:``)."""
    scheme = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", uri))
    return scheme is None or scheme.group(1).lower() in LINK_SCHEMES


def _link(match: re.Match[str], form: str) -> str:
    """A hyperlink reference with its ``<url>``, in *form*; any other one as it is (a link
    :func:`link_allowed` refuses too)."""
    title, target = _title_and_target(match.group(1))
    if target is None or not title or not target.strip() or not link_allowed(target):
        return match.group()
    return form.format(title=title, url=target)


def plain_roles(text: str) -> str:
    """reStructuredText roles as their text: ``:setting:`USE_TZ``` becomes ``USE_TZ``."""
    return _ROLE.sub(_role_text, text)


#: opsdocs' own roles, which a document built without opsdocs does not know.
OWN_ROLES = frozenset({"setting", "opscommand", "toggle"})


def literal_roles(text: str) -> str:
    """reStructuredText with opsdocs' own roles as literals: ``:setting:`USE_TZ``` becomes
    ````USE_TZ````, for a document that may be built without opsdocs."""
    return _ROLE.sub(lambda m: f"``{_role_text(m)}``" if m.group(1).removeprefix("std:")
                     in OWN_ROLES else m.group(0), text)


def markdown_inline(text: str) -> str:
    """Common markup as Markdown: roles and literals as code, links as links,
    auto-numbered list items (``#.``) as numbered ones.

    Roles that link to prose (``:doc:``, ``:ref:``, ``:term:``) become their title, or
    "the *name* page" (the pages they name are not beside a Markdown file).
    """
    text = _LINK.sub(lambda m: _link(m, "[{title}]({url})"), text)
    text = _ROLE.sub(lambda m: _prose_reference(m) if m.group(1) in _PROSE_ROLES
                     else f"`{_role_text(m)}`", text)
    text = _AUTO_NUMBERED.sub(r"\g<1>1.", text)
    return _LITERAL.sub(r"`\1`", text)


#: An auto-numbered item of an enumerated list: ``#.`` at a line's start.
_AUTO_NUMBERED = re.compile(r"^([ \t]*)#\.(?= )", re.MULTILINE)


def _prose_reference(match: re.Match[str]) -> str:
    """A link to prose in Markdown: its title, else what it names, said to be a page."""
    title, target = _title_and_target(match.group(2))
    if target is not None and title:
        return title
    name = _page_text(match)
    return f"the *{name}* page" if match.group(1) in ("doc", "std:doc") else f"*{name}*"


def plain_inline(text: str) -> str:
    """Inline markup as plain text: roles as their text, literals and emphasis without their
    marks, links as ``text (url)``."""
    text = _LINK.sub(lambda m: _link(m, "{title} ({url})"), text)
    text = plain_roles(text)
    text = _LITERAL.sub(r"\1", text)
    return _EMPHASIS.sub(r"\1", _STRONG.sub(r"\1", text))


def plain_text(text: str) -> str:
    """A doc as plain text, for comments and terminals: :func:`plain_inline`, and each
    directive as a sentence (``.. versionadded:: 0.2`` is "Added in version 0.2.") followed
    by its body, dedented."""
    out: list[str] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        match = _DIRECTIVE.match(lines[index])
        if match is None:  # a run of prose: inline markup may span its lines
            start = index
            while index < len(lines) and not _DIRECTIVE.match(lines[index]):
                index += 1
            out.extend(plain_inline("\n".join(lines[start:index])).split("\n"))
            continue
        margin, name, argument = match.groups()
        body: list[str] = []
        index += 1
        while index < len(lines) and (not lines[index].strip() or
                                      _indent_of(lines[index]) > len(margin)):
            body.append(lines[index].strip())
            index += 1
        blank = bool(body) and not body[-1]
        while body and not body[-1]:
            body.pop()
        out.extend(margin + line for line in _directive_sentence(name, argument, body))
        if blank and index < len(lines):
            out.append("")
    return "\n".join(out)


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def _directive_sentence(name: str, argument: str, body: list[str]) -> list[str]:
    """A directive's lines in plain text: ``Changed in version 0.3: <body>``."""
    words = VERSION_WORDS.get(name.rsplit(":", maxsplit=1)[-1])
    if words:
        version, _, rest = argument.partition(" ")
        text = [line for line in (rest.strip(), *body)]
        while text and not text[0]:
            text.pop(0)
        if not text:
            return [f"{words} {version}."]
        return f"{words} {version}: {plain_inline(chr(10).join(text))}".split("\n")
    title = name.rsplit(":", maxsplit=1)[-1].replace("-", " ").capitalize()
    head = f"{title}: {plain_inline(argument)}".rstrip(": ") if argument else f"{title}:"
    return [head, *plain_inline("\n".join(body)).split("\n")]


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


_RST_SPECIAL = re.compile(r"[\\*`|]")
#: Underscores that end a word: ``name_`` and ``name__`` are references in reStructuredText.
_RST_REFERENCE_END = re.compile(r"(?<![_\s])_+(?!\w)")
#: What starts a list, a comment, a field or a quote block at the start of a paragraph.
_RST_BLOCK_START = re.compile(r"[-+#(.>:=~^]|(?:\d+|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)](?:\s|$)")


def rst_escaped(text: str) -> str:
    """Plain text (a command's help) as reStructuredText that shows it as it is, on one
    line, as HTML shows a paragraph."""
    text = _RST_SPECIAL.sub(r"\\\g<0>", " ".join(text.split()))
    text = _RST_REFERENCE_END.sub(lambda match: match.group().replace("_", "\\_"), text)
    if text.endswith("::"):  # a literal block would follow
        text = text[:-1] + "\\:"
    return "\\" + text if _RST_BLOCK_START.match(text) else text


#: What Markdown reads as markup in plain text (an underscore inside a word is a letter).
_MARKDOWN_SPECIAL = re.compile(r"[\\`*\[\]<>&]|_{2,}|(?<!\w)_|_(?!\w)")


def markdown_escaped(text: str) -> str:
    """Plain text (a command's help) as Markdown that shows it as it is, on one line."""
    text = _MARKDOWN_SPECIAL.sub(lambda m: "".join("\\" + c for c in m.group()),
                                 " ".join(text.split()))
    if re.match(r"\d+[.)](?:\s|$)", text):  # a numbered list's item: its dot is escaped
        return re.sub(r"[.)]", r"\\\g<0>", text, count=1)
    return "\\" + text if re.match(r"[-+#>=~]", text) else text


def shorten(text: str | None, width: int) -> str:
    """*text* on one line (white space collapsed), cut to *width* characters with ``...``."""
    line = " ".join((text or "").split())
    return line if len(line) <= width else line[: width - 3] + "..."


def indent(text: str, prefix: str = "   ") -> str:
    """*text* with *prefix* before each line that is not blank."""
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())


def markdown_cell(text: str) -> str:
    """*text* as the content of one Markdown table cell: on one line, its pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")
