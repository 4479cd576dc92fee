"""Settings read in code: what a service or a library reads, with the defaults it assumes.

Source files are scanned statically for:

- ``getattr(settings, "X", default)`` (anywhere: functions, class bodies, decorators'
  arguments, import time), and ``hasattr(settings, "X")`` (a read of an optional setting);
- ``settings.X`` (an attribute of Django's ``settings``, however it is imported, or of a
  parameter named ``settings``: Open edX's ``plugin_settings(settings)`` and the
  ``lambda settings: ...`` of its derived settings are handed Django's settings);
- ``settings.FEATURES.get("X", default)`` and ``settings.FEATURES["X"]`` (and the same on
  a name ``FEATURES``);
- edx-toggles' ``SettingToggle("X", default=...)`` and
  ``SettingDictToggle("FEATURES", "X", default=...)``.

A read's setting name must be a literal, or a string constant of a module of the scanned
code (``getattr(settings, constants.NAME)``); other reads (``settings.FEATURES.get(name)``)
cannot be resolved and are counted, not guessed.  Compared with a catalog, the reads give
the settings read that nothing declares, the reads whose default differs from the declared
one, and the declared settings nothing reads; where the catalog's ``FEATURES`` is a proxy
of the settings (``FeaturesProxy(globals())``), ``FEATURES['X']`` is read as ``X``.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from opsdocs.code_text import SourceText, entry_name
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import SKIPPED_FOLDERS, parse_python, read_source, source_lines
from opsdocs.settings.model import Definition, Setting, SettingsCatalog, is_setting_name
from opsdocs.settings.secrets import looks_secret

_DICT_SETTINGS = frozenset({"FEATURES"})


@dataclass(frozen=True)
class SettingRead:
    """One read of a setting: its name (``FEATURES['X']`` for a key), where, and the
    default given there (source text; ``None`` when the read gives none).  A default that
    looks secret (:func:`~opsdocs.settings.secrets.looks_secret`) is not kept: ``secret``
    says there was one."""

    name: str
    file: str
    line: int
    default: str | None = None
    kind: str = "getattr"
    secret: bool = False


@dataclass
class Reads:
    """What a scan found: the reads, the reads it could not resolve, and problems."""

    reads: list[SettingRead] = field(default_factory=list)
    unresolved: list[tuple[str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def python_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The ``.py`` files of *paths* (files, or directories walked in order)."""
    for path in map(Path, paths):
        if path.is_file():
            yield path
            continue
        for directory, subdirectories, files in os.walk(path):
            subdirectories[:] = sorted(d for d in subdirectories
                                       if d not in SKIPPED_FOLDERS and not d.startswith("."))
            yield from (Path(directory, name) for name in sorted(files) if name.endswith(".py"))


def scan_reads(paths: Sequence[str | Path]) -> Reads:
    """The reads of settings in the Python files of *paths*."""
    found = Reads()
    found.problems.extend(Problem(
        "not found: give a directory or file of Python code", str(path), check="missing")
        for path in map(Path, paths) if not path.exists())
    parsed: list[tuple[Path, ast.Module, list[str]]] = []
    for path in python_files(p for p in paths if Path(p).exists()):
        try:
            source = read_source(path)
            tree = parse_python(source, str(path))
        except OpsdocsError as error:
            found.problems.append(error.problem)
            continue
        except SyntaxError as error:
            found.problems.append(Problem(f"syntax error: {error.msg}; the reads of this file "
                                          "are not known", str(path), error.lineno,
                                          check="syntax"))
            continue
        parsed.append((path, tree, source_lines(source)))
        found.files.append(str(path))
    constants = {path.stem: _string_constants(tree) for path, tree, _ in parsed}
    for path, tree, lines in parsed:
        _ReadFinder(str(path), lines, constants, found).visit_module(tree)
    return found


def _string_constants(tree: ast.Module) -> dict[str, str]:
    return {target.id: statement.value.value for statement in tree.body
            if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
            for target in statement.targets if isinstance(target, ast.Name)}


class _ReadFinder:
    """The reads of one module, a setting named by a module's constant resolved."""

    def __init__(self, file: str, lines: list[str], constants: dict[str, dict[str, str]],
                 found: Reads) -> None:
        self.file = file
        self.text = SourceText(lines)
        self.constants = constants
        self.found = found
        self.modules: dict[str, str] = {}  # imported module name -> its last component

    def visit_module(self, tree: ast.Module) -> None:
        settings, self.modules = imported_names(tree)
        for read in CodeReads(self.name_of).reads(tree, settings):
            if read.kind == "attribute" and read.name in _DICT_SETTINGS:
                continue  # its keys are the settings read
            if read.name is None:
                self.found.unresolved.append((self.file, read.node.lineno))
            else:
                self.add(read.name, read)

    def add(self, name: str, read: CodeRead) -> None:
        text, default = None, read.default
        if default is not None:  # a default made up here has no place in the file
            text = self.text.segment(default) if hasattr(default, "lineno") else \
                ast.unparse(default)
        secret = looks_secret(name, text)
        self.found.reads.append(SettingRead(name, self.file, read.node.lineno,
                                            None if secret else text, read.kind, secret))

    def name_of(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = self.modules.get(node.value.id)
            if module is not None:
                return self.constants.get(module, {}).get(node.attr)
        return literal_name(node)


# -- In code: the reads of a node ------------------------------------------------------


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


def imported_names(tree: ast.Module) -> tuple[set[str], dict[str, str]]:
    """The names *tree* imports Django's settings as (``from django.conf import
    settings as s``), and the other names it imports, each with the last component of
    what it names."""
    settings: set[str] = set()
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if node.module == "django.conf" and alias.name == "settings":
                    settings.add(alias.asname or alias.name)
                else:
                    modules[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name.split(".")[0]] = \
                    alias.name.rsplit(".", 1)[-1]
    return settings, modules


#: A parameter of this name is handed Django's settings.
SETTINGS_PARAMETER = "settings"

Function = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


def settings_inside(function: Function, settings: set[str]) -> set[str]:
    """The names of Django's settings in *function*'s body, *settings* around it: names
    it binds shadow them; a parameter named ``settings`` is Django's."""
    parameters, assigned = _parameters(function), _assigned_names(function)
    inner = settings - parameters - assigned
    return inner | {SETTINGS_PARAMETER} if SETTINGS_PARAMETER in parameters - assigned \
        else inner


class CodeReads:
    """The reads of settings under a node, each scope's names of Django's settings kept;
    *name_of* gives the setting an argument names (a literal by default), *keyed* the dict
    settings whose keys are read as settings of their own (``FEATURES`` by default).

    ``settings.D`` is read whole unless it is where a key is read by a known name.
    """

    def __init__(self, name_of: Callable[[ast.expr], str | None] = literal_name,
                 keyed: Callable[[str], bool] = _DICT_SETTINGS.__contains__) -> None:
        self.name_of = name_of
        self.keyed = keyed

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
            inner = settings_inside(node, settings)
            for statement in node.body if isinstance(node.body, list) else [node.body]:
                self.visit(statement, inner, found)
            return
        key = self.key(node, settings)
        read = self.read(node, settings) if key is None else key
        if read is not None and not _stored(node):
            found.append(read)
        named = _dict_part(node) if key is not None and key.name is not None else None
        for child in ast.iter_child_nodes(node):
            if child is not named:  # a key known is the read, not its dict whole
                self.visit(child, settings, found)

    def key(self, node: ast.AST, settings: set[str]) -> CodeRead | None:
        """A key of a dict setting read (``D.get(k, d)``, ``D[k]``) or set (``D[k] = v``)."""
        if isinstance(node, ast.Subscript):
            parent = self.keyed_dict(node.value, settings)
            return None if parent is None else _key(parent, self.name_of(node.slice), node,
                                                    None)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "get" and node.args:
            parent = self.keyed_dict(node.func.value, settings)
            return None if parent is None else _key(
                parent, self.name_of(node.args[0]), node,
                node.args[1] if len(node.args) > 1 else ast.Constant(None))
        return None

    def keyed_dict(self, node: ast.expr, settings: set[str]) -> str | None:
        """The dict setting *node* is, when its keys are read as settings: ``settings.D``
        (*keyed*), or a name ``FEATURES``."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                node.value.id in settings and is_setting_name(node.attr) and \
                self.keyed(node.attr):
            return node.attr
        return node.id if isinstance(node, ast.Name) and node.id in _DICT_SETTINGS else None

    def read(self, node: ast.AST, settings: set[str]) -> CodeRead | None:
        if isinstance(node, ast.Call):
            return self.call(node, settings)
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and \
                isinstance(node.value, ast.Name) and node.value.id in settings and \
                is_setting_name(node.attr):
            return CodeRead(node.attr, node, None, "attribute")
        return None

    def call(self, node: ast.Call, settings: set[str]) -> CodeRead | None:
        func = node.func
        callee = func.id if isinstance(func, ast.Name) else \
            func.attr if isinstance(func, ast.Attribute) else ""
        if callee in ("getattr", "hasattr") and len(node.args) >= 2 and \
                isinstance(node.args[0], ast.Name) and node.args[0].id in settings:
            name = self.name_of(node.args[1])
            return CodeRead(name, node, node.args[2] if len(node.args) > 2 else None, callee) \
                if name is None or is_setting_name(name) else None
        if callee == "SettingToggle" and node.args:
            name = self.name_of(node.args[0])
            return None if name is None else \
                CodeRead(name, node, _default_keyword(node, 1), "toggle")
        if callee == "SettingDictToggle" and len(node.args) >= 2:
            parent, key = self.name_of(node.args[0]), self.name_of(node.args[1])
            if parent is not None and key is not None:
                return CodeRead(entry_name(parent, [key]), node, _default_keyword(node, 2),
                                "toggle")
        return None


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


def _assigned_names(node: Function) -> set[str]:
    """Names a function's body assigns."""
    body = node.body if isinstance(node.body, list) else []
    return {inner.id for statement in body for inner in ast.walk(statement)
            if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store)}


# -- Against a catalog ---------------------------------------------------------------------


def _declared_keys(catalog: SettingsCatalog) -> set[str]:
    """``FEATURES['X']`` for every key a dict setting is known to have."""
    return {entry_name(setting.name, [key]) for setting in catalog for key in setting.keys}


def _as_declared(reads: Iterable[SettingRead], catalog: SettingsCatalog
                 ) -> Iterator[SettingRead]:
    """*reads*, each named as *catalog* names it: ``FEATURES['X']`` is ``X`` where
    ``FEATURES`` is a proxy of the settings."""
    for read in reads:
        name = catalog.setting_named(read.name) if catalog.proxies else read.name
        yield read if name == read.name else replace(read, name=name)


def _default_text(read: SettingRead) -> str:
    if read.kind == "hasattr":
        return ", whether it is set (hasattr),"
    if read.secret:
        return " with a secret default (not shown)"
    return f" with default {read.default}" if read.default is not None else " with no default"


def reads_problems(reads: Sequence[SettingRead], catalog: SettingsCatalog,
                   ignore: Iterable[str] = ()) -> list[Problem]:
    """Settings read that nothing in *catalog* declares (at their first read), and reads
    whose default differs from the declared one or from another read's.  *ignore* names
    settings declared elsewhere (Django's own)."""
    keys = _declared_keys(catalog) | set(ignore)
    problems: list[Problem] = []
    first: dict[str, SettingRead] = {}
    count: dict[str, int] = {}
    for read in _as_declared(reads, catalog):
        count[read.name] = count.get(read.name, 0) + 1
        setting = catalog.get(read.name)
        if setting is not None:
            declared = setting.effective_value or setting.value
            if read.default is not None and declared is not None and not setting.secret and \
                    not _same_literal(read.default, declared):
                problems.append(Problem(
                    f"{read.name} is read here with default {read.default}, but it is "
                    f"declared as {declared} ({Path(setting.file).name}, line "
                    f"{setting.line}): use the same default", read.file, read.line,
                    check="reads-default"))
            continue
        if read.name in keys:
            continue
        earlier = first.setdefault(read.name, read)
        if earlier is not read and read.default is not None and earlier.default is not None \
                and not _same_literal(earlier.default, read.default):
            problems.append(Problem(
                f"{read.name} is read here with default {read.default}, but with "
                f"{earlier.default} at {Path(earlier.file).name}, line {earlier.line}: use "
                "one default", read.file, read.line, check="reads-default"))
    for name, read in first.items():
        more = f" (read {count[name]} times in all)" if count[name] > 1 else ""
        problems.append(Problem(
            f"{name} is read here{_default_text(read)}{more}, but no settings module declares "
            "it: declare and document it", read.file, read.line, check="reads-undeclared"))
    return sorted(problems, key=lambda p: (p.file, p.line or 0))


def unread_settings(reads: Sequence[SettingRead], catalog: SettingsCatalog) -> list[Setting]:
    """Declared settings that no read names (information: Django reads many itself)."""
    names = {read.name for read in _as_declared(reads, catalog)}
    return [s for s in catalog if s.name not in names and s.parent is None]


def undeclared_settings(reads: Sequence[SettingRead], catalog: SettingsCatalog,
                        ignore: Iterable[str] = ()) -> list[Setting]:
    """The settings read that *catalog* does not declare, as settings marked not declared:
    each read is a definition (``read``) with its file, line and default."""
    keys = _declared_keys(catalog) | set(ignore)
    found: dict[str, list[SettingRead]] = {}
    for read in _as_declared(reads, catalog):
        if read.name not in catalog and read.name not in keys:
            found.setdefault(read.name, []).append(read)
    settings = []
    for name, named in found.items():
        first = named[0]
        definitions = tuple(
            Definition("read", r.line, r.default, file=r.file if r.file != first.file else None)
            for r in named)
        parent = name.split("[", 1)[0] if "[" in name else None
        settings.append(Setting(
            name=name, required=all(r.default is None and not r.secret and r.kind != "hasattr"
                                    for r in named),
            file=first.file, line=first.line, value=first.default,
            definitions=definitions,
            declared=False, secret=any(r.secret for r in named),
            toggle=any(r.kind == "toggle" for r in named),
            parent=parent if parent in catalog else None, doc_markup="text",
            doc="Not declared: read in code, but no settings module defines it.",
        ))
    return settings


def _same_literal(left: str, right: str) -> bool:
    try:
        return bool(ast.literal_eval(left) == ast.literal_eval(right))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return " ".join(left.split()) == " ".join(right.split())
