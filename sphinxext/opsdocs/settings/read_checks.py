"""Settings read in code against a catalog: the settings read that nothing declares, the
reads whose default differs from the declared one, and the declared settings nothing reads;
where the catalog's ``FEATURES`` is a proxy of the settings (``FeaturesProxy(globals())``),
``FEATURES['X']`` is read as ``X``."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from opsdocs.code_text import entry_name, expression, shortened
from opsdocs.errors import Problem
from opsdocs.settings.code_reads import SettingRead
from opsdocs.settings.effective import UNKNOWN, literal_value
from opsdocs.settings.model import Definition, Setting, SettingsCatalog
from opsdocs.settings.sources import nearby

#: Characters of a default a message or the listing shows, as other messages show values.
SHOWN_WIDTH = 40


def _known(catalog: SettingsCatalog, ignore: Iterable[str], declared: Iterable[str]) -> set[str]:
    """The settings known besides *catalog*'s own: ``FEATURES['X']`` for every key a dict
    setting is known to have, *ignore*, and *declared* (by the code scanned: a plugin's
    ``settings.X = ...``) as *catalog* names them."""
    return {entry_name(setting.name, [key]) for setting in catalog for key in setting.keys} | \
        set(ignore) | {catalog.setting_named(name) for name in declared}


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
    return f" with default {shown_default(read.default)}" if read.default is not None else \
        " with no default"


def shown_default(code: str) -> str:
    """A read's default as a message or a listing shows it: on one line, cut at
    :data:`SHOWN_WIDTH` characters with ``...`` (the JSON output keeps the whole)."""
    return shortened(code, SHOWN_WIDTH)


def reads_problems(reads: Sequence[SettingRead], catalog: SettingsCatalog,
                   ignore: Iterable[str] = (), declared: Iterable[str] = (),
                   named: Callable[[str], object] = nearby) -> list[Problem]:
    """Settings read that nothing in *catalog* declares (at their first read), and reads
    whose default differs from the declared one or from another read's.  *ignore* names
    settings declared elsewhere (Django's own), *declared* those the code scanned declares
    (:attr:`~opsdocs.settings.code_reads.Reads.declared`); *named* gives the path a message
    names another file by (the CLI's, from the current directory)."""
    keys = _known(catalog, ignore, declared)
    problems: list[Problem] = []
    first: dict[str, SettingRead] = {}
    count: dict[str, int] = {}
    for read in _as_declared(reads, catalog):
        count[read.name] = count.get(read.name, 0) + 1
        setting = catalog.get(read.name)
        if setting is not None:
            value = setting.effective_value or setting.value
            if read.default is not None and value is not None and not setting.secret and \
                    _differ(read.default, value, catalog):
                problems.append(Problem(
                    f"{read.name} is read here with default {shown_default(read.default)}, "
                    f"but it is declared as {shown_default(value)} "
                    f"({named(setting.file)}, line {setting.line}): use "
                    "the same default", read.file, read.line, check="reads-default"))
            continue
        if read.name in keys:
            continue
        earlier = first.setdefault(read.name, read)
        if earlier is not read and read.default is not None and earlier.default is not None \
                and _differ(earlier.default, read.default, catalog):
            problems.append(Problem(
                f"{read.name} is read here with default {shown_default(read.default)}, but "
                f"with {shown_default(earlier.default)} at "
                f"{named(earlier.file)}, line {earlier.line}: use one "
                "default", read.file, read.line, check="reads-default"))
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
                        ignore: Iterable[str] = (), declared: Iterable[str] = ()
                        ) -> list[Setting]:
    """The settings read that *catalog* does not declare (nor *ignore*, nor *declared*, as
    for :func:`reads_problems`), as settings marked not declared: each read is a
    definition (``read``) with its file, line and default."""
    keys = _known(catalog, ignore, declared)
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


def _differ(left: str, right: str, catalog: SettingsCatalog) -> bool:
    """Whether two defaults differ: as values where both are known (:func:`_value`); else
    as code (comments and layout aside), except that a name or attribute whose value is not
    known (a constant of the reading module, another module's setting) is no difference."""
    known = _value(left, catalog), _value(right, catalog)
    if UNKNOWN not in known:
        return bool(known[0] != known[1])
    trees = expression(left), expression(right)
    if any(value is UNKNOWN and _is_name(tree) for value, tree in zip(known, trees, strict=True)):
        return False
    if trees[0] is None or trees[1] is None:
        return " ".join(left.split()) != " ".join(right.split())
    return ast.dump(trees[0]) != ast.dump(trees[1])


def _is_name(tree: ast.expr | None) -> bool:
    """Whether *tree* is a name or a dotted one (``DEFAULT``, ``module.DEFAULT``)."""
    while isinstance(tree, ast.Attribute):
        tree = tree.value
    return isinstance(tree, ast.Name)


def _value(code: str, catalog: SettingsCatalog) -> Any:
    """The value *code* writes: a literal, or a setting of *catalog* whose value is known
    (``PARENTAL_CONSENT_AGE_LIMIT``, declared ``13``); else :data:`UNKNOWN`."""
    seen: set[str] = set()
    text: str | None = code
    while text is not None and (value := literal_value(text)) is UNKNOWN:
        name = text.strip()
        setting = catalog.get(name) if name.isidentifier() and name not in seen else None
        seen.add(name)
        text = None if setting is None or setting.secret else \
            setting.effective_value or setting.value
    return UNKNOWN if text is None else value
