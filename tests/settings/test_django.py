"""Django's own setting names, read from its source without importing it."""

from __future__ import annotations

import importlib.util

import pytest

from opsdocs.settings.django import DJANGO_SETTINGS_FALLBACK, django_setting_names


def test_django_settings_are_read_without_importing_django(monkeypatch):
    if importlib.util.find_spec("django") is None:
        pytest.skip("Django is not installed")
    import sys

    monkeypatch.delitem(sys.modules, "django", raising=False)
    names = django_setting_names()
    assert "django" not in sys.modules
    assert {"DATABASES", "LOGGING", "PASSWORD_HASHERS", "SECRET_KEY"} <= names
    assert names != DJANGO_SETTINGS_FALLBACK  # read from Django, not the built-in list


def test_django_settings_fallback_without_django(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert django_setting_names() == DJANGO_SETTINGS_FALLBACK
    assert {"DATABASES", "LOGGING", "PASSWORD_HASHERS"} <= DJANGO_SETTINGS_FALLBACK
