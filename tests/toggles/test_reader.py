"""Reading the toggles of a code tree: definitions, blocks, names, defaults, the cache."""

from __future__ import annotations

import os

import pytest

from opsdocs.toggles.reader import FactsCache, ReadOptions, read_toggles
from tests.toggles.tree import TODAY, block, by_name, code, read, write

FLAG_NAMESPACE = "WAFFLE_FLAG_NAMESPACE = 'reports'\n\n"


def test_a_course_flag_named_by_an_f_string_is_read_with_every_field(tmp_path):
    toggle = by_name(read(tmp_path, {"reports/toggles.py": FLAG_NAMESPACE + code("""\
        # .. toggle_name: reports.enable_async_export
        # .. toggle_implementation: CourseWaffleFlag
        # .. toggle_default: False
        # .. toggle_description: Builds course exports in a background task instead of in
        #   the request.
        # .. toggle_use_cases: temporary
        # .. toggle_creation_date: 2024-02-01
        # .. toggle_target_removal_date: 2024-08-01
        # .. toggle_tickets: https://example.com/tickets/1
        # .. toggle_warning: Exports may arrive late.
        ENABLE_ASYNC_EXPORT = CourseWaffleFlag(f'{WAFFLE_FLAG_NAMESPACE}.enable_async_export', __name__)
        """)}))["reports.enable_async_export"]
    assert (toggle.registered, toggle.implementation, toggle.default) == (
        "reports.enable_async_export", "CourseWaffleFlag", "False")
    assert toggle.description == ("Builds course exports in a background task instead of in "
                                  "the request.")
    assert (toggle.use_cases, toggle.creation_date, toggle.target_removal_date) == (
        ("temporary",), "2024-02-01", "2024-08-01")
    assert toggle.tickets == "https://example.com/tickets/1"
    assert toggle.warnings == ("Exports may arrive late.",)
    assert (toggle.variable, toggle.line, toggle.annotation_line) == ("ENABLE_ASYNC_EXPORT", 13, 3)
    assert toggle.past_due(TODAY)


@pytest.mark.parametrize(("files", "registered"), [
    ({"app/toggles.py": "from .config import NS\nFLAG = WaffleFlag(f'{NS}.flag', __name__)\n",
      "app/config.py": "NS = 'app_ns'\n"}, "app_ns.flag"),
    ({"app/toggles.py": "from app.config import NS\nFLAG = WaffleFlag(NS + '.flag', __name__)\n",
      "app/config.py": "NS = 'app_ns'\n"}, "app_ns.flag"),
    ({"app/toggles.py": "from . import config\nFLAG = WaffleFlag('%s.flag' % config.NS, __name__)\n",
      "app/config.py": "NS = 'app_ns'\n"}, "app_ns.flag"),
    ({"app/toggles.py": "import app.config as c\nFLAG = WaffleFlag('{}.flag'.format(c.NS), __name__)\n",
      "app/config.py": "NS = 'app_ns'\n"}, "app_ns.flag"),
    ({"app/toggles.py": "from .config import NS\nFLAG = WaffleFlag(f'{NS}.flag', __name__)\n",
      "app/config.py": "from .names import BASE as NS\n",
      "app/names.py": "APP = 'app'\nBASE = f'{APP}_ns'\n"}, "app_ns.flag"),
    ({"app/toggles.py": "NS = LegacyWaffleFlagNamespace(name='legacy')\n"
                        "FLAG = LegacyWaffleFlag(NS, 'old', __name__)\n"}, "legacy.old"),
    ({"app/toggles.py": "NS = WaffleSwitchNamespace('legacy')\n"
                        "FLAG = WaffleSwitch(NS, 'old', __name__)\n"}, "legacy.old"),
    ({"app/toggles.py": "NS = WaffleFlagNamespace(name='legacy')\n"
                        "FLAG = CourseWaffleFlag(waffle_namespace=NS, flag_name='old')\n"},
     "legacy.old"),
    ({"app/toggles.py": "FLAG = LegacyWaffleSwitch('legacy', 'old', __name__)\n"}, "legacy.old"),
    ({"app/toggles.py": "FLAG = WaffleFlag(name='app.named', module_name=__name__)\n"}, "app.named"),
])
def test_registered_names_are_resolved_statically(tmp_path, files, registered):
    files = {"app/__init__.py": "", **files}
    (toggle,) = read(tmp_path, files).toggles
    assert (toggle.registered, toggle.known, toggle.name) == (registered, True, registered)


@pytest.mark.parametrize(("code", "pattern"), [
    ("def flag(name):\n    return WaffleSwitch(f'{NS}.{name}', __name__)\n", "app.{name}"),
    ("class A:\n    def flag(self):\n        return WaffleFlag(self.NAME, __name__)\n",
     "{self.NAME}"),
    ("from elsewhere import OTHER\nFLAG = WaffleFlag(f'{OTHER}.x', __name__)\n", "{OTHER}.x"),
    ("FLAG = WaffleFlag(make_name(), __name__)\n", "{make_name()}"),
])
def test_a_name_made_at_run_time_is_not_known_statically(tmp_path, code, pattern):
    (toggle,) = read(tmp_path, {"app/toggles.py": "NS = 'app'\n" + code}).toggles
    assert (toggle.registered, toggle.pattern, toggle.known, toggle.name) == (
        None, pattern, False, pattern)


def test_an_import_cycle_or_a_long_chain_ends_unknown(tmp_path):
    catalog = read(tmp_path, {
        "app/__init__.py": "",
        "app/a.py": "from .b import NS\nFLAG = WaffleFlag(f'{NS}.x', __name__)\n",
        "app/b.py": "from .a import NS\n",
    })
    assert [t.pattern for t in catalog] == ["{NS}.x"]


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
        """)}))
    assert {name: (t.registered, t.default, t.line) for name, t in found.items()} == {
        "FEATURES['ENABLE_MOBILE']": ("FEATURES['ENABLE_MOBILE']", "False", 4),
        "ENABLE_NAMES": ("ENABLE_NAMES", "True", 9),
        "FEATURES['ENABLE_NEWS']": ("FEATURES['ENABLE_NEWS']", "False", 12),
    }


def test_a_secret_setting_s_default_is_never_read(tmp_path):
    (toggle,) = read(tmp_path, {"envs/common.py": block("API_SECRET", "DjangoSetting")
                                + "API_SECRET = 'hunter2'\n"}).toggles
    assert toggle.default is None and toggle.shown_default == "False"  # the block's


def test_a_configuration_model_is_a_toggle_when_a_block_documents_it(tmp_path):
    catalog = read(tmp_path, {"app/models.py": code("""\
        class ExportConfig(ConfigurationModel):
            \"\"\"
            Exports.

            .. toggle_name: ExportConfig.enabled
            .. toggle_implementation: ConfigurationModel
            .. toggle_default: False
            .. toggle_description: Turns exports on, then each course chooses
              its format.
            .. toggle_use_cases: opt_in
            \"\"\"

        # .. toggle_name: StackedConfig.enabled
        # .. toggle_implementation: ConfigurationModel
        @decorated
        class StackedConfig(models.StackedConfigurationModel):
            pass

        class CacheConfig(ConfigurationModel):
            \"\"\"Not a toggle: no block documents it.\"\"\"
        """)})
    assert [(t.name, t.implementation, t.registered, t.line, t.annotation_line)
            for t in catalog] == [
        ("ExportConfig.enabled", "ConfigurationModel", "ExportConfig", 1, 5),
        ("StackedConfig.enabled", "ConfigurationModel", "StackedConfig", 16, 13)]
    assert catalog.toggles[0].description == "Turns exports on, then each course chooses its format."
    assert catalog.toggles[0].field_lines[:3] == (("toggle_name", 5), ("toggle_implementation", 6),
                                                 ("toggle_default", 7))


def test_where_blocks_stand(tmp_path):
    found = by_name(read(tmp_path, {"app/toggles.py": "".join([
        block("app.one"), block("app.two"),
        "TWO = WaffleFlag('app.two', __name__)\n\n",
        block("app.apart"), "\n\nAPART = WaffleFlag('app.apart', __name__)\n",
        code("""\
            FLAGS = {
                'x': 1,
                # .. toggle_name: app.item
                'item': WaffleFlag(
                    'app.item', __name__),
            }
            """),
        block("app.made"),
        code("""\
            @cache
            def made():
                return WaffleFlag('app.made', __name__)
            """)])}))
    assert {name: (t.implementation, t.line) for name, t in found.items()} == {
        "app.one": (None, 1),  # a block alone: the next one follows it at once
        "app.two": ("WaffleFlag", 13),
        "app.apart": ("WaffleFlag", 23),  # blank lines between: still its block
        "app.item": ("WaffleFlag", 27),
        "app.made": ("WaffleFlag", 38),  # over the function that makes it
    }
    assert not found["app.apart"].published_differs


def test_a_name_followed_by_a_pragma_is_the_name(tmp_path):
    (toggle,) = read(tmp_path, {"envs/common.py": code("""\
        FEATURES = {
            # .. toggle_name: FEATURES['X']  # lint-amnesty, pylint: disable=annotation-missing-token
            'X': True,
        }
        """)}).toggles
    assert toggle.name == "FEATURES['X']"
    assert not toggle.published_differs


def test_fields_the_incumbent_drops_are_kept(tmp_path):
    (toggle,) = read(tmp_path, {"app/toggles.py": code("""\
        # .. toggle_name: app.kept
        # .. toggle_description: The first line,
        #  then a line indented by one space only,
        #     then one indented more.
        # .. toggle_warnings: Plural, as some blocks write it.
        FLAG = WaffleFlag('app.kept', __name__)
        """)}).toggles
    assert toggle.description == ("The first line, then a line indented by one space only, "
                                  "then one indented more.")
    assert toggle.warnings == ("Plural, as some blocks write it.",)


def test_the_code_is_never_run(tmp_path):
    marker = tmp_path / "ran"
    catalog = read(tmp_path, {"app/toggles.py": code(f"""\
        open({str(marker)!r}, "w").close()
        import sys; sys.exit(1)
        FLAG = WaffleFlag(__import__('os').getcwd(), __name__)
        """)})
    assert not marker.exists()
    assert [t.pattern for t in catalog] == ["{__import__('os').getcwd()}"]


def test_unchanged_files_are_not_read_again(tmp_path):
    write(tmp_path, {"app/__init__.py": "", "app/config.py": "NS = 'app'\n",
                     "app/toggles.py": "from .config import NS\nA = WaffleFlag(f'{NS}.a', __name__)\n",
                     "app/other.py": "B = WaffleFlag('app.b', __name__)\n",
                     "app/plain.py": "x = 1\n"})
    cache = FactsCache(tmp_path / "cache.pickle")
    options = ReadOptions(today=TODAY)
    first = read_toggles(["app"], options, base=tmp_path, search_path=[tmp_path], cache=cache)
    assert cache.reads == 6  # five walked, config.py parsed again for its names
    cache.save()
    again = FactsCache(tmp_path / "cache.pickle")  # the next build
    again.load()
    assert read_toggles(["app"], options, base=tmp_path, cache=again) == first
    assert again.reads == 0
    other = tmp_path / "app" / "other.py"
    other.write_text("B = WaffleFlag('app.c', __name__)\n")
    os.utime(other, ns=(1, 1))  # a new stamp, whatever the clock's resolution
    assert [t.name for t in read_toggles(["app"], options, base=tmp_path, cache=again)] == [
        "app.a", "app.c"]
    assert again.reads == 1
    assert set(first.files) == {str(tmp_path / "app" / n) for n in (
        "__init__.py", "config.py", "other.py", "plain.py", "toggles.py")}


def test_a_broken_cache_is_ignored(tmp_path):
    write(tmp_path, {"cache.pickle": b"not a pickle", "a.py": "A = WaffleFlag('a', __name__)\n"})
    cache = FactsCache(tmp_path / "cache.pickle")
    cache.load()
    assert [t.name for t in read_toggles(["a.py"], base=tmp_path, cache=cache)] == ["a"]


def test_problems_are_located_at_their_file(tmp_path):
    catalog = read(tmp_path, {"missing/__init__.py": ""}, "nowhere", "app.missing")
    assert [(p.file, p.check) for p in catalog.problems] == [
        ("nowhere", "toggle-missing"), ("app.missing", "toggle-missing")]
    assert "neither a folder, a Python file nor a dotted package" in catalog.problems[0].message


def test_a_dotted_package_is_found_on_the_search_path(tmp_path):
    catalog = read(tmp_path, {"lms/__init__.py": "", "lms/djangoapps/__init__.py": "",
                              "lms/djangoapps/toggles.py": "A = WaffleFlag('a', __name__)\n",
                              "cms/toggles.py": "B = WaffleFlag('b', __name__)\n"},
                   "lms.djangoapps")
    assert [t.name for t in catalog] == ["a"]
