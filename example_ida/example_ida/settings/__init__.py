"""Settings of example_ida, the OEP-45 way.

``required.py`` declares what every deployment must provide, ``defaults.py`` gives
production-ready values for everything else, and the YAML file named by
``EXAMPLE_IDA_CFG_PATH`` overrides both.  The service refuses to start, naming every
missing required setting, when that file does not give them all.

No settings are defined in this module: it only applies the configuration and
computes the defaults that depend on it (documented in defaults.py with ``:default:``).
"""

from typing import Any

from django.conf import global_settings

from opsdocs.loader import apply_config

from . import required
from .defaults import *  # noqa: F403
from .required import *  # noqa: F403

# Strict: a misspelt key stops the service instead of being silently ignored.  Django's
# own settings (EMAIL_HOST ...) may be set too, although defaults.py does not list them.
apply_config(
    globals(),
    env_var="EXAMPLE_IDA_CFG_PATH",
    required=required,
    strict=True,
    known=dir(global_settings),
)


def _derive(settings: dict[str, Any]) -> None:
    """Fill in the defaults computed from other settings, after the configuration."""
    if settings["LMS_INTERNAL_URL"] is None:
        settings["LMS_INTERNAL_URL"] = settings["LMS_BASE_URL"]
    if settings["BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL"] is None:
        root = settings["LMS_INTERNAL_URL"].rstrip("/")
        settings["BACKEND_SERVICE_EDX_OAUTH2_PROVIDER_URL"] = f"{root}/oauth2"
    if settings["REPORTS_RETENTION_DAYS"] is not None:  # deprecated in 0.3, still honoured
        settings["REPORTS_RETENTION"] = settings["REPORTS_RETENTION_DAYS"] * 24 * 60 * 60


_derive(globals())
