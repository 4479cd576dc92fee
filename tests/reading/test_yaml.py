"""YAML composed within the caps, its errors and unreadable values located, never quoted."""

from __future__ import annotations

import pytest
import yaml

import opsdocs.reading.yaml as reading_yaml
from opsdocs.reading import (
    MAX_DEPTH,
    BadValue,
    FileKind,
    compose_yaml,
    construct,
    yaml_problem,
)
from tests.reading import problem_of

DEEP = FileKind("config", 2**20)


@pytest.mark.parametrize("text", [
    "A: " + "[" * 900 + "]" * 900 + "\n",  # flow
    "".join(" " * i + "a:\n" for i in range(900)) + " " * 900 + "b: 1\n",  # block
    # A chain of merges, each one level deeper through an alias.
    "a0: &a0 {x: 1}\n" + "".join(f"a{i}: &a{i} {{<<: *a{i - 1}}}\n" for i in range(1, 300)),
])
@pytest.mark.parametrize("loader", ["fast", "pure"])
def test_yaml_nested_too_deeply_is_a_message(monkeypatch, text, loader):
    if loader == "pure":
        monkeypatch.setattr(reading_yaml, "FAST_LOADER", yaml.SafeLoader)
    check, line, message = problem_of(compose_yaml, text, "c.yml", DEEP, "fix it")
    assert (check, message) == ("syntax", f"the config is too deeply nested (more than "
                                f"{MAX_DEPTH} levels) for opsdocs to read: flatten it")
    assert line is not None


def test_yaml_within_the_limits_composes():
    assert compose_yaml("A: " + "[" * 50 + "]" * 50 + "\n", "c.yml", DEEP, "") is not None
    root = compose_yaml("A: &a [*a]\n", "c.yml", DEEP, "")  # a loop counts once
    assert isinstance(root, yaml.MappingNode)


@pytest.mark.parametrize("text, line", [
    ('A: "ok"\nB: "\\ud800\\udc00"\n', 2),  # YAML has no surrogate pairs
    ("A:\n  - x\n  - \"\\udfff\"\n", 3),
    ('"\\ud83d": 1\n', 1),  # in a key too
])
def test_yaml_escaped_surrogates_are_a_located_message(text, line):
    # A lone surrogate is no character: every later write of it (stdout, HTML) would fail.
    assert problem_of(compose_yaml, text, "c.yml", DEEP, "") == (
        "syntax", line, "the config holds an escaped surrogate (\\ud800 to \\udfff), which "
        "is no character: write the character itself, or \\U followed by its 8 hex digits")


# -- YAML messages never quote the file ----------------------------------------------------


SECRET = "Pa55-MARKER"


@pytest.mark.parametrize("text", [
    f"PASSWORD: *{SECRET}\n",
    f"PASSWORD: !{SECRET}!x y\n",
    f"PASSWORD: &a {SECRET}\nOTHER: &a {SECRET}\n",
    f"PASSWORD: \"{SECRET}\\q\"\n",
    f"PASSWORD: @{SECRET}\n",
    f"PASSWORD: [{SECRET}\n",
    f"PASSWORD: {{{SECRET}: [}}\n",
    f"PASSWORD: |\n  {SECRET}\n x\n",
    f"- {SECRET}\nPASSWORD: x\n",
])
def test_yaml_syntax_errors_never_quote_the_file(text):
    with pytest.raises(yaml.YAMLError) as raised:
        yaml.compose(text, Loader=yaml.SafeLoader)
    problem = yaml_problem(raised.value, "c.yml", DEEP, "fix it", text)
    assert SECRET not in str(problem)
    assert problem.line is not None


@pytest.mark.parametrize("value", [
    f"!!int {SECRET}", f"!!float {SECRET}", f"!!bool {SECRET}", f"!!timestamp {SECRET}",
    f"!!binary {SECRET}", f"!{SECRET}", f"!!python/name:{SECRET} x", "9" * 5000, "2024-13-45",
    f"[1, {{a: !!int {SECRET}}}]", f"!!map {SECRET}", f"!!seq {{a: {SECRET}}}",
])
def test_values_that_cannot_be_constructed_are_located_without_the_value(value):
    root = compose_yaml(f"A:\n  - ok\n  - {value}\n", "c.yml", DEEP, "")
    assert isinstance(root, yaml.MappingNode)
    with pytest.raises(BadValue) as raised:
        construct(root.value[0][1])
    assert raised.value.line == 3
    assert SECRET not in raised.value.message and "9999" not in raised.value.message
