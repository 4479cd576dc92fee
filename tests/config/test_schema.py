"""``opsdocs schema``: a JSON Schema of the config, valid against its metaschema, and the
sample's variants."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from opsdocs.cli import main
from opsdocs.config.schema import config_schema
from opsdocs.settings.reader import read_settings_package
from tests.helpers import EXAMPLE, found

SETTINGS = EXAMPLE / "example_ida" / "settings"


def schema_of(capsys, *argv: str) -> dict:
    assert main(["schema", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_schema_is_valid_draft_2020_12(capsys) -> None:
    schema = schema_of(capsys, str(SETTINGS))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    strict = schema_of(capsys, str(SETTINGS), "--strict", "--allow", "CELERY_*")
    jsonschema.Draft202012Validator.check_schema(strict)
    assert strict["additionalProperties"] is False
    assert strict["patternProperties"] == {"^CELERY_.*$": {}}
    assert "EMAIL_HOST" in strict["properties"]  # Django's own settings are accepted
    assert schema["additionalProperties"] is True


def test_what_each_property_says(capsys) -> None:
    properties = schema_of(capsys, str(SETTINGS))["properties"]
    assert properties["DEBUG"] == {
        "description": "Show detailed error pages with tracebacks and settings.\n\nNever turn "
        "this on in production: the error pages show configuration values.\nDevelopment "
        "configurations such as devstack.yml set it to true.",
        "type": "boolean", "default": False}
    assert properties["SECRET_KEY"]["writeOnly"] is True
    assert "default" not in properties["SECRET_KEY"]
    assert properties["REPORTS_RETENTION_DAYS"]["deprecated"] is True
    assert properties["REPORTS_RETENTION_DAYS"]["type"] == ["integer", "null"]
    assert properties["ALLOWED_HOSTS"]["items"] == {"type": "string"}
    assert "default" not in properties["REPORTS_RETENTION"]  # 60 * 60 * 24 * 30: computed
    assert ":setting:" not in json.dumps(properties) and "``" not in json.dumps(properties)


def test_the_example_configs_are_valid_and_a_wrong_one_is_not(capsys) -> None:
    schema = schema_of(capsys, str(SETTINGS), "--strict")
    validator = jsonschema.Draft202012Validator(schema)
    for config in found(SETTINGS.glob("*.yml")):
        assert list(validator.iter_errors(yaml.safe_load(config.read_text()))) == []
    wrong = {"DEBUG": "yes", "TYPO": 1}
    assert {error.validator for error in validator.iter_errors(wrong)} == {
        "type", "required", "additionalProperties"}


def test_a_secret_has_no_default_in_the_schema(tmp_path: Path) -> None:
    (tmp_path / "required.py").write_text("")
    (tmp_path / "defaults.py").write_text("#: Key.\n#:\n#: :secret:\nAPI_KEY = 'S3CR3T-MARKER'\n")
    schema = config_schema(read_settings_package(tmp_path))
    assert "S3CR3T-MARKER" not in json.dumps(schema)
    assert schema["properties"]["API_KEY"] == {"description": "Key.", "writeOnly": True}


def test_sample_variants(capsys, tmp_path: Path) -> None:
    assert main(["sample-config", str(SETTINGS)]) == 0
    full = capsys.readouterr().out
    assert full.startswith("# yaml-language-server: $schema=example_ida.schema.json\n")
    assert main(["sample-config", str(SETTINGS), "--minimal", "--schema", ""]) == 0
    minimal = capsys.readouterr().out
    assert minimal.startswith("# Sample configuration for example_ida.")
    assert "# == Defaults" not in minimal and "# == Defaults" in full
    assert set(yaml.safe_load(minimal)) == set(yaml.safe_load(full))  # the required ones
    secrets = tmp_path / "secrets.yml"
    assert main(["sample-config", str(SETTINGS), "--secrets-file", str(secrets)]) == 0
    rest = yaml.safe_load(capsys.readouterr().out)
    apart = yaml.safe_load(secrets.read_text())
    assert set(apart) == {"SECRET_KEY", "BACKEND_SERVICE_EDX_OAUTH2_SECRET"}
    assert not set(apart) & set(rest)
    assert set(apart) | set(rest) == set(yaml.safe_load(full))


@pytest.mark.parametrize("argv", [["schema"], ["sample-config"]])
def test_a_package_that_is_not_there(capsys, tmp_path: Path, argv) -> None:
    assert main([*argv, str(tmp_path / "nowhere")]) == 1
    assert "not found" in capsys.readouterr().err
