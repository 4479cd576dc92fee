"""The settings reference's nodes, built from the model: one entry per setting.

:class:`ReferenceBuilder` is handed the source links, the history notes and how to show a
type; it reads no file.  What it builds is written by :mod:`opsdocs.settings.nodes`.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util.nodes import make_id

from opsdocs._sphinx import OpsdocsDomain, SourceLinks
from opsdocs.settings.display import (
    NO_DOCUMENTED_KEYS,
    DocumentedKeys,
    cut_default,
    default_summary,
    shown_code,
)
from opsdocs.settings.facets import FACETS, annotation_field, badges, facts, setting_facets
from opsdocs.settings.model import Setting
from opsdocs.settings.nodes import (
    setting_entry,
    setting_inline,
    setting_part,
    settings_filter,
    settings_list,
    settings_words,
)
from opsdocs.settings.site import Entry, make_entry, statements_of
from opsdocs.settings.text import definition_place, describe_definition
from opsdocs.untrusted import parse_inline, parse_rst, plain_blocks

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment
    from sphinx.util.docutils import SphinxDirective

#: What docutils' smart quotes would change in prose: quotes, dashes, ellipses.
_SMART = re.compile(r"[\"']|--|\.\.\.")

#: The title of the group of settings that belong to none.
OTHER_SETTINGS = "Other settings"

#: A setting's "new in"/"changed in" notes, as the changelog concern gives them.
Notes = Callable[[Setting], list[nodes.Node]]
#: A type annotation as nodes (cross-references to the types).
TypeNodes = Callable[[str], list[nodes.Node]]


#: A name that Sphinx's ``make_id`` keeps as it is (``setting-`` + the name).
_ID_AS_IS = re.compile(r"[A-Za-z0-9_.]+")


def setting_id(env: BuildEnvironment, document: nodes.document, name: str,
               module: str | None = None, kind: str = "setting") -> str:
    """The anchor of a setting (or of another object *kind*: ``toggle``), as Sphinx's own
    ``.. setting::`` makes it; when the page has it already (two modules' references on one
    page), the module's name before the setting's (``setting-lms.envs.common.X``)."""
    for term in (name, *((f"{module}.{name}",) if module else ())):
        # The common name needs none of make_id's Unicode folding and expressions.
        found = f"{kind}-{term}" if _ID_AS_IS.fullmatch(term) else \
            make_id(env, _NO_IDS, kind, term)  # type: ignore[arg-type]
        if found not in document.ids:
            return found
    return make_id(env, document, kind, name)


#: A document without ids: what make_id makes of a name when nothing has it yet.
_NO_IDS = SimpleNamespace(ids={})


class ListingBuilder:
    """What a reference's builder shares, of settings or of toggles: the directive and its
    document, the source links, the reference's name (its filter's), the index entries
    made so far, and whether the build translates.

    *index*: the entries are objects with anchors; *index_entries*: each also gets an
    entry in the general index.
    """

    def __init__(self, directive: SphinxDirective, links: SourceLinks, noun: str, *,
                 index: bool, index_entries: bool) -> None:
        self.directive = directive
        self.env = directive.env
        self.document = directive.state.document
        self.links = links
        # Per file, not per entry: a path is costly to take apart.
        self.source_path = functools.cache(links.path)
        self.source_page = functools.cache(links.page)
        self.index = index
        self.index_entries = index and index_entries
        self.reference = f"{noun}s-{self.env.new_serialno(f'opsdocs-{noun}s-reference')}"
        self.entries: list[tuple[str, str, str, str, str | None]] = []
        self.translating = OpsdocsDomain.of(self.env).translating

    def entries_list(self, entries: list[setting_entry], **attributes: str) -> settings_list:
        """The listing of *entries*; the words of the docs written whole go in one node for
        the search index, not one per entry (see settings_words)."""
        result = settings_list("", *entries, reference=self.reference, **attributes)
        words: list[str] = []
        for entry in entries:
            words += entry.get("doc_paragraphs", [])
        if words:
            result += settings_words("", nodes.Text("\n\n".join(words)))
        return result

    def index_node(self) -> addnodes.index:
        """The index entries of every entry listed so far, in one node."""
        return addnodes.index(entries=list(self.entries), opsdocs_entries=True)

    def anchor(self, node: setting_entry, node_id: str) -> None:
        """*node_id* as an anchor of *node* in the document."""
        node["ids"].append(node_id)
        self.document.ids[node_id] = node

    def index_entry(self, node: setting_entry, text: str,
                    node_id: str) -> tuple[str, str, str, str, str | None]:
        """The general index's entry *text* for *node*, anchored at *node_id*."""
        entry = ("single", text, node_id, "", None)
        node["index_entry"] = entry
        self.entries.append(entry)
        return entry

    def plain_paragraphs(self, text: str) -> list[str] | None:
        """The paragraphs of plain *text*, unless a pass of Sphinx would change them (a
        build that translates; quotes, ``--``, ``...`` that smart quotes turn): ``None``."""
        if self.translating or _SMART.search(text):
            return None
        return paragraphs(text)

    @staticmethod
    def facet_counts(labels: Mapping[str, str], facets: Iterable[Iterable[str]]
                     ) -> list[tuple[str, str, int]]:
        """Each facet of *labels* that entries have (*facets*: each entry's), with its label
        and how many have it, in the order of *labels*."""
        counts = Counter(key for keys in facets for key in keys)
        return [(key, label, counts[key]) for key, label in labels.items() if counts[key]]


class ReferenceBuilder(ListingBuilder):
    """Builds one ``settings-reference``'s nodes.

    *index*: the settings are ``std:setting`` objects with anchors (not in a
    ``:no-index:`` listing); *index_entries*: each also gets an entry in the general index.
    *documented*: for each dict setting, how many of its keys are entries of their own.
    *module_of* gives a file's dotted module name, *module* the reference's.
    """

    def __init__(self, directive: SphinxDirective, links: SourceLinks, notes: Notes | None,
                 type_nodes: TypeNodes, *, index: bool = True, index_entries: bool = True,
                 documented: Mapping[str, DocumentedKeys] | None = None,
                 module_of: Callable[[str], str] = lambda file: file,
                 module: str | None = None) -> None:
        super().__init__(directive, links, "setting", index=index,
                         index_entries=index_entries)
        # "New in", "changed in": given, they replace the doc's own version directives.
        self.notes: Notes | None = notes
        self.type_nodes = type_nodes
        self.documented = documented or {}
        #: each setting listed with an anchor, for the site to place (opsdocs.settings.site)
        self.site_entries: list[Entry] = []
        self.module_of = functools.cache(module_of)
        #: the module the reference names: what anchors a second description on a page
        self.module = module
        self.parsed = OpsdocsDomain.of(self.env).parsed

    def filter_form(self, settings: Sequence[Setting], groups: Sequence[str]) -> settings_filter:
        """The filter of this reference: the facets its settings have, with counts."""
        facets = self.facet_counts(FACETS, map(setting_facets, settings))
        return settings_filter(reference=self.reference, facets=facets, groups=list(groups),
                               total=len(settings))

    def listing(self, settings: Sequence[Setting], group: str | None) -> settings_list:
        return self.entries_list([self.entry(setting, group) for setting in settings])

    def entry(self, setting: Setting, group: str | None) -> setting_entry:
        code = shown_code(setting)
        summary = default_summary(setting, self.documented.get(setting.name, NO_DOCUMENTED_KEYS),
                                  code)
        node = setting_entry(
            name=setting.name, badges=[(b.key, b.label, b.title) for b in badges(setting)],
            facets=list(setting_facets(setting)), group=group or setting.section or OTHER_SETTINGS,
            default_kind=default_kind(setting, code),
            default=cut_default(code) if code is not None else None,
            default_summary=summary, facts=facts(setting, code, keys=summary is None),
            example=setting.example, definitions=definitions(setting),
            definitions_label="Defined by:" if setting.declared else "Read at:",
            source=self.source_path(setting.file), line=setting.line,
            source_url=self.links.url(setting.file, setting.line),
            source_page=self.source_page(setting.file),
        )
        if self.index:
            # the std:setting object is placed once every document is read (site.place)
            statements = statements_of(setting)
            module = self.module_of(statements[-1][0])
            node_id = setting_id(self.env, self.document, setting.name, self.module)
            self.anchor(node, node_id)
            entry = self.index_entry(node, f"{setting.name} (setting)", node_id) \
                if self.index_entries else None
            self.site_entries.append(make_entry(setting, node_id, module, entry))
        if setting.annotation:
            node += setting_inline("", "", *self.type_nodes(setting.annotation), part="type")
        if setting.parent:
            node += setting_inline("", "", setting_xref(setting.parent), part="parent")
        if node["default_kind"] == "display" and setting.default_display is not None:
            node += setting_inline("", "", *parse_inline(
                self.directive, setting.default_display, setting.file,
                setting.doc_line or setting.line), part="default")
        warning = annotation_field(setting, "warning")
        plain = self.plain_doc(setting) if warning is None else None
        if plain is not None:
            # Prose written whole by the writer, where paragraphs would be two nodes each
            # for every pass of Sphinx; the listing gives the search index its words.
            node["doc_paragraphs"] = plain
        else:
            doc = self.doc_nodes(setting) if setting.doc else []
            if self.notes is not None:  # given, they replace the doc's own version notes
                doc = without_version_notes(doc)
            if warning is not None:
                doc.append(nodes.warning("", nodes.paragraph(warning, warning)))
            node.extend(doc)  # the doc's nodes themselves, not wrapped (see nodes.doc)
        notes = self.notes(setting) if self.notes is not None else []
        if notes:
            node += setting_part("", *notes, part="notes")
        return node

    def plain_doc(self, setting: Setting) -> list[str] | None:
        """The paragraphs of a doc that no pass of Sphinx would change, else ``None``: prose
        without markup, without what smart quotes would turn (quotes, ``--``, ``...``),
        in a build that translates nothing."""
        plain = self.plain_paragraphs(setting.doc) if setting.doc else None
        if plain is None or setting.doc_markup == "text":
            return plain
        blocks = plain_blocks(setting.doc.splitlines())
        return None if blocks is None else [text for _, text in blocks]

    def doc_nodes(self, setting: Setting) -> list[nodes.Node]:
        """The doc as reStructuredText, located at its ``#:`` comment's lines; a doc in
        plain text (a code-annotations description) as its paragraphs.

        A doc with markup is parsed once per text in a build; the same text again (the
        package listed on two pages, a doc shared by settings) gets a copy.
        """
        if setting.doc_markup == "text":
            return [nodes.paragraph(text, text) for text in paragraphs(setting.doc)]
        # Settings from old snapshots lack doc_line: the doc ends above the setting.
        line = setting.doc_line or max(setting.line - len(setting.doc.splitlines()), 1)
        cached = self.parsed.get(setting.doc)
        if cached is not None:
            return [adopted(node, self.env.docname) for node in cached]
        result = parse_rst(self.directive, setting.doc, setting.file, line)
        if reusable(result):
            self.parsed[setting.doc] = [node.deepcopy() for node in result]
        return result


def paragraphs(text: str) -> list[str]:
    """The paragraphs of plain *text*."""
    return [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]


def setting_xref(name: str) -> addnodes.pending_xref:
    """A link to the setting *name*, plain text when nothing documents it."""
    return addnodes.pending_xref("", nodes.literal(name, name), refdomain="std",
                                 reftype="setting", reftarget=name, refexplicit=False,
                                 opsdocs_quiet=True)


def default_kind(setting: Setting, code: str | None) -> str:
    """How the default is shown; *code* is the setting's :func:`shown_code`."""
    if setting.required:
        return "required"
    if setting.secret:  # the model keeps no value text of a secret, only whether it has one
        return "secret" if setting.has_default else "unset"
    if setting.default_display is not None:
        return "display"
    return "unset" if code is None else "value"


def definitions(setting: Setting) -> list[tuple[str, str]]:
    """Each definition of a setting defined more than once or under a condition (each read,
    of a setting read in code but not declared): its code, and where (line, condition)."""
    if not setting.changes and not setting.conditional and setting.declared:
        return []
    return [(describe_definition(setting, d),
             f" ({definition_place(setting, d)}, {d.condition})" if d.condition
             else f" ({definition_place(setting, d)})")
            for d in setting.definitions]


def without_version_notes(doc: Sequence[nodes.Node]) -> list[nodes.Node]:
    """*doc* without Sphinx's version notes, wherever they are (in a ``.. note::`` too), and
    without an admonition that held nothing else."""
    for node in doc:
        if not isinstance(node, nodes.Element):
            continue
        for note in list(node.findall(addnodes.versionmodified, include_self=False)):
            note.parent.remove(note)
        for inner in reversed(list(node.findall(nodes.Element, include_self=False))):
            if _empty_admonition(inner):
                inner.parent.remove(inner)
    return [node for node in doc
            if not isinstance(node, addnodes.versionmodified) and not _empty_admonition(node)]


def _empty_admonition(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Admonition) and isinstance(node, nodes.Element) and \
        not node.children


def reusable(parsed: Sequence[nodes.Node]) -> bool:
    """Whether parsed doc nodes may be copied into another place: plain paragraphs are
    never cached (they cost nothing), nor nodes that define targets (ids must be unique)."""
    if all(type(node) is nodes.paragraph and len(node) == 1 and isinstance(node[0], nodes.Text)
           for node in parsed):
        return False
    return not any(isinstance(n, nodes.Element) and (n["ids"] or n["names"])
                   for node in parsed for n in node.findall(nodes.Element))


def adopted(node: nodes.Node, docname: str) -> nodes.Node:
    """A copy of *node* whose cross-references belong to the document *docname*."""
    result = node.deepcopy()
    for xref in result.findall(addnodes.pending_xref):
        xref["refdoc"] = docname
    return result
