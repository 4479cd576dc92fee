"""The one bounded reading layer: regular files only, size caps, located decoding errors,
Python's line numbering, and nesting reported instead of raised."""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path

import pytest
import yaml

from opsdocs.errors import OpsdocsError
from opsdocs.reading import (
    COMMAND_MODULE,
    MAX_DEPTH,
    SETTINGS_MODULE,
    SNAPSHOT,
    BadValue,
    FileKind,
    compose_yaml,
    construct,
    decode_source,
    decode_text,
    json_line,
    load_json,
    parse_python,
    read_bytes,
    read_source,
    source_lines,
    yaml_problem,
)
from tests.helpers import REPO, as_ordinary_user

SMALL = FileKind("test file", 10, "unreadable", "big", "bad")


def problem_of(call, *args, **kwargs):  # type: ignore[no-untyped-def]
    with pytest.raises(OpsdocsError) as raised:
        call(*args, **kwargs)
    problem = raised.value.problem
    return problem.check, problem.line, problem.message


# -- Files that are not regular files --------------------------------------------------


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # No writer ever comes: a plain open() would wait forever.
    assert problem_of(read_bytes, fifo, SMALL) == (
        "unreadable", None, "cannot read the test file: it is a named pipe (FIFO), not a "
        "regular file; give the path of the file itself")


def test_a_directory_is_refused(tmp_path):
    assert problem_of(read_bytes, tmp_path, SMALL)[2] == (
        "cannot read the test file: it is a directory, not a regular file; give the path of the "
        "file itself")


def test_a_device_behind_a_symbolic_link_is_refused(tmp_path):
    link = tmp_path / "defaults.py"
    link.symlink_to("/dev/zero")  # st_size 0, endless content
    assert problem_of(read_bytes, link, SETTINGS_MODULE)[2] == (
        "cannot read the settings module: it is a device, not a regular file; give the path of "
        "the file itself")


def test_a_symbolic_link_loop_is_refused(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert problem_of(read_bytes, tmp_path / "a", SMALL) == (
        "unreadable", None, "cannot read the test file: a loop of symbolic links")


def test_a_missing_file_has_its_own_message(tmp_path):
    assert problem_of(read_bytes, tmp_path / "nope", SMALL)[2] == (
        "cannot read the test file: No such file or directory")
    assert problem_of(read_bytes, tmp_path / "nope", SMALL, missing="create it") == (
        "unreadable", None, "create it")


def test_an_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "private"
    path.write_text("x")
    path.chmod(0)
    with as_ordinary_user():
        problem = problem_of(read_bytes, path, SMALL)
    assert problem[2] == "cannot read the test file: Permission denied"


# -- Size ------------------------------------------------------------------------------


def test_the_cap_is_what_is_read_not_what_stat_says(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_bytes(path, SMALL) == b"x" * 10
    path.write_bytes(b"x" * 11)
    assert problem_of(read_bytes, path, SMALL) == (
        "big", None, "the test file is larger than 10 bytes, the most opsdocs reads of a test "
        "file: is this the right file?")


def test_a_proc_file_reports_size_0_and_is_read_bounded():
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("no /proc")
    assert status.stat().st_size == 0
    assert read_bytes(status, SETTINGS_MODULE).startswith(b"Name:")
    assert problem_of(read_bytes, status, SMALL)[0] == "big"


LIMITS_PAGE = REPO / "docs" / "limits.rst"


def test_the_limits_are_documented():
    from opsdocs.config.check import CONFIG_FILE
    from opsdocs.config.schema import SCHEMA_FILE
    from opsdocs.dockerfile.reader import DOCKERFILE
    from opsdocs.loader import CONFIG_FILE as LOADER_CONFIG_FILE
    from opsdocs.operations.schema import COMMANDS_FILE

    page = LIMITS_PAGE.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^ +(\S.*?\S) {2,}(\d+ MiB)$", page, re.M))
    assert rows == {
        kind.name.capitalize() if kind.name[0].islower() else kind.name:
            f"{kind.limit // 2**20} MiB"
        for kind in (SETTINGS_MODULE, COMMAND_MODULE, CONFIG_FILE, COMMANDS_FILE, DOCKERFILE,
                     SNAPSHOT, SCHEMA_FILE)
    }
    assert LOADER_CONFIG_FILE.limit == CONFIG_FILE.limit
    assert f"{MAX_DEPTH} levels" in page


# -- Decoding --------------------------------------------------------------------------


def test_text_that_is_not_utf8_is_located():
    assert problem_of(decode_text, b"a: 1\nb: caf\xe9\n", "c.yml", SMALL) == (
        "bad", 2, "the test file is not UTF-8 text (byte 0xe9 at line 2, column 7): save it as "
        "UTF-8")
    assert decode_text("\ufeffa".encode(), "c.yml", SMALL) == "a"


@pytest.mark.parametrize(("data", "line", "message"), [
    (b"A = 1\nB = '\xff'\n", 2, "the settings module is not UTF-8 text (byte 0xff at line 2, "
     "column 6); save it"),
    (b"#: caf\xe9\nA = 1\n", 1, "the settings module is not UTF-8 text (byte 0xe9 at line 1, "
     "column 7); save it"),
    (b"#!/usr/bin/env python\n# -*- coding: klingon -*-\n", 2, "cannot decode the settings "
     "module: unknown encoding: klingon; save it"),
    (b"# coding: ascii\nA = '\xe9'\n", 2, "the settings module is not ASCII text (byte 0xe9 at "
     "line 2, column 6); save it"),
])
def test_python_source_decoding_errors_are_located(data, line, message):
    check, found_line, found = problem_of(decode_source, data, "defaults.py")
    assert (check, found_line) == ("syntax", line)
    assert found.startswith(message)


def test_python_source_keeps_its_declared_encoding():
    assert decode_source(b"# coding: latin-1\nA = '\xe9'\n", "d.py") == "# coding: latin-1\nA = 'é'\n"
    assert decode_source(b"\xef\xbb\xbfA = 1\n", "d.py") == "A = 1\n"


# -- Python's line numbering -------------------------------------------------------------


@pytest.mark.parametrize("separator", ["\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029",
                                       "\v"])
def test_source_lines_are_python_s_lines(separator):
    source = f"A = 1  # {separator} x\r\nB = 2\rC = 3\n# {separator}\nD = 4\n"
    lines = source_lines(source)
    for node in ast.parse(source).body:
        assert lines[node.lineno - 1].startswith(ast.unparse(node).split(" =")[0])
    assert len(lines) == 5


# -- Nesting ---------------------------------------------------------------------------


@pytest.mark.parametrize("source", [
    "X = " + "-" * 100_000 + "1\n",  # the parser's own stack
    "X = " + " + ".join(["'a'"] * (MAX_DEPTH + 5)) + "\n",  # fine for ast, deep for readers
    "X = " + "[" * 150 + "]" * 150 + "\n",
])
def test_python_nested_too_deeply_is_a_message(source):
    check, line, message = problem_of(parse_python, source, "defaults.py")
    assert (check, message) == ("syntax", f"the settings module is too deeply nested (more than "
                                f"{MAX_DEPTH} levels) for opsdocs to read: flatten it")
    assert line in (None, 1)


def test_python_at_the_limit_parses():
    source = "X = " + " + ".join(["'a'"] * (MAX_DEPTH - 5))
    assert ast.unparse(parse_python(source + "\n", "d.py")) == source


DEEP = FileKind("config", 2**20)


@pytest.mark.parametrize("text", [
    "A: " + "[" * 900 + "]" * 900 + "\n",  # flow
    "".join(" " * i + "a:\n" for i in range(900)) + " " * 900 + "b: 1\n",  # block
    # A chain of merges, each one level deeper through an alias.
    "a0: &a0 {x: 1}\n" + "".join(f"a{i}: &a{i} {{<<: *a{i - 1}}}\n" for i in range(1, 300)),
])
@pytest.mark.parametrize("loader", ["fast", "pure"])
def test_yaml_nested_too_deeply_is_a_message(monkeypatch, text, loader):
    from opsdocs import reading

    if loader == "pure":
        monkeypatch.setattr(reading, "FAST_LOADER", yaml.SafeLoader)
    check, line, message = problem_of(compose_yaml, text, "c.yml", DEEP, "fix it")
    assert (check, message) == ("syntax", f"the config is too deeply nested (more than "
                                f"{MAX_DEPTH} levels) for opsdocs to read: flatten it")
    assert line is not None


def test_yaml_within_the_limits_composes():
    assert compose_yaml("A: " + "[" * 50 + "]" * 50 + "\n", "c.yml", DEEP, "") is not None
    root = compose_yaml("A: &a [*a]\n", "c.yml", DEEP, "")  # a loop counts once
    assert isinstance(root, yaml.MappingNode)


@pytest.mark.parametrize("text, line", [
    ('A: "ok"\nB: "\\ud800\\udc00"\n', 2),  # YAML has no surrogate pairs
    ("A:\n  - x\n  - \"\\udfff\"\n", 3),
    ('"\\ud83d": 1\n', 1),  # in a key too
])
def test_yaml_escaped_surrogates_are_a_located_message(text, line):
    # A lone surrogate is no character: every later write of it (stdout, HTML) would fail.
    assert problem_of(compose_yaml, text, "c.yml", DEEP, "") == (
        "syntax", line, "the config holds an escaped surrogate (\\ud800 to \\udfff), which "
        "is no character: write the character itself, or \\U followed by its 8 hex digits")


def test_json_lone_surrogates_are_a_located_message():
    assert load_json('["\\ud83d\\ude00"]', "s.json", SNAPSHOT) == ["\U0001f600"]  # a pair
    assert problem_of(load_json, '{\n  "a": "x",\n  "b": "\\udc00"\n}', "s.json", SNAPSHOT) == (
        "snapshot", 3, "the snapshot holds an escaped surrogate (\\ud800 to \\udfff), which is "
        "no character: write the character itself, or \\U followed by its 8 hex digits")


def test_json_nested_too_deeply_is_a_message():
    assert problem_of(load_json, "[" * 100_000 + "]" * 100_000, "s.json", SNAPSHOT) == (
        "snapshot", None, "the snapshot is too deeply nested (more than 100 levels) for opsdocs "
        "to read: flatten it")


def test_json_errors_are_located_and_huge_numbers_are_not_read():
    text = '{\n  "a": 1,\n}'
    with pytest.raises(json.JSONDecodeError) as error:  # the words differ between Pythons
        json.loads(text)
    assert problem_of(load_json, text, "s.json", SNAPSHOT) == (
        "snapshot", error.value.lineno, f"invalid JSON, column {error.value.colno}: "
        f"{error.value.msg}")
    assert load_json("[" + "9" * 5000 + "]", "s.json", SNAPSHOT) == [float("inf")]


def test_json_line_finds_a_value_by_its_path():
    text = '{\n "a": [1,\n  {"b": 2,\n   "c": [{}, 3]}],\n "d": "x"\n}\n'
    assert json_line(text, ()) == 1
    assert json_line(text, ("a",)) == 2
    assert json_line(text, ("a", 1, "c", 1)) == 4
    assert json_line(text, ("a", 1, "b")) == 3
    assert json_line(text, ("d",)) == 5
    assert json_line(text, ("nope",)) is None


# -- YAML messages never quote the file ----------------------------------------------------


SECRET = "Pa55-MARKER"


@pytest.mark.parametrize("text", [
    f"PASSWORD: *{SECRET}\n",
    f"PASSWORD: !{SECRET}!x y\n",
    f"PASSWORD: &a {SECRET}\nOTHER: &a {SECRET}\n",
    f"PASSWORD: \"{SECRET}\\q\"\n",
    f"PASSWORD: @{SECRET}\n",
    f"PASSWORD: [{SECRET}\n",
    f"PASSWORD: {{{SECRET}: [}}\n",
    f"PASSWORD: |\n  {SECRET}\n x\n",
    f"- {SECRET}\nPASSWORD: x\n",
])
def test_yaml_syntax_errors_never_quote_the_file(text):
    with pytest.raises(yaml.YAMLError) as raised:
        yaml.compose(text, Loader=yaml.SafeLoader)
    problem = yaml_problem(raised.value, "c.yml", DEEP, "fix it", text)
    assert SECRET not in str(problem)
    assert problem.line is not None


@pytest.mark.parametrize("value", [
    f"!!int {SECRET}", f"!!float {SECRET}", f"!!bool {SECRET}", f"!!timestamp {SECRET}",
    f"!!binary {SECRET}", f"!{SECRET}", f"!!python/name:{SECRET} x", "9" * 5000, "2024-13-45",
    f"[1, {{a: !!int {SECRET}}}]", f"!!map {SECRET}", f"!!seq {{a: {SECRET}}}",
])
def test_values_that_cannot_be_constructed_are_located_without_the_value(value):
    root = compose_yaml(f"A:\n  - ok\n  - {value}\n", "c.yml", DEEP, "")
    assert isinstance(root, yaml.MappingNode)
    with pytest.raises(BadValue) as raised:
        construct(root.value[0][1])
    assert raised.value.line == 3
    assert SECRET not in raised.value.message and "9999" not in raised.value.message


# -- Every reader goes through the layer ------------------------------------------------


def test_read_source_is_bounded_and_decoded(tmp_path):
    path = tmp_path / "command.py"
    path.write_bytes(b"X = '\xff'\n")
    assert problem_of(read_source, path, COMMAND_MODULE) == (
        "django-command", 1, "the management command module is not UTF-8 text (byte 0xff at "
        "line 1, column 6); save it as UTF-8 or declare its encoding in a '# -*- coding: ... -*-' "
        "line")


SETTINGS = "#: Doc.\nA = 1\n"


def special(tmp_path: Path, name: str, kind: str) -> Path:
    """*name* in *tmp_path* as a FIFO, or a symbolic link to ``/dev/zero``."""
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize(("name", "argv", "message"), [
    ("settings/defaults.py", ["settings", "{tmp}/settings"],
     "{tmp}/settings/defaults.py: cannot read the settings module: it is {what}"),
    ("config.yml", ["check-config", "{tmp}/config.yml", "--settings", "{tmp}/settings"],
     "{tmp}/config.yml: cannot read the config file: it is {what}"),
    ("commands.yml", ["operations", "{tmp}/commands.yml"],
     "{tmp}/commands.yml: cannot read the commands file: it is {what}"),
    ("commands.yml", ["check", "{tmp}/commands.yml"],
     "{tmp}/commands.yml: cannot read the commands file: it is {what}"),
    ("old.json", ["diff", "{tmp}/old.json", "{tmp}/new.json"],
     "{tmp}/old.json: cannot read the snapshot: it is {what}"),
])
def test_no_command_waits_on_a_fifo_or_reads_a_device(tmp_path, capsys, kind, name, argv,
                                                     message):
    from opsdocs.cli import main
    from tests.helpers import deadline

    (tmp_path / "settings").mkdir()
    (tmp_path / "settings" / "required.py").write_text("")
    if name != "settings/defaults.py":
        (tmp_path / "settings" / "defaults.py").write_text(SETTINGS)
    (tmp_path / "new.json").write_text("{}")
    special(tmp_path, name, kind)
    with deadline(10):
        status = main([arg.format(tmp=tmp_path) for arg in argv])
    what = "a named pipe (FIFO)" if kind == "fifo" else "a device"
    assert status == 1
    assert message.format(tmp=tmp_path, what=what) + ", not a regular file" in \
        capsys.readouterr().err


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_the_loader_and_the_dockerfile_reader_refuse_special_files(tmp_path, kind):
    from opsdocs.dockerfile.reader import read_dockerfile
    from opsdocs.loader import read_config
    from tests.helpers import deadline

    what = "a named pipe (FIFO)" if kind == "fifo" else "a device"
    with deadline(10):
        values, problems = read_config(special(tmp_path, "config.yml", kind))
        assert values is None
        assert [p.message for p in problems] == [
            f"cannot read the configuration file: it is {what}, not a regular file; give the "
            "path of the file itself"]
        assert problem_of(read_dockerfile, special(tmp_path, "Dockerfile", kind))[2] == (
            f"cannot read the Dockerfile: it is {what}, not a regular file; give the path of the "
            "file itself")
