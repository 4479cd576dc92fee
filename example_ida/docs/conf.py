"""Sphinx configuration of example_ida's documentation.

Build it from the repository root with::

    sphinx-build -W --keep-going -b html example_ida/docs example_ida/docs/_build/html
"""

project = "example_ida"
author = "The example_ida maintainers"
copyright = "2026, The example_ida maintainers"
release = "0.4"

extensions = ["opsdocs"]

html_theme = "alabaster"
html_title = "example_ida operations and configuration"
exclude_patterns = ["_build"]

# Every setting in the reference links to the line that defines it, in a highlighted copy
# of its settings file inside these docs (set opsdocs_source_url, such as
# "https://github.com/ORG/REPO/blob/main/{path}#L{line}", to link to a repository instead).
# Paths are shown relative to opsdocs_source_root: the root of the repository, two levels
# above this file (given rather than found from .git, so that a copy without git history
# shows the same).
opsdocs_source_root = "../.."

# The settings changelog and the reference's "added in"/"changed in" notes come from the
# snapshots committed at each release, so they need no git history (Read the Docs clones
# shallow).
opsdocs_changelog_snapshots = "../snapshots"
opsdocs_history_notes = True
