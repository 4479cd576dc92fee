"""A Django management command module read statically: its ``help`` and ``add_arguments``.

The module is parsed with :mod:`ast`; nothing is imported, so neither Django nor the
service runs.  What a command inherits is read from its base classes, in the module or in
modules found on disk (:mod:`opsdocs.operations.packages`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from opsdocs.errors import OpsdocsError, Problem
from opsdocs.operations.model import RUN_TIME, Argument, ManagementCommand
from opsdocs.operations.packages import module_file
from opsdocs.reading import COMMAND_MODULE, MAX_INHERITANCE, parse_python, read_source

_GETTEXT = frozenset({"_", "gettext", "gettext_lazy", "ugettext", "ugettext_lazy"})
_FLAG_ACTIONS = frozenset({
    "store_true", "store_false", "store_const", "append_const", "count", "help", "version",
})


def read_command_file(path: str | Path, name: str, module: str = "",
                      search_path: Sequence[str] | None = None) -> ManagementCommand:
    """Read the management command module at *path*; raises :class:`OpsdocsError`."""
    source = read_source(path, COMMAND_MODULE)
    return read_command_source(source, str(path), name, module, search_path)


def read_command_source(
    source: str, filename: str, name: str, module: str = "",
    search_path: Sequence[str] | None = None,
) -> ManagementCommand:
    """The ``help`` and arguments of the ``Command`` class in *source*.

    What the class inherits (no ``help``, no ``add_arguments``, or
    ``super().add_arguments(parser)``) is read from its first base class, when that is
    defined in the module or imported by name from a module found on disk
    (*search_path* replaces :data:`sys.path`).
    """
    try:
        tree = parse_python(source, filename, COMMAND_MODULE)
    except SyntaxError as error:
        raise OpsdocsError(Problem(
            f"syntax error in management command {name!r}: {error.msg}", filename,
            error.lineno, check="django-command",
        )) from None
    command = next(
        (node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Command"),
        None,
    )
    if command is None:
        raise OpsdocsError(Problem(
            f"{filename} defines no 'Command' class, so it is not a management command",
            filename, 1, check="django-command",
        ))
    reader = _ClassReader(search_path)
    help_text, arguments = reader.read(_Class(command, tree, Path(filename)), 0)
    return ManagementCommand(name, module, filename, _clean(help_text or ""), tuple(arguments),
                             command.lineno, tuple(dict.fromkeys((filename, *reader.files))))


@dataclass(frozen=True)
class _Class:
    """A class definition and the module it is in."""

    node: ast.ClassDef
    tree: ast.Module
    file: Path


class _ClassReader:
    """Reads a command class's ``help`` and arguments, following its base classes."""

    def __init__(self, search_path: Sequence[str] | None) -> None:
        self.search_path = search_path
        self.files: list[str] = []  # the base classes' modules read

    def read(self, cls: _Class, depth: int, attributes: dict[str, ast.expr] | None = None,
             ) -> tuple[str | None, list[Argument]]:
        """*attributes*: the class attributes of the classes that inherit from *cls*."""
        own = _class_attributes(cls.node)
        attributes = {**own, **(attributes or {})}
        help_node = own.get("help")
        method = next((s for s in cls.node.body if isinstance(s, ast.FunctionDef)
                       and s.name == "add_arguments"), None)
        names = _names(cls.tree, attributes)
        help_text = None if help_node is None else _text(help_node, names)
        if help_node is not None and help_text is None:
            help_text = RUN_TIME
        inherited: tuple[str | None, list[Argument]] = (None, [])
        if help_node is None or method is None or _calls_super(method):
            base = self.base(cls) if depth < MAX_INHERITANCE else None
            if base is not None:
                inherited = self.read(base, depth + 1, attributes)
        if method is None:
            return help_text if help_text is not None else inherited[0], inherited[1]
        arguments = list(_arguments(method, names, inherited[1]))
        return help_text if help_text is not None else inherited[0], arguments

    def base(self, cls: _Class) -> _Class | None:
        """The first base class: a name defined here, or imported from a file (also as an
        attribute: ``base.BaseCommand`` after ``from django.core.management import base``)."""
        parts = _dotted(cls.node.bases[0]) if cls.node.bases else None
        if not parts:
            return None
        root, path, name = parts[0], parts[1:-1], parts[-1]
        for statement in cls.tree.body:
            if isinstance(statement, ast.ClassDef) and statement.name == name and (
                    statement is not cls.node) and len(parts) == 1:
                return replace(cls, node=statement)
        for statement in cls.tree.body:
            if isinstance(statement, ast.ImportFrom):
                module = [statement.module] if statement.module else []
                for alias in statement.names:
                    if (alias.asname or alias.name) == root:
                        if len(parts) == 1:  # from m import C: class C of m
                            return self.imported(module, statement.level, alias.name, cls.file)
                        return self.imported([*module, alias.name, *path], statement.level,
                                             name, cls.file)
            elif isinstance(statement, ast.Import) and len(parts) > 1:
                for alias in statement.names:  # import a.b as root; import root.c
                    if (alias.asname or alias.name.split(".")[0]) == root:
                        module = alias.name.split(".") if alias.asname else [root]
                        return self.imported([*module, *path], 0, name, cls.file)
        return None

    def imported(self, module: list[str], level: int, name: str, here: Path) -> _Class | None:
        file = module_file(".".join(module), level, here, self.search_path)
        if file is None:
            return None
        try:
            source = read_source(file, COMMAND_MODULE)
            tree = parse_python(source, str(file), COMMAND_MODULE)
        except (OpsdocsError, SyntaxError, ValueError):
            return None  # a base class that cannot be read adds nothing
        node = next((s for s in tree.body if isinstance(s, ast.ClassDef) and s.name == name),
                    None)
        if node is None:
            return None
        self.files.append(str(file))
        return _Class(node, tree, file)


def _dotted(node: ast.expr) -> list[str] | None:
    """``a.b.C`` as ``["a", "b", "C"]``; ``None`` for any other expression."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        parts = _dotted(node.value)
        return [*parts, node.attr] if parts is not None else None
    return None


def _class_attributes(node: ast.ClassDef) -> dict[str, ast.expr]:
    """The values a class body assigns to plain names (``label = "staticfile"``)."""
    return {target.id: statement.value for statement in node.body
            if isinstance(statement, ast.Assign)
            for target in statement.targets if isinstance(target, ast.Name)}


def _calls_super(function: ast.FunctionDef) -> bool:
    return any(_is_super_call(node) for node in ast.walk(function))


def _is_super_call(node: ast.AST) -> bool:
    """``super().add_arguments(...)`` (or ``super(Command, self)...``)."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_arguments" and isinstance(node.func.value, ast.Call)
            and isinstance(node.func.value.func, ast.Name) and node.func.value.func.id == "super")


def _arguments(function: ast.FunctionDef, names: Mapping[str, ast.expr],
               inherited: Sequence[Argument] = ()) -> Iterator[Argument]:
    """``x.add_argument(...)`` calls in source order: on the parser and on its groups.

    *inherited* arguments come where ``super().add_arguments(parser)`` is called;
    ``metavar=self.label`` and texts are looked up in *names* (see :func:`_names`).
    """
    calls = [
        node for node in ast.walk(function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and (node.func.attr == "add_argument" or _is_super_call(node))
    ]
    calls.sort(key=lambda node: (node.lineno, node.col_offset))
    for call in calls:
        argument = None if _is_super_call(call) else _argument(call, names)
        if argument is not None:
            yield argument
        elif _is_super_call(call):
            yield from inherited


def _argument(call: ast.Call, names: Mapping[str, ast.expr]) -> Argument | None:
    flags = [flag for flag in (_text(a, names) for a in call.args) if flag]
    if not flags or len(flags) != len(call.args):
        return None
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    action = _constant(keywords.get("action"))
    nargs = _constant(keywords.get("nargs"))
    option = flags[0].startswith("-")
    long_flags = [f for f in flags if f.startswith("--")] or flags
    metavar = _text(keywords["metavar"], names) if "metavar" in keywords else None
    # argparse shows a positional argument by its metavar ("args" -> "app_label").
    name = long_flags[0] if option else str(metavar) if isinstance(metavar, str) else flags[0]
    default = _default(keywords.get("default"), names, action)
    if option and metavar is None and action not in _FLAG_ACTIONS:
        dest = _constant(keywords.get("dest")) or name.lstrip("-").replace("-", "_")
        metavar = str(dest).upper()
    repeat = str(nargs) if nargs is not None else None
    required = bool(_constant(keywords.get("required"))) if option else nargs not in ("?", "*")
    description = _text(keywords["help"], names) if "help" in keywords else ""
    if description is None:
        description = RUN_TIME
    else:
        description = description.replace("%(default)s", default or "").replace("%%", "%")
    return Argument(
        name=name,
        description=_clean(description),
        default=default,
        metavar=str(metavar) if option and metavar is not None else None,
        aliases=tuple(f for f in flags if f != name) if option else (),
        required=required,
        choices=_choices(keywords.get("choices")),
        repeat=repeat,
    )


def _default(node: ast.expr | None, names: Mapping[str, ast.expr], action: object
             ) -> str | None:
    """The default as it is typed on a command line; ``None`` when argparse's own
    (``None``/``False``) applies; :data:`RUN_TIME` when the code decides it."""
    if node is None:
        return None
    value = _literal(node, names, 0)
    if value is None or (value is False and action == "store_true"):
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return RUN_TIME if value is _RUN_TIME else repr(value)


def _choices(node: ast.expr | None) -> tuple[str, ...]:
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and all(
        isinstance(e, ast.Constant) for e in node.elts
    ):
        return tuple(str(e.value) for e in node.elts if isinstance(e, ast.Constant))
    return ()


def _constant(node: ast.expr | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _text(node: ast.expr, names: Mapping[str, ast.expr], depth: int = 0) -> str | None:
    """A text for people, as Python would make it from literals: ``"a" "b"``, ``"a" + "b"``,
    ``"%s" % "x"``, ``"{}".format("x")``, f-strings, ``_("...")``, and names bound to such
    in the module or the class (*names*); ``None`` for anything decided at run time."""
    value = _literal(node, names, depth)
    return value if isinstance(value, str) else None


def _literal(node: ast.expr, names: Mapping[str, ast.expr], depth: int) -> object:
    """The value of *node* when literals alone make it (see :func:`_text`), else ``_RUN_TIME``."""
    if depth > _MAX_DEPTH:
        return _RUN_TIME
    if isinstance(node, ast.Constant):
        return node.value
    bound = _bound(node, names)
    if bound is not None:
        return _literal(bound, names, depth + 1)
    read = _READERS.get(type(node))
    return read(node, names, depth + 1) if read is not None else _RUN_TIME


def _bound(node: ast.expr, names: Mapping[str, ast.expr]) -> ast.expr | None:
    """What a name (``HELP``) or a class attribute (``self.label``) is bound to."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
            node.value.id == "self":
        return names.get(f"self.{node.attr}")
    return None


def _sequence(node: ast.Tuple | ast.List, names: Mapping[str, ast.expr], depth: int) -> object:
    items = [_literal(item, names, depth) for item in node.elts]
    return _RUN_TIME if _RUN_TIME in items else tuple(items)


def _dict(node: ast.Dict, names: Mapping[str, ast.expr], depth: int) -> object:
    if None in node.keys:
        return _RUN_TIME
    pairs = [(_literal(k, names, depth), _literal(v, names, depth))
             for k, v in zip(node.keys, node.values, strict=True) if k is not None]
    return _RUN_TIME if any(_RUN_TIME in pair for pair in pairs) else dict(pairs)


def _joined(node: ast.JoinedStr, names: Mapping[str, ast.expr], depth: int) -> object:
    parts = [_literal(part, names, depth) for part in node.values]
    return _RUN_TIME if _RUN_TIME in parts else "".join(map(str, parts))


def _formatted(node: ast.FormattedValue, names: Mapping[str, ast.expr], depth: int) -> object:
    if node.conversion != -1 or node.format_spec is not None:
        return _RUN_TIME
    return _literal(node.value, names, depth)


def _operation(node: ast.BinOp, names: Mapping[str, ast.expr], depth: int) -> object:
    if not isinstance(node.op, (ast.Add, ast.Mod)):
        return _RUN_TIME
    return _apply(node.op, _literal(node.left, names, depth), _literal(node.right, names, depth))


def _call(node: ast.Call, names: Mapping[str, ast.expr], depth: int) -> object:
    """``_("...")`` (gettext), or ``"...".format(...)``."""
    if isinstance(node.func, ast.Name) and node.func.id in _GETTEXT and len(node.args) == 1 \
            and not node.keywords:
        return _literal(node.args[0], names, depth)
    if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _format(node, names, depth)
    return _RUN_TIME


def _apply(operator: ast.operator, left: object, right: object) -> object:
    """``left + right`` or ``left % right`` of two strings' worth of literals."""
    if not isinstance(left, str) or right is _RUN_TIME:
        return _RUN_TIME
    try:
        if isinstance(operator, ast.Add):
            return left + right if isinstance(right, str) else _RUN_TIME
        return left % right  # type: ignore[operator]
    except (TypeError, ValueError, KeyError):
        return _RUN_TIME


def _format(call: ast.Call, names: Mapping[str, ast.expr], depth: int) -> object:
    assert isinstance(call.func, ast.Attribute)
    template = _literal(call.func.value, names, depth)
    arguments = [_literal(a, names, depth) for a in call.args]
    keywords = {k.arg: _literal(k.value, names, depth) for k in call.keywords if k.arg}
    if not isinstance(template, str) or _RUN_TIME in arguments or \
            _RUN_TIME in keywords.values() or len(keywords) != len(call.keywords):
        return _RUN_TIME
    try:
        return template.format(*arguments, **keywords)
    except (IndexError, KeyError, ValueError, AttributeError):
        return _RUN_TIME


#: A value the code decides when it runs (not made from literals alone).
_RUN_TIME = object()
_MAX_DEPTH = 20
_READERS: dict[type, Callable[[Any, Mapping[str, ast.expr], int], object]] = {
    ast.Tuple: _sequence, ast.List: _sequence, ast.Dict: _dict, ast.JoinedStr: _joined,
    ast.FormattedValue: _formatted, ast.BinOp: _operation, ast.Call: _call,
}


def _names(tree: ast.Module, attributes: Mapping[str, ast.expr]) -> dict[str, ast.expr]:
    """What a help text may name: the module's names, and the class's attributes as
    ``self.NAME``."""
    names: dict[str, ast.expr] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = statement.value
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) \
                and statement.value is not None:
            names[statement.target.id] = statement.value
    return {**names, **{f"self.{name}": value for name, value in attributes.items()}}


def _clean(text: str) -> str:
    return " ".join(text.split())
