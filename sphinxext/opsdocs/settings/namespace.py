"""What the names of a chain of settings modules are bound to, as the modules run.

A :class:`Namespace` holds, for each name, every statement about it in the order the
modules ran (star-imported modules first, at the line that imports them): the bindings
(:class:`~opsdocs.settings.model.Definition`), and the changes that attach to them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from opsdocs.errors import Problem
from opsdocs.settings.aliases import Aliases
from opsdocs.settings.model import Definition


@dataclass
class Bound:
    """One statement about a name, as read: its definition and what the reader learnt.

    ``variable`` is the module-level name the statement binds when it is not the
    setting's (``SIZE = getattr(settings, "APP_SIZE", 20)``): its ``#:`` doc is looked up
    by it.  ``doc_line`` is the line the comment block documenting it is above, when that
    is not the definition's: an outer key's, whose block names a key inside it.
    """

    definition: Definition
    variable: str | None = None
    doc_line: int | None = None
    env_vars: tuple[str, ...] = ()
    no_default: bool = False
    parent: str | None = None
    computed: bool = False
    #: the edx-toggles class the value is made with (``WaffleSwitch``), if any
    toggle: str | None = None
    #: the literal the value gives, when it reads names that hold literals (``A += B``)
    literal: str | None = None
    #: whether the value reads the name it binds (``E = E + ['b']``): the one before is used
    reads_itself: bool = False


@dataclass
class Namespace:
    """Names bound while a chain of modules runs, in the order they were first bound."""

    bound: dict[str, list[Bound]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    keys: dict[str, dict[str, None]] = field(default_factory=dict)
    config_keys: dict[str, None] = field(default_factory=dict)
    config_variable: str | None = None
    #: Names registered with Open edX's ``derived("X")`` (and dict entries with
    #: ``derived_collection_entry("X", "key", ...)``): computed at startup.
    derived: dict[str, None] = field(default_factory=dict)
    #: Names bound to a proxy of the settings themselves (``FEATURES =
    #: FeaturesProxy(globals())``): ``FEATURES['X']`` is the setting ``X``.
    proxies: dict[str, None] = field(default_factory=dict)
    #: Settings held by name inside other settings' literals.
    aliases: Aliases = field(default_factory=Aliases)
    #: Whether the operator's config was applied to the module's names
    #: (``vars().update(config_from_yaml)``), and the settings an unconditional
    #: assignment replaced since, each with that assignment: a config value has no effect.
    config_applied: bool = False
    after_config: dict[str, Definition] = field(default_factory=dict)
    #: The settings a conditional assignment sets again since: a config value may have
    #: no effect.
    maybe_after_config: dict[str, Definition] = field(default_factory=dict)
    #: Where the config was last applied (file, line); every name any module binds,
    #: setting or not (imports, functions, ``ENV_TOKENS``); and whether a star import
    #: was not read, so that a name may come from it.  A name read after the config is
    #: applied that none binds is a key the config must give.
    config_at: tuple[str, int] | None = None
    names: dict[str, None] = field(default_factory=dict)
    opaque: bool = False

    def empty(self) -> bool:
        """Whether no setting was read into it yet (the names bound so far are kept by
        :meth:`take`)."""
        return not (self.bound or self.problems or self.keys or self.config_keys or
                    self.derived or self.proxies or self.aliases.held or self.config_variable
                    or self.config_applied)

    def copy(self) -> Namespace:
        """A copy to read on into: the statements themselves are shared (never changed)."""
        return Namespace({name: list(bounds) for name, bounds in self.bound.items()},
                         list(self.problems), {k: dict(v) for k, v in self.keys.items()},
                         dict(self.config_keys), self.config_variable, dict(self.derived),
                         dict(self.proxies), self.aliases.copy(), self.config_applied,
                         dict(self.after_config), dict(self.maybe_after_config),
                         self.config_at, dict(self.names),
                         self.opaque)

    def take(self, other: Namespace) -> None:
        """Become a copy of *other*, keeping the names bound so far."""
        copied = other.copy()
        copied.names = {**self.names, **copied.names}
        copied.opaque = copied.opaque or self.opaque
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(copied, name))

    def bind(self, name: str, bound: Bound) -> None:
        self.bound.setdefault(name, []).append(bound)
        if bound.definition.binds:
            self.aliases.forget(name)

    def known(self, name: str) -> bool:
        return name in self.bound

    def change(self, name: str, bound: Bound) -> bool:
        """Attach a change to *name* when it is bound; a change never creates a setting."""
        if name not in self.bound:
            return False
        self.bound[name].append(bound)
        return True

    def unbind(self, name: str) -> None:
        """``del name``: the name and the keys documented under it are gone."""
        self.bound.pop(name, None)
        self.after_config.pop(name, None)
        self.maybe_after_config.pop(name, None)
        for entry in [n for n, b in self.bound.items() if b and b[0].parent == name]:
            del self.bound[entry]

    def apply_config(self, file: str, line: int) -> None:
        """The operator's config is applied to the names (on *line* of *file*): it replaces
        them all."""
        self.config_applied = True
        self.config_at = (file, line)
        self.after_config.clear()
        self.maybe_after_config.clear()

    def add_keys(self, name: str, keys: Iterator[str] | list[str]) -> None:
        self.keys.setdefault(name, {}).update(dict.fromkeys(keys))
