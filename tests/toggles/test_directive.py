"""The feature-toggles directive, the :toggle: role and std:toggle objects, as a reader of
the built documentation sees them."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from sphinx.util.inventory import InventoryFile

from opsdocs.settings.nodes import setting_entry
from opsdocs.toggles.directive import TogglesDomain
from tests.helpers import ROOTS, copy_root, found, html_blocks, setting_texts, typed, warning_lines

TREE = ROOTS / "test-toggles" / "tree"

#: Every warning of the test root's build, file relative to the tree, without its type.
#: (The block of core/envs/common.py:24 names another setting: settings.rst's reference
#: warns, test_a_settings_block_is_warned_about_once.)
WARNINGS = [
    "core/envs/common.py:25: the annotation of FEATURES['ENABLE_SEARCH'] says "
    "toggle_implementation: WaffleFlag, but the code makes a DjangoSetting: write "
    "toggle_implementation: DjangoSetting [opsdocs.toggle-implementation]",
    "legacy/waffle.py:7: the annotation publishes the toggle OLD_DASHBOARD, but the code "
    "registers legacy.old_dashboard: publish the name the code registers (# .. toggle_name: "
    "legacy.old_dashboard) [opsdocs.toggle-name]",
    "legacy/waffle.py:12: toggle_creation_date of OLD_DASHBOARD, '2019-13-01', is not a date: "
    "write it as YYYY-MM-DD (2024-08-01) [opsdocs.toggle-date]",
    "legacy/waffle.py:13: toggle_target_removal_date of OLD_DASHBOARD, 'Teak', is not a date: "
    "write it as YYYY-MM-DD (2024-08-01) [opsdocs.toggle-date]",
    "reports/toggles.py:18: the temporary toggle reports.async_export was to be removed by "
    "2024-08-01: remove it, or move toggle_target_removal_date (and say why) "
    "[opsdocs.toggle-past-due]",
    "legacy/waffle.py:19: the annotation publishes the toggle reports.async_export, but the "
    "code registers legacy.async_export: publish the name the code registers (# .. "
    "toggle_name: legacy.async_export) [opsdocs.toggle-name]",
    "legacy/waffle.py:20: the annotation of reports.async_export says toggle_implementation: "
    "CourseWaffleFlag, but the code makes a WaffleFlag: write toggle_implementation: "
    "WaffleFlag [opsdocs.toggle-implementation]",
    "legacy/waffle.py:23: toggle_use_cases of reports.async_export is 'tempoary', which is "
    "none of code-annotations' choices: temporary, circuit_breaker, vip, opt_out, opt_in, "
    "open_edx [opsdocs.toggle-choice]",
    "reports/toggles.py:22: the annotation of reports.csv_streaming says "
    "toggle_implementation: WaffleSwitch, but the code makes a WaffleFlag: write "
    "toggle_implementation: WaffleFlag [opsdocs.toggle-implementation]",
    "reports/toggles.py:30: the annotation publishes the toggle reports.large_exports, but "
    "the code registers reports_switches.large_exports: publish the name the code registers "
    "(# .. toggle_name: reports_switches.large_exports) [opsdocs.toggle-name]",
    "reports/toggles.py:36: unknown annotation field toggle_warnings: code-annotations "
    "ignores it (opsdocs shows it as a warning); did you mean 'toggle_warning'? "
    "[opsdocs.toggle-field]",
    "reports/toggles.py:47: the WaffleSwitch reports.preview has no annotation: document it "
    "with a '# .. toggle_name: reports.preview' block right above it (implementation, "
    "default, description, use cases, creation date) [opsdocs.toggle-undocumented]",
    "reports/toggles.py:51: the WaffleSwitch reports.{name} has no annotation, and its name is "
    "built when the code runs: document each name it makes with a block of its own where that "
    "name is written, and mark this call '# pylint: disable=toggle-missing-annotation' as "
    "edx-lint does [opsdocs.toggle-undocumented]",
    "legacy/waffle.py:19: the toggle reports.async_export is defined again (first at "
    "reports/toggles.py, line 19): code-annotations' list shows one of them; rename one, "
    "or remove the copy [opsdocs.toggle-duplicate]",
]


def toggle_warnings(app, tree: Path) -> list[str]:
    """The build's warnings about the tree, as the tree's own paths."""
    return [line.replace(f"{tree}/", "").replace(": WARNING: ", ": ")
            for line in typed_lines(app) if str(tree) in line
            and "the statement under it defines" not in line]  # the settings reference's


def entry_texts(app) -> list[tuple[str, str]]:
    """Each entry of the built index.html: its name and its text, in order."""
    blocks = html_blocks((app.outdir / "index.html").read_text(), "opsdocs-setting")
    return [(text.split("¶")[0].strip(), text) for text, _ in blocks.values()]


def typed_lines(app) -> list[str]:
    from tests.helpers import own_warnings, strip_colors

    return strip_colors(own_warnings(app)).splitlines()


@pytest.mark.sphinx("html", testroot="toggles")
def test_each_check_is_a_located_warning_with_its_subtype(app):
    app.build()
    assert toggle_warnings(app, Path(app.srcdir) / "tree") == typed(WARNINGS)


@pytest.mark.sphinx("html", testroot="toggles")
def test_every_toggle_is_listed_with_its_fields_sorted_by_name(app):
    app.build()
    texts = setting_texts((app.outdir / "index.html").read_text())
    assert [name for name, _ in entry_texts(app)] == [
        "ENABLE_CATALOG", "ExportConfig.enabled", "FEATURES['ENABLE_CATALOG_SEARCH']",
        "FEATURES['ENABLE_LEGACY_API']", "FEATURES['ENABLE_SEARCH']", "OLD_DASHBOARD",
        "reports.async_export", "reports.async_export", "reports.csv_streaming",
        "reports.large_exports", "reports.preview", "reports.show_prices", "reports.{name}",
        "REPORTS_EMAIL_ENABLED"]
    blocks = html_blocks((app.outdir / "index.html").read_text(), "opsdocs-setting")
    export = blocks["toggle-reports.async_export"][0]
    assert export.startswith(
        "reports.async_export¶ CourseWaffleFlag past due Default False Use cases temporary "
        "Created 2024-02-01 To be removed 2024-08-01 Python name ASYNC_EXPORT Builds course "
        "exports in a background task instead of in the request. ")
    assert export.endswith("/tree/reports/toggles.py, line 19")
    assert "Code registers reports.{name} (not known statically) The name the code registers "\
        "is not known statically: it is made at run time." in texts["reports.{name}"]
    assert "Warning Large exports hold a database connection for minutes." in \
        texts["reports.large_exports"]
    assert "Annotation says WaffleFlag Code registers FEATURES['ENABLE_SEARCHING']" in \
        texts["FEATURES['ENABLE_SEARCH']"]


@pytest.mark.sphinx("html", testroot="toggles")
def test_the_filter_offers_implementations_and_use_cases(app):
    app.build()
    html = (app.outdir / "index.html").read_text()
    form = re.search(r'<form class="opsdocs-filter".*?</form>', html, re.S)[0]
    assert 'data-noun="toggles"' in form and 'aria-label="Filter toggles"' in form
    assert re.findall(r'value="([\w-]+)"> ([^<]+) <span class="opsdocs-filter-n">(\d+)', form) == [
        ("temporary", "Temporary", "3"), ("past-due", "Past due", "1"),
        ("undocumented", "Undocumented", "3"),
        ("disagrees", "Annotation disagrees with the code", "5"),
        ("unknown-name", "Name not known statically", "1"),
        ("use-circuit_breaker", "Use case: circuit_breaker", "1"),
        ("use-opt_in", "Use case: opt_in", "2"), ("use-open_edx", "Use case: open_edx", "5")]
    assert re.findall(r'<option value="(\w+)">', form) == [
        "ConfigurationModel", "CourseWaffleFlag", "DjangoSetting", "SettingToggle", "WaffleFlag",
        "WaffleSwitch"]
    assert "Implementation <select" in form
    assert '<script defer="defer" src="_static/opsdocs-settings.js' in html


@pytest.mark.sphinx("html", testroot="toggles")
def test_toggles_are_objects_for_the_role_and_intersphinx(app):
    app.build()
    html = (app.outdir / "index.html").read_text()
    assert ('<a class="reference internal" href="#toggle-reports.async_export"><code class="'
            'xref std std-toggle docutils literal notranslate"><span class="pre">'
            'reports.async_export</span></code></a> is on.') in html
    with open(app.outdir / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "https://example.com", os.path.join)
    toggles = inventory["std:toggle"]
    assert len(toggles) == 13  # a name defined twice is one object
    uri = toggles["reports.async_export"]
    uri = getattr(uri, "uri", None) or uri[2]
    assert uri == "https://example.com/index.html#toggle-reports.async_export"
    # the object is the definition whose code registers the name, not the copy
    assert 'id="toggle-reports.async_export" data-facets="temporary past-due' in html


@pytest.mark.sphinx("html", testroot="toggles")
def test_setting_toggles_link_to_their_setting_when_it_is_documented(app):
    app.build()
    html = (app.outdir / "index.html").read_text()
    for name in ("ENABLE_CATALOG", "REPORTS_EMAIL_ENABLED"):
        assert (f'Setting: <a class="reference internal" href="settings.html#setting-{name}">'
                f'<code class="docutils literal notranslate"><span class="pre">{name}</span>'
                "</code></a>") in html
    # documented by no page: the name, quietly
    assert ('Setting: <code class="docutils literal notranslate"><span class="pre">'
            "FEATURES['ENABLE_CATALOG_SEARCH']</span></code></p>") in html
    assert "ENABLE_CATALOG_SEARCH" not in "".join(warning_lines(app))


def test_other_projects_link_to_toggles_through_intersphinx(make_app, tmp_path):
    docs = copy_root(tmp_path, "toggles")
    first = make_app("html", srcdir=docs)
    first.build()
    other = tmp_path / "other"
    other.mkdir()
    (other / "conf.py").write_text("extensions = ['opsdocs', 'sphinx.ext.intersphinx']\n")
    (other / "index.rst").write_text("Other\n=====\n\nSee :toggle:`reports.async_export`.\n")
    app = make_app("html", srcdir=other, confoverrides={"intersphinx_mapping": {
        "service": ("https://service.example.com/", str(first.outdir / "objects.inv"))}})
    app.build()
    html = (app.outdir / "index.html").read_text()
    assert 'href="https://service.example.com/index.html#toggle-reports.async_export"' in html
    assert warning_lines(app) == []


def test_the_role_warns_about_an_unknown_toggle(make_app, tmp_path):
    docs = copy_root(tmp_path, "toggles")
    (docs / "index.rst").write_text((docs / "index.rst").read_text().replace(
        "reports.async_export`", "reports.async_exports`"))
    app = make_app("html", srcdir=docs)
    app.build()
    assert [line.split(": WARNING: ")[1] for line in warning_lines(app)
            if "index.rst" in line] == [
        "unknown feature toggle 'reports.async_exports' in :toggle:; did you mean "
        "'reports.async_export'?"]


@pytest.mark.parametrize("ignored", [("std:toggle", "Reports.Async_Exports"),
                                     ("toggle", "Reports.Async_Exports")])
def test_nitpick_ignore_silences_one_toggle(make_app, tmp_path, ignored):
    docs = copy_root(tmp_path, "toggles")
    (docs / "index.rst").write_text((docs / "index.rst").read_text().replace(
        "reports.async_export`", "Reports.Async_Exports` and :toggle:`REPORTS.ASYNC_EXPORT`"))
    app = make_app("html", srcdir=docs, confoverrides={"nitpick_ignore": [ignored]})
    app.build()
    # the one ignored is silent; another spelt in another case is told the known one
    assert [line.split(": WARNING: ")[1] for line in warning_lines(app)
            if "index.rst" in line] == [
        "unknown feature toggle 'REPORTS.ASYNC_EXPORT' in :toggle:; did you mean "
        "'reports.async_export'?"]


@pytest.mark.sphinx("text", testroot="toggles")
def test_other_builders_get_a_table(app):
    app.build()
    text = (app.outdir / "index.txt").read_text()
    assert "| Toggle" in text and "| Default" in text
    assert "reports.async_export" in text and "Builds course exports" in text


@pytest.mark.sphinx("html", testroot="toggles")
def test_entries_are_a_node_each(app):
    app.build()
    doctree = app.env.get_doctree("index")
    assert len(list(doctree.findall(setting_entry))) == 14


def test_files_that_did_not_change_are_not_read_again(make_app, tmp_path):
    docs = copy_root(tmp_path, "toggles")
    first = make_app("html", srcdir=docs)
    first.build()
    assert TogglesDomain.of(first.env).facts().reads == 12  # 11 walked, config.py's names
    toggles = docs / "tree" / "reports" / "toggles.py"
    toggles.write_text(toggles.read_text().replace("reports.preview", "reports.previews"))
    os.utime(toggles)  # now: later than the first build read the page
    again = make_app("html", srcdir=docs)  # the next sphinx-build: the cache is on disk
    again.build()
    assert TogglesDomain.of(again.env).facts().reads == 1
    assert "reports.previews" in (again.outdir / "index.html").read_text()
    unchanged = make_app("html", srcdir=docs)
    unchanged.build()
    assert TogglesDomain.of(unchanged.env).cache is None  # the page was not even read


def test_a_new_file_in_the_tree_is_found_on_the_next_build(make_app, tmp_path):
    docs = copy_root(tmp_path, "toggles")
    make_app("html", srcdir=docs).build()
    (docs / "tree" / "reports" / "more.py").write_text("MORE = WaffleFlag('reports.more', __name__)\n")
    folder = docs / "tree" / "reports"
    os.utime(folder)
    again = make_app("html", srcdir=docs)
    again.build()
    assert "reports.more" in setting_texts((again.outdir / "index.html").read_text())


def test_the_day_counts(make_app, tmp_path):
    docs = copy_root(tmp_path, "toggles")
    app = make_app("html", srcdir=docs, confoverrides={"opsdocs_toggles_today": "2024-01-01"})
    app.build()
    assert "past-due" not in "".join(warning_lines(app))
    wrong = make_app("html", srcdir=docs, confoverrides={"opsdocs_toggles_today": "soon"})
    wrong.build()
    assert any("opsdocs_toggles_today 'soon' is not a date: write YYYY-MM-DD; today is used"
               in line for line in warning_lines(wrong))


def test_toggles_alone_and_with_every_concern(make_app, tmp_path):
    docs = copy_root(tmp_path, "toggles")
    (docs / "settings.rst").unlink()
    (docs / "index.rst").write_text((docs / "index.rst").read_text().split(".. toctree::")[0])
    for extensions in (["opsdocs.toggles"], ["opsdocs"]):
        app = make_app("html", srcdir=docs, confoverrides={"extensions": extensions})
        app.build()
        assert len(entry_texts(app)) == 14
        shutil.rmtree(app.outdir)


def test_the_copies_of_files_leave_secrets_out(make_app, tmp_path):
    docs = copy_root(tmp_path, "toggles")
    (docs / "settings.rst").unlink()  # the settings reference would blank them out too
    (docs / "index.rst").write_text((docs / "index.rst").read_text().split(".. toctree::")[0])
    app = make_app("html", srcdir=docs)
    app.build()
    copies = list((app.outdir / "_opsdocs_source").rglob("common.py.html"))
    assert len(copies) == 1
    copy = copies[0].read_text()
    assert "SECRET_KEY" in copy and "not-a-real-key" not in copy
    assert "ENABLE_CATALOG" in copy


def test_no_output_or_cache_of_a_build_holds_a_secret(make_app, tmp_path):
    """A secret's value, by its name or its shape (a URL's password), never enters what
    is kept of a file: not the pages, not the toggles' cache beside the doctrees."""
    docs = copy_root(tmp_path, "toggles")
    (docs / "settings.rst").unlink()
    (docs / "index.rst").write_text((docs / "index.rst").read_text().split(".. toctree::")[0])
    common = docs / "tree" / "core" / "envs" / "common.py"
    common.write_text(common.read_text() + (
        "SOCIAL_AUTH_EDX_OAUTH2_SECRET = 'credentials-sso-secret'\n"
        "CACHE_LOCATION = 'redis://:cache-password@redis:6379/0'\n\n"
        "# .. toggle_name: BROKER_URL\n"
        "# .. toggle_implementation: DjangoSetting\n"
        "# .. toggle_default: redis://:documented-password@redis:6379\n"
        "# .. toggle_description: Where tasks go, as redis://:described-password@redis.\n"
        "# .. toggle_use_cases: open_edx\n"
        "# .. toggle_creation_date: 2020-01-20\n"
        "BROKER_URL = 'redis://:broker-password@redis:6379'\n"))
    flags = docs / "tree" / "reports" / "secret_flags.py"
    flags.write_text(
        "from edx_toggles.toggles import SettingToggle\n\n"
        "# .. toggle_name: REPORTS_PASSWORD\n"
        "# .. toggle_implementation: SettingToggle\n"
        "# .. toggle_default: toggle-hunter2\n"
        "# .. toggle_description: The reports' password.\n"
        "# .. toggle_use_cases: open_edx\n"
        "# .. toggle_creation_date: 2020-01-20\n"
        "PASSWORD = SettingToggle('REPORTS_PASSWORD', default='code-hunter2', "
        "module_name=__name__)\n")
    app = make_app("html", srcdir=docs)
    app.build()
    files = [p for root in (app.outdir, app.doctreedir) for p in Path(root).rglob("*")
             if p.is_file()]
    assert Path(app.doctreedir, "opsdocs-toggles.pickle") in files
    secrets = [b"not-a-real-key", b"credentials-sso-secret", b"cache-password",
               b"documented-password", b"described-password", b"broker-password",
               b"toggle-hunter2", b"code-hunter2"]
    assert [(p.name, s) for p in files for s in secrets if s in p.read_bytes()] == []
    page = (app.outdir / "index.html").read_text()
    assert "redis://:...@redis:6379" in page and "BROKER_URL" in page
    assert "REPORTS_PASSWORD" in page


def test_a_settings_block_is_warned_about_once(make_app, tmp_path):
    """The settings reference owns the checks of a block over a setting's assignment: with
    both directives over the module, its name and its unknown field are one warning each,
    the settings reference's, in the first build and the next; alone, the toggles
    reference says them."""
    docs = copy_root(tmp_path, "toggles")
    common = docs / "tree" / "core" / "envs" / "common.py"
    common.write_text(common.read_text().replace(
        "# .. toggle_creation_date: 2017-07-07\n",
        "# .. toggle_creation_date: 2017-07-07\n    # .. toggle_warnings: Slow.\n"))

    def about_the_block(app) -> list[str]:
        return [line.split(": WARNING: ")[1] for line in typed_lines(app)
                if f"{common}:24:" in line or f"{common}:30:" in line]

    both = make_app("html", srcdir=docs)
    both.build()
    once = typed([
        "the annotation names FEATURES['ENABLE_SEARCH'], but the statement under it defines "
        "FEATURES['ENABLE_SEARCHING']: give the annotation the setting's name "
        "[opsdocs.annotation-name]",
        "unknown annotation field toggle_warnings: code-annotations ignores it; did you mean "
        "'toggle_warning'? [opsdocs.annotation-field]"])
    assert sorted(about_the_block(both)) == once
    index = docs / "index.rst"
    index.write_text(index.read_text() + "\nThe toggles page, edited.\n")
    again = make_app("html", srcdir=docs)  # only the toggles page is read again
    again.build()
    assert about_the_block(again) == []
    (docs / "settings.rst").unlink()
    index.write_text(index.read_text().split(".. toctree::")[0])
    alone = make_app("html", srcdir=docs)
    alone.build()
    assert sorted(about_the_block(alone)) == typed([
        "the annotation publishes the toggle FEATURES['ENABLE_SEARCH'], but the code "
        "registers FEATURES['ENABLE_SEARCHING']: publish the name the code registers "
        "(# .. toggle_name: FEATURES['ENABLE_SEARCHING']) [opsdocs.toggle-name]",
        "unknown annotation field toggle_warnings: code-annotations ignores it (opsdocs shows "
        "it as a warning); did you mean 'toggle_warning'? [opsdocs.toggle-field]"])


def test_a_module_copy_is_the_same_whichever_directive_links_it(make_app, tmp_path):
    """One rule decides what a copy of a file blanks out: a cookie's name is no secret on
    the toggles page's copy either, and the secret key is blanked by both."""
    copies = []
    for directive in ("feature-toggles:: tree", "settings-reference:: tree/core/envs/common.py"):
        docs = copy_root(tmp_path / directive.split("::")[0], "toggles")
        common = docs / "tree" / "core" / "envs" / "common.py"
        common.write_text(common.read_text() + 'AFFILIATE_COOKIE_KEY = "affiliate_id"\n')
        (docs / "settings.rst").unlink()
        (docs / "index.rst").write_text(f"Page\n====\n\n.. {directive}\n")
        app = make_app("html", srcdir=docs, confoverrides={"extensions": ["opsdocs"]})
        app.build()
        copy = found((app.outdir / "_opsdocs_source").rglob("common.py.html"))[0].read_text()
        copies.append(re.sub(r"<title>.*?</title>", "", copy, flags=re.S))
    toggles_copy, settings_copy = copies
    assert "affiliate_id" in toggles_copy and "not-a-real-key" not in toggles_copy
    assert toggles_copy == settings_copy


def test_a_leading_slash_starts_at_the_source_directory(make_app, tmp_path):
    """As in every other directive, ``/tree`` in a document below the source directory is
    the source directory's tree; a path that is not there is told where it was looked for."""
    docs = copy_root(tmp_path, "toggles")
    (docs / "settings.rst").unlink()
    (docs / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   sub/t\n")
    (docs / "sub").mkdir()
    (docs / "sub" / "t.rst").write_text(
        "Toggles\n=======\n\n.. feature-toggles:: /tree\n\n.. feature-toggles:: /gone\n")
    app = make_app("html", srcdir=docs)
    app.build()
    assert "reports.async_export" in setting_texts((app.outdir / "sub" / "t.html").read_text())
    about_the_page = [line.split(": WARNING: ")[1] for line in warning_lines(app)
                      if "t.rst" in line]
    assert about_the_page == [
        f"/gone: '/gone' is neither a folder, a Python file nor a dotted package found on "
        f"sys.path (nothing at {docs / 'gone'}): give the path of the code tree (lms, "
        "openedx/core) or its package"]  # and not also "no feature toggles" there


def test_a_tree_without_toggles_is_one_located_warning(make_app, tmp_path):
    """The same message as ``opsdocs toggles``, at the directive."""
    docs = copy_root(tmp_path, "toggles")
    (docs / "settings.rst").unlink()
    (docs / "plain").mkdir()
    (docs / "plain" / "views.py").write_text("def index(request):\n    return None\n")
    (docs / "index.rst").write_text("Home\n====\n\n.. feature-toggles:: plain\n")
    app = make_app("html", srcdir=docs)
    app.build()
    assert [line.split(": WARNING: ")[1] for line in warning_lines(app)] == [
        "no feature toggles here: name the folders of the code that defines them (tests and "
        ".venv are skipped unless asked for)"]
    assert "index.rst:4: WARNING" in warning_lines(app)[0]
