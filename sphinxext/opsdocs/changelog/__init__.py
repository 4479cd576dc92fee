"""The settings changelog: what changed in settings between releases (git tags or snapshots).

``extensions = ["opsdocs.changelog"]`` loads this concern alone.  Readers, model and text
import neither Sphinx nor docutils; the Sphinx glue is :mod:`opsdocs.changelog.directive`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: the ``settings-changelog``, ``upgrade-guide`` and
    ``release-notes`` directives, and "new in" notes."""
    from opsdocs.changelog.directive import setup as setup_directive
    from opsdocs.changelog.notes_directive import ReleaseNotesDirective

    metadata = setup_directive(app)
    app.setup_extension("opsdocs.toggles")  # release notes read code trees as its pages do
    app.add_directive("release-notes", ReleaseNotesDirective)
    return metadata
