"""The docs show a screenshot of each kind of page at each width, as scripts/screenshots.py
writes them."""

from __future__ import annotations

import struct

from tests.browser.example_site import PAGE_KINDS, WIDTHS
from tests.helpers import REPO, found

SCREENSHOTS = REPO / "docs" / "screenshots"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_each_page_kind_at_each_width_is_in_the_docs():
    files = {path.name: path for path in found(SCREENSHOTS.glob("*.png"))}
    expected = {f"{kind}-{width}.png": width for kind in PAGE_KINDS for width in WIDTHS}
    assert set(files) == set(expected)
    page = (REPO / "docs" / "screenshots.rst").read_text()
    for name, width in expected.items():
        assert png_size(files[name].read_bytes())[0] == width, name
        assert f".. image:: screenshots/{name}" in page, name
