"""Rewriting an operator's config for an upgrade: the keys reported, and nothing else.

The file is edited as text, at the places the YAML composer gives: a renamed key's own
characters are replaced, a removed entry's lines are commented out under the reason, newly
required settings are added at the end as commented-out placeholders.  Every other byte
stays as it was: comments, quoting, flow collections, tabs, line endings, a byte order
mark.  Where a construct makes that impossible to promise (a top-level mapping in flow
style, anchors and aliases, ``<<`` merges, a key set twice), :func:`fixed_config` refuses
the file with a located message, and the report's items are the steps to take by hand.
The result is checked before it is returned: every top-level entry the report does not
name must be in it, byte for byte.

Values of secret settings are never copied into a comment, and :func:`masked_diff` shows
the changes with every secret-looking value hidden, at any depth.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

import yaml

from opsdocs.code_text import key_path
from opsdocs.config.check import compose_config
from opsdocs.config.fix_nested import (
    BREAK,
    commented,
    entry_end,
    fix_nested,
    newline_of,
    node_data,
    split_lines,
)
from opsdocs.config.upgrade import UpgradeReport
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading.yaml import FAST_LOADER, STANDARD_TAGS
from opsdocs.settings.redact import secret_data
from opsdocs.settings.secrets import without_secret_shapes

SECRET_SHOWN = "<secret: not shown>"
_MERGE = "tag:yaml.org,2002:merge"
_MANUAL = "make the changes listed above by hand"


def plain_config(text: str, filename: str) -> yaml.Node | None:
    """The config composed with its lines; :class:`OpsdocsError` when it is not YAML, is
    not a mapping, or holds a tag, which an upgrade could not read as plain values."""
    root = compose_config(text, filename)
    for node in _nodes(root):
        tag = node.tag
        if tag and tag not in STANDARD_TAGS:
            raise OpsdocsError(Problem(
                f"the config uses the YAML tag {tag}: an upgrade reads and rewrites plain "
                "values only; remove the tag", filename, node.start_mark.line + 1,
                check="upgrade-yaml"))
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise OpsdocsError(Problem(
            "the config is not a mapping of 'SETTING_NAME: value' lines", filename,
            root.start_mark.line + 1, check="upgrade-yaml"))
    return root


def _nodes(root: yaml.Node | None) -> Iterator[yaml.Node]:
    """Every node of a composed document once (an alias's node is the one it names)."""
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


# -- What cannot be rewritten byte for byte -----------------------------------------------


def fix_problem(text: str, root: yaml.Node | None, filename: str) -> Problem | None:
    """Why ``--fix`` cannot promise to leave every other byte of *text* (composed: *root*)
    as it is, or ``None``: the problem is located at the construct."""
    found = _anchor(text) or _unkept(root)
    if found is None:
        return None
    what, line = found
    return Problem(f"--fix does not rewrite this file: it {what}, which a rewrite could not "
                   f"keep exactly as written; {_MANUAL}", filename, line, check="upgrade-fix")


def _anchor(text: str) -> tuple[str, int] | None:
    """The first anchor or alias of *text*, if any."""
    try:
        events = list(yaml.parse(text, Loader=FAST_LOADER))
    except yaml.YAMLError:  # what libyaml refuses, PyYAML's own parser may read
        events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    for event in events:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 1 if event.start_mark else 1
            return "uses YAML anchors and aliases (& and *)", line
    return None


def _unkept(root: yaml.Node | None) -> tuple[str, int] | None:
    """A flow mapping of settings, a ``<<`` merge or a key set twice, if any."""
    if not isinstance(root, yaml.MappingNode):
        return None
    if root.flow_style:
        return "writes its settings as one flow mapping ({...})", root.start_mark.line + 1
    for node in _nodes(root):
        for key, _ in node.value if isinstance(node, yaml.MappingNode) else ():
            if key.tag == _MERGE:
                return "merges mappings with <<", key.start_mark.line + 1
    seen: set[str] = set()
    for key, _ in root.value:
        if key.value in seen:
            return f"sets {key.value} twice", key.start_mark.line + 1
        seen.add(key.value)
    return None


# -- The rewrite ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """A top-level entry of the config: its key's characters, its lines (0-based, the end
    excluded), and where the value ends."""

    key: yaml.Node
    value: yaml.Node
    first: int
    last: int

    @property
    def name(self) -> str:
        return str(self.key.value)


def _entries(text: str, filename: str, root: yaml.Node | None) -> dict[str, _Entry]:
    """The top-level entries of *root*, composed from *text*, checked to be where the
    marks say: a key alone at the start of its line."""
    entries: dict[str, _Entry] = {}
    lines = split_lines(text)
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        line = key.start_mark.line
        before = lines[line][:key.start_mark.column] if line < len(lines) else "?"
        if text[key.start_mark.index:key.end_mark.index].strip("'\"") != key.value or \
                before.strip():
            raise OpsdocsError(Problem(
                f"--fix does not rewrite this file: the key {key.value} is not alone at the "
                f"start of its line; {_MANUAL}", filename, line + 1, check="upgrade-fix"))
        entries[str(key.value)] = _Entry(key, value, line, entry_end(key, value, lines))
    return entries


def fixed_config(text: str, root: yaml.Node | None, report: UpgradeReport,
                 secrets: Collection[str], filename: str) -> str:
    """*text* (composed by :func:`~opsdocs.config.check.compose_config`: *root*) with the
    report's renames applied, removed keys commented out with the reason, and newly
    required settings added as commented-out placeholders; every other byte as it was.

    *secrets* names the keys whose values are secret: never copied into a comment.  Raises
    :class:`OpsdocsError` when the file holds what a rewrite could not keep exactly
    (:func:`fix_problem`), or when the result would change an entry the report does not
    name (a safety net: nothing is written then).
    """
    renames = {item.key: item.new for item in report.items
               if item.kind == "renamed" and item.new and not item.parent}
    out_reasons = {item.key: item.message for item in report.items
                   if item.kind in ("removed", "unknown") and not item.parent}
    required = [item for item in report.items if item.kind == "required"]
    parents = {item.parent for item in report.items if item.parent and item.kind in _NESTED}
    if not (renames or out_reasons or required or parents):
        return text
    problem = fix_problem(text, root, filename)
    if problem is not None:
        raise OpsdocsError(problem)
    original = _entries(text, filename, root)
    done = _fixed_nested(text, report, filename)
    entries = original if done == text else _entries(done, filename,
                                                     compose_config(done, filename))
    for key, new in list(renames.items()):
        if new in entries:  # the file sets the new name already: the old key goes
            message = next(item.message for item in report.items if item.key == key)
            out_reasons[key] = f"{message} (this file already sets {new})"
            del renames[key]
    newline = newline_of(text)
    lines = split_lines(done)
    for entry in sorted(entries.values(), key=lambda e: -e.first):
        if entry.name in out_reasons:
            lines[entry.first:entry.last] = commented(
                lines, entry.first, entry.last, entry.value, out_reasons[entry.name], newline,
                secret=entry.name if entry.name in secrets else None)
        elif entry.name in renames:
            line = lines[entry.first]
            start, end = entry.key.start_mark.column, entry.key.end_mark.column
            lines[entry.first] = line[:start] + renames[entry.name] + line[end:]
    result = "".join(lines)
    tail = [line for item in required
            for line in ("", f"# {item.message}", f"# {item.key}: ...")]
    if tail:
        if result and not BREAK.search(result[-1]):
            result += newline
        result = (result + newline if result.strip() else "") + \
            newline.join(tail).lstrip(newline) + newline
    _check_untouched(text, result, original, {*renames, *out_reasons, *parents}, filename)
    return result


#: The kinds of report item ``--fix`` carries out inside a dict setting.
_NESTED = ("moved", "renamed", "removed", "unknown")


def _fixed_nested(text: str, report: UpgradeReport, filename: str) -> str:
    """*text* with the keys inside dict settings moved, renamed or commented out."""
    def nested(kinds: tuple[str, ...], value: str) -> dict[tuple[str, str], str]:
        return {(item.parent, item.key[len(item.parent) + 1:]): str(getattr(item, value))
                for item in report.items if item.parent and item.kind in kinds
                and getattr(item, value)}

    moves, out = nested(("moved",), "setting"), nested(("removed", "unknown"), "message")
    renames = {k: str((key_path(v[len(k[0]):]) or (v,))[-1])
               for k, v in nested(("renamed",), "new").items()}
    if not (moves or renames or out):
        return text
    return fix_nested(text, moves, renames, out, filename)


def _check_untouched(old: str, new: str, entries: dict[str, _Entry], changed: Collection[str],
                     filename: str) -> None:
    """Every entry of *old* the report does not name is in *new*, byte for byte."""
    try:
        now = _entries(new, filename, compose_config(new, filename))
    except OpsdocsError:
        now = {}
    old_lines, new_lines = split_lines(old), split_lines(new)
    for name, entry in entries.items():
        if name in changed:
            continue
        after = now.get(name)
        if after is None or old_lines[entry.first:entry.last] != \
                new_lines[after.first:after.last]:
            raise OpsdocsError(Problem(
                f"--fix stopped: rewriting this file would change {name}, which the report "
                f"does not name; nothing was written; {_MANUAL}", filename,
                entry.first + 1, check="upgrade-fix"))


# -- Secrets hidden -------------------------------------------------------------------------


def masked_composed(text: str, root: yaml.Node | None, secrets: Collection[str]) -> str:
    """*text*, composed by :func:`compose_config` into *root*, with every secret-looking
    value replaced by ``"<secret: not shown>"``: the values of the top-level keys in
    *secrets*, of every key that looks secret at any depth (by name and value, the
    settings' one rule), and every value whose shape is a secret's (a password inside a
    URL, a connection string's key, a webhook).  Lines keep their numbers, so the masked
    text is rewritten as the text is.
    """
    spans = sorted({(node.start_mark.index, node.end_mark.index): node
                    for node in _secret_scalars(root, secrets)}.items())
    pieces, position = [], 0
    for (start, end), _node in spans:
        if start < position:
            continue
        original = text[start:end]
        breaks = len(BREAK.findall(original))
        pieces += [text[position:start], f'"{SECRET_SHOWN}"', "\n" * breaks]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _secret_scalars(root: yaml.Node | None, secrets: Collection[str]) -> Iterator[yaml.Node]:
    """The scalar nodes of *root* whose text a report must not show."""
    if not isinstance(root, yaml.MappingNode):
        yield from _shaped(root)
        return
    stack: list[tuple[yaml.Node, bool]] = [
        (value, key.value in secrets or secret_data(str(key.value), node_data(value)))
        for key, value in root.value]
    seen: set[int] = set()
    while stack:
        node, secret = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if (secret and _is_text(node)) or _has_secret_shape(node):
                yield node
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, secret) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else ""
                stack.append((value, secret or secret_data(name, node_data(value))))


def _shaped(root: yaml.Node | None) -> Iterable[yaml.Node]:
    return (node for node in _nodes(root)
            if isinstance(node, yaml.ScalarNode) and _has_secret_shape(node))


def _is_text(node: yaml.ScalarNode) -> bool:
    return node.tag == "tag:yaml.org,2002:str" and bool(node.value)


def _has_secret_shape(node: yaml.ScalarNode) -> bool:
    """A string that is a secret by its shape, or JSON holding a secret (a Django key
    inside a JSON string)."""
    if not _is_text(node):
        return False
    if without_secret_shapes(node.value) != node.value:
        return True
    stripped = node.value.strip()
    if stripped[:1] in ("{", "["):
        try:
            return _json_holds_secret(json.loads(stripped))
        except ValueError:
            return False
        except RecursionError:
            return True  # what cannot be read is taken for a secret
    return False


def _json_holds_secret(data: object) -> bool:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if secret_data(str(key), item):
                    return True
                stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
    return False


def masked_diff(shown: str, new_of: Iterable[str] | str, filename: str) -> str:
    """A unified diff of two versions of a config, secret values hidden on both sides.

    *shown* is the old text masked (:func:`masked_composed`), and *new_of* the new text of it (the
    rewrite of *shown*), so that no secret is seen in either.
    """
    new = new_of if isinstance(new_of, str) else "".join(new_of)
    return "".join(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n"
                   for line in difflib.unified_diff(
                       shown.splitlines(keepends=True),
                       new.splitlines(keepends=True), f"{filename}", f"{filename} (upgraded)"))
