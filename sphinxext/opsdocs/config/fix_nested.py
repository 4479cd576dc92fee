"""``--fix`` inside dict settings: a key that is a top-level setting now moved to the top
level, with the comments above it; a removed or unknown key commented out in place.

Done on the lines themselves, as the commenting out of top-level keys is, so every other
line stays as it was; secret-looking keys (at any depth) never have their value copied
into a comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import yaml

from opsdocs.errors import OpsdocsError, Problem
from opsdocs.settings.redact import secret_data
from opsdocs.settings.secrets import REDACTED

#: What stands for a secret's value in a commented-out copy.
NOT_COPIED = "...  (secret: the value is not copied here)"

#: ``(dict setting, key)``.
Nested = tuple[str, str]

#: YAML's line breaks (1.1, as PyYAML and libyaml read them).
BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def split_lines(text: str) -> list[str]:
    """*text* split after each of YAML's line breaks, the breaks kept."""
    lines, start = [], 0
    for match in BREAK.finditer(text):
        lines.append(text[start:match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def newline_of(text: str) -> str:
    """The file's own line ending, for the lines added."""
    return "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"


def _body(line: str) -> str:
    """*line* without its line break."""
    return BREAK.sub("", line)


def node_data(node: yaml.Node) -> object:
    """A node as plain data, enough for the secret rule (strings, numbers, collections)."""
    try:
        return yaml.SafeLoader("").construct_document(node)  # type: ignore[no-untyped-call]
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return REDACTED  # text: what cannot be read is taken for a secret


def _secret_entry(key: yaml.Node, value: yaml.Node) -> bool:
    return isinstance(key, yaml.ScalarNode) and secret_data(str(key.value), node_data(value))


def _pairs(node: yaml.Node | None) -> list[tuple[yaml.Node, yaml.Node]]:
    return list(node.value) if isinstance(node, yaml.MappingNode) else []


def value_end(key: yaml.Node, value: yaml.Node) -> int:
    """The line after an entry's value (0-based)."""
    return max(value.end_mark.line + (1 if value.end_mark.column else 0), key.start_mark.line + 1)


def entry_end(key: yaml.Node, value: yaml.Node, lines: list[str]) -> int:
    """The line after an entry (0-based): its value's end, the blank and comment lines
    after it left to what follows."""
    end = value_end(key, value)
    while end > key.start_mark.line + 1 and (not lines[end - 1].strip()
                                             or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _comments_above(lines: list[str], start: int, column: int, stop: int) -> int:
    """The first of the comment lines right above line *start* at its *column*."""
    first = start
    while first - 1 > stop and lines[first - 1].strip().startswith("#") and (
            len(lines[first - 1]) - len(lines[first - 1].lstrip()) == column):
        first -= 1
    return first


def masked_copy(lines: list[str], start: int, end: int, value: yaml.Node) -> list[str]:
    """Lines *start* to *end* of an entry whose value is *value* (without their breaks),
    each secret-looking key's value in it (at any depth) replaced: what may be copied into
    a comment."""
    out = [_body(line) for line in lines[start:end]]
    for first, stop, column, key in sorted(secret_spans(value), reverse=True):
        if start <= first and stop <= end:
            out[first - start:stop - start] = [f"{' ' * column}{key}: {NOT_COPIED}"]
    return out


def secret_spans(node: yaml.Node) -> Iterator[tuple[int, int, int, str]]:
    """``(first line, line after, column, key)`` of each secret-looking key's entry inside
    *node*, at any depth, that holds a value."""
    for key, value in _pairs(node):
        if _secret_entry(key, value) and not (
                isinstance(value, yaml.ScalarNode) and value.value in ("", "null", "~")):
            yield key.start_mark.line, value_end(key, value), key.start_mark.column, str(key.value)
        else:
            yield from secret_spans(value)
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from secret_spans(item)


def commented(lines: list[str], start: int, end: int, value: yaml.Node, reason: str,
              newline: str, column: int = 0, secret: str | None = None) -> list[str]:
    """Lines *start* to *end* of an entry whose value is *value*, commented out at *column*
    under *reason*, each keeping its line end; the value of a secret (*secret* names its
    key), or of a secret-looking key inside it, is not copied."""
    own = lines[start:end]
    last = BREAK.search(own[-1])
    ending = last.group() if last else newline
    pad = " " * column
    copied = [f"{pad}{secret}: {NOT_COPIED}"] if secret is not None else \
        masked_copy(lines, start, end, value)
    endings = [BREAK.search(line) for line in own] if len(copied) == len(own) else \
        [None] * len(copied)  # a secret's lines were folded into one
    return [f"{pad}# {reason}{ending}", *(
        f"{pad}# {_dedented(body, column)}".rstrip(" ") + (found.group() if found else ending)
        for body, found in zip(copied, endings, strict=True))]


def _dedented(line: str, column: int) -> str:
    return line[column:] if not line[:column].strip() else line.lstrip()


def fix_nested(text: str, moves: Mapping[Nested, str], renames: Mapping[Nested, str],
               out: Mapping[Nested, str], filename: str) -> str:
    """*text* with each nested key of *moves* moved to the top level under its new name,
    each of *renames* renamed in place, and each of *out* commented out in place under its
    reason.  A dict left without keys is commented out too (an empty key would be null)."""
    parents = {parent for parent, _ in (*moves, *renames, *out)}
    # PyYAML's own composer, not libyaml's: their end marks differ (at the end of a file,
    # after a byte order mark), and the edits go by these.
    root, composed = yaml.compose(text, Loader=yaml.SafeLoader), text
    lines: dict[str, int] = {}
    for key, _ in _pairs(root):
        if isinstance(key, yaml.ScalarNode):
            lines.setdefault(key.value, key.start_mark.line)
    for parent in sorted(parents, key=lambda p: -lines.get(p, -1)):  # bottom up
        if text != composed:
            root, composed = yaml.compose(text, Loader=yaml.SafeLoader), text
        text = _fix_parent(text, root, parent, moves, renames, out, filename)
    return text


def _fix_parent(text: str, root: yaml.Node | None, parent: str, moves: Mapping[Nested, str],
                renames: Mapping[Nested, str], out: Mapping[Nested, str], filename: str) -> str:
    found = next(((k, v) for k, v in _pairs(root) if k.value == parent), None)
    if found is None:
        return text
    parent_key, block = found
    if isinstance(block, yaml.MappingNode) and block.flow_style:
        raise OpsdocsError(Problem(
            f"{parent} is written in flow style ({{...}}): --fix moves its keys line by line; "
            "write it one key a line first", filename, parent_key.start_mark.line + 1,
            check="upgrade-yaml"))
    lines, newline = split_lines(text), newline_of(text)
    if lines and not BREAK.search(lines[-1]):
        lines[-1] += newline  # lines are moved after it
    taken = {str(k.value) for k, _ in _pairs(root)}
    moved: list[str] = []
    edits: list[tuple[int, int, list[str]]] = []
    kept = 0
    for key, value in _pairs(block):
        name = (parent, str(key.value))
        start, column = key.start_mark.line, key.start_mark.column
        end = entry_end(key, value, lines)
        first = _comments_above(lines, start, column, parent_key.start_mark.line)
        target = moves.get(name)
        if target is not None and target not in taken:
            taken.add(target)
            block_lines = [_dedented(line, column) for line in lines[first:end]]
            head = start - first
            block_lines[head] = target + block_lines[head][len(str(key.value)):]
            moved.extend(block_lines)
            edits.append((first, end, []))
        elif target is not None or name in out:
            reason = out.get(name) or f"{parent}.{key.value}: this file already sets {target}"
            edits.append((start, end, commented(
                lines, start, end, value, reason, newline, column,
                str(key.value) if _secret_entry(key, value) else None)))
        else:
            kept += 1
            if name in renames:
                lines[start] = lines[start][:column] + renames[name] + \
                    lines[start][column + len(str(key.value)):]
    block_end = entry_end(parent_key, block, lines)
    if moved:
        edits.append((block_end, block_end, moved))
    if not kept:
        edits.append((parent_key.start_mark.line, parent_key.start_mark.line + 1, [
            f"# {parent}: its keys are top-level settings now, or gone (see below){newline}"]))
    for start, end, replacement in sorted(edits, key=lambda e: (-e[0], -e[1])):
        lines[start:end] = replacement
    return "".join(lines)

