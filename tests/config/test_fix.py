"""``opsdocs upgrade --fix`` and ``--dry-run``: the config rewritten, comments, order,
quoting and mode kept, secrets never copied; and the configs it will not rewrite."""

from __future__ import annotations

import os
import stat

import pytest
import yaml

from tests.changelog.upgrades import SECRET, TOKEN
from tests.config.upgrades import CONFIG, upgrade

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


def test_fix_on_a_read_only_file_writes_nothing(repo, config, capsys) -> None:
    config.chmod(0o444)
    status, _, err = upgrade(capsys, repo, config, "--fix")
    assert (status, err) == (1, f"{config}: cannot rewrite the config: the file or its "
                                "directory is read-only; nothing was written (make it "
                                "writable, or use --dry-run and apply the diff yourself)\n")
    assert config.read_text() == CONFIG
    os.chmod(config, 0o644)
