"""Open edX's settings as they are in 2026 (ADR 0022, "settings simplification"): what the
reader, the CLI and the config check make of the shapes of openedx-platform's
``openedx/envs/common.py``, ``lms/envs/common.py`` and ``cms/envs/common.py``, of
credentials' settings and of plugins (fixtures written in those shapes, small)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from opsdocs.settings.code_reads import scan_reads
from opsdocs.settings.imports import SharedReads
from opsdocs.settings.model import SettingsCatalog
from opsdocs.settings.read_checks import reads_problems, undeclared_settings
from opsdocs.settings.reader import read_settings, source_from_specs
from opsdocs.settings.sources import nearby, resolve_source
from tests.helpers import ROOTS
from tests.settings.support import module, problems, run

ROOT = ROOTS / "test-openedx-2026"
LMS = ROOT / "lms" / "envs" / "common.py"
CMS = ROOT / "cms" / "envs" / "common.py"


def lms() -> SettingsCatalog:
    return source_from_specs(["lms.envs.common"], search_path=[ROOT])


def cms() -> SettingsCatalog:
    return source_from_specs(["cms.envs.common"], search_path=[ROOT])


def messages(catalog: SettingsCatalog, check: str) -> list[str]:
    return [p.message for p in catalog.problems if p.check == check]


def test_settings_x_names_the_flattened_flag_x() -> None:
    catalog = lms()
    names = messages(catalog, "annotation-name")
    assert not any("settings.ENABLE_SPECIAL_EXAMS" in m for m in names)
    assert catalog.get("DISABLE_ALLOWED_ENROLLMENT_IF_ENROLLMENT_CLOSED").toggle
    # the true positives stay
    assert "the annotation names SOME_FEATURE_NAME, but the statement under it defines " \
        "SHOW_ACCOUNT_ACTIVATION_CTA: give the annotation the setting's name" in names
    assert any(m.startswith("the annotation names ELASTIC_SEARCH_INDEX_PREFIX") for m in names)


def test_a_later_module_annotates_a_setting_again() -> None:
    catalog = lms()
    assert messages(catalog, "annotation-orphan") == []
    exams = catalog.get("ENABLE_SPECIAL_EXAMS")
    assert exams.doc == "Enables special exams (timed and proctored) in the LMS."
    assert exams.field("toggle_name") == "settings.ENABLE_SPECIAL_EXAMS"


def test_each_block_is_checked_against_its_own_module() -> None:
    defaults = messages(cms(), "annotation-default")
    # the shared module's block is right about the shared module's dict; Studio adds a key
    assert not any("REGISTRATION_EXTRA_FIELDS" in m for m in defaults)
    # a bare declaration is checked against the service's value, at its place, and the
    # note of the service's own default counts for that service
    assert not any("ENABLE_MAX_FAILED_LOGIN_ATTEMPTS" in m for m in defaults)
    assert "the default the annotation notes for the CMS of ENABLE_DISCUSSION_HOME_PANEL, " \
        "False differs from the code's True in cms/envs/common.py, line 17: correct the " \
        "annotation (the reference shows the code's default)" in defaults


def test_a_drift_message_shows_the_difference() -> None:
    assert "the annotation's default of LIBRARY_ENABLED_BLOCKS lists 4 items, the code's 8 " \
        "(the code also has 'openassessment', 'conditional', 'done', 'lti'): correct the " \
        "annotation (the reference shows the code's default)" in messages(
            cms(), "annotation-default")


@pytest.mark.parametrize(("annotated", "code", "said"), [
    ("{'a': 1, 'b': 2}", "{'a': 1, 'b': 3}", "gives key 'b' 2, the code's 3"),
    ("{'a': 1}", "{'a': 1, 'c': 2}", "lacks key 'c' of the code's"),
    ("['x', 'y']", "['y', 'x']", "(the same items in another order)"),
    ("'https://example.com/some/long/path/to/an/api/v1/'",
     "'https://example.com/some/long/path/to/an/api/v2/'",
     ", ...o/an/api/v1/' differs from the code's ...o/an/api/v2/'"),
])
def test_drift_messages(tmp_path: Path, annotated: str, code: str, said: str) -> None:
    catalog = module(tmp_path, f"""\
        # .. setting_name: X
        # .. setting_default: {annotated}
        # .. setting_description: A setting.
        X = {code}
        """)
    (message,) = messages(catalog, "annotation-default")
    assert said in message


def test_blocks_inside_update_calls_are_attached_with_their_text() -> None:
    catalog = lms()
    name = ("EVENT_BUS_PRODUCER_CONFIG['org.openedx.learning.course.unenrollment.completed"
            ".v1']['course-unenrollment-lifecycle']['enabled']")
    entry = catalog.get(name)
    assert (entry.value, entry.parent, entry.toggle) == ("False", "EVENT_BUS_PRODUCER_CONFIG",
                                                         True)
    assert entry.doc == "Enables sending COURSE_UNENROLLMENT_COMPLETED events over the event bus."
    assert messages(catalog, "annotation-orphan") == []


def test_follow_on_lines_written_with_two_dots(tmp_path: Path) -> None:
    catalog = module(tmp_path, """\
        # .. toggle_name: ENABLE_COPPA_COMPLIANCE
        # .. toggle_implementation: DjangoSetting
        # .. toggle_default: False
        # .. toggle_description: Removes the year of birth from the registration form and
        # .. settings page.
        # .. toggle_use_cases: open_edx
        ENABLE_COPPA_COMPLIANCE = False
        """)
    setting = catalog.get("ENABLE_COPPA_COMPLIANCE")
    # as code-annotations reads it: the field ends there, the next field is read
    assert setting.doc == "Removes the year of birth from the registration form and"
    assert setting.field("toggle_use_cases") == "open_edx"
    assert messages(catalog, "annotation-text") == [
        "line 5 of the annotation of ENABLE_COPPA_COMPLIANCE is in no field: code-annotations "
        "drops it, and so does the reference; starts with '..', which ends the field above; to "
        "keep it, write it as '#   text', indented past the field's '..', not as '# .. text'"]


def test_features_proxy_makes_its_keys_the_settings(tmp_path: Path) -> None:
    catalog = module(tmp_path, """\
        from openedx.core.lib.features_setting_proxy import FeaturesProxy
        FEATURES = FeaturesProxy(globals())
        ENABLE_A = False
        FEATURES['ENABLE_A'] = True
        FEATURES.update({'ENABLE_B': True})
        FEATURES.setdefault('ENABLE_A', False)
        FEATURES.setdefault('ENABLE_C', 5)
        """)
    assert [s.name for s in catalog] == ["FEATURES", "ENABLE_A", "ENABLE_B", "ENABLE_C"]
    assert catalog.get("FEATURES").proxy
    assert catalog.get("ENABLE_A").value == "True"
    assert [d.line for d in catalog.get("ENABLE_A").definitions] == [3, 4]
    assert catalog.get("ENABLE_B").value == "True"
    assert catalog.setting_named("FEATURES['ENABLE_A']") == "ENABLE_A"
    assert catalog.setting_named("FEATURES['ENABLE_A']['x']") == "ENABLE_A['x']"
    assert catalog.setting_named("OTHER['ENABLE_A']") == "OTHER['ENABLE_A']"


def test_reads_of_features_keys_are_reads_of_the_settings(tmp_path: Path) -> None:
    code = tmp_path / "views.py"
    code.write_text(textwrap.dedent("""\
        from django.conf import settings

        def enabled(name):
            return settings.FEATURES.get(name, False)

        def view(request):
            if settings.FEATURES.get("ENABLE_SPECIAL_EXAMS"):
                return settings.FEATURES["ENABLE_MISSING"]
        """))
    found = scan_reads([code])
    catalog = lms()
    assert found.unresolved == [(str(code), 4)]  # named by a variable: said, not dropped
    undeclared = [p.message for p in reads_problems(found.reads, catalog)
                  if p.check == "reads-undeclared"]
    assert undeclared == ["ENABLE_MISSING is read here with no default, but no settings module "
                          "declares it: declare and document it"]
    assert [s.name for s in undeclared_settings(found.reads, catalog)] == ["ENABLE_MISSING"]


def test_hasattr_and_decorator_arguments_are_reads(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = tmp_path / "api.py"
    code.write_text(textwrap.dedent("""\
        from django.conf import settings
        from django.utils.decorators import method_decorator
        from django.views.decorators.cache import cache_page

        class View:
            @method_decorator(cache_page(settings.PROCTORING_CACHE_TIMEOUT))
            def get(self, request):
                if hasattr(settings, 'ORA2_FILEUPLOAD_BACKEND'):
                    return settings.ORA2_FILEUPLOAD_BACKEND
        """))
    found = scan_reads([code])
    assert [(r.name, r.line, r.kind) for r in found.reads] == [
        ("PROCTORING_CACHE_TIMEOUT", 6, "attribute"),
        ("ORA2_FILEUPLOAD_BACKEND", 8, "hasattr"),
        ("ORA2_FILEUPLOAD_BACKEND", 9, "attribute")]
    optional = undeclared_settings(found.reads, SettingsCatalog("x"))[1]
    assert optional.name == "ORA2_FILEUPLOAD_BACKEND" and not optional.required
    status, out, _ = run(capsys, "reads", code)
    assert f"{code}:8: ORA2_FILEUPLOAD_BACKEND" in out
    assert status == 0


def test_derived_settings_are_computed_with_their_expression(capsys) -> None:  # type: ignore[no-untyped-def]
    catalog = cms()
    url = catalog.get("FRONTEND_REGISTER_URL")
    assert url.computed
    assert url.value == "Derived(lambda settings: settings.LMS_ROOT_URL + '/register')"
    _status, out, _ = run(capsys, "settings", "cms.envs.common", "--sys-path", ROOT)
    entry = out[out.index(".. setting:: FRONTEND_REGISTER_URL"):]
    assert ":Default: computed at startup from other settings" in entry
    assert "Derived(lambda settings: settings.LMS_ROOT_URL + '/register')" in entry


def test_a_setting_changed_through_another_is_followed() -> None:
    store = lms().get("DOC_STORE_CONFIG")
    assert store.effective_value == \
        "{'db': 'edxapp', 'host': 'localhost', 'port': 27017, 'read_preference': " \
        "'SECONDARY_PREFERRED'}"
    change = store.definitions[-1]
    assert (change.kind, change.via, change.file) == (
        "statement", "CONTENTSTORE['DOC_STORE_CONFIG']", str(nearby(LMS)))
    assert change.value == \
        "CONTENTSTORE['DOC_STORE_CONFIG']['read_preference'] = 'SECONDARY_PREFERRED'"


def test_a_change_that_may_reach_a_setting_is_listed(tmp_path: Path) -> None:
    catalog = module(tmp_path, """\
        DOC_STORE_CONFIG = {'db': 'edxapp'}
        MODULESTORE = {'stores': [{'NAME': 'split', 'DOC_STORE_CONFIG': DOC_STORE_CONFIG}]}
        for store in range(1):
            MODULESTORE['stores'][store]['DOC_STORE_CONFIG']['db'] = 'other'
        MODULESTORE['stores'][0]['DOC_STORE_CONFIG'] = {'db': 'replaced'}
        MODULESTORE['stores'][0]['DOC_STORE_CONFIG']['db'] = 'not the alias any more'
        DOC_STORE_CONFIG['host'] = 'localhost'
        """)
    store = catalog.get("DOC_STORE_CONFIG")
    # changed elsewhere, at line 4, through a computed index: listed, the value not folded
    assert [(d.line, d.via) for d in store.definitions] == [(1, None), (4, None), (7, None)]
    assert store.effective_value is None


def test_slice_assignments_are_folded() -> None:
    processors = lms().get("CONTEXT_PROCESSORS")
    assert processors.effective_value == (
        "['django.template.context_processors.request', "
        "'lms.djangoapps.courseware.context_processor.user_timezone_locale_prefs', "
        "'django.template.context_processors.static', "
        "'lms.djangoapps.mobile_api.context_processor.is_from_mobile_app']")
    assert processors.definitions[2].key == "1:1"


def test_toggle_objects_in_settings_modules_are_toggles(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "base.py"
    path.write_text(textwrap.dedent("""\
        from edx_toggles.toggles import WaffleSwitch

        # .. toggle_name: LOG_INCOMING_REQUESTS
        # .. toggle_implementation: WaffleSwitch
        # .. toggle_default: False
        # .. toggle_description: Toggle to control whether we log incoming REST requests.
        # .. toggle_use_cases: opt_in
        # .. toggle_creation_date: 2024-01-25
        LOG_INCOMING_REQUESTS = WaffleSwitch("api.log_incoming_requests", module_name=__name__)
        PLAIN = WaffleSwitch("api.plain", module_name=__name__)
        """))
    catalog = source_from_specs([path])
    switch = catalog.get("PLAIN")
    assert (switch.toggle, switch.toggle_object) == (True, "WaffleSwitch")
    assert problems(catalog) == []
    _, out, _ = run(capsys, "settings", path, "--format", "json")
    data = {s["name"]: s for s in json.loads(out)["settings"]}
    assert data["LOG_INCOMING_REQUESTS"]["toggle_object"] == "WaffleSwitch"
    _, out, _ = run(capsys, "settings", path)
    assert ":Default: waffle switch 'api.plain' (WaffleSwitch): off until turned on in the " \
        "database" in out


def test_prose_defaults_are_shown_beside_the_code(capsys) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = run(capsys, "settings", "openedx.envs.common", "--sys-path", ROOT)
    survey = out[out.index(".. setting:: SURVEY_REPORT_CHECK_THRESHOLD"):]
    survey = survey[:survey.index("\n.. setting::")]
    assert ":Default: ``6``" in survey
    assert ":Documented default: every 6 months" in survey
    platform = out[out.index(".. setting:: PLATFORM_NAME"):]
    # the code's own string written without quotes is no prose
    assert "Documented default" not in platform[:platform.index("\n.. setting::")]


def test_plugin_settings_docs_and_features_writes(tmp_path: Path) -> None:
    catalog = module(tmp_path, """\
        \"\"\"Common settings for the sample plugin.\"\"\"


        def plugin_settings(settings):
            \"\"\"Modify the settings the platform hands the plugin.\"\"\"
            #: How many completions are aggregated in one batch.
            settings.COMPLETION_AGGREGATOR_BATCH_SIZE = 1000
            # .. setting_name: COMPLETION_AGGREGATOR_ASYNC_AGGREGATION
            # .. setting_default: False
            # .. setting_description: Aggregate completions in a celery task.
            settings.COMPLETION_AGGREGATOR_ASYNC_AGGREGATION = False
            settings.FEATURES['ENABLE_COMPLETION_AGGREGATOR'] = True
        """)
    assert catalog.get("COMPLETION_AGGREGATOR_BATCH_SIZE").doc == \
        "How many completions are aggregated in one batch."
    assert catalog.get("COMPLETION_AGGREGATOR_ASYNC_AGGREGATION").doc == \
        "Aggregate completions in a celery task."
    flag = catalog.get("FEATURES['ENABLE_COMPLETION_AGGREGATOR']")
    assert (flag.value, flag.parent) == ("True", "FEATURES")


def test_check_config_checks_keys_under_a_proxy(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "lms.yml"
    config.write_text("FEATURES:\n  ENABLE_SPECIAL_EXAM: true\n  ENABLE_SPECIAL_EXAMS: true\n"
                      "ENABLE_SPECIAL_EXAM: true\n")
    status, _out, err = run(capsys, "check-config", config, "--settings", "lms.envs.production",
                           "--sys-path", ROOT)
    assert status == 1
    # a typo under FEATURES is caught as one at the top level is
    assert f"{config}:2: unknown FEATURES key ENABLE_SPECIAL_EXAM; did you mean " \
        "'ENABLE_SPECIAL_EXAMS'? (at FEATURES.ENABLE_SPECIAL_EXAM)" in err
    assert f"{config}:4: unknown setting ENABLE_SPECIAL_EXAM; did you mean " \
        "'ENABLE_SPECIAL_EXAMS'?" in err
    # a right one is the setting, better written at the top (the service warns it is
    # deprecated as a FEATURES key)
    assert [line for line in err.splitlines() if ":3:" in line] == [
        f"{config}:3: FEATURES.ENABLE_SPECIAL_EXAMS is the top-level setting "
        "ENABLE_SPECIAL_EXAMS (FEATURES is FeaturesProxy(globals())): write "
        "'ENABLE_SPECIAL_EXAMS: ...' at the top level ('opsdocs upgrade --fix' moves it) "
        "(at FEATURES.ENABLE_SPECIAL_EXAMS)"]


def test_reads_shared_by_the_references_of_a_build_change_nothing() -> None:
    """The references of one build share files parsed and what a module read first leaves
    (``SharedReads``): each catalog is the one a read of its own gives."""
    shared = SharedReads()
    for spec in ("openedx.envs.common", "lms.envs.common", "cms.envs.common",
                 "lms.envs.production", "lms.envs.common"):
        source = resolve_source([spec], ROOT, [ROOT])
        assert read_settings(source, reads=shared) == read_settings(source)
    assert len(shared.parsed) == 4
