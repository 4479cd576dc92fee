"""What an assignment binds: names and unpacked parts, walrus targets, ``getattr(settings,
...)`` reads, dict keys documented as settings of their own; values as written."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from opsdocs.settings.reader import source_from_specs
from tests.settings.support import (
    SOURCES,
    module,
    read,
    run,
)


def test_a_walrus_default_shows_its_value(tmp_path: Path) -> None:
    catalog = module(tmp_path, "OUTER = (INNER := 3)\nSUM = (PART := 7) + 1\n")
    assert {s.name: s.value for s in catalog} == {
        "INNER": "3", "OUTER": "3", "PART": "7", "SUM": "(7) + 1"}


def test_app_settings_are_the_getattr_reads(tmp_path: Path) -> None:
    catalog = source_from_specs([SOURCES / "richie_like" / "app" / "defaults.py"])
    names = {s.name: s for s in catalog}
    assert "LANGUAGES_DICT" not in names and "PLUGINS_GROUP" not in names
    assert names["SAMPLE_SEARCH_PAGE_SIZE"].value == "20"


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


def test_multi_target_and_unpacking():
    settings, _ = read('#: Doc.\nA = B = [1]\n#: Pair.\nC, D = 1, "two"\n')
    assert (settings["A"].value, settings["B"].value) == ("[1]", "[1]")
    assert (settings["C"].value, settings["D"].value) == ("1", '"two"')


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
    catalog = source_from_specs([module])
    assert [s.name for s in catalog] == [
        "MODULESTORE", "MODULESTORE['default']['OPTIONS']", "MODULESTORE['default']['ENGINE']"]
    assert [p.message for p in catalog.problems if p.check.startswith("annotation")] == []


PRODUCERS = '''\
SENDING = True
#: Event producers.
PRODUCERS = {
    # .. setting_name: PRODUCERS['order.placed.v1']
    #    ['orders']['enabled']
    # .. setting_default: True
    # .. setting_description: Sends order.placed events.
    "order.placed.v1": {
        "orders": {"key_field": "order.id", "enabled": SENDING},
    },
    # .. setting_name: PRODUCERS['order.paid.v1']['payments']['on']
    # .. toggle_implementation: SettingToggle
    # .. toggle_default: False
    # .. toggle_description: Sends order.paid events.
    # .. toggle_use_cases: opt_in
    "order.paid.v1": {
        "payments": {
            "key_field": "order.id",
            "on": False,
        },
    },
    # .. setting_name: PRODUCERS['order.sent.v1']['missing']
    # .. setting_description: Names no key of it.
    "order.sent.v1": {"shipping": 1},
}
'''


def test_a_block_over_a_key_may_name_a_key_inside_it(tmp_path: Path, capsys) -> None:
    path = tmp_path / "settings.py"
    path.write_text(PRODUCERS, encoding="utf-8")
    status, out, err = run(capsys, "settings", "--settings", path, "--format", "json")
    found = {s["name"]: s for s in json.loads(out)["settings"]}
    placed = found["PRODUCERS['order.placed.v1']['orders']['enabled']"]
    assert (placed["doc"], placed["line"], placed["value"], placed["toggle"]) == (
        "Sends order.placed events.", 9, "SENDING", False)
    paid = found["PRODUCERS['order.paid.v1']['payments']['on']"]
    assert (paid["doc"], paid["line"], paid["value"], paid["toggle"]) == (
        "Sends order.paid events.", 19, "False", True)
    assert "PRODUCERS['order.placed.v1']" not in found
    # a name that is no key path of the statement is still warned about
    assert "PRODUCERS['order.sent.v1']" in found
    assert [line for line in err.splitlines() if "the annotation" in line] == [
        f"{path}:22: the annotation names PRODUCERS['order.sent.v1']['missing'], but the "
        "statement under it defines PRODUCERS['order.sent.v1']: give the annotation the "
        "setting's name"]
    assert status == 1
