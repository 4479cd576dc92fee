"""Module-level statements read with Python's semantics: bindings, changes, conditions,
``del``, plugins; what the reader claims is what runs."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from opsdocs.settings.model import Definition
from opsdocs.settings.reader import source_from_specs
from opsdocs.settings.text import catalog_to_rst
from tests.settings.support import (
    SOURCES,
    module,
    problems,
    read,
    run,
)


def test_the_last_unconditional_assignment_is_the_default(tmp_path: Path) -> None:
    catalog = module(tmp_path, """
        COURSES_ROOT = "/data"
        DATA_DIR = COURSES_ROOT
        LOG_DIR = "/log"
        DATA_DIR = '/edx/var/edxapp/data'
    """)
    data_dir = catalog.get("DATA_DIR")
    assert (data_dir.value, data_dir.line, data_dir.default) == (
        "'/edx/var/edxapp/data'", 5, "'/edx/var/edxapp/data'")
    assert [(d.line, d.value, d.overridden) for d in data_dir.definitions] == [
        (3, "COURSES_ROOT", True), (5, "'/edx/var/edxapp/data'", False)]
    assert "- ``DATA_DIR = COURSES_ROOT`` (line 3, overridden)" in catalog_to_rst(catalog)


def test_changes_attach_to_their_setting_and_never_create_one(tmp_path: Path) -> None:
    catalog = module(tmp_path, """
        JWT_AUTH = {"A": 1}
        JWT_AUTH.update({"B": 2})
        OTHER.update(ENV_TOKENS.get("OTHER", {}))
        UNKNOWN["k"] = 1
        LOCALE_PATHS.insert(0, "x")
        MISSING += [1]
    """)
    assert [s.name for s in catalog] == ["JWT_AUTH"]
    jwt = catalog.get("JWT_AUTH")
    assert [d.kind for d in jwt.definitions] == ["assign", "call"]
    assert jwt.effective_value == "{'A': 1, 'B': 2}"


def test_conditions_loops_and_match_are_shown_never_dropped(tmp_path: Path) -> None:
    catalog = module(tmp_path, """
        for app in ("a", "b"):
            LOOP_SET = app
        while False:
            NEVER = 1
        match MODE:
            case "fast":
                MATCHED = 1
            case _:
                MATCHED = 2
    """)
    assert [(d.condition, d.value) for d in catalog.get("LOOP_SET").definitions] == [
        ('for app in ("a", "b")', "app")]
    assert catalog.get("NEVER").conditional
    assert [d.condition for d in catalog.get("MATCHED").definitions] == [
        'match MODE: case "fast"', "match MODE: case _"]
    rst = catalog_to_rst(catalog)
    assert '- ``LOOP_SET = app`` (line 3, ``for app in ("a", "b")``)' in rst
    assert "- ``NEVER = 1`` (line 5, ``while False``)" in rst


def test_del_unbinds_and_a_conditional_del_is_warned(tmp_path: Path) -> None:
    catalog = module(tmp_path, """
        GONE = 1
        del GONE
        KEPT = {"a": 1, "b": 2}
        del KEPT["b"]
        MAYBE = 1
        if DEBUG:
            del MAYBE
        BACK = 1
        del BACK
        BACK = 2
    """)
    assert [s.name for s in catalog] == ["KEPT", "MAYBE", "BACK"]
    assert catalog.get("KEPT").effective_value == "{'a': 1}"
    assert catalog.get("BACK").value == "2"
    assert problems(catalog) == [(8, "python-delete")]
    assert catalog.problems[0].message == (
        "MAYBE is deleted under a condition (if DEBUG): the reference still shows it; delete it "
        "unconditionally or document when it is absent")


@pytest.mark.parametrize("character", ["\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029",
                                       "\x0b"])
def test_line_numbers_are_pythons(tmp_path: Path, character: str) -> None:
    catalog = module(tmp_path, f"""\
        # page{character}break
        X = "a{character}b"

        #: Documented.
        TIMEOUT = 5
        #: Other.
        OTHER = [1,
                 2]
    """)
    timeout = catalog.get("TIMEOUT")
    assert (timeout.line, timeout.value, timeout.doc, timeout.doc_line) == (5, "5", "Documented.", 4)
    assert catalog.get("OTHER").value == "[1,\n 2]"  # its lines under its first character
    assert catalog.get("X").value == f'"a{character}b"'


def test_plugin_settings_define_settings(tmp_path: Path) -> None:
    catalog = module(tmp_path, """
        def plugin_settings(settings):
            settings.APP_TIMEOUT = 5
            if not getattr(settings, "ENABLE_APP", False):
                return
            settings.APP_URL = getattr(settings, "APP_URL", "http://x")
            settings.INSTALLED_APPS.append("app")
    """)
    assert [(s.name, s.value, s.main.condition) for s in catalog] == [
        ("APP_TIMEOUT", "5", None),
        ("APP_URL", '"http://x"', 'if getattr(settings, "ENABLE_APP", False)')]


def test_plugin_settings_are_what_plugin_settings_sets() -> None:
    common = source_from_specs([SOURCES / "plugin_like" / "settings" / "common.py"])
    assert [s.name for s in common] == [
        "SAMPLE_APP_API_URL", "SAMPLE_APP_CACHE_TIMEOUT", "SAMPLE_APP_ENABLED",
        "SAMPLE_APP_CLIENT_SECRET", "OVERRIDE_SAMPLE_USERNAME",
        "FEATURES['ENABLE_SAMPLE_DASHBOARD']", "OPEN_EDX_FILTERS_CONFIG"]
    assert common.get("SAMPLE_APP_API_URL").doc == "Base URL of the sample service API."
    # a key the plugin writes into the platform's FEATURES is listed as such
    flag = common.get("FEATURES['ENABLE_SAMPLE_DASHBOARD']")
    assert (flag.parent, flag.value, flag.conditional) == ("FEATURES", "True", True)
    assert common.get("OPEN_EDX_FILTERS_CONFIG").conditional  # after an early return
    production = source_from_specs([SOURCES / "plugin_like" / "settings" / "production.py"])
    assert set(production.config_keys) == {
        "SAMPLE_APP_API_URL", "SAMPLE_APP_CACHE_TIMEOUT", "SAMPLE_APP_CLIENT_SECRET"}


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


def test_keys_update_and_setdefault_add_in_python_s_order(tmp_path: Path, capsys) -> None:
    """``X.setdefault("K")`` adds K (set to None); ``X.update({...}, K=...)`` adds the
    dict's keys, then the keywords'."""
    path = tmp_path / "settings.py"
    path.write_text(textwrap.dedent("""\
        X = {"A": 1}
        X.setdefault("K")
        X.update({"B": 1}, C=2)
        FEATURES = {}
        FEATURES.setdefault("ENABLE_Z")
        """), encoding="utf-8")
    status, out, _ = run(capsys, "settings", "--settings", path, "--format", "json")
    assert status == 0
    assert [(s["name"], s["keys"]) for s in json.loads(out)["settings"]] == [
        ("X", ["A", "K", "B", "C"]), ("FEATURES", ["ENABLE_Z"])]
    path.write_text(textwrap.dedent("""\
        from openedx.core.lib.features_setting_proxy import FeaturesProxy
        FEATURES = FeaturesProxy(globals())
        FEATURES.setdefault("ENABLE_Z")
        """), encoding="utf-8")
    status, out, _ = run(capsys, "settings", "--settings", path, "--format", "json")
    assert [(s["name"], s["value"]) for s in json.loads(out)["settings"]] == [
        ("FEATURES", "FeaturesProxy(globals())"), ("ENABLE_Z", "None")]
