"""Settings modules shaped like Open edX's (``lms/envs/common.py``, ``production.py``):
the reference, the CLI and the config check, as their users see them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docutils import nodes

from opsdocs.cli import main
from opsdocs.settings.nodes import setting_entry
from opsdocs.settings.reader import read_source
from tests.helpers import ROOTS, own_warnings, setting_texts, typed, warning_lines

ROOT = ROOTS / "test-settings-modules"
ENVS = ROOT / "lms" / "envs"
COMMON = ENVS / "common.py"


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_effective_defaults_and_attribution() -> None:
    catalog = read_source([COMMON])
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


def test_annotations_and_dict_keys() -> None:
    catalog = read_source([COMMON])
    entry = catalog.get("FEATURES['ENABLE_DISCUSSION_SERVICE']")
    assert (entry.parent, entry.value, entry.toggle, entry.line) == ("FEATURES", "True", True, 78)
    assert entry.doc == ("When True, the Discussion tab is shown in every course. When False, "
                         "inline discussion components are hidden too.")
    assert entry.field("toggle_warning") == (
        "If a course contains discussion components and this flag is False, expanding them "
        "causes errors. Keep the value in sync with the setting of the same name in the CMS.")
    assert [name for name, _ in entry.annotation_fields] == [
        "toggle_name", "toggle_implementation", "toggle_default", "toggle_description",
        "toggle_use_cases", "toggle_creation_date", "toggle_warning"]
    # ## lines end a field; the wrapped '.. settings.' sentence continues it
    assert catalog.get("FEATURES['DISABLE_START_DATES']").field("toggle_warning") == \
        "This will cause ALL courses to be immediately visible."
    assert catalog.get("FEATURES['ENABLE_V2_CERT_DISPLAY_SETTINGS']").doc.endswith(
        "certificate_available_date .. settings. Will eventually become the default.")
    # keyword arguments of dict(...), a nested key named over two lines, a subscript
    assert catalog.get("BLOCK_STRUCTURES_SETTINGS['TASK_MAX_RETRIES']").value == "5"
    nested = ("EVENT_BUS_PRODUCER_CONFIG['org.openedx.learning.course.unenrollment.completed"
              ".v1']['course-unenrollment-lifecycle']['enabled']")
    assert (catalog.get(nested).value, catalog.get(nested).parent) == (
        "False", "EVENT_BUS_PRODUCER_CONFIG")
    assert catalog.get("FEATURES['ENABLE_CREDIT_ELIGIBILITY']").value == \
        "ENABLE_CREDIT_ELIGIBILITY"
    assert catalog.get("FEATURES['ENABLE_AUTHN_MICROFRONTEND']").env_vars == (
        "EDXAPP_ENABLE_AUTHN_MFE",)
    assert catalog.get("STATIC_ROOT").env_vars == ("STATIC_ROOT_LMS",)
    assert catalog.get("RETIREMENT_STATES").field("setting_default") == (
        "[\n    'PENDING',\n    'RETIRING_LMS',\n    'COMPLETE',\n]")
    assert {"ENABLE_CORS_HEADERS", "ENABLE_CREDIT_ELIGIBILITY"} <= set(
        catalog.get("FEATURES").keys)


def test_annotation_problems_are_located() -> None:
    catalog = read_source([COMMON])
    found = [(p.line, p.check, p.message) for p in catalog.problems
             if p.check.startswith("annotation")]
    assert found == [
        (64, "annotation-text", "lines 64-65 of the annotation of "
         "FEATURES['DISABLE_START_DATES'] are in no field: code-annotations drops them, and so "
         "does the reference; to keep them, indent them past the field's '..' ('#   text') or "
         "move them above the block"),
        (80, "annotation-default", "the annotation's default of "
         "FEATURES['ENABLE_DISCUSSION_HOME_PANEL'], True differs from the code's False: "
         "correct the annotation (the reference shows the code's default)"),
        (107, "annotation-name", "the annotation names CUSTOM_COURSES_EDX, but the statement "
         "under it defines FEATURES['CUSTOM_COURSES_EDX']: give the annotation the setting's "
         "name"),
        (125, "annotation-field", "unknown annotation field toggle_warnings: code-annotations "
         "ignores it; did you mean 'toggle_warning'?"),
        (139, "annotation-name", "the annotation names "
         "FEATURES['ENABLE_COURSEWARE_SEARCH_VERIFIED_REQUIRED'], but the statement under it "
         "defines FEATURES['ENABLE_COURSEWARE_SEARCH_VERIFIED_ENROLLMENT_REQUIRED']: give the "
         "annotation the setting's name"),
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
        "# .. toggle_creation_date: 2022-02-15\n"
        "ENABLE_SIGNATURE = False\n")
    catalog = read_source([module])
    assert catalog.get("ENABLE_SIGNATURE").doc == "Whether to replace the ID check"
    assert catalog.get("ENABLE_SIGNATURE").field("toggle_creation_date") == "2022-02-15"
    assert [(p.line, p.check, p.message) for p in catalog.problems] == [
        (5, "annotation-text", "lines 5-7 of the annotation of ENABLE_SIGNATURE are in no "
         "field: code-annotations drops them, and so does the reference; to keep them, indent "
         "them past the field's '..' ('#   text') or move them above the block"),
        (10, "annotation-text", "line 10 of the annotation of ENABLE_SIGNATURE is in no "
         "field: code-annotations drops it, and so does the reference; to keep it, indent it "
         "past the field's '..' ('#   text') or move it above the block")]


def test_keys_on_a_documented_key_s_line_are_not_entries(tmp_path: Path) -> None:
    module = tmp_path / "common.py"
    module.write_text(
        "MODULESTORE = {\n"
        "    'default': {\n"
        "        # .. setting_name: MODULESTORE['default']['OPTIONS']\n"
        "        # .. setting_default: {'mappings': {}, 'stores': {'x': 1}}\n"
        "        # .. setting_description: Options of the default store.\n"
        "        'OPTIONS': {'mappings': {}, 'stores': {'x': 1}},\n"
        "        # .. setting_name: MODULESTORE['default']['ENGINE']\n"
        "        # .. setting_default: 'mixed'\n"
        "        # .. setting_description: The store's class.\n"
        "        'ENGINE': 'mixed',\n"
        "    },\n"
        "}\n")
    catalog = read_source([module])
    assert [s.name for s in catalog] == [
        "MODULESTORE", "MODULESTORE['default']['OPTIONS']", "MODULESTORE['default']['ENGINE']"]
    assert [p.message for p in catalog.problems if p.check.startswith("annotation")] == []


def test_secrets_by_name(tmp_path: Path) -> None:
    catalog = read_source([COMMON])
    secret = {s.name for s in catalog if s.secret}
    assert secret == {"EDX_API_KEY", "CELERY_BROKER_PASSWORD", "SECRET_KEY",
                      "FACEBOOK_APP_SECRET"}
    assert [p.line for p in catalog.problems if p.check == "secret-name"] == [192, 299, 412, 426]
    # :secret: no shows it, and a public pattern too
    module = tmp_path / "settings.py"
    module.write_text("#: Not secret.\n#:\n#: :secret: no\nAPI_KEY = 'abc'\nOTHER_KEY = 'x'\n")
    public = read_source([module], options=__import__("opsdocs.settings.reader").settings
                         .reader.ReadOptions(public=("OTHER_*",)))
    assert [(s.name, s.secret) for s in public] == [("API_KEY", False), ("OTHER_KEY", False)]
    assert not [p for p in public.problems if p.check == "secret-name"]


def test_settings_cli_reads_modules_and_dotted_paths(capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = run(capsys, "settings", "lms.envs.common", "--sys-path", str(ROOT),
                         "--format", "json")
    assert status == 1  # the annotation problems
    data = json.loads(out)
    by_name = {s["name"]: s for s in data["settings"]}
    assert by_name["DATA_DIR"]["default"] == "'/edx/var/edxapp/data'"
    assert by_name["FEATURES['ENABLE_DISCUSSION_SERVICE']"]["parent"] == "FEATURES"
    assert by_name["FEATURES['ENABLE_DISCUSSION_SERVICE']"]["toggle"] is True
    assert by_name["STATIC_ROOT"]["env_vars"] == ["STATIC_ROOT_LMS"]
    assert by_name["DATA_DIR"]["definitions"][0]["overridden"] is True


def test_text_outputs_say_toggle_environment_and_parent(capsys) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = run(capsys, "settings", str(COMMON))
    entry = out[out.index(".. setting:: FEATURES['ENABLE_AUTHN_MICROFRONTEND']"):]
    assert entry.splitlines()[2:6] == [
        "   :Default: ``False``", "   :Toggle: yes", "   :Environment: EDXAPP_ENABLE_AUTHN_MFE",
        "   :Key of: FEATURES"]
    # The variable is the documented key's, not the whole dict's.
    features = out[out.index(".. setting:: FEATURES\n"):]
    assert ":Environment:" not in features[:features.index("\n\n.. setting::")]
    _, out, _ = run(capsys, "settings", str(COMMON), "--format", "markdown")
    assert "| `STATIC_ROOT` | `ENV_ROOT / \"staticfiles\"` |  | Environment: STATIC_ROOT_LMS. |" \
        in out


def test_check_config_knows_the_keys_production_reads(capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, err = run(capsys, "check-config", str(ROOT / "lms.yml"), "--settings",
                           str(ENVS / "production.py"))
    assert status == 1
    assert err.splitlines() == [
        f"{ROOT / 'lms.yml'}:29: unknown FEATURES key PREVIEW_LMS_BASE: not a documented key "
        "of FEATURES (a typo, or a key that was removed?) (at FEATURES.PREVIEW_LMS_BASE)",
        f"{ROOT / 'lms.yml'}:30: unknown FEATURES key ENABLE_DISCUSION_HOME_PANEL; did you mean "
        "'ENABLE_DISCUSSION_HOME_PANEL'? (at FEATURES.ENABLE_DISCUSION_HOME_PANEL)",
        f"{ROOT / 'lms.yml'}:37: unknown setting PLATFROM_NAME; did you mean 'PLATFORM_NAME'?",
    ]
    assert "placeholder-not-a-real" not in out + err and "starts-with-bang" not in out + err
    catalog = read_source([ENVS / "production.py"])
    assert catalog.config_variable == "LMS_CFG"
    assert {"ADDL_INSTALLED_APPS", "AWS_*", "FAVICON_URL", "LANGUAGE_COOKIE",
            "ELASTIC_SEARCH_CONFIG_ES7", "CELERY_EXTRA_IMPORTS"} <= set(catalog.config_keys)
    assert catalog.get("SITE_NAME").required and catalog.get("SECRET_KEY").required
    # names holding the config are no settings
    assert "ENV_TOKENS" not in catalog and "ENV_FEATURES" not in catalog
    assert catalog.get("CACHES").value == "ENV_TOKENS.get('CACHES', {})"  # the key's setting


def test_sample_config_names_the_config_variable(capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = run(capsys, "sample-config", str(ENVS / "production.py"))
    assert status == 0
    assert "# Save it as the YAML file named by LMS_CFG, replace every" in out
    assert "SITE_NAME: <required>" in out
    status, out, _ = run(capsys, "sample-config", str(COMMON), "--config-var", "LMS_CFG")
    assert "# Sample configuration for lms." in out and "named by LMS_CFG" in out


@pytest.mark.sphinx("html", testroot="settings-modules")
def test_reference_of_a_module(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    rows = setting_texts((app.outdir / "index.html").read_text())
    assert "FEATURES['ENABLE_DISCUSSION_SERVICE']" in rows
    assert " Default '/edx/var/edxapp/data' " in rows["DATA_DIR"]
    assert rows["FEATURES['ENABLE_DISCUSSION_SERVICE']"].startswith(
        "FEATURES['ENABLE_DISCUSSION_SERVICE']¶ toggle ")
    entries = {e["name"]: e for e in app.env.get_doctree("index").findall(setting_entry)}
    entry = entries["FEATURES['ENABLE_DISCUSSION_SERVICE']"]
    assert next(entry.findall(nodes.warning)).astext().startswith("If a course contains")
    assert " Environment variable STATIC_ROOT_LMS " in rows["STATIC_ROOT"]
    std = app.env.get_domain("std")
    assert ("setting", "FEATURES['ENABLE_DISCUSSION_SERVICE']") in std.objects
    warnings = warning_lines(app)
    common = str(COMMON).replace(str(ROOTS / "test-settings-modules"), str(app.srcdir))
    assert f"{common}:107: WARNING: the annotation names CUSTOM_COURSES_EDX, but the " \
        "statement under it defines FEATURES['CUSTOM_COURSES_EDX']: give the annotation " \
        "the setting's name" in warnings
    assert f"{common}:64: WARNING: lines 64-65 of the annotation of " \
        "FEATURES['DISABLE_START_DATES'] are in no field: code-annotations drops them, and so " \
        "does the reference; to keep them, indent them past the field's '..' ('#   text') or " \
        "move them above the block" in warnings
    assert len([w for w in warnings if re.search(r"common\.py:\d+: WARNING", w)]) == 16
    assert typed("x [opsdocs.annotation-name]")  # the subtype is the check


@pytest.mark.sphinx("html", testroot="settings-modules",
                    confoverrides={"opsdocs_public_settings": ["*"]})
def test_public_settings_config_value(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    assert "secret-name" not in app.warning.getvalue()
    assert "not shown (secret)" not in (app.outdir / "index.html").read_text()


SAMPLEAPP = ROOT / "sampleapp"


def test_reads_cli(capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = run(capsys, "reads", str(SAMPLEAPP), "--settings", str(COMMON))
    assert status == 0
    lines = out.splitlines()
    views = SAMPLEAPP / "views.py"
    assert f"{views}:21: FEATURES['ENABLE_DISCUSSION_SERVICE'] (default False)" in lines
    assert f"{views}:47: a setting named by a variable: not resolved" in lines
    assert f"{views}:52: ALLOW_ADMIN_ENTERPRISE_COURSE_ENROLLMENT_DELETION (default False)" \
        in lines  # named by a constant of another module
    assert f"{views}:21: FEATURES['ENABLE_DISCUSSION_SERVICE'] is read here with default False, " \
        f"but it is declared as True (common.py, line 78): use the same default" in lines
    assert f"{views}:11: ENTERPRISE_COURSE_ENROLLMENT_AUDIT_MODES is read here with default " \
        "['audit', 'honor'] (read 2 times in all), but no settings module declares it: declare " \
        "and document it" in lines
    assert f"{views}:16: ENTERPRISE_COURSE_ENROLLMENT_AUDIT_MODES is read here with default " \
        "['audit'], but with ['audit', 'honor'] at views.py, line 11: use one default" in lines
    # declared, read without a default or with the declared one: no problem
    assert not [line for line in lines if "LMS_ROOT_URL is" in line or "ENABLE_EDXNOTES'] is" in line]
    # a local called settings is not Django's; the secret-looking default is never shown
    assert "PAGE_SIZE" not in out and "dev-api-key" not in out
    assert run(capsys, "reads", str(SAMPLEAPP), "--settings", str(COMMON), "--strict")[0] == 1


def test_reads_json(capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = run(capsys, "reads", str(SAMPLEAPP), "--format", "json")
    assert status == 0
    data = json.loads(out)
    kinds = {(r["name"], r["kind"]) for r in data["reads"]}
    assert {("EMAIL_USE_COURSE_ID_FROM_FOR_BULK", "toggle"), ("SAMPLE_CLIENT_BASE_URL",
            "attribute"), ("FEATURES['ENABLE_EDXNOTES']", "key")} <= kinds
    assert next(r for r in data["reads"] if r["name"] == "SAMPLE_CLIENT_API_KEY")["default"] is None
    assert data["problems"] == []  # nothing to check against without --settings
    # a parameter named settings is Django's (plugin_settings(settings), derived lambdas)
    # unless the function rebinds it; a parameter of another name is not
    assert {("SAMPLE_PLUGIN_BASE", "getattr"), ("SAMPLE_DERIVED_BASE", "attribute")} <= kinds
    assert not {name for name, _ in kinds} & {"PAGE_SIZE", "SAMPLE_NOT_SETTINGS"}
    plugin = next(r for r in data["reads"] if r["name"] == "SAMPLE_PLUGIN_BASE")
    assert plugin["default"] == "'/plugin'"


@pytest.mark.sphinx("html", testroot="settings-modules")
def test_reads_option_adds_undeclared_settings(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    rows = setting_texts((app.outdir / "reads.html").read_text())
    text = rows["ENTERPRISE_COURSE_ENROLLMENT_AUDIT_MODES"]
    assert " not declared " in text and "Read at:" in text
    assert "Not declared: read in code, but no settings module defines it." in text
    assert "read with default ['audit', 'honor'] (line 11)" in text
    assert "read with default ['audit'] (line 16)" in text
    assert "settings-modules/sampleapp/views.py, line 11" in text
    assert "FEATURES['ENABLE_DISCUSSION_SERVICE']" in rows  # declared: listed, not added
    assert rows["SAMPLE_CLIENT_API_KEY"].startswith("SAMPLE_CLIENT_API_KEY secret not declared ")
    assert "dev-api-key" not in (app.outdir / "reads.html").read_text()
    warnings = own_warnings(app)
    assert f"{app.srcdir / 'sampleapp' / 'views.py'}:21: WARNING: FEATURES" \
        "['ENABLE_DISCUSSION_SERVICE'] is read here with default False, but it is declared as " \
        "True (common.py, line 78): use the same default" in warnings


@pytest.mark.sphinx("html", testroot="settings-modules",
                    confoverrides={"opsdocs_secret_settings": ["EDX_API_KEY", "SECRET_KEY",
                                                               "PROFILE_IMAGE_HASH_SEED"]})
def test_toggles_by_dotted_path_and_confirmed_secrets(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    rows = setting_texts((app.outdir / "toggles.html").read_text())
    # :no-index: listing: names without a permalink, each with the toggle badge
    assert len(rows) == 15 and all(text.startswith(f"{name} toggle ") for name, text in rows.items())
    assert "FEATURES['ENABLE_EDXNOTES']" in rows and "DATA_DIR" not in rows
    secret_warnings = [line for line in warning_lines(app) if "looks secret" in line]
    assert [line.split(":")[1] for line in secret_warnings] == ["299", "426"]
    html = (app.outdir / "index.html").read_text()
    assert "placeholder_secret_key" not in html and "dev key" not in html
