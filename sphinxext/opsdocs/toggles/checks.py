"""The checks of feature toggles: each a located problem with a subtype of its own.

Listed in :data:`opsdocs.toggles.model.CHECKS`; a ``-W`` build can silence one kind with
``suppress_warnings = ["opsdocs.toggle-past-due"]``.  Fields are checked as
code-annotations' configuration defines them (``feature_toggle_annotations.yaml``): its
field names and choices, and dates written ``YYYY-MM-DD`` as edx-toggles documents them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date

from opsdocs.errors import Problem
from opsdocs.settings.comment_blocks import closest_field
from opsdocs.suggest import did_you_mean
from opsdocs.toggles.model import (
    DATE_FIELDS,
    FIELDS,
    IMPLEMENTATIONS,
    USE_CASES,
    Toggle,
    normal_name,
    parse_date,
    split_choices,
)

#: The checks a settings reference makes too (``annotation-name``, ``annotation-field``)
#: when it reads a toggle's block over a setting's assignment.
SETTINGS_CHECKS = frozenset({"toggle-name", "toggle-field"})


def no_toggles(where: str) -> Problem:
    """Trees read without a problem and without a toggle: likely the wrong folders."""
    return Problem("no feature toggles here: name the folders of the code that "
                   "defines them (tests and .venv are skipped unless asked for)", where,
                   check="empty")


def settings_owned(toggles: Sequence[Toggle], problems: Sequence[Problem]) -> list[Problem]:
    """The problems of *problems* that a settings reference reading the module finds too:
    the name and unknown fields of a block over a setting's assignment.  The settings'
    checks own those (they read the module as Python runs it); a build that has both
    warns about them once, as the settings reference says it."""
    places = {(t.file, line) for t in toggles if t.setting_block
              for line in (t.annotation_line, *(line for _, line in t.field_lines))}
    return [p for p in problems if p.check in SETTINGS_CHECKS and (p.file, p.line) in places]


def toggle_problems(toggles: Sequence[Toggle], today: date,
                    star_imports: Mapping[str, frozenset[str]] | None = None) -> list[Problem]:
    """Every problem of *toggles*: each toggle's, then names published twice (a settings
    module's copy of one it star-imports, by *star_imports*: file to what it star-imports)."""
    problems: list[Problem] = []
    for toggle in toggles:
        problems.extend(_code_problems(toggle, today))
        problems.extend(_field_problems(toggle))
    problems.extend(_duplicates(toggles, star_imports or {}))
    return problems


def _code_problems(toggle: Toggle, today: date) -> Iterator[Problem]:
    """Where the block and the code disagree, or the code has no block."""
    if toggle.published_differs:
        yield Problem(
            f"the annotation publishes the toggle {toggle.name}, but the code registers "
            f"{toggle.registered}: publish the name the code registers "
            f"(# .. toggle_name: {toggle.registered})", toggle.file,
            toggle.field_line("toggle_name"), "toggle-name")
    if toggle.implementation_differs:
        yield Problem(
            f"the annotation of {toggle.name} says toggle_implementation: "
            f"{toggle.documented_implementation}, but the code makes a "
            f"{toggle.implementation}: write toggle_implementation: {toggle.implementation}",
            toggle.file, toggle.field_line("toggle_implementation"), "toggle-implementation")
    if toggle.past_due(today):
        yield Problem(
            f"the temporary toggle {toggle.name} was to be removed by "
            f"{toggle.target_removal_date}: remove it, or move toggle_target_removal_date "
            "(and say why)", toggle.file, toggle.field_line("toggle_target_removal_date"),
            "toggle-past-due")
    if not toggle.documented and toggle.implementation is not None and not toggle.waived:
        yield Problem(_undocumented(toggle), toggle.file, toggle.line, "toggle-undocumented")


def _undocumented(toggle: Toggle) -> str:
    """What to do about a toggle without a block: write one; for a name built when the
    code runs, one block per name where the name is written, and edx-lint's waiver here
    (a block here could publish only a placeholder)."""
    if toggle.registered is None and toggle.pattern is not None:
        return (f"the {toggle.implementation} {toggle.pattern} has no annotation, and its "
                "name is built when the code runs: document each name it makes with a block "
                "of its own where that name is written, and mark this call "
                "'# pylint: disable=toggle-missing-annotation' as edx-lint does")
    name = toggle.registered or toggle.name
    if toggle.read:
        return (f"the {toggle.implementation} {name} is read here by its name, and no toggle "
                f"object or block defines it: document it with a '# .. toggle_name: {name}' "
                f"block right above this read (toggle_implementation: {toggle.implementation}, "
                "default, description, use cases, creation date)")
    return (f"the {toggle.implementation} {name} has no annotation: document it with a "
            f"'# .. toggle_name: {name}' block right above it (implementation, default, "
            "description, use cases, creation date)")


def _field_problems(toggle: Toggle) -> Iterator[Problem]:
    """Fields code-annotations does not know, values outside its choices, bad dates."""
    lines = dict(toggle.field_lines)
    for name, value in toggle.fields:
        line = lines.get(name, toggle.annotation_line)
        if name not in FIELDS:
            kept = " (opsdocs shows it as a warning)" if name == "toggle_warnings" else ""
            yield Problem(
                f"unknown annotation field {name}: code-annotations "
                f"ignores it{kept}{did_you_mean(closest_field(name))}", toggle.file, line,
                "toggle-field")
        elif name in DATE_FIELDS and toggle.field(name) is not None and \
                parse_date(value) is None:
            yield Problem(
                f"{name} of {toggle.name}, {value.strip()!r}, is not a date: write it as "
                "YYYY-MM-DD (2024-08-01)", toggle.file, line, "toggle-date")
        elif name in ("toggle_implementation", "toggle_use_cases"):
            choices = IMPLEMENTATIONS if name == "toggle_implementation" else USE_CASES
            for word in split_choices(value):
                if word not in choices:
                    yield Problem(
                        f"{name} of {toggle.name} is {word!r}, which is none of "
                        f"code-annotations' choices: {', '.join(choices)}", toggle.file,
                        line, "toggle-choice")


def _duplicates(toggles: Sequence[Toggle],
                star_imports: Mapping[str, frozenset[str]]) -> Iterator[Problem]:
    """Each definition that publishes a name another one published first, warned at the
    copy: after the definitions whose code registers the name they publish, and after
    those of the modules its module star-imports.  A setting that two settings modules
    each set, neither importing the other (each service's own), is no copy.  A name built
    at run time is no name published, nor is one whose missing block edx-lint's waiver
    allows: code-annotations lists neither."""
    groups: dict[str, list[Toggle]] = {}
    for toggle in toggles:
        if toggle.documented or (toggle.known and not toggle.waived):
            groups.setdefault(normal_name(toggle.name), []).append(toggle)
    found: list[tuple[Toggle, Problem]] = []
    for group in groups.values():
        files = {t.file for t in group}

        def imported(toggle: Toggle, files: set[str] = files) -> frozenset[str]:
            return star_imports.get(toggle.file, frozenset()) & files

        ordered = sorted(group, key=lambda t: (t.published_differs, len(imported(t)), t.file,
                                               t.line))
        for number, toggle in enumerate(ordered[1:], 1):
            earlier = ordered[:number]
            copied = [e for e in earlier if e.file in imported(toggle)]
            others = [e for e in earlier if not (e.setting_block and toggle.setting_block and
                                                 e.file != toggle.file)]
            if copied or others:
                found.append((toggle, _duplicate(toggle, (copied or others)[0], bool(copied))))
    # in the order the definitions were read, as before
    yield from (problem for _, problem in sorted(
        found, key=lambda item: (item[0].published_differs, item[0].file, item[0].line)))


def _duplicate(toggle: Toggle, first: Toggle, copied: bool) -> Problem:
    if copied:
        advice = (f"first at {first.file}, line {first.line}, which this module star-imports): "
                  "code-annotations' list shows both; keep the block where it is first "
                  "defined and remove this one (the assignment may stay)")
    else:
        advice = (f"first at {first.file}, line {first.line}): code-annotations' list shows "
                  "one of them; rename one, or remove the copy")
    return Problem(f"the toggle {toggle.name} is defined again ({advice}", toggle.file,
                   toggle.field_line("toggle_name") or toggle.line, "toggle-duplicate")
