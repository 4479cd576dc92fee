"""``opsdocs diff`` and ``opsdocs snapshot``: output, files written and exit status."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from opsdocs.cli import main
from opsdocs.settings.snapshot import catalog_from_json
from tests.changelog.repository import (
    PACKAGE,
    UNRELEASED_DEFAULTS,
    git,
    make_modules_repository,
    make_repository,
)

V02_TO_V03 = """\
Settings
~~~~~~~~

- Added ``FEATURE_X``, default ``False``.
- Removed ``DEBUG``.
- Renamed ``OLD_QUEUE`` to ``QUEUE`` (same value and description).
- ``DATABASE_URL`` is no longer required (moved from required.py to defaults.py), default \
``'sqlite:///db.sqlite3'``.
- Changed the default of ``TIMEOUT`` from ``5`` to ``10``.
- Removed the type annotation of ``DATABASE_URL`` (was ``str``).
- Annotated ``LOG_LEVEL`` as ``str``.
- Changed the documentation of ``CACHE_TTL``.
"""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli") / "repo"
    make_repository(root)
    return root


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_diff_of_two_tags(repo: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    assert run(capsys, "diff", "v0.2", "v0.3", "--settings", PACKAGE) == (0, V02_TO_V03, "")


def test_diff_formats(repo: Path, capsys) -> None:
    settings = str(repo / PACKAGE)
    status, out, _ = run(capsys, "diff", "v0.3", "v0.10", "--settings", settings,
                         "--format", "markdown", "--title", "Configuration")
    assert status == 0
    assert out == (
        "### Configuration\n\n"
        "- Added `REDIS_URL` (required).\n"
        "- `TIMEOUT` is now required (moved from defaults.py to required.py).\n"
        "- Annotated `TIMEOUT` as `int`.\n"
        "- Deprecated `CACHE_TTL` (since 0.10).\n"
    )
    status, out, _ = run(capsys, "diff", "v0.3", "v0.10", "--settings", settings,
                         "--format", "json")
    data = json.loads(out)
    assert (data["format"], data["version"], data["old"], data["new"]) == (
        "opsdocs-settings-diff", 1, "v0.3", "v0.10")
    assert data["changes"][0] == {
        "kind": "added", "name": "REDIS_URL", "old": None, "new": None, "old_name": None,
        "required": True, "secret": False, "default": None, "old_display": None,
        "new_display": None, "parts": [], "evidence": None, "computed": False}
    status, out, _ = run(capsys, "diff", "v0.3", "v0.10", "--settings", settings, "--roles")
    assert "- Added :setting:`REDIS_URL` (required)." in out


def test_diff_against_the_working_tree_and_a_missing_package(repo: Path, capsys,
                                                             tmp_path: Path) -> None:
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "defaults.py").write_text(UNRELEASED_DEFAULTS)
    (settings / "required.py").write_text("#: Django's secret key.\nSECRET_KEY: str\n")
    snapshot = tmp_path / "v0.10.json"
    assert run(capsys, "snapshot", "--settings", str(repo / PACKAGE), "-o", str(snapshot))[0] == 0
    status, out, err = run(capsys, "diff", str(snapshot), "WORKTREE", "--settings", str(settings))
    assert (status, err) == (0, "")
    assert out.splitlines()[3:] == ["- Added ``BRAND_NEW``, default ``1``.",
                                    "- Removed ``REDIS_URL``.", "- Removed ``TIMEOUT``."]
    status, out, _ = run(capsys, "diff", "v0.1", "v0.2", "--settings", str(repo / PACKAGE))
    assert status == 0 and out.count("- Added") == 7


@pytest.mark.parametrize(("argv", "message"), [
    (["v0.2", "v9"], "{settings}: unknown git ref 'v9': check the name ('git tag --list' "
     "shows the tags)\n"),
    (["v0.3", "v0.4"], "v0.4:service/settings/defaults.py:2: syntax error: '(' was never "
     "closed; fix the file so that Python can import it\n"),
])
def test_diff_errors(repo: Path, capsys, argv: list[str], message: str) -> None:
    settings = str(repo / PACKAGE)
    assert run(capsys, "diff", *argv, "--settings", settings) == (
        1, "", message.format(settings=settings))


MODULES_V1_TO_V2 = """\
Settings
~~~~~~~~

- Added ``C``, default ``3``.
- Changed the default of ``A`` from ``1`` to ``2``.
- Changed the default of ``B`` from ``1`` to ``2``.
"""


@pytest.mark.parametrize("new", ["v2", "WORKTREE"])
def test_diff_reads_every_settings_module(tmp_path: Path, capsys, monkeypatch, new) -> None:
    monkeypatch.chdir(make_modules_repository(tmp_path / "repo"))
    assert run(capsys, "diff", "v1", new, "--settings", "a.py", "--settings", "b.py") == (
        0, MODULES_V1_TO_V2, "")


def test_a_default_moved_to_a_shared_setting_of_the_same_value_is_no_change(
        tmp_path: Path, capsys, monkeypatch) -> None:
    """enterprise-access (sumac.3 to ulmo.1): ``T = 60 * 5`` became ``T = DEFAULT`` with
    ``DEFAULT = 60 * 5``; neither the diff nor the upgrade report tells of a change."""
    monkeypatch.chdir(make_modules_repository(tmp_path / "repo", {
        "v1": {"a.py": "#: Cache timeout.\nT = 60 * 5\n"},
        "v2": {"a.py": "#: Base.\nDEFAULT = 60 * 5\n#: Cache timeout.\nT = DEFAULT\n"}}))
    assert run(capsys, "diff", "v1", "v2", "--settings", "a.py") == (
        0, "Settings\n~~~~~~~~\n\n- Added ``DEFAULT``, default ``60 * 5``.\n", "")
    Path("config.yml").write_text("DEFAULT: 300\n")
    assert run(capsys, "upgrade", "config.yml", "--from", "v1", "--to", "v2",
               "--settings", "a.py") == (0, (
        "Upgrading config.yml from v1 to v2: 0 things to do, 0 for information.\n"), "")


def test_a_settings_module_committed_as_a_link_is_read_as_the_file_it_names(
        tmp_path: Path, capsys, monkeypatch) -> None:
    """At every release, as in the working tree: named first, after another module, or
    alone; a link out of the repository is refused with one message."""
    root = make_modules_repository(tmp_path / "repo", {"v1": {"real.py": "#: A.\nA = 1\n"}})
    (root / "link.py").symlink_to("real.py")
    (root / "out.py").symlink_to(tmp_path / "outside.py")
    (tmp_path / "outside.py").write_text("#: A.\nA = 1\n")
    (root / "real.py").write_text("#: A.\nA = 1\n#: B.\nB = 2\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v2")
    git(root, "tag", "v2")
    monkeypatch.chdir(root)
    added = "Settings\n~~~~~~~~\n\n- Added ``B``, default ``2``.\n"
    for settings in (["link.py"], ["link.py", "real.py"], ["real.py", "link.py"]):
        assert run(capsys, "diff", "v1", "v2", *(f"--settings={path}" for path in settings)
                   ) == (0, added, ""), settings
    assert run(capsys, "diff", "v1", "WORKTREE", "--settings", "link.py") == (0, added, "")
    assert run(capsys, "diff", "v1", "v2", "--settings", "out.py") == (
        1, "", "out.py: a symbolic link to a file outside its git repository, which holds no "
        "history of it: give the settings module itself, or snapshots\n")


def test_diff_says_when_the_settings_are_not_there_at_a_release(tmp_path: Path, capsys,
                                                              monkeypatch) -> None:
    monkeypatch.chdir(make_modules_repository(tmp_path / "repo", {
        "v0": None, "v1": {"other.py": "X = 1\n"}, "v2": {"a.py": "#: A.\nA = 1\n"}}))
    assert run(capsys, "diff", "v0", "v2", "--settings", "a.py") == (
        0, "Settings\n~~~~~~~~\n\n- Added ``A``, default ``1``.\n",
        "a.py: not there at v0: every setting it has at v2 counts as added; to compare it, "
        "start from a release that has it\n")
    assert run(capsys, "diff", "v2", "v1", "--settings", "a.py")[::2] == (
        0, "a.py: not there at v1: every setting it had at v2 counts as removed; check the "
        "path, or give a release that has it\n")
    assert run(capsys, "diff", "v0", "v1", "--settings", "a.py") == (
        1, "", "a.py: not there at v0 nor at v1: nothing of it to compare; check the path, "
        "and give releases that have it\n")


def test_diff_reads_a_settings_package_alone(repo: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    (repo / "extra.py").write_text("#: X.\nX = 1\n")
    try:
        assert run(capsys, "diff", "v0.2", "v0.3", "--settings", PACKAGE, "--settings",
                   "extra.py") == (2, "", (
            f"{PACKAGE}: an OEP-45 settings package is read alone, not with other "
            "--settings: give the package, or settings modules\n"))
    finally:
        (repo / "extra.py").unlink()


def test_diff_finds_the_one_settings_package(repo: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    assert run(capsys, "diff", "v0.2", "v0.3") == (0, V02_TO_V03, "")
    monkeypatch.chdir(repo / PACKAGE)
    assert run(capsys, "diff", "v0.2", "v0.3") == (0, V02_TO_V03, "")


def test_diff_finds_the_settings_package_from_any_folder_of_the_repository(
        repo: Path, capsys, monkeypatch) -> None:
    docs = repo / "docs" / "deep"
    docs.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(docs)
    assert run(capsys, "diff", "v0.2", "v0.3") == (0, V02_TO_V03, "")


def test_diff_needs_the_settings_package_when_it_cannot_tell(tmp_path: Path, capsys,
                                                             monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "diff", "v1", "v2") == (  # a mistake in the command line: status 2
        2, "", f"{tmp_path}: no settings package (a directory with required.py and "
        "defaults.py) in a git repository here: give it with --settings PATH\n")
    make_repository(tmp_path / "repo")
    other = tmp_path / "repo" / "other" / "settings"
    other.mkdir(parents=True)
    (other / "required.py").write_text("")
    (other / "defaults.py").write_text("")
    monkeypatch.chdir(tmp_path / "repo")
    assert run(capsys, "diff", "v1", "v2") == (
        2, "", f"{tmp_path / 'repo'}: several settings packages here (other/settings, "
        f"{PACKAGE}): give one with --settings PATH\n")


def test_diff_outside_a_repository(tmp_path: Path, capsys) -> None:
    status, out, err = run(capsys, "diff", "v1", "v2", "--settings", str(tmp_path))
    assert (status, out) == (1, "")
    assert err.startswith(f"{tmp_path}: cannot read the settings history: {tmp_path} is not "
                          "in a git repository")


def test_diff_of_a_newer_snapshot(tmp_path: Path, capsys) -> None:
    newer = tmp_path / "v2.json"
    newer.write_text('{\n  "format": "opsdocs-settings",\n  "version": 7,\n  "settings": []\n}\n')
    assert run(capsys, "diff", str(newer), str(newer)) == (
        1, "", f"{newer}:3: snapshot format version 7 is newer than this opsdocs understands "
        "(2); upgrade opsdocs\n")


def test_snapshot_to_a_file_is_atomic_and_relative(repo: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "snaps" / "v0.10.json"
    target.parent.mkdir()
    assert run(capsys, "snapshot", "--settings", str(repo / PACKAGE), "-o", str(target)) == (0, "", "")
    assert [p.name for p in target.parent.iterdir()] == ["v0.10.json"]  # no temporary left
    data = json.loads(target.read_text())
    assert data["root"] == PACKAGE
    assert data["settings"][0]["file"] == f"{PACKAGE}/required.py"
    assert [s.name for s in catalog_from_json(data)][:2] == ["SECRET_KEY", "TIMEOUT"]
    _, out, _ = run(capsys, "snapshot", "--settings", str(repo / PACKAGE), "--relative-to",
                         str(repo / "service"))
    assert json.loads(out)["root"] == "settings"


def test_written_files_have_the_usual_permissions(repo: Path, tmp_path: Path, capsys) -> None:
    """Like any file the user writes (umask 022: rw-r--r--), not private to them."""
    old_umask = os.umask(0o022)
    try:
        snapshot = tmp_path / "v0.10.json"
        assert run(capsys, "snapshot", "--settings", str(repo / PACKAGE), "-o", str(snapshot))[0] == 0
        assert run(capsys, "diff", "v0.3", "v0.10", "--settings", str(repo / PACKAGE),
                   "--fragment", str(tmp_path))[0] == 0
    finally:
        os.umask(old_umask)
    fragment = tmp_path / "+settings-v0.10.feature.rst"
    assert {path.name: stat.S_IMODE(path.stat().st_mode) for path in (snapshot, fragment)} == {
        "v0.10.json": 0o644, "+settings-v0.10.feature.rst": 0o644}


def test_snapshot_refuses_a_broken_package(tmp_path: Path, capsys) -> None:
    (tmp_path / "required.py").write_text("X = (\n")
    (tmp_path / "defaults.py").write_text("")
    target = tmp_path / "out.json"
    assert run(capsys, "snapshot", "--settings", str(tmp_path), "-o", str(target)) == (
        1, "", f"{tmp_path / 'required.py'}:1: syntax error: '(' was never closed; fix the "
        "file so that Python can import it\n")
    assert not target.exists()


LAUGHS = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))


@pytest.mark.parametrize(("option", "data", "problem"), [
    ("--commands", b"groups: [\n", "{f}:2: YAML syntax error"),
    ("--commands", b"", "{f}:1: the commands file is empty: start it with 'version: 1'"),
    ("--commands", b"version: 1\n# caf\xe9\n", "{f}:2: the commands file is not UTF-8 text"),
    ("--commands", LAUGHS.encode(), "{f}: the commands file expands to more than 1,000,000"),
    ("--dockerfile", b"FROM\n", "{f}:1: FROM takes an image and an optional 'AS name'"),
], ids=["malformed", "empty", "not-utf-8", "billion-laughs", "dockerfile"])
def test_snapshot_refuses_an_operations_file_it_cannot_read(tmp_path: Path, capsys, option,
                                                            data, problem) -> None:
    (tmp_path / "required.py").write_text("")
    (tmp_path / "defaults.py").write_text("#: Doc.\nA = 1\n")
    given = tmp_path / "given"
    given.write_bytes(data)
    target = tmp_path / "out.json"
    status, out, err = run(capsys, "snapshot", "--settings", str(tmp_path), option, str(given),
                           "-o", str(target))
    assert (status, out) == (1, "")
    assert err.startswith(problem.format(f=given)) and err.count("\n") == 1
    assert not target.exists()


@pytest.mark.parametrize(("make", "problem"), [
    (os.mkfifo, "it is a named pipe (FIFO), not a regular file; give the path of the file itself"),
    (lambda path: path.symlink_to(path.name), "a loop of symbolic links"),
    (lambda path: path.write_bytes(b"FROM x\n" + b"#" * 300_000), None),
], ids=["fifo", "loop", "over-its-cap"])
def test_diff_with_a_working_tree_dockerfile_it_cannot_read_says_so(repo: Path, tmp_path: Path,
                                                                     capsys, make, problem) -> None:
    dockerfile = tmp_path / "Dockerfile"
    make(dockerfile)
    status, out, err = run(capsys, "diff", "v0.2", "WORKTREE", "--settings", str(repo / PACKAGE),
                           "--dockerfile", str(dockerfile))
    assert (status, out) == (1, "")
    assert err == f"{dockerfile}: " + (
        f"cannot read the Dockerfile: {problem}" if problem else "the Dockerfile is larger than "
        "256 KiB, the most opsdocs reads of a Dockerfile: is this the right file?") + "\n"


def test_fragments(repo: Path, tmp_path: Path, capsys) -> None:
    settings = str(repo / PACKAGE)
    news = tmp_path / "newsfragments"
    news.mkdir()
    status, out, _ = run(capsys, "diff", "v0.3", "v0.10", "--settings", settings,
                         "--fragment", str(news))
    fragment = news / "+settings-v0.10.feature.rst"
    assert (status, out) == (0, f"{fragment}\n")
    assert fragment.read_text() == (
        "Settings changed since v0.3:\n\n"
        "- Added ``REDIS_URL`` (required).\n"
        "- ``TIMEOUT`` is now required (moved from defaults.py to required.py).\n"
        "- Annotated ``TIMEOUT`` as ``int``.\n"
        "- Deprecated ``CACHE_TTL`` (since 0.10).\n"
    )
    scriv = tmp_path / "changelog.d"
    scriv.mkdir()
    status, out, _ = run(capsys, "diff", "v0.3", "v0.10", "--settings", settings,
                         "--fragment", str(scriv), "--fragment-style", "scriv",
                         "--format", "markdown")
    [written] = scriv.iterdir()
    assert written.name.endswith("_opsdocs_settings.md")
    assert written.read_text().startswith("### Added\n\n- Added `REDIS_URL` (required).\n\n"
                                          "### Changed\n\n")
    assert run(capsys, "diff", "v0.3", "v0.10", "--settings", settings, "--fragment",
               str(tmp_path / "none"))[0] == 2
    assert run(capsys, "diff", "v0.3", "v0.10", "--settings", settings, "--fragment",
               str(news), "--format", "json") == (
        2, "", f"{news}: a news fragment is reStructuredText or Markdown: drop --format json\n")
    assert sorted(path.name for path in news.iterdir()) == ["+settings-v0.10.feature.rst"]


@pytest.mark.parametrize("kind", ["x/../../ESCAPED/evil", "feature\nx", "Feature", "bug fix",
                                  "../x", "é"])
def test_a_fragment_type_is_a_lowercase_word(repo: Path, tmp_path: Path, capsys, kind) -> None:
    news = tmp_path / "news" / "fragments"
    news.mkdir(parents=True)
    with pytest.raises(SystemExit) as raised:
        main(["diff", "v0.3", "v0.10", "--settings", str(repo / PACKAGE), "--fragment",
              str(news), "--fragment-type", kind])
    assert raised.value.code == 2
    assert f"argument --fragment-type: {kind!r} is not a fragment type: use one of feature, " \
        "bugfix, doc, removal, misc or another lowercase word your towncrier configuration " \
        "names" in capsys.readouterr().err
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "news", "news/fragments"]


def test_a_custom_fragment_type_and_a_release_name_stay_in_the_folder(
        repo: Path, tmp_path: Path, capsys) -> None:
    assert run(capsys, "diff", "v0.3", "v0.10", "--settings", str(repo / PACKAGE),
               "--fragment", str(tmp_path), "--fragment-type", "breaking")[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["+settings-v0.10.breaking.rst"]


ROUTES = ("{'reports': 'queue-reports-high-priority', 'mails': 'queue-mails-low-priority', "
          "'exports': 'queue-exports%s'}")


def test_a_renamed_setting_shows_its_old_and_new_default_alike(tmp_path: Path, capsys) -> None:
    root = tmp_path / "repo"
    make_repository(root, {
        "v1": {"defaults.py": f"#: Where each report goes.\nOLD_ROUTES = {ROUTES % ''}\n"},
        "v2": {"defaults.py": "#: Where each report goes. Renamed from OLD_ROUTES.\n"
                              f"NEW_ROUTES = {ROUTES % '-2'}\n"},
    })
    status, out, _ = run(capsys, "diff", "v1", "v2", "--settings", str(root / PACKAGE),
                         "--format", "json")
    [change] = json.loads(out)["changes"]
    assert (status, change["kind"], change["old"], change["new"]) == (
        0, "renamed", ROUTES % "", ROUTES % "-2")


def test_a_default_naming_a_setting_is_a_literal_without_roles(capsys) -> None:
    snapshots = Path(__file__).parents[2] / "example_ida" / "snapshots"
    old, new = str(snapshots / "v0.1.0.json"), str(snapshots / "v0.2.0.json")
    added = "- Added {}, default ``None`` (the value of {}).\n"
    status, out, _ = run(capsys, "diff", old, new)
    assert status == 0
    assert added.format("``LMS_INTERNAL_ROOT_URL``", "``LMS_BASE_URL``") in out
    assert ":setting:" not in out  # builds where opsdocs is not loaded
    status, out, _ = run(capsys, "diff", old, new, "--roles")
    assert added.format(":setting:`LMS_INTERNAL_ROOT_URL`", ":setting:`LMS_BASE_URL`") in out
