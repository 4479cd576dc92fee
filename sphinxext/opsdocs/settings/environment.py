"""Values a settings module reads from the environment, and what its imports name.

A read records the variable, and its default stands in for the read (``None`` when
there is none: the variable must be set).  Four ways of reading are known:

- ``os.environ["X"]``, ``os.environ.get("X", d)``, ``os.getenv("X", d)``, however ``os``,
  ``environ`` or ``getenv`` is imported;
- django-environ: ``env = environ.Env(DEBUG=(bool, False))``, then ``env("X", default=d)``
  or ``env.bool("X", d)``, with the defaults of the object's scheme;
- python-decouple: ``config("X", default=d)``;
- any of these inside a cast that keeps its type (``int(os.environ["X"])``).

Nothing is evaluated: the readers only look at the names a module imports.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

from opsdocs.settings.usage import DJANGO_SETTINGS, import_bindings

#: Calls that keep the type of their one argument (a cast around an environment read).
_CASTS = frozenset({"int", "float", "bool", "str", "list", "tuple", "path", "Path", "Csv"})


@dataclass
class Imports:
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
        self.django_settings.update(name for name, imported in import_bindings(node)
                                    if imported == DJANGO_SETTINGS)


@dataclass(frozen=True)
class EnvRead:
    """A value read from the environment: the variable, and the default (``None``: none)."""

    variable: str
    default: ast.expr | None
    node: ast.expr


class Environment:
    """The environment reads of one module, by the names its :class:`Imports` bind."""

    def __init__(self, imports: Imports) -> None:
        self.imports = imports

    def reads(self, node: ast.expr) -> list[EnvRead]:
        """Every read of an environment variable in *node*."""
        reads = []
        for inner in walk_expression(node):
            read = self.read(inner)
            if read is not None:
                reads.append(read)
        return reads

    def read(self, node: ast.AST) -> EnvRead | None:
        """The read of an environment variable *node* is, if it is one."""
        required = self.required_read(node)
        if required is not None and isinstance(node, ast.expr):
            return EnvRead(required, None, node)
        name = string(node.args[0]) if isinstance(node, ast.Call) and node.args else None
        if name is None or not isinstance(node, ast.Call):
            return None
        default = node.args[1] if len(node.args) > 1 else keyword(node, "default")
        func = node.func
        if self.is_getenv(func):
            # os.environ.get("X") is None when X is not set
            return EnvRead(name, default if default is not None else ast.Constant(None), node)
        if isinstance(func, ast.Name) and func.id in self.imports.decouple:
            return EnvRead(name, keyword(node, "default"), node)
        reader = func.value if isinstance(func, ast.Attribute) else func
        if isinstance(reader, ast.Name) and reader.id in self.imports.env_objects:
            scheme = self.imports.env_objects[reader.id]
            typed = isinstance(func, ast.Attribute)  # env.bool("X", False)
            given = keyword(node, "default") if not typed or len(node.args) < 2 else node.args[1]
            return EnvRead(name, given if given is not None else scheme.get(name), node)
        return None

    def required_read(self, node: ast.AST) -> str | None:
        """``X`` of ``os.environ["X"]`` or ``get_env_setting("X")``: a variable that must
        be set."""
        if isinstance(node, ast.Subscript) and self.is_environ(node.value):
            return string(node.slice) or None
        if isinstance(node, ast.Call) and _called(node.func) in _ENV_HELPERS and \
                len(node.args) == 1 and not node.keywords:
            return string(node.args[0]) or None
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

    def note_object(self, targets: list[ast.expr], value: ast.expr) -> None:
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
        for item in value.keywords:
            if item.arg is None:
                continue
            given = item.value
            scheme[item.arg] = given.elts[1] if isinstance(given, ast.Tuple) and \
                len(given.elts) > 1 else None
        for target in targets:
            for name in target_names(target):
                self.imports.env_objects[name] = scheme


#: Helpers the IDAs define to read a variable that must be set (``get_env_setting`` in
#: ``settings/utils.py``: ``os.environ[name]``, raising ``ImproperlyConfigured``).
_ENV_HELPERS = frozenset({"get_env_setting"})


def _called(func: ast.expr) -> str | None:
    """The name a call calls: ``f`` of ``f(...)`` and of ``utils.f(...)``."""
    return func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else None


def whole_read(value: ast.expr, reads: list[EnvRead]) -> EnvRead | None:
    """The read when it is the whole value, or the one argument of a cast (``int(...)``)."""
    node = value
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id in _CASTS and len(node.args) == 1:
        node = node.args[0]
    return next((read for read in reads if read.node is node), None)


# -- Expressions, as the statement readers see them --------------------------------------


def string(node: ast.expr | None) -> str | None:
    """The text of a string literal; ``None`` for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def target_names(target: ast.expr) -> Iterator[str]:
    """The names an assignment target binds (``a, *b = ...``: ``a`` and ``b``)."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from target_names(element)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)


@functools.lru_cache(maxsize=8)
def walk_expression(node: ast.AST) -> tuple[ast.AST, ...]:
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


def is_call(node: ast.AST, name: str) -> ast.Call | None:
    """*node* when it calls the name *name* (``getattr(...)``)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name:
        return node
    return None
