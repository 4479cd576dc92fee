"""Code trees the toggles tests write: files by path, read as the reader reads them."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from opsdocs.reading.tree import ScanOptions
from opsdocs.toggles.model import Toggle, ToggleCatalog
from opsdocs.toggles.reader import ReadOptions, read_toggles

#: The day the tests count past-due dates from.
TODAY = date(2025, 6, 1)


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """*files* (path: text or bytes) written under *root*."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def code(text: str) -> str:
    """Python code written indented in a test, dedented."""
    return textwrap.dedent(text)


def read(root: Path, files: dict[str, str | bytes] | None = None, *specs: str,
         scan: ScanOptions | None = None) -> ToggleCatalog:
    """The catalog of *root* (or of *specs* under it) once *files* are written there."""
    write(root, files or {})
    return read_toggles(list(specs) or ["."], ReadOptions(scan or ScanOptions(), TODAY),
                        base=root, search_path=[root])


def by_name(catalog: ToggleCatalog) -> dict[str, Toggle]:
    return {toggle.name: toggle for toggle in catalog}


def checks(catalog: ToggleCatalog, root: Path) -> list[tuple[str, int | None, str]]:
    """Each problem as (file relative to *root*, line, check)."""
    return [(Path(p.file).relative_to(root).as_posix(), p.line, p.check)
            for p in catalog.problems]


def block(name: str, implementation: str = "WaffleFlag", *, use_cases: str = "open_edx",
          extra: str = "") -> str:
    """A toggle's code-annotations block."""
    return (f"# .. toggle_name: {name}\n"
            f"# .. toggle_implementation: {implementation}\n"
            "# .. toggle_default: False\n"
            "# .. toggle_description: Turns it on.\n"
            f"# .. toggle_use_cases: {use_cases}\n"
            "# .. toggle_creation_date: 2024-01-01\n" + extra)
