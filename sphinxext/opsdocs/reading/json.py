"""JSON parsed with located errors, deep nesting reported and huge integers not read."""

from __future__ import annotations

import json
import re
from typing import Any

from opsdocs.reading.files import escaped_surrogate
from opsdocs.reading.kinds import MAX_JSON_DIGITS, FileKind, nested_too_deeply


class HugeNumber(float):
    """What :func:`load_json` reads for an integer of more than :data:`MAX_JSON_DIGITS`
    digits: infinite, so that no check accepts it as a count or a line."""

    def __new__(cls) -> HugeNumber:
        return super().__new__(cls, "inf")


def _integer(text: str) -> int | float:
    return int(text) if len(text) <= MAX_JSON_DIGITS else HugeNumber()


def load_json(text: str, filename: str, kind: FileKind, advice: str = "") -> Any:
    """Parse JSON *text*; a syntax error is located (*advice* ends its message), deep
    nesting reported, never raised."""
    try:
        data = json.loads(text, parse_int=_integer)
        if "\\u" in text:  # only an escape can make a surrogate; pairs are joined
            json.dumps(data, ensure_ascii=False).encode()
        return data
    except UnicodeEncodeError as error:
        escape = text.lower().find(f"\\u{ord(error.object[error.start]):04x}")
        kind.fail(escaped_surrogate(kind), filename,
                  text.count("\n", 0, escape) + 1 if escape >= 0 else None)
    except json.JSONDecodeError as error:
        kind.fail(f"invalid JSON, column {error.colno}: {error.msg}{'; ' + advice if advice else ''}",
                  filename, error.lineno)
    except RecursionError:
        kind.fail(nested_too_deeply(kind), filename)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+|\s+')


def json_line(text: str, path: tuple[str | int, ...]) -> int | None:
    """The line where the value at *path* (keys and indices) starts in the JSON *text*.

    For messages only, after :func:`json.loads` accepted *text*: the tokens are walked,
    keeping the path of the value each one belongs to.
    """
    line = 1
    here: list[Any] = []  # per open container: ["object"|"array", key or index]
    expecting_key = False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token.isspace():
            line += token.count("\n")
            continue
        if token in ",:":
            if token == "," and here:
                if here[-1][0] == "array":
                    here[-1][1] += 1
                else:
                    expecting_key = True
            continue
        if token in "]}":
            here.pop()
            expecting_key = False
            continue
        if expecting_key:
            here[-1][1] = json.loads(token) if token.startswith('"') else token
            expecting_key = False
            continue
        if tuple(entry[1] for entry in here) == path:
            return line
        if token == "{":
            here.append(["object", None])
            expecting_key = True
        elif token == "[":
            here.append(["array", 0])
    return None
