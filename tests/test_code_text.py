"""Python source text as readers see it: a node's own text, comments left out, one line."""

from __future__ import annotations

import ast

import pytest

from opsdocs.code_text import (
    SourceText,
    entry_name,
    key_path,
    one_line,
    shortened,
    value_lines,
    value_text,
    without_comments,
)
from opsdocs.settings.reader import source_from_specs
from tests.settings.support import COMMON, comments, read


def test_one_line_and_without_comments_keep_the_python() -> None:
    values = [d.value for s in source_from_specs([COMMON]) for d in s.definitions
              if d.value and ("#" in d.value or "\n" in d.value)]
    assert len(values) > 10 and any("# .. toggle_name:" in v for v in values)
    for value in values:
        expected = ast.dump(ast.parse(value, mode="eval"))
        for shown in (one_line(value), without_comments(value)):
            assert ast.dump(ast.parse(shown, mode="eval")) == expected, shown
            assert not comments(shown), shown
        assert "\n" not in one_line(value)
    assert one_line("{\n    'a': 1,  # not 'b'\n    # .. toggle_name: X\n    'b': 2,\n}") == \
        "{'a': 1, 'b': 2}"  # no trailing comma left before the brace
    assert one_line('X(\n    """two\nlines""",\n    "#not a comment",\n)') == \
        "X('two\\nlines', \"#not a comment\")"


def test_a_shortened_default_is_the_head_of_its_one_line() -> None:
    # shortened reads no further than its width: what it shows is still one_line's head.
    values = [d.value for s in source_from_specs([COMMON]) for d in s.definitions if d.value]
    values += ['f"{a}\n" + (\n  f"{b!r:>{w}}"  # x\n)', "[1,\n 2,\n '''open"]
    assert sum(len(one_line(v)) > 40 for v in values) > 10
    for value in values:
        for width in (10, 40, 60):
            line = one_line(value)
            assert shortened(value, width) == (
                line if len(line) <= width else line[:width - 3] + "..."), value


def test_non_ascii_values_are_sliced_by_characters():
    settings, _ = read('#: Doc.\nNAME = "Café ☕"; OTHER = "é"  #: Other.\n')
    assert settings["NAME"].value == '"Café ☕"'
    assert settings["OTHER"].value == '"é"'


def test_source_text_of_nodes_as_written():
    source = 'X = {\n    "a": f(1),  # é\n    "b": "☕",\n}\nY = (1 +\n     2)\n'
    tree = ast.parse(source)
    text = SourceText.of(source)
    x, y = (statement.value for statement in tree.body)
    assert text.segment(x) == source[4:source.index("\nY")]
    assert text.segment(x.values[1]) == '"☕"'  # columns are UTF-8 bytes, text characters
    assert text.segment(y) == "(1 +\n     2)"[1:-1]
    assert text.segment(y) == ast.get_source_segment(source, y)
    # some nodes inside written as other text; a node made up has no text
    assert text.replaced(x, {x.values[0]: "DEFAULT"}) == \
        'X = {\n    "a": DEFAULT,  # é\n    "b": "☕",\n}'[4:]
    assert text.segment(ast.Constant(1)) == ""
    # Python's lines: a form feed does not end one
    feed = SourceText.of('A = "x\fy"\nB = 2\n')
    assert feed.segment(ast.parse('A = "x\fy"\nB = 2\n').body[1].value) == "2"


@pytest.mark.parametrize("code, one_line_text, lines", [
    # A literal, however it is written, in Python's repr style.
    ('{\n    "a": 1,  # one\n    "b": [1, 2,],\n}', "{'a': 1, 'b': [1, 2]}", "{'a': 1, 'b': [1, 2]}"),
    ('("x",)', "('x',)", "('x',)"),
    # Longer than 79 characters: laid out as pprint does, strings kept whole.
    ("[" + ", ".join(f'"{"k" * 30}{i}"' for i in range(3)) + "]",
     "[" + ", ".join(f"'{'k' * 30}{i}'" for i in range(3)) + "]",
     "[" + ",\n ".join(f"'{'k' * 30}{i}'" for i in range(3)) + "]"),
    # Code that is no literal as written (one line: comments and trailing commas left out).
    ('BASE_DIR / "static"', 'BASE_DIR / "static"', 'BASE_DIR / "static"'),
    ('f(\n    "a",\n)', 'f("a")', 'f(\n    "a",\n)'),
    ('x in (\n    1,\n)', "x in (1,)", "x in (\n    1,\n)"),
    # A set's repr changes order from run to run: as written.
    ('{"b", "a"}', '{"b", "a"}', '{"b", "a"}'),
])
def test_one_value_formatter(code, one_line_text, lines) -> None:
    assert value_text(code) == one_line_text
    assert value_lines(code) == lines


@pytest.mark.parametrize(("root", "path", "name"), [
    ("FEATURES", ("ENABLE_X",), "FEATURES['ENABLE_X']"),
    ("MODULESTORE", ("default", "OPTIONS"), "MODULESTORE['default']['OPTIONS']"),
    ("CODES", (404,), "CODES[404]"),
    ("X", (), "X"),
])
def test_a_key_s_setting_name_and_its_keys(root: str, path: tuple[object, ...],
                                           name: str) -> None:
    assert entry_name(root, path) == name
    assert key_path(name[len(root):]) == path
