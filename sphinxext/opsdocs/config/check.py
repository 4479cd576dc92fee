"""The config check: everything wrong with an operator's YAML config, for a settings catalog.

It works on a :class:`~opsdocs.settings.model.SettingsCatalog` and text, never on files
(but for :func:`read_config_text`), so the CLI and the Sphinx glue share it.  YAML is read
with :func:`yaml.compose` only (nodes with line marks; nothing is constructed), so it can
point at lines; values of secret settings never appear in a message.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Collection, Iterator
from pathlib import Path

import yaml

from opsdocs.config.annotations import Expected, expected_from_annotation
from opsdocs.config.sample import is_placeholder
from opsdocs.config.value_kinds import describe_kind, fits, kind_of, type_hint
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.markup import plain_roles
from opsdocs.reading import (
    CONFIG_FILE,
    MAX_CHECKED_VALUES,
    MAX_DEPTH,
    STANDARD_TAGS,
    compose_yaml,
    read_text,
    too_large_message,
    value_problem,
    yaml_children,
)
from opsdocs.settings.display import dict_keys
from opsdocs.settings.doc_metadata import deprecation
from opsdocs.settings.model import Setting, SettingsCatalog
from opsdocs.suggest import NameMatcher, did_you_mean

_TAG = "tag:yaml.org,2002:"


# -- Config check ----------------------------------------------------------------------


def check_config(
    catalog: SettingsCatalog,
    yaml_text: str,
    filename: str,
    *,
    allowed: Collection[str] = (),
) -> list[Problem]:
    """Everything wrong with the config *yaml_text* for the settings in *catalog*.

    *allowed* names keys that are fine though the catalog does not define them (Django's
    own settings, say); shell-style patterns (``CELERY_*``) work.  Values of secret
    settings never appear in a message.
    """
    try:
        root = compose_config(yaml_text, filename)
    except OpsdocsError as error:
        return [error.problem]
    return check_root(catalog, root, filename, allowed=allowed)


def check_root(catalog: SettingsCatalog, root: yaml.Node | None, filename: str, *,
               allowed: Collection[str] = ()) -> list[Problem]:
    """:func:`check_config` of a config composed already (by :func:`compose_config`)."""
    # Keys the service's code reads from the config are known (ENV_TOKENS.get("X"), AWS_*).
    allowed = {*allowed, *(key for key in catalog.config_keys if "." not in key)}
    return _ConfigChecker(catalog, filename, allowed).check(root)


def compose_config(yaml_text: str, filename: str) -> yaml.Node | None:
    """The config's YAML composed (nodes with their lines; nothing constructed), or
    :class:`OpsdocsError` saying, at its line, why it is not YAML."""
    if len(yaml_text.encode("utf-8", "surrogatepass")) > CONFIG_FILE.limit:
        raise OpsdocsError(CONFIG_FILE.problem(too_large_message(CONFIG_FILE), filename,
                                               check=CONFIG_FILE.too_large))
    return compose_yaml(yaml_text, filename, CONFIG_FILE, "fix the YAML (a config is one "
                        "mapping of SETTING_NAME: value lines)")


def check_value(setting: Setting, value: yaml.Node, filename: str) -> list[Problem]:
    """What is wrong with *value*, a composed YAML node, as the value of *setting*: its
    type, as the config check sees it (a secret's value is never shown)."""
    checker = _ConfigChecker(SettingsCatalog("", (setting,)), filename, ())
    expected = expected_from_annotation(setting.annotation)
    if expected is not None:
        checker.check_type(setting, value, expected, setting.name, 0)
    return checker.problems


def is_allowed(name: str, allowed: Collection[str]) -> bool:
    """Whether *name* is one of *allowed*, or matches one of its patterns (``CELERY_*``)."""
    return name in allowed or any(
        fnmatch.fnmatchcase(name, pattern) for pattern in allowed if any(c in pattern for c in "*?["))


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _ConfigChecker:
    """One pass over the composed YAML document."""

    def __init__(self, catalog: SettingsCatalog, filename: str, allowed: Collection[str]) -> None:
        self.catalog = catalog
        self.settings = catalog.by_name
        self.matcher: NameMatcher | None = None
        self.folded: dict[str, str] = {}
        self.filename = filename
        self.patterns = [a for a in allowed if any(c in a for c in "*?[")]
        self.allowed = set(allowed) - set(self.patterns)
        self.problems: list[Problem] = []
        self.visited = 0
        self.stopped = False
        self.unreadable: set[int] = set()  # values reported as unreadable: no type problem
        self.documented_keys = dict_keys(catalog)

    def problem(self, message: str, node: yaml.Node | None, check: str,
                path: str | None = None) -> None:
        line = _line(node) if node is not None else None
        self.problems.append(Problem(message, self.filename, line, f"config-{check}", path))

    def check(self, root: yaml.Node | None) -> list[Problem]:
        if root is None:
            root = yaml.MappingNode(f"{_TAG}map", [])
        if isinstance(root, yaml.MappingNode):
            for key, value in root.value:
                label = str(key.value) if isinstance(key, yaml.ScalarNode) else "a key"
                self.check_values(value, label, set())
        else:
            self.check_values(root, "the config", set())
        if not isinstance(root, yaml.MappingNode):
            self.problem(
                f"the config is {describe_kind(root)}, not a mapping: write one "
                "'SETTING_NAME: value' line per setting", root, "structure",
            )
            return self.problems
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in self.pairs(root, "the config"):
            name = self.key_name(key_node)
            if name is None:
                continue
            if name in seen:
                self.problem(
                    f"{name} is set twice (also on line {_line(seen[name])}); the last value "
                    "wins: remove one of them", key_node, "duplicate",
                )
            seen[name] = key_node
            self.check_setting(name, key_node, value_node)
        for setting in self.catalog:
            if setting.config_required and setting.name not in seen:
                self.problem(
                    f"required setting {setting.name} is missing: add '{setting.name}: ...' "
                    "(the service refuses to start without it)", None, "missing",
                )
        return sorted(self.problems, key=lambda p: (p.line is None, p.line or 0))

    def pairs(self, node: yaml.MappingNode, where: str,
              active: frozenset[int] = frozenset()) -> Iterator[tuple[yaml.Node, yaml.Node]]:
        """The key/value pairs of a mapping, with ``<<`` merge keys expanded as YAML does."""
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        active = active | {id(node)}
        for key, value in node.value:
            if key.tag != f"{_TAG}merge":
                continue
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                if id(source) in active:
                    self.problem(f"a '<<' merge key in {where} merges the mapping into itself",
                                 key, "structure")
                elif isinstance(source, yaml.MappingNode):
                    if self.count():
                        merged.extend(self.pairs(source, where, active))
                else:
                    self.problem(f"a '<<' merge key in {where} must name a mapping",
                                 key, "structure")
        own = [(k, v) for k, v in node.value if k.tag != f"{_TAG}merge"]
        own_keys = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
        yield from ((k, v) for k, v in merged
                    if not (isinstance(k, yaml.ScalarNode) and k.value in own_keys))
        yield from own

    def count(self) -> bool:
        """Count one visited value; ``False`` (once reported) when the budget is spent."""
        self.visited += 1
        if self.visited <= MAX_CHECKED_VALUES:
            return True
        if not self.stopped:
            self.stopped = True
            self.problem(
                f"the config expands to more than {MAX_CHECKED_VALUES} values (through YAML aliases?); "
                "the check stopped there", None, "size",
            )
        return False

    def check_values(self, node: yaml.Node, name: str, active: set[int]) -> None:
        """Values ``yaml.safe_load`` refuses: tags (``!!python/object``, ``!custom``, an
        unquoted value starting with ``!``) and scalars it cannot construct (a 13th month)."""
        if id(node) in active or not self.count():
            return
        reason = value_problem(node)
        if reason is not None:
            check = "tag" if node.tag not in STANDARD_TAGS else "value"
            self.problem(f"the value of {name} {reason}", node, check)
            self.unreadable.add(id(node))
        active.add(id(node))
        for child in yaml_children(node):
            self.check_values(child, name, active)
        active.discard(id(node))

    def key_name(self, key: yaml.Node) -> str | None:
        if isinstance(key, yaml.ScalarNode) and key.tag == f"{_TAG}str":
            return str(key.value)
        if isinstance(key, yaml.ScalarNode):
            what = f"key {key.value!s} is read as {describe_kind(key)}"
        else:
            what = f"a key that is {describe_kind(key)}"
        self.problem(f"{what}, not a setting name: setting names are UPPERCASE words", key,
                     "unknown")
        return None

    def check_setting(self, name: str, key: yaml.Node, value: yaml.Node) -> None:
        setting = self.settings.get(name)
        if setting is None:
            if name not in self.allowed and not is_allowed(name, self.patterns):
                self.problem(f"unknown setting {name}{self.suggestion(name)}", key, "unknown")
            return
        replaced = setting.after_config
        if replaced is not None:
            self.problem(
                f"{name} is set after the config is loaded ({Path(replaced.file or '').name}:"
                f"{replaced.line}): a value here has no effect; remove it", key, "no-effect")
            return
        maybe = setting.maybe_after_config
        if maybe is not None:
            self.problem(
                f"{name} may have no effect: it is set again after the config is loaded "
                f"(line {maybe.line} of {Path(maybe.file or '').name}, under "
                f"'{maybe.condition}')", key, "no-effect")
        variable = self.catalog.config_variable
        if variable is not None and variable in setting.env_vars:
            self.problem(
                f"{name} is the path of this config file, from the environment variable "
                f"{variable}: the file is already read, so a value here has no effect; remove "
                "it", key, "no-effect")
            return
        if setting.deprecated:
            self.problem(
                f"setting {name} is deprecated since {setting.deprecated}"
                f"{_deprecation_note(setting.doc)}: stop setting it", key, "deprecated",
            )
        if setting.required and is_placeholder(value):
            self.problem(
                f"required setting {name} still holds the sample's placeholder "
                f"{value.value!s}: give it a real value", value, "placeholder",
            )
            return
        if setting.proxy and isinstance(value, yaml.MappingNode):
            self.check_proxied_keys(name, value)
            return
        if name in self.documented_keys and isinstance(value, yaml.MappingNode):
            self.check_keys(name, value)
        expected = expected_from_annotation(setting.annotation)
        if kind_of(value) == "none" and setting.required and (
            expected is None or "none" not in expected.kinds
        ):
            self.problem(
                f"required setting {name} is null: give it a value (the service refuses to "
                "start without it)", value, "missing",
            )
            return
        if expected is not None:
            self.check_type(setting, value, expected, name, 0)

    def check_keys(self, name: str, mapping: yaml.MappingNode) -> None:
        """Keys of a dict setting whose keys are documented (``FEATURES``)."""
        known = self.documented_keys[name]
        matcher = NameMatcher(sorted(known))
        for key, _ in self.pairs(mapping, name):
            if not isinstance(key, yaml.ScalarNode) or str(key.value) in known:
                continue
            close = matcher.closest(str(key.value))
            advice = did_you_mean(close) or \
                f": not a documented key of {name} (a typo, or a key that was removed?)"
            self.problem(f"unknown {name} key {key.value}{advice}", key, "unknown",
                         f"{name}.{key.value}")

    def check_proxied_keys(self, name: str, mapping: yaml.MappingNode) -> None:
        """Keys of a dict setting that is a view of the top-level settings
        (``FEATURES = FeaturesProxy(globals())``): each one is a setting, checked as one and
        better written at the top (the service still takes it, with a deprecation warning)."""
        for key, inner_value in self.pairs(mapping, name):
            if not isinstance(key, yaml.ScalarNode) or str(key.value) == name:
                continue
            setting = self.settings.get(str(key.value))
            if setting is not None and not setting.parent:
                self.check_setting(str(key.value), key, inner_value)
                self.problem(
                    f"{name}.{key.value} is the top-level setting {key.value} ({name} is "
                    f"FeaturesProxy(globals())): write '{key.value}: ...' at the top level "
                    "('opsdocs upgrade --fix' moves it)", key, "flattened",
                    f"{name}.{key.value}")
            else:
                self.problem(f"unknown {name} key {key.value}{self.suggestion(str(key.value))}",
                             key, "unknown", f"{name}.{key.value}")

    def suggestion(self, name: str) -> str:
        if self.matcher is None:
            known = [*self.settings, *sorted(self.allowed)]
            self.matcher = NameMatcher(known)
            self.folded = {name.upper(): name for name in known}
        close = self.folded.get(name.upper()) or self.matcher.closest(name.upper())
        return did_you_mean(close) or (
            ": not a setting of this service (a typo, or a setting that was removed?); remove it")

    def check_type(self, setting: Setting, node: yaml.Node, expected: Expected, path: str,
                   depth: int) -> None:
        if depth > MAX_DEPTH or id(node) in self.unreadable or not self.count():
            return
        kind = kind_of(node)
        if not fits(node, kind, expected):
            self.type_problem(setting, node, kind, expected, path)
            return
        if kind == "list" and expected.items is not None and isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.check_type(setting, item, expected.items, f"{path}[{index}]", depth + 1)
        elif kind == "dict" and isinstance(node, yaml.MappingNode) and (
            expected.keys is not None or expected.values is not None
        ):
            for key, value in self.pairs(node, path):
                member = f"{path}.{key.value}" if isinstance(key, yaml.ScalarNode) else path
                if expected.keys is not None:
                    self.check_type(setting, key, expected.keys, member, depth + 1)
                if expected.values is not None:
                    self.check_type(setting, value, expected.values, member, depth + 1)

    def type_problem(self, setting: Setting, node: yaml.Node, kind: str, expected: Expected,
                     path: str) -> None:
        hint = type_hint(expected)
        member = path != setting.name
        self.problem(
            f"{setting.name} is {setting.annotation}, but the YAML value "
            f"{'here ' if member else ''}is {describe_kind(node, kind)}"
            f"{'; ' + hint if hint else ''}",
            node, "type", path if member else None,
        )


def _deprecation_note(doc: str) -> str:
    """The text of the ``.. deprecated::`` directive in *doc*: ``(use HTTP_TIMEOUT)``."""
    directive = deprecation(doc)
    if directive is None:
        return ""
    text = " ".join(plain_roles(" ".join(directive.text.split())).replace("``", "").split())
    return f" ({text})" if text else ""


# -- Files ------------------------------------------------------------------------------


def read_config_text(path: str | Path) -> str:
    """The text of the config file at *path*; :class:`OpsdocsError` when it cannot be read."""
    return read_text(path, CONFIG_FILE)
