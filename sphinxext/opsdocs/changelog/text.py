"""The words of the settings changelog, and changes as reStructuredText, Markdown or JSON text.

:func:`describe` gives each change's sentence as parts that every renderer (the
``settings-changelog`` directive, the text below) marks up its own way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from opsdocs.changelog.model import ReleaseChanges, SettingChange
from opsdocs.changelog.operating import OperationChange
from opsdocs.changelog.renames import EVIDENCE
from opsdocs.changelog.values import ValueChange
from opsdocs.code_text import value_text
from opsdocs.dockerfile.model import secret_name, secret_value
from opsdocs.markup import inline_code, literal_roles, markdown_inline, rst_escaped, shorten

#: scriv's categories for each kind of change.
SCRIV_CATEGORIES = {"added": "Added", "removed": "Removed", "deprecated": "Deprecated"}
SCRIV_ORDER = ("Added", "Changed", "Deprecated", "Removed")
DIFF_FORMAT = "opsdocs-settings-diff"
DIFF_VERSION = 1
_SHORT = 50
_WIDE = 80


# -- Words ------------------------------------------------------------------------------

#: A piece of a change's sentence: ``text``, ``setting`` (a link), ``name`` (a setting
#: that no longer exists: no link), ``code``, ``prose`` (inline reStructuredText from
#: the docs, such as a ``:default:`` text) or ``plain`` (text shown as it is).
Part = tuple[str, str]


def describe(change: SettingChange, full: bool = False) -> list[Part]:
    """The sentence for *change*, as parts each renderer turns into its own markup."""
    return _SENTENCES[change.kind](change, ("setting", change.name), None if full else _SHORT)


def details(change: SettingChange, full: bool = False) -> list[list[Part]]:
    """The lines under a change's sentence: each key or item of its default that changed."""
    return [_value_parts(part, None if full else _WIDE) for part in change.parts]


def _value_parts(part: ValueChange, width: int | None) -> list[Part]:
    path: list[Part] = [("code", part.path)] if part.path else []
    if part.kind == "more":
        return [("text", f"and {part.old} more")]
    if part.kind == "reordered":
        return [*path, ("text", ": " if path else ""),
                ("text", "the same items in another order, "), ("code", _cut(part.new, width))]
    if part.kind == "key-added":
        return [*path, ("text", " added: "), ("code", _cut(part.new, width))]
    if part.kind == "key-removed":
        return [*path, ("text", " removed (was "), ("code", _cut(part.old, width)),
                ("text", ")")]
    if part.kind in ("item-added", "item-removed"):
        item = part.new if part.kind == "item-added" else part.old
        return [*path, ("text", " item " if path else "item "), ("code", _cut(item, width)),
                ("text", " added" if part.kind == "item-added" else " removed")]
    old, new = shorten_pair(part.old, part.new, width)
    return [*path, ("text", " changed from "), ("code", old), ("text", " to "), ("code", new)]


def _shown(display: str | None) -> list[Part]:
    """A default as the docs show it, beside the code: `` (30 days)``."""
    return [("text", " ("), ("prose", display), ("text", ")")] if display else []


def _added(change: SettingChange, name: Part, width: int | None) -> list[Part]:
    return [("text", "Added "), name, *_default_parts(change, width)]


def _removed(change: SettingChange, name: Part, width: int | None) -> list[Part]:
    return [("text", "Removed "), ("name", change.name), ("text", ".")]


def _renamed(change: SettingChange, name: Part, width: int | None) -> list[Part]:
    evidence = EVIDENCE.get(change.evidence or "")
    parts: list[Part] = [("text", "Renamed "), ("name", change.old_name or ""), ("text", " to "),
                         name, ("text", f" ({evidence})" if evidence else "")]
    if change.old is not None and change.new is not None:
        old, new = shorten_pair(change.old, change.new, width)
        parts += [("text", "; its default changed from "), ("code", old), ("text", " to "),
                  ("code", new)]
    return [*parts, ("text", ".")]


def _flattened(change: SettingChange, name: Part, width: int | None) -> list[Part]:
    return [name, ("text", " is no longer a dict of its own: "), ("code", change.new or ""),
            ("text", " makes each of its keys the top-level setting of that name (listed as "
                     "renamed).")]


def _derived(change: SettingChange, name: Part, width: int | None) -> list[Part]:
    state = f" is {'now' if change.computed else 'no longer'} computed from other settings"
    if change.secret:
        return [name, ("text", f"{state} (secret: not shown).")]
    old, new = shorten_pair(change.old, change.new, width)
    value = [("text", ": " if change.computed else ": default "), ("code", new)]
    was = [("text", " (was "), ("code", old), ("text", ")")]
    if change.old == change.new:  # the value it starts from (A = ('a',); A += f()): once
        value, was = ([], was) if change.computed else (value, [])
    return [name, ("text", state), *value, *was, ("text", ".")]


def _moved(change: SettingChange, name: Part, width: int | None) -> list[Part]:
    if change.required:
        return [name, ("text", " is now required (moved from defaults.py to required.py).")]
    return [name, ("text", " is no longer required (moved from required.py to defaults.py)"),
            *_default_parts(change, width)]


def _default(change: SettingChange, name: Part, width: int | None) -> list[Part]:
    if change.secret:
        return [("text", "Changed the default of "), name, ("text", " (secret: not shown).")]
    if change.parts:
        shown = ([("text", " (shown as "), ("prose", change.old_display or "its code"),
                  ("text", " before, "), ("prose", change.new_display or "its code"),
                  ("text", " now)")] if change.old_display or change.new_display else [])
        return [("text", "Changed the default of "), name, *shown, ("text", ":")]
    old, new = shorten_pair(change.old, change.new, width)
    return [("text", "Changed the default of "), name, ("text", " from "), ("code", old),
            *_shown(change.old_display), ("text", " to "), ("code", new),
            *_shown(change.new_display), ("text", ".")]


def _type(change: SettingChange, name: Part, width: int | None) -> list[Part]:
    if change.old is None:
        return [("text", "Annotated "), name, ("text", " as "), ("code", change.new or ""),
                ("text", ".")]
    if change.new is None:
        return [("text", "Removed the type annotation of "), name, ("text", " (was "),
                ("code", change.old), ("text", ").")]
    return [("text", "Changed the type of "), name, ("text", " from "), ("code", change.old),
            ("text", " to "), ("code", change.new), ("text", ".")]


def _deprecated(change: SettingChange, name: Part, width: int | None) -> list[Part]:
    return [("text", "Deprecated "), name, ("text", f" (since {change.new}).")]


def _undeprecated(change: SettingChange, name: Part, width: int | None) -> list[Part]:
    return [name, ("text", " is no longer deprecated.")]


def _doc(change: SettingChange, name: Part, width: int | None) -> list[Part]:
    if change.new == "documented":
        return [("text", "Documented "), name, ("text", ".")]
    return [("text", "Changed the documentation of "), name, ("text", ".")]


_SENTENCES = {
    "added": _added, "removed": _removed, "renamed": _renamed, "flattened": _flattened,
    "moved": _moved, "default": _default, "derived": _derived, "type": _type, "deprecated": _deprecated,
    "undeprecated": _undeprecated, "doc": _doc,
}


def _default_parts(change: SettingChange, width: int | None) -> list[Part]:
    if change.kind == "added" and change.required:
        return [("text", " (required).")]
    if change.secret:
        return [("text", " (secret default, not shown).")]
    if change.default is None:
        return [("text", ".")]
    return [("text", ", default "), ("code", _cut(change.default, width)),
            *_shown(change.new_display), ("text", ".")]


def _cut(code: str | None, width: int | None) -> str:
    """*code* on one line, as every output shows a value, cut to *width* (``None``: whole)."""
    return value_text(code, width)


def shorten_pair(old: str | None, new: str | None,
                 width: int | None = _SHORT) -> tuple[str, str]:
    """Two values shortened alike, from a little before their first difference when cutting
    at the start would hide it; whole when *width* is ``None``."""
    before, after = (value_text(value or "") for value in (old, new))
    if width is None:
        return before, after
    pairs = zip(before, after, strict=False)  # up to the shorter one's end
    common = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(before), len(after)))
    context = width // 3  # of the text before the difference, when shifted
    if common <= width - 3 - context or (len(before) <= width and len(after) <= width):
        return shorten(before, width), shorten(after, width)
    start = common - context
    return shorten("..." + before[start:], width), shorten("..." + after[start:], width)


# -- Operating concerns ------------------------------------------------------------------


def describe_operating(change: OperationChange) -> list[Part]:
    """The sentence for a change to a command or to the image."""
    return _OPERATING[change.kind](change)


def _command_part(change: OperationChange) -> Part:
    return ("command", change.name)


def _value(value: str | None, name: str) -> Part:
    """A value of the image, unless it looks secret (none kept under a name that looks
    secret: a hidden one)."""
    if secret_value(name, value) or (value is None and secret_name(name)):
        return ("text", "(secret: not shown)")
    return ("code", shorten(value or "", _WIDE)) if value else ("text", "none")


def _safe(change: OperationChange) -> list[Part]:
    if change.new == "unknown":
        return [_command_part(change), ("text", " no longer says whether it is safe to re-run.")]
    state = "now" if change.new == "yes" else "no longer"
    return [_command_part(change), ("text", f" is {state} safe to re-run.")]


def _image_value(what: str, where: str = "") -> Callable[[OperationChange], list[Part]]:
    """"Changed *what* NAME*where* from OLD to NEW."."""
    def sentence(change: OperationChange) -> list[Part]:
        return [("text", f"Changed {what} "), ("code", change.name), ("text", f"{where} from "),
                _value(change.old, change.name), ("text", " to "), _value(change.new, change.name),
                ("text", ".")]
    return sentence


_OPERATING: dict[str, Callable[[OperationChange], list[Part]]] = {
    "command-added": lambda c: [("text", "Added the command "), _command_part(c), ("text", ".")],
    "command-removed": lambda c: [("text", "Removed the command "), ("code", c.name),
                                  ("text", ".")],
    "command-renamed": lambda c: [("text", "Renamed the command "), ("code", c.old_name or ""),
                                  ("text", " to "), _command_part(c),
                                  ("text", " (same summary)." if c.item == "summary"
                                   else " (same command line).")],
    "argument-added": lambda c: [_command_part(c), ("text", " takes a new argument: "),
                                 ("code", c.new or ""), ("text", ".")],
    "argument-removed": lambda c: [_command_part(c), ("text", " no longer takes "),
                                   ("code", c.item or ""), ("text", ".")],
    "argument-changed": lambda c: [("text", "Changed the argument "), ("code", c.item or ""),
                                   ("text", " of "), _command_part(c), ("text", " from "),
                                   ("code", c.old or ""), ("text", " to "),
                                   ("code", c.new or ""), ("text", ".")],
    "schedule": lambda c: [("text", "Changed when "), _command_part(c), ("text", " runs, from "),
                           ("code", c.old or ""), ("text", " to "), ("code", c.new or ""),
                           ("text", ".")],
    "destructive": lambda c: [_command_part(c), ("text", " is now destructive." if c.new == "yes"
                                                 else " is no longer destructive.")],
    "safe-to-rerun": _safe,
    "setting-added": lambda c: [_command_part(c), ("text", " now needs the setting "),
                                ("setting", c.item or ""), ("text", ".")],
    "setting-removed": lambda c: [_command_part(c), ("text", " no longer needs the setting "),
                                  ("setting", c.item or ""), ("text", ".")],
    "env-added": lambda c: [_command_part(c), ("text", " now reads the environment variable "),
                            ("code", c.item or ""), ("text", ".")],
    "env-removed": lambda c: [_command_part(c),
                              ("text", " no longer reads the environment variable "),
                              ("code", c.item or ""), ("text", ".")],
    "base-added": lambda c: [("text", "Added the build stage "), ("code", c.name),
                             ("text", ", from "), ("code", c.new or ""), ("text", ".")],
    "base-removed": lambda c: [("text", "Removed the build stage "), ("code", c.name),
                               ("text", ".")],
    "base-changed": lambda c: [("text", "Changed the base image of the build stage "),
                               ("code", c.name), ("text", " from "), ("code", c.old or ""),
                               ("text", " to "), ("code", c.new or ""), ("text", ".")],
    "arg-added": lambda c: [("text", "Added the build argument "), ("code", c.name),
                            ("text", ", default "), _value(c.new, c.name), ("text", ".")],
    "arg-removed": lambda c: [("text", "Removed the build argument "), ("code", c.name),
                              ("text", ".")],
    "arg-changed": _image_value("the default of the build argument"),
    "env-var-added": lambda c: [("text", "The image sets the environment variable "),
                                ("code", c.name), ("text", " to "), _value(c.new, c.name),
                                ("text", ".")],
    "env-var-removed": lambda c: [("text", "The image no longer sets the environment variable "),
                                  ("code", c.name), ("text", ".")],
    "env-var-changed": _image_value("the environment variable", " of the image"),
    "expose-added": lambda c: [("text", "The image exposes "), ("code", c.name),
                               ("text", ".")],
    "expose-removed": lambda c: [("text", "The image no longer exposes "), ("code", c.name),
                                 ("text", ".")],
    "volume-added": lambda c: [("text", "Added the volume "), ("code", c.name), ("text", ".")],
    "volume-removed": lambda c: [("text", "Removed the volume "), ("code", c.name),
                                 ("text", ".")],
    "user": _image_value("the", " (the user the image runs as)"),
    "entrypoint": _image_value("the", " of the image"),
    "cmd": _image_value("the", " of the image"),
}


_SUMMARIES = {
    "absent": "No settings package in this release.",
    "dropped": "The settings package is gone in this release.",
    "unreadable": "The settings of this release could not be read.",
}


def summary(entry: ReleaseChanges) -> str | None:
    """The sentence for a release without a list of changes, or ``None``."""
    count = f"{entry.count} setting{'' if entry.count == 1 else 's'}"
    if entry.status == "first" and entry.previous:
        return f"The settings package first appears in this release, with {count}."
    if entry.status == "first":
        return f"The oldest release shown: {count}."
    if entry.status == "changes" and not entry.changes:
        return "No changes to settings."
    return _SUMMARIES.get(entry.status)


# -- Text ---------------------------------------------------------------------------------


def sentence(change: SettingChange, markup: str, roles: bool = False) -> str:
    """One change as a sentence in ``rst`` or ``markdown``."""
    return render(describe(change), markup, roles)


def whole_sentence(change: SettingChange, markup: str, roles: bool = False) -> str:
    """One change as a sentence that says it all, where no list follows it: the keys or
    items of a default that changed are in it ("...: ``['X']`` added: ``False``.")."""
    text = sentence(change, markup, roles)
    lines = [render(parts, markup, roles) for parts in details(change)]
    return f"{text} {'; '.join(lines)}." if lines and text.endswith(":") else text


#: A writer's own text for a part (a link), or ``None``: the part as :func:`render` writes it.
PartHook = Callable[[Part], str | None]


def render(parts: Sequence[Part], markup: str, roles: bool = False,
           hook: PartHook | None = None) -> str:
    """Parts of a sentence as ``rst`` or ``markdown`` text."""
    return "".join(_part(part, markup, roles, hook) for part in parts)


def _part(part: Part, markup: str, roles: bool, hook: PartHook | None = None) -> str:
    shown = hook(part) if hook is not None else None
    if shown is not None:
        return shown
    kind, text = part
    if kind == "text":
        return text
    if kind == "prose":
        return " ".join((markdown_inline(text) if markup == "markdown" else
                         text if roles else literal_roles(text)).split())
    if kind == "plain":
        return " ".join(text.split()) if markup == "markdown" else rst_escaped(text)
    if kind in ROLES and roles and markup == "rst":
        return f":{ROLES[kind]}:`{text}`"
    return inline_code(text, markup)


#: The role of each part that links: a setting, a command of the operations manual.
ROLES = {"setting": "setting", "command": "opscommand"}

#: A list's line: its sentence, and the lines nested under it.
Line = tuple[Sequence[Part], Sequence[Sequence[Part]]]


def bullets(changes: Sequence[SettingChange], markup: str, roles: bool = False) -> str:
    """A bullet list of *changes* (each changed key or item of a default nested under
    its change); a sentence saying so when there are none."""
    if not changes:
        return "No changes to settings.\n"
    return bullet_lines([(describe(change), details(change)) for change in changes], markup,
                        roles)


def bullet_lines(lines: Sequence[Line], markup: str, roles: bool = False,
                 hook: PartHook | None = None) -> str:
    """A bullet list of *lines*, each with its nested list."""
    out = []
    for parts, nested in lines:
        out.append(f"- {render(parts, markup, roles, hook)}\n")
        below = [f"  - {render(line, markup, roles, hook)}\n" for line in nested]
        if below:  # reStructuredText nests a list after a blank line
            out.extend(["\n", *below, "\n"] if markup == "rst" else below)
    return "".join(out)


def heading(title: str, markup: str, underline: str = "~", depth: int = 3) -> str:
    """A heading: underlined in reStructuredText, of *depth* ``#`` in Markdown."""
    if markup == "markdown":
        return f"{'#' * depth} {title}\n\n"
    return f"{title}\n{underline * len(title)}\n\n"


def diff_text(changes: Sequence[SettingChange], old: str, new: str, markup: str,
              title: str = "Settings", roles: bool = False,
              operating: Sequence[OperationChange] | None = None) -> str:
    """A changelog section, ready to paste: a heading and a bullet list (or JSON); with
    *operating*, a section of the changes to commands and the image after it."""
    if markup == "json":
        data: dict[str, Any] = {
            "format": DIFF_FORMAT, "version": DIFF_VERSION, "old": old, "new": new,
            "changes": [asdict(change) for change in changes],
        }
        if operating is not None:
            data["operations"] = [asdict(change) for change in operating]
        return json.dumps(data, indent=2) + "\n"
    text = heading(title, markup) + bullets(changes, markup, roles)
    if operating is not None:
        text += "\n" + heading("Operations", markup) + operating_bullets(operating, markup, roles)
    return text


def operating_bullets(changes: Sequence[OperationChange], markup: str,
                      roles: bool = False) -> str:
    """A bullet list of changes to commands and the image; a sentence when there are none."""
    if not changes:
        return "No changes to commands or the image.\n"
    return "".join(f"- {render(describe_operating(change), markup, roles)}\n"
                   for change in changes)


def towncrier_fragment(changes: Sequence[SettingChange], old: str, markup: str,
                       operating: Sequence[OperationChange] | None = None) -> str:
    """A towncrier fragment: one entry listing the changes; with *operating*, a second
    listing the changes to commands and the image, as ``opsdocs diff`` prints them."""
    text = f"Settings changed since {old}:\n\n" + bullets(changes, markup)
    if operating is not None:
        text += (f"\nCommands and the image changed since {old}:\n\n"
                 + operating_bullets(operating, markup))
    return text


def scriv_fragment(changes: Sequence[SettingChange], markup: str,
                   operating: Sequence[OperationChange] | None = None) -> str:
    """A scriv fragment: the changes (to commands and the image too, with *operating*)
    under scriv's default categories."""
    sections: dict[str, list[str]] = {}
    for change in changes:
        sections.setdefault(SCRIV_CATEGORIES.get(change.kind, "Changed"), []).append(
            bullets([change], markup))
    for operation in operating or ():  # a command's new argument or setting: Changed
        whole = operation.subject == "image" or operation.kind.startswith("command-")
        category = SCRIV_CATEGORIES.get(operation.kind.rsplit("-", 1)[-1]) if whole else None
        sections.setdefault(category or "Changed", []).append(
            operating_bullets([operation], markup))
    # scriv reads "-" under a category in every version (its rst_header_chars "=-")
    parts = [heading(category, markup, "-") + "".join(sections[category])
             for category in SCRIV_ORDER if category in sections]
    if parts:
        return "\n".join(parts)
    return bullets((), markup) + ("" if operating is None else operating_bullets((), markup))
