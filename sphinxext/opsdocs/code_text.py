"""Python source text as readers see it: a node's own text, comments left out, or on one
line.

A value keeps its source text in the model (``Setting.value``, the JSON ``value``); each
output shows it through these functions, so that a comment inside a dict (edx-platform's
``# .. toggle_name:`` blocks in ``FEATURES``) is never part of a default, and a value put
on one line is still valid Python: collapsing white space alone would turn a ``#`` comment
into text that swallows the code after it.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from opsdocs.reading import source_lines

#: Tokens that carry no code: comments, line ends, indentation.
_LAYOUT = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                     tokenize.DEDENT, tokenize.ENDMARKER})
_OPENING, _CLOSING = frozenset("([{"), frozenset(")]},:")
#: f-string parts are tokens of their own from Python 3.12 on: copied whole, as written.
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)


class SourceText:
    """The source text of a module's :mod:`ast` nodes, from its lines split once.

    :func:`ast.get_source_segment` splits the whole source on every call, which is
    quadratic over a file of thousands of settings.  *lines* are split where Python splits
    them (:func:`~opsdocs.reading.source_lines`); ast's column offsets are UTF-8 bytes.
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self._offsets: list[int] | None = None
        self._source = ""

    @classmethod
    def of(cls, source: str) -> SourceText:
        """The text of *source*'s nodes."""
        return cls(source_lines(source))

    def segment(self, node: ast.AST) -> str:
        """The source text of *node*; empty when it has no position (a node made up)."""
        return self.replaced(node, {})

    def replaced(self, node: ast.AST, replacements: Mapping[ast.AST, str]) -> str:
        """The source text of *node*, with some nodes inside it written as other text."""
        start, end = self.span(node)
        if start is None or end is None:
            return ""
        source = self._source
        if not replacements:
            return source[start:end]
        out, position = [], start
        for inner, text in sorted(replacements.items(), key=lambda item: self.span(item[0])[0] or 0):
            begin, finish = self.span(inner)
            if begin is None or finish is None or begin < position or finish > end:
                continue
            out += [source[position:begin], text]
            position = finish
        out.append(source[position:end])
        return "".join(out)

    def span(self, node: ast.AST) -> tuple[int | None, int | None]:
        """Character offsets of *node* in the source."""
        line, end_line = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        col, end_col = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
        if line is None or end_line is None or col is None or end_col is None:
            return None, None
        offsets = self._line_offsets()
        return (offsets[line - 1] + self._column(line, col),
                offsets[end_line - 1] + self._column(end_line, end_col))

    def _line_offsets(self) -> list[int]:
        if self._offsets is None:
            self._offsets, total = [], 0
            for line in self.lines:
                self._offsets.append(total)
                total += len(line)
            self._source = "".join(self.lines)
        return self._offsets

    def _column(self, line: int, column: int) -> int:
        text = self.lines[line - 1]
        return column if text.isascii() else len(text.encode()[:column].decode(errors="ignore"))


def without_comments(code: str) -> str:
    """*code* without its comments: a line holding only a comment goes, with the blank
    lines right above it (they set the comment apart); a comment after code is cut off
    with the spaces before it; everything else stays as written."""
    if "#" not in code:
        return code
    tokens = _tokens(code)
    if tokens is None:
        return code
    lines = code.splitlines(keepends=True)
    cut = {token.start[0] - 1: token.start[1] for token in tokens
           if token.type == tokenize.COMMENT}
    kept = []
    for index, line in enumerate(lines):
        column = cut.get(index)
        if column is None:
            kept.append(line)
            continue
        end = "\n" if line.endswith("\n") else ""
        text = line[:column].rstrip()
        if text:
            kept.append(text + end)
        else:
            while kept and not kept[-1].strip():
                kept.pop()
    return "".join(kept).rstrip("\n") if not code.endswith("\n") else "".join(kept)


def one_line(code: str) -> str:
    """*code* on one line, comments left out, still valid Python: lines inside brackets are
    joined with a space (none after an opening bracket or before a closing one), strings
    are kept as written (a string of several lines as its ``repr``)."""
    return _one_line(code, None)


def shortened(code: str | None, width: int) -> str:
    """*code* on one line (:func:`one_line`), cut to *width* characters with ``...``."""
    line = _one_line(code or "", width)
    return line if len(line) <= width else line[: width - 3] + "..."


def _one_line(code: str, enough: int | None) -> str:
    """:func:`one_line`, reading no further than *enough* characters of it (a long
    default's head is read, not the whole of it)."""
    if "\n" not in code and "\r" not in code and "#" not in code:
        return code.strip()
    lines = code.splitlines(keepends=True)
    out: list[str] = []
    size = 0
    previous: tokenize.TokenInfo | None = None
    try:
        for token, text in _code_tokens(tokenize.generate_tokens(io.StringIO(code).readline),
                                        lines):
            space = ""
            if previous is not None:
                if previous.end[0] == token.start[0]:
                    space = lines[token.start[0] - 1][previous.end[1]:token.start[1]]
                elif previous.string not in _OPENING and token.string not in _CLOSING:
                    space = " "
            out += (space, text)
            previous = token
            size += len(space) + len(text)
            if enough is not None and size > enough:
                break
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        return " ".join(code.split())
    return "".join(out).strip()


def key_path(path: str) -> tuple[object, ...] | None:
    """The keys a path names (``['default']["PORT"]`` is ``('default', 'PORT')``), however
    each is quoted; ``None`` when one is no literal (``[**other]``, ``[NAME]``)."""
    try:
        node = ast.parse("_" + path, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    keys: list[object] = []
    while isinstance(node, ast.Subscript):
        if not isinstance(node.slice, ast.Constant):
            return None
        keys.append(node.slice.value)
        node = node.value
    return tuple(reversed(keys)) if isinstance(node, ast.Name) else None


def _tokens(code: str) -> list[tokenize.TokenInfo] | None:
    try:
        return list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _code_tokens(tokens: Iterator[tokenize.TokenInfo],
                 lines: list[str]) -> Iterator[tuple[tokenize.TokenInfo, str]]:
    """The tokens that are code, each with the text to write for it (an f-string of
    Python 3.12 as one piece, from its start to its end)."""
    for token in tokens:
        if token.type in _LAYOUT:
            continue
        if token.type == _FSTRING_START:
            depth, last = 1, token
            for last in tokens:
                depth += (last.type == _FSTRING_START) - (last.type == _FSTRING_END)
                if not depth:
                    break
            whole = _span(lines, token.start, last.end)
            yield tokenize.TokenInfo(tokenize.STRING, whole, token.start, last.end,
                                     token.line), _single_line(whole)
            continue
        yield token, _single_line(token.string) if token.type == tokenize.STRING else \
            token.string


def _span(lines: list[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    if start[0] == end[0]:
        return lines[start[0] - 1][start[1]:end[1]]
    return lines[start[0] - 1][start[1]:] + "".join(lines[start[0]:end[0] - 1]) + \
        lines[end[0] - 1][:end[1]]


def _single_line(string: str) -> str:
    """A string literal on one line: one of several lines as the ``repr`` of its value
    (an f-string, which has no value to write, as written)."""
    if "\n" not in string and "\r" not in string:
        return string
    value = literal(string)
    return string if value is None else repr(value[0])


def literal(code: str) -> tuple[Any] | None:
    """The value *code* writes, in a 1-tuple (``None`` is a value), when it is a literal:
    read with :func:`ast.literal_eval`, never evaluated; else ``None``."""
    try:
        return (ast.literal_eval(code),)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
