"""Settings made from what was read: the effective definition and its attribution, docs
by precedence, annotation blocks checked, secrets by name."""

from __future__ import annotations

from pathlib import Path

from opsdocs.settings.reader import ReadOptions, source_from_specs
from tests.settings.support import (
    COMMON,
    SOURCES,
    read,
)


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


def test_plain_definition_is_the_main_one_when_a_conditional_comes_first():
    settings, _ = read('#: Doc.\nif X:\n    A = 1\nA = 2\n')
    assert settings["A"].value == "2"
    assert settings["A"].changes[0].condition == "if X"


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


def test_effective_defaults_and_attribution() -> None:
    catalog = source_from_specs([COMMON])
    data_dir = catalog.get("DATA_DIR")
    assert (data_dir.value, data_dir.line) == ("'/edx/var/edxapp/data'", 196)
    assert [(d.line, d.value, d.overridden) for d in data_dir.definitions] == [
        (177, "COURSES_ROOT", True), (196, "'/edx/var/edxapp/data'", False)]
    assert catalog.get("CELERY_DEFAULT_EXCHANGE").value == "f'edx.{QUEUE_VARIANT}core'"
    # from the star-imported module, attributed to it
    assert Path(catalog.get("DISCUSSION_SETTINGS").file).name == "discussion_settings.py"
    # PIPELINE['STYLESHEETS'] = ... is a change of PIPELINE, no setting of its own
    assert "PIPELINE['STYLESHEETS']" not in catalog
    assert [d.kind for d in catalog.get("PIPELINE").definitions] == ["assign", "item"]
    # changes in a loop, under try/except, stay with INSTALLED_APPS with their clauses
    apps = catalog.get("INSTALLED_APPS")
    assert [(d.kind, d.condition) for d in apps.definitions] == [
        ("assign", None),
        ("call", "for app_name, insert_before in OPTIONAL_APPS, if not (importlib.util."
                 "find_spec(app_name) is None), try"),
        ("call", "for app_name, insert_before in OPTIONAL_APPS, if not (importlib.util."
                 "find_spec(app_name) is None), except (IndexError, ValueError)"),
        ("call", None)]


def test_annotation_problems_are_located() -> None:
    catalog = source_from_specs([COMMON])
    found = [(p.line, p.check, p.message) for p in catalog.problems
             if p.check.startswith("annotation")]
    assert found == [
        (80, "annotation-default", "the annotation's default of "
         "FEATURES['ENABLE_DISCUSSION_HOME_PANEL'], True differs from the code's False: "
         "correct the annotation (the reference shows the code's default)"),
        (107, "annotation-name", "the annotation names CUSTOM_COURSES_EDX, but the statement "
         "under it defines FEATURES['CUSTOM_COURSES_EDX']: give the annotation the setting's "
         "name"),
        (125, "annotation-field", "unknown annotation field toggle_warnings: code-annotations "
         "ignores it; did you mean 'toggle_warning'?"),
        (133, "annotation-text", "line 133 of the annotation of "
         "FEATURES['ENABLE_V2_CERT_DISPLAY_SETTINGS'] is in no field: code-annotations drops "
         "it, and so does the reference; starts with '..', which ends the field above; to keep "
         "it, write it as '#   text', indented past the field's '..', not as '# .. text'"),
        (139, "annotation-name", "the annotation names "
         "FEATURES['ENABLE_COURSEWARE_SEARCH_VERIFIED_REQUIRED'], but the statement under it "
         "defines FEATURES['ENABLE_COURSEWARE_SEARCH_VERIFIED_ENROLLMENT_REQUIRED']: give the "
         "annotation the setting's name"),
        (166, "annotation-text", "line 166 of the annotation of ENABLE_COPPA_COMPLIANCE is in "
         "no field: code-annotations drops it, and so does the reference; starts with '..', "
         "which ends the field above; to keep it, write it as '#   text', indented past the "
         "field's '..', not as '# .. text'"),
        (187, "annotation-name", "the annotation names ELASTIC_SEARCH_INDEX_PREFIX, but the "
         "statement under it defines ELASTICSEARCH_INDEX_PREFIX: give the annotation the "
         "setting's name"),
        (270, "annotation-default", "the annotation's default of EDXNOTES_READ_TIMEOUT, 1.5 "
         "differs from the code's 2.5: correct the annotation (the reference shows the code's "
         "default)"),
        (404, "annotation-field", "unknown annotation field setting_implementation: "
         "code-annotations ignores it; did you mean 'toggle_implementation'?"),
        (407, "annotation-field", "unknown annotation field setting_use_cases: code-annotations "
         "ignores it; did you mean 'toggle_use_cases'?"),
        (408, "annotation-field", "unknown annotation field setting_creation_date: "
         "code-annotations ignores it; did you mean 'toggle_creation_date'?"),
        (460, "annotation-name", "the annotation names SOME_FEATURE_NAME, but the statement "
         "under it defines SHOW_ACCOUNT_ACTIVATION_CTA: give the annotation the setting's "
         "name"),
        (468, "annotation-position", "the annotation of SURVEY_REPORT_CHECK_THRESHOLD is "
         "separated from it by a blank line: put it right above line 472, as "
         "code-annotations expects"),
    ]
    # a translated string says the same as the bare annotation default: no warning
    assert catalog.get("PLATFORM_NAME").field("setting_default") == "Your Platform Name Here"


def test_lines_of_an_annotation_in_no_field_are_located(tmp_path: Path) -> None:
    module = tmp_path / "common.py"
    module.write_text(
        "# .. toggle_name: ENABLE_SIGNATURE\n"
        "# .. toggle_implementation: DjangoSetting\n"
        "# .. toggle_default: False\n"
        "# .. toggle_description: Whether to replace the ID check\n"
        "# with an honor code\n"
        "# (https://example.com/honor)\n"
        "#   that learners sign.\n"
        "# .. toggle_use_cases: open_edx\n"
        "#\n"
        "# kept out too\n"
        "## a note to developers, dropped without a word\n"
        "# .. toggle_creation_date: 2022-02-15\n"
        "ENABLE_SIGNATURE = False\n")
    catalog = source_from_specs([module])
    assert catalog.get("ENABLE_SIGNATURE").doc == "Whether to replace the ID check"
    assert catalog.get("ENABLE_SIGNATURE").field("toggle_creation_date") == "2022-02-15"
    assert [(p.line, p.check, p.message) for p in catalog.problems] == [
        (5, "annotation-text", "lines 5-7 of the annotation of ENABLE_SIGNATURE are in no "
         "field: code-annotations drops them, and so does the reference; to keep them, indent "
         "them past the field's '..' ('#   text') or move them above the block"),
        (10, "annotation-text", "line 10 of the annotation of ENABLE_SIGNATURE is in no "
         "field: code-annotations drops it, and so does the reference; to keep it, indent it "
         "past the field's '..' ('#   text') or move it above the block")]


def test_secrets_by_name(tmp_path: Path) -> None:
    catalog = source_from_specs([COMMON])
    secret = {s.name for s in catalog if s.secret}
    assert secret == {"EDX_API_KEY", "CELERY_BROKER_PASSWORD", "SECRET_KEY",
                      "FACEBOOK_APP_SECRET"}
    assert [p.line for p in catalog.problems if p.check == "secret-name"] == [192, 299, 412, 426]
    # :secret: no shows it, and a public pattern too
    module = tmp_path / "settings.py"
    module.write_text("#: Not secret.\n#:\n#: :secret: no\nAPI_KEY = 'abc'\nOTHER_KEY = 'x'\n")
    public = source_from_specs([module], options=__import__("opsdocs.settings.reader").settings
                         .reader.ReadOptions(public=("OTHER_*",)))
    assert [(s.name, s.secret) for s in public] == [("API_KEY", False), ("OTHER_KEY", False)]
    assert not [p for p in public.problems if p.check == "secret-name"]


def test_a_source_of_more_settings_than_the_cap_keeps_the_first(tmp_path: Path,
                                                                monkeypatch) -> None:
    monkeypatch.setattr("opsdocs.settings.assembly.MAX_SETTINGS", 3)
    module = tmp_path / "settings.py"
    module.write_text("".join(f"#: Doc.\nS{i} = {i}\n" for i in range(5)))
    catalog = source_from_specs([module])
    assert [s.name for s in catalog] == ["S0", "S1", "S2"]
    assert [str(p) for p in catalog.problems] == [
        f"{module}:8: more than 3 settings, the most opsdocs reads of a settings source: S3 "
        "and those after it are left out; is this the right file?"]
    assert catalog.incomplete  # a sample or a schema of part of them would mislead
