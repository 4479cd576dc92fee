"""Settings read in code (``opsdocs reads``, ``:reads:``), compared with a catalog."""

from __future__ import annotations

import json

import pytest

from opsdocs.settings.sources import nearby
from tests.helpers import copy_root, own_warnings, setting_texts, warning_lines
from tests.settings.support import (
    COMMON,
    SAMPLEAPP,
    run,
)


def test_reads_cli(capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = run(capsys, "reads", str(SAMPLEAPP), "--settings", str(COMMON))
    assert status == 0
    lines = out.splitlines()
    views = nearby(SAMPLEAPP / "views.py")  # the paths of a run from the current directory
    assert f"{views}:21: FEATURES['ENABLE_DISCUSSION_SERVICE'] (default False)" in lines
    assert f"{views}:47: a setting named by a variable: not resolved" in lines
    assert f"{views}:52: ALLOW_ADMIN_ENTERPRISE_COURSE_ENROLLMENT_DELETION (default False)" \
        in lines  # named by a constant of another module
    assert f"{views}:21: FEATURES['ENABLE_DISCUSSION_SERVICE'] is read here with default False, " \
        f"but it is declared as True ({nearby(COMMON)}, line 78): use the same default" in lines
    assert f"{views}:11: ENTERPRISE_COURSE_ENROLLMENT_AUDIT_MODES is read here with default " \
        "['audit', 'honor'] (read 2 times in all), but no settings module declares it: declare " \
        "and document it" in lines
    assert f"{views}:16: ENTERPRISE_COURSE_ENROLLMENT_AUDIT_MODES is read here with default " \
        f"['audit'], but with ['audit', 'honor'] at {views}, line 11: use one default" in lines
    # declared, read without a default or with the declared one: no problem
    assert not [line for line in lines if "LMS_ROOT_URL is" in line or "ENABLE_EDXNOTES'] is" in line]
    # a local called settings is not Django's; the secret-looking default is never shown
    assert "PAGE_SIZE" not in out and "dev-api-key" not in out
    assert run(capsys, "reads", str(SAMPLEAPP), "--settings", str(COMMON), "--warnings-as-errors")[0] == 1


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
    # the declaring file from the source directory: the same text wherever the build runs
    assert f"{app.srcdir / 'sampleapp' / 'views.py'}:21: WARNING: FEATURES" \
        "['ENABLE_DISCUSSION_SERVICE'] is read here with default False, but it is declared as " \
        "True (lms/envs/common.py, line 78): use the same default" in warnings
    assert f"{app.srcdir / 'sampleapp' / 'views.py'}:16: WARNING: ENTERPRISE_COURSE_ENROLLMENT_" \
        "AUDIT_MODES is read here with default ['audit'], but with ['audit', 'honor'] at " \
        "sampleapp/views.py, line 11: use one default" in warnings


def test_reads_option_with_an_unclosed_quote_is_a_warning(make_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A quote that does not close splits at white space: the build goes on."""
    src = copy_root(tmp_path, "settings-modules")
    reads = src / "reads.rst"
    reads.write_text(reads.read_text().replace(":reads: sampleapp", ':reads: "sampleapp'))
    app = make_app("html", srcdir=src)
    app.build()
    assert "SAMPLE_CLIENT_API_KEY" not in setting_texts((app.outdir / "reads.html").read_text())
    looked = src / '"sampleapp'
    assert f"{src / 'reads.rst'}:4: WARNING: :reads: path '\"sampleapp' not found (looked for " \
        f"{looked}): give a directory or file of Python code, relative to this page" \
        in warning_lines(app)


def test_reads_option_reads_tests_only_with_reads_tests(make_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """As ``opsdocs reads --tests``: a setting only tests read is listed with the flag."""
    src = copy_root(tmp_path, "settings-modules")
    (src / "sampleapp" / "tests").mkdir()
    (src / "sampleapp" / "tests" / "test_views.py").write_text(
        "from django.conf import settings\nX = settings.SAMPLE_ONLY_IN_TESTS\n")
    reads = src / "reads.rst"
    listed = []
    for flag in ("", "   :reads-tests:\n"):
        reads.write_text(reads.read_text().replace("   :reads-tests:\n", "") + flag)
        app = make_app("html", srcdir=src, freshenv=True)
        app.build()
        listed.append("SAMPLE_ONLY_IN_TESTS" in setting_texts(
            (app.outdir / "reads.html").read_text()))
    assert listed == [False, True]


def test_reads_skip_tests_unless_asked(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Tests are left out as toggles leaves them out (the one walk of code trees)."""
    read = "from django.conf import settings\nX = settings.{}\n"
    for path, name in (("app/views.py", "APP_SETTING"), ("app/tests/test_views.py", "IN_TESTS"),
                       ("app/test_forms.py", "IN_TEST_FILE"), ("app/conftest.py", "IN_CONFTEST"),
                       ("app/node_modules/pkg/x.py", "VENDORED"),
                       ("app/.direnv/lib/m.py", "HIDDEN"),
                       ("app/transformers/split_test.py", "IN_SPLIT_TEST")):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(read.format(name))
    # nor hidden folders (.direnv); a module named *_test.py is code (split_test.py)
    status, out, _ = run(capsys, "reads", tmp_path / "app")
    assert (status, out) == (0, f"{tmp_path / 'app' / 'views.py'}:2: APP_SETTING\n"
                             f"{tmp_path / 'app' / 'transformers' / 'split_test.py'}:2: "
                             "IN_SPLIT_TEST\n")
    status, out, _ = run(capsys, "reads", tmp_path / "app", "--tests")
    assert [line.split(": ")[1] for line in out.splitlines()] == [
        "IN_CONFTEST", "IN_TEST_FILE", "APP_SETTING", "IN_TESTS", "IN_SPLIT_TEST"]
    # a test file named itself is read
    assert run(capsys, "reads", tmp_path / "app" / "test_forms.py")[1].endswith(" IN_TEST_FILE\n")


def test_settings_a_plugin_sets_are_declared(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """``settings.X = ...`` in scanned code (a plugin's ``plugin_settings``) declares X, as
    toggles' blocks read it (one rule): reading it is no "undeclared" problem."""
    (tmp_path / "settings.py").write_text("FEATURES = {}\n")
    app = tmp_path / "app"
    (app / "settings").mkdir(parents=True)
    (app / "settings" / "common.py").write_text(
        "def plugin_settings(settings):\n"
        "    settings.PLUGIN_URL = 'x'\n"
        "    settings.FEATURES['PLUGIN_FLAG'] = True\n"
        "    settings.FEATURES.update({'OTHER_FLAG': False})\n"
        "    settings.PLUGIN_APP = settings.PLUGIN_URL + '/app'\n")
    (app / "views.py").write_text(
        "from django.conf import settings\n"
        "A = settings.PLUGIN_URL, settings.FEATURES.get('PLUGIN_FLAG')\n"
        "B = settings.FEATURES['OTHER_FLAG'], getattr(settings, 'PLUGIN_APP', None)\n"
        "C = settings.MISSING\n")
    _, out, _ = run(capsys, "reads", app, "--settings", tmp_path / "settings.py")
    assert [line for line in out.splitlines() if "declare" in line] == [
        f"{app / 'views.py'}:4: MISSING is read here with no default, but no settings module "
        "declares it: declare and document it"]


def test_read_defaults_against_names_and_long_values(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Defaults compare as values where both are known (a literal, or a setting whose value
    is one), else as code; only a name or attribute whose value is not known is no
    difference. A long value is shown on one line, cut; the declaring file by its path."""
    envs = tmp_path / "lms" / "envs"
    envs.mkdir(parents=True)
    (envs / "common.py").write_text(
        "LIMIT = 13\nAGE = LIMIT\nOTHER = LIMIT\nBUILT = compute()\n"
        "BIG = {\n    'first_key': 'a long value here',\n    'second_key': 'another',\n}\n"
        "ROUTE = other_settings.ROUTE\nMODULE_DIR = os.path.join(tmp, 'mako')\n"
        "SAME = os.path.join(tmp, 'x')  # a comment\nEMAIL = 'info@example.com'\n")
    (tmp_path / "views.py").write_text(
        "from django.conf import settings\n"
        "A = getattr(settings, 'AGE', 13), getattr(settings, 'BUILT', 1)\n"
        "B = getattr(settings, 'OTHER', 12)\n"
        "C = getattr(settings, 'BIG', {\n    'first_key': 'b'})\n"
        "D = getattr(settings, 'LIMIT', THIRTEEN), getattr(settings, 'ROUTE', None)\n"
        "E = getattr(settings, 'MODULE_DIR', None), getattr(settings, 'SAME', os.path.join(\n"
        "    tmp, \"x\"))\n"
        "F = getattr(settings, 'EMAIL', _('support'))\n")
    _, out, _ = run(capsys, "reads", tmp_path / "views.py", "--settings", envs / "common.py")
    views, common = tmp_path / "views.py", envs / "common.py"
    assert [line for line in out.splitlines() if "is read here" in line] == [
        f"{views}:2: BUILT is read here with default 1, but it is declared as compute() "
        f"({common}, line 4): use the same default",
        f"{views}:3: OTHER is read here with default 12, but it is declared as LIMIT ({common}, "
        "line 3): use the same default",
        f"{views}:4: BIG is read here with default {{'first_key': 'b'}}, but it is declared as "
        f"{{'first_key': ..., 'second_key': ...}} ({common}, line 5): use the same default",
        f"{views}:7: MODULE_DIR is read here with default None, but it is declared as "
        f"os.path.join(tmp, 'mako') ({common}, line 10): use the same default",
        f"{views}:9: EMAIL is read here with default _('support'), but it is declared as "
        f"'info@example.com' ({common}, line 12): use the same default"]
    assert f"{views}:4: BIG (default {{'first_key': 'b'}})" in out.splitlines()
    assert f"{views}:6: LIMIT (default THIRTEEN)" in out.splitlines()


def test_read_defaults_compare_literal_arithmetic_as_values(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """``60 * 5`` is ``300`` (also through a setting holding it); ``True`` is not ``1``."""
    (tmp_path / "settings.py").write_text(
        "BASE = 60 * 5\nTIMEOUT = BASE\nSIZE = 2 ** 20\nFLAG = True\n")
    (tmp_path / "views.py").write_text(
        "from django.conf import settings\n"
        "A = getattr(settings, 'TIMEOUT', 300), getattr(settings, 'SIZE', 1048576)\n"
        "B = getattr(settings, 'FLAG', 1)\n")
    _, out, _ = run(capsys, "reads", tmp_path / "views.py", "--settings",
                    tmp_path / "settings.py")
    assert [line for line in out.splitlines() if "is read here" in line] == [
        f"{tmp_path / 'views.py'}:3: FLAG is read here with default 1, but it is declared as "
        f"True ({tmp_path / 'settings.py'}, line 4): use the same default"]


def test_a_setting_named_by_an_imported_constant_is_found_by_its_module_path(  # type: ignore[no-untyped-def]
        tmp_path, capsys) -> None:
    """A constant is looked up in the module its import names (a second ``constants.py``
    elsewhere changes nothing), imported as a module or by name, absolutely or relatively,
    through a package that imports it in turn."""
    files = {
        "app/__init__.py": "from .constants import NAME as REEXPORTED\n",
        "app/constants.py": "NAME = 'MY_SETTING'\nOTHER = 'OTHER_SETTING'\n",
        "app/a.py": "from django.conf import settings\nfrom app import constants\n"
                    "A = getattr(settings, constants.NAME, None)\n",
        "app/b.py": "from django.conf import settings\nfrom app.constants import NAME\n"
                    "from . import constants as c\nfrom app import REEXPORTED\n"
                    "import app.constants\n"
                    "B = getattr(settings, NAME), getattr(settings, c.OTHER)\n"
                    "C = getattr(settings, REEXPORTED), getattr(settings, app.constants.OTHER)\n",
        "other/__init__.py": "", "other/sub/__init__.py": "",
        "other/sub/constants.py": "from django.conf import settings\nX = 1\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    status, out, _ = run(capsys, "reads", tmp_path / "app", tmp_path / "other")
    app = tmp_path / "app"
    assert (status, out.splitlines()) == (0, [
        f"{app / 'a.py'}:3: MY_SETTING (default None)",
        f"{app / 'b.py'}:6: MY_SETTING", f"{app / 'b.py'}:6: OTHER_SETTING",
        f"{app / 'b.py'}:7: MY_SETTING", f"{app / 'b.py'}:7: OTHER_SETTING"])


def test_a_loop_over_a_literal_list_of_names_reads_each(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """``for name in ('A', 'B'): getattr(settings, name)`` reads A and B, as check-config
    reads config keys through such a loop; so does a loop over a name bound to such a list
    (license-manager's Braze client); a parameter stays not resolved."""
    (tmp_path / "app.py").write_text(
        "from django.conf import settings\n"
        "for name in ('OTHER_X', 'OTHER_Y'):\n"
        "    getattr(settings, name)\n"
        "def f():\n"
        "    required = ['BRAZE_API_KEY', 'BRAZE_APP_ID']\n"
        "    for setting in required:\n"
        "        if not getattr(settings, setting, None): raise ValueError(setting)\n"
        "    for key in ('A_FLAG',):\n"
        "        settings.FEATURES.get(key, False)\n"
        "def g(name):\n"
        "    return getattr(settings, name)\n")
    app = tmp_path / "app.py"
    assert run(capsys, "reads", app)[1].splitlines() == [
        f"{app}:3: OTHER_X", f"{app}:3: OTHER_Y",
        f"{app}:7: BRAZE_API_KEY (default None)", f"{app}:7: BRAZE_APP_ID (default None)",
        f"{app}:9: FEATURES['A_FLAG'] (default False)",
        f"{app}:11: a setting named by a variable: not resolved"]


def test_names_not_known_inside_a_list_are_no_difference_and_long_defaults_cut_whole(  # type: ignore[no-untyped-def]
        tmp_path, capsys) -> None:
    """``[constants.AUDIT, constants.HONOR]`` against ``['audit', 'honor']`` is no
    difference (as a bare name is none), item by item; a longer list is one.  A long
    default is cut after a whole item, its bracket closed, not inside a name."""
    (tmp_path / "settings.py").write_text("DEBUG = False\n")
    (tmp_path / "views.py").write_text(
        "from django.conf import settings\nfrom app import constants\n"
        "A = getattr(settings, 'MODES', ['audit', 'honor'])\n"
        "B = getattr(settings, 'MODES', [constants.CourseModes.AUDIT, "
        "constants.CourseModes.HONOR])\n"
        "C = getattr(settings, 'MODES', ['audit'])\n"
        "D = getattr(settings, 'MAP', {'a': constants.A, 'b': 2})\n"
        "E = getattr(settings, 'MAP', {'a': 'x', 'b': 2})\n"
        "F = getattr(settings, 'MAP', {'a': 'x', 'b': 3})\n"
        "G = getattr(settings, 'PATH', os.path.join(settings_directory, 'templates', 'mako'))\n"
        "H = getattr(settings, 'PATH', 'a long text with many words in it, longer than forty')\n")
    views = tmp_path / "views.py"
    _, out, _ = run(capsys, "reads", views, "--settings", tmp_path / "settings.py")
    assert [line for line in out.splitlines() if "use one default" in line] == [
        f"{views}:5: MODES is read here with default ['audit'], but with ['audit', 'honor'] at "
        f"{views}, line 3: use one default",
        f"{views}:8: MAP is read here with default {{'a': 'x', 'b': 3}}, but with "
        f"{{'a': constants.A, 'b': 2}} at {views}, line 6: use one default",
        f"{views}:10: PATH is read here with default 'a long text with many words in it..., but "
        f"with os.path.join(settings_directory, ...) at {views}, line 9: use one default"]
    assert f"{views}:4: MODES (default [constants.CourseModes.AUDIT, ...])" in out.splitlines()


def test_a_default_of_twenty_thousand_items_is_cut_after_its_first(  # type: ignore[no-untyped-def]
        tmp_path, capsys) -> None:
    """A default of 20,000 items on one line is shown cut after its first items (its text
    is not made item by item to the end)."""
    items = ", ".join(f"'item{n}'" for n in range(20_000))
    views = tmp_path / "views.py"
    views.write_text(f"from django.conf import settings\nX = getattr(settings, 'FOO', [{items}])\n")
    status, out, _ = run(capsys, "reads", views)
    assert (status, out.splitlines()) == (0, [f"{views}:2: FOO (default ['item0', 'item1', 'item2', ...])"])


def test_a_default_whose_first_item_is_long_is_cut_inside_it(  # type: ignore[no-untyped-def]
        tmp_path, capsys) -> None:
    """A dict whose first item is longer than the width shows its head cut between words,
    not ``{...}``."""
    settings = tmp_path / "settings.py"
    settings.write_text('MODES = {\n    "audit": {\n        "id": 1,\n        "slug": "audit",\n'
                        '        "min_price": 0,\n    },\n}\n')
    views = tmp_path / "views.py"
    views.write_text("from django.conf import settings\nX = getattr(settings, 'MODES', {})\n")
    _, out, _ = run(capsys, "reads", views, "--settings", settings)
    assert f"{views}:2: MODES is read here with default {{}}, but it is declared as " \
        f'{{"audit": {{"id": 1, "slug": "audit"... ({nearby(settings)}, line 1): use the same ' \
        "default" in out.splitlines()


@pytest.mark.parametrize("rebinding", [
    "n = 'Z' + n", "n += '_X'", "n: str = 'Z' + n", "for n in other: pass",
    "if (n := 'Z' + n): pass", "with open(n) as n: pass", "import n"])
def test_a_loop_variable_bound_again_in_the_loop_is_not_resolved(  # type: ignore[no-untyped-def]
        tmp_path, capsys, rebinding) -> None:
    """``for n in ('Q1', 'Q2'): n = 'Z' + n; getattr(settings, n)`` reads neither Q1 nor
    Q2: however the body binds the loop's variable again, the read is not resolved."""
    app = tmp_path / "app.py"
    app.write_text("from django.conf import settings\ndef f(other):\n"
                   f"    for n in ('Q1', 'Q2'):\n        {rebinding}\n"
                   "        getattr(settings, n)\n")
    assert run(capsys, "reads", app)[1].splitlines() == [
        f"{app}:5: a setting named by a variable: not resolved"]
