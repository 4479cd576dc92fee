"""The effective value: literal changes folded into the value, never by running code."""

from __future__ import annotations

import ast
import json
import re
import runpy

from opsdocs.settings.effective import UNKNOWN, fold, possible_value
from opsdocs.settings.model import Definition
from opsdocs.settings.reader import source_from_specs
from tests.settings.support import (
    SOURCES,
)


def test_differential_effective_defaults_equal_what_running_the_module_gives() -> None:
    """Executes our own fixture (standard library only), in this test only."""
    path = SOURCES / "executable_semantics.py"
    executed = {k: v for k, v in runpy.run_path(str(path)).items() if k.isupper()}
    recorded = json.loads((SOURCES / "executable_semantics.expected.json").read_text())
    assert set(executed) == set(recorded["values"])  # the fixture runs as recorded
    catalog = source_from_specs([path])
    flagged = {name for name in executed for p in catalog.problems
               if p.check.startswith("python") and re.search(rf"\b{name}\b", p.message)}
    exact = []
    for name, value in executed.items():
        setting = catalog.get(name)
        if setting is None:
            assert name in flagged or f"'{name[:8]}" in " ".join(
                p.message for p in catalog.problems), name
            continue
        shown = setting.effective_value or setting.value
        try:
            claimed = ast.literal_eval(shown or "")
        except (ValueError, SyntaxError):
            claimed = NotImplemented  # an expression: shown as written
        if claimed == value:
            exact.append(name)
            continue
        # Anything else says how it may differ: a condition, a change under one, a flag.
        assert setting.conditional or any(d.condition for d in setting.definitions) or \
            name in flagged or any(d.kind == "loop" for d in setting.definitions) or \
            claimed is NotImplemented, name
        if setting.conditional or any(d.condition and d.binds for d in setting.definitions):
            values = [ast.literal_eval(d.value) for d in setting.definitions if d.value and d.binds]
            assert value in values, name
    assert sorted(exact) == sorted([
        "REPEATED", "APPENDED_NAME", "FLAG_ON", "CONDITIONAL_SKIPPED", "IF_ELSE", "LIST_MODIFIED",
        "DICT_MODIFIED", "TUPLE_EXTENDED", "DICT_WITH_DELETED_KEY", "WALRUS_INNER",
        "LOOP_ASSIGNED", "TRY_VALUE", "EXCEPT_VALUE", "FINALLY_VALUE", "WITH_VALUE", "MATCHED",
        "ANNOTATED", "CHAIN_A", "CHAIN_B", "UNPACK_A", "UNPACK_B", "NESTED_A", "NESTED_B",
        "NESTED_C", "STAR_FIRST", "STAR_REST", "BASE_URL", "COUNTER", "GREETING"])
    for absent in recorded["_absent"]:
        setting = catalog.get(absent)
        assert setting is None or setting.conditional or setting.value is None, absent
    assert {"ALIAS_OF_ALIASED", "ALIASED"} <= flagged


def test_literal_changes_fold_into_the_effective_value() -> None:
    main = Definition("assign", 1, "{'a': [1]}")
    assert fold("X", main, [Definition("item", 2, "2", key="'b'"),
                            Definition("call", 3, "X['a'].append(3)"),
                            Definition("statement", 4, "X.setdefault('c', {})['d'] = 4"),
                            Definition("augmented", 5, "{'e': 5}", operator="|="),
                            Definition("delete", 6, "del X['b']")]) == \
        "{'a': [1, 3], 'c': {'d': 4}, 'e': 5}"
    # nothing changed, a change under a condition, or one that is no literal: no folding
    assert fold("X", main, []) is None
    assert fold("X", main, [Definition("item", 2, "2", "if DEBUG", key="'b'")]) is None
    assert fold("X", main, [Definition("call", 2, "X.update(OTHER)")]) is None
    assert fold("X", main, [Definition("call", 2, "X['a'].sort()")]) is None
    assert fold("X", Definition("assign", 1, "f()"), [Definition("item", 2, "1", key="'a'")]) \
        is None


def test_the_possible_value_takes_every_definition_it_can_read() -> None:
    def apps(*definitions: Definition) -> object:
        value = possible_value("APPS", definitions,
                               lambda v: all(isinstance(item, str) for item in v))
        return "unknown" if value is UNKNOWN else value

    assert apps(Definition("assign", 1, "('a',)"), Definition("augmented", 2, "['b']", operator="+="),
                Definition("augmented", 4, "('c',)", "if DEBUG", operator="+="),
                Definition("call", 5, "APPS.insert(0, 'z')"),
                Definition("assign", 6, "APPS + ('d',)")) == ["z", "a", "b", "c", "d"]
    # a change that cannot be read, or gives what is refused, is skipped; the value stays
    assert apps(Definition("assign", 1, "['a']"), Definition("call", 2, "APPS.append(f())"),
                Definition("call", 3, "APPS.append(1)"), Definition("assign", 4, "OTHER")) == ["a"]
    # the first binding read decides: none that can be read, nothing is known
    assert apps(Definition("annotation", 1), Definition("assign", 2, "BASE + ['a']")) == "unknown"
    assert apps(Definition("assign", 1, "[1]")) == "unknown"
