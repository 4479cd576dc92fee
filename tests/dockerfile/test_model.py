"""The Dockerfile model's one secret rule for ARG and ENV values."""

from __future__ import annotations

import pytest

from opsdocs.dockerfile.model import BuildArg, EnvVar, secret_name, secret_value


@pytest.mark.parametrize(("name", "value", "secret"), [
    ("DB_PASSWORD", "hunter2", True),
    ("API_TOKEN", "$TOKEN_FROM_ARG", True),  # text, maybe a secret: hidden
    ("DJANGO_SECRET_KEY", "x y z", True),
    ("JWT_PRIVATE_SIGNING_JWK", "{}", True),
    # Numbers and booleans are no secrets, as in settings (CORS_ALLOW_CREDENTIALS = True).
    ("USE_CREDENTIALS", "true", False),
    ("PASSWORD_MIN_LENGTH_KEY", "12", False),
    ("API_KEY", "-1.5", False),
    ("DB_PASSWORD", "", False),  # nothing to hide
    ("DB_PASSWORD", None, False),
    # A name about a secret, not holding one (settings' rule: PASSWORD_RESET_RATE).
    ("PASSWORD_RESET_RATE", "10/m", False),
    ("CELERY_ROUTING_KEY", "default", False),
    ("PYTHON_VERSION", "3.12", False),
    # Secrets by their shape, whatever the name.
    ("DATABASE_URL", "postgres://u:pw@db/x", True),
    ("CACHE_URL", "redis://:pw@cache:6379", True),
    ("SMTP_PASSWD", "x", True),
    ("CACHE_URL", "redis://cache:6379", False),
])
def test_secret_value_is_the_settings_rule_for_text(name, value, secret):
    assert secret_value(name, value) is secret
    assert BuildArg(name, value, 1).secret is secret
    if value is not None:
        assert EnvVar(name, value, 1).secret is secret


def test_secret_name_says_whether_a_missing_value_may_have_been_hidden():
    assert secret_name("DB_PASSWORD") and secret_name("EDX_API_KEY")
    assert not secret_name("PASSWORD_RESET_RATE") and not secret_name("WORKERS")
