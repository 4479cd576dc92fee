"""The name a toggle's code registers, resolved statically across the files of a tree.

A name built from module-level names is followed through the module's own assignments,
then through its imports to the module that binds the name (relative imports from the
file's package, absolute ones from the folder above its top package and the search
path), as far as :data:`~opsdocs.reading.kinds.MAX_NAME_STEPS` steps: files are read,
never imported.  What is built at run time (a function's parameter, an attribute of
``self``) stays unknown, shown as ``{code}`` in the name's pattern (``openresponseassessment.{switch_name}``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from opsdocs.reading import MAX_NAME_STEPS
from opsdocs.settings.sources import DiskFiles, SourceFiles, import_target
from opsdocs.toggles.expressions import Expr
from opsdocs.toggles.facts import FileFacts, Found

#: The facts of a file, parsed whole when *complete* (its names are needed).
FactsOf = Callable[[Path, bool], FileFacts]


@dataclass(frozen=True)
class Value:
    """What an expression comes to: its text (``{code}`` where unknown), whether all of it
    is known, and whether it is a waffle namespace or a module rather than a string."""

    text: str
    known: bool = True
    namespace: bool = False
    module: Path | None = None


def _unknown(code: str) -> Value:
    return Value("{" + code + "}", known=False)


class Resolver:
    """Resolves the names of toggles found in files; *facts_of* gives a file's facts, and
    *files* says which files are there (the disk, or a git ref's tree)."""

    def __init__(self, facts_of: FactsOf, search_path: Sequence[Path] = (),
                 files: SourceFiles | None = None) -> None:
        self.facts_of = facts_of
        self.search_path = tuple(search_path)
        self.files: SourceFiles = files or DiskFiles()
        self.module = cache(self._module)

    def registered(self, file: Path, found: Found) -> tuple[str | None, str | None]:
        """The name *found*'s code registers, and its pattern when not known statically."""
        if found.registered is not None or found.implementation is None:
            return found.registered, None
        if not found.arguments:  # pragma: no cover - every toggle call has a name argument
            return None, None
        first = self.value(file, found.arguments[0], 0)
        if found.implementation == "SettingDictToggle" and len(found.arguments) > 1:
            key = self.value(file, found.arguments[1], 0)
            value = Value(f"{first.text}[{key.text!r}]" if key.known else
                          f"{first.text}[{key.text}]", first.known and key.known)
        elif first.namespace and len(found.arguments) > 1:
            flag = self.value(file, found.arguments[1], 0)
            value = Value(f"{first.text}.{flag.text}", first.known and flag.known)
        else:
            value = first if not first.namespace and first.module is None else \
                _unknown(first.text)
        return (value.text, None) if value.known else (None, value.text)

    def value(self, file: Path, expr: Expr, steps: int) -> Value:
        """What *expr*, written in *file*, comes to."""
        kind = expr[0]
        if steps > MAX_NAME_STEPS or kind == "unknown":
            return _unknown(str(expr[1]) if kind == "unknown" else "...")
        if kind == "str":
            return Value(str(expr[1]))
        if kind in ("join", "namespace"):
            parts = [self.value(file, part, steps + 1) for part in (
                expr[1] if kind == "join" else (expr[1],))]
            return Value("".join(p.text for p in parts), all(p.known for p in parts),
                         namespace=kind == "namespace")
        if kind == "name":
            return self.name(file, str(expr[1]), steps + 1)
        return self.attribute(file, expr, steps + 1)

    def name(self, file: Path, name: str, steps: int) -> Value:
        """The value of the module-level *name* of *file*."""
        if steps > MAX_NAME_STEPS:
            return _unknown(name)
        facts = self.facts_of(file, True)
        binding = dict(facts.bindings).get(name)
        if binding is not None:
            return self.value(file, binding, steps + 1)
        imported = dict(facts.imports).get(name)
        return _unknown(name) if imported is None else \
            self.imported(file, name, imported, steps + 1)

    def imported(self, file: Path, name: str, imported: tuple[int, str, str | None],
                 steps: int) -> Value:
        """The value of *name*, which *file* imports: a module's name, or a module."""
        level, module, attribute = imported
        found = self.module(file, level, module)
        if found is None:
            return _unknown(name)
        if attribute is None:
            return Value(name, known=False, module=found)
        facts = self.facts_of(found, True)
        if attribute in dict(facts.bindings) or attribute in dict(facts.imports):
            return self.name(found, attribute, steps + 1)
        # ``from package import module``
        submodule = self.module(found, 1, attribute) if found.name == "__init__.py" else None
        return Value(name, known=False, module=submodule) if submodule else _unknown(name)

    def attribute(self, file: Path, expr: Expr, steps: int) -> Value:
        """``module.NAME`` of an imported module, or ``namespace.name`` of a namespace."""
        base, attribute = expr[1], str(expr[2])
        owner = self.value(file, base, steps + 1)
        if owner.module is not None:
            return self.name(owner.module, attribute, steps + 1)
        if owner.namespace and attribute == "name":
            return Value(owner.text, owner.known)
        return _unknown(f"{_dotted(base)}.{attribute}")

    def star_imported(self, file: Path) -> frozenset[Path]:
        """The modules *file* star-imports, and those they star-import, in turn."""
        seen: set[Path] = set()
        todo = [file]
        while todo and len(seen) <= MAX_NAME_STEPS:
            module = todo.pop()
            for level, dotted in self.facts_of(module, True).star_imports:
                found = self.module(module, level, dotted)
                if found is not None and found not in seen and found != file:
                    seen.add(found)
                    todo.append(found)
        return frozenset(seen)

    def _module(self, file: Path, level: int, dotted: str) -> Path | None:
        """The file ``import`` reaches from *file*: a module or a package's ``__init__.py``;
        installed code counts (a name may come from a library the project uses)."""
        return import_target(file, dotted, level, self.search_path, self.files,
                             installed=True)


def _dotted(expr: Expr) -> str:
    if expr[0] == "name":
        return str(expr[1])
    if expr[0] == "attr":
        return f"{_dotted(expr[1])}.{expr[2]}"
    return str(expr[1]) if expr[0] == "unknown" else "..."
