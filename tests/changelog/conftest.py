"""The settings history every changelog test module may read: tests/changelog/repository.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.changelog.repository import make_repository


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The settings package of a repository tagged with :data:`~tests.changelog.repository.RELEASES`."""
    return make_repository(tmp_path_factory.mktemp("history") / "repo")
