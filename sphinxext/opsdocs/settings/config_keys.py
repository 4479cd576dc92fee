"""The keys a settings module reads from the operator's YAML config, as Open edX's
``production.py`` modules read them.

Such a module loads the file named by an environment variable (``LMS_CFG``) into a name
(``ENV_TOKENS = yaml.safe_load(f)``) and reads keys from it; a config check then knows
these keys, besides the settings.
"""

from __future__ import annotations

import ast

from opsdocs.settings.environment import (
    Environment,
    EnvRead,
    Imports,
    is_call,
    string,
    target_names,
    walk_expression,
)
from opsdocs.settings.usage import LoopNames, import_bindings

#: Names of the operator's YAML config in Open edX ``production.py`` modules.
CONFIG_MAPPINGS = ("ENV_TOKENS", "AUTH_TOKENS")
_LOADERS = frozenset({"safe_load", "load", "full_load"})


class ConfigMappings:
    """The names that hold (part of) the operator's YAML config, each with the prefix of
    the keys read from it (``ENV_FEATURES = ENV_TOKENS.get("FEATURES", {})``:
    ``FEATURES.``)."""

    def __init__(self, imports: Imports) -> None:
        self.imports = imports
        self.prefixes: dict[str, str] = {name: "" for name in CONFIG_MAPPINGS}

    def note(self, targets: list[ast.expr], value: ast.expr, read: str | None) -> None:
        """Names that hold the operator's YAML config (``ENV_TOKENS = yaml.safe_load(f)``,
        ``env_tokens = getattr(settings, "ENV_TOKENS", {})``: *read* is the setting
        ``getattr`` reads, ``ENV_FEATURES = ENV_TOKENS.get("FEATURES", {})``)."""
        prefix: str | None = None
        if isinstance(value, ast.Name) and value.id in self.prefixes:
            prefix = self.prefixes[value.id]
        elif self.loads_yaml(value) or read in CONFIG_MAPPINGS:
            prefix = ""
        elif isinstance(value, (ast.Call, ast.BoolOp)):
            key = self.key(value.values[0] if isinstance(value, ast.BoolOp) else value)
            if key is not None:
                prefix = f"{key}."
        if prefix is None:
            return
        for target in targets:
            for name in target_names(target):
                self.prefixes[name] = prefix

    def holds_config(self, name: str, known: bool) -> bool:
        """Whether *name* (*known* as a setting or not) only holds (part of) the operator's
        config: ``ENV_TOKENS``, or ``ENV_FEATURES = ENV_TOKENS.get("FEATURES", {})``; not
        ``CACHES = ENV_TOKENS.get("CACHES", {})``, the setting of that key."""
        prefix = self.prefixes.get(name)
        return prefix is not None and prefix != f"{name}." and not known

    def loads_yaml(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            node.func.attr in _LOADERS and isinstance(node.func.value, ast.Name) and \
            node.func.value.id in self.imports.yaml

    def key(self, node: ast.expr) -> str | None:
        """``"X"`` of ``ENV_TOKENS.get("X", ...)``/``ENV_TOKENS["X"]``, read as a key."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id in self.prefixes \
                and node.func.attr in ("get", "setdefault", "pop") and node.args:
            key = string(node.args[0])
            return None if key is None else self.prefixes[node.func.value.id] + key
        return None

    def fallback(self, node: ast.AST, name: str) -> ast.expr | None:
        """The fallback of *node* when it reads the config key *name* itself:
        ``{}`` of ``config.get("X", {})`` for ``X`` (``None`` made up when it gives none);
        not ``X`` of ``config.get("X", X)``, which keeps the value ``X`` has."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and
                node.func.attr == "get" and 1 <= len(node.args) <= 2 and not node.keywords):
            return None
        if self.key(node) != name:
            return None
        fallback = node.args[1] if len(node.args) == 2 else ast.Constant(None)
        if any(isinstance(inner, ast.Name) and inner.id == name for inner in ast.walk(fallback)):
            return None
        return fallback

    def holds_whole(self, node: ast.expr) -> bool:
        """Whether *node* uses a name holding the whole config (``config_from_yaml``, or a
        dict made from it: ``{k: v for k, v in _YAML_TOKENS.items() if ...}``)."""
        return any(isinstance(inner, ast.Name) and self.prefixes.get(inner.id) == ""
                   for inner in ast.walk(node))

    def reads_key(self, node: ast.expr, name: str) -> bool:
        """Whether *node* reads the config key *name* anywhere: ``config.get("X")``,
        ``ENV_TOKENS["X"]``, ``"X" in config``, or a name taken from it
        (``_YAML_X = _YAML_TOKENS.get("X")``)."""
        return any(self.key(inner) == name or self.item(inner) == name or (
            isinstance(inner, ast.Name) and self.prefixes.get(inner.id) == f"{name}.")
            for inner in walk_expression(node) if isinstance(inner, ast.expr))

    def item(self, node: ast.expr) -> str | None:
        """``"X"`` of ``ENV_TOKENS["X"]`` or ``"X" in ENV_TOKENS``."""
        if isinstance(node, ast.Subscript):
            mapping, key = node.value, string(node.slice)
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and \
                isinstance(node.ops[0], (ast.In, ast.NotIn)):
            mapping, key = node.comparators[0], string(node.left)
        else:
            return None
        if key is None or not isinstance(mapping, ast.Name) or mapping.id not in self.prefixes:
            return None
        return self.prefixes[mapping.id] + key

    def required_key(self, value: ast.expr) -> bool:
        """``SITE_NAME = ENV_TOKENS["SITE_NAME"]``: the config must give it."""
        return isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and \
            value.value.id in self.prefixes and string(value.slice) is not None


class ConfigReads(ast.NodeVisitor):
    """Keys code reads from the operator's YAML config, and the variable naming the file.

    Keys are read with ``ENV_TOKENS.get("X")``, ``ENV_TOKENS["X"]``, ``"X" in ENV_TOKENS``,
    through a loop over a literal list of names (:class:`~opsdocs.settings.usage.LoopNames`,
    as settings are read), or by prefix (``for key, value in
    ENV_TOKENS.items(): if key.startswith("AWS_")``: the pattern ``AWS_*``).  Keys of a
    mapping inside the config are dotted: ``FEATURES.ENABLE_X``.  A dict setting read by
    key adds that key to *dict_keys* (the keys known of each dict setting).
    """

    def __init__(self, mappings: ConfigMappings, environment: Environment,
                 dict_keys: dict[str, dict[str, None]]) -> None:
        self.mappings = mappings.prefixes
        self.environment = environment
        self.dict_keys = dict_keys
        self.keys: dict[str, None] = {}
        self.variable: str | None = None
        self.loops = LoopNames()
        self.items: dict[str, str] = {}          # loop variable -> prefix of the mapping

    def key(self, prefix: str, node: ast.expr) -> None:
        if (text := string(node)) is not None:
            self.keys[prefix + text] = None
        elif isinstance(node, ast.Name):
            for name in self.loops.of(node) or ():
                self.keys[prefix + name] = None

    def mapping(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name) and node.id in self.mappings:
            return self.mappings[node.id]
        call = is_call(node, "getattr")  # getattr(settings, "AUTH_TOKENS", {}), in a plugin
        if call is not None and len(call.args) >= 2 and string(call.args[1]) in CONFIG_MAPPINGS:
            return ""
        return None

    def visit_For(self, node: ast.For) -> None:
        target, iterated = node.target, node.iter
        saved = dict(self.items)
        loop_over = iterated.func.value if isinstance(iterated, ast.Call) and isinstance(
            iterated.func, ast.Attribute) and iterated.func.attr in ("items", "keys") \
            else iterated
        prefix = self.mapping(loop_over)
        if prefix is not None:
            first = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
            if isinstance(first, ast.Name):
                self.items[first.id] = prefix
        with self.loops.loop(node):
            self.generic_visit(node)
        self.items = saved

    def visit_Assign(self, node: ast.Assign) -> None:
        self.loops.assigned(node)
        self.generic_visit(node)

    def dict_setting(self, node: ast.expr) -> str | None:
        """A dict setting read by key (``FEATURES.get("X")``): its keys are known keys."""
        if isinstance(node, ast.Name) and node.id in self.dict_keys:
            return node.id
        return None

    def add_dict_key(self, setting: str, key: str) -> None:
        self.dict_keys.setdefault(setting, {})[key] = None

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and node.args:
            prefix = self.mapping(func.value)
            if prefix is not None and func.attr in ("get", "setdefault", "pop"):
                self.key(prefix, node.args[0])
            read = self.dict_setting(func.value)
            if read is not None and func.attr == "get" and (key := string(node.args[0])):
                self.add_dict_key(read, key)
            if func.attr == "startswith" and isinstance(func.value, ast.Name) and \
                    func.value.id in self.items and (start := string(node.args[0])):
                self.keys[f"{self.items[func.value.id]}{start}*"] = None
        self.note_variable(node)
        self.generic_visit(node)

    def note_variable(self, node: ast.Call) -> None:
        if self.variable is not None or not node.args:
            return
        name = string(node.args[0])
        if name is None or not (name.endswith(("_CFG", "_CFG_PATH", "_CONFIG_FILE"))):
            return
        func = node.func
        called = func.id if isinstance(func, ast.Name) else \
            func.attr if isinstance(func, ast.Attribute) else ""
        if called in ("get_env_setting", "getenv", "get") or \
                self.environment.read(node) is not None:
            self.variable = name

    def visit_Subscript(self, node: ast.Subscript) -> None:
        prefix = self.mapping(node.value)
        if prefix is not None:
            self.key(prefix, node.slice)
        read = self.dict_setting(node.value)
        if read is not None and (key := string(node.slice)):
            self.add_dict_key(read, key)
        elif self.environment.is_environ(node.value) and (name := string(node.slice)) and \
                name.endswith(("_CFG", "_CFG_PATH")) and self.variable is None:
            self.variable = name
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            prefix = self.mapping(node.comparators[0])
            if prefix is not None:
                self.key(prefix, node.left)
        self.generic_visit(node)


_SCOPES = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def statement_names(statement: ast.stmt) -> tuple[list[str], list[str]]:
    """The names a module-level statement binds and those it reads, without the
    statements it holds (each is visited on its own) or the names local to a lambda or a
    comprehension; a function's or class's body runs later: only its name counts."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [statement.name], []
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return [name for name, _ in import_bindings(statement)], []
    bound: list[str] = []
    read: list[str] = []
    if isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
        read.append(statement.target.id)  # X += 1 reads X
    stack: list[tuple[ast.AST, frozenset[str]]] = [(statement, frozenset())]
    while stack:
        node, local = stack.pop()
        if isinstance(node, ast.Lambda):
            arguments = node.args
            local |= {a.arg for a in (*arguments.posonlyargs, *arguments.args,
                                      *arguments.kwonlyargs, arguments.vararg,
                                      arguments.kwarg) if a is not None}
        elif isinstance(node, _SCOPES):
            local |= {n.id for generator in node.generators
                      for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.ExceptHandler):
            bound += [node.name] if node.name else []
            continue
        elif isinstance(node, ast.Name) and node.id not in local:
            (read if isinstance(node.ctx, ast.Load) else bound).append(node.id)
        elif isinstance(node, ast.match_case):  # case {"k": X} binds X; its body is apart
            local |= set(_pattern_names(node.pattern))
            bound += _pattern_names(node.pattern)
            stack.extend((child, local) for child in (node.guard, node.pattern) if child)
            continue
        stack.extend((child, local) for child in reversed(list(ast.iter_child_nodes(node)))
                     if not isinstance(child, ast.stmt))
    return bound, read


def required_read(read: EnvRead | None, tests: list[ast.expr]) -> bool:
    """Whether *read*, a whole value, makes its setting required: it reads a variable
    with no default, not under an ``if`` that tests the variable (``if "SVC_CFG" in
    environ:``, where the service starts without it)."""
    return read is not None and read.default is None and not any(
        string(inner) == read.variable for test in tests for inner in walk_expression(test)
        if isinstance(inner, ast.expr))


def _pattern_names(pattern: ast.pattern) -> list[str]:
    """The names a ``case`` pattern binds (``X`` of ``{"k": X}``, ``*rest``, ``**rest``)."""
    return [name for node in ast.walk(pattern) for name in (
        getattr(node, "name", None), getattr(node, "rest", None)) if isinstance(name, str)]
