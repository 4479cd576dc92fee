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

A read's setting name must be a literal, or a string constant of a module of the scanned
code (``getattr(settings, constants.NAME)``); other reads (``settings.FEATURES.get(name)``)
cannot be resolved and are counted, not guessed.  The files are those of the one walk of
code trees (:func:`~opsdocs.reading.tree.walk`: tests left out unless asked for); a file
that names neither ``settings`` nor ``FEATURES`` nor a setting toggle is not parsed, and
one file's tree is kept at a time.  :mod:`opsdocs.settings.read_checks` compares the reads
with a catalog.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opsdocs.code_text import SourceText, entry_name
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import (
    SETTINGS_MODULE,
    decode_source,
    parse_python,
    read_bytes,
    read_source,
    source_lines,
)
from opsdocs.reading.tree import ScanOptions, walk
from opsdocs.settings.secrets import looks_secret
from opsdocs.settings.usage import (
    KEYED_SETTINGS,
    CodeRead,
    CodeReads,
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
    constants = _Constants(walked.files)
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
        constants.parsed(path, tree)
        _ReadFinder(str(path), source_lines(source), constants, found).visit_module(tree)
    return found


class _Constants:
    """The string constants of the modules a read may name, by a module's last name (the
    last file walked of that name): kept from the files parsed, any other parsed when a
    read names it."""

    def __init__(self, files: Sequence[Path]) -> None:
        self.files = {path.stem: path for path in files}
        self.known: dict[Path, dict[str, str]] = {}

    def parsed(self, path: Path, tree: ast.Module) -> None:
        if self.files.get(path.stem) == path:
            self.known[path] = _string_constants(tree)

    def of(self, module: str) -> dict[str, str]:
        path = self.files.get(module)
        if path is None:
            return {}
        if path not in self.known:
            try:
                tree = parse_python(read_source(path), str(path))
            except (OpsdocsError, SyntaxError):  # told where the file is scanned itself
                tree = ast.Module([], [])
            self.known[path] = _string_constants(tree)
        return self.known[path]


def _string_constants(tree: ast.Module) -> dict[str, str]:
    return {target.id: statement.value.value for statement in tree.body
            if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
            for target in statement.targets if isinstance(target, ast.Name)}


class _ReadFinder(CodeReads):
    """The reads of one module, a setting named by a module's constant resolved, and the
    settings it declares."""

    def __init__(self, file: str, lines: list[str], constants: _Constants,
                 found: Reads) -> None:
        super().__init__(self.name_of)
        self.file = file
        self.text = SourceText(lines)
        self.constants = constants
        self.found = found
        self.modules: dict[str, str] = {}  # imported module name -> its last component

    def visit_module(self, tree: ast.Module) -> None:
        settings, self.modules = imported_names(tree)
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
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = self.modules.get(node.value.id)
            if module is not None:
                return self.constants.of(module).get(node.attr)
        return literal_name(node)
