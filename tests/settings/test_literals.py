"""A value that reads names holding literals: the default is what Python would leave."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.settings.support import run


def _reference(tmp_path: Path, capsys, source: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each setting's entry in ``opsdocs settings``' output, by name."""
    path = tmp_path / "settings.py"
    path.write_text(textwrap.dedent(source))
    status, out, _ = run(capsys, "settings", path)
    assert status == 0
    return {block.split("\n", 1)[0]: block for block in out.split(".. setting:: ")[1:]}


def test_a_setting_extended_by_names_holding_literals_shows_the_result(
        tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """enterprise-catalog's ``INSTALLED_APPS += THIRD_PARTY_APPS``, license-manager's
    ``CORS_ALLOW_HEADERS = (*CORS_ALLOW_HEADERS, *EXTRA)``."""
    shown = _reference(tmp_path, capsys, """\
        #: Apps.
        APPS = ('a',)
        #: More apps.
        MORE_APPS = ('b',)
        _local = ('c',)
        APPS += MORE_APPS
        APPS += _local
        #: Extended.
        EXTENDED = ['a']
        EXTENDED = EXTENDED + ['b']
        #: Headers.
        HEADERS = ('x',)
        HEADERS = (*HEADERS, *MORE_APPS, 'y')
        #: Rebuilt from what is no literal.
        REBUILT = get()
        REBUILT = REBUILT + ['b']
        #: Replaced.
        REPLACED = ['a']
        REPLACED = ['z']
        """)
    assert ":Default: ``('a', 'b', 'c')``" in shown["APPS"]
    assert ":Default: ``['a', 'b']``" in shown["EXTENDED"]
    assert ":Default: ``('x', 'b', 'y')``" in shown["HEADERS"]
    # its own code is no value: computed
    assert ":Default: computed at startup from other settings" in shown["REBUILT"]
    # an earlier value the later one reads is used, not overridden
    for name in ("EXTENDED", "HEADERS", "REBUILT"):
        assert "overridden" not in shown[name], name
    assert "``REPLACED = ['a']`` (line 18, overridden)" in shown["REPLACED"]


def test_a_setting_extended_by_what_is_no_literal_is_computed(
        tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """``APPS += EXTRA`` with ``EXTRA`` no literal (or changed where opsdocs cannot see):
    not the value before it, as if nothing were added."""
    shown = _reference(tmp_path, capsys, """\
        #: Apps.
        APPS = ['a']
        #: Extra.
        EXTRA = get_extra()
        APPS += EXTRA
        #: Others.
        OTHERS = ['a']
        _extra = ['b']
        fill(_extra)
        OTHERS += _extra
        #: Maybe.
        MAYBE = ['a']
        if DEBUG:
            MAYBE += EXTRA
        """)
    for name in ("APPS", "OTHERS"):
        assert ":Default: computed at startup from other settings" in shown[name], name
    assert ":Default: ``['a']``" in shown["MAYBE"]  # a change under a condition is listed


def test_a_plugin_setting_given_a_local_name_shows_its_literal_or_is_computed(
        tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """edx-enterprise's ``settings.OPEN_EDX_FILTERS_CONFIG = filters_config``: not the
    function's local name; its literal, or computed when a call may fill it.  After
    ``if not enabled: return``, what follows is under ``if enabled``, not ``if not (not
    enabled)``."""
    shown = _reference(tmp_path, capsys, """\
        def plugin_settings(settings):
            if not getattr(settings, "ENABLE_X", False):
                return
            cfg = getattr(settings, "BAR", None)
            if cfg is None:
                cfg = {}
                #: Bar.
                settings.BAR = cfg
            filters = getattr(settings, "FILTERS", None)
            if filters is None:
                filters = {}
                #: Filters.
                settings.FILTERS = filters
            merge(filters, {"a": 1})
        """)
    assert ":Default: ``{}``" in shown["BAR"]
    assert '(line 8, ``if getattr(settings, "ENABLE_X", False), if cfg is None``)' in shown["BAR"]
    assert ":Default: computed at startup from other settings" in shown["FILTERS"]
    assert "``cfg``" not in shown["BAR"] and "not (not" not in shown["BAR"]
