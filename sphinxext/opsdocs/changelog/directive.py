"""Sphinx glue for the settings changelog: ``settings-changelog`` and "new in" notes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from opsdocs._sphinx import (
    METADATA,
    SETTING_NOTES_EVENT,
    DocumentsDomain,
    PathDirective,
    file_cache,
    module_search_path,
    resolve_path,
    warn_problem,
)
from opsdocs.changelog.cache import Changelog, ChangelogCache, read_changelog
from opsdocs.changelog.code_toggles import TogglesCache
from opsdocs.changelog.diff import history_notes
from opsdocs.changelog.git import Repository
from opsdocs.changelog.history import HistorySource, fingerprint
from opsdocs.changelog.locate import history_settings, settings_files
from opsdocs.changelog.model import ReleaseChanges, SettingChange, VersionNote
from opsdocs.changelog.notes import notes_rst, version_notes
from opsdocs.changelog.steps import (
    STEP_ADVICE,
    STEP_TITLES,
    STEPS,
    ReleaseStep,
    release_steps,
    upgrade_command,
)
from opsdocs.changelog.text import ROLES, Part, describe, describe_operating, details, summary
from opsdocs.errors import OpsdocsError
from opsdocs.settings.model import Setting
from opsdocs.untrusted import parse_rst

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils.nodes import Element
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

CACHE_FILE = "opsdocs-settings-history.pickle"
TOGGLES_CACHE_FILE = "opsdocs-toggles-history.pickle"


# -- Reading, once per content ----------------------------------------------------------


class HistoryDomain(DocumentsDomain):
    """Which documents show a settings history, and the tags and branches they saw.

    That is its ``data``, pickled with the environment for :func:`outdated`.  The
    instance also keeps, while the application runs, one git batch process per
    repository and the changelog cache of the build directory.
    """

    name = "opsdocs_history"
    label = "opsdocs settings history"
    initial_data: ClassVar[dict[str, Any]] = {"sources": {}}
    per_document = ("sources",)
    data_version = 1

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self.repositories: dict[str, Repository] = {}
        self.cache: ChangelogCache | None = None
        self.toggles: TogglesCache | None = None

    def toggles_cache(self) -> TogglesCache:
        """What the release notes read of code trees, kept beside the environment."""
        if self.toggles is None:
            self.toggles = TogglesCache(Path(self.env.doctreedir) / TOGGLES_CACHE_FILE)
        return self.toggles

    @classmethod
    def of(cls, env: BuildEnvironment) -> HistoryDomain:
        return cast("HistoryDomain", env.get_domain(cls.name))

    def note(self, docname: str, source: HistorySource, print_: str) -> None:
        self.data["sources"].setdefault(docname, {})[source] = print_

    def read(self, source: HistorySource) -> Changelog:
        """The changelog of *source*, through the cache kept beside the environment."""
        if self.cache is None:
            self.cache = ChangelogCache(Path(self.env.doctreedir) / CACHE_FILE)
        try:
            return read_changelog(source, self.cache, repositories=self.repositories)
        finally:
            self.cache.save()

    def close(self) -> None:
        for repository in self.repositories.values():
            repository.close()
        self.repositories.clear()


def load_changelog(
    directive: SphinxDirective, source: HistorySource
) -> tuple[ReleaseChanges, ...] | None:
    """The changelog of *source*, read once per content; its problems warned about.

    Records what the document depends on: the working tree files and snapshots (Sphinx
    dependencies) and the tags and branches (checked by :func:`outdated`).
    """
    env = directive.env
    print_ = fingerprint(source)
    domain = HistoryDomain.of(env)
    domain.note(env.docname, source, print_)
    files = settings_files(source.settings, source.search_path) if source.unreleased else []
    files += [path for _, path in source.operating] if source.unreleased else []
    if source.snapshots is not None:
        files += sorted(source.snapshots.glob("*.json"))
    for path in files:
        if path.is_file():  # Sphinx re-reads a page on every build for a missing one
            env.note_dependency(str(path))
    try:
        result = file_cache(env).get(("changelog", source, print_),
                                     lambda: domain.read(source), lambda _: files)
    except OpsdocsError as error:
        warn_problem(env, error.problem, directive.get_location())
        return None
    for problem in result.problems:
        warn_problem(env, problem, directive.get_location())
    for release in (*(e.release for e in result.entries), *filter(None, (result.base,))):
        operating = release.operations.problems if release.operations else ()
        for problem in (*release.problems, *operating):
            # at its line, else at the directive, naming the file
            warn_problem(env, problem, directive.get_location(), name_file=True)
    return result.entries


def config_source(env: BuildEnvironment, settings: Path, **overrides: Any) -> HistorySource:
    """The history source the configuration names for the settings *settings*: star
    imports found on the search path ``settings-reference`` reads modules with."""
    snapshots = env.config.opsdocs_changelog_snapshots
    source = HistorySource(
        settings=settings, tags=env.config.opsdocs_changelog_tags,
        snapshots=Path(snapshots) if snapshots else None,  # made absolute at config-inited
        sentinels=tuple(env.config.opsdocs_required_sentinels),
        search_path=tuple(module_search_path(env)),
    )
    return replace(source, **overrides)


# -- The directive ----------------------------------------------------------------------


class SettingsChangelog(PathDirective):
    """``.. settings-changelog:: PATH``: a section per release, newest first."""

    option_spec: ClassVar[dict[str, Any]] = {
        "tags": directives.unchanged_required,
        "releases": directives.unchanged_required,
        "since": directives.unchanged_required,
        "snapshots": directives.path,
        "no-unreleased": directives.flag,
        "commands": directives.path,
        "dockerfile": directives.path,
    }

    def run(self) -> list[nodes.Node]:
        entries = self.entries()
        if entries is None:
            return []
        if not entries:
            return [nodes.paragraph("", "No releases to show.")]
        return [self.section(entry) for entry in entries]

    def entries(self) -> tuple[ReleaseChanges, ...] | None:
        """The changelog the arguments and options name; ``None`` when it cannot be read."""
        return load_changelog(self, self.source())

    def source(self) -> HistorySource:
        """Where the history comes from, as the arguments, options and configuration say:
        a settings package, a module file, or a dotted module path (as
        ``settings-reference`` finds it)."""
        settings = history_settings(resolve_path(self.env, self.arguments[0]),
                                    self.arguments[0], module_search_path(self.env))
        overrides: dict[str, Any] = {
            "refs": tuple(self.options.get("releases", "").replace(",", " ").split()),
            "since": self.options.get("since"),
            "unreleased": "no-unreleased" not in self.options,
        }
        if "tags" in self.options:
            overrides["tags"] = self.options["tags"]
        for option in ("snapshots", "commands", "dockerfile"):
            if option in self.options:
                overrides[option] = resolve_path(self.env, self.options[option])
        return config_source(self.env, settings, **overrides)

    def section(self, entry: ReleaseChanges) -> nodes.section:
        title = entry.name
        section_id = make_id(self.env, self.state.document, "settings-changelog", title)
        section = nodes.section("", nodes.title(title, title), ids=[section_id],
                                classes=["opsdocs-changelog-release"])
        text = summary(entry)
        if text:
            section += nodes.paragraph(text, text)
        if entry.changes:
            items = nodes.bullet_list(classes=["opsdocs-changelog"])
            items.extend(self.change_item(change) for change in entry.changes)
            section += items
        if entry.operating:
            section += nodes.paragraph("", "Operations:", classes=["opsdocs-changelog-heading"])
            section += nodes.bullet_list("", *(
                nodes.list_item("", self.sentence(describe_operating(change)),
                                classes=[f"opsdocs-change-{change.kind}"])
                for change in entry.operating), classes=["opsdocs-changelog-operations"])
        return section

    def change_item(self, change: SettingChange) -> nodes.list_item:
        """A change's sentence, with the keys or items of its default that changed under it."""
        item = nodes.list_item("", self.sentence(describe(change)),
                               classes=[f"opsdocs-change-{change.kind}"])
        lines = details(change)
        if lines:
            item += nodes.bullet_list("", *(nodes.list_item("", self.sentence(line))
                                           for line in lines))
        return item

    def sentence(self, parts: list[Part]) -> nodes.paragraph:
        return sentence_node(parts, self.inline)

    def inline(self, text: str) -> list[nodes.Node]:
        parsed, messages = self.state.inline_text(text, self.lineno)
        return [*parsed, *messages]


class UpgradeGuide(SettingsChangelog):
    """``.. upgrade-guide:: PATH``: for each release, what an operator must do, in order.

    The same history and options as ``settings-changelog``; a section per release that
    asks something, newest first, its steps in :data:`~opsdocs.changelog.steps.STEPS`
    order, each with the changelog's sentences.
    """

    def run(self) -> list[nodes.Node]:
        entries = self.entries()
        if entries is None:
            return []
        releases = release_steps(entries)
        if not releases:
            return [nodes.paragraph("", "No release asks anything of operators.")]
        return [self.guide(release) for release in releases]

    def guide(self, release: ReleaseStep) -> nodes.section:
        name = "the next release (unreleased)" if release.unreleased else release.release
        title = f"Upgrading to {name}"
        section = nodes.section("", nodes.title(title, title), ids=[make_id(
            self.env, self.state.document, "upgrade", release.release)],
            classes=["opsdocs-upgrade-release"])
        lead = (f"From {release.previous}, in this order:" if release.previous
                else "In this order:")
        section += nodes.paragraph(lead, lead)
        steps = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        for step in STEPS:
            items = nodes.bullet_list("", *(
                [nodes.list_item("", self.sentence(describe_operating(c)))
                 for c in release.operations] if step == "operations" else
                [self.change_item(c) for c in release.steps.get(step, ())]))
            if not items.children:
                continue
            advice, _ = self.state.inline_text(f": {STEP_ADVICE[step]}", self.lineno)
            head = nodes.paragraph("", "", nodes.strong(STEP_TITLES[step], STEP_TITLES[step]),
                                   *advice)
            steps += nodes.list_item("", head, items, classes=[f"opsdocs-upgrade-{step}"])
        section += steps
        if release.previous and not release.unreleased:
            command = upgrade_command(self.source(), release.previous, release.release,
                                      Path(self.env.srcdir).parent)
            section += nodes.paragraph("", "", nodes.Text(
                "What this release means for one config file, at its lines (run at the top "
                "of the repository): "), nodes.literal(command, command), nodes.Text("."))
        return section


#: The role of each part that links (the release notes' toggles too).
_XREF_ROLES = {**ROLES, "toggle": "toggle"}


def sentence_node(parts: Sequence[Part],
                  inline: Callable[[str], list[nodes.Node]]) -> nodes.paragraph:
    """A change's sentence: a ``prose`` part is the docs' reStructuredText (*inline* parses
    it), a ``plain`` one text as written, the others :func:`part_node`'s."""
    para = nodes.paragraph()
    for kind, text in parts:
        if kind == "prose":
            parsed = inline(text)
            for node in parsed:  # the docs' own :setting: links: plain when nothing documents it
                for xref in node.findall(addnodes.pending_xref):
                    if xref.get("refdomain") == "std" and xref["reftype"] in _XREF_ROLES.values():
                        xref["opsdocs_changelog"] = True
            para.extend(parsed)
        elif kind == "plain":
            para += nodes.Text(text)
        else:
            para += part_node((kind, text))
    return para


def part_node(part: Part) -> nodes.Node:
    """A piece of a change's sentence: settings, commands and toggles that exist link to
    their reference."""
    kind, text = part
    if kind == "text":
        return nodes.Text(text)
    role = _XREF_ROLES.get(kind)
    literal = nodes.literal(text, text, classes=["xref", "std", f"std-{role}"] if role else [])
    if role is None:
        return literal
    xref = addnodes.pending_xref("", literal, refdomain="std", reftype=role,
                                 reftarget=text, refexplicit=False, refwarn=False)
    xref["opsdocs_changelog"] = True
    return xref


def _unlinked_setting(app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref,
                      contnode: Element) -> nodes.Node | None:
    """A changelog's setting or command without a reference stays plain text, without a
    warning."""
    if node.get("opsdocs_changelog"):
        return contnode
    return None


# -- "New in" and "changed in" for the settings reference -------------------------------


def setting_notes(app: Sphinx, directive: SphinxDirective,
                  settings: Path) -> Callable[[Setting], list[nodes.Node]] | None:
    """The notes a ``settings-reference`` of *settings* shows, when ``opsdocs_history_notes``.

    Connected to :data:`~opsdocs._sphinx.SETTING_NOTES_EVENT`, which the reference emits;
    the reference then shows these notes in place of the doc's own version directives
    (:func:`~opsdocs.changelog.notes.version_notes` merges them).
    """
    if not directive.config.opsdocs_history_notes:
        return None
    source = config_source(directive.env, settings, unreleased=False)  # no version yet
    entries = load_changelog(directive, source) or ()
    notes = history_notes(entries)
    releases = [entry.name for entry in entries]
    return lambda setting: note_nodes(directive, version_notes(
        setting, notes.get(setting.name), releases), setting)


def note_nodes(directive: SphinxDirective, notes: list[VersionNote],
               setting: Setting) -> list[nodes.Node]:
    """Sphinx's version notes, located at the setting's doc."""
    if not notes:
        return []
    line = setting.doc_line or setting.line
    return parse_rst(directive, notes_rst(notes), setting.file, line)


# -- Rebuilds ---------------------------------------------------------------------------


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
             removed: set[str]) -> list[str]:
    """Documents whose history moved on: a new tag, a moved branch, a new snapshot."""
    domain = HistoryDomain.of(env)
    current: dict[HistorySource, str] = {}
    stale = []
    for docname, sources in domain.data["sources"].items():
        for source, seen in sources.items():
            if source not in current:
                current[source] = fingerprint(source)
            if current[source] != seen:
                stale.append(docname)
                break
    return stale


def _close(app: Sphinx, exception: Exception | None) -> None:
    HistoryDomain.of(app.env).close()


def _resolve_snapshots(app: Sphinx, config: Any) -> None:
    """``opsdocs_changelog_snapshots`` is relative to the configuration directory."""
    if config.opsdocs_changelog_snapshots:
        config.opsdocs_changelog_snapshots = str(Path(app.confdir,
                                                      config.opsdocs_changelog_snapshots))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("opsdocs._sphinx")
    app.add_config_value("opsdocs_changelog_tags", "v*", "env", types=[str])
    app.add_config_value("opsdocs_changelog_snapshots", "", "env", types=[str])
    app.add_config_value("opsdocs_history_notes", False, "env", types=[bool])
    app.add_domain(HistoryDomain)
    app.add_directive("settings-changelog", SettingsChangelog)
    app.add_directive("upgrade-guide", UpgradeGuide)
    app.connect("config-inited", _resolve_snapshots)
    app.connect("build-finished", _close)
    app.connect("missing-reference", _unlinked_setting)
    app.connect("env-get-outdated", outdated)
    app.connect(SETTING_NOTES_EVENT, setting_notes)
    return dict(METADATA)
