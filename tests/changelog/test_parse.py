"""A release's files parsed: each file once while it stays the same, the problems of
files that cannot be read, snapshots and their operating concerns."""

from __future__ import annotations

from pathlib import Path

from opsdocs.changelog.git import blob_id
from opsdocs.changelog.model import FileData, FileRef, Unreadable
from opsdocs.changelog.operating import CommandFacts, Operations, operations_to_json
from opsdocs.changelog.parse import Memo, parse_operating, parse_release
from opsdocs.errors import Problem
from opsdocs.settings.reader import catalog_from_sources
from opsdocs.settings.snapshot import snapshot_text

REQUIRED = b"#: The key.\nSECRET_KEY: str\n"


def read(path: str, kind: str, data: bytes) -> FileData:
    return FileData(FileRef(path, kind, blob_id(data)), data)


def test_a_file_equal_to_its_last_parse_is_not_parsed_again(settings_reads) -> None:
    memo: Memo = {}
    first = parse_release("s", (read("s/required.py", "required.py", REQUIRED),
                                read("s/defaults.py", "defaults.py", b"#: T.\nT = 1\n")), memo=memo)
    second = parse_release("s", (read("s/required.py", "required.py", REQUIRED),
                                 read("s/defaults.py", "defaults.py", b"#: T.\nT = 2\n")), memo=memo)
    assert settings_reads == ["s/required.py", "s/defaults.py", "s/defaults.py"]
    assert first.catalog is not None and second.catalog is not None
    assert [s.value for s in second.catalog] == [None, "2"]
    assert second.catalog.files == ("s/required.py", "s/defaults.py")
    last = memo[("s/defaults.py", "defaults.py")]
    assert (last.data, [s.name for s in last.settings], last.problems, last.blocks) == (
        b"#: T.\nT = 2\n", ["T"], (), None)
    third = parse_release("s", (read("s/required.py", "required.py", REQUIRED),
                                read("s/defaults.py", "defaults.py", b"#: T.\nT = 3\n")),
                          memo=memo, by_blocks=True)  # the changelog's way: blocks kept
    assert third.catalog is not None and [s.value for s in third.catalog] == [None, "3"]
    assert memo[("s/defaults.py", "defaults.py")].blocks is not None


def test_unreadable_files_make_the_release_unreadable() -> None:
    problem = Problem("the settings module is larger than 16 MiB", "s/defaults.py",
                      check="settings-size")
    found = parse_release("s", (read("s/required.py", "required.py", REQUIRED),
                                Unreadable(problem)))
    assert (found.catalog, found.problems, found.operations) == (None, (problem,), None)
    assert parse_release("s", ()).catalog is None


def test_a_snapshot_gives_its_catalog_and_operating_concerns_at_once(tmp_path: Path) -> None:
    catalog = catalog_from_sources("s", {"required.py": REQUIRED.decode(), "defaults.py": ""})
    operations = Operations((CommandFacts("migrate", run="python manage.py migrate"),), None)
    snapshot = read("v1.json", "snapshot", snapshot_text(catalog, tmp_path, {
        "operations": operations_to_json(operations)}).encode())
    found = parse_release("s", (snapshot,))
    assert found.catalog is not None and found.problems == ()
    assert [s.name for s in found.catalog] == ["SECRET_KEY"]
    assert found.operations == operations
    assert parse_operating((snapshot,)) == operations
    assert parse_operating((Unreadable(Problem("gone", "v1.json")),)) == Operations()
