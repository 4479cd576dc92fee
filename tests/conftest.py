from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from tests.helpers import ROOTS

pytest_plugins = ("sphinx.testing.fixtures",)

collect_ignore = ["roots"]

# Sphinx < 7.3 keeps the captured streams private; give tests one spelling for all versions.
if not hasattr(SphinxTestApp, "warning"):
    SphinxTestApp.warning = property(lambda self: self._warning)  # type: ignore[attr-defined]
    SphinxTestApp.status = property(lambda self: self._status)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS
