"""The keys a ``production.py`` reads from the operator's YAML config, and the variable
that names the file."""

from __future__ import annotations

from opsdocs.settings.reader import source_from_specs
from tests.settings.support import (
    COMMON,
    ENVS,
    ROOT,
    run,
)


def test_check_config_knows_the_keys_production_reads(capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, err = run(capsys, "check-config", str(ROOT / "lms.yml"), "--settings",
                           str(ENVS / "production.py"))
    assert status == 1
    assert err.splitlines() == [
        f"{ROOT / 'lms.yml'}:29: unknown FEATURES key PREVIEW_LMS_BASE: not a documented key "
        "of FEATURES (a typo, or a key that was removed?) (at FEATURES.PREVIEW_LMS_BASE)",
        f"{ROOT / 'lms.yml'}:30: unknown FEATURES key ENABLE_DISCUSION_HOME_PANEL; did you mean "
        "'ENABLE_DISCUSSION_HOME_PANEL'? (at FEATURES.ENABLE_DISCUSION_HOME_PANEL)",
        f"{ROOT / 'lms.yml'}:37: unknown setting PLATFROM_NAME; did you mean 'PLATFORM_NAME'?",
    ]
    assert "placeholder-not-a-real" not in out + err and "starts-with-bang" not in out + err
    catalog = source_from_specs([ENVS / "production.py"])
    assert catalog.config_variable == "LMS_CFG"
    assert {"ADDL_INSTALLED_APPS", "AWS_*", "FAVICON_URL", "LANGUAGE_COOKIE",
            "ELASTIC_SEARCH_CONFIG_ES7", "CELERY_EXTRA_IMPORTS"} <= set(catalog.config_keys)
    assert catalog.get("SITE_NAME").required and catalog.get("SECRET_KEY").required
    # names holding the config are no settings
    assert "ENV_TOKENS" not in catalog and "ENV_FEATURES" not in catalog
    # the key's setting, its own key's fallback as its default (as an environment read's)
    assert catalog.get("CACHES").value == "{}"


def test_sample_config_names_the_config_variable(capsys) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = run(capsys, "sample-config", "--settings", str(ENVS / "production.py"))
    assert status == 0
    assert "# Save it as the YAML file named by LMS_CFG, replace every" in out
    assert "SITE_NAME: <required>" in out
    status, out, _ = run(capsys, "sample-config", "--settings", str(COMMON), "--config-var", "LMS_CFG")
    assert "# Sample configuration for lms." in out and "named by LMS_CFG" in out


def test_config_keys_read_through_a_loop_over_a_named_list(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The loop rule ``opsdocs reads`` follows too: a loop over a name bound to a literal
    list of names reads each key."""
    (tmp_path / "production.py").write_text(
        "import yaml\nwith open(os.environ['LMS_CFG']) as f:\n    ENV_TOKENS = yaml.safe_load(f)\n"
        "BRANDING = ['LOGO_URL', 'FAVICON_URL']\n"
        "for name in BRANDING:\n    if name in ENV_TOKENS:\n        globals()[name] = ENV_TOKENS[name]\n")
    assert {"LOGO_URL", "FAVICON_URL"} <= set(source_from_specs([tmp_path / "production.py"]).config_keys)
