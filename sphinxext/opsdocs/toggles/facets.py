"""What a reader can filter toggles by, the badges that show it and the facts each toggle
states: one rule for the reference page and the command line's text.

A *facet* is a yes/no property of a toggle (temporary, past due, undocumented, a use
case); the filter's group is its implementation.  Badges reuse the settings reference's
look (:class:`opsdocs.settings.facets.Badge`).
"""

from __future__ import annotations

from datetime import date

from opsdocs.settings.facets import Badge
from opsdocs.toggles.model import USE_CASES, Toggle

#: Every facet, in the order the filter offers them: key and label.
FACETS: dict[str, str] = {
    "temporary": "Temporary",
    "past-due": "Past due",
    "undocumented": "Undocumented",
    "disagrees": "Annotation disagrees with the code",
    "unknown-name": "Name not known statically",
    **{f"use-{case}": f"Use case: {case}" for case in USE_CASES if case != "temporary"},
}
#: How a toggle whose implementation nobody says is grouped.
NO_IMPLEMENTATION = "Not said"
#: What the name field says of a name the code builds at run time.
NOT_KNOWN = "not known statically"


def toggle_facets(toggle: Toggle, today: date) -> tuple[str, ...]:
    """The facets *toggle* has, in :data:`FACETS` order."""
    found = {
        "temporary": toggle.temporary,
        "past-due": toggle.past_due(today),
        "undocumented": not toggle.documented,
        "disagrees": toggle.published_differs or toggle.implementation_differs,
        "unknown-name": not toggle.known,
        **{f"use-{case}": case in toggle.use_cases for case in USE_CASES if case != "temporary"},
    }
    return tuple(key for key in FACETS if found[key])


def group(toggle: Toggle) -> str:
    """The filter's group of *toggle*: its implementation."""
    return toggle.shown_implementation or NO_IMPLEMENTATION


def badges(toggle: Toggle, today: date) -> list[Badge]:
    """The badges shown beside a toggle's name."""
    result = [Badge("implementation", toggle.shown_implementation,
                    "How the toggle is implemented" + (
                        "" if toggle.implementation else " (as its annotation says)"))
              ] if toggle.shown_implementation else []
    if toggle.past_due(today):
        result.append(Badge("past-due", "past due",
                            f"Temporary, and to be removed by {toggle.target_removal_date}."))
    elif toggle.temporary:
        result.append(Badge("temporary", "temporary", "Meant to be removed."))
    if not toggle.documented:
        result.append(Badge("undocumented", "undocumented",
                            "The code defines it; no code-annotations block documents it."))
    if toggle.published_differs or toggle.implementation_differs:
        result.append(Badge("disagrees", "annotation disagrees",
                            "Its annotation's name or implementation is not the code's."))
    return result


def facts(toggle: Toggle) -> list[tuple[str, str, str]]:
    """What a toggle's summary states besides its default: label, text and how to show
    it (``code``: as code; ``text``; ``link``: a URL; ``words``: each word as code)."""
    result: list[tuple[str, str, str]] = []
    if toggle.implementation and toggle.implementation_differs:
        result.append(("Annotation says", toggle.documented_implementation or "", "text"))
    if toggle.registered is not None and toggle.published_differs:
        result.append(("Code registers", toggle.registered, "code"))
    elif toggle.registered is None and toggle.pattern is not None:
        result.append(("Code registers", f"{toggle.pattern} ({NOT_KNOWN})", "text"))
    if toggle.default is not None and toggle.documented_default is not None and \
            toggle.documented_default != toggle.default:
        result.append(("Annotation's default", toggle.documented_default, "text"))
    for label, value in (("Use cases", ", ".join(toggle.use_cases) or None),
                         ("Created", toggle.creation_date),
                         ("To be removed", toggle.target_removal_date),
                         ("Removal ticket", toggle.removal_ticket),
                         ("Tickets", toggle.tickets)):
        if value:
            kind = "link" if value.startswith(("https://", "http://")) and " " not in value \
                else "text"
            result.append((label, value, kind))
    if toggle.variable and toggle.variable != toggle.name:
        result.append(("Python name", toggle.variable, "code"))
    return result
