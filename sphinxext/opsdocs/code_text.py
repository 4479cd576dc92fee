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
import keyword
import pprint
import tokenize
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

from opsdocs.reading import source_lines

#: Tokens that carry no code: comments, line ends, indentation.
_LAYOUT = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                     tokenize.DEDENT, tokenize.ENDMARKER})
_OPENING, _CLOSING = frozenset("([{"), frozenset(")]},:")
#: f-string parts are tokens of their own from Python 3.12 on: copied whole, as written.
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)
_FSTRING_MIDDLE = getattr(tokenize, "FSTRING_MIDDLE", None)


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

    def code(self, node: ast.AST, replacements: Mapping[ast.AST, str] | None = None) -> str:
        """The text of *node* (:meth:`replaced`) as if it started its line: its other lines
        moved left by as much as the text before it on its first line, as far as all of
        them can go, so that they keep their place under its first character (a value
        shown without ``LOGGING = ``).  Lines inside a string stay as written."""
        text = self.replaced(node, replacements or {})
        line, column = getattr(node, "lineno", None), getattr(node, "col_offset", None)
        if line is None or column is None or "\n" not in text:
            return text
        return _at_line_start(text, self._column(line, column))

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


def _at_line_start(text: str, column: int) -> str:
    """*text*, code that starts *column* characters into its line, as if it started it."""
    if not column:
        return text
    lines = text.splitlines(keepends=True)
    tokens = _tokens(text)
    if tokens is None:
        return text
    kept = {row for token in tokens if token.type in (tokenize.STRING, _FSTRING_MIDDLE)
            for row in range(token.start[0] + 1, token.end[0] + 1)}
    moved = [i for i in range(1, len(lines)) if i + 1 not in kept and lines[i].strip()]
    shift = min([column, *(len(lines[i]) - len(lines[i].lstrip(" ")) for i in moved)])
    if shift <= 0:
        return text
    return "".join(line[shift:] if i in moved else line for i, line in enumerate(lines))


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
    brackets: list[list[int]] = []  # per open bracket: [is a tuple's parenthesis, commas]
    try:
        for token, text in _code_tokens(tokenize.generate_tokens(io.StringIO(code).readline),
                                        lines):
            space = ""
            if previous is not None:
                if previous.end[0] == token.start[0]:
                    space = lines[token.start[0] - 1][previous.end[1]:token.start[1]]
                elif previous.string not in _OPENING and token.string not in _CLOSING:
                    space = " "
                if previous.string == "," and token.string in _ENDS and \
                        previous.end[0] != token.start[0] and out and \
                        brackets and brackets[-1] != [1, 1]:
                    out.pop()  # a trailing comma the lines needed: none before "}" on one line
                    size -= 1
            _track(brackets, previous, token)
            out += (space, text)
            previous = token
            size += len(space) + len(text)
            if enough is not None and size > enough:
                break
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        return " ".join(code.split())
    return "".join(out).strip()


def value_text(code: str | None, width: int | None = None) -> str:
    """A value's code as every output shows it on one line: a literal in Python's own
    ``repr`` style (``{'a': 1}`` however it is written), other code as written
    (:func:`one_line`); cut to *width* characters with ``...``."""
    value = _printable(code)
    # What _printable lets through (no set, which pprint would sort) pprint writes on one
    # line exactly as repr() does, five times slower.
    text = repr(value[0]) if value else None
    if text is None:
        return shortened(code, width) if width is not None else one_line(code or "")
    return text if width is None or len(text) <= width else text[: width - 3] + "..."


def value_lines(code: str | None, width: int = 79) -> str:
    """A value's code as shown whole: a literal in ``repr`` style on lines of at most
    *width* characters where it is longer (as :mod:`pprint` lays it out, strings kept
    whole), other code as written."""
    value = _printable(code)
    if value is None:
        return code or ""
    return _LinePrinter(width=width, sort_dicts=False).pformat(value[0])


def _printable(code: str | None) -> tuple[Any] | None:
    """The literal *code* writes, when its ``repr`` is the same on every run (no set,
    whose order changes with string hashing)."""
    value = literal(code) if code else None
    if value is None:
        return None
    try:
        return value if not _unprintable(value[0]) else None
    except RecursionError:
        return None


def _unprintable(value: object) -> bool:
    """A set (its order changes from run to run) or ``...`` (what stands for a secret's
    value in code that is shown: ``Ellipsis`` would read as Python's)."""
    if isinstance(value, (set, frozenset)) or value is Ellipsis:
        return True
    if isinstance(value, dict):
        return any(_unprintable(k) or _unprintable(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_unprintable(item) for item in value)
    return False


class _LinePrinter(pprint.PrettyPrinter):
    """:mod:`pprint`'s layout, a string or bytes kept on one line (never split in parts)."""

    _dispatch: ClassVar[dict[Any, Any]] = {
        key: function for key, function in getattr(pprint.PrettyPrinter, "_dispatch", {}).items()
        if key not in (str.__repr__, bytes.__repr__)}


_ENDS = frozenset(")]}")


def _track(brackets: list[list[int]], previous: tokenize.TokenInfo | None,
           token: tokenize.TokenInfo) -> None:
    """Keep *brackets* (the open ones) up to date with *token*: whether a parenthesis is a
    tuple's (not a call's), and how many commas it holds at its own level."""
    if token.string in _OPENING:
        call = previous is not None and (previous.string in _ENDS or (
            previous.type == tokenize.NAME and not keyword.iskeyword(previous.string)))
        brackets.append([int(token.string == "(" and not call), 0])
    elif token.string in _ENDS and brackets:
        brackets.pop()
    elif token.string == "," and brackets:
        brackets[-1][1] += 1


def entry_name(root: str, path: Iterable[object]) -> str:
    """A key of a setting named as code-annotations names it: ``FEATURES['ENABLE_X']``
    (the inverse of :func:`key_path`)."""
    return root + "".join(f"[{key!r}]" for key in path)


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


def expression(code: str) -> ast.expr | None:
    """The expression *code* writes (white space around it aside), parsed, never
    evaluated; ``None`` when it writes none."""
    try:
        return ast.parse(code.strip(), mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


def literal(code: str | ast.expr) -> tuple[Any] | None:
    """The value *code* (source text, or parsed) writes, in a 1-tuple (``None`` is a
    value), when it is a literal: read with :func:`ast.literal_eval`, never evaluated;
    else ``None``."""
    try:
        return (ast.literal_eval(code),)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
