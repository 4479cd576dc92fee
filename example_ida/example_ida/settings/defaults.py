"""Settings of example_ida with production-ready defaults.

A deployment overrides any of them in the YAML file named by ``EXAMPLE_IDA_CFG_PATH``;
a setting given there replaces the default as a whole (a dictionary is not merged).
"""

from pathlib import Path

# ---- Core ----

#: Directory that holds ``manage.py``; other paths are built from it.
#:
#: :default: the directory of ``manage.py`` (``/app`` in the Docker image)
BASE_DIR: Path = Path(__file__).resolve().parent.parent.parent

#: Show detailed error pages with tracebacks and settings.
#:
#: Never turn this on in production: the error pages show configuration values.
#: Development configurations such as ``devstack.yml`` set it to ``true``.
DEBUG: bool = False

#: Django applications of this service, in the order Django loads them.
#:
#: Configuration files rarely need to change this; the ``reports`` app is this
#: service's own.
INSTALLED_APPS: list[str] = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "example_ida.reports",
]

#: Middleware applied to every request, outermost first.
MIDDLEWARE: list[str] = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

#: Python path of the URL configuration.
ROOT_URLCONF: str = "example_ida.urls"

#: The WSGI application Django's own servers use; gunicorn is pointed at the same
#: object, ``example_ida.wsgi:application``.
WSGI_APPLICATION: str = "example_ida.wsgi.application"

#: Template engines: Django's own, with the templates of installed apps.
TEMPLATES: list[dict] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

#: Type of the automatic primary key of models that do not declare one.
DEFAULT_AUTO_FIELD: str = "django.db.models.BigAutoField"

#: Language of the user interface when the browser asks for none we have.
LANGUAGE_CODE: str = "en-us"

#: Time zone of dates shown to users; dates are stored in UTC (:setting:`USE_TZ`).
TIME_ZONE: str = "UTC"

#: Store dates as time-zone-aware UTC values.  Leave this on.
USE_TZ: bool = True

# ---- Static files ----

#: URL prefix of static files (CSS, JavaScript of the admin).
STATIC_URL: str = "/static/"

#: Directory ``manage.py collectstatic`` copies static files into, and that the
#: web server (or a CDN's origin) serves at :setting:`STATIC_URL`.
#:
#: :default: ``BASE_DIR / "staticfiles"`` (``/app/staticfiles`` in the Docker image)
STATIC_ROOT: Path = BASE_DIR / "staticfiles"

# ---- Database ----

#: Database connections, in `Django's format
#: <https://docs.djangoproject.com/en/stable/ref/settings/#databases>`__.
#:
#: The default expects MySQL 8 on the same host.  A configuration file that sets
#: ``DATABASES`` replaces this whole dictionary, so give every key, including the
#: password (which this service never logs).  ``CONN_MAX_AGE`` keeps connections
#: open between requests; set it below the server's ``wait_timeout``.
DATABASES: dict[str, dict] = {
    "default": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": "example_ida",
        "USER": "example_ida001",
        "PASSWORD": "",
        "HOST": "localhost",
        "PORT": "3306",
        "ATOMIC_REQUESTS": True,
        "CONN_MAX_AGE": 60,
        "OPTIONS": {"charset": "utf8mb4"},
    },
}

# ---- Cache ----

#: Cache backends.  The default is Redis on the same host, database 1 (the broker
#: in :setting:`CELERY_BROKER_URL` uses database 0).
#:
#: Test configurations use ``django.core.cache.backends.locmem.LocMemCache``.
CACHES: dict[str, dict] = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://localhost:6379/1",
        "KEY_PREFIX": "example_ida",
        "TIMEOUT": 300,
    },
}

# ---- Celery ----

#: Run tasks in the calling process instead of sending them to a worker.
#:
#: Only for tests and development: with this on, a slow task slows the request
#: that started it.
CELERY_TASK_ALWAYS_EAGER: bool = False

#: Queue that tasks go to when they name none.  Workers must consume it:
#: ``celery -A example_ida worker -Q example_ida.default``.
CELERY_TASK_DEFAULT_QUEUE: str = "example_ida.default"

# ---- Service URLs ----

#: Root URL of the LMS as this service's servers reach it, when it differs from
#: the public :setting:`LMS_BASE_URL` (a cluster-internal name, for instance).
#:
#: .. versionchanged:: 0.4
#:    Renamed from ``LMS_INTERNAL_ROOT_URL``.
#:
#: :default: the value of :setting:`LMS_BASE_URL`
LMS_INTERNAL_URL: str | None = None

#: Seconds to wait for the LMS and the discovery service before giving up on a
#: request.
LMS_REQUEST_TIMEOUT: float = 5.0

# ---- OAuth ----

#: URL of the LMS's OAuth2 provider, used with
#: :setting:`BACKEND_SERVICE_EDX_OAUTH2_KEY` to get access tokens.
#:
#: :default: :setting:`LMS_INTERNAL_URL` (or :setting:`LMS_BASE_URL`) followed
#:    by ``/oauth2``
BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL: str | None = None

# ---- Feature flags ----

#: Feature flags, each off or on.
#:
#: ``ENABLE_REPORTS_API``
#:    Serve the reports REST API under ``/api/v1/reports/``.
#: ``ENABLE_CSV_EXPORT``
#:    Offer reports as CSV downloads.
#: ``ENABLE_NIGHTLY_PURGE``
#:    Delete stale reports every night, as the ``purge_stale_reports`` management
#:    command does.
#:
#: A ``FEATURES`` mapping in the configuration file replaces this one: list every
#: flag you want on.
FEATURES: dict[str, bool] = {
    "ENABLE_REPORTS_API": True,
    "ENABLE_CSV_EXPORT": False,
}
FEATURES["ENABLE_NIGHTLY_PURGE"] = False

# ---- Reports ----

#: Number of reports per page in the reports API.
#:
#: .. versionadded:: 0.2
#:
#: .. versionchanged:: 0.4
#:    100 instead of 50.
REPORTS_PAGE_SIZE: int = 100

#: How long finished reports are kept, in seconds, before the nightly purge
#: (``FEATURES["ENABLE_NIGHTLY_PURGE"]``, see :setting:`FEATURES`) deletes them.
#: Run by hand, ``manage.py purge_stale_reports`` takes its own ``--older-than``.
#:
#: .. versionchanged:: 0.3
#:    In seconds; it replaces :setting:`REPORTS_RETENTION_DAYS`.
#:
#: :default: 30 days (``2592000``)
REPORTS_RETENTION: int = 60 * 60 * 24 * 30

#: How long finished reports are kept, in days.
#:
#: .. deprecated:: 0.3
#:    Set :setting:`REPORTS_RETENTION` (in seconds) instead.  When this one is set,
#:    it still wins; it will be removed in 1.0.
REPORTS_RETENTION_DAYS: int | None = None

# ---- Security ----

#: Send the session cookie over HTTPS only.  Turn it off only for development
#: without TLS.
SESSION_COOKIE_SECURE: bool = True

#: Send the CSRF cookie over HTTPS only.
CSRF_COOKIE_SECURE: bool = True

#: Seconds a login session lasts.
#:
#: :default: two weeks (``1209600``)
SESSION_COOKIE_AGE: int = 60 * 60 * 24 * 14

#: Origins trusted for unsafe requests (``POST`` ...) that come from another
#: host, such as ``["https://courses.example.com"]``.
CSRF_TRUSTED_ORIGINS: list[str] = []

# ---- Email ----

#: Sender address of the emails this service sends (report-ready notices).
DEFAULT_FROM_EMAIL: str = "reports@example.com"

#: How email is sent.  The default sends through the SMTP server given by Django's
#: ``EMAIL_HOST`` and ``EMAIL_PORT`` settings; development configurations print
#: emails on the console with ``django.core.mail.backends.console.EmailBackend``.
EMAIL_BACKEND: str = "django.core.mail.backends.smtp.EmailBackend"

# ---- Logging ----

#: Logging configuration in `dictConfig format
#: <https://docs.python.org/3/library/logging.config.html#logging-config-dictschema>`__.
#:
#: Everything goes to standard error, one line per record, for the container
#: runtime to collect.  Raise the ``example_ida`` logger to ``DEBUG`` in
#: development.
LOGGING: dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "standard": {
            "format": "%(asctime)s %(levelname)s %(process)d [%(name)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "standard",
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING", "propagate": True},
        "example_ida": {"level": "INFO", "propagate": True},
    },
}
