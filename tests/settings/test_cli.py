"""``opsdocs settings``: the catalog outside Sphinx."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from opsdocs.cli import main
from tests.helpers import ROOTS

SETTINGS = ROOTS / "test-settings/settings"
PROBLEMS = ROOTS / "test-settings-problems"


def test_json_is_versioned_and_complete(capsys):
    assert main(["settings", "--settings", str(SETTINGS), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["format"], data["version"]) == ("opsdocs-settings", 2)
    names = [s["name"] for s in data["settings"]]
    assert names == ["LMS_BASE_URL", "SECRET_KEY", "FEATURES", "INSTALLED_APPS", "TIMEOUT"]
    features = data["settings"][2]
    assert features["value"] == '{\n    "ENABLE_X": False,\n}'
    assert features["annotation"] == "dict[str, bool]"


def test_markdown_table(capsys):
    assert main(["settings", "--settings", str(SETTINGS), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "| Setting | Default | Type | Description |"
    assert "| `LMS_BASE_URL` | **required** | `str` |" in out
    assert "| `TIMEOUT` | five seconds |" in out  # :default: text as Markdown, not code


def test_rst_output_builds_with_opsdocs(capsys, make_app, tmp_path):
    assert main(["settings", "--settings", str(SETTINGS)]) == 0
    html = build_with_opsdocs(make_app, tmp_path, capsys.readouterr().out, "html")
    assert 'id="setting-FEATURES"' in html


def build_with_opsdocs(make_app, srcdir: Path, rst: str, builder: str) -> str:
    """The page *builder* makes of *rst*, built without warnings with opsdocs loaded."""
    (srcdir / "conf.py").write_text("extensions = ['opsdocs']\n")
    (srcdir / "index.rst").write_text("Settings\n========\n\n" + rst)
    app = make_app(builder, srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    return (Path(app.outdir) / f"index.{'txt' if builder == 'text' else builder}").read_text()


@pytest.mark.parametrize(("path", "message"), [
    (PROBLEMS / "missing", "settings package"),
    (PROBLEMS / "syntax", "syntax/defaults.py:3: syntax error:"),
    (PROBLEMS / "dupes", "dupes/required.py:5: required setting PLATFORM_NAME is given a value"),
])
def test_problems_exit_non_zero_without_traceback(path, message):
    result = subprocess.run(
        [sys.executable, "-m", "opsdocs.cli", "settings", "--settings", str(path)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_undocumented_fails_only_when_strict(tmp_path, capsys):
    (tmp_path / "required.py").write_text("")
    (tmp_path / "defaults.py").write_text("A = 1\n")
    assert main(["settings", "--settings", str(tmp_path)]) == 0
    told = f"{tmp_path / 'defaults.py'}:1: setting A has no documentation"
    assert told in capsys.readouterr().err  # reported, as the docs say, but no failure
    assert main(["settings", "--settings", str(tmp_path), "--warnings-as-errors"]) == 1
    assert told in capsys.readouterr().err


@pytest.mark.parametrize("command", [
    ["settings", "--format", "rst"], ["settings", "--format", "markdown"],
    ["settings", "--format", "json"], ["snapshot"],
    ["sample-config"]], ids="-".join)
def test_a_secret_set_to_none_later_keeps_its_earlier_value_hidden(tmp_path, capsys, command):
    """analytics-dashboard's devstack.py: ``SEGMENT_IO_KEY = 'YOUR_KEY'`` in base.py, then an
    environment read with no default; the first value is a secret all the same."""
    (tmp_path / "base.py").write_text("#: The API token.\nAPI_TOKEN = 'sk-live-0123456789abcdef'\n")
    (tmp_path / "dev.py").write_text("from base import *\n\nAPI_TOKEN = None\n")
    main([command[0], "--settings", str(tmp_path / "dev.py"), *command[1:]])
    out, err = capsys.readouterr()
    assert "API_TOKEN" in out
    assert "sk-live" not in out + err


def test_problems_are_told_when_the_output_cannot_be_written(tmp_path, capsys):
    (tmp_path / "required.py").write_text("")
    (tmp_path / "defaults.py").write_text("A = 1\n")
    target = tmp_path / "missing" / "out.rst"
    assert main(["settings", "--settings", str(tmp_path), "--warnings-as-errors",
                 "-o", str(target)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{target}: cannot write the settings reference: the folder {target.parent} does not "
        "exist: create it first",
        f"{tmp_path / 'defaults.py'}:1: setting A has no documentation: add a '#:' comment "
        "above it"]
    (tmp_path / "views.py").write_text("from django.conf import settings\nX = settings.B\n")
    (tmp_path / "broken.py").write_text("from django.conf import settings\nX = (settings.C\n")
    assert main(["reads", str(tmp_path / "views.py"), str(tmp_path / "broken.py"),
                 "-o", str(target)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{target}: cannot write the reads: ")
    assert err[1].startswith(f"{tmp_path / 'broken.py'}:")


def test_console_script_is_installed():
    result = subprocess.run([Path(sys.executable).parent / "opsdocs", "--version"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("opsdocs ")


def test_every_definition_is_shown_in_rst_and_markdown(tmp_path, capsys, make_app):
    package = tmp_path / "settings"
    package.mkdir()
    (package / "required.py").write_text("")
    (package / "defaults.py").write_text(
        "import os\n\n#: Apps.\nAPPS = ['a']\nAPPS += ['b']\n\n"
        "if os.environ.get('X'):\n    #: Debug.\n    DEBUG = True\nelse:\n    DEBUG = False\n"
    )
    assert main(["settings", "--settings", str(package), "--format", "markdown"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[2].endswith(
        "| Apps. Defined by: `APPS = ['a']` (line 4); `APPS += ['b']` (line 5). |")
    assert rows[3].endswith(
        "| Debug. Defined by: `DEBUG = True` (line 9, `if os.environ.get('X')`); "
        "`DEBUG = False` (line 11, `if not (os.environ.get('X'))`). |")
    assert main(["settings", "--settings", str(package)]) == 0
    rst = capsys.readouterr().out
    assert "   Defined by:\n\n   - ``APPS = ['a']`` (line 4)\n   - ``APPS += ['b']`` (line 5)\n" in rst
    text = build_with_opsdocs(make_app, tmp_path, rst, "text")
    assert "\"DEBUG = False\" (line 11, \"if not (os.environ.get('X'))\")" in text


def test_a_default_with_backticks_stays_one_literal(tmp_path, capsys, make_app):
    package = tmp_path / "settings"
    package.mkdir()
    (package / "required.py").write_text("")
    (package / "defaults.py").write_text('#: Help.\nHELP = "Run ``manage.py`` | `x`"\n')
    assert main(["settings", "--settings", str(package), "--format", "markdown"]) == 0
    assert capsys.readouterr().out.splitlines()[2] == (
        "| `HELP` | ``` 'Run ``manage.py`` \\| `x`' ``` |  | Help. |")
    assert main(["settings", "--settings", str(package)]) == 0
    text = build_with_opsdocs(make_app, tmp_path, capsys.readouterr().out, "text")
    assert 'Default:\n      "\'Run ``manage.py`` | `x`\'"' in text


def test_rst_names_files_without_the_machine_s_directories(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the settings are elsewhere: named from their own parent
    assert main(["settings", "--settings", str(SETTINGS)]) == 0
    out = capsys.readouterr().out
    assert "   :Source: settings/required.py, line " in out
    assert str(ROOTS) not in out and ":Source: /" not in out


def test_markdown_marks_a_deprecated_setting(capsys):
    settings = ROOTS.parent.parent / "example_ida" / "example_ida" / "settings"
    assert main(["settings", "--settings", str(settings), "--format", "markdown"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines()
               if line.startswith("| `REPORTS_RETENTION_DAYS` |"))
    assert row.endswith("| **Deprecated since version 0.3.** Set `REPORTS_RETENTION` (in "
                        "seconds) instead. When this one is set, it still wins; it will be "
                        "removed in 1.0. How long finished reports are kept, in days. |")


def test_a_module_defining_no_settings_is_told_not_printed_empty(tmp_path, capsys, make_app):
    """edx-enterprise's ``production.py`` only imports ``plugin_settings``: the command
    says so (exit 1) rather than print an empty reference; the directive, given no
    options, does not blame them."""
    module = tmp_path / "production.py"
    module.write_text("from enterprise.settings.common import plugin_settings  # noqa\n")
    status = main(["settings", "--settings", str(module)])
    out, err = capsys.readouterr()
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        f"{module}: defines no settings (UPPERCASE module-level names, settings.X in "
        "plugin_settings(), getattr(settings, 'X', default) in an app module): give --settings "
        "the module that defines them (the one this imports them from), or the OEP-45 "
        "settings package"]
    (tmp_path / "conf.py").write_text("extensions = ['opsdocs']\n")
    (tmp_path / "index.rst").write_text(
        "S\n=\n\n.. settings-reference:: production.py\n\n"
        ".. settings-reference:: production.py\n   :only: required\n")
    app = make_app("html", srcdir=tmp_path)
    app.build()
    warnings = app.warning.getvalue()
    assert "index.rst:4: WARNING: " in warnings
    assert "production.py defines no settings" in warnings and \
        "give the settings-reference the module" in warnings
    assert warnings.count("match this settings-reference's options") == 1  # the :only: one


@pytest.mark.parametrize("command", [
    ["settings", "--format", "rst"], ["settings", "--format", "markdown"],
    ["settings", "--format", "json"], ["snapshot"], ["sample-config"], ["schema"]],
    ids="-".join)
def test_a_setting_secret_by_its_mark_is_not_folded_into_others(tmp_path, capsys, command):
    """``PARTNER`` is secret by its ``:secret:`` field alone; ``HEADERS += [PARTNER]`` would
    fold its value into ``HEADERS``: that one is computed at startup instead."""
    (tmp_path / "s.py").write_text(
        "#: The partner's token.\n#:\n#: :secret:\nPARTNER = 'tok-abcdef123456'\n\n"
        "#: Every header sent.\nHEADERS = ['x-id']\nHEADERS += [PARTNER]\n\n"
        "_tmp = PARTNER\n#: Through a private name.\nVIA = ['d']\nVIA += [_tmp]\n\n"
        "#: Through another setting.\nALL = ['e']\nALL = ALL + HEADERS\n")
    main([command[0], "--settings", str(tmp_path / "s.py"), *command[1:]])
    out, err = capsys.readouterr()
    assert "HEADERS" in out
    assert "tok-" not in out + err
