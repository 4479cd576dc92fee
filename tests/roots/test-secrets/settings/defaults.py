"""Defaults: the value of every secret here starts with the test's marker."""

import typing

#: Debug mode.
DEBUG = False

#: The signing key, defined more than once.
#:
#: :secret:
#: :default: S3CR3T-MARKER-display
SIGNING_KEY = "S3CR3T-MARKER-assign"
if DEBUG:
    SIGNING_KEY = "S3CR3T-MARKER-conditional"

#: Keys by service.
#:
#: :secret:
SERVICE_KEYS = {"a": "S3CR3T-MARKER-dict"}
SERVICE_KEYS["b"] = "S3CR3T-MARKER-item"
SERVICE_KEYS.update(c="S3CR3T-MARKER-call")

#: Fernet keys.
#:
#: :secret:
FERNET_KEYS = ["S3CR3T-MARKER-list"]
FERNET_KEYS += ["S3CR3T-MARKER-augmented"]

#: Secret by its name alone.
AWS_SECRET_ACCESS_KEY = "S3CR3T-MARKER-byname"

#: Secret by its name, in code that is no literal.
EMAIL_HOST_PASSWORD = config.get("mail", "password", fallback="S3CR3T-MARKER-fallback")
SENTRY_TOKEN = "sk-" + "S3CR3T-MARKER-concatenated"  #: Secret by its name, added up.

# .. setting_name: SHARED_SECRET
# .. setting_default: S3CR3T-MARKER-annotation
# .. setting_description: A secret shared with the LMS.
SHARED_SECRET = "S3CR3T-MARKER-annotated"

#: Seconds to wait; its annotation reads an environment variable when evaluated.
TIMEOUT: typing.sys.modules["os"].environ["OPSDOCS_TEST_SECRET"] = 5

#: Databases: no secret by its name, but its keys look secret.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "PASSWORD": "S3CR3T-MARKER-dict-key",  # a remark: the 'PASSWORD' is set per site
        "OPTIONS": {"sslpassword": "S3CR3T-MARKER-nested-key"},
        "USER": "",
    },
}
DATABASES["default"]["SECRET_KEY"] = "S3CR3T-MARKER-nested-item"
DATABASES["replica"] = {"PASSWORD": "S3CR3T-MARKER-item-dict"}
DATABASES.update(reports=dict(PASSWORD="S3CR3T-MARKER-keyword"))
DATABASES["analytics"] = {"PASSWORD": vault("db", fallback="S3CR3T-MARKER-key-call")}

#: Cache options; a later item sets a password, so the shown default is folded.
CACHES = {"default": {"BACKEND": "redis", "KEY_PREFIX": "site"}}
CACHES["default"]["PASSWORD"] = "S3CR3T-MARKER-folded"
CACHES["PASSWORD"] = "S3CR3T-MARKER-folded-item"

#: The message broker: no secret, but its documented default names a password.
#:
#: :default: ``{"HOST": "broker", "PASSWORD": "S3CR3T-MARKER-display-key"}``, per site
BROKER = {"HOST": "broker", "PASSWORD": ""}

# .. setting_name: SEARCH_BACKEND
# .. setting_default: {"URL": "http://search", "password": "S3CR3T-MARKER-annotation-key"}
# .. setting_description: The search service: no secret, its annotation's default names one.
SEARCH_BACKEND = {"URL": "http://search", "password": "S3CR3T-MARKER-annotation-code"}

#: The grader queue: no secret, but its basic auth is a user and a password.
XQUEUE_INTERFACE = {"url": "http://xqueue", "basic_auth": ["edx", "S3CR3T-MARKER-basic-auth"]}

#: Secret by the end of its name.
SMTP_PASSWD = "S3CR3T-MARKER-passwd"
REDIS_PASS = "S3CR3T-MARKER-pass"  #: Secret by the end of its name.
MAILGUN_APIKEY = "S3CR3T-MARKER-apikey"  #: Secret by the end of its name.
HASH_SALT = "S3CR3T-MARKER-salt"  #: Secret by the end of its name.
GPG_PASSPHRASE = "S3CR3T-MARKER-passphrase"  #: Secret by its name.

#: A user and a password.
HTTP_AUTH = ("edx", "S3CR3T-MARKER-http-auth")

#: No secret by its name; the password in it is, by its shape.
CACHE_URL = "redis://:S3CR3T-MARKER-redis@cache:6379/1"
DATABASE_URL = "postgres://u:S3CR3T-MARKER-postgres@db/x"  #: A password in a URL.
#: An Azure connection string: its key is a secret.
AZURE_STORAGE = ("DefaultEndpointsProtocol=https;AccountName=files;"
                 "AccountKey=S3CR3T-MARKER-azure;EndpointSuffix=core.windows.net")
ALERTS_WEBHOOK = "https://hooks.slack.com/services/T000/B000/S3CR3T-MARKER-slack"  #: Slack.
#: Secrets by their shape, at any depth.
SEARCH = {"hosts": [{"url": "https://elastic:S3CR3T-MARKER-nested-url@search:9200"}],
          "auth": {"HTTP_AUTH": ("elastic", "S3CR3T-MARKER-nested-auth")}}
