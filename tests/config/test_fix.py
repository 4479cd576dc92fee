"""``opsdocs upgrade --fix`` and ``--dry-run``: the config rewritten, comments, order,
quoting and mode kept, secrets never copied; and the configs it will not rewrite."""

from __future__ import annotations

import os
import stat

import pytest
import yaml

from opsdocs.config.check import compose_config
from opsdocs.config.fix import masked_composed
from tests.changelog.upgrades import SECRET, TOKEN
from tests.config.upgrades import CONFIG, untouched, upgrade

FIXED = f"""\
# Production.
SECRET_KEY: "{SECRET}"  # from the vault
TASK_QUEUE: 'reports'   # quoted, commented
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
    assert "+TASK_QUEUE: 'reports'   # quoted, commented\n" in diff
    assert ' SECRET_KEY: "<secret: not shown>"  # from the vault\n' in diff
    assert '-API_TOKEN: "<secret: not shown>"\n' in diff
    assert SECRET not in out and TOKEN not in out


@pytest.mark.parametrize(("text", "message"), [
    ("A: [1\n", "{config}:2: YAML syntax error, column 1: while parsing a flow sequence started on "
     "line 1; expected ',' or ']', but got '<stream end>'; fix the YAML (a config is one "
     "mapping of SETTING_NAME: value lines)"),
    ("A: !!python/name:os.system 1\n", "{config}:1: the config uses the YAML tag "
     "tag:yaml.org,2002:python/name:os.system: an upgrade reads and rewrites plain values "
     "only; remove the tag"),
    ("- a\n- b\n", "{config}:1: the config is not a mapping of 'SETTING_NAME: value' lines"),
], ids=["not-yaml", "tags", "not-a-mapping"])
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


# -- Every byte the report does not name stays ----------------------------------------------

#: An operator's config as Tutor writes its config.yml (PyYAML's safe_dump: sorted keys,
#: sequences not indented, a PEM key as a quoted string folded over blank lines), with the
#: service's own keys among Tutor's.
TUTOR = f"""\
API_TOKEN: {TOKEN}
CMS_OAUTH2_SECRET: Xg2cZ3n1kqHV2w
CONTACT_EMAIL: contact@example.com
DEBUG: true
ID: 4hVvKvSbP7ZJqVUQ
JWT_RSA_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----

  MIIEowIBAAKCAQEA{SECRET}

  -----END RSA PRIVATE KEY-----'
LMS_HOST: local.openedx.io
MYSQL_ROOT_PASSWORD: {SECRET}
OLD_QUEUE: reports
PLUGINS:
- indigo
- mfe
PLUGIN_INDEXES:
- https://overhang.io/tutor/main
RETENTION_DAYS: -15
SECRET_KEY: {SECRET}
"""

#: Tutor's own keys: the service does not define them, the operator allows them.
TUTOR_KEYS = tuple(part for name in ("CMS_*", "CONTACT_EMAIL", "ID", "JWT_*", "LMS_*",
                                      "MYSQL_*", "PLUGIN*") for part in ("--allow", name))


def reported(out: str) -> set[str]:
    """The keys the text report names at a line of the file."""
    return {line.split("] ", 1)[1].split(" ", 1)[0] for line in out.splitlines()
            if "[to do]" in line or "[information]" in line}


def test_a_tutor_config_changes_exactly_the_keys_reported(repo, tmp_path, capsys) -> None:
    config = tmp_path / "config.yml"
    config.write_text(TUTOR)
    _status, out, err = upgrade(capsys, repo, config, "--fix", *TUTOR_KEYS)
    assert err == ""
    fixed = config.read_text()
    assert untouched(TUTOR, fixed, reported(out)) == []
    assert "\nTASK_QUEUE: reports\n" in fixed and "\n# DEBUG: true\n" in fixed
    assert "RETENTION_DAYS: -15\n" in fixed  # deprecated, reported, left to the operator
    assert TOKEN not in fixed and TOKEN not in out  # a removed secret is not copied
    assert SECRET not in out


#: Written by hand: comments on settings the upgrade does not touch, odd spacing, quoting,
#: a flow sequence, a tab before a comment (YAML 1.2 allows it; PyYAML's own parser does not).
HAND_WRITTEN = """\
# health checks: do not remove
TIMEOUT:    -15      # seconds, negative on purpose
OLD_QUEUE: "reports"\t# the reports queue
FEATURES: {A: true,  B: false}   # flags
BROKER_URL: 'redis://broker'
DEBUG: yes
LEVEL: 20
"""


@pytest.mark.parametrize(("newline", "bom"), [("\n", ""), ("\r\n", ""), ("\r\n", "\ufeff")],
                         ids=["lf", "crlf", "crlf-bom"])
def test_comments_spacing_line_ends_and_a_bom_are_kept(repo, tmp_path, capsys, newline,
                                                       bom) -> None:
    original = (bom + HAND_WRITTEN.replace("\n", newline)).encode("utf-8")
    config = tmp_path / "prod.yml"
    config.write_bytes(original)
    _status, _out, err = upgrade(capsys, repo, config, "--fix")
    assert err == ""
    fixed = config.read_bytes()
    expected = (bom + HAND_WRITTEN.replace('OLD_QUEUE: "reports"', 'TASK_QUEUE: "reports"')
                .replace("DEBUG: yes\n", "# DEBUG was removed in v2: the service no longer "
                         "reads it; remove it from this file\n# DEBUG: yes\n")
                + "\n# DB_URL is required since v2 and this file does not set it: add "
                "'DB_URL: ...' (The database.)\n# DB_URL: ...\n").replace("\n", newline)
    assert fixed == expected.encode("utf-8")


def test_dry_run_of_a_file_with_a_tab_before_a_comment(repo, tmp_path, capsys) -> None:
    config = tmp_path / "prod.yml"
    config.write_text(HAND_WRITTEN)
    status, out, err = upgrade(capsys, repo, config, "--dry-run")
    assert err == "" and status == 1
    assert '-OLD_QUEUE: "reports"\t# the reports queue\n' in out
    assert '+TASK_QUEUE: "reports"\t# the reports queue\n' in out
    assert config.read_text() == HAND_WRITTEN


@pytest.mark.parametrize(("text", "line", "what"), [
    (f"{{DEBUG: true, SECRET_KEY: {SECRET}, TIME_ZONE: UTC}}\n", 1,
     "writes its settings as one flow mapping ({...})"),
    ("# one line\n{\n  DEBUG: true,\n  LEVEL: 20\n}\n", 2,
     "writes its settings as one flow mapping ({...})"),
    ("DEBUG: true\nLEVEL: 20\nDEBUG: false\n", 3, "sets DEBUG twice"),
    ("LEVEL: &level 20\nTIMEOUT: *level\nDEBUG: true\n", 1,
     "uses YAML anchors and aliases (& and *)"),
    ("BASE: &base\n  A: 1\nFEATURES:\n  <<: *base\nDEBUG: true\n", 1,
     "uses YAML anchors and aliases (& and *)"),
], ids=["flow", "flow-over-lines", "duplicate-key", "anchors", "merge"])
@pytest.mark.parametrize("mode", ["--fix", "--dry-run"])
def test_a_file_a_rewrite_cannot_keep_is_refused_with_the_steps(repo, tmp_path, capsys, text,
                                                                line, what, mode) -> None:
    config = tmp_path / "prod.yml"
    config.write_text(text)
    status, out, err = upgrade(capsys, repo, config, mode)
    assert status == 1
    assert "[to do] DEBUG was removed in v2" in out  # the steps, to take by hand
    assert "---" not in out  # no diff
    assert err == (f"{config}:{line}: --fix does not rewrite this file: it {what}, which a "
                   "rewrite could not keep exactly as written; make the changes listed above "
                   "by hand\n")
    assert config.read_text() == text
    assert SECRET not in out + err


def test_a_config_map_mount_is_rewritten_where_the_link_leads(repo, tmp_path, capsys) -> None:
    # As Kubernetes mounts a ConfigMap: prod.yml -> ..data/prod.yml, ..data -> ..2024_01_01
    mount = tmp_path / "config"
    (mount / "..2024_01_01").mkdir(parents=True)
    (mount / "..2024_01_01" / "prod.yml").write_text(CONFIG)
    (mount / "..data").symlink_to("..2024_01_01")
    (mount / "prod.yml").symlink_to("..data/prod.yml")
    _status, out, _ = upgrade(capsys, repo, mount / "prod.yml", "--fix")
    assert out.endswith(f"{mount / 'prod.yml'}: rewritten for v3\n")
    assert (mount / "prod.yml").is_symlink() and (mount / "..data").is_symlink()
    assert (mount / "..2024_01_01" / "prod.yml").read_text() == FIXED
    assert sorted(p.name for p in (mount / "..2024_01_01").iterdir()) == ["prod.yml"]


@pytest.mark.skipif(os.geteuid() != 0, reason="a file of another user needs root")
def test_as_root_a_private_file_of_another_user_stays_theirs(repo, config, capsys) -> None:
    os.chown(config, 4242, 4242)
    config.chmod(0o600)
    upgrade(capsys, repo, config, "--fix")
    assert config.read_text() == FIXED
    status = config.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (4242, 4242, 0o600)


def test_backup_keeps_the_file_as_it_was(repo, config, capsys) -> None:
    config.chmod(0o640)
    _status, out, _ = upgrade(capsys, repo, config, "--fix", "--backup")
    backup = config.with_name("prod.yml.orig")
    assert f"{config}: the version before is kept as prod.yml.orig\n" in out
    assert (config.read_text(), backup.read_text()) == (FIXED, CONFIG)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o640


#: Secrets where an operator's config holds them: nested, in URLs, in a JSON string.
NESTED_SECRETS = f"""\
DEBUG: true
AWS_SECRET_ACCESS_KEY: aws-{SECRET}
DATABASES:
  default:
    ENGINE: django.db.backends.mysql
    PASSWORD: db-{SECRET}
CACHES:
  default:
    LOCATION: redis://:redis-{SECRET}@cache:6379/1
EMAIL_HOST_PASSWORD: smtp-{SECRET}
BROKER_URL: amqp://celery:amqp-{SECRET}@broker/
JWT_AUTH: '{{"JWT_SECRET_KEY": "jwt-{SECRET}", "JWT_ISSUER": "lms"}}'
AZURE: DefaultEndpointsProtocol=https;AccountName=files;AccountKey=az-{SECRET};EndpointSuffix=core.windows.net
SLACK: https://hooks.slack.com/services/T000/B000/slack{SECRET}
FIELDS: [year_of_birth]
"""


def test_dry_run_hides_secret_values_at_any_depth(repo, tmp_path, capsys) -> None:
    config = tmp_path / "prod.yml"
    config.write_text(NESTED_SECRETS)
    _status, out, err = upgrade(capsys, repo, config, "--dry-run", "--allow", "*")
    assert "+# DEBUG: true\n" in out
    assert SECRET not in out + err


def test_masked_keeps_lines_and_what_is_no_secret() -> None:
    shown = masked_composed(NESTED_SECRETS, compose_config(NESTED_SECRETS, "<config>"), set())
    assert SECRET not in shown
    assert len(shown.splitlines()) == len(NESTED_SECRETS.splitlines())
    assert shown == """\
DEBUG: true
AWS_SECRET_ACCESS_KEY: "<secret: not shown>"
DATABASES:
  default:
    ENGINE: django.db.backends.mysql
    PASSWORD: "<secret: not shown>"
CACHES:
  default:
    LOCATION: "<secret: not shown>"
EMAIL_HOST_PASSWORD: "<secret: not shown>"
BROKER_URL: "<secret: not shown>"
JWT_AUTH: "<secret: not shown>"
AZURE: "<secret: not shown>"
SLACK: "<secret: not shown>"
FIELDS: [year_of_birth]
"""
