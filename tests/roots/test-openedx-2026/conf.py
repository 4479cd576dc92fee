import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "Open edX settings, 2026 layout"
extensions = ["opsdocs"]
# Most settings of the real modules have no description: listed without a warning each.
opsdocs_undocumented = "ignore"
exclude_patterns = ["_build", "onepage.rst"]
