"""Production-ready defaults."""
import os

# ---- Features ----

#: Feature flags. See :setting:`LMS_BASE_URL`.
FEATURES: dict[str, bool] = {
    "ENABLE_X": False,
}
FEATURES["ENABLE_Y"] = True

#: Installed apps.
INSTALLED_APPS = ["django.contrib.auth"]
INSTALLED_APPS += ["example"]

# ---- Timeouts ----

#: Request timeout in seconds.
#:
#: .. deprecated:: 2.0
#:    Use ``HTTP_TIMEOUT``.
#:
#: :default: five seconds
TIMEOUT = 5 * 1
