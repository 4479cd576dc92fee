"""The settings changelog: what changed in settings between two catalogs, release by release.

Pure functions over :class:`~opsdocs.settings.model.SettingsCatalog` into the changelog's
model (:mod:`opsdocs.changelog.model`); reading releases from git or snapshots is
:mod:`opsdocs.changelog.history`, and the words of each change are
:mod:`opsdocs.changelog.text`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from opsdocs.changelog.model import (
    HistoryNote,
    Release,
    ReleaseChanges,
    SettingChange,
    VersionNote,
)
from opsdocs.changelog.operating import diff_operations, known_operations
from opsdocs.changelog.renames import Rename, find_renames
from opsdocs.changelog.values import (
    ValueChange,
    default_text,
    literal_entries,
    normal_code,
    value_changes,
)
from opsdocs.code_text import expression, key_path
from opsdocs.settings.doc_metadata import version_directives, without_version_directives
from opsdocs.settings.effective import UNKNOWN
from opsdocs.settings.literals import catalog_value, reads_name, same_value
from opsdocs.settings.model import Setting, SettingsCatalog
from opsdocs.settings.secrets import SECRET_NAME

#: Kinds of change, in the order a release's changes are listed.
KINDS = ("added", "removed", "renamed", "flattened", "moved", "default", "derived", "type",
         "deprecated", "undeprecated", "doc")
#: Kinds that count as "changed in" for the settings reference.
CHANGING_KINDS = frozenset({"moved", "default", "derived", "type"})
#: The catalogs of the release before and the release after.
Catalogs = tuple[SettingsCatalog, SettingsCatalog]


def doc_notes(doc: str) -> list[VersionNote]:
    """The version directives a doc holds, with their text."""
    return [VersionNote(d.kind, d.version, d.text) for d in version_directives(doc)]


# -- Diffing two catalogs ---------------------------------------------------------------


def diff_catalogs(old: SettingsCatalog, new: SettingsCatalog) -> tuple[SettingChange, ...]:
    """Every change from *old* to *new*, by kind (see :data:`KINDS`), then by name."""
    before, after = _by_name(old.settings), _by_name(new.settings)
    found = find_renames(before, after)
    changes: list[SettingChange] = []
    for name, setting in after.items():
        if name not in before and name not in found.new_names and not _still_a_key(
                setting, before):
            changes.append(SettingChange(
                "added", setting.name, required=setting.required, secret=setting.secret,
                default=None if setting.secret else default_text(setting),
                new_display=None if setting.secret else setting.default_display,
                computed=setting.computed))
    for name, setting in before.items():
        if name not in after and name not in found.old_names and not _still_a_key(
                setting, after):
            changes.append(SettingChange("removed", setting.name, required=setting.required))
    changes.extend(SettingChange("removed", name) for name, _ in found.dropped_keys)
    changes.extend(_renamed(rename, before, (old, new)) for rename in found.renames)
    for name, now in after.items():
        earlier = before.get(name)
        if earlier is None or _facts(earlier) == _facts(now):
            continue
        if name in found.flattened:
            changes.append(SettingChange("flattened", name, required=now.required,
                                         new=default_text(now), computed=now.computed))
            continue
        changes.extend(setting_changes(earlier, now, (old, new)))
    changes = _without_documented_keys(changes, _entry_keys(before.values()),
                                       _entry_keys(after.values()))
    order = {kind: index for index, kind in enumerate(KINDS)}
    return tuple(sorted(changes, key=lambda c: (order[c.kind], c.name)))


def _renamed(rename: Rename, before: Mapping[str, Setting], catalogs: Catalogs
             ) -> SettingChange:
    """A rename's change, with its default before and now when they differ."""
    now = rename.new
    secret = now.secret or _secret_key(rename.old_name) or (
        before[rename.old_name].secret if rename.old_name in before else False)
    old, new = rename.old_default, default_text(now)
    changed = (not secret and not now.required and old is not None and now.name not in before
               and not same_default(old, new, catalogs))  # an alias of a setting: that one's changes count
    return SettingChange("renamed", now.name, old if changed else None, new if changed else None,
                         old_name=rename.old_name, required=now.required, secret=secret,
                         evidence=rename.evidence, computed=now.computed)


def _secret_key(name: str) -> bool:
    return SECRET_NAME.search(name) is not None


def _still_a_key(setting: Setting, other: Mapping[str, Setting]) -> bool:
    """Whether *setting*, a dict key documented on its own, is still (or already) a key of
    its dict in the *other* catalog, undocumented there: no setting came or went."""
    parent = other.get(setting.parent or "")
    keys = setting.entry_keys
    if parent is None or not keys:
        return False
    if len(keys) == 1:
        return keys[0] in parent.keys
    entries: object = literal_entries(default_text(parent))
    for key in keys[:-1]:
        if not isinstance(entries, dict) or key not in entries:
            return False
        entries = literal_entries(entries[key])
    return isinstance(entries, dict) and keys[-1] in entries


def diff_releases(old: Release, new: Release) -> tuple[SettingChange, ...]:
    """:func:`diff_catalogs` of two releases; a missing settings package counts as empty."""
    empty = SettingsCatalog("")
    return diff_catalogs(old.catalog or empty, new.catalog or empty)


def setting_changes(old: Setting, new: Setting, catalogs: Catalogs | None = None
                    ) -> Iterator[SettingChange]:
    """The changes to one setting present in both releases (*catalogs*: theirs, which
    the names a default reads are looked up in)."""
    secret = old.secret or new.secret

    def change(kind: str, before: str | None = None, after: str | None = None,
               default: str | None = None, **details: Any) -> SettingChange:
        return SettingChange(kind, new.name, before, after, required=new.required,
                             secret=secret, default=default, computed=new.computed, **details)

    if old.required != new.required:
        yield change("moved", _file(old), _file(new), None if secret else default_text(new),
                     new_display=None if secret else new.default_display)
    elif _extends(new, old, catalogs):
        pass  # H = (*H, *E) over the same H: what it extends did not change
    elif not new.required and new.computed != old.computed:
        yield (change("derived", None, "yes" if new.computed else "no") if secret
               else change("derived", default_text(old), default_text(new)))
    elif not new.required and not same_default(default_text(old), default_text(new), catalogs):
        yield (change("default") if secret else change(
            "default", default_text(old), default_text(new), old_display=old.default_display,
            new_display=new.default_display,
            parts=value_changes(default_text(old), default_text(new))))
    if not same_code(old.annotation, new.annotation):
        yield change("type", old.annotation, new.annotation)
    if new.deprecated and not old.deprecated:
        yield change("deprecated", None, new.deprecated)
    elif old.deprecated and not new.deprecated:
        yield change("undeprecated", old.deprecated, None)
    if old.file != new.file:
        return  # its docs moved with it, often as the other module's annotation: no news
    if doc_body(old.doc) != doc_body(new.doc) or any(
            doc_body(a or "") != doc_body(b or "") for a, b in (
                (old.default_display, new.default_display), (old.example, new.example))):
        yield change("doc", None, None if doc_body(old.doc) else "documented")


def _extends(new: Setting, old: Setting, catalogs: Catalogs | None) -> bool:
    """Whether *new* is computed from its own earlier value (``H = (*H, *E)``, which
    cannot be folded), that earlier value is still *old*'s default, and what it adds is
    empty by default (``E``, a setting whose default is ``()``): no change to tell."""
    main = new.main
    tree = expression(main.value) if main is not None and main.value else None
    if not new.computed or old.computed or main is None or tree is None or \
            not reads_name(tree, new.name) or catalogs is None:
        return False
    parts = _joined_parts(tree)
    extras = [catalogs[1].get(part.id) if isinstance(part, ast.Name) else None
              for part in parts if not (isinstance(part, ast.Name) and part.id == new.name)]
    if not parts or not all(
            extra is not None and catalog_value(default_text(extra) or "", catalogs[1])
            in ((), [], {}, set()) for extra in extras):
        return False
    before = [d for d in new.definitions[:new.definitions.index(main)]
              if d.binds and d.condition is None]
    return bool(before) and same_code(before[-1].value, default_text(old))


def _joined_parts(node: ast.expr) -> list[ast.expr]:
    """What *node* joins (``(*H, *E)``, ``H + E``), each unstarred; none when it is not a
    join of names."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _joined_parts(node.left), _joined_parts(node.right)
        return [*left, *right] if left and right else []
    if isinstance(node, (ast.Tuple, ast.List)):
        parts = [e.value if isinstance(e, ast.Starred) else e for e in node.elts]
        return parts if all(isinstance(e, ast.Starred) for e in node.elts) else []
    return [node] if isinstance(node, ast.Name) else []


def same_default(old: str | None, new: str | None, catalogs: Catalogs | None) -> bool:
    """Whether two defaults are the same: as code (:func:`same_code`), or as values where
    both are known in their catalogs (``60 * 5`` and ``DEFAULT``, declared ``300``)."""
    if same_code(old, new):
        return True
    if old is None or new is None or catalogs is None:
        return False
    known = catalog_value(old, catalogs[0]), catalog_value(new, catalogs[1])
    return UNKNOWN not in known and same_value(*known)


def same_code(old: str | None, new: str | None) -> bool:
    """Whether two Python expressions are the same but for layout (``5*1`` is ``5 * 1``)."""
    if old == new:
        return True
    if old is None or new is None:
        return False
    return normal_code(old) == normal_code(new)


def doc_body(doc: str) -> str:
    """A doc without version directives and with whitespace collapsed, for comparing."""
    return " ".join(without_version_directives(doc).split())


EntryKeys = dict[str, set[tuple[object, ...]]]


def _entry_keys(settings: Iterable[Setting]) -> EntryKeys:
    """For each dict setting, the keys documented as entries of their own (as key paths:
    ``FEATURES['ENABLE_X']`` is ``('ENABLE_X',)`` of ``FEATURES``)."""
    found: EntryKeys = {}
    for setting in settings:
        if setting.parent and setting.entry_keys:
            found.setdefault(setting.parent, set()).add(setting.entry_keys)
    return found


def _without_documented_keys(changes: list[SettingChange], before: EntryKeys,
                             after: EntryKeys) -> list[SettingChange]:
    """*changes* where a dict's changed keys leave out those reported under their own entry:
    a key documented in both releases (and what is inside it), a key added that is
    documented now, one removed that was.  A dict default whose every changed key is
    reported so is no change of its own."""
    kept: list[SettingChange] = []
    for change in changes:
        old, new = before.get(change.name, set()), after.get(change.name, set())
        if change.kind != "default" or not change.parts or not (old or new):
            kept.append(change)
            continue
        parts = tuple(part for part in change.parts if not _reported_as_entry(part, old, new))
        if parts:
            kept.append(replace(change, parts=parts))
    return kept


def _reported_as_entry(part: ValueChange, old: set[tuple[object, ...]],
                       new: set[tuple[object, ...]]) -> bool:
    keys = key_path(part.path) if part.path else None
    if keys is None:
        return False
    if (part.kind == "key-added" and keys in new) or (part.kind == "key-removed" and keys in old):
        return True
    return any(keys[:length] in old and keys[:length] in new for length in range(1, len(keys) + 1))


def _facts(setting: Setting) -> tuple[Any, ...]:
    """What a changelog compares; equal facts, no change (the common case, made cheap)."""
    return (setting.required, setting.value, setting.effective_value, setting.default_display,
            setting.example, setting.annotation, setting.doc, setting.deprecated, setting.secret,
            setting.computed)


def _by_name(settings: Iterable[Setting]) -> dict[str, Setting]:
    found: dict[str, Setting] = {}
    for setting in settings:
        found.setdefault(setting.name, setting)  # required.py wins, as in the catalog
    return found


def _file(setting: Setting) -> str:
    return "required.py" if setting.required else "defaults.py"


# -- A history of releases --------------------------------------------------------------


#: What a cache knows in place of the catalogs: the changes between two releases, by their
#: keys; the setting names of a release, by its key.
KnownChanges = Mapping[tuple[Any, Any], tuple[SettingChange, ...]]
KnownNames = Mapping[Any, tuple[str, ...]]


def changelog(releases: Sequence[Release], base: Release | None = None, *,
              changes: KnownChanges | None = None, names: KnownNames | None = None,
              ) -> tuple[ReleaseChanges, ...]:
    """The changelog of *releases* (oldest first), newest first.

    *base* is the release before the first one, compared against but not shown.  An
    unreadable release is reported and skipped over: the next one is compared with the
    last readable one.  The working tree (``unreleased``) appears only if it changed.
    *changes* (of each pair :func:`comparisons` gives) and *names* stand in for the
    catalogs when a cache has them.
    """
    operations = base.operations if base is not None else None
    entries: list[ReleaseChanges] = []
    for release, previous in _walk(releases, base):
        entry = _entry(release, previous, changes, names)
        if release.operations is not None:
            entry = replace(entry, operating=diff_operations(operations, release.operations))
            operations = known_operations(operations, release.operations)
        if (release.unreleased and entry.status == "changes" and not entry.changes
                and not entry.operating):
            continue
        entries.append(entry)
    return tuple(reversed(entries))


def comparisons(releases: Sequence[Release],
                base: Release | None = None) -> list[tuple[Release, Release]]:
    """The pairs of releases (older, newer) whose changes :func:`changelog` lists."""
    return [(previous, release) for release, previous in _walk(releases, base)
            if not release.problems and release.catalog is not None
            and previous is not None and previous.catalog is not None]


def _walk(releases: Sequence[Release],
          base: Release | None) -> Iterator[tuple[Release, Release | None]]:
    """Each release with the one it is compared with: the last readable one before it."""
    previous = base if base is not None and not base.problems else None
    for release in releases:
        yield release, previous
        if not release.problems:
            previous = release


def _entry(release: Release, previous: Release | None, changes: KnownChanges | None,
           names: KnownNames | None) -> ReleaseChanges:
    if release.problems:
        return ReleaseChanges(release, "unreadable")
    before = previous.catalog if previous is not None else None
    if release.catalog is None:
        return ReleaseChanges(release, "absent" if before is None else "dropped",
                              previous.name if previous else None)
    if before is None or previous is None:  # the oldest one, or the package is new here
        found = setting_names(release.catalog) if names is None else names[release.key]
        return ReleaseChanges(release, "first", previous.name if previous else None,
                              count=len(found), settings=found)
    return ReleaseChanges(release, "changes", previous.name, diff_releases(previous, release)
                          if changes is None else changes[(previous.key, release.key)])


def setting_names(catalog: SettingsCatalog) -> tuple[str, ...]:
    """The names of a catalog's settings, each once, in order."""
    return tuple(_by_name(catalog.settings))


def history_notes(entries: Sequence[ReleaseChanges]) -> dict[str, HistoryNote]:
    """"New in" and "changed in" for each setting, from :func:`changelog`'s entries.

    Settings of the oldest release shown have no "new in": they may be older.  Unreleased
    changes give no note: they have no version yet.
    """
    notes: dict[str, HistoryNote] = {}
    for entry in reversed(entries):  # oldest first
        if entry.release.unreleased:
            continue
        if entry.status == "first" and entry.previous:
            for name in entry.settings:
                notes[name] = HistoryNote(added_in=entry.name)
        if entry.status != "changes":
            continue
        for change in entry.changes:
            note = notes.get(change.name, HistoryNote())
            if change.kind == "added":
                notes[change.name] = HistoryNote(added_in=entry.name)
            elif change.kind == "removed":
                notes.pop(change.name, None)
            elif change.kind == "renamed":
                old = notes.pop(change.old_name or "", HistoryNote())
                old = notes.get(change.name, old)  # an alias merged into its setting
                notes[change.name] = HistoryNote(old.added_in,
                                                 _with(old.changes, entry.name, change))
            elif change.kind in CHANGING_KINDS:
                notes[change.name] = HistoryNote(note.added_in,
                                                 _with(note.changes, entry.name, change))
    return notes


def _with(changes: tuple[tuple[str, tuple[SettingChange, ...]], ...], release: str,
          change: SettingChange) -> tuple[tuple[str, tuple[SettingChange, ...]], ...]:
    """*changes* with *change* added to its release's."""
    if changes and changes[-1][0] == release:
        return (*changes[:-1], (release, (*changes[-1][1], change)))
    return (*changes, (release, (change,)))
