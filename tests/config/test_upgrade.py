"""``opsdocs upgrade``: what a release means for one config file, and the releases it reads."""

from __future__ import annotations

import json
from pathlib import Path

from opsdocs.changelog.history import read_release
from opsdocs.cli import main
from opsdocs.settings.snapshot import dump_catalog
from tests.changelog.repository import PACKAGE, git, make_modules_repository, make_repository
from tests.changelog.upgrades import SECRET, TOKEN
from tests.config.upgrades import REPORT, run, upgrade


def test_each_kind_of_item_at_its_line_saying_what_to_do(repo, config, capsys) -> None:
    status, out, err = upgrade(capsys, repo, config)
    assert (status, err) == (1, "")
    assert out == REPORT.format(config=config)
    assert SECRET not in out and TOKEN not in out


def test_nothing_to_do_is_exit_status_0(repo, tmp_path, capsys) -> None:
    config = tmp_path / "ok.yml"
    config.write_text("SECRET_KEY: x\nTASK_QUEUE: q\nBROKER_URL: b\nDB_URL: d\n")
    status, out, _ = run(capsys, "upgrade", str(config), "--from", "v2", "--to", "v3",
                         "--settings", str(repo / PACKAGE))
    assert status == 0
    assert out == f"Upgrading {config} from v2 to v3: 0 things to do, 0 for information.\n"


def test_every_settings_module_counts(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(make_modules_repository(tmp_path / "repo"))
    Path("config.yml").write_text("B: 5\n")
    assert run(capsys, "upgrade", "config.yml", "--from", "v1", "--to", "v2", "--settings",
               "a.py", "--settings", "b.py") == (0, (
        "Upgrading config.yml from v1 to v2: 0 things to do, 1 for information.\n"
        "config.yml: [information] the default of A changed in v2 from 1 to 2; this file "
        "leaves it unset, so the new default applies (set it to keep the old one)\n"), "")


def test_a_settings_module_new_in_the_release_is_told(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(make_modules_repository(tmp_path / "repo", {
        "v1": {"a.py": "#: A.\nA = 1\n"}, "v2": {"b.py": "#: B.\nB = 1\n"}}))
    Path("config.yml").write_text("A: 2\n")
    status, out, err = run(capsys, "upgrade", "config.yml", "--from", "v1", "--to", "v2",
                           "--settings", "a.py", "--settings", "b.py")
    assert (status, err) == (0, "b.py: not there at v1: every setting it has at v2 counts as "
                             "added; to compare it, start from a release that has it\n")
    assert out == "Upgrading config.yml from v1 to v2: 0 things to do, 0 for information.\n"


def test_upgrade_to_a_branch_credits_the_release_tags_on_its_history(
        tmp_path, capsys, monkeypatch) -> None:
    root = make_modules_repository(tmp_path / "repo", {
        "v1": {"a.py": "#: A.\nA = 1\n\n#: B.\nB = 1\n\n#: C.\nC = 1\n"}})
    monkeypatch.chdir(root)
    git(root, "checkout", "-q", "-b", "release")  # a release line: v2 is not on main
    Path("a.py").write_text("#: A.\nA = 1\n\n#: C.\nC = 1\n")
    git(root, "commit", "-q", "-am", "v2")
    git(root, "tag", "v2")
    git(root, "checkout", "-q", "-")
    Path("a.py").write_text("#: A.\nA = 1\n")
    git(root, "commit", "-q", "-am", "B and C go")
    Path("config.yml").write_text("B: 1\nC: 1\n")
    upgrade = ("upgrade", "config.yml", "--from", "v1", "--to", "HEAD", "--settings", "a.py")
    status, out, err = run(capsys, *upgrade)
    assert (status, out.splitlines()[1:]) == (1, [
        "config.yml:1: [to do] B was removed in HEAD: the service no longer reads it; remove "
        "it from this file",
        "config.yml:2: [to do] C was removed in HEAD: the service no longer reads it; remove "
        "it from this file"])
    assert err == (
        "config.yml: no release tag matching 'v*' lies between v1 and HEAD on HEAD's history: "
        "every change since v1 is credited to HEAD; to credit each release, give a release "
        "tag as --to (or --tags for the tags that are releases)\n")
    git(root, "reset", "-q", "--hard", "HEAD^")  # main: v3 drops B, then C goes
    Path("a.py").write_text("#: A.\nA = 1\n\n#: C.\nC = 1\n")
    git(root, "commit", "-q", "-am", "v3")
    git(root, "tag", "v3")
    Path("a.py").write_text("#: A.\nA = 1\n")
    git(root, "commit", "-q", "-am", "C goes")
    status, out, err = run(capsys, *upgrade)
    assert (status, out.splitlines()[1:]) == (1, [
        "config.yml:1: [to do] B was removed in v3: the service no longer reads it; remove "
        "it from this file",
        "config.yml:2: [to do] C was removed in HEAD: the service no longer reads it; remove "
        "it from this file"])
    assert err == (
        "config.yml: 1 release tags matching 'v*' after v1 are not on HEAD's history (v2): "
        "changes are credited to those that are (v3) and to HEAD; to follow a release line, "
        "give its tag as --to\n")


def test_snapshots_as_releases(repo, config, tmp_path, capsys) -> None:
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    for tag in ("v1", "v2", "v3"):
        release = read_release(tag, repo / PACKAGE)
        (snapshots / f"{tag}.json").write_text(dump_catalog(release.catalog))
    status, out, _ = run(capsys, "upgrade", str(config), "--from", "v1", "--to", "v3",
                         "--snapshots", str(snapshots))
    assert (status, out) == (1, REPORT.format(config=config))
    status, out, _ = run(capsys, "upgrade", str(config), "--from", str(snapshots / "v1.json"),
                         "--to", str(snapshots / "v3.json"))
    assert (status, out) == (1, REPORT.format(config=config))


def test_releases_it_cannot_use(repo, config, capsys) -> None:
    assert run(capsys, "upgrade", str(config), "--from", "v3", "--to", "v1", "--settings",
               str(repo / PACKAGE)) == (2, "", (
        f"{config}: the releases are in the wrong order: v3 is newer than v1; give the "
        "release you run now as --from and the one you upgrade to as --to (--from v1 --to "
        "v3)\n"))
    assert run(capsys, "upgrade", str(config), "--from", "v1", "--to", "v9", "--settings",
               str(repo / PACKAGE)) == (1, "", (
        f"{repo / PACKAGE}: unknown git ref 'v9': check the name ('git tag --list' shows "
        "the tags)\n"))


def test_a_shallow_clone_says_how_to_get_the_tags(repo, tmp_path, config, capsys) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    status, out, err = run(capsys, "upgrade", str(config), "--from", "v1", "--to", "v3",
                           "--settings", str(clone / PACKAGE))
    assert (status, out) == (1, "")
    assert err.startswith(f"{clone / PACKAGE}: unknown git ref 'v1': this is a shallow clone")
    assert "git fetch --tags --unshallow" in err


BY_NAME_V1 = {
    "required.py": "#: The key.\nSECRET_KEY: str\n",
    "defaults.py": (f"#: The database password.\nDB_PASSWORD = '{SECRET}'\n\n"
                    f"#: The mail password.\nMAIL_PASSWORD = '{TOKEN}'\n"),
}


BY_NAME_V2 = {  # DB_PASSWORD removed; MAIL_PASSWORD's default changed (unknowably)
    "required.py": BY_NAME_V1["required.py"],
    "defaults.py": "#: The mail password.\nMAIL_PASSWORD = 'OTHER-S3CR3T-MARKER'\n",
}


def test_settings_secret_by_name_never_leave_through_fix_report_or_schema(
        tmp_path, capsys) -> None:
    """No ``:secret:`` marker: the names make them secret, and the model keeps no value."""
    root = tmp_path / "repo"
    make_repository(root, {"v1": BY_NAME_V1, "v2": BY_NAME_V2})
    config = tmp_path / "prod.yml"
    config.write_text(f"SECRET_KEY: k\nDB_PASSWORD: '{SECRET}'\n")
    status, out, err = run(capsys, "upgrade", str(config), "--from", "v1", "--to", "v2",
                           "--settings", str(root / PACKAGE), "--fix")
    assert status == 0
    # A secret keeps no default in the model, so a change of it is not even known.
    assert out.splitlines()[1:] == [
        f"{config}:2: [to do] DB_PASSWORD was removed in v2: the service no longer reads it; "
        "remove it from this file", f"{config}: rewritten for v2"]
    fixed = config.read_text()
    assert fixed.splitlines()[1:] == [
        "# DB_PASSWORD was removed in v2: the service no longer reads it; remove it from "
        "this file",
        "# DB_PASSWORD: ...  (secret: the value is not copied here)"]
    assert main(["schema", "--settings", str(root / PACKAGE)]) == 0
    schema, _ = capsys.readouterr()
    assert json.loads(schema)["properties"]["MAIL_PASSWORD"] == {
        "description": "The mail password.", "writeOnly": True}  # no value, so no type
    for text in (out, err, fixed, schema):
        assert SECRET not in text and TOKEN not in text
