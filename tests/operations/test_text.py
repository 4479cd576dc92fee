"""The operations manual as text: the versioned JSON form."""

from __future__ import annotations

import json

from opsdocs.operations.reader import read_manual
from opsdocs.operations.text import manual_to_json
from tests.helpers import ROOTS

ROOT = ROOTS / "test-operations"


def test_json_form_is_versioned():
    data = manual_to_json(read_manual(ROOT / "operations" / "commands.yml"))
    assert (data["format"], data["version"]) == ("opsdocs-operations", 1)
    command = data["groups"][2]["commands"][0]
    assert command["name"] == "clearsessions" and command["schedule"] == "0 3 * * *"
    assert command["settings"] == ["SESSION_ENGINE"]
    json.dumps(data)
