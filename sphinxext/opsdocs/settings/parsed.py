"""A settings module parsed once: its lines, tree, ``#:`` docs, comment blocks and
section headings, for every reader that needs them."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import parse_python, source_lines
from opsdocs.settings.comment_blocks import Blocks, section_titles
from opsdocs.settings.comments import ModuleDocs, parse_module


@dataclass
class ParsedFile:
    """A settings module parsed once: its lines (Python's numbering), tree, ``#:`` docs,
    comment blocks and section headings."""

    lines: list[str]
    tree: ast.Module
    docs: ModuleDocs
    blocks: Blocks
    sections: list[tuple[int, str]]


def parse_source(source: str, filename: str) -> ParsedFile:
    """*source* parsed; :class:`OpsdocsError` when it does not parse."""
    try:
        # One parse gives the tree and, by ModuleAnalyzer's own rules, the #: docs.
        tree, docs = parse_module(source, filename)
    except SyntaxError as error:
        raise OpsdocsError(_syntax_problem(source, filename, error)) from None
    except RecursionError:
        raise OpsdocsError(Problem(
            "the file is nested too deeply to read", filename, check="syntax")) from None
    except Exception as error:  # Sphinx's comment tokenizer, on a pathological line
        raise OpsdocsError(Problem(
            f"cannot parse: {error!r}", filename, check="syntax"
        )) from None
    lines = source_lines(source)
    return ParsedFile(lines, tree, docs, Blocks(lines, tree), section_titles(lines))


def _syntax_problem(source: str, filename: str, error: SyntaxError) -> Problem:
    try:
        parse_python(source, filename)
    except OpsdocsError as deep:
        return deep.problem
    except SyntaxError as plain:
        return Problem(
            f"syntax error: {plain.msg}; fix the file so that Python can import it",
            filename, plain.lineno, check="syntax",
        )
    # Only a type comment is malformed: Python runs the file, Sphinx's reader does not.
    return Problem(f"cannot parse: {error}", filename, error.lineno, check="syntax")
