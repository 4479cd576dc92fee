"""Open edX's settings idioms, read from a setting's code: ``FeaturesProxy`` and ``Derived``.

``FEATURES = FeaturesProxy(globals())`` (openedx-platform since its settings were
flattened) makes ``FEATURES['X']`` the top-level setting ``X``; ``X = Derived(lambda
settings: ...)`` is computed from the other settings at startup.  The smallest facts the
changelog and the config check need; the reader may come to know them better.
"""

from __future__ import annotations

import ast

from opsdocs.settings.model import Setting

#: The class that makes a dict setting a view of the module's top-level settings.
PROXY_CLASS = "FeaturesProxy"
#: The class whose value is computed from the other settings.
DERIVED_CLASS = "Derived"


def _call_of(code: str | None) -> str | None:
    """The name of the function or class *code* calls at its top, if it is a call."""
    if not code:
        return None
    try:
        node = ast.parse(code.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    return func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else None)


def is_features_proxy(setting: Setting | None) -> bool:
    """Whether *setting* is ``FeaturesProxy(globals())``: its keys are top-level settings."""
    return setting is not None and _call_of(setting.value) == PROXY_CLASS


def is_derived(code: str | None) -> bool:
    """Whether *code* is ``Derived(...)``: a value computed from the other settings."""
    return _call_of(code) == DERIVED_CLASS
