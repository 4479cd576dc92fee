"""The upgrade report as JSON and Markdown."""

from __future__ import annotations

import json

from tests.changelog.upgrades import SECRET, TOKEN
from tests.config.upgrades import upgrade


def test_json_and_markdown(repo, config, capsys) -> None:
    status, out, _ = upgrade(capsys, repo, config, "--format", "json")
    data = json.loads(out)
    assert (status, data["format"], data["version"], data["old"], data["new"]) == (
        1, "opsdocs-upgrade", 1, "v1", "v3")
    renamed = data["items"][0]
    assert (renamed["kind"], renamed["key"], renamed["new"], renamed["line"],
            renamed["action"]) == ("renamed", "OLD_QUEUE", "TASK_QUEUE", 3, True)
    features = next(item for item in data["items"] if item["key"] == "FEATURES")
    assert features["parts"] == [
        {"kind": "key-added", "path": "['C']", "old": None, "new": "False"},
        {"kind": "changed", "path": "['B']", "old": "False", "new": "True"}]
    status, out, _ = upgrade(capsys, repo, config, "--format", "markdown")
    assert out.startswith(f"## Upgrading {config} from v1 to v3\n\n7 things to do, 4 for "
                          "information.\n\n### To do\n\n- line 3: OLD\\_QUEUE was renamed")
    assert "\n### For information\n\n- line 7: BROKER\\_URL is now required" in out
    assert SECRET not in out and TOKEN not in out
