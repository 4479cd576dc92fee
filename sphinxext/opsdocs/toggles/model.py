"""The feature toggles model: what a code tree defines and documents, as frozen dataclasses.

A :class:`Toggle` is one definition in the code (a ``WaffleFlag(...)`` call, a
``ConfigurationModel`` subclass, a Django setting) with the code-annotations block that
documents it, or a block alone that documents nothing the reader recognises.  Nothing here
knows files, Sphinx or docutils.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from opsdocs.errors import Problem
from opsdocs.settings.model import TOGGLE_FIELDS

#: ``toggle_implementation``'s choices, as code-annotations' configuration
#: (``contrib/config/feature_toggle_annotations.yaml``) lists them.
IMPLEMENTATIONS = ("WaffleFlag", "WaffleSwitch", "CourseWaffleFlag", "ExperimentWaffleFlag",
                   "SettingToggle", "SettingDictToggle", "ConfigurationModel", "DjangoSetting")
#: ``toggle_use_cases``' choices, in the same configuration.
USE_CASES = ("temporary", "circuit_breaker", "vip", "opt_out", "opt_in", "open_edx")
#: The fields of a toggle's block, the same configuration's; the others are unknown.
FIELDS = frozenset(TOGGLE_FIELDS)
#: The fields that hold a date, written YYYY-MM-DD.
DATE_FIELDS = ("toggle_creation_date", "toggle_target_removal_date")
#: Implementations that read a Django setting: documenting a setting, any of them fits.
SETTING_IMPLEMENTATIONS = frozenset({"DjangoSetting", "SettingToggle", "SettingDictToggle"})

#: Each check's warning subtype (``opsdocs.<subtype>``) and what it finds.
CHECKS = {
    "toggle-name": "the annotation publishes another name than the code registers",
    "toggle-implementation": "the annotation names another implementation than the code's",
    "toggle-past-due": "a temporary toggle past its target removal date",
    "toggle-undocumented": "a toggle the code defines without an annotation",
    "toggle-duplicate": "two definitions publish one name",
    "toggle-date": "a date field that is no YYYY-MM-DD date",
    "toggle-field": "a field code-annotations does not know",
    "toggle-choice": "a value that is none of the field's choices",
    "toggle-syntax": "a Python file that cannot be read or parsed",
    "toggle-too-large": "a Python file over the size cap",
    "toggle-unreadable": "a file or folder that cannot be opened, or a loop of links",
    "toggle-missing": "a path or package given to read that is not there",
}
#: The checks of reading the files, not of the toggles: what the release notes report.
READING_CHECKS = frozenset({"toggle-syntax", "toggle-too-large", "toggle-unreadable",
                            "toggle-missing"})

#: Words that mean "no value" in a field (``toggle_target_removal_date: None``).
_NOTHING = frozenset({"", "none", "n/a", "na", "-"})
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
_LOOSE_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def field_value(value: str | None) -> str | None:
    """*value* of a field, ``None`` when absent or a word for nothing (``None``, ``n/a``,
    ``None.`` as xblock-lti-consumer writes ``toggle_warning: None.``)."""
    if value is None or value.strip().rstrip(".").lower() in _NOTHING:
        return None
    return value.strip()


def parse_date(value: str | None, *, strict: bool = True) -> date | None:
    """The date a field writes as ``YYYY-MM-DD`` (*strict*), or ``None``; not strict,
    ``2020-1-5`` is read too (so that a badly written date still counts as one)."""
    text = (value or "").strip()
    match = _DATE.fullmatch(text) if strict else _LOOSE_DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:  # 2024-02-30
        return None


def split_choices(value: str | None) -> tuple[str, ...]:
    """The choices a field lists, as code-annotations splits them (commas, white space)."""
    return tuple(word for word in re.split(r"[,\s]+", value or "") if word)


def _field(name: str) -> property:
    """The block's field *name* as an attribute (``Toggle.creation_date``)."""
    return property(lambda toggle: toggle.field(name), doc=f"The block's ``{name}``.")


@dataclass(frozen=True)
class Toggle:
    """One feature toggle: its definition in the code, and the block that documents it.

    ``name`` is the name published: the block's ``toggle_name``, else the name the code
    registers, else the code's expression (``{...}`` where it is built at run time).
    ``registered`` is the name the code registers (a waffle name, the setting a
    ``SettingToggle`` or an assignment defines, the model of a ``ConfigurationModel``),
    when it is known statically; ``pattern`` shows the code's name otherwise.
    ``implementation`` is the code's (``None`` for a block that documents nothing the
    reader knows), ``default`` the code's default when it shows one.  ``fields`` are
    the block's fields as written, ``field_lines`` their lines.  ``line`` is the
    definition's line, or the block's when nothing is defined under it.
    ``setting_block``: the block stands over a setting's assignment (a settings module's
    toggle), which a settings reference checks too.  ``waived``: edx-lint's
    ``# pylint: disable=toggle-missing-annotation`` covers the definition.  ``read``:
    django-waffle's own function reads it by its name (``switch_is_active('name')``), the
    only place the code names it.
    """

    name: str
    file: str
    line: int
    implementation: str | None = None
    registered: str | None = None
    pattern: str | None = None
    default: str | None = None
    variable: str | None = None
    setting: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    field_lines: tuple[tuple[str, int], ...] = ()
    annotation_line: int | None = None
    setting_block: bool = False
    waived: bool = False
    read: bool = False

    def field(self, name: str) -> str | None:
        """The block's field *name* (``toggle_use_cases``), ``None`` when absent or empty."""
        return field_value(next((v for k, v in self.fields if k == name), None))

    def field_line(self, name: str) -> int | None:
        """The line of the block's field *name*, or of the block."""
        return next((line for k, line in self.field_lines if k == name), self.annotation_line)

    @property
    def documented(self) -> bool:
        """Whether a code-annotations block documents it."""
        return self.annotation_line is not None

    @property
    def documented_implementation(self) -> str | None:
        return self.field("toggle_implementation")

    @property
    def shown_implementation(self) -> str | None:
        """The implementation to show: the code's, else the block's."""
        return self.implementation or self.documented_implementation

    @property
    def description(self) -> str:
        return self.field("toggle_description") or ""

    @property
    def documented_default(self) -> str | None:
        return self.field("toggle_default")

    @property
    def shown_default(self) -> str | None:
        """The default to show: the code's, else the block's."""
        return self.default if self.default is not None else self.documented_default

    @property
    def use_cases(self) -> tuple[str, ...]:
        return split_choices(self.field("toggle_use_cases"))

    @property
    def temporary(self) -> bool:
        return "temporary" in self.use_cases

    creation_date = _field("toggle_creation_date")
    target_removal_date = _field("toggle_target_removal_date")
    tickets = _field("toggle_tickets")
    removal_ticket = _field("toggle_removal_ticket")

    @property
    def warnings(self) -> tuple[str, ...]:
        """``toggle_warning``, and ``toggle_warnings`` that some blocks write."""
        found = (self.field(name) for name in ("toggle_warning", "toggle_warnings"))
        return tuple(text for text in found if text is not None)

    def past_due(self, today: date) -> bool:
        """Whether it is temporary and its target removal date has passed."""
        removal = parse_date(self.target_removal_date, strict=False)
        return self.temporary and removal is not None and removal < today

    @property
    def known(self) -> bool:
        """Whether the code's name is known statically (or there is no code to know)."""
        return self.implementation is None or self.registered is not None

    @property
    def published_differs(self) -> bool:
        """Whether the block publishes another name than the code registers."""
        return self.documented and self.registered is not None and \
            not same_name(self.name, self.registered, self.implementation)

    @property
    def implementation_differs(self) -> bool:
        """Whether the block names another implementation than the code's."""
        documented = self.documented_implementation
        return documented is not None and self.implementation is not None and \
            not same_implementation(documented, self.implementation)


def normal_name(name: str) -> str:
    """A name compared: without white space, quotes made single."""
    return "".join(name.split()).replace('"', "'")


_FEATURES_KEY = re.compile(r"FEATURES\['([^']*)'\]")


def same_name(published: str, registered: str, implementation: str | None) -> bool:
    """Whether *published* names what the code registers as *registered*.

    A Django setting may be published as ``settings.X``, and ``FEATURES['X']`` is the
    setting ``X`` (Open edX's ``FeaturesProxy``); a ``ConfigurationModel`` is published as
    its class or one of its fields (``Model.enabled``).
    """
    left, right = normal_name(published), normal_name(registered)
    if implementation == "ConfigurationModel":
        return left == right or left.startswith(right + ".")
    if implementation in SETTING_IMPLEMENTATIONS:
        return setting_key(left) == setting_key(right)
    return left == right


def setting_key(name: str) -> str:
    """A Django setting's name compared: ``settings.X``, ``FEATURES['X']`` and ``X`` alike."""
    return _FEATURES_KEY.sub(r"\1", normal_name(name).removeprefix("settings."))


def same_implementation(documented: str, code: str) -> bool:
    """Whether the block's implementation fits the code's: exactly, or ``DjangoSetting``
    (a toggle that is a Django setting, code-annotations' generic choice) for any code
    that defines or reads a setting, either way round."""
    return documented == code or ("DjangoSetting" in (documented, code) and
                                  {documented, code} <= SETTING_IMPLEMENTATIONS)


@dataclass(frozen=True)
class ToggleCatalog:
    """Every toggle of the trees read, sorted by name, and what is wrong with them.

    ``files`` are the Python files read, ``folders`` the folders walked (a file added to
    one changes what is found), ``secrets`` the settings of each file with toggles that are
    secret (:func:`~opsdocs.settings.secrets.looks_secret`).
    """

    toggles: tuple[Toggle, ...] = ()
    problems: tuple[Problem, ...] = ()
    files: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()
    secrets: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def secrets_of(self, files: Iterable[str]) -> tuple[str, ...]:
        """The secret settings assigned in *files*."""
        wanted = set(files)
        return tuple(sorted({name for file, names in self.secrets if file in wanted
                             for name in names}))

    def __iter__(self) -> Iterator[Toggle]:
        return iter(self.toggles)

    def __len__(self) -> int:
        return len(self.toggles)

    def get(self, name: str) -> Toggle | None:
        """The first toggle published as *name*, or ``None``."""
        return next((t for t in self.toggles if t.name == name), None)
