"""Config commands on settings modules shaped like the IDAs' ``production.py``: a file
named by an environment variable, loaded with ``yaml.safe_load``, applied with
``vars().update(...)``; output and exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from opsdocs.cli import main

BASE = '''\
#: Show debug pages.
DEBUG = True
#: Hosts served.
ALLOWED_HOSTS = []
'''

#: A service that reads the config file's path from the environment, with no default.
ENV_REQUIRED = '''\
from os import environ

import yaml

from svc.settings.base import *

CONFIG_FILE = environ['SVC_CFG']
with open(CONFIG_FILE, encoding='utf-8') as f:
    config_from_yaml = yaml.safe_load(f)
    vars().update(config_from_yaml)
'''


def _package(tmp_path: Path, production: str) -> Path:
    settings = tmp_path / "svc" / "settings"
    settings.mkdir(parents=True)
    (tmp_path / "svc" / "__init__.py").write_text("")
    (settings / "__init__.py").write_text("")
    (settings / "base.py").write_text(BASE)
    (settings / "production.py").write_text(production)
    return settings / "production.py"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.mark.parametrize("read", [
    "environ['SVC_CFG']",
    "get_env_setting('SVC_CFG')",  # the IDAs' settings/utils.py: os.environ[name]
])
def test_a_required_setting_read_from_the_environment_is_no_required_key(
        tmp_path, capsys, monkeypatch, read):
    """``CONFIG_FILE = environ['SVC_CFG']``: the environment sets it; the check, the schema
    and the sample agree that the config file need not give it, and the check says a
    value given there has no effect (the file is already open)."""
    production = _package(tmp_path, ENV_REQUIRED.replace("environ['SVC_CFG']", read).replace(
        "import yaml\n", "import yaml\n\nfrom svc.settings.utils import get_env_setting\n"))
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "svc.yml"
    config.write_text("DEBUG: false\n")

    status, sample = _run(capsys, "sample-config", "--settings", str(production))
    assert status == 0
    assert yaml.safe_load(sample) is None  # no key the file must give
    assert "CONFIG_FILE: <required>" not in sample
    assert "# CONFIG_FILE: ...  (required; set by the environment variable SVC_CFG)\n" \
        in sample

    schema_file = tmp_path / "svc.schema.json"
    status, _ = _run(capsys, "schema", "--settings", str(production), "-o", str(schema_file))
    assert status == 0
    assert json.loads(schema_file.read_text())["required"] == []

    status, out = _run(capsys, "check-config", str(config), "--settings", str(production))
    assert (status, out) == (0, f"{config}: no problems\n")
    status, out = _run(capsys, "check-config", str(config), "--settings", str(production),
                       "--schema", str(schema_file))
    assert (status, out) == (0, f"{config}: no problems\n")

    config.write_text("DEBUG: false\nCONFIG_FILE: /etc/other.yml\n")
    status, out = _run(capsys, "check-config", str(config), "--settings", str(production))
    assert (status, out) == (1, f"{config}:2: CONFIG_FILE is the path of this config file, "
                                "from the environment variable SVC_CFG: the file is already "
                                "read, so a value here has no effect; remove it\n")


def _credentials_like(read_back: str) -> str:
    """A production module that applies the config, then (maybe) reads a key of it again."""
    return f'''\
import yaml

from service.settings.base import *

#: Where uploaded files go.
FILE_STORAGE_BACKEND = {{}}

with open("/etc/svc.yml", encoding="utf-8") as f:
    config_from_yaml = yaml.safe_load(f)
    vars().update(config_from_yaml)
{read_back}'''


def test_a_read_of_the_own_config_key_has_its_fallback_as_default(tmp_path, capsys,
                                                                   monkeypatch):
    """``X = config_from_yaml.get("X", {})``: the default is still ``{}``, in the
    reference and in the diff between releases (no "changed the default")."""
    from tests.changelog.repository import PACKAGE, make_repository

    again = '    FILE_STORAGE_BACKEND = config_from_yaml.get("FILE_STORAGE_BACKEND", {})\n' \
        '    EXTRA = config_from_yaml.get("EXTRA")\n'
    packages = {"__init__.py": "", "../__init__.py": ""}
    make_repository(tmp_path, {
        "v1": {**packages, "base.py": BASE, "production.py": _credentials_like("")},
        "v2": {**packages, "base.py": BASE.replace("DEBUG = True", "DEBUG = False"),
               "production.py": _credentials_like(again)},
    })
    monkeypatch.chdir(tmp_path)
    production = f"{PACKAGE}/production.py"
    status, out = _run(capsys, "diff", "v1", "v2", "--settings", production)
    assert status == 0
    assert out == (
        "Settings\n~~~~~~~~\n\n"
        "- Added ``EXTRA``, default ``None``.\n"
        "- Changed the default of ``DEBUG`` from ``True`` to ``False``.\n")
    main(["settings", "--settings", production, "--format", "json"])
    defaults = {s["name"]: s["default"] for s in json.loads(capsys.readouterr().out)["settings"]}
    assert (defaults["FILE_STORAGE_BACKEND"], defaults["EXTRA"]) == ("{}", "None")


#: A service that sets some settings again after applying the config, the ways the IDAs do.
SET_AFTER = '''\
from os import environ
from urllib.parse import urljoin

import yaml

from svc.settings.base import *

#: The service's own address.
SERVICE_URL = "http://localhost"
#: Its API.
API_URL = "http://localhost/api"
#: A currency.
CURRENCY = "USD"
#: Storage.
STORAGE = {}

with open(environ["SVC_CFG"], encoding="utf-8") as f:
    config_from_yaml = yaml.safe_load(f)
    APPLY

API_URL = urljoin(f"{SERVICE_URL}/", "api/v1/")
CURRENCY = environ.get("CURRENCY", CURRENCY)
STORAGE = config_from_yaml.get("STORAGE", {})
if DEBUG:
    ALLOWED_HOSTS = ["*"]
'''


@pytest.mark.parametrize("apply", [
    "vars().update(config_from_yaml)",
    "for key, value in config_from_yaml.items():\n        globals()[key] = value",
    "vars().update({k: v for k, v in config_from_yaml.items() if k != 'X'})",
    "vars().update(yaml.safe_load(f))",
])
def test_a_setting_set_after_the_config_is_loaded_is_not_configurable(
        tmp_path, capsys, monkeypatch, apply):
    """``API_URL = urljoin(...)`` after ``vars().update(config_from_yaml)``: a value in the
    config has no effect.  check-config says so, the sample leaves it out, the strict
    schema refuses it; a setting the code reads from itself or the config again (CURRENCY,
    STORAGE), or sets under a condition (ALLOWED_HOSTS: the check says a value may have no
    effect), stays configurable; the sample names the file of a change in another one."""
    module = SET_AFTER.replace("APPLY", apply)
    line = module.splitlines().index('API_URL = urljoin(f"{SERVICE_URL}/", "api/v1/")') + 1
    hosts = module.splitlines().index('    ALLOWED_HOSTS = ["*"]') + 1
    production = _package(tmp_path, module)
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "svc.yml"
    config.write_text("SERVICE_URL: https://svc\nAPI_URL: https://svc/api\nCURRENCY: EUR\n"
                      "STORAGE: {}\nALLOWED_HOSTS: [svc]\n")

    status, out = _run(capsys, "check-config", str(config), "--settings", str(production),
                       "--schema")
    assert (status, out) == (1, (
        f"{config}:2: API_URL is set after the config is loaded (production.py:{line}): a value "
        "here has no effect; remove it\n"
        f"{config}:5: ALLOWED_HOSTS may have no effect: it is set again after the config is "
        f"loaded (line {hosts} of production.py, under 'if DEBUG')\n"))

    status, sample = _run(capsys, "sample-config", "--settings", str(production))
    assert "API_URL" not in sample
    assert f"# ALLOWED_HOSTS: ...  (computed in base.py: []; changed on line {hosts}\n" \
        "# of production.py)\n" in sample
    for name in ("SERVICE_URL", "CURRENCY", "STORAGE", "ALLOWED_HOSTS"):
        assert f"# {name}:" in sample

    status, schema = _run(capsys, "schema", "--settings", str(production))
    properties = json.loads(schema)["properties"]
    assert "API_URL" not in properties and {"SERVICE_URL", "CURRENCY"} <= set(properties)

    status, out = _run(capsys, "settings", "--settings", str(production), "--format", "json")
    found = {s["name"]: s.get("set_after_config") for s in json.loads(out)["settings"]}
    assert found["API_URL"] == line
    assert "set_after_config" not in json.loads(out)["settings"][0]  # written only when set
    assert {found[n] for n in ("SERVICE_URL", "CURRENCY", "STORAGE", "ALLOWED_HOSTS")} == {None}


#: A service that reads names after applying the config that no module binds (xqueue's
#: ``LOGGING = get_logger_config(LOG_DIR, ...)``), beside names that are bound.
CONFIG_ONLY = '''\
from os import environ
from string import ascii_letters as LETTERS

import yaml

from svc.settings.base import *

def HANDLER(level):
    return level

with open(environ["SVC_CFG"], encoding="utf-8") as f:
    config_from_yaml = yaml.safe_load(f)
    vars().update(config_from_yaml)

LOGGING = {"dir": LOG_DIR, "debug": DEBUG, "letters": LETTERS, "handler": HANDLER(LEVEL)}
LEVELS = [N for N in range(3)] + list(map(lambda K: K, ALLOWED_HOSTS))
'''


def test_a_name_read_after_the_config_that_nothing_binds_is_a_required_key(
        tmp_path, capsys, monkeypatch):
    """``LOG_DIR`` and ``LEVEL``: only the config sets them (the code fails without them):
    required keys in the check, the sample, the schema; the reference says so.  Names a
    star import, an import, a def, a comprehension or a lambda binds are no keys."""
    production = _package(tmp_path, CONFIG_ONLY)
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "svc.yml"
    config.write_text("LOG_DIR: /var/log\n")

    status, out = _run(capsys, "check-config", str(config), "--settings", str(production))
    assert (status, out) == (1, f"{config}: required setting LEVEL is missing: add 'LEVEL: ...' "
                                "(the service refuses to start without it)\n")
    config.write_text("LOG_DIR: /var/log\nLEVEL: INFO\n")
    assert _run(capsys, "check-config", str(config), "--settings", str(production)) == (
        0, f"{config}: no problems\n")

    status, sample = _run(capsys, "sample-config", "--settings", str(production))
    assert "LOG_DIR: <required>\n" in sample and "LEVEL: <required>\n" in sample
    status, schema = _run(capsys, "schema", "--settings", str(production))
    assert json.loads(schema)["required"] == ["LOG_DIR", "LEVEL"]

    status, out = _run(capsys, "settings", "--settings", str(production))
    line = CONFIG_ONLY.splitlines().index("    vars().update(config_from_yaml)") + 1
    assert ".. setting:: LOG_DIR\n\n   :Required: yes\n   :Set by: the YAML config only: no " \
        f"settings module gives it a value\n   :Source: svc/settings/production.py, line {line}" \
        in out
    assert f"svc/settings/production.py:{line}: setting LOG_DIR is read once the YAML config " \
        "is applied here, and only the config sets it: declare it before this line, with a " \
        "'#:' comment" in out
    for name in ("LETTERS", "HANDLER", "N", "K"):
        assert f".. setting:: {name}\n" not in out


#: Assignments after the config that keep what the config gives (lms/envs/production.py).
KEEPS_CONFIG = '''\
from os import environ

import yaml

from svc.settings.base import *

#: Key id.
AWS_KEY = None
#: Queues.
QUEUES = {}
#: Log dir.
LOG_DIR = "/var/log"

with open(environ["SVC_CFG"], encoding="utf-8") as f:
    _YAML = yaml.safe_load(f)
    vars().update({k: v for k, v in _YAML.items() if k != "QUEUES"})

if AWS_KEY == "":
    AWS_KEY = None
_QUEUES = _YAML.get("QUEUES")
if _QUEUES:
    QUEUES = {queue: {} for queue in _QUEUES}
if "LOG_DIR" not in _YAML:
    LOG_DIR = "/tmp"
if DEBUG:
    ALLOWED_HOSTS = ["*"]
'''


def test_an_assignment_under_a_test_of_the_setting_or_its_key_keeps_the_config_value(
        tmp_path, capsys, monkeypatch):
    """``if AWS_KEY == "": AWS_KEY = None``, ``QUEUES`` built from a name taken from its
    key, ``if "LOG_DIR" not in _YAML``: a value the config gives takes effect, and the
    check says nothing of them; ``if DEBUG: ALLOWED_HOSTS = ...`` may still replace it."""
    production = _package(tmp_path, KEEPS_CONFIG)
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "svc.yml"
    config.write_text("AWS_KEY: k\nQUEUES: [a]\nLOG_DIR: /x\nALLOWED_HOSTS: [svc]\n")
    hosts = KEEPS_CONFIG.splitlines().index('    ALLOWED_HOSTS = ["*"]') + 1

    assert _run(capsys, "check-config", str(config), "--settings", str(production)) == (1, (
        f"{config}:4: ALLOWED_HOSTS may have no effect: it is set again after the config is "
        f"loaded (line {hosts} of production.py, under 'if DEBUG')\n"))


#: Names read after the config only where the code may not run, or bound by a pattern.
CONDITIONAL_READS = '''\
from os import environ

import yaml

from svc.settings.base import *

with open(environ["SVC_CFG"], encoding="utf-8") as f:
    vars().update(yaml.safe_load(f))

if DEBUG:
    EXTRA = LOG_LEVEL + LATER
try:
    SENTRY
except NameError:
    SENTRY = None
try:
    HOSTS = list(NEEDED)
except ImportError:
    HOSTS = []
match DEBUG:
    case {"k": MATCHED}:
        Z = MATCHED
LEVELS = [LATER]
'''


def test_a_name_read_after_the_config_only_under_a_condition_is_an_optional_key(
        tmp_path, capsys, monkeypatch):
    """``LOG_LEVEL`` read under ``if DEBUG:``, ``SENTRY`` in a ``try`` that catches
    ``NameError``: the service starts without them, so the check does not ask for them
    and the sample says they are optional; ``NEEDED`` in a ``try`` catching another error
    is required, as ``LATER`` read under a condition, then always; ``MATCHED``, bound by
    a ``case`` pattern, is no key at all."""
    production = _package(tmp_path, CONDITIONAL_READS)
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "svc.yml"
    config.write_text("DEBUG: false\n")

    assert _run(capsys, "check-config", str(config), "--settings", str(production)) == (1, "".join(
        f"{config}: required setting {name} is missing: add '{name}: ...' (the service "
        "refuses to start without it)\n" for name in ("LATER", "NEEDED")))
    _, sample = _run(capsys, "sample-config", "--settings", str(production))
    assert "NEEDED: <required>\n" in sample
    assert "# LOG_LEVEL: ...  (optional; the code reads it only under a condition)\n" in sample
    assert "# SENTRY: ...  (optional; the code reads it only under a condition; changed on\n" \
        in sample
    assert "MATCHED:" not in sample
    _, schema = _run(capsys, "schema", "--settings", str(production))
    properties = json.loads(schema)["properties"]
    assert json.loads(schema)["required"] == ["LATER", "NEEDED"]
    assert {"LOG_LEVEL", "SENTRY"} <= set(properties) and "MATCHED" not in properties


def test_a_setting_set_only_when_its_variable_is_there_is_not_required(
        tmp_path, capsys, monkeypatch):
    """``if "SVC_CFG" in environ: CONFIG_FILE = environ["SVC_CFG"]`` (enterprise-access):
    the service starts without the variable, so the reference does not call the setting
    required; it still names the variable, as the sample does."""
    production = _package(tmp_path, ENV_REQUIRED.replace(
        "CONFIG_FILE = environ['SVC_CFG']\nwith open(CONFIG_FILE",
        "if 'SVC_CFG' in environ:\n    CONFIG_FILE = environ['SVC_CFG']\nwith open('x'"))
    monkeypatch.chdir(tmp_path)

    _, out = _run(capsys, "settings", "--settings", str(production))
    assert ".. setting:: CONFIG_FILE\n\n   :Environment: SVC_CFG\n   :Source:" in out
    _, sample = _run(capsys, "sample-config", "--settings", str(production))
    assert "# CONFIG_FILE: ...  (environment variable SVC_CFG, if set)\n" in sample


def test_the_sample_and_schema_of_several_modules_name_each(tmp_path, capsys, monkeypatch):
    """``--settings base.py --settings production.py``: the sample's header names both
    modules and gives a check command that reads both; the schema names both."""
    production = _package(tmp_path, "from svc.settings.base import *\n#: Zone.\nZONE = 'a'\n")
    monkeypatch.chdir(tmp_path)
    base = production.parent / "base.py"
    given = ["--settings", str(base), "--settings", str(production)]

    _, sample = _run(capsys, "sample-config", *given)
    assert "# Generated by opsdocs from the settings modules\n" \
        "# svc/settings/base.py, svc/settings/production.py.\n" in sample
    assert "# Check it with: opsdocs check-config FILE --settings svc/settings/base.py " \
        "--settings svc/settings/production.py\n" in sample
    _, schema = _run(capsys, "schema", *given)
    assert json.loads(schema)["description"].endswith(
        "Generated by opsdocs from the settings modules svc/settings/base.py, "
        "svc/settings/production.py.")
