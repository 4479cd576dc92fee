"""What the reference filters settings by, and the badges that show it."""

from __future__ import annotations

import pytest

from opsdocs.settings.facets import FACETS, badges, setting_facets
from opsdocs.settings.model import Setting


def setting(**fields) -> Setting:
    return Setting(**{"name": "X", "required": False, "file": "defaults.py", "line": 1,
                      **fields})


@pytest.mark.parametrize(("fields", "facets", "labels"), [
    ({"required": True, "secret": True}, ("required", "secret"), ["required", "secret"]),
    ({"value": "1"}, ("has-default",), []),
    ({"default_display": "five seconds"}, ("has-default",), []),
    ({"value": "'s'", "secret": True}, ("has-default", "secret"), ["secret"]),
    ({"value": "1", "deprecated": "2.0"}, ("has-default", "deprecated"), ["deprecated in 2.0"]),
    ({"value": "False", "toggle": True}, ("has-default", "toggle"), ["toggle"]),
    ({"value": "3", "env_vars": ("X",)}, ("has-default", "environment"), []),
    ({"value": "3", "declared": False}, ("has-default", "undeclared"), ["not declared"]),
    ({}, (), []),
])
def test_facets_and_badges(fields, facets, labels):
    found = setting(**fields)
    assert setting_facets(found) == facets
    assert set(facets) <= set(FACETS)
    assert [badge.label for badge in badges(found)] == labels
