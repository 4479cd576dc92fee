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
    assert main(["schema", "--settings", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_schema_is_valid_draft_2020_12(capsys) -> None:
    schema = schema_of(capsys, str(SETTINGS), "--lenient")
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    # Strict, as the loader's strict=True and check-config, is the default.
    strict = schema_of(capsys, str(SETTINGS), "--allow", "CELERY_*")
    jsonschema.Draft202012Validator.check_schema(strict)
    assert strict["additionalProperties"] is False
    assert strict["patternProperties"] == {"^CELERY_.*$": {}}
    assert "EMAIL_HOST" in strict["properties"]  # Django's own settings are accepted
    assert schema["additionalProperties"] is True
    assert "propertyNames" not in schema["properties"]["FEATURES"]


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
    assert main(["sample-config", "--settings", str(SETTINGS)]) == 0
    full = capsys.readouterr().out
    assert full.startswith("# yaml-language-server: $schema=example_ida.schema.json\n")
    assert main(["sample-config", "--settings", str(SETTINGS), "--minimal", "--schema-url", ""]) == 0
    minimal = capsys.readouterr().out
    assert minimal.startswith("# Sample configuration for example_ida.")
    assert "# == Defaults" not in minimal and "# == Defaults" in full
    assert set(yaml.safe_load(minimal)) == set(yaml.safe_load(full))  # the required ones
    secrets = tmp_path / "secrets.yml"
    assert main(["sample-config", "--settings", str(SETTINGS), "--secrets-file", str(secrets)]) == 0
    rest = yaml.safe_load(capsys.readouterr().out)
    apart = yaml.safe_load(secrets.read_text())
    assert set(apart) == {"SECRET_KEY", "BACKEND_SERVICE_EDX_OAUTH2_SECRET"}
    assert not set(apart) & set(rest)
    assert set(apart) | set(rest) == set(yaml.safe_load(full))


@pytest.mark.parametrize("argv", [["schema"], ["sample-config"]])
def test_a_package_that_is_not_there(capsys, tmp_path: Path, argv) -> None:
    assert main([*argv, str(tmp_path / "nowhere")]) == 1
    assert "not found" in capsys.readouterr().err


# -- check-config --schema ------------------------------------------------------------------

MARKER = "S3CR3T-MARKER"
BAD_CONFIG = f"""\
SECRET_KEY: 5
ALLOWED_HOSTS: {MARKER}
TYPO: 1
DATABASES:
  default:
    PORT: [{MARKER}]
"""


@pytest.fixture
def bad_config(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yml"
    path.write_text(BAD_CONFIG)
    return path


def check(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["check-config", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_check_config_with_a_schema_file_alone(bad_config, tmp_path, capsys) -> None:
    schema = tmp_path / "example_ida.schema.json"
    assert main(["schema", "--settings", str(SETTINGS), "--strict", "-o", str(schema)]) == 0
    status, out, err = check(capsys, str(bad_config), "--schema", str(schema))
    required = [s.name for s in read_settings_package(SETTINGS) if s.required]
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        *(f"{bad_config}: required setting {name} is missing (the schema's \"required\"): "
          "add it" for name in required[2:]),
        f"{bad_config}:1: SECRET_KEY must be string (the schema's \"type\")",
        f"{bad_config}:2: ALLOWED_HOSTS must be array (the schema's \"type\")",
        f"{bad_config}:3: unknown setting TYPO (the schema allows no other keys here): "
        "correct or remove it",
    ]
    assert MARKER not in err
    good = tmp_path / "devstack.yml"
    good.write_text((SETTINGS / "devstack.yml").read_text())
    assert check(capsys, str(good), "--schema", str(schema)) == (
        0, f"{good}: no problems\n", "")


def test_check_config_with_settings_and_schema_says_each_problem_once(bad_config,
                                                                     capsys) -> None:
    alone = check(capsys, str(bad_config), "--settings", str(SETTINGS))
    both = check(capsys, str(bad_config), "--settings", str(SETTINGS), "--schema")
    assert alone[0] == both[0] == 1
    assert both == alone
    assert MARKER not in both[2]


def test_check_config_schema_problems(bad_config, tmp_path, capsys, monkeypatch) -> None:
    status, out, err = check(capsys, str(bad_config))  # a mistake in the command line
    assert (status, out) == (2, "")
    assert err.endswith("opsdocs check-config: error: give the settings (--settings PATH), a "
                        "JSON Schema (--schema FILE), or both\n")
    not_json = tmp_path / "broken.json"
    not_json.write_text('{"type": \n')
    status, _, err = check(capsys, str(bad_config), "--schema", str(not_json))
    assert (status, err) == (1, f"{not_json}:2: invalid JSON, column 1: Expecting value; "
                                "write it again with 'opsdocs schema'\n")
    # Nesting past the reading layer's cap is a message, not a RecursionError.
    not_json.write_text("[" * 100_000 + "]" * 100_000)
    status, _, err = check(capsys, str(bad_config), "--schema", str(not_json))
    assert (status, err) == (1, f"{not_json}: the JSON Schema is too deeply nested (more than "
                                "100 levels) for opsdocs to read: flatten it\n")
    not_schema = tmp_path / "wrong.json"
    not_schema.write_text('{"type": 5}\n')
    status, _, err = check(capsys, str(bad_config), "--schema", str(not_schema))
    assert status == 1
    assert err.startswith(f"{not_schema}: not a JSON Schema (draft 2020-12): 5 is not valid")
    monkeypatch.setitem(__import__("sys").modules, "jsonschema", None)
    assert check(capsys, str(bad_config), "--schema", str(not_schema)) == (
        1, "", f"{not_schema}: validating with a JSON Schema needs the jsonschema package: "
        "install it with pip install 'opsdocs[schema]'\n")


BACKTRACKING = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                "properties": {"A": {"type": "string", "pattern": "^(a+)+$"}}}


def test_a_pattern_that_backtracks_is_stopped_with_a_message(tmp_path, capsys,
                                                             monkeypatch) -> None:
    monkeypatch.setattr("opsdocs.config.schema.MAX_SCHEMA_SECONDS", 0.5)
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(BACKTRACKING))
    config = tmp_path / "prod.yml"
    config.write_text(f"A: \"{'a' * 40}!\"\n")
    assert main(["check-config", str(config), "--schema", str(schema)]) == 1
    assert capsys.readouterr().err == (
        f"{schema}: checking the config against the schema took more than 0.5 s and was "
        "stopped (the pattern '^(a+)+$' was running): a pattern that backtracks, such as "
        "'^(a+)+$', takes exponential time; simplify it\n")
    config.write_text("A: aaa\n")  # the pattern itself works where it does not backtrack
    assert main(["check-config", str(config), "--schema", str(schema)]) == 0


@pytest.mark.parametrize(("ref", "shown"), [
    ("#/$defs/missing", "#/$defs/missing"),
    ("https://example.com/schema.json", "https://example.com/schema.json"),
    ("other.json#/x", "other.json"),
])
def test_a_ref_that_resolves_nowhere_is_located_in_the_schema(tmp_path, capsys, ref,
                                                             shown) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text('{"$schema": "https://json-schema.org/draft/2020-12/schema",\n'
                      ' "type": "object",\n'
                      ' "properties": {\n'
                      f'   "B": {{"$ref": "{ref}"}}\n'
                      ' }}\n')
    config = tmp_path / "prod.yml"
    config.write_text("B: 1\n")
    assert main(["check-config", str(config), "--schema", str(schema)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{schema}:4: the schema's $ref '{shown}")
    assert err.endswith("resolves to nothing (no such definition in the schema, and opsdocs "
                        "fetches no other): correct it, or write the schema again with "
                        "'opsdocs schema'\n")


def test_a_none_default_gives_no_type(tmp_path: Path, capsys) -> None:
    """enterprise-access: ``STRIPE_API_KEY = None`` in base.py, a key in the config."""
    (tmp_path / "settings.py").write_text("#: Seconds to wait for Stripe.\nSTRIPE_TIMEOUT = None\n")
    (tmp_path / "config.yml").write_text("STRIPE_TIMEOUT: 30\n")
    schema = tmp_path / "schema.json"
    assert main(["schema", "--settings", str(tmp_path / "settings.py"), "-o", str(schema)]) == 0
    assert json.loads(schema.read_text())["properties"]["STRIPE_TIMEOUT"] == {
        "description": "Seconds to wait for Stripe.", "default": None}
    assert check(capsys, str(tmp_path / "config.yml"), "--schema", str(schema)) == (
        0, f"{tmp_path / 'config.yml'}: no problems\n", "")
