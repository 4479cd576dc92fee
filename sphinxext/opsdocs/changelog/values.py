"""What changed inside a dict or list default: each key or item added, removed or changed.

Values are source text (as the reader keeps them), compared with :mod:`ast`, never
evaluated: ``{"a": 1}`` and ``{'a': 1}`` are the same value.
"""

from __future__ import annotations

import ast
import difflib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from opsdocs.code_text import SourceText, value_text
from opsdocs.reading import MAX_CHANGED_DEPTH, MAX_CHANGED_PARTS
from opsdocs.settings.display import shown_code
from opsdocs.settings.model import Setting

#: The old and the new value's source text.
_Sources = tuple[SourceText, SourceText]


@dataclass(frozen=True)
class ValueChange:
    """One key or item of a default that changed.

    ``path`` says where, in Python (``["default"]["CONN_MAX_AGE"]``, ``[2]``): the key for
    ``key-added`` and ``key-removed``, the list for ``item-added`` and ``item-removed``.
    ``old`` and ``new`` are source text; ``kind`` may also be ``changed``, ``reordered``
    (the same items in another order) or ``more`` (``old`` counts the parts left out).
    """

    kind: str
    path: str
    old: str | None = None
    new: str | None = None


def default_text(setting: Setting) -> str | None:
    """The default the code gives, as the reference shows it: the effective value (after
    the literal changes made later, ``X.append(...)``, ``X["k"] = ...``), without comments;
    ``None`` when required or secret.

    A ``:default:`` line is prose in the doc comment: a change to it is a doc change.
    """
    code = None if setting.required else shown_code(setting)
    return None if code is None else value_text(code)


def normal_code(text: str | None) -> str:
    """A Python expression as compared: its syntax tree, a tuple display as a list (an
    operator's YAML gives a list for both: ``()`` and ``[]`` are the same empty value)."""
    if text is None:
        return ""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # from a snapshot
        return " ".join(text.split())
    try:
        return ast.dump(_ListsForTuples().visit(tree))
    except RecursionError:
        return " ".join(text.split())


class _ListsForTuples(ast.NodeTransformer):
    def visit_Tuple(self, node: ast.Tuple) -> ast.AST:
        return ast.List(elts=[self.visit(item) for item in node.elts], ctx=node.ctx)


def literal_entries(code: str | None) -> dict[object, str] | None:
    """The entries of a dict display (or ``dict(...)`` of keywords) whose keys are literals:
    ``{key: value source}``, one line each; ``None`` when *code* is no dict display."""
    if not code:
        return None
    try:
        node = _as_display(ast.parse(code.strip(), mode="eval").body)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(node, ast.Dict):
        return None
    source = SourceText.of(code.strip())
    return {key.value: _text(value, source) for key, value in zip(node.keys, node.values,
                                                                  strict=True)
            if isinstance(key, ast.Constant)}


def value_changes(old: str | None, new: str | None) -> tuple[ValueChange, ...]:
    """The keys or items that differ between two defaults, when both are dict or list
    displays; none otherwise (the whole value changed)."""
    if old is None or new is None:
        return ()
    try:
        before = _as_display(ast.parse(old.strip(), mode="eval").body)
        after = _as_display(ast.parse(new.strip(), mode="eval").body)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    if not _container(before, after):
        return ()
    sources = (SourceText.of(old.strip()), SourceText.of(new.strip()))
    found: list[ValueChange] = []
    left_out = 0
    try:
        for change in _compare(before, after, "", sources, 0):
            if len(found) < MAX_CHANGED_PARTS:
                found.append(change)
            else:
                left_out += 1
    except RecursionError:
        return ()
    if left_out:
        found.append(ValueChange("more", "", str(left_out)))
    return tuple(found)


def _container(before: ast.expr, after: ast.expr) -> bool:
    return (isinstance(before, ast.Dict) and isinstance(after, ast.Dict)) or (
        isinstance(before, _SEQUENCES) and isinstance(after, _SEQUENCES))


_SEQUENCES = (ast.List, ast.Tuple, ast.Set)


def _as_display(node: ast.expr) -> ast.expr:
    """A ``dict(...)`` of keywords (and a dict display) as the dict display it makes:
    ``dict(a=1)`` is ``{'a': 1}``, so that its keys are compared one by one."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "dict" and len(node.args) <= 1):
        return node
    keys: list[ast.expr | None] = []
    values: list[ast.expr] = []
    for argument in node.args:
        if not isinstance(argument, ast.Dict):  # dict(pairs), dict(other): as written
            return node
        keys, values = [*argument.keys], [*argument.values]
    for keyword in node.keywords:
        keys.append(ast.Constant(keyword.arg) if keyword.arg is not None else None)
        values.append(keyword.value)
    return ast.Dict(keys=keys, values=values)


def _compare(before: ast.expr, after: ast.expr, path: str, sources: _Sources,
             depth: int) -> Iterator[ValueChange]:
    before, after = _as_display(before), _as_display(after)
    if _same(before, after):
        return
    if depth < MAX_CHANGED_DEPTH and isinstance(before, ast.Dict) and isinstance(after, ast.Dict):
        yield from _compare_dicts(before, after, path, sources, depth)
    elif depth < MAX_CHANGED_DEPTH and isinstance(before, _SEQUENCES) and isinstance(after, _SEQUENCES):
        yield from _compare_sequences(before, after, path, sources, depth)
    else:
        yield ValueChange("changed", path, _text(before, sources[0]), _text(after, sources[1]))


def _compare_dicts(before: ast.Dict, after: ast.Dict, path: str, sources: _Sources,
                   depth: int) -> Iterator[ValueChange]:
    old = _entries(before, sources[0])
    new = _entries(after, sources[1])
    for key, (label, node) in new.items():
        if key not in old:
            yield ValueChange("key-added", f"{path}[{label}]", None, _text(node, sources[1]))
    for key, (label, node) in old.items():
        if key not in new:
            yield ValueChange("key-removed", f"{path}[{label}]", _text(node, sources[0]), None)
    for key, (label, node) in new.items():
        if key in old:
            yield from _compare(old[key][1], node, f"{path}[{label}]", sources, depth + 1)


def _entries(node: ast.Dict, source: SourceText) -> dict[str, tuple[str, ast.expr]]:
    """``{normalized key: (key as written, value)}``; ``**other`` entries by their text."""
    entries: dict[str, tuple[str, ast.expr]] = {}
    for key, value in zip(node.keys, node.values, strict=True):
        if key is None:
            label = f"**{_text(value, source)}"
            entries[label] = (label, value)
        else:
            entries[ast.dump(key)] = (_text(key, source), value)
    return entries


def _compare_sequences(before: ast.expr, after: ast.expr, path: str,
                       sources: _Sources, depth: int) -> Iterator[ValueChange]:
    """Items removed and added, as a diff aligns them; an item replaced by one other item
    at the same place is compared inside (a dict in a list of dicts)."""
    old: list[ast.expr] = before.elts  # type: ignore[attr-defined]
    new: list[ast.expr] = after.elts  # type: ignore[attr-defined]
    old_keys, new_keys = [ast.dump(item) for item in old], [ast.dump(item) for item in new]
    if Counter(old_keys) == Counter(new_keys):
        if old_keys != new_keys and not isinstance(after, ast.Set):
            yield ValueChange("reordered", path, _text(before, sources[0]),
                              _text(after, sources[1]))
        return
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            for offset in range(i2 - i1):
                yield from _compare(old[i1 + offset], new[j1 + offset], f"{path}[{j1 + offset}]",
                                    sources, depth + 1)
            continue
        if tag in ("replace", "delete"):
            for item in old[i1:i2]:
                yield ValueChange("item-removed", path, _text(item, sources[0]), None)
        if tag in ("replace", "insert"):
            for item in new[j1:j2]:
                yield ValueChange("item-added", path, None, _text(item, sources[1]))


def _same(before: ast.expr, after: ast.expr) -> bool:
    return ast.dump(before) == ast.dump(after)


def _text(node: ast.expr, source: SourceText) -> str:
    return value_text(source.segment(node) or ast.unparse(node))
