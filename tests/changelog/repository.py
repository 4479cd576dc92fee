"""A temporary git repository with tagged releases of a settings package, for the tests."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

PACKAGE = "service/settings"

#: Tag -> files of the settings package at that tag (``None``: no package yet).  Between
#: them, every kind of change; v0.4 has a syntax error; v0.10 sorts after v0.4 as a version.
RELEASES: dict[str, Mapping[str, str] | None] = {
    "v0.1": None,
    "v0.2": {
        "required.py": (
            "#: Django's secret key.\n"
            "SECRET_KEY: str\n\n"
            "#: Where the database is.\n"
            "DATABASE_URL: str\n"
        ),
        "defaults.py": (
            "#: Seconds before a request gives up.\n"
            "TIMEOUT = 5\n\n"
            "#: Name of the task queue.\n"
            'OLD_QUEUE = "default"\n\n'
            "#: Turns on debugging.\n"
            "DEBUG = False\n\n"
            "#: How long cached pages live.\n"
            "CACHE_TTL = 60\n\n"
            "#: Logging level.\n"
            'LOG_LEVEL = "INFO"\n'
        ),
    },
    "v0.3": {
        "required.py": (
            "#: Django's secret key.\n"
            "SECRET_KEY: str\n"
        ),
        "defaults.py": (
            "#: Seconds before a request gives up.\n"
            "TIMEOUT = 10\n\n"
            "#: Name of the task queue.\n"
            'QUEUE = "default"\n\n'
            "#: How long cached pages live, in seconds.\n"
            "CACHE_TTL = 60\n\n"
            "#: Logging level.\n"
            'LOG_LEVEL: str = "INFO"\n\n'
            "#: Where the database is.\n"
            'DATABASE_URL = "sqlite:///db.sqlite3"\n\n'
            "#: Turns on feature X.\n"
            "FEATURE_X = False\n"
        ),
    },
    "v0.4": {
        "required.py": (
            "#: Django's secret key.\n"
            "SECRET_KEY: str\n"
        ),
        "defaults.py": "#: Broken.\nTIMEOUT = (\n",
    },
    "v0.10": {
        "required.py": (
            "#: Django's secret key.\n"
            "SECRET_KEY: str\n\n"
            "#: Seconds before a request gives up.\n"
            "TIMEOUT: int\n\n"
            "#: The Redis server.\n"
            "#:\n"
            "#: .. versionadded:: 0.10 (as the doc says)\n"
            "REDIS_URL: str\n"
        ),
        "defaults.py": (
            "#: Name of the task queue.\n"
            'QUEUE = "default"\n\n'
            "#: How long cached pages live, in seconds.\n"
            "#:\n"
            "#: .. deprecated:: 0.10\n"
            "#:    Use the cache's own settings.\n"
            "CACHE_TTL = 60\n\n"
            "#: Logging level.\n"
            'LOG_LEVEL: str = "INFO"\n\n'
            "#: Where the database is.\n"
            'DATABASE_URL = "sqlite:///db.sqlite3"\n\n'
            "#: Turns on feature X.\n"
            "FEATURE_X = False\n"
        ),
    },
}

#: What the working tree adds after the last tag.
UNRELEASED_DEFAULTS = RELEASES["v0.10"]["defaults.py"] + (  # type: ignore[index]
    "\n#: Not released yet.\nBRAND_NEW = 1\n"
)


def git(directory: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
         "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false",
         *args],
        cwd=directory, check=True, capture_output=True, text=True,
    ).stdout


def write_package(root: Path, files: Mapping[str, str] | None) -> None:
    package = root / PACKAGE
    if files is None:
        return
    package.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")


def make_repository(root: Path, releases: Mapping[str, Mapping[str, str] | None] = RELEASES,
                    annotated: bool = True) -> Path:
    """*root* as a repository with one commit and tag per release; the package path."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    (root / "README.rst").write_text("A service.\n")
    for tag, files in releases.items():
        write_package(root, files)
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", f"Release {tag}")
        if annotated:
            git(root, "tag", "-a", tag, "-m", tag)
        else:
            git(root, "tag", tag)
    return root / PACKAGE


@contextmanager
def unreleased_changes(package: Path) -> Iterator[None]:
    """*package*'s working tree with :data:`UNRELEASED_DEFAULTS`, as it was afterwards."""
    defaults = package / "defaults.py"
    saved = defaults.read_text()
    defaults.write_text(UNRELEASED_DEFAULTS)
    try:
        yield
    finally:
        defaults.write_text(saved)


#: Tag -> settings modules at the repository's top: two modules, both changed in v2 (a
#: setting added to the second), for the commands that read several ``--settings``.
MODULES: dict[str, Mapping[str, str] | None] = {
    "v1": {"a.py": "#: A.\nA = 1\n", "b.py": "#: B.\nB = 1\n"},
    "v2": {"a.py": "#: A.\nA = 2\n", "b.py": "#: B.\nB = 2\n\n#: C.\nC = 3\n"},
}


def make_modules_repository(root: Path, releases: Mapping[str, Mapping[str, str] | None]
                            = MODULES) -> Path:
    """*root* as a repository with one commit and tag per release of settings modules at
    its top (``None``: none yet); *root*."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    for tag, files in releases.items():
        for name, text in (files or {}).items():
            (root / name).write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", f"Release {tag}")
        git(root, "tag", tag)
    return root
