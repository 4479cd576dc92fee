"""Django settings as code sets and reads them: what a toggle's block over a statement or
a function documents when the code makes no toggle object.

``X = ...``, ``settings.X = ...`` (a plugin's ``plugin_settings``), ``FEATURES['X'] = ...``
and ``settings.FEATURES.update({...})`` set settings; ``settings.X``, ``getattr(settings,
'X', d)``, and a key of any dict setting, ``settings.D.get('K', d)`` and
``settings.D['K']``, read them.  A module's own name (``X = ...``) is a setting only in a
settings module (:func:`settings_module`): elsewhere it is a constant.
"""

from __future__ import annotations

import ast
import os
from pathlib import PurePath

from opsdocs.settings.model import is_setting_name
from opsdocs.settings.usage import CodeReads, imported_names, setting_changes
from opsdocs.toggles.model import setting_key

#: The folders of Django settings modules.
SETTINGS_FOLDERS = frozenset({"settings", "envs"})


def function_setting(function: ast.FunctionDef | ast.AsyncFunctionDef, published: str,
                     settings: set[str]) -> tuple[str, ast.expr | None] | None:
    """The setting a function sets or reads that its block documents: the one the block
    names, else the only one (*settings*: the names of Django's settings around it)."""
    found: dict[str, ast.expr | None] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.stmt):
            found.update((name, value) for name, value, whole in setting_changes(node, True)
                         if whole)
    for name, value in setting_reads(function, settings).items():
        found.setdefault(name, value)
    named = [(k, v) for k, v in found.items() if setting_key(k) == setting_key(published)]
    return named[0] if named else next(iter(found.items())) if len(found) == 1 else None


def setting_reads(node: ast.AST, settings: set[str]) -> dict[str, ast.expr | None]:
    """The Django settings *node* reads (``settings.X``, ``getattr(settings, 'X', d)``, a
    key of a dict setting: ``settings.D.get('K', d)``, ``settings.D['K']``), with the
    defaults the code gives; *settings* are the names of Django's settings where *node* is.
    A dict read whole as well as by a key known is that key's."""
    reads: dict[str, ast.expr | None] = {}
    for read in CodeReads(keyed=is_setting_name).reads(node, settings):
        if read.name is not None and read.kind in _READS:
            if read.kind == "attribute":
                reads.setdefault(read.name, None)
            else:
                reads[read.name] = read.written_default
    return {k: v for k, v in reads.items() if not any(r.startswith(k + "[") for r in reads)}


def settings_module(filename: str, tree: ast.Module) -> bool:
    """Whether *filename*, parsed as *tree*, is a Django settings module.

    By its place and name: in a ``settings`` or ``envs`` folder (``lms/envs/common.py``,
    ``settings/base.py``, one folder below too), or ``settings.py``, ``*_settings.py``,
    ``settings_*.py``; a relative *filename* from the current directory (``common.py``,
    read from ``envs``).  Unless it imports Django's settings (anywhere in its statements:
    :func:`~opsdocs.settings.usage.imported_names`): a settings module is what they are
    made of, so one that reads them holds code and constants
    (``discussion/config/settings.py``, ``settings/process_synonyms.py``).
    """
    path = PurePath(os.path.abspath(filename))
    return (path.stem == "settings" or path.stem.endswith("_settings") or
            path.stem.startswith("settings_") or
            any(folder in SETTINGS_FOLDERS for folder in path.parts[-3:-1])) and \
        not imported_names(tree)[0]


def sets_module_name(statement: ast.stmt) -> bool:
    """Whether *statement* sets a name of its module (``X = ...``, ``X["k"] = ...``,
    ``X.update(...)``), not an attribute of Django's settings (``settings.X = ...``)."""
    if isinstance(statement, ast.Assign):
        target: ast.expr = statement.targets[0]
    elif isinstance(statement, ast.AnnAssign):
        target = statement.target
    elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        target = statement.value.func
        target = target.value if isinstance(target, ast.Attribute) else target
    else:
        return False
    while isinstance(target, ast.Subscript):
        target = target.value
    return isinstance(target, ast.Name)


#: How code reads a setting it documents (a ``SettingToggle`` is a toggle of its own).
_READS = frozenset({"attribute", "getattr", "key"})
