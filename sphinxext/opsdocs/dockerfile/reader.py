"""A Dockerfile, read as documentation: stages, build arguments and what the image runs.

OEP-45 makes the Dockerfile the documentation of a service's system dependencies, so
every instruction keeps the comment block written directly above it.  This is a reader
of the `Dockerfile syntax <https://docs.docker.com/reference/dockerfile/>`_ (parser
directives, line continuations, both ``ENV`` forms, exec and shell forms), not a
builder: nothing is expanded or run.  Heredocs are skipped, not interpreted, by
BuildKit's rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from opsdocs.dockerfile.model import (
    DIRECTIVES,
    INSTRUCTIONS,
    BuildArg,
    Command,
    Dockerfile,
    EnvVar,
    Instruction,
    Stage,
    Variable,
)
from opsdocs.errors import Problem
from opsdocs.reading import DOCKERFILE, read_text

_DIRECTIVE = re.compile(r"#\s*([A-Za-z]+)\s*=(.*)")
#: A word that starts a heredoc, as BuildKit reads it: ``<<EOF``, ``<<-EOF``, ``2<<"EOF"``.
_HEREDOC_WORD = re.compile(r"(\d*)<<(-?)([^<]*)")
_ARG_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: A name followed by a colon in a comment that documents several variables.
_NAMED_PART = re.compile(r"(?:^|(?<=\s))([A-Za-z_][A-Za-z0-9_]*):\s+")
_RULE_CHARACTERS = "-=*#~"


# -- Reading ----------------------------------------------------------------------------


def read_dockerfile(path: str | Path) -> Dockerfile:
    """Parse the Dockerfile at *path*; :class:`OpsdocsError` when it cannot be read."""
    text = read_text(path, DOCKERFILE)
    return parse_dockerfile(text, str(path))


def parse_dockerfile(text: str, filename: str) -> Dockerfile:
    """Parse the Dockerfile *text*; problems are returned with it, never raised."""
    # Lines end at "\n" only, as BuildKit reads them (not at a form feed or U+2028).
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    directives, start, problems = _directives(lines, filename)
    escape = directives.get("escape", "\\")
    instructions = list(_instructions(lines, start, escape, filename, problems))
    return _build(filename, directives, instructions, problems)


def _directives(lines: list[str], filename: str) -> tuple[dict[str, str], int, list[Problem]]:
    """Parser directives (``# syntax=``, ``# escape=``): only at the very top of the file.

    As in Docker, the first line that is not a known directive ends them; an unknown
    one is an ordinary comment.
    """
    directives: dict[str, str] = {}
    problems: list[Problem] = []
    index = 0
    while index < len(lines):
        match = _DIRECTIVE.fullmatch(lines[index].strip())
        key = match.group(1).lower() if match else None
        if match is None or key not in DIRECTIVES:
            break
        if key in directives:
            problems.append(Problem(
                f"parser directive '{key}' is given twice: keep one", filename, index + 1,
                check="dockerfile-syntax",
            ))
        value = directives[key] = match.group(2).strip()
        if key == "escape" and value not in ("\\", "`"):
            problems.append(Problem(
                f"invalid escape directive {value!r}: the escape character must be "
                "\\ or `", filename, index + 1, check="dockerfile-syntax",
            ))
            del directives[key]
        index += 1
    return directives, index, problems


def _instructions(
    lines: list[str], start: int, escape: str, filename: str, problems: list[Problem]
) -> Iterator[Instruction]:
    comment: list[str] = []
    index = start
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped:
            comment = []
            index += 1
            continue
        if stripped.startswith("#"):
            comment.append(_comment_text(stripped))
            index += 1
            continue
        first = index
        parts: list[str] = []
        while True:
            text = lines[index].rstrip()
            continued = text.endswith(escape)
            parts.append(text[:-1] if continued else text)
            index += 1
            # Comment and empty lines inside a continuation are dropped, as Docker does.
            while continued and index < len(lines) and (
                not lines[index].strip() or lines[index].strip().startswith("#")
            ):
                index += 1
            if not continued or index >= len(lines):
                break
        keyword, _, arguments = " ".join(p.strip() for p in parts).strip().partition(" ")
        instruction = Instruction(keyword.upper(), arguments.strip(), first + 1,
                                  "\n".join(comment).strip("\n"))
        comment = []
        if instruction.keyword not in INSTRUCTIONS:
            problems.append(Problem(
                f"unknown instruction {keyword}: a Dockerfile instruction is one of "
                + ", ".join(sorted(INSTRUCTIONS)), filename, first + 1, check="dockerfile-syntax",
            ))
        index = _skip_heredocs(instruction, lines, index, filename, problems)
        yield instruction


def _comment_text(line: str) -> str:
    """A comment line without ``#`` and without the rules of ``# ---- Title ----``."""
    text = line[1:].removeprefix(" ").rstrip()
    head = len(text) - len(text.lstrip(_RULE_CHARACTERS))
    if head >= 3:
        text = text[head:].lstrip()
    tail = len(text) - len(text.rstrip(_RULE_CHARACTERS))
    if tail >= 3:
        text = text[:-tail].rstrip()
    return text


def heredocs(instruction: Instruction) -> list[tuple[str, bool]]:
    """The heredocs an instruction opens, as BuildKit reads them: ``(name, strip_tabs)``.

    Only ``RUN``, ``COPY`` and ``ADD`` (also after ``ONBUILD``) in shell form have them,
    and a heredoc is a whole word outside quotes (``RUN python -c "print(1<<EOF)"`` has
    none); ``<<-`` strips leading tabs from the body and the end line.
    """
    keyword, arguments = instruction.keyword, instruction.arguments
    if keyword == "ONBUILD":
        inner, _, arguments = arguments.partition(" ")
        keyword = inner.upper()
    if keyword not in ("RUN", "COPY", "ADD") or "<<" not in arguments or \
            parse_command(Instruction(keyword, arguments.strip(), instruction.line)).exec_form:
        return []
    found = []
    for word in split_words(arguments, raw=True):
        match = _HEREDOC_WORD.fullmatch(word)
        names = split_words(match.group(3)) if match and match.group(3) else []
        if len(names) == 1:
            found.append((names[0], match.group(2) == "-"))  # type: ignore[union-attr]
    return found


def _skip_heredocs(instruction: Instruction, lines: list[str], index: int, filename: str,
                   problems: list[Problem]) -> int:
    """Skip the heredoc bodies after *instruction*; the index of the line after them.

    A heredoc that never ends would swallow the rest of the file: it is a problem, and
    only the lines up to the next instruction are taken for its body.
    """
    for name, strip_tabs in heredocs(instruction):
        end = index
        while end < len(lines) and \
                (lines[end].lstrip("\t") if strip_tabs else lines[end]) != name:
            end += 1
        if end == len(lines):
            problems.append(Problem(
                f"the heredoc <<{name} of this {instruction.keyword} has no end: add a line "
                f"holding only {name} after its body (BuildKit refuses the file)", filename,
                instruction.line, check="dockerfile-syntax"))
            while index < len(lines) and \
                    lines[index].lstrip().partition(" ")[0].upper() not in INSTRUCTIONS:
                index += 1
            return index
        index = end + 1
    return index


class _StageBuilder:
    """Collects the instructions of one stage into a :class:`Stage`."""

    def __init__(self, index: int, origin: Instruction, filename: str,
                 problems: list[Problem]) -> None:
        self.filename = filename
        self.problems = problems
        words = split_words(origin.arguments)
        platform = next((w.split("=", 1)[1] for w in words if w.startswith("--platform=")), None)
        words = [w for w in words if not w.startswith("--")]
        self.name: str | None = None
        if len(words) == 3 and words[1].lower() == "as":
            self.name = words[2]
        elif len(words) != 1:
            problems.append(Problem(
                "FROM takes an image and an optional 'AS name': FROM [--platform=...] IMAGE "
                "[AS NAME]", filename, origin.line, check="dockerfile-syntax",
            ))
        self.stage = Stage(index, words[0] if words else "", self.name, origin.line,
                           origin.comment, platform)
        self.instructions: list[Instruction] = [origin]
        self.args: list[BuildArg] = []
        self.env: list[EnvVar] = []
        self.expose: list[Instruction] = []
        self.volumes: list[Instruction] = []
        self.user: Instruction | None = None
        self.workdir: Instruction | None = None
        self.entrypoint: Command | None = None
        self.cmd: Command | None = None

    def add(self, instruction: Instruction) -> None:
        self.instructions.append(instruction)
        keyword = instruction.keyword
        if keyword == "ARG":
            self.args.extend(parse_args(instruction, self.filename, self.problems))
        elif keyword == "ENV":
            self.env.extend(parse_env(instruction, self.filename, self.problems))
        elif keyword == "EXPOSE":
            self.expose.append(instruction)
        elif keyword == "VOLUME":
            self.volumes.append(instruction)
        elif keyword == "USER":
            self.user = instruction
        elif keyword == "WORKDIR":
            self.workdir = instruction
        elif keyword == "ENTRYPOINT":
            self.entrypoint = parse_command(instruction)
        elif keyword == "CMD":
            self.cmd = parse_command(instruction)

    def build(self) -> Stage:
        return replace(
            self.stage, instructions=tuple(self.instructions), args=tuple(self.args),
            env=tuple(self.env), expose=tuple(self.expose), volumes=tuple(self.volumes),
            user=self.user, workdir=self.workdir, entrypoint=self.entrypoint, cmd=self.cmd,
        )


def _build(filename: str, directives: dict[str, str], instructions: list[Instruction],
           problems: list[Problem]) -> Dockerfile:
    global_args: list[BuildArg] = []
    stages: list[Stage] = []
    current: _StageBuilder | None = None
    names: dict[str, int] = {}
    for instruction in instructions:
        if instruction.keyword == "FROM":
            if current is not None:
                stages.append(current.build())
            current = _StageBuilder(len(stages), instruction, filename, problems)
            name = current.name
            if name is not None:
                if name.lower() in names:
                    problems.append(Problem(
                        f"stage name {name} is used twice (first on line {names[name.lower()]}): "
                        "give each stage its own name", filename, instruction.line,
                        check="dockerfile-syntax",
                    ))
                names.setdefault(name.lower(), instruction.line)
        elif current is not None:
            current.add(instruction)
        elif instruction.keyword == "ARG":
            global_args.extend(parse_args(instruction, filename, problems))
        elif instruction.keyword in INSTRUCTIONS:
            problems.append(Problem(
                f"{instruction.keyword} before the first FROM: only ARG may come before FROM",
                filename, instruction.line, check="dockerfile-syntax",
            ))
    if current is not None:
        stages.append(current.build())
    else:
        problems.append(Problem(
            "no FROM instruction: a Dockerfile starts its first build stage with "
            "FROM IMAGE", filename, check="dockerfile-syntax",
        ))
    dockerfile = Dockerfile(filename, directives, tuple(global_args), tuple(stages))
    problems.extend(_undocumented_args(dockerfile))
    return Dockerfile(filename, directives, dockerfile.args, dockerfile.stages, tuple(problems))


def _undocumented_args(dockerfile: Dockerfile) -> Iterator[Problem]:
    """``ARG``\\s without a comment; re-declaring a global one in a stage needs none."""
    documented = {arg.name for arg in dockerfile.args if arg.comment}
    for stage, arg in dockerfile.all_args():
        if arg.comment or (stage is not None and arg.default is None and arg.name in documented):
            continue
        yield Problem(
            f"build argument {arg.name} has no comment: say what it is for in a '#' comment "
            "directly above its ARG line", dockerfile.file, arg.line, check="undocumented-arg",
        )


# -- Instruction arguments --------------------------------------------------------------


def split_words(text: str, *, raw: bool = False) -> list[str]:
    """Split on blanks outside quotes, removing the quotes and escapes (a shell's word
    splitting); with *raw*, quotes and escapes stay in the words."""
    words: list[str] = []
    current: list[str] = []
    quote: str | None = None
    in_word = False
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == quote:
                quote = None
                current.extend(char if raw else "")
            elif char == "\\" and quote == '"' and index + 1 < len(text):
                index += 1
                current.extend((char if raw else "") + text[index])
            else:
                current.append(char)
        elif char in "\"'":
            quote, in_word = char, True
            current.extend(char if raw else "")
        elif char.isspace():
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
        elif char == "\\" and index + 1 < len(text):
            index += 1
            current.extend((char if raw else "") + text[index])
            in_word = True
        else:
            current.append(char)
            in_word = True
        index += 1
    if in_word:
        words.append("".join(current))
    return words


def parse_args(instruction: Instruction, filename: str, problems: list[Problem]) -> list[BuildArg]:
    """``ARG A=1 B``: one :class:`BuildArg` per name, each with the instruction's comment."""
    result: list[BuildArg] = []
    words = split_words(instruction.arguments)
    if not words:
        problems.append(Problem("ARG needs a name: ARG NAME[=default]", filename,
                                instruction.line, check="dockerfile-syntax"))
    for word in words:
        name, equals, default = word.partition("=")
        if not _ARG_NAME.fullmatch(name):
            problems.append(Problem(
                f"invalid build argument name {name!r}: use letters, digits and underscores",
                filename, instruction.line, check="dockerfile-syntax",
            ))
            continue
        result.append(BuildArg(name, default if equals else None, instruction.line,
                               instruction.comment))
    return _split_comment(result)


def parse_env(instruction: Instruction, filename: str, problems: list[Problem]) -> list[EnvVar]:
    """``ENV A=1 B="two words"`` or the legacy ``ENV A one value``."""
    words = split_words(instruction.arguments)
    if words and "=" not in words[0]:
        name, _, value = instruction.arguments.partition(" ")
        if not value.strip():
            problems.append(Problem(
                f"ENV {name} has no value: write ENV {name}=VALUE", filename, instruction.line,
                check="dockerfile-syntax",
            ))
        return [EnvVar(name, " ".join(split_words(value)), instruction.line, instruction.comment)]
    result = []
    for word in words:
        name, equals, value = word.partition("=")
        if not equals or not name:
            problems.append(Problem(
                f"ENV expects NAME=VALUE pairs, got {word!r}", filename, instruction.line,
                check="dockerfile-syntax",
            ))
            continue
        result.append(EnvVar(name, value, instruction.line, instruction.comment))
    return _split_comment(result)


_Named = TypeVar("_Named", bound=Variable)


def _split_comment(items: list[_Named]) -> list[_Named]:
    """Give each name of a multi-name ``ENV``/``ARG`` its part of the shared comment.

    ``# PATH: the virtualenv first.  DEBUG: off in production.`` above
    ``ENV PATH=... DEBUG=0`` documents each variable by name; the text before the first
    name, or all of it when no name is mentioned, goes to every variable left without a part.
    """
    if len(items) < 2 or not items[0].comment:
        return items
    comment = items[0].comment
    names = {item.name for item in items}
    matches: list[re.Match[str]] = [
        m for m in _NAMED_PART.finditer(comment) if m.group(1) in names]
    if not matches:
        return items
    parts: dict[str, str] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(comment)
        parts.setdefault(match.group(1), " ".join(comment[match.end():end].split()))
    shared = " ".join(comment[:matches[0].start()].split())
    return [replace(item, comment=parts.get(item.name, shared)) for item in items]


def parse_command(instruction: Instruction) -> Command:
    """Exec form when the arguments are a JSON array of strings, else shell form (as Docker)."""
    text = instruction.arguments
    if text.startswith("["):
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):  # not a JSON array: the shell form, as Docker
            value = None
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return Command(instruction.keyword, tuple(_without_lone_surrogates(item)
                                                      for item in value),
                           True, instruction.line, instruction.comment)
    return Command(instruction.keyword, (text,), False, instruction.line, instruction.comment)


def _without_lone_surrogates(text: str) -> str:
    """*text* with each lone surrogate (``"\\ud800"``) made U+FFFD, as Docker's JSON
    decoder makes it: no page or file could hold it."""
    if text.isascii():
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def list_arguments(instruction: Instruction) -> list[str]:
    """``VOLUME ["/a", "/b"]`` or ``EXPOSE 80 443/udp``: the items."""
    command = parse_command(instruction)
    return list(command.argv) if command.exec_form else split_words(instruction.arguments)
