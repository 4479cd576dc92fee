"""The upgrade-guide directive: what each release asks of an operator, in order."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from opsdocs.changelog.diff import Release, ReleaseChanges, SettingChange
from opsdocs.changelog.operating import OperationChange
from opsdocs.changelog.upgrade import STEPS, release_steps
from tests.changelog.repository import make_repository
from tests.changelog.test_upgrade import SECRET, TOKEN, V1, V2, V3
from tests.helpers import ROOTS, own_warnings

INDEX = """\
Upgrading
=========

.. upgrade-guide:: repo/service/settings
   :no-unreleased:
"""


def test_release_steps_orders_what_to_do_and_skips_what_asks_nothing() -> None:
    changes = (
        SettingChange("added", "OPTIONAL", default="1"),
        SettingChange("added", "NEEDED", required=True),
        SettingChange("moved", "NOW_REQUIRED", required=True),
        SettingChange("moved", "NOW_OPTIONAL", default="2"),
        SettingChange("renamed", "NEW", old_name="OLD"),
        SettingChange("removed", "GONE"),
        SettingChange("deprecated", "OLDISH", new="2.0"),
        SettingChange("default", "TIMEOUT", "5", "10"),
        SettingChange("type", "LEVEL", None, "int"),
        SettingChange("doc", "DOCUMENTED"),
        SettingChange("undeprecated", "BACK"),
    )
    command = OperationChange("command", "command-added", "purge")
    entries = (
        ReleaseChanges(Release("v4"), "changes", "v3", (SettingChange("doc", "X"),)),
        ReleaseChanges(Release("v3"), "changes", "v2", (), operating=(command,)),
        ReleaseChanges(Release("v2"), "changes", "v1", changes),
        ReleaseChanges(Release("v1"), "first", count=3, settings=("A", "B", "C")),
    )
    found = release_steps(entries)
    assert [(r.release, r.previous) for r in found] == [("v3", "v2"), ("v2", "v1")]
    assert found[0].operations == (command,) and not any(found[0].steps.values())
    steps = found[1].steps
    assert list(steps) == list(STEPS[:-1])
    assert {step: [c.name for c in steps[step]] for step in steps} == {
        "required": ["NEEDED", "NOW_REQUIRED"],
        "renamed": ["NEW", "GONE", "OLDISH"],
        "defaults": ["NOW_OPTIONAL", "TIMEOUT", "LEVEL"],
    }


def built_guide(make_app: Any, tmp_path: Path, builder: str) -> Any:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-changelog", src)
    make_repository(src / "repo", {"v1": V1, "v2": V2, "v3": V3})
    (src / "index.rst").write_text(INDEX)
    app = make_app(builder, srcdir=src)
    app.build()
    assert own_warnings(app) == ""
    return app


def test_the_guide_page_lists_each_release_s_steps_in_order(make_app, tmp_path: Path) -> None:
    app = built_guide(make_app, tmp_path, "text")
    text = (app.outdir / "index.txt").read_text()
    assert SECRET not in text and TOKEN not in text
    assert text == GUIDE


GUIDE = """\
Upgrading
*********


Upgrading to v3
===============

From v2, in this order:

1. **Settings renamed, removed or deprecated**: rename or remove these
   keys in the config file ("opsdocs upgrade --fix" does it).

   * Renamed "QUEUE" to "TASK_QUEUE" (likely: one was removed and the
     other added with the same default and documentation).

What this release means for one config file, at its lines: "opsdocs
upgrade CONFIG --from v2 --to v3".


Upgrading to v2
===============

From v1, in this order:

1. **Settings newly required**: add them to the config file before
   deploying; the service refuses to start without them.

   * Added "DB_URL" (required).

   * "BROKER_URL" is now required (moved from defaults.py to
     required.py).

2. **Settings renamed, removed or deprecated**: rename or remove these
   keys in the config file ("opsdocs upgrade --fix" does it).

   * Removed "API_TOKEN".

   * Removed "DEBUG".

   * Renamed "OLD_QUEUE" to "QUEUE" (likely: one was removed and the
     other added with the same default and documentation).

   * Deprecated "RETENTION_DAYS" (since 2.0).

3. **Defaults and types changed**: where the config file leaves one
   unset, the new value applies; set the old one to keep it, and check
   the values it sets against the new types.

   * Changed the default of "FEATURES":

     * "['C']" added: "False"

     * "['B']" changed from "False" to "True"

   * Changed the default of "LEVEL" from "'INFO'" to "20".

   * Changed the default of "TIMEOUT" from "5" to "10".

   * Annotated "BROKER_URL" as "str".

   * Annotated "LEVEL" as "int".

What this release means for one config file, at its lines: "opsdocs
upgrade CONFIG --from v1 --to v2".
"""


def test_the_guide_s_commands_stay_literal_in_html(make_app, tmp_path: Path) -> None:
    # SmartQuotes would make '--fix' an en dash in prose: the command is code.
    app = built_guide(make_app, tmp_path, "html")
    html = (app.outdir / "index.html").read_text()
    assert ('<code class="docutils literal notranslate"><span class="pre">opsdocs</span> '
            '<span class="pre">upgrade</span> <span class="pre">--fix</span></code> does it'
            in html)
    assert "\u2013fix" not in html  # the en dash SmartQuotes makes of --
