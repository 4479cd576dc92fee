"""The project's own quality gates: lint, types and documentation, run with the tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

BIN = Path(sys.executable).parent


def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], cwd=REPO, capture_output=True, text=True,
                          check=False)


def tool(name: str) -> Path:
    """The test extra's *name* beside this Python, else on PATH; missing fails the test."""
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        if found is None:
            pytest.fail(f"{name} is not installed: scripts/install-test-deps installs it (the "
                        "test extra)", pytrace=False)
        return Path(found)
    return path


def test_ruff():
    result = run(tool("ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy():
    result = run(tool("mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_docs_build_with_warnings_as_errors(tmp_path):
    result = run(sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                 "docs", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_changelog_has_an_unreleased_section():
    assert "Unreleased\n----------" in (REPO / "CHANGELOG.rst").read_text()
