"""``opsdocs upgrade``: what a release means for one config file, its fix, its bad input."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml

from opsdocs.changelog.history import read_release
from opsdocs.cli import main
from opsdocs.settings.snapshot import dump_catalog
from tests.changelog.repository import PACKAGE, git, make_repository

SECRET = "S3CR3T-MARKER"
TOKEN = "T0KEN-MARKER"

V1 = {
    "required.py": "#: The key.\n#:\n#: :secret:\nSECRET_KEY: str\n",
    "defaults.py": (
        "#: The queue reports go to.\nOLD_QUEUE = 'default'\n\n"
        "#: Debugging.\nDEBUG = False\n\n"
        "#: Seconds to wait.\nTIMEOUT = 5\n\n"
        "#: Log level.\nLEVEL = 'INFO'\n\n"
        "#: Flags.\nFEATURES = {'A': True, 'B': False}\n\n"
        "#: The broker.\nBROKER_URL = 'redis://'\n\n"
        "#: A token.\n#:\n#: :secret:\nAPI_TOKEN = ''\n\n"
        "#: Days to keep.\nRETENTION_DAYS = 30\n"
    ),
}
V2 = {
    "required.py": V1["required.py"] + "\n#: The broker.\nBROKER_URL: str\n\n"
                   "#: The database.\nDB_URL: str\n",
    "defaults.py": (
        "#: The queue reports go to.\nQUEUE = 'default'\n\n"
        "#: Seconds to wait.\nTIMEOUT = 10\n\n"
        "#: Log level.\nLEVEL: int = 20\n\n"
        "#: Flags.\nFEATURES = {'A': True, 'B': True, 'C': False}\n\n"
        "#: Days to keep.\n#:\n#: .. deprecated:: 2.0\n#:    Use ``RETENTION``.\n"
        "RETENTION_DAYS = 30\n"
    ),
}
V3 = {"required.py": V2["required.py"],
      "defaults.py": V2["defaults.py"].replace("QUEUE = 'default'", "TASK_QUEUE = 'default'")}

CONFIG = f"""\
# Production.
SECRET_KEY: "{SECRET}"  # from the vault
OLD_QUEUE: 'reports'   # quoted, commented
DEBUG: true

LEVEL: "INFO"
BROKER_URL: redis://broker
API_TOKEN: "{TOKEN}"
RETENTION_DAYS: 7
TYPO_KEY: 1
"""

REPORT = """\
Upgrading {config} from v1 to v3: 7 things to do, 4 for information.
{config}:3: [to do] OLD_QUEUE was renamed to TASK_QUEUE in v2 and v3 (likely: same \
default and documentation): rename the key to TASK_QUEUE
{config}:4: [to do] DEBUG was removed in v2: the service no longer reads it; remove it \
from this file
{config}:6: [to do] LEVEL changed type in v2, from unannotated to int: LEVEL is int, but \
the YAML value is a string; write a whole number, without quotes
{config}:8: [to do] API_TOKEN was removed in v2: the service no longer reads it; remove it \
from this file
{config}:9: [to do] RETENTION_DAYS was deprecated in v2: Use RETENTION; stop setting it
{config}:10: [to do] TYPO_KEY was already unknown at v1: no setting of this service has \
that name (a typo, or a setting removed long ago?); remove it
{config}:10: [to do] DB_URL is required since v2 and this file does not set it: add \
'DB_URL: ...' (The database.)
{config}:7: [information] BROKER_URL is now required since v2; this file sets it: nothing to do
{config}:7: [information] BROKER_URL changed type in v2, from unannotated to str: this \
file's value fits the new type: nothing to do
{config}: [information] the default of FEATURES changed in v2 ['C'] added: False; ['B'] \
from False to True; this file leaves it unset, so the new default applies (set it to keep \
the old one)
{config}: [information] the default of TIMEOUT changed in v2 from 5 to 10; this file leaves \
it unset, so the new default applies (set it to keep the old one)
"""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("upgrade") / "repo"
    make_repository(root, {"v1": V1, "v2": V2, "v3": V3})
    return root


@pytest.fixture
def config(repo: Path, tmp_path: Path) -> Path:
    path = tmp_path / "prod.yml"
    path.write_text(CONFIG)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def upgrade(capsys, repo: Path, config: Path, *more: str) -> tuple[int, str, str]:
    return run(capsys, "upgrade", str(config), "--from", "v1", "--to", "v3",
               "--settings", str(repo / PACKAGE), *more)


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


def test_json_and_markdown(repo, config, capsys) -> None:
    status, out, _ = upgrade(capsys, repo, config, "--format", "json")
    data = json.loads(out)
    assert (status, data["format"], data["version"], data["old"], data["new"]) == (
        1, "opsdocs-upgrade", 1, "v1", "v3")
    renamed = data["items"][0]
    assert (renamed["kind"], renamed["key"], renamed["new"], renamed["line"],
            renamed["action"]) == ("renamed", "OLD_QUEUE", "TASK_QUEUE", 3, True)
    features = next(item for item in data["items"] if item["key"] == "FEATURES")
    assert features["parts"] == [
        {"kind": "key-added", "path": "['C']", "old": None, "new": "False"},
        {"kind": "changed", "path": "['B']", "old": "False", "new": "True"}]
    status, out, _ = upgrade(capsys, repo, config, "--format", "markdown")
    assert out.startswith(f"## Upgrading {config} from v1 to v3\n\n7 things to do, 4 for "
                          "information.\n\n### To do\n\n- line 3: OLD\\_QUEUE was renamed")
    assert "\n### For information\n\n- line 7: BROKER\\_URL is now required" in out
    assert SECRET not in out and TOKEN not in out


FIXED = f"""\
# Production.
SECRET_KEY: "{SECRET}"  # from the vault
TASK_QUEUE: 'reports'  # quoted, commented
# DEBUG was removed in v2: the service no longer reads it; remove it from this file
# DEBUG: true

LEVEL: "INFO"
BROKER_URL: redis://broker
# API_TOKEN was removed in v2: the service no longer reads it; remove it from this file
# API_TOKEN: ...  (secret: the value is not copied here)
RETENTION_DAYS: 7
# TYPO_KEY was already unknown at v1: no setting of this service has that name (a typo, or \
a setting removed long ago?); remove it
# TYPO_KEY: 1

# DB_URL is required since v2 and this file does not set it: add 'DB_URL: ...' (The database.)
# DB_URL: ...
"""


def test_fix_renames_comments_out_and_keeps_comments_order_quoting_and_mode(
        repo, config, capsys) -> None:
    config.chmod(0o600)
    status, out, err = upgrade(capsys, repo, config, "--fix")
    assert out.endswith(f"{config}: rewritten for v3\n")
    assert status == 1  # the type, the deprecation and DB_URL are left to the operator
    assert config.read_text() == FIXED
    assert stat.S_IMODE(config.stat().st_mode) == 0o600  # a file of secrets stays private
    assert TOKEN not in config.read_text() and TOKEN not in out + err
    assert yaml.safe_load(config.read_text())["TASK_QUEUE"] == "reports"
    assert [p.name for p in config.parent.iterdir()] == ["prod.yml"]  # no temporary left


def test_dry_run_shows_the_diff_without_secrets_and_writes_nothing(repo, config,
                                                                   capsys) -> None:
    status, out, _ = upgrade(capsys, repo, config, "--dry-run")
    assert status == 1
    assert config.read_text() == CONFIG
    diff = out[out.index("--- "):]
    assert diff.startswith(f"--- {config}\n+++ {config} (upgraded)\n")
    assert "-OLD_QUEUE: 'reports'   # quoted, commented\n" in diff
    assert "+TASK_QUEUE: 'reports'  # quoted, commented\n" in diff
    assert ' SECRET_KEY: <secret: not shown>\n' in diff
    assert "-API_TOKEN: <secret: not shown>\n" in diff
    assert SECRET not in out and TOKEN not in out


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


@pytest.mark.parametrize(("text", "message"), [
    ("A: [1\n", "{config}:2: YAML syntax error, column 1: while parsing a flow sequence started on "
     "line 1; expected ',' or ']', but got '<stream end>'; fix the YAML (a config is one "
     "mapping of SETTING_NAME: value lines)"),
    ("A: &base 1\nB: *base\n", "{config}:1: the config uses YAML anchors and aliases (& and "
     "*): an upgrade reads and rewrites plain keys only; write the values out in full first"),
    ("A: !!python/name:os.system 1\n", "{config}:1: the config uses the YAML tag "
     "tag:yaml.org,2002:python/name:os.system: an upgrade reads and rewrites plain values "
     "only; remove the tag"),
    ("- a\n- b\n", "{config}:1: the config is not a mapping of 'SETTING_NAME: value' lines"),
], ids=["not-yaml", "anchors", "tags", "not-a-mapping"])
def test_a_config_it_cannot_read(repo, tmp_path, capsys, text, message) -> None:
    config = tmp_path / "bad.yml"
    config.write_text(text)
    assert upgrade(capsys, repo, config, "--fix") == (1, "", message.format(config=config) + "\n")
    assert config.read_text() == text


def test_releases_it_cannot_use(repo, config, capsys) -> None:
    assert run(capsys, "upgrade", str(config), "--from", "v3", "--to", "v1", "--settings",
               str(repo / PACKAGE)) == (1, "", (
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


def test_fix_on_a_read_only_file_writes_nothing(repo, config, capsys) -> None:
    config.chmod(0o444)
    status, _, err = upgrade(capsys, repo, config, "--fix")
    assert (status, err) == (1, f"{config}: cannot rewrite the config: the file or its "
                                "directory is read-only; nothing was written (make it "
                                "writable, or use --dry-run and apply the diff yourself)\n")
    assert config.read_text() == CONFIG
    os.chmod(config, 0o644)


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
    assert main(["schema", str(root / PACKAGE)]) == 0
    schema, _ = capsys.readouterr()
    assert json.loads(schema)["properties"]["MAIL_PASSWORD"] == {
        "description": "The mail password.", "writeOnly": True}  # no value, so no type
    for text in (out, err, fixed, schema):
        assert SECRET not in text and TOKEN not in text
