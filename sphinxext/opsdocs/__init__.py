"""opsdocs: document how an OEP-45 Django service is configured and operated.

One package per concern (:mod:`opsdocs.settings`, :mod:`opsdocs.toggles`, :mod:`opsdocs.changelog`,
:mod:`opsdocs.operations`, :mod:`opsdocs.config`, :mod:`opsdocs.dockerfile`), each a
Sphinx extension of its own; ``extensions = ["opsdocs"]`` loads them all.

Importing the package stays cheap and free of Sphinx, because services import
:mod:`opsdocs.loader` at run time: ``setup()`` names the concerns, it does not import them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0.dev0"

#: The concerns ``extensions = ["opsdocs"]`` loads, each also usable alone.
CONCERNS = (
    "opsdocs.settings",
    "opsdocs.toggles",
    "opsdocs.operations",
    "opsdocs.config",
    "opsdocs.dockerfile",
    "opsdocs.changelog",
)


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point of ``extensions = ["opsdocs"]``: every concern."""
    for concern in CONCERNS:
        app.setup_extension(concern)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
