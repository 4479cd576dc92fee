"""Reading a settings file again block by block equals reading it whole (differential)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from opsdocs.changelog.diff import diff_catalogs
from opsdocs.changelog.incremental import parse_after, parse_whole
from opsdocs.settings.model import DEFAULT_SENTINELS, SettingsCatalog

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_settings import Generator

BASE = '''\
"""Defaults."""

import os

# ---- Section ----

#: Debugging.
DEBUG = False

#: A timeout.
TIMEOUT: int = 5

#: Flags.
FEATURES = {"A": True}
FEATURES["B"] = False

#: Derived.
DERIVED = TIMEOUT * 2

#: Overridden when debugging.
LEVEL = "INFO"
if DEBUG:
    LEVEL = "DEBUG"

#: From the environment.
HOME = os.environ.get("HOME", "/root")

X = 1; Y = 2

#: Documented after.
AFTER = 1
"""A doc string after it."""

#: The last one.
LAST = [
    1,
    2,
]
'''

#: Each edit of BASE: what a release may change.
EDITS = {
    "default": ("TIMEOUT: int = 5", "TIMEOUT: int = 6"),
    "doc only": ("#: A timeout.", "#: A timeout, in seconds."),
    "item change": ('FEATURES["B"] = False', 'FEATURES["B"] = True'),
    "condition": ("if DEBUG:\n    LEVEL", "if not DEBUG:\n    LEVEL"),
    "base of a derived one": ("DEBUG = False", "DEBUG = True"),
    "docstring after": ('"""A doc string after it."""', '"""Another doc string."""'),
    "assigned after docstring": ("AFTER = 1", "AFTER = 2"),
    "two on a line": ("X = 1; Y = 2", "X = 1; Y = 3"),
    "multi-line": ("    2,\n]", "    3,\n]"),
    "added": ("#: The last one.", "#: New.\nNEW = 1\n\n#: The last one."),
    "removed": ("#: Derived.\nDERIVED = TIMEOUT * 2\n", ""),
    "section comment": ("# ---- Section ----", "# ---- Renamed ----"),
    "string holding code": ("#: The last one.", 'TEXT = """\nLAST = 5\n"""\n\n#: The last one.'),
    "syntax error": ("LAST = [", "LAST = [[["),
    "annotation comment": ("#: Debugging.", "# .. setting_name: DEBUG\n#: Debugging."),
    "star import": ("import os", "import os\nfrom os.path import *"),
    "globals": ("X = 1; Y = 2", "globals()['X'] = 1"),
}


def facts(text: str) -> list[tuple[object, ...]] | str:
    """What the changelog compares of each setting, or the error of a whole parse."""
    try:
        parsed = parse_whole(text, "defaults.py", False, DEFAULT_SENTINELS)
    except Exception as error:  # the reference says what a whole read does
        return type(error).__name__
    return _facts(parsed.settings)


def _facts(settings: object) -> list[tuple[object, ...]]:
    return [(s.name, s.required, s.value, s.default_display, s.example, s.annotation, s.doc,
             s.deprecated, s.secret) for s in settings]  # type: ignore[attr-defined]


def incremental(before: str, after: str) -> list[tuple[object, ...]] | str:
    last = parse_whole(before, "defaults.py", False, DEFAULT_SENTINELS)
    try:
        parsed = parse_after(last, after, "defaults.py", False, DEFAULT_SENTINELS)
    except Exception as error:
        return type(error).__name__
    return _facts(parsed.settings)


@pytest.mark.parametrize("edit", list(EDITS))
def test_each_kind_of_edit_reads_as_the_whole_file(edit: str) -> None:
    old, new = EDITS[edit]
    assert BASE.count(old) == 1
    after = BASE.replace(old, new)
    assert incremental(BASE, after) == facts(after)
    if not isinstance(facts(after), str):  # a file that does not parse is no base
        assert incremental(after, BASE) == facts(BASE)


def test_random_releases_of_a_generated_package_read_as_whole_files(tmp_path: Path) -> None:
    package = tmp_path / "settings"
    Generator(300, 30, seed=7).write(package)
    text = (package / "defaults.py").read_text()
    pick = random.Random(11)
    last = parse_whole(text, "defaults.py", False, DEFAULT_SENTINELS)
    lines = text.splitlines(keepends=True)
    for release in range(25):
        for _ in range(pick.randint(1, 6)):
            index = pick.randrange(len(lines))
            if lines[index][:1].isupper() and " = " in lines[index]:
                name = lines[index].split(" = ")[0].split(":")[0]
                lines[index] = f"{name} = {release}\n" if pick.random() < 0.8 else ""
            elif lines[index].startswith("#:"):
                lines[index] = f"#: Release {release} says so.\n"
        if pick.random() < 0.5:
            lines.append(f"\n#: Added in {release}.\nADDED_{release} = {release}\n")
        text = "".join(lines)
        expected = facts(text)
        try:
            last = parse_after(last, text, "defaults.py", False, DEFAULT_SENTINELS)
        except Exception as error:
            assert type(error).__name__ == expected
            last = parse_whole(BASE, "defaults.py", False, DEFAULT_SENTINELS)
            continue
        assert _facts(last.settings) == expected, release
        whole = SettingsCatalog("", parse_whole(text, "defaults.py", False,
                                                DEFAULT_SENTINELS).settings)
        assert diff_catalogs(whole, SettingsCatalog("", last.settings)) == ()
