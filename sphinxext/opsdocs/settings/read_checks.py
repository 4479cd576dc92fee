"""Settings read in code against a catalog: the settings read that nothing declares, the
reads whose default differs from the declared one, and the declared settings nothing reads;
where the catalog's ``FEATURES`` is a proxy of the settings (``FeaturesProxy(globals())``),
``FEATURES['X']`` is read as ``X``."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from opsdocs.code_text import entry_name, expression, one_line
from opsdocs.errors import Problem
from opsdocs.settings.code_reads import SettingRead
from opsdocs.settings.effective import UNKNOWN
from opsdocs.settings.literals import catalog_value, same_value
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
    """A read's default as a message or a listing shows it: on one line, cut to
    :data:`SHOWN_WIDTH` characters with ``...`` (the JSON output keeps the whole): after
    a whole item of a list, dict or call, its bracket closed; else (no item fits) between
    words, not inside a name."""
    line = one_line(code)
    if len(line) <= SHOWN_WIDTH:
        return line
    parts = _items(expression(line), line)
    if parts is not None:
        opening, items, closing = parts
        shown = opening
        for item in items:  # an item's text is made only while the width is not reached
            longer = f"{shown}{', ' if shown != opening else ''}{item}"
            if len(longer) + len(", ...") + len(closing) > SHOWN_WIDTH:
                break
            shown = longer
        if shown != opening:
            return f"{shown}, ...{closing}"
    cut = line[: SHOWN_WIDTH - 3]
    end = len(cut)
    while end and (cut[end - 1].isalnum() or cut[end - 1] in "_."):
        end -= 1  # not inside a (dotted) name
    whole = cut[:end]
    return (whole if len(whole) >= SHOWN_WIDTH // 2 else cut).rstrip(" ,") + "..."


def _items(tree: ast.expr | None, line: str) -> tuple[str, Iterator[str], str] | None:
    """The opening, the items' code (made as they are asked for) and the closing of a
    list, tuple, set, dict or call written on *line*."""
    source = line.strip().encode()  # as parsed; offsets count UTF-8 bytes

    def text(node: ast.expr) -> str:
        if node.lineno == node.end_lineno == 1 and node.end_col_offset is not None:
            return source[node.col_offset:node.end_col_offset].decode()
        return ast.unparse(node)

    if isinstance(tree, (ast.List, ast.Set)) or \
            (isinstance(tree, ast.Tuple) and line.startswith("(")):
        brackets = "[]" if isinstance(tree, ast.List) else "{}" if isinstance(tree, ast.Set) \
            else "()"
        return brackets[0], (text(item) for item in tree.elts), brackets[1]
    if isinstance(tree, ast.Dict):
        return "{", (f"{text(key)}: {text(value)}" if key is not None else f"**{text(value)}"
                     for key, value in zip(tree.keys, tree.values, strict=True)), "}"
    if isinstance(tree, ast.Call):
        return f"{text(tree.func)}(", itertools.chain(
            (text(item) for item in tree.args),
            (f"{k.arg}={text(k.value)}" if k.arg else f"**{text(k.value)}"
             for k in tree.keywords)), ")"
    return None


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
    """Whether two defaults differ: as values where both are known
    (:func:`~opsdocs.settings.literals.catalog_value`); else
    as code (comments and layout aside), except that a name or attribute whose value is not
    known (a constant of the reading module, another module's setting) is no difference."""
    trees = expression(left), expression(right)
    if trees[0] is None or trees[1] is None:
        return " ".join(left.split()) != " ".join(right.split())
    return _trees_differ(trees[0], trees[1], catalog)


def _trees_differ(left: ast.expr, right: ast.expr, catalog: SettingsCatalog) -> bool:
    """:func:`_differ` of two parsed defaults, item by item inside lists, tuples, sets
    and dicts: ``[constants.AUDIT]`` is no different from ``['audit']``."""
    known = catalog_value(left, catalog), catalog_value(right, catalog)
    if UNKNOWN not in known:
        return not same_value(*known)
    if any(value is UNKNOWN and _is_name(tree) for value, tree in zip(known, (left, right),
                                                                      strict=True)):
        return False
    pairs = _item_pairs(left, right)
    if pairs is not None:
        return any(_trees_differ(a, b, catalog) for a, b in pairs)
    return ast.dump(left) != ast.dump(right)


def _item_pairs(left: ast.expr, right: ast.expr) -> list[tuple[ast.expr, ast.expr]] | None:
    """The items of two containers of one kind and size, paired (a dict's keys too)."""
    if type(left) is not type(right):
        return None
    lefts, rights = _items_of(left), _items_of(right)
    return list(zip(lefts, rights, strict=True)) \
        if lefts is not None and rights is not None and len(lefts) == len(rights) else None


def _items_of(node: ast.expr) -> list[ast.expr] | None:
    """The items of a list, tuple or set; a dict's keys then values (``None`` with
    ``**``)."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return node.elts
    if isinstance(node, ast.Dict):
        keys = [key for key in node.keys if key is not None]
        return [*keys, *node.values] if len(keys) == len(node.keys) else None
    return None


def _is_name(tree: ast.expr | None) -> bool:
    """Whether *tree* is a name or a dotted one (``DEFAULT``, ``module.DEFAULT``)."""
    while isinstance(tree, ast.Attribute):
        tree = tree.value
    return isinstance(tree, ast.Name)

