from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
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


# The fuzz test's profiles: "ci" (the default) tries the same few dozen cases every run;
# HYPOTHESIS_PROFILE=explore tries many random ones.
settings.register_profile("ci", derandomize=True, max_examples=150, deadline=None,
                          database=None, print_blob=True)
settings.register_profile("explore", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
