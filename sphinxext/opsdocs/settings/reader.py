"""Settings read statically: an OEP-45 package (``required.py`` and ``defaults.py``), or
any settings modules (``lms/envs/common.py``), star-import chains followed.

Nothing here imports the service: values are the source text as written, read with
:mod:`ast` with Python's semantics (:mod:`opsdocs.settings.statements`).  Docs come, in
this order, from ``#:`` comments by the rules of :class:`sphinx.pycode.ModuleAnalyzer`
(:mod:`opsdocs.settings.comments`, tested against it), code-annotations blocks, and, when
asked for, plain ``#`` comments (:mod:`opsdocs.settings.blocks`).
"""

from __future__ import annotations

import ast
import copy
import fnmatch
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from opsdocs import reading
from opsdocs.code_text import shortened
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.markup import shorten
from opsdocs.reading import SETTINGS_MODULE, decode_source, source_lines
from opsdocs.settings.blocks import Annotation, Blocks, closest_field, section_titles
from opsdocs.settings.comments import ModuleDocs, parse_module
from opsdocs.settings.model import (
    DEFAULT_SENTINELS,
    SETTINGS_FILES,
    Definition,
    Setting,
    SettingsCatalog,
    effective_definition,
    is_setting_name,
    looks_secret,
)
from opsdocs.settings.redact import (
    definitions_without_secret_keys,
    text_without_secret_keys,
    without_secret_keys,
)
from opsdocs.settings.sources import (
    DiskFiles,
    SettingsSource,
    SourceFiles,
    resolve_source,
    star_import_target,
)
from opsdocs.settings.statements import Bound, ConfigReads, ModuleWalker, Namespace
from opsdocs.suggest import did_you_mean

_METADATA_FIELD = re.compile(r"^:(secret|default|example):(?:\s+(.*))?$")
_VERSION_DIRECTIVE = re.compile(r"^\.\.\s+(deprecated|versionadded|versionchanged)::\s*(\S+)\s*(.*)$")
_NOT_SECRET = frozenset({"no", "false", "0", "off", "public"})


@dataclass(frozen=True)
class ReadOptions:
    """How settings are read, beyond the files.

    ``plain_comments`` takes plain ``#`` comments right above a setting as its doc when it
    has no other.  ``public`` holds shell patterns of settings whose names look secret but
    that are not (``*_ROUTING_KEY``); ``secret`` those that are secret, whatever their
    names (for modules documented by annotations, which have no ``:secret:`` field).
    """

    sentinels: tuple[str, ...] = DEFAULT_SENTINELS
    plain_comments: bool = False
    public: tuple[str, ...] = ()
    secret: tuple[str, ...] = ()


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


def read_source(specs: Sequence[str | Path], base: Path | None = None,
                search_path: Iterable[str | Path] = (),
                options: ReadOptions | None = None) -> SettingsCatalog:
    """The settings of what *specs* name (see :func:`~opsdocs.settings.sources.resolve_source`).

    Raises :class:`OpsdocsError` when a source is not there.
    """
    return read_settings(resolve_source(specs, base, search_path), options)


def read_settings(source: SettingsSource, options: ReadOptions | None = None,
                  files: SourceFiles | None = None) -> SettingsCatalog:
    """The settings of *source*: a package's two files, or modules and their star imports."""
    options = options or ReadOptions()
    if source.package:
        return read_settings_package(source.root, options.sentinels, options=options)
    chain = _Chain(files or DiskFiles(), source.search_path, options)
    for path in source.paths:
        chain.read(path, ())
    settings, problems = _Assembler(chain.namespace, chain.parsed, options,
                                    walked=chain.walked).settings()
    problems.extend(Problem(
        f"setting {s.name} has no documentation: add a '#:' comment or a code-annotations "
        "block right above it", s.file, s.line, check="undocumented") for s in settings
        if not s.doc)
    namespace = chain.namespace
    # A module both star-imported and imported by name is walked into two namespaces,
    # which would report its problems twice.
    return SettingsCatalog(str(source.root), tuple(settings),
                           tuple(dict.fromkeys((*chain.problems, *namespace.problems,
                                                *problems))),
                           tuple(chain.parsed), tuple(namespace.config_keys),
                           namespace.config_variable)


def read_settings_package(
    directory: str | Path, sentinels: Sequence[str] = DEFAULT_SENTINELS,
    options: ReadOptions | None = None,
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
        missing = (f"{filename} not found in settings package {str(root)!r}: OEP-45 asks for "
                   f"required.py and defaults.py (create an empty {filename} if it has no "
                   "settings)")
        try:
            sources[filename] = reading.read_source(path, SETTINGS_MODULE, missing=missing)
        except OpsdocsError as error:
            problems.append(error.problem)
    return catalog_from_sources(root, sources, problems, sentinels, options)


def catalog_from_sources(
    root: str | Path,
    sources: dict[str, str | None],
    problems: Iterable[Problem] = (),
    sentinels: Sequence[str] = DEFAULT_SENTINELS,
    options: ReadOptions | None = None,
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
                source, path, required=filename == "required.py", sentinels=sentinels,
                options=options)
        except OpsdocsError as error:
            found.append(error.problem)
            continue
        settings.extend(module_settings)
        found.extend(module_problems)
    found.extend(_overlap_problems(settings))
    return SettingsCatalog(str(root), tuple(settings), tuple(found), tuple(files))


def read_settings_source(
    source: str, filename: str, *, required: bool, sentinels: Sequence[str] = DEFAULT_SENTINELS,
    options: ReadOptions | None = None,
) -> tuple[list[Setting], list[Problem]]:
    """Settings defined at module level in *source*, a file of an OEP-45 package, and the
    problems found in it.

    Raises :class:`OpsdocsError` when the source does not parse.
    """
    options = replace(options or ReadOptions(), sentinels=tuple(sentinels))
    parsed = parse_source(source, filename)
    namespace = Namespace()
    walker = ModuleWalker(namespace, filename, parsed.lines, parsed.blocks.documents)
    walker.walk(parsed.tree)
    for name in [n for n in namespace.bound if n in options.sentinels]:
        del namespace.bound[name]
    settings, problems = _Assembler(namespace, {filename: parsed}, options,
                                    required=required).settings()
    problems = [*namespace.problems, *problems]
    for setting in settings:
        problems.extend(_setting_problems(setting))
    return settings, problems


@dataclass
class ParsedFile:
    """A settings module parsed once: its lines (Python's numbering), tree, ``#:`` docs,
    comment blocks and section headings."""

    lines: list[str]
    tree: ast.Module
    docs: ModuleDocs
    blocks: Blocks
    sections: list[tuple[int, str]]


def parse_source(source: str, filename: str) -> ParsedFile:
    """*source* parsed; :class:`OpsdocsError` when it does not parse."""
    try:
        # One parse gives the tree and, by ModuleAnalyzer's own rules, the #: docs.
        tree, docs = parse_module(source, filename)
    except SyntaxError as error:
        raise OpsdocsError(_syntax_problem(source, filename, error)) from None
    except RecursionError:
        raise OpsdocsError(Problem(
            "the file is nested too deeply to read", filename, check="syntax")) from None
    except Exception as error:  # Sphinx's comment tokenizer, on a pathological line
        raise OpsdocsError(Problem(
            f"cannot parse: {error!r}", filename, check="syntax"
        )) from None
    lines = source_lines(source)
    return ParsedFile(lines, tree, docs, Blocks(lines, tree), section_titles(lines))


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


# -- Modules and their star imports -----------------------------------------------------


class _Chain:
    """Reads modules into one namespace, a star-imported module where it is imported.

    ``from module import X`` binds ``X`` as *module* left it: that module is read into a
    namespace of its own, once, sharing the parsed files and the problems.
    """

    def __init__(self, files: SourceFiles, search_path: Sequence[Path],
                 options: ReadOptions, shared: _Chain | None = None) -> None:
        self.files = files
        self.search_path = search_path
        self.options = options
        self.namespace = Namespace()
        self.walked: dict[str, None] = {}  # the files run into this namespace
        self.parsed: dict[str, ParsedFile] = shared.parsed if shared else {}
        self.problems: list[Problem] = shared.problems if shared else []
        self.modules: dict[str, Namespace] = shared.modules if shared else {}

    def read(self, path: Path, importers: tuple[Path, ...]) -> None:
        key = str(path)
        if key in self.walked:
            return  # Python runs a module once
        self.walked[key] = None
        parsed = self.parsed.get(key)
        if parsed is None:
            try:
                parsed = parse_source(decode_source(self.files.read(path), key), key)
            except OSError as error:
                self.problems.append(Problem(
                    f"cannot read the settings module: {error.strerror or error}", key,
                    check="missing"))
                return
            except OpsdocsError as error:
                self.problems.append(error.problem)
                return
            self.parsed[key] = parsed
        chain = (*importers, path)
        walker = ModuleWalker(self.namespace, key, parsed.lines, parsed.blocks.documents,
                              lambda node: self.star_import(node, path, chain),
                              lambda node, condition: self.named_import(node, condition, path,
                                                                        chain))
        walker.walk(parsed.tree)
        reads = ConfigReads(walker)
        reads.visit(parsed.tree)
        self.namespace.config_keys.update(reads.keys)
        self.namespace.config_variable = self.namespace.config_variable or reads.variable

    def named_import(self, node: ast.ImportFrom, condition: str | None, module: Path,
                     chain: tuple[Path, ...]) -> None:
        """``from module import X, Y as Z``: the settings named, as that module leaves them
        (a module outside the project, or in a cycle, leaves none that can be read)."""
        target = star_import_target(module, node.module, node.level, self.search_path,
                                    self.files)
        if target is None or target in chain:
            return
        source = self.modules.get(str(target))
        if source is None:
            reader = _Chain(self.files, self.search_path, self.options, shared=self)
            reader.read(target, chain)
            source = self.modules[str(target)] = reader.namespace
            self.problems.extend(source.problems)
        for alias in node.names:
            name, bound_as = alias.name, alias.asname or alias.name
            if is_setting_name(bound_as) and name in source.bound:
                self.bind_imported(source, name, bound_as, condition)

    def bind_imported(self, source: Namespace, name: str, bound_as: str,
                      condition: str | None) -> None:
        """Bind *bound_as* (and its documented keys) to what *name* is in *source*."""
        entries = [n for n, b in source.bound.items() if b and b[0].parent == name]
        for entry in (name, *entries):
            renamed = bound_as + entry[len(name):]
            for bound in source.bound[entry]:
                definition = bound.definition
                if condition is not None:
                    definition = replace(definition, condition=condition if definition.condition
                                         is None else f"{condition}, {definition.condition}")
                self.namespace.bind(renamed, replace(
                    bound, definition=definition, variable=bound.variable or entry,
                    parent=bound_as if bound.parent is not None else None))
        self.namespace.add_keys(bound_as, list(source.keys.get(name, ())))
        self.namespace.derived.update(
            (bound_as + n[len(name):], None) for n in source.derived
            if n == name or n.startswith(f"{name}["))

    def star_import(self, node: ast.ImportFrom, module: Path, chain: tuple[Path, ...]) -> None:
        name = "." * node.level + (node.module or "")
        target = star_import_target(module, node.module, node.level, self.search_path,
                                    self.files)
        if target is None:
            self.namespace.problems.append(Problem(
                f"'from {name} import *' names a module outside the project (or one that is "
                "not there): its settings are not documented here; give its file as "
                "another settings source to include them", str(module), node.lineno,
                check="import"))
            return
        if target in chain:
            cycle = " -> ".join(p.name for p in (*chain[chain.index(target):], target))
            self.namespace.problems.append(Problem(
                f"star-import cycle: {cycle}; Python cannot import these modules either",
                str(module), node.lineno, check="import"))
            return
        self.read(target, chain)


# -- Settings from what was read ---------------------------------------------------------


class _Assembler:
    """Makes the settings of a namespace, their docs from the files read."""

    def __init__(self, namespace: Namespace, parsed: dict[str, ParsedFile],
                 options: ReadOptions, required: bool | None = None,
                 walked: Iterable[str] | None = None) -> None:
        self.namespace = namespace
        self.parsed = parsed
        # the files whose annotation blocks must each document a setting: not those a
        # setting was only imported from by name
        self.walked: AbstractSet[str] = parsed.keys() if walked is None else set(walked)
        self.options = options
        self.required = required  # a file of an OEP-45 package: all required or none
        self.problems: list[Problem] = []
        self.used: set[tuple[str, int]] = set()
        self.annotation_files: dict[int, str] = {}

    def settings(self) -> tuple[list[Setting], list[Problem]]:
        settings = []
        for name, bounds in self.namespace.bound.items():
            setting = self.setting(name, bounds)
            if setting is not None:
                settings.append(setting)
        self.orphans({s.name for s in settings})
        return settings, self.problems

    def setting(self, name: str, bounds: list[Bound]) -> Setting | None:
        definitions = [b.definition for b in bounds]
        main = effective_definition(definitions)
        if main is None:
            return None
        index = definitions.index(main)
        effective = bounds[index]
        if main.condition is None:
            definitions = [replace(d, overridden=True) if i < index and d.binds and
                           d.condition is None else d for i, d in enumerate(definitions)]
        file = main.file or ""
        definitions = [replace(d, file=None) if d.file == file else d for d in definitions]
        main = definitions[index]
        required = self.required if self.required is not None else effective.no_default
        doc, doc_line, markup, annotation = self.doc(name, bounds, index)
        doc, metadata = split_metadata(doc) if markup == "rst" else (doc, {})
        versions: dict[str, str] = {}
        for text in doc.splitlines() if markup == "rst" else ():
            match = _VERSION_DIRECTIVE.match(text.strip())
            if match:
                versions.setdefault(match.group(1), match.group(2))
        value = None if effective.no_default else main.value
        later = [d for d in definitions[index + 1:] if not d.binds]
        effective_value = fold(name, main, later) if value is not None else None
        # Secret-looking keys of a dict ("PASSWORD") keep no value, whatever the setting.
        value, effective_value = without_secret_keys(value), without_secret_keys(effective_value)
        definitions = definitions_without_secret_keys(definitions)
        setting = Setting(
            name=name,
            required=required,
            file=file,
            line=main.line,
            value=value,
            annotation=self.type_annotation(name, bounds),
            doc=doc,
            secret=self.secret(name, value, metadata.get("secret")),
            default_display=text_without_secret_keys(metadata.get("default")),
            example=metadata.get("example"),
            deprecated=versions.get("deprecated"),
            added=versions.get("versionadded"),
            section=self.section(bounds),
            definitions=tuple(definitions),
            doc_line=doc_line if doc else None,
            effective_value=effective_value,
            env_vars=effective.env_vars,
            annotation_fields=tuple(
                (key, text_without_secret_keys(text) if key.endswith("_default") else text)
                for key, text in annotation.fields) if annotation else (),
            toggle=bool(annotation and annotation.toggle),
            parent=bounds[0].parent,
            keys=tuple(self.namespace.keys.get(name, ())),
            doc_markup=markup,
            has_default=value is not None and not (
                required and _is_placeholder(value, set(self.options.sentinels))),
            computed=effective.computed or name in self.namespace.derived,
        )
        self.check_alias(setting, bounds)
        if annotation is not None:
            # The code's default, for the check only: a secret setting keeps none.
            self.check_annotation(setting, annotation, effective_value or value)
        if setting.secret and "secret" not in metadata and not _matches(name, self.options.secret):
            self.problems.append(Problem(
                f"setting {name} looks secret (by its name) and its default writes text: its "
                "value is not shown; confirm it with ':secret:' in its '#:' comment (or "
                "opsdocs_secret_settings), or show it with ':secret: no' (or "
                "opsdocs_public_settings)",
                setting.file, setting.line, check="secret-name"))
        return setting

    def doc(self, name: str, bounds: list[Bound],
            index: int) -> tuple[str, int | None, str, Annotation | None]:
        """The doc, its first line, its markup and the annotation block, by precedence:
        ``#:`` comments, code-annotations blocks, plain comments (when asked for)."""
        order = [bounds[index], *(b for b in bounds if b is not bounds[index])]
        binding = [b for b in order if b.definition.binds and b.definition.file in self.parsed]
        annotation = None
        for bound in binding:
            annotation = self.annotation(name, bound)
            if annotation is not None:
                break
        for bound in binding:
            parsed = self.parsed[bound.definition.file or ""]
            if bound.parent is not None:
                comment = parsed.blocks.doc_comment_above(bound.definition.line)
                if comment is not None:
                    return comment[0], comment[1], "rst", annotation
                continue
            variable = bound.variable or name
            lines = parsed.docs.attr_docs.get(variable)
            text = "\n".join(lines or ()).strip("\n")
            if text:
                return text, parsed.docs.doc_lines.get(variable), "rst", annotation
        if annotation is not None:
            description = annotation.get("description") or ""
            if description:
                return description, annotation.line, "text", annotation
        if self.options.plain_comments:
            for bound in binding:
                parsed = self.parsed[bound.definition.file or ""]
                plain = parsed.blocks.plain_comment_above(bound.definition.line)
                if plain is not None:
                    return plain[0], plain[1], "text", annotation
        return "", None, "rst", annotation

    def annotation(self, name: str, bound: Bound) -> Annotation | None:
        """The annotation block right above a definition; or one above it past blank lines
        that names the setting, which works but is warned about."""
        file, line = bound.definition.file or "", bound.definition.line
        blocks = self.parsed[file].blocks
        block = blocks.above(line)
        found = blocks.annotation(block) if block is not None else None
        if found is None:
            block = blocks.above_blank_lines(line)
            found = blocks.annotation(block) if block is not None else None
            if found is None or _normal_name(found.name) != _normal_name(name):
                return None
            self.problems.append(Problem(
                f"the annotation of {name} is separated from it by a blank line: put it right "
                f"above line {line}, as code-annotations expects", file, found.line,
                check="annotation-position"))
        assert block is not None
        self.used.add((file, block.last))
        self.annotation_files[id(found)] = file
        return found

    def type_annotation(self, name: str, bounds: list[Bound]) -> str | None:
        for bound in bounds:
            parsed = self.parsed.get(bound.definition.file or "")
            if parsed is not None and bound.parent is None:
                found = parsed.docs.annotations.get(bound.variable or name)
                if found:
                    return found
        return None

    def section(self, bounds: list[Bound]) -> str | None:
        first = next((b.definition for b in bounds if b.definition.binds), bounds[0].definition)
        parsed = self.parsed.get(first.file or "")
        section = None
        for line, title in parsed.sections if parsed else ():
            if line > first.line:
                break
            section = title
        return section

    def secret(self, name: str, value: str | None, marked: str | None) -> bool:
        """Marked ``:secret:`` (``:secret: no`` marks it public), else by its name and
        literal value, unless a pattern of ``public`` names it."""
        if marked is not None:
            return marked.strip().lower() not in _NOT_SECRET
        if _matches(name, self.options.secret):
            return True
        if _matches(name, self.options.public):
            return False
        return looks_secret(name, value)

    def check_alias(self, setting: Setting, bounds: list[Bound]) -> None:
        """``B = A`` then ``B.append(...)`` changes ``A`` too: say so."""
        main = setting.main
        if main is None or main.value is None or not main.value.isidentifier() or \
                main.value not in self.namespace.bound:
            return
        changed = [d for d in setting.definitions[setting.definitions.index(main) + 1:]
                   if d.kind in ("call", "item", "statement", "augmented")]
        if changed:
            self.problems.append(Problem(
                f"{setting.name} is {main.value} (line {main.line}), changed in place on line "
                f"{changed[0].line}: that changes {main.value} too, which the reference "
                f"cannot show; copy it first ({setting.name} = list({main.value}) or "
                f"dict({main.value}))", setting.file, changed[0].line, check="python-alias"))

    def check_annotation(self, setting: Setting, annotation: Annotation,
                         code: str | None) -> None:
        file = self.annotation_files.get(id(annotation), setting.file)
        named = _normal_name(annotation.name)
        if named != _normal_name(setting.name):
            self.problems.append(Problem(
                f"the annotation names {annotation.name}, but the statement under it defines "
                f"{setting.name}: give the annotation the setting's name", file,
                annotation.line, check="annotation-name"))
        for field_name, line in annotation.unknown:
            self.problems.append(Problem(
                f"unknown annotation field {field_name}: code-annotations ignores it"
                f"{did_you_mean(closest_field(field_name))}", file, line,
                check="annotation-field"))
        for first, last in annotation.dropped:
            lines, are, them = (f"line {first}", "is", "it") if first == last else \
                (f"lines {first}-{last}", "are", "them")
            self.problems.append(Problem(
                f"{lines} of the annotation of {annotation.name} {are} in no field: "
                f"code-annotations drops {them}, and so does the reference; to keep {them}, "
                f"indent {them} past the field's '..' ('#   text') or move {them} above the "
                "block",
                file, first, check="annotation-text"))
        documented = text_without_secret_keys(annotation.get("default"))
        if documented is None or code is None or _same_default(documented, code):
            return
        if setting.secret:
            what = "differs from the code's"
        else:
            what = f"{shorten(documented, 40)} differs from the code's " \
                f"{shortened(code, 40)}"
        self.problems.append(Problem(
            f"the annotation's default of {setting.name}, {what}: correct the annotation "
            "(the reference shows the code's default)", file, annotation.line,
            check="annotation-default"))

    def orphans(self, names: set[str]) -> None:
        """Annotation blocks that document no statement right below them."""
        known = {_normal_name(n) for n in names}
        for file, parsed in self.parsed.items():
            if file not in self.walked:
                continue
            for block, annotation in parsed.blocks.all_annotations():
                if (file, block.last) in self.used:
                    continue
                if _normal_name(annotation.name) in known:
                    advice = "put it right above the statement that defines it"
                else:
                    advice = "no statement right below it defines that setting"
                self.problems.append(Problem(
                    f"the annotation of {annotation.name} documents nothing: {advice}",
                    file, annotation.line, check="annotation-orphan"))


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def _normal_name(name: str) -> str:
    return "".join(name.split()).replace('"', "'")


def _same_default(documented: str, code: str) -> bool:
    """Whether an annotation's default says what the code says.  Only a documented default
    that is a Python literal can disagree: bare text is the code's string written without
    quotes, or prose ("dict of settings", "every 6 months")."""
    try:
        expected = ast.literal_eval(documented)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return True
    actual = _code_literal(code)
    return actual is _UNKNOWN or bool(expected == actual)


def _code_literal(code: str) -> Any:
    try:
        node = ast.parse(code.strip(), mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return _UNKNOWN
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id in ("_", "gettext", "gettext_lazy", "ugettext_lazy", "gettext_noop") \
            and len(node.args) == 1:
        node = node.args[0]  # a translated string says that string
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _UNKNOWN


# -- The effective value ----------------------------------------------------------------

_UNKNOWN: Any = object()
_AUGMENTED: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "|=": operator.ior,
    "&=": operator.iand, "^=": operator.ixor, "//=": operator.ifloordiv, "%=": operator.imod,
}


def fold(name: str, main: Definition, later: Sequence[Definition]) -> str | None:
    """The value once *later* changes are applied to *main*'s, when all are literals and
    unconditional (``["a"]`` then ``.append("b")``: ``['a', 'b']``); else ``None``."""
    if not later or main.value is None or any(d.condition is not None for d in later):
        return None
    try:
        value = ast.literal_eval(main.value)
        for definition in later:
            value = _apply(name, value, definition)
            if value is _UNKNOWN:
                return None
    except (ValueError, TypeError, SyntaxError, KeyError, IndexError, AttributeError,
            MemoryError, RecursionError, OverflowError, ZeroDivisionError):
        return None
    return repr(value)


def _apply(name: str, value: Any, definition: Definition) -> Any:
    """*value* after one change; ``_UNKNOWN`` when it is not a literal change."""
    text = definition.value or ""
    if definition.kind == "augmented":
        apply = _AUGMENTED.get(definition.operator or "")
        return _UNKNOWN if apply is None else apply(value, ast.literal_eval(text))
    if definition.kind == "item" and definition.key is not None:
        value[ast.literal_eval(definition.key)] = ast.literal_eval(text)
        return value
    if definition.kind in ("call", "statement", "delete"):
        statement = ast.parse(text).body[0] if text else None
        if isinstance(statement, ast.Expr) and _run_call(name, value, statement.value):
            return value
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                isinstance(target := statement.targets[0], ast.Subscript):
            _place(name, value, target.value)[ast.literal_eval(target.slice)] = \
                ast.literal_eval(statement.value)
            return value
        if isinstance(statement, ast.Delete) and len(statement.targets) == 1 and \
                isinstance(target := statement.targets[0], ast.Subscript):
            del _place(name, value, target.value)[ast.literal_eval(target.slice)]
            return value
    return _UNKNOWN


def _place(name: str, value: Any, node: ast.expr) -> Any:
    """What ``X["a"]`` or ``X.setdefault("b", {})`` denotes inside *value* (``X``)."""
    if isinstance(node, ast.Name) and node.id == name:
        return value
    if isinstance(node, ast.Subscript):
        return _place(name, value, node.value)[ast.literal_eval(node.slice)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _call(_place(name, value, node.func.value), node)
    raise ValueError("not a literal place")


def _run_call(name: str, value: Any, node: ast.expr) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    _call(_place(name, value, node.func.value), node)
    return True


def _call(target: Any, node: ast.Call) -> Any:
    """A container's changing method, with literal arguments only (no user code runs)."""
    from opsdocs.settings.statements import CHANGING_METHODS

    assert isinstance(node.func, ast.Attribute)
    method = node.func.attr
    if method not in CHANGING_METHODS or not isinstance(target, (list, dict, set)) or \
            any(k.arg is None for k in node.keywords) or method == "sort":
        raise ValueError("not a literal change")
    arguments = [copy.deepcopy(ast.literal_eval(a)) for a in node.args]
    keywords = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
    change: Callable[..., Any] = getattr(target, method)
    return change(*arguments, **keywords)


# -- Docs and problems --------------------------------------------------------------------


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


def _setting_problems(setting: Setting) -> Iterator[Problem]:
    main = setting.main
    assert main is not None
    if not setting.doc:
        yield Problem(
            f"setting {setting.name} has no documentation: add a '#:' comment above it",
            setting.file, setting.line, check="undocumented",
        )
    if setting.required and setting.has_default:
        shown = f" ({shortened(main.value, 40)})" if main.value is not None else ""
        yield Problem(
            f"required setting {setting.name} is given a value{shown}: "
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
        main = setting.main
        if not setting.required and first is not None and main is not None and \
                main.kind != "augmented":
            yield Problem(
                f"setting {setting.name} is in both required.py (line {first.line}) and "
                "defaults.py: OEP-45 keeps them mutually exclusive; remove one of them",
                setting.file, setting.line, check="duplicate",
            )
