"""The settings model: what a settings package declares, as frozen dataclasses.

Nothing here knows files, Sphinx or docutils: readers (:mod:`opsdocs.settings.reader`,
:mod:`opsdocs.settings.snapshot`, :mod:`opsdocs.changelog.history`) build these objects,
renderers and checks consume them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeGuard

from opsdocs.errors import Problem

#: The settings files of an OEP-45 settings package, in reading order.
SETTINGS_FILES = ("required.py", "defaults.py")

#: Values that mark a setting in ``required.py`` as "no default" besides ``None``.
#: ``REQUIRED`` is the sentinel :mod:`opsdocs.loader` exports.
DEFAULT_SENTINELS = ("REQUIRED",)


def is_setting_name(name: object) -> TypeGuard[str]:
    """Whether *name* names a setting: an UPPERCASE identifier, not private.

    The one rule for the reader, the config check and the runtime loader.
    """
    return (isinstance(name, str) and name.isidentifier() and name.isupper()
            and not name.startswith("_"))


def leaves_settings_out(problem: Problem) -> bool:
    """Whether *problem* leaves a catalog without some settings: a settings file that is
    missing or does not parse."""
    return problem.check in ("syntax", "missing")


@dataclass(frozen=True)
class Definition:
    """One statement that defines or changes a setting.

    ``kind`` is ``assign`` (``X = 1``), ``annotation`` (``X: str``), ``augmented``
    (``X += [...]``, ``operator`` holds ``+=``), ``item`` (``X["key"] = 1``, ``key`` holds
    the key's source) or ``call`` (``X.update(...)``, ``value`` holds the call).
    ``condition`` is the enclosing ``if``/``try`` clause, as written, when there is one.
    """

    kind: str
    line: int
    value: str | None = None
    condition: str | None = None
    key: str | None = None
    operator: str | None = None


@dataclass(frozen=True)
class Setting:
    """A setting as documented: its main definition plus every later change to it."""

    name: str
    required: bool
    file: str
    line: int
    value: str | None = None
    annotation: str | None = None
    doc: str = ""
    secret: bool = False
    default_display: str | None = None
    example: str | None = None
    deprecated: str | None = None
    added: str | None = None
    section: str | None = None
    definitions: tuple[Definition, ...] = ()
    doc_line: int | None = None

    @property
    def default(self) -> str | None:
        """The default to show: ``:default:`` when the doc gives one, else the source text."""
        if self.required or self.secret:
            return None
        return self.default_display if self.default_display is not None else self.value

    @property
    def changes(self) -> tuple[Definition, ...]:
        """Definitions after the main one (overrides, conditional values, ``+=``, items)."""
        return self.definitions[1:]


@dataclass(frozen=True)
class SettingsCatalog:
    """Every setting of one settings package, required ones first, in source order."""

    root: str
    settings: tuple[Setting, ...] = ()
    problems: tuple[Problem, ...] = ()
    files: tuple[str, ...] = field(default=())

    def __iter__(self) -> Iterator[Setting]:
        return iter(self.settings)

    def __len__(self) -> int:
        return len(self.settings)

    def __contains__(self, name: object) -> bool:
        return any(setting.name == name for setting in self.settings)

    def get(self, name: str) -> Setting | None:
        """The setting called *name*, or ``None``."""
        return next((s for s in self.settings if s.name == name), None)

    @property
    def incomplete(self) -> tuple[Problem, ...]:
        """The problems that leave settings out of the catalog: a sample, a config check or
        a snapshot made from it would mislead."""
        return tuple(p for p in self.problems if leaves_settings_out(p))
