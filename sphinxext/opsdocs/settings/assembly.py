"""Settings made from what the readers found: each name's statements, docs and checks.

The effective definition gives the value (:func:`~opsdocs.settings.model.effective_definition`),
the changes made later fold into the effective value (:mod:`opsdocs.settings.effective`);
the doc comes, in this order, from ``#:`` comments, code-annotations blocks and, when
asked for, plain comments; secrets are judged by name, ``:secret:`` and the options.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace

from opsdocs.code_text import expression
from opsdocs.errors import Problem
from opsdocs.reading import SETTINGS_MODULE
from opsdocs.reading.kinds import MAX_SETTINGS
from opsdocs.settings.annotation_checks import (
    CodeValue,
    default_problem,
    field_problems,
    name_problem,
)
from opsdocs.settings.comment_blocks import Annotation, normal_name
from opsdocs.settings.doc_metadata import split_metadata, versions
from opsdocs.settings.effective import fold
from opsdocs.settings.model import DEFAULT_SENTINELS, Definition, Setting, effective_definition
from opsdocs.settings.namespace import Bound, Namespace
from opsdocs.settings.parsed import ParsedFile
from opsdocs.settings.secrets import looks_secret, text_without_secret_keys, without_secret_keys

_NOT_SECRET = frozenset({"no", "false", "0", "off", "public"})
_WORD = re.compile(r"[A-Za-z_]\w*")


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
    the annotation blocks above its bindings (with each binding), and the doc's fields and
    version directives."""

    text: str
    line: int | None
    markup: str
    annotations: tuple[tuple[Annotation, Bound], ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def annotation(self) -> Annotation | None:
        """The block the setting's fields come from: the one above its effective
        definition, else the first (a later module may annotate it again)."""
        return self.annotations[0][0] if self.annotations else None


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
        # a setting secret by its mark alone (:secret:, a pattern) was folded into others
        # like any literal, by name or through others: those that read one or hold one of
        # its texts are computed at startup instead
        secrets = {s.name for s in settings if s.secret}
        texts = _texts(b for name in secrets for b in self.namespace.bound[name])
        return [replace(s, effective_value=None, computed=True) if s.effective_value is not None
                and (_folds_any(self.namespace.bound[s.name], secrets) or
                     any(text in s.effective_value for text in texts)) else s
                for s in settings], self.problems

    def setting(self, name: str, bounds: list[Bound]) -> Setting | None:
        """The setting *bounds* make of *name*, its problems noted; ``None`` without any
        definition."""
        main = effective_definition([b.definition for b in bounds])
        if main is None:
            return None
        index = [b.definition for b in bounds].index(main)
        effective = bounds[index]
        file = main.file or ""
        definitions = _attributed(bounds, index, file)
        doc = self.documentation(name, bounds, index)
        value = None if effective.no_default else definitions[index].value
        effective_value = _effective_value(name, bounds[index:]) if value is not None else None
        # A += B that adds no literal: what the service computes
        computed = any(b.computed and b.definition.kind == "augmented" and
                       b.definition.condition is None for b in bounds[index + 1:])
        required = self.required if self.required is not None else effective.no_default
        setting = Setting(
            name=name,
            required=required,
            file=file,
            line=main.line,
            value=value,
            annotation=self.type_annotation(name, bounds),
            doc=doc.text,
            secret=self.secret(name, [value, effective_value, *_values(bounds)],
                               doc.metadata.get("secret")),
            default_display=doc.metadata.get("default"),
            example=doc.metadata.get("example"),
            deprecated=doc.versions.get("deprecated"),
            added=doc.versions.get("versionadded"),
            section=self.section(bounds),
            definitions=tuple(definitions),
            doc_line=doc.line if doc.text else None,
            effective_value=effective_value,
            env_vars=effective.env_vars,
            annotation_fields=_annotation_fields(doc.annotation),
            toggle=bool(doc.annotation and doc.annotation.toggle) or bool(effective.toggle),
            toggle_object=effective.toggle,
            parent=bounds[0].parent,
            keys=tuple(self.namespace.keys.get(name, ())),
            doc_markup=doc.markup,
            has_default=value is not None and not (
                required and _is_placeholder(value, set(self.options.sentinels))),
            computed=effective.computed or computed or name in self.namespace.derived,
            proxy=name in self.namespace.proxies,
            set_after_config=after.line if (after := self.namespace.after_config.get(name))
            else None,
            maybe_set_after_config=maybe.line if (
                maybe := self.namespace.maybe_after_config.get(name)) else None,
        )
        self.check(setting, bounds, doc)
        return setting

    def documentation(self, name: str, bounds: list[Bound], index: int) -> _Doc:
        """The doc of *name*, with the fields and version directives of a
        reStructuredText one taken out of it."""
        text, line, markup, annotations = self.doc(name, bounds, index)
        if markup != "rst":
            return _Doc(text, line, markup, annotations)
        text, metadata = split_metadata(text)
        return _Doc(text, line, markup, annotations, metadata, versions(text))

    def check(self, setting: Setting, bounds: list[Bound], doc: _Doc) -> None:
        """The problems of a setting made: an alias changed in place, its annotation
        blocks, a secret by its name only."""
        self.check_alias(setting, bounds)
        for annotation, bound in doc.annotations:
            self.check_annotation(setting, annotation, bound.definition.file or setting.file,
                                  self.module_value(setting, bound, bounds))
        if setting.secret and "secret" not in doc.metadata and \
                not _matches(setting.name, self.options.secret):
            self.problems.append(Problem(
                f"setting {setting.name} looks secret (by its name) and its default writes "
                "text: its value is not shown; confirm it with ':secret:' in its '#:' comment "
                "(or opsdocs_secret_settings), or show it with ':secret: no' (or "
                "opsdocs_public_settings)",
                setting.file, setting.line, check="secret-name"))

    def doc(self, name: str, bounds: list[Bound], index: int
            ) -> tuple[str, int | None, str, tuple[tuple[Annotation, Bound], ...]]:
        """The doc, its first line, its markup and the annotation blocks, by precedence:
        ``#:`` comments, code-annotations blocks, plain comments (when asked for).  Every
        binding's block is found (a later module annotates a setting again): the one above
        the effective definition comes first."""
        order = [bounds[index], *(b for b in bounds if b is not bounds[index])]
        binding = [b for b in order if b.definition.binds and b.definition.file in self.parsed]
        annotations = tuple((found, bound) for bound in binding
                            if (found := self.annotation(name, bound)) is not None)
        annotation = annotations[0][0] if annotations else None
        for bound in binding:
            parsed = self.parsed[bound.definition.file or ""]
            if bound.parent is not None:
                comment = parsed.blocks.doc_comment_above(_doc_line(bound))
                if comment is not None:
                    return comment[0], comment[1], "rst", annotations
                continue
            variable = bound.variable or name
            lines = parsed.docs.attr_docs.get(variable)
            text = "\n".join(lines or ()).strip("\n")
            if text:
                return text, parsed.docs.doc_lines.get(variable), "rst", annotations
            # ``#:`` above ``settings.X = ...`` in plugin_settings(), which Sphinx's
            # ModuleAnalyzer (module and class bodies only) does not read
            comment = parsed.blocks.doc_comment_above(bound.definition.line)
            if comment is not None:
                return comment[0], comment[1], "rst", annotations
        if annotation is not None:
            description = annotation.get("description") or ""
            if description:
                return description, annotation.line, "text", annotations
        if self.options.plain_comments:
            for bound in binding:
                parsed = self.parsed[bound.definition.file or ""]
                plain = parsed.blocks.plain_comment_above(_doc_line(bound))
                if plain is not None:
                    return plain[0], plain[1], "text", annotations
        return "", None, "rst", annotations

    def annotation(self, name: str, bound: Bound) -> Annotation | None:
        """The annotation block right above a definition; or one above it past blank lines
        that names the setting, which works but is warned about."""
        file, line = bound.definition.file or "", _doc_line(bound)
        blocks = self.parsed[file].blocks
        block = blocks.above(line)
        found = blocks.annotation(block) if block is not None else None
        if found is None:
            block = blocks.above_blank_lines(line)
            found = blocks.annotation(block) if block is not None else None
            if found is None or normal_name(found.name) != normal_name(name):
                return None
            self.problems.append(Problem(
                f"the annotation of {name} is separated from it by a blank line: put it right "
                f"above line {line}, as code-annotations expects", file, found.line,
                check="annotation-position"))
        assert block is not None
        self.used.add((file, block.last))
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

    def secret(self, name: str, values: list[str | None], marked: str | None) -> bool:
        """Marked ``:secret:`` (``:secret: no`` marks it public), else by its name and
        any of its *values* (a later ``None`` hides no earlier text), unless a pattern of
        ``public`` names it."""
        if marked is not None:
            return marked.strip().lower() not in _NOT_SECRET
        if _matches(name, self.options.secret):
            return True
        if _matches(name, self.options.public):
            return False
        # judged on the values as shown, their secret-looking keys' values blanked
        return any(looks_secret(name, without_secret_keys(value)) for value in values)

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

    def check_annotation(self, setting: Setting, annotation: Annotation, file: str,
                         value: CodeValue | None) -> None:
        """The problems of *annotation*, a block in *file* above one of the setting's
        bindings."""
        problem = name_problem(annotation, setting.name, file)
        if problem is not None:
            self.problems.append(problem)
        self.problems.extend(field_problems(annotation, file))
        problem = default_problem(setting.name, annotation,
                                  text_without_secret_keys(annotation.get("default")), value,
                                  file, setting.secret)
        if problem is not None:
            self.problems.append(problem)

    def module_value(self, setting: Setting, bound: Bound,
                     bounds: list[Bound]) -> CodeValue | None:
        """The value an annotation above *bound* documents: the one its module gives
        (changes there folded in); for a bare declaration, the one the chain gives, with
        its place."""
        file = bound.definition.file
        last = max(i for i, b in enumerate(bounds) if b.definition.file == file)
        upto = [b.definition for b in bounds[:last + 1]]
        main = effective_definition(upto)
        if main is None or main.value is None or bounds[upto.index(main)].no_default:
            code = setting.effective_value or setting.value
            return CodeValue(code, setting.file, setting.line) if code is not None else None
        later = [d for d in upto[upto.index(main) + 1:] if not d.binds]
        code = fold(setting.name, main, later) if later else None
        code = without_secret_keys(code or main.value)
        return CodeValue(code) if code is not None else None

    def orphans(self, names: set[str]) -> None:
        """Annotation blocks that document no statement right below them."""
        known = {normal_name(n) for n in names}
        for file, parsed in self.parsed.items():
            if file not in self.walked:
                continue
            for block, annotation in parsed.blocks.all_annotations():
                if (file, block.last) in self.used:
                    continue
                if normal_name(annotation.name) in known:
                    advice = "put it right above the statement that defines it"
                else:
                    advice = "no statement right below it defines that setting"
                self.problems.append(Problem(
                    f"the annotation of {annotation.name} documents nothing: {advice}",
                    file, annotation.line, check="annotation-orphan"))


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def _doc_line(bound: Bound) -> int:
    """The line a comment block documenting *bound* is above."""
    return bound.doc_line or bound.definition.line


def _values(bounds: list[Bound]) -> list[str | None]:
    """Every text a setting's statements give it: each one's code (a change's too:
    ``X += "text"``) and the literal it folds to (``X = X + _T``)."""
    return [text for b in bounds if b.definition.kind != "delete"
            for text in (b.definition.value, b.literal)]


def _texts(bounds: Iterable[Bound]) -> set[str]:
    """The strings (of four characters or more) *bounds* write, as written and escaped."""
    found: set[str] = set()
    for text in (t for b in bounds for t in (b.definition.value, b.literal) if t):
        tree = expression(text)
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    len(node.value) >= 4:
                found.update((node.value, repr(node.value)[1:-1]))
    return found


def _folds_any(bounds: list[Bound], names: set[str]) -> bool:
    """Whether a literal *bounds* fold to read one of *names* (by its code's words)."""
    return bool(names) and any(
        b.literal is not None and not names.isdisjoint(_WORD.findall(b.definition.value or ""))
        for b in bounds)


def _effective_value(name: str, bounds: list[Bound]) -> str | None:
    """The value once the changes after the effective definition (``bounds[0]``) are
    applied (:func:`~opsdocs.settings.effective.fold`), each name they read as the literal
    it held; else the literal the effective one gives when it reads names."""
    main, *rest = [replace(b.definition, value=b.literal) if b.literal else b.definition
                   for b in bounds]
    folded = fold(name, main, [d for d in rest if not d.binds])
    return folded if folded is not None else bounds[0].literal


def _attributed(bounds: list[Bound], index: int, file: str) -> list[Definition]:
    """The definitions of *bounds*, with those the effective one overrides marked (when
    it is unconditional): not one it reads (``E = E + ['b']``), nor, from there, one that
    one reads; and without the file of those in the setting's own *file*."""
    definitions = [b.definition for b in bounds]
    if definitions[index].condition is None:
        used, reading = set(), index
        while bounds[reading].reads_itself:
            before = [i for i in range(reading) if definitions[i].binds and
                      definitions[i].condition is None]
            if not before:
                break
            reading = before[-1]
            used.add(reading)
        definitions = [replace(d, overridden=True) if i < index and d.binds and
                       d.condition is None and i not in used else d
                       for i, d in enumerate(definitions)]
    return [replace(d, file=None) if d.file == file else d for d in definitions]


def _annotation_fields(annotation: Annotation | None) -> tuple[tuple[str, str], ...]:
    return () if annotation is None else tuple(annotation.fields)


def _is_placeholder(value: str, sentinels: set[str]) -> bool:
    value = value.strip()
    return value == "None" or value in sentinels or value.removesuffix("()") in sentinels
