"""Where each setting of a site is described, when several references list it.

Open edX documents ``openedx.envs.common``, ``lms.envs.common`` and ``cms.envs.common``,
one reference each; the LMS and Studio star-import the first, so every shared setting is
in all three catalogs.  A setting is described once, where it is defined: in the reference
that names the module one of its statements is in (or, when no reference names that
module, in the first that lists it).  Every other reference that lists the same setting,
made by the same statements, shows a compact row that links there.  A name that two
references define differently (the LMS and Studio each give it their own value) is
described in each: the plain name (``:setting:`X```) goes to the one whose statements the
others' contain (the shared module's), and each is linkable by its module's name too
(``:setting:`lms.envs.common.X```).

Nothing here can be decided while one document is read (another may name the module), so
each reference records its entries in the domain's data, :func:`place` decides once every
document is read (``env-updated``: the ``std:setting`` objects and the general index's
entries), and :func:`compact_entries` turns the entries described elsewhere into rows that
link there as each document is written.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

from opsdocs._sphinx import DocumentsDomain
from opsdocs.settings.imports import SharedReads
from opsdocs.settings.model import Setting
from opsdocs.settings.nodes import setting_entry, settings_list, settings_words
from opsdocs.settings.sources import package_top

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


class Entry(NamedTuple):
    """A setting one reference lists with an anchor: its name, the statements that make it
    (``(file, line)`` each, and their digest), the files they are in, its anchor, the
    module it is named by when contested (``lms.envs.common``), and its index entry."""

    name: str
    digest: str
    statements: tuple[tuple[str, int], ...]
    files: frozenset[str]
    anchor: str
    module: str
    index_entry: tuple[str, str, str, str, str | None] | None


class Reference(NamedTuple):
    """One ``settings-reference`` that indexes its settings: the module files it names,
    its line, and its entries."""

    own: frozenset[str]
    line: int
    entries: tuple[Entry, ...]


class Placed(NamedTuple):
    """Where an entry is described: the document and anchor (``None``: here), and the
    module named there."""

    docname: str
    anchor: str
    module: str


def statements_of(setting: Setting) -> tuple[tuple[str, int], ...]:
    """The statements that make a setting, each as its file and line."""
    own = os.path.abspath(setting.file)
    return tuple((os.path.abspath(d.file) if d.file else own, d.line)
                 for d in setting.definitions) or ((own, setting.line),)


def make_entry(setting: Setting, anchor: str, module: str,
               index_entry: tuple[str, str, str, str, str | None] | None) -> Entry:
    statements = statements_of(setting)
    digest = hashlib.blake2b(repr(statements).encode(), digest_size=10).hexdigest()
    return Entry(setting.name, digest, statements, frozenset(f for f, _ in statements),
                 anchor, module, index_entry)


def module_name(file: str | Path, search_path: Sequence[Path] = ()) -> str:
    """The dotted name of the module *file* (``lms.envs.common``): from the directory
    above its top package; when that leaves the file's name alone (no ``__init__.py``),
    from the directory of *search_path* that gives the shortest name of a package's
    module."""
    path = Path(os.path.abspath(file))
    names = [_dotted(path, package_top(path))]
    if len(names[0].split(".")) < 2:
        names += sorted((n for n in (_dotted(path, Path(os.path.abspath(root)))
                                     for root in search_path) if n.count(".")),
                        key=lambda n: n.count("."))[:1]
    return names[-1] or path.stem


def _dotted(path: Path, root: Path) -> str:
    try:
        parts = path.relative_to(root).with_suffix("").parts
    except ValueError:
        return ""
    return ".".join(p for p in parts if p != "__init__")


class SiteDomain(DocumentsDomain):
    """The references of the project and their entries (data), and what was placed; the
    modules whose annotation blocks each document's references check; what the reads of
    this build share (on the instance, never pickled)."""

    name = "opsdocs-settings"
    label = "opsdocs settings"
    initial_data: ClassVar[dict[str, Any]] = {
        "references": {},  # docname -> [Reference]
        "placed": {},      # docname -> {anchor: Placed}, the compact entries
        "registered": {},  # ("setting", name) -> (docname, anchor) placed in std
        "indexed": {},     # docname -> the anchors whose index entries are in the index
        "checked": {},     # docname -> the modules its references read, real paths
        # docname -> the settings a reference of it lacks (a broken file seems to declare)
        "incomplete": {},
    }
    per_document = ("references", "checked", "incomplete")
    data_version = 3

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        #: what the references of this build share of their reading (the same modules)
        self.reads = SharedReads()

    @classmethod
    def of(cls, env: BuildEnvironment) -> SiteDomain:
        return cast("SiteDomain", env.get_domain(cls.name))

    @classmethod
    def reads_of(cls, env: BuildEnvironment) -> SharedReads | None:
        """The reads this build shares; none where only another concern is loaded (the
        config's ``sample-config`` reads settings without the settings' directives)."""
        try:
            return cls.of(env).reads
        except ExtensionError:
            return None

    @property
    def references(self) -> dict[str, list[Reference]]:
        return cast("dict[str, list[Reference]]", self.data["references"])

    def note_reference(self, docname: str, reference: Reference) -> None:
        self.references.setdefault(docname, []).append(reference)

    def note_incomplete(self, docname: str, names: Iterable[str]) -> None:
        """A reference of *docname* read a catalog that lacks the settings *names* (those
        its broken file seems to declare): the file's problem is warned, and references to
        these settings are no news."""
        self.data["incomplete"].setdefault(docname, set()).update(names)

    def unread(self, name: str) -> bool:
        """Whether *name* is a setting a reference could not read (:meth:`note_incomplete`)."""
        return any(name in names for names in self.data["incomplete"].values())

    def note_checked(self, docname: str, files: Sequence[str]) -> None:
        """A reference of *docname* read *files* and checked their annotation blocks."""
        checked = self.data["checked"].setdefault(docname, [])
        checked.extend(os.path.realpath(f) for f in files if os.path.realpath(f) not in checked)

    def checked(self) -> set[str]:
        """The modules whose annotation blocks a settings reference checks (real paths):
        the settings' checks own those blocks (the feature toggles reference's defer)."""
        return {file for files in self.data["checked"].values() for file in files}


# -- Placing, once every document is read ---------------------------------------------


def place(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the ``std:setting`` objects and the general index's entries of
    every reference; the documents whose compact entries changed, to be written again."""
    site = SiteDomain.of(env)
    references = [(docname, reference) for docname in sorted(site.references)
                  for reference in site.references[docname]]
    homes: dict[tuple[str, str], tuple[str, Entry]] = {}
    compact: list[tuple[str, Entry]] = []
    for docname, reference in references:
        for entry in reference.entries:
            key = (entry.name, entry.digest)
            if not entry.files & reference.own:
                # described where a reference names its module, else in the first
                compact.append((docname, entry))
            elif key in homes:  # the same module listed twice with an index
                logger.warning("duplicate setting description of %s, other instance in %s",
                               entry.name, homes[key][0], location=(docname, reference.line),
                               type="opsdocs", subtype="duplicate")
            else:
                homes[key] = (docname, entry)
    placed: dict[str, dict[str, Placed]] = {}
    for docname, entry in compact:
        key = (entry.name, entry.digest)
        home = homes.setdefault(key, (docname, entry))  # no home: the first is one
        if home[1] is not entry:
            placed.setdefault(docname, {})[entry.anchor] = Placed(
                home[0], home[1].anchor, home[1].module)
    _register(env, site, references, homes)
    _index(env, site, references, placed)
    changed = [d for d in {*placed, *site.data["placed"]}
               if placed.get(d) != site.data["placed"].get(d) and d in env.all_docs]
    site.data["placed"] = placed
    return changed


def _register(env: BuildEnvironment, site: SiteDomain,
              references: list[tuple[str, Reference]],
              homes: dict[tuple[str, str], tuple[str, Entry]]) -> None:
    """The ``std:setting`` objects: a name once, at the description whose statements the
    others' contain; a name described more than once, also by each module's name."""
    std = env.get_domain("std")
    objects: dict[tuple[str, str], tuple[str, str]] = std.objects  # type: ignore[attr-defined]
    for key, target in site.data["registered"].items():
        if objects.get(key) == target:
            del objects[key]
    registered: dict[tuple[str, str], tuple[str, str]] = {}
    by_name: dict[str, list[tuple[str, Entry]]] = {}
    for docname, entry in homes.values():
        by_name.setdefault(entry.name, []).append((docname, entry))
    for docname, reference in references:
        for entry in reference.entries:
            home = homes.get((entry.name, entry.digest))
            if home is None or home[1] is not entry:
                continue
            described = by_name[entry.name]
            names = [entry.name] if len(described) == 1 else [f"{entry.module}.{entry.name}"]
            if len(described) > 1 and _upstream(entry, described):
                names.append(entry.name)
            for name in names:
                key = ("setting", name)
                if key in objects or key in registered:
                    other = objects.get(key) or registered[key]
                    logger.warning("duplicate setting description of %s, other instance in "
                                   "%s", name, other[0], location=(docname, reference.line),
                                   type="opsdocs", subtype="duplicate")
                    continue
                registered[key] = (docname, entry.anchor)
    objects.update(registered)
    site.data["registered"] = registered


def _upstream(entry: Entry, described: list[tuple[str, Entry]]) -> bool:
    """Whether *entry* gets the plain name among several descriptions of it: its
    statements are part of every other's (the shared module's), or none's are and it is
    the first."""
    others = [e for _, e in described if e is not entry]
    if all(set(entry.statements) <= set(o.statements) for o in others):
        return True
    if any(all(set(d.statements) <= set(o.statements) for _, o in described if o is not d)
           for _, d in described):
        return False
    return described[0][1] is entry


def _index(env: BuildEnvironment, site: SiteDomain, references: list[tuple[str, Reference]],
           placed: dict[str, dict[str, Placed]]) -> None:
    """The general index: no entry for a setting described elsewhere."""
    index = env.get_domain("index").data.setdefault("entries", {})
    indexed: dict[str, list[str]] = {}
    for docname in {d for d, _ in references} | set(site.data["indexed"]):
        ours = [e for d, r in references if d == docname for e in r.entries
                if e.index_entry is not None]
        anchors = {e.anchor for e in ours} | set(site.data["indexed"].get(docname, ()))
        if docname not in index and not ours:
            continue
        kept = [e for e in index.get(docname, []) if e[2] not in anchors]
        kept += [e.index_entry for e in ours if e.anchor not in placed.get(docname, {})
                 and e.index_entry is not None]
        index[docname] = kept
        indexed[docname] = sorted(e.anchor for e in ours)
    site.data["indexed"] = indexed


# -- Writing ------------------------------------------------------------------------


def compact_entries(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: each entry described elsewhere becomes a row that links
    there; the search index keeps only the words of those described here."""
    placed: dict[str, Placed] = SiteDomain.of(app.env).data["placed"].get(docname, {})
    if not placed:
        return
    for listing in doctree.findall(settings_list):
        words: list[str] = []
        for entry in listing.findall(setting_entry):
            home = placed.get(entry["ids"][0]) if entry["ids"] else None
            if home is None:
                words += entry.get("doc_paragraphs", [])
                continue
            entry.children = []
            for name in ("doc_paragraphs", "index_entry"):
                entry.attributes.pop(name, None)
            entry["described_in"] = home.module
            entry["described_url"] = _uri(app, docname, home)
        for found in list(listing.findall(settings_words)):
            found.replace_self(settings_words("", nodes.Text("\n\n".join(words)))
                               if words else [])


def _uri(app: Sphinx, docname: str, home: Placed) -> str:
    if home.docname == docname:
        return f"#{home.anchor}"
    try:
        return f"{app.builder.get_relative_uri(docname, home.docname)}#{home.anchor}"
    except Exception:  # a builder without URIs (a single LaTeX file): the anchor alone
        return f"#{home.anchor}"


def setup_site(app: Sphinx) -> None:
    app.add_domain(SiteDomain)
    app.connect("env-updated", place)
    # before the other builders' tables are made of the entries
    app.connect("doctree-resolved", compact_entries, priority=400)
