"""Sphinx glue for release notes: ``.. release-notes:: OLD NEW``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from opsdocs._sphinx import module_search_path, resolve_path, warn_problem
from opsdocs.changelog.directive import HistoryDomain, sentence_node
from opsdocs.changelog.history import HistorySource, fingerprint
from opsdocs.changelog.locate import history_settings, settings_files
from opsdocs.changelog.release_notes import (
    Group,
    ReleaseNotes,
    Service,
    release_day,
    release_notes,
)
from opsdocs.changelog.release_notes_text import count_lines, lead_sentence, lines, service_names
from opsdocs.changelog.text import Part
from opsdocs.changelog.toggle_changes import ToggleFacts, read_toggles_file
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.toggles.directive import TogglesDomain


class ReleaseNotesDirective(SphinxDirective):
    """``.. release-notes:: OLD NEW``: the "Settings and toggles" notes of the services the
    content names (``LMS: ../lms/envs/common.py``); ``LMS toggles: ../lms ../openedx``
    reads the toggles of the service's code trees at both releases, ``LMS toggles:
    OLD.json NEW.json`` takes them as ``opsdocs toggles --format json`` wrote them."""

    required_arguments = 2
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"date": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        services, problems = self.services()
        for problem in problems:
            warn_problem(self.env, problem, self.get_location())
        if not services:
            return []
        old, new = self.releases
        for spec in (old, new):
            if spec.endswith(".json"):
                self.env.note_dependency(spec)
        domain = HistoryDomain.of(self.env)
        toggles = TogglesDomain.of(self.env)
        cache = domain.toggles_cache()
        cache.disk = toggles.facts()  # the files a toggles page read
        try:
            notes = release_notes(old, new, services, self.day(services[0].settings), cache,
                                  domain.repositories, module_search_path(self.env))
        finally:
            cache.save()
        for problem in notes.problems:
            warn_problem(self.env, problem, self.get_location())
        for file in notes.files:
            self.env.note_dependency(file)
        toggles.note(self.env.docname, None, notes.folders)
        body: list[nodes.Node] = [
            nodes.paragraph("", "", *self.inline(lead_sentence(notes, "rst"))),
            nodes.bullet_list("", *(nodes.list_item("", nodes.paragraph(line, line))
                                    for line in count_lines(notes)),
                              classes=["opsdocs-release-notes-counts"])]
        if not any(group.settings or group.toggles for group in notes.groups):
            return [*body, nodes.paragraph("", "No changes to settings or toggles.")]
        return body + [self.group(group, notes) for group in notes.groups]

    @property
    def releases(self) -> tuple[str, str]:
        """*old* and *new*: git refs as written, snapshot files relative to the document."""
        old, new = (str(resolve_path(self.env, spec)) if spec.endswith(".json") else spec
                    for spec in self.arguments)
        return old, new

    def day(self, settings: Path) -> date | None:
        text = self.options.get("date")
        try:
            return release_day(self.releases[1], settings, text,
                               HistoryDomain.of(self.env).repositories)
        except ValueError:
            warn_problem(self.env, Problem(f"date: {text!r} is not a date: write YYYY-MM-DD",
                                           str(self.env.doc2path(self.env.docname)),
                                           self.lineno, "release-notes"), self.get_location())
            return None

    def services(self) -> tuple[list[Service], list[Problem]]:
        """The services the content names, each with its toggles; problems with the lines."""
        found: dict[str, Path] = {}
        toggles: dict[str, tuple[tuple[ToggleFacts, ...], tuple[ToggleFacts, ...]]] = {}
        trees: dict[str, tuple[Path, ...]] = {}
        problems: list[Problem] = []
        where = str(self.env.doc2path(self.env.docname))
        for offset, line in enumerate(self.content):
            if not line.strip():
                continue
            name, sep, value = line.partition(":")
            words = value.split()
            snapshots = [word for word in words if word.endswith(".json")]
            if name.endswith(" toggles") and sep and len(words) == 2 and len(snapshots) == 2:
                try:
                    toggles[name[:-8].strip()] = (self.toggles(words[0]), self.toggles(words[1]))
                except OpsdocsError as error:  # at its own line, else at this one
                    found_at = error.problem
                    problems.append(found_at if found_at.line else Problem(
                        f"{found_at.file}: {found_at.message}", where,
                        self.content_offset + offset + 1, found_at.check))
            elif name.endswith(" toggles") and sep and words and not snapshots:
                trees[name[:-8].strip()] = tuple(resolve_path(self.env, w) for w in words)
            elif sep and len(words) == 1 and name.strip():  # a path, or a dotted module path
                found[name.strip()] = history_settings(resolve_path(self.env, words[0]), words[0],
                                                       module_search_path(self.env))
            else:
                problems.append(Problem(
                    f"{line.strip()!r} is neither 'NAME: PATH' (a service and its settings), "
                    "'NAME toggles: TREE...' (its code trees) nor 'NAME toggles: OLD.json "
                    "NEW.json'", where, self.content_offset + offset + 1, "release-notes"))
        domain = HistoryDomain.of(self.env)
        search_path = tuple(module_search_path(self.env))
        for path in found.values():
            source = HistorySource(path, refs=self.releases, unreleased=False,
                                   search_path=search_path)
            domain.note(self.env.docname, source, fingerprint(source))
            for file in settings_files(path, search_path) if path.exists() else ():
                self.env.note_dependency(str(file))
        problems += [Problem(
            f"'{name} toggles' names no service: add a line '{name}: PATH' (its settings)",
            where, self.lineno, "release-notes") for name in (*toggles, *trees)
            if name not in found]
        return [Service(name, path, toggles.get(name), trees.get(name, ()))
                for name, path in found.items()], problems

    def toggles(self, text: str) -> tuple[ToggleFacts, ...]:
        path = resolve_path(self.env, text)
        self.env.note_dependency(str(path))
        return read_toggles_file(path)

    def inline(self, text: str) -> list[nodes.Node]:
        parsed, messages = self.state.inline_text(" ".join(text.split()), self.lineno)
        return [*parsed, *messages]

    def group(self, group: Group, notes: ReleaseNotes) -> nodes.section:
        title = service_names(group.services)
        section = nodes.section("", nodes.title(title, title), ids=[make_id(
            self.env, self.state.document, "release-notes", f"{notes.new} {title}")],
            classes=["opsdocs-release-notes"])
        for part, changes in (("Settings", group.settings), ("Toggles", group.toggles)):
            if not changes:
                continue
            sub = nodes.section("", nodes.title(part, part), ids=[make_id(
                self.env, self.state.document, "release-notes", f"{notes.new} {title} {part}")])
            items = nodes.bullet_list(classes=["opsdocs-changelog"])
            for line, nested in lines(changes, group):
                item = nodes.list_item("", self.sentence(line))
                if nested:
                    item += nodes.bullet_list("", *(nodes.list_item("", self.sentence(parts))
                                                    for parts in nested))
                items += item
            sub += items
            section += sub
        return section

    def sentence(self, parts: Sequence[Part]) -> nodes.paragraph:
        return sentence_node(parts, self.inline)

