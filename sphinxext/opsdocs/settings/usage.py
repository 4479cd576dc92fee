"""Django settings as code reads and sets them: the one rule, for ``opsdocs reads`` and the
``:reads:`` option (:mod:`opsdocs.settings.code_reads`) and for what a toggle's block over
code documents (:mod:`opsdocs.toggles.setting_code`).

Code reads ``getattr(settings, "X", d)``, ``hasattr(settings, "X")``, ``settings.X`` (an
attribute of Django's ``settings``, however it is imported, or of a parameter named
``settings``), a key of a dict setting (``settings.FEATURES.get("X", d)``,
``settings.FEATURES["X"]``), and edx-toggles' ``SettingToggle``/``SettingDictToggle``.
Code sets ``X = ...`` (a settings module), ``settings.X = ...`` (a plugin's
``plugin_settings(settings)``), ``settings.FEATURES["X"] = ...`` and
``settings.FEATURES.update({...})``.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from opsdocs.code_text import entry_name
from opsdocs.settings.model import is_setting_name

#: The dict settings whose keys ``opsdocs reads`` reads as settings of their own.
KEYED_SETTINGS = frozenset({"FEATURES"})


@dataclass(frozen=True)
class CodeRead:
    """A read of a setting in code: its name (``None``: named by something not known), the
    expression that reads it, the default it gives (``None``: none; ``.get`` without one
    gives a ``None`` made up, placed nowhere), and how: ``attribute``, ``getattr``,
    ``hasattr``, ``key`` (of a dict setting), ``toggle``."""

    name: str | None
    node: ast.expr
    default: ast.expr | None
    kind: str

    @property
    def written_default(self) -> ast.expr | None:
        """The default as the code writes it."""
        return self.default if hasattr(self.default, "lineno") else None


def literal_name(node: ast.expr) -> str | None:
    """The setting a string literal names."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) \
        else None


#: A name a module imports: the dots of a relative import, the module, and the name
#: imported from it (``None``: the name is the module, ``import a.b`` binding ``a``).
Imported = tuple[int, str, str | None]


#: What ``from django.conf import settings [as s]`` imports: the one import of Django's
#: settings known (``import django.conf`` binds ``django``, not the settings).
DJANGO_SETTINGS: Imported = (0, "django.conf", "settings")


def imported_names(tree: ast.Module) -> tuple[set[str], dict[str, Imported]]:
    """The names *tree* imports Django's settings as (:data:`DJANGO_SETTINGS`, by an
    import at any depth of its statements: a module imports them if this is not empty),
    and the other names it imports, each with what it names (a name imported twice: the
    last in :func:`ast.walk`'s order)."""
    settings: set[str] = set()
    modules: dict[str, Imported] = {}
    queue: deque[ast.AST] = deque([tree])
    while queue:  # ast.walk's order, through statements only: an import is one
        node = queue.popleft()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for name, imported in import_bindings(node):
                if imported == DJANGO_SETTINGS:
                    settings.add(name)
                else:
                    modules[name] = imported
        else:
            queue.extend(child for name in node._fields
                         if isinstance(children := getattr(node, name, None), list)
                         for child in children if isinstance(child, _BLOCK_PARTS))
    return settings, modules


def import_bindings(node: ast.Import | ast.ImportFrom) -> Iterator[tuple[str, Imported]]:
    """The names an import binds (``*`` aside), each with what it names: ``(level, module,
    name)`` for ``from module import name``, ``(0, module, None)`` for ``import module``."""
    for alias in node.names:
        if isinstance(node, ast.ImportFrom):
            if alias.name != "*":
                yield alias.asname or alias.name, (node.level, node.module or "", alias.name)
        else:
            name = alias.asname or alias.name.split(".")[0]
            yield name, (0, alias.name if alias.asname else name, None)


#: What holds statements: a statement, an ``except`` clause, a ``case``.
_BLOCK_PARTS = (ast.stmt, ast.excepthandler, ast.match_case)


class LoopNames:
    """The names a loop's variable stands for, one at a time: ``for name in ('A', 'B')``,
    or a loop over a name bound to such a literal list before it in the same function
    (``required = ['A', 'B']``; ``for name in required``).  Each name must be a string."""

    def __init__(self) -> None:
        self.lists: dict[str, list[str]] = {}  # a name bound to a literal list of names
        self.loops: dict[str, list[str]] = {}  # a loop variable -> the names it takes

    def assigned(self, statement: ast.stmt) -> None:
        """Note what *statement* binds a name to."""
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                isinstance(statement.targets[0], ast.Name):
            names = self._literal(statement.value)
            if names is None:
                self.lists.pop(statement.targets[0].id, None)
            else:
                self.lists[statement.targets[0].id] = names

    @contextmanager
    def loop(self, node: ast.For | ast.AsyncFor) -> Iterator[None]:
        """Within *node*: its variable stands for the names it loops over, if known."""
        saved = dict(self.loops)
        if isinstance(node.target, ast.Name):
            names = self.lists.get(node.iter.id) if isinstance(node.iter, ast.Name) else \
                self._literal(node.iter)
            if names is None or _binds(node.target.id, [*node.body, *node.orelse]):
                self.loops.pop(node.target.id, None)
            else:
                self.loops[node.target.id] = names
        try:
            yield
        finally:
            self.loops = saved

    @contextmanager
    def function(self) -> Iterator[None]:
        """Within a function: what it binds is its own."""
        saved = dict(self.lists), dict(self.loops)
        try:
            yield
        finally:
            self.lists, self.loops = saved

    def of(self, node: ast.expr) -> list[str] | None:
        """The names *node* stands for, when it is a loop's variable known."""
        return self.loops.get(node.id) if isinstance(node, ast.Name) else None

    @staticmethod
    def _literal(node: ast.expr) -> list[str] | None:
        if not isinstance(node, (ast.Tuple, ast.List)):
            return None
        names = [literal_name(element) for element in node.elts]
        return [name for name in names if name] if all(names) else None


def _binds(name: str, body: list[ast.stmt]) -> bool:
    """Whether *body* binds *name* in its own scope: an assignment (``=``, ``+=``,
    annotated, ``:=``), a ``for``, ``with ... as``, ``except ... as`` or ``case`` target,
    an import, a ``def`` or ``class``, a ``del``."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                return True
            continue  # a scope of its own
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound = {imported for imported, _ in import_bindings(node)}
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
            bound = {node.name or ""}
        else:
            bound = {node.id} if isinstance(node, ast.Name) and \
                not isinstance(node.ctx, ast.Load) else set()
        if name in bound:
            return True
        if isinstance(node, ast.comprehension):
            stack.extend([node.iter, *node.ifs])  # its target is the comprehension's own
        elif not isinstance(node, ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))
    return False


#: A parameter of this name is handed Django's settings.
SETTINGS_PARAMETER = "settings"

Function = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


def settings_inside(function: Function, settings: set[str],
                    memo: dict[int, set[str]] | None = None) -> set[str]:
    """The names of Django's settings in *function*'s body, *settings* around it: names
    it binds shadow them; a parameter named ``settings`` is Django's.  *memo* keeps the
    names each function of one tree binds."""
    parameters, assigned = _parameters(function), _assigned_names(function, memo or {})
    inner = settings - parameters - assigned
    return inner | {SETTINGS_PARAMETER} if SETTINGS_PARAMETER in parameters - assigned \
        else inner


class CodeReads:
    """The reads of settings under a node, each scope's names of Django's settings kept;
    *name_of* gives the setting an argument names (a literal by default; a loop's variable
    over a literal list of names reads each, :class:`LoopNames`), *keyed* the dict settings
    whose keys are read as settings of their own (``FEATURES`` by default).

    ``settings.D`` is read whole unless it is where a key is read by a known name.
    """

    def __init__(self, name_of: Callable[[ast.expr], str | None] = literal_name,
                 keyed: Callable[[str], bool] = KEYED_SETTINGS.__contains__) -> None:
        self.name_of = name_of
        self.keyed = keyed
        self.assigned: dict[int, set[str]] = {}  # by id: the trees read are alive meanwhile
        self.loops = LoopNames()

    def reads(self, node: ast.AST, settings: set[str]) -> list[CodeRead]:
        """The reads under *node*, where *settings* are the names of Django's settings."""
        found: list[CodeRead] = []
        self.visit(node, settings, found)
        return found

    def visit(self, node: ast.AST, settings: set[str], found: list[CodeRead]) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            outer = [*node.args.defaults, *node.args.kw_defaults,
                     *getattr(node, "decorator_list", ())]
            for default in outer:  # evaluated where the function is defined
                if default is not None:
                    self.visit(default, settings, found)
            inner = settings_inside(node, settings, self.assigned)
            with self.loops.function():
                for statement in node.body if isinstance(node.body, list) else [node.body]:
                    self.visit(statement, inner, found)
            return
        if isinstance(node, ast.stmt):
            self.statement(node)
            self.loops.assigned(node)
        if isinstance(node, (ast.For, ast.AsyncFor)):
            with self.loops.loop(node):
                self.visit_children(node, settings, found)
            return
        self.visit_children(node, settings, found)

    def visit_children(self, node: ast.AST, settings: set[str], found: list[CodeRead]) -> None:
        """The reads *node* is, then those under it."""
        keys = self.key(node, settings)
        if not _stored(node):
            found.extend(self.read(node, settings) if keys is None else keys)
        named = _dict_part(node) if keys and all(k.name is not None for k in keys) else None
        for child in ast.iter_child_nodes(node):
            if child is not named:  # a key known is the read, not its dict whole
                self.visit(child, settings, found)

    def statement(self, node: ast.stmt) -> None:
        """Called with each statement visited (outside functions' defaults)."""

    def names(self, node: ast.expr) -> list[str | None]:
        """The settings an argument names: one, or each a loop's variable stands for."""
        looped = self.loops.of(node)
        return [self.name_of(node)] if looped is None else list(looped)

    def key(self, node: ast.AST, settings: set[str]) -> list[CodeRead] | None:
        """The keys of a dict setting read (``D.get(k, d)``, ``D[k]``) or set
        (``D[k] = v``)."""
        if isinstance(node, ast.Subscript):
            parent = self.keyed_dict(node.value, settings)
            return None if parent is None else \
                [_key(parent, name, node, None) for name in self.names(node.slice)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "get" and node.args:
            parent = self.keyed_dict(node.func.value, settings)
            default = node.args[1] if len(node.args) > 1 else ast.Constant(None)
            return None if parent is None else \
                [_key(parent, name, node, default) for name in self.names(node.args[0])]
        return None

    def keyed_dict(self, node: ast.expr, settings: set[str]) -> str | None:
        """The dict setting *node* is, when its keys are read as settings: ``settings.D``
        (*keyed*), or a name ``FEATURES``."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                node.value.id in settings and is_setting_name(node.attr) and \
                self.keyed(node.attr):
            return node.attr
        return node.id if isinstance(node, ast.Name) and node.id in KEYED_SETTINGS else None

    def read(self, node: ast.AST, settings: set[str]) -> list[CodeRead]:
        if isinstance(node, ast.Call):
            return self.call(node, settings)
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and \
                isinstance(node.value, ast.Name) and node.value.id in settings and \
                is_setting_name(node.attr):
            return [CodeRead(node.attr, node, None, "attribute")]
        return []

    def call(self, node: ast.Call, settings: set[str]) -> list[CodeRead]:
        func = node.func
        callee = func.id if isinstance(func, ast.Name) else \
            func.attr if isinstance(func, ast.Attribute) else ""
        if callee in ("getattr", "hasattr") and len(node.args) >= 2 and \
                isinstance(node.args[0], ast.Name) and node.args[0].id in settings:
            default = node.args[2] if len(node.args) > 2 else None
            return [CodeRead(name, node, default, callee) for name in self.names(node.args[1])
                    if name is None or is_setting_name(name)]
        if callee == "SettingToggle" and node.args:
            name = self.name_of(node.args[0])
            return [] if name is None else \
                [CodeRead(name, node, _default_keyword(node, 1), "toggle")]
        if callee == "SettingDictToggle" and len(node.args) >= 2:
            parent, key = self.name_of(node.args[0]), self.name_of(node.args[1])
            if parent is not None and key is not None:
                return [CodeRead(entry_name(parent, [key]), node, _default_keyword(node, 2),
                                 "toggle")]
        return []


def _key(parent: str, key: str | None, node: ast.expr, default: ast.expr | None) -> CodeRead:
    """A read of a key of the dict setting *parent*; one by a name not known is
    unresolved."""
    return CodeRead(None if key is None else entry_name(parent, [key]), node, default, "key")


def _stored(node: ast.AST) -> bool:
    return isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load)


def _dict_part(node: ast.AST) -> ast.AST | None:
    """The part of a key's read or set that names the dict: ``D.get`` of ``D.get(k)``,
    ``D`` of ``D[k]``."""
    return node.func if isinstance(node, ast.Call) else \
        node.value if isinstance(node, ast.Subscript) else None


def _default_keyword(node: ast.Call, position: int) -> ast.expr | None:
    given = next((k.value for k in node.keywords if k.arg == "default"), None)
    if given is None and len(node.args) > position:
        given = node.args[position]
    return given


def _parameters(node: Function) -> set[str]:
    arguments = node.args
    names = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
    return names | {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}


def _assigned_names(node: Function, memo: dict[int, set[str]]) -> set[str]:
    """Names a function's body assigns, a function inside it included (each function's
    kept in *memo*: a body is walked once however deep functions nest)."""
    if id(node) in memo:
        return memo[id(node)]
    names: set[str] = set()
    stack: list[ast.AST] = list(node.body) if isinstance(node.body, list) else []
    while stack:
        inner = stack.pop()
        if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
            names.add(inner.id)
        elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names |= _assigned_names(inner, memo)
            stack.extend(child for field, value in ast.iter_fields(inner) if field != "body"
                         for child in (value if isinstance(value, list) else [value])
                         if isinstance(child, ast.AST))
            continue
        stack.extend(ast.iter_child_nodes(inner))
    memo[id(node)] = names
    return names


# -- In code: the settings a statement sets ------------------------------------------


def setting_target(target: ast.expr, local: bool = False) -> str | None:
    """The setting an assignment target defines: ``X`` (not in a function, *local*),
    ``FEATURES['X']``, ``settings.X`` (a plugin's ``plugin_settings``)."""
    if isinstance(target, ast.Name):
        return None if local else target.id
    if isinstance(target, ast.Attribute) and _is_settings(target.value):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) and \
            isinstance(target.slice.value, str):
        container = setting_target(target.value, local)
        return f"{container}[{target.slice.value!r}]" if container else None
    return None


#: A setting a statement sets: its name, the value, whether the whole setting is set.
Change = tuple[str, ast.expr, bool]


def setting_changes(statement: ast.stmt, local: bool) -> Iterator[Change]:
    """The settings a statement sets: name, value, and whether it sets the whole setting
    (``X = ...``) or adds keys (``X.update({...})``)."""
    if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        name = setting_target(targets[0], local)
        if name is not None:
            yield name, statement.value, True
    elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call) and \
            isinstance(statement.value.func, ast.Attribute) and \
            statement.value.func.attr == "update" and len(statement.value.args) == 1:
        name = setting_target(statement.value.func.value, local)
        if name is not None:
            yield name, statement.value.args[0], False


def _is_settings(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "settings"
