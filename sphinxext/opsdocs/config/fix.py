"""Rewriting an operator's config for an upgrade, keeping everything else as it was.

The file is read by :mod:`ruamel.yaml`'s round-trip loader (an optional dependency: the
``upgrade`` extra), so its comments, key order and quoting survive; keys renamed by the
upgrade are renamed in place, removed ones are commented out with the reason, and newly
required settings are added as commented-out placeholders.  Values of secret settings are
never copied into a comment, and :func:`masked_diff` shows changes without them.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Collection, Iterable

import yaml

from opsdocs.code_text import key_path
from opsdocs.config.check import compose_config
from opsdocs.config.fix_nested import NOT_COPIED, fix_nested, masked_copy, secret_spans
from opsdocs.config.upgrade import UpgradeReport
from opsdocs.errors import OpsdocsError, Problem

SECRET_SHOWN = "<secret: not shown>"


def plain_config(text: str, filename: str) -> yaml.Node | None:
    """The config composed with its lines; :class:`OpsdocsError` when it is not YAML, or
    holds an anchor, an alias or a tag, which an upgrade could not carry over faithfully."""
    try:
        events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        events = []  # compose_config says what is wrong, with its line
    for event in events:
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise OpsdocsError(Problem(
                "the config uses YAML anchors and aliases (& and *): an upgrade reads and "
                "rewrites plain keys only; write the values out in full first",
                filename, line, check="upgrade-yaml"))
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        if tag and not (implicit is True or (isinstance(implicit, tuple) and any(implicit))):
            raise OpsdocsError(Problem(
                f"the config uses the YAML tag {tag}: an upgrade reads and rewrites plain "
                "values only; remove the tag", filename, line, check="upgrade-yaml"))
    root = compose_config(text, filename)
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise OpsdocsError(Problem(
            "the config is not a mapping of 'SETTING_NAME: value' lines", filename,
            root.start_mark.line + 1, check="upgrade-yaml"))
    return root


def fixed_config(text: str, report: UpgradeReport, secrets: Collection[str]) -> str:
    """*text* with the report's renames applied, removed keys commented out with the
    reason, and newly required settings added as commented-out placeholders.

    Renames go through ruamel.yaml's round trip, which keeps the file's comments, order
    and quoting; commenting out is done on the lines themselves (no YAML library keeps a
    commented-out entry), so comments between entries stay where they were.  *secrets*
    names the keys whose values are secret: never copied into a comment.
    """
    text = _fixed_nested(text, report)
    renames = {item.key: item.new for item in report.items
               if item.kind == "renamed" and item.new and not item.parent}
    taken = set(_entry_ends(text))
    out_reasons = {item.key: item.message for item in report.items
                   if item.kind in ("removed", "unknown") and not item.parent}
    for key, new in list(renames.items()):
        if new in taken:  # the file sets the new name already: the old key goes
            message = next(item.message for item in report.items if item.key == key)
            out_reasons[key] = f"{message} (this file already sets {new})"
            del renames[key]
    result = _renamed(text, renames)
    result = _commented_out(result, out_reasons, secrets)
    tail = [line for item in report.items if item.kind == "required"
            for line in ("", f"# {item.message}", f"# {item.key}: ...")]
    if tail:
        result = (result.rstrip("\n") + "\n\n" if result.strip() else "") + \
            "\n".join(tail).lstrip("\n") + "\n"
    return result


def _fixed_nested(text: str, report: UpgradeReport) -> str:
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
    return fix_nested(text, moves, renames, out, report.file)


def _renamed(text: str, renames: dict[str, str]) -> str:
    """*text* with keys renamed in place (same position, value and comments)."""
    from ruamel.yaml import YAML

    loader = YAML(typ="rt")
    loader.preserve_quotes = True
    loader.width = 4096
    mapping, sequence, offset = _indents(text)
    loader.indent(mapping=mapping, sequence=sequence, offset=offset)
    data = loader.load(text)
    if not renames or data is None:
        return text
    for old, new in renames.items():
        position = list(data.keys()).index(old)
        value = data[old]
        comment = data.ca.items.pop(old, None)
        del data[old]
        data.insert(position, new, value)
        if comment is not None:
            data.ca.items[new] = comment
    out = io.StringIO()
    loader.dump(data, out)
    return out.getvalue()


def _commented_out(text: str, reasons: dict[str, str], secrets: Collection[str]) -> str:
    """*text* with the entries of *reasons*' keys commented out, each under its reason."""
    if not reasons:
        return text
    lines = text.splitlines()
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    nodes = {str(k.value): v for k, v in root.value} if isinstance(root, yaml.MappingNode) else {}
    for key, (start, stop) in sorted(_entry_ends(text).items(), key=lambda i: -i[1][0]):
        if key not in reasons:
            continue
        end = stop
        while end > start + 1 and (not lines[end - 1].strip()
                                   or lines[end - 1].lstrip().startswith("#")):
            end -= 1  # blank and comment lines after the value belong to what follows
        block = ([f"{key}: {NOT_COPIED}"] if key in secrets
                 else masked_copy(lines, start, end, nodes[key]))
        lines[start:end] = [f"# {reasons[key]}", *(f"# {line}".rstrip() for line in block)]
    return "\n".join(lines) + "\n"


def _entry_ends(text: str) -> dict[str, tuple[int, int]]:
    """``key: (first line, line after the value)`` of each top-level key, 0-based."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found: dict[str, tuple[int, int]] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            end = value.end_mark.line + (1 if value.end_mark.column else 0)
            found[str(key.value)] = (key.start_mark.line, max(end, key.start_mark.line + 1))
    return found


def _indents(text: str) -> tuple[int, int, int]:
    """The file's own indentation: of nested mappings, of sequence items, of their dash."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    mapping, sequence, offset = None, None, None
    for parent, child in _nested(root):
        column = parent.start_mark.column
        if isinstance(child, yaml.MappingNode) and not child.flow_style and child.value:
            mapping = mapping or child.value[0][0].start_mark.column - column
        elif isinstance(child, yaml.SequenceNode) and not child.flow_style and child.value:
            item = child.value[0].start_mark.column
            dash = child.start_mark.column
            if sequence is None:
                sequence, offset = item - column, dash - column
    mapping = mapping if mapping and mapping > 0 else 2
    offset = offset if offset is not None and offset >= 0 else 0
    sequence = sequence if sequence and sequence > offset else offset + 2
    return mapping, sequence, offset


def _nested(node: yaml.Node | None) -> Iterable[tuple[yaml.Node, yaml.Node]]:
    """``(key, value)`` of every block mapping entry, depth first."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                yield key, value
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def masked(text: str, secrets: Collection[str]) -> str:
    """*text* with the values of the top-level keys in *secrets* hidden, and those of
    secret-looking keys at any depth (``DEFAULT_JWT_ISSUER: {SECRET_KEY: ...}``)."""
    try:
        ends = _entry_ends(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return text
    lines = text.splitlines(keepends=True)
    spans = [(start, end, 0, key) for key, (start, end) in ends.items() if key in secrets]
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        if str(key.value) not in secrets:
            spans.extend(secret_spans(value))
    for start, end, column, key in spans:
        lines[start] = f"{' ' * column}{key}: {SECRET_SHOWN}\n"
        for index in range(start + 1, end):
            lines[index] = ""
    return "".join(lines)


def masked_diff(old: str, new: str, filename: str, secrets: Collection[str]) -> str:
    """A unified diff of two versions of a config, secret values hidden on both sides."""
    return "".join(difflib.unified_diff(
        masked(old, secrets).splitlines(keepends=True),
        masked(new, secrets).splitlines(keepends=True),
        f"{filename}", f"{filename} (upgraded)"))
