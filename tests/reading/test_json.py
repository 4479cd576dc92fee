"""JSON parsed with located errors, deep nesting and lone surrogates reported, huge numbers
not read, and a value's line found by its path."""

from __future__ import annotations

import json

import pytest

from opsdocs.reading import SNAPSHOT, json_line, load_json
from tests.reading import problem_of


def test_json_lone_surrogates_are_a_located_message():
    assert load_json('["\\ud83d\\ude00"]', "s.json", SNAPSHOT) == ["\U0001f600"]  # a pair
    assert problem_of(load_json, '{\n  "a": "x",\n  "b": "\\udc00"\n}', "s.json", SNAPSHOT) == (
        "snapshot", 3, "the snapshot holds an escaped surrogate (\\ud800 to \\udfff), which is "
        "no character: write the character itself, or \\U followed by its 8 hex digits")


def test_json_nested_too_deeply_is_a_message():
    assert problem_of(load_json, "[" * 100_000 + "]" * 100_000, "s.json", SNAPSHOT) == (
        "snapshot", None, "the snapshot is too deeply nested (more than 100 levels) for opsdocs "
        "to read: flatten it")


def test_json_errors_are_located_and_huge_numbers_are_not_read():
    text = '{\n  "a": 1,\n}'
    with pytest.raises(json.JSONDecodeError) as error:  # the words differ between Pythons
        json.loads(text)
    assert problem_of(load_json, text, "s.json", SNAPSHOT) == (
        "snapshot", error.value.lineno, f"invalid JSON, column {error.value.colno}: "
        f"{error.value.msg}")
    assert load_json("[" + "9" * 5000 + "]", "s.json", SNAPSHOT) == [float("inf")]


def test_json_line_finds_a_value_by_its_path():
    text = '{\n "a": [1,\n  {"b": 2,\n   "c": [{}, 3]}],\n "d": "x"\n}\n'
    assert json_line(text, ()) == 1
    assert json_line(text, ("a",)) == 2
    assert json_line(text, ("a", 1, "c", 1)) == 4
    assert json_line(text, ("a", 1, "b")) == 3
    assert json_line(text, ("d",)) == 5
    assert json_line(text, ("nope",)) is None
