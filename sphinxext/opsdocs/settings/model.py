"""The settings model: what a settings package declares, as frozen dataclasses.

Nothing here knows files, Sphinx or docutils: readers (:mod:`opsdocs.settings.reader`,
:mod:`opsdocs.settings.snapshot`, :mod:`opsdocs.changelog.parse`) build these objects,
renderers and checks consume them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TypeGuard

from opsdocs.code_text import entry_name, key_path
from opsdocs.errors import Problem
from opsdocs.settings.secrets import (
    item_without_secret_keys,
    text_without_secret_keys,
    without_secret_keys,
    without_secret_shapes,
)

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
    missing, does not parse, or is larger than opsdocs reads."""
    return problem.check in ("syntax", "missing", "too-large")


#: Definition kinds that bind the name anew; every other kind changes what is bound.
BINDING_KINDS = frozenset({"assign", "annotation", "loop", "read", "config"})


@dataclass(frozen=True)
class Definition:
    """One statement that defines or changes a setting.

    ``kind`` is ``assign`` (``X = 1``), ``annotation`` (``X: str``), ``augmented``
    (``X += [...]``, ``operator`` holds ``+=``), ``item`` (``X["key"] = 1``, ``key`` holds
    the key's source), ``call`` (``X.update(...)``, ``value`` holds the call),
    ``statement`` (any other change, ``X["a"]["b"] = 1``: ``value`` holds the statement),
    ``delete`` (``del X`` under a condition, or ``del X["key"]``), ``loop`` (``for X in
    ...``: ``value`` holds the iterable), ``read`` (a setting read in code that no module
    declares: ``value`` holds the default given there) or ``config`` (a name code reads
    once the operator's config is applied to the module's names, which no module binds:
    only the config sets it; ``line`` is where the config is applied).
    ``condition`` is the enclosing ``if``/``try``/``for``/``while``/``match`` clause, as
    written, when there is one.  ``via`` is the place that is this setting inside
    another one a ``statement`` changes (``CONTENTSTORE['DOC_STORE_CONFIG']``, when
    ``CONTENTSTORE = {'DOC_STORE_CONFIG': DOC_STORE_CONFIG}``); a statement that may
    reach the setting through a computed key has none.  ``overridden`` marks an
    unconditional assignment that a later one replaces.  ``file`` is the file of the
    statement when it is not the setting's own (a star-importing module that changes it),
    else ``None``.
    """

    kind: str
    line: int
    value: str | None = None
    condition: str | None = None
    key: str | None = None
    operator: str | None = None
    overridden: bool = False
    file: str | None = None
    via: str | None = None

    @property
    def binds(self) -> bool:
        """Whether it binds the name anew (rather than changing the value bound)."""
        return self.kind in BINDING_KINDS


def effective_definition(definitions: Sequence[Definition]) -> Definition | None:
    """The definition whose value a setting has: Python's rule, the last unconditional
    assignment (a bare annotation only when there is none); without one, the first
    conditional assignment; else the first definition."""
    unconditional = [d for d in definitions if d.condition is None]
    for kinds in (("assign", "read", "config"), ("annotation",)):  # a bare annotation binds nothing
        last = next((d for d in reversed(unconditional) if d.kind in kinds), None)
        if last is not None:
            return last
    return next((d for d in definitions if d.binds), definitions[0] if definitions else None)


#: Fields of a code-annotations block opsdocs reads (``# .. setting_name: X``).
SETTING_FIELDS = ("setting_name", "setting_default", "setting_description", "setting_warning")
TOGGLE_FIELDS = (
    "toggle_name", "toggle_implementation", "toggle_default", "toggle_description",
    "toggle_use_cases", "toggle_creation_date", "toggle_target_removal_date",
    "toggle_removal_ticket", "toggle_warning", "toggle_tickets",
)


@dataclass(frozen=True)
class Setting:
    """A setting as documented: its effective definition plus every other one.

    ``value`` and ``line`` are those of the effective definition (:func:`effective_definition`),
    ``definitions`` every statement that defines or changes it, in the order Python runs
    them (star-imported modules first).  ``effective_value`` is the value once the
    unconditional changes after the effective definition are applied, when all are
    literals (``["a"]`` then ``.append("b")`` gives ``['a', 'b']``), else ``None``.

    ``env_vars`` name the environment variables the value is read from
    (``os.environ.get("X", d)``: ``value`` is then ``d``, the default standing in for
    the read).  ``annotation_fields`` holds a
    code-annotations block's fields as written (``("toggle_default", "False")``);
    ``toggle`` says it is a feature toggle.  A key of a dict setting documented on its own
    is a setting named as code-annotations names it (``FEATURES['ENABLE_X']``) with its
    ``parent`` (``FEATURES``).  ``keys`` are the keys a dict setting is known to have.
    ``declared`` is false for a setting read in code that no module declares.
    ``doc_markup`` says what the doc is written in: ``rst`` (``#:`` comments) or ``text``
    (code-annotations descriptions and plain comments, shown as they are).

    ``computed`` says the service computes the value at startup from the other settings:
    a ``lambda settings: ...``, or a function registered with Open edX's ``derived("X")``
    (``value`` is then the code that computes it, no default to show as written).

    ``proxy`` says the setting is a view of the settings themselves, Open edX's ``FEATURES
    = FeaturesProxy(globals())``: its key ``X`` *is* the setting ``X`` (the reader binds
    ``FEATURES['X'] = v`` and ``FEATURES.update(...)`` to ``X``; reads, the config check and
    the upgrade ask :meth:`SettingsCatalog.setting_named`).

    ``toggle_object`` is the edx-toggles class a toggle made in a settings module is an
    object of (``LOG_INCOMING_REQUESTS = WaffleSwitch(...)``: ``WaffleSwitch``); its state
    is in the database, not the value.

    ``set_after_config`` is the line of an unconditional assignment that replaces the
    setting after the operator's YAML config is applied to the module's names
    (``vars().update(config_from_yaml)``): a value in the config has no effect
    (:attr:`after_config` is that assignment).  ``maybe_set_after_config`` is the line
    of such an assignment under a condition: a value in the config may have no effect
    (:attr:`maybe_after_config`).

    ``has_default`` says whether the code gives a default (for a required setting: a
    value that is no placeholder).  A ``secret`` setting carries no value text at all:
    ``value``, ``effective_value``, ``default_display`` and every definition's ``value``
    are dropped when it is made, whoever makes it, and the ``*_default`` annotation
    fields say ``...``; in every setting, secrets found by their shape (a URL's password)
    are hidden.
    """

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
    effective_value: str | None = None
    env_vars: tuple[str, ...] = ()
    annotation_fields: tuple[tuple[str, str], ...] = ()
    toggle: bool = False
    parent: str | None = None
    keys: tuple[str, ...] = ()
    declared: bool = True
    doc_markup: str = "rst"
    has_default: bool = False
    computed: bool = False
    proxy: bool = False
    toggle_object: str | None = None
    set_after_config: int | None = None
    maybe_set_after_config: int | None = None

    def __post_init__(self) -> None:
        # The one place a secret loses its value text, and a secret-looking key of any
        # setting its value, however the setting is made (read from code or a snapshot), so
        # that no output (page, JSON, snapshot, sample, changelog, warning) can show them.
        if self.value is not None and not self.required and not self.has_default:
            object.__setattr__(self, "has_default", True)
        if self.secret:
            self._conceal()
        self._hide_secrets()

    @property
    def entry_keys(self) -> tuple[object, ...]:
        """For a dict key documented on its own, its keys under ``parent``
        (``MODULESTORE['default']['ENGINE']`` is ``('default', 'ENGINE')``); else ``()``."""
        if not self.parent or not self.name.startswith(self.parent):
            return ()
        return key_path(self.name[len(self.parent):]) or ()

    def _conceal(self) -> None:
        """Drop every text that may hold the value (while the setting is being made)."""
        for name in ("value", "effective_value", "default_display"):
            object.__setattr__(self, name, None)
        object.__setattr__(self, "definitions", tuple(
            replace(d, value=None) if d.value is not None else d for d in self.definitions))
        # The annotation's default field stays (it is the author's documentation), its
        # text does not.
        object.__setattr__(self, "annotation_fields", tuple(
            (k, "..." if k.endswith("_default") else v) for k, v in self.annotation_fields))

    def _hide_secrets(self) -> None:
        """Hide the values of secret-looking keys (:func:`without_secret_keys`) in the code
        and the defaults written as text, and what is a secret by its shape in every text
        that may hold a value, the author's own (a doc, an example) as the code's."""
        for name, hidden in (("value", without_secret_keys),
                             ("effective_value", without_secret_keys),
                             ("default_display", text_without_secret_keys),
                             ("example", _without_shapes), ("doc", _without_shapes)):
            text = getattr(self, name)
            if text:
                object.__setattr__(self, name, hidden(text))
        definitions = tuple(
            replace(d, value=shown) if (shown := item_without_secret_keys(d.key, d.value))
            != d.value else d for d in self.definitions)
        if definitions != self.definitions:
            object.__setattr__(self, "definitions", definitions)
        object.__setattr__(self, "annotation_fields", tuple(
            (k, text_without_secret_keys(v) if k.endswith("_default") else
             without_secret_shapes(v)) for k, v in self.annotation_fields))

    @property
    def default(self) -> str | None:
        """The default to show: ``:default:`` when the doc gives one, else the effective
        value, else the source text."""
        if self.required or self.secret:
            return None
        if self.default_display is not None:
            return self.default_display
        return self.effective_value if self.effective_value is not None else self.value

    @cached_property
    def main(self) -> Definition | None:
        """The effective definition (the one ``value`` and ``line`` come from)."""
        return effective_definition(self.definitions)

    @property
    def changes(self) -> tuple[Definition, ...]:
        """Definitions besides the effective one (overridden, conditional, ``+=``, items)."""
        main = self.main
        return tuple(d for d in self.definitions if d is not main)

    @property
    def conditional(self) -> bool:
        """Whether no unconditional statement gives its value (``if``, ``for``, ``try``...)."""
        main = self.main
        return main is not None and main.condition is not None

    @property
    def later_changes(self) -> tuple[Definition, ...]:
        """Definitions that may change the value the effective one gives: those after it
        (every other one, when the effective one is conditional)."""
        main = self.main
        if main is None or main.condition is not None:
            return self.changes
        return self.definitions[self.definitions.index(main) + 1:]

    @property
    def after_config(self) -> Definition | None:
        """The assignment that replaces the setting after the config is applied (its
        ``file`` set), when there is one (:attr:`set_after_config`)."""
        return self._assignment(self.set_after_config, conditional=False)

    @property
    def maybe_after_config(self) -> Definition | None:
        """The assignment under a condition that may replace the setting after the config
        is applied (its ``file`` set), when there is one (:attr:`maybe_set_after_config`)."""
        return self._assignment(self.maybe_set_after_config, conditional=True)

    def _assignment(self, line: int | None, conditional: bool) -> Definition | None:
        if line is None:
            return None
        found = next((d for d in reversed(self.definitions) if d.kind == "assign" and
                      d.line == line and (d.condition is not None) == conditional), None)
        return None if found is None else replace(found, file=found.file or self.file)

    @property
    def config_only(self) -> bool:
        """Whether only the operator's config sets it: code reads it once the config is
        applied, and no module binds it (a ``config`` definition)."""
        main = self.main
        return main is not None and main.kind == "config"

    @property
    def config_required(self) -> bool:
        """Whether the operator's config file must give it: the one rule of the config
        check, the schema and the sample.  A required setting read from the environment
        (``environ["DISCOVERY_CFG"]``) is set there, not in the file."""
        return self.required and not self.env_vars

    def field(self, name: str) -> str | None:
        """The code-annotations field *name* (``toggle_use_cases``), or ``None``."""
        return next((v for k, v in self.annotation_fields if k == name), None)


@dataclass(frozen=True)
class SettingsCatalog:
    """Every setting of one settings source, required ones first, in source order.

    ``config_keys`` are the keys code reads from the operator's YAML config besides the
    settings' own names (``ENV_TOKENS.get("ADDL_INSTALLED_APPS")``), shell patterns
    allowed (``AWS_*``); ``config_variable`` is the environment variable naming that file
    (``LMS_CFG``), when the code says.
    """

    root: str
    settings: tuple[Setting, ...] = ()
    problems: tuple[Problem, ...] = ()
    files: tuple[str, ...] = field(default=())
    config_keys: tuple[str, ...] = ()
    config_variable: str | None = None

    def __iter__(self) -> Iterator[Setting]:
        return iter(self.settings)

    def __len__(self) -> int:
        return len(self.settings)

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def get(self, name: str) -> Setting | None:
        """The setting called *name*, or ``None``."""
        return self.by_name.get(name)

    @cached_property
    def by_name(self) -> dict[str, Setting]:
        """Each setting by its name; of a name given twice, the first: ``required.py``'s,
        which an OEP-45 package star-imports last, so the one the service has."""
        found: dict[str, Setting] = {}
        for setting in self.settings:
            found.setdefault(setting.name, setting)
        return found

    @cached_property
    def proxies(self) -> frozenset[str]:
        """The settings that are views of the settings themselves (:attr:`Setting.proxy`)."""
        return frozenset(s.name for s in self.settings if s.proxy)

    def setting_named(self, name: str) -> str:
        """The setting *name* denotes: ``FEATURES['X']`` is ``X`` (and ``FEATURES['X']['k']``
        is ``X['k']``) when ``FEATURES`` is a proxy of the settings; else *name*."""
        for proxy in self.proxies:
            if name.startswith(f"{proxy}["):
                path = key_path(name[len(proxy):])
                if path and isinstance(path[0], str) and is_setting_name(path[0]):
                    return entry_name(path[0], path[1:])
        return name

    @property
    def incomplete(self) -> tuple[Problem, ...]:
        """The problems that leave settings out of the catalog: a sample, a config check or
        a snapshot made from it would mislead."""
        return tuple(p for p in self.problems if leaves_settings_out(p))


def _without_shapes(text: str | None) -> str | None:
    return without_secret_shapes(text) if text is not None else None
