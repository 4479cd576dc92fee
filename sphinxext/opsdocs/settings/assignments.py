"""Assignments in settings modules, read with Python's own semantics.

- every binding of a name is a :class:`~opsdocs.settings.model.Definition`; unpacking
  (``A, *B = ...``) binds each name to its part, ``X = (Y := 3)`` binds both;
- ``X = getattr(settings, "X", d)`` in a module that imports Django's ``settings`` is the
  setting ``X`` with default ``d``; the module's other names are derived or constants;
- ``settings.X = ...`` inside ``def plugin_settings(settings)`` defines ``X``;
- the keys of a dict literal that carry their own docs are settings of their own
  (``FEATURES['ENABLE_X']``);
- a value read from the environment (:mod:`opsdocs.settings.environment`) records the
  variable, and its default stands in for the read.

Nothing is evaluated: values are source text.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, NamedTuple

from opsdocs.code_text import SourceText, entry_name, key_path
from opsdocs.errors import Problem
from opsdocs.settings.aliases import ANY, place_of
from opsdocs.settings.comment_blocks import Blocks, normal_name
from opsdocs.settings.config_keys import ConfigMappings, required_read
from opsdocs.settings.environment import (
    Environment,
    EnvRead,
    Imports,
    is_call,
    string,
    walk_expression,
    whole_read,
)
from opsdocs.settings.literals import Locals, Lookup, joins, literal_text, reads_name
from opsdocs.settings.model import Definition, is_setting_name
from opsdocs.settings.namespace import Bound, Namespace
from opsdocs.settings.values import (
    call_items,
    dict_items,
    is_computed,
    is_namespace_call,
    is_proxy,
    toggle_class,
)


class Entry(NamedTuple):
    """A key of a dict setting with docs of its own: its keys from the setting, the line
    of the last, its value, and the line its doc is above when not that one."""

    path: tuple[Any, ...]
    line: int
    value: ast.expr
    doc_line: int | None = None


class Assignments:
    """Binds the targets of one module's assignments in a :class:`Namespace`.

    *lines* are the module's source lines (Python's numbering); *blocks* its comment
    blocks, which say what documents keys of dict settings.
    """

    def __init__(self, namespace: Namespace, file: str, lines: list[str],
                 blocks: Blocks) -> None:
        self.namespace = namespace
        self.file = file
        self.code = SourceText(lines)
        self.blocks = blocks
        self.imports = Imports()
        self.environment = Environment(self.imports)
        self.config = ConfigMappings(self.imports)
        self.plugin: str | None = None  # the settings parameter, inside plugin_settings
        self.plugin_module = False
        self.config_loop = False  # in a loop over the operator's config
        self.locals = Locals()  # names of the scope read that are no settings
        self.tests: list[ast.expr] = []  # of the ifs the statement is under

    def is_setting(self, name: str) -> bool:
        return is_setting_name(name) and not self.constants_only()

    def constants_only(self) -> bool:
        """Whether module-level names here are no settings: in an app module (it imports
        Django's settings) or a plugin module (it defines plugin_settings)."""
        return self.plugin is None and (bool(self.imports.django_settings) or self.plugin_module)

    def setting_target(self, node: ast.expr) -> str | None:
        """The setting a target names: ``X`` at module level, ``settings.X`` in a plugin,
        ``FEATURES['X']`` where ``FEATURES`` is a proxy of the settings."""
        if isinstance(node, ast.Subscript):
            owner = self.setting_target(node.value)
            key = string(node.slice)
            return key if owner in self.namespace.proxies and is_setting_name(key) else None
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

    def change(self, name: str, definition: Definition, **facts: Any) -> bool:
        return self.namespace.change(name, Bound(replace(definition, file=self.file), **facts))

    def lookup(self, condition: str | None) -> Lookup:
        return self.locals.lookup(None if self.plugin else self.namespace.bound, condition)

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
                                             self.code.segment(statement), condition))

    def assign_name(self, name: str | None, target: ast.expr, value: ast.expr,
                    statement: ast.stmt, condition: str | None, text: str | None = None) -> None:
        line = statement.lineno
        if self.imports.django_settings and self.plugin is None:
            self.app_setting(target, value, line, condition)
            return
        if self.plugin is not None:
            value = self.own_default(name, value)
        if name is None and isinstance(target, ast.Name):
            self.locals.bind(target.id, value, condition, self.lookup(condition))
        if name is None or self.config.holds_config(name, self.namespace.known(name)):
            return
        reads_itself = self.plugin is None and reads_name(value, name)
        local = self.plugin is not None and self.locals.holds(value)
        # the literal it gives (E + ['b']; cfg in plugin_settings, where names are the function's)
        literal = literal_text(value, self.lookup(condition)) if reads_itself or local else None
        env = self.environment.reads(value)
        replacements = self.replacements(value, env, name)
        if text is None:
            text = self.code.code(value, replacements)
        whole = whole_read(value, env)
        unset = whole is not None and whole.default is None
        no_default = required_read(whole, self.tests) or self.config.required_key(value)
        # A variable read for a documented key is that key's, not the whole dict's.
        entries = {id(inner) for entry in self.documented_items(name, value, line)
                   for inner in walk_expression(entry.value)} if env else set()
        own = [r.variable for r in env if id(r.node) not in entries]
        definition = Definition("assign", line, None if unset or no_default else text, condition)
        self.bind(name, definition, env_vars=tuple(dict.fromkeys(own)), no_default=no_default,
                  computed=is_computed(value) or ((local or (reads_itself and joins(value))) and not literal),
                  toggle=toggle_class(value), literal=literal, reads_itself=reads_itself)
        self.after_config(name, value, definition)
        self.namespace.aliases.note(name, value, self.namespace.known)
        if is_proxy(value):
            self.namespace.proxies[name] = None
        else:
            self.namespace.proxies.pop(name, None)
        self.entries(name, value, condition, line)

    def after_config(self, name: str, value: ast.expr, definition: Definition) -> None:
        """Note whether ``name = value`` replaces what the config applied before gave it:
        reading neither the name nor its key (``X = config.get("X", d)`` gives it back).
        Under a condition, it may replace it; not under one reading either (``if X == "":``)."""
        namespace, reads = self.namespace, self.config.reads_key
        if not namespace.config_applied or self.plugin is not None:
            return
        if reads(value, name):
            namespace.after_config.pop(name, None)
            namespace.maybe_after_config.pop(name, None)
        elif not any(reads_name(node, name) or reads(node, name) for node in
                     [value, *(self.tests if definition.condition else ())]):
            found = namespace.maybe_after_config if definition.condition else namespace.after_config
            found[name] = replace(definition, file=self.file)

    def proxy_change(self, call: ast.Call, condition: str | None) -> None:
        """``FEATURES.update({"X": 1})`` or ``FEATURES.setdefault("X", 1)`` on a proxy of
        the settings binds the settings named (``setdefault`` only one not bound yet)."""
        items = call_items(call)
        assert isinstance(call.func, ast.Attribute)
        if call.func.attr == "setdefault":
            items = [item for item in items if not self.namespace.known(item[0])]
        for key, line, item in items:
            if is_setting_name(key):
                env = self.environment.reads(item)
                self.bind(key, Definition("assign", line, self.value_text(item, own=key),
                                          condition),
                          env_vars=tuple(r.variable for r in env), computed=is_computed(item))

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
                                       self.code.code(default), condition),
                      no_default=default is None, variable=variable)

    def settings_read(self, node: ast.expr) -> tuple[str, ast.expr | None] | None:
        """``getattr(settings, "X", d)`` as ``("X", d)``."""
        owners = self.imports.django_settings | ({self.plugin} if self.plugin else set())
        call = is_call(node, "getattr")
        if call is None or len(call.args) < 2 or not (
                isinstance(call.args[0], ast.Name) and call.args[0].id in owners):
            return None
        name = string(call.args[1])
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
        if is_namespace_call(target.value):
            if self.config_loop:  # for key, value in config.items(): vars()[key] = value
                self.namespace.apply_config(self.file, statement.lineno)
            elif not any(isinstance(n, ast.Name) for n in ast.walk(target.slice)):
                self.problem(
                    f"{self.code.segment(target)} is assigned through "
                    f"{self.code.segment(target.value)}: opsdocs reads code, and cannot see the "
                    "name this binds; assign it by name", statement.lineno, "python-dynamic")
            return
        root = self.root(target)
        if root is None:
            return
        self.reach(target.value, statement, condition, target.slice)
        path = self.key_path(target)
        if path is not None and (self.namespace.known(entry_name(root, path)) or
                                 self.blocks.documents(statement.lineno) or self.plugin is not None):
            self.bind_entry(root, Entry(tuple(path), statement.lineno, value), condition)
        direct = path is not None and len(path) == 1 and self.setting_target(target.value)
        if isinstance(target.slice, ast.Slice) and self.setting_target(target.value):
            # X[5:5] = [...]: a slice, folded like an item
            self.change(root, Definition("item", statement.lineno, self.value_text(value),
                                         condition, key=self.code.segment(target.slice)))
        elif direct:
            self.namespace.add_keys(root, [k for k in path or () if isinstance(k, str)])
            self.change(root, Definition("item", statement.lineno, self.value_text(value),
                                         condition, key=self.code.segment(target.slice)))
        else:
            self.change(root, Definition("statement", statement.lineno,
                                         self.code.segment(statement), condition))

    def reach(self, place: ast.expr, statement: ast.stmt, condition: str | None,
              key: ast.expr | None = None) -> None:
        """A statement changes *place* (its item *key*, if given): the settings held there
        by name change too (:mod:`opsdocs.settings.aliases`)."""
        found = place_of(place, self.setting_target, self.code.segment)
        if found is None:
            return
        aliases = self.namespace.aliases
        for reached in aliases.reached(found.root, found.path, found.texts):
            self.change(reached.name, Definition("statement", statement.lineno,
                                                 self.code.segment(statement), condition,
                                                 via=reached.via))
        if key is not None:
            aliases.replaced(found.root, [*found.path, key.value if isinstance(
                key, ast.Constant) else ANY])

    def key_path(self, target: ast.expr) -> list[Any] | None:
        """The constant keys of ``X["a"]["b"]``, or ``None`` when one is not a literal."""
        keys: list[Any] = []
        node = target
        while isinstance(node, ast.Subscript) and self.setting_target(node) is None:
            if not isinstance(node.slice, ast.Constant):
                return None
            keys.append(node.slice.value)
            node = node.value
        return list(reversed(keys)) if self.setting_target(node) else None

    def entries(self, name: str, value: ast.expr, condition: str | None,
                statement: int) -> None:
        """Keys of a dict literal (or ``dict(...)``) that carry their own docs become
        settings of their own, named ``NAME['KEY']``."""
        pairs = dict_items(value)
        if pairs is not None:
            self.namespace.add_keys(name, [k for k, _, _ in pairs if isinstance(k, str)])
        for entry in self.documented_items(name, value, statement):
            self.bind_entry(name, entry, condition, computed=is_computed(entry.value))

    def added_entries(self, name: str, call: ast.Call, condition: str | None) -> None:
        """Keys ``X.update({...})``, ``X.update(K=...)`` or ``X.setdefault("k", {...})``
        adds that carry their own docs become settings of their own, as a literal's do."""
        for key, line, item in call_items(call):
            found = [self.named_entry(name, Entry((key,), line, item))] \
                if line != call.lineno and self.blocks.documents(line) else []
            if isinstance(item, (ast.Dict, ast.Call)):
                found += self.documented_items(name, item, line, (key,))
            for entry in found:
                self.bind_entry(name, entry, condition, computed=is_computed(entry.value))

    def bind_entry(self, root: str, entry: Entry, condition: str | None, **facts: Any) -> None:
        """Bind the key *entry* of the setting *root* (``FEATURES['X']``) to its value."""
        env = self.environment.reads(entry.value)
        self.bind(entry_name(root, entry.path), Definition(
            "assign", entry.line, self.value_text(entry.value, env), condition),
            env_vars=tuple(r.variable for r in env), parent=root, doc_line=entry.doc_line,
            **facts)

    def documented_items(self, root: str, value: ast.expr, statement: int,
                         path: tuple[Any, ...] = ()) -> list[Entry]:
        """The dict items, nested ones included, with docs of their own.  A key on the line
        of the statement (or of the key it is under) has that one's docs, not its own."""
        found: list[Entry] = []
        for key, line, item in dict_items(value) or ():
            if isinstance(item, (ast.Dict, ast.Call)):
                found += self.documented_items(root, item, line, (*path, key))
            if line != statement and self.blocks.documents(line):
                found.append(self.named_entry(root, Entry((*path, key), line, item)))
        return found

    def named_entry(self, root: str, entry: Entry) -> Entry:
        """The key an annotation block above *entry* names: one inside it
        (``X['a']['b']`` over the key ``'a'``), else *entry* itself."""
        annotation = self.blocks.annotation_above(entry.line)
        name = normal_name(annotation.name) if annotation is not None else ""
        keys = key_path(name[len(root):]) if name.startswith(f"{root}[") else None
        if keys is None or keys[:len(entry.path)] != entry.path or \
                len(keys) == len(entry.path):
            return entry
        line, value = entry.line, entry.value
        for key in keys[len(entry.path):]:
            inner = next(((at, item) for k, at, item in dict_items(value) or () if k == key),
                         None)
            if inner is None:
                return entry  # no key of the statement: the name is warned about
            line, value = inner
        return Entry(keys, line, value, doc_line=entry.line)

    def walrus(self, node: ast.expr, condition: str | None) -> None:
        """``(Y := 3)`` anywhere in a module-level statement binds ``Y``."""
        for inner in walk_expression(node):
            if isinstance(inner, ast.NamedExpr) and self.plugin is None and \
                    self.is_setting(inner.target.id):
                self.bind(inner.target.id, Definition(
                    "assign", inner.lineno, self.value_text(inner.value), condition))

    def value_text(self, node: ast.expr, env: list[EnvRead] | None = None,
                   own: str | None = None) -> str:
        """*node* as the reference writes it (the value of the setting *own*, when given):
        a node made up as Python would."""
        if not hasattr(node, "lineno"):
            return ast.unparse(node)
        env = self.environment.reads(node) if env is None else env
        return self.code.code(node, self.replacements(node, env, own))

    def replacements(self, node: ast.expr, env: list[EnvRead],
                     own: str | None = None) -> dict[ast.AST, str]:
        """What is written in place of parts of a value (of the setting *own*): a walrus by
        its value; the effective-value rule: a read that the operator's environment or
        config may answer by its fallback, an environment read by its default, a read of
        the setting's own config key (``config.get("X", {})`` in ``X = ...``) by its
        fallback."""
        found: dict[ast.AST, str] = {}
        if isinstance(node, ast.NamedExpr):
            return {node: self.value_text(node.value)}
        for inner in walk_expression(node):
            if isinstance(inner, ast.NamedExpr):  # its parentheses are outside its span
                found[inner] = self.value_text(inner.value)
        fallbacks: list[tuple[ast.AST, ast.expr]] = [
            (read.node, read.default) for read in env if read.default is not None]
        if own is not None:
            fallbacks += [(inner, fallback) for inner in walk_expression(node)
                          if (fallback := self.config.fallback(inner, own)) is not None]
        for read, fallback in fallbacks:
            found[read] = self.code.segment(fallback) or ast.unparse(fallback)
        return found


def _calls(node: ast.expr) -> Iterator[ast.Call]:
    """Calls in *node*, lambdas included (``lazy(lambda: getattr(...), list)()``)."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            yield inner
