"""A git repository read without checkouts: its facts, and blobs over the cap read past."""

from __future__ import annotations

import shutil
import subprocess
import tracemalloc
from pathlib import Path

import pytest

from opsdocs.changelog.git import Repository
from opsdocs.changelog.history import release_from
from opsdocs.changelog.locate import locate_ref
from opsdocs.changelog.parse import parse_release
from opsdocs.cli import main
from opsdocs.reading import SETTINGS_MODULE
from tests.changelog.repository import PACKAGE, git, make_repository


def test_repository_facts(package: Path) -> None:
    with Repository(package) as repository:
        assert repository.prefix == PACKAGE
        assert not repository.shallow
        assert repository.exists("v0.1") and not repository.exists("v9")
        assert repository.settings_files("v9") is None
        assert [ref.kind for ref in repository.settings_files("v0.2") or ()] == [
            "required.py", "defaults.py"]


def test_a_blob_over_the_cap_at_a_ref_is_read_past_not_kept(tmp_path: Path) -> None:
    huge = "#: Doc.\nA = 1\n" + "#" * SETTINGS_MODULE.limit * 8 + "\n"
    package = make_repository(tmp_path / "repo", {
        "v1": {"required.py": "", "defaults.py": huge},
        "v2": {"required.py": "", "defaults.py": "#: Doc.\nA = 2\n"},
    })
    tracemalloc.start()
    try:
        with Repository(package) as repository:
            releases = [release_from(located, parse_release(
                located.root, repository.content(located.files)))
                for located in (locate_ref(repository, tag) for tag in ("v1", "v2"))
                if located is not None]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < len(huge) // 2  # the blob is read past, not kept
    assert [(r.name, [str(p) for p in r.problems]) for r in releases] == [
        ("v1", [f"v1:{PACKAGE}/defaults.py: the settings module is larger than 1 MiB, the most "
                "opsdocs reads of a settings module: is this the right file?"]),
        ("v2", [])]
    assert releases[1].catalog is not None and releases[1].catalog.get("A") is not None


def _corrupt(repository: Path, object_name: str) -> None:
    """Overwrite the loose object *object_name* names with bytes git cannot inflate."""
    oid = subprocess.run(["git", "rev-parse", object_name], cwd=repository, text=True,
                         capture_output=True, check=True).stdout.strip()
    path = repository / ".git" / "objects" / oid[:2] / oid[2:]
    path.chmod(0o644)
    path.write_bytes(b"garbage")


def test_a_corrupt_object_is_a_problem_not_a_missing_file(tmp_path: Path, capsys) -> None:
    package = make_repository(tmp_path / "repo", {
        "v1": {"required.py": "", "defaults.py": "#: Doc.\nA = 1\n"},
        "v2": {"required.py": "", "defaults.py": "#: Doc.\nA = 2\n#: New.\nB = 3\n"},
    })
    _corrupt(tmp_path / "repo", f"v2:{PACKAGE}/defaults.py")
    assert main(["diff", "v1", "v2", "--settings", str(package)]) == 1
    out, err = capsys.readouterr()
    assert out == ""  # not "Removed A"
    assert err == (f"v2:{PACKAGE}/defaults.py: cannot read {PACKAGE}/defaults.py at v2: inflate: "
                   "data stream error (incorrect header check); 'git fsck' says more (fetch the "
                   "object again, or read snapshots written by 'opsdocs snapshot')\n")


@pytest.mark.parametrize("ref", ["-v1", "--all", "--output=/tmp/x", "v1\nv2", ""])
def test_a_ref_that_git_would_read_as_an_option_names_nothing(package: Path, ref) -> None:
    with Repository(package) as repository:
        assert not repository.exists(ref) and repository.commit_id(ref) is None
        assert not repository.is_ancestor(ref, "v0.2") and not repository.is_ancestor("v0.1", ref)
        assert repository.is_ancestor("v0.1", "v0.2") and not repository.is_ancestor("v0.2", "v0.1")


def test_upgrade_with_a_ref_like_an_option_is_an_unknown_ref(package: Path, tmp_path: Path,
                                                             capsys) -> None:
    config = tmp_path / "prod.yml"
    config.write_text("TIMEOUT: 5\n")
    assert main(["upgrade", str(config), "--from=-v0.2", "--to", "v0.3", "--settings",
                 str(package)]) == 1
    assert capsys.readouterr().err.startswith(f"{package}: unknown git ref '-v0.2': ")


@pytest.mark.parametrize(("make", "what"), [
    (lambda path: path.symlink_to("required.py"), "a symbolic link"),
    (lambda path: (path.mkdir(), (path / "x.py").write_text("")), "a directory"),
], ids=["link", "directory"])
def test_a_settings_file_that_git_holds_as_no_file_is_a_problem_not_missing(
        tmp_path: Path, capsys, make, what) -> None:
    defaults = "#: Doc.\nA = 1\n"
    package = make_repository(tmp_path / "repo", {"v1": {"required.py": "",
                                                          "defaults.py": defaults}})
    for tag in ("v2", "v3"):
        path = package / "defaults.py"
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        if tag == "v2":
            make(path)
        else:
            path.write_text(defaults + "#: New.\nB = 2\n")
        git(tmp_path / "repo", "add", "-A")
        git(tmp_path / "repo", "commit", "-q", "-m", tag)
        git(tmp_path / "repo", "tag", tag)
    problem = (f"v2:{PACKAGE}/defaults.py: cannot read the settings module: git holds {what} "
               "there, not a regular file")
    assert main(["diff", "v1", "v2", "--settings", str(package)]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", problem + "\n")  # not "Removed A"
    config = tmp_path / "prod.yml"
    config.write_text("A: 3\n")
    assert main(["upgrade", str(config), "--from", "v1", "--to", "v3", "--settings",
                 str(package)]) == 0
    out, err = capsys.readouterr()
    assert err == f"{problem} (its changes are compared across it)\n"
    assert "remove" not in out.lower()
