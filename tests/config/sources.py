"""Settings sources the config tests share, and what an operator does with a sample."""

from __future__ import annotations

import yaml

REQUIRED = '''\
"""Required."""

# ---- Service ----

#: Public URL of the LMS.
LMS_BASE_URL: str

#: Key that signs sessions.
#:
#: :secret:
SECRET_KEY: str

#: Ports to listen on.
PORTS: list[int]

#: Anything at all.
EXTRA = None
'''

DEFAULTS = '''\
"""Defaults."""
import os
from typing import Literal

# ---- Core ----

#: Show debug pages.
DEBUG: bool = False

#: Seconds to wait.
TIMEOUT: float = 5

#: Hosts.
ALLOWED_HOSTS: list[str] = ["localhost"]

#: Flags.
FEATURES: dict[str, bool] = {"A": True}
FEATURES["B"] = False

#: Home.
#:
#: :default: the user's home
HOME = os.environ.get("HOME", "/")

#: Token of the mail service.
#:
#: :secret:
MAIL_TOKEN: str = "dev-token-123"

#: Mode.
MODE: Literal["fast", "slow"] = "fast"

#: Where reports go.
REPORTS_DIR: "str | None" = None

# ---- Compatibility ----

#: Old timeout.
#:
#: .. deprecated:: 2.0
#:    Set ``TIMEOUT``
#:    instead.
OLD_TIMEOUT: int | None = None
'''


def fill_in(sample: str, values: dict[str, str]) -> str:
    """The sample with each required setting's placeholder replaced, as an operator would."""
    assert set(yaml.safe_load(sample)) == set(values)
    return "\n".join(
        f"{line.split(':')[0]}: {values[line.split(':')[0]]}"
        if line.split(":")[0] in values else line
        for line in sample.splitlines()
    ) + "\n"


GOOD = """\
LMS_BASE_URL: https://lms.example.com
SECRET_KEY: s3cret
PORTS: [8000, 8001]
EXTRA: {anything: [1, true]}
"""


