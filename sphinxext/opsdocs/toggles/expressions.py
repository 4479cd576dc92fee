"""Names as Python code builds them, kept as small expressions to resolve across files.

A toggle's name is often built from module-level names (``f"{WAFFLE_NAMESPACE}.flag"``,
``"%s.flag" % NAMESPACE``, a legacy ``WaffleFlagNamespace(name=...)``, a constant
imported from a sibling module).  :func:`expression` keeps how a name is built;
:func:`module_names` keeps what a module binds at its top level; :mod:`opsdocs.toggles.resolve`
puts them together.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from opsdocs.settings.secrets import looks_secret, without_secret_keys, without_secret_shapes
from opsdocs.settings.usage import import_bindings
from opsdocs.settings.values import called_name
from opsdocs.toggles.annotated import Annotated

#: Waffle namespaces of edx-toggles' legacy API: a toggle made with one is ``ns.name``.
NAMESPACE_CLASSES = frozenset({"LegacyWaffleFlagNamespace", "LegacyWaffleSwitchNamespace",
                               "WaffleFlagNamespace", "WaffleSwitchNamespace"})
#: A name as the code builds it, for :mod:`opsdocs.toggles.resolve`: ``("str", text)``,
#: ``("name", id)``, ``("attr", expr, attribute)``, ``("join", (expr, ...))``,
#: ``("namespace", expr)`` (a waffle namespace object named *expr*), ``("item", expr,
#: key-expr)`` (``NAME['key']``) or ``("unknown", code)``.
Expr = tuple[Any, ...]


def code_of(node: ast.expr) -> str | None:
    """*node* as Python code."""
    try:
        return ast.unparse(node)
    except (ValueError, RecursionError):  # pragma: no cover - parse_python bounds nesting
        return None


def expression(node: ast.expr) -> Expr:
    """How *node* builds a name, as an :data:`Expr`."""
    build = _BUILDERS.get(type(node))
    found = build(node) if build is not None else None
    return found if found is not None else _unknown(node)


def _constant(node: ast.Constant) -> Expr | None:
    return ("str", node.value) if isinstance(node.value, str) else None


def _joined(node: ast.JoinedStr) -> Expr:
    parts: list[Expr] = []
    for value in node.values:
        if isinstance(value, ast.FormattedValue):
            parts.append(expression(value.value) if value.format_spec is None and
                         value.conversion in (-1, 115) else _unknown(value.value))
        else:
            parts.append(expression(value))
    return ("join", tuple(parts))


def _operation(node: ast.BinOp) -> Expr | None:
    if isinstance(node.op, ast.Add):
        return ("join", (expression(node.left), expression(node.right)))
    if isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and \
            isinstance(node.left.value, str):  # "%s.flag" % NAMESPACE
        values = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        return _formatted(node.left.value, "%s", values, node)
    return None


def _call(node: ast.Call) -> Expr | None:
    if isinstance(node.func, ast.Attribute) and node.func.attr == "format" and \
            isinstance(node.func.value, ast.Constant) and \
            isinstance(node.func.value.value, str) and not node.keywords:
        return _formatted(re.sub(r"\{0?\}", "{}", node.func.value.value), "{}", node.args, node)
    if called_name(node.func) in NAMESPACE_CLASSES:
        name = node.args[0] if node.args else next(
            (k.value for k in node.keywords if k.arg == "name"), None)
        return ("namespace", expression(name) if name is not None else _unknown(node))
    return None


_BUILDERS: dict[type[ast.AST], Callable[[Any], Expr | None]] = {
    ast.Constant: _constant,
    ast.Name: lambda node: ("name", node.id),
    ast.Attribute: lambda node: ("attr", expression(node.value), node.attr),
    ast.JoinedStr: _joined,
    ast.BinOp: _operation,
    ast.Call: _call,
}


def _formatted(template: str, marker: str, values: list[ast.expr], node: ast.expr) -> Expr:
    pieces = template.split(marker)
    if len(pieces) != len(values) + 1 or ("%" in "".join(pieces) and marker == "%s"):
        return _unknown(node)
    parts: list[Expr] = [("str", pieces[0])]
    for value, piece in zip(values, pieces[1:], strict=True):
        parts += [expression(value), ("str", piece)]
    return ("join", tuple(parts))


def _unknown(node: ast.expr) -> Expr:
    return ("unknown", code_of(node) or "...")


def _secret(name: str, value: ast.expr) -> bool:
    """Whether *name*'s *value* is a secret, by the settings' one rule or by its shape (a
    URL's password): no toggle's name, and never kept."""
    code = code_of(value)
    return looks_secret(name, value) or code is None or without_secret_shapes(code) != code


def module_names(tree: ast.Module) -> tuple[tuple[tuple[str, Expr], ...],
                                            tuple[tuple[str, tuple[int, str, str | None]], ...]]:
    """The module-level names a toggle's name may be built from: assignments whose value
    is a name-building expression, and imports."""
    bindings: dict[str, Expr] = {}
    imports: dict[str, tuple[int, str, str | None]] = {}
    for statement in tree.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            target = statement.targets[0] if isinstance(statement, ast.Assign) else \
                statement.target
            # only what may build a name: a settings module's big dicts are not looked at
            if isinstance(target, ast.Name) and type(statement.value) in _BUILDERS and \
                    not _secret(target.id, statement.value):  # type: ignore[arg-type]
                value = expression(statement.value)  # type: ignore[arg-type]
                if value[0] != "unknown":
                    bindings[target.id] = value
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            imports.update(import_bindings(statement))
    return tuple(bindings.items()), tuple(imports.items())


def star_imports(tree: ast.Module) -> tuple[tuple[int, str], ...]:
    """The modules *tree* star-imports at its top level (``from .common import *``), as
    (level, module): a settings module's definitions may copy those of a module it imports."""
    return tuple((statement.level, statement.module or "") for statement in tree.body
                 if isinstance(statement, ast.ImportFrom) and
                 any(alias.name == "*" for alias in statement.names))


def mentions(expression: object, name: str) -> bool:
    """Whether a name-building *expression* (:data:`Expr`, or several) reads the name."""
    return expression == ("name", name) or (isinstance(expression, tuple) and \
        any(mentions(part, name) for part in expression))


def shown_value(name: str | None, value: ast.expr) -> str | None:
    """*value*'s code as facts keep it: none for a secret by the settings' one rule
    (:func:`looks_secret`), the values of secret-looking keys and secrets by their shape
    (a URL's password) blanked out (:func:`without_secret_keys`)."""
    if name is not None and looks_secret(name, value):
        return None
    return without_secret_keys(code_of(value))


def target_name(statement: ast.AST, call: ast.Call) -> str | None:
    """The variable or attribute *call* (a toggle made) is assigned to in *statement*."""
    if isinstance(statement, ast.Assign) and statement.value is call:
        target = statement.targets[0]
    elif isinstance(statement, ast.AnnAssign) and statement.value is call:
        target = statement.target
    else:
        return None
    return target.id if isinstance(target, ast.Name) else code_of(target)


def constant_text(node: ast.expr | None) -> str | None:
    """The text of a string literal *node*, else ``None``."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) \
        else None


def kept_default(name: str | None, value: ast.expr | None,
                 annotation: Annotated | None) -> tuple[str | None, Annotated | None]:
    """A default's code as facts keep it (:func:`shown_value`), and its block: a secret's
    value is never kept, nor what its block says of it."""
    code = shown_value(name, value) if value is not None else None
    if value is not None and code is None and annotation is not None:
        annotation = replace(annotation, fields=tuple(
            (k, v) for k, v in annotation.fields if k != "toggle_default"))
    return code, annotation
