"""Django settings under a toggle's block: set, a dict's keys, read; setting toggles."""

from __future__ import annotations

from opsdocs.cli import main
from tests.toggles.tree import block, by_name, code, read, write


def test_setting_toggles_register_their_setting_with_its_default(tmp_path):
    found = by_name(read(tmp_path, {"app/toggles.py": block("ENABLE_X", "SettingToggle") + code("""\
        X = SettingToggle("ENABLE_X", default=True, module_name=__name__)
        """) + block("FEATURES['ENABLE_Y']", "SettingDictToggle") + code("""\
        Y = SettingDictToggle("FEATURES", "ENABLE_Y", True)
        Z = SettingToggle("ENABLE_Z")
        """)}))
    assert [(t.registered, t.default, t.setting) for t in found.values()] == [
        ("ENABLE_X", "True", "ENABLE_X"), ("ENABLE_Z", "False", "ENABLE_Z"),
        ("FEATURES['ENABLE_Y']", "True", "FEATURES['ENABLE_Y']")]


def test_a_setting_toggle_without_block_of_a_documented_setting_is_a_read_of_it(tmp_path):
    catalog = read(tmp_path, {
        "envs/common.py": block("FEATURES['ENABLE_X']", "DjangoSetting") + "FEATURES = {}\n",
        "app/views.py": "def view():\n    return SettingDictToggle('FEATURES', 'ENABLE_X').is_enabled()\n",
    })
    assert [(t.name, t.documented) for t in catalog] == [("FEATURES['ENABLE_X']", True)]


def test_django_settings_under_a_block_are_toggles(tmp_path):
    found = by_name(read(tmp_path, {"envs/common.py": block("ENABLE_A", "DjangoSetting") + code("""\
        ENABLE_A = True
        FEATURES = {
        """) + "    " + block("FEATURES['ENABLE_B']", "DjangoSetting").replace("\n#", "\n    #") + code("""\
            'ENABLE_B': False,
            'NESTED': {
                # .. toggle_name: FEATURES['NESTED']['C']
                'C': 1,
            },
        }
        def plugin_settings(settings):
            settings.FEATURES.update({
                # .. toggle_name: FEATURES['ENABLE_D']
                'ENABLE_D': True,
            })
            # .. toggle_name: ENABLE_E
            settings.ENABLE_E = False
        """)}))
    assert {name: (t.implementation, t.registered, t.default) for name, t in found.items()} == {
        "ENABLE_A": ("DjangoSetting", "ENABLE_A", "True"),
        "FEATURES['ENABLE_B']": ("DjangoSetting", "FEATURES['ENABLE_B']", "False"),
        "FEATURES['NESTED']['C']": ("DjangoSetting", "FEATURES['NESTED']['C']", "1"),
        "FEATURES['ENABLE_D']": ("DjangoSetting", "FEATURES['ENABLE_D']", "True"),
        "ENABLE_E": ("DjangoSetting", "ENABLE_E", "False"),
    }


def test_a_block_over_code_reading_a_setting_documents_that_setting(tmp_path):
    found = by_name(read(tmp_path, {"app/mixin.py": code("""\
        class Mixin:
            def mobile(self):
                # .. toggle_name: FEATURES['ENABLE_MOBILE']
                return settings.FEATURES.get('ENABLE_MOBILE', False)

        # .. toggle_name: ENABLE_NAMES
        # .. toggle_implementation: DjangoSetting

        def names_enabled():
            return get_value('ENABLE_NAMES', getattr(settings, 'ENABLE_NAMES', True))

        def plugin_settings(settings):
            \"\"\"
            .. toggle_name: FEATURES['ENABLE_NEWS']
            .. toggle_implementation: SettingDictToggle
            \"\"\"
            settings.FEATURES['ENABLE_NEWS'] = False
            settings.FEATURES['NEWS_PER_PAGE'] = 5

        from django.conf import settings
        """)}))
    assert {name: (t.registered, t.default, t.line) for name, t in found.items()} == {
        "FEATURES['ENABLE_MOBILE']": ("FEATURES['ENABLE_MOBILE']", "False", 4),
        "ENABLE_NAMES": ("ENABLE_NAMES", "True", 9),
        "FEATURES['ENABLE_NEWS']": ("FEATURES['ENABLE_NEWS']", "False", 12),
    }


def test_a_secret_setting_s_default_is_never_read(tmp_path):
    (toggle,) = read(tmp_path, {"envs/common.py": block("API_SECRET", "DjangoSetting").replace(
        "toggle_default: False", "toggle_default: 'hunter2'") + "API_SECRET = 'hunter2'\n"}).toggles
    assert (toggle.default, toggle.shown_default, toggle.field("toggle_default")) == (
        None, None, None)
    assert "hunter2" not in repr(toggle)


def test_code_reads_settings_by_the_name_django_s_settings_have_there(tmp_path, capsys,
                                                                      monkeypatch):
    """Toggles read a block's code as ``opsdocs reads`` does: Django's settings imported
    under another name are read; a local variable named ``settings`` is not them."""
    write(tmp_path, {"app/views.py": code("""\
        from django.conf import settings as django_settings

        def courseware():
            # .. toggle_name: FEATURES['ENABLE_COURSEWARE']
            # .. toggle_implementation: DjangoSetting
            return django_settings.FEATURES.get('ENABLE_COURSEWARE', True)

        def export(settings):
            settings = {}
            # .. toggle_name: EXPORT_ENABLED
            # .. toggle_implementation: DjangoSetting
            return settings.EXPORT_ENABLED
        """)})
    monkeypatch.chdir(tmp_path)
    assert main(["toggles", "app", "--today", "2025-06-01"]) == 0
    assert capsys.readouterr().out.split("\n\n") == [
        "EXPORT_ENABLED (DjangoSetting)\n  app/views.py:10",
        "FEATURES['ENABLE_COURSEWARE'] (DjangoSetting)\n  Default: True\n"
        "  Setting: FEATURES['ENABLE_COURSEWARE']\n  app/views.py:6\n"]


def test_a_block_over_code_reading_a_key_of_any_dict_setting_documents_that_key(
        tmp_path, capsys, monkeypatch):
    """Keys of every dict setting count under a block (not only ``FEATURES``'s), with the
    default the code gives; a key not known leaves the dict read whole."""
    write(tmp_path, {"app/views.py": code("""\
        from django.conf import settings

        def custom_urls():
            # .. toggle_name: SOCIAL_SHARING_SETTINGS['CUSTOM_COURSE_URLS']
            # .. toggle_implementation: DjangoSetting
            return settings.SOCIAL_SHARING_SETTINGS.get('CUSTOM_COURSE_URLS', False)

        def feature(name):
            # .. toggle_name: FEATURES
            # .. toggle_implementation: DjangoSetting
            return settings.FEATURES.get(name)

        def both(name):
            # .. toggle_name: FEATURES['ENABLE_BOTH']
            # .. toggle_implementation: DjangoSetting
            return settings.FEATURES.get(name) or settings.FEATURES['ENABLE_BOTH']
        """)})
    monkeypatch.chdir(tmp_path)
    assert main(["toggles", "app", "--today", "2025-06-01"]) == 0
    assert capsys.readouterr().out.split("\n\n") == [
        "FEATURES (DjangoSetting)\n  Setting: FEATURES\n  app/views.py:11",
        "FEATURES['ENABLE_BOTH'] (DjangoSetting)\n  Setting: FEATURES['ENABLE_BOTH']\n"
        "  app/views.py:16",
        "SOCIAL_SHARING_SETTINGS['CUSTOM_COURSE_URLS'] (DjangoSetting)\n  Default: False\n"
        "  Setting: SOCIAL_SHARING_SETTINGS['CUSTOM_COURSE_URLS']\n  app/views.py:6\n"]


def test_a_constant_naming_a_waffle_toggle_is_no_setting(tmp_path, capsys, monkeypatch):
    """A constant outside a settings module is no Django setting: under a block naming no
    implementation, the block alone; under a block naming a waffle class, the switch its
    value names, with what the block gets wrong about it; no advice to publish the
    constant's Python name or to write DjangoSetting.  A settings module's assignment and
    a constant Django's settings give stay settings."""
    write(tmp_path, {
        "shop/core/constants.py": code("""\
            # .. toggle_name: allow_missing_lms_user_id
            # .. toggle_default: False
            # .. toggle_description: Allows a user without an LMS user id.
            # .. toggle_use_cases: open_edx
            ALLOW_MISSING_LMS_USER_ID = 'allow_missing_lms_user_id'

            # .. toggle_name: hubspot_forms_integration_enabled
            # .. toggle_implementation: WaffleSwitch
            # .. toggle_default: False
            # .. toggle_description: Sends orders to Hubspot.
            # .. toggle_use_cases: open_edx
            HUBSPOT_FORMS_INTEGRATION_ENABLE = "hubspot_forms_integration_enable"
            """),
        "shop/core/models.py": code("""\
            import waffle
            from shop.core.constants import ALLOW_MISSING_LMS_USER_ID

            def allowed():
                return waffle.switch_is_active(ALLOW_MISSING_LMS_USER_ID)
            """),
        "shop/middleware.py": "from django.conf import settings\n\n" + block(
            "LOG_CHANGES", "DjangoSetting") + "LOG_CHANGES = getattr(settings, 'LOG_CHANGES', False)\n",
        "shop/settings/base.py": block("ENABLE_X", "DjangoSetting") + "ENABLE_X = 'on'\n",
    })
    monkeypatch.chdir(tmp_path)
    assert main(["toggles", "shop", "--today", "2025-06-01"]) == 1
    out, err = capsys.readouterr()
    assert out.split("\n\n") == [
        "allow_missing_lms_user_id\n  Default: False\n  Allows a user without an LMS user id.\n"
        "  Use cases: open_edx\n  shop/core/constants.py:1",
        "ENABLE_X (DjangoSetting)\n  Default: 'on'\n  Turns it on.\n"
        "  Annotation's default: False\n  Use cases: open_edx\n  Created: 2024-01-01\n  Setting: ENABLE_X\n"
        "  shop/settings/base.py:7",
        "hubspot_forms_integration_enabled (WaffleSwitch, annotation disagrees)\n"
        "  Default: False\n  Sends orders to Hubspot.\n"
        "  Code registers: hubspot_forms_integration_enable\n  Use cases: open_edx\n"
        "  Python name: HUBSPOT_FORMS_INTEGRATION_ENABLE\n  shop/core/constants.py:12",
        "LOG_CHANGES (DjangoSetting)\n  Default: False\n"  # getattr(settings, ..., False)
        "  Turns it on.\n  Use cases: open_edx\n"
        "  Created: 2024-01-01\n  Setting: LOG_CHANGES\n  shop/middleware.py:9\n"]
    assert err.splitlines() == [
        "shop/core/constants.py:7: the annotation publishes the toggle "
        "hubspot_forms_integration_enabled, but the code registers "
        "hubspot_forms_integration_enable: publish the name the code registers "
        "(# .. toggle_name: hubspot_forms_integration_enable)"]


def test_a_block_over_the_constant_a_flag_is_made_of_documents_that_flag(tmp_path, capsys,
                                                                        monkeypatch):
    """xblock-lti-consumer's shape: the block stands over the flag's own name, a constant;
    the flag is made of it, with a namespace, in a function. One toggle, documented."""
    write(tmp_path, {"lti/plugin/compat.py": code("""\
        WAFFLE_NAMESPACE = 'lti_consumer'

        # .. toggle_name: lti_consumer.enable_database_config
        # .. toggle_implementation: CourseWaffleFlag
        # .. toggle_default: False
        # .. toggle_description: Stores LTI configurations in the database.
        # .. toggle_use_cases: open_edx
        # .. toggle_creation_date: 2022-06-29
        ENABLE_DATABASE_CONFIG = 'enable_database_config'


        def get_database_config_waffle_flag():
            from openedx.core.djangoapps.waffle_utils import CourseWaffleFlag
            return CourseWaffleFlag(f'{WAFFLE_NAMESPACE}.{ENABLE_DATABASE_CONFIG}', __name__)
        """)})
    monkeypatch.chdir(tmp_path)
    assert main(["toggles", "lti", "--today", "2025-06-01"]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (
        "lti_consumer.enable_database_config (CourseWaffleFlag)\n  Default: False\n"
        "  Stores LTI configurations in the database.\n  Use cases: open_edx\n"
        "  Created: 2022-06-29\n  lti/plugin/compat.py:14\n", "")
