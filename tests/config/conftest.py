"""The catalog the config tests check against, read from inline sources."""

from __future__ import annotations

import pytest

from opsdocs.settings.reader import catalog_from_sources
from tests.config.sources import DEFAULTS, REQUIRED


@pytest.fixture(scope="module")
def catalog():
    return catalog_from_sources("/srv/example_ida/settings",
                                {"required.py": REQUIRED, "defaults.py": DEFAULTS})
