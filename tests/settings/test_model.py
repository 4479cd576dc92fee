"""The settings model's one secret rule: by name and by shape, what is hidden and what a
harmless value with a secret-looking name keeps showing."""

from __future__ import annotations

import pytest

from opsdocs.settings.reader import catalog_from_sources
from opsdocs.settings.redact import secret_data
from opsdocs.settings.secrets import looks_secret, without_secret_shapes

MARKER = "S3CR3T-MARKER"


@pytest.mark.parametrize(("name", "code"), [
    ("SECRET_KEY", "'dev key'"),
    ("SMTP_PASSWD", "'x'"), ("REDIS_PASS", "'x'"), ("MAILGUN_APIKEY", "'x'"),
    ("APIKEY", "'x'"), ("HASH_SALT", "'x'"), ("GPG_PASSPHRASE", "'x'"),
    ("GPG_PASSPHRASE_FILE", "'x'"),
    ("HTTP_AUTH", "('user', 'pw')"), ("XQUEUE_INTERFACE['basic_auth']", "['edx', 'edx']"),
    ("RETIRED_USER_SALTS", "['abc', 'def']"),  # salts are secrets whatever their words
    ("PASSWORDS", "['hunter']"),
    ("FERNET_KEYS", "['DUMMY KEY CHANGE BEFORE GOING TO PRODUCTION']"),
    ("FERNET_KEYS", "['a1b2c3d4e5']"),
    ("EMAIL_HOST_PASSWORD", "config.get('mail', 'password', fallback='x')"),
    ("EMAIL_HOST_PASSWORD", "ENV_TOKENS.get('EMAIL_HOST_PASSWORD', 'dev-password')"),
    ("SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET", "'x'"),
])
def test_hidden(name, code) -> None:
    assert looks_secret(name, code)


@pytest.mark.parametrize(("name", "code"), [
    # Open edX's own, shown by code-annotations' reference
    ("PROFILE_INFORMATION_REPORT_PRIVATE_FIELDS", "['year_of_birth']"),
    ("DICT_UPDATE_KEYS", "('JWT_AUTH',)"),
    ("AFFILIATE_COOKIE_KEY", "'affiliate_id'"),
    ("ENTERPRISE_BACKEND_SERVICE_EDX_OAUTH2_KEY", "'enterprise-backend-service-key'"),
    ("SOCIAL_AUTH_GOOGLE_OAUTH2_KEY", "'client-id'"),
    ("LMS_SEGMENT_KEY", "_YAML_TOKENS.get('SEGMENT_KEY')"),
    ("SOCIAL_AUTH_LTI_CONSUMER_SECRETS", "_YAML_TOKENS.get('SOCIAL_AUTH_LTI_CONSUMER_SECRETS', {})"),
    ("DB_PASSWORD", "os.environ.get('DB_PASSWORD')"),
    ("DB_PASSWORD", "env('DB_PASSWORD')"),
    ("DB_PASSWORD", "getattr(settings, 'DB_PASSWORD', None)"),
    ("JWT_AUTH", "{'JWT_ISSUER': 'lms'}"),  # configuration, its secret keys hidden apart
    ("CORS_ALLOW_CREDENTIALS", "True"), ("PASSWORD_RESET_RATE", "'5/m'"),
    ("CELERY_DEFAULT_ROUTING_KEY", "'default'"), ("BYPASS", "'x'"),
])
def test_shown(name, code) -> None:
    assert not looks_secret(name, code)


@pytest.mark.parametrize(("text", "shown"), [
    (f"redis://:{MARKER}@cache:6379/1", "redis://:...@cache:6379/1"),
    (f"postgres://u:{MARKER}@db/x", "postgres://u:...@db/x"),
    (f"'amqp://celery:{MARKER}@broker//'", "'amqp://celery:...@broker//'"),
    (f"DefaultEndpointsProtocol=https;AccountName=a;AccountKey={MARKER};EndpointSuffix=x",
     "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=...;EndpointSuffix=x"),
    (f"Server=db;Database=x;User Id=u;Password={MARKER};",
     "Server=db;Database=x;User Id=u;Password=...;"),
    (f"https://hooks.slack.com/services/T000/B000/{MARKER}", "https://hooks.slack.com/..."),
    (f"-----BEGIN RSA PRIVATE KEY-----\nMII{MARKER}\n-----END RSA PRIVATE KEY-----",
     "-----BEGIN RSA PRIVATE KEY-----...\n\n-----END RSA PRIVATE KEY-----"),
    (f"xoxb-1234-{MARKER}", "xoxb-..."),
    ("https://example.com/path?x=1", "https://example.com/path?x=1"),
    ("redis://cache:6379/1", "redis://cache:6379/1"),
    ("connect(password=DB_PASSWORD)", "connect(password=DB_PASSWORD)"),
])
def test_secrets_by_their_shape(text, shown) -> None:
    assert without_secret_shapes(text) == shown


def test_data_read_from_yaml_follows_the_same_rule() -> None:
    assert secret_data("MYSQL_ROOT_PASSWORD", "pw")
    assert secret_data("HTTP_AUTH", ["user", "pw"])
    assert not secret_data("PROFILE_INFORMATION_REPORT_PRIVATE_FIELDS", ["year_of_birth"])
    assert not secret_data("MYSQL_ROOT_PASSWORD", "")
    assert not secret_data("DB_PASSWORD", 3306)


def test_what_a_reference_shows_of_both_lists() -> None:
    catalog = catalog_from_sources("/srv/lms/envs", {"required.py": "", "defaults.py": f"""\
# .. setting_name: PROFILE_INFORMATION_REPORT_PRIVATE_FIELDS
# .. setting_default: ["year_of_birth"]
# .. setting_description: Fields private in the report.
PROFILE_INFORMATION_REPORT_PRIVATE_FIELDS = ["year_of_birth"]
DICT_UPDATE_KEYS = ("JWT_AUTH",)
AFFILIATE_COOKIE_KEY = 'affiliate_id'
SOCIAL_AUTH_EDX_OAUTH2_KEY = 'lms-sso-key'
LMS_SEGMENT_KEY = _YAML_TOKENS.get('SEGMENT_KEY')
# .. setting_name: SECRET_KEY
# .. setting_default: 'dev key'
# .. setting_description: Django's key.
SECRET_KEY = '{MARKER}'
CACHES = {{"default": {{"LOCATION": "redis://:{MARKER}@cache:6379/1"}}}}
HTTP_AUTH = ("edx", "{MARKER}")
"""})
    settings = {s.name: s for s in catalog}
    assert {name for name, s in settings.items() if s.secret} == {"SECRET_KEY", "HTTP_AUTH"}
    assert settings["PROFILE_INFORMATION_REPORT_PRIVATE_FIELDS"].default == '["year_of_birth"]'
    assert settings["PROFILE_INFORMATION_REPORT_PRIVATE_FIELDS"].field("setting_default") == \
        '["year_of_birth"]'
    assert settings["DICT_UPDATE_KEYS"].default == '("JWT_AUTH",)'
    assert settings["AFFILIATE_COOKIE_KEY"].default == "'affiliate_id'"
    assert settings["SOCIAL_AUTH_EDX_OAUTH2_KEY"].default == "'lms-sso-key'"
    assert settings["LMS_SEGMENT_KEY"].default == "_YAML_TOKENS.get('SEGMENT_KEY')"
    assert settings["CACHES"].default == '{"default": {"LOCATION": "redis://:...@cache:6379/1"}}'
    # a secret's annotation default stays a field, saying nothing
    assert settings["SECRET_KEY"].field("setting_default") == "..."
    assert MARKER not in repr(catalog)
