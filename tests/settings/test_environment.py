"""Values read from the environment: the variable, and the default standing in for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsdocs.settings.reader import source_from_specs
from tests.settings.support import (
    SOURCES,
    module,
)


@pytest.mark.parametrize(("source", "env", "value", "required"), [
    ('import os\nX = os.environ.get("V", "d")\n', ("V",), '"d"', False),
    ('import os\nX = os.getenv("V")\n', ("V",), "None", False),
    ('import os\nX = int(os.environ.get("V", "5"))\n', ("V",), 'int("5")', False),
    ('import os\nX = os.environ["V"]\n', ("V",), None, True),
    ('from decouple import config\nX = config("V", default=False, cast=bool)\n', ("V",),
     "False", False),
    ('from decouple import config\nX = config("V")\n', ("V",), None, True),
    ('import environ\nenv = environ.Env(V=(bool, True))\nX = env("V")\n', ("V",), "True", False),
    ('import environ\nenv = environ.Env()\nX = env.int("V", default=3)\n', ("V",), "3", False),
    ('import environ\nenv = environ.Env()\nX = env.bool("V", False)\n', ("V",), "False", False),
])
def test_environment_reads(tmp_path: Path, source: str, env: tuple[str, ...],
                           value: str | None, required: bool) -> None:
    setting = module(tmp_path, source).get("X")
    assert (setting.env_vars, setting.value, setting.required) == (env, value, required)


def test_twelve_factor_settings_show_their_variables() -> None:
    catalog = source_from_specs([SOURCES / "twelve_factor" / "settings.py"])
    shown = {s.name: (s.env_vars, s.value, s.required) for s in catalog}
    assert shown["DEBUG"] == (("DJANGO_DEBUG",), "False", False)  # environ.Env scheme default
    assert shown["CELERY_BROKER_URL"] == (("CELERY_BROKER_URL",), None, True)  # decouple
    assert shown["DEFAULT_FROM_EMAIL"] == (("DEFAULT_FROM_EMAIL",), None, True)  # os.environ[]
    assert shown["LOGIN_MAX_ATTEMPTS"] == (("LOGIN_MAX_ATTEMPTS",), 'int("5")', False)
    assert catalog.get("SECRET_KEY").secret
    assert catalog.get("SENTRY_TRACES_SAMPLE_RATE").main.condition == "if SENTRY_DSN"
    assert catalog.get("DATABASES").section == "Database"  # a dash-boxed heading
