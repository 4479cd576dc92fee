"""``opsdocs upgrade``: the releases it credits, on release branches and past the newest tag."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.changelog.repository import git, make_modules_repository, make_repository
from tests.config.upgrades import run


def _commit(root: Path, text: str, tag: str | None = None) -> None:
    (root / "a.py").write_text(text)
    git(root, "commit", "-q", "-am", tag or "work")
    if tag:
        git(root, "tag", tag)


@pytest.fixture
def lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two release lines on their own branches: A is removed in teak.2 (teak's branch only)
    and still read at ulmo.1 (forked from main after base0)."""
    root = make_modules_repository(tmp_path / "repo", {
        "base0": {"a.py": "#: A.\nA = 1\n\n#: OLD.\nOLD = 'x'\n"}})
    git(root, "checkout", "-q", "-b", "rel-teak")
    _commit(root, "#: A.\nA = 1\n\n#: OLD.\nOLD = 'x'\n\n#: T.\nT = 5\n", "open-release/teak.1")
    _commit(root, "#: OLD.\nOLD = 'x'\n\n#: T.\nT = 5\n", "open-release/teak.2")
    git(root, "checkout", "-q", "main")
    _commit(root, "#: A.\nA = 1\n\n#: OLD.\nOLD = 'x'\n\n#: M.\nM = 1\n")
    git(root, "checkout", "-q", "-b", "rel-ulmo")
    _commit(root, "#: A.\nA = 1\n\n#: NEW.\nNEW = 2\n", "open-release/ulmo.1")
    monkeypatch.chdir(root)
    Path("config.yml").write_text("A: 1\nOLD: 1\n")
    return root


REMOVED_OLD = ("config.yml:2: [to do] OLD was removed in open-release/ulmo.1: the service no "
               "longer reads it; remove it from this file")


@pytest.mark.parametrize("old", ["base0", "open-release/teak.1"])
def test_a_setting_read_at_to_is_never_reported_removed(lines, capsys, old) -> None:
    status, out, err = run(capsys, "upgrade", "config.yml", "--from", old, "--to",
                           "open-release/ulmo.1", "--settings", "a.py", "--tags",
                           "open-release/*")
    assert (status, out.splitlines()[1:]) == (1, [REMOVED_OLD])
    assert "A was removed" not in out
    if old == "base0":  # teak's tags are not on ulmo.1's history: not credited, and told
        assert err == (
            "config.yml: 2 release tags matching 'open-release/*' after base0 are not on "
            "open-release/ulmo.1's history (open-release/teak.1, "
            "open-release/teak.2): every change since base0 is credited to "
            "open-release/ulmo.1\n")


def test_past_the_newest_tag_nothing_is_told(tmp_path, capsys, monkeypatch) -> None:
    root = make_modules_repository(tmp_path / "repo", {"v1.3": {"a.py": "#: A.\nA = 1\n"}})
    _commit(root, "#: A.\nA = 1\n\n#: B.\nB = 2\n")
    monkeypatch.chdir(root)
    Path("config.yml").write_text("A: 1\n")
    assert run(capsys, "upgrade", "config.yml", "--from", "v1.3", "--to", "HEAD",
               "--settings", "a.py") == (0, (
        "Upgrading config.yml from v1.3 to HEAD: 0 things to do, 0 for information.\n"), "")


def test_a_settings_module_missing_at_from_is_compared_as_empty(
        tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(make_modules_repository(tmp_path / "repo", {
        "v1.2": {"a.py": "#: A.\nA = 1\n"},
        "v1.3": {"prod.py": "#: B.\nB = 5\n\n#: C.\nC = 3\n"}}))
    Path("config.yml").write_text("B: 1\n")
    assert run(capsys, "upgrade", "config.yml", "--from", "v1.2", "--to", "v1.3",
               "--settings", "prod.py") == (0, (
        "Upgrading config.yml from v1.2 to v1.3: 0 things to do, 0 for information.\n"), (
        "prod.py: not there at v1.2: every setting it has at v1.3 counts as added; to "
        "compare it, start from a release that has it\n"))


def test_a_settings_package_missing_at_from_still_asks_for_the_required(
        tmp_path, capsys) -> None:
    package = make_repository(tmp_path / "repo", {"v1": None, "v2": {
        "required.py": "#: The key.\nSECRET_KEY: str\n", "defaults.py": "#: T.\nT = 1\n"}})
    config = tmp_path / "config.yml"
    config.write_text("T: 2\n")
    status, out, err = run(capsys, "upgrade", str(config), "--from", "v1", "--to", "v2",
                           "--settings", str(package))
    assert (status, out.splitlines()[1:]) == (1, [
        f"{config}:1: [to do] SECRET_KEY is required since v2 and this file does not set "
        "it: add 'SECRET_KEY: ...' (The key.)"])
    assert err.endswith(": not there at v1: every setting it has at v2 counts as added; to "
                        "compare it, start from a release that has it\n")


@pytest.mark.parametrize("tags", [(), ("--tags", "release/*"),
                                  ("--tags", "release/*", "--tags", "open-release/*")])
def test_open_edx_release_tags_before_and_from_teak(tmp_path, capsys, monkeypatch,
                                                    tags) -> None:
    """``open-release/sumac.3`` on its branch, then ``release/teak.1`` and ``ulmo.1`` on
    main (Open edX's tags from Teak on): each change is credited to its release."""
    root = make_modules_repository(tmp_path / "repo", {
        "base": {"a.py": "#: A.\nA = 1\n\n#: B.\nB = 1\n"}})
    git(root, "checkout", "-q", "-b", "sumac")
    _commit(root, "#: A.\nA = 1\n\n#: B.\nB = 1\n\n#: S.\nS = 1\n", "open-release/sumac.3")
    git(root, "checkout", "-q", "main")
    _commit(root, "#: A.\nA = 1\n", "release/teak.1")
    _commit(root, "#: C.\nC = 2\n", "release/ulmo.1")
    monkeypatch.chdir(root)
    Path("config.yml").write_text("A: 1\nB: 1\n")
    status, out, err = run(capsys, "upgrade", "config.yml", "--from", "open-release/sumac.3",
                           "--to", "release/ulmo.1", "--settings", "a.py", *tags)
    assert (status, out.splitlines()[1:], err) == (1, [
        "config.yml:1: [to do] A was removed in release/ulmo.1: the service no longer reads "
        "it; remove it from this file",
        "config.yml:2: [to do] B was removed in release/teak.1: the service no longer reads "
        "it; remove it from this file"], "")
