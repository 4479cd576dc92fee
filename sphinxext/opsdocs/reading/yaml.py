"""YAML composed safely and bounded, its values constructed with located errors.

:func:`compose_yaml` builds the node graph (nothing constructed) and refuses a document
nested too deeply or expanding to too many values (aliases followed) as one message at
the file, never a ``RecursionError``; :func:`construct` builds a value as
:func:`yaml.safe_load` would, naming the innermost value at fault.  :func:`yaml_problem`
is the one way a YAML error becomes a message: it never quotes the file, since the line
may hold a password.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import yaml

from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading.files import escaped_surrogate, source_lines
from opsdocs.reading.kinds import MAX_DEPTH, MAX_YAML_VALUES, FileKind, nested_too_deeply

#: libyaml's safe loader when PyYAML has it (ten times faster), else the pure-Python one.
FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
#: The tags of YAML's own types, shown by name in messages; any other is not shown.
STANDARD_TAGS = frozenset(f"{_TAG}{name}" for name in (
    "str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "set",
    "omap", "pairs", "merge", "value",
))
#: The tags of plain data, as in JSON: what a file validated against a JSON Schema (the
#: commands file) may hold.  Sets, ordered maps, pairs and ``<<`` merges are YAML's alone,
#: and such a validator expands no merge.
DATA_TAGS = STANDARD_TAGS - {f"{_TAG}{name}" for name in ("set", "omap", "pairs", "merge",
                                                            "value")}


class _DepthLimitedLoader(yaml.SafeLoader):
    """The pure-Python safe loader, refusing to compose deeper than :data:`MAX_DEPTH`
    (it would recurse until a ``RecursionError``)."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:
                raise _TooDeep(self.peek_event().start_mark.line + 1)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)  # type: ignore[no-untyped-call]
        finally:
            self.depth -= 1


class _TooDeep(Exception):
    def __init__(self, line: int | None) -> None:
        self.line = line


def compose_yaml(text: str, filename: str, kind: FileKind, advice: str,
                 loader: Any = None) -> yaml.Node | None:
    """The YAML node graph of *text* (safe: nothing is constructed); ``None`` when empty.

    Composed with libyaml when available (or *loader*); a file it refuses is composed
    again by the pure-Python loader, so that messages are the same everywhere.  A
    document nested more than :data:`MAX_DEPTH` levels, aliases followed, or holding
    more than :data:`MAX_YAML_VALUES` values is refused.  *advice* ends a syntax error's
    message.
    """
    try:
        root = yaml.compose(text, Loader=loader or FAST_LOADER)
    except (yaml.YAMLError, RecursionError):
        root = _compose_slowly(text, filename, kind, advice)
    if root is not None:
        check_yaml_size(root, filename, kind)
    return root  # type: ignore[no-any-return]


def _compose_slowly(text: str, filename: str, kind: FileKind, advice: str) -> Any:
    try:
        return yaml.compose(text, Loader=_DepthLimitedLoader)
    except _TooDeep as error:
        kind.fail(nested_too_deeply(kind), filename, error.line)
    except yaml.YAMLError as error:
        raise OpsdocsError(yaml_problem(error, filename, kind, advice, text)) from None


#: A UTF-16 surrogate: only ``\\u`` escapes make one, and no file can be written with it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_yaml_size(root: yaml.Node, filename: str, kind: FileKind) -> None:
    """Refuse a node graph deeper than :data:`MAX_DEPTH` or with more than
    :data:`MAX_YAML_VALUES` values, each alias counted where it is used (but for an alias
    inside the collection it names), or holding an escaped surrogate (YAML has no pairs
    of them, and JSON may leave one alone).

    Linear in the distinct nodes: each one's depth and size are computed once.
    """
    seen: set[int] = set()
    level, depth_reached, shared = [root], 0, False
    while level:  # level by level: without aliases, that is all it takes
        depth_reached += 1
        if depth_reached > MAX_DEPTH + 1:
            kind.fail(nested_too_deeply(kind), filename, level[0].start_mark.line + 1)
        below: list[yaml.Node] = []
        for node in level:
            if id(node) in seen:
                shared = True
                continue
            seen.add(id(node))
            if isinstance(node, yaml.MappingNode):
                for pair in node.value:
                    below.extend(pair)
            elif isinstance(node, yaml.SequenceNode):
                below.extend(node.value)
            elif not node.value.isascii() and _SURROGATE.search(node.value):
                kind.fail(escaped_surrogate(kind), filename, node.start_mark.line + 1)
        level = below
    if shared:
        _check_expanded_size(root, filename, kind)


def _check_expanded_size(root: yaml.Node, filename: str, kind: FileKind) -> None:
    """:func:`check_yaml_size` of a graph with aliases: each node's depth and size, aliases
    expanded, from its members'."""
    depth: dict[int, int] = {}
    size: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = yaml_children(node)
        if done:
            open_nodes.discard(key)
            # An alias inside the collection it names counts once: readers that walk
            # the graph keep track of where they are, and constructing it makes a loop.
            depth[key] = 1 + max((depth.get(id(c), 0) for c in children), default=0)
            size[key] = 1 + sum(size.get(id(c), 1) for c in children)
            if depth[key] > MAX_DEPTH + 1:
                kind.fail(nested_too_deeply(kind), filename, node.start_mark.line + 1)
            continue
        if key in depth or key in open_nodes:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in depth)
    if size[id(root)] > MAX_YAML_VALUES:
        kind.fail(f"the {kind.name} expands to more than {MAX_YAML_VALUES:,} values (through "
                  "aliases, *name, or '<<' merges?): opsdocs stops reading it so that a crafted "
                  "file cannot exhaust memory", filename, check=kind.too_large)


def yaml_children(node: yaml.Node) -> list[yaml.Node]:
    """The nodes a YAML node holds: items, or keys and values."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
#: What PyYAML quotes that is YAML's own syntax, not the file's text: kept in messages.
_SYNTAX = re.compile(r"'(?:<[a-z ]+>|[,\[\]{}:?-]|\\t)'")
_KEY = re.compile(r"\s*(?:-\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*:(?:\s|$)")
#: What to do when a value starts with a character YAML reads as syntax.
_HINTS = (
    ("alias", "a value starting with '*' is an alias in YAML: put the value in quotes"),
    ("tag", "a value starting with '!' is a tag in YAML: put the value in quotes"),
    ("'\\t'", "indent with spaces: YAML allows no tab there"),
    ("found character that cannot start any token",
     "a value starting with '@', '`' or '%' must be in quotes"),
)


def yaml_problem(error: yaml.YAMLError, filename: str, kind: FileKind, advice: str = "",
                 text: str | None = None) -> Problem:
    """The message of a YAML error, located, naming the key of its line when *text* shows
    one, and never quoting the file: what PyYAML quotes may be part of a password."""
    if isinstance(error, yaml.reader.ReaderError):
        position = int(error.position)
        line = text.count("\n", 0, position) + 1 if text is not None else None
        message = f"character {_character(error.character)} is not allowed in YAML; remove it"
        return kind.problem(f"YAML syntax error: {message}", filename, line)
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    parts: list[str] = []
    context, context_mark = getattr(error, "context", None), getattr(error, "context_mark", None)
    if context:
        started = (f" started on line {context_mark.line + 1}" if context_mark and mark and
                   context_mark.line != mark.line else "")
        parts.append(_unquoted(str(context)) + started)
    if getattr(error, "problem", None):
        parts.append(_unquoted(str(error.problem)))  # type: ignore[attr-defined]
    what = "; ".join(part for part in parts if part) or type(error).__name__
    hints = [hint for word, hint in _HINTS if word in what]
    key = _key_at(text, line)
    where = f" on the line of {key}" if key else ""
    column = f", column {mark.column + 1}" if mark is not None else ""
    tail = "; ".join([*hints, *([advice] if advice else [])])
    return kind.problem(f"YAML syntax error{where}{column}: {what}{'; ' + tail if tail else ''}",
                        filename, line)


def _unquoted(text: str) -> str:
    """PyYAML's text without what it quotes (an alias, a tag, a character of the file)."""
    kept = _QUOTED.sub(lambda match: match.group() if _SYNTAX.fullmatch(match.group()) else "",
                       text)
    return " ".join(kept.split()).replace(" ;", ";").rstrip(":, ")


def _key_at(text: str | None, line: int | None) -> str | None:
    if text is None or line is None:
        return None
    lines = source_lines(text)
    if not 0 < line <= len(lines):
        return None
    match = _KEY.match(lines[line - 1])
    return match.group(1) if match else None


def _character(character: str | int) -> str:
    code = character if isinstance(character, int) else ord(character)
    return f"U+{code:04X}"


def describe_tag(tag: str) -> str:
    """A YAML tag for a message: YAML's own by name (``!!int``), any other unnamed (a local
    tag is how YAML reads an unquoted value that starts with ``!``)."""
    if tag in STANDARD_TAGS:
        return "!!" + tag.removeprefix(_TAG)
    if tag.startswith(f"{_TAG}python/"):
        return "a !!python/ tag"
    return "a custom tag (or a value starting with '!' without quotes)"


#: Tags of keys that :meth:`~yaml.constructor.SafeConstructor.flatten_mapping` resolves.
_KEY_TAGS = frozenset({f"{_TAG}merge", f"{_TAG}value"})


class BadValue(ValueError):
    """A YAML value that cannot be constructed: ``message`` says why without quoting it,
    ``line`` is where (the innermost value at fault)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


#: What PyYAML's constructors raise for a value they cannot build (``!!bool maybe`` is a
#: KeyError, a ``!!timestamp`` that is no date an AttributeError).
_CONSTRUCTION_ERRORS = (yaml.YAMLError, ValueError, KeyError, TypeError, OverflowError,
                        AttributeError)
_COLLECTION_TAGS = {f"{_TAG}{name}" for name in ("map", "seq", "set", "omap", "pairs")}
#: The tags that fit each kind of node.
_FITTING_TAGS = {
    yaml.ScalarNode: STANDARD_TAGS - _COLLECTION_TAGS,
    yaml.MappingNode: {f"{_TAG}map", f"{_TAG}set"},
    yaml.SequenceNode: {f"{_TAG}seq", f"{_TAG}omap", f"{_TAG}pairs"},
}

#: Why a scalar of each of YAML's own types cannot be constructed, and what to do.
_UNREADABLE = {
    "int": "is not a whole number YAML can read (at most 4,300 digits): write one",
    "float": "is not a number YAML can read: write one",
    "bool": "is not a boolean: write true or false",
    "timestamp": "is not a real date or time: write one as YYYY-MM-DD or "
                 "YYYY-MM-DD HH:MM:SS",
    "binary": "is not base64 data: write base64",
}


def construct(node: yaml.Node, constructor: Any = None) -> Any:
    """*node* as :func:`yaml.safe_load` makes it (after :func:`compose_yaml`).

    Raises :class:`BadValue` naming the innermost value at fault and why: a tag that
    ``safe_load`` refuses, an ``!!int`` that is no number, a 13th month ...
    """
    constructor = constructor or yaml.SafeLoader("")
    try:
        return constructor.construct_object(node, deep=True)
    except _CONSTRUCTION_ERRORS as error:
        culprit = _first_bad(node) or node
        raise BadValue(_why_unreadable(culprit, error), culprit.start_mark.line + 1) from None


def _first_bad(root: yaml.Node) -> yaml.Node | None:
    """The first node under *root* that :func:`value_problem` finds fault with."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if value_problem(node) is not None:
            return node
        stack.extend(reversed(yaml_children(node)))
    return None


def value_problem(node: yaml.Node) -> str | None:
    """Why :func:`yaml.safe_load` cannot construct *node* itself (its members aside):
    what is wrong and what to do, never the value; ``None`` when it can."""
    if node.tag in _KEY_TAGS:
        return None
    if node.tag not in STANDARD_TAGS:
        return (f"has {describe_tag(node.tag)}, which yaml.safe_load does not read: remove the "
                "tag, or put the value in quotes to make it a string")
    if node.tag not in _FITTING_TAGS[type(node)]:
        return f"is tagged {describe_tag(node.tag)}, which does not fit its form: remove the tag"
    if isinstance(node, yaml.ScalarNode) and node.tag != f"{_TAG}str" and \
            not _constructs(node):
        reason = _UNREADABLE.get(node.tag.removeprefix(_TAG), "cannot be read")
        return f"{reason}, or put the value in quotes to make it a string"
    return None


_LOADERS = threading.local()


def _constructs(node: yaml.ScalarNode) -> bool:
    """Whether the scalar *node* can be constructed.  One loader per thread: making one
    costs twice what constructing a scalar does, and a config check asks for each value."""
    loader = getattr(_LOADERS, "loader", None)
    if loader is None:
        loader = _LOADERS.loader = yaml.SafeLoader("")
    try:
        loader.construct_object(node, deep=True)
    except _CONSTRUCTION_ERRORS:
        return False
    finally:  # forget the node: a failed construction leaves it in recursive_objects
        loader.constructed_objects.clear()
        loader.recursive_objects.clear()
    return True


def _why_unreadable(node: yaml.Node, error: Exception) -> str:
    reason = value_problem(node)
    if reason is not None:
        return reason
    problem = _unquoted(str(getattr(error, "problem", "") or type(error).__name__))
    return f"cannot be read: {problem}"
