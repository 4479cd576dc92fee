"""The settings reference: ``required.py`` and ``defaults.py`` read statically.

``extensions = ["opsdocs.settings"]`` loads this concern alone.  Reader, model and text
import neither Sphinx nor docutils; the Sphinx glue is :mod:`opsdocs.settings.directive`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: the ``settings-reference`` directive and ``std:setting`` objects."""
    from opsdocs.settings.directive import setup as setup_directive

    return setup_directive(app)
