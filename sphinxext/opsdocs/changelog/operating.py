"""Operating concerns between releases: the commands of the operations manual and the image.

What a release's commands file and Dockerfile say that an operator acts on, as small
frozen facts (:class:`Operations`, kept in snapshots and the changelog cache), and the
changes between two releases' facts (:func:`diff_operations`).  Pure functions over the
operations and Dockerfile models; parsing them at a release is
:mod:`opsdocs.changelog.parse`'s, and their words :mod:`opsdocs.changelog.text`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from opsdocs.changelog.matching import match_unique
from opsdocs.dockerfile.model import Dockerfile
from opsdocs.dockerfile.reader import list_arguments, split_words
from opsdocs.errors import Problem
from opsdocs.operations.model import Argument, Command, Manual

#: Kinds of change to a command, in the order a release lists them.
COMMAND_KINDS = ("command-added", "command-removed", "command-renamed", "argument-added",
                 "argument-removed", "argument-changed", "schedule", "destructive",
                 "safe-to-rerun", "setting-added", "setting-removed", "env-added",
                 "env-removed")
#: Kinds of change to the image.
IMAGE_KINDS = ("base-added", "base-removed", "base-changed", "arg-added", "arg-removed",
               "arg-changed", "env-var-added", "env-var-removed", "env-var-changed",
               "expose-added", "expose-removed", "volume-added", "volume-removed", "user",
               "entrypoint", "cmd")
_ORDER = {kind: index for index, kind in enumerate(COMMAND_KINDS + IMAGE_KINDS)}
#: Version of :func:`operations_to_json`'s form (the ``operations`` of a snapshot).
OPERATIONS_VERSION = 1


@dataclass(frozen=True)
class ArgumentFacts:
    """An argument as an operator writes it: ``usage`` (``--older-than DAYS``), its default."""

    name: str
    usage: str
    default: str | None = None
    required: bool = False


@dataclass(frozen=True)
class CommandFacts:
    """What an operator relies on in one command of the manual.

    ``run`` is how it is started (its command line; ``python manage.py NAME`` for a
    management command), ``when`` and ``schedule`` when it runs; ``settings`` and
    ``environment`` name what it needs.
    """

    name: str
    group: str = ""
    summary: str = ""
    run: str = ""
    arguments: tuple[ArgumentFacts, ...] = ()
    when: str = "on-demand"
    schedule: str | None = None
    destructive: bool = False
    safe_to_rerun: bool | None = None
    settings: tuple[str, ...] = ()
    environment: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImageFacts:
    """What an operator relies on in the image: build arguments (name, default), the final
    stage's environment (name, value), ports, volumes, user and commands, and each stage's
    base image (stage, base).  A value that looks secret
    (:func:`~opsdocs.dockerfile.model.secret_value`) is never kept: ``None``."""

    args: tuple[tuple[str, str | None], ...] = ()
    env: tuple[tuple[str, str | None], ...] = ()
    expose: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    user: str | None = None
    entrypoint: str | None = None
    cmd: str | None = None
    bases: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Operations:
    """A release's operating concerns; ``None`` for what was not read (no file given, a
    snapshot written without it, or a file that cannot be read: ``problems`` say why):
    nothing is compared with it."""

    commands: tuple[CommandFacts, ...] | None = None
    image: ImageFacts | None = None
    problems: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def empty(self) -> bool:
        return self.commands is None and self.image is None


@dataclass(frozen=True)
class OperationChange:
    """One change to a command (``subject`` is ``command``) or to the image (``image``).

    ``name`` is the command (its new name when renamed; ``old_name`` the former one), or
    for the image the argument, variable, port, volume or stage that changed; ``item``
    is the argument, setting or environment variable of a command that changed; ``old``
    and ``new`` the values before and after.
    """

    subject: str
    kind: str
    name: str
    old: str | None = None
    new: str | None = None
    old_name: str | None = None
    item: str | None = None


# -- Facts from the models ----------------------------------------------------------------


def command_facts(manual: Manual) -> tuple[CommandFacts, ...]:
    """The facts of every command of *manual*, in its order."""
    return tuple(_command(command) for command in manual.commands)


def _command(command: Command) -> CommandFacts:
    return CommandFacts(
        name=command.name, group=command.group, summary=command.summary,
        run=command.command_line, arguments=tuple(_argument(a) for a in command.arguments),
        when=command.when, schedule=command.schedule, destructive=command.destructive,
        safe_to_rerun=command.safe_to_rerun,
        settings=tuple(dict.fromkeys(s.name for s in command.settings)),
        environment=tuple(dict.fromkeys(e.name for e in command.environment)),
    )


def _argument(argument: Argument) -> ArgumentFacts:
    return ArgumentFacts(argument.name, argument.usage, argument.default, argument.required)


def image_facts(dockerfile: Dockerfile) -> ImageFacts:
    """The facts of *dockerfile*: every ``ARG`` (the first of a name), and what the final
    stage, the image that runs, sets."""
    args: dict[str, str | None] = {}
    for _, arg in dockerfile.all_args():
        args.setdefault(arg.name, None if arg.secret else arg.default)
    final = dockerfile.final
    if final is None:
        return ImageFacts(tuple(args.items()))
    return ImageFacts(
        args=tuple(args.items()),
        env=tuple({var.name: None if var.secret else var.value for var in final.env}.items()),
        expose=tuple(dict.fromkeys(word for instruction in final.expose
                                   for word in split_words(instruction.arguments))),
        volumes=tuple(dict.fromkeys(path for instruction in final.volumes
                                    for path in list_arguments(instruction))),
        user=final.user.arguments.strip() if final.user else None,
        entrypoint=final.entrypoint.text if final.entrypoint else None,
        cmd=final.cmd.text if final.cmd else None,
        bases=tuple((stage.title, stage.base) for stage in dockerfile.stages),
    )


# -- Diffing ------------------------------------------------------------------------------


def diff_operations(old: Operations | None, new: Operations | None,
                    ) -> tuple[OperationChange, ...]:
    """Every change from *old* to *new*, commands first, then the image, each by kind;
    nothing for a concern either side did not read."""
    if old is None or new is None:
        return ()
    changes: list[OperationChange] = []
    if old.commands is not None and new.commands is not None:
        changes.extend(diff_commands(old.commands, new.commands))
    if old.image is not None and new.image is not None:
        changes.extend(diff_images(old.image, new.image))
    return tuple(changes)


def diff_commands(old: Iterable[CommandFacts], new: Iterable[CommandFacts],
                  ) -> list[OperationChange]:
    """The changes to commands: added, removed, renamed (same command line, or same
    summary), then what changed in each one kept."""
    before = {c.name: c for c in old}
    after = {c.name: c for c in new}
    removed = [c for name, c in before.items() if name not in after]
    added = [c for name, c in after.items() if name not in before]
    renames = _renames(removed, added)
    changes = [OperationChange("command", "command-added", c.name, new=c.summary or None)
               for c in added if c.name not in {now for now, _ in renames.values()}]
    changes += [OperationChange("command", "command-removed", c.name)
                for c in removed if c.name not in renames]
    changes += [OperationChange("command", "command-renamed", now, old_name=was, item=why)
                for was, (now, why) in renames.items()]
    pairs = [(before[name], after[name]) for name in after if name in before]
    pairs += [(before[was], after[now]) for was, (now, _) in renames.items()]
    for was, now in pairs:
        changes.extend(_command_changes(was, now))
    return sorted(changes, key=lambda c: (_ORDER[c.kind], c.name, c.item or ""))


def _renames(removed: list[CommandFacts],
             added: list[CommandFacts]) -> dict[str, tuple[str, str]]:
    """Old name -> (new name, evidence: ``run`` or ``summary``) of each removed command that
    one added command matches alone, by its command line, else by its summary."""
    rules = (("run", lambda c: c.run), ("summary", lambda c: c.summary))
    return {old.name: (new.name, why) for old, new, why in match_unique(removed, added, rules)}


def _command_changes(old: CommandFacts, new: CommandFacts) -> Iterator[OperationChange]:
    def change(kind: str, before: str | None = None, after: str | None = None,
               item: str | None = None) -> OperationChange:
        return OperationChange("command", kind, new.name, before, after, item=item)

    arguments_before = {a.name: a for a in old.arguments}
    arguments_after = {a.name: a for a in new.arguments}
    for name, argument in arguments_after.items():
        was = arguments_before.get(name)
        if was is None:
            yield change("argument-added", None, _argument_text(argument), name)
        elif was != argument:
            yield change("argument-changed", _argument_text(was), _argument_text(argument), name)
    for name, argument in arguments_before.items():
        if name not in arguments_after:
            yield change("argument-removed", _argument_text(argument), None, name)
    if (old.when, old.schedule) != (new.when, new.schedule):
        yield change("schedule", old.schedule or old.when, new.schedule or new.when)
    if old.destructive != new.destructive:
        yield change("destructive", _yes(old.destructive), _yes(new.destructive))
    if old.safe_to_rerun != new.safe_to_rerun:
        yield change("safe-to-rerun", _yes(old.safe_to_rerun), _yes(new.safe_to_rerun))
    for kind, needed_before, needed in (("setting", old.settings, new.settings),
                                        ("env", old.environment, new.environment)):
        yield from (change(f"{kind}-added", item=name)
                    for name in needed if name not in needed_before)
        yield from (change(f"{kind}-removed", item=name)
                    for name in needed_before if name not in needed)


def _argument_text(argument: ArgumentFacts) -> str:
    text = argument.usage
    if argument.required:
        text += " (required)"
    if argument.default is not None:
        text += f" (default {argument.default})"
    return text


def _yes(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def diff_images(old: ImageFacts, new: ImageFacts) -> list[OperationChange]:
    """The changes to the image: bases, build arguments, environment, ports, volumes,
    user, entry point and command."""
    changes: list[OperationChange] = []
    for kind, was, now in (("base", old.bases, new.bases), ("arg", old.args, new.args),
                           ("env-var", old.env, new.env)):
        changes.extend(_mapping_changes(kind, dict(was), dict(now)))
    for kind, was_items, now_items in (("expose", old.expose, new.expose),
                                       ("volume", old.volumes, new.volumes)):
        changes += [OperationChange("image", f"{kind}-added", item)
                    for item in now_items if item not in was_items]
        changes += [OperationChange("image", f"{kind}-removed", item)
                    for item in was_items if item not in now_items]
    for kind in ("user", "entrypoint", "cmd"):
        was_value, now_value = getattr(old, kind), getattr(new, kind)
        if was_value != now_value:
            changes.append(OperationChange("image", kind, kind.upper(), was_value, now_value))
    return sorted(changes, key=lambda c: _ORDER[c.kind])


def _mapping_changes(kind: str, old: Mapping[str, str | None],
                     new: Mapping[str, str | None]) -> Iterator[OperationChange]:
    for name, value in new.items():
        if name not in old:
            yield OperationChange("image", f"{kind}-added", name, None, value)
        elif old[name] != value:
            yield OperationChange("image", f"{kind}-changed", name, old[name], value)
    for name, value in old.items():
        if name not in new:
            yield OperationChange("image", f"{kind}-removed", name, value, None)


# -- JSON (snapshots) ---------------------------------------------------------------------


def operations_to_json(operations: Operations) -> dict[str, Any]:
    """The ``operations`` of a snapshot."""
    return {
        "version": OPERATIONS_VERSION,
        "commands": None if operations.commands is None else [
            asdict(command) for command in operations.commands],
        "image": None if operations.image is None else asdict(operations.image),
    }


def operations_from_json(data: Any) -> Operations:
    """:func:`operations_to_json`'s form read back; raises ``TypeError``, ``KeyError`` or
    ``ValueError`` on a malformed one (a snapshot without it has no operations)."""
    if data is None:
        return Operations()
    if not isinstance(data, dict) or data.get("version") != OPERATIONS_VERSION:
        raise ValueError(f"operations format version {data.get('version')!r} is not "
                         f"{OPERATIONS_VERSION}" if isinstance(data, dict) else
                         "operations is not an object")
    commands = data.get("commands")
    image = data.get("image")
    return Operations(
        None if commands is None else tuple(_command_from_json(item) for item in commands),
        None if image is None else ImageFacts(
            args=tuple((str(k), None if v is None else str(v)) for k, v in image["args"]),
            env=tuple((str(k), _optional(v)) for k, v in image["env"]),
            expose=tuple(str(p) for p in image["expose"]),
            volumes=tuple(str(v) for v in image["volumes"]),
            user=_optional(image["user"]), entrypoint=_optional(image["entrypoint"]),
            cmd=_optional(image["cmd"]),
            bases=tuple((str(k), str(v)) for k, v in image["bases"]),
        ),
    )


def _command_from_json(item: dict[str, Any]) -> CommandFacts:
    return CommandFacts(
        name=str(item["name"]), group=str(item["group"]), summary=str(item["summary"]),
        run=str(item["run"]),
        arguments=tuple(ArgumentFacts(str(a["name"]), str(a["usage"]), _optional(a["default"]),
                                      bool(a["required"])) for a in item["arguments"]),
        when=str(item["when"]), schedule=_optional(item["schedule"]),
        destructive=bool(item["destructive"]),
        safe_to_rerun=None if item["safe_to_rerun"] is None else bool(item["safe_to_rerun"]),
        settings=tuple(str(s) for s in item["settings"]),
        environment=tuple(str(e) for e in item["environment"]),
    )


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


def known_operations(before: Operations | None, now: Operations) -> Operations:
    """What is known after a release saying *now*: each concern it did not read stays as
    *before* said, so the next release is compared with the last one that read it."""
    if before is None:
        return now
    return Operations(before.commands if now.commands is None else now.commands,
                      before.image if now.image is None else now.image)


def comparable(old: Operations | None, new: Operations | None) -> bool:
    """Whether both say something of the same concern (so a diff of them means something)."""
    return old is not None and new is not None and (
        (old.commands is not None and new.commands is not None)
        or (old.image is not None and new.image is not None))
