"""Each check is a located problem with its own subtype, and fires where it should only."""

from __future__ import annotations

from opsdocs.toggles.model import CHECKS
from tests.toggles.tree import block, checks, code, read


def messages(catalog) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.check, p.message) for p in catalog.problems]


def test_an_annotation_naming_another_name_than_the_code_registers(tmp_path):
    catalog = read(tmp_path, {"auth/toggles.py": "NS = 'thirdpartyauth'\n\n"
                              + block("third_party_auth.apple_user_migration")
                              + "FLAG = WaffleFlag(f'{NS}.apple_user_migration', __name__)\n"})
    assert messages(catalog) == [(3, "toggle-name", (
        "the annotation publishes the toggle third_party_auth.apple_user_migration, but the "
        "code registers thirdpartyauth.apple_user_migration: publish the name the code "
        "registers (# .. toggle_name: thirdpartyauth.apple_user_migration)"))]


def test_an_annotation_naming_another_implementation(tmp_path):
    catalog = read(tmp_path, {"app/toggles.py": block("app.flag", "WaffleFlag")
                              + "FLAG = CourseWaffleFlag('app.flag', __name__)\n"})
    assert messages(catalog) == [(2, "toggle-implementation", (
        "the annotation of app.flag says toggle_implementation: WaffleFlag, but the code "
        "makes a CourseWaffleFlag: write toggle_implementation: CourseWaffleFlag"))]


def test_setting_implementations_fit_each_other_both_ways(tmp_path):
    """DjangoSetting names any toggle that is a Django setting, as code-annotations'
    choices and edx-toggles' docs have it: over a SettingToggle or SettingDictToggle, as a
    SettingToggle block over code reading the setting fits; the two classes differ."""
    catalog = read(tmp_path, {"app/toggles.py": "".join([
        block("USE_A", "DjangoSetting"), "A = SettingToggle('USE_A', default=False)\n",
        block("FEATURES['USE_B']", "DjangoSetting"),
        "B = SettingDictToggle('FEATURES', 'USE_B', default=False)\n",
        block("USE_C", "SettingToggle"), "def c():\n    return settings.USE_C\n",
        block("USE_D", "SettingToggle"), "D = SettingDictToggle('FEATURES', 'USE_D', False)\n",
    ]) + "from django.conf import settings\n"})
    assert messages(catalog) == [(24, "toggle-implementation", (
        "the annotation of USE_D says toggle_implementation: SettingToggle, but the code "
        "makes a SettingDictToggle: write toggle_implementation: SettingDictToggle"))]


def test_a_temporary_toggle_past_its_target_removal_date(tmp_path):
    past = "# .. toggle_target_removal_date: 2024-08-01\n"
    catalog = read(tmp_path, {"app/toggles.py": "".join([
        block("app.past", use_cases="temporary", extra=past), "A = WaffleFlag('app.past', __name__)\n",
        block("app.future", use_cases="temporary",
              extra="# .. toggle_target_removal_date: 2025-06-02\n"),
        "B = WaffleFlag('app.future', __name__)\n",
        block("app.permanent", extra=past), "C = WaffleFlag('app.permanent', __name__)\n",
        block("app.loose_date", use_cases="opt_in, temporary",
              extra="# .. toggle_target_removal_date: 2024-8-1\n"),
        "D = WaffleFlag('app.loose_date', __name__)\n",
    ])})
    assert [(line, check) for line, check, _ in messages(catalog)] == [  # by toggle's name
        (31, "toggle-past-due"), (31, "toggle-date"), (7, "toggle-past-due")]
    assert catalog.problems[2].message == (
        "the temporary toggle app.past was to be removed by 2024-08-01: remove it, or move "
        "toggle_target_removal_date (and say why)")


def test_a_toggle_without_annotation(tmp_path):
    catalog = read(tmp_path, {"app/toggles.py": code("""\
        PREVIEW = WaffleSwitch('app.preview', __name__)

        def flag(name):
            return CourseWaffleFlag(f'app.{name}', __name__)
        """)})
    assert messages(catalog) == [
        (1, "toggle-undocumented", (
            "the WaffleSwitch app.preview has no annotation: document it with a '# .. "
            "toggle_name: app.preview' block right above it (implementation, default, "
            "description, use cases, creation date)")),
        (4, "toggle-undocumented", (
            "the CourseWaffleFlag app.{name} has no annotation, and its name is built when the "
            "code runs: document each name it makes with a block of its own where that name "
            "is written, and mark this call '# pylint: disable=toggle-missing-annotation' as "
            "edx-lint does"))]


def test_edx_lints_waiver_of_a_missing_annotation_is_honoured(tmp_path):
    """``# pylint: disable=toggle-missing-annotation`` as pylint reads it: after the code on
    the call's line, alone for the rest of its block, disable-next for the next line; the
    toggle is still listed."""
    catalog = read(tmp_path, {"app/toggles.py": code("""\
        A = WaffleSwitch('app.a', __name__)  # lint-amnesty, pylint: disable=toggle-missing-annotation
        B = WaffleSwitch('app.b', __name__)

        class Bucketed:
            def __init__(self, name):
                self.flags = [
                    CourseWaffleFlag(f'{name}.{n}', __name__)  # pylint: disable=toggle-missing-annotation
                    for n in range(2)
                ]

        def flag(name):
            # pylint: disable=toggle-missing-annotation
            made = WaffleFlag(f'app.{name}', __name__)
            return made

        def switch(name):
            return WaffleSwitch(f'app.{name}', __name__)

        # pylint: disable-next=toggle-missing-annotation
        C = WaffleFlag('app.c', __name__)
        # pylint: disable=feature-toggle-needs-doc,invalid-name
        D = WaffleFlag('app.d', __name__)
        # pylint: enable=feature-toggle-needs-doc
        E = WaffleFlag('app.e', __name__)
        F = WaffleFlag('app.f', __name__)  # pylint: disable=invalid-name
        """)})
    assert [(p.line, p.message.split(" has ")[0]) for p in catalog.problems] == [
        (2, "the WaffleSwitch app.b"), (24, "the WaffleFlag app.e"), (25, "the WaffleFlag app.f"),
        (17, "the WaffleSwitch app.{name}")]
    assert len(catalog) == 9


def test_copies_of_a_waived_toggle_are_no_duplicates(tmp_path):
    """openedx-platform makes ``videos.video_image_upload_enabled`` in three modules, each
    waived: code-annotations lists none of them, so none is a copy to remove."""
    waived = ("SWITCH = WaffleSwitch('videos.upload', __name__)  "
              "# pylint: disable=toggle-missing-annotation\n")
    catalog = read(tmp_path, {"a/waffle.py": waived, "b/views.py": waived,
                              "c/utils.py": block("videos.upload", "WaffleSwitch") +
                              "SWITCH = WaffleSwitch('videos.upload', __name__)\n"})
    assert catalog.problems == ()
    assert len(catalog) == 3


def test_two_definitions_publishing_one_name_warn_at_the_copy(tmp_path):
    catalog = read(tmp_path, {
        "a_copy/toggles.py": block("app.flag") + "COPY = WaffleFlag('copy.flag', __name__)\n",
        "app/toggles.py": block("app.flag") + "FLAG = WaffleFlag('app.flag', __name__)\n",
        "z/toggles.py": block("app.flag") + "SAME = WaffleFlag('app.flag', __name__)\n",
        "factory/a.py": "def f(n):\n    return WaffleFlag(n, __name__)\n",
        "factory/b.py": "def f(n):\n    return WaffleFlag(n, __name__)\n",
    })
    assert [c for c in checks(catalog, tmp_path) if c[2] != "toggle-undocumented"] == [
        ("a_copy/toggles.py", 1, "toggle-name"),
        ("z/toggles.py", 1, "toggle-duplicate"),
        ("a_copy/toggles.py", 1, "toggle-duplicate")]
    duplicates = [p for p in catalog.problems if p.check == "toggle-duplicate"]
    assert duplicates[0].message == (
        f"the toggle app.flag is defined again (first at {tmp_path}/app/toggles.py, line 7): "
        "code-annotations' list shows one of them; rename one, or remove the copy")
    # the entry of the right one comes first: it is the name's object on the page
    assert [t.file.split("/")[-2] for t in catalog if t.name == "app.flag"] == [
        "app", "z", "a_copy"]


def test_each_services_settings_are_no_copies_and_a_star_imported_one_is(tmp_path):
    """Two services' settings modules each set a setting of their own (no warning); a
    settings module that re-documents what a module it star-imports documents is the copy,
    warned at, whatever the files' names."""
    star = "from shared.envs.common import *  # the Open edX way\n\n"
    own = ("FEATURES = {\n" + block("FEATURES['HELP_LINK']", "DjangoSetting") + "'HELP_LINK': 1}\n"
           + block("USE_COPPA", "DjangoSetting") + "USE_COPPA = False\n")
    catalog = read(tmp_path, {
        **{f"{name}/__init__.py": "" for name in ("alpha", "beta", "shared")},
        **{f"{name}/envs/__init__.py": "" for name in ("alpha", "beta", "shared")},
        "alpha/envs/common.py": star + own + block("BADGES", "DjangoSetting") + "BADGES = 1\n",
        "beta/envs/common.py": star + own,
        "shared/envs/common.py": block("BADGES", "DjangoSetting") + "BADGES = 0\n"
        + block("BADGES", "DjangoSetting") + "BADGES = 2\n",
    })
    assert checks(catalog, tmp_path) == [
        ("alpha/envs/common.py", 18, "toggle-duplicate"),
        ("shared/envs/common.py", 8, "toggle-duplicate")]
    assert catalog.problems[0].message == (
        f"the toggle BADGES is defined again (first at {tmp_path}/shared/envs/common.py, line "
        "7, which this module star-imports): code-annotations' list shows both; keep the "
        "block where it is first defined and remove this one (the assignment may stay)")
    assert len([t for t in catalog if t.name == "USE_COPPA"]) == 2  # both listed


def test_invalid_dates_unknown_fields_and_choices(tmp_path):
    catalog = read(tmp_path, {"app/toggles.py": code("""\
        # .. toggle_name: app.flag
        # .. toggle_implementation: WafleFlag
        # .. toggle_use_cases: temporary, opt-in
        # .. toggle_creation_date: 2019-13-01
        # .. toggle_target_removal_date: Teak
        # .. toggle_life_expectancy: permanent
        # .. toggle_warnings: Plural.
        FLAG = WaffleFlag('app.flag', __name__)
        """)})
    assert messages(catalog) == [
        (2, "toggle-implementation", "the annotation of app.flag says toggle_implementation: "
            "WafleFlag, but the code makes a WaffleFlag: write toggle_implementation: WaffleFlag"),
        (2, "toggle-choice", "toggle_implementation of app.flag is 'WafleFlag', which is none "
            "of code-annotations' choices: WaffleFlag, WaffleSwitch, CourseWaffleFlag, "
            "ExperimentWaffleFlag, SettingToggle, SettingDictToggle, ConfigurationModel, "
            "DjangoSetting"),
        (3, "toggle-choice", "toggle_use_cases of app.flag is 'opt-in', which is none of "
            "code-annotations' choices: temporary, circuit_breaker, vip, opt_out, opt_in, "
            "open_edx"),
        (4, "toggle-date", "toggle_creation_date of app.flag, '2019-13-01', is not a date: "
            "write it as YYYY-MM-DD (2024-08-01)"),
        (5, "toggle-date", "toggle_target_removal_date of app.flag, 'Teak', is not a date: "
            "write it as YYYY-MM-DD (2024-08-01)"),
        (6, "toggle-field", "unknown annotation field toggle_life_expectancy: code-annotations "
            "ignores it; did you mean 'toggle_implementation'?"),
        (7, "toggle-field", "unknown annotation field toggle_warnings: code-annotations "
            "ignores it (opsdocs shows it as a warning); did you mean 'toggle_warning'?"),
    ]


def test_names_of_settings_and_models_are_compared_as_they_are_written(tmp_path):
    catalog = read(tmp_path, {
        "envs/common.py": "".join([
            block("settings.ENABLE_A", "DjangoSetting"), "ENABLE_A = True\n",
            block("ENABLE_B", "DjangoSetting"), "FEATURES['ENABLE_B'] = True\n",
            block("FEATURES['ENABLE_C']", "SettingToggle"), "ENABLE_C = False\n",
            "FEATURES = {\n", block('FEATURES["ENABLE_D"]', "DjangoSetting"), "'ENABLE_D': 1}\n"]),
        "app/models.py": "".join([
            block("Config.enabled", "ConfigurationModel"), "class Config(ConfigurationModel):\n    pass\n",
            block("Other", "ConfigurationModel"), "class Other(ConfigurationModel):\n    pass\n",
            block("require_auth", "ConfigurationModel"), "class Email(ConfigurationModel):\n    pass\n",
        ]),
    })
    assert checks(catalog, tmp_path) == [("app/models.py", 17, "toggle-name")]
    assert catalog.problems[0].message.startswith(
        "the annotation publishes the toggle require_auth, but the code registers Email")


def test_no_problem_in_a_well_documented_tree(tmp_path):
    catalog = read(tmp_path, {"app/toggles.py": block("app.flag", use_cases="temporary",
                                                      extra="# .. toggle_target_removal_date: None\n")
                              + "FLAG = WaffleFlag('app.flag', __name__)\n"})
    assert catalog.problems == ()


def test_every_check_is_listed():
    assert set(CHECKS) == {
        "toggle-name", "toggle-implementation", "toggle-past-due", "toggle-undocumented",
        "toggle-duplicate", "toggle-date", "toggle-field", "toggle-choice", "toggle-syntax",
        "toggle-too-large", "toggle-unreadable", "toggle-missing"}
