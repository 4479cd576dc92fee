"""Checks of a code-annotations block against the code under it: the name it gives, its
fields, the lines code-annotations drops, and the default it documents.

An annotation documents the value its own module gives: a block in
``openedx/envs/common.py`` is checked against that module's value, not against the value a
later module (``lms/envs/common.py``, ``production.py``) makes of it.  A block above a
bare declaration (``X: bool``) is checked against the value the chain gives, and the
message says where that value is.  edx-platform notes each service's own default in the
block's text, ``(Note: set to False by default in the CMS)``: a value read from a module
of that service (a file under ``cms/``) is checked against the note instead.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from opsdocs.code_text import expression, shortened
from opsdocs.errors import Problem
from opsdocs.markup import shorten
from opsdocs.settings.comment_blocks import Annotation, closest_field, normal_name
from opsdocs.settings.effective import UNKNOWN, literal_value
from opsdocs.suggest import did_you_mean

#: A note of a service's own default in an annotation's text.
_SERVICE_NOTE = re.compile(r"set to (.+?) by default in the (\w+)")
#: How much of each value a drift message shows.
_WIDTH = 40
#: How many of the items one side has that the other lacks a message names.
_ITEMS = 3


@dataclass(frozen=True)
class CodeValue:
    """The value an annotation is checked against: its code, and the file and line it is
    in when that is not the annotation's own module."""

    code: str
    file: str | None = None
    line: int | None = None


def name_problem(annotation: Annotation, name: str, file: str) -> Problem | None:
    """The annotation names another setting than the statement under it defines."""
    if normal_name(annotation.name) == normal_name(name):
        return None
    return Problem(
        f"the annotation names {annotation.name}, but the statement under it defines "
        f"{name}: give the annotation the setting's name", file, annotation.line,
        check="annotation-name")


def field_problems(annotation: Annotation, file: str) -> Iterator[Problem]:
    """Unknown fields, and lines code-annotations drops (``# .. text`` among them)."""
    for field_name, line in annotation.unknown:
        yield Problem(
            f"unknown annotation field {field_name}: code-annotations ignores it"
            f"{did_you_mean(closest_field(field_name))}", file, line,
            check="annotation-field")
    for first, last in annotation.dropped:
        lines, are, them = (f"line {first}", "is", "it") if first == last else \
            (f"lines {first}-{last}", "are", "them")
        dotted = [line for line in annotation.dotted if first <= line <= last]
        if dotted:
            written = "starts" if first == last else f"{len(dotted)} of them start"
            how = (f"{written} with '..', which ends the field above; to keep {them}, write "
                   f"{them} as '#   text', indented past the field's '..', not as '# .. text'")
        else:
            how = (f"to keep {them}, indent {them} past the field's '..' ('#   text') or move "
                   f"{them} above the block")
        yield Problem(
            f"{lines} of the annotation of {annotation.name} {are} in no field: "
            f"code-annotations drops {them}, and so does the reference; {how}",
            file, first, check="annotation-text")


def default_problem(name: str, annotation: Annotation, documented: str | None,
                    value: CodeValue | None, file: str, secret: bool) -> Problem | None:
    """The documented default says another value than the code (secret values unshown)."""
    if documented is None or value is None:
        return None
    where, whose = "", "the annotation's default"
    if value.file is not None and value.file != file:
        noted = _service_default(annotation, value.file)
        if noted is not None:
            documented, whose = noted[0], f"the default the annotation notes for the {noted[1]}"
        where = f" in {_relative(value.file, file)}, line {value.line}"
    if same_default(documented, value.code):
        return None
    what = f" differs from the code's{where}" if secret else \
        difference(documented, value.code, where)
    return Problem(
        f"{whose} of {name}{what}: correct the annotation (the reference shows the code's "
        "default)", file, annotation.line, check="annotation-default")


def same_default(documented: str, code: str) -> bool:
    """Whether an annotation's default says what the code says.  Only a documented default
    that is a Python literal can disagree: bare text is the code's string written without
    quotes, or prose ("dict of settings", "every 6 months")."""
    expected = literal_value(documented)
    if expected is UNKNOWN:
        return True
    actual = code_literal(code)
    return actual is UNKNOWN or bool(expected == actual)


def prose_default(documented: str | None, code: str | None) -> str | None:
    """An annotation's default written in words (``every 6 months``, ``dict of
    settings``), not as a literal: the reference shows it beside the code's value.  The
    code itself, and the code's string written without quotes, are not shown again."""
    if documented is None or not documented.strip() or literal_value(documented) is not UNKNOWN:
        return None
    text = " ".join(documented.split())
    if code is not None:
        actual = code_literal(code)
        if (isinstance(actual, str) and actual.strip() == text) or \
                " ".join(code.split()) == text:
            return None
    return text


def code_literal(code: str) -> Any:
    """The literal *code* writes (a translated string says its string), else UNKNOWN."""
    node = expression(code)
    if node is None:
        return UNKNOWN
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id in ("_", "gettext", "gettext_lazy", "ugettext_lazy", "gettext_noop") \
            and len(node.args) == 1:
        node = node.args[0]
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return UNKNOWN


def difference(documented: str, code: str, where: str = "") -> str:
    """``, A differs from the code's B`` (to follow a setting's name), showing where they
    differ: the items one list has and the other lacks, the first key of two dicts whose
    values differ, or both texts from a little before their first difference."""
    expected, actual = literal_value(documented), code_literal(code)
    if _collection(expected) and _collection(actual):
        return _items_difference(expected, actual, where)
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = _dict_difference(expected, actual, where)
        if found is not None:
            return found
    left, right = _windows(" ".join(documented.split()), shortened(code, 10_000))
    return f", {left} differs from the code's {right}{where}"


def _collection(value: Any) -> bool:
    return isinstance(value, (list, tuple, set, frozenset))


def _items_difference(expected: Any, actual: Any, where: str) -> str:
    missing = [item for item in actual if item not in expected]
    extra = [item for item in expected if item not in actual]
    counts = f" lists {_count(expected)}, the code's {len(actual)}{where}"
    parts = []
    if missing:
        parts.append(f"the code also has {_some(missing)}")
    if extra:
        parts.append(f"the code lacks {_some(extra)}")
    if not parts:
        parts.append("the same items in another order" if len(expected) == len(actual)
                     else "the same items, some repeated")
    return f"{counts} ({'; '.join(parts)})"


def _dict_difference(expected: dict[Any, Any], actual: dict[Any, Any],
                     where: str) -> str | None:
    for key, value in expected.items():
        if key not in actual:
            return f" has key {_short(key)}, which the code's has not{where}"
        if value != actual[key]:
            return (f" gives key {_short(key)} {_short(value)}, the code's "
                    f"{_short(actual[key])}{where}")
    extra = [key for key in actual if key not in expected]
    if extra:
        return f" lacks key{'s' if len(extra) > 1 else ''} {_some(extra)} of the code's{where}"
    return None


def _count(items: Any) -> str:
    return f"{len(items)} item{'s' if len(items) != 1 else ''}"


def _some(items: list[Any]) -> str:
    if len(items) <= _ITEMS + 1:
        return ", ".join(_short(item) for item in items)
    shown = ", ".join(_short(item) for item in items[:_ITEMS])
    return f"{shown} and {len(items) - _ITEMS} more"


def _short(value: Any) -> str:
    return shorten(repr(value), _WIDTH)


def _windows(left: str, right: str) -> tuple[str, str]:
    """Both texts cut to a width from a little before their first difference."""
    if len(left) <= _WIDTH and len(right) <= _WIDTH:
        return left, right
    common = next((i for i, (a, b) in enumerate(zip(left, right, strict=False)) if a != b),
                  min(len(left), len(right)))
    start = max(0, min(common - 10, len(left), len(right)))

    def window(text: str) -> str:
        head = "..." if start else ""
        piece = text[start:start + _WIDTH]
        return head + piece + ("..." if start + _WIDTH < len(text) else "")

    return window(left), window(right)


def _service_default(annotation: Annotation, file: str) -> tuple[str, str] | None:
    """The default the annotation's text notes for the service *file* belongs to, and
    the service as written."""
    parts = {part.lower() for part in re.split(r"[\\/]", file)}
    aliases = {"studio": "cms"}
    for _, text in annotation.fields:
        for value, service in _SERVICE_NOTE.findall(text):
            if aliases.get(service.lower(), service.lower()) in parts:
                return str(value), str(service)
    return None


def _relative(file: str, base: str) -> str:
    """*file* as a path from the directory both it and *base* are under."""
    try:
        root = os.path.commonpath([os.path.abspath(file), os.path.abspath(base)])
        return os.path.relpath(os.path.abspath(file), root) if root != os.sep else file
    except ValueError:
        return file
