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

# .. setting_name: SHARED_SECRET
# .. setting_default: S3CR3T-MARKER-annotation
# .. setting_description: A secret shared with the LMS.
SHARED_SECRET = "S3CR3T-MARKER-annotated"

#: Seconds to wait; its annotation reads an environment variable when evaluated.
TIMEOUT: typing.sys.modules["os"].environ["OPSDOCS_TEST_SECRET"] = 5
