"""The settings changelog's model: releases, their files, and what changed between them.

Frozen dataclasses, free of Sphinx and docutils.  Diffing catalogs into these is
:mod:`opsdocs.changelog.diff`; reading releases from git or snapshots is
:mod:`opsdocs.changelog.history`; the words of each change are :mod:`opsdocs.changelog.text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opsdocs.changelog.operating import OperationChange, Operations
from opsdocs.changelog.values import ValueChange
from opsdocs.errors import Problem
from opsdocs.settings.model import SettingsCatalog


@dataclass(frozen=True)
class SettingChange:
    """One change to one setting between two releases.

    ``old`` and ``new`` are what changed: default values (source text), annotations,
    the file (``required.py``/``defaults.py``) for ``moved``, the version for
    ``deprecated``.  ``default`` is the new default of an ``added`` or ``moved`` setting;
    values of secret settings are never kept.  A ``renamed`` change names the setting as
    it is now; ``old_name`` is what it was called.  ``old_display`` and ``new_display``
    are the defaults as the docs show them (``:default:``, reStructuredText), and
    ``parts`` the keys or items of a dict or list default that changed.  ``evidence`` says
    why a ``renamed`` setting is the same one (:data:`~opsdocs.changelog.renames.EVIDENCE`);
    a rename's ``old`` and ``new`` are its defaults, when they differ.  ``flattened`` is a
    dict setting whose keys became top-level settings.  ``computed``: the setting is
    computed from other settings at the new release (``derived``: it is now, or it is no
    longer; ``old`` and ``new`` are its defaults, ``"yes"``/``"no"`` for a secret one).
    """

    kind: str
    name: str
    old: str | None = None
    new: str | None = None
    old_name: str | None = None
    required: bool = False
    secret: bool = False
    default: str | None = None
    old_display: str | None = None
    new_display: str | None = None
    parts: tuple[ValueChange, ...] = ()
    evidence: str | None = None
    computed: bool = False


@dataclass(frozen=True)
class Release:
    """One point of a settings history: a tag, a ref, a snapshot or the working tree.

    ``catalog`` is ``None`` when there was no settings package there; ``problems`` say
    why the release could not be read (then it is skipped over when diffing).  ``key``
    identifies its content for caches (:mod:`opsdocs.changelog.cache`).  ``operations``
    are its operating concerns (commands, image), when they were read.  ``absent`` are
    the settings named (paths) that are not there.
    """

    name: str
    catalog: SettingsCatalog | None = None
    problems: tuple[Problem, ...] = ()
    unreleased: bool = False
    absent: tuple[str, ...] = ()
    key: Any = field(default=None, compare=False, repr=False)
    operations: Operations | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ReleaseChanges:
    """A release's section of the changelog.

    ``status`` is ``changes`` (``changes`` against ``previous``, maybe none), ``first``
    (the oldest release with settings: ``count`` of them, named in ``settings``;
    ``previous`` is set when the package did not exist there), ``absent`` (no settings
    package yet), ``dropped`` (the package is gone) or ``unreadable`` (see the release's
    problems).  ``operating`` holds the changes to its commands and image since the last
    release that said what they were.
    """

    release: Release
    status: str
    previous: str | None = None
    changes: tuple[SettingChange, ...] = ()
    count: int = 0
    settings: tuple[str, ...] = ()
    operating: tuple[OperationChange, ...] = ()

    @property
    def name(self) -> str:
        return self.release.name


@dataclass(frozen=True)
class HistoryNote:
    """Where a setting comes from: the release that added it, and each release that
    changed it with its changes, oldest first."""

    added_in: str | None = None
    changes: tuple[tuple[str, tuple[SettingChange, ...]], ...] = ()


@dataclass(frozen=True)
class VersionNote:
    """``versionadded``, ``versionchanged`` or ``deprecated`` at *version*, with a text
    (reStructuredText, maybe empty)."""

    kind: str
    version: str
    text: str = ""


# -- A release's files --------------------------------------------------------------------


@dataclass(frozen=True)
class FileRef:
    """A file of a release, known but not read: where it is, what it is, its content's id.

    ``kind`` is ``required.py`` or ``defaults.py`` (a settings package's files),
    ``module`` or ``init`` (a settings module and what it star-imports, the
    ``__init__.py`` files the imports went through), ``snapshot``, ``commands`` or
    ``dockerfile``.  ``id`` is the git blob id (a snapshot's: the SHA-1 of its bytes).
    """

    path: str
    kind: str
    id: str


@dataclass(frozen=True)
class Unreadable:
    """A file of a release that cannot be read: the problem saying why."""

    problem: Problem


@dataclass(frozen=True)
class FileData:
    """A file of a release, read."""

    ref: FileRef
    data: bytes = field(repr=False)


#: The files of a release, not read: equal files, equal content.
Files = tuple[FileRef | Unreadable, ...]
#: The same files, read.
Content = tuple[FileData | Unreadable, ...]
