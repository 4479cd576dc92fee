"""Release lines (Open edX's ``open-release/<name>.<n>``) and tags that do not order as
versions: the changelog's order, the working tree at a tag, and upgrades between lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsdocs.changelog.cache import read_changelog
from opsdocs.changelog.history import HistorySource
from opsdocs.changelog.versions import sort_versions
from opsdocs.cli import main
from tests.changelog.repository import PACKAGE, git, write_package

REQUIRED = "#: The secret key.\nSECRET_KEY: str\n"


def defaults(*lines: str) -> dict[str, str]:
    return {"required.py": REQUIRED, "defaults.py": "".join(lines)}


TIMEOUT = "#: Seconds to wait.\nTIMEOUT = 5\n"
OLD_NAME = "#: Where reports go.\nREPORTS_DIR = '/tmp'\n"
NEW_NAME = "#: Where reports go.\n#:\n#: .. versionchanged:: ulmo\n#:    Renamed from " \
    "``REPORTS_DIR``.\nREPORT_DIRECTORY = '/tmp'\n"


@pytest.fixture(scope="module")
def lines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """teak.1 on main; teak.2 and teak.3 on the teak branch, tagged after ulmo.1 and ulmo.2
    on main: the tags' dates interleave the two lines."""
    root = tmp_path_factory.mktemp("lines") / "repo"
    root.mkdir()
    git(root, "init", "-q")

    def release(tag: str, files: dict[str, str]) -> None:
        write_package(root, files)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", tag)
        git(root, "tag", "-a", f"open-release/{tag}", "-m", tag)

    release("teak.1", defaults(TIMEOUT, OLD_NAME))
    git(root, "branch", "teak")
    release("ulmo.1", defaults(TIMEOUT, NEW_NAME, "#: New.\nFLAG = True\n"))
    git(root, "checkout", "-q", "teak")
    release("teak.2", defaults("#: Seconds to wait.\nTIMEOUT = 6\n", OLD_NAME))
    git(root, "checkout", "-q", "main")
    release("ulmo.2", defaults("#: Seconds to wait.\nTIMEOUT = 7\n", NEW_NAME,
                               "#: New.\nFLAG = True\n"))
    git(root, "checkout", "-q", "teak")
    release("teak.3", defaults("#: Seconds to wait.\nTIMEOUT = 6\n", OLD_NAME,
                               "#: Fixed.\nFIX = 1\n"))
    git(root, "checkout", "-q", "main")
    git(root, "tag", "open-release/latest")  # matches the pattern, but is no release
    return root


def test_named_release_lines_sort_by_name_then_number() -> None:
    assert sort_versions(["open-release/ulmo.1", "open-release/teak.10", "open-release/teak.2",
                          "open-release/sumac.3", "open-release/ulmo.1rc1",
                          "open-release/teak.rc1"]) == [
        "open-release/sumac.3", "open-release/teak.rc1", "open-release/teak.2",
        "open-release/teak.10", "open-release/ulmo.1rc1", "open-release/ulmo.1"]


def test_the_changelog_follows_the_lines_and_a_tagged_head_is_no_unreleased(lines) -> None:
    source = HistorySource(lines / PACKAGE, tags="open-release/*")
    history = read_changelog(source)
    assert [entry.name for entry in history.entries] == [
        "open-release/ulmo.2", "open-release/ulmo.1", "open-release/teak.3",
        "open-release/teak.2", "open-release/teak.1"]
    [problem] = history.problems
    assert (problem.file, problem.check) == (str(lines / PACKAGE), "changelog")
    assert problem.message.startswith(
        "git tag 'open-release/latest' matches 'open-release/*' but is no release name")
    by_name = {entry.name: entry for entry in history.entries}
    ulmo = [(c.kind, c.name, c.old_name) for c in by_name["open-release/ulmo.1"].changes]
    assert ulmo == [("added", "FLAG", None), ("removed", "FIX", None),
                    ("renamed", "REPORT_DIRECTORY", "REPORTS_DIR"),
                    ("default", "TIMEOUT", None)]
    assert by_name["open-release/ulmo.1"].changes[2].evidence == "docs"


def test_a_checkout_of_an_older_line_shows_no_unreleased_section(lines) -> None:
    git(lines, "checkout", "-q", "open-release/teak.3")
    try:
        history = read_changelog(HistorySource(lines / PACKAGE, tags="open-release/*"))
    finally:
        git(lines, "checkout", "-q", "main")
    assert history.entries[0].name == "open-release/ulmo.2"
    assert not any(entry.release.unreleased for entry in history.entries)


def test_upgrade_from_one_line_to_the_next(lines, tmp_path, capsys) -> None:
    config = tmp_path / "app.yml"
    config.write_text("SECRET_KEY: x\nREPORTS_DIR: /var/reports\nFIX: 2\n")
    argv = ["upgrade", str(config), "--settings", str(lines / PACKAGE)]
    assert main([*argv, "--from", "open-release/teak.3", "--to", "open-release/ulmo.1"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1:3] == [
        f"{config}:2: [to do] REPORTS_DIR was renamed to REPORT_DIRECTORY in "
        "open-release/ulmo.1 (the docs say so): rename the key to REPORT_DIRECTORY",
        f"{config}:3: [to do] FIX was removed in open-release/ulmo.1: the service no longer "
        "reads it; remove it from this file"]
    assert main([*argv, "--from", "open-release/ulmo.1", "--to", "open-release/teak.3"]) != 0
    assert "the releases are in the wrong order: open-release/ulmo.1 is newer than " \
        "open-release/teak.3" in capsys.readouterr().err


def test_tags_that_are_no_versions_follow_git_ancestry(tmp_path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    for number, tag in enumerate(("zebra", "apple", "mango")):
        write_package(root, defaults(f"#: Seconds to wait.\nTIMEOUT = {number}\n"))
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", tag)
        git(root, "tag", tag)
    history = read_changelog(HistorySource(root / PACKAGE, tags="*"))
    assert [entry.name for entry in history.entries] == ["mango", "apple", "zebra"]
    assert history.problems == ()
