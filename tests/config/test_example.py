"""The operator's path through example_ida: sample, fill in, check, start the service."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from opsdocs.cli import main
from tests.helpers import EXAMPLE

SERVICE = EXAMPLE
SETTINGS = SERVICE / "example_ida" / "settings"

pytestmark = pytest.mark.skipif(not SETTINGS.is_dir(), reason="example_ida is not there")

#: What an operator writes in place of each placeholder.
VALUES = {
    "SECRET_KEY": "an-operator-s-long-random-secret-key-0123456789",
    "ALLOWED_HOSTS": "[reports.example.com]",
    "LMS_BASE_URL": "https://courses.example.com",
    "DISCOVERY_API_URL": "https://discovery.example.com/api/v1",
    "BACKEND_SERVICE_EDX_OAUTH2_KEY": "reports-client",
    "BACKEND_SERVICE_EDX_OAUTH2_SECRET": "reports-client-secret",
    "CELERY_BROKER_URL": "memory://",
}


def write_filled_sample(tmp_path: Path, capsys) -> Path:
    sample = tmp_path / "example_ida.yml"
    assert main(["sample-config", "--settings", str(SETTINGS), "-o", str(sample)]) == 0
    text = sample.read_text()
    assert set(yaml.safe_load(text)) == set(VALUES)
    for name, value in VALUES.items():
        text = re.sub(rf"^{name}: .*$", f"{name}: {value}", text, flags=re.MULTILINE)
    # This deployment's database: no MySQL server here.
    text += f"\nDATABASES:\n  default:\n    ENGINE: django.db.backends.sqlite3\n" \
            f"    NAME: {tmp_path / 'db.sqlite3'}\n"
    sample.write_text(text)
    capsys.readouterr()
    return sample


def test_the_filled_in_sample_passes_the_check(tmp_path, capsys):
    sample = write_filled_sample(tmp_path, capsys)
    assert main(["check-config", str(sample), "--settings", str(SETTINGS)]) == 0
    assert capsys.readouterr() == (f"{sample}: no problems\n", "")


def test_the_unfilled_sample_names_every_placeholder(tmp_path, capsys):
    sample = tmp_path / "example_ida.yml"
    assert main(["sample-config", "--settings", str(SETTINGS), "-o", str(sample)]) == 0
    assert main(["check-config", str(sample), "--settings", str(SETTINGS)]) == 1
    err = capsys.readouterr().err
    assert sorted(re.findall(r"required setting (\w+) still holds the sample's placeholder",
                             err)) == sorted(VALUES)


def test_the_service_starts_with_the_filled_in_sample(tmp_path, capsys):
    pytest.importorskip("django")
    sample = write_filled_sample(tmp_path, capsys)
    env = {k: v for k, v in os.environ.items()
           if k not in ("EXAMPLE_IDA_CFG_PATH", "DJANGO_SETTINGS_MODULE")}
    env["EXAMPLE_IDA_CFG_PATH"] = str(sample)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=SERVICE, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
