"""Settings made from what the readers found: each name's statements, docs and checks.

The effective definition gives the value (:func:`~opsdocs.settings.model.effective_definition`),
the changes made later fold into the effective value (:mod:`opsdocs.settings.effective`);
the doc comes, in this order, from ``#:`` comments, code-annotations blocks and, when
asked for, plain comments; secrets are judged by name, ``:secret:`` and the options.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Any

from opsdocs.code_text import shortened
from opsdocs.errors import Problem
from opsdocs.markup import shorten
from opsdocs.reading import SETTINGS_MODULE
from opsdocs.reading.kinds import MAX_SETTINGS
from opsdocs.settings.comment_blocks import Annotation, closest_field
from opsdocs.settings.doc_metadata import split_metadata, versions
from opsdocs.settings.effective import UNKNOWN, fold
from opsdocs.settings.model import (
    DEFAULT_SENTINELS,
    Definition,
    Setting,
    effective_definition,
    looks_secret,
)
from opsdocs.settings.namespace import Bound, Namespace
from opsdocs.settings.parsed import ParsedFile
from opsdocs.settings.redact import (
    definitions_without_secret_keys,
    text_without_secret_keys,
    without_secret_keys,
)
from opsdocs.suggest import did_you_mean

_NOT_SECRET = frozenset({"no", "false", "0", "off", "public"})


@dataclass(frozen=True)
class ReadOptions:
    """How settings are read, beyond the files.

    ``plain_comments`` takes plain ``#`` comments right above a setting as its doc when it
    has no other.  ``public`` holds shell patterns of settings whose names look secret but
    that are not (``*_ROUTING_KEY``); ``secret`` those that are secret, whatever their
    names (for modules documented by annotations, which have no ``:secret:`` field).
    """

    sentinels: tuple[str, ...] = DEFAULT_SENTINELS
    plain_comments: bool = False
    public: tuple[str, ...] = ()
    secret: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Doc:
    """A setting's doc as found: its text, first line and markup (``rst`` or ``text``),
    the annotation block above the setting, and the doc's fields and version directives."""

    text: str
    line: int | None
    markup: str
    annotation: Annotation | None
    metadata: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)


class Assembler:
    """Makes the settings of a namespace, their docs from the files read."""

    def __init__(self, namespace: Namespace, parsed: dict[str, ParsedFile],
                 options: ReadOptions, required: bool | None = None,
                 walked: Iterable[str] | None = None) -> None:
        self.namespace = namespace
        self.parsed = parsed
        # the files whose annotation blocks must each document a setting: not those a
        # setting was only imported from by name
        self.walked: AbstractSet[str] = parsed.keys() if walked is None else set(walked)
        self.options = options
        self.required = required  # a file of an OEP-45 package: all required or none
        self.problems: list[Problem] = []
        self.used: set[tuple[str, int]] = set()
        self.annotation_files: dict[int, str] = {}

    def settings(self) -> tuple[list[Setting], list[Problem]]:
        settings: list[Setting] = []
        for name, bounds in self.namespace.bound.items():
            if len(settings) == MAX_SETTINGS:  # what a build can hold: see reading.kinds
                first = bounds[0].definition
                self.problems.append(Problem(
                    f"more than {MAX_SETTINGS:,} settings, the most opsdocs reads of a settings "
                    f"source: {name} and those after it are left out; is this the right file?",
                    first.file or "", first.line, check=SETTINGS_MODULE.too_large))
                break
            setting = self.setting(name, bounds)
            if setting is not None:
                settings.append(setting)
        self.orphans({s.name for s in settings})
        return settings, self.problems

    def setting(self, name: str, bounds: list[Bound]) -> Setting | None:
        """The setting *bounds* make of *name*, its problems noted; ``None`` without any
        definition."""
        main = effective_definition([b.definition for b in bounds])
        if main is None:
            return None
        index = [b.definition for b in bounds].index(main)
        effective = bounds[index]
        file = main.file or ""
        definitions = _attributed([b.definition for b in bounds], index, file)
        doc = self.documentation(name, bounds, index)
        value = None if effective.no_default else definitions[index].value
        later = [d for d in definitions[index + 1:] if not d.binds]
        effective_value = fold(name, definitions[index], later) if value is not None else None
        # Secret-looking keys of a dict ("PASSWORD") keep no value, whatever the setting.
        value, effective_value = without_secret_keys(value), without_secret_keys(effective_value)
        required = self.required if self.required is not None else effective.no_default
        setting = Setting(
            name=name,
            required=required,
            file=file,
            line=main.line,
            value=value,
            annotation=self.type_annotation(name, bounds),
            doc=doc.text,
            secret=self.secret(name, value, doc.metadata.get("secret")),
            default_display=text_without_secret_keys(doc.metadata.get("default")),
            example=doc.metadata.get("example"),
            deprecated=doc.versions.get("deprecated"),
            added=doc.versions.get("versionadded"),
            section=self.section(bounds),
            definitions=tuple(definitions_without_secret_keys(definitions)),
            doc_line=doc.line if doc.text else None,
            effective_value=effective_value,
            env_vars=effective.env_vars,
            annotation_fields=_annotation_fields(doc.annotation),
            toggle=bool(doc.annotation and doc.annotation.toggle),
            parent=bounds[0].parent,
            keys=tuple(self.namespace.keys.get(name, ())),
            doc_markup=doc.markup,
            has_default=value is not None and not (
                required and _is_placeholder(value, set(self.options.sentinels))),
            computed=effective.computed or name in self.namespace.derived,
        )
        self.check(setting, bounds, doc)
        return setting

    def documentation(self, name: str, bounds: list[Bound], index: int) -> _Doc:
        """The doc of *name*, with the fields and version directives of a
        reStructuredText one taken out of it."""
        text, line, markup, annotation = self.doc(name, bounds, index)
        if markup != "rst":
            return _Doc(text, line, markup, annotation)
        text, metadata = split_metadata(text)
        return _Doc(text, line, markup, annotation, metadata, versions(text))

    def check(self, setting: Setting, bounds: list[Bound], doc: _Doc) -> None:
        """The problems of a setting made: an alias changed in place, its annotation
        block, a secret by its name only."""
        self.check_alias(setting, bounds)
        if doc.annotation is not None:
            # The code's default, for the check only: a secret setting keeps none.
            self.check_annotation(setting, doc.annotation,
                                  setting.effective_value or setting.value)
        if setting.secret and "secret" not in doc.metadata and \
                not _matches(setting.name, self.options.secret):
            self.problems.append(Problem(
                f"setting {setting.name} looks secret (by its name) and its default writes "
                "text: its value is not shown; confirm it with ':secret:' in its '#:' comment "
                "(or opsdocs_secret_settings), or show it with ':secret: no' (or "
                "opsdocs_public_settings)",
                setting.file, setting.line, check="secret-name"))

    def doc(self, name: str, bounds: list[Bound],
            index: int) -> tuple[str, int | None, str, Annotation | None]:
        """The doc, its first line, its markup and the annotation block, by precedence:
        ``#:`` comments, code-annotations blocks, plain comments (when asked for)."""
        order = [bounds[index], *(b for b in bounds if b is not bounds[index])]
        binding = [b for b in order if b.definition.binds and b.definition.file in self.parsed]
        annotation = None
        for bound in binding:
            annotation = self.annotation(name, bound)
            if annotation is not None:
                break
        for bound in binding:
            parsed = self.parsed[bound.definition.file or ""]
            if bound.parent is not None:
                comment = parsed.blocks.doc_comment_above(bound.definition.line)
                if comment is not None:
                    return comment[0], comment[1], "rst", annotation
                continue
            variable = bound.variable or name
            lines = parsed.docs.attr_docs.get(variable)
            text = "\n".join(lines or ()).strip("\n")
            if text:
                return text, parsed.docs.doc_lines.get(variable), "rst", annotation
        if annotation is not None:
            description = annotation.get("description") or ""
            if description:
                return description, annotation.line, "text", annotation
        if self.options.plain_comments:
            for bound in binding:
                parsed = self.parsed[bound.definition.file or ""]
                plain = parsed.blocks.plain_comment_above(bound.definition.line)
                if plain is not None:
                    return plain[0], plain[1], "text", annotation
        return "", None, "rst", annotation

    def annotation(self, name: str, bound: Bound) -> Annotation | None:
        """The annotation block right above a definition; or one above it past blank lines
        that names the setting, which works but is warned about."""
        file, line = bound.definition.file or "", bound.definition.line
        blocks = self.parsed[file].blocks
        block = blocks.above(line)
        found = blocks.annotation(block) if block is not None else None
        if found is None:
            block = blocks.above_blank_lines(line)
            found = blocks.annotation(block) if block is not None else None
            if found is None or _normal_name(found.name) != _normal_name(name):
                return None
            self.problems.append(Problem(
                f"the annotation of {name} is separated from it by a blank line: put it right "
                f"above line {line}, as code-annotations expects", file, found.line,
                check="annotation-position"))
        assert block is not None
        self.used.add((file, block.last))
        self.annotation_files[id(found)] = file
        return found

    def type_annotation(self, name: str, bounds: list[Bound]) -> str | None:
        for bound in bounds:
            parsed = self.parsed.get(bound.definition.file or "")
            if parsed is not None and bound.parent is None:
                found = parsed.docs.annotations.get(bound.variable or name)
                if found:
                    return found
        return None

    def section(self, bounds: list[Bound]) -> str | None:
        first = next((b.definition for b in bounds if b.definition.binds), bounds[0].definition)
        parsed = self.parsed.get(first.file or "")
        section = None
        for line, title in parsed.sections if parsed else ():
            if line > first.line:
                break
            section = title
        return section

    def secret(self, name: str, value: str | None, marked: str | None) -> bool:
        """Marked ``:secret:`` (``:secret: no`` marks it public), else by its name and
        literal value, unless a pattern of ``public`` names it."""
        if marked is not None:
            return marked.strip().lower() not in _NOT_SECRET
        if _matches(name, self.options.secret):
            return True
        if _matches(name, self.options.public):
            return False
        return looks_secret(name, value)

    def check_alias(self, setting: Setting, bounds: list[Bound]) -> None:
        """``B = A`` then ``B.append(...)`` changes ``A`` too: say so."""
        main = setting.main
        if main is None or main.value is None or not main.value.isidentifier() or \
                main.value not in self.namespace.bound:
            return
        changed = [d for d in setting.definitions[setting.definitions.index(main) + 1:]
                   if d.kind in ("call", "item", "statement", "augmented")]
        if changed:
            self.problems.append(Problem(
                f"{setting.name} is {main.value} (line {main.line}), changed in place on line "
                f"{changed[0].line}: that changes {main.value} too, which the reference "
                f"cannot show; copy it first ({setting.name} = list({main.value}) or "
                f"dict({main.value}))", setting.file, changed[0].line, check="python-alias"))

    def check_annotation(self, setting: Setting, annotation: Annotation,
                         code: str | None) -> None:
        file = self.annotation_files.get(id(annotation), setting.file)
        named = _normal_name(annotation.name)
        if named != _normal_name(setting.name):
            self.problems.append(Problem(
                f"the annotation names {annotation.name}, but the statement under it defines "
                f"{setting.name}: give the annotation the setting's name", file,
                annotation.line, check="annotation-name"))
        for field_name, line in annotation.unknown:
            self.problems.append(Problem(
                f"unknown annotation field {field_name}: code-annotations ignores it"
                f"{did_you_mean(closest_field(field_name))}", file, line,
                check="annotation-field"))
        for first, last in annotation.dropped:
            lines, are, them = (f"line {first}", "is", "it") if first == last else \
                (f"lines {first}-{last}", "are", "them")
            self.problems.append(Problem(
                f"{lines} of the annotation of {annotation.name} {are} in no field: "
                f"code-annotations drops {them}, and so does the reference; to keep {them}, "
                f"indent {them} past the field's '..' ('#   text') or move {them} above the "
                "block",
                file, first, check="annotation-text"))
        documented = text_without_secret_keys(annotation.get("default"))
        if documented is None or code is None or _same_default(documented, code):
            return
        if setting.secret:
            what = "differs from the code's"
        else:
            what = f"{shorten(documented, 40)} differs from the code's " \
                f"{shortened(code, 40)}"
        self.problems.append(Problem(
            f"the annotation's default of {setting.name}, {what}: correct the annotation "
            "(the reference shows the code's default)", file, annotation.line,
            check="annotation-default"))

    def orphans(self, names: set[str]) -> None:
        """Annotation blocks that document no statement right below them."""
        known = {_normal_name(n) for n in names}
        for file, parsed in self.parsed.items():
            if file not in self.walked:
                continue
            for block, annotation in parsed.blocks.all_annotations():
                if (file, block.last) in self.used:
                    continue
                if _normal_name(annotation.name) in known:
                    advice = "put it right above the statement that defines it"
                else:
                    advice = "no statement right below it defines that setting"
                self.problems.append(Problem(
                    f"the annotation of {annotation.name} documents nothing: {advice}",
                    file, annotation.line, check="annotation-orphan"))


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def _normal_name(name: str) -> str:
    return "".join(name.split()).replace('"', "'")


def _same_default(documented: str, code: str) -> bool:
    """Whether an annotation's default says what the code says.  Only a documented default
    that is a Python literal can disagree: bare text is the code's string written without
    quotes, or prose ("dict of settings", "every 6 months")."""
    try:
        expected = ast.literal_eval(documented)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return True
    actual = _code_literal(code)
    return actual is UNKNOWN or bool(expected == actual)


def _code_literal(code: str) -> Any:
    try:
        node = ast.parse(code.strip(), mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return UNKNOWN
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id in ("_", "gettext", "gettext_lazy", "ugettext_lazy", "gettext_noop") \
            and len(node.args) == 1:
        node = node.args[0]  # a translated string says that string
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return UNKNOWN


def _attributed(definitions: list[Definition], index: int, file: str) -> list[Definition]:
    """*definitions* with those the effective one overrides marked (when it is
    unconditional), and without the file of those in the setting's own *file*."""
    if definitions[index].condition is None:
        definitions = [replace(d, overridden=True) if i < index and d.binds and
                       d.condition is None else d for i, d in enumerate(definitions)]
    return [replace(d, file=None) if d.file == file else d for d in definitions]


def _annotation_fields(annotation: Annotation | None) -> tuple[tuple[str, str], ...]:
    """The fields of an annotation block, documented defaults without secret keys."""
    if annotation is None:
        return ()
    return tuple((key, text_without_secret_keys(text) if key.endswith("_default") else text)
                 for key, text in annotation.fields)


def _is_placeholder(value: str, sentinels: set[str]) -> bool:
    value = value.strip()
    return value == "None" or value in sentinels or value.removesuffix("()") in sentinels
