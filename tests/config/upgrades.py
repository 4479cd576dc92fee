"""An operator's config for the releases of tests/changelog/upgrades.py, and how the tests
run ``opsdocs upgrade`` on it."""

from __future__ import annotations

from pathlib import Path

import yaml

from opsdocs.cli import main
from tests.changelog.repository import PACKAGE
from tests.changelog.upgrades import SECRET, TOKEN

CONFIG = f"""\
# Production.
SECRET_KEY: "{SECRET}"  # from the vault
OLD_QUEUE: 'reports'   # quoted, commented
DEBUG: true

LEVEL: "INFO"
BROKER_URL: redis://broker
API_TOKEN: "{TOKEN}"
RETENTION_DAYS: 7
TYPO_KEY: 1
"""


REPORT = """\
Upgrading {config} from v1 to v3: 7 things to do, 4 for information.
{config}:3: [to do] OLD_QUEUE was renamed to TASK_QUEUE in v2 and v3 (same value \
and description): rename the key to TASK_QUEUE
{config}:4: [to do] DEBUG was removed in v2: the service no longer reads it; remove it \
from this file
{config}:6: [to do] LEVEL changed type in v2, from unannotated to int: LEVEL is int, but \
the YAML value is a string; write a whole number, without quotes
{config}:8: [to do] API_TOKEN was removed in v2: the service no longer reads it; remove it \
from this file
{config}:9: [to do] RETENTION_DAYS was deprecated in v2: Use RETENTION; stop setting it
{config}:10: [to do] TYPO_KEY was already unknown at v1: no setting of this service has \
that name (a typo, or a setting removed long ago?); remove it
{config}:10: [to do] DB_URL is required since v2 and this file does not set it: add \
'DB_URL: ...' (The database.)
{config}:7: [information] BROKER_URL is now required since v2; this file sets it: nothing to do
{config}:7: [information] BROKER_URL changed type in v2, from unannotated to str: this \
file's value fits the new type: nothing to do
{config}: [information] the default of FEATURES changed in v2 ['C'] added: False; ['B'] \
from False to True; this file leaves it unset, so the new default applies (set it to keep \
the old one)
{config}: [information] the default of TIMEOUT changed in v2 from 5 to 10; this file leaves \
it unset, so the new default applies (set it to keep the old one)
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def upgrade(capsys, repo: Path, config: Path, *more: str) -> tuple[int, str, str]:
    return run(capsys, "upgrade", str(config), "--from", "v1", "--to", "v3",
               "--settings", str(repo / PACKAGE), *more)


def entries(text: str) -> dict[str, str]:
    """Each top-level key of a config and its text: the lines from the key to the end of
    its value, as written (read with PyYAML's own loader, not opsdocs')."""
    root = yaml.compose(text.removeprefix("\ufeff"), Loader=yaml.CSafeLoader)
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    found = {}
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        first = key.start_mark.line
        end = max(value.end_mark.line + (1 if value.end_mark.column else 0), first + 1)
        while end > first + 1 and (not lines[end - 1].strip()
                                   or lines[end - 1].lstrip().startswith("#")):
            end -= 1  # what follows the value belongs to the next entry
        found[key.value] = "".join(lines[first:end])
    return found


def untouched(before: str, after: str, reported: set[str]) -> list[str]:
    """The keys the report does not name whose text changed: should be none."""
    old, new = entries(before), entries(after)
    return [key for key, text in old.items() if key not in reported and new.get(key) != text]
