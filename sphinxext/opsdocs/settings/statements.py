"""Module-level statements of settings modules, read with Python's own semantics.

A :class:`Namespace` holds what each name is bound to as a chain of modules runs
(star-imported modules first, at the line that imports them); a :class:`ModuleWalker`
adds one module's statements to it:

- every binding of a name is a :class:`~opsdocs.settings.model.Definition`; the last
  unconditional one is the value, earlier ones are overridden;
- a statement that only changes a value (``.update``, ``[k] =``, ``+=``, ``.append``,
  ``.insert``, ``.extend``, ``.setdefault``, ``del X[k]``) attaches to the setting it
  changes, wherever that was defined, and never creates one;
- ``if``/``try``/``for``/``while``/``match`` clauses become the condition of what they hold;
  ``del X`` unbinds ``X``; ``X = (Y := 3)`` binds both;
- ``X = getattr(settings, "X", d)`` in a module that imports Django's ``settings`` is the
  setting ``X`` with default ``d``; the module's other names are derived or constants;
- ``settings.X = ...`` inside ``def plugin_settings(settings)`` defines ``X``;
- a value read from the environment (``os.environ``, ``os.getenv``, django-environ,
  python-decouple) records the variable, and its default stands in for the read.

Nothing is evaluated: values are source text.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from opsdocs.errors import Problem
from opsdocs.settings.model import Definition, is_setting_name

#: Methods of lists, dicts and sets that change the value in place.
CHANGING_METHODS = frozenset({
    "update", "append", "insert", "extend", "setdefault", "pop", "remove", "clear",
    "add", "discard", "popitem", "sort", "reverse",
})
#: Calls that keep the type of their one argument (a cast around an environment read).
_CASTS = frozenset({"int", "float", "bool", "str", "list", "tuple", "path", "Path", "Csv"})
#: Names of the operator's YAML config in Open edX ``production.py`` modules.
CONFIG_MAPPINGS = ("ENV_TOKENS", "AUTH_TOKENS")
_LOADERS = frozenset({"safe_load", "load", "full_load"})
_BINARY_OPERATORS = {
    ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/=", ast.FloorDiv: "//=",
    ast.Mod: "%=", ast.Pow: "**=", ast.BitOr: "|=", ast.BitAnd: "&=", ast.BitXor: "^=",
    ast.LShift: "<<=", ast.RShift: ">>=", ast.MatMult: "@=",
}


@dataclass
class Bound:
    """One statement about a name, as read: its definition and what the reader learnt.

    ``variable`` is the module-level name the statement binds when it is not the
    setting's (``SIZE = getattr(settings, "APP_SIZE", 20)``): its ``#:`` doc is looked up
    by it.  ``doc_line`` is the line a comment block above documents (a dict key's).
    """

    definition: Definition
    env_vars: tuple[str, ...] = ()
    no_default: bool = False
    variable: str | None = None
    parent: str | None = None
    computed: bool = False


@dataclass
class Namespace:
    """Names bound while a chain of modules runs, in the order they were first bound."""

    bound: dict[str, list[Bound]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    keys: dict[str, dict[str, None]] = field(default_factory=dict)
    config_keys: dict[str, None] = field(default_factory=dict)
    config_variable: str | None = None
    #: Names registered with Open edX's ``derived("X")`` (and dict entries with
    #: ``derived_collection_entry("X", "key", ...)``): computed at startup.
    derived: dict[str, None] = field(default_factory=dict)

    def bind(self, name: str, bound: Bound) -> None:
        self.bound.setdefault(name, []).append(bound)

    def known(self, name: str) -> bool:
        return name in self.bound

    def change(self, name: str, bound: Bound) -> bool:
        """Attach a change to *name* when it is bound; a change never creates a setting."""
        if name not in self.bound:
            return False
        self.bound[name].append(bound)
        return True

    def unbind(self, name: str) -> None:
        """``del name``: the name and the keys documented under it are gone."""
        self.bound.pop(name, None)
        for entry in [n for n, b in self.bound.items() if b and b[0].parent == name]:
            del self.bound[entry]

    def add_keys(self, name: str, keys: Iterator[str] | list[str]) -> None:
        self.keys.setdefault(name, {}).update(dict.fromkeys(keys))


#: ``(first line, last line) -> documented?``: whether a comment block right above a line
#: documents what is on it (an annotation block or ``#:`` lines).
Documented = Callable[[int], bool]


@dataclass
class _Imports:
    """What the module's names refer to, as far as settings and the environment go."""

    os: set[str] = field(default_factory=set)            # import os [as x]
    environ: set[str] = field(default_factory=set)       # from os import environ
    getenv: set[str] = field(default_factory=set)        # from os import getenv
    environ_module: set[str] = field(default_factory=set)  # import environ
    env_class: set[str] = field(default_factory=set)     # from environ import Env
    env_objects: dict[str, dict[str, ast.expr | None]] = field(default_factory=dict)
    decouple: set[str] = field(default_factory=set)      # from decouple import config
    django_settings: set[str] = field(default_factory=set)  # from django.conf import settings
    yaml: set[str] = field(default_factory=set)

    def note(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                if alias.name == "os":
                    self.os.add(bound)
                elif alias.name == "environ":
                    self.environ_module.add(bound)
                elif alias.name == "yaml":
                    self.yaml.add(bound)
            return
        for alias in node.names:
            bound = alias.asname or alias.name
            if node.module == "os" and alias.name == "environ":
                self.environ.add(bound)
            elif node.module == "os" and alias.name == "getenv":
                self.getenv.add(bound)
            elif node.module == "environ" and alias.name == "Env":
                self.env_class.add(bound)
            elif node.module == "decouple" and alias.name == "config":
                self.decouple.add(bound)
            elif node.module == "django.conf" and alias.name == "settings":
                self.django_settings.add(bound)


@dataclass(frozen=True)
class EnvRead:
    """A value read from the environment: the variable, and the default (``None``: none)."""

    variable: str
    default: ast.expr | None
    node: ast.expr


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _has_keyword(call: ast.Call, name: str) -> bool:
    return any(k.arg == name for k in call.keywords)


class ModuleWalker:
    """Adds one module's statements to a :class:`Namespace`.

    *lines* are the module's source lines (Python's numbering); *documented* says whether
    a comment block above a line documents it (for keys of dict settings); *star_import*
    reads a star-imported module into the same namespace; *named_import* binds the
    settings ``from module import X`` names (with the import's condition).
    """

    def __init__(self, namespace: Namespace, file: str, lines: list[str],
                 documented: Documented,
                 star_import: Callable[[ast.ImportFrom], None] | None = None,
                 named_import: Callable[[ast.ImportFrom, str | None], None] | None = None,
                 ) -> None:
        self.namespace = namespace
        self.file = file
        self.lines = lines
        self.documented = documented
        self.star_import = star_import
        self.named_import = named_import
        self.imports = _Imports()
        self.mappings: dict[str, str] = {name: "" for name in CONFIG_MAPPINGS}
        self.plugin: str | None = None  # the settings parameter, inside plugin_settings
        self.plugin_module = False
        self._offsets: list[int] | None = None

    # -- Text -------------------------------------------------------------------------

    def segment(self, node: ast.AST) -> str:
        """Source text of *node*, from the lines split once."""
        return self.text(node, {})

    def text(self, node: ast.AST, replacements: dict[ast.AST, str]) -> str:
        """Source text of *node*, with some nodes inside it written as other text."""
        start, end = self.span(node)
        if start is None or end is None:
            return ""
        source = self.source()
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

    def source(self) -> str:
        if self._offsets is None:
            self._offsets, total = [], 0
            for line in self.lines:
                self._offsets.append(total)
                total += len(line)
            self._source = "".join(self.lines)
        return self._source

    def span(self, node: ast.AST) -> tuple[int | None, int | None]:
        """Character offsets of *node* in the source (column offsets are UTF-8 bytes)."""
        line, end_line = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        col, end_col = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
        if line is None or end_line is None or col is None or end_col is None:
            return None, None
        self.source()
        assert self._offsets is not None
        return (self._offsets[line - 1] + self._column(line, col),
                self._offsets[end_line - 1] + self._column(end_line, end_col))

    def _column(self, line: int, column: int) -> int:
        text = self.lines[line - 1]
        return column if text.isascii() else len(text.encode()[:column].decode(errors="ignore"))

    # -- Walking ----------------------------------------------------------------------

    def walk(self, tree: ast.Module) -> None:
        # A plugin's settings are what plugin_settings() sets; its module-level names are
        # constants it uses.
        self.plugin_module = any(isinstance(s, ast.FunctionDef) and s.name == "plugin_settings"
                                 for s in tree.body)
        self.visit_body(tree.body, None)

    def visit_body(self, body: list[ast.stmt], condition: str | None) -> None:
        for index, statement in enumerate(body):
            if self.plugin is not None and isinstance(statement, ast.Return):
                return  # the rest does not run
            self.visit(statement, condition)
            if _leaves_early(statement):
                # ``if not enabled: return`` (in a plugin) or ``if ...: continue`` (in a
                # loop) makes everything after it conditional
                assert isinstance(statement, ast.If)
                rest = _join(condition, f"if not ({self.segment(statement.test)})")
                self.visit_body(body[index + 1:], rest)
                return

    def visit(self, node: ast.stmt, condition: str | None) -> None:
        visit = getattr(self, f"visit_{type(node).__name__}", None)
        if visit is not None:
            visit(node, condition)

    def visit_Import(self, node: ast.Import, condition: str | None) -> None:
        self.imports.note(node)

    def visit_ImportFrom(self, node: ast.ImportFrom, condition: str | None) -> None:
        if any(alias.name == "*" for alias in node.names):
            if self.star_import is not None and self.plugin is None:
                self.star_import(node)
            return
        self.imports.note(node)
        if self.named_import is not None and self.plugin is None and \
                not self.constants_only() and \
                any(is_setting_name(alias.asname or alias.name) for alias in node.names):
            self.named_import(node, condition)

    def visit_Assign(self, node: ast.Assign, condition: str | None) -> None:
        self.walrus(node.value, condition)
        self.note_mapping(node.targets, node.value)
        self.note_env_object(node.targets, node.value)
        for target in node.targets:
            self.assign(target, node.value, node, condition)

    def visit_AnnAssign(self, node: ast.AnnAssign, condition: str | None) -> None:
        if node.value is not None:
            self.walrus(node.value, condition)
            self.assign(node.target, node.value, node, condition)
        elif isinstance(node.target, ast.Name) and not self.constants_only():
            self.bind(node.target.id, Definition("annotation", node.lineno, None, condition))

    def visit_AugAssign(self, node: ast.AugAssign, condition: str | None) -> None:
        self.walrus(node.value, condition)
        operator = _BINARY_OPERATORS.get(type(node.op), "=")
        name = self.setting_target(node.target)
        if name is not None:
            self.change(name, Definition("augmented", node.lineno, self.value_text(node.value),
                                         condition, operator=operator))
            return
        root = self.root(node.target)
        if root is not None:
            self.change(root, Definition("statement", node.lineno, self.segment(node),
                                         condition))

    def visit_Expr(self, node: ast.Expr, condition: str | None) -> None:
        self.walrus(node.value, condition)
        call = node.value
        setter = _is_call(call, "setattr")
        if setter is not None and len(setter.args) == 3:
            # setattr(settings, "X", value) in a plugin; a computed name cannot be read
            name = self.setting_target(ast.Attribute(setter.args[0], _string(setter.args[1]) or ""))
            if name is not None:
                self.assign_name(name, setter, setter.args[2], node, condition)
            return
        registered = _is_call(call, "derived")
        if registered is not None:  # openedx/core/lib/derived.py: derived(*names)
            self.namespace.derived.update(dict.fromkeys(
                name for name in map(_string, registered.args) if name is not None))
            return
        entry = _is_call(call, "derived_collection_entry")  # (name, key, key, ...)
        if entry is not None and len(entry.args) > 1:
            words = [a.value if isinstance(a, ast.Constant) else None for a in entry.args]
            if isinstance(words[0], str) and None not in words:
                self.namespace.derived[_entry_name(words[0], words[1:])] = None
            return
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            return
        root = self.root(call.func.value)
        if root is None or call.func.attr not in CHANGING_METHODS:
            return
        direct = self.setting_target(call.func.value) is not None
        definition = Definition("call" if direct else "statement", node.lineno,
                                self.segment(call), condition)
        if self.change(root, definition) and direct and call.func.attr in ("update", "setdefault"):
            self.namespace.add_keys(root, _literal_keys(call))

    def visit_Delete(self, node: ast.Delete, condition: str | None) -> None:
        for target in node.targets:
            name = self.setting_target(target)
            if name is not None and self.namespace.known(name):
                if condition is None:
                    self.namespace.unbind(name)
                else:
                    self.change(name, Definition("delete", node.lineno, f"del {name}",
                                                 condition))
                    self.problem(
                        f"{name} is deleted under a condition ({condition}): the reference "
                        "still shows it; delete it unconditionally or document when it is "
                        "absent", node.lineno, "python-delete")
                continue
            root = self.root(target)
            if root is not None:
                key = target.slice if isinstance(target, ast.Subscript) else None
                self.change(root, Definition(
                    "delete", node.lineno, f"del {self.segment(target)}", condition,
                    key=self.segment(key) if key is not None else None))

    def visit_If(self, node: ast.If, condition: str | None) -> None:
        self.walrus(node.test, condition)
        test = self.segment(node.test)
        self.visit_body(node.body, _join(condition, f"if {test}"))
        self.visit_body(node.orelse, _join(condition, f"if not ({test})"))

    def visit_Try(self, node: ast.Try, condition: str | None) -> None:
        self.visit_body(node.body, _join(condition, "try"))
        for handler in node.handlers:
            caught = f" {self.segment(handler.type)}" if handler.type else ""
            self.visit_body(handler.body, _join(condition, f"except{caught}"))
        self.visit_body(node.orelse, _join(condition, "try ... else"))
        self.visit_body(node.finalbody, condition)

    visit_TryStar = visit_Try

    def visit_With(self, node: ast.With, condition: str | None) -> None:
        self.visit_body(node.body, condition)

    visit_AsyncWith = visit_With

    def visit_For(self, node: ast.For, condition: str | None) -> None:
        clause = f"for {self.segment(node.target)} in {self.segment(node.iter)}"
        for name in _names(node.target):
            if self.is_setting(name):
                self.bind(name, Definition("loop", node.lineno, self.segment(node.iter),
                                           condition))
        self.visit_body(node.body, _join(condition, clause))
        self.visit_body(node.orelse, _join(condition, f"{clause} ... else"))

    visit_AsyncFor = visit_For

    def visit_While(self, node: ast.While, condition: str | None) -> None:
        self.walrus(node.test, condition)
        clause = f"while {self.segment(node.test)}"
        self.visit_body(node.body, _join(condition, clause))
        self.visit_body(node.orelse, _join(condition, f"{clause} ... else"))

    def visit_Match(self, node: Any, condition: str | None) -> None:
        subject = self.segment(node.subject)
        for case in node.cases:
            clause = f"match {subject}: case {self.segment(case.pattern)}"
            if case.guard is not None:
                clause += f" if {self.segment(case.guard)}"
            self.visit_body(case.body, _join(condition, clause))

    def visit_FunctionDef(self, node: ast.FunctionDef, condition: str | None) -> None:
        if node.name != "plugin_settings" or self.plugin is not None or not node.args.args:
            return
        self.plugin = node.args.args[0].arg
        try:
            self.visit_body(node.body, condition)
        finally:
            self.plugin = None

    # -- Bindings ---------------------------------------------------------------------

    def is_setting(self, name: str) -> bool:
        return is_setting_name(name) and not self.constants_only()

    def constants_only(self) -> bool:
        """Whether module-level names here are no settings: in an app module (it imports
        Django's settings) or a plugin module (it defines plugin_settings)."""
        return self.plugin is None and (bool(self.imports.django_settings) or self.plugin_module)

    def setting_target(self, node: ast.expr) -> str | None:
        """The setting a target names: ``X`` at module level, ``settings.X`` in a plugin."""
        if self.plugin is None:
            return node.id if isinstance(node, ast.Name) and is_setting_name(node.id) and \
                not self.plugin_module else None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                node.value.id == self.plugin and is_setting_name(node.attr):
            return node.attr
        return None

    def root(self, node: ast.expr) -> str | None:
        """The setting an expression like ``X["a"].b["c"]`` starts from."""
        while True:
            name = self.setting_target(node)
            if name is not None:
                return name
            if isinstance(node, (ast.Subscript, ast.Attribute)):
                node = node.value
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr == "setdefault":
                node = node.func.value
            else:
                return None

    def bind(self, name: str, definition: Definition, **facts: Any) -> None:
        self.namespace.bind(name, Bound(replace(definition, file=self.file), **facts))

    def change(self, name: str, definition: Definition) -> bool:
        return self.namespace.change(name, Bound(replace(definition, file=self.file)))

    def problem(self, message: str, line: int, check: str) -> None:
        self.namespace.problems.append(Problem(message, self.file, line, check=check))

    def assign(self, target: ast.expr, value: ast.expr, statement: ast.stmt,
               condition: str | None) -> None:
        name = self.setting_target(target)
        if name is not None or isinstance(target, ast.Name):
            self.assign_name(name, target, value, statement, condition)
        elif isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(target, value, statement, condition)
        elif isinstance(target, ast.Subscript):
            self.assign_item(target, value, statement, condition)
        elif isinstance(target, ast.Attribute):
            root = self.root(target)
            if root is not None:
                self.change(root, Definition("statement", statement.lineno,
                                             self.segment(statement), condition))

    def assign_name(self, name: str | None, target: ast.expr, value: ast.expr,
                    statement: ast.stmt, condition: str | None, text: str | None = None) -> None:
        line = statement.lineno
        if self.imports.django_settings and self.plugin is None:
            self.app_setting(target, value, line, condition)
            return
        if self.plugin is not None:
            value = self.own_default(name, value)
        if name is None or self.holds_config(name):
            return
        env = self.env_reads(value)
        replacements = self.replacements(value, env)
        if text is None:
            text = self.text(value, replacements)
        whole = _whole_read(value, env)
        no_default = bool(whole and whole.default is None) or self.required_key(value)
        # A variable read for a documented key is that key's, not the whole dict's.
        entries = {id(inner) for _, _, item in self.documented_items(value, line)
                   for inner in _walk_expression(item)} if env else set()
        own = [r.variable for r in env if id(r.node) not in entries]
        self.bind(name, Definition("assign", line, None if no_default else text, condition),
                  env_vars=tuple(dict.fromkeys(own)), no_default=no_default,
                  computed=isinstance(value, ast.Lambda))
        self.entries(name, value, condition, line)

    def required_key(self, value: ast.expr) -> bool:
        """``SITE_NAME = ENV_TOKENS["SITE_NAME"]``: the config must give it."""
        return isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and \
            value.value.id in self.mappings and _string(value.slice) is not None

    def own_default(self, name: str | None, value: ast.expr) -> ast.expr:
        """``settings.X = getattr(settings, "X", d)`` in a plugin: the value is ``d``."""
        read = self.settings_read(value)
        if read is not None and read[0] == name and read[1] is not None:
            return read[1]
        return value

    def app_setting(self, target: ast.expr, value: ast.expr, line: int,
                    condition: str | None) -> None:
        """In a module that imports Django's settings, only ``getattr(settings, "X", d)``
        reads are settings; other names are derived from them, or constants."""
        variable = target.id if isinstance(target, ast.Name) else None
        for call in _calls(value):
            read = self.settings_read(call)
            if read is None:
                continue
            name, default = read
            self.bind(name, Definition("assign", line, None if default is None else
                                       self.segment(default), condition),
                      no_default=default is None, variable=variable)

    def settings_read(self, node: ast.expr) -> tuple[str, ast.expr | None] | None:
        """``getattr(settings, "X", d)`` as ``("X", d)``."""
        owners = self.imports.django_settings | ({self.plugin} if self.plugin else set())
        call = _is_call(node, "getattr")
        if call is None or len(call.args) < 2 or not (
                isinstance(call.args[0], ast.Name) and call.args[0].id in owners):
            return None
        name = _string(call.args[1])
        if name is None or not is_setting_name(name):
            return None
        return name, call.args[2] if len(call.args) > 2 else None

    def unpack(self, target: ast.Tuple | ast.List, value: ast.expr, statement: ast.stmt,
               condition: str | None) -> None:
        elements = target.elts
        values = value.elts if isinstance(value, (ast.Tuple, ast.List)) else None
        starred = next((i for i, e in enumerate(elements) if isinstance(e, ast.Starred)), None)
        text = self.value_text(value)
        for index, element in enumerate(elements):
            if values is not None and starred is None and len(values) == len(elements):
                self.assign(element, values[index], statement, condition)
                continue
            if isinstance(element, ast.Starred):
                after = len(elements) - index - 1
                if values is not None and not any(isinstance(v, ast.Starred) for v in values):
                    part = values[index:len(values) - after]
                    inner = "[" + ", ".join(self.value_text(v) for v in part) + "]"
                else:
                    inner = f"list(({text})[{index}:{-after if after else ''}])"
                self.assign_text(element.value, inner, statement, condition)
                continue
            if values is not None and starred is not None:
                position = index if index < starred else len(values) - (len(elements) - index)
                if not any(isinstance(v, ast.Starred) for v in values) and \
                        0 <= position < len(values):
                    self.assign(element, values[position], statement, condition)
                    continue
            position_text = index if starred is None or index < starred else \
                index - len(elements)
            self.assign_text(element, f"({text})[{position_text}]", statement, condition)

    def assign_text(self, target: ast.expr, text: str, statement: ast.stmt,
                    condition: str | None) -> None:
        """Bind *target* to a value known only as *text* (a part of an unpacked value)."""
        if isinstance(target, (ast.Tuple, ast.List)):
            for index, element in enumerate(target.elts):
                self.assign_text(element, f"({text})[{index}]", statement, condition)
            return
        name = self.setting_target(target)
        if name is not None and self.is_setting(name):
            self.bind(name, Definition("assign", statement.lineno, text, condition))

    def assign_item(self, target: ast.Subscript, value: ast.expr, statement: ast.stmt,
                    condition: str | None) -> None:
        if _is_namespace_call(target.value):
            if not any(isinstance(n, ast.Name) for n in ast.walk(target.slice)):
                self.problem(
                    f"{self.segment(target)} is assigned through "
                    f"{self.segment(target.value)}: opsdocs reads code, and cannot see the "
                    "name this binds; assign it by name", statement.lineno, "python-dynamic")
            return
        root = self.root(target)
        if root is None:
            return
        path = self.key_path(target)
        if path is not None:
            entry = _entry_name(root, path)
            if self.namespace.known(entry) or self.documented(statement.lineno):
                env = self.env_reads(value)
                self.bind(entry, Definition("assign", statement.lineno,
                                            self.text(value, self.replacements(value, env)),
                                            condition),
                          env_vars=tuple(r.variable for r in env), parent=root)
        direct = path is not None and len(path) == 1 and self.setting_target(target.value)
        if direct:
            self.namespace.add_keys(root, [k for k in path or () if isinstance(k, str)])
            self.change(root, Definition("item", statement.lineno, self.value_text(value),
                                         condition, key=self.segment(target.slice)))
        else:
            self.change(root, Definition("statement", statement.lineno,
                                         self.segment(statement), condition))

    def key_path(self, target: ast.expr) -> list[Any] | None:
        """The constant keys of ``X["a"]["b"]``, or ``None`` when one is not a literal."""
        keys: list[Any] = []
        node = target
        while isinstance(node, ast.Subscript):
            if not isinstance(node.slice, ast.Constant):
                return None
            keys.append(node.slice.value)
            node = node.value
        return list(reversed(keys)) if self.setting_target(node) else None

    def entries(self, name: str, value: ast.expr, condition: str | None,
                statement: int) -> None:
        """Keys of a dict literal (or ``dict(...)``) that carry their own docs become
        settings of their own, named ``NAME['KEY']``."""
        pairs = _dict_items(value)
        if pairs is not None:
            self.namespace.add_keys(name, [k for k, _, _ in pairs if isinstance(k, str)])
        for path, line, item in self.documented_items(value, statement):
            env = self.env_reads(item)
            self.bind(_entry_name(name, list(path)), Definition(
                "assign", line, self.text(item, self.replacements(item, env)), condition),
                env_vars=tuple(r.variable for r in env), parent=name,
                computed=isinstance(item, ast.Lambda))

    def documented_items(self, value: ast.expr, statement: int, path: tuple[Any, ...] = ()
                         ) -> Iterator[tuple[tuple[Any, ...], int, ast.expr]]:
        """``(keys, line, value)`` of the dict items, nested ones included, with docs of
        their own.  A key on the line of the statement (or of the key it is under) has that
        one's docs, not its own."""
        for key, line, item in _dict_items(value) or ():
            if isinstance(item, (ast.Dict, ast.Call)):
                yield from self.documented_items(item, line, (*path, key))
            if line != statement and self.documented(line):
                yield (*path, key), line, item

    def walrus(self, node: ast.expr, condition: str | None) -> None:
        """``(Y := 3)`` anywhere in a module-level statement binds ``Y``."""
        for inner in _walk_expression(node):
            if isinstance(inner, ast.NamedExpr) and self.plugin is None and \
                    self.is_setting(inner.target.id):
                self.bind(inner.target.id, Definition(
                    "assign", inner.lineno, self.value_text(inner.value), condition))

    def value_text(self, node: ast.expr) -> str:
        return self.text(node, self.replacements(node, self.env_reads(node)))

    def replacements(self, node: ast.expr, env: list[EnvRead]) -> dict[ast.AST, str]:
        """What is written in place of parts of a value: a walrus by its value, an
        environment read by its default."""
        found: dict[ast.AST, str] = {}
        if isinstance(node, ast.NamedExpr):
            return {node: self.value_text(node.value)}
        for inner in _walk_expression(node):
            if isinstance(inner, ast.NamedExpr):  # its parentheses are outside its span
                found[inner] = self.value_text(inner.value)
        for read in env:
            if read.default is not None:
                found[read.node] = self.segment(read.default) or ast.unparse(read.default)
        return found

    def note_mapping(self, targets: list[ast.expr], value: ast.expr) -> None:
        """Names that hold the operator's YAML config (``ENV_TOKENS = yaml.safe_load(f)``,
        ``env_tokens = getattr(settings, "ENV_TOKENS", {})``, ``ENV_FEATURES =
        ENV_TOKENS.get("FEATURES", {})``)."""
        prefix: str | None = None
        if isinstance(value, ast.Name) and value.id in self.mappings:
            prefix = self.mappings[value.id]
        elif self.loads_yaml(value) or (
                (read := self.settings_read(value)) is not None and read[0] in CONFIG_MAPPINGS):
            prefix = ""
        elif isinstance(value, (ast.Call, ast.BoolOp)):
            key = self.mapping_key(value.values[0] if isinstance(value, ast.BoolOp) else value)
            if key is not None:
                prefix = f"{key}."
        if prefix is None:
            return
        for target in targets:
            for name in _names(target):
                self.mappings[name] = prefix

    def holds_config(self, name: str) -> bool:
        """Whether *name* only holds (part of) the operator's config: ``ENV_TOKENS``, or
        ``ENV_FEATURES = ENV_TOKENS.get("FEATURES", {})``; not ``CACHES =
        ENV_TOKENS.get("CACHES", {})``, the setting of that key."""
        prefix = self.mappings.get(name)
        return prefix is not None and prefix != f"{name}." and not self.namespace.known(name)

    def loads_yaml(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            node.func.attr in _LOADERS and isinstance(node.func.value, ast.Name) and \
            node.func.value.id in self.imports.yaml

    def mapping_key(self, node: ast.expr) -> str | None:
        """``"X"`` of ``ENV_TOKENS.get("X", ...)``/``ENV_TOKENS["X"]``, read as a key."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id in self.mappings \
                and node.func.attr in ("get", "setdefault", "pop") and node.args:
            key = _string(node.args[0])
            return None if key is None else self.mappings[node.func.value.id] + key
        return None

    # -- The environment --------------------------------------------------------------

    def env_reads(self, node: ast.expr) -> list[EnvRead]:
        """Every read of an environment variable in *node*."""
        reads = []
        for inner in _walk_expression(node):
            read = self.env_read(inner)
            if read is not None:
                reads.append(read)
        return reads

    def env_read(self, node: ast.AST) -> EnvRead | None:
        """The read of an environment variable *node* is, if it is one."""
        if isinstance(node, ast.Subscript) and self.is_environ(node.value):
            name = _string(node.slice)
            return EnvRead(name, None, node) if name else None
        name = _string(node.args[0]) if isinstance(node, ast.Call) and node.args else None
        if name is None or not isinstance(node, ast.Call):
            return None
        default = node.args[1] if len(node.args) > 1 else _keyword(node, "default")
        func = node.func
        if self.is_getenv(func):
            # os.environ.get("X") is None when X is not set
            return EnvRead(name, default if default is not None else ast.Constant(None), node)
        if isinstance(func, ast.Name) and func.id in self.imports.decouple:
            return EnvRead(name, _keyword(node, "default"), node)
        reader = func.value if isinstance(func, ast.Attribute) else func
        if isinstance(reader, ast.Name) and reader.id in self.imports.env_objects:
            scheme = self.imports.env_objects[reader.id]
            typed = isinstance(func, ast.Attribute)  # env.bool("X", False)
            given = _keyword(node, "default") if not typed or len(node.args) < 2 else node.args[1]
            return EnvRead(name, given if given is not None else scheme.get(name), node)
        return None

    def is_getenv(self, func: ast.expr) -> bool:
        """``os.environ.get``, ``os.getenv``, ``getenv`` or ``environ.get``."""
        if isinstance(func, ast.Attribute) and func.attr == "get":
            return self.is_environ(func.value)
        if isinstance(func, ast.Attribute) and func.attr == "getenv":
            return isinstance(func.value, ast.Name) and func.value.id in self.imports.os
        return isinstance(func, ast.Name) and func.id in self.imports.getenv

    def is_environ(self, node: ast.expr) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "environ" and
                isinstance(node.value, ast.Name) and node.value.id in self.imports.os) or (
            isinstance(node, ast.Name) and node.id in self.imports.environ)

    def note_env_object(self, targets: list[ast.expr], value: ast.expr) -> None:
        """``env = environ.Env(DEBUG=(bool, False))``: an object that reads variables, with
        the defaults of its scheme."""
        if not isinstance(value, ast.Call):
            return
        func = value.func
        if not ((isinstance(func, ast.Attribute) and func.attr == "Env" and
                 isinstance(func.value, ast.Name) and func.value.id in self.imports.environ_module)
                or (isinstance(func, ast.Name) and func.id in self.imports.env_class)):
            return
        scheme: dict[str, ast.expr | None] = {}
        for keyword in value.keywords:
            if keyword.arg is None:
                continue
            given = keyword.value
            scheme[keyword.arg] = given.elts[1] if isinstance(given, ast.Tuple) and \
                len(given.elts) > 1 else None
        for target in targets:
            for name in _names(target):
                self.imports.env_objects[name] = scheme


def _leaves_early(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.If) and not statement.orelse and bool(statement.body) \
        and isinstance(statement.body[-1], (ast.Return, ast.Continue, ast.Break))


def _join(outer: str | None, inner: str) -> str:
    return inner if outer is None else f"{outer}, {inner}"


def _names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _names(element)
    elif isinstance(target, ast.Starred):
        yield from _names(target.value)


@functools.lru_cache(maxsize=8)
def _walk_expression(node: ast.AST) -> tuple[ast.AST, ...]:
    """The nodes of an expression, not descending into lambdas (another scope).  Kept for
    the few expressions last asked for: a statement's value is walked for its environment
    reads, their replacements and its walrus targets."""
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        if not isinstance(current, ast.Lambda):
            stack.extend(reversed(list(ast.iter_child_nodes(current))))
    return tuple(found)


def _calls(node: ast.expr) -> Iterator[ast.Call]:
    """Calls in *node*, lambdas included (``lazy(lambda: getattr(...), list)()``)."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            yield inner


def _is_call(node: ast.AST, name: str) -> ast.Call | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name:
        return node
    return None


def _is_namespace_call(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
        node.func.id in ("globals", "vars", "locals") and not node.args


def _whole_read(value: ast.expr, reads: list[EnvRead]) -> EnvRead | None:
    """The read when it is the whole value, or the one argument of a cast (``int(...)``)."""
    node = value
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id in _CASTS and len(node.args) == 1:
        node = node.args[0]
    return next((read for read in reads if read.node is node), None)


def _entry_name(root: str, path: list[Any] | tuple[Any, ...]) -> str:
    """A key's setting as code-annotations names it: ``FEATURES['ENABLE_X']``."""
    return root + "".join(f"[{key!r}]" for key in path)


def _dict_items(value: ast.expr) -> list[tuple[Any, int, ast.expr]] | None:
    """``(key, line, value)`` of a dict literal's constant keys, or of ``dict(K=...)``."""
    if isinstance(value, ast.Dict):
        return [(key.value, key.lineno, item) for key, item in zip(value.keys, value.values,
                                                                   strict=True)
                if isinstance(key, ast.Constant) and isinstance(key.value, (str, int))]
    call = _is_call(value, "dict")
    if call is not None and not call.args:
        return [(k.arg, k.lineno, k.value) for k in call.keywords if k.arg is not None]
    return None


def _literal_keys(call: ast.Call) -> list[str]:
    """Keys ``X.update({...})``/``X.update(K=...)``/``X.setdefault("k", ...)`` adds."""
    keys: list[str] = [k.arg for k in call.keywords if k.arg]
    if call.args and isinstance(call.func, ast.Attribute):
        first = call.args[0]
        if call.func.attr == "setdefault" and (key := _string(first)) is not None:
            keys.append(key)
        elif isinstance(first, ast.Dict):
            keys += [k.value for k in first.keys
                     if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    return keys


class ConfigReads(ast.NodeVisitor):
    """Keys code reads from the operator's YAML config, and the variable naming the file.

    Keys are read with ``ENV_TOKENS.get("X")``, ``ENV_TOKENS["X"]``, ``"X" in ENV_TOKENS``,
    through a loop over a literal list of names, or by prefix (``for key, value in
    ENV_TOKENS.items(): if key.startswith("AWS_")``: the pattern ``AWS_*``).  Keys of a
    mapping inside the config are dotted: ``FEATURES.ENABLE_X``.
    """

    def __init__(self, walker: ModuleWalker) -> None:
        self.walker = walker
        self.mappings = walker.mappings
        self.keys: dict[str, None] = {}
        self.variable: str | None = None
        self.names: dict[str, list[str]] = {}   # loop variable -> literal names
        self.items: dict[str, str] = {}          # loop variable -> prefix of the mapping

    def key(self, prefix: str, node: ast.expr) -> None:
        if (text := _string(node)) is not None:
            self.keys[prefix + text] = None
        elif isinstance(node, ast.Name):
            for name in self.names.get(node.id, ()):
                self.keys[prefix + name] = None

    def mapping(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name) and node.id in self.mappings:
            return self.mappings[node.id]
        call = _is_call(node, "getattr")  # getattr(settings, "AUTH_TOKENS", {}), in a plugin
        if call is not None and len(call.args) >= 2 and _string(call.args[1]) in CONFIG_MAPPINGS:
            return ""
        return None

    def visit_For(self, node: ast.For) -> None:
        target, iterated = node.target, node.iter
        saved = dict(self.names), dict(self.items)
        if isinstance(target, ast.Name) and isinstance(iterated, (ast.Tuple, ast.List)):
            names = [_string(e) for e in iterated.elts]
            if all(names):
                self.names[target.id] = [n for n in names if n]
        loop_over = iterated.func.value if isinstance(iterated, ast.Call) and isinstance(
            iterated.func, ast.Attribute) and iterated.func.attr in ("items", "keys") \
            else iterated
        prefix = self.mapping(loop_over)
        if prefix is not None:
            first = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
            if isinstance(first, ast.Name):
                self.items[first.id] = prefix
        self.generic_visit(node)
        self.names, self.items = saved

    def dict_setting(self, node: ast.expr) -> str | None:
        """A dict setting read by key (``FEATURES.get("X")``): its keys are known keys."""
        if isinstance(node, ast.Name) and node.id in self.walker.namespace.keys:
            return node.id
        return None

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and node.args:
            prefix = self.mapping(func.value)
            if prefix is not None and func.attr in ("get", "setdefault", "pop"):
                self.key(prefix, node.args[0])
            read = self.dict_setting(func.value)
            if read is not None and func.attr == "get" and (key := _string(node.args[0])):
                self.walker.namespace.add_keys(read, [key])
            if func.attr == "startswith" and isinstance(func.value, ast.Name) and \
                    func.value.id in self.items and (start := _string(node.args[0])):
                self.keys[f"{self.items[func.value.id]}{start}*"] = None
        self.note_variable(node)
        self.generic_visit(node)

    def note_variable(self, node: ast.Call) -> None:
        if self.variable is not None or not node.args:
            return
        name = _string(node.args[0])
        if name is None or not (name.endswith(("_CFG", "_CFG_PATH", "_CONFIG_FILE"))):
            return
        func = node.func
        called = func.id if isinstance(func, ast.Name) else \
            func.attr if isinstance(func, ast.Attribute) else ""
        if called in ("get_env_setting", "getenv", "get") or \
                self.walker.env_read(node) is not None:
            self.variable = name

    def visit_Subscript(self, node: ast.Subscript) -> None:
        prefix = self.mapping(node.value)
        if prefix is not None:
            self.key(prefix, node.slice)
        read = self.dict_setting(node.value)
        if read is not None and (key := _string(node.slice)):
            self.walker.namespace.add_keys(read, [key])
        elif self.walker.is_environ(node.value) and (name := _string(node.slice)) and \
                name.endswith(("_CFG", "_CFG_PATH")) and self.variable is None:
            self.variable = name
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            prefix = self.mapping(node.comparators[0])
            if prefix is not None:
                self.key(prefix, node.left)
        self.generic_visit(node)
