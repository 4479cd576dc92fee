"""opsdocs: document how an OEP-45 Django service is configured and operated.

Importing the package stays cheap and free of Sphinx, because services import
:mod:`opsdocs.loader` at run time; the Sphinx extension lives in :mod:`opsdocs.ext`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0.dev0"


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point, so that ``extensions = ["opsdocs"]`` works."""
    from opsdocs.ext import setup as setup_extension

    return setup_extension(app)
