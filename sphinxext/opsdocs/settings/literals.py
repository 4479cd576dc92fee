"""What a value that reads other names gives, when each holds a literal then.

``A += B`` with ``B = ('b',)``, ``E = E + ['b']``, ``D = (*D, 'y')`` and, in
``plugin_settings``, ``settings.X = cfg`` with ``cfg = {}``: the default is what Python
would leave.  Only literals and the operators that join them (``+``, ``|``, ``-``,
unpacking) are read: no code of the service runs.  A name that may hold something else
when it is read (changed in place, passed to a call, bound by a loop or an import,
sharing its value with a name that is, or under a condition the reading is not under)
holds nothing known; a secret-looking name's value is never folded in, and a value past
a size is not held.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from opsdocs.code_text import expression, literal
from opsdocs.reading import MAX_POWER_BITS
from opsdocs.settings.effective import UNKNOWN, current_value
from opsdocs.settings.model import SettingsCatalog, is_setting_name
from opsdocs.settings.namespace import Bound
from opsdocs.settings.secrets import looks_secret
from opsdocs.settings.usage import import_bindings

_OPERATORS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.BitOr: operator.or_, ast.Sub: operator.sub,
}
_CONTAINERS = (list, tuple, set, frozenset, dict, str)
#: What joining values of the wrong types raises.
_NOT_LITERAL = (TypeError, ValueError, KeyError, MemoryError, RecursionError, OverflowError)

#: The most items, characters of text and depth a value folded is allowed: past them
#: (``A = A + A`` forty times) it is computed, not held.
_MOST_ITEMS, _MOST_TEXT, _MOST_DEPTH = 10_000, 100_000, 50

#: A name's value when it is read: a literal, or :data:`UNKNOWN`.
Lookup = Callable[[str], Any]


def reads_name(node: ast.expr, name: str) -> bool:
    """Whether *node* reads *name* (``E + ['b']`` reads ``E``)."""
    return any(isinstance(inner, ast.Name) and inner.id == name for inner in ast.walk(node))


def joins(node: ast.expr) -> bool:
    """Whether *node* is what a fold reads: a display, or values joined by an operator
    (``(*H, *E)``, ``E + ['b']``; not a call such as ``path(DATA_DIR)``)."""
    return isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)) or \
        (isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS)


def literal_text(node: ast.expr, lookup: Lookup) -> str | None:
    """The literal *node* gives, written as Python does (``('a', 'b')``), when each name it
    reads holds one (*lookup*); else ``None``."""
    try:
        value = _value(node, lookup)
    except _NOT_LITERAL:
        return None
    if value is UNKNOWN:
        return None
    text = repr(value)
    return text if literal(text) is not None else None


def _value(node: ast.expr, lookup: Lookup) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return lookup(node.id)  # no fold changes a value in place: it may be shared
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = _items(node.elts, lookup)
        made = {ast.List: list, ast.Tuple: tuple, ast.Set: set}[type(node)]
        return _small(items if items is UNKNOWN else made(items))
    if isinstance(node, ast.Dict):
        return _small(_dict(node, lookup))
    return _small(_joined(node, lookup))


def _small(value: Any) -> Any:
    """*value*, or :data:`UNKNOWN` when it is larger than a value folded may be."""
    items = text = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        items += 1
        if isinstance(item, (str, bytes)):
            text += len(item)
        elif isinstance(item, dict):
            stack += [(inner, depth + 1) for pair in item.items() for inner in pair]
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack += [(inner, depth + 1) for inner in item]
        if items > _MOST_ITEMS or text > _MOST_TEXT or depth > _MOST_DEPTH:
            return UNKNOWN
    return value


def _joined(node: ast.expr, lookup: Lookup) -> Any:
    """``A + B``, ``A | B``, ``A - B`` of containers."""
    if not (isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS):
        return UNKNOWN
    left, right = _value(node.left, lookup), _value(node.right, lookup)
    if left is UNKNOWN or right is UNKNOWN or not isinstance(left, _CONTAINERS):
        return UNKNOWN
    return _OPERATORS[type(node.op)](left, right)


def _items(elements: Iterable[ast.expr], lookup: Lookup) -> Any:
    items: list[Any] = []
    for element in elements:
        starred = isinstance(element, ast.Starred)
        value = _value(element.value if isinstance(element, ast.Starred) else element, lookup)
        if value is UNKNOWN or (starred and not isinstance(value, _CONTAINERS)):
            return UNKNOWN
        items += list(value) if starred else [value]
    return items


def _dict(node: ast.Dict, lookup: Lookup) -> Any:
    found: dict[Any, Any] = {}
    for key, item in zip(node.keys, node.values, strict=True):
        value = _value(item, lookup)
        if value is UNKNOWN or (key is None and not isinstance(value, dict)):
            return UNKNOWN
        if key is None:  # {**OTHER}
            found.update(value)
            continue
        written = _value(key, lookup)
        if written is UNKNOWN:
            return UNKNOWN
        found[written] = value
    return found


class Locals:
    """Names that are no settings (``_extra`` in a module, ``cfg`` in ``plugin_settings``)
    bound to literals, each with the condition it was bound under."""

    def __init__(self) -> None:
        self.bound: dict[str, tuple[str | None, Any]] = {}
        self.unsure: frozenset[str] = frozenset()

    def start(self, body: list[ast.stmt]) -> None:
        """Read a new scope: its names that are anything but plainly assigned hold nothing
        known."""
        self.bound = {}
        self.unsure = unsure_names(body)

    def bind(self, name: str, node: ast.expr, condition: str | None, lookup: Lookup) -> None:
        try:
            value = _value(node, lookup)
        except _NOT_LITERAL:
            value = UNKNOWN
        self.bound[name] = (condition, value)

    def value(self, name: str, condition: str | None) -> Any:
        """What *name* holds when read under *condition*: known when it was bound under
        the same condition or one around it."""
        condition_bound, value = self.bound.get(name, (None, UNKNOWN))
        if name in self.unsure or not (
                condition_bound is None or condition == condition_bound or
                (condition or "").startswith(f"{condition_bound}, ")):
            return UNKNOWN
        return value

    def lookup(self, settings: Mapping[str, list[Bound]] | None, condition: str | None
               ) -> Lookup:
        """What a name read under *condition* holds: a setting's value so far (from
        *settings*), or a name of this scope's; a literal or :data:`UNKNOWN`."""
        def value(name: str) -> Any:
            bounds = settings.get(name) if settings is not None else None
            if bounds is None or not is_setting_name(name):
                found = self.value(name, condition)
            else:
                found = current_value(name, [replace(b.definition, value=b.literal)
                                             if b.literal else b.definition for b in bounds])
            # a secret's value is never folded into another's, to be shown there
            return UNKNOWN if found is not UNKNOWN and looks_secret(name, repr(found)) \
                else found
        return value

    def holds(self, node: ast.expr) -> bool:
        """Whether *node* reads a name of this scope."""
        return any(isinstance(inner, ast.Name) and (inner.id in self.bound or
                                                     inner.id in self.unsure)
                   for inner in ast.walk(node))


def unsure_names(body: list[ast.stmt]) -> frozenset[str]:
    """Names in *body* that may hold anything: bound other than by ``name = value``
    (a loop, an import, ``with``, ``except``, a ``def``, unpacking, ``+=``), deleted, or
    changed in place or passed to a call (``_merge(cfg, ...)`` may fill ``cfg``); and the
    names a value of one of those reads (``_alias = _base`` then ``_alias.append(...)``
    changes ``_base`` too), a name read from another such too."""
    tree = ast.Module(body=body, type_ignores=[])
    found = _changed_names(tree)
    shared = [(target.id, set(_held(node.value))) for node in ast.walk(tree)
              if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None
              for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
              if isinstance(target, ast.Name)]
    while True:
        more = {name for target, read in shared if target in found for name in read} | \
            {target for target, read in shared if read & found}
        if more <= found:
            return frozenset(found)
        found |= more


def _held(node: ast.expr) -> Iterable[str]:
    """The names whose values (or parts of them) *node*'s value may be: ``_base``,
    ``[_base]``, ``_base["k"]``, ``_a + _b``; not a call's result."""
    node = _root(node.value if isinstance(node, ast.Starred) else node)
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for element in node.elts:
            yield from _held(element)
    elif isinstance(node, ast.Dict):
        for item in (*node.keys, *node.values):
            yield from _held(item) if item is not None else ()
    elif isinstance(node, ast.BinOp):
        yield from (*_held(node.left), *_held(node.right))
    elif isinstance(node, ast.IfExp):
        yield from (*_held(node.body), *_held(node.orelse))


def _changed_names(tree: ast.Module) -> set[str]:
    """The names *tree* binds other than by ``name = value``, or changes in place."""
    plain = {id(target) for node in ast.walk(tree) if isinstance(node, ast.Assign)
             for target in node.targets if isinstance(target, ast.Name)}
    plain |= {id(node.target) for node in ast.walk(tree) if isinstance(node, ast.AnnAssign)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) and \
                id(node) not in plain:
            found.add(node.id)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and \
                not isinstance(node.ctx, ast.Load):
            found.update(_names(_root(node.value)))  # x["a"]["b"] = 1 changes x
        elif isinstance(node, ast.Call):
            found.update(_names(*node.args, *(k.value for k in node.keywords)))
            if isinstance(node.func, ast.Attribute):
                found.update(_names(_root(node.func.value)))  # x["a"].append(1) too
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update(name for name, _ in import_bindings(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                               ast.ExceptHandler)) and node.name:
            found.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            found.update(node.names)
    return found


def _root(node: ast.expr) -> ast.expr:
    """The name ``x["a"].b`` starts from (when it starts from one)."""
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node


def _names(*nodes: ast.expr) -> Iterable[str]:
    for node in nodes:
        inner = node.value if isinstance(node, ast.Starred) else node
        if isinstance(inner, ast.Name):
            yield inner.id


# -- Values known from a catalog: compared as values, not as code -------------------------

_ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.LShift: operator.lshift,
}
_SIGNS: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg, ast.UAdd: operator.pos,
}


def catalog_value(code: str | ast.expr, catalog: SettingsCatalog) -> Any:
    """The value *code* writes when it is known (:func:`known_value`), a name read being a
    setting of *catalog* whose value is known (``DEFAULT_TIMEOUT``, declared ``60 * 5``);
    a secret setting's value is never known.  Else :data:`UNKNOWN`."""
    reading: list[str] = []  # the settings being read, each once: X = Y, Y = X is unknown

    def setting(name: str) -> Any:
        found = catalog.get(name) if name not in reading else None
        text = None if found is None or found.secret else found.effective_value or found.value
        if text is None:
            return UNKNOWN
        reading.append(name)
        try:
            return known_value(text, setting)
        finally:
            reading.pop()

    return known_value(code, setting)


def known_value(code: str | ast.expr, lookup: Lookup = lambda _: UNKNOWN) -> Any:
    """The value *code* (source text, or parsed) writes: a literal, arithmetic of numbers
    (``60 * 5``, ``2 ** 20``, ``-1``; powers and shifts bounded by :data:`MAX_POWER_BITS`),
    or a name (also inside that arithmetic) *lookup* knows; else :data:`UNKNOWN`.  Nothing
    is evaluated."""
    found = literal(code)
    if found is not None:
        return found[0]
    tree = expression(code) if isinstance(code, str) else code
    try:
        if isinstance(tree, ast.Name):
            return lookup(tree.id)
        return UNKNOWN if tree is None else _number(tree, lookup)
    except (ArithmeticError, ValueError, TypeError, RecursionError):
        return UNKNOWN


def _number(node: ast.expr, lookup: Lookup) -> Any:
    if isinstance(node, ast.Constant):
        value = node.value
    elif isinstance(node, ast.Name):
        value = lookup(node.id)
    elif isinstance(node, ast.UnaryOp) and type(node.op) in _SIGNS:
        value = _number(node.operand, lookup)
        return value if value is UNKNOWN else _SIGNS[type(node.op)](value)
    elif isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        left, right = _number(node.left, lookup), _number(node.right, lookup)
        if left is UNKNOWN or right is UNKNOWN or not _bounded(node.op, left, right):
            return UNKNOWN
        return _ARITHMETIC[type(node.op)](left, right)
    else:
        return UNKNOWN
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else UNKNOWN


def _bounded(op: ast.operator, left: Any, right: Any) -> bool:
    """Whether ``left op right`` stays small: a power or shift of whole numbers makes at
    most :data:`MAX_POWER_BITS` bits (``2 ** 10 ** 9`` is not computed)."""
    if not isinstance(right, int) or not isinstance(op, (ast.Pow, ast.LShift)):
        return True
    if isinstance(op, ast.LShift):
        return right >= 0 and abs(left).bit_length() + right <= MAX_POWER_BITS
    return not isinstance(left, int) or abs(left).bit_length() * abs(right) <= MAX_POWER_BITS


def same_value(left: Any, right: Any) -> bool:
    """Whether two known values are the same: equal, of the same types throughout
    (``True`` is not ``1``, ``1.0`` is not ``1``); a tuple is a list, as an operator's
    YAML gives both."""
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        return len(left) == len(right) and all(map(same_value, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same_value(item, right[key])
                                                   for key, item in left.items())
    return type(left) is type(right) and bool(left == right)
