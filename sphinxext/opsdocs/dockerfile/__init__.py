"""The Dockerfile reference: build arguments, stages and what the image runs.

``extensions = ["opsdocs.dockerfile"]`` loads this concern alone.  Model and reader import
neither Sphinx nor docutils; the Sphinx glue is :mod:`opsdocs.dockerfile.directive`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: the ``dockerfile-reference`` directive."""
    from opsdocs.dockerfile.directive import setup as setup_directive

    return setup_directive(app)
