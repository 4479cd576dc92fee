"""``opsdocs toggles``: the same reading on the command line, in four formats."""

from __future__ import annotations

import json
import shutil

import pytest

from opsdocs.cli import main
from tests.helpers import ROOTS
from tests.toggles.tree import block

TREE = ROOTS / "test-toggles" / "tree"


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """The test root's tree, copied, as the working directory: paths shown relative."""
    shutil.copytree(TREE, tmp_path / "tree")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "tree"


def run(capsys, *argv: str) -> tuple[int, str, list[str]]:
    status = main(["toggles", *argv])
    out, err = capsys.readouterr()
    return status, out, err.splitlines()


def test_json_lists_each_toggle_with_its_fields_and_problems(tree, capsys):
    status, out, err = run(capsys, "tree", "--format", "json", "--today", "2025-06-01")
    assert status == 1
    data = json.loads(out)
    assert data["today"] == "2025-06-01"
    toggles = {(t["name"], t["file"]): t for t in data["toggles"]}
    export = toggles["reports.async_export", "tree/reports/toggles.py"]
    assert {key: export[key] for key in (
        "registered", "name_known", "implementation", "documented_implementation", "default",
        "documented_default", "use_cases", "creation_date", "target_removal_date", "documented",
        "temporary", "past_due", "line", "annotation_line", "variable")} == {
        "registered": "reports.async_export", "name_known": True,
        "implementation": "CourseWaffleFlag", "documented_implementation": "CourseWaffleFlag",
        "default": "False", "documented_default": "False", "use_cases": ["temporary"],
        "creation_date": "2024-02-01", "target_removal_date": "2024-08-01", "documented": True,
        "temporary": True, "past_due": True, "line": 19, "annotation_line": 11,
        "variable": "ASYNC_EXPORT"}
    assert export["description"] == ("Builds course exports in a background task instead of "
                                     "in the request.")
    assert export["problems"] == [{
        "message": "the temporary toggle reports.async_export was to be removed by 2024-08-01: "
                   "remove it, or move toggle_target_removal_date (and say why)",
        "line": 18, "check": "toggle-past-due"}]
    factory = toggles["reports.{name}", "tree/reports/toggles.py"]
    assert (factory["registered"], factory["name_known"], factory["name_pattern"]) == (
        None, False, "reports.{name}")
    assert toggles["reports.large_exports", "tree/reports/toggles.py"]["warnings"] == [
        "Large exports hold a database connection for minutes."]
    assert len(data["problems"]) == len(err) == 15  # views.py:9 waived
    assert {p["check"] for p in data["problems"]} == {
        "toggle-name", "toggle-implementation", "toggle-past-due", "toggle-undocumented",
        "toggle-duplicate", "toggle-date", "toggle-field", "toggle-choice"}


def test_text_is_for_people(tree, capsys):
    status, out, err = run(capsys, "tree/reports", "--today", "2025-06-01")
    assert status == 1
    assert out.split("\n\n")[1] == "\n".join([
        "reports.async_export (CourseWaffleFlag, past due)",
        "  Default: False",
        "  Builds course exports in a background task instead of in the request.",
        "  Use cases: temporary",
        "  Created: 2024-02-01",
        "  To be removed: 2024-08-01",
        "  Python name: ASYNC_EXPORT",
        "  tree/reports/toggles.py:19"])
    assert err[0] == ("tree/reports/toggles.py:18: the temporary toggle reports.async_export "
                      "was to be removed by 2024-08-01: remove it, or move "
                      "toggle_target_removal_date (and say why)")


def test_markdown_is_a_table(tree, capsys):
    _, out, _ = run(capsys, "tree/reports", "--format", "markdown", "--today", "2025-06-01")
    lines = out.splitlines()
    assert lines[:2] == ["| Toggle | Implementation | Default | Description |",
                         "| --- | --- | --- | --- |"]
    assert lines[3].startswith("| `reports.async_export` *past due* | CourseWaffleFlag | "
                               "`False` | Builds course exports")


def built_html(rst: str, make_app, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The page *rst* makes in a project with opsdocs loaded; no warning."""
    src = tmp_path / "docs"
    src.mkdir()
    (src / "conf.py").write_text("extensions = ['opsdocs']\n")
    (src / "index.rst").write_text("Toggles\n=======\n\n" + rst)
    app = make_app("html", srcdir=src)
    app.build()
    assert app.warning.getvalue() == ""
    return (app.outdir / "index.html").read_text()


def test_rst_builds_with_opsdocs(tree, capsys, make_app, tmp_path):
    status, out, _ = run(capsys, "tree/reports", "--format", "rst", "--ignore",
                         "toggle-undocumented", "--ignore", "toggle-past-due", "--ignore",
                         "toggle-name", "--ignore", "toggle-implementation", "--ignore",
                         "toggle-field")
    assert status == 0
    html = built_html(out, make_app, tmp_path)
    assert 'id="toggle-reports.async_export"' in html
    assert "Large exports hold a database connection for minutes." in html


def test_rst_of_a_name_defined_twice_is_one_toggle_object(tree, capsys, make_app, tmp_path):
    """As in the feature-toggles directive: the second definition is shown, not indexed
    (the tree defines reports.async_export in two modules)."""
    _, out, _ = run(capsys, "tree", "--format", "rst")
    assert out.count(".. toggle:: reports.async_export\n") == 2
    html = built_html(out, make_app, tmp_path)
    assert html.count('id="toggle-reports.async_export"') == 1
    assert html.count('<span class="pre">reports.async_export</span>') == 2


def test_output_to_a_file_and_options(tree, capsys, tmp_path):
    status, out, err = run(capsys, "tree", "--exclude", "legacy", "--exclude", "core",
                           "--exclude", "catalog", "--ignore", "toggle-undocumented",
                           "--format", "json", "-o", str(tmp_path / "toggles.json"),
                           "--today", "2024-01-01")
    assert (status, out) == (1, "")
    data = json.loads((tmp_path / "toggles.json").read_text())
    assert {t["file"] for t in data["toggles"]} == {"tree/reports/toggles.py",
                                                    "tree/reports/models.py"}
    assert not any(t["past_due"] for t in data["toggles"])
    assert [line.split(": ", 1)[0] for line in err] == [
        "tree/reports/toggles.py:22", "tree/reports/toggles.py:30", "tree/reports/toggles.py:36"]


def test_a_dotted_package_is_found_with_sys_path(tree, capsys):
    status, out, _ = run(capsys, "reports", "--sys-path", "tree", "--format", "json",
                         "--ignore", "toggle-undocumented", "--ignore", "toggle-past-due",
                         "--ignore", "toggle-name", "--ignore", "toggle-implementation",
                         "--ignore", "toggle-field")
    assert status == 0
    assert len(json.loads(out)["toggles"]) == 7  # the reports package


@pytest.mark.parametrize(("argv", "message"), [
    (["tree", "--today", "June"], "'June' is not a date: write YYYY-MM-DD"),
    (["tree", "--ignore", "toggle-typo"], "invalid choice: 'toggle-typo'"),
])
def test_usage_errors(tree, capsys, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main(["toggles", *argv])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_a_missing_tree_is_one_message(tree, capsys):
    status, out, err = run(capsys, "nowhere")
    assert (status, out) == (1, "")
    assert err == ["nowhere: 'nowhere' is neither a folder, a Python file nor a dotted package "
                   "found on sys.path: give the path of the code tree (lms, openedx/core) or "
                   "its package"]


def test_a_tree_without_toggles_is_one_message_as_in_sphinx(tree, capsys):
    (tree / "plain").mkdir()
    (tree / "plain" / "views.py").write_text("def index(request):\n    return None\n")
    (tree / "plain" / "tests").mkdir()
    (tree / "plain" / "tests" / "test_flags.py").write_text(
        "from edx_toggles.toggles import WaffleFlag\nFLAG = WaffleFlag('a.b', __name__)\n")
    status, out, err = run(capsys, "tree/plain")
    assert (status, out) == (1, "")
    assert err == ["tree/plain: no feature toggles here: name the folders of the code that "
                   "defines them (tests and .venv are skipped unless asked for)"]
    status, out, err = run(capsys, "tree/plain", "--tests", "--ignore", "toggle-undocumented")
    assert status == 0 and "a.b" in out


def test_a_settings_module_copying_one_it_star_imports_is_warned_at_the_copy(
        tmp_path, monkeypatch, capsys):
    """Trees given relative, no package marker: the star import is found from the working
    directory, and the copy is the importer's, though its path sorts first."""
    block = ("# .. toggle_name: USE_COPPA\n# .. toggle_implementation: DjangoSetting\n"
             "# .. toggle_default: False\n# .. toggle_description: Hides the birth year.\n"
             "# .. toggle_use_cases: open_edx\n# .. toggle_creation_date: 2021-10-27\n")
    for path, text in {"base/envs/common.py": block + "USE_COPPA = False\n",
                       "app/envs/common.py": "from base.envs.common import *\n\n" + block
                       + "USE_COPPA = False\n"}.items():
        (tmp_path / path).parent.mkdir(parents=True)
        (tmp_path / path).write_text(text)
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "app", "base")
    assert (status, err) == (1, [
        "app/envs/common.py:3: the toggle USE_COPPA is defined again (first at "
        "base/envs/common.py, line 7, which this module star-imports): code-annotations' list "
        "shows both; keep the block where it is first defined and remove this one (the "
        "assignment may stay)"])


def test_a_settings_module_is_one_however_its_path_is_given(tmp_path, monkeypatch, capsys):
    envs = tmp_path / "lms" / "envs"
    envs.mkdir(parents=True)
    (envs / "common.py").write_text(
        "# .. toggle_name: ENABLE_X\n# .. toggle_implementation: DjangoSetting\n"
        "# .. toggle_default: False\n# .. toggle_description: Shows X.\n"
        "# .. toggle_use_cases: open_edx\n# .. toggle_creation_date: 2024-01-01\n"
        "ENABLE_X = False\n")
    seen = []
    for where, path in ((tmp_path, "lms"), (envs.parent, "envs/common.py"), (envs, "common.py"),
                        (envs, ".")):
        monkeypatch.chdir(where)
        status, out, err = run(capsys, path, "--format", "json")
        toggle, = json.loads(out)["toggles"]
        seen.append((status, err, toggle["implementation"], toggle["default"]))
    assert seen == [(0, [], "DjangoSetting", "False")] * 4


@pytest.mark.parametrize("imports", [
    "from django.conf import settings\n",
    "try:\n    from django.conf import settings\nexcept ImportError:\n    settings = None\n"])
def test_a_settings_py_that_reads_djangos_settings_holds_constants_not_settings(
        tmp_path, monkeypatch, capsys, imports):
    """openedx-platform's ``discussion/config/settings.py``: a block over the constant
    that names a ``FEATURES`` key documents the key, not a setting valued as the constant;
    Django's settings imported anywhere in its statements (under ``try``) as at the top."""
    config = tmp_path / "discussion" / "config"
    config.mkdir(parents=True)
    (config / "settings.py").write_text(
        imports + "\n" + block("FEATURES['ENABLE_DIGEST']", "DjangoSetting")
        + "ENABLE_DIGEST = 'enable_digest'\n\n\n"
        "def digest_enabled():\n"
        "    return settings.FEATURES.get('ENABLE_DIGEST', False)\n")
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "discussion", "--format", "json")
    toggle, = json.loads(out)["toggles"]
    assert (status, err) == (0, [])
    assert (toggle["name"], toggle["setting"], toggle["default"],
            toggle["documented_default"]) == ("FEATURES['ENABLE_DIGEST']", None, None, "False")
    assert "enable_digest" not in out
