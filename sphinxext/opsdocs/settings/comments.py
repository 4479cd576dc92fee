"""``#:`` comments and annotations of module-level names, exactly as Sphinx reads them.

These are the rules of :class:`sphinx.pycode.ModuleAnalyzer`, the reader autodoc uses,
without importing Sphinx: the model and readers stay free of it, and a service's loader
never pays for it.  The picker's helpers (``comment_re``, ``AfterCommentParser``,
``dedent_docstring``, ``get_lvar_names``, ``unparse``, from ``sphinx.pycode``, BSD
licensed) are ported below, as Sphinx 7.3+ has them (``type X = ...`` is an assignment on
Python 3.12+).  ``ModuleAnalyzer`` also tokenizes the whole file to find where classes and
functions are, and hands each assignment's parser a copy of the rest of the file: on a
file of a thousand settings that is most of its 135 ms.  This walks the module-level
statements once, and runs the tokenizer only where a trailing ``#:`` comment can be.
``tests/settings/test_comments.py`` checks it against ``ModuleAnalyzer`` on many inputs.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import re
import sys
import tokenize
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from token import COMMENT, DEDENT, INDENT, NAME, NEWLINE, NUMBER, OP, STRING
from typing import Any

from opsdocs.reading import parse_python, source_lines

#: Statements the picker treats as assignments (``type X = ...`` too, on Python 3.12+).
_ASSIGNMENTS: tuple[type[ast.AST], ...] = (
    (ast.Assign, ast.AnnAssign, ast.TypeAlias) if sys.version_info >= (3, 12)  # type: ignore[attr-defined]
    else (ast.Assign, ast.AnnAssign)
)
_TYPE_ALIAS: Any = getattr(ast, "TypeAlias", None)
#: Nodes the picker does not descend into at module level (their names are not ours).
_OPAQUE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)
#: Nodes besides statements that hold statements.
_CONTAINERS: tuple[type[ast.AST], ...] = (ast.excepthandler, *(
    (ast.match_case,) if hasattr(ast, "match_case") else ()
))
#: A ``#:`` comment line; its group is the text (``sphinx.pycode.parser.comment_re``).
_DOC_COMMENT = re.compile("^\\s*#: ?(.*)\r?\n?$")
_BLANK = re.compile("^\\s*$")


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

    Raises :class:`SyntaxError` as :func:`ast.parse` does, and
    :class:`~opsdocs.errors.OpsdocsError` for a module nested too deeply to read.
    """
    tree = parse_python(source, filename, type_comments=True)
    code = source.replace("\f", " ")
    # The picker reads the source with form feeds made spaces; so must we.
    picked = tree if code == source else parse_python(code, filename, type_comments=True)
    return tree, module_docs(picked, source_lines(code))


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
            names = [name for target in [_new_names(t) for t in targets] for name in target]
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
            after = _trailing_comment(_rest(line[node.col_offset:], self.lines, node.lineno))
            if after and _DOC_COMMENT.match(after):
                for name in names:
                    self.comments[name] = _DOC_COMMENT.sub("\\1", after)
                    self.doc_lines[name] = node.end_lineno
                return
        if _BLANK.match(line[: node.col_offset]):
            above: list[str] = []
            for index in range(node.lineno - 2, -1, -1):
                # The pattern spans the whole line, so its group is what sub("\1") gives.
                match = _DOC_COMMENT.match(self.lines[index])
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
            names = _new_names(target)
        except TypeError:
            return
        for name in names:
            self.comments[name] = _dedent(node.value.value)
            self.doc_lines[name] = node.lineno


@lru_cache(maxsize=8192)  # a history repeats most comments release after release
def _dedent(text: str) -> str:
    """``dedent_docstring``: what ``inspect.getdoc`` makes of *text* as a docstring."""
    doc = inspect.cleandoc(text)
    return doc.lstrip("\r\n").rstrip("\r\n") if doc else ""


def _rest(first: str, lines: list[str], start: int) -> Iterator[str]:
    """*first*, then ``lines[start:]`` without copying the list (the picker copies it)."""
    yield first
    for index in range(start, len(lines)):
        yield lines[index]


# -- Ported from sphinx.pycode -----------------------------------------------------------


def _new_names(node: ast.AST) -> list[str]:
    """The module-level names an assignment target binds (``get_lvar_names``).

    Raises :class:`TypeError` for a target that binds none (``X[0] = 1``, ``X.y = 1``).
    """
    if isinstance(node, (ast.Constant, ast.Slice, ast.Subscript, ast.Attribute)):
        raise TypeError(f"{node!r} does not create a new variable")
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.Tuple, ast.List)):
        names: list[str] = []
        for element in node.elts:
            with contextlib.suppress(TypeError):
                names.extend(_new_names(element))
        return names
    if isinstance(node, ast.Starred):
        return _new_names(node.value)
    raise NotImplementedError(f"unexpected assignment target {type(node).__name__}")


def _trailing_comment(lines: Iterable[str]) -> str | None:
    """The comment after the assignment that *lines* start with (``AfterCommentParser``).

    The tokenizer skips the target (or the whole annotated assignment) and the value,
    brackets and indented blocks included, and stops at the first token that is not part
    of an expression; when that is a comment, it is the one.
    """
    tokens = _Tokens(lines)
    token = tokens.next()
    while token is not None and not (_is(token, OP, "=") or token.type in (NEWLINE, COMMENT)):
        token = tokens.next()
    if token is None:
        raise tokenize.TokenError("the assignment ends before its line does")
    if _is(token, OP, "="):
        tokens.skip_value()
        token = tokens.current
    return token.string if token is not None and token.type == COMMENT else None


_CLOSING = {"(": ")", "[": "]", "{": "}"}


class _Tokens:
    """Python tokens of some lines, read one at a time (``TokenProcessor``)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.tokens = tokenize.generate_tokens(iter(lines).__next__)
        self.current: tokenize.TokenInfo | None = None

    def next(self) -> tokenize.TokenInfo | None:
        self.current = next(self.tokens, None)
        return self.current

    def skip_value(self) -> None:
        """Skip an assignment's value: up to ``;`` or a token no expression has."""
        while (token := self.next()) is not None:
            if token.type == OP and token.string in _CLOSING:
                self.skip_until(OP, _CLOSING[token.string])
            elif token.type == INDENT:
                self.skip_until(DEDENT)
            elif _is(token, OP, ";") or token.type not in (OP, NAME, NUMBER, STRING):
                break

    def skip_until(self, kind: int, value: str | None = None) -> None:
        """Skip to the token *kind* (*value*), over brackets nested before it."""
        while (token := self.next()) is not None:
            if _is(token, kind, value):
                break
            if token.type == OP and token.string in _CLOSING:
                self.skip_until(OP, _CLOSING[token.string])


def _is(token: tokenize.TokenInfo, kind: int, value: str | None = None) -> bool:
    return token.type == kind and (value is None or token.string == value)


_OPERATORS: dict[type[ast.AST], str] = {
    ast.Add: "+", ast.And: "and", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
    ast.Div: "/", ast.FloorDiv: "//", ast.Invert: "~", ast.LShift: "<<", ast.MatMult: "@",
    ast.Mult: "*", ast.Mod: "%", ast.Not: "not", ast.Pow: "**", ast.Or: "or",
    ast.RShift: ">>", ast.Sub: "-", ast.UAdd: "+", ast.USub: "-",
}


def _unparse(node: ast.AST | str) -> str:
    """An annotation as Sphinx writes it (``sphinx.pycode.ast.unparse``); a type comment
    is already text.

    Raises :class:`NotImplementedError` for an expression Sphinx does not write either.
    """
    if isinstance(node, str):
        return node
    if type(node) in _OPERATORS:
        return _OPERATORS[type(node)]
    write = _WRITERS.get(type(node))
    if write is None:
        raise NotImplementedError(f"Unable to parse {type(node).__name__} object")
    return write(node)


def _joined(nodes: Iterable[ast.AST]) -> str:
    return ", ".join(_unparse(node) for node in nodes)


def _binary(node: ast.BinOp) -> str:
    parts = [_unparse(node.left), _unparse(node.op), _unparse(node.right)]
    return ("" if isinstance(node.op, ast.Pow) else " ").join(parts)


def _unary(node: ast.UnaryOp) -> str:
    space = " " if isinstance(node.op, ast.Not) else ""
    return f"{_unparse(node.op)}{space}{_unparse(node.operand)}"


def _subscript(node: ast.Subscript) -> str:
    index = node.slice
    if isinstance(index, ast.Tuple) and index.elts and not any(
            isinstance(e, ast.Starred) for e in index.elts):
        return f"{_unparse(node.value)}[{_joined(index.elts)}]"
    return f"{_unparse(node.value)}[{_unparse(index)}]"


def _tuple(node: ast.Tuple) -> str:
    return f"({_unparse(node.elts[0])},)" if len(node.elts) == 1 else f"({_joined(node.elts)})"


def _dict(node: ast.Dict) -> str:
    keys = [_unparse(k) for k in node.keys if k is not None]
    values = [_unparse(v) for v in node.values]
    return "{" + ", ".join(f"{k}: {v}" for k, v in zip(keys, values, strict=True)) + "}"


def _call(node: ast.Call) -> str:
    arguments = [_unparse(a) for a in node.args]
    arguments += [f"{k.arg}={_unparse(k.value)}" for k in node.keywords]
    return f"{_unparse(node.func)}({', '.join(arguments)})"


def _arg(node: ast.arg) -> str:
    return f"{node.arg}: {_unparse(node.annotation)}" if node.annotation else node.arg


def _slice(node: ast.Slice) -> str:
    if not node.lower and not node.upper and not node.step:
        return ":"
    start = _unparse(node.lower) if node.lower else ""
    stop = _unparse(node.upper) if node.upper else ""
    return f"{start}:{stop}:{_unparse(node.step)}" if node.step else f"{start}:{stop}"


def _arguments(node: ast.arguments) -> str:
    """A lambda's parameters, defaults included."""
    def with_default(argument: ast.arg, default: ast.expr | None) -> str:
        text = _unparse(argument)
        if default is None:
            return text
        return f"{text} = {_unparse(default)}" if argument.annotation else \
            f"{text}={_unparse(default)}"

    positional = [*node.posonlyargs, *node.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(node.defaults))
    defaults += node.defaults
    parts = [with_default(a, d) for a, d in zip(node.posonlyargs, defaults, strict=False)]
    if node.posonlyargs:
        parts.append("/")
    parts += [with_default(a, d) for a, d in
              zip(node.args, defaults[len(node.posonlyargs):], strict=True)]
    if node.vararg:
        parts.append("*" + _unparse(node.vararg))
    if node.kwonlyargs and not node.vararg:
        parts.append("*")
    kw_defaults = [None] * (len(node.kwonlyargs) - len(node.kw_defaults)) + node.kw_defaults
    parts += [with_default(a, d) for a, d in zip(node.kwonlyargs, kw_defaults, strict=True)]
    if node.kwarg:
        parts.append("**" + _unparse(node.kwarg))
    return ", ".join(parts)


_WRITERS: dict[type[ast.AST], Callable[[Any], str]] = {
    ast.Name: lambda node: node.id,
    ast.Attribute: lambda node: f"{_unparse(node.value)}.{node.attr}",
    ast.Constant: lambda node: "..." if node.value is Ellipsis else repr(node.value),
    ast.BinOp: _binary,
    ast.BoolOp: lambda node: f" {_unparse(node.op)} ".join(_unparse(v) for v in node.values),
    ast.UnaryOp: _unary,
    ast.Subscript: _subscript,
    ast.Slice: _slice,
    ast.List: lambda node: f"[{_joined(node.elts)}]",
    ast.Set: lambda node: f"{{{_joined(node.elts)}}}",
    ast.Tuple: _tuple,
    ast.Dict: _dict,
    ast.Call: _call,
    ast.Starred: lambda node: f"*{_unparse(node.value)}",
    ast.Lambda: lambda node: f"lambda {_arguments(node.args)}: ...",
    ast.arg: _arg,
}
