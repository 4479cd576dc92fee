"""Highlighted copies of the service's files in the built docs, for "source" links.

As ``sphinx.ext.viewcode`` does for modules: when ``opsdocs_source_url`` is not set, each
file a page links to (a settings file, a management command's module) becomes a page of
the HTML docs with an anchor per line (``#L12``), and the links go there.  Settings marked
secret have their values blanked out of the copy (:mod:`opsdocs.settings.redact`).
Builders that write no such pages (single-page HTML, e-books, LaTeX, ...) show the file's
path and line as text.  Loaded by the ``setup()`` of the concerns that link to source
(settings, operations).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.environment import CONFIG_OK
from sphinx.util.nodes import make_refnode

from opsdocs._sphinx import METADATA, DocumentsDomain, SourceLinks, source_links
from opsdocs.errors import OpsdocsError
from opsdocs.reading import read_source
from opsdocs.settings.redact import redact

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment

#: The reference type of a link to a copy (resolved by :func:`resolve`).
REFTYPE = "opsdocs-source"


class SourcePagesDomain(DocumentsDomain):
    """The files each document links to a copy of, with the secrets to blank out.

    ``data["pages"]``: docname -> page name -> (file, secret setting names).
    """

    name = "opsdocs_sources"
    label = "opsdocs source pages"
    initial_data: ClassVar[dict[str, Any]] = {"pages": {}}
    per_document = ("pages",)
    data_version = 1

    @classmethod
    def of(cls, env: BuildEnvironment) -> SourcePagesDomain:
        return cast("SourcePagesDomain", env.get_domain(cls.name))

    def note(self, docname: str, page: str, file: str, secrets: Iterable[str]) -> None:
        pages = self.data["pages"].setdefault(docname, {})
        _, known = pages.get(page, (file, ()))
        pages[page] = (file, tuple(sorted({*known, *secrets})))

    def files(self) -> dict[str, tuple[str, set[str]]]:
        """Every page to write: its file and the secret settings to blank out."""
        result: dict[str, tuple[str, set[str]]] = {}
        for pages in self.data["pages"].values():
            for page, (file, secrets) in pages.items():
                result.setdefault(page, (file, set()))[1].update(secrets)
        return result


def note_pages(env: BuildEnvironment, links: SourceLinks, files: Iterable[str],
               secrets: Iterable[str] = ()) -> None:
    """The document being read links to the copies of *files* (those that get one); the
    values of the settings *secrets* are blanked out of them."""
    secrets = tuple(secrets)
    domain = SourcePagesDomain.of(env)
    for file in files:
        page = links.page(file)
        if page is not None:
            domain.note(env.docname, page, file, secrets)


def linked_sources(env: BuildEnvironment, files: Iterable[str], start: Path,
                   secrets: Iterable[str] = ()) -> SourceLinks:
    """The links to *files* (:func:`~opsdocs._sphinx.source_links`), whose copies the
    document being read links to, with the values of the settings *secrets* blanked out."""
    files = set(files)
    links = source_links(env, files, start)
    note_pages(env, links, files, secrets)
    return links


def source_reference(env: BuildEnvironment, links: SourceLinks, file: str, line: int,
                     label: str) -> nodes.Node:
    """A link to *file* at *line*: to the URL, or to its copy (noted), or none (text)."""
    url = links.url(file, line)
    if url is not None:
        return nodes.reference(label, label, refuri=url, internal=False)
    page = links.page(file)
    if page is None:
        return nodes.Text(label)
    note_pages(env, links, [file])
    return addnodes.pending_xref("", nodes.inline(label, label), refdomain="std",
                                 reftype=REFTYPE, reftarget=page, refid=f"L{line}",
                                 refdoc=env.docname, refexplicit=True)


def resolve(app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref,
            contnode: Element) -> nodes.Node | None:
    """``missing-reference``: a link to a copy, or its text where there is no copy."""
    if node.get("reftype") != REFTYPE:
        return None
    if not writes_source_pages(app.builder):
        return contnode
    return make_refnode(app.builder, node["refdoc"], node["reftarget"], node["refid"], contnode)


def writes_source_pages(builder: Builder) -> bool:
    """Whether *builder* writes the copies (HTML pages; not single-page HTML nor e-books,
    as ``sphinx.ext.viewcode``)."""
    return builder.format == "html" and builder.name != "singlehtml" \
        and not builder.name.startswith("epub")


def page_uri(builder: Builder, page: str, line: int) -> str:
    """The URI of a copy's *line*, from the document being written."""
    current = cast("StandaloneHTMLBuilder", builder).current_docname
    return f"{builder.get_relative_uri(current, page)}#L{line}"


# -- Writing the pages ------------------------------------------------------------------


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: a page per file, unless it is already newer than the file."""
    if not writes_source_pages(app.builder):
        return
    # A changed configuration (the theme, what is secret) rewrites every page.
    fresh = app.env.config_status != CONFIG_OK
    builder = cast("StandaloneHTMLBuilder", app.builder)
    for page, (file, secrets) in sorted(SourcePagesDomain.of(app.env).files().items()):
        if not fresh and _up_to_date(Path(builder.get_outfilename(page)), Path(file)):
            continue
        try:
            text = read_source(file)  # bounded, as when the directive read it
        except OpsdocsError:
            continue  # the directive that read the file warned about it
        yield page, _page_context(builder, page, file, redact(text, secrets)), "page.html"


def _up_to_date(page: Path, file: Path) -> bool:
    try:
        return page.stat().st_mtime_ns >= file.stat().st_mtime_ns
    except OSError:
        return False


def _page_context(builder: StandaloneHTMLBuilder, page: str, file: str,
                  text: str) -> dict[str, Any]:
    lines = "".join(
        code_line(source, f'<a class="opsdocs-lineno" href="#L{number}" data-line="{number}">'
                  f"</a>{html}", f' id="L{number}"')
        for number, (source, html) in enumerate(
            highlighted_lines(text), 1))
    title = page.split("/", 1)[1]
    # A long path breaks after a slash.
    heading = "/<wbr>".join(escape(part) for part in title.split("/"))
    body = (f'<h1 class="opsdocs-source-title">{heading}</h1>'
            '<div class="opsdocs-source highlight-python notranslate"><div class="highlight">'
            f"<pre>{lines}</pre></div></div>")
    return {"title": title, "body": body, "parents": [], "sourcename": "", "display_toc": False}


# -- Code, a block per line ---------------------------------------------------------------


def code_line(source: str, html: str, attributes: str = "") -> str:
    """A line of code as a block whose wrapped rest hangs under the line's indentation
    (the stylesheet's ``.opsdocs-line``; copied, the text is the code as written)."""
    indent = len(source) - len(source.lstrip(" "))
    style = f' style="--indent:{indent}ch"' if indent else ""
    return f'<span class="opsdocs-line"{attributes}{style}>{html}</span>'


#: Python's tokens, enough to colour settings files and values: each group's name is the
#: class Pygments gives that kind of token, so the theme's colours apply.
_TOKEN = re.compile("|".join((
    r"(?P<c1>#[^\r\n]*)",
    r"""(?P<s2>[rRbBuUfF]{0,2}(?:'{3}[\s\S]*?'{3}|"{3}[\s\S]*?"{3}"""
    r"""|'(?:[^'\\\r\n]|\\[\s\S])*'|"(?:[^"\\\r\n]|\\[\s\S])*"))""",
    r"(?P<mi>(?<![\w.])(?:0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9]+)?j?"
    r"|\.[0-9][0-9_]*(?:[eE][+-]?[0-9]+)?)(?![\w.]))",
    r"(?P<kc>\b(?:True|False|None)\b)",
    r"(?P<k>\b(?:and|as|assert|async|await|break|class|continue|def|del|elif|else|except"
    r"|finally|for|from|global|if|import|in|is|lambda|nonlocal|not|or|pass|raise"
    r"|return|try|while|with|yield)\b)",
    r"(?P<n>[^\W\d]\w*)",
    r"(?P<o>[-+*/%@&|^~<>=!:.]+)",
    r"(?P<p>[()\[\]{},;])",
)))


def highlighted_lines(code: str) -> list[tuple[str, str]]:
    """Each line of *code*, numbered as Python numbers them, with its HTML coloured as
    Pygments would (its classes), every line's tags closed on that line.

    A single regular expression rather than Pygments: a settings file of thousands of
    settings is coloured in a fraction of the time, and no colour is lost on values.
    """
    code = code.replace("\r\n", "\n").replace("\r", "\n")  # Python's line ends
    lines = code.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    html: list[list[str]] = [[]]
    line = html[0]
    position = 0
    for token in _TOKEN.finditer(code):
        start, end = token.span()
        if start > position:  # white space, or what no token matches: as it is
            line = _add(html, line, code[position:start], None)
        kind = token.lastgroup
        line = _add(html, line, token.group(), None if kind == "n" else kind)
        position = end
    _add(html, line, code[position:], None)
    return [(text, "".join(html[index]) if index < len(html) else escape(text, quote=False))
            for index, text in enumerate(lines)]


def _add(html: list[list[str]], line: list[str], text: str, kind: str | None) -> list[str]:
    """Add *text* to the last line of *html*, starting new lines at its line breaks."""
    pieces = text.split("\n") if "\n" in text else (text,)
    for index, piece in enumerate(pieces):
        if index:
            line = []
            html.append(line)
        if piece:
            escaped = escape(piece, quote=False)
            line.append(f'<span class="{kind}">{escaped}</span>' if kind else escaped)
    return line


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_domain(SourcePagesDomain)
    app.connect("html-collect-pages", collect_pages)
    app.connect("missing-reference", resolve)
    return dict(METADATA)
