"""Folding names into literals, made safe: no secret shown, no runaway value, no alias
changed behind opsdocs' back, no circular code shown as a default."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.settings.support import run

_SECRETS = {
    "common.py": """\
        _T = 'hunter2-abcdef'
        #: The token.
        API_TOKEN = ''
        API_TOKEN = API_TOKEN + _T
        _K = ('k1-secretvalue',)
        #: Keys.
        SIGNING_KEYS = ()
        SIGNING_KEYS += _K
        #: Its password.
        DB_PASSWORD = 'pw-literal-123'
        #: The connection.
        CONN = ['user']
        CONN = CONN + [DB_PASSWORD]
        #: Hosts.
        HOSTS = ()
        HOSTS += (DB_PASSWORD,)
        #: Another token.
        OTHER_TOKEN = ""
        OTHER_TOKEN += "realtoken-abc"
        #: Social secrets.
        SOCIAL_SECRETS = {}
        SOCIAL_SECRETS["github"] = "ghsecret-xyz"
        """,
    "plug.py": """\
        def plugin_settings(settings):
            token = 'pluginsecret123'
            #: The secret.
            settings.PLUGIN_SECRET_KEY = token
        """,
}
_SHOWN = ("hunter2", "k1-secretvalue", "pw-literal-123", "realtoken-abc", "ghsecret-xyz",
          "pluginsecret123")


@pytest.mark.parametrize("command", [
    ("settings",), ("settings", "--format", "markdown"), ("settings", "--format", "json"),
    ("snapshot", "-o", "-"), ("sample-config",), ("schema",)])
@pytest.mark.parametrize("module", sorted(_SECRETS))
def test_a_secret_folded_into_a_value_is_shown_by_no_output(
        tmp_path: Path, capsys, command: tuple[str, ...], module: str,
        ) -> None:  # type: ignore[no-untyped-def]
    """A secret-looking setting whose value a later statement (or a name it reads) makes
    text, and a setting that reads a secret one, show none of it."""
    path = tmp_path / module
    path.write_text(textwrap.dedent(_SECRETS[module]))
    # exit status 1: secrets by their name only are warned about
    _, out, err = run(capsys, *command, "--settings", path)
    assert [word for word in _SHOWN if word in out + err] == []
