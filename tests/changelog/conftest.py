"""The settings history every changelog test module may read (tests/changelog/repository.py),
and the settings files the changelog parses."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsdocs.changelog import incremental, parse
from tests.changelog.repository import make_repository


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The settings package of a repository tagged with :data:`~tests.changelog.repository.RELEASES`."""
    return make_repository(tmp_path_factory.mktemp("history") / "repo")


@pytest.fixture
def settings_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the changelog reads settings from while the test runs, whole or by blocks."""
    reads: list[str] = []
    real = parse.read_settings_source

    def counting(source, filename, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(filename)
        return real(source, filename, **kwargs)

    monkeypatch.setattr(parse, "read_settings_source", counting)
    monkeypatch.setattr(incremental, "read_settings_source", counting)
    return reads
