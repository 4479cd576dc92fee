"""A settings file parsed again block by block: what changed from one release to the next.

Consecutive releases share most of a settings file.  A *block* is one top-level statement
(or several on one line) with the comments and blank lines before it.  A release's file is
cut into the blocks of the last one it shares text with; only the text between them is
parsed again, alone, which proves it is whole statements (the text around it is unchanged
whole statements, so the cut is where Python's own would be).  The changed blocks are
then read again together with every block that mentions a name they mention, and so on
(a setting, its ``if DEBUG:`` override, the condition's own setting), since the reader
links statements only through names; the other blocks keep their settings.  A star
import, ``globals()`` and the like, code-annotations comments (which may name a setting
anywhere), a syntax error or a group of half the file are a parse of the whole file, as
:func:`read_settings_source` gives it; a differential test holds the two
equal.  Only what the changelog compares is kept equal: lines and sections of unchanged
settings stay as the earlier release had them.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from opsdocs.errors import OpsdocsError
from opsdocs.settings.model import Setting
from opsdocs.settings.reader import read_settings_source

_LINE_END = re.compile(r"\r\n|\r|\n")
#: code-annotations comments may name a setting defined in another block.
_ANNOTATION = re.compile(r"#\s*\.\.\s+(?:setting|toggle)_")
_OPAQUE_CALLS = frozenset({"globals", "locals", "vars", "exec", "eval", "setattr", "__import__"})
#: How many blocks ahead a changed region is looked for its end.
_WINDOW = 64


@dataclass(frozen=True)
class Block:
    """A block's text, the names its statements mention and those they bind (assign,
    change, import, define), and its settings.

    ``docstring`` says it is a bare string (a doc of the assignment before it).
    """

    text: str
    names: frozenset[str]
    docstring: bool
    settings: tuple[Setting, ...] = ()
    bound: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ParsedBlocks:
    """One file's settings and its blocks; ``None`` blocks: it cannot be reused."""

    settings: tuple[Setting, ...]
    blocks: tuple[Block, ...] | None


class Unusable(Exception):
    """The text cannot be taken block by block: parse the whole file."""


def parse_whole(text: str, path: str, required: bool,
                sentinels: tuple[str, ...]) -> ParsedBlocks:
    """The settings of *text* as the reader gives them, with its blocks to reuse."""
    settings = tuple(read_settings_source(text, path, required=required,
                                          sentinels=sentinels)[0])
    try:
        blocks = _blocks(text)
    except Unusable:
        return ParsedBlocks(settings, None)
    by_block = _settings_by_block(settings, blocks)
    if by_block is None:
        return ParsedBlocks(settings, None)
    return ParsedBlocks(settings, tuple(
        Block(b.text, b.names, b.docstring, found, b.bound)
        for b, found in zip(blocks, by_block, strict=True)))


def parse_after(last: ParsedBlocks, text: str, path: str, required: bool,
                sentinels: tuple[str, ...]) -> ParsedBlocks:
    """The settings of *text*, reusing *last* (the parse of an earlier version) where the
    blocks are the same; the whole file parsed when they cannot be reused."""
    if last.blocks is not None and not _ANNOTATION.search(text):
        try:
            return _incremental(last.blocks, text, path, required, sentinels)
        except (Unusable, OpsdocsError):
            pass
    return parse_whole(text, path, required, sentinels)


def _incremental(old: Sequence[Block], text: str, path: str, required: bool,
                 sentinels: tuple[str, ...]) -> ParsedBlocks:
    new, changed, removed = _align(old, text)
    if changed or removed:
        group = _group(new, changed, removed)
        found = _reread([new[i] for i in group], path, required, sentinels)
        for number, settings in zip(group, found, strict=True):
            block = new[number]
            new[number] = Block(block.text, block.names, block.docstring,
                                settings, block.bound)
    return ParsedBlocks(tuple(s for block in new for s in block.settings), tuple(new))


def _group(new: list[Block], changed: list[Block], removed: list[Block]) -> list[int]:
    """The indices of the blocks to read again: the changed ones; every block mentioning a
    name they bound, or the removed ones bound (its meaning may change), and so on; and,
    as context, the blocks binding a name those mention.  :class:`Unusable` when that is
    half the file (reading it whole is as quick)."""
    if any(block.docstring for block in removed):
        raise Unusable
    mentioning: dict[str, list[int]] = {}
    binding: dict[str, list[int]] = {}
    for number, block in enumerate(new):
        for name in block.names:
            mentioning.setdefault(name, []).append(number)
        for name in block.bound:
            binding.setdefault(name, []).append(number)
    changed_ids = {id(block) for block in changed}
    group = {number for number, block in enumerate(new) if id(block) in changed_ids}
    # Blocks whose meaning may change: those mentioning a name whose binding changed.
    _close(group, new, [name for block in (*changed, *removed) for name in block.bound],
           mentioning, lambda block: block.bound)
    # Their context: the blocks binding the names they mention.
    _close(group, new, [name for number in group for name in new[number].names], binding,
           lambda block: block.names)
    for number in sorted(group):  # a doc string documents the assignment before it
        if number + 1 < len(new) and new[number + 1].docstring:
            group.add(number + 1)
        if new[number].docstring and number:
            group.add(number - 1)
    if len(group) * 2 > len(new):
        raise Unusable
    return sorted(group)


def _close(group: set[int], blocks: list[Block], names: list[str],
           index: dict[str, list[int]], follow: Any) -> None:
    """Add to *group* the blocks *index* gives for *names*, then for the names *follow*
    gives of each block added, until none is left."""
    seen: set[str] = set()
    while names:
        name = names.pop()
        if name in seen:
            continue
        seen.add(name)
        for number in index.get(name, ()):
            if number not in group:
                group.add(number)
                names.extend(follow(blocks[number]))


def _align(old: Sequence[Block], text: str) -> tuple[list[Block], list[Block], list[Block]]:
    """*text* as blocks: the old ones it still holds, and new ones parsed from the text
    between them; also the new (changed) ones alone, and the old ones gone."""
    new: list[Block] = []
    changed: list[Block] = []
    removed: list[Block] = []
    position, index = 0, 0
    while position < len(text) or index < len(old):
        if index < len(old) and text.startswith(old[index].text, position):
            new.append(old[index])
            position += len(old[index].text)
            index += 1
            continue
        end, resume = _next_match(old, text, position, index)
        region = _blocks(text[position:end]) if end > position else []
        new.extend(region)
        changed.extend(region)
        removed.extend(old[index:resume])
        position, index = end, resume
    return new, changed, removed


def _reread(blocks: list[Block], path: str, required: bool,
            sentinels: tuple[str, ...]) -> list[tuple[Setting, ...]]:
    """The settings of *blocks* read together from their text alone, block by block."""
    text = "".join(block.text for block in blocks)
    found = read_settings_source(text, path, required=required, sentinels=sentinels)[0]
    by_block = _settings_by_block(found, blocks)
    if by_block is None:
        raise Unusable
    return by_block


def _next_match(old: Sequence[Block], text: str, position: int, index: int) -> tuple[int, int]:
    """Where the text at *position* meets an old block again: ``(offset, block index)``;
    the end of both when it does not."""
    best = (len(text), len(old))
    for candidate in range(index, min(index + _WINDOW, len(old))):
        block = old[candidate].text
        if not block:
            continue
        found = text.find(block, position, best[0] + len(block))
        while found != -1 and found > 0 and text[found - 1] not in "\r\n":
            found = text.find(block, found + 1, best[0] + len(block))
        if found != -1 and found < best[0]:
            best = (found, candidate)
    return best


def _blocks(text: str) -> list[Block]:
    """*text* (whole top-level statements) cut into blocks; :class:`Unusable` when it is
    not whole statements or reads names in ways a block cannot be reused through."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise Unusable from None
    starts = [0] + [match.end() for match in _LINE_END.finditer(text)]
    groups: list[list[ast.stmt]] = []
    for statement in tree.body:
        if groups and statement.lineno <= (groups[-1][-1].end_lineno or 0):
            groups[-1].append(statement)
        else:
            groups.append([statement])
    blocks = []
    begin = 0
    for number, group in enumerate(groups):
        last_line = group[-1].end_lineno or group[-1].lineno
        end = starts[last_line] if last_line < len(starts) else len(text)
        if number == len(groups) - 1:
            end = len(text)  # trailing comments and blank lines stay with the last block
        blocks.append(_block(text[begin:end], group))
        begin = end
    if not groups and text:
        blocks.append(Block(text, frozenset(), False))
    return blocks


def _block(text: str, statements: list[ast.stmt]) -> Block:
    docstring = len(statements) == 1 and isinstance(statements[0], ast.Expr) and isinstance(
        statements[0].value, ast.Constant) and isinstance(statements[0].value.value, str)
    names, bound = _names(statements)
    return Block(text, names, docstring, bound=bound)


def _names(statements: list[ast.stmt]) -> tuple[frozenset[str], frozenset[str]]:
    """Every name the statements mention, and those they bind (``X = ``, ``del X``,
    ``X[k] = ``, ``X.a = ``, imports, definitions); :class:`Unusable` for a star import or
    a call that reaches names by string (``globals()``)."""
    names: set[str] = set()
    bound: set[str] = set()
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                if node.id in _OPAQUE_CALLS:
                    raise Unusable
                names.add(node.id)
                if not isinstance(node.ctx, ast.Load):
                    bound.add(node.id)
            elif isinstance(node, (ast.Subscript, ast.Attribute)) and not isinstance(
                    node.ctx, ast.Load):
                bound.update(_base_name(node))
            elif isinstance(node, ast.alias):
                if node.name == "*":
                    raise Unusable
                bound.add((node.asname or node.name).split(".")[0])
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                bound.update(node.names)
    names |= bound
    return frozenset(names), frozenset(bound)


def _base_name(node: ast.Subscript | ast.Attribute) -> list[str]:
    """The name a changed item or attribute belongs to: ``X`` of ``X["a"].b = ...``."""
    base = node.value
    while isinstance(base, (ast.Subscript, ast.Attribute)):
        base = base.value
    return [base.id] if isinstance(base, ast.Name) else []


def _settings_by_block(settings: Sequence[Setting],
                       blocks: Sequence[Block]) -> list[tuple[Setting, ...]] | None:
    """The settings each block holds, in the reader's order; ``None`` when the reader's
    order is not the blocks' (then they cannot be put back together in order)."""
    first_lines = []
    line = 1
    for block in blocks:
        first_lines.append(line)
        line += len(_LINE_END.findall(block.text))
    found: list[list[Setting]] = [[] for _ in blocks]
    where = -1
    for setting in settings:
        number = max(bisect.bisect_right(first_lines, setting.line) - 1, 0)
        if number < where:
            return None
        where = number
        found[number].append(setting)
    return [tuple(items) for items in found]
