"""The Sphinx extension: one module per concern, each with its own ``setup()``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsdocs import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: Bump when what opsdocs stores in the environment changes, to force a full re-read.
ENV_VERSION = 1

CONCERNS = (
    "opsdocs.ext.settings",
    "opsdocs.ext.operations",
    "opsdocs.ext.config",
    "opsdocs.ext.dockerfile",
    "opsdocs.ext.changelog",
)


def _add_static_path(app: Sphinx, config: Config) -> None:
    # At config-inited, so the pickled and the new configuration agree: changing it later
    # would make every incremental build see a changed html_static_path and rewrite all pages.
    config.html_static_path.append(str(Path(__file__).parent.parent / "static"))


def setup(app: Sphinx) -> dict[str, Any]:
    for concern in CONCERNS:
        app.setup_extension(concern)
    app.add_css_file("opsdocs.css")
    app.connect("config-inited", _add_static_path)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
