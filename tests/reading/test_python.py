"""Python parsed with ast, a module nested too deeply one message at the file."""

from __future__ import annotations

import ast

import pytest

from opsdocs.errors import OpsdocsError
from opsdocs.reading import MAX_DEPTH, deep_node_line, parse_python
from tests.reading import problem_of


@pytest.mark.parametrize("source", [
    "X = " + "-" * 100_000 + "1\n",  # the parser's own stack
    "X = " + " + ".join(["'a'"] * (MAX_DEPTH + 5)) + "\n",  # fine for ast, deep for readers
    "X = " + "[" * 150 + "]" * 150 + "\n",
])
def test_python_nested_too_deeply_is_a_message(source):
    check, line, message = problem_of(parse_python, source, "defaults.py")
    assert (check, message) == ("syntax", f"the settings module is too deeply nested (more than "
                                f"{MAX_DEPTH} levels) for opsdocs to read: flatten it")
    assert line in (None, 1)


def test_python_at_the_limit_parses_and_one_level_more_does_not():
    # Module, Assign, MAX_DEPTH - 2 nested '+', then the innermost 'a': MAX_DEPTH levels.
    at_limit = "X = " + " + ".join(["'a'"] * (MAX_DEPTH - 1)) + "\n"
    tree = parse_python(at_limit, "d.py")
    assert deep_node_line(tree) is None
    assert [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)] == \
        ["a"] * (MAX_DEPTH - 1)
    assert deep_node_line(tree, MAX_DEPTH - 1) == 1
    with pytest.raises(OpsdocsError, match="too deeply nested"):
        parse_python(at_limit.replace("X = ", "X = 'a' + "), "d.py")


def test_a_nul_byte_is_a_syntax_error_at_its_line():
    with pytest.raises(SyntaxError) as raised:
        parse_python("A = 1\nB = 2\nC = \0 3\n", "defaults.py")
    assert raised.value.lineno == 3
