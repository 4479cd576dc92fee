"""What each release asks of an operator, step by step: the "Upgrading to" page's content.

A pure function over the changelog's entries (:func:`opsdocs.changelog.diff.changelog`);
what an upgrade means for one config file is :mod:`opsdocs.config.upgrade`'s.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opsdocs.changelog.history import HistorySource
from opsdocs.changelog.model import ReleaseChanges, SettingChange
from opsdocs.changelog.operating import OperationChange
from opsdocs.reading.files import repository_top

#: The parts of a release's upgrade, in the order an operator works through them.
STEPS = ("required", "renamed", "defaults", "operations")
STEP_TITLES = {
    "required": "Settings newly required",
    "renamed": "Settings renamed, removed or deprecated",
    "defaults": "Defaults and types changed",
    "operations": "Operations changes",
}
#: What an operator does at each step (inline reStructuredText).
STEP_ADVICE = {
    "required": "add them to the config file before deploying; the service refuses to "
                "start without them.",
    "renamed": "rename or remove these keys in the config file (``opsdocs upgrade --fix`` "
               "does it).",
    "defaults": "where the config file leaves one unset, the new value applies; set the "
                "old one to keep it, and check the values it sets against the new types.",
    "operations": "change how the image is built and the commands are run.",
}
_STEP_OF_KIND = {"added": "required", "moved": "required", "renamed": "renamed",
                 "removed": "renamed", "deprecated": "renamed", "default": "defaults",
                 "type": "defaults"}


@dataclass(frozen=True)
class ReleaseStep:
    """What one release asks of an operator: its setting changes by step (the first three
    of :data:`STEPS`), and ``operations``, the changes to its commands and image."""

    release: str
    previous: str | None
    steps: dict[str, tuple[SettingChange, ...]] = field(default_factory=dict)
    operations: tuple[OperationChange, ...] = ()
    unreleased: bool = False

    @property
    def empty(self) -> bool:
        return not any(self.steps.values()) and not self.operations


def release_steps(entries: Sequence[ReleaseChanges]) -> tuple[ReleaseStep, ...]:
    """For each release (newest first, as *entries*) that asks something of an operator,
    what, by step: new required settings (added required, or moved to required.py);
    renamed, removed or deprecated ones; changed defaults and types; operations changes.

    New optional settings and documentation changes ask nothing; nor does the oldest
    release, which has nothing to upgrade from."""
    found = []
    for entry in entries:
        steps: dict[str, list[SettingChange]] = {step: [] for step in STEPS[:-1]}
        for change in entry.changes if entry.status == "changes" else ():
            step = _STEP_OF_KIND.get(change.kind)
            if step == "required" and not change.required:
                step = "defaults" if change.kind == "moved" else None
            if step is not None:
                steps[step].append(change)
        release = ReleaseStep(entry.name, entry.previous,
                              {k: tuple(v) for k, v in steps.items()}, entry.operating,
                              entry.release.unreleased)
        if not release.empty:
            found.append(release)
    return tuple(found)


def upgrade_command(source: HistorySource, old: str, new: str, fallback: Path) -> str:
    """The ``opsdocs upgrade`` command line that reads the releases *source* names, its
    paths relative to the top of the settings' repository (else to *fallback*)."""
    top = repository_top(source.settings) or fallback

    def path(value: Path) -> str:
        return shlex.quote(Path(os.path.relpath(value.absolute(), top.absolute())).as_posix())

    words = ["opsdocs upgrade CONFIG", "--from", shlex.quote(old), "--to", shlex.quote(new)]
    if source.snapshots is not None:
        words += ["--snapshots", path(source.snapshots)]
    elif source.tags != HistorySource.tags:
        words += ["--tags", shlex.quote(source.tags)]
    return " ".join([*words, "--settings", path(source.settings)])
