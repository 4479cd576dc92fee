"""What kind of value a YAML node is, said in words, and whether it fits what a setting's
annotation expects (:class:`~opsdocs.config.annotations.Expected`): the config check's
vocabulary for types."""

from __future__ import annotations

from typing import Any

import yaml

from opsdocs.config.annotations import Expected
from opsdocs.reading import BadValue, construct, describe_tag

_TAG = "tag:yaml.org,2002:"
_KIND_OF_TAG = {
    f"{_TAG}str": "str", f"{_TAG}int": "int", f"{_TAG}float": "float",
    f"{_TAG}bool": "bool", f"{_TAG}null": "none", f"{_TAG}seq": "list", f"{_TAG}map": "dict",
    f"{_TAG}timestamp": "timestamp", f"{_TAG}binary": "binary",
}
_KIND_NAMES = {
    "str": "a string", "int": "an integer", "float": "a number", "bool": "a boolean",
    "none": "null", "list": "a list", "dict": "a mapping", "timestamp": "a date",
    "binary": "binary data", "set": "a set",
}
_HINTS = {
    "bool": "write true or false, without quotes",
    "int": "write a whole number, without quotes",
    "float": "write a number, without quotes",
    "str": "put the value in quotes to make it a string",
    "list": "write a list (one '- item' per line, or [a, b])",
    "dict": "write a mapping (one 'key: value' per line)",
}


def kind_of(node: yaml.Node) -> str:
    """``str``, ``int``, ``float``, ``bool``, ``none``, ``list``, ``dict``, ``timestamp``,
    ``binary``, or ``other`` (a tag of its own)."""
    return _KIND_OF_TAG.get(str(node.tag), "other")


def fits(node: yaml.Node, kind: str, expected: Expected) -> bool:
    """Whether *node*, of *kind*, is a value *expected* allows (its members aside)."""
    if kind == "other":
        return True  # a tag reported on its own; its type is no certainty
    if "literal" in expected.kinds and isinstance(node, yaml.ScalarNode):
        value = _scalar_value(node)
        if any(value == v and type(value) is type(v) for v in expected.literals):
            return True
    if kind in expected.kinds:
        return True
    return kind == "int" and "float" in expected.kinds


def type_hint(expected: Expected) -> str:
    """How to write a value *expected* allows, when one way says it; else ``""``."""
    wanted = sorted(expected.kinds - {"none", "literal"})
    hint = _HINTS.get(wanted[0], "") if len(wanted) == 1 else ""
    if expected.literals:
        hint = "use one of " + ", ".join(_yaml_scalar(v) for v in expected.literals)
    return hint


def describe_kind(node: yaml.Node, kind: str | None = None) -> str:
    """The kind of *node* in words: ``a string``, ``a value with !!python/ tag``."""
    kind = kind or kind_of(node)
    if kind == "other":
        return f"a value with {describe_tag(node.tag)}"
    return kind_words(kind)


def kind_words(kind: str) -> str:
    """A kind (``str``, ``none``, ``list``...) in words: ``a string``, ``null``, ``a list``."""
    return _KIND_NAMES.get(kind, kind)


def _scalar_value(node: yaml.ScalarNode) -> Any:
    """The Python value of one plain scalar (no aliases, no user tags: safe to construct)."""
    try:
        return construct(node)
    except BadValue:
        return node.value


def _yaml_scalar(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True).removesuffix("\n...\n").strip()
