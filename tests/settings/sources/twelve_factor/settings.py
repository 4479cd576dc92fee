"""Twelve-factor settings: every deployment value comes from the environment.

This one file mixes the four common readers on purpose: django-environ, python-decouple,
``os.environ.get`` and ``os.getenv``.
"""
from __future__ import annotations

import os
from pathlib import Path

import environ
from decouple import Csv, config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    # set casting, default value
    DJANGO_DEBUG=(bool, False),
)
environ.Env.read_env(BASE_DIR / ".env")

# ---------------------------------------------------------------------------
# Core settings
# ---------------------------------------------------------------------------

SECRET_KEY = env("DJANGO_SECRET_KEY", default="change-me-in-production")

DEBUG = env("DJANGO_DEBUG")

ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["*"]

# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------

DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default="sqlite:///db.sqlite3",
    ),
}

CONN_MAX_AGE = env.int("DJANGO_CONN_MAX_AGE", default=60)

# ---------------------------------------------------------------------------
# Cache and queues (python-decouple)
# ---------------------------------------------------------------------------
CACHE_URL = config("REDIS_URL", default="redis://localhost:6379/0")
CELERY_BROKER_URL = config("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = config("CELERY_TASK_ALWAYS_EAGER", default=False, cast=bool)
CORS_ALLOWED_ORIGINS = config("CORS_ALLOWED_ORIGINS", default="http://localhost:3000", cast=Csv())

infra_domain = os.getenv("INFRA_API_DOMAIN")
if infra_domain:
    CORS_ALLOWED_ORIGINS.append(f"https://{infra_domain}")

# ---------------------------------------------------------------------------
# Email (os.environ / os.getenv)
# ---------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
DEFAULT_FROM_EMAIL = os.environ["DEFAULT_FROM_EMAIL"]

# Login throttling settings
LOGIN_MAX_ATTEMPTS = int(os.environ.get("LOGIN_MAX_ATTEMPTS", "5"))
LOGIN_LOCKOUT_DURATION_SECONDS = int(
    os.environ.get("LOGIN_LOCKOUT_DURATION_SECONDS", "300")
)

SENTRY_DSN = os.getenv("SENTRY_DSN")
if SENTRY_DSN:
    SENTRY_TRACES_SAMPLE_RATE = float(os.getenv("SENTRY_TRACES_SAMPLE_RATE", "0.1"))

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
