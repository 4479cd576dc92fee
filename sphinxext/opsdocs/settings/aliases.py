"""Settings held inside other settings: ``CONTENTSTORE = {'DOC_STORE_CONFIG':
DOC_STORE_CONFIG}`` puts the very dict ``DOC_STORE_CONFIG`` is into ``CONTENTSTORE``, so
``CONTENTSTORE['DOC_STORE_CONFIG']['read_preference'] = ...`` changes ``DOC_STORE_CONFIG``.

:class:`Aliases` remembers where each literal holds a setting by name, and says which
settings a change to a place inside another reaches: exactly (every key a literal), or
perhaps (a key that is computed).  Rebinding either name forgets the link.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: A key of a place that is computed (``X[name]``): it may be any key.
ANY: Any = object()
#: How deep inside a literal settings held by name are looked for, and how many are kept.
_DEPTH = 8
_MOST = 256


@dataclass(frozen=True)
class Reached:
    """A setting a change reaches: its name, and the text of the place that is it inside
    the changed setting (``CONTENTSTORE['DOC_STORE_CONFIG']``), ``None`` when a computed
    key makes it only possible."""

    name: str
    via: str | None


@dataclass
class Aliases:
    """For each setting, the places inside its literal that hold another setting."""

    held: dict[str, dict[tuple[Any, ...], str]] = field(default_factory=dict)
    #: for each setting held, the settings that hold it
    holders: dict[str, set[str]] = field(default_factory=dict)

    def note(self, name: str, value: ast.expr, is_setting: Callable[[str], bool]) -> None:
        """*name* is bound to *value*: the settings its literal holds by name."""
        self.forget(name)
        found = dict(itertools.islice(_held(value, (), is_setting, 0), _MOST))
        if found:
            self.held[name] = found
            for held in found.values():
                self.holders.setdefault(held, set()).add(name)

    def forget(self, name: str) -> None:
        """*name* is bound anew: it holds nothing, and nothing holds it any more."""
        self.held.pop(name, None)
        for holder in self.holders.pop(name, ()):
            places = self.held.get(holder, {})
            for path in [p for p, held in places.items() if held == name]:
                del places[path]

    def copy(self) -> Aliases:
        return Aliases({k: dict(v) for k, v in self.held.items()},
                       {k: set(v) for k, v in self.holders.items()})

    def replaced(self, name: str, path: list[Any]) -> None:
        """The place *path* inside *name* is given another value (or deleted)."""
        places = self.held.get(name, {})
        for held in [p for p in places if p[:len(path)] == tuple(path) and ANY not in path]:
            del places[held]

    def reached(self, name: str, path: list[Any], texts: list[str]) -> Iterator[Reached]:
        """The settings a change to the place *path* inside *name* reaches (*texts*: the
        source text of each place along the path, ``texts[i]`` the place of
        ``path[:i]``)."""
        for held_path, held in self.held.get(name, {}).items():
            depth = len(held_path)
            if len(path) < depth or not all(
                    key is ANY or key == wanted for key, wanted in zip(path, held_path,
                                                                      strict=False)):
                continue
            exact = ANY not in path[:depth]
            yield Reached(held, texts[depth] if exact and depth < len(texts) else None)


def _held(value: ast.expr, path: tuple[Any, ...], is_setting: Callable[[str], bool],
          depth: int) -> Iterator[tuple[tuple[Any, ...], str]]:
    if depth > _DEPTH:
        return
    if isinstance(value, ast.Name) and path and is_setting(value.id):
        yield path, value.id
    elif isinstance(value, ast.Dict):
        for key, item in zip(value.keys, value.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, (str, int)):
                yield from _held(item, (*path, key.value), is_setting, depth + 1)
    elif isinstance(value, (ast.List, ast.Tuple)):
        for index, item in enumerate(value.elts):
            if isinstance(item, ast.Starred):
                return  # the indices after it are unknown
            yield from _held(item, (*path, index), is_setting, depth + 1)
    elif isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
            value.func.id == "dict" and not value.args:
        for keyword in value.keywords:
            if keyword.arg is not None:
                yield from _held(keyword.value, (*path, keyword.arg), is_setting, depth + 1)


@dataclass(frozen=True)
class Place:
    """A place inside a setting a statement changes: the setting, the keys to it
    (:data:`ANY` for a computed one), and the source text of the place at each depth."""

    root: str
    path: list[Any]
    texts: list[str]


def place_of(node: ast.expr, setting: Callable[[ast.expr], str | None],
             text: Callable[[ast.AST], str]) -> Place | None:
    """The place *node* denotes (``X['a'][k]``, ``X.setdefault('a', {})``), when it is
    inside a setting; *setting* says which setting a node names, *text* gives its source."""
    keys: list[Any] = []
    nodes: list[ast.expr] = []
    while (root := setting(node)) is None:
        nodes.append(node)
        if isinstance(node, ast.Subscript):
            keys.append(node.slice.value if isinstance(node.slice, ast.Constant) else ANY)
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "setdefault" and node.args:
            first = node.args[0]
            keys.append(first.value if isinstance(first, ast.Constant) else ANY)
            node = node.func.value
        else:
            return None
    nodes.append(node)
    return Place(root, keys[::-1], [text(n) for n in reversed(nodes)])
