"""What a setting's type annotation lets a YAML value be, where that is certain.

The annotation is the source text as written (``list[str] | None``); it is parsed with
:mod:`ast`, never evaluated, and only builtins and :mod:`typing` spellings are understood.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Expected:
    """What an annotation lets a YAML value be, where that is certain.

    ``kinds`` holds ``str``, ``int``, ``float``, ``bool``, ``none``, ``list``, ``dict``
    (or the literal values in ``literals``); ``items``, ``keys`` and ``values`` describe
    the members of lists and mappings, ``None`` when anything goes.
    """

    kinds: frozenset[str]
    items: Expected | None = None
    keys: Expected | None = None
    values: Expected | None = None
    literals: tuple[Any, ...] = ()


_SCALARS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "None": "none",
            "NoneType": "none"}
_SEQUENCES = {"list", "List", "tuple", "Tuple", "set", "Set", "frozenset", "FrozenSet",
              "Sequence", "MutableSequence", "Collection", "Iterable", "AbstractSet"}
_MAPPINGS = {"dict", "Dict", "Mapping", "MutableMapping", "OrderedDict"}


class _Uncertain(Exception):
    """The annotation names a type a YAML value cannot be checked against."""


def expected_from_annotation(annotation: str | None) -> Expected | None:
    """What *annotation* allows, or ``None`` when it is absent or not certain."""
    if not annotation:
        return None
    try:
        return _expected(ast.parse(annotation.strip(), mode="eval").body)
    except (SyntaxError, _Uncertain, RecursionError, MemoryError):
        return None


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    raise _Uncertain


def _union(parts: Iterable[Expected]) -> Expected:
    parts = list(parts)
    members = [p.items for p in parts if "list" in p.kinds]
    maps = [p for p in parts if "dict" in p.kinds]
    if len(members) > 1 or len(maps) > 1:
        raise _Uncertain  # list[int] | list[str]: which one a member belongs to is a guess
    return Expected(
        frozenset().union(*(p.kinds for p in parts)),
        items=members[0] if members else None,
        keys=maps[0].keys if maps else None,
        values=maps[0].values if maps else None,
        literals=tuple(v for p in parts for v in p.literals),
    )


def _expected(node: ast.expr) -> Expected:  # noqa: PLR0911
    if isinstance(node, ast.Constant):
        if node.value is None:
            return Expected(frozenset({"none"}))
        if isinstance(node.value, str):  # a forward reference: "list[str]"
            return _expected(ast.parse(node.value.strip(), mode="eval").body)
        raise _Uncertain
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union([_expected(node.left), _expected(node.right)])
    if isinstance(node, ast.Subscript):
        return _subscript(_name(node.value), node.slice)
    name = _name(node)
    if name in _SCALARS:
        return Expected(frozenset({_SCALARS[name]}))
    if name in _SEQUENCES:
        return Expected(frozenset({"list"}))
    if name in _MAPPINGS:
        return Expected(frozenset({"dict"}))
    raise _Uncertain


def _member(node: ast.expr) -> Expected | None:
    """What a member of a list or mapping may be; ``None`` (anything goes) when that is
    not certain: ``dict[str, Any]`` is still certainly a mapping."""
    try:
        return _expected(node)
    except _Uncertain:
        return None


def _subscript(name: str, argument: ast.expr) -> Expected:
    args = list(argument.elts) if isinstance(argument, ast.Tuple) else [argument]
    if name in ("Optional", "Union"):
        parts = [_expected(arg) for arg in args]
        if name == "Optional":
            parts.append(Expected(frozenset({"none"})))
        return _union(parts)
    if name == "Literal":
        values = tuple(arg.value for arg in args if isinstance(arg, ast.Constant))
        if len(values) != len(args):
            raise _Uncertain
        return Expected(frozenset({"literal"}), literals=values)
    if name in _SEQUENCES:
        if name in ("tuple", "Tuple") and not (
            len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value is ...
        ):
            return Expected(frozenset({"list"}))  # fixed-length tuples: only "a list"
        return Expected(frozenset({"list"}), items=_member(args[0]))
    if name in _MAPPINGS and len(args) == 2:
        return Expected(frozenset({"dict"}), keys=_member(args[0]), values=_member(args[1]))
    if name == "Annotated":
        return _expected(args[0])
    raise _Uncertain
