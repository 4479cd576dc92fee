"""``opsdocs sample-config`` and ``opsdocs check-config``: output and exit status."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from opsdocs.cli import main
from opsdocs.config.sample import sample_config
from opsdocs.settings.reader import read_settings_package
from opsdocs.settings.sources import nearby
from tests.helpers import ROOTS

SETTINGS = ROOTS / "test-config" / "settings"
PROBLEMS = ROOTS / "test-config-problems"


def test_sample_config_prints_the_sample(capsys):
    assert main(["sample-config", "--settings", str(SETTINGS)]) == 0
    out, err = capsys.readouterr()
    assert out == sample_config(read_settings_package(SETTINGS),
                                schema="test-config.schema.json")
    assert err == ""
    assert yaml.safe_load(out) == {"LMS_BASE_URL": "<required: str>",
                                   "SECRET_KEY": "<required: str>",
                                   "PORTS": "<required: list[int]>"}


def test_sample_config_writes_a_file(tmp_path, capsys):
    target = tmp_path / "example.yml"
    assert main(["sample-config", "--settings", str(SETTINGS), "-o", str(target)]) == 0
    assert capsys.readouterr() == ("", "")
    assert target.read_text() == sample_config(read_settings_package(SETTINGS),
                                               schema="test-config.schema.json")


def test_sample_config_of_a_broken_package_writes_nothing(tmp_path, capsys):
    target = tmp_path / "example.yml"
    assert main(["sample-config", "--settings", str(PROBLEMS / "broken"), "-o", str(target)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"{nearby(PROBLEMS / 'broken' / 'required.py')}:3: syntax error: invalid syntax; "
                   "fix the file so that Python can import it\n")
    assert not target.exists()


def test_sample_config_of_a_missing_package(capsys):
    assert main(["sample-config", "--settings", "no/such/settings"]) == 1
    assert capsys.readouterr().err == (
        "no/such/settings: settings source 'no/such/settings' not found: give an OEP-45 "
        "settings package (the directory that holds required.py and defaults.py), a settings "
        "module file, several, or a dotted module path found on sys.path\n")


def test_sample_config_unwritable_output(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    target = tmp_path / "file" / "sample.yml"  # a file where a directory should be
    assert main(["sample-config", "--settings", str(SETTINGS), "-o", str(target)]) == 1
    assert capsys.readouterr().err.startswith(f"{target}: cannot write the sample config: ")


def test_check_config_passes_a_good_file(capsys):
    config = SETTINGS / "devstack.yml"
    assert main(["check-config", str(config), "--settings", str(SETTINGS)]) == 0
    assert capsys.readouterr() == (f"{config}: no problems\n", "")


def test_check_config_reports_every_problem_with_its_line(capsys):
    bad = PROBLEMS / "settings" / "bad.yml"
    broken = PROBLEMS / "settings" / "broken.yml"
    status = main(["check-config", str(bad), str(broken), "--settings",
                   str(PROBLEMS / "settings")])
    out, err = capsys.readouterr()
    assert status == 1
    assert out == ""
    assert err.splitlines() == [
        f"{bad}:1: LMS_BASE_URL is str, but the YAML value is an integer; put the value "
        "in quotes to make it a string",
        f"{bad}:3: PORTS is list[int], but the YAML value here is a string; write a whole "
        "number, without quotes (at PORTS[0])",
        f"{bad}:4: DEBUG is bool, but the YAML value is a string; write true or false, "
        "without quotes",
        f"{bad}:5: unknown setting TIMOUT; did you mean 'TIMEOUT'?",
        f"{bad}:6: setting OLD_TIMEOUT is deprecated since 2.0 (Set TIMEOUT instead.): stop "
        "setting it",
        f"{broken}:3: YAML syntax error, column 1: while parsing a flow sequence started on "
        "line 2; expected ',' or ']', but got '<stream end>'; fix the YAML (a config is one "
        "mapping of SETTING_NAME: value lines)",
    ]
    assert "hunter2" not in err  # bad.yml's secret


def test_check_config_missing_file(tmp_path, capsys):
    missing = tmp_path / "nope.yml"
    assert main(["check-config", str(missing), "--settings", str(SETTINGS)]) == 1
    assert capsys.readouterr().err == (
        f"{missing}: cannot read the config file: No such file or directory\n")


def test_check_config_missing_settings_package(tmp_path, capsys):
    config = tmp_path / "c.yml"
    config.write_text("A: 1\n")
    assert main(["check-config", str(config), "--settings", str(tmp_path / "nope")]) == 1
    assert "settings package" in capsys.readouterr().err


def test_check_config_django_settings_and_allow(tmp_path, capsys):
    config = tmp_path / "c.yml"
    config.write_text((SETTINGS / "devstack.yml").read_text() + "CELERY_BROKER: x\n")
    base = ["check-config", str(config), "--settings", str(SETTINGS)]
    # DATABASES is Django's own setting: accepted by default, not with --no-django-settings.
    assert main(base) == 1
    assert capsys.readouterr().err == (
        f"{config}:10: unknown setting CELERY_BROKER: not a setting of this service (a typo, or "
        "a setting that was removed?); remove it\n")
    assert main([*base, "--allow", "CELERY_*"]) == 0
    capsys.readouterr()
    assert main([*base, "--allow", "CELERY_*", "--no-django-settings"]) == 1
    assert capsys.readouterr().err.startswith(f"{config}:9: unknown setting DATABASES")


def test_check_config_checks_the_outer_kind_when_members_may_be_anything(tmp_path, capsys):
    """``dict[str, Any]`` is a mapping whatever its values: a list is reported."""
    settings = tmp_path / "settings.py"
    settings.write_text("from typing import Any\n\n#: Flags.\nFEATURES: dict[str, Any] = {}\n"
                        "\n#: Paths.\nDIRS: list[Any] = []\n")
    config = tmp_path / "c.yml"
    config.write_text("FEATURES: [a, b]\nDIRS: [x, {y: 1}]\n")
    assert main(["check-config", str(config), "--settings", str(settings)]) == 1
    assert capsys.readouterr().err == (
        f"{config}:1: FEATURES is dict[str, Any], but the YAML value is a list; write a "
        "mapping (one 'key: value' per line)\n")
    config.write_text("FEATURES: {a: [1], b: x}\n")
    assert main(["check-config", str(config), "--settings", str(settings)]) == 0


def test_a_setting_in_both_files_is_checked_as_required_py_declares_it(tmp_path, capsys):
    """``required.py`` is star-imported last, so its declaration is the one the service
    has: check-config and the schema follow it, as the reader's warning says to fix."""
    package = tmp_path / "settings"
    package.mkdir()
    (package / "required.py").write_text("#: Debug mode.\nDEBUG: bool\n")
    (package / "defaults.py").write_text(
        '#: Old.\n#:\n#: .. deprecated:: 2.0\nDEBUG: str = "x"\n')
    config = tmp_path / "c.yml"
    config.write_text("DEBUG: true\n")
    assert main(["check-config", str(config), "--settings", str(package)]) == 0
    capsys.readouterr()
    assert main(["schema", "--settings", str(package)]) == 0
    schema = yaml.safe_load(capsys.readouterr().out)
    assert schema["properties"]["DEBUG"]["type"] == "boolean"


def test_check_config_needs_settings(capsys):
    try:
        main(["check-config", "c.yml"])
    except SystemExit as exit:
        assert exit.code == 2
    assert "--settings" in capsys.readouterr().err


def test_the_sample_once_filled_in_passes(tmp_path):
    """What an operator does: write the sample, fill it in, check it (in a real process)."""
    sample = tmp_path / "example.yml"
    opsdocs = [sys.executable, "-m", "opsdocs.cli"]
    written = subprocess.run([*opsdocs, "sample-config", "--settings", str(SETTINGS), "-o", str(sample)],
                             capture_output=True, text=True, check=False)
    assert (written.returncode, written.stderr) == (0, "")
    values = {"LMS_BASE_URL": "https://lms.example.com", "SECRET_KEY": "s3cret",
              "PORTS": "[8000, 8001]"}
    text = sample.read_text()
    for name, value in values.items():
        text = re.sub(rf"^{name}: .*$", f"{name}: {value}", text, flags=re.MULTILINE)
    sample.write_text(text)
    checked = subprocess.run([*opsdocs, "check-config", str(sample), "--settings", str(SETTINGS)],
                             capture_output=True, text=True, check=False)
    assert (checked.returncode, checked.stdout, checked.stderr) == (
        0, f"{sample}: no problems\n", "")

    unfilled = subprocess.run(
        [*opsdocs, "check-config", str(tmp_path / "x.yml"), "--settings", str(SETTINGS)],
        capture_output=True, text=True, check=False)
    assert unfilled.returncode == 1
    assert "Traceback" not in unfilled.stderr


def test_sample_config_of_a_relative_path_names_the_service(monkeypatch, capsys):
    monkeypatch.chdir(SETTINGS)
    assert main(["sample-config", "--settings", "."]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# yaml-language-server: $schema=test-config.schema.json\n#\n"
                          "# Sample configuration for test-config.\n")
    assert "named by TEST_CONFIG_CFG_PATH" in out
    assert "from the settings package test-config/settings." in out
