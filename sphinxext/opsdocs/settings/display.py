"""How a setting's default is shown, the one rule for every output (the reference in HTML
and other builders, ``opsdocs settings`` in reStructuredText and Markdown, the JSON
``default``, the sample config, the changelog).

The model keeps the source text (``value``, ``effective_value``); what is shown is that
code without its comments (:mod:`opsdocs.code_text`), or, where the code would say less
than a sentence, a summary: a dict whose keys are documented as entries of their own
(edx-platform's ``FEATURES``) is "dict of 116 keys; 78 documented as entries", a value the
service computes at startup (a ``lambda settings: ...``, Open edX's ``derived("X")``) is
"computed at startup from other settings".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from opsdocs.code_text import one_line, without_comments
from opsdocs.settings.model import Setting

#: A dict with documented keys is summarised when its code on one line is longer.
SUMMARY_WIDTH = 80
#: What stands for the default of a setting the service computes at startup.
COMPUTED = "computed at startup from other settings"


def shown_code(setting: Setting) -> str | None:
    """The code of the default, without comments: the effective value (after the literal
    changes made later), else the value; ``None`` for a secret or a value-less setting."""
    value = setting.effective_value if setting.effective_value is not None else setting.value
    return None if value is None or setting.secret else without_comments(value)


def documented_keys(settings: Iterable[Setting]) -> Counter[str]:
    """For each dict setting, how many of its keys are documented as entries of their own."""
    return Counter(setting.parent for setting in settings if setting.parent)


def default_summary(setting: Setting, documented: int) -> str | None:
    """A sentence standing for the default, when the code says less: a value computed at
    startup, or a dict of which *documented* keys are entries of their own, too long to
    read on one line."""
    if setting.required or setting.secret:
        return None
    if setting.computed:
        return COMPUTED
    if not documented:
        return None
    code = shown_code(setting)
    if code is None or len(one_line(code)) <= SUMMARY_WIDTH:
        return None
    keys = len(setting.keys)
    size = f"dict of {keys} key{'s' if keys != 1 else ''}" if keys else "dict"
    return f"{size}; {documented} documented as entries"
