"""``#:`` comments and annotations of module-level names, exactly as Sphinx reads them.

:class:`sphinx.pycode.ModuleAnalyzer` also tokenizes the whole file to find where classes
and functions are, and hands each assignment's parser a copy of the rest of the file: on a
file of a thousand settings that is most of its 135 ms.  This walks the module-level
statements once with the picker's own rules and helpers (``comment_re``,
``AfterCommentParser``, ``dedent_docstring``, ``get_lvar_names``, Sphinx's ``unparse``),
and runs the tokenizer only where a trailing ``#:`` comment can be.
``tests/test_changelog_comments.py`` checks it against ``ModuleAnalyzer`` on many inputs.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from sphinx.pycode import parser as _pycode
from sphinx.pycode.ast import unparse as _unparse
from sphinx.pycode.parser import (
    AfterCommentParser,
    comment_re,
    dedent_docstring,
    filter_whitespace,
    get_lvar_names,
    indent_re,
)

#: Statements the picker treats as assignments (``type X = ...`` too, on Python 3.12+).
_ASSIGNMENTS: tuple[type[ast.AST], ...] = getattr(
    _pycode, "AssignmentLikeType", (ast.Assign, ast.AnnAssign)
)
_TYPE_ALIAS: Any = getattr(ast, "TypeAlias", None)
#: Nodes the picker does not descend into at module level (their names are not ours).
_OPAQUE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)
#: Nodes besides statements that hold statements.
_CONTAINERS: tuple[type[ast.AST], ...] = (ast.excepthandler, *(
    (ast.match_case,) if hasattr(ast, "match_case") else ()
))


@dataclass
class ModuleDocs:
    """What ``ModuleAnalyzer`` finds for module-level names (scope ``""``).

    ``attr_docs`` is ``find_attr_docs()`` (lines plus a final ``""``), ``annotations``
    its ``annotations``, both keyed by the bare name.  ``doc_lines`` is more than
    ModuleAnalyzer gives: the line each doc starts on, so errors in it can be located.
    """

    attr_docs: dict[str, list[str]] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    doc_lines: dict[str, int] = field(default_factory=dict)


def parse_module(source: str, filename: str = "<string>") -> tuple[ast.Module, ModuleDocs]:
    """Parse *source* once; its tree (with type comments) and its module-level docs.

    Raises :class:`SyntaxError` as :func:`ast.parse` does.
    """
    tree = ast.parse(source, filename, type_comments=True)
    code = filter_whitespace(source)
    # The picker reads the source with form feeds made spaces; so must we.
    picked = tree if code == source else ast.parse(code, filename, type_comments=True)
    return tree, module_docs(picked, code.splitlines(True))


def module_docs(tree: ast.Module, lines: list[str]) -> ModuleDocs:
    """The docs of *tree*'s module-level names; *lines* is the source split with ends kept."""
    picker = _Picker(lines)
    picker.visit(tree)
    docs = ModuleDocs(annotations=picker.annotations, doc_lines=picker.doc_lines)
    for name, comment in picker.comments.items():
        docs.attr_docs[name] = [*comment.splitlines(), ""] if comment else [""]
    return docs


class _Picker:
    """``VariableCommentPicker`` restricted to module scope, without the tokenizer pass."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.previous: ast.AST | None = None
        self.comments: dict[str, str] = {}
        self.annotations: dict[str, str] = {}
        self.doc_lines: dict[str, int] = {}

    def visit(self, node: ast.AST) -> None:
        # Expressions hold no statements, and a visit only matters through ``previous``,
        # so they are not walked; functions and classes are other scopes.
        if isinstance(node, _ASSIGNMENTS):
            self.assignment(node)
        elif isinstance(node, ast.Expr):
            self.docstring(node)
        elif isinstance(node, ast.Try):
            for child in (*node.body, *node.orelse):  # the picker skips except and finally
                self.visit(child)
        elif isinstance(node, (ast.stmt, ast.mod, *_CONTAINERS)) and not isinstance(
            node, _OPAQUE
        ):
            for _, value in ast.iter_fields(node):
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, ast.AST):
                            self.visit(item)
                elif isinstance(value, ast.AST):
                    self.visit(value)
        self.previous = node

    def assignment(self, node: Any) -> None:
        if _TYPE_ALIAS is not None and isinstance(node, _TYPE_ALIAS):
            self.collect(node, [node.name.id], self.lines[node.lineno - 1])
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        try:
            names = [name for target in [get_lvar_names(t) for t in targets] for name in target]
            line = self.lines[node.lineno - 1]
        except TypeError:
            return  # item or attribute assignment: no new name
        annotation = getattr(node, "annotation", None) or getattr(node, "type_comment", None)
        if annotation:
            for name in names:
                self.annotations[name] = _unparse(annotation)
        self.collect(node, names, line)

    def collect(self, node: Any, names: list[str], line: str) -> None:
        if self.may_trail(node, line):
            after = AfterCommentParser(cast("list[str]", _rest(
                line[node.col_offset:], self.lines, node.lineno
            )))
            after.parse()
            if after.comment and comment_re.match(after.comment):
                for name in names:
                    self.comments[name] = comment_re.sub("\\1", after.comment)
                    self.doc_lines[name] = node.end_lineno
                return
        if indent_re.match(line[: node.col_offset]):
            above: list[str] = []
            for index in range(node.lineno - 2, -1, -1):
                # The pattern spans the whole line, so its group is what sub("\1") gives.
                match = comment_re.match(self.lines[index])
                if match is None:
                    break
                above.append(match.group(1))
            if above:
                comment = _dedent("\n".join(reversed(above)))
                for name in names:
                    self.comments[name] = comment
                    self.doc_lines[name] = node.lineno - len(above)

    def may_trail(self, node: ast.AST, line: str) -> bool:
        """Whether a trailing ``#:`` comment is possible, so the tokenizer must look.

        The comment token lies on the statement's lines (or after a backslash at its
        end).  A non-ASCII line is always tokenized: the picker slices it at a byte offset.
        """
        end = node.end_lineno or node.lineno  # type: ignore[attr-defined]
        if not line.isascii() or self.lines[end - 1].rstrip("\r\n").endswith("\\"):
            return True
        if end == node.lineno:  # type: ignore[attr-defined]
            return "#:" in line
        return any("#:" in self.lines[index] for index in range(node.lineno - 1, end))  # type: ignore[attr-defined]

    def docstring(self, node: ast.Expr) -> None:
        previous = self.previous
        if not (isinstance(previous, _ASSIGNMENTS) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)):
            return
        if isinstance(previous, ast.Assign):
            target: ast.AST = previous.targets[0]
        elif isinstance(previous, ast.AnnAssign):
            target = previous.target
        else:
            target = previous.name  # type: ignore[attr-defined]
        try:
            names = get_lvar_names(target)
        except TypeError:
            return
        for name in names:
            self.comments[name] = dedent_docstring(node.value.value)
            self.doc_lines[name] = node.lineno


@lru_cache(maxsize=8192)  # a history repeats most comments release after release
def _dedent(text: str) -> str:
    """``dedent_docstring`` without its throwaway function: what ``getdoc`` does with it."""
    doc = inspect.cleandoc(text)
    return doc.lstrip("\r\n").rstrip("\r\n") if doc else ""


def _rest(first: str, lines: list[str], start: int) -> Iterator[str]:
    """*first*, then ``lines[start:]`` without copying the list (the picker copies it)."""
    yield first
    for index in range(start, len(lines)):
        yield lines[index]
