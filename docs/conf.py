"""Sphinx configuration for opsdocs' own documentation."""

from __future__ import annotations

import opsdocs

project = "opsdocs"
author = "opsdocs contributors"
copyright = "2026, opsdocs contributors"
version = release = opsdocs.__version__

extensions = ["opsdocs"]
html_theme = "alabaster"
exclude_patterns = ["_build"]
# Literal blocks (``::``) hold commands and their output; code blocks name their language.
highlight_language = "none"
nitpicky = True
