"""Settings modules shaped like Open edX's (``lms/envs/common.py``, ``production.py``):
the reference, the CLI and the config check, as their users see them."""

from __future__ import annotations

import json
import re

import pytest
from docutils import nodes

from opsdocs.settings.nodes import setting_entry
from tests.helpers import ROOTS, setting_texts, typed, warning_lines
from tests.settings.support import COMMON, ROOT, run


def test_settings_cli_reads_modules_and_dotted_paths(capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = run(capsys, "settings", "--settings", "lms.envs.common", "--sys-path", str(ROOT),
                         "--format", "json")
    assert status == 1  # the annotation problems
    data = json.loads(out)
    by_name = {s["name"]: s for s in data["settings"]}
    assert by_name["DATA_DIR"]["default"] == "'/edx/var/edxapp/data'"
    assert by_name["FEATURES['ENABLE_DISCUSSION_SERVICE']"]["parent"] == "FEATURES"
    assert by_name["FEATURES['ENABLE_DISCUSSION_SERVICE']"]["toggle"] is True
    assert by_name["STATIC_ROOT"]["env_vars"] == ["STATIC_ROOT_LMS"]
    assert by_name["DATA_DIR"]["definitions"][0]["overridden"] is True


def test_text_outputs_say_toggle_environment_and_parent(capsys) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = run(capsys, "settings", "--settings", str(COMMON))
    entry = out[out.index(".. setting:: FEATURES['ENABLE_AUTHN_MICROFRONTEND']"):]
    assert entry.splitlines()[2:6] == [
        "   :Default: ``False``", "   :Toggle: yes", "   :Environment: EDXAPP_ENABLE_AUTHN_MFE",
        "   :Key of: FEATURES"]
    # The variable is the documented key's, not the whole dict's.
    features = out[out.index(".. setting:: FEATURES\n"):]
    assert ":Environment:" not in features[:features.index("\n\n.. setting::")]
    _, out, _ = run(capsys, "settings", "--settings", str(COMMON), "--format", "markdown")
    assert "| `STATIC_ROOT` | `ENV_ROOT / \"staticfiles\"` |  | Environment: STATIC_ROOT_LMS. |" \
        in out


@pytest.mark.sphinx("html", testroot="settings-modules")
def test_reference_of_a_module(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    rows = setting_texts((app.outdir / "index.html").read_text())
    assert "FEATURES['ENABLE_DISCUSSION_SERVICE']" in rows
    assert " Default '/edx/var/edxapp/data' " in rows["DATA_DIR"]
    assert rows["FEATURES['ENABLE_DISCUSSION_SERVICE']"].startswith(
        "FEATURES['ENABLE_DISCUSSION_SERVICE']¶ toggle ")
    entries = {e["name"]: e for e in app.env.get_doctree("index").findall(setting_entry)}
    entry = entries["FEATURES['ENABLE_DISCUSSION_SERVICE']"]
    assert next(entry.findall(nodes.warning)).astext().startswith("If a course contains")
    assert " Environment variable STATIC_ROOT_LMS " in rows["STATIC_ROOT"]
    std = app.env.get_domain("std")
    assert ("setting", "FEATURES['ENABLE_DISCUSSION_SERVICE']") in std.objects
    warnings = warning_lines(app)
    common = str(COMMON).replace(str(ROOTS / "test-settings-modules"), str(app.srcdir))
    assert f"{common}:107: WARNING: the annotation names CUSTOM_COURSES_EDX, but the " \
        "statement under it defines FEATURES['CUSTOM_COURSES_EDX']: give the annotation " \
        "the setting's name" in warnings
    # '## DO NOT SET ...' inside a block is a note to developers, dropped on purpose
    assert not any(f"{common}:64:" in w for w in warnings)
    assert len([w for w in warnings if re.search(r"common\.py:\d+: WARNING", w)]) == 17
    assert typed("x [opsdocs.annotation-name]")  # the subtype is the check


@pytest.mark.sphinx("html", testroot="settings-modules",
                    confoverrides={"opsdocs_public_settings": ["*"]})
def test_public_settings_config_value(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    assert "secret-name" not in app.warning.getvalue()
    assert "not shown (secret)" not in (app.outdir / "index.html").read_text()




@pytest.mark.sphinx("html", testroot="settings-modules",
                    confoverrides={"opsdocs_secret_settings": ["EDX_API_KEY", "SECRET_KEY",
                                                               "PROFILE_IMAGE_HASH_SEED"]})
def test_toggles_by_dotted_path_and_confirmed_secrets(app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    rows = setting_texts((app.outdir / "toggles.html").read_text())
    # :no-index: listing: names without a permalink, each with the toggle badge
    assert len(rows) == 15 and all(text.startswith(f"{name} toggle ") for name, text in rows.items())
    assert "FEATURES['ENABLE_EDXNOTES']" in rows and "DATA_DIR" not in rows
    secret_warnings = [line for line in warning_lines(app) if "looks secret" in line]
    assert [line.split(":")[1] for line in secret_warnings] == ["299", "426"]
    html = (app.outdir / "index.html").read_text()
    assert "placeholder_secret_key" not in html and "dev key" not in html
