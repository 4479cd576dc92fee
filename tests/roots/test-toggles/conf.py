import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "tree"))

extensions = ["opsdocs.toggles"]
project = "test-toggles"
opsdocs_toggles_today = "2025-06-01"
opsdocs_undocumented = "ignore"
