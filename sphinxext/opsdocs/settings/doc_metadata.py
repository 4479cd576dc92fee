"""What a setting's doc says about the setting besides its prose: the ``:secret:``,
``:default:`` and ``:example:`` fields, and Sphinx's version directives.

This module is the one reader of ``.. deprecated::``, ``.. versionadded::`` and
``.. versionchanged::`` in docs: the settings reader, the sample config, the config check,
the changelog and the upgrade report all ask it, so that a directive reads the same
everywhere, at the top of a doc or nested in another directive (``.. note::``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_METADATA_FIELD = re.compile(r"^:(secret|default|example):(?:\s+(.*))?$")
_VERSION_DIRECTIVE = re.compile(r"^\.\.\s+(deprecated|versionadded|versionchanged)::\s*(\S+)\s*(.*)$")


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
    """A ``deprecated``, ``versionadded`` or ``versionchanged`` directive of a doc: its
    version, its text (the rest of its line and its body, each line stripped), and the
    lines of the doc it spans (``start`` to ``end``, 0-based, end excluded)."""

    kind: str
    version: str
    text: str
    start: int
    end: int


def version_directives(doc: str) -> list[VersionDirective]:
    """The version directives of *doc*, in order, wherever they are: at the top or nested
    in another directive.  A directive's body is what follows it indented deeper than
    its ``..``."""
    found: list[VersionDirective] = []
    lines = doc.splitlines()
    for index, line in enumerate(lines):
        match = _VERSION_DIRECTIVE.match(line.strip())
        if match is None:
            continue
        margin = _indent(line)
        body = [match.group(3)] if match.group(3) else []
        end = index + 1
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > margin):
            body.append(lines[end].strip())
            end += 1
        found.append(VersionDirective(match.group(1), match.group(2), "\n".join(body).strip(),
                                      index, end))
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
    """*doc* without its version directives (each with its body)."""
    lines = doc.splitlines()
    dropped: set[int] = set()
    for directive in version_directives(doc):
        dropped.update(range(directive.start, directive.end))
    return "\n".join(line for index, line in enumerate(lines) if index not in dropped)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())
