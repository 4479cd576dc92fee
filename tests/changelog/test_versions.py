"""Release names sorted as versions."""

from __future__ import annotations

from opsdocs.changelog.versions import sort_versions


def test_versions_sort_as_versions() -> None:
    assert sort_versions(["v1.10", "v1.2", "v1.2rc1", "v0.9", "v2.0", "nightly", "v1.2.1"]) == [
        "nightly", "v0.9", "v1.2rc1", "v1.2", "v1.2.1", "v1.10", "v2.0"]
