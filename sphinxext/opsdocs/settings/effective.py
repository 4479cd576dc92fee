"""A setting's value once the literal changes made to it are applied: the one folding.

``X = ["a"]`` then ``X.append("b")`` is ``['a', 'b']``.  Only literals are read
(:func:`ast.literal_eval`), and a container's changing methods are called on them with
literal arguments: no code of the service runs.
"""

from __future__ import annotations

import ast
import copy
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from opsdocs.code_text import literal
from opsdocs.settings.model import Definition, effective_definition
from opsdocs.settings.values import CHANGING_METHODS

#: What a value is when it cannot be read as a literal.
UNKNOWN: Any = object()
_AUGMENTED: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "|=": operator.ior,
    "&=": operator.iand, "^=": operator.ixor, "//=": operator.ifloordiv, "%=": operator.imod,
}
#: What reading a value that is no literal, or changing it in a way it cannot be, raises.
_NOT_LITERAL = (ValueError, TypeError, SyntaxError, KeyError, IndexError, AttributeError,
                MemoryError, RecursionError, OverflowError, ZeroDivisionError)


def fold(name: str, main: Definition, later: Sequence[Definition]) -> str | None:
    """The value once *later* changes are applied to *main*'s, when all are literals and
    unconditional (``["a"]`` then ``.append("b")``: ``['a', 'b']``); else ``None``."""
    if not later:
        return None
    value = _folded(name, main, later)
    return None if value is UNKNOWN else repr(value)


def current_value(name: str, definitions: Sequence[Definition]) -> Any:
    """What *name* holds once *definitions* (so far) have run, when that is sure and a
    literal (no condition from its effective definition on); else :data:`UNKNOWN`."""
    main = effective_definition(definitions)
    if main is None or main.condition is not None:
        return UNKNOWN
    return _folded(name, main, definitions[definitions.index(main) + 1:])


def _folded(name: str, main: Definition, later: Sequence[Definition]) -> Any:
    if main.value is None or any(d.condition is not None for d in later):
        return UNKNOWN
    value = _literal(main.value)
    for definition in later:
        if value is UNKNOWN:
            return UNKNOWN
        value = _changed(name, value, definition)
    return value


def possible_value(name: str, definitions: Iterable[Definition],
                   accept: Callable[[Any], bool] = lambda value: True) -> Any:
    """What the value may be once *definitions* have run, conditional ones included (a
    value that may be set is worth knowing), as a literal; :data:`UNKNOWN` when a binding
    before any that can be read is no literal.

    Each definition applies to the value before it: a literal assignment (or ``X = X +
    [...]``) replaces it, a literal change changes it; one that cannot be read, or gives a
    value *accept* refuses, is skipped.  A tuple is read as a list, so that ``+= [...]``
    and ``.append(...)`` add to it whatever the display.
    """
    value = UNKNOWN
    for definition in definitions:
        if definition.value is None:  # a bare annotation
            continue
        # a change refused must leave the value as it was
        start = value if value is UNKNOWN else copy.deepcopy(value)
        changed = _as_list(_changed(name, start, definition, as_list=True))
        if changed is not UNKNOWN and accept(changed):
            value = changed
        elif value is UNKNOWN:
            return UNKNOWN
    return value


def literal_value(text: str) -> Any:
    """The value *text* writes when it is a literal (:func:`~opsdocs.code_text.literal`),
    else :data:`UNKNOWN`."""
    found = literal(text)
    return UNKNOWN if found is None else found[0]


def _literal(text: str, as_list: bool = False) -> Any:
    value = literal_value(text)
    return _as_list(value) if as_list else value


def _as_list(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _changed(name: str, value: Any, definition: Definition, as_list: bool = False) -> Any:
    """*value* after one definition; :data:`UNKNOWN` when it is not a literal one."""
    text = definition.value or ""
    if definition.kind == "assign":
        return _assigned(name, value, text, as_list)
    if value is UNKNOWN:
        return UNKNOWN
    try:
        return _change(name, value, definition, text, as_list)
    except _NOT_LITERAL:
        return UNKNOWN


def _change(name: str, value: Any, definition: Definition, text: str, as_list: bool) -> Any:
    if definition.kind == "augmented":
        apply = _AUGMENTED.get(definition.operator or "")
        return UNKNOWN if apply is None else apply(value, _operand(text, as_list))
    if definition.kind == "item" and definition.key is not None:
        value[_key(definition.key)] = ast.literal_eval(text)
        return value
    if definition.kind in ("call", "statement", "delete"):
        return _statement(name, value, text, definition.via)
    return UNKNOWN


def _key(text: str) -> Any:
    """The key an item assignment writes as *text*: a literal, or a slice (``5:5``)."""
    node = ast.parse(f"_[{text}]", mode="eval").body
    if not isinstance(node, ast.Subscript):
        raise ValueError("not a key")
    key = node.slice
    if isinstance(key, ast.Slice):
        return slice(*(None if part is None else ast.literal_eval(part)
                       for part in (key.lower, key.upper, key.step)))
    return ast.literal_eval(key)


def _assigned(name: str, value: Any, text: str, as_list: bool) -> Any:
    """The value ``X = <text>`` gives: a literal, or ``X + <literal>``."""
    try:
        node = ast.parse(text, mode="eval").body
    except _NOT_LITERAL:
        return UNKNOWN
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and \
            isinstance(node.left, ast.Name) and node.left.id == name:
        if value is UNKNOWN:
            return UNKNOWN
        try:
            return value + _operand(node.right, as_list)
        except _NOT_LITERAL:
            return UNKNOWN
    return _literal(text, as_list)


def _operand(code: str | ast.expr, as_list: bool) -> Any:
    value = ast.literal_eval(code)
    return _as_list(value) if as_list else value


def _statement(name: str, value: Any, text: str, via: str | None = None) -> Any:
    """*value* after a statement that changes it: a call, an assignment to an item, or a
    ``del`` of one; *via* is the place inside another setting that is this one."""
    statement = ast.parse(text).body[0] if text else None
    root = ast.unparse(ast.parse(via, mode="eval").body) if via else name
    if isinstance(statement, ast.Expr) and _run_call(root, value, statement.value):
        return value
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
            isinstance(target := statement.targets[0], ast.Subscript):
        _place(root, value, target.value)[ast.literal_eval(target.slice)] = \
            ast.literal_eval(statement.value)
        return value
    if isinstance(statement, ast.Delete) and len(statement.targets) == 1 and \
            isinstance(target := statement.targets[0], ast.Subscript):
        del _place(root, value, target.value)[ast.literal_eval(target.slice)]
        return value
    return UNKNOWN


def _place(root: str, value: Any, node: ast.expr) -> Any:
    """What ``X["a"]`` or ``X.setdefault("b", {})`` denotes inside *value*, the value of
    *root* (``X``, or the place inside another setting that is it)."""
    if (isinstance(node, ast.Name) and node.id == root) or \
            ("[" in root and ast.unparse(node) == root):
        return value
    if isinstance(node, ast.Subscript):
        return _place(root, value, node.value)[ast.literal_eval(node.slice)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _call(_place(root, value, node.func.value), node)
    raise ValueError("not a literal place")


def _run_call(root: str, value: Any, node: ast.expr) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    _call(_place(root, value, node.func.value), node)
    return True


def _call(target: Any, node: ast.Call) -> Any:
    """A container's changing method, with literal arguments only (no user code runs)."""
    assert isinstance(node.func, ast.Attribute)
    method = node.func.attr
    if method not in CHANGING_METHODS or not isinstance(target, (list, dict, set)) or \
            any(k.arg is None for k in node.keywords) or method == "sort":
        raise ValueError("not a literal change")
    arguments = [copy.deepcopy(ast.literal_eval(a)) for a in node.args]
    keywords = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
    change: Callable[..., Any] = getattr(target, method)
    return change(*arguments, **keywords)
