"""Reading settings statically: pure functions over inline sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sphinx.pycode import ModuleAnalyzer

from opsdocs.errors import OpsdocsError
from opsdocs.settings.doc_metadata import split_metadata
from opsdocs.settings.reader import (
    catalog_from_sources,
    read_settings_package,
    read_settings_source,
    source_from_specs,
)
from opsdocs.settings.snapshot import SNAPSHOT_VERSION, catalog_from_json, catalog_to_json
from tests.helpers import REPO, found
from tests.settings.support import read


@pytest.mark.parametrize("source", [
    "#: Doc.\nSECRET_KEY: str\n",
    "#: Doc.\nSECRET_KEY = None\n",
    "#: Doc.\nSECRET_KEY: str = None\n",
    "#: Doc.\nSECRET_KEY = REQUIRED\n",
    "#: Doc.\nSECRET_KEY: str = REQUIRED\n",
])
def test_required_declarations(source):
    settings, problems = read(source, required=True)
    assert list(settings) == ["SECRET_KEY"]
    assert settings["SECRET_KEY"].required
    assert settings["SECRET_KEY"].default is None
    assert problems == []


def test_required_with_a_real_value_is_a_problem():
    _, problems = read('#: Doc.\nNAME = "Open edX"\n', required=True)
    assert problems == [(2, "required-value")]


@pytest.mark.parametrize("source", [
    "lowercase = 1\n", "_PRIVATE = 1\n", "Mixed_Case = 1\n", "def f():\n    INNER = 1\n",
    "class C:\n    ATTR = 1\n", "from .base import *\n", "REQUIRED = object()\n",
])
def test_not_settings(source):
    settings, _ = read(source)
    assert settings == {}


def test_undocumented_is_a_problem_with_its_line():
    _, problems = read("A = 1\n#: Doc.\nB = 2\n")
    assert problems == [(1, "undocumented")]


def test_docs_equal_autodoc_exactly():
    """Differential: what we extract is what ModuleAnalyzer gives autodoc."""
    for path in found((REPO / "tests/roots/test-settings/settings").glob("*.py")):
        source = path.read_text()
        settings, _ = read_settings_source(source, str(path), required=path.stem == "required")
        analyzer = ModuleAnalyzer.for_string(source, "m", str(path))
        expected = {name: "\n".join(lines).strip() for (_, name), lines
                    in analyzer.find_attr_docs().items()}
        assert settings
        for setting in settings:
            assert setting.doc == split_metadata(expected[setting.name])[0]


def test_package_with_a_broken_file_still_reads_the_other(tmp_path):
    (tmp_path / "required.py").write_text("#: Doc.\nA: str\n")
    (tmp_path / "defaults.py").write_bytes(b"#: Doc\nB = '\xff'\n")
    catalog = read_settings_package(tmp_path)
    assert [s.name for s in catalog] == ["A"]
    assert [(p.check, p.line) for p in catalog.problems] == [("syntax", 2)]


def test_overlap_between_required_and_defaults():
    catalog = catalog_from_sources("s", {
        "required.py": "#: Doc.\nA: str\n", "defaults.py": "#: Doc.\nA = 1\n",
    })
    assert [(p.check, p.file, p.line) for p in catalog.problems] == [
        ("duplicate", "s/defaults.py", 2)]


def test_snapshot_round_trip_and_version_check(tmp_path):
    catalog = read_settings_package(REPO / "tests/roots/test-settings/settings")
    data = json.loads(json.dumps(catalog_to_json(catalog)))
    assert data["version"] == SNAPSHOT_VERSION
    assert catalog_from_json(data).settings == catalog.settings
    data["version"] = SNAPSHOT_VERSION + 1
    with pytest.raises(OpsdocsError, match="newer than this opsdocs understands"):
        catalog_from_json(data, "snap.json")


def test_every_setting_of_a_real_settings_module_comes_out():
    """Differential on a long real-world module: Django's own global settings."""
    global_settings = pytest.importorskip("django.conf.global_settings")
    path = Path(global_settings.__file__)
    settings, _ = read_settings_source(path.read_text(), str(path), required=False)
    expected = {name for name in vars(global_settings) if name.isupper()}
    assert {s.name for s in settings} == expected
    by_name = {s.name: s for s in settings}
    assert by_name["DEBUG"].value == "False"
    assert by_name["LANGUAGES"].value.startswith("[\n")
    assert by_name["LANGUAGES"].value.endswith("]")


def test_several_files_and_dotted_paths(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "common.py").write_text("A = 1\nB = 1\n")
    (tmp_path / "pkg" / "local.py").write_text("B = 2\n")
    catalog = source_from_specs(["pkg.common", "pkg/local.py"], base=tmp_path, search_path=[tmp_path])
    assert [(s.name, s.value) for s in catalog] == [("A", "1"), ("B", "2")]
