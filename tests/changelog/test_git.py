"""A git repository read without checkouts: its facts, and blobs over the cap read past."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from opsdocs.changelog.git import Repository
from opsdocs.changelog.history import release_from
from opsdocs.changelog.locate import locate_ref
from opsdocs.changelog.parse import parse_release
from opsdocs.reading import SETTINGS_MODULE
from tests.changelog.repository import PACKAGE, make_repository


def test_repository_facts(package: Path) -> None:
    with Repository(package) as repository:
        assert repository.prefix == PACKAGE
        assert not repository.shallow
        assert repository.exists("v0.1") and not repository.exists("v9")
        assert repository.settings_files("v9") is None
        assert [ref.kind for ref in repository.settings_files("v0.2") or ()] == [
            "required.py", "defaults.py"]


def test_a_blob_over_the_cap_at_a_ref_is_read_past_not_kept(tmp_path: Path) -> None:
    huge = "#: Doc.\nA = 1\n" + "#" * SETTINGS_MODULE.limit + "\n"
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
    assert peak < SETTINGS_MODULE.limit // 2
    assert [(r.name, [str(p) for p in r.problems]) for r in releases] == [
        ("v1", [f"v1:{PACKAGE}/defaults.py: the settings module is larger than 16 MiB, the most "
                "opsdocs reads of a settings module: is this the right file?"]),
        ("v2", [])]
    assert releases[1].catalog is not None and releases[1].catalog.get("A") is not None
