"""Sphinx glue for the feature toggles reference: the directive, ``std:toggle`` objects and
the ``:toggle:`` role.

The reference's nodes are built by :mod:`opsdocs.toggles.page` and written by the settings
reference's writers (:mod:`opsdocs.settings.nodes`).  What was read from each file is kept
by the file's stamp on :class:`TogglesDomain` and in ``opsdocs-toggles.pickle`` beside the
environment, so a file that did not change is not read again, in this build or the next.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.domains import Domain
from sphinx.errors import ExtensionError
from sphinx.roles import XRefRole

from opsdocs._sphinx import (
    METADATA,
    DocumentsDomain,
    OpsdocsDomain,
    PathDirective,
    argument_words,
    module_search_path,
    resolve_path,
    warn_problem,
    warn_unknown,
)
from opsdocs.errors import Problem
from opsdocs.reading.tree import ScanOptions
from opsdocs.settings.site import SiteDomain
from opsdocs.settings.source_pages import linked_sources
from opsdocs.toggles.checks import no_toggles, settings_owned
from opsdocs.toggles.model import ToggleCatalog
from opsdocs.toggles.page import TogglesPage
from opsdocs.toggles.reader import FactsCache, ReadOptions, read_toggles

if TYPE_CHECKING:
    from sphinx import addnodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The file beside the environment that keeps what was read from each file.
CACHE_FILE = "opsdocs-toggles.pickle"


class TogglesDomain(DocumentsDomain):
    """What each document's toggles depend on besides files (its ``data``, pickled with
    the environment): the day past-due dates were counted from, and the folders walked
    with their modification times (a file added or removed changes its folder's; Sphinx
    takes only files as dependencies).  A document whose day or folders changed is read
    again.  Its ``deferred`` problems are those a settings reference may own
    (:func:`~opsdocs.toggles.checks.settings_owned`), warned once every document is read.
    On the instance, while the application runs: the facts of the files read, and the
    documents this build reads."""

    name = "opsdocs_toggles"
    label = "opsdocs feature toggles"
    initial_data: ClassVar[dict[str, Any]] = {"days": {}, "folders": {}, "deferred": {}}
    per_document = ("days", "folders", "deferred")
    data_version = 3

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self.cache: FactsCache | None = None
        self.reading: set[str] = set()

    @classmethod
    def of(cls, env: BuildEnvironment) -> TogglesDomain:
        return cast("TogglesDomain", env.get_domain(cls.name))

    def facts(self) -> FactsCache:
        if self.cache is None:
            self.cache = FactsCache(Path(self.env.doctreedir) / CACHE_FILE)
            self.cache.load()
        return self.cache

    def note(self, docname: str, day: date | None, folders: Iterable[str]) -> None:
        """What *docname* depends on: the *day* past-due dates count from (``None``: none),
        and *folders*."""
        if day is not None:
            self.data["days"][docname] = day.isoformat()
        # several directives of one document each add theirs
        self.data["folders"].setdefault(docname, {}).update(
            {folder: _mtime(folder) for folder in folders})

    def changed(self, docname: str, day: str) -> bool:
        """Whether *docname* counted another day, or one of its folders changed since."""
        return self.data["days"].get(docname, day) != day or any(
            _mtime(folder) != mtime for folder, mtime in self.data["folders"][docname].items())


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _patterns(argument: str) -> list[str]:
    return argument.replace(",", " ").split()


class FeatureToggles(PathDirective):
    """``.. feature-toggles:: TREES``: every toggle of the code trees, with a filter."""

    option_spec: ClassVar[dict[str, Any]] = {
        "include": directives.unchanged_required,
        "exclude": directives.unchanged_required,
        "tests": directives.flag,
        "no-index": directives.flag,
        "no-index-entry": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        today = configured_day(self.env)
        catalog = self.read(today)
        if catalog is None:
            return []
        if not catalog.toggles:
            if not catalog.problems:  # else those are the news
                warn_problem(self.env, no_toggles(self.arguments[0]), self.get_location())
            return []
        files = {t.file for t in catalog}
        links = linked_sources(self.env, files, Path(self.env.srcdir), catalog.secrets_of(files))
        page = TogglesPage(self, links, today, index="no-index" not in self.options,
                           index_entries="no-index-entry" not in self.options)
        result: list[nodes.Node] = [page.filter_form(catalog.toggles),
                                    page.listing(catalog.toggles)]
        if page.entries:
            result.insert(1, page.index_node())
        return result

    def read(self, today: date) -> ToggleCatalog | None:
        """The toggles of the trees named, their files and folders noted as dependencies,
        their problems warned about at their lines."""
        specs = argument_words(self.arguments[0])
        scan = ScanOptions(tuple(_patterns(self.options.get("include", ""))),
                           tuple(_patterns(self.options.get("exclude", ""))),
                           "tests" in self.options)
        search_path = module_search_path(self.env)
        domain = TogglesDomain.of(self.env)
        cache = domain.facts()
        try:
            catalog = read_toggles(specs, ReadOptions(scan, today), search_path=search_path,
                                   cache=cache, locate=partial(resolve_path, self.env))
        finally:
            cache.save()
        for path in catalog.files:
            self.env.note_dependency(path)
        domain.note(self.env.docname, today, catalog.folders)
        owned = settings_owned(catalog.toggles, catalog.problems)
        domain.data["deferred"][self.env.docname] = owned
        for problem in catalog.problems:
            if problem not in owned:
                warn_problem(self.env, problem, self.get_location(),
                             name_file=not problem.line)
        return catalog


def configured_day(env: BuildEnvironment) -> date:
    """The day past-due dates count from: ``opsdocs_toggles_today``, else today."""
    configured = env.config.opsdocs_toggles_today
    if configured:
        try:
            return date.fromisoformat(str(configured))
        except ValueError:
            conf = OpsdocsDomain.of(env).conf_file
            warn_problem(env, Problem(
                f"opsdocs_toggles_today {configured!r} is not a date: write YYYY-MM-DD; "
                "today is used", str(conf), None, "config"))
    return date.today()


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
             removed: set[str]) -> list[str]:
    """``env-get-outdated``: documents whose past-due dates were counted on another day, or
    whose folders have files added or removed."""
    today = configured_day(env).isoformat()
    domain = TogglesDomain.of(env)
    return [doc for doc in domain.data["folders"] if doc not in removed and
            domain.changed(doc, today)]


def note_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: the documents this build reads."""
    TogglesDomain.of(env).reading = set(docnames)


def warn_deferred(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the deferred problems of the documents read, but those in a module
    a settings reference of the site reads (it warned about them, its way)."""
    domain = TogglesDomain.of(env)
    try:
        checked = SiteDomain.of(env).checked()
    except ExtensionError:  # pragma: no cover - toggles' setup loads the settings concern
        checked = set()
    for docname in sorted(domain.reading & set(domain.data["deferred"])):
        for problem in domain.data["deferred"][docname]:
            if os.path.realpath(problem.file) not in checked:
                warn_problem(env, problem)
    domain.reading = set()
    return []


def warn_unknown_toggle(app: Sphinx, domain: Domain, node: addnodes.pending_xref) -> bool | None:
    """A ``:toggle:`` nothing resolved, warned about with the nearest name."""
    return warn_unknown(app, domain, node, "toggle", "feature toggle")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("opsdocs.settings")  # the entries' nodes, the filter, :setting:
    app.add_object_type("toggle", "toggle", indextemplate="pair: %s; feature toggle",
                        objname="feature toggle")
    app.add_role_to_domain("std", "toggle", XRefRole(warn_dangling=True), override=True)
    app.connect("warn-missing-reference", warn_unknown_toggle)
    app.add_domain(TogglesDomain)
    app.add_directive("feature-toggles", FeatureToggles)
    app.add_config_value("opsdocs_toggles_today", "", "env", types=[str])
    app.connect("env-get-outdated", outdated)
    app.connect("env-before-read-docs", note_reading)
    app.connect("env-updated", warn_deferred)
    return dict(METADATA)
