"""Secret values blanked out of source text: the values of secret settings, those of
secret-looking keys inside any setting (``DATABASES = {"default": {"PASSWORD": "x"}}``),
and secrets found by their shape anywhere (a URL's password); :func:`secret_data` is the
same rule for data read from YAML or JSON (an operator's config)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

from opsdocs.errors import OpsdocsError
from opsdocs.reading import parse_python, source_lines
from opsdocs.settings.secrets import (
    MAY_HOLD_SECRET_KEYS,
    REDACTED,
    blank,
    extent,
    looks_secret,
    outermost,
    secret_key_values,
    text_without_secret_keys,
    without_secret_shapes,
)

#: The comment that ends the line of a secret's value (:data:`REDACTED`) in a copy of a
#: settings file.
NOTE = "  # secret: not shown"


#: A ``:default:`` field of a ``#:`` comment, and a code-annotations field.
_DOC_DEFAULT = re.compile(r"^(\s*#:\s*:default:)")
_FIELD = re.compile(r"^(\s*#\s*\.\.\s+(\w+):)\s?(.*?)\s*$")
_CONTINUED = re.compile(r"^\s*#(?![:.])")


def redact(source: str, secrets: Iterable[str]) -> str:
    """*source* with every value of a setting in *secrets* blanked out.  Lines keep their
    numbers.

    The value of every assignment to a secret, anywhere in the module (``X = ...``,
    ``X: str = ...``, ``X += ...``, ``X["key"] = ...``, ``X.update(...)``, ``(X :=
    ...)``) becomes :data:`REDACTED`, its line ending with :data:`NOTE`; so do the
    ``:default:`` field of the ``#:`` comment above such an assignment and the
    ``*_default`` field of a code-annotations block naming a secret.  Source that does not
    parse keeps no line that names a secret.
    """
    names = set(secrets)
    source = without_secret_shapes(source)
    keys = MAY_HOLD_SECRET_KEYS.search(source) is not None
    if not names and not keys:
        return source
    lines = source_lines(source)  # numbered as the ast numbers them
    try:
        tree = parse_python(source, "<settings>")
    except (SyntaxError, ValueError, OpsdocsError):
        return "".join(NOTE.lstrip() + "\n" if any(name in line for name in names) or (
            keys and MAY_HOLD_SECRET_KEYS.search(line)) else line for line in lines)
    assignments = set()
    spans = set()
    for node in ast.walk(tree):
        found = list(_secret_values(node, names))
        if found and isinstance(node, ast.stmt):
            assignments.add(node.lineno)
        spans.update(found)
        if keys:
            spans.update(secret_key_values(node))
    for span in reversed(outermost(sorted(spans))):
        blank(lines, *span, note=NOTE)
    _blank_doc_defaults(lines, assignments)
    _blank_annotation_defaults(lines, names)
    if keys:
        _blank_default_keys(lines)
    return "".join(lines)


def secret_data(name: str, value: object) -> bool:
    """:func:`~opsdocs.settings.secrets.looks_secret` for data (YAML, JSON): whether the
    value of the key *name* is kept out of every output."""
    return looks_secret(name, _as_code(value))


def _as_code(value: object) -> str:
    """Data as the Python literal that writes it (what the secret rule reads)."""
    if isinstance(value, (str, bytes, int, float, bool, type(None))):
        return repr(value)
    if isinstance(value, (list, tuple, set)):
        return "[" + ", ".join(_as_code(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_as_code(k)}: {_as_code(v)}" for k, v in value.items()) + "}"
    return "None"  # a date, a time: no text


def _blank_doc_defaults(lines: list[str], assignments: Iterable[int]) -> None:
    """The ``:default:`` field in the ``#:`` comment right above each line of *assignments*."""
    for line in assignments:
        index = line - 2
        while index >= 0 and lines[index].lstrip().startswith("#:"):
            field = _DOC_DEFAULT.match(lines[index])
            if field:
                lines[index] = f"{field[1]} {REDACTED}{NOTE}\n"
            index -= 1


def _blank_annotation_defaults(lines: list[str], names: set[str]) -> None:
    """The ``*_default`` fields (and their continuation lines) of the code-annotations
    blocks that name a secret (``# .. setting_name: X``)."""
    current: str | None = None
    blanking = False
    for index, line in enumerate(lines):
        field = _FIELD.match(line)
        if field is not None:
            if field[2] in ("setting_name", "toggle_name"):
                current = field[3]
            blanking = current in names and field[2].endswith("_default")
            if blanking:
                lines[index] = f"{field[1]} {REDACTED}{NOTE}\n"
        elif blanking and _CONTINUED.match(line) and line.strip() != "#":
            lines[index] = line[:line.index("#") + 1] + "\n"
        elif not line.lstrip().startswith("#"):
            current, blanking = None, False


def _blank_default_keys(lines: list[str]) -> None:
    """The values of secret-looking keys in every ``:default:`` and ``*_default`` field."""
    for index, line in enumerate(lines):
        start = _default_field(line)
        text = line[len(start):].strip() if start is not None else None
        shown = text_without_secret_keys(text)
        if shown != text:
            lines[index] = f"{start} {shown}\n"


def _default_field(line: str) -> str | None:
    """The start of the line's ``:default:`` or ``*_default`` field, if it holds one."""
    field = _DOC_DEFAULT.match(line)
    if field is not None:
        return field[1]
    field = _FIELD.match(line)
    return field[1] if field is not None and field[2].endswith("_default") else None


def _secret_values(node: ast.AST, names: set[str]) -> Iterator[tuple[int, int, int, int]]:
    """The extent (line, column, end line, end column) of each value *node* gives a secret."""
    def named(target: ast.AST) -> bool:
        while isinstance(target, (ast.Subscript, ast.Attribute, ast.Starred)):
            target = target.value
        if isinstance(target, (ast.Tuple, ast.List)):
            return any(named(element) for element in target.elts)
        return isinstance(target, ast.Name) and target.id in names

    if (isinstance(node, ast.Assign) and any(named(t) for t in node.targets)) or \
            (isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr))
             and named(node.target) and node.value is not None):
        yield extent(node.value)  # type: ignore[arg-type]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            named(node.func.value):
        yield from (extent(argument) for argument in [*node.args, *(k.value for k in node.keywords)])
