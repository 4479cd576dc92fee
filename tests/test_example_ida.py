"""example_ida, the example service: it starts with test.yml, refuses without, documents itself."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
import yaml
from django.conf import global_settings

from opsdocs.settings.reader import read_settings_package
from tests.helpers import EXAMPLE, REPO, setting_texts

SERVICE = EXAMPLE
SETTINGS = SERVICE / "example_ida" / "settings"
REQUIRED_NAMES = [
    "SECRET_KEY", "ALLOWED_HOSTS", "LMS_BASE_URL", "DISCOVERY_API_URL",
    "BACKEND_SERVICE_EDX_OAUTH2_KEY", "BACKEND_SERVICE_EDX_OAUTH2_SECRET", "CELERY_BROKER_URL",
]


def manage(*args: str, config: Path | None) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py`` as an operator would: from example_ida/, configured by *config*."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("EXAMPLE_IDA_CFG_PATH", "DJANGO_SETTINGS_MODULE")}
    if config is not None:
        env["EXAMPLE_IDA_CFG_PATH"] = str(config)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=SERVICE, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_starts_with_test_config() -> None:
    result = manage("check", config=SETTINGS / "test.yml")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_refuses_to_start_without_config_naming_every_missing_setting() -> None:
    result = manage("check", config=None)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "example_ida refuses to start: 7 configuration problems (EXAMPLE_IDA_CFG_PATH is not set"
    )
    missing = re.findall(r"^  missing required setting (\w+)$", result.stderr, re.MULTILINE)
    assert missing == REQUIRED_NAMES


def test_refuses_an_incomplete_config_naming_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "partial.yml"
    secret = "do-not-print-this-secret"
    config.write_text(
        f"SECRET_KEY: {secret}\nALLOWED_HOSTS: [x]\nLMS_BASE_URL:\nTIME_ZOEN: UTC\n"
    )
    result = manage("check", config=config)
    assert result.returncode == 1
    assert secret not in result.stderr
    assert result.stderr.splitlines() == [
        f"example_ida refuses to start: 6 configuration problems ({config}, named by "
        "EXAMPLE_IDA_CFG_PATH):",
        f"  {config}:4: unknown setting TIME_ZOEN; did you mean 'TIME_ZONE'?",
        f"  {config}:3: required setting LMS_BASE_URL is empty: give it a value",
        *(f"  {config}: missing required setting {name}: add it to this file"
          for name in REQUIRED_NAMES[3:]),
    ]


def test_refuses_a_value_of_the_wrong_type_with_the_loader_s_message(tmp_path: Path) -> None:
    config = tmp_path / "hosts.yml"
    config.write_text(re.sub(r"^ALLOWED_HOSTS:.*$", "ALLOWED_HOSTS: reports.example.com",
                             (SETTINGS / "test.yml").read_text(), flags=re.MULTILINE))
    text = config.read_text()
    line = text[:text.index("ALLOWED_HOSTS: reports")].count("\n") + 1
    result = manage("check", config=config)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"  {config}:{line}: ALLOWED_HOSTS must be a list, not a string: the service " \
        "would fail with it" in result.stderr.splitlines()


def test_accepts_djangos_own_settings_in_strict_mode(tmp_path: Path) -> None:
    config = tmp_path / "with-email.yml"
    config.write_text((SETTINGS / "test.yml").read_text() + "EMAIL_HOST: smtp.example.com\n")
    result = manage("check", config=config)
    assert result.returncode == 0, result.stderr


def test_migrate_and_management_command_with_test_config(tmp_path: Path) -> None:
    assert manage("migrate", "--noinput", config=SETTINGS / "test.yml").returncode == 0

    # The same configuration on a database file, so that two processes share it.
    config = tmp_path / "file-db.yml"
    database = tmp_path / "db.sqlite3"
    config.write_text((SETTINGS / "test.yml").read_text().replace('":memory:"', str(database)))
    migrated = manage("migrate", "--noinput", config=config)
    assert migrated.returncode == 0, migrated.stderr
    assert "Applying reports.0001_initial... OK" in migrated.stdout
    purge = manage("purge_stale_reports", "--older-than", "7", "--dry-run", config=config)
    assert (purge.returncode, purge.stdout) == (0, "0 reports older than 7 days would be deleted\n")
    assert manage("makemigrations", "--check", "--dry-run", config=config).returncode == 0


def test_purge_command_help() -> None:
    result = manage("help", "purge_stale_reports", config=SETTINGS / "test.yml")
    assert result.returncode == 0, result.stderr
    assert "--older-than DAYS" in result.stdout
    assert "--dry-run" in result.stdout


def test_settings_read_statically_without_problems() -> None:
    catalog = read_settings_package(SETTINGS)
    assert catalog.problems == ()
    assert len(catalog) >= 25
    assert [s.name for s in catalog if s.required] == REQUIRED_NAMES
    assert all(s.doc for s in catalog)
    assert {s.name for s in catalog if s.secret} == {
        "SECRET_KEY", "BACKEND_SERVICE_EDX_OAUTH2_SECRET"
    }
    assert [s.name for s in catalog if s.deprecated] == ["REPORTS_RETENTION_DAYS"]
    assert [s.name for s in catalog if s.added] == ["REPORTS_PAGE_SIZE"]


def test_config_files_name_only_known_settings() -> None:
    """devstack.yml and test.yml give every required setting and no unknown one."""
    known = {s.name for s in read_settings_package(SETTINGS)} | set(dir(global_settings))
    for name in ("devstack.yml", "test.yml"):
        config = yaml.safe_load((SETTINGS / name).read_text())
        assert set(REQUIRED_NAMES) <= set(config), name
        assert set(config) <= known, name


def test_docs_build_without_warnings_and_list_every_setting(example_html: Path) -> None:
    # example_html is built with -W and nothing on stdout or stderr (build_example_docs).
    page = unescape((example_html / "settings.html").read_text())
    catalog = read_settings_package(SETTINGS)
    for setting in catalog:
        assert f'id="setting-{setting.name}"' in page, setting.name
    required = {name for name, text in setting_texts(page).items() if " required " in text}
    assert required == set(REQUIRED_NAMES)
    for section in ("Security", "Database", "Celery", "Feature flags", "Logging"):
        assert f"{section}<a class=\"headerlink\"" in page
    # Source links go to highlighted copies of the settings files in the docs.
    assert 'href="_opsdocs_source/example_ida/example_ida/settings/required.py.html#L' in page
    guide = re.sub(r"<[^>]+>", "", unescape((example_html / "upgrading.html").read_text()))
    v040 = guide[guide.index("Upgrading to v0.4.0"):guide.index("Upgrading to v0.3.0")]
    steps = ["Settings newly required", "CELERY_BROKER_URL is now required",
             "Settings renamed, removed or deprecated",
             "Renamed LMS_INTERNAL_ROOT_URL to LMS_INTERNAL_URL",
             "Defaults and types changed", "Changed the default of REPORTS_PAGE_SIZE from 50 to 100",
             "Operations changes", "Added the command fail_stuck_reports",
             "Added the build argument GUNICORN_TIMEOUT, default 60"]
    assert [v040.index(step) for step in steps] == sorted(v040.index(step) for step in steps)
    changelog = unescape((example_html / "changelog.html").read_text())
    assert 'href="operations/index.html#opscommand-fail_stuck_reports"' in changelog
    assert 'class="opsdocs-change-arg-added"' in changelog
    configuration = (example_html / "configuration.html").read_text()
    schema = re.search(r'href="(_downloads/\w+/example_ida\.schema\.json)"', configuration)
    assert schema is not None
    assert "LMS_INTERNAL_URL" in (example_html / schema.group(1)).read_text()


def test_serves_requests_and_derives_computed_defaults(tmp_path: Path) -> None:
    config = tmp_path / "deprecated.yml"
    config.write_text((SETTINGS / "test.yml").read_text() + "REPORTS_RETENTION_DAYS: 7\n")
    script = (
        "from django.conf import settings\n"
        "from django.core.management import call_command\n"
        "from django.test import Client\n"
        "from example_ida.reports.models import Report\n"
        "call_command('migrate', verbosity=0)\n"
        "Report.objects.create(course_key='course-v1:edX+X+2024', name='Grades')\n"
        "client = Client()\n"
        "print(client.get('/health/').json())\n"
        "print([r['name'] for r in client.get('/api/v1/reports/').json()['results']])\n"
        "print(settings.LMS_INTERNAL_URL, settings.BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL,"
        " settings.REPORTS_RETENTION)\n"
    )
    result = manage("shell", "-c", script, config=config)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-3:] == [
        "{'status': 'ok'}",
        "['Grades']",
        "http://lms.test http://lms.test/oauth2 604800",
    ]


# -- Upgrading from v0.3.0 to v0.4.0 ------------------------------------------------------

SNAPSHOTS = SERVICE / "snapshots"


def devstack_at_v030(tmp_path: Path) -> Path:
    """devstack.yml as v0.3.0 shipped it: v0.4.0 renamed LMS_INTERNAL_ROOT_URL, nothing else."""
    text = (SETTINGS / "devstack.yml").read_text()
    assert "\nLMS_INTERNAL_URL: " in text
    path = tmp_path / "devstack.yml"
    path.write_text(text.replace("\nLMS_INTERNAL_URL: ", "\nLMS_INTERNAL_ROOT_URL: "))
    return path


def test_upgrade_report_of_devstack_from_v030_to_v040(tmp_path: Path, capsys) -> None:
    from opsdocs.cli import main

    config = devstack_at_v030(tmp_path)
    status = main(["upgrade", str(config), "--from", "v0.3.0", "--to", "v0.4.0",
                   "--snapshots", str(SNAPSHOTS)])
    out, err = capsys.readouterr()
    assert (status, err) == (1, "")
    assert out.splitlines() == [
        f"Upgrading {config} from v0.3.0 to v0.4.0: 1 thing to do, 2 for information.",
        f"{config}:12: [to do] LMS_INTERNAL_ROOT_URL was renamed to LMS_INTERNAL_URL in "
        "v0.4.0 (the docs say so): rename the key to LMS_INTERNAL_URL",
        f"{config}:41: [information] CELERY_BROKER_URL is now required since v0.4.0; this "
        "file sets it: nothing to do",
        f"{config}: [information] the default of REPORTS_PAGE_SIZE changed in v0.4.0 from 50 "
        "to 100; this file leaves it unset, so the new default applies (set it to keep the "
        "old one)",
    ]


# LMS_INTERNAL_ROOT_URL was added in v0.2.0 and renamed in v0.4.0: from a release that
# did not have it yet too, the key is followed through its rename.
@pytest.mark.parametrize("old", ["v0.1.0", "v0.2.0", "v0.3.0"])
def test_upgrade_fix_of_devstack_is_what_v040_ships_and_check_config_accepts(
        tmp_path: Path, capsys, old: str) -> None:
    from opsdocs.cli import main

    config = devstack_at_v030(tmp_path)
    assert main(["check-config", str(config), "--settings", str(SETTINGS)]) == 1
    assert "unknown setting LMS_INTERNAL_ROOT_URL" in capsys.readouterr().err
    status = main(["upgrade", str(config), "--from", old, "--to", "v0.4.0",
                   "--snapshots", str(SNAPSHOTS), "--fix"])
    out, _ = capsys.readouterr()
    assert status == 0
    assert f"{config}:12: [to do] LMS_INTERNAL_ROOT_URL was renamed to LMS_INTERNAL_URL" in out
    assert out.endswith(f"{config}: rewritten for v0.4.0\n")
    assert config.read_text() == (SETTINGS / "devstack.yml").read_text()
    assert main(["check-config", str(config), "--settings", str(SETTINGS)]) == 0
    assert capsys.readouterr().err == ""


def test_upgrade_json_shows_old_and_new_values_alike(tmp_path: Path, capsys) -> None:
    """Both ends of a changed default in Python's repr style, whichever release's file
    wrote it with double quotes or changed it later."""
    from opsdocs.cli import main

    config = tmp_path / "config.yml"
    config.write_text("SECRET_KEY: x\n")
    main(["upgrade", str(config), "--from", "v0.1.0", "--to", "v0.4.0",
          "--snapshots", str(SNAPSHOTS), "--format", "json"])
    items = json.loads(capsys.readouterr().out)["items"]
    features = [(i["release"], i["old"], i["new"]) for i in items if i["setting"] == "FEATURES"]
    assert features == [
        ("v0.2.0", "{'ENABLE_REPORTS_API': True}",
         "{'ENABLE_REPORTS_API': True, 'ENABLE_CSV_EXPORT': False}"),
        ("v0.4.0", "{'ENABLE_REPORTS_API': True, 'ENABLE_CSV_EXPORT': False}",
         "{'ENABLE_REPORTS_API': True, 'ENABLE_CSV_EXPORT': False, 'ENABLE_NIGHTLY_PURGE': False}"),
    ]


def test_the_readme_s_commands_work_and_write_nothing_into_the_repository(tmp_path: Path) -> None:
    """The README's "other commands", run as it shows them from the repository's root."""
    readme = (REPO / "README.rst").read_text()
    block = readme[readme.index("lists every subcommand"):]
    lines = [line.strip() for line in block[:block.index("- Run the example service")].splitlines()
             if line.strip().startswith(".venv/bin/opsdocs ")]
    assert len(lines) == 9
    before = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout
    statuses = {}
    for line in lines:
        command = line.replace(".venv/bin/opsdocs", f"{sys.executable} -m opsdocs.cli", 1)
        result = subprocess.run(["sh", "-c", command], cwd=REPO, capture_output=True, text=True,
                                env={**os.environ, "TMPDIR": str(tmp_path)}, check=False)
        assert "Traceback" not in result.stderr, result.stderr
        statuses[line.split()[1]] = result.returncode
    # upgrade: the sample's placeholder of a newly required setting is something to do;
    # toggles: the fixture tree has a problem of each kind.
    assert statuses == {"settings": 0, "sample-config": 0, "check-config": 0, "operations": 0,
                        "check-commands": 0, "diff": 0, "upgrade": 1, "schema": 0, "toggles": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example_ida.schema.json",
                                                         "my-config.yml"]
    after = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO,
                           capture_output=True, text=True, check=True).stdout
    assert after == before


def test_upgrade_of_the_sample_says_what_its_placeholders_need(tmp_path: Path, capsys) -> None:
    from opsdocs.cli import main

    sample = tmp_path / "sample.yml"
    assert main(["sample-config", "--settings", str(SETTINGS), "-o", str(sample)]) == 0
    status = main(["upgrade", str(sample), "--from", "v0.3.0", "--to", "v0.4.0",
                   "--snapshots", str(SNAPSHOTS), "--dry-run"])
    out = capsys.readouterr().out
    assert status == 1
    assert "[to do] CELERY_BROKER_URL is now required since v0.4.0; this file still holds " \
        "the sample's placeholder <required: str>: give it a real value\n" in out
    assert out.endswith(f"{sample}: --fix would change nothing\n")  # said, not silent
