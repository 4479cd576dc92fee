"""Module-level statements of settings modules, read with Python's own semantics.

A :class:`ModuleWalker` adds one module's statements to a
:class:`~opsdocs.settings.namespace.Namespace`:

- every binding of a name is a :class:`~opsdocs.settings.model.Definition`; the last
  unconditional one is the value, earlier ones are overridden (what an assignment binds:
  :mod:`opsdocs.settings.assignments`);
- a statement that only changes a value (``.update``, ``[k] =``, ``+=``, ``.append``,
  ``.insert``, ``.extend``, ``.setdefault``, ``del X[k]``) attaches to the setting it
  changes, wherever that was defined, and never creates one;
- ``if``/``try``/``for``/``while``/``match`` clauses become the condition of what they hold;
  ``del X`` unbinds ``X``;
- ``settings.X = ...`` inside ``def plugin_settings(settings)`` defines ``X``;
- star imports and ``from module import X`` are handed to the reader of the chain.

Nothing is evaluated: values are source text.  The walk is a generator of *steps*: an
import yields the walk of the module it reads, which :func:`run_steps` runs before the
importing module goes on, so a chain of modules of any length needs no deeper recursion
than one module's own nesting.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from opsdocs.code_text import entry_name, literal
from opsdocs.settings.assignments import Assignments
from opsdocs.settings.comment_blocks import Blocks
from opsdocs.settings.config_keys import statement_names
from opsdocs.settings.environment import is_call, string, target_names
from opsdocs.settings.literals import Locals, literal_text
from opsdocs.settings.model import Definition, is_setting_name
from opsdocs.settings.namespace import Bound, Namespace
from opsdocs.settings.values import CHANGING_METHODS, call_items, is_namespace_call

_BINARY_OPERATORS = {
    ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/=", ast.FloorDiv: "//=",
    ast.Mod: "%=", ast.Pow: "**=", ast.BitOr: "|=", ast.BitAnd: "&=", ast.BitXor: "^=",
    ast.LShift: "<<=", ast.RShift: ">>=", ast.MatMult: "@=",
}

_BUILTINS = frozenset(dir(builtins))

#: What a walk yields: the walk of another module, to run to its end first.
Steps = Iterator[Any]


def run_steps(steps: Steps) -> None:
    """Run *steps* (:meth:`ModuleWalker.steps`) and every walk they yield, each to its end
    before the one that yielded it goes on: Python's order, without recursion."""
    stack = [steps]
    while stack:
        try:
            stack.append(next(stack[-1]))
        except StopIteration:
            stack.pop()


class ModuleWalker(Assignments):
    """Adds one module's statements to a :class:`~opsdocs.settings.namespace.Namespace`.

    *lines* are the module's source lines (Python's numbering); *blocks* its comment
    blocks, which say what documents keys of dict settings; *star_import*
    reads a star-imported module into the same namespace; *named_import* binds the
    settings ``from module import X`` names (with the import's condition).  Both return
    the steps to run for it (:data:`Steps`).
    """

    def __init__(self, namespace: Namespace, file: str, lines: list[str],
                 blocks: Blocks,
                 star_import: Callable[[ast.ImportFrom], Iterable[Any]] | None = None,
                 named_import: Callable[[ast.ImportFrom, str | None], Iterable[Any]] | None
                 = None) -> None:
        super().__init__(namespace, file, lines, blocks)
        self.star_import = star_import
        self.named_import = named_import
        self.always: str | None = None  # the condition of what runs whenever the module does

    def walk(self, tree: ast.Module) -> None:
        """Walk *tree*, and what its imports read, to the end."""
        run_steps(self.steps(tree))

    def steps(self, tree: ast.Module) -> Steps:
        """The walk of *tree*, yielding the walk of each module an import reads."""
        # A plugin's settings are what plugin_settings() sets; its module-level names are
        # constants it uses.
        self.plugin_module = any(isinstance(s, ast.FunctionDef) and s.name == "plugin_settings"
                                 for s in tree.body)
        self.locals.start(tree.body)
        yield from self.visit_body(tree.body, None)

    def visit_body(self, body: list[ast.stmt], condition: str | None) -> Steps:
        for index, statement in enumerate(body):
            if self.plugin is not None and isinstance(statement, ast.Return):
                return  # the rest does not run
            yield from self.visit(statement, condition)
            if _leaves_early(statement):
                # ``if not enabled: return`` (in a plugin) or ``if ...: continue`` (in a
                # loop) makes everything after it conditional
                assert isinstance(statement, ast.If)
                rest = _join(condition, self.negated(statement.test))
                yield from self.visit_body(body[index + 1:], rest)
                return

    def visit(self, node: ast.stmt, condition: str | None) -> Steps:
        """A statement's visit; those that hold statements or import are generators."""
        self.config_only(node, condition)
        visit = getattr(self, f"visit_{type(node).__name__}", None)
        steps = visit(node, condition) if visit is not None else None
        if steps is not None:
            yield from steps

    def config_only(self, node: ast.stmt, condition: str | None) -> None:
        """Bind the names *node* reads that no module bound, once the operator's config is
        applied (``LOGGING = f(LOG_DIR)`` after ``vars().update(config_from_yaml)``): the
        config must give them when the read always runs (*condition* is ``None``, or only
        a ``try`` that catches no ``NameError``); else they are optional keys.  A star
        import not read may bind any name: none is."""
        bound, read = statement_names(node)
        namespace = self.namespace
        if namespace.config_at is not None and namespace.config_applied and \
                not namespace.opaque and self.plugin is None and not self.constants_only():
            file, line = namespace.config_at
            required = condition == self.always
            for name in read:
                if not is_setting_name(name) or name in namespace.names or name in _BUILTINS:
                    continue
                bounds = namespace.bound.get(name)
                if bounds is None or (required and all(
                        b.definition.kind == "config" and not b.no_default for b in bounds)):
                    bound_now = Bound(Definition("config", line, file=file), no_default=required)
                    if bounds is None:
                        namespace.bind(name, bound_now)
                    else:  # read where the code may not run before, now always
                        bounds[:] = [bound_now]
        namespace.names.update(dict.fromkeys(bound))

    def visit_Import(self, node: ast.Import, condition: str | None) -> None:
        self.imports.note(node)

    def visit_ImportFrom(self, node: ast.ImportFrom, condition: str | None) -> Steps:
        if any(alias.name == "*" for alias in node.names):
            if self.star_import is not None and self.plugin is None:
                yield from self.star_import(node)
            return
        self.imports.note(node)
        if self.named_import is not None and self.plugin is None and \
                not self.constants_only() and \
                any(is_setting_name(alias.asname or alias.name) for alias in node.names):
            yield from self.named_import(node, condition)

    def visit_Assign(self, node: ast.Assign, condition: str | None) -> None:
        self.walrus(node.value, condition)
        read = self.settings_read(node.value)
        self.config.note(node.targets, node.value, read[0] if read is not None else None)
        self.environment.note_object(node.targets, node.value)
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
            text = self.value_text(node.value)
            # A += B with B = ('b',) adds B's literal; with anything else, A is computed
            written = literal(text) is not None
            found = None if written else literal_text(node.value, self.lookup(condition))
            self.change(name, Definition("augmented", node.lineno, text, condition,
                                         operator=operator),
                        literal=found, computed=not written and found is None)
            return
        root = self.root(node.target)
        if root is not None:
            self.change(root, Definition("statement", node.lineno, self.code.segment(node),
                                         condition))

    def visit_Expr(self, node: ast.Expr, condition: str | None) -> None:
        self.walrus(node.value, condition)
        call = node.value
        setter = is_call(call, "setattr")
        if setter is not None and len(setter.args) == 3:
            # setattr(settings, "X", value) in a plugin; a computed name cannot be read
            name = self.setting_target(ast.Attribute(setter.args[0], string(setter.args[1]) or ""))
            if name is not None:
                self.assign_name(name, setter, setter.args[2], node, condition)
            return
        registered = is_call(call, "derived")
        if registered is not None:  # openedx/core/lib/derived.py: derived(*names)
            self.namespace.derived.update(dict.fromkeys(
                name for name in map(string, registered.args) if name is not None))
            return
        entry = is_call(call, "derived_collection_entry")  # (name, key, key, ...)
        if entry is not None and len(entry.args) > 1:
            words = [a.value if isinstance(a, ast.Constant) else None for a in entry.args]
            if isinstance(words[0], str) and None not in words:
                self.namespace.derived[entry_name(words[0], words[1:])] = None
            return
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)) or \
                self.applies_config(call):
            return
        root = self.root(call.func.value)
        if root is None or call.func.attr not in CHANGING_METHODS:
            return
        self.reach(call.func.value, node, condition)
        direct = self.setting_target(call.func.value) is not None
        if direct and root in self.namespace.proxies and call.func.attr in ("update",
                                                                            "setdefault"):
            self.proxy_change(call, condition)
            return
        definition = Definition("call" if direct else "statement", node.lineno,
                                self.code.segment(call), condition)
        if self.change(root, definition) and direct and call.func.attr in ("update", "setdefault"):
            self.namespace.add_keys(root, [key for key, _, _ in call_items(call)
                                           if isinstance(key, str)])
            self.added_entries(root, call, condition)

    def applies_config(self, call: ast.Call) -> bool:
        """``vars().update(config_from_yaml)`` (or ``vars().update(yaml.safe_load(f))``): the
        operator's config replaces the names."""
        assert isinstance(call.func, ast.Attribute)
        if call.func.attr == "update" and is_namespace_call(call.func.value) and \
                any(self.config.holds_whole(argument) or self.config.loads_yaml(argument)
                    for argument in call.args):
            self.namespace.apply_config(self.file, call.lineno)
            return True
        return False

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
            if root is not None and isinstance(target, ast.Subscript):
                self.reach(target.value, node, condition, target.slice)
            if root is not None:
                key = target.slice if isinstance(target, ast.Subscript) else None
                self.change(root, Definition(
                    "delete", node.lineno, f"del {self.code.segment(target)}", condition,
                    key=self.code.segment(key) if key is not None else None))

    def visit_If(self, node: ast.If, condition: str | None) -> Steps:
        self.walrus(node.test, condition)
        test = self.code.segment(node.test)
        self.tests.append(node.test)
        try:
            yield from self.visit_body(node.body, _join(condition, f"if {test}"))
            yield from self.visit_body(node.orelse, _join(condition, self.negated(node.test)))
        finally:
            self.tests.pop()

    def negated(self, test: ast.expr) -> str:
        """The clause of what runs when *test* is false: ``if not (x)``; ``if x`` when
        it reads ``not x``."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return f"if {self.code.segment(test.operand)}"
        return f"if not ({self.code.segment(test)})"

    def visit_Try(self, node: ast.Try, condition: str | None) -> Steps:
        body, always = _join(condition, "try"), self.always
        if condition == always and not any(map(_catches_name_error, node.handlers)):
            self.always = body  # a name the body reads unbound stops the service
        try:
            yield from self.visit_body(node.body, body)
        finally:
            self.always = always
        for handler in node.handlers:
            caught = f" {self.code.segment(handler.type)}" if handler.type else ""
            yield from self.visit_body(handler.body, _join(condition, f"except{caught}"))
        yield from self.visit_body(node.orelse, _join(condition, "try ... else"))
        yield from self.visit_body(node.finalbody, condition)

    visit_TryStar = visit_Try

    def visit_With(self, node: ast.With, condition: str | None) -> Steps:
        yield from self.visit_body(node.body, condition)

    visit_AsyncWith = visit_With

    def visit_For(self, node: ast.For, condition: str | None) -> Steps:
        clause = f"for {self.code.segment(node.target)} in {self.code.segment(node.iter)}"
        for name in target_names(node.target):
            if self.is_setting(name):
                self.bind(name, Definition("loop", node.lineno, self.code.segment(node.iter),
                                           condition))
        saved, self.config_loop = self.config_loop, self.config.holds_whole(node.iter)
        try:
            yield from self.visit_body(node.body, _join(condition, clause))
        finally:
            self.config_loop = saved
        yield from self.visit_body(node.orelse, _join(condition, f"{clause} ... else"))

    visit_AsyncFor = visit_For

    def visit_While(self, node: ast.While, condition: str | None) -> Steps:
        self.walrus(node.test, condition)
        clause = f"while {self.code.segment(node.test)}"
        yield from self.visit_body(node.body, _join(condition, clause))
        yield from self.visit_body(node.orelse, _join(condition, f"{clause} ... else"))

    def visit_Match(self, node: Any, condition: str | None) -> Steps:
        subject = self.code.segment(node.subject)
        for case in node.cases:
            clause = f"match {subject}: case {self.code.segment(case.pattern)}"
            if case.guard is not None:
                clause += f" if {self.code.segment(case.guard)}"
            yield from self.visit_body(case.body, _join(condition, clause))

    def visit_FunctionDef(self, node: ast.FunctionDef, condition: str | None) -> Steps:
        if node.name != "plugin_settings" or self.plugin is not None or not node.args.args:
            return
        self.plugin = node.args.args[0].arg
        module_locals, self.locals = self.locals, Locals()
        self.locals.start(node.body)
        try:
            yield from self.visit_body(node.body, condition)
        finally:
            self.plugin, self.locals = None, module_locals


def _catches_name_error(handler: ast.ExceptHandler) -> bool:
    """``except NameError:``, or a handler that catches it (bare, ``Exception``)."""
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(c is None or (isinstance(c, ast.Name) and c.id in (
        "NameError", "Exception", "BaseException")) for c in caught)


def _leaves_early(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.If) and not statement.orelse and bool(statement.body) \
        and isinstance(statement.body[-1], (ast.Return, ast.Continue, ast.Break))


def _join(outer: str | None, inner: str) -> str:
    return inner if outer is None else f"{outer}, {inner}"
