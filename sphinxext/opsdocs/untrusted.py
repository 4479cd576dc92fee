"""reStructuredText from the service's files: documentation, never a build script.

Text opsdocs reads from the service (``#:`` comments, annotation fields, command
descriptions, Dockerfile comments) is parsed with an allow-list: the directives and roles
that only format (:data:`DIRECTIVES`, :data:`ROLES`), and links to ``http``, ``https``,
``mailto`` and relative addresses only (:func:`opsdocs.markup.link_allowed`).  Any other
directive or role (``automodule`` would import a module, ``download``, ``image`` and
``figure`` copy a file of the build machine into the site, ``meta`` adds a redirect to the
page, ``raw`` and ``include`` insert what they name) is a located warning, and its text is
shown as written.  ``opsdocs_allowed_markup`` adds names a project trusts, but raw markup
and file insertion stay off whatever it lists: a listed ``raw``, ``include`` or
``literalinclude`` is only a warning that it is disabled, and a listed ``csv-table``
reads its content only, never a ``:file:`` or ``:url:``.

:func:`parse_rst` and :func:`parse_inline` parse it so, each line located at its line of
the service's file; plain prose takes a shortcut past the parser (:func:`plain_paragraphs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList
from docutils.utils import get_source_line
from sphinx.util import logging
from sphinx.util.docutils import CustomReSTDispatcher, switch_source_input

from opsdocs.markup import LINK_SCHEMES, link_allowed

if TYPE_CHECKING:
    from docutils.utils import Reporter
    from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

#: Directives that only format: admonitions, version notes, literal blocks, tables.
DIRECTIVES = frozenset({
    "attention", "caution", "danger", "error", "hint", "important", "note", "tip",
    "warning", "admonition", "seealso",
    "versionadded", "versionchanged", "deprecated", "versionremoved",
    "code-block", "code", "sourcecode", "parsed-literal",
    "rubric", "topic", "epigraph", "highlights", "pull-quote", "compound", "hlist",
    "table", "list-table",
})
#: Roles that only format or link inside the docs: docutils' inline markup, Sphinx's
#: cross-references and semantic markup, the Python domain's, and opsdocs' own.
ROLES = frozenset({
    "", "emphasis", "strong", "literal", "code", "subscript", "sub", "superscript", "sup",
    "title-reference", "title", "t", "abbreviation", "ab", "acronym", "ac",
    "pep", "pep-reference", "rfc", "rfc-reference",
    "ref", "doc", "term", "envvar", "option", "any", "keyword", "numref", "abbr", "command",
    "dfn", "file", "guilabel", "kbd", "mailheader", "makevar", "manpage", "menuselection",
    "mimetype", "newsgroup", "program", "regexp", "samp",
    *(f"{prefix}{name}" for prefix in ("", "py:") for name in (
        "mod", "func", "data", "const", "class", "meth", "attr", "exc", "obj")),
    *(f"{prefix}{name}" for prefix in ("", "std:") for name in (
        "setting", "opscommand", "ref", "doc", "term", "envvar", "option")),
})


def _location(source: str | None, line: int | None) -> str | None:
    """Where a warning points: the service's file and line (not a document's name)."""
    return f"{source}:{line}" if source and line else source


def _warn(what: str, name: str, source: str | None, line: int | None) -> None:
    logger.warning(
        "%s %r in text read from the service's files is shown as text: opsdocs runs only "
        "markup that formats there (add it to opsdocs_allowed_markup if you trust it)",
        what, name, location=_location(source, line), type="opsdocs", subtype="markup")


class _Refused(Directive):
    """A directive that is not allowed: its text as written, with a warning."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = None

    def run(self) -> list[nodes.Node]:
        source, line = self.state_machine.get_source_and_line(self.lineno)
        _warn("the directive", self.name, source, line)
        block = nodes.literal_block(self.block_text, self.block_text)
        block["language"] = "rst"
        return [block]


def _refused_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any,
                  options: Any = None, content: Any = None) -> tuple[list[nodes.Node], list[Any]]:
    source, line = inliner.reporter.get_source_and_line(lineno)
    _warn("the role", name, source, line)
    return [nodes.literal(rawtext, rawtext)], []


class AllowList(CustomReSTDispatcher):
    """Directives and roles looked up through the allow-list while it is enabled."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        super().__init__()
        self.extra = frozenset(name.lower() for name in extra)

    def directive(self, directive_name: str, language_module: ModuleType,
                  document: nodes.document) -> tuple[Any, list[nodes.system_message]]:
        name = directive_name.lower()
        if name in DIRECTIVES or name in self.extra:
            return super().directive(directive_name, language_module, document)
        return _Refused, []

    def role(self, role_name: str, language_module: ModuleType, lineno: int,
             reporter: Reporter) -> tuple[Any, list[nodes.system_message]]:
        name = role_name.lower()
        if name in ROLES or name in self.extra:
            return super().role(role_name, language_module, lineno, reporter)
        return _refused_role, []


@contextmanager
def untrusted(directive: SphinxDirective) -> Iterator[None]:
    """Parse the service's text as untrusted: raw markup and file insertion off (also for
    what ``opsdocs_allowed_markup`` lists), directives and roles through the allow-list."""
    settings = directive.state.document.settings
    saved = (getattr(settings, "raw_enabled", True),
             getattr(settings, "file_insertion_enabled", True))
    settings.raw_enabled = settings.file_insertion_enabled = False
    try:
        with AllowList(directive.config.opsdocs_allowed_markup):
            yield
    finally:
        settings.raw_enabled, settings.file_insertion_enabled = saved


def without_unsafe_links(parsed: Iterable[nodes.Node], source: str, line: int) -> None:
    """Links to other schemes than :data:`~opsdocs.markup.LINK_SCHEMES` (``javascript:``,
    ``data:``, ``file:``) made text, with a warning for each address, located at its line
    (else at *line* of *source*, where the text starts)."""
    warned: set[str] = set()
    for root in parsed:
        if not isinstance(root, nodes.Element):
            continue
        for node in list(root.findall(nodes.Element)):
            if not isinstance(node, (nodes.reference, nodes.target)) or "refuri" not in node:
                continue
            uri = node["refuri"]
            if link_allowed(uri):
                continue
            if uri not in warned:
                warned.add(uri)
                at_source, at_line = get_source_line(node)
                logger.warning(
                    "the link to %r in text read from the service's files is shown as text: "
                    "only %s and relative links are allowed there", uri,
                    ", ".join(LINK_SCHEMES), location=_location(
                        at_source or source, at_line if at_source else line),
                    type="opsdocs", subtype="markup")
            del node["refuri"]
            if isinstance(node, nodes.reference):
                node.replace_self(nodes.inline(node.rawsource, "", *node.children))


# -- Parsing it at its source lines -----------------------------------------------------


def parse_rst(directive: SphinxDirective, text: str, source: str,
              line: int) -> list[nodes.Node]:
    """*text*, written in the file *source* from its line *line*, parsed as blocks.

    Every line keeps its file and line, so an RST error points there.  Most text is plain
    prose: it becomes its paragraphs directly, as the parser would make them.  The text is
    the service's, so it is parsed as untrusted (:func:`untrusted`): only markup
    that formats takes effect, and links lead to the web, mail or the docs only.
    """
    lines = text.splitlines()
    paragraphs = plain_paragraphs(lines, source, line - 1)
    if paragraphs is not None:
        return paragraphs
    content = StringList(lines, items=[(source, line - 1 + i) for i in range(len(lines))])
    container = nodes.container()
    # As autodoc does: messages of the inline parser are located through the reporter,
    # which would otherwise place them in the page that holds the directive.
    with switch_source_input(directive.state, content), untrusted(directive):
        directive.state.nested_parse(content, 0, container)
    without_unsafe_links(container.children, source, line)
    return list(container.children)


def parse_inline(directive: SphinxDirective, text: str, source: str,
                 line: int) -> list[nodes.Node]:
    """*text*, one line of the file *source* at *line*, parsed as inline markup there
    (untrusted, as :func:`parse_rst`)."""
    content = StringList([text], items=[(source, line - 1)])
    with switch_source_input(directive.state, content), untrusted(directive):
        parsed, messages = directive.state.inline_text(text, 1)
    holder = nodes.inline("", "", *parsed)
    without_unsafe_links([holder], source, line)
    return [*holder.children, *messages]


#: What may start reStructuredText markup inside a line (inline markup, roles, targets,
#: substitutions, footnotes, URIs and e-mail addresses, escapes, ``::``, doctest ``>>>``).
_MARKUP = re.compile(r"[*`_|\[\]\\:@<>\t]")
#: What may start a block at the beginning of a line besides text: an enumerator (``1.``,
#: ``a)``, ``iv.``), bullets, options, tables, comments, directives, section adornments.
_BLOCK_START = re.compile(r"[^A-Za-z0-9]|(?:[0-9]+|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+)[.)](?: |$)")


def plain_paragraphs(lines: Sequence[str], source: str, first: int) -> list[nodes.Node] | None:
    """Paragraphs of a text that is plain prose, as the RST parser makes them, else ``None``.

    Plain means: paragraphs of unindented lines that start with a letter or digit, hold no
    character that could begin markup, and are separated by empty lines.  The parser
    would make exactly one ``paragraph`` of one ``Text`` per block of such lines, located at
    its first line (*first* is the 0-based line of ``lines[0]`` in *source*).
    """
    blocks = plain_blocks(lines)
    if blocks is None:
        return None
    result: list[nodes.Node] = []
    for start, text in blocks:
        paragraph = nodes.paragraph(text, "", nodes.Text(text))
        paragraph.source, paragraph.line = source, first + start + 1
        result.append(paragraph)
    return result


def plain_blocks(lines: Sequence[str]) -> list[tuple[int, str]] | None:
    """The paragraphs of a text that is plain prose (see :func:`plain_paragraphs`), each
    with the index of its first line; ``None`` when the text is not plain."""
    result: list[tuple[int, str]] = []
    block: list[str] = []
    for index, line in enumerate([*lines, ""]):
        if line:
            if (line[-1] == " " or _BLOCK_START.match(line) or _MARKUP.search(line)):
                return None
            block.append(line)
        elif block:
            result.append((index - len(block), "\n".join(block)))
            block = []
    return result
