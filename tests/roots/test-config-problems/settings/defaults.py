"""Defaults, for the config check's warnings."""

#: Show debug pages.
DEBUG: bool = False

#: Seconds to wait for the LMS.
TIMEOUT: float = 5

#: Old name of TIMEOUT, in whole seconds.
#:
#: .. deprecated:: 2.0
#:    Set ``TIMEOUT`` instead.
OLD_TIMEOUT: int | None = None
