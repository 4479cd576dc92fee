"""What a setting's value is, beyond its text: Open edX's ways of making one.

- computed at startup from the other settings: ``lambda settings: ...``, or
  ``Derived(lambda settings: ...)`` / ``Derived(function)``;
- a proxy of the settings themselves: ``FEATURES = FeaturesProxy(globals())``;
- a feature toggle object made in a settings module: ``WaffleSwitch("app.name",
  module_name=__name__)`` (credentials' ``LOG_INCOMING_REQUESTS``), whose state lives in
  the database, not in the setting.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from opsdocs.settings.environment import is_call, string

#: Methods of lists, dicts and sets that change the value in place.
CHANGING_METHODS = frozenset({
    "update", "append", "insert", "extend", "setdefault", "pop", "remove", "clear",
    "add", "discard", "popitem", "sort", "reverse",
})
#: The toggle classes (edx-toggles' and Open edX's, legacy names too), by the name code
#: calls them, with the implementation each is (code-annotations'
#: ``toggle_implementation``): a value made by one is a toggle.
TOGGLE_CLASSES: Mapping[str, str] = MappingProxyType({
    "WaffleFlag": "WaffleFlag", "CourseWaffleFlag": "CourseWaffleFlag",
    "ExperimentWaffleFlag": "ExperimentWaffleFlag", "WaffleSwitch": "WaffleSwitch",
    "SettingToggle": "SettingToggle", "SettingDictToggle": "SettingDictToggle",
    "NonNamespacedWaffleFlag": "WaffleFlag", "NonNamespacedWaffleSwitch": "WaffleSwitch",
    "LegacyWaffleFlag": "WaffleFlag", "LegacyWaffleSwitch": "WaffleSwitch",
})


def called_name(func: ast.expr) -> str:
    """The name a call or base names: ``X`` of ``X(...)`` and of ``toggles.X(...)``."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def called(node: ast.expr) -> str | None:
    """The name a call calls (``Derived`` of ``Derived(...)`` and ``derived.Derived(...)``)."""
    if not isinstance(node, ast.Call):
        return None
    return called_name(node.func) or None


def is_proxy(node: ast.expr) -> bool:
    """Whether *node* makes a proxy of the settings themselves: Open edX's
    ``FeaturesProxy(globals())``, whose key ``X`` is the setting ``X``."""
    return called(node) == "FeaturesProxy" and isinstance(node, ast.Call) and \
        bool(node.args) and is_namespace_call(node.args[0])


def is_namespace_call(node: ast.expr) -> bool:
    """Whether *node* is the module's own namespace: ``globals()``, ``vars()``,
    ``locals()``."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
        node.func.id in ("globals", "vars", "locals") and not node.args


def is_computed(node: ast.expr) -> bool:
    """Whether the service computes the value at startup from the other settings: a
    ``lambda settings: ...``, or Open edX's ``Derived(...)`` of one or of a function."""
    return isinstance(node, ast.Lambda) or (
        called(node) == "Derived" and isinstance(node, ast.Call) and len(node.args) == 1)


def computed_code(code: str | None) -> bool:
    """Whether the source text *code* is a value computed at startup (:func:`is_computed`)."""
    try:
        node = ast.parse((code or "").strip(), mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return is_computed(node)


def toggle_class(node: ast.expr) -> str | None:
    """The edx-toggles class *node* makes a toggle with, if it does."""
    name = called(node)
    return name if name in TOGGLE_CLASSES else None


def toggle_summary(cls: str, code: str | None) -> str:
    """What stands for the default of a toggle object: where its state is, and its name
    (``waffle switch 'api.log_incoming_requests' (WaffleSwitch): off until turned on in
    the database``)."""
    name = None
    try:
        call = ast.parse((code or "").strip(), mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        call = None
    if isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Constant):
        name = call.args[0].value
    named = f" {name!r}" if isinstance(name, str) else ""
    if cls in ("SettingToggle", "SettingDictToggle"):
        return f"toggle{named} ({cls}): the setting it names decides"
    kind = "switch" if cls.endswith("Switch") else "flag"
    return f"waffle {kind}{named} ({cls}): off until turned on in the database"


def call_items(call: ast.Call) -> list[tuple[Any, int, ast.expr]]:
    """``(key, line, value)`` of what ``X.update({...})``, ``X.update(K=...)`` or
    ``X.setdefault("k", v)`` adds (``X.setdefault("k")``: a ``None`` made up, placed
    nowhere)."""
    assert isinstance(call.func, ast.Attribute)
    if call.func.attr == "setdefault":
        key = string(call.args[0]) if len(call.args) in (1, 2) else None
        value = call.args[1] if len(call.args) == 2 else ast.Constant(None)
        return [(key, call.args[0].lineno, value)] if key is not None else []
    items = dict_items(call.args[0]) or [] if len(call.args) == 1 else []
    return items + [(k.arg, k.lineno, k.value) for k in call.keywords if k.arg is not None]


def dict_items(value: ast.expr) -> list[tuple[Any, int, ast.expr]] | None:
    """``(key, line, value)`` of a dict literal's constant keys, or of ``dict(K=...)``."""
    if isinstance(value, ast.Dict):
        return [(key.value, key.lineno, item) for key, item in zip(value.keys, value.values,
                                                                   strict=True)
                if isinstance(key, ast.Constant) and isinstance(key.value, (str, int))]
    call = is_call(value, "dict")
    if call is not None and not call.args:
        return [(k.arg, k.lineno, k.value) for k in call.keywords if k.arg is not None]
    return None
