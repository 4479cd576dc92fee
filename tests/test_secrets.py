"""Secrets never leave: no output of opsdocs holds the value of a secret setting.

tests/roots/test-secrets gives every secret value (and a config's values, and an
environment variable an annotation reads) the marker ``S3CR3T-MARKER``: a secret marked
``:secret:``, one that only looks secret by its name, a required one given a value, ones
defined several times, changed by item, call and ``+=``, a ``:default:`` line and a
code-annotations default, ones whose code is no literal (a ``fallback=``, a sum),
secret-looking keys of a dict setting that is no secret (``DATABASES = {"default":
{"PASSWORD": ...}}``, by item, call and keyword), an old (version 1) snapshot that still
holds values, and config files whose values YAML cannot read.  Every page, text output,
warning, CLI output, written file and loader error is searched for the marker.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from opsdocs.cli import main
from opsdocs.settings.reader import read_settings_package
from tests.helpers import ROOTS, found

MARKER = "S3CR3T-MARKER"
ROOT = ROOTS / "test-secrets"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the root, with a snapshot of a release whose secrets differed."""
    monkeypatch.setenv("OPSDOCS_TEST_SECRET", f"{MARKER}-environment")
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    old = tmp_path / "old" / "settings"
    shutil.copytree(src / "settings", old)
    defaults = old / "defaults.py"
    defaults.write_text(defaults.read_text().replace(f"{MARKER}-", f"{MARKER}-old-"))
    assert main(["snapshot", "--settings", str(old), "-o", str(src / "snapshots" / "v1.0.json")]) == 0
    return src


def no_marker_in(texts: dict[str, str | bytes]) -> None:
    leaks = [name for name, text in texts.items()
             if (MARKER.encode() if isinstance(text, bytes) else MARKER) in text]
    assert not leaks, f"secret values in: {leaks}"


def test_the_root_does_hold_secrets_to_leak():
    texts = "".join(p.read_text() for p in found((ROOT / "settings").glob("*.py")))
    assert texts.count(MARKER) >= 12
    catalog = read_settings_package(ROOT / "settings")
    secrets = {s.name for s in catalog if s.secret}
    assert secrets == {"API_TOKEN", "DB_PASSWORD", "SIGNING_KEY", "SERVICE_KEYS",
                       "FERNET_KEYS", "AWS_SECRET_ACCESS_KEY", "SHARED_SECRET",
                       "EMAIL_HOST_PASSWORD", "SENTRY_TOKEN", "SMTP_PASSWD", "REDIS_PASS",
                       "MAILGUN_APIKEY", "HASH_SALT", "GPG_PASSPHRASE", "HTTP_AUTH"}
    assert all(s.has_default for s in catalog if s.secret and not s.required)
    assert catalog.get("API_TOKEN").has_default  # the required-value problem still shows
    assert "required setting API_TOKEN is given a value: required settings have no default" \
        in "\n".join(p.message for p in catalog.problems)


@pytest.mark.parametrize("builder", ["html", "text"])
def test_no_page_warning_or_doctree_holds_a_secret(make_app, project, builder):
    app = make_app(builder, srcdir=project)
    app.build()
    files = found(p for p in Path(app.outdir).rglob("*") if p.is_file())
    outputs: dict[str, str | bytes] = {str(p): p.read_bytes() for p in files}
    outputs |= {str(p): p.read_bytes() for p in Path(app.doctreedir).rglob("*") if p.is_file()}
    outputs["warnings"] = app.warning.getvalue()
    outputs["status"] = app.status.getvalue()
    no_marker_in(outputs)
    page = (Path(app.outdir) / f"index.{'html' if builder == 'html' else 'txt'}").read_text()
    # What is shown instead: the settings, their definitions' lines, and the problems.
    assert "SIGNING_KEY" in page and "SERVICE_KEYS" in page and "line 14" in page
    warnings = app.warning.getvalue()
    assert "required setting API_TOKEN is given a value" in warnings
    assert "YAML syntax error on the line of DB_PASSWORD" in warnings


COMMANDS = [
    ["settings", "--settings", "{src}/settings"],
    ["settings", "--settings", "{src}/settings", "--format", "markdown"],
    ["settings", "--settings", "{src}/settings", "--format", "json"],
    ["sample-config", "--settings", "{src}/settings"],
    ["snapshot", "--settings", "{src}/settings"],
    ["diff", "{src}/snapshots/v0.9.json", "{src}/snapshots/v1.0.json", "--settings",
     "{src}/settings"],
    ["diff", "{src}/snapshots/v1.0.json", "WORKTREE", "--settings", "{src}/settings"],
    ["diff", "{src}/snapshots/v1.0.json", "WORKTREE", "--settings", "{src}/settings",
     "--format", "json"],
    ["diff", "{src}/snapshots/v0.9.json", "WORKTREE", "--settings", "{src}/settings",
     "--format", "markdown"],
    ["check-config", "--settings", "{src}/settings", *(
        f"{{src}}/settings/configs/{name}.yml"
        for name in ("alias", "tag", "handle", "scalars", "types", "syntax"))],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv[:2]))
def test_no_cli_output_holds_a_secret(project, capsys, argv):
    main([arg.format(src=project) for arg in argv])
    out, err = capsys.readouterr()
    assert out or err
    no_marker_in({"stdout": out, "stderr": err})


def test_no_written_file_holds_a_secret(project, tmp_path, capsys):
    fragments = tmp_path / "changelog.d"
    fragments.mkdir()
    written = {
        "snapshot": tmp_path / "snapshot.json",
        "sample": tmp_path / "sample.yml",
    }
    assert main(["snapshot", "--settings", str(project / "settings"), "-o", str(written["snapshot"])]) == 0
    assert main(["sample-config", "--settings", str(project / "settings"), "-o", str(written["sample"])]) == 0
    assert main(["diff", str(project / "snapshots" / "v0.9.json"), "WORKTREE", "--settings",
                 str(project / "settings"), "--fragment", str(fragments)]) == 0
    files = [*written.values(), *found(fragments.iterdir())]
    no_marker_in({str(p): p.read_text() for p in files})
    snapshot = json.loads(written["snapshot"].read_text())
    signing = next(s for s in snapshot["settings"] if s["name"] == "SIGNING_KEY")
    assert (signing["value"], signing["has_default"]) == (None, True)
    assert [d["value"] for d in signing["definitions"]] == [None, None]
    capsys.readouterr()


def test_secret_looking_keys_of_a_dict_show_the_key_not_the_value(project, capsys):
    """DATABASES is no secret, but its "PASSWORD" keys are: they show ``...``."""
    main(["settings", "--settings", str(project / "settings"), "--format", "json"])
    settings = {s["name"]: s for s in json.loads(capsys.readouterr().out)["settings"]}
    databases, caches = settings["DATABASES"], settings["CACHES"]
    assert not databases["secret"] and '"ENGINE": "django.db.backends.postgresql",\n' \
        '        "PASSWORD": ...,\n        "OPTIONS": {"sslpassword": ...},\n' \
        '        "USER": "",' in databases["default"]
    assert [d["value"] for d in databases["definitions"][1:]] == [
        'DATABASES["default"]["SECRET_KEY"] = ...', '{"PASSWORD": ...}',
        "DATABASES.update(reports=dict(PASSWORD=...))", '{"PASSWORD": ...}']
    # the default after the later items, then blanked
    assert caches["default"] == \
        "{'default': {'BACKEND': 'redis', 'KEY_PREFIX': 'site', 'PASSWORD': ...}, 'PASSWORD': ...}"


ENTRY = """\
DATABASES = {
    "default": {
        # .. setting_name: DATABASES['default']['PASSWORD']
        # .. setting_description: The password.
        "PASSWORD": "S3CR3T-MARKER-entry",
    },
}
"""


@pytest.mark.parametrize("argv", [[], ["--format", "json"], ["--format", "markdown"]])
def test_a_documented_secret_key_is_a_secret_entry(tmp_path, capsys, argv):
    module = tmp_path / "settings.py"
    module.write_text(ENTRY)
    main(["settings", "--settings", str(module), *argv])
    main(["sample-config", "--settings", str(module)])
    out, err = capsys.readouterr()
    no_marker_in({"stdout": out, "stderr": err})
    assert "setting DATABASES['default']['PASSWORD'] looks secret (by its name)" in err


def test_no_loader_error_holds_a_secret(project):
    from opsdocs.loader import ConfigurationError, apply_config

    errors = {}
    for config in found((project / "settings" / "configs").glob("*.yml")):
        try:
            apply_config({"DEBUG": False, "TIMEOUT": 5}, env_var="CFG",
                         required={"API_TOKEN": None, "DB_PASSWORD": None},
                         environ={"CFG": str(config)})
        except ConfigurationError as error:
            errors[config.name] = str(error)
    # types.yml: a value of the wrong type is an error too, that never shows the value.
    assert sorted(errors) == ["alias.yml", "handle.yml", "scalars.yml", "syntax.yml", "tag.yml",
                              "types.yml"]
    no_marker_in(errors)


@pytest.mark.parametrize(("written", "shown"), [
    ('{"HOST": "broker", "PASSWORD": "x"}', '{"HOST": "broker", "PASSWORD": ...}'),
    ('``{"PASSWORD": "x"}``, per site', '``{"PASSWORD": ...}``, per site'),
    ("``dict(token='x')`` or ``{'api_key': 'y'}``", "``dict(token=...)`` or ``{'api_key': ...}``"),
    ("the LMS's token, as the operator sets it", "the LMS's token, as the operator sets it"),
    ("``PASSWORD=x`` in the environment", "``PASSWORD=x`` in the environment"),
    ('{"PASSWORD": ""}', '{"PASSWORD": ""}'),
])
def test_a_default_written_as_text_keeps_no_value_of_a_secret_key(written, shown):
    """``:default:`` texts and annotation defaults: code is blanked as code is, prose stays."""
    from opsdocs.settings.secrets import text_without_secret_keys

    assert text_without_secret_keys(written) == shown
