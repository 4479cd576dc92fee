"""Defaults that suit production."""
import os
from typing import Literal

# ---- Core ----

#: Show debug pages.
DEBUG: bool = False

#: Seconds to wait for the LMS.
TIMEOUT: float = 5

#: Host names to answer.
ALLOWED_HOSTS: list[str] = ["localhost"]

#: Feature flags.
FEATURES: dict[str, bool] = {"A": True}

#: Home directory of the service.
#:
#: :default: the user's home
HOME = os.environ.get("HOME", "/")

#: Token of the mail service.
#:
#: :secret:
MAIL_TOKEN: str = "dev-token-123"

#: How reports are built.
MODE: Literal["fast", "slow"] = "fast"

# ---- Compatibility ----

#: Old name of TIMEOUT, in whole seconds.
#:
#: .. deprecated:: 2.0
#:    Set ``TIMEOUT`` instead.
OLD_TIMEOUT: int | None = None
