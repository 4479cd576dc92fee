"""Settings modules read with Python's semantics: what the reader claims is what runs."""

from __future__ import annotations

import ast
import json
import re
import runpy
import textwrap
from pathlib import Path

import pytest

from opsdocs.settings.reader import ReadOptions, source_from_specs
from opsdocs.settings.text import catalog_to_markdown, catalog_to_rst
from tests.helpers import REPO

SOURCES = REPO / "tests" / "settings" / "sources"


def module(tmp_path: Path, source: str, name: str = "settings.py"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return source_from_specs([path])


def problems(catalog) -> list[tuple[int | None, str]]:  # type: ignore[no-untyped-def]
    return [(p.line, p.check) for p in catalog.problems if p.check != "undocumented"]


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


def test_a_walrus_default_shows_its_value(tmp_path: Path) -> None:
    catalog = module(tmp_path, "OUTER = (INNER := 3)\nSUM = (PART := 7) + 1\n")
    assert {s.name: s.value for s in catalog} == {
        "INNER": "3", "OUTER": "3", "PART": "7", "SUM": "(7) + 1"}


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
    assert catalog.get("OTHER").value == "[1,\n         2]"
    assert catalog.get("X").value == f'"a{character}b"'


def test_star_imports_are_followed_and_attributed(tmp_path: Path) -> None:
    package = tmp_path / "lms" / "envs"
    package.mkdir(parents=True)
    for directory in (tmp_path / "lms", package):
        (directory / "__init__.py").write_text("")
    (package / "base.py").write_text("#: Base.\nA = 1\nB = [1]\n")
    (package / "common.py").write_text("from .base import *\nB.append(2)\n#: C.\nC = A\n")
    (package / "production.py").write_text("from lms.envs.common import *\nA = 2\n")
    catalog = source_from_specs([package / "production.py"])
    assert [(s.name, Path(s.file).name, s.line, s.value) for s in catalog] == [
        ("A", "production.py", 2, "2"), ("B", "base.py", 3, "[1]"), ("C", "common.py", 4, "A")]
    b = catalog.get("B")
    assert b.effective_value == "[1, 2]"
    assert [(Path(d.file).name if d.file else None, d.line) for d in b.definitions] == [
        (None, 3), ("common.py", 2)]
    assert catalog.get("A").doc == "Base."  # the doc of the definition it overrides
    assert [Path(f).name for f in catalog.files] == ["production.py", "common.py", "base.py"]


def test_star_import_cycles_and_outside_modules_are_messages(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from .b import *\nA = 1\n")
    (tmp_path / "b.py").write_text("from .a import *\nfrom django.conf.global_settings import *\n"
                                   "B = 1\n")
    catalog = source_from_specs([tmp_path / "a.py"])
    assert [s.name for s in catalog] == ["B", "A"]
    assert [(Path(p.file).name, p.line, p.message) for p in catalog.problems
            if p.check == "import"] == [
        ("b.py", 1, "star-import cycle: a.py -> b.py -> a.py; Python cannot import these "
                    "modules either"),
        ("b.py", 2, "'from django.conf.global_settings import *' names a module outside the "
                    "project (or one that is not there): its settings are not documented here; "
                    "give its file as another settings source to include them"),
    ]


def test_named_imports_bind_the_settings_as_their_module_leaves_them(tmp_path: Path) -> None:
    for package in ("lms", "lms/envs", "cms", "cms/envs"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "lms/envs/common.py").write_text(textwrap.dedent("""\
        # .. setting_name: TIME_ZONE_AWARE
        # .. setting_default: True
        # .. setting_description: Store datetimes with their time zone.
        TIME_ZONE_AWARE = False
        TIME_ZONE_AWARE = True
        API_SETTINGS = {
            # .. setting_name: API_SETTINGS['PAGE_SIZE']
            # .. setting_default: 10
            # .. setting_description: Items on a page.
            'PAGE_SIZE': 10,
        }
        #: Where uploads go.
        UPLOAD_ROOT = "/uploads"
        # .. setting_name: LMS_ONLY
        # .. setting_default: 1
        # .. setting_description: Not imported by the CMS.
        LMS_ONLY = 1


        def helper():
            return 1
    """))
    (tmp_path / "lms/envs/private.py").write_text("PRIVATE_TOKEN = None\n")
    (tmp_path / "cms/envs/common.py").write_text(textwrap.dedent("""\
        from lms.envs.common import (
            TIME_ZONE_AWARE, API_SETTINGS, helper, NOT_DEFINED_THERE,
        )
        from lms.envs.common import UPLOAD_ROOT as MEDIA_UPLOAD_ROOT
        from vendor.constants import VENDOR_LIMIT
        try:
            from lms.envs.private import PRIVATE_TOKEN
        except ImportError:
            pass
        API_SETTINGS['FORMAT'] = 'json'
        #: The name of the authoring site.
        STUDIO_NAME = "Studio"
    """))
    catalog = source_from_specs([tmp_path / "cms/envs/common.py"])
    assert [(s.name, Path(s.file).relative_to(tmp_path).as_posix(), s.line, s.value, s.doc)
            for s in catalog] == [
        ("TIME_ZONE_AWARE", "lms/envs/common.py", 5, "True",
         "Store datetimes with their time zone."),
        ("API_SETTINGS", "lms/envs/common.py", 6,
         "{\n    # .. setting_name: API_SETTINGS['PAGE_SIZE']\n    # .. setting_default: 10\n"
         "    # .. setting_description: Items on a page.\n    'PAGE_SIZE': 10,\n}", ""),
        ("API_SETTINGS['PAGE_SIZE']", "lms/envs/common.py", 10, "10", "Items on a page."),
        ("MEDIA_UPLOAD_ROOT", "lms/envs/common.py", 13, '"/uploads"', "Where uploads go."),
        ("PRIVATE_TOKEN", "lms/envs/private.py", 1, "None", ""),
        ("STUDIO_NAME", "cms/envs/common.py", 12, '"Studio"', "The name of the authoring site."),
    ]
    assert catalog.get("PRIVATE_TOKEN").definitions[0].condition == "try"
    assert catalog.get("API_SETTINGS['PAGE_SIZE']").parent == "API_SETTINGS"
    assert catalog.get("API_SETTINGS").effective_value == "{'PAGE_SIZE': 10, 'FORMAT': 'json'}"
    # the Studio module's change, told apart from the LMS module of the same name
    assert "`API_SETTINGS['FORMAT'] = 'json'` (cms/envs/common.py, line 10)" in \
        catalog_to_markdown(catalog)
    # LMS_ONLY's annotation documents a setting of the LMS, not an orphan of the Studio's
    assert [(Path(p.file).relative_to(tmp_path).as_posix(), p.line, p.message.split(" has")[0])
            for p in catalog.problems] == [
        ("lms/envs/common.py", 6, "setting API_SETTINGS"),
        ("lms/envs/private.py", 1, "setting PRIVATE_TOKEN")]
    assert [Path(f).relative_to(tmp_path).as_posix() for f in catalog.files] == [
        "cms/envs/common.py", "lms/envs/common.py", "lms/envs/private.py"]


def test_a_module_only_functions_are_imported_from_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "envs").mkdir()
    (tmp_path / "envs" / "__init__.py").write_text("")
    (tmp_path / "envs" / "helpers.py").write_text("def make_paths(:\n")  # not Python
    (tmp_path / "envs" / "common.py").write_text(
        "from envs.helpers import make_paths, derived as _derived\n#: Roots.\nROOTS = []\n")
    catalog = source_from_specs([tmp_path / "envs" / "common.py"])
    assert [s.name for s in catalog] == ["ROOTS"]
    assert catalog.problems == ()
    assert [Path(f).name for f in catalog.files] == ["common.py"]


def test_several_files_and_dotted_paths(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "common.py").write_text("A = 1\nB = 1\n")
    (tmp_path / "pkg" / "local.py").write_text("B = 2\n")
    catalog = source_from_specs(["pkg.common", "pkg/local.py"], base=tmp_path, search_path=[tmp_path])
    assert [(s.name, s.value) for s in catalog] == [("A", "1"), ("B", "2")]


def test_app_settings_are_the_getattr_reads(tmp_path: Path) -> None:
    catalog = source_from_specs([SOURCES / "richie_like" / "app" / "defaults.py"])
    names = {s.name: s for s in catalog}
    assert "LANGUAGES_DICT" not in names and "PLUGINS_GROUP" not in names
    assert names["SAMPLE_SEARCH_PAGE_SIZE"].value == "20"


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
        ("APP_URL", '"http://x"', 'if not (not getattr(settings, "ENABLE_APP", False))')]


@pytest.mark.parametrize(("source", "env", "value", "required"), [
    ('import os\nX = os.environ.get("V", "d")\n', ("V",), '"d"', False),
    ('import os\nX = os.getenv("V")\n', ("V",), "None", False),
    ('import os\nX = int(os.environ.get("V", "5"))\n', ("V",), 'int("5")', False),
    ('import os\nX = os.environ["V"]\n', ("V",), None, True),
    ('from decouple import config\nX = config("V", default=False, cast=bool)\n', ("V",),
     "False", False),
    ('from decouple import config\nX = config("V")\n', ("V",), None, True),
    ('import environ\nenv = environ.Env(V=(bool, True))\nX = env("V")\n', ("V",), "True", False),
    ('import environ\nenv = environ.Env()\nX = env.int("V", default=3)\n', ("V",), "3", False),
    ('import environ\nenv = environ.Env()\nX = env.bool("V", False)\n', ("V",), "False", False),
])
def test_environment_reads(tmp_path: Path, source: str, env: tuple[str, ...],
                           value: str | None, required: bool) -> None:
    setting = module(tmp_path, source).get("X")
    assert (setting.env_vars, setting.value, setting.required) == (env, value, required)


def test_differential_effective_defaults_equal_what_running_the_module_gives() -> None:
    """Executes our own fixture (standard library only), in this test only."""
    path = SOURCES / "executable_semantics.py"
    executed = {k: v for k, v in runpy.run_path(str(path)).items() if k.isupper()}
    recorded = json.loads((SOURCES / "executable_semantics.expected.json").read_text())
    assert set(executed) == set(recorded["values"])  # the fixture runs as recorded
    catalog = source_from_specs([path])
    flagged = {name for name in executed for p in catalog.problems
               if p.check.startswith("python") and re.search(rf"\b{name}\b", p.message)}
    exact = []
    for name, value in executed.items():
        setting = catalog.get(name)
        if setting is None:
            assert name in flagged or f"'{name[:8]}" in " ".join(
                p.message for p in catalog.problems), name
            continue
        shown = setting.effective_value or setting.value
        try:
            claimed = ast.literal_eval(shown or "")
        except (ValueError, SyntaxError):
            claimed = NotImplemented  # an expression: shown as written
        if claimed == value:
            exact.append(name)
            continue
        # Anything else says how it may differ: a condition, a change under one, a flag.
        assert setting.conditional or any(d.condition for d in setting.definitions) or \
            name in flagged or any(d.kind == "loop" for d in setting.definitions) or \
            claimed is NotImplemented, name
        if setting.conditional or any(d.condition and d.binds for d in setting.definitions):
            values = [ast.literal_eval(d.value) for d in setting.definitions if d.value and d.binds]
            assert value in values, name
    assert sorted(exact) == sorted([
        "REPEATED", "FLAG_ON", "CONDITIONAL_SKIPPED", "IF_ELSE", "LIST_MODIFIED",
        "DICT_MODIFIED", "TUPLE_EXTENDED", "DICT_WITH_DELETED_KEY", "WALRUS_INNER",
        "LOOP_ASSIGNED", "TRY_VALUE", "EXCEPT_VALUE", "FINALLY_VALUE", "WITH_VALUE", "MATCHED",
        "ANNOTATED", "CHAIN_A", "CHAIN_B", "UNPACK_A", "UNPACK_B", "NESTED_A", "NESTED_B",
        "NESTED_C", "STAR_FIRST", "STAR_REST", "BASE_URL", "COUNTER", "GREETING"])
    for absent in recorded["_absent"]:
        setting = catalog.get(absent)
        assert setting is None or setting.conditional or setting.value is None, absent
    assert {"ALIAS_OF_ALIASED", "ALIASED"} <= flagged


def test_markdown_escapes_every_table_breaking_character(tmp_path: Path) -> None:
    catalog = module(tmp_path, """
        #: A | pipe, a <b>tag</b> and a
        #: newline.
        X: int | None = None
    """)
    row = catalog_to_markdown(catalog).splitlines()[2]
    assert row.count(" | ") == 3 and row.startswith("| ") and row.endswith(" |")


def test_twelve_factor_settings_show_their_variables() -> None:
    catalog = source_from_specs([SOURCES / "twelve_factor" / "settings.py"])
    shown = {s.name: (s.env_vars, s.value, s.required) for s in catalog}
    assert shown["DEBUG"] == (("DJANGO_DEBUG",), "False", False)  # environ.Env scheme default
    assert shown["CELERY_BROKER_URL"] == (("CELERY_BROKER_URL",), None, True)  # decouple
    assert shown["DEFAULT_FROM_EMAIL"] == (("DEFAULT_FROM_EMAIL",), None, True)  # os.environ[]
    assert shown["LOGIN_MAX_ATTEMPTS"] == (("LOGIN_MAX_ATTEMPTS",), 'int("5")', False)
    assert catalog.get("SECRET_KEY").secret
    assert catalog.get("SENTRY_TRACES_SAMPLE_RATE").main.condition == "if SENTRY_DSN"
    assert catalog.get("DATABASES").section == "Database"  # a dash-boxed heading


def test_plugin_settings_are_what_plugin_settings_sets() -> None:
    common = source_from_specs([SOURCES / "plugin_like" / "settings" / "common.py"])
    assert [s.name for s in common] == [
        "SAMPLE_APP_API_URL", "SAMPLE_APP_CACHE_TIMEOUT", "SAMPLE_APP_ENABLED",
        "SAMPLE_APP_CLIENT_SECRET", "OVERRIDE_SAMPLE_USERNAME", "OPEN_EDX_FILTERS_CONFIG"]
    assert common.get("SAMPLE_APP_API_URL").doc == "Base URL of the sample service API."
    assert common.get("OPEN_EDX_FILTERS_CONFIG").conditional  # after an early return
    production = source_from_specs([SOURCES / "plugin_like" / "settings" / "production.py"])
    assert set(production.config_keys) == {
        "SAMPLE_APP_API_URL", "SAMPLE_APP_CACHE_TIMEOUT", "SAMPLE_APP_CLIENT_SECRET"}


def test_plain_comments_behind_an_option() -> None:
    path = SOURCES / "django_globals_like" / "global_settings.py"
    assert not any(s.doc for s in source_from_specs([path]))
    catalog = source_from_specs([path], options=ReadOptions(plain_comments=True))
    documented = [s.name for s in catalog if s.doc]
    assert len(documented) == 19 and "SERVER_EMAIL" not in documented  # a blank line between
    assert catalog.get("ADMINS").doc_markup == "text"
    assert not any("pylint" in s.doc or "noqa" in s.doc or "TODO" in s.doc for s in catalog)
    assert {s.section for s in catalog} == {"CORE", "MIDDLEWARE", "SESSIONS"}
    assert sum(1 for s in catalog if s.section == "CORE") == 21
