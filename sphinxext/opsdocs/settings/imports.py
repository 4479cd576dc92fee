"""Settings modules read as Python runs them: a star-imported module where it is imported,
the settings ``from module import X`` names as that module leaves them.

Each module's walk is a generator of steps (:func:`~opsdocs.settings.statements.run_steps`
runs them): an import yields the walk of the module it reads, so a chain of any length
is read without recursion.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import decode_source
from opsdocs.settings.config_keys import ConfigReads
from opsdocs.settings.model import is_setting_name
from opsdocs.settings.namespace import Bound, Namespace
from opsdocs.settings.parsed import ParsedFile, parse_source
from opsdocs.settings.sources import SourceFiles, excluded, import_target, star_import_target
from opsdocs.settings.statements import ModuleWalker, Steps, run_steps


@dataclass(frozen=True)
class _Read:
    """What reading a module into an empty namespace left: the namespace, the files run
    (in order), those parsed, and the problems."""

    namespace: Namespace
    walked: tuple[str, ...]
    parsed: dict[str, ParsedFile]
    problems: tuple[Problem, ...]


@dataclass
class SharedReads:
    """What the reads of one build share (the three Open edX references all read
    ``openedx/envs/common.py`` first): files parsed, by path and the digest of their
    bytes, and what reading a module into an empty namespace leaves, by path."""

    parsed: dict[tuple[str, bytes], ParsedFile] = field(default_factory=dict)
    modules: dict[str, _Read] = field(default_factory=dict)


class ImportChain:
    """Reads modules into one namespace, a star-imported module where it is imported.

    ``from module import X`` binds ``X`` as *module* left it: that module is read into a
    namespace of its own, once, sharing the parsed files and the problems.
    """

    def __init__(self, files: SourceFiles, search_path: Sequence[Path],
                 shared: ImportChain | None = None,
                 reads: SharedReads | None = None) -> None:
        self.files = files
        self.search_path = search_path
        self.namespace = Namespace()
        self.walked: dict[str, None] = {}  # the files run into this namespace
        self.parsed: dict[str, ParsedFile] = shared.parsed if shared else {}
        self.reads: SharedReads | None = shared.reads if shared else reads
        self.problems: list[Problem] = shared.problems if shared else []
        self.modules: dict[str, Namespace] = shared.modules if shared else {}

    def read(self, path: Path, importers: tuple[Path, ...]) -> None:
        """Read the module *path* (imported through *importers*) into the namespace."""
        run_steps(self.steps(path, importers))

    def steps(self, path: Path, importers: tuple[Path, ...]) -> Steps:
        """The walk of the module *path*, yielding the walk of each module it imports."""
        key = str(path)
        if key in self.walked:
            return  # Python runs a module once
        if self.reads is None or not self.namespace.empty():
            yield from self.run(path, importers)
            return
        done = self.reads.modules.get(key)
        if done is None:
            walked, problems = len(self.walked), len(self.problems)
            yield from self.run(path, importers)
            files = tuple(self.walked)[walked:]
            self.reads.modules[key] = _Read(self.namespace.copy(), files,
                                            {f: self.parsed[f] for f in files if f in self.parsed},
                                            tuple(self.problems[problems:]))
            return
        # read into an empty namespace before: what it left, as it left it
        self.namespace.take(done.namespace)  # the walkers running hold this one
        self.walked.update(dict.fromkeys(done.walked))
        self.parsed.update(done.parsed)
        self.problems.extend(done.problems)

    def run(self, path: Path, importers: tuple[Path, ...]) -> Steps:
        """Run the module *path* into the namespace."""
        key = str(path)
        self.walked[key] = None
        parsed = self.parsed.get(key)
        if parsed is None:
            try:
                parsed = self.parse(path, key)
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
        walker = ModuleWalker(self.namespace, key, parsed.lines, parsed.blocks,
                              lambda node: self.star_import(node, path, chain),
                              lambda node, condition: self.named_import(node, condition, path,
                                                                        chain))
        yield from walker.steps(parsed.tree)
        reads = ConfigReads(walker.config, walker.environment, self.namespace.keys)
        reads.visit(parsed.tree)
        self.namespace.config_keys.update(reads.keys)
        self.namespace.config_variable = self.namespace.config_variable or reads.variable

    def parse(self, path: Path, key: str) -> ParsedFile:
        """*path* parsed, or as another chain parsed the same bytes."""
        data = self.files.read(path)
        if self.reads is None:
            return parse_source(decode_source(data, key), key)
        found = (key, hashlib.blake2b(data, digest_size=16).digest())
        parsed = self.reads.parsed.get(found)
        if parsed is None:
            parsed = self.reads.parsed[found] = parse_source(decode_source(data, key), key)
        return parsed

    def named_import(self, node: ast.ImportFrom, condition: str | None, module: Path,
                     chain: tuple[Path, ...]) -> Steps:
        """``from module import X, Y as Z``: the settings named, as that module leaves them
        (a module outside the project, or in a cycle, leaves none that can be read)."""
        target = star_import_target(module, node.module, node.level, self.search_path,
                                    self.files)
        if target is None or target in chain:
            return
        source = self.modules.get(str(target))
        if source is None:
            reader = ImportChain(self.files, self.search_path, shared=self)
            yield reader.steps(target, chain)  # read to its end before the names are bound
            source = self.modules[str(target)] = reader.namespace
            self.problems.extend(source.problems)
        for alias in node.names:
            name, bound_as = alias.name, alias.asname or alias.name
            if is_setting_name(bound_as) and name in source.bound:
                self.bind_imported(source, name, bound_as, condition)

    def bind_imported(self, source: Namespace, name: str, bound_as: str,
                      condition: str | None) -> None:
        """Bind *bound_as* (and its documented keys) to what *name* is in *source*; not
        again when an earlier import bound it so (Python binds the same object again)."""
        entries = [n for n, b in source.bound.items() if b and b[0].parent == name]
        for entry in (name, *entries):
            renamed = bound_as + entry[len(name):]
            if _bound_already(self.namespace.bound.get(renamed, []), source.bound[entry]):
                continue
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

    def not_read(self, node: ast.ImportFrom, name: str, module: Path) -> Problem:
        """Why the module ``from <name> import *`` names is not read."""
        found = import_target(module, node.module, node.level, self.search_path, self.files)
        why = excluded(self.files, found) if found is not None else None
        if found is not None and why is not None:
            return Problem(f"'from {name} import *' names {found.name}, {why} (a developer's "
                           "own, not the project's): it is not read, and not published",
                           str(module), node.lineno, check="import")
        return Problem(
            f"'from {name} import *' names a module outside the project (or one that is "
            "not there): its settings are not documented here; give its file as "
            "another settings source to include them", str(module), node.lineno,
            check="import")

    def star_import(self, node: ast.ImportFrom, module: Path, chain: tuple[Path, ...]) -> Steps:
        name = "." * node.level + (node.module or "")
        target = star_import_target(module, node.module, node.level, self.search_path,
                                    self.files)
        if target is None:
            self.namespace.problems.append(self.not_read(node, name, module))
            self.namespace.opaque = True
            return
        if target in chain:
            cycle = " -> ".join(p.name for p in (*chain[chain.index(target):], target))
            self.namespace.problems.append(Problem(
                f"star-import cycle: {cycle}; Python cannot import these modules either",
                str(module), node.lineno, check="import"))
            return
        yield self.steps(target, chain)


def _bound_already(current: list[Bound], imported: list[Bound]) -> bool:
    """Whether the binding in effect is the one *imported* makes, as unconditionally: its
    statements, then only changes in place (to the same object)."""
    last, at = _last_binding(imported), _last_binding(current)
    if last is None or at is None or at < last or len(current) < at - last + len(imported):
        return False
    held = current[at - last:at - last + len(imported)]
    return all(h.definition == i.definition for h, i in zip(held, imported, strict=True))


def _last_binding(bounds: list[Bound]) -> int | None:
    return next((i for i in reversed(range(len(bounds))) if bounds[i].definition.binds), None)
