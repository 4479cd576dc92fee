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


def _reference(tmp_path: Path, capsys, source: str,  # type: ignore[no-untyped-def]
               name: str = "settings.py") -> dict[str, str]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    status, out, err = run(capsys, "settings", "--settings", path, "--sys-path", tmp_path)
    assert status == 0, err
    return {block.split("\n", 1)[0]: block for block in out.split(".. setting:: ")[1:]}


def test_a_value_that_doubles_forty_times_is_not_folded(
        tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """``A = A + A`` 40 times would be 2**40 items: past the size opsdocs folds, the value
    is not held (a local name's neither), and what it makes is computed."""
    doublings = "\n".join(["A = A + A", "_x = _x + _x", "_y = [_y, _y]"] * 40)
    shown = _reference(tmp_path, capsys, f"#: A.\nA = ['x']\n_x = ['y']\n_y = []\n"
                                         f"{doublings}\n#: C.\nC = []\nC += _x\n"
                                         f"#: D.\nD = ()\nD += (_y,)\n")
    for name in ("A", "C", "D"):
        assert ":Default: computed at startup from other settings" in shown[name], name


def test_a_name_that_shares_its_value_with_one_changed_in_place_holds_nothing_known(
        tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """``_alias = _base`` then ``_alias.append("b")`` changes ``_base`` too."""
    shown = _reference(tmp_path, capsys, """\
        _base = ["a"]
        _alias = _base
        _alias.append("b")
        _same = ["c"]
        _copy = _same
        _nested = {"k": ["d"]}
        _nested["k"].append("e")
        #: Apps.
        APPS = []
        APPS += _base
        #: Unchanged aliases fold.
        MORE = []
        MORE += _copy
        #: Nested.
        NESTED = {}
        NESTED |= _nested
        """)
    for name in ("APPS", "NESTED"):
        assert ":Default: computed at startup from other settings" in shown[name], name
    assert ":Default: ``['c']``" in shown["MORE"]
    plugin = _reference(tmp_path, capsys, """\
        def plugin_settings(settings):
            cfg = {"a": 1}
            other = cfg
            other["b"] = 2
            #: Config.
            settings.PLUG_CFG = cfg
        """, "plug.py")
    assert "{'a': 1}" not in plugin["PLUG_CFG"]
    assert ":Default: computed at startup from other settings" in plugin["PLUG_CFG"]


def test_a_setting_rebuilt_from_itself_over_what_is_no_literal_is_computed(
        tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """enterprise-access' ``CORS_ALLOW_HEADERS = (*CORS_ALLOW_HEADERS, *EXTRA)`` over a
    base value opsdocs cannot read: computed, not its circular code as the default; and
    the diff from the release before has no changed default (it extends the same value)."""
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "base.py").write_text(
        'from x import hdrs\n#: Headers.\nH = hdrs + ("a",)\n')
    prod = tmp_path / "svc" / "prod.py"
    prod.write_text("from svc.base import *\n")
    old = tmp_path / "old.json"
    assert run(capsys, "snapshot", "--settings", prod, "--sys-path", tmp_path,
               "-o", old)[0] == 0
    prod.write_text("from svc.base import *\n#: Extra.\nE = ()\nH = (*H, *E)\n")
    shown = _reference(tmp_path, capsys, prod.read_text(), "svc/prod.py")
    assert ":Default: computed at startup from other settings" in shown["H"]
    new = tmp_path / "new.json"
    assert run(capsys, "snapshot", "--settings", prod, "--sys-path", tmp_path,
               "-o", new)[0] == 0
    status, out, err = run(capsys, "diff", old, new)
    assert (status, err) == (0, "")
    assert "Added ``E``" in out
    assert "``H``" not in out
