"""The three-module site of openedx-platform's 2026 layout (``tests/roots/test-openedx-2026``,
written in the shapes of ``openedx/envs/common.py``, ``lms/envs/common.py`` and
``cms/envs/common.py``): one ``settings-reference`` per module, on three pages or one."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import copy_root, html_blocks, setting_texts, strip_colors, warning_lines

#: The warnings the test root's modules call for: each a defect of the file.
EXPECTED = [
    "openedx/envs/common.py:16: WARNING: the default the annotation notes for the CMS of "
    "ENABLE_DISCUSSION_HOME_PANEL, False differs from the code's True in cms/envs/common.py, "
    "line 17: correct the annotation (the reference shows the code's default)",
    "openedx/envs/common.py:16: WARNING: the annotation's default of "
    "ENABLE_DISCUSSION_HOME_PANEL, True differs from the code's False in lms/envs/common.py, "
    "line 15: correct the annotation (the reference shows the code's default)",
    "openedx/envs/common.py:46: WARNING: line 46 of the annotation of ENABLE_COPPA_COMPLIANCE "
    "is in no field: code-annotations drops it, and so does the reference; starts with '..', "
    "which ends the field above; to keep it, write it as '#   text', indented past the "
    "field's '..', not as '# .. text'",
    "openedx/envs/common.py:51: WARNING: the annotation names SOME_FEATURE_NAME, but the "
    "statement under it defines SHOW_ACCOUNT_ACTIVATION_CTA: give the annotation the "
    "setting's name",
    "openedx/envs/common.py:59: WARNING: the annotation's default of "
    "USE_EXTRACTED_WORD_CLOUD_BLOCK, False differs from the code's True: correct the "
    "annotation (the reference shows the code's default)",
    "lms/envs/common.py:31: WARNING: line 31 of the annotation of "
    "settings.DISABLE_ALLOWED_ENROLLMENT_IF_ENROLLMENT_CLOSED is in no field: "
    "code-annotations drops it, and so does the reference; starts with '..', which ends the "
    "field above; to keep it, write it as '#   text', indented past the field's '..', not "
    "as '# .. text'",
    "lms/envs/common.py:36: WARNING: the annotation names ELASTIC_SEARCH_INDEX_PREFIX, but the "
    "statement under it defines ELASTICSEARCH_INDEX_PREFIX: give the annotation the "
    "setting's name",
    "cms/envs/common.py:25: WARNING: the annotation's default of LIBRARY_ENABLED_BLOCKS lists "
    "4 items, the code's 8 (the code also has 'openassessment', 'conditional', 'done', "
    "'lti'): correct the annotation (the reference shows the code's default)",
    "cms/envs/common.py:28: WARNING: line 28 of the annotation of LIBRARY_ENABLED_BLOCKS is in "
    "no field: code-annotations drops it, and so does the reference; starts with '..', which "
    "ends the field above; to keep it, write it as '#   text', indented past the field's "
    "'..', not as '# .. text'",
]


def relative_warnings(app) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(line.replace(f"{app.srcdir}/", "") for line in warning_lines(app))


def entries(html: str) -> dict[str, tuple[str, str]]:
    """Each entry of a page by its anchor: its text and markup."""
    return {key: value for key, value in html_blocks(html, "opsdocs-setting").items()
            if not key.startswith("#")}


def inventory(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The ``std:setting`` objects: name -> ``page#anchor``."""
    std = app.env.get_domain("std")
    return {name: f"{docname}#{anchor}" for (kind, name), (docname, anchor)
            in std.objects.items() if kind == "setting"}


@pytest.mark.sphinx("html", testroot="openedx-2026")
def test_three_modules_on_three_pages(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    warnings = relative_warnings(app)
    assert not any("duplicate" in w for w in warnings)
    assert warnings == sorted(EXPECTED)
    pages = {name: (Path(app.outdir) / f"{name}.html").read_text()
             for name in ("openedx", "lms", "cms")}
    # described once, where it is defined: the LMS and Studio link to the shared page
    lms = setting_texts(pages["lms"])
    assert lms["PLATFORM_NAME"] == "PLATFORM_NAME defined in openedx.envs.common"
    assert lms["USE_EXTRACTED_WORD_CLOUD_BLOCK"] == \
        "USE_EXTRACTED_WORD_CLOUD_BLOCK toggle defined in openedx.envs.common"
    shared = entries(pages["lms"])["setting-PLATFORM_NAME"][1]
    assert shared.count('href="openedx.html#setting-PLATFORM_NAME"') == 2  # name and module
    assert "The display name" in pages["openedx"]
    assert "The display name" not in pages["lms"]
    # a setting the LMS sets itself is described there, with its own default
    assert " Default False " in lms["ENABLE_DISCUSSION_HOME_PANEL"]
    assert " Default True " in setting_texts(pages["cms"])["ENABLE_DISCUSSION_HOME_PANEL"]
    # unique anchors on every page
    for html in pages.values():
        ids = re.findall(r' id="(setting-[^"]+)"', html)
        assert [i for i, n in Counter(ids).items() if n > 1] == []
    # the plain name is the shared module's; each service's by its module's name
    objects = inventory(app)
    assert objects["PLATFORM_NAME"] == "openedx#setting-PLATFORM_NAME"
    assert objects["ENABLE_DISCUSSION_HOME_PANEL"] == \
        "openedx#setting-ENABLE_DISCUSSION_HOME_PANEL"
    assert objects["lms.envs.common.ENABLE_DISCUSSION_HOME_PANEL"] == \
        "lms#setting-ENABLE_DISCUSSION_HOME_PANEL"
    assert objects["cms.envs.common.ENABLE_DISCUSSION_HOME_PANEL"] == \
        "cms#setting-ENABLE_DISCUSSION_HOME_PANEL"
    assert "lms.envs.common.PLATFORM_NAME" not in objects
    # FEATURES: each service its own proxy, neither part of the other's
    assert {objects["lms.envs.common.FEATURES"], objects["cms.envs.common.FEATURES"]} == {
        "lms#setting-FEATURES", "cms#setting-FEATURES"}
    # the general index: one entry per description
    index = app.env.get_domain("index").entries
    names = Counter(entry[1] for doc in index.values() for entry in doc)
    assert names["PLATFORM_NAME (setting)"] == 1
    assert names["ENABLE_DISCUSSION_HOME_PANEL (setting)"] == 3


@pytest.mark.sphinx("html", testroot="openedx-2026",
                    confoverrides={"root_doc": "onepage",
                                   "exclude_patterns": ["index.rst", "openedx.rst", "lms.rst",
                                                        "cms.rst"]})
def test_three_modules_on_one_page(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    warnings = relative_warnings(app)
    assert warnings == sorted(EXPECTED)
    html = (Path(app.outdir) / "onepage.html").read_text()
    ids = re.findall(r' id="(setting-[^"]+)"', html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    # the LMS's own description, second on the page, is anchored by its module's name
    found = entries(html)
    assert "setting-lms.envs.common.ENABLE_DISCUSSION_HOME_PANEL" in found
    compact = found["setting-lms.envs.common.PLATFORM_NAME"][1]
    assert 'href="#setting-PLATFORM_NAME"' in compact
    objects = inventory(app)
    assert objects["lms.envs.common.ENABLE_DISCUSSION_HOME_PANEL"] == \
        "onepage#setting-lms.envs.common.ENABLE_DISCUSSION_HOME_PANEL"


@pytest.mark.sphinx("text", testroot="openedx-2026")
def test_other_builders_show_the_link(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    text = (Path(app.outdir) / "lms.txt").read_text()
    assert re.search(r'"PLATFORM_NAME"\s+\|\s+\|\s+Defined in openedx.envs.common', text), text


def test_a_module_no_reference_names_is_described_in_the_first(make_app, tmp_path):
    src = copy_root(tmp_path, "openedx-2026")
    (src / "openedx.rst").write_text("Shared settings\n===============\n\nSee the services.\n")
    app = make_app("html", srcdir=src)
    app.build()
    assert not [w for w in relative_warnings(app) if "duplicate" in w]
    lms = setting_texts((Path(app.outdir) / "lms.html").read_text())
    cms = setting_texts((Path(app.outdir) / "cms.html").read_text())
    # cms comes first in name order: it describes what the shared module alone defines,
    # and the LMS links there
    assert "The display name" in cms["PLATFORM_NAME"]
    assert lms["PLATFORM_NAME"] == "PLATFORM_NAME defined in openedx.envs.common"
    html = (Path(app.outdir) / "lms.html").read_text()
    assert 'href="cms.html#setting-PLATFORM_NAME"' in entries(html)["setting-PLATFORM_NAME"][1]
    assert inventory(app)["PLATFORM_NAME"] == "cms#setting-PLATFORM_NAME"


def test_rebuilds_place_again(make_app, tmp_path):
    src = copy_root(tmp_path, "openedx-2026")
    app = make_app("html", srcdir=src)
    app.build()
    before = inventory(app)
    (src / "lms.rst").write_text((src / "lms.rst").read_text() + "\nEdited.\n")
    again = make_app("html", srcdir=src, freshenv=False)
    again.build()
    assert "duplicate" not in strip_colors(again.warning.getvalue())
    assert inventory(again) == before
    assert setting_texts((Path(again.outdir) / "lms.html").read_text())["PLATFORM_NAME"] == \
        "PLATFORM_NAME defined in openedx.envs.common"
    # the shared page loses its reference: the LMS page, not read again, describes it now
    (src / "openedx.rst").write_text("Shared settings\n===============\n\nSee the services.\n")
    third = make_app("html", srcdir=src, freshenv=False)
    third.build()
    status = strip_colors(third.status.getvalue())
    assert "1 changed" in status
    assert "The display name" in setting_texts(
        (Path(third.outdir) / "cms.html").read_text())["PLATFORM_NAME"]
    assert inventory(third)["PLATFORM_NAME"] == "cms#setting-PLATFORM_NAME"
    index = third.env.get_domain("index").entries
    assert Counter(e[1] for doc in index.values() for e in doc)["PLATFORM_NAME (setting)"] == 1


def test_parallel_build_places_the_same(make_app, tmp_path):
    outputs = []
    for parallel in (1, 2):
        app = make_app("html", srcdir=copy_root(tmp_path / str(parallel), "openedx-2026"),
                       parallel=parallel)
        app.build()
        outputs.append((inventory(app), (Path(app.outdir) / "lms.html").read_text()))
    assert outputs[0][0] == outputs[1][0]
    assert setting_texts(outputs[0][1]) == setting_texts(outputs[1][1])


def test_the_guide_s_toggles_page(make_app, tmp_path):
    """docs/openedx.rst's step 4, as written: a toggles page beside the references, the
    code read through paths relative to the page."""
    src = copy_root(tmp_path, "openedx-2026")
    app_code = src / "lms" / "djangoapps" / "sample"
    app_code.mkdir(parents=True)
    (app_code / "toggles.py").write_text(
        "from edx_toggles.toggles import SettingToggle\n\n"
        "ENABLE_SAMPLE = SettingToggle('ENABLE_SAMPLE', default=False, module_name=__name__)\n")
    (src / "references").mkdir()
    (src / "references" / "toggles.rst").write_text(
        "Toggles\n=======\n\n.. settings-reference:: lms.envs.common\n   :only: toggles\n"
        "   :no-index:\n   :reads: ../lms/djangoapps ../lms/nothere /nothere\n")
    (src / "index.rst").write_text((src / "index.rst").read_text() + "   references/toggles\n")
    app = make_app("html", srcdir=src)
    app.build()
    rows = setting_texts((Path(app.outdir) / "references" / "toggles.html").read_text())
    assert rows["ENABLE_SAMPLE"].startswith("ENABLE_SAMPLE toggle not declared ")
    assert "PLATFORM_NAME" not in rows
    missing = [w for w in relative_warnings(app) if "reads-missing" in w or ":reads:" in w]
    assert missing == [
        "references/toggles.rst:4: WARNING: :reads: path '../lms/nothere' not found (looked "
        "for lms/nothere): give a directory or file of Python code, relative to this page",
        "references/toggles.rst:4: WARNING: :reads: path '/nothere' not found (looked for "
        "nothere): a path starting with '/' starts at the documentation's source directory, "
        "as in Sphinx; give the code's path relative to this page"]
