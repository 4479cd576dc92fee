"""Reading settings statically: pure functions over inline sources."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from sphinx.pycode import ModuleAnalyzer

from opsdocs.errors import OpsdocsError
from opsdocs.settings.doc_metadata import split_metadata
from opsdocs.settings.model import Definition
from opsdocs.settings.reader import (
    catalog_from_sources,
    read_settings_package,
    read_settings_source,
)
from opsdocs.settings.snapshot import SNAPSHOT_VERSION, catalog_from_json, catalog_to_json
from tests.helpers import REPO, found


def read(source: str, *, required: bool = False):
    settings, problems = read_settings_source(
        textwrap.dedent(source), "settings/x.py", required=required
    )
    return {s.name: s for s in settings}, [(p.line, p.check) for p in problems]


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


def test_default_is_the_source_text_exactly_as_written():
    settings, _ = read('''
        #: Databases.
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.mysql",  # comment kept
                "NAME": os.environ.get("DB", "app"),
            },
        }
        #: Computed.
        TIMEOUT = 60 * 5
    ''')
    assert settings["DATABASES"].value == textwrap.dedent('''\
        {
            "default": {
                "ENGINE": "django.db.backends.mysql",  # comment kept
                "NAME": os.environ.get("DB", "app"),
            },
        }''')
    assert settings["TIMEOUT"].value == "60 * 5"
    assert settings["DATABASES"].line == 3


def test_non_ascii_values_are_sliced_by_characters():
    settings, _ = read('#: Doc.\nNAME = "Café ☕"; OTHER = "é"  #: Other.\n')
    assert settings["NAME"].value == '"Café ☕"'
    assert settings["OTHER"].value == '"é"'


def test_multi_target_and_unpacking():
    settings, _ = read('#: Doc.\nA = B = [1]\n#: Pair.\nC, D = 1, "two"\n')
    assert (settings["A"].value, settings["B"].value) == ("[1]", "[1]")
    assert (settings["C"].value, settings["D"].value) == ("1", '"two"')


def test_augmented_item_and_call_changes_are_kept_in_order():
    settings, _ = read('''
        #: Apps.
        INSTALLED_APPS = ["a"]
        INSTALLED_APPS += ["b"]
        #: Flags.
        FEATURES = {}
        FEATURES["X"] = True
        FEATURES.update({"Y": False})
    ''')
    apps = settings["INSTALLED_APPS"]
    assert apps.value == '["a"]'
    assert apps.changes == (Definition("augmented", 4, '["b"]', operator="+="),)
    assert [d.kind for d in settings["FEATURES"].definitions] == ["assign", "item", "call"]
    assert settings["FEATURES"].definitions[1].key == '"X"'


def test_conditional_definitions_are_all_shown():
    settings, _ = read('''
        import os
        #: Debug.
        if os.environ.get("DEV"):
            DEBUG = True
        elif False:
            DEBUG = None
        else:
            DEBUG = False
        try:
            import fast
            #: Backend.
            BACKEND = "fast"
        except ImportError:
            BACKEND = "slow"
    ''')
    conditions = [(d.value, d.condition) for d in settings["DEBUG"].definitions]
    assert conditions == [
        ("True", 'if os.environ.get("DEV")'),
        ("None", 'if not (os.environ.get("DEV")), if False'),
        ("False", 'if not (os.environ.get("DEV")), if not (False)'),
    ]
    assert [(d.value, d.condition) for d in settings["BACKEND"].definitions] == [
        ('"fast"', "try"), ('"slow"', "except ImportError"),
    ]


def test_plain_definition_is_the_main_one_when_a_conditional_comes_first():
    settings, _ = read('#: Doc.\nif X:\n    A = 1\nA = 2\n')
    assert settings["A"].value == "2"
    assert settings["A"].changes[0].condition == "if X"


@pytest.mark.parametrize("source", [
    "lowercase = 1\n", "_PRIVATE = 1\n", "Mixed_Case = 1\n", "def f():\n    INNER = 1\n",
    "class C:\n    ATTR = 1\n", "from .base import *\n", "REQUIRED = object()\n",
])
def test_not_settings(source):
    settings, _ = read(source)
    assert settings == {}


def test_metadata_fields_are_taken_out_of_the_doc():
    settings, _ = read('''
        #: The key.
        #:
        #: :secret:
        #: :example: ``abc``
        #: :default: computed from
        #:    :setting:`OTHER`
        KEY = compute()

        #: The name.
        #:
        #: :default: computed from
        #:    :setting:`OTHER`
        NAME = compute()
    ''')
    key = settings["KEY"]
    assert key.doc == "The key."
    assert key.secret and key.example == "``abc``"
    # A secret keeps no value text, not even its :default: line: secret wins over everything.
    assert (key.value, key.default_display, key.default) == (None, None, None)
    assert key.has_default
    name = settings["NAME"]
    assert (name.doc, name.default_display) == ("The name.", "computed from\n:setting:`OTHER`")


def test_version_directives_are_recorded():
    settings, _ = read('''
        #: Old.
        #:
        #: .. versionadded:: 0.2
        #: .. deprecated:: 0.3
        #:    Use NEW.
        OLD = 1
    ''')
    assert (settings["OLD"].added, settings["OLD"].deprecated) == ("0.2", "0.3")
    assert ".. deprecated:: 0.3" in settings["OLD"].doc


def test_section_comments_group_settings():
    settings, _ = read('''
        # ---- Database ----
        #: Doc.
        DB = 1

        # ------------------
        # Celery
        # ------------------
        #: Doc.
        BROKER = 2
    ''')
    assert (settings["DB"].section, settings["BROKER"].section) == ("Database", "Celery")


def test_undocumented_is_a_problem_with_its_line():
    _, problems = read("A = 1\n#: Doc.\nB = 2\n")
    assert problems == [(1, "undocumented")]


def test_syntax_error_names_file_and_line():
    with pytest.raises(OpsdocsError) as info:
        read("A = 1\nB = (\n")
    assert info.value.problem.file == "settings/x.py"
    assert info.value.problem.line == 2
    assert str(info.value).startswith("settings/x.py:2: syntax error:")


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
