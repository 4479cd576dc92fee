"""Secret values blanked out of source text: the values of secret settings, those of
secret-looking keys inside any setting (``DATABASES = {"default": {"PASSWORD": "x"}}``),
and secrets found by their shape anywhere (a URL's password); :func:`secret_data` is the
same rule for data read from YAML or JSON (an operator's config)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import overload

from opsdocs.code_text import literal
from opsdocs.errors import OpsdocsError
from opsdocs.reading import parse_python, source_lines
from opsdocs.settings.model import Definition
from opsdocs.settings.secrets import looks_secret, without_secret_shapes

#: What stands for a secret's value in a copy of a settings file, and the comment that
#: ends its line.
REDACTED = "..."
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
    keys = _MAY_HOLD_SECRET_KEYS.search(source) is not None
    if not names and not keys:
        return source
    lines = source_lines(source)  # numbered as the ast numbers them
    try:
        tree = parse_python(source, "<settings>")
    except (SyntaxError, ValueError, OpsdocsError):
        return "".join(NOTE.lstrip() + "\n" if any(name in line for name in names) or (
            keys and _MAY_HOLD_SECRET_KEYS.search(line)) else line for line in lines)
    assignments = set()
    spans = set()
    for node in ast.walk(tree):
        found = list(_secret_values(node, names))
        if found and isinstance(node, ast.stmt):
            assignments.add(node.lineno)
        spans.update(found)
        if keys:
            spans.update(_secret_key_values(node))
    for span in reversed(_outermost(sorted(spans))):
        _blank(lines, *span)
    _blank_doc_defaults(lines, assignments)
    _blank_annotation_defaults(lines, names)
    if keys:
        _blank_default_keys(lines)
    return "".join(lines)


#: Text that may hold a secret-looking key (cheap: most values and files hold none); every
#: word of :data:`~opsdocs.settings.model.SECRET_NAME` and ``AUTH``, in any case.
_MAY_HOLD_SECRET_KEYS = re.compile(
    r"(?i)secret|private|pass|token|key|credentials|auth|salt")


def without_secret_keys(code: str | None) -> str | None:
    """*code* (an expression or statement) with the value of each secret-looking key blanked
    out as ``...``: a dict's (``{"PASSWORD": "x"}``), a keyword's of ``dict(...)`` or
    ``.update(...)``, an item assignment's (``X["default"]["PASSWORD"] = "x"``).  A value
    holding no text (``""``, ``None``, a number, code) is no secret and stays.  Code that
    does not parse keeps no line holding a secret-looking word."""
    if code is None:
        return code
    code = without_secret_shapes(code)
    if _MAY_HOLD_SECRET_KEYS.search(code) is None:
        return code
    lines = source_lines(code)
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "".join(REDACTED + "\n" if _MAY_HOLD_SECRET_KEYS.search(line) else line
                       for line in lines).rstrip("\n")
    spans = sorted({span for node in ast.walk(tree) for span in _secret_key_values(node)})
    if not spans:
        return code
    for span in reversed(_outermost(spans)):
        _blank(lines, *span, note="")
    text = "".join(lines)
    return text if code.endswith("\n") else text.rstrip("\n")


#: An inline literal of reStructuredText (````{"PASSWORD": "x"}````).
_INLINE_LITERAL = re.compile(r"``(.+?)``")


@overload
def text_without_secret_keys(text: str) -> str: ...
@overload
def text_without_secret_keys(text: None) -> None: ...
def text_without_secret_keys(text: str | None) -> str | None:
    """A default written as text (a ``:default:`` field, a code-annotations ``*_default``)
    with :func:`without_secret_keys` applied where it is code: the whole text when it is a
    Python expression, else each inline literal that is one.  Prose stays as written."""
    if text is None:
        return text
    text = without_secret_shapes(text)
    if _MAY_HOLD_SECRET_KEYS.search(text) is None:
        return text
    if _is_expression(text):
        return without_secret_keys(text)
    return _INLINE_LITERAL.sub(
        lambda m: f"``{without_secret_keys(m[1])}``" if _is_expression(m[1]) else m[0], text)


def _is_expression(text: str) -> bool:
    try:
        ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def definitions_without_secret_keys(definitions: Iterable[Definition]) -> list[Definition]:
    """*definitions* with :func:`without_secret_keys` applied to their values; the value of
    an item assignment to a secret-looking key (``X["PASSWORD"] = "x"``) blanked whole."""
    result = []
    for definition in definitions:
        value = definition.value
        key = literal(definition.key) if definition.key is not None else None
        if value is not None and key is not None and is_secret_key(key[0], value):
            value = REDACTED
        value = without_secret_keys(value)
        result.append(definition if value == definition.value else
                      replace(definition, value=value))
    return result


def is_secret_key(key: object, value: str | ast.expr) -> bool:
    """Whether a dict key or keyword holds a secret (``PASSWORD``, ``secret_key``): the
    settings' rule, :func:`~opsdocs.settings.secrets.looks_secret`, for its *value*."""
    return isinstance(key, str) and looks_secret(key, value)


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


def _secret_key_values(node: ast.AST) -> Iterator[tuple[int, int, int, int]]:
    """The extent of each value *node* gives a secret-looking key, when it holds text."""
    pairs: list[tuple[object, ast.expr]] = []
    if isinstance(node, ast.Dict):
        pairs = [(key.value, value) for key, value in zip(node.keys, node.values, strict=True)
                 if isinstance(key, ast.Constant)]
    elif isinstance(node, ast.Call):
        pairs = [(keyword.arg, keyword.value) for keyword in node.keywords]
    elif isinstance(node, ast.Assign):
        pairs = [(target.slice.value, node.value) for target in node.targets
                 if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant)]
    for key, value in pairs:
        if is_secret_key(key, value):
            yield _extent(value)


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


def _outermost(spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """*spans* (sorted) without those inside another."""
    result: list[tuple[int, int, int, int]] = []
    for span in spans:
        if result and span[2:] <= result[-1][2:]:
            continue
        result.append(span)
    return result


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
        yield _extent(node.value)  # type: ignore[arg-type]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            named(node.func.value):
        yield from (_extent(argument) for argument in [*node.args, *(k.value for k in node.keywords)])


def _extent(node: ast.expr) -> tuple[int, int, int, int]:
    end_line = node.end_lineno if node.end_lineno is not None else node.lineno
    end_column = node.end_col_offset if node.end_col_offset is not None else node.col_offset
    return (node.lineno, node.col_offset, end_line, end_column)


def _blank(lines: list[str], line: int, column: int, end_line: int, end_column: int,
           note: str = NOTE) -> None:
    """Replace the text between two positions (ast's: 1-based lines, UTF-8 byte columns)
    by :data:`REDACTED`, keeping what follows on the last line and every line break; the
    line ends with *note*."""
    first = lines[line - 1].encode()[:column].decode()
    rest = lines[end_line - 1].encode()[end_column:].decode()
    kept = rest.rstrip("\r\n")
    newline = rest[len(kept):] or "\n"
    note = "" if note in kept else note  # two secrets on one line: one note
    lines[line - 1] = first + REDACTED + kept + note + newline
    for index in range(line, end_line):
        lines[index] = "\n"
