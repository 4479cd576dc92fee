"""Settings of an OEP-45 service, read statically from ``required.py`` and ``defaults.py``.

Nothing here imports the service: values are the source text as written, read with
:mod:`ast`, and ``#:`` comments by the rules of :class:`sphinx.pycode.ModuleAnalyzer`, the
reader autodoc uses (:mod:`opsdocs.settings.comments`, tested against it), so the two
always agree.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from opsdocs.errors import OpsdocsError, Problem
from opsdocs.markup import shorten
from opsdocs.settings.comments import parse_module
from opsdocs.settings.model import (
    DEFAULT_SENTINELS,
    SETTINGS_FILES,
    Definition,
    Setting,
    SettingsCatalog,
    is_setting_name,
)

_METADATA_FIELD = re.compile(r"^:(secret|default|example):(?:\s+(.*))?$")
_VERSION_DIRECTIVE = re.compile(r"^\.\.\s+(deprecated|versionadded|versionchanged)::\s*(\S+)\s*(.*)$")
_SECTION_RULE = re.compile(r"^#\s*([-=#*~])\1{2,}\s*$")
_SECTION_INLINE = re.compile(r"^#+\s*([-=#*~])\1{2,}\s*(?P<title>[^-=#*~\s].*?)\s*(?:[-=#*~]{3,})?\s*$")
_BINARY_OPERATORS = {
    ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/=", ast.FloorDiv: "//=",
    ast.Mod: "%=", ast.Pow: "**=", ast.BitOr: "|=", ast.BitAnd: "&=", ast.BitXor: "^=",
    ast.LShift: "<<=", ast.RShift: ">>=", ast.MatMult: "@=",
}


# -- Reading --------------------------------------------------------------------------


def settings_package(directory: str | Path) -> Path:
    """*directory* as a settings package; :class:`OpsdocsError` when it is not there."""
    root = Path(directory)
    if not root.is_dir():
        raise OpsdocsError(package_not_found(root))
    return root


def package_not_found(directory: Path, where: str = "") -> Problem:
    """The problem of a settings package that is not there; *where* says how to give it."""
    return Problem(f"settings package {str(directory)!r} not found: give the directory that "
                   f"holds required.py and defaults.py{where}", str(directory), check="missing")


def read_settings_package(
    directory: str | Path, sentinels: Sequence[str] = DEFAULT_SENTINELS
) -> SettingsCatalog:
    """Read ``required.py`` and ``defaults.py`` of the settings package at *directory*.

    A missing or unreadable file becomes a problem of the catalog and the other file is
    still read; only a missing package directory raises :class:`OpsdocsError`.
    """
    root = settings_package(directory)
    sources: dict[str, str | None] = {}
    problems: list[Problem] = []
    for filename in SETTINGS_FILES:
        path = root / filename
        try:
            sources[filename] = decode_source(path.read_bytes(), str(path))
        except FileNotFoundError:
            problems.append(Problem(
                f"{filename} not found in settings package {str(root)!r}: OEP-45 asks "
                f"for required.py and defaults.py (create an empty {filename} if it has "
                "no settings)", str(path), check="missing",
            ))
        except OpsdocsError as error:
            problems.append(error.problem)
    return catalog_from_sources(root, sources, problems, sentinels)


def catalog_from_sources(
    root: str | Path,
    sources: dict[str, str | None],
    problems: Iterable[Problem] = (),
    sentinels: Sequence[str] = DEFAULT_SENTINELS,
) -> SettingsCatalog:
    """Build a catalog from the text of ``required.py`` and ``defaults.py``.

    This is the reader without the file system, for git blobs and tests; ``None`` or a
    missing key means the file does not exist.
    """
    root = Path(root)
    found = list(problems)
    settings: list[Setting] = []
    files: list[str] = []
    for filename in SETTINGS_FILES:
        source = sources.get(filename)
        if source is None:
            continue
        path = str(root / filename)
        files.append(path)
        try:
            module_settings, module_problems = read_settings_source(
                source, path, required=filename == "required.py", sentinels=sentinels
            )
        except OpsdocsError as error:
            found.append(error.problem)
            continue
        settings.extend(module_settings)
        found.extend(module_problems)
    found.extend(_overlap_problems(settings))
    return SettingsCatalog(str(root), tuple(settings), tuple(found), tuple(files))


def decode_source(data: bytes, filename: str) -> str:
    """Decode Python source bytes as Python does (PEP 263 coding cookie, UTF-8 default)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        raise OpsdocsError(Problem(
            f"cannot decode {filename}: {error}; save it as UTF-8 or declare its encoding "
            "in a '# -*- coding: ... -*-' line", filename, 1, check="syntax",
        )) from None


def read_settings_source(
    source: str, filename: str, *, required: bool, sentinels: Sequence[str] = DEFAULT_SENTINELS
) -> tuple[list[Setting], list[Problem]]:
    """Settings defined at module level in *source*, and the problems found in it.

    Raises :class:`OpsdocsError` when the source does not parse.
    """
    try:
        # One parse gives the tree and, by ModuleAnalyzer's own rules, the #: docs.
        tree, module = parse_module(source, filename)
    except SyntaxError as error:
        raise OpsdocsError(_syntax_problem(source, filename, error)) from None
    except Exception as error:  # Sphinx's comment tokenizer, on a pathological line
        raise OpsdocsError(Problem(
            f"cannot parse: {error!r}", filename, check="syntax"
        )) from None
    lines = source.splitlines(keepends=True)
    sections = _section_titles(lines)
    collector = _DefinitionCollector(lines, set(sentinels))
    collector.visit_body(tree.body, None)

    settings: list[Setting] = []
    problems: list[Problem] = []
    for name, definitions in collector.definitions.items():
        setting = _make_setting(
            name, definitions, filename, required, module.attr_docs.get(name, []),
            module.annotations.get(name), sections, module.doc_lines.get(name),
        )
        settings.append(setting)
        problems.extend(_setting_problems(setting, set(sentinels)))
    return settings, problems


def _syntax_problem(source: str, filename: str, error: SyntaxError) -> Problem:
    try:
        ast.parse(source, filename)
    except SyntaxError as plain:
        return Problem(
            f"syntax error: {plain.msg}; fix the file so that Python can import it",
            filename, plain.lineno, check="syntax",
        )
    # Only a type comment is malformed: Python runs the file, Sphinx's reader does not.
    return Problem(f"cannot parse: {error}", filename, error.lineno, check="syntax")


class _DefinitionCollector:
    """Walks module-level statements, descending into ``if``/``try``/``with`` blocks."""

    def __init__(self, lines: list[str], sentinels: set[str]) -> None:
        self.lines = lines
        self.sentinels = sentinels
        self.definitions: dict[str, list[Definition]] = {}

    def segment(self, node: ast.expr) -> str:
        """Source text of *node*, sliced from the lines split once (not per call)."""
        return source_segment(self.lines, node)

    def add(self, name: str, definition: Definition) -> None:
        if is_setting_name(name) and name not in self.sentinels:
            self.definitions.setdefault(name, []).append(definition)

    def visit_body(self, body: list[ast.stmt], condition: str | None) -> None:
        for statement in body:
            self.visit(statement, condition)

    def visit(self, node: ast.stmt, condition: str | None) -> None:
        if isinstance(node, ast.Assign):
            value = self.segment(node.value)
            for target in node.targets:
                self.assign(target, node.value, value, node.lineno, condition)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            kind = "annotation" if node.value is None else "assign"
            text = None if node.value is None else self.segment(node.value)
            self.add(node.target.id, Definition(kind, node.lineno, text, condition))
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            operator = _BINARY_OPERATORS.get(type(node.op), "=")
            self.add(node.target.id, Definition(
                "augmented", node.lineno, self.segment(node.value), condition, operator=operator
            ))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                self.add(func.value.id, Definition(
                    "call", node.lineno, self.segment(node.value), condition
                ))
        elif isinstance(node, ast.If):
            test = self.segment(node.test)
            self.visit_body(node.body, _join(condition, f"if {test}"))
            self.visit_body(node.orelse, _join(condition, f"if not ({test})"))
        elif isinstance(node, ast.Try):
            self.visit_body(node.body, _join(condition, "try"))
            for handler in node.handlers:
                caught = f" {self.segment(handler.type)}" if handler.type else ""
                self.visit_body(handler.body, _join(condition, f"except{caught}"))
            self.visit_body(node.orelse, _join(condition, "try ... else"))
            self.visit_body(node.finalbody, condition)
        elif isinstance(node, ast.With):
            self.visit_body(node.body, condition)

    def assign(
        self, target: ast.expr, value_node: ast.expr, value: str, line: int, condition: str | None
    ) -> None:
        if isinstance(target, ast.Name):
            self.add(target.id, Definition("assign", line, value, condition))
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = value_node.elts if isinstance(value_node, (ast.Tuple, ast.List)) else None
            for index, element in enumerate(target.elts):
                if values is not None and len(values) == len(target.elts):
                    self.assign(element, values[index], self.segment(values[index]), line,
                                condition)
                else:
                    self.assign(element, value_node, f"({value})[{index}]", line, condition)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            self.add(target.value.id, Definition(
                "item", line, value, condition, key=self.segment(target.slice)
            ))


def source_segment(lines: list[str], node: ast.expr) -> str:
    """Like :func:`ast.get_source_segment`, but on lines split once by the caller.

    :func:`ast.get_source_segment` splits the whole source on every call, which is
    quadratic over a file of thousands of settings.  Column offsets are UTF-8 bytes.
    """
    start, end = node.lineno - 1, node.end_lineno
    start_col, end_col = node.col_offset, node.end_col_offset
    if end is None or end_col is None:
        return ""
    if start == end - 1:
        line = lines[start].encode()
        return line[start_col:end_col].decode()
    first = lines[start].encode()[start_col:].decode()
    last = lines[end - 1].encode()[:end_col].decode()
    return first + "".join(lines[start + 1:end - 1]) + last


def _join(outer: str | None, inner: str) -> str:
    return inner if outer is None else f"{outer}, {inner}"


def _section_titles(lines: list[str]) -> list[tuple[int, str]]:
    """Section comments: ``# --- Title ---``, or a ``# Title`` line next to a ``# ----`` rule."""
    titles: list[tuple[int, str]] = []
    for index, raw in enumerate(lines):
        if not raw.startswith("#"):
            continue
        text = raw.strip()
        match = _SECTION_INLINE.match(text)
        if match:
            titles.append((index + 1, match.group("title")))
            continue
        if _SECTION_RULE.match(text) or text.startswith("#:"):
            continue
        neighbours = (lines[index - 1] if index else "", lines[index + 1] if index + 1 < len(lines)
                      else "")
        if any(_SECTION_RULE.match(n.strip()) for n in neighbours):
            title = text.lstrip("#").strip()
            if title:
                titles.append((index + 1, title))
    return titles


def _make_setting(
    name: str,
    definitions: list[Definition],
    filename: str,
    required: bool,
    doc_lines: list[str],
    annotation: str | None,
    sections: list[tuple[int, str]],
    doc_line: int | None = None,
) -> Setting:
    # The main definition is the first plain one; conditional and incremental ones
    # follow it as changes, so nothing is silently dropped.
    main = next(
        (d for d in definitions if d.kind in ("assign", "annotation") and d.condition is None),
        next((d for d in definitions if d.kind in ("assign", "annotation")), definitions[0]),
    )
    ordered = (main, *(d for d in definitions if d is not main))
    doc, metadata = split_metadata("\n".join(doc_lines).strip("\n"))
    versions: dict[str, str] = {}
    for text in doc.splitlines():
        match = _VERSION_DIRECTIVE.match(text.strip())
        if match:
            versions.setdefault(match.group(1), match.group(2))
    section = None
    for line, title in sections:
        if line > main.line:
            break
        section = title
    return Setting(
        name=name,
        required=required,
        file=filename,
        line=main.line,
        value=main.value if main.kind != "augmented" else None,
        annotation=annotation,
        doc=doc,
        secret="secret" in metadata,
        default_display=metadata.get("default"),
        example=metadata.get("example"),
        deprecated=versions.get("deprecated"),
        added=versions.get("versionadded"),
        section=section,
        definitions=ordered,
        doc_line=doc_line if doc else None,
    )


def split_metadata(doc: str) -> tuple[str, dict[str, str]]:
    """Take ``:secret:``, ``:default:`` and ``:example:`` fields out of a doc comment."""
    kept: list[str] = []
    metadata: dict[str, str] = {}
    current: str | None = None
    for line in doc.splitlines():
        match = _METADATA_FIELD.match(line)
        if match:
            current = match.group(1)
            metadata[current] = (match.group(2) or "").strip()
        elif current is not None and line.startswith((" ", "\t")) and line.strip():
            metadata[current] = f"{metadata[current]}\n{line.strip()}".strip()
        else:
            current = None
            kept.append(line)
    return "\n".join(kept).strip("\n"), metadata


def _setting_problems(setting: Setting, sentinels: set[str]) -> Iterator[Problem]:
    main = setting.definitions[0]
    if not setting.doc:
        yield Problem(
            f"setting {setting.name} has no documentation: add a '#:' comment above it",
            setting.file, setting.line, check="undocumented",
        )
    if setting.required and main.value is not None and not _is_placeholder(main.value, sentinels):
        yield Problem(
            f"required setting {setting.name} is given a value ({shorten(main.value, 40)}): "
            "required settings have no default; declare it as "
            f"'{setting.name}: <type>' or move it to defaults.py",
            setting.file, main.line, check="required-value",
        )
    if not setting.required and main.kind == "annotation":
        yield Problem(
            f"setting {setting.name} in defaults.py has no value: give it a production-ready "
            "default or move it to required.py",
            setting.file, main.line, check="no-default",
        )


def _is_placeholder(value: str, sentinels: set[str]) -> bool:
    value = value.strip()
    return value == "None" or value in sentinels or value.removesuffix("()") in sentinels


def _overlap_problems(settings: list[Setting]) -> Iterator[Problem]:
    required = {s.name: s for s in settings if s.required}
    for setting in settings:
        first = required.get(setting.name)
        if not setting.required and first is not None and setting.definitions[0].kind != "augmented":
            yield Problem(
                f"setting {setting.name} is in both required.py (line {first.line}) and "
                "defaults.py: OEP-45 keeps them mutually exclusive; remove one of them",
                setting.file, setting.line, check="duplicate",
            )
