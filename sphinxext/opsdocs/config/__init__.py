"""The operator's YAML config: a sample to start from, and checks of real config files.

("config" here is the service's configuration file; Sphinx's configuration values are
registered by each concern's ``directive.py``.)  ``extensions = ["opsdocs.config"]``
loads this concern alone; the Sphinx glue is :mod:`opsdocs.config.directive`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: the ``sample-config`` directive."""
    from opsdocs.config.directive import setup as setup_directive

    return setup_directive(app)
