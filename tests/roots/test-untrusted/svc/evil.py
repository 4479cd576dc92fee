"""Importing this module leaves a file beside it: a build that imports it ran it."""
from pathlib import Path

(Path(__file__).parent / "IMPORTED").write_text("the docs build ran svc.evil\n")
