"""Snapshots read back: checked like a schema before use, every problem located at its
JSON line and worded by its real cause."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from opsdocs.changelog.history import read_snapshot
from opsdocs.errors import OpsdocsError
from opsdocs.settings.reader import read_settings_package
from opsdocs.settings.snapshot import (
    SNAPSHOT_VERSION,
    catalog_json_chunks,
    catalog_to_json,
    dump_catalog,
    read_snapshot_text,
    snapshot_text,
)
from tests.helpers import ROOTS

GOOD = {
    "format": "opsdocs-settings",
    "version": SNAPSHOT_VERSION,
    "root": "settings",
    "settings": [
        {"name": "A", "required": False, "file": "settings/defaults.py", "line": 2,
         "value": "1", "definitions": [{"kind": "assign", "line": 2, "value": "1"}]},
        {"name": "B", "required": True, "file": "settings/required.py", "line": 3},
    ],
}


def problem(data: object, text: str | None = None) -> tuple[int | None, str]:
    text = text if text is not None else json.dumps(data, indent=2)
    with pytest.raises(OpsdocsError) as raised:
        read_snapshot_text(text, "v1.json")
    return raised.value.problem.line, raised.value.problem.message


def changed(path: tuple[str | int, ...], value: object) -> dict[str, object]:
    data = json.loads(json.dumps(GOOD))
    target = data
    for part in path[:-1]:
        target = target[part]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


def test_a_good_snapshot_reads():
    catalog = read_snapshot_text(json.dumps(GOOD), "v1.json")
    assert [(s.name, s.value, s.has_default) for s in catalog] == [
        ("A", "1", True), ("B", None, False)]


AGAIN = "; write it again with 'opsdocs snapshot'"


@pytest.mark.parametrize(("data", "line", "message"), [
    ([1, 2], 1, "not an opsdocs settings snapshot: the file holds a list, not \"format\": "
     "\"opsdocs-settings\"; write one with 'opsdocs snapshot'"),
    ({"settings": []}, 1, "not an opsdocs settings snapshot: the file holds an object without "
     "\"format\": \"opsdocs-settings\"; write one with 'opsdocs snapshot'"),
    # "1" is no newer version: it is a string.
    (changed(("version",), "1"), 3, "the snapshot's \"version\" must be a whole number, not "
     "the string \"1\"" + AGAIN),
    (changed(("version",), True), 3, "the snapshot's \"version\" must be a whole number, not "
     "a boolean" + AGAIN),
    (changed(("version",), 99), 3, "snapshot format version 99 is newer than this opsdocs "
     f"understands ({SNAPSHOT_VERSION}); upgrade opsdocs"),
    (changed(("version",), 0), 3, "snapshot format version 0 does not exist" + AGAIN),
    (changed(("settings",), "abc"), 5, "the snapshot's \"settings\" must be a list, not a "
     "string" + AGAIN),
    (changed(("root",), 5), 4, "\"root\" must be a string, not a number" + AGAIN),
    (changed(("settings", 1), "B"), 20, "\"settings[1]\" must be an object, not a string"
     + AGAIN),
    (changed(("settings", 1, "name"), 5), 21, "\"settings[1].name\" must be a string, not a "
     "number" + AGAIN),
    (changed(("settings", 0, "doc"), 5), 19, "\"settings[0].doc\" must be a string, not a "
     "number" + AGAIN),
    (changed(("settings", 0, "line"), "2"), 10, "\"settings[0].line\" must be a whole "
     "number, not a string" + AGAIN),
    (changed(("settings", 0, "value"), ["x"]), 11, "\"settings[0].value\" must be a string "
     "or null, not a list" + AGAIN),
    (changed(("settings", 0, "env_vars"), [1]), 19, "\"settings[0].env_vars\" must be a "
     "list, not a list" + AGAIN),
    (changed(("settings", 1, "name"), KeyError), 20, "\"settings[1]\" has no \"name\""
     + AGAIN),
    (changed(("settings", 0, "definitions"), {}), 12, "\"settings[0].definitions\" must be "
     "a list, not an object" + AGAIN),
    (changed(("settings", 0, "definitions", 0, "kind"), None), 14,
     "\"settings[0].definitions[0].kind\" must be a string, not null" + AGAIN),
    (changed(("settings", 0, "definitions", 0, "line"), KeyError), 13,
     "\"settings[0].definitions[0]\" has no \"line\"" + AGAIN),
])
def test_each_problem_is_located_at_its_json_line(data, line, message):
    assert problem(data) == (line, message)


def test_huge_numbers_and_deep_nesting_are_messages():
    text = json.dumps(GOOD, indent=2).replace('"line": 3', '"line": ' + "9" * 5000)
    assert problem(None, text) == (
        24, "\"settings[1].line\" must be a whole number, not a number too large to read"
        + AGAIN)
    # deeper than any Python's json module reads (3.13 reads 5,000 levels)
    deep = json.dumps(GOOD).replace('"value": "1"', '"value": ' + "[" * 100_000 + "]" * 100_000)
    assert problem(None, deep) == (
        None, "the snapshot is too deeply nested (more than 100 levels) for opsdocs to read: "
        "flatten it")


def test_missing_unreadable_and_undecodable_snapshots_say_so(tmp_path: Path):
    assert [p.message for p in read_snapshot(tmp_path / "v9.json").problems] == [
        "snapshot file not found: write it with 'opsdocs snapshot SETTINGS -o FILE', or "
        "correct the path"]
    (tmp_path / "dir.json").mkdir()
    assert [p.message for p in read_snapshot(tmp_path / "dir.json").problems] == [
        "cannot read the snapshot: it is a directory, not a regular file; give the path of the "
        "file itself"]
    (tmp_path / "latin.json").write_bytes(b'{"root": "caf\xe9"}')
    assert [(p.line, p.message) for p in read_snapshot(tmp_path / "latin.json").problems] == [
        (1, "the snapshot is not UTF-8 text (byte 0xe9 at line 1, column 14): save it as UTF-8")]
    if os.geteuid() != 0:
        private = tmp_path / "private.json"
        private.write_text("{}")
        private.chmod(0)
        assert [p.message for p in read_snapshot(private).problems] == [
            "cannot read the snapshot: Permission denied; make it readable by the user running "
            "opsdocs or the build"]


def test_version_1_snapshots_are_read_and_their_secret_values_dropped():
    catalog = read_snapshot(ROOTS / "test-secrets" / "snapshots" / "v0.9.json").catalog
    assert catalog is not None
    signing = catalog.get("SIGNING_KEY")
    assert signing is not None and signing.secret
    assert (signing.value, signing.has_default) == (None, True)
    assert [d.value for d in signing.definitions] == [None]


def test_a_snapshot_round_trips(tmp_path: Path):
    catalog = read_settings_package(ROOTS / "test-secrets" / "settings")
    text = snapshot_text(catalog, ROOTS / "test-secrets")
    again = read_snapshot_text(text, "v1.json")
    assert [s.name for s in again] == [s.name for s in catalog]
    assert json.loads(json.dumps(catalog_to_json(again)))["settings"] == \
        json.loads(text)["settings"]


def test_values_no_parser_can_read_are_compared_as_text():
    from opsdocs.changelog.diff import diff_catalogs

    def snapshot(value: str):  # type: ignore[no-untyped-def]
        data = changed(("settings", 0, "value"), value)
        return read_snapshot_text(json.dumps(data), "v.json")

    for deep in ("-" * 100_000 + "1", "+".join(["1"] * 100_000), "not " * 100_000 + "x"):
        assert [c.kind for c in diff_catalogs(snapshot("1"), snapshot(deep))] == ["default"]


def test_the_json_is_written_a_setting_at_a_time_as_json_dumps_writes_it() -> None:
    catalog = read_settings_package(ROOTS / "test-settings" / "settings")
    assert "".join(catalog_json_chunks(catalog)) == \
        json.dumps(catalog_to_json(catalog), indent=2) + "\n"
    empty = replace(catalog, settings=())
    assert dump_catalog(empty) == json.dumps(catalog_to_json(empty), indent=2) + "\n"


def test_a_snapshot_of_more_settings_than_a_source_holds_is_refused(monkeypatch) -> None:
    monkeypatch.setattr("opsdocs.settings.snapshot.MAX_SETTINGS", 2)
    catalog = read_settings_package(ROOTS / "test-settings" / "settings")
    with pytest.raises(OpsdocsError) as raised:
        read_snapshot_text(dump_catalog(catalog), "big.json")
    assert str(raised.value) == (
        f"big.json:7: the snapshot holds {len(catalog)} settings, more than the 2 opsdocs "
        "reads of a settings source; is this the right file?")


def test_a_snapshot_s_secret_dict_keys_are_not_shown_by_diff(tmp_path: Path, capsys) -> None:
    """A snapshot written by hand, or by an older opsdocs, may hold a secret-looking key's
    value: reading it blanks it, as reading the code does."""
    from opsdocs.cli import main

    def snapshot(password: str, timeout: int) -> Path:
        value = f'{{"default": {{"PASSWORD": "{password}", "TIMEOUT": {timeout}}}}}'
        data = changed(("settings", 0), {
            "name": "DATABASES", "required": False, "file": "settings/defaults.py",
            "line": 2, "value": value, "effective_value": value,
            "definitions": [{"kind": "assign", "line": 2, "value": value},
                            {"kind": "item", "line": 3, "key": "'PASSWORD'",
                             "value": f'"{password}"'}]})
        path = tmp_path / f"v{timeout}.json"
        path.write_text(json.dumps(data, indent=2))
        return path

    old, new = snapshot("S3CR3T-old", 1), snapshot("S3CR3T-new", 2)
    for markup in ("rst", "markdown", "json"):
        assert main(["diff", str(old), str(new), "--format", markup]) == 0
        out, err = capsys.readouterr()
        assert "DATABASES" in out and "TIMEOUT" in out
        assert "S3CR3T" not in out + err
