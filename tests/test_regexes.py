"""No regular expression of opsdocs is worse than linear on one line.

Every regular expression in the package is found in its source (a new one is covered
without being listed), and each is run the way its module runs it (``match``,
``search``, ``sub`` ...) on 100 KB lines built to make a backtracking engine work hard:
runs of each character the pattern names, pairs of them alternating, and those runs
behind each literal prefix of the pattern.  A linear pattern takes milliseconds on each;
a quadratic one minutes, a cubic one hours: :func:`tests.helpers.deadline` stops it.
"""

from __future__ import annotations

import ast
import importlib
import itertools
import re
from pathlib import Path

import pytest

from tests.helpers import REPO, deadline, found

PACKAGE = REPO / "sphinxext" / "opsdocs"
LINE = 100_000
METHODS = {"match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
#: Patterns that are not literals in the source, and why they are safe.
DYNAMIC = {
    # The JSON Schema's own patterns, shipped with opsdocs: checked below.
    ("opsdocs.operations.validate", "rule['pattern']"),
    # A setting's name, escaped, between word boundaries: a literal.
    ("opsdocs.config.schema", "f'\\\\b{re.escape(setting(problem))}\\\\b'"),
    # The patternProperties of the operator's own JSON Schema (check-config --schema),
    # which jsonschema runs as well: the operator's regular expressions, not opsdocs'.
    ("opsdocs.config.schema", "p"),
}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(
        ".__init__")


def regexes() -> dict[tuple[str, str | bytes], tuple[re.Pattern, set[str]]]:
    """``(module, pattern source) -> (compiled pattern, methods the package calls on it)``."""
    trees = {module_name(path): ast.parse(path.read_text(encoding="utf-8"))
             for path in found(PACKAGE.rglob("*.py"))}
    result: dict[tuple[str, str | bytes], tuple[re.Pattern, set[str]]] = {}
    compiled: dict[tuple[str, str], tuple[str, str | bytes]] = {}  # (module, variable) -> key
    for name, tree in trees.items():
        module = importlib.import_module(name)
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                    isinstance(node.targets[0], ast.Name) and _re_call(node.value) == "compile":
                pattern = getattr(module, node.targets[0].id)
                compiled[(name, node.targets[0].id)] = (name, pattern.pattern)
                result.setdefault((name, pattern.pattern), (pattern, set()))
    for name, tree in trees.items():
        visible = {variable: key for (module, variable), key in compiled.items()
                   if module == name}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                visible.update((alias.asname or alias.name, compiled[(node.module, alias.name)])
                               for alias in node.names if (node.module, alias.name) in compiled)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            method, owner = node.func.attr, node.func.value
            if isinstance(owner, ast.Name) and owner.id in visible and method in METHODS:
                result[visible[owner.id]][1].add(method)
            elif _re_call(node) in METHODS:
                argument = node.args[0]
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    key = (name, argument.value)
                    result.setdefault(key, (re.compile(argument.value, _flags(node)), set()))
                    result[key][1].add(method)
                else:
                    assert (name, ast.unparse(argument)) in DYNAMIC, (
                        f"{name}: a pattern built at run time, {ast.unparse(argument)}, "
                        "cannot be checked here: use a literal")
    return result


def _re_call(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            isinstance(node.func.value, ast.Name) and node.func.value.id == "re":
        return node.func.attr
    return None


def _flags(call: ast.Call) -> int:
    flags = 0
    for keyword in call.keywords:
        if keyword.arg == "flags":
            for name in ast.walk(keyword.value):
                if isinstance(name, ast.Attribute):
                    flags |= getattr(re, name.attr)
    return flags


REGEXES = regexes()


def hard_lines(pattern: str) -> list[str]:
    """Long lines that make a backtracking engine work hard on *pattern*: 100 KB runs of
    each character it names (behind its literal prefix too), 20 KB of pairs alternating."""
    named = set(re.sub(r"\\[A-Za-z]", "", pattern)) - set("()[]{}?+*|^$\\")
    generic = {" ", "\t", "a", "A", "0", "_", "\n"}
    characters = sorted(c for c in named if not c.isalnum())[:10] + sorted(generic)
    characters += sorted(c for c in named if c.isalnum() and c not in generic)[:3]
    lines = [c * LINE for c in characters]
    # The literal text the pattern starts with, then each run: reaches what follows it.
    prefix = re.sub(r"\\(.)", r"\1", re.split(r"[()\[{?*+|.]", pattern.lstrip("^"), maxsplit=1)[0])
    lines += [prefix + c * LINE + "!" for c in characters]
    lines += [(a + b) * (LINE // 10) for a, b in itertools.combinations(characters, 2)]
    return lines


def run(pattern: re.Pattern, method: str, line: str | bytes) -> None:
    call = getattr(pattern, method)
    if method in ("sub", "subn"):
        call(line[:0], line)
    elif method == "finditer":
        for _ in call(line):
            pass
    else:
        call(line)


def test_every_pattern_is_found():
    modules = {module for module, _ in REGEXES}
    assert {"opsdocs.markup", "opsdocs.dockerfile.reader", "opsdocs.reading.yaml",
            "opsdocs.settings.doc_metadata"} <= modules
    unused = [key for key, (_, methods) in REGEXES.items() if not methods]
    assert not unused, f"compiled but never run (so never checked): {unused}"


@pytest.mark.parametrize("key", sorted(REGEXES, key=str),
                         ids=lambda key: f"{key[0]}:{key[1][:40]!s}")
def test_no_pattern_is_worse_than_linear(key):
    pattern, methods = REGEXES[key]
    source = pattern.pattern
    if isinstance(source, bytes):  # a pattern over bytes: the same lines, encoded
        lines: list = [line.encode("latin-1") for line in hard_lines(source.decode("latin-1"))]
    else:
        lines = hard_lines(source)
    for method, line in itertools.product(sorted(methods), lines):
        # Milliseconds for a linear pattern; a quadratic one takes seconds on 20 KB.
        with deadline(1):
            run(pattern, method, line)


#: Lines that took the old patterns quadratic or cubic time, through the functions that
#: run them: each now takes milliseconds.
REGRESSIONS = [
    ("opsdocs.settings.reader", "read_settings_source",
     lambda f: f("# --- a" + " " * LINE + "b\nX = 1\n", "d.py", required=False)),
    ("opsdocs.dockerfile.reader", "parse_dockerfile",
     lambda f: f("FROM x\n# a" + " " * LINE + "b\nRUN x\n", "Dockerfile")),
    ("opsdocs.dockerfile.reader", "parse_dockerfile",
     lambda f: f("# syntax= a" + " " * LINE + "b\nFROM x\n", "Dockerfile")),
    ("opsdocs.dockerfile.reader", "parse_dockerfile",
     lambda f: f("FROM x\n# " + "A: " * (LINE // 3) + "\nENV " +
                 " ".join(f"A{i}=1" for i in range(5000)) + "\n", "Dockerfile")),
    ("opsdocs.markup", "plain_inline", lambda f: f(":a" * (LINE // 2))),
    ("opsdocs.markup", "plain_inline", lambda f: f(":r:`" + " " * LINE)),
    ("opsdocs.markup", "markdown_inline", lambda f: f("`" + " " * LINE)),
    ("opsdocs.markup", "plain_inline", lambda f: f("**a " * (LINE // 4))),
    ("opsdocs.markup", "plain_text", lambda f: f("\n" * LINE)),
]


@pytest.mark.parametrize(("module", "function", "call"),
                         REGRESSIONS,
                         ids=lambda value: value if isinstance(value, str) else "")
def test_the_lines_that_hung_take_milliseconds(module, function, call):
    with deadline(10):
        call(getattr(importlib.import_module(module), function))


def test_the_commands_schema_patterns_are_linear():
    from opsdocs.operations.validate import commands_schema

    patterns: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("pattern"), str):
                patterns.add(value["pattern"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(commands_schema())
    assert patterns
    for pattern in sorted(patterns):
        compiled = re.compile(pattern)
        for line in hard_lines(pattern):
            with deadline(1):
                compiled.search(line)
