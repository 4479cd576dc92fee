"""Feature toggles across a code tree: waffle flags and switches, course flags, setting
toggles and configuration models, read statically with their code-annotations blocks.

``extensions = ["opsdocs.toggles"]`` loads this concern alone.  Reader, model and text
import neither Sphinx nor docutils; the Sphinx glue is :mod:`opsdocs.toggles.directive`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: the ``feature-toggles`` directive and ``std:toggle`` objects."""
    from opsdocs.toggles.directive import setup as setup_directive

    return setup_directive(app)
