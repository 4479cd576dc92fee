"""The settings reference's docutils nodes, and how each builder writes them.

One :class:`setting_entry` per setting carries what the reference shows as attributes
(name, badges, default, source) and, as children, only what needs Sphinx's passes: the
type (cross-references), a ``:default:`` text and the doc with markup, the history notes.
The HTML writer writes a whole entry in one visit, so a reference of thousands of settings
costs Sphinx's whole-tree passes a few nodes per setting.  Every other builder gets the
entries as a standard table (:func:`standard_nodes`), as the reference looked before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

from opsdocs._sphinx import row, table
from opsdocs.code_text import shortened
from opsdocs.reading.kinds import MAX_TABLE_LINE
from opsdocs.settings.source_pages import code_line, highlighted_lines, page_uri, writes_source_pages

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

#: The filter's script, in opsdocs' static files.
SCRIPT = "opsdocs-settings.js"

#: What the default says when no value is shown, by ``default_kind``.
NO_DEFAULT = {"required": "none (required)", "secret": "not shown (secret)",
              "unset": "not set here"}

#: A default longer than this, or of several lines, is shown cut, the whole one click away.
SHORT_DEFAULT = 48


# -- Nodes ------------------------------------------------------------------------------


class settings_filter(nodes.General, nodes.Element):  # docutils names node classes in lower case
    """The filter form of one reference (HTML only): ``reference``, ``facets`` (key, label,
    count), ``groups`` and ``total``; for a reference of something else than settings
    (feature toggles), ``noun`` (``toggles``) and ``group_label`` (``Implementation``).
    Scripts show it; without them the page is whole."""


class settings_list(nodes.General, nodes.Element):
    """The settings of one reference, or of one of its groups: ``reference`` names it."""


class settings_words(nodes.General, nodes.Element):
    """The words of a listing's plain-prose docs, in one ``Text`` child, for the search
    index: the entries show those docs from their ``doc_paragraphs``.  No writer shows it."""


class setting_entry(nodes.General, nodes.Element):
    """One setting.

    Attributes: ``ids`` (none in a ``:no-index:`` listing), ``name``, ``badges`` (key,
    label, title), ``facets`` and ``group`` (for the filter), ``default_kind``
    (``value``, ``display``, ``required``, ``secret``, ``unset``) with ``default`` (the
    value's code, without comments) and ``default_summary`` (a sentence shown instead of
    the code, the code one click away; ``None`` for none), ``facts`` (label, text,
    ``code``/``text``/``link``: what else the summary says), ``example``, ``definitions``
    (code and where) under ``definitions_label``, ``source`` (shown path), ``line``,
    ``source_url`` and ``source_page`` (a page of the built docs); ``noun`` for an
    entry of something else (``toggle``: its permalink's title, its object type).
    Children: its :class:`setting_inline` parts, its doc's nodes, and a
    :class:`setting_part` of history notes.
    """


class setting_part(nodes.General, nodes.Element):
    """A part of an entry that holds block nodes: ``part`` is ``notes``."""


class setting_inline(nodes.Inline, nodes.TextElement):
    """A part of an entry that holds inline nodes: ``part`` is ``type``, ``parent`` or
    ``default``."""


def doc(entry: setting_entry) -> list[nodes.Node]:
    """The entry's doc as nodes: its children that are no part (a wrapper would be one
    more node per setting for every pass of Sphinx over the tree).  A doc of plain prose
    is rather the ``doc_paragraphs`` attribute."""
    return [child for child in entry.children
            if not isinstance(child, (setting_part, setting_inline))]


def part(entry: setting_entry, name: str) -> nodes.Element | None:
    """The child of *entry* holding its part *name*, if it has one."""
    return next((p for p in entry.children
                 if isinstance(p, (setting_part, setting_inline)) and p["part"] == name), None)


# -- HTML -------------------------------------------------------------------------------


def attribute_list(words: Iterable[str]) -> str:
    return escape(" ".join(words), quote=True)


def visit_settings_filter_html(self: HTML5Translator, node: settings_filter) -> None:
    reference = escape(node["reference"], quote=True)
    # ``noun``: what the reference lists, when not settings (``toggles``)
    noun = escape(node.get("noun", "settings"), quote=True)
    data = f' data-noun="{noun}"' if "noun" in node else ""
    one = noun.removesuffix("s")
    out = [f'<form class="opsdocs-filter" data-reference="{reference}"{data} role="search" '
           'hidden><div class="opsdocs-filter-line">'
           f'<input type="search" name="filter" aria-label="Filter {noun}" '
           f'placeholder="Filter {noun}: name or words" autocomplete="off" spellcheck="false">'
           '<output class="opsdocs-filter-count" aria-live="polite"></output></div>'
           '<div class="opsdocs-filter-line">']
    if node["facets"]:
        out.append('<fieldset class="opsdocs-filter-facets"><legend>Only</legend>')
        out.extend(f'<label><input type="checkbox" name="only" value="{escape(key)}"> '
                   f'{escape(label)} <span class="opsdocs-filter-n">{count}</span></label>'
                   for key, label, count in node["facets"])
        out.append("</fieldset>")
    if len(node["groups"]) > 1:
        label = escape(node.get("group_label", "Section"))
        out.append(f'<label class="opsdocs-filter-group">{label} <select name="group">'
                   '<option value="">all</option>')
        out.extend(f'<option value="{escape(group, quote=True)}">{escape(group)}</option>'
                   for group in node["groups"])
        out.append("</select></label>")
    out.append('<label class="opsdocs-filter-summary"><input type="checkbox" name="summary"> '
               "Summaries only</label></div>"
               f'<p class="opsdocs-filter-none" hidden>No {one} matches this filter. '
               f'<button type="button" class="opsdocs-filter-clear">Show every {one}</button>'
               "</p></form>\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_settings_list_html(self: HTML5Translator, node: settings_list) -> None:
    reference = escape(node["reference"], quote=True)
    self.body.append(f'<div class="opsdocs-settings" data-reference="{reference}">\n')


def depart_settings_list_html(self: HTML5Translator, node: settings_list) -> None:
    self.body.append("</div>\n")


def skip_html(self: HTML5Translator, node: nodes.Element) -> None:
    raise nodes.SkipNode


def visit_setting_entry_html(self: HTML5Translator, node: setting_entry) -> None:
    """The whole entry: head (name, permalink, badges), facts (type, default), body; an
    entry described in another reference, its head only, linking there."""
    compact = node.get("described_in")
    classes = ["opsdocs-setting", *(f"opsdocs-{key}" for key in ("required", "deprecated")
                                   if key in node["facets"])]
    classes += ["opsdocs-setting-compact"] if compact else []
    ids = f' id="{escape(node["ids"][0], quote=True)}"' if node["ids"] else ""
    body = self.body
    body.append(f'<div class="{attribute_list(classes)}"{ids} '
                f'data-facets="{attribute_list(node["facets"])}" '
                f'data-group="{escape(node["group"], quote=True)}">'
                '<div class="opsdocs-setting-head">'
                '<code class="opsdocs-setting-name docutils literal notranslate">')
    url = escape(node.get("described_url", ""), quote=True)
    body.append(f'<a class="reference internal" href="{url}">' if compact else "")
    # Long names may break after an underscore, never inside a word (CSRF_COOKIE_SE|CURE).
    body.append("<wbr>".join(f'<span class="pre">{escape(piece)}</span>'
                             for piece in re.split(r"(?<=_)(?=.)", node["name"])))
    body.append("</a></code>" if compact else "</code>")
    if not compact:
        self.add_permalink_ref(node, f"Link to this {node.get('noun', 'setting')}")
    if node["badges"]:  # spaced, so that copied or read without styles the words stay apart
        body.append(' <span class="opsdocs-badges">')
        body.append(" ".join(f'<span class="opsdocs-badge opsdocs-badge-{escape(key)}" '
                             f'title="{escape(title, quote=True)}">{escape(label)}</span>'
                             for key, label, title in node["badges"]))
        body.append("</span>")
    if compact:
        body.append(f' <span class="opsdocs-setting-elsewhere">defined in <a '
                    f'class="reference internal" href="{url}">{escape(compact)}</a></span>'
                    "</div></div>\n")
        raise nodes.SkipNode
    # Facts in a grid of divs, not a <dl>: themes style definition lists each their way.
    body.append('</div><div class="opsdocs-setting-facts">')
    for name, label in (("type", "Type"), ("parent", "Key of")):
        found = part(node, name)
        if found is not None:
            body.append(f'<div class="opsdocs-fact-name">{label}</div>'
                        f'<div class="opsdocs-fact opsdocs-setting-{name}">')
            found.walkabout(self)
            body.append("</div>")
    body.append('<div class="opsdocs-fact-name">Default</div>'
                '<div class="opsdocs-fact opsdocs-setting-default">')
    write_default(self, node)
    body.append("</div>")
    for label, text, kind in node["facts"]:
        body.append(f'<div class="opsdocs-fact-name">{escape(label)}</div>'
                    f'<div class="opsdocs-fact">{fact_html(text, kind)}</div>')
    body.append('</div><div class="opsdocs-setting-body">')
    paragraphs: list[str] = node.get("doc_paragraphs", [])
    body.extend(f"<p>{escape(text, quote=False)}</p>\n" for text in paragraphs)
    for child in doc(node):
        child.walkabout(self)
    write_example_and_definitions(self, node)
    notes = part(node, "notes")
    if notes is not None:
        notes.walkabout(self)
    write_source(self, node)
    body.append("</div></div>\n")
    raise nodes.SkipNode


def visit_setting_part_html(self: HTML5Translator, node: nodes.Element) -> None:
    pass  # its children are written where the entry places them


def depart_setting_part_html(self: HTML5Translator, node: nodes.Element) -> None:
    pass


def fact_html(text: str, kind: str) -> str:
    if kind == "code":
        return " ".join(f'<code class="docutils literal notranslate">{escape(word)}</code>'
                        for word in text.split())
    if kind == "link":
        return f'<a class="reference external" href="{escape(text, quote=True)}">{escape(text)}</a>'
    return escape(text)


def write_default(self: HTML5Translator, node: setting_entry) -> None:
    kind = node["default_kind"]
    if kind == "display":
        display = part(node, "default")
        if display is not None:
            display.walkabout(self)
    elif kind == "value":
        value: str = node["default"]
        summary: str | None = node.get("default_summary")
        if summary is None and "\n" not in value and len(value) <= SHORT_DEFAULT:
            self.body.append(f'<code class="docutils literal notranslate">{escape(value)}</code>')
            return
        if summary is not None:
            head = f'<span class="opsdocs-default-summary">{escape(summary)}</span>'
        else:
            lines = value.count("\n") + 1
            size = f"{lines} lines" if lines > 1 else f"{len(value)} characters"
            head = (f'<code class="docutils literal notranslate">'
                    f'{escape(shortened(value, SHORT_DEFAULT))}</code> '
                    f'<span class="opsdocs-default-size">({size})</span>')
        self.body.append(f'<details class="opsdocs-default-full"><summary>{head}</summary>'
                         f'{code_block(self, value, node)}</details>')
    else:
        self.body.append(f"<em>{escape(NO_DEFAULT[kind])}</em>")


def code_block(self: HTML5Translator, code: str, node: nodes.Element) -> str:
    """*code* highlighted as Python, each line a block of its own whose wrapped rest is
    indented under the line's own indentation (copied, the text is the code as written)."""
    lines = "".join(code_line(source, html)
                    for source, html in highlighted_lines(code))
    return ('<div class="highlight-python notranslate"><div class="highlight"><pre>'
            f"{lines}</pre></div></div>")


def write_example_and_definitions(self: HTML5Translator, node: setting_entry) -> None:
    example: str | None = node["example"]
    if example:
        self.body.append('<p class="opsdocs-setting-example"><strong>Example:</strong> ')
        if "\n" in example:
            self.body.append(code_block(self, example, node))
        else:
            self.body.append(f'<code class="docutils literal notranslate">{escape(example)}</code>')
        self.body.append("</p>")
    if node["definitions"]:
        self.body.append('<div class="opsdocs-setting-definitions">'
                         f'<p>{escape(node["definitions_label"])}</p><ul>')
        self.body.extend(f'<li><code class="docutils literal notranslate">{escape(code)}</code>'
                         f"{escape(where)}</li>" for code, where in node["definitions"])
        self.body.append("</ul></div>")


def write_source(self: HTML5Translator, node: setting_entry) -> None:
    label = escape(f"{node['source']}, line {node['line']}")
    url = node["source_url"]
    if not url and node["source_page"] and writes_source_pages(self.builder):
        url = page_uri(self.builder, node["source_page"], node["line"])
    link = f'<a class="reference external" href="{escape(url, quote=True)}">{label}</a>' \
        if url else label
    self.body.append(f'<p class="opsdocs-setting-source">{link}</p>')


# -- Every other builder: standard nodes ----------------------------------------------


def standard_nodes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: for builders other than HTML, each reference as a table of
    standard nodes (its cross-references are resolved already)."""
    if app.builder.format == "html":
        return
    for form in list(doctree.findall(settings_filter)):
        form.parent.remove(form)
    for listing in list(doctree.findall(settings_list)):
        entries = [e for e in listing.children if isinstance(e, setting_entry)]
        heading = listing.get("noun", "setting").capitalize()
        result = table((heading, "Default", "Description"), (24, 30, 46),
                       (standard_row(entry) for entry in entries),
                       ["opsdocs-settings", "longtable", "colwidths-given"])
        listing.replace_self(result)
    for index in list(doctree.findall(addnodes.index)):
        if index.get("opsdocs_entries"):  # each entry's went to its row
            index.parent.remove(index)


def standard_row(entry: setting_entry) -> nodes.row:
    described = entry.get("described_in")
    if described:  # described in another reference: a link there
        link = nodes.reference(described, described, refuri=entry["described_url"],
                               internal=True)
        result = row([name_cell(entry), [nodes.paragraph()],
                      [nodes.paragraph("", "Defined in ", link)]])
        result["classes"].append("opsdocs-setting-compact")
        return result
    result = row([name_cell(entry), default_cell(entry), description_cell(entry)])
    result["classes"].extend(f"opsdocs-{key}" for key in ("required", "deprecated")
                             if key in entry["facets"])
    return result


def name_cell(entry: setting_entry) -> list[nodes.Node]:
    title = nodes.paragraph(classes=["opsdocs-setting-name"])
    if entry["ids"]:
        if entry.get("index_entry"):
            title += addnodes.index(entries=[tuple(entry["index_entry"])])
        title += nodes.target("", "", ids=list(entry["ids"]))
    name = entry["name"]
    title += nodes.literal(name, name, classes=["xref", "std", f"std-{entry.get('noun', 'setting')}"])
    result: list[nodes.Node] = [title]
    type_part = part(entry, "type")
    if type_part is not None:
        result.append(nodes.paragraph("", "", *type_part.children,
                                      classes=["opsdocs-setting-type"]))
    labels = [label for _, label, _ in entry["badges"] if label != "required"]
    if labels:
        text = ", ".join(labels).capitalize()
        result.append(nodes.paragraph(text, text, classes=["opsdocs-badges"]))
    parent = part(entry, "parent")
    if parent is not None:
        result.append(nodes.paragraph("", "Key of ", *parent.children))
    for label, text, kind in entry["facts"]:
        para = nodes.paragraph("", f"{label}: ")
        if kind == "code":
            for index, word in enumerate(text.split()):
                para += [nodes.Text(", ")] if index else []
                para += nodes.literal(word, word)
        else:
            para += nodes.reference(text, text, refuri=text) if kind == "link" else nodes.Text(text)
        result.append(para)
    return result


def not_shown_cell(kind: str) -> list[nodes.Node]:
    """A cell saying why there is no value (:data:`NO_DEFAULT`: ``secret``...)."""
    return [nodes.paragraph("", "", nodes.emphasis(NO_DEFAULT[kind], NO_DEFAULT[kind]))]


def default_cell(entry: setting_entry) -> list[nodes.Node]:
    kind = entry["default_kind"]
    if kind in NO_DEFAULT:
        return not_shown_cell(kind)
    display = part(entry, "default")
    if kind == "display" and display is not None:
        return [nodes.paragraph("", "", *display.children)]
    summary: str | None = entry.get("default_summary")
    if summary is not None:  # the entries below give the keys' defaults; no page of code
        return [nodes.paragraph("", "", nodes.emphasis(summary, summary))]
    value: str = entry["default"]
    if "\n" in value or len(value) > 40:
        # A table's lines are cut: Sphinx's text writer wraps a long word in quadratic time.
        value = "\n".join(line if len(line) <= MAX_TABLE_LINE else
                          line[:MAX_TABLE_LINE - 3] + "..." for line in value.split("\n"))
        return [nodes.literal_block(value, value, language="python", classes=["opsdocs-default"])]
    return [nodes.paragraph("", "", nodes.literal(value, value, classes=["code", "python"]))]


def description_cell(entry: setting_entry) -> list[nodes.Node]:
    paragraphs: list[str] = entry.get("doc_paragraphs", [])
    result: list[nodes.Node] = [nodes.paragraph(text, text) for text in paragraphs]
    result += doc(entry)
    example = entry["example"]
    if example:
        para = nodes.paragraph("", "", nodes.strong("", "Example:"), nodes.Text(" "))
        para += nodes.literal_block(example, example) if "\n" in example else \
            nodes.literal(example, example)
        result.append(para)
    if entry["definitions"]:
        items = nodes.bullet_list(classes=["opsdocs-setting-changes"])
        for code, where in entry["definitions"]:
            items += nodes.list_item("", nodes.paragraph("", "", nodes.literal(code, code),
                                                         nodes.Text(where)))
        label = entry["definitions_label"]
        result.append(nodes.container("", nodes.paragraph(label, label), items,
                                      classes=["opsdocs-setting-definitions"]))
    notes = part(entry, "notes")
    if notes is not None:
        result.extend(notes.children)
    label = f"{entry['source']}, line {entry['line']}"
    source = nodes.paragraph(classes=["opsdocs-setting-source"])
    source += nodes.reference(label, label, refuri=entry["source_url"]) if entry["source_url"] \
        else nodes.Text(label)
    result.append(source)
    return result


def add_script(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
               doctree: nodes.document | None) -> None:
    """The filter's script, on the pages that show a reference (not in e-books)."""
    if doctree is not None and not app.builder.name.startswith("epub") and \
            next(doctree.findall(settings_filter), None) is not None:
        app.add_js_file(SCRIPT, loading_method="defer")


def setup_nodes(app: Sphinx) -> None:
    """Register the nodes: HTML visitors; other builders get standard nodes first."""
    for node_class, html in (
        (settings_filter, (visit_settings_filter_html, None)),
        (settings_list, (visit_settings_list_html, depart_settings_list_html)),
        (settings_words, (skip_html, None)),
        (setting_entry, (visit_setting_entry_html, None)),
        (setting_part, (visit_setting_part_html, depart_setting_part_html)),
        (setting_inline, (visit_setting_part_html, depart_setting_part_html)),
    ):
        app.add_node(node_class, html=html)  # type: ignore[arg-type]
    app.connect("doctree-resolved", standard_nodes)
    app.connect("html-page-context", add_script)
