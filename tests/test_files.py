"""Writing files whole."""

from __future__ import annotations

from opsdocs.files import write_text


def test_write_text_replaces_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "sample.yml"
    write_text(target, "one\n")
    write_text(target, "two\n")
    assert target.read_text() == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["sample.yml"]
