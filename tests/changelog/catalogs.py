"""Catalogs and changes from inline settings files, for the changelog's tests."""

from __future__ import annotations

from opsdocs.changelog.diff import diff_catalogs
from opsdocs.changelog.model import SettingChange
from opsdocs.changelog.text import sentence
from opsdocs.settings.model import SettingsCatalog
from opsdocs.settings.reader import catalog_from_sources

REQUIRED = "#: The secret key.\nSECRET_KEY: str\n"


DEFAULTS = '#: Seconds to wait.\nTIMEOUT = 5\n\n#: The queue.\nQUEUE = "default"\n'


def catalog(required: str = REQUIRED, defaults: str = DEFAULTS) -> SettingsCatalog:
    return catalog_from_sources("settings", {"required.py": required, "defaults.py": defaults})


def changes(required: str = REQUIRED, defaults: str = DEFAULTS) -> list[SettingChange]:
    return list(diff_catalogs(catalog(), catalog(required, defaults)))


def sentences(found: list[SettingChange]) -> list[str]:
    return [sentence(change, "rst") for change in found]
