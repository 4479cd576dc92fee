"""How a setting's default is shown, the one rule for every output (the reference in HTML
and other builders, ``opsdocs settings`` in reStructuredText and Markdown, the JSON
``default``, the sample config, the changelog).

The model keeps the source text (``value``, ``effective_value``); what is shown is that
code without its comments (:mod:`opsdocs.code_text`), or, where the code would say less
than a sentence, a summary: a dict whose keys are documented as entries of their own
(edx-platform's ``FEATURES``) is "dict of 116 keys; 78 documented as entries" (nested
ones counted apart, :class:`DocumentedKeys`), a value the service computes at startup
(a ``lambda settings: ...``, Open edX's ``derived("X")``) is "computed at startup from
other settings", and Open edX's ``FEATURES = FeaturesProxy(globals())`` is "the settings
themselves", and a toggle object (``WaffleSwitch("app.name")``) says where its state is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from opsdocs.code_text import one_line, value_lines, without_comments
from opsdocs.reading.kinds import MAX_SHOWN_DEFAULT
from opsdocs.settings.model import Setting, SettingsCatalog
from opsdocs.settings.values import toggle_summary

#: A dict with documented keys is summarised when its code on one line is longer.
SUMMARY_WIDTH = 80
#: What stands for the default of a setting the service computes at startup.
COMPUTED = "computed at startup from other settings"
#: What stands for the default of a proxy of the settings (``FeaturesProxy(globals())``).
PROXY = "the settings themselves: its key X is the setting X"


def cut_default(code: str, limit: int = MAX_SHOWN_DEFAULT) -> str:
    """*code* as a page shows it: at most *limit* characters, cut at a line's end where
    there is one, the rest named in a last comment line."""
    if len(code) <= limit:
        return code
    kept = code.rfind("\n", 0, limit) + 1 or limit
    head = code[:kept] if code[kept - 1] == "\n" else code[:kept] + "\n"
    return f"{head}# ... {len(code) - kept:,} characters more: see the source"


def shown_code(setting: Setting) -> str | None:
    """The code of the default: the effective value (after the literal changes made
    later), else the value; a literal in Python's ``repr`` style on lines of at most 79
    characters (:func:`~opsdocs.code_text.value_lines`), other code without comments;
    ``None`` for a secret or a value-less setting."""
    value = setting.effective_value if setting.effective_value is not None else setting.value
    return None if value is None or setting.secret else value_lines(without_comments(value))


@dataclass(frozen=True)
class DocumentedKeys:
    """How many keys of a dict setting are documented as entries of their own: its own
    keys (``FEATURES['X']``), and keys of dicts inside it (``MODULESTORE['default']['X']``)."""

    direct: int = 0
    nested: int = 0

    def __bool__(self) -> bool:
        return bool(self.direct or self.nested)

    def __str__(self) -> str:
        """``12 documented as entries``, ``3 nested keys documented as entries``, ``12 of
        them and 3 nested keys documented as entries``."""
        nested = f"{self.nested} nested key{'s' if self.nested != 1 else ''}"
        if self.direct and self.nested:
            return f"{self.direct} of them and {nested} documented as entries"
        what = nested if self.nested else str(self.direct)
        return f"{what} documented as {'an entry' if self.direct + self.nested == 1 else 'entries'}"


NO_DOCUMENTED_KEYS = DocumentedKeys()


def documented_keys(settings: Iterable[Setting]) -> defaultdict[str, DocumentedKeys]:
    """For each dict setting, how many of its keys are documented as entries of their own."""
    found: defaultdict[str, DocumentedKeys] = defaultdict(DocumentedKeys)
    for setting in settings:
        if setting.parent and setting.entry_keys:
            counts = found[setting.parent]
            found[setting.parent] = DocumentedKeys(
                counts.direct + (len(setting.entry_keys) == 1),
                counts.nested + (len(setting.entry_keys) > 1))
    return found


def documented_dict_keys(setting: Setting) -> frozenset[str] | None:
    """The keys of a dict setting whose doc names every one of them (``ENABLE_X``, as the
    example's ``FEATURES`` lists its flags): the only keys a config may give it; ``None``
    for any other setting (``DATABASES``, whose aliases are the operator's to choose)."""
    keys = [key for key in setting.keys if isinstance(key, str)]
    if not keys or len(keys) != len(setting.keys) or setting.secret:
        return None
    named = set(re.findall(r"``([^`]+)``", setting.doc))
    return frozenset(keys) if named.issuperset(keys) else None


def dict_keys(catalog: SettingsCatalog) -> dict[str, frozenset[str]]:
    """The keys a config may give each dict setting whose keys are checked: one with keys
    documented as entries of their own (``CACHES['default']``) or whose doc names every
    key (:func:`documented_dict_keys`), not a view of the settings (``FeaturesProxy``).
    They are its value's keys and those set later, those documented as entries, and those
    the code reads from the config (``ENV_TOKENS.get("FEATURES")``)."""
    found: dict[str, set[str]] = {}
    checked = {s.parent for s in catalog if s.parent} | {
        s.name for s in catalog if documented_dict_keys(s) is not None}
    for name in checked:
        setting = catalog.get(name or "")
        if setting is not None and not setting.proxy:
            found[setting.name] = {key for key in setting.keys if isinstance(key, str)}
    for setting in catalog:
        if setting.parent in found and setting.entry_keys:
            found[setting.parent].add(str(setting.entry_keys[0]))
    for key in catalog.config_keys:
        parent, dot, rest = key.partition(".")
        if dot and parent in found:
            found[parent].add(rest)
    return {name: frozenset(keys) for name, keys in found.items()}


def default_summary(setting: Setting, documented: DocumentedKeys, code: str | None
                    ) -> str | None:
    """A sentence standing for the default, when the code says less: a value computed at
    startup, or a dict with *documented* keys that are entries of their own, whose *code*
    (its :func:`shown_code`) is too long to read on one line."""
    if setting.required or setting.secret:
        return None
    made = _made(setting)
    if made is not None or not documented:
        return made
    if code is None or len(one_line(code)) <= SUMMARY_WIDTH:
        return None
    keys = len(setting.keys)
    size = f"dict of {keys} key{'s' if keys != 1 else ''}" if keys else "dict"
    return f"{size}; {documented}"


def _made(setting: Setting) -> str | None:
    """The sentence for a value the service makes at startup, a proxy or a toggle."""
    if setting.computed:
        return COMPUTED
    if setting.proxy:
        return PROXY
    if setting.toggle_object:
        return toggle_summary(setting.toggle_object, setting.value)
    return None
