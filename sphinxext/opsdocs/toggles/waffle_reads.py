"""django-waffle's own functions reading a switch or flag by its literal name, no toggle
object made: ``waffle.switch_is_active('name')``, ``flag_is_active(request, 'name')``.

Such a read is the only place some services name a switch (edx-analytics-dashboard): a
name that no toggle object or block defines is a toggle there (:mod:`.reader`).
``sample_is_active`` is not read: code-annotations' ``toggle_implementation`` has no
choice for a waffle sample, so no block could document one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from opsdocs.toggles.expressions import constant_text

#: waffle's functions: the implementation what they read is, and where its name is given
#: (position, keyword), as django-waffle defines them.
READERS = {"switch_is_active": ("WaffleSwitch", 0, "switch_name"),
           "flag_is_active": ("WaffleFlag", 1, "flag_name")}
#: Bytes without which a file reads no waffle name (its import names the function).
READ_MARKERS = tuple(function.encode() for function in READERS)


def literal_reads(imports: Iterable[ast.Import | ast.ImportFrom], calls: Iterable[ast.Call]
                  ) -> Iterator[tuple[ast.Call, str, str]]:
    """Of *calls*, those of waffle's :data:`READERS` (as the module's *imports* name them)
    with the name a string literal: each with the implementation it reads and the name."""
    functions, modules = _waffle_names(imports)
    if not functions and not modules:
        return
    for call in calls:
        func = call.func
        function = functions.get(func.id) if isinstance(func, ast.Name) else \
            func.attr if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
            and func.value.id in modules else None
        if function not in READERS:
            continue
        implementation, position, keyword = READERS[function]
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        name = constant_text(call.args[position] if len(call.args) > position else
                             keywords.get(keyword))
        if name:
            yield call, implementation, name


def _waffle_names(imports: Iterable[ast.Import | ast.ImportFrom]
                  ) -> tuple[dict[str, str], set[str]]:
    """The names *imports* (a module's, anywhere in it) bind waffle's functions to (local
    name: function), and the ``waffle`` module to."""
    functions: dict[str, str] = {}
    modules: set[str] = set()
    for node in imports:
        if isinstance(node, ast.ImportFrom) and node.module == "waffle" and not node.level:
            functions.update((a.asname or a.name, a.name) for a in node.names
                             if a.name in READERS)
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name == "waffle")
    return functions, modules
