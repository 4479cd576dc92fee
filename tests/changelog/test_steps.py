"""What each release asks of an operator, step by step."""

from __future__ import annotations

from opsdocs.changelog.model import Release, ReleaseChanges, SettingChange
from opsdocs.changelog.operating import OperationChange
from opsdocs.changelog.steps import STEPS, release_steps


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
