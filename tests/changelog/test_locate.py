"""Releases located: their files known by content id, a file that cannot be read known by
its problem (never by bytes standing in for it)."""

from __future__ import annotations

from pathlib import Path

from opsdocs.changelog.git import Repository, blob_id
from opsdocs.changelog.history import read_snapshot, read_worktree
from opsdocs.changelog.locate import locate_ref, locate_snapshot, locate_worktree
from opsdocs.changelog.model import FileData, FileRef, Unreadable
from tests.changelog.repository import PACKAGE, RELEASES

REQUIRED = "#: The key.\nSECRET_KEY: str\n"


def test_a_working_tree_file_that_cannot_be_read_is_its_problem(tmp_path: Path) -> None:
    package = tmp_path / "settings"
    package.mkdir()
    (package / "required.py").write_text(REQUIRED)
    (package / "defaults.py").mkdir()
    located = locate_worktree(package)
    required = FileRef(str(package / "required.py"), "required.py", blob_id(REQUIRED.encode()))
    [first, second] = located.files
    assert first == required
    assert isinstance(second, Unreadable)
    assert str(second.problem) == (
        f"{package / 'defaults.py'}: cannot read the settings module: it is a directory, not "
        "a regular file; give the path of the file itself")
    assert located.content == (FileData(required, REQUIRED.encode()), second)
    assert located.unreleased and located.name == "Unreleased"
    release = read_worktree(package)
    assert (release.catalog, release.problems) == (None, (second.problem,))


def test_a_missing_snapshot_is_a_release_with_its_problem(tmp_path: Path) -> None:
    located = locate_snapshot(tmp_path / "v1.json")
    [unreadable] = located.files
    assert isinstance(unreadable, Unreadable) and not located.is_snapshot
    assert unreadable.problem.message == (
        "snapshot file not found: write it with 'opsdocs snapshot SETTINGS -o FILE', or "
        "correct the path")
    release = read_snapshot(tmp_path / "v1.json")
    assert (release.name, release.catalog, release.problems) == ("v1", None,
                                                                 (unreadable.problem,))


def test_a_ref_is_located_by_blob_ids_without_reading(package: Path) -> None:
    with Repository(package) as repository:
        located = locate_ref(repository, "v0.2")
        assert located is not None
        assert located.files == tuple(
            FileRef(f"{PACKAGE}/{name}", name, blob_id(text.encode()))
            for name, text in (RELEASES["v0.2"] or {}).items())
        assert (located.where, located.content) == ("v0.2:", None)
        assert locate_ref(repository, "v9") is None
        assert located.key == locate_ref(repository, "v0.2", name="again").key  # type: ignore[union-attr]
