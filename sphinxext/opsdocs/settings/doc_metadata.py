"""What a setting's doc says about the setting besides its prose: the ``:secret:``,
``:default:`` and ``:example:`` fields, and Sphinx's version directives.

This module is the one reader of ``.. deprecated::``, ``.. versionadded::`` and
``.. versionchanged::`` in docs: the settings reader, the sample config, the config check,
the changelog and the upgrade report all ask it, so that a directive reads the same
everywhere, at the top of a doc or nested in another directive (``.. note::``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_METADATA_FIELD = re.compile(r"^:(secret|default|example):(?:\s+(.*))?$")
_VERSION_DIRECTIVE = re.compile(r"^\.\.\s+(deprecated|versionadded|versionchanged)::\s*(\S+)\s*(.*)$")
#: A directive without argument (``.. note::``), once the line is stripped.
_BARE_DIRECTIVE = re.compile(r"^\.\.\s+[\w:-]+::$")


def split_metadata(doc: str) -> tuple[str, dict[str, str]]:
    """Take ``:secret:``, ``:default:`` and ``:example:`` fields out of a doc comment."""
    kept: list[str] = []
    metadata: dict[str, str] = {}
    current: str | None = None
    for line in doc.splitlines():
        match = _METADATA_FIELD.match(line)
        if match:
            current = match.group(1)
            metadata[current] = (match.group(2) or "").strip()
        elif current is not None and line.startswith((" ", "\t")) and line.strip():
            metadata[current] = f"{metadata[current]}\n{line.strip()}".strip()
        else:
            current = None
            kept.append(line)
    return "\n".join(kept).strip("\n"), metadata


@dataclass(frozen=True)
class VersionDirective:
    """A ``deprecated``, ``versionadded`` or ``versionchanged`` directive of a doc, with
    the version it gives; ``start`` and ``end`` are the lines of the doc it spans (0-based,
    its body included, *end* excluded)."""

    kind: str
    version: str
    start: int
    end: int
    rest: str = field(repr=False)  # what follows the version on its line
    lines: tuple[str, ...] = field(repr=False, compare=False)

    @property
    def text(self) -> str:
        """The rest of its line and its body, each line stripped."""
        body = [self.rest] if self.rest else []
        body += [line.strip() for line in self.lines[self.start + 1:self.end]]
        return "\n".join(body).strip()


def version_directives(doc: str) -> list[VersionDirective]:
    """The version directives of *doc*, in order, wherever they are: at the top or nested
    in another directive.  A directive's body is what follows it indented deeper than
    its ``..``."""
    lines = tuple(doc.splitlines())
    ends: list[int] | None = None
    found: list[VersionDirective] = []
    for index, line in enumerate(lines):
        match = _VERSION_DIRECTIVE.match(line.strip())
        if match is None:
            continue
        ends = ends or _block_ends(lines)
        found.append(VersionDirective(match.group(1), match.group(2), index, ends[index],
                                      match.group(3), lines))
    return found


def versions(doc: str) -> dict[str, str]:
    """The version each kind of directive in *doc* gives first (``{"deprecated": "2.0"}``)."""
    found: dict[str, str] = {}
    for directive in version_directives(doc):
        found.setdefault(directive.kind, directive.version)
    return found


def deprecation(doc: str) -> VersionDirective | None:
    """The first ``.. deprecated::`` directive of *doc*."""
    return next((d for d in version_directives(doc) if d.kind == "deprecated"), None)


def without_version_directives(doc: str) -> str:
    """*doc* without its version directives (each with its body), nor a directive without
    argument that held nothing else (``.. note::`` around a ``.. deprecated::``)."""
    directives = version_directives(doc)
    if not directives:
        return doc
    lines = directives[0].lines
    dropped = [False] * len(lines)
    for directive in directives:
        dropped[directive.start:directive.end] = [True] * (directive.end - directive.start)
    ends = _block_ends(lines)
    for index in reversed(range(len(lines))):  # inner directives first
        if dropped[index] or not _BARE_DIRECTIVE.match(lines[index].strip()):
            continue
        body = range(index + 1, ends[index])
        if any(dropped[i] for i in body) and all(dropped[i] or not lines[i].strip() for i in body):
            dropped[index:ends[index]] = [True] * (ends[index] - index)
    return "\n".join(line for line, gone in zip(lines, dropped, strict=True) if not gone)


def _block_ends(lines: tuple[str, ...]) -> list[int]:
    """Where the block each line starts ends: at the first line after it that is not
    blank and not indented deeper (its body is what comes before)."""
    ends = [len(lines)] * len(lines)
    open_lines: list[tuple[int, int]] = []  # (indent, line) of blocks not ended, indents rising
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        indent = _indent(line)
        while open_lines and open_lines[-1][0] >= indent:
            ends[open_lines.pop()[1]] = index
        open_lines.append((indent, index))
    return ends


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())
