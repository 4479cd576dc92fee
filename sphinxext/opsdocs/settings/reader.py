"""Settings read statically: an OEP-45 package (``required.py`` and ``defaults.py``), or
any settings modules (``lms/envs/common.py``), star-import chains followed.

Nothing here imports the service: values are the source text as written, read with
:mod:`ast` with Python's semantics (:mod:`opsdocs.settings.statements`), module by module
as Python imports them (:mod:`opsdocs.settings.imports`); the settings are then made from
what was read (:mod:`opsdocs.settings.assembly`).  Docs come, in this order, from ``#:``
comments by the rules of :class:`sphinx.pycode.ModuleAnalyzer`
(:mod:`opsdocs.settings.comments`, tested against it), code-annotations blocks, and, when
asked for, plain ``#`` comments (:mod:`opsdocs.settings.comment_blocks`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from opsdocs import reading
from opsdocs.code_text import shortened
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import SETTINGS_MODULE
from opsdocs.settings.assembly import Assembler, ReadOptions
from opsdocs.settings.imports import ImportChain, SharedReads
from opsdocs.settings.model import (
    DEFAULT_SENTINELS,
    SETTINGS_FILES,
    Setting,
    SettingsCatalog,
)
from opsdocs.settings.namespace import Namespace
from opsdocs.settings.parsed import ParsedFile, parse_source
from opsdocs.settings.sources import DiskFiles, SettingsSource, SourceFiles, resolve_source
from opsdocs.settings.statements import ModuleWalker

__all__ = [
    "ParsedFile",
    "ReadOptions",
    "catalog_from_sources",
    "package_not_found",
    "parse_source",
    "read_settings",
    "read_settings_package",
    "read_settings_source",
    "settings_package",
    "source_from_specs",
]


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


def source_from_specs(specs: Sequence[str | Path], base: Path | None = None,
                      search_path: Iterable[str | Path] = (),
                      options: ReadOptions | None = None) -> SettingsCatalog:
    """The settings of what *specs* name (see :func:`~opsdocs.settings.sources.resolve_source`).

    Raises :class:`OpsdocsError` when a source is not there.
    """
    return read_settings(resolve_source(specs, base, search_path), options)


def read_settings(source: SettingsSource, options: ReadOptions | None = None,
                  files: SourceFiles | None = None,
                  reads: SharedReads | None = None) -> SettingsCatalog:
    """The settings of *source*: a package's two files, or modules and their star imports
    (*reads*: what the reads of modules of the same build share)."""
    options = options or ReadOptions()
    if source.package:
        return read_settings_package(source.root, options.sentinels, options=options)
    chain = ImportChain(files or DiskFiles(), source.search_path, reads=reads)
    for path in source.paths:
        chain.read(path, ())
    settings, problems = Assembler(chain.namespace, chain.parsed, options,
                                   walked=chain.walked).settings()
    problems.extend(Problem(_undocumented(s), s.file, s.line, check="undocumented")
                    for s in settings if not s.doc)
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
    walker = ModuleWalker(namespace, filename, parsed.lines, parsed.blocks)
    walker.walk(parsed.tree)
    for name in [n for n in namespace.bound if n in options.sentinels]:
        del namespace.bound[name]
    settings, problems = Assembler(namespace, {filename: parsed}, options,
                                   required=required).settings()
    problems = [*namespace.problems, *problems]
    for setting in settings:
        problems.extend(_setting_problems(setting))
    return settings, problems


def _undocumented(setting: Setting) -> str:
    if setting.config_only:
        return (f"setting {setting.name} is read once the YAML config is applied here, and "
                "only the config sets it: declare it before this line, with a '#:' comment")
    return (f"setting {setting.name} has no documentation: add a '#:' comment or a "
            "code-annotations block right above it")


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
