"""The operations manual's model: groups of commands, their arguments and facts.

Frozen dataclasses, read from the commands file by :mod:`opsdocs.operations.reader` and
from Django management commands by :mod:`opsdocs.operations.command_module`; nothing here
knows files, Sphinx or docutils.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from opsdocs.errors import Problem

#: The groups of OEP-45, in its order, with their default titles.
GROUP_TITLES = {
    "web": "Running for web traffic",
    "worker": "Running as an async worker",
    "schema": "Managing the database schema",
    "maintenance": "Maintenance tasks",
    "ad-hoc": "Ad-hoc management commands",
}
DEFAULT_MANAGE = "python manage.py"
#: A help text or default the command's code decides when it runs, in place of its code.
RUN_TIME = "set at run time"
#: In place of a help text the code builds when it runs.
RUN_TIME_HELP = "Help text set at run time."


@dataclass(frozen=True)
class Argument:
    """A command's positional argument (``DAYS``) or option (``--older-than``).

    ``name`` is the first flag of an option or the name of a positional argument;
    ``aliases`` holds the other flags; ``metavar`` is the placeholder of the value an
    option takes (``None`` for a flag that takes none).
    """

    name: str
    description: str = ""
    default: str | None = None
    metavar: str | None = None
    aliases: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[str, ...] = ()
    repeat: str | None = None

    @property
    def is_option(self) -> bool:
        """Whether this is an option (``--flag``) rather than a positional argument."""
        return self.name.startswith("-")

    @property
    def shown_default(self) -> str | None:
        """The default to show after the description: none when the description already
        says it ("Default is ERROR.", "(default: 30)", "30 by default")."""
        if self.default is None or (self.default == RUN_TIME and self.description_at_run_time):
            return None
        return None if _says_default(self.description, self.default) else self.default

    @property
    def default_is_prose(self) -> bool:
        """Whether the default is words for people ("the number of CPUs", :data:`RUN_TIME`),
        shown as text, not as something to type."""
        if self.default == RUN_TIME:
            return True
        words = (self.default or "").split()
        return len(words) > 1 and all(word.replace("'", "").isalpha() for word in words)

    @property
    def description_at_run_time(self) -> bool:
        """Whether the code builds the description when it runs: it is shown as words
        for people (:data:`RUN_TIME_HELP`), not as the code's."""
        return self.description == RUN_TIME

    @property
    def shown_description(self) -> str:
        """The description to show: :data:`RUN_TIME_HELP` when the code builds it."""
        return RUN_TIME_HELP if self.description_at_run_time else self.description

    @property
    def usage(self) -> str:
        """How it is written on a command line: ``--older-than DAYS``, ``[app_label]``."""
        if not self.is_option:
            many = " ..." if self.repeat in ("*", "+") else ""
            if self.required:
                return f"{self.name}{many}" if not many else f"{self.name} [{self.name} ...]"
            return f"[{self.name}{many}]"
        return f"{self.name} {self.metavar}" if self.metavar else self.name


def _says_default(description: str, value: str) -> bool:
    """Whether a clause of *description* gives *value* after "default" or before "by
    default"."""
    value = value.lower()
    for clause in (description.lower() + " ").replace("; ", ". ").split(". "):
        words = [word.strip("\"'()[],:") for word in clause.split()]
        for index, word in enumerate(words):
            if word == value and (any(w in ("default", "defaults") for w in words[:index])
                                  or words[index + 1:index + 3] == ["by", "default"]):
                return True
    return False


@dataclass(frozen=True)
class ManagementCommand:
    """A Django management command as its module declares it: ``file`` is the module's
    file, ``line`` its ``Command`` class's, ``help`` and ``arguments`` what the class or
    those it inherits from declare."""

    name: str
    module: str
    file: str
    help: str = ""
    arguments: tuple[Argument, ...] = ()
    line: int = 1
    #: Every module read for it: its own, then those of the classes it inherits from.
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class EnvironmentVariable:
    """An environment variable a command reads."""

    name: str
    description: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Example:
    """A command line to copy, and what it does (reStructuredText)."""

    command: str
    description: str = ""
    description_line: int | None = None


@dataclass(frozen=True)
class SettingReference:
    """A setting a command depends on, with where the commands file names it."""

    name: str
    line: int | None = None
    path: str = ""


@dataclass(frozen=True)
class Command:
    """One operation: how to run it, what it needs, when, and how dangerous it is.

    ``summary``, ``description``, ``destructive_note`` and environment variables'
    descriptions are reStructuredText from ``file``, located by their ``*_line``.
    ``django`` names the management command it documents, read from ``django_file``;
    ``help`` is that command's own help, plain text.
    """

    name: str
    group: str
    summary: str = ""
    description: str = ""
    help: str = ""
    command_line: str = ""
    arguments: tuple[Argument, ...] = ()
    environment: tuple[EnvironmentVariable, ...] = ()
    settings: tuple[SettingReference, ...] = ()
    when: str = "on-demand"
    schedule: str | None = None
    safe_to_rerun: bool | None = None
    destructive: bool = False
    destructive_note: str = ""
    duration: str | None = None
    examples: tuple[Example, ...] = ()
    django: str | None = None
    django_module: str | None = None
    django_file: str | None = None
    django_line: int | None = None
    file: str = ""
    line: int | None = None
    path: str = ""
    description_line: int | None = None
    summary_line: int | None = None
    destructive_line: int | None = None

    @property
    def shown_help(self) -> str:
        """The command's own help to show: none when the code builds it when it runs."""
        return "" if self.help == RUN_TIME else self.help

    @property
    def positional(self) -> tuple[Argument, ...]:
        return tuple(a for a in self.arguments if not a.is_option)

    @property
    def options(self) -> tuple[Argument, ...]:
        return tuple(a for a in self.arguments if a.is_option)


@dataclass(frozen=True)
class Group:
    """A section of the manual (``web``, ``worker``, ``schema`` ...)."""

    name: str
    title: str
    description: str = ""
    commands: tuple[Command, ...] = ()
    file: str = ""
    line: int | None = None
    path: str = ""
    description_line: int | None = None


@dataclass(frozen=True)
class Manual:
    """A whole commands file: its groups, what it made opsdocs read, what is wrong with it."""

    file: str
    groups: tuple[Group, ...] = ()
    title: str = ""
    description: str = ""
    description_line: int | None = None
    problems: tuple[Problem, ...] = ()
    dependencies: tuple[str, ...] = field(default=())

    @property
    def commands(self) -> Iterator[Command]:
        for group in self.groups:
            yield from group.commands

    def command(self, name: str) -> Command | None:
        """The command called *name*, or ``None``."""
        return next((c for c in self.commands if c.name == name), None)
