"""What a reader can filter settings by, and the badges that show it: one rule for both.

A *facet* is a yes/no property of a setting (required, has a default, secret, deprecated,
a feature toggle).  A *badge* is how the reference shows one.  A new property of
:class:`~opsdocs.settings.model.Setting` becomes filterable by adding it to
:data:`FACETS` and to :func:`setting_facets` (and to :func:`badges` when it deserves one).
"""

from __future__ import annotations

from dataclasses import dataclass

from opsdocs.settings.annotation_checks import prose_default
from opsdocs.settings.comment_blocks import kind_field
from opsdocs.settings.model import Setting

#: What the reference says of a setting only the operator's config sets.
CONFIG_ONLY = "the YAML config only: no settings module gives it a value"

#: Every facet, in the order the filter offers them: key and label.
FACETS: dict[str, str] = {
    "required": "Required",
    "has-default": "Has a default",
    "secret": "Secret",
    "deprecated": "Deprecated",
    "toggle": "Feature toggle",
    "environment": "From the environment",
    "undeclared": "Not declared",
}


@dataclass(frozen=True)
class Badge:
    """A label beside a setting's name: its facet's key (for styling), text and tooltip."""

    key: str
    label: str
    title: str


def has_default(setting: Setting) -> bool:
    """Whether the setting has a default (shown or, for a secret, not shown)."""
    return not setting.required and (setting.has_default or setting.default_display is not None)


def setting_facets(setting: Setting) -> tuple[str, ...]:
    """The facets *setting* has, in :data:`FACETS` order."""
    found = {
        "required": setting.required,
        "has-default": has_default(setting),
        "secret": setting.secret,
        "deprecated": setting.deprecated is not None,
        "toggle": setting.toggle,
        "environment": bool(setting.env_vars),
        "undeclared": not setting.declared,
    }
    return tuple(key for key in FACETS if found[key])


def badges(setting: Setting) -> list[Badge]:
    """The badges shown beside *setting*'s name: a required secret gets both."""
    result = []
    if setting.required:
        result.append(Badge("required", "required",
                            "No default: the configuration must set it."))
    if setting.secret:
        result.append(Badge("secret", "secret", "Its value is never shown."))
    if setting.deprecated is not None:
        result.append(Badge("deprecated", f"deprecated in {setting.deprecated}",
                            "Still read, but going away."))
    if setting.toggle:
        result.append(Badge("toggle", "toggle", "A feature toggle: turns a feature on or off."))
    if not setting.declared:
        result.append(Badge("undeclared", "not declared",
                            "Read in code, with a default there; no settings module declares it."))
    return result


#: The code-annotations fields shown as facts of a setting, and their labels (the name,
#: default and description are shown as such; the warning as a warning).
ANNOTATION_FACTS = (("implementation", "Implementation"), ("use_cases", "Use cases"),
                    ("creation_date", "Created"), ("target_removal_date", "To be removed"),
                    ("tickets", "Tickets"))


def annotation_field(setting: Setting, name: str) -> str | None:
    """A field of the setting's code-annotations block (``use_cases``: ``toggle_use_cases``
    or ``setting_use_cases``), unless empty or "None"."""
    value = kind_field(setting.annotation_fields, setting.toggle, name)
    return None if value is None or value.strip().lower() in ("", "none", "n/a") else value


def facts(setting: Setting, code: str | None, keys: bool = True) -> list[tuple[str, str, str]]:
    """What a setting's summary says besides its type and default: label, text and how to
    show it (``code``: each word as code; ``text``; ``link``: a URL).  *code* is the
    setting's :func:`~opsdocs.settings.display.shown_code`; *keys*: list the keys of a
    dict setting (not when its default sums them up already)."""
    result = []
    if setting.env_vars:
        label = "Environment variables" if len(setting.env_vars) > 1 else "Environment variable"
        result.append((label, " ".join(setting.env_vars), "code"))
    if setting.config_only:
        result.append(("Set by", CONFIG_ONLY, "text"))
    if setting.keys and keys:
        result.append(("Keys", " ".join(setting.keys), "code"))
    prose = prose_default(annotation_field(setting, "default"), code)
    if prose is not None:
        result.append(("Documented default", prose, "text"))
    if setting.toggle_object and annotation_field(setting, "implementation") is None:
        result.append(("Implementation", setting.toggle_object, "text"))
    for name, label in ANNOTATION_FACTS:
        value = annotation_field(setting, name)
        if value is not None:
            kind = "link" if value.startswith(("https://", "http://")) and " " not in value \
                else "text"
            result.append((label, value, kind))
    return result
