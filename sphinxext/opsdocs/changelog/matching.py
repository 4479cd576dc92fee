"""Pairing what is gone with what is new, rule by rule: the one rename matcher of settings,
commands and toggles."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")
E = TypeVar("E")

#: A rule: its evidence, and the key an item is matched by (``None`` or empty: none).
Rule = tuple[E, Callable[[T], Hashable | None]]


def match_unique(removed: Sequence[T], added: Sequence[T], rules: Iterable[Rule[E, T]],
                 accept: Callable[[T, T], bool] | None = None) -> list[tuple[T, T, E]]:
    """``(old, new, evidence)``: each removed item paired with an added one by the first rule
    whose key exactly one item not yet paired has on each side (and *accept* takes), in the
    order of *removed*."""
    found: list[tuple[T, T, E]] = []
    for evidence, key in rules:
        paired = {id(item) for old, new, _ in found for item in (old, new)}
        olds = _unique(key, (item for item in removed if id(item) not in paired))
        news = _unique(key, (item for item in added if id(item) not in paired))
        found += [(old, news[k], evidence) for k, old in olds.items()
                  if k in news and (accept is None or accept(old, news[k]))]
    return found


def _unique(key: Callable[[T], Hashable | None], items: Iterable[T]) -> dict[Hashable, T]:
    """*items* by their *key*, but those whose key another one has too, or none."""
    found: dict[Hashable, T] = {}
    shared: set[Hashable] = set()
    for item in items:
        value = key(item)
        if not value:
            continue
        if value in found:
            shared.add(value)
        found[value] = item
    return {k: item for k, item in found.items() if k not in shared}
