#!/usr/bin/env python
"""Django's command-line utility for example_ida; run it from this directory.

The settings come from ``example_ida.settings`` and the YAML file named by
``EXAMPLE_IDA_CFG_PATH``.  When that configuration is incomplete the service refuses
to start and says why, without a traceback.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_ida.settings")
    from django.core.management import execute_from_command_line

    from opsdocs.loader import ConfigurationError

    try:
        execute_from_command_line(sys.argv)
    except ConfigurationError as error:
        sys.exit(f"example_ida refuses to start: {error}")


if __name__ == "__main__":
    main()
