"""Python source parsed with :mod:`ast`, a module nested too deeply reported, never raised."""

from __future__ import annotations

import ast
import sys

from opsdocs.reading.kinds import MAX_DEPTH, SETTINGS_MODULE, FileKind, nested_too_deeply


def parse_python(source: str, filename: str, kind: FileKind = SETTINGS_MODULE, *,
                 type_comments: bool = False) -> ast.Module:
    """:func:`ast.parse`, with an expression nested too deeply reported, not raised.

    Raises :class:`SyntaxError` for a syntax error, as :func:`ast.parse` does.
    """
    try:
        tree = ast.parse(source, filename, type_comments=type_comments)
    except (RecursionError, MemoryError):  # "too complex": a parser stack overflow
        kind.fail(nested_too_deeply(kind), filename)
    except SyntaxError as error:
        if (error.msg or "").startswith("Exceeds the limit"):  # Python's words, not ours
            error.msg = (f"a whole number has more than {sys.get_int_max_str_digits():,} "
                         "digits, more than Python reads (write it in hexadecimal)")
        if error.lineno is None and "\0" in source:  # Python names no line for a NUL
            error.lineno = _nul_line(source)
        raise
    except ValueError:  # a NUL byte, before Python 3.12: a syntax error there too
        if "\0" not in source:
            raise
        raise SyntaxError("source code string cannot contain null bytes",
                          (filename, _nul_line(source), 1, None)) from None
    line = deep_node_line(tree)
    if line is not None:
        kind.fail(nested_too_deeply(kind), filename, line)
    return tree


def _nul_line(source: str) -> int:
    return source.count("\n", 0, source.index("\0")) + 1


def deep_node_line(tree: ast.AST, limit: int = MAX_DEPTH) -> int | None:
    """The line of the first node of *tree* nested more than *limit* deep, or ``None``."""
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return getattr(node, "lineno", None) or 1
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return None
