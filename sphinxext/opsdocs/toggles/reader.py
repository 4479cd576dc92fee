"""Reading the feature toggles of code trees: the files walked, their facts, the names
resolved, the checks made.

Each file's facts are kept by its stamp (modification time, size, inode) in a
:class:`FactsCache`, which the Sphinx glue saves beside the environment: a file that did
not change is not read again, in the same process or the next build.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from opsdocs.errors import OpsdocsError, Problem
from opsdocs.files import PickleCache, file_stamp
from opsdocs.reading import PYTHON_FILE, read_bytes
from opsdocs.reading.tree import ScanOptions, walk
from opsdocs.settings.sources import SourceFiles
from opsdocs.toggles.checks import toggle_problems
from opsdocs.toggles.facts import FileFacts, Found, file_facts
from opsdocs.toggles.model import (
    SETTING_IMPLEMENTATIONS,
    Toggle,
    ToggleCatalog,
    normal_name,
    setting_key,
)
from opsdocs.toggles.resolve import FactsOf, Resolver
from opsdocs.toggles.scan import resolve_sources

Stamp = tuple[int, int, int]


@dataclass(frozen=True)
class ReadOptions:
    """How toggles are read: which files (:class:`ScanOptions`), and the day past-due
    dates are counted from (today when ``None``)."""

    scan: ScanOptions = field(default_factory=ScanOptions)
    today: date | None = None


class FactsCache(PickleCache):
    """The facts of files by path, each kept while the file's stamp stays the same.

    With a *path*, :meth:`load` and :meth:`save` keep them in a pickle file between
    processes (the build directory's, as Sphinx's environment is).  ``reads`` counts the
    files read.
    """

    FORMAT = 13  # 2: secrets by looks_secret, NonNamespacedWaffleFlag/Switch; 3: Annotated;
    # 4: code reads settings by the names Django's settings have there; 5: a key of any dict
    # setting under a block; 6: no secret's value in the facts; 7: a module's constant is no
    # setting, a waffle block over one names its flag; Annotated in toggles.annotated;
    # 8: Found.waived (the pylint waiver), FileFacts.star_imports; 9: a settings module
    # whatever its path is given as, a SettingToggle's secret default and its block's kept out;
    # 10: a block over the constant a waffle flag is made of documents that flag; 11: X =
    # getattr(settings, "X", d) defaults to d; 12: a module importing Django's settings is
    # no settings module; 13: waffle's switch_is_active/flag_is_active reading a literal name
    # is a toggle (Found.read), and files calling them are parsed
    KEPT = ("entries",)

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path)
        self.entries: dict[str, tuple[Stamp, FileFacts]] = {}
        self.reads = 0

    def facts(self, path: Path, complete: bool = False) -> FileFacts:
        """The facts of *path*: kept ones while its stamp holds, else read again (parsed
        whole when *complete*: its module-level names are needed)."""
        key = str(path)
        stamp = file_stamp(path)
        entry = self.entries.get(key)
        if entry is not None and entry[0] == stamp and (entry[1].complete or not complete):
            return entry[1]
        self.reads += 1
        try:
            found = file_facts(read_bytes(path, PYTHON_FILE), key, parse_all=complete)
        except OpsdocsError as error:
            found = FileFacts(problems=(error.problem,))
        if stamp is not None:
            self.entries[key] = (stamp, found)
            self.dirty = True
        return found


def read_toggles(specs: Sequence[str | Path], options: ReadOptions | None = None, *,
                 base: Path | None = None, search_path: Sequence[str | Path] = (),
                 cache: FactsCache | None = None,
                 locate: Callable[[str], Path] | None = None) -> ToggleCatalog:
    """The toggles of the code trees *specs* name (folders or files relative to *base*, or
    where *locate* puts them, or dotted packages found on *search_path*), checked."""
    options = options or ReadOptions()
    cache = cache if cache is not None else FactsCache()
    roots = tuple(Path(p) for p in search_path)
    sources, problems = resolve_sources(specs, base or Path(), roots, locate)
    walked = walk(sources, options.scan)
    problems += walked.problems
    found = collect_toggles(walked.files, cache.facts, roots)
    problems += found.problems
    problems += toggle_problems(found.toggles, options.today or date.today(),
                                found.star_imports)
    files = {**dict.fromkeys(str(f) for f in walked.files), **found.used}
    return ToggleCatalog(found.toggles, tuple(_unique(problems)), tuple(files),
                         tuple(str(f) for f in walked.folders), found.secrets)


@dataclass(frozen=True)
class Collected:
    """The toggles of some files, sorted, not checked; the problems of reading them; the
    files read for names (``used``); the secret settings of each file with toggles; what
    the settings modules that define one setting toggle star-import (``star_imports``)."""

    toggles: tuple[Toggle, ...]
    problems: tuple[Problem, ...] = ()
    used: dict[str, None] = field(default_factory=dict)
    secrets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    star_imports: dict[str, frozenset[str]] = field(default_factory=dict)


def collect_toggles(files: Iterable[Path], facts_of: FactsOf,
                    search_path: Sequence[Path] = (),
                    source_files: SourceFiles | None = None) -> Collected:
    """The toggles of *files*, their names resolved through *facts_of* (a file's facts)
    across the files *source_files* has (the disk by default; a git ref's tree)."""
    used: dict[str, None] = {}

    def facts(path: Path, complete: bool) -> FileFacts:
        used[str(path)] = None  # a module read for its names is a file the catalog is from
        return facts_of(path, complete)

    resolver = Resolver(facts, search_path, source_files)
    toggles: list[Toggle] = []
    problems: list[Problem] = []
    secrets: list[tuple[str, tuple[str, ...]]] = []
    for file in files:
        found = facts_of(file, False)
        problems += found.problems
        toggles.extend(make_toggle(file, item, resolver) for item in found.found)
        if found.found and found.secrets:
            secrets.append((str(file), found.secrets))
    toggles = _first_waffle_reads(_without_reads(toggles))
    # one name defined twice: the definition whose code registers it first (it is the object)
    toggles.sort(key=lambda t: (t.name.lower(), t.name, t.published_differs, t.file, t.line))
    return Collected(tuple(toggles), tuple(problems), used, tuple(secrets),
                     _star_imports(toggles, resolver))


def _star_imports(toggles: Sequence[Toggle], resolver: Resolver) -> dict[str, frozenset[str]]:
    """What the settings modules defining a setting toggle another file defines too
    star-import: a copy of a module it imports, or another service's own setting."""
    files: dict[str, set[str]] = {}
    for toggle in toggles:
        if toggle.setting_block:
            files.setdefault(normal_name(toggle.name), set()).add(toggle.file)
    shared = {os.path.abspath(file): file for group in files.values() if len(group) > 1
              for file in group}  # a file given relative, found absolute through an import
    return {file: frozenset(shared.get(os.path.abspath(found), str(found))
                            for found in resolver.star_imported(Path(file)))
            for file in sorted(shared.values())}


def make_toggle(file: Path, found: Found, resolver: Resolver) -> Toggle:
    """The toggle *found* in *file*, its name resolved."""
    registered, pattern = resolver.registered(file, found)
    annotation = found.annotation
    fields = annotation.fields if annotation is not None else ()
    published = next((value.split("#")[0].strip() for key, value in fields
                      if key == "toggle_name"), None)  # no "# pylint: ..." after the name
    setting = registered if found.implementation in (
        "DjangoSetting", "SettingToggle", "SettingDictToggle") else None
    return Toggle(
        name=published or registered or pattern or found.variable or "?", file=str(file),
        line=found.line, implementation=found.implementation, registered=registered,
        pattern=pattern, default=found.default, variable=found.variable, setting=setting,
        fields=fields, field_lines=annotation.field_lines if annotation is not None else (),
        annotation_line=annotation.line if annotation is not None else None,
        setting_block=found.setting_block, waived=found.waived, read=found.read)


def _without_reads(toggles: list[Toggle]) -> list[Toggle]:
    """Toggles without the undocumented ``SettingToggle("X")`` of a setting documented as a
    toggle: code reading a toggle defined elsewhere."""
    documented = {setting_key(t.setting) for t in toggles if t.documented and t.setting}
    documented |= {setting_key(t.name) for t in toggles
                   if t.documented_implementation in SETTING_IMPLEMENTATIONS}
    return [t for t in toggles if t.documented or t.implementation not in (
        "SettingToggle", "SettingDictToggle") or setting_key(t.registered or "") not in documented]


def _first_waffle_reads(toggles: list[Toggle]) -> list[Toggle]:
    """Toggles without the undocumented reads by name (``switch_is_active('x')``) of a
    name that a toggle object or a block defines, or that an earlier read names: the first
    read of a name nothing else defines is its place."""
    defined = {normal_name(name) for t in toggles if t.documented or not t.read
               for name in (t.name, t.registered) if name}
    kept = []
    for toggle in toggles:
        if toggle.read and not toggle.documented:
            if normal_name(toggle.name) in defined:
                continue
            defined.add(normal_name(toggle.name))
        kept.append(toggle)
    return kept


def _unique(problems: Sequence[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
