"""The commands file validated: its JSON Schema, what the validator understands, and YAML
that is refused (tags of no data, a document too large once aliases are followed)."""

from __future__ import annotations

import json
import textwrap
import tracemalloc

import pytest

from opsdocs.errors import OpsdocsError
from opsdocs.operations.management import CommandFinder
from opsdocs.operations.reader import manual_from_text
from opsdocs.operations.validate import (
    ANNOTATION_KEYWORDS,
    SCHEMA_PATH,
    SUPPORTED_KEYWORDS,
    commands_schema,
)
from tests.helpers import ROOTS

ROOT = ROOTS / "test-operations"
FINDER = CommandFinder(str(ROOT / "service"))


def read(text: str):
    return manual_from_text(textwrap.dedent(text), "commands.yml", FINDER)


def problems(text: str) -> list[str]:
    return [str(p) for p in read(text).problems]


def test_python_tags_are_refused_not_executed(tmp_path):
    flag = tmp_path / "pwned"
    assert problems(f"version: 1\ngroups: !!python/object/apply:os.system ['touch {flag}']\n") == [
        "commands.yml:2: 'groups' has a !!python/ tag, which is not allowed in this file: remove "
        "it (at groups)"]
    assert not flag.exists()


def billion_laughs(width: int) -> str:
    """A small file whose aliases expand to width**3 values where the schema reads them."""
    many = lambda alias: "[" + ", ".join([alias] * width) + "]"  # noqa: E731
    return (
        "version: 1\n"
        f"settings: &s {many('A')}\n"
        "command: &c {name: x, command: x, settings: *s}\n"
        f"commands: &cs {many('*c')}\n"
        "group: &g {name: web, commands: *cs}\n"
        f"groups: {many('*g')}\n"
    ).replace("settings: &s", "s: &s").replace("command: &c", "c: &c").replace(
        "commands: &cs", "cs: &cs").replace("group: &g", "g: &g")


def test_a_billion_laughs_is_refused_without_exhausting_memory():
    bomb = billion_laughs(1000)  # 10**9 values once expanded, in 12 kB of YAML
    assert len(bomb) < 20_000
    tracemalloc.start()
    try:
        with pytest.raises(OpsdocsError) as raised:
            read(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    problem = raised.value.problem
    assert problem.check == "too-large"
    assert problem.message == (
        "the commands file expands to more than 1,000,000 values (through aliases, *name, or "
        "'<<' merges?): opsdocs stops reading it so that a crafted file cannot exhaust memory")
    assert peak < 200 * 1024 * 1024
    # Below that, validation stops at its own budget.
    with pytest.raises(OpsdocsError) as raised:
        read(billion_laughs(60))  # 216,000 values
    assert raised.value.problem.message == (
        "the file expands to more than 100000 values through aliases (&anchor / *alias): opsdocs "
        "stops reading it so that a crafted file cannot exhaust memory")


def test_recursive_aliases_end():
    # The schema is not recursive, so neither is reading: the loop is a wrong key, once.
    assert problems("version: 1\ngroups: &g\n  - name: web\n    commands: *g\n") == [
        "commands.yml:4: unknown key 'commands' in command; did you mean 'command'? "
        "(at groups[0].commands[0].commands)"]


def test_the_schema_uses_only_keywords_the_validator_understands():
    used: set[str] = set()

    def walk(rule):
        if isinstance(rule, dict):
            for key, value in rule.items():
                if key in ("properties", "$defs"):
                    for child in value.values():
                        walk(child)
                    continue
                used.add(key)
                walk(value)
        elif isinstance(rule, list):
            for item in rule:
                walk(item)

    walk(commands_schema())
    assert used <= SUPPORTED_KEYWORDS | ANNOTATION_KEYWORDS, used - SUPPORTED_KEYWORDS
    assert json.loads(SCHEMA_PATH.read_text())["properties"]["version"]["const"] == 1


def test_the_schema_is_shipped_in_the_package():
    import importlib.resources

    text = importlib.resources.files("opsdocs.operations").joinpath("commands.schema.json")
    assert json.loads(text.read_text())["$schema"].endswith("2020-12/schema")


@pytest.mark.parametrize("loader", ["fast", "pure"])
def test_libyaml_and_pure_python_give_the_same_manual(monkeypatch, loader):
    import yaml

    import opsdocs.reading.yaml as reading_yaml

    if loader == "pure":
        monkeypatch.setattr(reading_yaml, "FAST_LOADER", yaml.SafeLoader)
    text = (ROOT / "operations" / "commands.yml").read_text()
    manual = manual_from_text(text, "commands.yml", FINDER)
    assert manual.problems == ()
    gunicorn = manual.command("gunicorn")
    assert (gunicorn.description_line, gunicorn.settings[1].line) == (11, 19)
    assert problems("version: 1\ngroups:\n  - name: web\n    commands:\n      - name: x\n"
                    "        command: x\n        duration: 1:30\n")[0].endswith(
        "put it in quotes (\"1:30\") to make it a string (at groups[0].commands[0].duration)")


@pytest.mark.parametrize(("value", "tag"), [
    ("!!set {web: null}", "!!set"), ("!!omap [{web: 1}]", "!!omap"),
    ("!!pairs [{web: 1}]", "!!pairs"),
    ("!custom [web]", "a custom tag (or a value starting with '!' without quotes)"),
])
def test_only_tags_of_plain_data_are_read(value, tag):
    # YAML's own collections beyond JSON's are no data of a JSON Schema: refused, named.
    assert problems(f"version: 1\ngroups: {value}\n") == [
        f"commands.yml:2: 'groups' has {tag}, which is not allowed in this file: remove it "
        "(at groups)"]
