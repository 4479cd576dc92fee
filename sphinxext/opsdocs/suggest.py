""""Did you mean ...?": the known name most like a misspelt one, and the one sentence saying so.

:func:`did_you_mean` is the hint every message about a misspelt name ends with, and
:class:`NameMatcher` the one matcher behind it: the config check, the runtime loader, the
commands file and its directives, ``:setting:`` references and annotation fields.  It
answers as :func:`difflib.get_close_matches` with ``n=1`` and a cutoff of 0.75 would for
the misspellings people make (a letter wrong, missing, added or two swapped), in time
linear in the word: every known name is indexed under itself and each of its one-letter
deletions, so the candidates of a word are the names sharing one of its own.  A word
with no such candidate gets the slower search over every name, but only
:data:`NameMatcher.SLOW_SEARCHES` times per matcher, so a file of 50,000 unknown keys
against 5,000 settings takes seconds, not minutes.
"""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Iterable

#: Names longer than this are not indexed by their deletions (a word that long is no
#: misspelling of a setting name); the slow search still finds them.
_INDEXED_LENGTH = 64


def did_you_mean(close: str | None) -> str:
    """The end of a message about a misspelt name: ``; did you mean 'NAME'?`` for the near
    name *close*, nothing without one (the message then says what to do itself)."""
    return f"; did you mean {close!r}?" if close else ""


def closest_name(word: str, names: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The name of *names* most like *word* (see :meth:`NameMatcher.closest`), or ``None``:
    one question, one matcher."""
    return NameMatcher(names).closest(word, cutoff)


class NameMatcher:
    """The known name most like a misspelt word (:meth:`closest`)."""

    #: Words without a near candidate searched among every name, per matcher.
    SLOW_SEARCHES = 100
    #: Names the slow search compares, those sharing the most letter pairs with the word.
    CANDIDATES = 25

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(dict.fromkeys(names))
        self.position = {name: index for index, name in enumerate(self.names)}
        self.index: dict[str, list[str]] | None = None
        self.pairs: list[tuple[str, frozenset[str]]] | None = None
        self.slow_searches = self.SLOW_SEARCHES

    def closest(self, word: str, cutoff: float = 0.75) -> str | None:
        """The known name most like *word* (a ratio of at least *cutoff*), or ``None``."""
        best = _best(self.near(word), word, cutoff)
        if best is None and self.slow_searches > 0:
            self.slow_searches -= 1
            best = _best(self.sharing_pairs(word), word, cutoff)
        return best

    def near(self, word: str) -> list[str]:
        """Known names one deletion from *word*, or sharing a deletion with it."""
        if self.index is None:
            self.index = {}
            for name in self.names:
                if len(name) <= _INDEXED_LENGTH:
                    for variant in {name, *_deletions(name)}:
                        self.index.setdefault(variant, []).append(name)
        if len(word) > _INDEXED_LENGTH + 1:
            return []
        found: dict[str, None] = {}
        for variant in (word, *_deletions(word)):
            found.update(dict.fromkeys(self.index.get(variant, ())))
        return sorted(found, key=self.position.__getitem__)

    def sharing_pairs(self, word: str) -> list[str]:
        """The :data:`CANDIDATES` names sharing the most letter pairs with *word*."""
        if self.pairs is None:
            self.pairs = [(name, _letter_pairs(name)) for name in self.names]
        pairs = _letter_pairs(word)
        return [name for name, _ in heapq.nlargest(
            self.CANDIDATES, self.pairs, key=lambda item: len(pairs & item[1]))]


def _best(candidates: list[str], word: str, cutoff: float) -> str | None:
    """The candidate with the best ratio to *word*, at least *cutoff*; on a tie, the
    greatest, as :func:`difflib.get_close_matches` has it.

    The cheap upper bounds of the ratio rule most candidates out before the costly one.
    """
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best, best_ratio = None, cutoff
    for name in candidates:
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio or (ratio == best_ratio and (best is None or name > best)):
            best, best_ratio = name, ratio
    return best


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _letter_pairs(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))
