"""The commands file validated: its JSON Schema, and YAML read with its lines and checked.

:func:`compose` builds PyYAML's node graph (safe: no Python objects, aliases not yet
expanded), so every value keeps its line.  :class:`Validator` interprets the JSON
Schema keywords in :data:`SUPPORTED_KEYWORDS` (what opsdocs' shipped schemas use, a
test keeps them in step) and reports one :class:`~opsdocs.errors.Problem` per mistake,
with the line and the path inside the document (``groups[1].commands[2].schedule``,
indices from 0).  Every node visit counts against a budget, aliases included, so a
"billion laughs" document stops with an error instead of exhausting memory.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import (
    COMMANDS_FILE,
    DATA_TAGS,
    MAX_CHECKED_VALUES,
    BadValue,
    compose_yaml,
    construct,
    describe_tag,
)
from opsdocs.suggest import closest_name, did_you_mean

#: The version of the commands file this opsdocs reads, and its JSON Schema.
SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "commands.schema.json"


def compose(text: str, filename: str) -> yaml.Node | None:
    """The YAML node graph of *text* (no Python objects built, aliases not expanded)."""
    return compose_yaml(text, filename, COMMANDS_FILE,
                        "fix the syntax (indentation, quotes, ':' after keys)")


@cache
def commands_schema() -> dict[str, Any]:
    """The JSON Schema of the commands file, as shipped in the package."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


#: What :meth:`Validator.validate` returns for a value that is dropped.
INVALID: Any = _Invalid()

#: The JSON Schema keywords :class:`Validator` understands; the rest are annotations.
SUPPORTED_KEYWORDS = frozenset({
    "$ref", "type", "const", "enum", "properties", "required", "additionalProperties",
    "items", "minLength", "pattern", "anyOf", "errorMessage",
})
ANNOTATION_KEYWORDS = frozenset({
    "$schema", "$id", "$defs", "title", "description", "default", "examples",
})

_TYPE_NAMES = {
    "string": "a string", "boolean": "true or false", "integer": "an integer",
    "number": "a number", "object": "a mapping (key: value)", "array": "a list",
    "null": "empty",
}


class Validator:
    """Validates a YAML node graph against the subset of JSON Schema in the schema file.

    Returns plain values with what is wrong dropped (unknown keys, wrong types); list
    items that are wrong become :data:`INVALID`, so indices (and paths) stay true.
    """

    def __init__(self, schema: dict[str, Any], filename: str, limit: int = MAX_CHECKED_VALUES) -> None:
        self.schema = schema
        self.filename = filename
        self.limit = limit
        self.visited = 0
        self.aliased = False
        self.seen: set[int] = set()
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}
        self.styles: dict[str, str | None] = {}
        self.constructor = yaml.SafeLoader("")

    def problem(self, message: str, node: yaml.Node, path: str, check: str) -> None:
        self.problems.append(Problem(message, self.filename, node.start_mark.line + 1, check,
                                     path or None))

    def validate(self, node: yaml.Node, rule: dict[str, Any], path: str) -> Any:
        self.count(node)
        rule = self.resolve(rule)
        self.lines[path] = node.start_mark.line + 1
        self.styles[path] = getattr(node, "style", None)
        value = self.scalar(node, path)
        if value is INVALID:
            return INVALID
        kind = _kind(node, value)
        allowed = rule.get("type")
        allowed = [allowed] if isinstance(allowed, str) else allowed
        if allowed and kind not in allowed and not (kind == "integer" and "number" in allowed):
            self.wrong_type(node, path, allowed, kind)
            return INVALID
        if not isinstance(node, yaml.ScalarNode) and ("enum" in rule or "const" in rule):
            choices = rule.get("enum", [rule.get("const")])
            self.problem(f"{_label(path)} must be {' or '.join(repr(c) for c in choices)}, not "
                         f"{_TYPE_NAMES.get(kind, kind)}", node, path, "type")
            return INVALID
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, rule, path)
        if isinstance(node, yaml.SequenceNode):
            items = rule.get("items", {})
            return [self.validate(item, items, f"{path}[{i}]") for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self.check_scalar(node, value, rule, path)

    def count(self, node: yaml.Node) -> None:
        self.visited += 1
        if id(node) in self.seen:
            self.aliased = True
        self.seen.add(id(node))
        if self.visited > self.limit:
            why = " through aliases (&anchor / *alias)" if self.aliased else ""
            raise OpsdocsError(Problem(
                f"the file expands to more than {self.limit} values{why}: opsdocs stops "
                "reading it so that a crafted file cannot exhaust memory",
                self.filename, node.start_mark.line + 1, check="too-large",
            ))

    def resolve(self, rule: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in rule:
            target: Any = self.schema
            for part in rule["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            rule = {**target, **{k: v for k, v in rule.items() if k != "$ref"}}
        return rule

    def scalar(self, node: yaml.Node, path: str) -> Any:
        """The value of a scalar *node* (``None`` for a collection); :data:`INVALID`,
        reported, for a tag of no YAML type or a scalar YAML cannot construct."""
        # The data of a JSON Schema: no sets, ordered maps, pairs or '<<' merges, which
        # this validator does not expand (any other tag is refused everywhere).
        if node.tag not in DATA_TAGS:
            self.problem(f"{_label(path)} has {describe_tag(node.tag)}, which is not allowed in "
                         "this file: remove it", node, path, "type")
            return INVALID
        if not isinstance(node, yaml.ScalarNode):
            return None
        try:
            return construct(node, self.constructor)
        except BadValue as error:
            self.problem(f"{_label(path)} {error.message}", node, path, "value")
            return INVALID

    def wrong_type(self, node: yaml.Node, path: str, allowed: list[str], kind: str) -> None:
        expected = " or ".join(_TYPE_NAMES.get(t, t) for t in allowed)
        hint = ""
        if "string" in allowed and isinstance(node, yaml.ScalarNode) and not node.style:
            hint = f"; put it in quotes (\"{node.value}\") to make it a string"
        self.problem(f"{_label(path)} must be {expected}, not {_TYPE_NAMES.get(kind, kind)}{hint}",
                     node, path, "type")

    def mapping(self, node: yaml.MappingNode, rule: dict[str, Any], path: str) -> Any:
        properties: dict[str, Any] = rule.get("properties", {})
        result: dict[str, Any] = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            child = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str) or (key not in properties and
                                            rule.get("additionalProperties") is False):
                # A misspelt required key is reported once, as the unknown key.
                seen.add(self.unknown_key(key_node, key, rule, path) or "")
                continue
            if key in seen:
                self.problem(f"duplicate key {key!r}: the second one is ignored; remove one",
                             key_node, child, "duplicate")
                continue
            seen.add(key)
            value = self.validate(value_node, properties.get(key, {}), child)
            if value is not INVALID:
                result[key] = value
        required = rule.get("required", ())
        missing = [key for key in required if key not in seen]
        if missing:
            names = " and ".join(repr(k) for k in missing)
            about = properties.get(missing[0], {}).get("description")
            add = f"add it ({about})" if about else "add it"
            self.problem(f"missing {names}{_where(rule, path)}: "
                         f"{add if len(missing) == 1 else 'add them'}", node, path, "missing")
        if path and any(key not in result for key in required):
            return INVALID  # the document itself is kept, whatever is missing
        branches = [branch.get("required", ()) for branch in rule.get("anyOf", ())]
        if branches and not any(all(k in seen for k in keys) for keys in branches):
            self.problem(rule.get("errorMessage", "the value matches none of its forms"), node,
                         path, "missing")
            return INVALID
        if branches and not any(all(k in result for k in keys) for keys in branches):
            return INVALID
        return result

    def unknown_key(self, key_node: yaml.Node, key: Any, rule: dict[str, Any],
                    path: str) -> str | None:
        """Report an unknown key; the known key it is probably a misspelling of."""
        known = list(rule.get("properties", {}))
        close = closest_name(key, known) if isinstance(key, str) else None
        suggestion = did_you_mean(close) or f"; known keys: {', '.join(known)}"
        if not isinstance(key_node, yaml.ScalarNode):  # "? [a]": no name to show
            kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
            self.problem(f"a key{_where(rule, path)} must be a name, not {kind}{suggestion}",
                         key_node, path, "unknown-key")
            return None
        child = f"{path}.{key}" if path else str(key)
        self.problem(f"unknown key {key!r}{_where(rule, path)}{suggestion}", key_node, child,
                     "unknown-key")
        return close

    def check_scalar(self, node: yaml.ScalarNode, value: Any, rule: dict[str, Any],
                     path: str) -> Any:
        if "const" in rule and value != rule["const"]:
            self.problem(f"{_label(path)} must be {rule['const']!r}, not {value!r}", node, path,
                         "value")
            return INVALID
        if "enum" in rule and value not in rule["enum"]:
            hint = did_you_mean(closest_name(str(value), [str(v) for v in rule["enum"]]))
            choices = ", ".join(str(v) for v in rule["enum"])
            self.problem(f"{_label(path)} must be one of {choices}, not {value!r}{hint}", node,
                         path, "value")
            return INVALID
        if isinstance(value, str):
            if len(value) < rule.get("minLength", 0):
                self.problem(f"{_label(path)} must not be empty", node, path, "value")
                return INVALID
            if "pattern" in rule and not re.search(rule["pattern"], value):
                expected = rule.get("errorMessage", f"a value matching {rule['pattern']}")
                self.problem(f"{_label(path)} {value!r} is not valid: give {expected}", node,
                             path, "value")
                return INVALID
        return value


def _kind(node: yaml.Node, value: Any) -> str:
    if isinstance(node, yaml.MappingNode):
        return "object"
    if isinstance(node, yaml.SequenceNode):
        return "array"
    if value is None:
        return "null"
    for kind, python in (("boolean", bool), ("integer", int), ("number", float), ("string", str)):
        if isinstance(value, python):
            return kind
    return node.tag.rsplit(":", 1)[-1]


def _where(rule: dict[str, Any], path: str) -> str:
    if not path:
        return " at the top level"
    return f" in {rule['title']}" if "title" in rule else ""


def _label(path: str) -> str:
    """The last key of *path*, for messages: ``'schedule'``, ``'settings[0]'``."""
    return repr(path.rsplit(".", 1)[-1]) if path else "the document"
