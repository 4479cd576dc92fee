"""A Dockerfile's model: build stages, arguments, environment and what the image runs.

Frozen dataclasses built by :mod:`opsdocs.dockerfile.reader`; no Sphinx, no docutils.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from opsdocs.errors import Problem
from opsdocs.settings.secrets import looks_secret, without_secret_shapes

#: Every instruction Docker knows; anything else is reported.
INSTRUCTIONS = frozenset({
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
    "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
    "WORKDIR",
})

#: Parser directives Docker knows.
DIRECTIVES = frozenset({"syntax", "escape", "check"})

#: A value that is a number or a boolean, not text: no secret, as a setting's is not.
_NOT_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)|true|false|yes|no|on|off", re.IGNORECASE)


def secret_value(name: str, value: str | None) -> bool:
    """Whether the value of the ``ARG`` or ``ENV`` *name* is kept out of every output (the
    Dockerfile reference, snapshots, the changelog): the rule of settings
    (:func:`~opsdocs.settings.secrets.looks_secret`), the value read as text, so that
    ``ENV DB_PASSWORD=x`` is hidden and ``ENV USE_CREDENTIALS=true`` is not; and a value
    that holds a secret by its shape (``ENV DATABASE_URL=postgres://u:pw@db/x``)."""
    if value is None:
        return False
    return looks_secret(name, "0" if _NOT_TEXT.fullmatch(value.strip()) else repr(value)) \
        or without_secret_shapes(value) != value


def secret_name(name: str) -> bool:
    """Whether a value of *name* that is text is hidden (:func:`secret_value`): where no
    value was kept, it may have been one."""
    return secret_value(name, "text")


@dataclass(frozen=True)
class Instruction:
    """One instruction: ``keyword`` upper-cased, ``arguments`` with continuations joined."""

    keyword: str
    arguments: str
    line: int
    comment: str = ""


@dataclass(frozen=True)
class Variable:
    """A name an ``ARG`` or ``ENV`` declares, with its value: ``None`` for an ``ARG``
    without a default."""

    name: str
    value: str | None
    line: int
    comment: str = ""

    @property
    def secret(self) -> bool:
        """Whether the value is never shown (:func:`secret_value`)."""
        return secret_value(self.name, self.value)


class BuildArg(Variable):
    """``ARG NAME[=default]``."""

    @property
    def default(self) -> str | None:
        """The value the build uses when none is passed, ``None`` when there is none."""
        return self.value


class EnvVar(Variable):
    """``ENV NAME=value`` (or the legacy ``ENV NAME value``)."""

    value: str


@dataclass(frozen=True)
class Command:
    """``ENTRYPOINT`` or ``CMD``: ``exec_form`` when written as a JSON array."""

    keyword: str
    argv: tuple[str, ...]
    exec_form: bool
    line: int
    comment: str = ""

    @property
    def text(self) -> str:
        """The command as written: a JSON array or a shell command line."""
        return json.dumps(list(self.argv)) if self.exec_form else (self.argv or ("",))[0]


@dataclass(frozen=True)
class Stage:
    """A build stage: ``FROM base [AS name]`` and the instructions up to the next ``FROM``."""

    index: int
    base: str
    name: str | None
    line: int
    comment: str = ""
    platform: str | None = None
    instructions: tuple[Instruction, ...] = ()
    args: tuple[BuildArg, ...] = ()
    env: tuple[EnvVar, ...] = ()
    expose: tuple[Instruction, ...] = ()
    volumes: tuple[Instruction, ...] = ()
    user: Instruction | None = None
    workdir: Instruction | None = None
    entrypoint: Command | None = None
    cmd: Command | None = None

    @property
    def title(self) -> str:
        """``builder`` for a named stage, else its number: ``stage 0``."""
        return self.name or f"stage {self.index}"


@dataclass(frozen=True)
class Dockerfile:
    """A parsed Dockerfile: global ``ARG``\\s (before the first ``FROM``) and the stages."""

    file: str
    directives: dict[str, str] = field(default_factory=dict)
    args: tuple[BuildArg, ...] = ()
    stages: tuple[Stage, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def final(self) -> Stage | None:
        """The stage ``docker build`` builds by default: the last one."""
        return self.stages[-1] if self.stages else None

    def all_args(self) -> Iterator[tuple[Stage | None, BuildArg]]:
        """Every ``ARG`` with its stage, ``None`` for global ones."""
        yield from ((None, arg) for arg in self.args)
        for stage in self.stages:
            yield from ((stage, arg) for arg in stage.args)
