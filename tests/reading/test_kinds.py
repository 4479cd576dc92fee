"""Every kind of file and every cap: defined once, in opsdocs.reading.kinds, and documented."""

from __future__ import annotations

import ast
import re

from opsdocs.reading import (
    MAX_CACHE_ENTRIES,
    MAX_CHANGED_DEPTH,
    MAX_CHANGED_PARTS,
    MAX_CHECKED_VALUES,
    MAX_DEPTH,
    MAX_INHERITANCE,
    MAX_POWER_BITS,
    MAX_PROJECT_DEPTH,
    MAX_TREE_FILES,
    MAX_YAML_VALUES,
    FileKind,
    kinds,
)
from opsdocs.reading.kinds import (
    MAX_SCHEMA_SECONDS,
    MAX_SETTINGS,
    MAX_SHOWN_DEFAULT,
    MAX_TABLE_LINE,
)
from tests.helpers import REPO

LIMITS_PAGE = REPO / "docs" / "limits.rst"
PACKAGE = REPO / "sphinxext" / "opsdocs"

#: Every kind of file of the project.
KINDS = [value for value in vars(kinds).values() if isinstance(value, FileKind)]


def test_the_limits_are_documented():
    page = LIMITS_PAGE.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^ +(\S.*?\S) {2,}(\d+ [KM]iB)$", page, re.M))
    assert rows == {
        kind.name.capitalize() if kind.name[0].islower() else kind.name:
            f"{kind.limit // 2**20} MiB" if kind.limit % 2**20 == 0 else
            f"{kind.limit // 2**10} KiB"
        for kind in KINDS
    }
    assert len(KINDS) == 8
    assert f"Nesting is capped at {MAX_DEPTH} levels" in page
    assert f"YAML expands to {MAX_YAML_VALUES:,} values at most" in page
    assert f"({MAX_CHECKED_VALUES:,} values)" in page
    text = " ".join(page.split())
    assert f"up to {MAX_PROJECT_DEPTH} directory levels below the project" in text
    assert f"followed up to {MAX_INHERITANCE} deep" in text
    assert f"at most {MAX_CHANGED_PARTS} keys or items" in text
    assert f"down to {MAX_CHANGED_DEPTH} levels" in text
    assert f"make at most {MAX_POWER_BITS} bits" in text
    assert f"keeps the {MAX_CACHE_ENTRIES:,} most recent entries" in text
    assert f"Release notes read at most {MAX_TREE_FILES:,} Python files" in text
    assert f"A settings source has {MAX_SETTINGS:,} settings at most" in text
    assert f"A page shows {MAX_SHOWN_DEFAULT:,} characters of a default" in text
    assert f"cut at {MAX_TABLE_LINE} characters" in text
    assert f"patterns run for {MAX_SCHEMA_SECONDS} seconds at most" in text


def test_every_file_kind_and_cap_is_defined_in_kinds_only():
    """No module but reading/kinds.py makes a FileKind or defines a MAX_ constant."""
    elsewhere = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "reading" / "kinds.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id == "FileKind":
                elsewhere.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: FileKind(...)")
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AnnAssign) else []
            elsewhere += [f"{path.relative_to(PACKAGE)}:{node.lineno}: {target.id}"
                          for target in targets
                          if isinstance(target, ast.Name) and target.id.startswith("MAX_")]
    assert elsewhere == []
