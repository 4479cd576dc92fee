"""The kinds of YAML values in words, and whether a value fits what an annotation expects."""

from __future__ import annotations

import pytest
import yaml

from opsdocs.config.annotations import expected_from_annotation
from opsdocs.config.value_kinds import describe_kind, fits, kind_of, type_hint


def node(text: str) -> yaml.Node:
    found = yaml.compose(text, Loader=yaml.SafeLoader)
    assert found is not None
    return found


@pytest.mark.parametrize(("text", "kind", "words"), [
    ("x", "str", "a string"), ("'5'", "str", "a string"), ("5", "int", "an integer"),
    ("5.0", "float", "a number"), ("yes", "bool", "a boolean"), ("true", "bool", "a boolean"),
    ("null", "none", "null"), ("[1]", "list", "a list"), ("{a: 1}", "dict", "a mapping"),
    ("2024-01-31", "timestamp", "a date"), ("!!set {a}", "other", "a value with !!set"),
    ("!custom x", "other", "a value with a custom tag (or a value starting with '!' without "
     "quotes)"),
])
def test_kinds_in_words(text: str, kind: str, words: str) -> None:
    """As PyYAML reads YAML 1.1: ``yes`` is a boolean."""
    assert (kind_of(node(text)), describe_kind(node(text))) == (kind, words)


@pytest.mark.parametrize(("annotation", "text", "fit"), [
    ("int", "5", True), ("int", "'5'", False), ("float", "5", True), ("int", "5.0", False),
    ("bool", "true", True), ("bool", "'true'", False), ("str | None", "null", True),
    ("Literal['a', 'b']", "b", True), ("Literal['a', 'b']", "c", False),
    ("Literal[1]", "'1'", False), ("int", "!custom 5", True),
])
def test_what_fits_an_annotation(annotation: str, text: str, fit: bool) -> None:
    expected = expected_from_annotation(annotation)
    assert expected is not None
    value = node(text)
    assert fits(value, kind_of(value), expected) is fit


@pytest.mark.parametrize(("annotation", "hint"), [
    ("int", "write a whole number, without quotes"),
    ("bool | None", "write true or false, without quotes"),
    ("str | int", ""),
    ("Literal['a', 1, True]", "use one of a, 1, true"),
])
def test_how_to_write_a_value_that_fits(annotation: str, hint: str) -> None:
    expected = expected_from_annotation(annotation)
    assert expected is not None and type_hint(expected) == hint
