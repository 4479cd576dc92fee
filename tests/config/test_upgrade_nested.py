"""``opsdocs upgrade`` and ``check-config`` inside dict settings: an operator's Tutor-style
``lms.yml`` with ``FEATURES:`` keys across the flattening, and secrets at any depth."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsdocs.cli import main
from opsdocs.config.fix_nested import fix_nested
from opsdocs.errors import OpsdocsError
from tests.changelog.openedx import make_openedx

SECRET = "operator-jwt-secret"

LMS_YML = f"""\
# LMS config, Tutor style
PLATFORM_NAME: "My Open edX"
JWT_ISSUER: "https://lms.example.com/oauth2"
DEFAULT_JWT_ISSUER:
  ISSUER: "https://lms.example.com/oauth2"
  SECRET_KEY: "{SECRET}"
FEATURES:
  # teams, for the cohorts
  ENABLE_TEAMS: true
  AUTOPLAY_VIDEOS: true  # students asked
  ENABLE_OAUTH2_PROVIDER: true
  ENABLE_TEEMS: false
REPORT_PAGES: 5
"""

FIXED = """\
# LMS config, Tutor style
PLATFORM_NAME: "My Open edX"
# JWT_ISSUER was removed in open-release/ulmo.1: the service no longer reads it; remove it \
from this file
# JWT_ISSUER: "https://lms.example.com/oauth2"
# DEFAULT_JWT_ISSUER was removed in open-release/ulmo.1: the service no longer reads it; \
remove it from this file
# DEFAULT_JWT_ISSUER:
#   ISSUER: "https://lms.example.com/oauth2"
#   SECRET_KEY: ...  (secret: the value is not copied here)
# FEATURES: its keys are top-level settings now, or gone (see below)
  # FEATURES.ENABLE_OAUTH2_PROVIDER was removed in open-release/ulmo.1: the service no \
longer reads it; remove it from this file
  # ENABLE_OAUTH2_PROVIDER: true
  # FEATURES.ENABLE_TEEMS is no known key of FEATURES at open-release/teak.1 nor a setting \
at open-release/ulmo.1; did you mean 'ENABLE_TEAMS'?
  # ENABLE_TEEMS: false
# teams, for the cohorts
ENABLE_TEAMS: true
AUTOPLAY_VIDEOS: true  # students asked
REPORT_PAGES: 5
"""


@pytest.fixture(scope="module")
def openedx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_openedx(tmp_path_factory.mktemp("openedx") / "repo")


def upgrade(capsys, openedx: Path, config: Path, *extra: str) -> tuple[int, str, str]:
    status = main(["upgrade", str(config), "--from", "open-release/teak.1", "--to",
                   "open-release/ulmo.1", "--settings", str(openedx / "lms/envs/common.py"),
                   *extra])
    out, err = capsys.readouterr()
    return status, out, err


def test_every_key_that_needs_action_is_named_at_its_line(openedx, tmp_path, capsys) -> None:
    config = tmp_path / "lms.yml"
    config.write_text(LMS_YML)
    status, out, err = upgrade(capsys, openedx, config)
    assert (status, err) == (1, "")
    todo = [line for line in out.splitlines() if "[to do]" in line]
    assert todo == [
        f"{config}:3: [to do] JWT_ISSUER was removed in open-release/ulmo.1: the service no "
        "longer reads it; remove it from this file",
        f"{config}:4: [to do] DEFAULT_JWT_ISSUER was removed in open-release/ulmo.1: the "
        "service no longer reads it; remove it from this file",
        f"{config}:9: [to do] FEATURES.ENABLE_TEAMS is the top-level setting ENABLE_TEAMS "
        "since open-release/ulmo.1 (FEATURES is FeaturesProxy(globals()) there): move it to "
        "the top level as 'ENABLE_TEAMS: ...'",
        f"{config}:10: [to do] FEATURES.AUTOPLAY_VIDEOS is the top-level setting "
        "AUTOPLAY_VIDEOS since open-release/ulmo.1 (FEATURES is FeaturesProxy(globals()) "
        "there): move it to the top level as 'AUTOPLAY_VIDEOS: ...'",
        f"{config}:11: [to do] FEATURES.ENABLE_OAUTH2_PROVIDER was removed in "
        "open-release/ulmo.1: the service no longer reads it; remove it from this file",
        f"{config}:12: [to do] FEATURES.ENABLE_TEEMS is no known key of FEATURES at "
        "open-release/teak.1 nor a setting at open-release/ulmo.1; did you mean "
        "'ENABLE_TEAMS'?",
    ]
    assert SECRET not in out


def test_fix_moves_flattened_keys_with_their_comments_and_check_config_accepts_it(
        openedx, tmp_path, capsys) -> None:
    config = tmp_path / "lms.yml"
    config.write_text(LMS_YML)
    status, out, err = upgrade(capsys, openedx, config, "--dry-run")
    assert SECRET not in out + err
    assert f'-  SECRET_KEY: "{SECRET}"' not in out
    assert '-  SECRET_KEY: "<secret: not shown>"' in out.splitlines()
    assert config.read_text() == LMS_YML
    status, out, err = upgrade(capsys, openedx, config, "--fix")
    assert (status, err) == (0, "")
    assert config.read_text() == FIXED
    assert main(["check-config", str(config), "--settings",
                 str(openedx / "lms/envs/common.py")]) == 0
    assert capsys.readouterr().out == f"{config}: no problems\n"


def test_check_config_names_each_features_key_at_the_new_release(openedx, tmp_path,
                                                                  capsys) -> None:
    config = tmp_path / "lms.yml"
    config.write_text(LMS_YML)
    assert main(["check-config", str(config), "--settings",
                 str(openedx / "lms/envs/common.py")]) == 1
    out = capsys.readouterr().err.splitlines()
    assert f"{config}:9: FEATURES.ENABLE_TEAMS is the top-level setting ENABLE_TEAMS " \
        "(FEATURES is FeaturesProxy(globals())): write 'ENABLE_TEAMS: ...' at the top level " \
        "('opsdocs upgrade --fix' moves it) (at FEATURES.ENABLE_TEAMS)" in out
    assert f"{config}:12: unknown FEATURES key ENABLE_TEEMS; did you mean 'ENABLE_TEAMS'? " \
        "(at FEATURES.ENABLE_TEEMS)" in out
    assert not any(SECRET in line for line in out)


def test_a_key_the_file_already_sets_at_the_top_is_commented_out() -> None:
    text = "X: 1\nFEATURES:\n  X: 2\n  Y: 3\n"
    assert fix_nested(text, {("FEATURES", "X"): "X", ("FEATURES", "Y"): "Y"}, {}, {},
                      "c.yml") == (
        "X: 1\n# FEATURES: its keys are top-level settings now, or gone (see below)\n"
        "  # FEATURES.X: this file already sets X\n  # X: 2\nY: 3\n")


def test_a_renamed_key_of_a_dict_is_renamed_in_place_and_a_kept_dict_stays() -> None:
    text = "FEATURES:\n  OLD: 1  # why\n  KEPT: 2\nZ: 3\n"
    assert fix_nested(text, {}, {("FEATURES", "OLD"): "NEW"}, {}, "c.yml") == (
        "FEATURES:\n  NEW: 1  # why\n  KEPT: 2\nZ: 3\n")


def test_a_secret_nested_key_removed_is_never_copied() -> None:
    text = "DB:\n  PASSWORD: hunter2\n  deep:\n    api_token: abc\n    port: 1\n"
    fixed = fix_nested(text, {}, {}, {("DB", "deep"): "DB.deep was removed",
                                      ("DB", "PASSWORD"): "DB.PASSWORD was removed"}, "c.yml")
    assert "hunter2" not in fixed and "abc" not in fixed
    assert "  #   api_token: ...  (secret: the value is not copied here)" in fixed.splitlines()


def test_flow_style_is_refused_with_its_line() -> None:
    with pytest.raises(OpsdocsError) as caught:
        fix_nested("A: 1\nFEATURES: {X: true}\n", {("FEATURES", "X"): "X"}, {}, {}, "c.yml")
    assert (caught.value.problem.line, caught.value.problem.check) == (2, "upgrade-yaml")
    assert "flow style" in caught.value.problem.message


CACHES_MODULE = '''\
#: The caches.
CACHES = {
    'default': {'BACKEND': 'x'},
    'staticfiles': {'BACKEND': 'y'},
}

# .. setting_name: CACHES['default']
# .. setting_default: {'BACKEND': 'x'}
# .. setting_description: The default cache.
CACHES['default'] = {'BACKEND': 'x'}
'''

CACHES_YML = "CACHES:\n  default:\n    BACKEND: x\n  staticfile:\n    BACKEND: y\n"


@pytest.mark.parametrize(("key", "problem"), [
    ("staticfiles", None),
    ("staticfile", "did you mean 'staticfiles'?"),
])
def test_upgrade_knows_the_keys_of_a_dict_as_check_config_does(tmp_path, capsys, key,
                                                                problem) -> None:
    repo = make_openedx(tmp_path / "repo", {"teak.1": {"lms/envs/common.py": CACHES_MODULE},
                                            "ulmo.1": {}})
    config = tmp_path / "lms.yml"
    text = CACHES_YML.replace("staticfile", key)
    config.write_text(text)
    settings = str(repo / "lms/envs/common.py")
    assert main(["check-config", str(config), "--settings", settings]) == (1 if problem else 0)
    checked = capsys.readouterr()
    status, out, err = upgrade(capsys, repo, config, "--fix")
    if problem is None:
        assert (status, out, err) == (0, f"Upgrading {config} from open-release/teak.1 to "
                                         "open-release/ulmo.1: 0 things to do, 0 for "
                                         "information.\n", "")
        assert checked.out == f"{config}: no problems\n"
        assert config.read_text() == text
    else:
        assert f"{config}:4: unknown CACHES key staticfile; {problem}" in checked.err
        assert f"{config}:4: [to do] CACHES.staticfile is no known key of CACHES at " \
            f"open-release/teak.1 nor a setting at open-release/ulmo.1; {problem}" in out
