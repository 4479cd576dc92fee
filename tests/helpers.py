"""What the tests share: where things are, and warnings as a reader of the build sees them."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from html import escape as html_escape
from html import unescape as unescape_html
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import sphinx

from opsdocs.reading.kinds import time_bound

REPO = Path(__file__).resolve().parent.parent
ROOTS = REPO / "tests" / "roots"
EXAMPLE = REPO / "example_ida"

#: Sphinx 7.3 began to end warnings with their type: ``[opsdocs.cron]``.
SHOWS_TYPES = sphinx.version_info >= (7, 3)


def found(paths: Iterable[Path]) -> list[Path]:
    """*paths* (a glob's), sorted; fails when there are none, so a glob-driven test cannot
    pass vacuously."""
    result = sorted(paths)
    assert result, "the glob found no files"
    return result


def copy_root(tmp_path: Path, name: str) -> Path:
    """A copy of the test root ``tests/roots/test-<name>`` to build and edit."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / f"test-{name}", src)
    return src


def strip_colors(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def own_warnings(app) -> str:  # type: ignore[no-untyped-def]
    """The build's warnings without colours and the noise of a second app set up in the
    same test."""
    lines = strip_colors(app.warning.getvalue()).splitlines(keepends=True)
    return "".join(line for line in lines if "is already registered" not in line)


def warning_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    """:func:`own_warnings` as lines, without ``[type.subtype]`` (Sphinx >= 7.3 only)."""
    return [re.sub(r" \[[\w.-]+\]$", "", line) for line in own_warnings(app).splitlines()]


def typed(expected):  # type: ignore[no-untyped-def]
    """*expected* warnings (a text or a list of lines ending with ``[opsdocs.check]``) as
    this Sphinx prints them."""
    if isinstance(expected, list):
        return [typed(line) for line in expected]
    return expected if SHOWS_TYPES else re.sub(r" \[opsdocs\.[a-z-]+\]$", "", expected,
                                               flags=re.M)


def modules_loaded_by(code: str, *packages: str, cwd: Path | None = None) -> list[str]:
    """The modules of *packages* (top-level names) a fresh interpreter holds after *code*."""
    script = (f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in sys.modules "
              f"if m.split('.')[0] in {packages!r})))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, cwd=cwd)
    loaded: list[str] = json.loads(result.stdout.splitlines()[-1])
    return loaded


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail the test when the block runs longer than *seconds*: a hang detector with a
    wide margin, not a speed test (speed is measured in benchmarks/).  Regular expressions
    and Python code are interrupted (Unix only: ``SIGALRM``)."""
    with time_bound(seconds, lambda: AssertionError(
            f"still running after {seconds} s: a hang or worse than linear")):
        yield


class _Blocks(HTMLParser):
    """Collects the text and the markup of each element with a class, by its id."""

    VOID: ClassVar = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, class_: str) -> None:
        super().__init__(convert_charrefs=True)
        self.class_ = class_
        self.open: list[list] = []  # [id, depth, text parts, markup parts] per element inside
        self.depth = 0
        self.found: dict[str, tuple[str, str]] = {}

    #: Elements whose text runs on with what is around them; others stand apart.
    INLINE: ClassVar = {"a", "abbr", "code", "em", "span", "strong", "wbr", "kbd", "var", "sub", "sup"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for block in self.open:
            block[3].append(self.get_starttag_text() or "")
            if tag not in self.INLINE:
                block[2].append(" ")
        if tag in self.VOID:
            return
        self.depth += 1
        if self.class_ in (values.get("class") or "").split():
            self.open.append([values.get("id") or f"#{len(self.found)}", self.depth, [], []])

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        for block in self.open:
            block[3].append(f"</{tag}>")
            if tag not in self.INLINE:
                block[2].append(" ")
        if self.open and self.open[-1][1] == self.depth:
            key, _, text, markup = self.open.pop()
            self.found[key] = (" ".join("".join(text).split()), "".join(markup[:-1]))
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        for block in self.open:
            block[2].append(data)
            block[3].append(html_escape(data, quote=False))


def html_blocks(html: str, class_: str) -> dict[str, tuple[str, str]]:
    """Each element of *html* with the class *class_*, by id (``#N`` without one): its
    text (white space collapsed, as a reader sees it) and its inner markup."""
    parser = _Blocks(class_)
    parser.feed(html)
    return parser.found


def setting_texts(html: str) -> dict[str, str]:
    """The text of each setting of a built reference page, by setting name."""
    result = {}
    for text, markup in html_blocks(html, "opsdocs-setting").values():
        name = re.search(r'<code class="opsdocs-setting-name[^"]*">(.*?)</code>', markup)
        assert name is not None, markup
        result[unescape_html(re.sub(r"<[^>]+>", "", name[1]))] = text
    return result
