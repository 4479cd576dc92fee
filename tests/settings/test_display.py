"""How a dict default holding comments is shown (edx-platform's ``FEATURES``, whose keys
carry ``# .. toggle_name:`` blocks): no output shows the comments, a default put on one line
is the same Python, and a dict whose keys are entries of their own is summed up."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from opsdocs.cli import main
from tests.changelog.repository import make_repository
from tests.helpers import ROOTS, html_blocks, setting_texts
from tests.settings.support import comments

COMMON = ROOTS / "test-settings-modules" / "lms" / "envs" / "common.py"
SUMMARY = "dict of 15 keys; 12 documented as entries"

#: A dict default as edx-platform writes them: annotation blocks and remarks between keys.
QUEUES = """\
#: Queues by priority.
QUEUES = {
    'high': 'celery.high',  # the fast one; 'low' follows

    # .. toggle_name: QUEUES['low']
    # .. toggle_description: Where slow tasks go.
    'low': 'celery.low',
}
"""


def run(capsys, *argv: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    status = main(list(argv))
    return status, capsys.readouterr().out


@pytest.mark.sphinx("html", testroot="settings-modules", srcdir="settings-modules-summary")
def test_the_reference_sums_up_a_dict_of_documented_keys(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    html = (app.outdir / "index.html").read_text()
    rows = setting_texts(html)
    assert rows["FEATURES"].startswith(
        f"FEATURES¶ Default {SUMMARY} {{'DISPLAY_DEBUG_INFO_TO_STAFF': True, "
        "'REROUTE_ACTIVATION_EMAIL': False, 'DISABLE_START_DATES': False,")
    _, markup = next(block for key, block in html_blocks(html, "opsdocs-setting").items()
                     if key.endswith("FEATURES"))
    assert f'<summary><span class="opsdocs-default-summary">{SUMMARY}</span></summary>' in markup
    # The code one click away holds every key and none of the annotation blocks.
    assert "DISABLE_START_DATES" in markup and "ENABLE_EDXNOTES" in markup
    assert "toggle_" not in rows["FEATURES"] and "nonempty string" not in rows["FEATURES"]
    assert "DO NOT SET" not in html and "# .. toggle" not in html


def test_text_outputs_show_no_comments(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, rst = run(capsys, "settings", "--settings", str(COMMON))
    features = rst[rst.index(".. setting:: FEATURES\n"):]
    features = features[:features.index(".. setting::", 5)]
    assert f"   :Default: {SUMMARY}\n" in features
    assert "   Default::\n\n      {'DISPLAY_DEBUG_INFO_TO_STAFF': True,\n" in features
    assert "#" not in features.split("   Default::")[1]
    _, markdown = run(capsys, "settings", "--settings", str(COMMON), "--format", "markdown")
    assert f"| `FEATURES` | *{SUMMARY}* |" in markdown
    module = tmp_path / "settings.py"
    module.write_text(QUEUES)
    _, markdown = run(capsys, "settings", "--settings", str(module), "--format", "markdown")
    assert "| `QUEUES` | `{'high': 'celery.high', 'low': 'celery.low'}` |" in markdown
    _, rst = run(capsys, "settings", "--settings", str(module))
    assert "   :Default: ``{'high': 'celery.high', 'low': 'celery.low'}``\n" in rst


def test_json_keeps_the_source_and_its_default_has_no_comments(capsys) -> None:  # type: ignore[no-untyped-def]
    _, out = run(capsys, "settings", "--settings", str(COMMON), "--format", "json")
    features = next(s for s in json.loads(out)["settings"] if s["name"] == "FEATURES")
    assert "# .. toggle_name: FEATURES['DISABLE_START_DATES']" in features["value"]
    assert not comments(features["default"])
    assert "'DISABLE_START_DATES': False," in features["default"]


def test_sample_config_sums_up_and_shows_no_comments(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, sample = run(capsys, "sample-config", "--settings", str(COMMON))
    assert f"# FEATURES: ...  ({SUMMARY})" in sample.splitlines()
    assert "toggle_" not in sample and "nonempty string" not in sample
    module = tmp_path / "settings.py"
    module.write_text(QUEUES + "QUEUES['low'] = LOW\n")  # not a literal: shown as code
    _, sample = run(capsys, "sample-config", "--settings", str(module))
    assert "# QUEUES: ...  (computed in settings.py: {'high': 'celery.high', " \
        "'low': 'celery.low'}; changed on line 9)\n" in sample.replace("\n# '", " '")


def test_changelog_shows_the_changed_key_not_the_comments(make_app, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["opsdocs"]\nexclude_patterns = ["repo"]\n')
    (src / "index.rst").write_text("Changes\n=======\n\n"
                                   ".. settings-changelog:: repo/service/settings\n")
    make_repository(src / "repo", {
        "v1": {"required.py": "", "defaults.py": QUEUES},
        "v2": {"required.py": "", "defaults.py": QUEUES.replace(
            "'high': 'celery.high',", "# Faster.\n    'high': 'celery.fast',  # was high").replace(
            "'low': 'celery.low',", "# Renamed.\n    'low': 'celery.slow',  # was low")},
    })
    app = make_app("html", srcdir=src)
    app.build()
    text = " ".join(re.sub(r"<[^>]+>", "", (app.outdir / "index.html").read_text()).split())
    assert "Changed the default of QUEUES: ['high'] changed from 'celery.high' to " \
        "'celery.fast' Changed the default of QUEUES['low'] from 'celery.low' to " \
        "'celery.slow'." in text
    for comment in ("toggle_", "Faster", "was high", "Renamed", "was low"):
        assert comment not in text


COMPUTED = "computed at startup from other settings"


@pytest.mark.sphinx("html", testroot="settings-modules", srcdir="settings-modules-computed")
def test_a_value_computed_at_startup_says_so(app) -> None:  # type: ignore[no-untyped-def]
    """A ``lambda settings: ...`` and a function registered with ``derived("X")`` are no
    defaults to show as written; the code stays one click away."""
    app.build()
    rows = setting_texts((app.outdir / "index.html").read_text())
    assert rows["LOCALE_PATHS"].startswith(
        f"LOCALE_PATHS¶ Default {COMPUTED} _make_locale_paths ")
    assert rows["RETIRED_USERNAME_FMT"].startswith(
        f"RETIRED_USERNAME_FMT¶ Default {COMPUTED} lambda settings: "
        "settings.RETIRED_USERNAME_PREFIX + '{}' ")
    # a name that is only another setting's value is shown as written
    assert rows["CC_MERCHANT_NAME"].startswith("CC_MERCHANT_NAME¶ Default PLATFORM_NAME ")


def test_text_json_and_sample_say_computed_at_startup(capsys) -> None:  # type: ignore[no-untyped-def]
    _, markdown = run(capsys, "settings", "--settings", str(COMMON), "--format", "markdown")
    assert f"| `LOCALE_PATHS` | *{COMPUTED}* |  |  |" in markdown.splitlines()
    _, rst = run(capsys, "settings", "--settings", str(COMMON))
    entry = rst[rst.index(".. setting:: RETIRED_USERNAME_FMT\n"):]
    assert entry.splitlines()[2] == f"   :Default: {COMPUTED}"
    _, sample = run(capsys, "sample-config", "--settings", str(COMMON))
    assert f"# LOCALE_PATHS: ...  ({COMPUTED})" in sample.splitlines()
    _, out = run(capsys, "settings", "--settings", str(COMMON), "--format", "json")
    computed = sorted(s["name"] for s in json.loads(out)["settings"] if s["computed"])
    assert computed == ["LOCALE_PATHS", "RETIRED_USERNAME_FMT"]


DERIVED_ENTRIES = """\
from platform_lib.derived import derived_collection_entry

MODULESTORE = {
    'default': {
        # .. setting_name: MODULESTORE['default']['fs_root']
        # .. setting_description: Where course files are.
        'fs_root': lambda settings: settings.DATA_DIR,
        # .. setting_name: MODULESTORE['default']['render']
        # .. setting_description: Renders.
        'render': _render,
        # .. setting_name: MODULESTORE['default']['limit']
        # .. setting_description: A limit.
        'limit': 5,
    },
}
derived_collection_entry('MODULESTORE', 'default', 'render')
"""


def test_dict_entries_computed_at_startup(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A documented key holding a lambda, or registered with derived_collection_entry."""
    module = tmp_path / "settings.py"
    module.write_text(DERIVED_ENTRIES)
    _, markdown = run(capsys, "settings", "--settings", str(module), "--format", "markdown")
    defaults = {row.split(" | ")[0].strip("| `"): row.split(" | ")[1]
                for row in markdown.splitlines()[2:]}
    assert defaults == {
        "MODULESTORE": "*dict of 1 key; 3 nested keys documented as entries*",
        "MODULESTORE['default']['fs_root']": f"*{COMPUTED}*",
        "MODULESTORE['default']['render']": f"*{COMPUTED}*",
        "MODULESTORE['default']['limit']": "`5`",
    }


#: Dicts whose documented keys are their own, nested in them, or both.
NESTED_ENTRIES = '''\
#: Where course content is stored.
MODULESTORE = {
    'default': {
        # .. setting_name: MODULESTORE['default']['ENGINE']
        # .. setting_description: The store's class.
        'ENGINE': 'xmodule.modulestore.mixed.MixedModuleStore',
        # .. setting_name: MODULESTORE['default']['OPTIONS']
        # .. setting_description: Options of the store.
        'OPTIONS': ['mappings', 'stores', 'fs_root'],
        # .. setting_name: MODULESTORE['default']['DOC_STORE_CONFIG']
        # .. setting_description: Where its documents are.
        'DOC_STORE_CONFIG': 'mongodb://localhost/edxapp',
    },
}

#: The caches.
CACHES = {
    # .. setting_name: CACHES['default']
    # .. setting_description: The cache most code uses.
    'default': 'django.core.cache.backends.locmem.LocMemCache',
    'staticfiles': {
        # .. setting_name: CACHES['staticfiles']['KEY_PREFIX']
        # .. setting_description: Keeps its keys apart.
        'KEY_PREFIX': 'staticfiles',
        # .. setting_name: CACHES['staticfiles']['LOCATION']
        # .. setting_description: Where it is.
        'LOCATION': 'staticfiles_cache',
    },
}

#: Queues by priority.
QUEUES = {
    'high': 'edx.lms.core.high_priority_queue',
    # .. setting_name: QUEUES['low']
    # .. setting_description: Where slow tasks go.
    'low': 'edx.lms.core.low_priority_queue',
    'default': 'edx.lms.core.default',
}
'''
NESTED_SUMMARIES = {
    "MODULESTORE": "dict of 1 key; 3 nested keys documented as entries",
    "CACHES": "dict of 2 keys; 1 of them and 2 nested keys documented as entries",
    "QUEUES": "dict of 3 keys; 1 documented as an entry",
}


def test_the_summary_counts_nested_entries_as_nested(make_app, tmp_path: Path) -> None:
    """A dict whose documented keys are in a dict inside it says so, rather than "dict of 1
    key; 3 documented as entries"; one documented key is "an entry"."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["opsdocs"]\n')
    (src / "settings.py").write_text(NESTED_ENTRIES)
    (src / "index.rst").write_text("Settings\n========\n\n.. settings-reference:: settings.py\n")
    app = make_app("html", srcdir=src)
    app.build()
    assert app.warning.getvalue() == ""
    rows = setting_texts((app.outdir / "index.html").read_text())
    assert len(rows) == 10
    for name, summary in NESTED_SUMMARIES.items():
        assert rows[name].startswith(f"{name}¶ Default {summary} {{'"), rows[name]
    assert rows["CACHES['default']"].startswith(
        "CACHES['default']¶ Key of CACHES Default "
        "'django.core.cache.backends.locmem.LocMemCache' The cache most code uses.")


def test_text_outputs_and_sample_count_nested_entries(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    module = tmp_path / "settings.py"
    module.write_text(NESTED_ENTRIES)
    _, markdown = run(capsys, "settings", "--settings", str(module), "--format", "markdown")
    _, rst = run(capsys, "settings", "--settings", str(module))
    _, sample = run(capsys, "sample-config", "--settings", str(module))
    for name, summary in NESTED_SUMMARIES.items():
        assert f"| `{name}` | *{summary}* |" in markdown
        assert rst[rst.index(f".. setting:: {name}\n"):].splitlines()[2] == \
            f"   :Default: {summary}"
        assert f"# {name}: ...  ({summary})" in sample.splitlines()
