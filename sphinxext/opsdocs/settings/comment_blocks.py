"""Comment blocks of a settings module: code-annotations blocks, plain comments, banners.

A comment block is a run of lines holding only a comment; a blank line ends it.  A block
documents the statement (or the key of a dict literal) that starts on the line right
below it.  Lines inside string literals are never comments: the module's tree says where
its multi-line strings are.

code-annotations blocks (``# .. setting_name: X``, ``# .. toggle_name: X``) are read as
code-annotations 2.3.2 reads them, with one difference, on the side of keeping the
author's text: a line indented less than three spaces continues the field above it.  A
wrapped sentence written ``# .. settings page.`` ends the field, as there: the reader
warns about it (:attr:`Annotation.dotted`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from opsdocs.settings.model import SETTING_FIELDS, TOGGLE_FIELDS
from opsdocs.suggest import closest_name

#: A field line of an annotation block, once ``#`` is stripped: ``.. toggle_name: X``.
_FIELD = re.compile(r"(\s*)\.\. ([a-z][a-z_]*):(?:\s(.*)|$)")
KNOWN_FIELDS = frozenset((*SETTING_FIELDS, *TOGGLE_FIELDS))
#: Comments that are instructions to tools, not prose.
_PRAGMA = re.compile(r"\s*(?:noqa\b|pylint\s*:|type\s*:|TODO\b|FIXME\b|XXX\b|fmt\s*:|isort\s*:|"
                     r"mypy\s*:|pragma\b|lint-amnesty\b|nosec\b|flake8\b)", re.IGNORECASE)
_RULE_CHARACTERS = frozenset("-=#*~_+")


@dataclass
class CommentBlock:
    """Consecutive comment lines: ``texts`` after the ``#``, ``first``/``last`` lines."""

    first: int
    last: int
    texts: list[str]
    column: int


@dataclass
class Annotation:
    """A code-annotations block: its fields as written (the name first), in order, and
    the line each starts on (``field_lines``, one per field)."""

    line: int
    fields: list[tuple[str, str]]
    unknown: list[tuple[str, int]] = field(default_factory=list)
    #: ``(first, last)`` lines of each run of lines in no field (code-annotations drops
    #: them), but ``## notes`` to developers
    dropped: list[tuple[int, int]] = field(default_factory=list)
    #: lines of those runs written ``# .. text``: a follow-on line that names no field
    dotted: list[int] = field(default_factory=list)
    field_lines: list[tuple[str, int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.fields[0][1]

    @property
    def toggle(self) -> bool:
        """A toggle's block: named by ``toggle_name``, or by ``setting_name`` with only
        toggle fields besides (credentials names its event bus toggles so)."""
        others = {name.split("_", 1)[0] for name, _ in self.fields[1:]}
        return self.fields[0][0] == "toggle_name" or others == {"toggle"}

    def get(self, name: str) -> str | None:
        """The field *name* of this block's kind (:func:`kind_field`)."""
        return kind_field(self.fields, self.toggle, name)


def kind_field(fields: Iterable[tuple[str, str]], toggle: bool, name: str) -> str | None:
    """The field *name* of a block of *fields*, by its kind: ``default`` is
    ``toggle_default`` on a *toggle*, ``setting_default`` on a setting."""
    wanted = ("toggle_" if toggle else "setting_") + name
    return next((v for k, v in fields if k == wanted), None)


def normal_name(name: str) -> str:
    """A name as compared with the setting's: white space and quotes aside, and
    ``settings.X`` is ``X`` (edx-platform names its flattened feature flags so)."""
    name = "".join(name.split()).replace('"', "'")
    return name.removeprefix("settings.")


class Blocks:
    """The comment blocks of one module, by the line each one ends on."""

    def __init__(self, lines: list[str], tree: ast.Module) -> None:
        self.lines = lines
        self.by_end: dict[int, CommentBlock] = {}
        self._annotations: dict[tuple[int, int], Annotation | None] = {}
        inside = _string_lines(lines, tree)
        current: CommentBlock | None = None
        for number, raw in enumerate(lines, 1):
            stripped = raw.lstrip(" \t\f")
            if not stripped.startswith("#") or number in inside:
                current = None
                continue
            text = stripped[1:].rstrip("\r\n")
            if current is not None and current.last == number - 1:
                current.texts.append(text)
                current.last = number
                del self.by_end[number - 1]
            else:
                current = CommentBlock(number, number, [text], len(raw) - len(stripped))
            self.by_end[number] = current

    def above(self, line: int) -> CommentBlock | None:
        """The block that ends right above *line*."""
        return self.by_end.get(line - 1)

    def above_blank_lines(self, line: int) -> CommentBlock | None:
        """The block above *line* with only blank lines between them (at least one)."""
        index = line - 2
        while index >= 0 and not self.lines[index].strip():
            index -= 1
        return self.by_end.get(index + 1) if index < line - 2 else None

    def annotation(self, block: CommentBlock) -> Annotation | None:
        """*block* read as a code-annotations block, or ``None`` when it is not one."""
        # by first and last line: part of a block (one toggle's of several) is read too
        key = (block.first, block.last)
        if key not in self._annotations:
            self._annotations[key] = _read_annotation(block)
        return self._annotations[key]

    def annotation_above(self, line: int) -> Annotation | None:
        block = self.above(line)
        return self.annotation(block) if block is not None else None

    def doc_comment_above(self, line: int) -> tuple[str, int] | None:
        """``#:`` lines right above *line* (a key of a dict literal), and their first line."""
        block = self.above(line)
        if block is None:
            return None
        texts: list[str] = []
        for text in reversed(block.texts):
            if not text.startswith(":"):
                break
            texts.append(text[2:] if text.startswith(": ") else text[1:])
        if not texts:
            return None
        return "\n".join(reversed(texts)), block.last - len(texts) + 1

    def documents(self, line: int) -> bool:
        """Whether a block right above *line* documents it: an annotation or ``#:`` lines."""
        return self.annotation_above(line) is not None or self.doc_comment_above(line) is not None

    def all_annotations(self) -> Iterator[tuple[CommentBlock, Annotation]]:
        for block in self.by_end.values():
            annotation = self.annotation(block)
            if annotation is not None:
                yield block, annotation

    def plain_comment_above(self, line: int) -> tuple[str, int] | None:
        """The prose of a plain ``#`` block right above *line*, and its first line: no
        pragmas, banners, annotation fields or ``#:`` lines."""
        block = self.above(line)
        if block is None or self.annotation(block) is not None:
            return None
        texts = []
        for text in block.texts:
            if text.startswith(":") or _PRAGMA.match(text) or is_rule(text) or \
                    banner_title("#" + text) is not None:
                continue
            texts.append(text[1:] if text.startswith(" ") else text)
        prose = _dedent(texts)
        return (prose, block.first) if prose else None


def _dedent(texts: list[str]) -> str:
    indents = [len(t) - len(t.lstrip()) for t in texts if t.strip()]
    cut = min(indents, default=0)
    return "\n".join(t[cut:].rstrip() for t in texts).strip("\n")


def _string_lines(lines: list[str], tree: ast.Module) -> set[int]:
    """Lines inside multi-line string literals, where a ``#`` starts no comment.

    Only statements that span a line starting with ``#`` are looked into.
    """
    candidates = {number for number, raw in enumerate(lines, 1)
                  if raw.lstrip(" \t\f").startswith("#")}
    inside: set[int] = set()
    if not candidates:
        return inside
    for statement in _statements(tree.body):
        start = getattr(statement, "lineno", 0)
        end = getattr(statement, "end_lineno", None) or start
        if end == start or not any(n in candidates for n in range(start + 1, end + 1)):
            continue
        for node in ast.walk(statement):
            if isinstance(node, (ast.Constant, ast.JoinedStr)) and \
                    (node.end_lineno or node.lineno) > node.lineno:
                inside.update(range(node.lineno + 1, (node.end_lineno or node.lineno) + 1))
    return inside


def _statements(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Statements, those inside compound statements rather than the compound ones (and
    the expressions in their headers)."""
    for statement in body:
        inner = [getattr(statement, name, None) for name in ("body", "orelse", "finalbody")]
        bodies = [b for b in inner if isinstance(b, list) and b]
        handlers = getattr(statement, "handlers", None) or getattr(statement, "cases", None)
        if not bodies:
            yield statement
            continue
        for child in bodies:
            yield from _statements(child)
        for handler in handlers or ():
            yield from _statements(handler.body)
        # the header of the compound statement (an ``if`` test over several lines)
        yield from (n for n in ast.iter_child_nodes(statement) if isinstance(n, ast.expr))


# -- code-annotations ---------------------------------------------------------------------


def _read_annotation(block: CommentBlock) -> Annotation | None:
    fields: list[tuple[str, list[str], int]] = []
    unknown: list[tuple[str, int]] = []
    dropped: list[tuple[int, int]] = []
    dotted: list[int] = []
    indent = 0
    for offset, text in enumerate(block.texts):
        line = block.first + offset
        match = _FIELD.match(text)
        if match and (match.group(2) in KNOWN_FIELDS or match.group(2).startswith(
                ("setting_", "toggle_"))):
            name = match.group(2)
            if name not in KNOWN_FIELDS:
                unknown.append((name, line))
            indent = len(match.group(1))
            fields.append((name, [(match.group(3) or "").strip()], line))
            continue
        if not fields:
            continue  # prose above the first field is no part of any field
        stripped = text.strip()
        # ``#   text`` continues the field; ``# .. text`` does not (code-annotations ends
        # the field there too, so the reference shows what it shows)
        continues = text.startswith(" " * (indent + 1)) and stripped and \
            not text.startswith("#")
        parts = fields[-1][1]
        # a ``## note`` is the author's word to developers, dropped on purpose
        if stripped and not text.startswith("#") and ("\0" in parts or not continues):
            if dropped and dropped[-1][1] == line - 1:
                dropped[-1] = (dropped[-1][0], line)
            else:
                dropped.append((line, line))
            if stripped.startswith(".."):
                dotted.append(line)
        if continues:
            parts.append(text)
        elif not stripped:
            parts.append("")
        else:
            parts.append("\0")  # ends the field: later lines are not part of it
    names = [(n, v, line) for n, v, line in fields if n in ("setting_name", "toggle_name")]
    if not names:
        return None
    first = fields.index(names[0]) if names[0] in fields else 0
    read = [(name, _field_text(name, parts)) for name, parts, _ in fields[first:]]
    return Annotation(names[0][2], read, unknown, dropped, dotted,
                      [(name, line) for name, _, line in fields[first:]])


def _field_text(name: str, parts: list[str]) -> str:
    if "\0" in parts:
        parts = parts[: parts.index("\0")]
    while parts and not parts[-1].strip():
        parts.pop()
    if name.endswith("_name"):
        return "".join("".join(parts).split())  # a name wrapped over two lines
    if name.endswith("_default") and len(parts) > 1:
        return _dedent(parts).strip()  # a multi-line value keeps its lines
    return " ".join(" ".join(p.split()) for p in parts if p.strip())


def closest_field(name: str) -> str | None:
    """The annotation field most like the unknown field *name*, if any is near."""
    # a lower cutoff: a field is often misnamed by its prefix (setting_use_cases)
    return closest_name(name, sorted(KNOWN_FIELDS), cutoff=0.6)


# -- Banners ------------------------------------------------------------------------------


def is_rule(text: str) -> bool:
    """A comment that is only a rule (``####``, ``# -----``), after its first ``#``."""
    stripped = text.strip()
    return bool(stripped) and set(stripped) <= _RULE_CHARACTERS and len(stripped) >= 2


def banner_title(line: str) -> str | None:
    """The title of a banner line (``#### Title ####``, ``### Title``, ``# --- Title ---``,
    ``#####Title####``), or ``None``.  Linear: no regular expression backtracks here."""
    if not line.startswith("#"):
        return None
    text = line.rstrip()
    hashes = len(text) - len(text.lstrip("#"))
    rest = text[hashes:].strip()
    if hashes >= 3:
        title = rest.rstrip("#").strip()
        return title if title and not is_rule(title) else None
    if rest[:3] in ("---", "===", "***", "~~~"):
        mark = rest[0]
        title = rest.strip(mark).strip()
        if title and rest.endswith(mark * 3) and not is_rule(title):
            return title
        if title and not is_rule(title) and len(rest) - len(rest.lstrip(mark)) >= 3:
            return title
    return None


def section_titles(lines: list[str]) -> list[tuple[int, str]]:
    """Section headings at the module's top level, with their lines.

    A banner line is one (:func:`banner_title`); so is a ``# Title`` line boxed by a rule
    line above or below it (``####``/``# CORE #``/``####``).  A rule alone is none.
    """
    titles: list[tuple[int, str]] = []
    for index, raw in enumerate(lines):
        if not raw.startswith("#") or raw.startswith("#:"):
            continue
        title = banner_title(raw)
        if title is not None:
            titles.append((index + 1, title))
            continue
        text = raw[1:].strip()
        if not text or is_rule(text):
            continue
        above = lines[index - 1] if index else ""
        below = lines[index + 1] if index + 1 < len(lines) else ""
        if any(n.startswith("#") and is_rule(n[1:]) for n in (above, below)):
            title = text.rstrip("#").strip()
            if title:
                titles.append((index + 1, title))
    return titles
