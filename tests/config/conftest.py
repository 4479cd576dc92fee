"""The catalog the config tests check against, read from inline sources; the repository and
the config ``opsdocs upgrade`` is tried on."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsdocs.settings.reader import catalog_from_sources
from tests.changelog.repository import make_repository
from tests.changelog.upgrades import V1, V2, V3
from tests.config.sources import DEFAULTS, REQUIRED
from tests.config.upgrades import CONFIG


@pytest.fixture(scope="module")
def catalog():
    return catalog_from_sources("/srv/example_ida/settings",
                                {"required.py": REQUIRED, "defaults.py": DEFAULTS})


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("upgrade") / "repo"
    make_repository(root, {"v1": V1, "v2": V2, "v3": V3})
    return root


@pytest.fixture
def config(repo: Path, tmp_path: Path) -> Path:
    path = tmp_path / "prod.yml"
    path.write_text(CONFIG)
    return path
