"""A release's "Settings and toggles" notes: one or several services between two releases.

Each service (Open edX's LMS: ``lms/envs/common.py`` and what it star-imports) is diffed
as the changelog diffs it (:func:`~opsdocs.changelog.diff.diff_catalogs`: renames with
their evidence, values compared as values); its changes are split into settings and
toggles (a setting under a ``toggle_name`` block is a toggle, listed once, with the
toggles), and the toggles the code defines (:mod:`opsdocs.changelog.toggle_changes`) are
added.  Changes that several services share are listed once, under all of their names.
The words are :mod:`opsdocs.changelog.release_notes_text`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from opsdocs.changelog.code_toggles import TogglesCache, service_toggles
from opsdocs.changelog.diff import diff_catalogs
from opsdocs.changelog.git import Repository, shared_repository
from opsdocs.changelog.history import WORKTREE, read_release
from opsdocs.changelog.model import SettingChange
from opsdocs.changelog.toggle_changes import (
    TOGGLE_KINDS,
    ToggleChange,
    ToggleFacts,
    diff_toggles,
    past_due,
    settings_toggles,
    without_settings,
)
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.settings.doc_metadata import without_version_directives
from opsdocs.settings.model import Setting, SettingsCatalog
from opsdocs.toggles.model import SETTING_IMPLEMENTATIONS, setting_key

#: A line of the notes: a change to a setting, or to a toggle the code defines.
Change = SettingChange | ToggleChange


@dataclass(frozen=True)
class Service:
    """A service to write notes for: its name (``LMS``) and its settings (a module or a
    package); ``toggles``, the toggles its code defines at the old and the new release,
    or ``toggle_trees``, its code trees on disk, read at both
    (:mod:`opsdocs.changelog.code_toggles`)."""

    name: str
    settings: Path
    toggles: tuple[Sequence[ToggleFacts], Sequence[ToggleFacts]] | None = None
    toggle_trees: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Group:
    """Changes that the services ``services`` (one or more) all have, and only those:
    ``settings``, ``toggles`` (settings that are toggles, then the code's), and for each
    added name its description (first paragraph, as its doc is written: ``rst`` or
    ``text``)."""

    services: tuple[str, ...]
    settings: tuple[Change, ...] = ()
    toggles: tuple[Change, ...] = ()
    descriptions: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ReleaseNotes:
    """The notes from release ``old`` to ``new``: groups of changes, the services that
    have all of them first; ``counts`` per service and kind; problems met (a service that
    could not be read is left out, with its problem); the working tree's code files and
    folders read for toggles."""

    old: str
    new: str
    services: tuple[str, ...]
    groups: tuple[Group, ...] = ()
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    files: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceChanges:
    """One service's changes, each with its description when it is new."""

    service: str
    settings: tuple[Change, ...]
    toggles: tuple[Change, ...]
    descriptions: Mapping[Change, tuple[str, str]]


def service_changes(service: str, old: SettingsCatalog, new: SettingsCatalog,
                    code_toggles: tuple[Sequence[ToggleFacts], Sequence[ToggleFacts]] | None = None,
                    on: date | None = None) -> ServiceChanges:
    """*service*'s changes from catalog *old* to *new*, settings and toggles apart; *on*,
    the new release's day, adds the toggles past their target removal date.  With the
    code's toggles, a setting "added" that the code defined as a toggle before (or
    "removed" that it defines now) only moved into (or out of) the settings modules: no
    change for an operator, left out."""
    before = {s.name: s for s in old}
    after = {s.name: s for s in new}
    settings: list[Change] = []
    toggles: list[Change] = []
    descriptions: dict[Change, tuple[str, str]] = {}
    moved = _moved(code_toggles)
    for change in diff_catalogs(old, new):
        if change.kind in moved and setting_key(change.name) in moved[change.kind]:
            continue
        now = after.get(change.name)
        was = before.get(change.old_name or change.name)
        toggle = (now is not None and now.toggle) or (was is not None and was.toggle)
        (toggles if toggle else settings).append(change)
        if change.kind == "added" and now is not None and summary(now)[0]:
            descriptions[change] = summary(now)
    found: list[ToggleChange] = []
    if on is not None:
        found += past_due(settings_toggles(new), on)
    if code_toggles is not None:
        names = set(before) | set(after)
        old_code, new_code = (without_settings(t, names) for t in code_toggles)
        found += diff_toggles(old_code, new_code, on)
    for item in found:
        if item.kind == "added" and item.description:
            descriptions[item] = (item.description, "text")
    order = {kind: index for index, kind in enumerate(TOGGLE_KINDS)}
    found.sort(key=lambda c: (order[c.kind], c.name))
    return ServiceChanges(service, tuple(settings), (*toggles, *found), descriptions)


def _moved(code_toggles: tuple[Sequence[ToggleFacts], Sequence[ToggleFacts]] | None,
           ) -> dict[str, set[str]]:
    """The settings the code's toggles read at the old release (an ``added`` setting of
    those moved) and at the new one (a ``removed`` one)."""
    if code_toggles is None:
        return {}
    keys = [{setting_key(t.setting or t.name) for t in side
             if t.setting or t.implementation in SETTING_IMPLEMENTATIONS}
            for side in code_toggles]
    return {"added": keys[0], "removed": keys[1]}


def summary(setting: Setting) -> tuple[str, str]:
    """The first paragraph of *setting*'s doc (without version directives) and its markup."""
    text = without_version_directives(setting.doc).strip().split("\n\n", 1)[0]
    return " ".join(text.split()), setting.doc_markup


def group_changes(found: Sequence[ServiceChanges]) -> tuple[Group, ...]:
    """The services' changes in groups: each change once, under every service that has it,
    the groups of more services first, then in the services' order."""
    services = tuple(item.service for item in found)
    toggles = {change for item in found for change in item.toggles}  # a toggle anywhere
    owners: dict[tuple[str, Change, tuple[str, str] | None], list[str]] = {}
    for item in found:
        for whole in (*item.settings, *item.toggles):
            part = "toggles" if whole in toggles else "settings"
            for change in _each_part(whole):  # a dict's keys shared by some services only
                owners.setdefault((part, change, item.descriptions.get(whole)), []).append(
                    item.service)
    groups: dict[tuple[str, ...], dict[str, list[Change]]] = {}
    described: dict[tuple[str, ...], dict[str, tuple[str, str]]] = {}
    for (part, change, text), names in owners.items():
        key = tuple(dict.fromkeys(names))
        groups.setdefault(key, {"settings": [], "toggles": []})[part].append(change)
        if text is not None:
            described.setdefault(key, {})[change.name] = text
    order = sorted(groups, key=lambda k: (-len(k), [services.index(s) for s in k]))
    return tuple(Group(key, _joined(groups[key]["settings"]), _joined(groups[key]["toggles"]),
                       described.get(key, {})) for key in order)


def _each_part(change: Change) -> tuple[Change, ...]:
    """A change of a dict or list default as one change per key or item that changed (the
    whole values left out: they differ where the parts are the same)."""
    if not isinstance(change, SettingChange) or not change.parts:
        return (change,)
    return tuple(replace(change, parts=(part,), old=None, new=None) for part in change.parts)


def _joined(changes: Sequence[Change]) -> tuple[Change, ...]:
    """*changes* with the parts of one change, split by :func:`_each_part`, together again."""
    joined: list[Change] = []
    for change in changes:
        last = joined[-1] if joined else None
        if (isinstance(change, SettingChange) and isinstance(last, SettingChange)
                and change.parts and last.parts and replace(last, parts=()) == replace(
                    change, parts=())):
            joined[-1] = replace(last, parts=(*last.parts, *change.parts))
        else:
            joined.append(change)
    return tuple(joined)


def count(changes: ServiceChanges) -> dict[str, int]:
    """How many settings and toggles were added, removed and renamed in one service."""
    counts: dict[str, int] = {}
    for part, items in (("settings", changes.settings), ("toggles", changes.toggles)):
        for change in items:
            key = f"{part} {change.kind}"
            counts[key] = counts.get(key, 0) + 1
    return counts


def release_notes(old: str, new: str, services: Sequence[Service], on: date | None = None,
                  cache: TogglesCache | None = None,
                  repositories: dict[str, Repository] | None = None,
                  search_path: Sequence[Path] = ()) -> ReleaseNotes:
    """The notes from release *old* to *new* (git refs, ``WORKTREE``, snapshot files) of
    *services*; a service that cannot be read at one of them is left out, with a problem.
    *cache* keeps what the code trees' files say (several services share files);
    *repositories*, git batch processes kept open by the caller (else opened and closed
    here), one per service for both releases and its toggles.  A settings module's
    absolute star imports are found on *search_path* too
    (:class:`~opsdocs.changelog.history.HistorySource`)."""
    found: list[ServiceChanges] = []
    problems: list[Problem] = []
    files: dict[str, None] = {}
    folders: dict[str, None] = {}
    cache = cache if cache is not None else TogglesCache()
    shared: dict[str, Repository] = {} if repositories is None else repositories
    try:
        for service in services:
            try:
                catalogs = [_catalog(spec, service, shared, search_path) for spec in (old, new)]
            except OpsdocsError as error:
                problems.append(error.problem)
                continue
            toggles = service.toggles
            if service.toggle_trees:
                read = service_toggles(old, new, service.settings, service.toggle_trees, cache,
                                       shared, [catalog.files for catalog in catalogs])
                toggles = read.toggles
                problems += read.problems
                files.update(dict.fromkeys(read.files))
                folders.update(dict.fromkeys(read.folders))
            found.append(service_changes(service.name, catalogs[0], catalogs[1], toggles, on))
    finally:
        if repositories is None:
            for repository in shared.values():
                repository.close()
    return ReleaseNotes(old, new, tuple(s.service for s in found), group_changes(found),
                        {item.service: count(item) for item in found},
                        tuple(dict.fromkeys(problems)),  # a file two services read: once
                        tuple(files), tuple(folders))


def release_day(spec: str, settings: Path, given: str | None,
                repositories: dict[str, Repository] | None = None) -> date | None:
    """The day toggles' removal dates are compared with: *given* (``--date``), else the
    new release's commit date, else today; *repositories* as :func:`release_notes`'."""
    if given:
        return date.fromisoformat(given)
    if spec in (WORKTREE, ".") or spec.endswith(".json"):
        return date.today()
    try:
        if repositories is not None:
            return shared_repository(repositories, settings).commit_date(spec) or date.today()
        with Repository(settings) as repository:
            return repository.commit_date(spec) or date.today()
    except OpsdocsError:
        return date.today()


def _catalog(spec: str, service: Service, repositories: dict[str, Repository],
             search_path: Sequence[Path]) -> SettingsCatalog:
    try:
        release = read_release(spec, service.settings, repositories=repositories,
                               search_path=search_path)
    except OpsdocsError as error:
        problem = error.problem
        raise OpsdocsError(replace(problem, check="release-notes", message=(
            f"{service.name}: {problem.message}; its notes are left out"))) from None
    if release.problems:
        raise OpsdocsError(_about(release.problems[0], service, spec))
    if release.catalog is None:
        raise OpsdocsError(Problem(
            f"{service.name}: no settings at {spec} ({service.settings} is not there): its "
            "notes are left out; give the settings module it had then, or leave the service "
            "out", str(service.settings), check="release-notes"))
    return release.catalog


def _about(problem: Problem, service: Service, spec: str) -> Problem:
    return Problem(f"{service.name} at {spec}: {problem.message}; its notes are left out",
                   problem.file, problem.line, "release-notes", problem.path)
