"""Walking code trees: what is skipped, what is chosen, and bad input that never stops a scan."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from opsdocs.reading.tree import ScanOptions, walk
from opsdocs.toggles import reader
from tests.toggles.tree import checks, read, write

FLAG = "FLAG = WaffleFlag('{name}', __name__)\n"


def names(catalog) -> list[str]:
    return [toggle.name for toggle in catalog]


def test_vendored_generated_hidden_and_test_folders_are_skipped(tmp_path):
    vendored = {path: FLAG.format(name=path) for path in (
        ".venv/lib/python3.11/site-packages/pkg/toggles.py", "venv/toggles.py",
        "lib/site-packages/pkg/toggles.py", "node_modules/pkg/toggles.py", "build/lib/toggles.py",
        "dist/toggles.py", "pkg.egg-info/toggles.py", ".git/toggles.py", "app/tests/toggles.py",
        "app/test_toggles.py", "app/toggles_tests.py", "app/tests.py", "app/conftest.py",
        "app/.direnv/lib/toggles.py", ".cache/toggles.py")}
    # a module named *_test.py outside a tests folder is code (split_test.py), not a test
    catalog = read(tmp_path, {"app/toggles.py": FLAG.format(name="app.real"),
                              "app/split_test.py": FLAG.format(name="app.split"), **vendored})
    assert names(catalog) == ["app.real", "app.split"]
    assert names(read(tmp_path, scan=ScanOptions(tests=True))) == [
        "app.real", "app.split", "app/conftest.py", "app/test_toggles.py", "app/tests.py",
        "app/tests/toggles.py", "app/toggles_tests.py"]
    assert names(read(tmp_path, scan=ScanOptions(include=(".direnv",)))) == [
        "app.real", "app.split", "app/.direnv/lib/toggles.py"]


def test_include_and_exclude_choose_paths(tmp_path):
    write(tmp_path, {"app/toggles.py": FLAG.format(name="app"),
                     "app/migrations/0001.py": FLAG.format(name="migration"),
                     "other/toggles.py": FLAG.format(name="other"),
                     "node_modules/ours/toggles.py": FLAG.format(name="ours"),
                     "node_modules/theirs/toggles.py": FLAG.format(name="theirs")})
    assert names(read(tmp_path, scan=ScanOptions(exclude=("migrations", "other/*")))) == ["app"]
    assert names(read(tmp_path, scan=ScanOptions(include=("node_modules", "node_modules/ours"),
                                                 exclude=("*/theirs",)))) == [
        "app", "migration", "other", "ours"]


def test_a_file_or_folder_linked_twice_is_read_once(tmp_path):
    write(tmp_path, {"app/toggles.py": FLAG.format(name="app")})
    (tmp_path / "alias").symlink_to(tmp_path / "app")
    (tmp_path / "app" / "same.py").symlink_to(tmp_path / "app" / "toggles.py")
    catalog = read(tmp_path)
    assert [(t.name, Path(t.file).relative_to(tmp_path).as_posix()) for t in catalog] == [
        ("app", "app/toggles.py")]  # real files first, then links
    assert [p.check for p in catalog.problems] == ["toggle-undocumented"]


def test_bad_input_is_a_located_problem_and_the_scan_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "PYTHON_FILE", dataclasses.replace(reader.PYTHON_FILE, limit=4000))
    write(tmp_path, {
        "a/syntax.py": "FLAG = WaffleFlag('a.syntax', __name__\n",
        "a/binary.py": b"WaffleFlag(\x00\x01\x02",
        "a/latin1.py": "# caf\xe9\nFLAG = WaffleFlag('a.latin1', __name__)\n".encode("latin-1"),
        "a/huge.py": "FLAG = WaffleFlag('a.huge', __name__)\n" + "#" * 5000,
        "a/deep.py": "FLAG = WaffleFlag(" + "[" * 120 + "]" * 120 + ")\n",
        "z/toggles.py": FLAG.format(name="z.still_read"),
    })
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "self.py").symlink_to(tmp_path / "a" / "self.py")
    (tmp_path / "a" / "dangling.py").symlink_to(tmp_path / "a" / "nowhere.py")
    (tmp_path / "a" / "dangling_folder").symlink_to(tmp_path / "nowhere")
    (tmp_path / "a" / "fifo.py").parent.mkdir(exist_ok=True)
    os.mkfifo(tmp_path / "a" / "fifo.py")
    catalog = read(tmp_path)
    assert names(catalog) == ["z.still_read"]
    assert [c for c in checks(catalog, tmp_path) if c[2] != "toggle-undocumented"] == [
        ("a/dangling.py", None, "toggle-unreadable"),  # a link to no folder is no .py file
        ("a/loop", None, "toggle-unreadable"),
        ("a/self.py", None, "toggle-unreadable"),
        ("a/binary.py", 1, "toggle-syntax"),
        ("a/deep.py", 1, "toggle-syntax"),
        ("a/fifo.py", None, "toggle-unreadable"),
        ("a/huge.py", None, "toggle-too-large"),
        ("a/latin1.py", 1, "toggle-syntax"),
        ("a/syntax.py", 1, "toggle-syntax"),
    ]
    messages = {Path(p.file).name: p.message for p in catalog.problems}
    assert messages["loop"] == ("a loop of symbolic links: this folder leads back to a folder "
                                "above it; it is skipped")
    assert messages["self.py"] == "cannot read the file: a loop of symbolic links; it is skipped"
    assert messages["binary.py"].startswith("the file holds NUL bytes: it is binary")
    assert messages["huge.py"].startswith("the Python module is larger than 4000 bytes")
    assert messages["syntax.py"].startswith("syntax error: ")
    assert "not UTF-8" in messages["latin1.py"]
    assert "a named pipe (FIFO)" in messages["fifo.py"]


def test_an_unreadable_folder_is_a_problem_and_the_scan_goes_on(tmp_path, monkeypatch):
    write(tmp_path, {"locked/toggles.py": FLAG.format(name="locked"),
                     "open/toggles.py": FLAG.format(name="open")})
    scandir = os.scandir

    def refusing(path):  # tests run as root, whom chmod does not stop
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    catalog = read(tmp_path)
    assert names(catalog) == ["open"]
    assert [(p.message, Path(p.file).name) for p in catalog.problems
            if p.check != "toggle-undocumented"] == [
        ("cannot read the folder: Permission denied; it is skipped", "locked")]


def test_folders_are_walked_in_name_order_and_listed(tmp_path):
    write(tmp_path, {"b/x.py": "", "a/y.py": "", "a/c/z.py": "", "a/notes.txt": ""})
    found = walk([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == ["a/y.py", "a/c/z.py",
                                                                         "b/x.py"]
    assert [p.relative_to(tmp_path).as_posix() for p in found.folders] == [".", "a", "a/c", "b"]


@pytest.mark.parametrize("spec", ["app/toggles.py", "app"])
def test_a_file_or_a_folder_may_be_given(tmp_path, spec):
    assert names(read(tmp_path, {"app/toggles.py": FLAG.format(name="app")}, spec)) == ["app"]
