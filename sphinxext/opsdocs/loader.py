"""Apply an OEP-45 YAML configuration file to a service's settings, at run time.

A service's ``settings/__init__.py`` star-imports ``required`` and ``defaults``, then::

    from opsdocs.loader import apply_config
    from . import required

    apply_config(globals(), env_var="EXAMPLE_IDA_CFG_PATH", required=required)

The file named by the environment variable overrides any setting; the service refuses
to start, with every problem in one :class:`ConfigurationError`, when a required
setting is missing or the file is not a mapping of setting names to values.

This module needs PyYAML only: it is imported by running services, so it imports
nothing of Sphinx or Django, and of :mod:`opsdocs` only :mod:`opsdocs.errors`,
:mod:`opsdocs.reading` (the bounded reading every file gets: regular files only, 1 MiB at
most, nesting and aliases capped), :mod:`opsdocs.suggest` ("did you mean"), the settings
model (for the rule of what names a setting) and the config check's reading of
annotations and words for kinds (:mod:`opsdocs.config.annotations`,
:mod:`opsdocs.config.value_kinds`); a test keeps it so.  Values never appear in
messages, so a secret cannot leak into a log.
"""

from __future__ import annotations

import inspect
import os
import types
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from opsdocs.config.annotations import expected_from_annotation
from opsdocs.config.value_kinds import kind_words
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import (
    CONFIG_FILE,
    BadValue,
    compose_yaml,
    construct,
    read_text,
    yaml_problem,
)
from opsdocs.settings.model import is_setting_name
from opsdocs.suggest import NameMatcher, did_you_mean

__all__ = ["REQUIRED", "ConfigurationError", "apply_config", "read_config"]


class _Required:
    """The type of :data:`REQUIRED`; one instance, false, and copied as itself."""

    _instance: _Required | None = None

    def __new__(cls) -> _Required:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "REQUIRED"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "REQUIRED"


#: Value of a setting in ``required.py`` that the configuration file must provide:
#: ``SECRET_KEY = REQUIRED``.  ``SECRET_KEY: str`` (no value) and ``= None`` mean the same.
REQUIRED = _Required()

#: Settings read from a configuration file: ``{name: (value, line)}``.
Settings = dict[str, tuple[Any, int]]


class ConfigurationError(Exception):
    """The configuration cannot be used; ``problems`` holds every reason, each located."""

    def __init__(self, problems: Iterable[Problem], source: str) -> None:
        self.problems = tuple(problems)
        self.source = source
        count = len(self.problems)
        lines = [f"{count} configuration problem{'s' if count != 1 else ''} ({source}):"]
        lines += [f"  {_located(problem)}" for problem in self.problems]
        super().__init__("\n".join(lines))


def _located(problem: Problem) -> str:
    return f"{problem.location}: {problem.message}" if problem.location else problem.message


def apply_config(
    namespace: MutableMapping[str, Any],
    *,
    env_var: str,
    required: ModuleType | Mapping[str, Any],
    strict: bool = False,
    known: Iterable[str] = (),
    environ: Mapping[str, str] | None = None,
) -> Path | None:
    """Apply the YAML file named by *env_var* to *namespace* and check it is complete.

    *namespace* is the settings module's ``globals()``, after the star imports.
    *required* is the ``required`` settings module (or a mapping such as its ``vars()``):
    its settings that are annotated without a value, ``None`` or :data:`REQUIRED` must be
    given by the file.  With *strict*, a key that names no setting in *namespace*,
    *required* or *known* (say, the names in ``django.conf.global_settings``) is an error.

    Returns the path of the file applied, or ``None`` when *env_var* is not set.  Raises
    :class:`ConfigurationError` listing every problem; *namespace* is then unchanged.
    """
    environ = os.environ if environ is None else environ
    setting = environ.get(env_var, "").strip()
    path = Path(setting) if setting else None
    if path is None:
        source = (f"{env_var} is not set, so no configuration file was read: set it to the "
                  "path of a YAML file that gives every required setting")
        values: Settings = {}
        problems: list[Problem] = []
    else:
        source = f"{path}, named by {env_var}"
        read, problems = read_config(path, env_var)
        if read is None:  # nothing to check: missing settings would only be noise
            raise ConfigurationError(problems, source)
        values = read

    required_names = required_settings(required)
    merged = {**namespace, **{name: value for name, (value, _) in values.items()}}
    if strict:
        problems.extend(_unknown_keys(values, path, {*namespace, *required_names, *known}))
    problems.extend(_wrong_types(values, namespace, _annotations(required), path))
    problems.extend(_missing(merged, required_names, values, path))
    if problems:
        raise ConfigurationError(problems, source)
    namespace.update((name, value) for name, (value, _) in values.items())
    return path


def required_settings(required: ModuleType | Mapping[str, Any]) -> list[str]:
    """Settings of *required* that need a value: annotated only, ``None`` or :data:`REQUIRED`.

    In source order, as far as the module tells it: annotated names first.
    """
    if isinstance(required, ModuleType):
        annotations: Mapping[str, Any] = inspect.get_annotations(required)
        members: Mapping[str, Any] = vars(required)
    else:
        annotations = required.get("__annotations__", {})
        members = required
    names = [name for name in annotations if _unset(members.get(name, REQUIRED))]
    names += [name for name, value in members.items() if _unset(value)]
    return [name for name in dict.fromkeys(names) if is_setting_name(name) and name != "REQUIRED"]


def _unset(value: object) -> bool:
    return value is None or value is REQUIRED


def _annotations(required: ModuleType | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(required, ModuleType):
        return inspect.get_annotations(required)
    found = required.get("__annotations__", {})
    return found if isinstance(found, Mapping) else {}


# -- Types: a value's kind against the annotation or the default's ------------------------

#: The kind of a value YAML gives, as :mod:`opsdocs.config.value_kinds` names it.
_KINDS: dict[type, str] = {bool: "bool", int: "int", float: "float", str: "str", list: "list",
                           tuple: "list", dict: "dict", type(None): "none"}


def _wrong_types(values: Mapping[str, tuple[Any, int]], namespace: Mapping[str, Any],
                 annotations: Mapping[str, Any], path: Path | None) -> Iterator[Problem]:
    """A value of another kind than its setting's annotation (``ALLOWED_HOSTS:
    list[str]``) or, without one, than its default (``DEBUG = False``) says; at the top
    level only (not the items of a list), and not for a kind the loader does not know."""
    for name, (value, line) in values.items():
        if value is None:  # a required one is then missing; a default may be null
            continue
        if name in annotations:
            expected = _annotation_kinds(annotations[name])
        else:
            default = namespace.get(name)
            expected = frozenset({_KINDS[type(default)]}) if type(default) in _KINDS and \
                default is not None else None
        kind = _KINDS.get(type(value))
        if not expected or kind is None or kind in expected or \
                (kind == "int" and "float" in expected):
            continue
        wanted = " or ".join(kind_words(k) for k in sorted(expected))
        yield Problem(f"{name} must be {wanted}, not {kind_words(kind)}: the service would fail "
                      "with it", str(path), line, check="type")


def _annotation_kinds(annotation: object) -> frozenset[str] | None:
    """The kinds an annotation allows (``str | None``: a string or null), as
    ``opsdocs check-config`` reads it; ``None`` when that is not certain (``Path``, a class
    of the service, ``list[Path]``: not checked) or it lists values (``Literal``)."""
    expected = expected_from_annotation(_annotation_text(annotation))
    if expected is None or "literal" in expected.kinds:
        return None
    return expected.kinds


def _annotation_text(annotation: object) -> str | None:
    """*annotation* as it is written: the text itself (``from __future__ import
    annotations``), else the evaluated one's spelling (``list[str]``, ``int``)."""
    if isinstance(annotation, str):
        return annotation
    if annotation is None:
        return "None"
    # The repr of a typing construct is its spelling (typing.Optional[list[str]], int | None);
    # GenericAlias first: Python 3.10 calls list[str] a type too.
    if isinstance(annotation, (types.GenericAlias, types.UnionType)) or \
            type(annotation).__module__ == "typing":
        return repr(annotation)
    return annotation.__qualname__ if isinstance(annotation, type) else None


def read_config(path: Path, env_var: str = "") -> tuple[Settings | None, list[Problem]]:
    """The top-level settings of the YAML file at *path*: ``{name: (value, line)}``.

    The settings are ``None`` when the file cannot be used at all (no file, a syntax
    error, a top level that is not a mapping), with that one problem; bad keys are all
    reported, beside the settings that could be read.
    """
    named = f" (named by {env_var})" if env_var else ""
    try:
        text = read_text(path, CONFIG_FILE, missing=f"configuration file not found{named}: "
                         "create it or correct the path")
        return _read_mapping(text, str(path))
    except OpsdocsError as error:
        return None, [error.problem]


def _read_mapping(text: str, filename: str) -> tuple[Settings | None, list[Problem]]:
    document = compose_yaml(text, filename, CONFIG_FILE, "fix the YAML (a configuration file "
                            "is one mapping of SETTING_NAME: value lines)")
    if document is None:  # an empty file, or comments only: nothing to override
        return {}, []
    if not isinstance(document, yaml.MappingNode):
        kind = "a list" if isinstance(document, yaml.SequenceNode) else "a single value"
        return None, [Problem(
            f"the top level of a configuration file must be a mapping of setting names "
            f"to values (SECRET_KEY: ...), not {kind}", filename,
            document.start_mark.line + 1, check="not-mapping",
        )]
    constructor = yaml.SafeLoader("")
    try:
        constructor.flatten_mapping(document)  # resolve "<<: *anchor" merge keys
    except yaml.YAMLError as error:
        return None, [yaml_problem(error, filename, CONFIG_FILE, text=text)]

    values: Settings = {}
    problems: list[Problem] = []
    for key_node, value_node in document.value:
        line = key_node.start_mark.line + 1
        # The key's text as written: YAML 1.1 would turn a key like ON or NO into a bool.
        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not is_setting_name(name):
            problems.append(_bad_key(name, filename, line))
            continue
        if name in values:
            problems.append(Problem(
                f"{name} is given twice (first on line {values[name][1]}); YAML keeps only "
                "the last: remove one", filename, line, check="duplicate",
            ))
            continue
        try:
            values[name] = (construct(value_node, constructor), line)
        except BadValue as error:
            problems.append(Problem(f"the value of {name} {error.message}", filename,
                                    error.line, check="syntax"))
    return values, problems


def _bad_key(name: object, filename: str, line: int) -> Problem:
    upper = name.upper() if isinstance(name, str) and name.isidentifier() else None
    hint = did_you_mean(upper if is_setting_name(upper) else None)
    shown = repr(name) if isinstance(name, str) else "a non-string key"
    return Problem(
        f"{shown} is not a setting name: settings are UPPERCASE identifiers{hint}",
        filename, line, check="bad-key",
    )


def _unknown_keys(
    values: Mapping[str, tuple[Any, int]], path: Path | None, known: set[str]
) -> Iterator[Problem]:
    settings = NameMatcher(sorted(name for name in known if is_setting_name(name)))
    for name, (_, line) in values.items():
        if name in known:
            continue
        hint = did_you_mean(settings.closest(name)) or ": no such setting in this service; remove it"
        yield Problem(f"unknown setting {name}{hint}", str(path), line, check="unknown")


def _missing(
    merged: Mapping[str, Any],
    required: list[str],
    values: Mapping[str, tuple[Any, int]],
    path: Path | None,
) -> Iterator[Problem]:
    sentinels = [name for name, value in merged.items()
                 if value is REQUIRED and name != "REQUIRED" and is_setting_name(name)]
    for name in dict.fromkeys([*required, *sentinels]):
        if not _unset(merged.get(name, REQUIRED)):
            continue
        if name in values:
            yield Problem(f"required setting {name} is empty: give it a value",
                          str(path), values[name][1], check="required")
        elif path is None:
            yield Problem(f"missing required setting {name}", "", check="required")
        else:
            yield Problem(f"missing required setting {name}: add it to this file",
                          str(path), check="required")
