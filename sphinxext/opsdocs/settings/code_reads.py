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
  ``SettingDictToggle("FEATURES", "X", default=...)``;
- and the settings code declares itself: ``settings.X = ...`` (a plugin's
  ``plugin_settings(settings)``), ``settings.FEATURES["X"] = ...``,
  ``settings.FEATURES.update({...})`` (:func:`~opsdocs.settings.usage.setting_changes`,
  the rule toggles' blocks follow).

A read's setting name must be a literal, or a string constant of a module of the project
(``getattr(settings, constants.NAME)``, ``getattr(settings, NAME)`` after ``from
app.constants import NAME``), found through the import's whole module path; other reads
(``settings.FEATURES.get(name)``) cannot be resolved and are counted, not guessed.  The
files are those of the one walk of code trees (:func:`~opsdocs.reading.tree.walk`: tests
left out unless asked for); a file that names neither ``settings`` nor ``FEATURES`` nor a
setting toggle is not parsed, and one file's tree is kept at a time.
:mod:`opsdocs.settings.read_checks` compares the reads with a catalog.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from opsdocs.code_text import SourceText, entry_name
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import (
    MAX_NAME_STEPS,
    SETTINGS_MODULE,
    decode_source,
    parse_python,
    read_bytes,
    read_source,
    source_lines,
)
from opsdocs.reading.tree import ScanOptions, walk
from opsdocs.settings.secrets import looks_secret
from opsdocs.settings.sources import import_target
from opsdocs.settings.usage import (
    KEYED_SETTINGS,
    CodeRead,
    CodeReads,
    Imported,
    imported_names,
    literal_name,
    setting_changes,
)

#: Bytes without which a file reads and sets no setting: it is not parsed.
MARKERS = (b"settings", b"FEATURES", b"SettingToggle", b"SettingDictToggle")


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
    """What a scan found: the reads, the reads it could not resolve, problems, the files
    walked, and the settings the code declares itself (``settings.X = ...``)."""

    reads: list[SettingRead] = field(default_factory=list)
    unresolved: list[tuple[str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    declared: set[str] = field(default_factory=set)


def scan_reads(paths: Sequence[str | Path], tests: bool = False) -> Reads:
    """The reads of settings in the Python files of *paths* (*tests*: the tests' too)."""
    found = Reads()
    sources = []
    for path in map(Path, paths):
        if path.exists():
            sources.append(path)
        else:
            found.problems.append(Problem("not found: give a directory or file of Python code",
                                          str(path), check="missing"))
    walked = walk(sources, ScanOptions(tests=tests), SETTINGS_MODULE)
    found.problems.extend(walked.problems)
    modules = _Modules()
    for path in walked.files:
        found.files.append(str(path))
        try:
            data = read_bytes(path, SETTINGS_MODULE)
            if not any(marker in data for marker in MARKERS):
                continue
            source = decode_source(data, str(path), SETTINGS_MODULE)
            tree = parse_python(source, str(path))
        except OpsdocsError as error:
            found.problems.append(error.problem)
            continue
        except SyntaxError as error:
            found.problems.append(Problem(f"syntax error: {error.msg}; the reads of this file "
                                          "are not known", str(path), error.lineno,
                                          check="syntax"))
            continue
        modules.parsed(path, tree)
        _ReadFinder(path, source_lines(source), modules, found).visit_module(tree)
    return found


#: What a name of a module comes to: a module's file, a string, or not known (``None``).
Member = Path | str | None


class _Modules:
    """The modules a read may name a setting from, each the file its import reaches in the
    project (:func:`~opsdocs.settings.sources.import_target`): their string constants and
    imports, kept from the files parsed, any other read when a read names it."""

    def __init__(self) -> None:
        self.known: dict[Path, tuple[dict[str, str], dict[str, Imported]]] = {}
        self.target = cache(self._target)

    def parsed(self, path: Path, tree: ast.Module) -> None:
        self.known[path] = _string_constants(tree), imported_names(tree)[1]

    def imported(self, file: Path, imported: Imported, steps: int = 0) -> Member:
        """What a name *file* imports comes to: a module, or a name of one."""
        level, module, attribute = imported
        found = self.target(file, level, module)
        return found if found is None or attribute is None else \
            self.member(found, attribute, steps + 1)

    def member(self, path: Path, name: str, steps: int) -> Member:
        """What *name* of the module *path* comes to: its constant, what it imports as
        *name*, or a module of its package."""
        if steps > MAX_NAME_STEPS:
            return None
        constants, imports = self.names(path)
        if name in constants:
            return constants[name]
        if name in imports:
            return self.imported(path, imports[name], steps)
        return self.target(path, 1, name) if path.name == "__init__.py" else None

    def names(self, path: Path) -> tuple[dict[str, str], dict[str, Imported]]:
        if path not in self.known:
            try:
                tree = parse_python(read_source(path), str(path))
            except (OpsdocsError, SyntaxError):  # told where the file is scanned itself
                tree = ast.Module([], [])
            self.parsed(path, tree)
        return self.known[path]

    @staticmethod
    def _target(file: Path, level: int, module: str) -> Path | None:
        return import_target(file, module, level, ())


def _string_constants(tree: ast.Module) -> dict[str, str]:
    return {target.id: statement.value.value for statement in tree.body
            if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
            for target in statement.targets if isinstance(target, ast.Name)}


class _ReadFinder(CodeReads):
    """The reads of one module, a setting named by a module's constant resolved, and the
    settings it declares."""

    def __init__(self, path: Path, lines: list[str], modules: _Modules, found: Reads) -> None:
        super().__init__(self.name_of)
        self.path, self.file = path, str(path)
        self.text = SourceText(lines)
        self.modules = modules
        self.found = found
        self.imports: dict[str, Imported] = {}

    def visit_module(self, tree: ast.Module) -> None:
        settings, self.imports = imported_names(tree)
        for read in self.reads(tree, settings):
            if read.kind == "attribute" and read.name in KEYED_SETTINGS:
                continue  # its keys are the settings read
            if read.name is None:
                self.found.unresolved.append((self.file, read.node.lineno))
            else:
                self.add(read.name, read)

    def statement(self, node: ast.stmt) -> None:
        for name, value, whole in setting_changes(node, True):
            if whole:
                self.found.declared.add(name)
            elif isinstance(value, ast.Dict):  # settings.FEATURES.update({...})
                self.found.declared.update(
                    entry_name(name, [key.value]) for key in value.keys
                    if isinstance(key, ast.Constant) and isinstance(key.value, str))

    def add(self, name: str, read: CodeRead) -> None:
        text, default = None, read.default
        if default is not None:  # a default made up here has no place in the file
            text = self.text.segment(default) if hasattr(default, "lineno") else \
                ast.unparse(default)
        secret = looks_secret(name, text)
        self.found.reads.append(SettingRead(name, self.file, read.node.lineno,
                                            None if secret else text, read.kind, secret))

    def name_of(self, node: ast.expr) -> str | None:
        value = self.member(node)
        return value if isinstance(value, str) else literal_name(node)

    def member(self, node: ast.expr) -> Member:
        """What an imported name (``NAME``) or a name of an imported module
        (``constants.NAME``, ``app.constants.NAME``) comes to."""
        if isinstance(node, ast.Name) and node.id in self.imports:
            return self.modules.imported(self.path, self.imports[node.id])
        owner = self.member(node.value) if isinstance(node, ast.Attribute) else None
        return self.modules.member(owner, node.attr, 0) \
            if isinstance(owner, Path) and isinstance(node, ast.Attribute) else None
