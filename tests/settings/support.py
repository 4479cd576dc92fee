"""Shared by the settings tests: reading inline sources and the Open edX-like modules of
``tests/roots/test-settings-modules``, and running the command line."""

from __future__ import annotations

import io
import textwrap
import tokenize
from pathlib import Path

from opsdocs.cli import main
from opsdocs.settings.model import Setting, SettingsCatalog
from opsdocs.settings.reader import read_settings_source, source_from_specs
from tests.helpers import REPO, ROOTS

SOURCES = REPO / "tests" / "settings" / "sources"
ROOT = ROOTS / "test-settings-modules"
ENVS = ROOT / "lms" / "envs"
COMMON = ENVS / "common.py"
SAMPLEAPP = ROOT / "sampleapp"


def module(tmp_path: Path, source: str, name: str = "settings.py") -> SettingsCatalog:
    """The catalog of *source* (dedented), written as the module *name*."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return source_from_specs([path])


def problems(catalog: SettingsCatalog) -> list[tuple[int | None, str]]:
    """The catalog's problems but "undocumented", as (line, check)."""
    return [(p.line, p.check) for p in catalog.problems if p.check != "undocumented"]


def read(source: str, *, required: bool = False
         ) -> tuple[dict[str, Setting], list[tuple[int | None, str]]]:
    """The settings of *source* (dedented) as a file of an OEP-45 package, by name, and its
    problems as (line, check)."""
    settings, found = read_settings_source(
        textwrap.dedent(source), "settings/x.py", required=required
    )
    return {s.name: s for s in settings}, [(p.line, p.check) for p in found]


def run(capsys, *argv: str | Path) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """The command line's exit status, output and error output."""
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def comments(code: str) -> list[str]:
    """The comments of *code*."""
    return [t.string for t in tokenize.generate_tokens(io.StringIO(code).readline)
            if t.type == tokenize.COMMENT]
