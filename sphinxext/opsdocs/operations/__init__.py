"""The operations manual: a structured commands file, with Django management commands read
statically.

``extensions = ["opsdocs.operations"]`` loads this concern alone.  Readers, model and text
import neither Sphinx nor docutils; the Sphinx glue is :mod:`opsdocs.operations.directive`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: the ``operations-manual`` and ``operations-command`` directives."""
    from opsdocs.operations.directive import setup as setup_directive

    return setup_directive(app)
