"""edx-lint's waiver of a toggle without annotation: ``# pylint: disable=toggle-missing-annotation``.

Read as pylint reads its pragmas, from the module's comments: after code, the pragma
covers its line; alone on a line, the rest of the block it stands in (to the first line
of code indented less, or an ``enable`` of the message); ``disable-next`` the next line.
edx-lint's older name for the message, ``feature-toggle-needs-doc``, and ``all`` count.
"""

from __future__ import annotations

import io
import re
import tokenize

#: The message names that waive the check.
WAIVERS = frozenset({"toggle-missing-annotation", "feature-toggle-needs-doc", "all"})
# after other words too: "# lint-amnesty, pylint: disable=..."
_PRAGMA = re.compile(r"\bpylint\s*:\s*(disable-next|disable|enable)\s*=\s*([\w\-, ]+)")
_ALL = re.compile(r"\bpylint\s*:\s*disable(?:-next)?\s*=[\w\-, ]*\ball\b")


def waived_lines(lines: list[str]) -> frozenset[int]:
    """The lines (1-based) of *lines*, a module's source, where a toggle made without an
    annotation is waived."""
    source = "".join(lines)
    if not any(name in source for name in WAIVERS - {"all"}) and not _ALL.search(source):
        return frozenset()
    waived: set[int] = set()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):  # pragma: no cover - the module parsed
        return frozenset()
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        for kind, names in _PRAGMA.findall(token.string):
            if not WAIVERS & {n.strip() for n in names.split(",")} or kind == "enable":
                continue
            line, column = token.start
            if kind == "disable-next":
                waived.add(line + 1)
            elif lines[line - 1][:column].strip():
                waived.add(line)  # after code: its line
            else:
                waived.update(_block_rest(lines, line, column))
    return frozenset(waived)


def _block_rest(lines: list[str], line: int, column: int) -> range:
    """The lines from *line* to the end of the block a comment at *column* stands in, or
    to an ``enable`` of the waiver."""
    end = line
    while end < len(lines):
        text = lines[end]
        stripped = text.strip()
        if stripped and not stripped.startswith("#") and \
                len(text) - len(text.lstrip()) < column:
            break
        match = _PRAGMA.search(text)
        if match and match.group(1) == "enable" and \
                WAIVERS & {n.strip() for n in match.group(2).split(",")}:
            break
        end += 1
    return range(line, end + 1)
